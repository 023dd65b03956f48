/* known.c — which closure does OFFSETCLOSURE designate? (for direct calls, see known.h)

   Every function body is found by following control flow from its entry (CLOSURE /
   CLOSUREREC target): fallthrough and the targets of branches, switches, PUSHTRAP handlers
   and PUSH_RETADDR return points, never into other closures. An instruction reached from two
   entries, or an entry named by two closure instructions, is "unknown". */
#include "xtensa/known.h"
#include "diag.h"
#include <stdlib.h>

struct xt_known {
    const bc_program *p;
    int32_t *fn;        /* per instruction: entry index of its function, -1 unknown */
    int32_t *group;     /* per entry instruction: index of its CLOSURE(REC) instruction, -1
                           none, -2 several */
    int32_t *slot;      /* per entry instruction: its position j in the group */
};

static int falls_through(int op)
{
    switch (op) {
    case BRANCH: case RETURN: case APPTERM: case APPTERM1: case APPTERM2: case APPTERM3:
    case RAISE: case RERAISE: case RAISE_NOTRACE: case STOP: case SWITCH: case APPLY:
        return 0;
    default:
        return 1;
    }
}

static void note_entry(xt_known *k, uint32_t target_pc, int32_t clos, int32_t j)
{
    int32_t e = k->p->insn_at[target_pc];
    if (e < 0) return;
    if (k->group[e] == -1) { k->group[e] = clos; k->slot[e] = j; }
    else k->group[e] = -2;
}

xt_known *xt_known_new(const bc_program *p)
{
    uint32_t n = p->ninsns ? p->ninsns : 1;
    xt_known *k = xmalloc(sizeof *k);
    k->p = p;
    k->fn = xmalloc(n * sizeof *k->fn);
    k->group = xmalloc(n * sizeof *k->group);
    k->slot = xcalloc(n, sizeof *k->slot);
    int32_t *owner = xmalloc(n * sizeof *owner);   /* -1 unvisited, -2 conflict */
    uint32_t *work = xmalloc(n * sizeof *work);
    for (uint32_t i = 0; i < p->ninsns; i++) { k->fn[i] = -1; k->group[i] = -1; owner[i] = -1; }
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const bc_insn *in = &p->insns[i];
        if (in->op == CLOSURE) note_entry(k, (uint32_t)in->arg[1], (int32_t)i, 0);
        else if (in->op == CLOSUREREC)
            for (uint32_t j = 0; j < in->ntargets; j++)
                note_entry(k, in->targets[j], (int32_t)i, (int32_t)j);
    }
    for (uint32_t e = 0; e < p->ninsns; e++) {
        if (k->group[e] < 0) continue;
        uint32_t top = 0;
        /* mark: returns through the work list */
#define VISIT(x) do { uint32_t v_ = (x); \
            if (v_ < p->ninsns) { \
                if (owner[v_] == -1) { owner[v_] = (int32_t)e; work[top++] = v_; } \
                else if (owner[v_] != (int32_t)e) owner[v_] = -2; } } while (0)
#define VISIT_PC(pc) do { uint32_t pc_ = (pc); \
            if (pc_ < p->ncode && p->insn_at[pc_] >= 0) VISIT((uint32_t)p->insn_at[pc_]); } while (0)
        VISIT(e);
        while (top) {
            uint32_t i = work[--top];
            const bc_insn *in = &p->insns[i];
            switch (in->op) {
            case BRANCH: case BRANCHIF: case BRANCHIFNOT: case PUSHTRAP: case PUSH_RETADDR:
                VISIT_PC((uint32_t)in->arg[0]);
                break;
            case BEQ: case BNEQ: case BLTINT: case BLEINT: case BGTINT: case BGEINT:
            case BULTINT: case BUGEINT:
                VISIT_PC((uint32_t)in->arg[1]);
                break;
            case SWITCH:
                for (uint32_t j = 0; j < in->ntargets; j++) VISIT_PC(in->targets[j]);
                break;
            default:
                break;
            }
            if (falls_through(in->op)) VISIT(i + 1);
        }
#undef VISIT
#undef VISIT_PC
    }
    for (uint32_t i = 0; i < p->ninsns; i++) k->fn[i] = owner[i] >= 0 ? owner[i] : -1;
    free(owner);
    free(work);
    return k;
}

void xt_known_free(xt_known *k)
{
    if (!k) return;
    free(k->fn);
    free(k->group);
    free(k->slot);
    free(k);
}

int32_t xt_known_offsetclosure(const xt_known *k, uint32_t i, int32_t ofs_words)
{
    const bc_program *p = k->p;
    if (i >= p->ninsns || k->fn[i] < 0) return -1;
    int32_t e = k->fn[i];
    int32_t g = k->group[e];
    if (g < 0) return -1;
    const bc_insn *cl = &p->insns[g];
    int32_t field = 3 * k->slot[e] + ofs_words;
    uint32_t target_pc;
    if (cl->op == CLOSURE) {
        if (field != 0) return -1;
        target_pc = (uint32_t)cl->arg[1];
    } else {
        if (field < 0 || field % 3 || (uint32_t)(field / 3) >= cl->ntargets) return -1;
        target_pc = cl->targets[field / 3];
    }
    int32_t t = target_pc < p->ncode ? p->insn_at[target_pc] : -1;
    if (t < 0 || k->group[t] != g) return -1;   /* the target's closure is ambiguous */
    return t;
}

int32_t xt_known_arity(const xt_known *k, int32_t entry, uint32_t *body)
{
    const bc_program *p = k->p;
    if (entry < 0 || (uint32_t)entry >= p->ninsns) return -1;
    const bc_insn *in = &p->insns[entry];
    if (in->op == GRAB) {
        if (in->arg[0] < 1 || (uint32_t)entry + 1 >= p->ninsns || entry == 0
            || p->insns[entry - 1].op != RESTART)
            return -1;
        *body = (uint32_t)entry + 1;
        return in->arg[0] + 1;
    }
    if (in->op == RESTART) return -1;
    *body = (uint32_t)entry;
    return 1;
}
