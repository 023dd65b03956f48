/* callees.c — which function does an application certainly call? (see callees.h)

   Abstract interpretation of every live function (dce.h) with a must-lattice, accu and
   stack per instruction, merged at join points:
     BOT        no value yet (optimistic start; code not reached under the current facts)
     CLO(f)     certainly a closure of function f: its code pointer is f's entry
     BLK(s, v)  certainly a block made by the MAKEBLOCK at instruction s, whose fields held
                the values v[] when it was made (only while some field is worth knowing)
     TOP        anything
   join(x, x) = x, join(BOT, x) = x, join(BLK(s, v), BLK(s, w)) = BLK(s, join(v, w)) and TOP
   otherwise. Program-wide facts, each the join over every execution the analysis sees:
     the values SETGLOBAL stores into each global (what GETGLOBAL reads),
     the values each CLOSURE / CLOSUREREC captures (what ENVACC reads in its functions),
     what each function returns when applied to exactly its arity (RETURN, and APPTERM of a
     known function of that arity).
   Every live function is analysed with the current facts, over and over until no fact
   changes; the callees seen at each APPLY / APPTERM in that last round are the answer.

   Why it is sound: what a stack slot or the accu holds is fully determined by the code, so
   the abstract values describe them exactly, except for what was read from memory:
   - a field of a block: BLK(s, v) gives field k = v[k] only when dce_info says that no
     block made at s is ever written after its creation (no store by analysed code targets
     it and it never escapes to code the analysis does not follow, so Obj cannot reach it);
   - a global: every live SETGLOBAL is seen; a global is read only once its module has been
     initialised (ocamlc links modules in dependency order; before that the global holds
     the integer 0 and reading a field of it would crash the bytecode interpreter too);
     globals no live code stores keep their constant DATA value: TOP;
   - an environment: the values captured at its one creation site, like the code pointer
     never changed afterwards (as the existing OFFSETCLOSURE direct calls assume; the one
     user of Obj on closures, CamlinternalMod, overwrites only its own stub closures, which
     are never known since they come out of init_mod through TOP values).
   A function result is the join of what it returns when entered with no extra argument,
   which is what an exact application of a known closure gets. Anything unexpected (code
   shared by two functions, inconsistent stack depths, RESTART reached by flow, ...) gives
   up: no callee is known. */
#include "callees.h"
#include "diag.h"
#include "vec32.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BOT = 0, TOP = 1 };
#define NODE(v) ((v) - 2)
#define VAL(n) ((n) + 2)
#define NONE UINT32_MAX
#define MAX_DEPTH 4           /* nesting of BLK values (module, submodule, ...) */
#define MAX_ROUNDS 100

struct callees { int32_t *at; uint32_t n, count; };

/* CLO(site = entry instruction) or BLK(site = MAKEBLOCK instruction, fields pool[first..]) */
typedef struct { uint32_t site, first, n; uint8_t clo, depth; } mnode;
typedef struct { int32_t depth; uint32_t accu; uint32_t s[]; } state;   /* s[depth-1] = top */

typedef struct mctx {
    const bc_program *p;
    const dce_info *d;
    const char *fail;
    uint32_t *fentry, nf;     /* functions: entry instruction; function 0 is the init code */
    uint32_t *fclos, *fidx;   /* per function: its CLOSURE(REC) instruction, index in it */
    int32_t *func_at;         /* per instruction: function entered there, -1 none */
    int32_t *owner;           /* per instruction: function that reached it, -1 none */
    uint8_t *join;            /* per instruction: a branch / handler / return-point target */
    mnode *nodes; uint32_t nn, capn;
    vec32 pool;
    uint32_t *ht, htcap;      /* node interning: content -> id + 1 */
    uint32_t *gval;           /* per global: what SETGLOBAL stores */
    uint32_t *envoff;         /* per closure instruction: offset of its captured values */
    uint32_t *envv;
    uint32_t *ret;            /* per function: its result */
    uint32_t *callee;         /* per APPLY / APPTERM: the applied value */
    int changed;
    /* per function */
    uint32_t fid;
    state **st;
    vec32 touched, heap;
    uint8_t *queued;
    state *cur; int32_t curcap;
} mctx;


static void give_up(mctx *c, const char *why) { if (!c->fail) c->fail = why; }

/* ---- values ---- */

static uint32_t hash_node(uint8_t clo, uint32_t site, const uint32_t *f, uint32_t n)
{
    uint32_t h = (site * 0x9E3779B1u) ^ clo ^ (n * 0x85EBCA77u);
    for (uint32_t i = 0; i < n; i++) h = (h ^ f[i]) * 0x01000193u;
    return h;
}

static int same_node(const mctx *c, const mnode *x, uint8_t clo, uint32_t site, const uint32_t *f, uint32_t n)
{
    return x->clo == clo && x->site == site && x->n == n
        && (n == 0 || !memcmp(&c->pool.v[x->first], f, n * sizeof *f));
}

static uint32_t intern(mctx *c, uint8_t clo, uint32_t site, const uint32_t *f, uint32_t n, uint8_t depth)
{
    if (2 * (c->nn + 1) > c->htcap) {
        uint32_t cap = c->htcap ? 2 * c->htcap : 1024;
        uint32_t *ht = xcalloc(cap, sizeof *ht);
        for (uint32_t i = 0; i < c->nn; i++) {
            const mnode *x = &c->nodes[i];
            uint32_t h = hash_node(x->clo, x->site, &c->pool.v[x->first], x->n) & (cap - 1);
            while (ht[h]) h = (h + 1) & (cap - 1);
            ht[h] = i + 1;
        }
        free(c->ht);
        c->ht = ht;
        c->htcap = cap;
    }
    uint32_t h = hash_node(clo, site, f, n) & (c->htcap - 1);
    for (; c->ht[h]; h = (h + 1) & (c->htcap - 1))
        if (same_node(c, &c->nodes[c->ht[h] - 1], clo, site, f, n)) return VAL(c->ht[h] - 1);
    if (c->nn == c->capn) {
        c->capn = c->capn ? 2 * c->capn : 1024;
        c->nodes = xrealloc(c->nodes, c->capn * sizeof *c->nodes);
    }
    uint32_t first = c->pool.n;
    for (uint32_t i = 0; i < n; i++) vpush(&c->pool, f[i]);
    c->nodes[c->nn] = (mnode){ site, first, n, clo, depth };
    c->ht[h] = c->nn + 1;
    return VAL(c->nn++);
}

static uint32_t clo(mctx *c, uint32_t entry) { return intern(c, 1, entry, NULL, 0, 0); }

/* BLK(site, f[0..n)); TOP when no field is worth knowing or it nests too deep. */
static uint32_t blk(mctx *c, uint32_t site, const uint32_t *f, uint32_t n)
{
    uint8_t depth = 1;
    int useful = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (f[i] == TOP) continue;
        useful = 1;
        if (f[i] != BOT && !c->nodes[NODE(f[i])].clo && c->nodes[NODE(f[i])].depth + 1 > depth)
            depth = (uint8_t)(c->nodes[NODE(f[i])].depth + 1);
    }
    if (!useful || depth > MAX_DEPTH) return TOP;
    return intern(c, 0, site, f, n, depth);
}

static uint32_t join(mctx *c, uint32_t a, uint32_t b)
{
    if (a == b || b == BOT) return a;
    if (a == BOT) return b;
    if (a == TOP || b == TOP) return TOP;
    mnode x = c->nodes[NODE(a)], y = c->nodes[NODE(b)];
    if (x.clo || y.clo || x.site != y.site || x.n != y.n) return TOP;
    uint32_t *f = xmalloc(x.n * sizeof *f);
    for (uint32_t i = 0; i < x.n; i++)
        f[i] = join(c, c->pool.v[x.first + i], c->pool.v[y.first + i]);
    uint32_t r = blk(c, x.site, f, x.n);
    free(f);
    return r;
}

/* *fact = join(*fact, v), noting a change */
static void grow(mctx *c, uint32_t *fact, uint32_t v)
{
    uint32_t j = join(c, *fact, v);
    if (j != *fact) { *fact = j; c->changed = 1; }
}

static uint32_t field(mctx *c, uint32_t v, uint32_t k)
{
    if (v == BOT) return BOT;
    if (v == TOP) return TOP;
    const mnode *x = &c->nodes[NODE(v)];
    if (x->clo || k >= x->n || c->d->blk_unsafe[x->site]) return TOP;
    return c->pool.v[x->first + k];
}

/* ---- functions ---- */

static int32_t entry_of(const mctx *c, uint32_t target_pc)
{
    return target_pc < c->p->ncode ? c->p->insn_at[target_pc] : -1;
}

static uint32_t group_size(const bc_insn *cl) { return cl->op == CLOSURE ? 1 : (uint32_t)cl->arg[0]; }
static uint32_t group_nvars(const bc_insn *cl) { return (uint32_t)(cl->op == CLOSURE ? cl->arg[0] : cl->arg[1]); }
static uint32_t group_target(const bc_insn *cl, uint32_t j) { return cl->op == CLOSURE ? (uint32_t)cl->arg[1] : cl->targets[j]; }

int32_t callees_arity(const bc_program *p, int32_t entry, uint32_t *body)
{
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

/* Result of applying v to n arguments. */
static uint32_t apply(mctx *c, uint32_t v, int32_t n)
{
    if (v == BOT) return BOT;
    if (v == TOP || !c->nodes[NODE(v)].clo) return TOP;
    uint32_t e = c->nodes[NODE(v)].site, body;
    int32_t f = c->func_at[e];
    if (f < 0 || callees_arity(c->p, (int32_t)e, &body) != n) return TOP;
    return c->ret[f];
}

static void find_functions(mctx *c)
{
    const bc_program *p = c->p;
    uint32_t cap = 64;
    c->fentry = xmalloc(cap * sizeof *c->fentry);
    c->fclos = xmalloc(cap * sizeof *c->fclos);
    c->fidx = xmalloc(cap * sizeof *c->fidx);
    c->fentry[0] = 0; c->fclos[0] = NONE; c->fidx[0] = 0;
    c->nf = 1;
    c->func_at[0] = 0;
    uint32_t nenv = 0;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const bc_insn *in = &p->insns[i];
        if (in->op == CLOSURE || in->op == CLOSUREREC) {
            c->envoff[i] = nenv;
            nenv += group_nvars(in);
            for (uint32_t j = 0; j < group_size(in); j++) {
                int32_t e = entry_of(c, group_target(in, j));
                if (e < 0 || c->func_at[e] >= 0) { give_up(c, "closure code named twice"); return; }
                if (c->nf == cap) {
                    cap *= 2;
                    c->fentry = xrealloc(c->fentry, cap * sizeof *c->fentry);
                    c->fclos = xrealloc(c->fclos, cap * sizeof *c->fclos);
                    c->fidx = xrealloc(c->fidx, cap * sizeof *c->fidx);
                }
                c->func_at[e] = (int32_t)c->nf;
                c->fentry[c->nf] = (uint32_t)e; c->fclos[c->nf] = i; c->fidx[c->nf] = j;
                c->nf++;
            }
        } else if (in->op == PUSH_RETADDR || in->op == BRANCH || in->op == BRANCHIF
                   || in->op == BRANCHIFNOT || in->op == PUSHTRAP) {
            c->join[p->insn_at[in->arg[0]]] = 1;
        } else if (in->op >= BEQ && in->op <= BUGEINT && in->op != ULTINT && in->op != UGEINT) {
            c->join[p->insn_at[in->arg[1]]] = 1;
        } else if (in->op == SWITCH) {
            for (uint32_t j = 0; j < in->ntargets; j++) c->join[p->insn_at[in->targets[j]]] = 1;
        }
    }
    c->envv = xcalloc(nenv ? nenv : 1, sizeof *c->envv);   /* BOT */
}

/* ---- the abstract machine ---- */

static void reserve(mctx *c, int32_t depth)
{
    if (c->cur && depth <= c->curcap) return;
    int32_t cap = c->curcap ? c->curcap : 64;
    while (cap < depth) cap *= 2;
    c->cur = xrealloc(c->cur, sizeof(state) + (size_t)cap * sizeof(uint32_t));
    c->curcap = cap;
}

static uint32_t SP(mctx *c, int32_t k)
{
    return k >= 0 && k < c->cur->depth ? c->cur->s[c->cur->depth - 1 - k] : TOP;
}

static void push(mctx *c, uint32_t v)
{
    reserve(c, c->cur->depth + 1);
    c->cur->s[c->cur->depth++] = v;
}

static void pop(mctx *c, int32_t n)
{
    if (n < 0) { give_up(c, "negative pop"); return; }
    c->cur->depth = n > c->cur->depth ? 0 : c->cur->depth - n;
}

/* Merges the current state (accu replaced by `accu`) into the state at join point t. */
static void flow_to(mctx *c, uint32_t t, uint32_t accu)
{
    if (t >= c->p->ninsns) { give_up(c, "branch outside the code"); return; }
    state *cur = c->cur, *s = c->st[t];
    int changed = 0;
    if (!s) {
        s = xmalloc(sizeof(state) + (size_t)cur->depth * sizeof(uint32_t));
        s->depth = cur->depth;
        s->accu = accu;
        memcpy(s->s, cur->s, (size_t)cur->depth * sizeof(uint32_t));
        c->st[t] = s;
        vpush(&c->touched, t);
        changed = 1;
    } else if (s->depth != cur->depth) {
        give_up(c, "inconsistent stack depth at a join");
        return;
    } else {
        uint32_t j = join(c, s->accu, accu);
        if (j != s->accu) { s->accu = j; changed = 1; }
        for (int32_t k = 0; k < s->depth; k++) {
            j = join(c, s->s[k], cur->s[k]);
            if (j != s->s[k]) { s->s[k] = j; changed = 1; }
        }
    }
    if (changed && !c->queued[t]) { c->queued[t] = 1; heap_push(&c->heap, t); }
}

/* CLOSURE / CLOSUREREC at i: the captured values are accu, sp[0..nvars-2] */
static void capture(mctx *c, uint32_t i, uint32_t nvars)
{
    for (uint32_t k = 0; k < nvars; k++)
        grow(c, &c->envv[c->envoff[i] + k], k == 0 ? c->cur->accu : SP(c, (int32_t)k - 1));
    if (nvars > 0) pop(c, (int32_t)nvars - 1);
}

static uint32_t env_value(mctx *c, int32_t k)
{
    if (c->fid == 0) return TOP;
    const bc_insn *cl = &c->p->insns[c->fclos[c->fid]];
    int32_t idx = 3 * (int32_t)c->fidx[c->fid] + k - (3 * (int32_t)group_size(cl) - 1);
    if (idx < 0 || idx >= (int32_t)group_nvars(cl)) return TOP;
    return c->envv[c->envoff[c->fclos[c->fid]] + (uint32_t)idx];
}

static uint32_t offset_closure(mctx *c, int32_t ofs)
{
    if (c->fid == 0 || ofs % 3) return TOP;
    const bc_insn *cl = &c->p->insns[c->fclos[c->fid]];
    int32_t j = (int32_t)c->fidx[c->fid] + ofs / 3;
    if (j < 0 || j >= (int32_t)group_size(cl)) return TOP;
    int32_t e = entry_of(c, group_target(cl, (uint32_t)j));
    return e < 0 ? TOP : clo(c, (uint32_t)e);
}

static void note_callee(mctx *c, uint32_t i) { c->callee[i] = join(c, c->callee[i], c->cur->accu); }

static void ret(mctx *c, uint32_t v) { if (c->fid) grow(c, &c->ret[c->fid], v); }

static void run(mctx *c, uint32_t i)
{
    const bc_program *p = c->p;
    for (;;) {
        if (c->fail) return;
        if (i >= p->ninsns || !c->d->live[i]) { give_up(c, "control reaches removed code"); return; }
        if (c->owner[i] >= 0 && c->owner[i] != (int32_t)c->fid) { give_up(c, "code shared by two functions"); return; }
        if (c->func_at[i] >= 0 && c->func_at[i] != (int32_t)c->fid) { give_up(c, "control falls into a function"); return; }
        c->owner[i] = (int32_t)c->fid;
        const bc_insn *in = &p->insns[i];
        int32_t a0 = in->arg[0], a1 = in->arg[1];
        int op = in->op, falls = 1;
        state *s = c->cur;
        switch (op) {
        case ACC0: case ACC1: case ACC2: case ACC3: case ACC4: case ACC5: case ACC6: case ACC7:
            s->accu = SP(c, op - ACC0); break;
        case ACC: s->accu = SP(c, a0); break;
        case PUSH: case PUSHACC0: push(c, c->cur->accu); break;
        case PUSHACC1: case PUSHACC2: case PUSHACC3: case PUSHACC4: case PUSHACC5:
        case PUSHACC6: case PUSHACC7:
            push(c, c->cur->accu); c->cur->accu = SP(c, op - PUSHACC0); break;
        case PUSHACC: push(c, c->cur->accu); c->cur->accu = SP(c, a0); break;
        case POP: pop(c, a0); break;
        case ASSIGN:
            if (a0 >= 0 && a0 < s->depth) s->s[s->depth - 1 - a0] = s->accu;
            s->accu = TOP;
            break;
        case ENVACC1: case ENVACC2: case ENVACC3: case ENVACC4:
            s->accu = env_value(c, op - ENVACC1 + 1); break;
        case ENVACC: s->accu = env_value(c, a0); break;
        case PUSHENVACC1: case PUSHENVACC2: case PUSHENVACC3: case PUSHENVACC4:
            push(c, c->cur->accu); c->cur->accu = env_value(c, op - PUSHENVACC1 + 1); break;
        case PUSHENVACC: push(c, c->cur->accu); c->cur->accu = env_value(c, a0); break;
        case PUSH_RETADDR: push(c, TOP); push(c, TOP); push(c, TOP); break;
        case APPLY: {
            note_callee(c, i);
            uint32_t r = apply(c, c->cur->accu, a0);
            pop(c, a0 + 3);
            c->cur->accu = r;
            break;
        }
        case APPLY1: case APPLY2: case APPLY3: {
            int32_t n = op - APPLY1 + 1;
            note_callee(c, i);
            uint32_t r = apply(c, c->cur->accu, n);
            pop(c, n);
            c->cur->accu = r;
            break;
        }
        case APPTERM: case APPTERM1: case APPTERM2: case APPTERM3:
            note_callee(c, i);
            ret(c, apply(c, s->accu, op == APPTERM ? a0 : op - APPTERM1 + 1));
            falls = 0;
            break;
        case RETURN: ret(c, s->accu); falls = 0; break;
        case RAISE: case RERAISE: case RAISE_NOTRACE: case STOP: falls = 0; break;
        case GRAB: case CHECK_SIGNALS: break;
        case CLOSURE: {
            int32_t e = entry_of(c, (uint32_t)a1);
            capture(c, i, (uint32_t)a0);
            c->cur->accu = e < 0 ? TOP : clo(c, (uint32_t)e);
            break;
        }
        case CLOSUREREC: {
            capture(c, i, (uint32_t)a1);
            for (uint32_t j = 0; j < in->ntargets; j++) {
                int32_t e = entry_of(c, in->targets[j]);
                uint32_t v = e < 0 ? TOP : clo(c, (uint32_t)e);
                if (j == 0) c->cur->accu = v;
                push(c, v);
            }
            break;
        }
        case PUSHOFFSETCLOSUREM3: case PUSHOFFSETCLOSURE0: case PUSHOFFSETCLOSURE3: case PUSHOFFSETCLOSURE:
            push(c, c->cur->accu);
            /* fall through */
        case OFFSETCLOSUREM3: case OFFSETCLOSURE0: case OFFSETCLOSURE3: case OFFSETCLOSURE: {
            int b = op >= PUSHOFFSETCLOSUREM3 ? op - PUSHOFFSETCLOSUREM3 : op - OFFSETCLOSUREM3;
            c->cur->accu = offset_closure(c, b == 0 ? -3 : b == 1 ? 0 : b == 2 ? 3 : a0);
            break;
        }
        case PUSHGETGLOBAL: case PUSHGETGLOBALFIELD: push(c, c->cur->accu); /* fall through */
        case GETGLOBAL: case GETGLOBALFIELD:
            if ((uint32_t)a0 >= c->d->nglobals) { give_up(c, "GETGLOBAL beyond the global table"); return; }
            c->cur->accu = c->gval[a0];
            if (op == GETGLOBALFIELD || op == PUSHGETGLOBALFIELD) c->cur->accu = field(c, c->cur->accu, (uint32_t)a1);
            break;
        case SETGLOBAL:
            if ((uint32_t)a0 >= c->d->nglobals) { give_up(c, "SETGLOBAL beyond the global table"); return; }
            grow(c, &c->gval[a0], s->accu);
            s->accu = TOP;
            break;
        case MAKEBLOCK: case MAKEBLOCK1: case MAKEBLOCK2: case MAKEBLOCK3: {
            int32_t n = op == MAKEBLOCK ? a0 : op - MAKEBLOCK1 + 1;
            if (n <= 0) { s->accu = TOP; break; }
            uint32_t *f = xmalloc((size_t)n * sizeof *f);
            f[0] = s->accu;
            for (int32_t k = 1; k < n; k++) f[k] = SP(c, k - 1);
            uint32_t b = blk(c, i, f, (uint32_t)n);
            free(f);
            pop(c, n - 1);
            c->cur->accu = b;
            break;
        }
        case GETFIELD0: case GETFIELD1: case GETFIELD2: case GETFIELD3:
            s->accu = field(c, s->accu, (uint32_t)(op - GETFIELD0)); break;
        case GETFIELD: s->accu = field(c, s->accu, (uint32_t)a0); break;
        case PUSHATOM0: case PUSHATOM: case PUSHCONST0: case PUSHCONST1: case PUSHCONST2:
        case PUSHCONST3: case PUSHCONSTINT:
            push(c, c->cur->accu); c->cur->accu = TOP; break;
        case ATOM0: case ATOM: case CONST0: case CONST1: case CONST2: case CONST3: case CONSTINT:
        case GETFLOATFIELD: case VECTLENGTH: case BOOLNOT: case NEGINT: case OFFSETINT:
        case OFFSETREF: case ISINT: case GETMETHOD: case GETDYNMET:
            s->accu = TOP; break;
        case GETPUBMET: push(c, c->cur->accu); c->cur->accu = TOP; break;
        case MAKEFLOATBLOCK: pop(c, a0 - 1); c->cur->accu = TOP; break;
        case SETFIELD0: case SETFIELD1: case SETFIELD2: case SETFIELD3: case SETFIELD:
        case SETFLOATFIELD: case GETVECTITEM: case GETBYTESCHAR: case GETSTRINGCHAR: case ADDINT:
        case SUBINT: case MULINT: case DIVINT: case MODINT: case ANDINT: case ORINT: case XORINT:
        case LSLINT: case LSRINT: case ASRINT: case EQ: case NEQ: case LTINT: case LEINT:
        case GTINT: case GEINT: case ULTINT: case UGEINT:
            pop(c, 1); c->cur->accu = TOP; break;
        case SETVECTITEM: case SETBYTESCHAR: pop(c, 2); c->cur->accu = TOP; break;
        case C_CALL1: case C_CALL2: case C_CALL3: case C_CALL4: case C_CALL5:
            pop(c, op - C_CALL1); c->cur->accu = TOP; break;
        case C_CALLN: pop(c, a0 - 1); c->cur->accu = TOP; break;
        case BRANCH: flow_to(c, (uint32_t)p->insn_at[a0], s->accu); falls = 0; break;
        case BRANCHIF: case BRANCHIFNOT: flow_to(c, (uint32_t)p->insn_at[a0], s->accu); break;
        case BEQ: case BNEQ: case BLTINT: case BLEINT: case BGTINT: case BGEINT: case BULTINT:
        case BUGEINT:
            flow_to(c, (uint32_t)p->insn_at[a1], s->accu); break;
        case SWITCH:
            for (uint32_t j = 0; j < in->ntargets; j++) flow_to(c, (uint32_t)p->insn_at[in->targets[j]], s->accu);
            falls = 0;
            break;
        case PUSHTRAP:   /* the handler starts with this stack and the exception in accu */
            flow_to(c, (uint32_t)p->insn_at[a0], TOP);
            for (int k = 0; k < 4; k++) push(c, TOP);
            break;
        case POPTRAP: pop(c, 4); break;
        default:         /* RESTART reached by flow, EVENT, BREAK, ... */
            give_up(c, "unexpected instruction");
            return;
        }
        if (!falls) return;
        i++;
        if (i < p->ninsns && c->join[i]) { flow_to(c, i, c->cur->accu); return; }
    }
}

static void analyse_function(mctx *c, uint32_t fid)
{
    const bc_program *p = c->p;
    c->fid = fid;
    uint32_t e = c->fentry[fid], body;
    int32_t arity = 0;
    if (fid) {
        arity = callees_arity(p, (int32_t)e, &body);
        if (arity < 0) { give_up(c, "GRAB without RESTART"); return; }
    }
    reserve(c, arity);
    c->cur->depth = arity;
    c->cur->accu = TOP;
    for (int32_t k = 0; k < arity; k++) c->cur->s[k] = TOP;
    flow_to(c, e, TOP);
    while (c->heap.n && !c->fail) {
        uint32_t i = heap_pop(&c->heap);
        c->queued[i] = 0;
        state *s = c->st[i];
        reserve(c, s->depth);
        c->cur->depth = s->depth;
        c->cur->accu = s->accu;
        memcpy(c->cur->s, s->s, (size_t)s->depth * sizeof(uint32_t));
        run(c, i);
    }
    for (uint32_t k = 0; k < c->touched.n; k++) {
        free(c->st[c->touched.v[k]]);
        c->st[c->touched.v[k]] = NULL;
        c->queued[c->touched.v[k]] = 0;
    }
    c->touched.n = 0;
    c->heap.n = 0;
}

callees *callees_analyse(const bc_program *p, const dce_info *d)
{
    callees *k = xcalloc(1, sizeof *k);
    uint32_t n = p->ninsns ? p->ninsns : 1;
    k->n = p->ninsns;
    k->at = xmalloc(n * sizeof *k->at);
    for (uint32_t i = 0; i < n; i++) k->at[i] = -1;
    if (!p->ninsns) return k;
    mctx c = { .p = p, .d = d };
    c.func_at = xmalloc(n * sizeof *c.func_at);
    c.owner = xmalloc(n * sizeof *c.owner);
    for (uint32_t i = 0; i < n; i++) c.func_at[i] = -1;
    c.join = xcalloc(n, 1);
    c.envoff = xcalloc(n, sizeof *c.envoff);
    c.callee = xmalloc(n * sizeof *c.callee);
    c.st = xcalloc(n, sizeof *c.st);
    c.queued = xcalloc(n, 1);
    c.gval = xcalloc(d->nglobals ? d->nglobals : 1, sizeof *c.gval);
    find_functions(&c);
    c.ret = xcalloc(c.nf, sizeof *c.ret);
    /* globals that no live code stores keep their DATA value */
    for (uint32_t g = 0; g < d->nglobals; g++) c.gval[g] = TOP;
    for (uint32_t i = 0; i < p->ninsns; i++)
        if (d->live[i] && p->insns[i].op == SETGLOBAL && (uint32_t)p->insns[i].arg[0] < d->nglobals)
            c.gval[p->insns[i].arg[0]] = BOT;
    uint32_t rounds = 0;
    do {
        if (++rounds > MAX_ROUNDS) { give_up(&c, "no fixpoint"); break; }
        c.changed = 0;
        for (uint32_t i = 0; i < n; i++) { c.owner[i] = -1; c.callee[i] = BOT; }
        for (uint32_t f = 0; f < c.nf && !c.fail; f++) {
            uint32_t body = c.fentry[f];      /* a partially applied function may keep only
                                                 its GRAB (dce.c) */
            if (f == 0 || callees_arity(p, (int32_t)c.fentry[f], &body) >= 0)
                if (d->live[body]) analyse_function(&c, f);
        }
    } while (c.changed && !c.fail);
    if (!c.fail) {
        for (uint32_t i = 0; i < p->ninsns; i++) {
            int op = p->insns[i].op;
            if (!d->live[i] || !((op >= APPLY && op <= APPLY3) || (op >= APPTERM && op <= APPTERM3))) continue;
            uint32_t v = c.callee[i];
            if (v == BOT || v == TOP || !c.nodes[NODE(v)].clo) continue;
            k->at[i] = (int32_t)c.nodes[NODE(v)].site;
            k->count++;
            if (getenv("OCAML_ESP32_CALLEES_DUMP"))      /* debugging */
                fprintf(stderr, "callees: pc %u applies pc %u\n", p->insns[i].pc, p->insns[k->at[i]].pc);
        }
    }
    if (getenv("OCAML_ESP32_DCE_STATS"))
        fprintf(stderr, "callees: %u applications with a known callee, %u rounds%s%s\n", k->count,
                rounds, c.fail ? "; gave up: " : "", c.fail ? c.fail : "");
    for (uint32_t i = 0; i < c.touched.n; i++) free(c.st[c.touched.v[i]]);
    free(c.fentry); free(c.fclos); free(c.fidx); free(c.func_at); free(c.owner); free(c.join);
    free(c.nodes); free(c.pool.v); free(c.ht); free(c.gval); free(c.envoff); free(c.envv);
    free(c.ret); free(c.callee); free(c.st); free(c.touched.v); free(c.heap.v); free(c.queued);
    free(c.cur);
    return k;
}

void callees_free(callees *k)
{
    if (!k) return;
    free(k->at);
    free(k);
}

int32_t callees_at(const callees *k, uint32_t i) { return i < k->n ? k->at[i] : -1; }

uint32_t callees_count(const callees *k) { return k->count; }
