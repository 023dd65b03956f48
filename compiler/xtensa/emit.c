/* emit.c — the code generator: each bytecode instruction becomes straight-line Xtensa code.

   Registers (docs/architecture.md): a2 accu, a12 sp, a13 env, a14 young_ptr, a15 extra_args
   (tagged: Val_long(extra_args)); a3..a11 and a0 are scratch and never live across an
   instruction boundary, an allocation or a call. a11 is reserved as the address temporary of far stores.

   Layout: code in bytecode order; every instruction that is a jump target gets a label.
   Rare paths (GC call of an inline allocation, GRAB's partial application, zero divisor,
   RETURN with extra args) are deferred and emitted after the next instruction that never
   falls through, so the common path runs straight. Literal pools go at closure entry points
   and, in long stretches, after unconditional jumps. */
#include "xtensa/emit.h"
#include "xtensa/asm.h"
#include "xtensa/data.h"
#include "xtensa/encode.h"
#include "xtensa/debuginfo.h"
#include "dce.h"
#include "callees.h"
#include "elf.h"
#include "prims.h"
#include "diag.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ACCU = 2, SP = 12, ENV = 13, YP = 14, EXTRA = 15, ADDR_TMP = 11, NVREG = 4 };

enum { CLOSURE_TAG = 247, INFIX_TAG = 249, DOUBLE_TAG = 253, DOUBLE_ARRAY_TAG = 254,
       MAX_YOUNG_WOSIZE = 256 };

#define VAL_INT(n) ((int32_t)((uint32_t)(n) * 2u + 1u))
#define CLOSINFO(arity, delta) ((int32_t)(((uint32_t)(arity) << 24) + ((uint32_t)(delta) << 1) + 1))
#define HEADER(wosize, tag) ((uint32_t)(wosize) << 10 | (uint32_t)(tag))

/* Out-of-line code, emitted at the next point control never falls into. */
enum { D_GC, D_GRAB, D_RET_EXTRA, D_ZERO_DIVIDE, D_STACK_OVF, D_BOUND, D_MODIFY, D_SETJ, D_NTHUNKS };
typedef struct deferred { int kind; xlabel at, back; int32_t n; int reg; } deferred;

typedef struct swtab { char name[24]; uint32_t n; xlabel *labs; } swtab;

typedef struct ectx {
    const bc_program *p;
    const xt_options *opt;
    const dce_info *dce;  /* which instructions to emit (dce.h) */
    xasm *a;
    xlabel *lab;          /* per instruction index: label, or -1 */
    uint8_t *boundary;    /* per instruction index: put a literal pool boundary before it */
    uint32_t i;           /* index of the instruction being translated */
    uint32_t skip;        /* following instructions consumed by the current one */
    int falls;            /* can control fall through past the code emitted so far? */
    deferred *def;
    uint32_t ndef, capdef;
    xlabel thunk[D_NTHUNKS];   /* shared slow paths of the current region, -1 none */
    swtab *sw;
    uint32_t nsw, capsw;
    uint32_t since_pool;  /* instructions since the last pool boundary */
    int vn;               /* the top vn stack entries are in registers vr[vn-1] (top).. */
    int vr[NVREG];        /* ..vr[0], not yet pushed (virtual stack, see flush_tos) */
    int lazy_push;        /* the current instruction may leave its push in a register */
    int raw_accu;         /* the accu is a raw double in a2:a3 (floats, see e_float) */
    struct { int kind; int32_t a; int b; } pend;   /* the accu not yet in a2 (see pend) */
    int32_t acc_mem_off;  /* a2 = the stack word at a12 + acc_mem_off, loaded by ... */
    uint32_t acc_mem_at;  /* ... instruction acc_mem_at - 1 (0: none) */
    uint32_t ninlined;    /* statistics */
    int8_t *inl;          /* per function entry: 0 not examined, 1 not inlinable, else inlinable */
    uint32_t *inl_last;   /* per function entry: last instruction of an inlinable body */
    struct { int on, tail; uint32_t last; int32_t extra; xlabel cont; } in_inline;
    callees *known;       /* statically known callees (direct calls) */
    xt_dbg *dbg;          /* backtrace points (xtensa/debuginfo.h) */
} ectx;

static _Noreturn void fail_at(const ectx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static _Noreturn void fail_at(const ectx *c, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_fatal(c->p->path, "pc %u (%s): %s", c->p->insns[c->i].pc,
               bc_opcode_name(c->p->insns[c->i].op), msg);
}

/* ---------- small emission helpers ---------- */

static void I(ectx *c, uint32_t bits) { xa_insn(c->a, bits); }
static void mov(ectx *c, int d, int s) { if (d != s) I(c, xe_mov_n(d, s)); }
static void movi(ectx *c, int r, int32_t v) { xa_movi(c->a, r, v); }
static void addi(ectx *c, int d, int s, int32_t v) { xa_addi(c->a, d, s, v); }

static int l32_ok(int32_t off) { return off >= 0 && off <= 1020 && !(off & 3); }

static void load(ectx *c, int t, int s, int32_t off)
{
    if (off >= 0 && off <= 60 && !(off & 3)) I(c, xe_l32i_n(t, s, off));
    else if (l32_ok(off)) I(c, xe_l32i(t, s, off));
    else { addi(c, t, s, off); I(c, xe_l32i_n(t, t, 0)); }
}

static void store(ectx *c, int t, int s, int32_t off)
{
    if (off >= 0 && off <= 60 && !(off & 3)) I(c, xe_s32i_n(t, s, off));
    else if (l32_ok(off)) I(c, xe_s32i(t, s, off));
    else {
        if (t == ADDR_TMP) diag_fatal(c->p->path, "internal: far store of the address temporary");
        addi(c, ADDR_TMP, s, off);
        I(c, xe_s32i_n(t, ADDR_TMP, 0));
    }
}

/* Virtual stack: a push that the following instructions consume soon (push_can_be_lazy)
   stays in one of the registers a4..a7 instead of going through memory; the logical stack
   is memory (from a12) plus the c->vn registered entries on top of it. Only instructions
   that handle c->vn (is_aware) run while it is non-zero; the driver flushes it before any
   other, and at labels. Those instructions must not clobber a4..a7 while entries remain
   (a call clobbers them: flush first). */
static void flush_below(ectx *c, int keep)   /* pushes all but the top `keep` entries */
{
    int m = c->vn - keep;
    if (m <= 0) return;
    addi(c, SP, SP, -4 * m);
    for (int j = 0; j < m; j++) store(c, c->vr[j], SP, 4 * (m - 1 - j));
    for (int j = 0; j < keep; j++) c->vr[j] = c->vr[j + m];
    c->vn = keep;
}
static void flush_tos(ectx *c) { flush_below(c, 0); }

/* Deferred accu: a loader (ACC, ENVACC, CONST, GETFIELD) records where the value is instead of
   loading a2, so that a following push loads it straight into its register of the virtual
   stack and a following loader makes it dead. It lives until the next instruction, which
   takes it (pend_aware) or has it loaded into a2 first (translate_one). P_MEM offsets are
   from a12 when recorded: it is loaded before a12 moves. */
enum { P_NONE, P_MEM, P_REG, P_ENV, P_CONST, P_FIELD };   /* P_FIELD: word a of block in b */

static void set_pend(ectx *c, int kind, int32_t a) { c->pend.kind = kind; c->pend.a = a; }

static void load_pend(ectx *c, int r)
{
    switch (c->pend.kind) {
    case P_MEM: load(c, r, SP, c->pend.a); break;
    case P_REG: mov(c, r, c->pend.a); break;
    case P_ENV: load(c, r, ENV, c->pend.a); break;
    case P_CONST: movi(c, r, c->pend.a); break;
    case P_FIELD: load(c, r, c->pend.b, c->pend.a); break;
    default: break;
    }
}

static void materialize(ectx *c)
{
    if (c->pend.kind == P_NONE) return;
    if (c->pend.kind == P_MEM && c->vn == 0) { c->acc_mem_off = c->pend.a; c->acc_mem_at = c->i + 1; }
    load_pend(c, ACCU);
    c->pend.kind = P_NONE;
}

/* The register holding the accu: a deferred P_REG value is used where it is (the
   instructions of reg_consumer), anything else is loaded into a2. */
static int accu_reg(ectx *c)
{
    if (c->pend.kind == P_REG) { c->pend.kind = P_NONE; return c->pend.a; }
    materialize(c);
    return ACCU;
}

static void push_accu(ectx *c)
{
    if (c->lazy_push) {
        if (c->vn == NVREG) { materialize(c); flush_tos(c); }
        int r = 4;
        for (int used = 1; used; ) {    /* a free register of a4..a7 */
            used = 0;
            for (int j = 0; j < c->vn; j++) if (c->vr[j] == r) { used = 1; r++; break; }
        }
        if (c->pend.kind != P_NONE) { load_pend(c, r); set_pend(c, P_REG, r); }   /* accu = r */
        else mov(c, r, ACCU);
        c->vr[c->vn++] = r;
        return;
    }
    materialize(c);
    flush_tos(c);
    addi(c, SP, SP, -4);
    store(c, ACCU, SP, 0);
}

static int accu_dead(const ectx *c, uint32_t idx);

/* accu = (), unless the next instructions overwrite it anyway */
static void set_unit(ectx *c)
{
    if (!accu_dead(c, c->i + 1)) movi(c, ACCU, 1);
}

/* logical sp[0], popped: its register, or tmp loaded with it */
static int top_reg(ectx *c, int tmp)
{
    if (c->vn) return c->vr[--c->vn];
    load(c, tmp, SP, 0);
    addi(c, SP, SP, 4);
    return tmp;
}

/* r = logical sp[0], popped */
static void take_top(ectx *c, int r)
{
    if (c->vn) { mov(c, r, c->vr[--c->vn]); return; }
    load(c, r, SP, 0);
    addi(c, SP, SP, 4);
}
static void push_reg(ectx *c, int r) { addi(c, SP, SP, -4); store(c, r, SP, 0); }
static void pop(ectx *c, int32_t n) { if (n) addi(c, SP, SP, 4 * n); }


/* accu = Val_long(r) (r untagged); clobbers a9 unless r == a9 */
static void retag_into_accu(ectx *c, int r)
{
    int one = r == 9 ? 10 : 9;
    movi(c, one, 1);
    I(c, xe_addx2(ACCU, r, one));
}

static xlabel label_of(ectx *c, uint32_t target_pc)
{
    int32_t k = target_pc < c->p->ncode ? c->p->insn_at[target_pc] : -1;
    if (k < 0 || c->lab[k] < 0)
        diag_fatal(c->p->path, "internal: no label for pc %u", target_pc);
    return c->lab[k];
}

static void defer(ectx *c, int kind, xlabel at, xlabel back, int32_t n)
{
    if (c->ndef == c->capdef) {
        c->capdef = c->capdef ? 2 * c->capdef : 64;
        c->def = xrealloc(c->def, c->capdef * sizeof *c->def);
    }
    c->def[c->ndef++] = (deferred){ kind, at, back, n, 3 };
}

/* call0 sym, whose return address is where ocamlrun would have recorded bytecode pc `pc`
   in a backtrace (xtensa/debuginfo.h): a call, a raise, a C call. */
static void call0_dbg(ectx *c, const char *sym, uint32_t pc)
{
    xt_dbg_point(c->dbg, xa_call0_ret(c->a, sym), 0, pc);   /* short or long call form */
}

/* The pc ocamlrun records when the current instruction's primitive raises
   (Setup_for_c_call: the pc after the C_CALL; after DIVINT/MODINT + 1). */
static uint32_t prim_raise_pc(const ectx *c)
{
    const bc_insn *in = &c->p->insns[c->i];
    return in->op == DIVINT || in->op == MODINT ? in->pc + 2 : in->pc + 1u + in->nargs;
}

/* A shared slow path of the current region (created on first use). With debug events the
   raising ones are per site, so that backtraces tell the sites apart. */
static xlabel thunk(ectx *c, int kind)
{
    if ((kind == D_BOUND || kind == D_ZERO_DIVIDE) && xt_dbg_has_events(c->dbg)) {
        xlabel l = xa_label(c->a);
        defer(c, kind, l, -1, (int32_t)prim_raise_pc(c));
        return l;
    }
    if (c->thunk[kind] < 0) {
        c->thunk[kind] = xa_label(c->a);
        defer(c, kind, c->thunk[kind], -1, 0);
    }
    return c->thunk[kind];
}

static void flush_deferred(ectx *c)
{
    for (uint32_t k = 0; k < c->ndef; k++) {
        const deferred *d = &c->def[k];
        xa_bind(c->a, d->at);
        switch (d->kind) {
        case D_GC:            /* a9 = bytes already taken from a14; retry after the GC */
            movi(c, 9, d->n);
            xa_call0(c->a, "caml_call_gc");
            xa_j(c->a, d->back);
            break;
        case D_SETJ:          /* accu = n, continue at back */
            movi(c, ACCU, d->n);
            xa_j(c->a, d->back);
            break;
        case D_GRAB:          /* too few arguments: build the partial application */
            xa_l32r_label(c->a, 9, d->back);
            xa_call0(c->a, "caml_grab");
            break;
        case D_RET_EXTRA:     /* RETURN n with extra args: pop n, apply the result to them */
            pop(c, d->n);
            addi(c, EXTRA, EXTRA, -2);
            mov(c, ENV, ACCU);
            load(c, 8, ACCU, 0);
            I(c, xe_jx(8));
            break;
        case D_STACK_OVF:
            xa_call0(c->a, "caml_stack_overflow");
            break;
        case D_BOUND:         /* raises Invalid_argument "index out of bounds" */
            xa_l32r_sym(c->a, 8, "caml_array_bound_error", 0);
            if (d->n > 0) call0_dbg(c, "caml_c_call", (uint32_t)d->n);   /* per site */
            else xa_call0(c->a, "caml_c_call");
            break;
        case D_MODIFY:        /* a2 + n = field address, reg = a block: caml_modify */
            mov(c, 3, d->reg);
            addi(c, 2, 2, d->n);
            xa_call0(c->a, "caml_modify");
            xa_j(c->a, d->back);
            break;
        case D_ZERO_DIVIDE:
            xa_l32r_sym(c->a, 8, "caml_raise_zero_divide", 0);
            if (d->n > 0) call0_dbg(c, "caml_c_call", (uint32_t)d->n);   /* per site */
            else xa_call0(c->a, "caml_c_call");
            break;
        }
    }
    c->ndef = 0;
    for (int k = 0; k < D_NTHUNKS; k++) c->thunk[k] = -1;
}

/* Inline minor allocation: afterwards a14 = header address, header written, value at a14+4.
   Clobbers a8, a9 (a0). Only a2, a13 and the OCaml stack survive the GC. */
static void alloc_blocks(ectx *c, uint32_t wosize, uint32_t tag, uint32_t count)
{
    int32_t bytes = (int32_t)(4 * (wosize + 1));
    xlabel retry = xa_label(c->a), gc = xa_label(c->a);
    xa_bind(c->a, retry);
    addi(c, YP, YP, -bytes * (int32_t)count);
    xa_l32r_sym(c->a, 8, "caml_young_limit", 0);
    load(c, 8, 8, 0);
    xa_br(c->a, XC_LTU, YP, 8, gc);
    movi(c, 9, (int32_t)HEADER(wosize, tag));
    for (uint32_t j = 0; j < count; j++) store(c, 9, YP, bytes * (int32_t)j);
    defer(c, D_GC, gc, retry, bytes * (int32_t)count);
}

static void alloc_small(ectx *c, uint32_t wosize, uint32_t tag) { alloc_blocks(c, wosize, tag, 1); }

/* Blocks too big for the minor heap: the n values at sp[0..n) become fields
   [first, first+n) of a major block (other fields Val_unit); result in a2. */
static void alloc_major(ectx *c, uint32_t wosize, uint32_t tag, uint32_t first, uint32_t n)
{
    movi(c, 2, (int32_t)wosize);
    movi(c, 3, (int32_t)tag);
    movi(c, 4, (int32_t)first);
    mov(c, 5, SP);
    movi(c, 6, (int32_t)n);
    xa_l32r_sym(c->a, 8, "caml_oe_alloc_major", 0);
    xa_call0(c->a, "caml_c_call");
}

static void global_addr(ectx *c, int r, uint32_t idx, int32_t *off)
{
    if (l32_ok((int32_t)(4 * idx))) { xa_l32r_sym(c->a, r, "caml_globals", 0); *off = (int32_t)(4 * idx); }
    else { xa_l32r_sym(c->a, r, "caml_globals", (int32_t)(4 * idx)); *off = 0; }
}

/* ---------- instruction families ---------- */

typedef void (*emit_fn)(ectx *c, const bc_insn *in, int k);

/* k: slot index, or -1 for the operand; push variants have k | PUSHF */
#define PUSHF 0x100
#define ARGK (-1 & 0xff)
static int kval(const bc_insn *in, int k) { return (k & 0xff) == ARGK ? in->arg[0] : (int8_t)(k & 0xff); }

static int callee_unused(ectx *c);

/* Conditional branches that read a2 and change neither it, the stack nor a12. */
static int keeps_accu_and_stack(int op)
{
    return op == BRANCHIF || op == BRANCHIFNOT || (op >= BEQ && op <= BUGEINT && op != ULTINT && op != UGEINT);
}

static void e_acc(ectx *c, const bc_insn *in, int k)
{
    if (k & PUSHF) push_accu(c);
    c->pend.kind = P_NONE;
    if (callee_unused(c)) return;
    int32_t n = kval(in, k);
    if (n < c->vn) { set_pend(c, P_REG, c->vr[c->vn - 1 - n]); return; }
    /* ACC n; BRANCHIF(NOT) / BEQ...; ACC n: a2 still holds it on the path falling through */
    if (!(k & PUSHF) && c->acc_mem_at == c->i && c->vn == 0 && c->lab[c->i] < 0
        && c->acc_mem_off == 4 * n && keeps_accu_and_stack(c->p->insns[c->i - 1].op))
        return;
    set_pend(c, P_MEM, 4 * (n - c->vn));
}

static void e_push(ectx *c, const bc_insn *in, int k) { (void)in; (void)k; push_accu(c); }
static void e_pop(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    int32_t n = in->arg[0], d = n < c->vn ? n : c->vn;
    c->vn -= d;
    pop(c, n - d);
}

static void e_assign(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    int32_t n = in->arg[0];
    if (n < c->vn) mov(c, c->vr[c->vn - 1 - n], ACCU);
    else store(c, ACCU, SP, 4 * (n - c->vn));
    set_unit(c);
}

static void e_envacc(ectx *c, const bc_insn *in, int k)
{
    if (k & PUSHF) push_accu(c);
    c->pend.kind = P_NONE;
    if (!callee_unused(c)) set_pend(c, P_ENV, 4 * kval(in, k));
}

static void e_offsetclosure(ectx *c, const bc_insn *in, int k)
{
    if (k & PUSHF) push_accu(c);
    c->pend.kind = P_NONE;
    if (!callee_unused(c)) addi(c, ACCU, ENV, 4 * kval(in, k));
}

/* Is the callee of the application at instruction i (of nargs arguments) certainly a
   function of arity nargs (callees.h)? *body = the instruction its exact application
   continues at (labelled by find_direct_calls). */
static int direct_target(const ectx *c, uint32_t i, int32_t nargs, uint32_t *body)
{
    int32_t entry = callees_at(c->known, i);
    return entry >= 0 && callees_arity(c->p, entry, body) == nargs && c->dce->live[*body]
        && c->lab[*body] >= 0;
}

/* Does a2 already hold env (the callee closure of the direct call at instruction i)? */
static int accu_is_env(const ectx *c, uint32_t i)
{
    int op = c->p->insns[i - 1].op;
    return c->lab[i] < 0 && (op == OFFSETCLOSURE0 || op == PUSHOFFSETCLOSURE0);
}

/* Small leaf functions are inlined at their direct call sites: a body [body, last] of at
   most INLINE_MAX instructions, contiguous, entered only at body, with forward branches only
   and nothing that calls, captures, reads the environment, handles exceptions or may raise
   (a backtrace would lack the callee's frame). It runs on the caller's stack, the arguments
   where the call left them; its RETURN n pops them and continues after the call. */
#define INLINE_MAX 16

static int is_float_prim(const char *name, int nargs);
static int is_string_length(const char *name);

static int inline_op_ok(const ectx *c, const bc_insn *in)
{
    switch (in->op) {
    case ACC0: case ACC1: case ACC2: case ACC3: case ACC4: case ACC5: case ACC6: case ACC7:
    case ACC: case PUSH: case PUSHACC0: case PUSHACC1: case PUSHACC2: case PUSHACC3:
    case PUSHACC4: case PUSHACC5: case PUSHACC6: case PUSHACC7: case PUSHACC: case POP:
    case ASSIGN: case RETURN: case GETGLOBAL: case PUSHGETGLOBAL: case GETGLOBALFIELD:
    case PUSHGETGLOBALFIELD: case ATOM0: case ATOM: case PUSHATOM0: case PUSHATOM:
    case GETFIELD0: case GETFIELD1: case GETFIELD2: case GETFIELD3: case GETFIELD:
    case GETFLOATFIELD: case SETFIELD0: case SETFIELD1: case SETFIELD2: case SETFIELD3:
    case SETFIELD: case SETFLOATFIELD: case VECTLENGTH: case GETVECTITEM: case SETVECTITEM:
    case GETBYTESCHAR: case SETBYTESCHAR: case GETSTRINGCHAR: case BRANCH: case BRANCHIF:
    case BRANCHIFNOT: case BOOLNOT: case CHECK_SIGNALS: case CONST0: case CONST1: case CONST2:
    case CONST3: case CONSTINT: case PUSHCONST0: case PUSHCONST1: case PUSHCONST2:
    case PUSHCONST3: case PUSHCONSTINT: case NEGINT: case ADDINT: case SUBINT: case MULINT:
    case ANDINT: case ORINT: case XORINT: case LSLINT: case LSRINT: case ASRINT: case EQ:
    case NEQ: case LTINT: case LEINT: case GTINT: case GEINT: case ULTINT: case UGEINT:
    case OFFSETINT: case OFFSETREF: case ISINT: case BEQ: case BNEQ: case BLTINT: case BLEINT:
    case BGTINT: case BGEINT: case BULTINT: case BUGEINT:
        return 1;
    case MAKEBLOCK: case MAKEBLOCK1: case MAKEBLOCK2: case MAKEBLOCK3:   /* minor heap only */
        return (in->op != MAKEBLOCK || in->arg[0] <= MAX_YOUNG_WOSIZE);
    case C_CALL1: case C_CALL2:   /* float primitives and string lengths never raise */
        return (uint32_t)in->arg[0] < c->p->nprims
            && (is_float_prim(c->p->prims[in->arg[0]], in->op - C_CALL1 + 1)
                || (in->op == C_CALL1 && is_string_length(c->p->prims[in->arg[0]])));
    default:
        return 0;
    }
}

static int32_t branch_target(const ectx *c, const bc_insn *in)
{
    switch (in->op) {
    case BRANCH: case BRANCHIF: case BRANCHIFNOT: return c->p->insn_at[in->arg[0]];
    case BEQ: case BNEQ: case BLTINT: case BLEINT: case BGTINT: case BGEINT: case BULTINT:
    case BUGEINT:
        return c->p->insn_at[in->arg[1]];
    default: return -1;
    }
}

static int inlinable(ectx *c, int32_t entry, uint32_t body, uint32_t *last)
{
    if (c->inl[entry]) { *last = c->inl_last[entry]; return c->inl[entry] > 1; }
    c->inl[entry] = 1;
    uint32_t far = body;      /* control may reach every instruction up to far */
    for (uint32_t i = body; i < c->p->ninsns && i < body + INLINE_MAX; i++) {
        const bc_insn *in = &c->p->insns[i];
        if (!c->dce->live[i] || (i > body && c->boundary[i]) || !inline_op_ok(c, in)) return 0;
        int32_t t = branch_target(c, in);
        if (t >= 0) {
            if ((uint32_t)t <= i) return 0;
            if ((uint32_t)t > far) far = (uint32_t)t;
        }
        if (in->op == RETURN || in->op == BRANCH) {
            if (i >= far) { c->inl[entry] = 2; c->inl_last[entry] = *last = i; return 1; }
        } else if (i + 1 > far) {
            far = i + 1;
        }
    }
    return 0;
}

static void translate_one(ectx *c, uint32_t i, int inlined);

/* The body [body, last] in place of a call: tail (APPTERM) returns from the caller
   afterwards, else control continues after the call; extra: words to pop besides the
   arguments (the frame of PUSH_RETADDR). The arguments may still be in the virtual stack. */
static void emit_inline(ectx *c, uint32_t body, uint32_t last, int tail, int32_t extra)
{
    uint32_t self = c->i, n = last - body + 1;
    xlabel *saved = xmalloc(n * sizeof *saved);
    for (uint32_t j = 0; j < n; j++) {     /* fresh labels for this copy */
        saved[j] = c->lab[body + j];
        /* the entry needs none: branches in the body go forward */
        if (saved[j] >= 0) c->lab[body + j] = j ? xa_label(c->a) : -1;
    }
    xlabel cont = xa_label(c->a);
    c->acc_mem_at = 0;
    c->in_inline.on = 1;
    c->in_inline.tail = tail;
    c->in_inline.last = last;
    c->in_inline.extra = extra;
    c->in_inline.cont = cont;
    c->skip = 0;
    for (uint32_t i = body; i <= last; i++) {
        if (c->skip) { c->skip--; continue; }
        translate_one(c, i, 1);
    }
    c->in_inline.on = 0;
    c->acc_mem_at = 0;
    for (uint32_t j = 0; j < n; j++) c->lab[body + j] = saved[j];
    free(saved);
    flush_tos(c);
    xa_bind(c->a, cont);
    c->i = self;
    c->skip = 0;
    c->falls = !tail;
}

/* The application at the current instruction, if its callee is inlined. */
static int inline_call(ectx *c, int32_t nargs, int tail, int32_t extra)
{
    uint32_t body, last;
    if (!direct_target(c, c->i, nargs, &body) || !inlinable(c, callees_at(c->known, c->i), body, &last))
        return 0;
    if (tail || extra) flush_tos(c);
    emit_inline(c, body, last, tail, extra);
    c->ninlined++;
    return 1;
}

/* Is the value the current instruction loads into accu (a closure) the callee of the
   next instruction, which does not need it: an inlined call, or a direct call from a
   function to itself (env already holds the closure)? The callee's body must not read
   the accu it is entered with (ocamlc never makes one that does; checked all the same):
   a2 then keeps the previous accu, a valid value. */
static int is_loader(int op);
static int callee_unused(ectx *c)
{
    uint32_t j = c->i + 1, body, last;
    if (j >= c->p->ninsns || c->lab[j] >= 0 || c->boundary[j]) return 0;
    const bc_insn *in = &c->p->insns[j];
    int32_t nargs;
    if (in->op >= APPLY1 && in->op <= APPLY3) nargs = in->op - APPLY1 + 1;
    else if (in->op >= APPTERM1 && in->op <= APPTERM3) nargs = in->op - APPTERM1 + 1;
    else if (in->op == APPLY || in->op == APPTERM) nargs = in->arg[0];
    else return 0;
    if (!direct_target(c, j, nargs, &body) || !is_loader(c->p->insns[body].op)) return 0;
    if (inlinable(c, callees_at(c->known, j), body, &last)) return 1;
    int op = c->p->insns[c->i].op;
    return (op == OFFSETCLOSURE0 || op == PUSHOFFSETCLOSURE0) && in->op != APPLY;
}

static void e_push_retaddr(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    addi(c, SP, SP, -12);
    xa_l32r_label(c->a, 8, label_of(c, (uint32_t)in->arg[0]));
    xt_dbg_point(c->dbg, label_of(c, (uint32_t)in->arg[0]), 0, (uint32_t)in->arg[0]);
    store(c, 8, SP, 0);
    store(c, ENV, SP, 4);
    store(c, EXTRA, SP, 8);
}

/* APPLY1-3: the stub pushes the return frame (a0) under the arguments and jumps. */
static void e_applyk(ectx *c, const bc_insn *in, int k)
{
    (void)in;
    uint32_t body;
    if (inline_call(c, k, 0, 0)) return;
    int direct = direct_target(c, c->i, k, &body);
    if (!direct) {      /* a stub (code size): the top arguments go in a8.. */
        static const char *const stub[4][4] = {
            { NULL }, { "caml_apply1", "caml_apply1r1" },
            { "caml_apply2", "caml_apply2r1", "caml_apply2r2" },
            { "caml_apply3", "caml_apply3r1", "caml_apply3r2", "caml_apply3r3" } };
        flush_below(c, k);
        int t = c->vn;
        for (int j = 0; j < t; j++) mov(c, 8 + j, c->vr[t - 1 - j]);
        c->vn = 0;
        call0_dbg(c, stub[k][t], in->pc + 1);
        return;
    }
    /* Known callee of arity k, inline: the return frame goes under the k arguments (the top
       ones may still be in registers), stack check, then jump to the body after its GRAB. */
    flush_below(c, k);
    int t = c->vn;
    int32_t down = 12 + 4 * t;
    addi(c, SP, SP, -down);
    for (int j = t; j < k; j++) {
        load(c, 8, SP, down + 4 * (j - t));
        store(c, 8, SP, 4 * j);
    }
    for (int j = 0; j < t; j++) store(c, c->vr[t - 1 - j], SP, 4 * j);
    c->vn = 0;
    xlabel ret = xa_label(c->a);
    xa_l32r_label(c->a, 9, ret);
    store(c, 9, SP, 4 * k);
    store(c, ENV, SP, 4 * k + 4);
    store(c, EXTRA, SP, 4 * k + 8);
    movi(c, EXTRA, 1);
    if (!accu_is_env(c, c->i)) mov(c, ENV, ACCU);
    xa_l32r_sym(c->a, 9, "caml_stack_threshold", 0);
    load(c, 9, 9, 0);
    xa_br(c->a, XC_LTU, SP, 9, thunk(c, D_STACK_OVF));
    xa_j(c->a, c->lab[body]);
    xa_bind(c->a, ret);
    xt_dbg_point(c->dbg, ret, 0, in->pc + 1);
}

/* APPLY n (after PUSH_RETADDR): jump to the closure with extra_args = n-1 (stack check in
   the stub). */
static void e_apply(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    if (in->arg[0] < 1) fail_at(c, "bad argument count %d", (int)in->arg[0]);
    uint32_t body;
    if (inline_call(c, in->arg[0], 0, 3)) return;
    if (direct_target(c, c->i, in->arg[0], &body)) {   /* known callee of arity n */
        movi(c, EXTRA, 1);
        mov(c, ENV, ACCU);
        xa_l32r_sym(c->a, 9, "caml_stack_threshold", 0);
        load(c, 9, 9, 0);
        xa_br(c->a, XC_LTU, SP, 9, thunk(c, D_STACK_OVF));
        xa_j(c->a, c->lab[body]);
    } else {
        movi(c, EXTRA, VAL_INT(in->arg[0] - 1));
        xa_call0(c->a, "caml_applyN");
    }
    c->falls = 0;
}

static void e_appterm(ectx *c, const bc_insn *in, int k)
{
    int32_t nargs = k ? k : in->arg[0];
    int32_t slot = k ? in->arg[0] : in->arg[1];
    int32_t d = slot - nargs;
    if (nargs < 1 || d < 0) fail_at(c, "bad operands (%d args, slot size %d)", (int)nargs, (int)slot);
    /* the arguments move up by d words; those in the stack cache are stored there directly */
    flush_below(c, c->vn < nargs ? c->vn : nargs);
    if (d < c->vn) flush_tos(c);
    int32_t vn = c->vn;
    uint32_t body;
    int direct = direct_target(c, c->i, nargs, &body);
    if (d > 0)
        for (int32_t j = nargs - 1; j >= vn; j--) {   /* top-down: destination is above */
            load(c, 8, SP, 4 * (j - vn));
            store(c, 8, SP, 4 * (j + d - vn));
        }
    for (int32_t j = 0; j < vn; j++) store(c, c->vr[vn - 1 - j], SP, 4 * (j + d - vn));
    c->vn = 0;
    pop(c, d - vn);
    if (direct && inline_call(c, nargs, 1, 0)) return;
    if (direct) {        /* known callee of arity nargs: extra_args is unchanged */
        if (!accu_is_env(c, c->i)) mov(c, ENV, ACCU);
        xa_j(c->a, c->lab[body]);
        c->falls = 0;
        return;
    }
    mov(c, ENV, ACCU);
    if (nargs > 1) addi(c, EXTRA, EXTRA, 2 * (nargs - 1));
    load(c, 8, ACCU, 0);
    I(c, xe_jx(8));
    c->falls = 0;
}

static void emit_return(ectx *c, int32_t n);

static void e_return(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    int32_t n = in->arg[0];
    if (c->in_inline.on) {   /* an inlined body (see emit_inline) returns to its caller */
        pop(c, n + c->in_inline.extra);
        if (c->in_inline.tail) emit_return(c, 0);
        else if (c->i != c->in_inline.last) { xa_j(c->a, c->in_inline.cont); c->falls = 0; }
        return;
    }
    emit_return(c, n);
}

static void emit_return(ectx *c, int32_t n)
{
    if (n < 0 || n > 200) { pop(c, n); n = 0; }
    /* one slow path per pop count and region */
    xlabel slow = -1;
    for (uint32_t j = 0; j < c->ndef && slow < 0; j++)
        if (c->def[j].kind == D_RET_EXTRA && c->def[j].n == n) slow = c->def[j].at;
    if (slow < 0) { slow = xa_label(c->a); defer(c, D_RET_EXTRA, slow, -1, n); }
    xa_bri(c->a, XC_NE, EXTRA, 1, slow);
    load(c, 0, SP, 4 * n);
    load(c, ENV, SP, 4 * n + 4);
    load(c, EXTRA, SP, 4 * n + 8);
    addi(c, SP, SP, 4 * n + 12);
    I(c, xe_ret_n());
    c->falls = 0;
}

static void e_restart(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    xa_call0(c->a, "caml_restart");
}

static void e_grab(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    int32_t n = in->arg[0];
    if (c->i == 0 || c->p->insns[c->i - 1].op != RESTART)
        fail_at(c, "GRAB not preceded by RESTART");
    xlabel slow = xa_label(c->a);
    /* extra_args < n  <=>  Val_long(extra_args) < 2n + 1  <=>  < 2n (it is odd) */
    if (n < 0 || n > (1 << 28)) fail_at(c, "bad GRAB count %d", (int)n);
    if (xa_bri_ok(XC_LT, 2 * n + 1)) xa_bri(c->a, XC_LT, EXTRA, 2 * n + 1, slow);
    else if (xa_bri_ok(XC_LT, 2 * n)) xa_bri(c->a, XC_LT, EXTRA, 2 * n, slow);
    else { movi(c, 8, 2 * n + 1); xa_br(c->a, XC_LT, EXTRA, 8, slow); }
    addi(c, EXTRA, EXTRA, -2 * n);
    defer(c, D_GRAB, slow, c->lab[c->i - 1], 0);
}

/* Is the code at target_pc emitted? Closures of removed functions (never applied, by the
   analysis of dce.c) get the runtime's caml_dead_code instead. */
static int code_live(const ectx *c, uint32_t target_pc)
{
    int32_t k = target_pc < c->p->ncode ? c->p->insn_at[target_pc] : -1;
    return k >= 0 && c->dce->live[k];
}

static void load_code_addr(ectx *c, int r, uint32_t target_pc)
{
    if (code_live(c, target_pc)) xa_l32r_label(c->a, r, label_of(c, target_pc));
    else xa_l32r_sym(c->a, r, "caml_dead_code", 0);
}

static void e_closure(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    uint32_t nvars = (uint32_t)in->arg[0];
    uint32_t code = (uint32_t)in->arg[1];
    if (2 + nvars <= MAX_YOUNG_WOSIZE) {
        alloc_small(c, 2 + nvars, CLOSURE_TAG);
        load_code_addr(c, 8, code);
        store(c, 8, YP, 4);
        movi(c, 9, CLOSINFO(0, 2));
        store(c, 9, YP, 8);
        if (nvars > 0) {   /* field 2 is the accu (interp.c pushes it first) */
            store(c, ACCU, YP, 12);
            for (uint32_t j = 1; j < nvars; j++) {
                load(c, 8, SP, (int32_t)(4 * (j - 1)));
                store(c, 8, YP, (int32_t)(12 + 4 * j));
            }
            pop(c, (int32_t)nvars - 1);
        }
        addi(c, ACCU, YP, 4);
    } else {
        push_accu(c);
        alloc_major(c, 2 + nvars, CLOSURE_TAG, 2, nvars);
        pop(c, (int32_t)nvars);
        load_code_addr(c, 8, code);
        store(c, 8, ACCU, 0);
        movi(c, 9, CLOSINFO(0, 2));
        store(c, 9, ACCU, 4);
    }
}

static void e_closurerec(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    uint32_t nfuncs = (uint32_t)in->arg[0], nvars = (uint32_t)in->arg[1];
    uint32_t envofs = 3 * nfuncs - 1, blksize = envofs + nvars;
    if (blksize <= MAX_YOUNG_WOSIZE) {
        alloc_small(c, blksize, CLOSURE_TAG);
        if (nvars > 0) {
            store(c, ACCU, YP, (int32_t)(4 + 4 * envofs));
            for (uint32_t j = 1; j < nvars; j++) {
                load(c, 8, SP, (int32_t)(4 * (j - 1)));
                store(c, 8, YP, (int32_t)(4 + 4 * (envofs + j)));
            }
            pop(c, (int32_t)nvars - 1);
        }
        addi(c, ACCU, YP, 4);
    } else {
        if (nvars > 0) push_accu(c);
        alloc_major(c, blksize, CLOSURE_TAG, envofs, nvars);
        pop(c, (int32_t)nvars);
    }
    /* code pointers, closinfo and infix headers are not heap pointers: plain stores */
    push_accu(c);
    load_code_addr(c, 8, in->targets[0]);
    store(c, 8, ACCU, 0);
    movi(c, 9, CLOSINFO(0, envofs));
    store(c, 9, ACCU, 4);
    for (uint32_t j = 1; j < nfuncs; j++) {
        int32_t f = (int32_t)(3 * j);
        movi(c, 9, (int32_t)HEADER(3 * j, INFIX_TAG));
        store(c, 9, ACCU, 4 * (f - 1));
        addi(c, 10, ACCU, 4 * f);
        push_reg(c, 10);
        load_code_addr(c, 8, in->targets[j]);
        store(c, 8, ACCU, 4 * f);
        movi(c, 9, CLOSINFO(0, envofs - 3 * j));
        store(c, 9, ACCU, 4 * (f + 1));
    }
}

static void e_getglobal(ectx *c, const bc_insn *in, int k)
{
    int32_t off;
    if (k & PUSHF) push_accu(c);
    c->pend.kind = P_NONE;
    if (callee_unused(c)) return;
    global_addr(c, 8, (uint32_t)in->arg[0], &off);
    load(c, ACCU, 8, off);
    if (k & 1) load(c, ACCU, ACCU, 4 * in->arg[1]);     /* GETGLOBALFIELD */
}

/* Plain store: the runtime scans caml_globals as a root at every minor GC (doc). */
static void e_setglobal(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    int32_t off;
    global_addr(c, 8, (uint32_t)in->arg[0], &off);
    store(c, ACCU, 8, off);
    set_unit(c);
}

static void atom(ectx *c, int32_t tag)
{
    if (tag < 0 || tag > 255) fail_at(c, "bad tag %d", (int)tag);
    xa_l32r_sym(c->a, ACCU, "caml_atom_table", 4 * tag + 4);
}

static void e_atom(ectx *c, const bc_insn *in, int k)
{
    if (k & PUSHF) push_accu(c);
    c->pend.kind = P_NONE;
    atom(c, kval(in, k));
}

static void e_makeblock(ectx *c, const bc_insn *in, int k)
{
    uint32_t wosize = k ? (uint32_t)k : (uint32_t)in->arg[0];
    int32_t tag = k ? in->arg[0] : in->arg[1];
    if (tag < 0 || tag > 255) fail_at(c, "bad tag %d", (int)tag);
    if (wosize == 0) { atom(c, tag); return; }
    if (wosize <= MAX_YOUNG_WOSIZE) {
        alloc_small(c, wosize, (uint32_t)tag);
        store(c, ACCU, YP, 4);
        for (uint32_t j = 1; j < wosize; j++) {
            load(c, 8, SP, (int32_t)(4 * (j - 1)));
            store(c, 8, YP, (int32_t)(4 + 4 * j));
        }
        pop(c, (int32_t)wosize - 1);
        addi(c, ACCU, YP, 4);
    } else {
        push_accu(c);
        alloc_major(c, wosize, (uint32_t)tag, 0, wosize);
        pop(c, (int32_t)wosize);
    }
}

static void e_makefloatblock(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    uint32_t size = (uint32_t)in->arg[0];
    if (size == 0) fail_at(c, "float block of size 0");
    if (2 * size <= MAX_YOUNG_WOSIZE) {
        alloc_small(c, 2 * size, DOUBLE_ARRAY_TAG);
        load(c, 8, ACCU, 0);
        load(c, 9, ACCU, 4);
        store(c, 8, YP, 4);
        store(c, 9, YP, 8);
        for (uint32_t j = 1; j < size; j++) {
            load(c, 10, SP, (int32_t)(4 * (j - 1)));
            load(c, 8, 10, 0);
            load(c, 9, 10, 4);
            store(c, 8, YP, (int32_t)(4 + 8 * j));
            store(c, 9, YP, (int32_t)(8 + 8 * j));
        }
        pop(c, (int32_t)size - 1);
        addi(c, ACCU, YP, 4);
    } else {
        push_accu(c);
        movi(c, 2, (int32_t)size);
        mov(c, 3, SP);
        xa_l32r_sym(c->a, 8, "caml_oe_make_float_block", 0);
        xa_call0(c->a, "caml_c_call");
        pop(c, (int32_t)size);
    }
}

static void e_getfield(ectx *c, const bc_insn *in, int k)
{
    int b = accu_reg(c);
    set_pend(c, P_FIELD, 4 * kval(in, k));
    c->pend.b = b;
}

/* ---------- floats ----------
   Float primitives inline: the boxed operands are read directly and the C arithmetic of the
   runtime (softfloat, libm, libgcc: leaf functions that neither allocate nor raise; a12-a15
   survive) is called without the caml_c_call state switch. A double is passed in a2:a3
   (second one a4:a5), low word first as in memory.
   Chains: when the next instruction consumes the accu as a double (arithmetic, comparison,
   int_of_float), a result stays raw in a2:a3 (c->raw_accu) instead of being boxed. The
   boxes are allocated at the chain's first instruction, while accu and stack still hold only
   values (no GC can run later in the chain: nothing in it allocates); the final result goes
   in the first one. Every instruction of the chain that boxes under ocamlrun still gets its
   block (the others stay unused) so that Gc.minor_words counts the same words. */
enum { FP_BIN, FP_UN, FP_NEG, FP_ABS, FP_OFINT, FP_TOINT, FP_CMP, FP_FIELD };
typedef struct { const char *prim, *fn; int kind, swap; enum xcond cond; } float_prim;
static const float_prim float_prims[] = {
    { "caml_add_float", "__adddf3", FP_BIN, 0, XC_EQ }, { "caml_sub_float", "__subdf3", FP_BIN, 0, XC_EQ },
    { "caml_mul_float", "__muldf3", FP_BIN, 0, XC_EQ }, { "caml_div_float", "__divdf3", FP_BIN, 0, XC_EQ },
    { "caml_sqrt_float", "sqrt", FP_UN, 0, XC_EQ }, { "caml_neg_float", NULL, FP_NEG, 0, XC_EQ },
    { "caml_abs_float", NULL, FP_ABS, 0, XC_EQ }, { "caml_float_of_int", "__floatsidf", FP_OFINT, 0, XC_EQ },
    { "caml_int_of_float", "__fixdfsi", FP_TOINT, 0, XC_EQ },
    /* soft-fp comparisons: unordered gives 2 for lt/le (false), 1 for eq/ne */
    { "caml_lt_float", "__ltdf2", FP_CMP, 0, XC_LT }, { "caml_gt_float", "__ltdf2", FP_CMP, 1, XC_LT },
    { "caml_le_float", "__ledf2", FP_CMP, 0, XC_GE }, { "caml_ge_float", "__ledf2", FP_CMP, 1, XC_GE },
    { "caml_eq_float", "__eqdf2", FP_CMP, 0, XC_EQ }, { "caml_neq_float", "__nedf2", FP_CMP, 0, XC_NE },
};
static const float_prim getfloatfield = { NULL, NULL, FP_FIELD, 0, XC_EQ };

static const float_prim *find_float_prim(const char *name, int nargs)
{
    for (size_t j = 0; j < sizeof float_prims / sizeof *float_prims; j++) {
        const float_prim *f = &float_prims[j];
        int n = f->kind == FP_BIN || f->kind == FP_CMP ? 2 : 1;
        if (n == nargs && !strcmp(name, f->prim)) return f;
    }
    return NULL;
}

static int is_float_prim(const char *name, int nargs) { return find_float_prim(name, nargs) != NULL; }

static int is_string_length(const char *name)
{
    return !strcmp(name, "caml_ml_string_length") || !strcmp(name, "caml_ml_bytes_length");
}

/* The float operation of instruction j, or NULL. */
static const float_prim *float_op_at(const ectx *c, uint32_t j)
{
    if (j >= c->p->ninsns) return NULL;
    const bc_insn *in = &c->p->insns[j];
    if (in->op == GETFLOATFIELD) return &getfloatfield;
    if (in->op < C_CALL1 || in->op > C_CALL2) return NULL;
    if ((uint32_t)in->arg[0] >= c->p->nprims) return NULL;
    return find_float_prim(c->p->prims[in->arg[0]], in->op - C_CALL1 + 1);
}

static int makes_double(int kind) { return kind != FP_TOINT && kind != FP_CMP; }
static int takes_double(int kind) { return kind != FP_OFINT && kind != FP_FIELD; }

/* Does instruction j take a raw double accu from the instruction before it? */
static const float_prim *raw_consumer(const ectx *c, uint32_t j)
{
    const float_prim *f = float_op_at(c, j);
    if (!f || !takes_double(f->kind) || c->lab[j] >= 0 || c->boundary[j] || !c->dce->live[j])
        return NULL;
    return f;
}

/* r, r + 1 = the double in box b (b may be r) */
static void load_double(ectx *c, int r, int b)
{
    if (b == r) { load(c, r + 1, b, 4); load(c, r, b, 0); }
    else { load(c, r, b, 0); load(c, r + 1, b, 4); }
}

/* a2:a3 = the accu as a double (raw already, or unboxed) */
static void accu_double(ectx *c, int raw) { if (!raw) load_double(c, 2, ACCU); }

/* The virtual stack is flushed (neither C_CALL nor GETFLOATFIELD is aware of it): sp[0] is
   the second operand. */
static void e_float(ectx *c, const bc_insn *in, const float_prim *f)
{
    int raw = c->raw_accu;
    c->raw_accu = 0;
    if (f->kind == FP_TOINT) {
        accu_double(c, raw);
        xa_call0(c->a, f->fn);
        retag_into_accu(c, 2);
        return;
    }
    if (f->kind == FP_CMP) {     /* accu = Val_bool(fn(a, b) cond 0) */
        load(c, 8, SP, 0);
        pop(c, 1);
        if (f->swap) {           /* fn(b, a) */
            if (raw) { mov(c, 4, 2); mov(c, 5, 3); } else load_double(c, 4, ACCU);
            load_double(c, 2, 8);
        } else {
            load_double(c, 4, 8);
            accu_double(c, raw);
        }
        xa_call0(c->a, f->fn);
        xlabel done = xa_label(c->a);
        mov(c, 8, 2);
        movi(c, ACCU, 3);
        if (f->cond == XC_GE) { addi(c, 8, 8, -1); xa_brz(c->a, XC_LT, 8, done); }   /* <= 0 */
        else xa_brz(c->a, f->cond, 8, done);
        movi(c, ACCU, 1);
        xa_bind(c->a, done);
        return;
    }
    int raw_out = raw_consumer(c, c->i + 1) != NULL;
    if (!raw) {                  /* a chain starts: the boxes of its results */
        uint32_t j = c->i + 1;
        const float_prim *g;
        while ((g = raw_consumer(c, j)) && makes_double(g->kind)) j++;
        alloc_blocks(c, 2, DOUBLE_TAG, j - c->i);
    }
    switch (f->kind) {
    case FP_FIELD: {
        int32_t off = 8 * in->arg[0];
        load(c, 3, ACCU, off + 4);
        load(c, 2, ACCU, off);
        break;
    }
    case FP_BIN:
        load(c, 8, SP, 0);
        load_double(c, 4, 8);
        accu_double(c, raw);
        xa_call0(c->a, f->fn);
        pop(c, 1);
        break;
    case FP_UN:
        accu_double(c, raw);
        xa_call0(c->a, f->fn);
        break;
    case FP_OFINT:
        I(c, xe_srai(2, ACCU, 1));
        xa_call0(c->a, f->fn);
        break;
    default:                     /* FP_NEG, FP_ABS: the sign bit */
        accu_double(c, raw);
        if (f->kind == FP_NEG) { movi(c, 8, INT32_MIN); I(c, xe_xor(3, 3, 8)); }
        else { I(c, xe_slli(3, 3, 1)); I(c, xe_srli(3, 3, 1)); }
        break;
    }
    if (raw_out) { c->raw_accu = 1; return; }
    store(c, 2, YP, 4);          /* the box allocated where the chain started */
    store(c, 3, YP, 8);
    addi(c, ACCU, YP, 4);
}

static void e_getfloatfield(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    e_float(c, in, &getfloatfield);
}

/* Field a2 + off = register v. An int needs no write barrier (the major GC is not
   incremental and the remembered set only records young blocks): plain store. A block goes
   through caml_modify(&field, v) out of line: direct C call (no allocation, no exception);
   a12-a15 survive. Clobbers a2, a3 (the caller sets the accu afterwards). */
static void modify_field(ectx *c, int32_t off, int v)
{
    xlabel slow = xa_label(c->a), back = xa_label(c->a);
    xa_bbi(c->a, 0, v, 0, slow);
    store(c, v, 2, off);
    xa_bind(c->a, back);
    defer(c, D_MODIFY, slow, back, off);
    c->def[c->ndef - 1].reg = v;
}

/* a8 = Long_val(index) < Wosize_val(arr) (unsigned: negative fails), else raise. Clobbers a9. */
static void bound_check_words(ectx *c, int arr)
{
    addi(c, 9, arr, -4);
    load(c, 9, 9, 0);
    I(c, xe_srli(9, 9, 10));
    xa_br(c->a, XC_GEU, 8, 9, thunk(c, D_BOUND));
}

/* caml_modify(&field, v): see modify_field. */
static void e_setfield(ectx *c, const bc_insn *in, int k)
{
    int v = top_reg(c, 3);
    flush_tos(c);       /* caml_modify clobbers a4..a7 (v keeps its value) */
    modify_field(c, 4 * kval(in, k), v);
    set_unit(c);
}

static void e_setfloatfield(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    int32_t off = 8 * in->arg[0];
    load(c, 8, SP, 0);
    pop(c, 1);
    load(c, 9, 8, 0);
    load(c, 10, 8, 4);
    store(c, 9, ACCU, off);
    store(c, 10, ACCU, off + 4);
    set_unit(c);
}

static void e_vectlength(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    addi(c, 9, ACCU, -4);
    load(c, 8, 9, 0);               /* header */
    I(c, xe_l8ui(9, 9, 0));         /* tag (little-endian low byte) */
    I(c, xe_srli(8, 8, 10));        /* wosize */
    movi(c, 10, DOUBLE_ARRAY_TAG);
    I(c, xe_sub(9, 9, 10));
    I(c, xe_srli(10, 8, 1));
    I(c, xe_moveqz(8, 10, 9));      /* float array: wosize / 2 */
    retag_into_accu(c, 8);
}

static void e_getvectitem(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    int i = top_reg(c, 8), a = accu_reg(c);
    I(c, xe_srai(8, i, 1));
    I(c, xe_addx4(9, 8, a));
    load(c, ACCU, 9, 0);
}

static void e_setvectitem(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    int i = top_reg(c, 8);
    I(c, xe_srai(8, i, 1));
    int v = top_reg(c, 3);
    flush_tos(c);
    I(c, xe_addx4(2, 8, ACCU));
    modify_field(c, 0, v);
    set_unit(c);
}

static void e_getbyteschar(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    int i = top_reg(c, 8), a = accu_reg(c);
    I(c, xe_srai(8, i, 1));
    I(c, xe_add(9, a, 8));
    I(c, xe_l8ui(8, 9, 0));
    retag_into_accu(c, 8);
}

static void e_setbyteschar(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    int i = top_reg(c, 8);
    I(c, xe_srai(8, i, 1));
    int v = top_reg(c, 9);
    I(c, xe_add(8, accu_reg(c), 8));
    I(c, xe_srai(9, v, 1));
    I(c, xe_s8i(9, 8, 0));
    set_unit(c);
}

/* ---------- branches ---------- */

static void e_branch(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    xa_j(c->a, label_of(c, (uint32_t)in->arg[0]));
    c->falls = 0;
}

static void e_branchif(ectx *c, const bc_insn *in, int k)
{
    /* k = 1: BRANCHIF (accu != false), 0: BRANCHIFNOT */
    xa_bri(c->a, k ? XC_NE : XC_EQ, accu_reg(c), 1, label_of(c, (uint32_t)in->arg[0]));
}

static void e_boolnot(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    movi(c, 8, 4);
    I(c, xe_sub(ACCU, 8, ACCU));    /* Val_not(x) = 4 - x */
}

/* Branch to l if r == v (r untagged or tagged, as the caller decides). */
static void br_eq_const(ectx *c, int r, int32_t v, xlabel l)
{
    if (v == 0) xa_brz(c->a, XC_EQ, r, l);
    else if (xa_bri_ok(XC_EQ, v)) xa_bri(c->a, XC_EQ, r, v, l);
    else { movi(c, 9, v); xa_br(c->a, XC_EQ, r, 9, l); }
}

static void switch_cases(ectx *c, const bc_insn *in, uint32_t first, uint32_t n, int is_tag)
{
    xlabel *labs = xmalloc(n * sizeof *labs);
    for (uint32_t j = 0; j < n; j++) labs[j] = label_of(c, in->targets[first + j]);
    if (is_tag) { addi(c, 8, ACCU, -4); I(c, xe_l8ui(8, 8, 0)); }
    if (n <= 4) {        /* compare chain; the last case needs no test */
        for (uint32_t j = 0; j + 1 < n; j++) {
            if (is_tag) br_eq_const(c, 8, (int32_t)j, labs[j]);
            else br_eq_const(c, ACCU, VAL_INT(j), labs[j]);
        }
        xa_j(c->a, labs[n - 1]);
        free(labs);
        return;
    }
    if (c->nsw == c->capsw) {
        c->capsw = c->capsw ? 2 * c->capsw : 16;
        c->sw = xrealloc(c->sw, c->capsw * sizeof *c->sw);
    }
    swtab *t = &c->sw[c->nsw++];
    snprintf(t->name, sizeof t->name, "camlT_%u_%c", in->pc, is_tag ? 't' : 'i');
    t->n = n;
    t->labs = labs;
    if (is_tag) {
        xa_l32r_sym(c->a, 9, t->name, 0);
        I(c, xe_addx4(9, 8, 9));
    } else {             /* a2 = 2i+1: table + 4i = (table - 2) + 2*a2 */
        xa_l32r_sym(c->a, 9, t->name, -2);
        I(c, xe_addx2(9, ACCU, 9));
    }
    load(c, 9, 9, 0);
    I(c, xe_jx(9));
}

static void e_switch(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    uint32_t sizes = (uint32_t)in->arg[0], nint = sizes & 0xFFFF, ntag = sizes >> 16;
    if (nint && ntag) {
        xlabel blk = xa_label(c->a);
        xa_bbi(c->a, 0, ACCU, 0, blk);
        switch_cases(c, in, 0, nint, 0);
        xa_bind(c->a, blk);
        switch_cases(c, in, nint, ntag, 1);
    } else if (nint) {
        switch_cases(c, in, 0, nint, 0);
    } else if (ntag) {
        switch_cases(c, in, 0, ntag, 1);
    } else {
        I(c, xe_ill());     /* no case at all: unreachable by construction */
    }
    c->falls = 0;
}

/* ---------- exceptions ---------- */

static void e_pushtrap(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    addi(c, SP, SP, -16);
    xa_l32r_label(c->a, 8, label_of(c, (uint32_t)in->arg[0]));
    store(c, 8, SP, 0);
    xa_l32r_sym(c->a, 9, "caml_trapsp", 0);
    load(c, 10, 9, 0);
    store(c, 10, SP, 4);
    store(c, ENV, SP, 8);
    store(c, EXTRA, SP, 12);
    store(c, SP, 9, 0);
}

static void e_poptrap(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    load(c, 8, SP, 4);
    xa_l32r_sym(c->a, 9, "caml_trapsp", 0);
    store(c, 8, 9, 0);
    pop(c, 4);
}

/* never returns; the stubs record a0 (the raise point) in the backtrace, except notrace */
static void e_raise(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    if (in->op == RAISE_NOTRACE) {
        xa_call0(c->a, "caml_raise_exn_notrace");
    } else {
        call0_dbg(c, in->op == RERAISE ? "caml_reraise_exn" : "caml_raise_exn", in->pc);
    }
    c->falls = 0;
}

static void e_nop(ectx *c, const bc_insn *in, int k) { (void)c; (void)in; (void)k; }

/* ---------- C calls ---------- */

static const char *prim_name(ectx *c, int32_t idx)
{
    const char *name = c->p->prims[idx];
    if (!(c->opt->flags & XT_F_NO_PRIM_CHECK) && !prims_known(name))
        diag_fatal(c->p->path, "primitive %s is not provided by the ocaml-esp32 runtime", name);
    return name;
}

/* C_CALLn: a2 = accu, a3.. = sp[0..n-2]; the stub saves the state around the call. */
static void e_ccall(ectx *c, const bc_insn *in, int k)
{
    const char *name = prim_name(c, in->arg[0]);
    const float_prim *fp = find_float_prim(name, k);
    if (fp) { e_float(c, in, fp); return; }
    if (k == 1 && is_string_length(name)) {   /* wosize * 4 - 1 - last byte */
        addi(c, 9, ACCU, -4);
        load(c, 9, 9, 0);
        I(c, xe_srli(9, 9, 10));
        I(c, xe_addx4(8, 9, ACCU));
        addi(c, 8, 8, -1);
        I(c, xe_l8ui(8, 8, 0));
        I(c, xe_slli(9, 9, 2));
        I(c, xe_sub(9, 9, 8));
        addi(c, 9, 9, -1);
        retag_into_accu(c, 9);
        return;
    }
    if (k == 2 && !strcmp(name, "caml_array_get_addr")) {     /* inline, bounds checked */
        int i = top_reg(c, 8), a = accu_reg(c);
        I(c, xe_srai(8, i, 1));
        bound_check_words(c, a);
        I(c, xe_addx4(9, 8, a));
        load(c, ACCU, 9, 0);
        return;
    }
    if (k == 3 && !strcmp(name, "caml_array_set_addr")) {
        int i = top_reg(c, 8);
        I(c, xe_srai(8, i, 1));
        int v = top_reg(c, 3);
        flush_tos(c);
        bound_check_words(c, ACCU);
        I(c, xe_addx4(2, 8, ACCU));
        modify_field(c, 0, v);
        set_unit(c);
        return;
    }
    flush_tos(c);
    xa_l32r_sym(c->a, 8, name, 0);
    for (int j = 1; j < k; j++) load(c, 2 + j, SP, 4 * (j - 1));
    call0_dbg(c, "caml_c_call", in->pc + 2);
    pop(c, k - 1);
}

/* C_CALLN nargs: accu pushed; prim(sp, nargs); pops nargs. */
static void e_ccalln(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    const char *name = prim_name(c, in->arg[1]);
    push_accu(c);
    mov(c, 2, SP);
    movi(c, 3, in->arg[0]);
    xa_l32r_sym(c->a, 8, name, 0);
    call0_dbg(c, "caml_c_call", in->pc + 3);
    pop(c, in->arg[0]);
}

/* ---------- integers ---------- */

static void e_const(ectx *c, const bc_insn *in, int k)
{
    if (k & PUSHF) push_accu(c);
    c->pend.kind = P_NONE;
    int32_t n = kval(in, k);
    if (n < -(1 << 30) || n >= (1 << 30))
        fail_at(c, "integer constant %d does not fit in 31 bits (the target's int)", (int)n);
    set_pend(c, P_CONST, VAL_INT(n));
}

static void e_arith(ectx *c, const bc_insn *in, int op)
{
    (void)in;
    if (op == NEGINT) { movi(c, 8, 2); I(c, xe_sub(ACCU, 8, ACCU)); return; }
    int esp32 = c->opt->cpu == XT_CPU_ESP32;
    if (op == DIVINT || op == MODINT) {
        take_top(c, 3);
        if (!esp32) flush_tos(c);      /* __divsi3 clobbers a4..a7 */
        I(c, xe_srai(3, 3, 1));
        xa_brz(c->a, XC_EQ, 3, thunk(c, D_ZERO_DIVIDE));
        I(c, xe_srai(ACCU, ACCU, 1));
        if (esp32) I(c, op == DIVINT ? xe_quos(ACCU, ACCU, 3) : xe_rems(ACCU, ACCU, 3));
        else xa_call0(c->a, op == DIVINT ? "__divsi3" : "__modsi3");   /* a2 = a2 op a3 */
        retag_into_accu(c, ACCU);
        return;
    }
    int b = top_reg(c, 8);
    switch (op) {
    case ADDINT: I(c, xe_add(ACCU, accu_reg(c), b)); addi(c, ACCU, ACCU, -1); break;
    case SUBINT: I(c, xe_sub(ACCU, accu_reg(c), b)); addi(c, ACCU, ACCU, 1); break;
    case MULINT:     /* (2a)(b) + 1 */
        I(c, xe_srai(8, b, 1));
        addi(c, 9, ACCU, -1);
        I(c, xe_mull(9, 9, 8));
        addi(c, ACCU, 9, 1);
        break;
    case ANDINT: I(c, xe_and(ACCU, accu_reg(c), b)); break;
    case ORINT: I(c, xe_or(ACCU, accu_reg(c), b)); break;
    case XORINT: I(c, xe_xor(ACCU, accu_reg(c), b)); addi(c, ACCU, ACCU, 1); break;
    case LSLINT:
        I(c, xe_srai(8, b, 1));
        I(c, xe_ssl(8));
        addi(c, ACCU, ACCU, -1);
        I(c, xe_sll(ACCU, ACCU));
        addi(c, ACCU, ACCU, 1);
        break;
    case LSRINT: case ASRINT:
        I(c, xe_srai(8, b, 1));
        I(c, xe_ssr(8));
        I(c, op == LSRINT ? xe_srl(ACCU, ACCU) : xe_sra(ACCU, ACCU));
        movi(c, 9, 1);
        I(c, xe_or(ACCU, ACCU, 9));
        break;
    default:
        fail_at(c, "internal: bad arithmetic op %d", op);
    }
}

/* Is the accu dead at instruction idx (overwritten before any read)? Conservative. */
static int accu_dead(const ectx *c, uint32_t idx)
{
    for (int steps = 0; steps < 8 && idx < c->p->ninsns; steps++) {
        const bc_insn *in = &c->p->insns[idx];
        switch (in->op) {
        case ACC0: case ACC1: case ACC2: case ACC3: case ACC4: case ACC5: case ACC6: case ACC7:
        case ACC: case ENVACC1: case ENVACC2: case ENVACC3: case ENVACC4: case ENVACC:
        case CONST0: case CONST1: case CONST2: case CONST3: case CONSTINT:
        case GETGLOBAL: case GETGLOBALFIELD: case ATOM0: case ATOM:
        case OFFSETCLOSUREM3: case OFFSETCLOSURE0: case OFFSETCLOSURE3: case OFFSETCLOSURE:
            return 1;
        case POP: case PUSH_RETADDR: case CHECK_SIGNALS:
            idx++;
            break;
        case BRANCH:
            idx = (uint32_t)c->p->insn_at[in->arg[0]];
            break;
        default:
            return 0;
        }
    }
    return 0;
}

/* accu OP b as a register-register branch condition: (cond, swap operands?) */
static void cmp_cond(int op, enum xcond *cond, int *swap)
{
    *swap = 0;
    switch (op) {
    case EQ: *cond = XC_EQ; break;
    case NEQ: *cond = XC_NE; break;
    case LTINT: *cond = XC_LT; break;
    case GEINT: *cond = XC_GE; break;
    case GTINT: *cond = XC_LT; *swap = 1; break;
    case LEINT: *cond = XC_GE; *swap = 1; break;
    case ULTINT: *cond = XC_LTU; break;
    default: *cond = XC_GEU; break;    /* UGEINT */
    }
}

static int negate_op(int op)
{
    switch (op) {
    case EQ: return NEQ; case NEQ: return EQ;
    case LTINT: return GEINT; case GEINT: return LTINT;
    case GTINT: return LEINT; case LEINT: return GTINT;
    case ULTINT: return UGEINT; default: return ULTINT;
    }
}

/* Tagged ints keep signed and unsigned order, so comparisons work on tagged values. */
static void e_compare(ectx *c, const bc_insn *in, int op)
{
    (void)in;
    int b = top_reg(c, 3), a = accu_reg(c);
    enum xcond cond;
    int swap;
    uint32_t nx = c->i + 1;
    if (nx < c->p->ninsns && c->lab[nx] < 0 && !c->boundary[nx]) {
        const bc_insn *br = &c->p->insns[nx];
        if (br->op == BRANCHIF || br->op == BRANCHIFNOT) {
            xlabel l = label_of(c, (uint32_t)br->arg[0]);
            cmp_cond(br->op == BRANCHIF ? op : negate_op(op), &cond, &swap);
            flush_tos(c);       /* the branch target expects the stack in memory */
            c->skip = 1;
            int dead_fall = accu_dead(c, nx + 1);
            int dead_taken = accu_dead(c, (uint32_t)c->p->insn_at[br->arg[0]]);
            int taken = br->op == BRANCHIF ? 3 : 1;
            if (dead_taken) {        /* the boolean only on the path that falls through */
                xa_br(c->a, cond, swap ? b : a, swap ? a : b, l);
                if (!dead_fall) movi(c, ACCU, 4 - taken);
                return;
            }
            if (dead_fall) {         /* only where the branch goes: set it out of line */
                xlabel stub = xa_label(c->a);
                xa_br(c->a, cond, swap ? b : a, swap ? a : b, stub);
                defer(c, D_SETJ, stub, l, taken);
                return;
            }
            /* the boolean is live on both paths */
            if (a == ACCU) { mov(c, 8, ACCU); a = 8; }
            movi(c, ACCU, taken);
            xa_br(c->a, cond, swap ? b : a, swap ? a : b, l);
            movi(c, ACCU, 4 - taken);
            return;
        }
    }
    if (op != EQ && op != NEQ) {     /* accu = 3 if (a OP b), else 1 */
        xlabel done = xa_label(c->a);
        cmp_cond(op, &cond, &swap);
        if (a == ACCU) { mov(c, 8, ACCU); a = 8; }
        movi(c, ACCU, 3);
        xa_br(c->a, cond, swap ? b : a, swap ? a : b, done);
        movi(c, ACCU, 1);
        xa_bind(c->a, done);
        return;
    }
    I(c, xe_sub(8, a, b));
    movi(c, ACCU, 1);
    movi(c, 9, 3);
    I(c, op == EQ ? xe_moveqz(ACCU, 9, 8) : xe_movnez(ACCU, 9, 8));
}

/* BEQ..BUGEINT n, L: branch if n OP Long_val(accu). */
static void e_branch_cmp(ectx *c, const bc_insn *in, int op)
{
    int32_t n = in->arg[0];
    xlabel l = label_of(c, (uint32_t)in->arg[1]);
    int a = accu_reg(c);
    if (n < -(1 << 30) || n >= (1 << 30)) {   /* compare untagged */
        enum xcond cond;
        int sa = 8, sb = 9;          /* a8 = n, a9 = Long_val(accu); branch if a8 OP a9 */
        I(c, xe_srai(9, a, 1));
        movi(c, 8, n);
        switch (op) {
        case BEQ: cond = XC_EQ; break;
        case BNEQ: cond = XC_NE; break;
        case BLTINT: cond = XC_LT; break;
        case BGEINT: cond = XC_GE; break;
        case BGTINT: cond = XC_LT; sa = 9; sb = 8; break;
        case BLEINT: cond = XC_GE; sa = 9; sb = 8; break;
        case BULTINT: cond = XC_LTU; break;
        default: cond = XC_GEU; break;
        }
        xa_br(c->a, cond, sa, sb, l);
        return;
    }
    int32_t v = VAL_INT(n), v1 = v + 2;
    /* (immediate form: accu cond imm) or (register form: cond a, b with a8 = v) */
    enum xcond ic, rc;
    int32_t imm;
    int r_first_is_accu;
    switch (op) {
    case BEQ: ic = XC_EQ; imm = v; rc = XC_EQ; r_first_is_accu = 1; break;
    case BNEQ: ic = XC_NE; imm = v; rc = XC_NE; r_first_is_accu = 1; break;
    case BLTINT: ic = XC_GE; imm = v1; rc = XC_LT; r_first_is_accu = 0; break;   /* v < a */
    case BLEINT: ic = XC_GE; imm = v; rc = XC_GE; r_first_is_accu = 1; break;    /* a >= v */
    case BGTINT: ic = XC_LT; imm = v; rc = XC_LT; r_first_is_accu = 1; break;    /* a < v */
    case BGEINT: ic = XC_LT; imm = v1; rc = XC_GE; r_first_is_accu = 0; break;   /* v >= a */
    case BULTINT: ic = XC_GEU; imm = v1; rc = XC_LTU; r_first_is_accu = 0; break;
    default: ic = XC_LTU; imm = v1; rc = XC_GEU; r_first_is_accu = 0; break;     /* BUGEINT */
    }
    int unsig = op == BULTINT || op == BUGEINT;      /* v + 2 must not wrap */
    int imm_ok = imm == v || (unsig ? v != -1 : n != (1 << 30) - 1);
    if (imm_ok && xa_bri_ok(ic, imm)) {
        xa_bri(c->a, ic, a, imm, l);
    } else {
        movi(c, 8, v);
        xa_br(c->a, rc, r_first_is_accu ? a : 8, r_first_is_accu ? 8 : a, l);
    }
}

static void e_offsetint(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    addi(c, ACCU, accu_reg(c), (int32_t)((uint32_t)in->arg[0] << 1));
}

static void e_offsetref(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    load(c, 8, ACCU, 0);
    addi(c, 8, 8, (int32_t)((uint32_t)in->arg[0] << 1));
    store(c, 8, ACCU, 0);
    set_unit(c);
}

static void e_isint(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    movi(c, 9, 1);
    I(c, xe_and(8, ACCU, 9));
    I(c, xe_addx2(ACCU, 8, 9));
}

/* ---------- objects ---------- */

static void e_getmethod(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    load(c, 8, SP, 0);
    load(c, 8, 8, 0);
    I(c, xe_srai(9, ACCU, 1));
    I(c, xe_addx4(9, 9, 8));
    load(c, ACCU, 9, 0);
}

/* Method lookup by tag in C (binary search, no allocation): a2 = obj, a3 = tag. */
static void e_getpubmet(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    int32_t tag = in->arg[0];
    if (tag < -(1 << 30) || tag >= (1 << 30)) fail_at(c, "method tag %d out of range", (int)tag);
    push_accu(c);
    movi(c, 3, VAL_INT(tag));
    xa_call0(c->a, "caml_oe_get_method");
}

static void e_getdynmet(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    mov(c, 3, ACCU);
    load(c, 2, SP, 0);
    xa_call0(c->a, "caml_oe_get_method");
}

/* ---------- machine control ---------- */

static void e_stop(ectx *c, const bc_insn *in, int k)
{
    (void)in; (void)k;
    xa_call0(c->a, "caml_program_stop");
    c->falls = 0;
}

static void e_debug(ectx *c, const bc_insn *in, int k)
{
    (void)k;
    diag_fatal(c->p->path, "pc %u: %s is a debugger instruction (it only appears in code "
               "patched by ocamldebug) and cannot be compiled", in->pc, bc_opcode_name(in->op));
}

/* ---------- dispatch table ---------- */

typedef struct { emit_fn fn; int k; } emitter;

static const emitter table[BC_NUM_OPCODES] = {
    [ACC0] = { e_acc, 0 }, [ACC1] = { e_acc, 1 }, [ACC2] = { e_acc, 2 }, [ACC3] = { e_acc, 3 },
    [ACC4] = { e_acc, 4 }, [ACC5] = { e_acc, 5 }, [ACC6] = { e_acc, 6 }, [ACC7] = { e_acc, 7 },
    [ACC] = { e_acc, ARGK },
    [PUSH] = { e_push, 0 }, [PUSHACC0] = { e_push, 0 },
    [PUSHACC1] = { e_acc, PUSHF | 1 }, [PUSHACC2] = { e_acc, PUSHF | 2 },
    [PUSHACC3] = { e_acc, PUSHF | 3 }, [PUSHACC4] = { e_acc, PUSHF | 4 },
    [PUSHACC5] = { e_acc, PUSHF | 5 }, [PUSHACC6] = { e_acc, PUSHF | 6 },
    [PUSHACC7] = { e_acc, PUSHF | 7 }, [PUSHACC] = { e_acc, PUSHF | ARGK },
    [POP] = { e_pop, 0 }, [ASSIGN] = { e_assign, 0 },
    [ENVACC1] = { e_envacc, 1 }, [ENVACC2] = { e_envacc, 2 }, [ENVACC3] = { e_envacc, 3 },
    [ENVACC4] = { e_envacc, 4 }, [ENVACC] = { e_envacc, ARGK },
    [PUSHENVACC1] = { e_envacc, PUSHF | 1 }, [PUSHENVACC2] = { e_envacc, PUSHF | 2 },
    [PUSHENVACC3] = { e_envacc, PUSHF | 3 }, [PUSHENVACC4] = { e_envacc, PUSHF | 4 },
    [PUSHENVACC] = { e_envacc, PUSHF | ARGK },
    [PUSH_RETADDR] = { e_push_retaddr, 0 },
    [APPLY] = { e_apply, 0 }, [APPLY1] = { e_applyk, 1 }, [APPLY2] = { e_applyk, 2 },
    [APPLY3] = { e_applyk, 3 },
    [APPTERM] = { e_appterm, 0 }, [APPTERM1] = { e_appterm, 1 }, [APPTERM2] = { e_appterm, 2 },
    [APPTERM3] = { e_appterm, 3 },
    [RETURN] = { e_return, 0 }, [RESTART] = { e_restart, 0 }, [GRAB] = { e_grab, 0 },
    [CLOSURE] = { e_closure, 0 }, [CLOSUREREC] = { e_closurerec, 0 },
    [OFFSETCLOSUREM3] = { e_offsetclosure, 0xfd }, [OFFSETCLOSURE0] = { e_offsetclosure, 0 },
    [OFFSETCLOSURE3] = { e_offsetclosure, 3 }, [OFFSETCLOSURE] = { e_offsetclosure, ARGK },
    [PUSHOFFSETCLOSUREM3] = { e_offsetclosure, PUSHF | 0xfd },
    [PUSHOFFSETCLOSURE0] = { e_offsetclosure, PUSHF | 0 },
    [PUSHOFFSETCLOSURE3] = { e_offsetclosure, PUSHF | 3 },
    [PUSHOFFSETCLOSURE] = { e_offsetclosure, PUSHF | ARGK },
    [GETGLOBAL] = { e_getglobal, 0 }, [PUSHGETGLOBAL] = { e_getglobal, PUSHF },
    [GETGLOBALFIELD] = { e_getglobal, 1 }, [PUSHGETGLOBALFIELD] = { e_getglobal, PUSHF | 1 },
    [SETGLOBAL] = { e_setglobal, 0 },
    [ATOM0] = { e_atom, 0 }, [ATOM] = { e_atom, ARGK }, [PUSHATOM0] = { e_atom, PUSHF | 0 },
    [PUSHATOM] = { e_atom, PUSHF | ARGK },
    [MAKEBLOCK] = { e_makeblock, 0 }, [MAKEBLOCK1] = { e_makeblock, 1 },
    [MAKEBLOCK2] = { e_makeblock, 2 }, [MAKEBLOCK3] = { e_makeblock, 3 },
    [MAKEFLOATBLOCK] = { e_makefloatblock, 0 },
    [GETFIELD0] = { e_getfield, 0 }, [GETFIELD1] = { e_getfield, 1 },
    [GETFIELD2] = { e_getfield, 2 }, [GETFIELD3] = { e_getfield, 3 },
    [GETFIELD] = { e_getfield, ARGK }, [GETFLOATFIELD] = { e_getfloatfield, 0 },
    [SETFIELD0] = { e_setfield, 0 }, [SETFIELD1] = { e_setfield, 1 },
    [SETFIELD2] = { e_setfield, 2 }, [SETFIELD3] = { e_setfield, 3 },
    [SETFIELD] = { e_setfield, ARGK }, [SETFLOATFIELD] = { e_setfloatfield, 0 },
    [VECTLENGTH] = { e_vectlength, 0 }, [GETVECTITEM] = { e_getvectitem, 0 },
    [SETVECTITEM] = { e_setvectitem, 0 }, [GETBYTESCHAR] = { e_getbyteschar, 0 },
    [GETSTRINGCHAR] = { e_getbyteschar, 0 }, [SETBYTESCHAR] = { e_setbyteschar, 0 },
    [BRANCH] = { e_branch, 0 }, [BRANCHIF] = { e_branchif, 1 },
    [BRANCHIFNOT] = { e_branchif, 0 }, [SWITCH] = { e_switch, 0 }, [BOOLNOT] = { e_boolnot, 0 },
    [PUSHTRAP] = { e_pushtrap, 0 }, [POPTRAP] = { e_poptrap, 0 }, [RAISE] = { e_raise, 0 },
    [RERAISE] = { e_raise, 0 }, [RAISE_NOTRACE] = { e_raise, 0 },
    [CHECK_SIGNALS] = { e_nop, 0 },
    [C_CALL1] = { e_ccall, 1 }, [C_CALL2] = { e_ccall, 2 }, [C_CALL3] = { e_ccall, 3 },
    [C_CALL4] = { e_ccall, 4 }, [C_CALL5] = { e_ccall, 5 }, [C_CALLN] = { e_ccalln, 0 },
    [CONST0] = { e_const, 0 }, [CONST1] = { e_const, 1 }, [CONST2] = { e_const, 2 },
    [CONST3] = { e_const, 3 }, [CONSTINT] = { e_const, ARGK },
    [PUSHCONST0] = { e_const, PUSHF | 0 }, [PUSHCONST1] = { e_const, PUSHF | 1 },
    [PUSHCONST2] = { e_const, PUSHF | 2 }, [PUSHCONST3] = { e_const, PUSHF | 3 },
    [PUSHCONSTINT] = { e_const, PUSHF | ARGK },
    [NEGINT] = { e_arith, NEGINT }, [ADDINT] = { e_arith, ADDINT }, [SUBINT] = { e_arith, SUBINT },
    [MULINT] = { e_arith, MULINT }, [DIVINT] = { e_arith, DIVINT }, [MODINT] = { e_arith, MODINT },
    [ANDINT] = { e_arith, ANDINT }, [ORINT] = { e_arith, ORINT }, [XORINT] = { e_arith, XORINT },
    [LSLINT] = { e_arith, LSLINT }, [LSRINT] = { e_arith, LSRINT }, [ASRINT] = { e_arith, ASRINT },
    [EQ] = { e_compare, EQ }, [NEQ] = { e_compare, NEQ }, [LTINT] = { e_compare, LTINT },
    [LEINT] = { e_compare, LEINT }, [GTINT] = { e_compare, GTINT }, [GEINT] = { e_compare, GEINT },
    [ULTINT] = { e_compare, ULTINT }, [UGEINT] = { e_compare, UGEINT },
    [OFFSETINT] = { e_offsetint, 0 }, [OFFSETREF] = { e_offsetref, 0 }, [ISINT] = { e_isint, 0 },
    [GETMETHOD] = { e_getmethod, 0 },
    [BEQ] = { e_branch_cmp, BEQ }, [BNEQ] = { e_branch_cmp, BNEQ },
    [BLTINT] = { e_branch_cmp, BLTINT }, [BLEINT] = { e_branch_cmp, BLEINT },
    [BGTINT] = { e_branch_cmp, BGTINT }, [BGEINT] = { e_branch_cmp, BGEINT },
    [BULTINT] = { e_branch_cmp, BULTINT }, [BUGEINT] = { e_branch_cmp, BUGEINT },
    [GETPUBMET] = { e_getpubmet, 0 }, [GETDYNMET] = { e_getdynmet, 0 },
    [STOP] = { e_stop, 0 }, [EVENT] = { e_debug, 0 }, [BREAK] = { e_debug, 0 },
};

/* ---------- driver ---------- */

static void want_label(ectx *c, uint32_t target_pc)
{
    int32_t k = c->p->insn_at[target_pc];
    if (k < 0) diag_fatal(c->p->path, "internal: pc %u is not an instruction", target_pc);
    if (c->lab[k] < 0) c->lab[k] = xa_label(c->a);
}

static void mark_entry(ectx *c, uint32_t target_pc)
{
    int32_t k = c->p->insn_at[target_pc];
    want_label(c, target_pc);
    /* the RESTART just before a GRAB entry belongs to the function */
    if (k > 0 && c->p->insns[k].op == GRAB && c->p->insns[k - 1].op == RESTART) k--;
    c->boundary[k] = 1;
}

static void find_labels(ectx *c)
{
    const bc_program *p = c->p;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const bc_insn *in = &p->insns[i];
        if (!c->dce->live[i]) continue;
        switch (in->op) {
        case PUSH_RETADDR: case BRANCH: case BRANCHIF: case BRANCHIFNOT: case PUSHTRAP:
            want_label(c, (uint32_t)in->arg[0]);
            break;
        case BEQ: case BNEQ: case BLTINT: case BLEINT: case BGTINT: case BGEINT:
        case BULTINT: case BUGEINT:
            want_label(c, (uint32_t)in->arg[1]);
            break;
        case CLOSURE:
            if (code_live(c, (uint32_t)in->arg[1])) mark_entry(c, (uint32_t)in->arg[1]);
            break;
        case CLOSUREREC:
            for (uint32_t j = 0; j < in->ntargets; j++)
                if (code_live(c, in->targets[j])) mark_entry(c, in->targets[j]);
            break;
        case SWITCH:
            for (uint32_t j = 0; j < in->ntargets; j++) want_label(c, in->targets[j]);
            break;
        case GRAB:
            if (i > 0 && p->insns[i - 1].op == RESTART && c->lab[i - 1] < 0)
                c->lab[i - 1] = xa_label(c->a);
            break;
        default:
            break;
        }
    }
    if (p->ninsns && c->lab[0] < 0) c->lab[0] = xa_label(c->a);
}

/* Labels the bodies of the known callees of applications (see direct_target). */
static void find_direct_calls(ectx *c)
{
    const bc_program *p = c->p;
    for (uint32_t i = 1; i < p->ninsns; i++) {
        const bc_insn *in = &p->insns[i];
        int op = in->op, nargs;
        if (!c->dce->live[i]) continue;
        if (op >= APPLY1 && op <= APPLY3) nargs = op - APPLY1 + 1;
        else if (op >= APPTERM1 && op <= APPTERM3) nargs = op - APPTERM1 + 1;
        else if (op == APPLY || op == APPTERM) nargs = in->arg[0];
        else continue;
        int32_t entry = callees_at(c->known, i);
        uint32_t body;
        if (entry >= 0 && callees_arity(p, entry, &body) == nargs && c->dce->live[body] && c->lab[body] < 0)
            c->lab[body] = xa_label(c->a);
    }
}

/* Instructions that pop sp[0] as their second operand (through take_top). */
static int is_consumer(int op)
{
    switch (op) {
    case ADDINT: case SUBINT: case MULINT: case DIVINT: case MODINT: case ANDINT: case ORINT:
    case XORINT: case LSLINT: case LSRINT: case ASRINT: case EQ: case NEQ: case LTINT:
    case LEINT: case GTINT: case GEINT: case ULTINT: case UGEINT: case GETVECTITEM:
    case GETBYTESCHAR: case GETSTRINGCHAR: case SETFIELD0: case SETFIELD1: case SETFIELD2:
    case SETFIELD3: case SETFIELD: case APPLY1: case APPLY2: case APPLY3:
        return 1;
    default:
        return 0;
    }
}

/* Instructions that only set the accu (reading the stack through e_acc). */
static int is_loader(int op)
{
    switch (op) {
    case ACC0: case ACC1: case ACC2: case ACC3: case ACC4: case ACC5: case ACC6: case ACC7:
    case ACC: case ENVACC1: case ENVACC2: case ENVACC3: case ENVACC4: case ENVACC:
    case CONST0: case CONST1: case CONST2: case CONST3: case CONSTINT: case GETGLOBAL:
    case GETGLOBALFIELD: case ATOM0: case ATOM: case OFFSETCLOSUREM3: case OFFSETCLOSURE0:
    case OFFSETCLOSURE3: case OFFSETCLOSURE: case GETFIELD0: case GETFIELD1: case GETFIELD2:
    case GETFIELD3: case GETFIELD: case OFFSETINT:
        return 1;
    default:
        return 0;
    }
}

static int is_push(int op)
{
    switch (op) {
    case PUSH: case PUSHACC0: case PUSHACC1: case PUSHACC2: case PUSHACC3: case PUSHACC4:
    case PUSHACC5: case PUSHACC6: case PUSHACC7: case PUSHACC: case PUSHENVACC1:
    case PUSHENVACC2: case PUSHENVACC3: case PUSHENVACC4: case PUSHENVACC: case PUSHCONST0:
    case PUSHCONST1: case PUSHCONST2: case PUSHCONST3: case PUSHCONSTINT: case PUSHGETGLOBAL:
    case PUSHGETGLOBALFIELD: case PUSHATOM0: case PUSHATOM: case PUSHOFFSETCLOSUREM3:
    case PUSHOFFSETCLOSURE0: case PUSHOFFSETCLOSURE3: case PUSHOFFSETCLOSURE:
        return 1;
    default:
        return 0;
    }
}

/* Effect of instruction j on the virtual stack: 0 if it is not aware of it (the driver
   flushes it first); else 1 with *pushes / *pops (pushes happen first) and *flush = 1 when
   it flushes what remains after its pops. */
static int vs_effect(const ectx *c, uint32_t j, int *pushes, int *pops, int *flush)
{
    const bc_insn *in = &c->p->insns[j];
    int op = in->op;
    *pushes = is_push(op);
    *pops = 0;
    *flush = 0;
    if (is_push(op) || is_loader(op) || op == ASSIGN) return 1;
    switch (op) {
    case POP: *pops = in->arg[0]; return 1;
    case DIVINT: case MODINT:
        *pops = 1; *flush = c->opt->cpu != XT_CPU_ESP32; return 1;
    case SETFIELD0: case SETFIELD1: case SETFIELD2: case SETFIELD3: case SETFIELD:
        *pops = 1; *flush = 1; return 1;
    case SETVECTITEM: *pops = 2; *flush = 1; return 1;
    case SETBYTESCHAR: *pops = 2; return 1;
    case APPLY1: case APPLY2: case APPLY3:
        *pops = op - APPLY1 + 1; *flush = 1; return 1;
    case APPTERM1: case APPTERM2: case APPTERM3: *pops = in->arg[0]; *flush = 1; return 1;
    case APPTERM: *pops = in->arg[1]; *flush = 1; return 1;
    case C_CALL2: case C_CALL3: {
        const char *name = c->p->prims[in->arg[0]];
        if (op == C_CALL2 && !strcmp(name, "caml_array_get_addr")) { *pops = 1; return 1; }
        if (op == C_CALL3 && !strcmp(name, "caml_array_set_addr")) {
            *pops = 2; *flush = 1; return 1;
        }
        return 0;
    }
    default:
        if (is_consumer(op)) { *pops = 1; return 1; }
        return 0;
    }
}

static int is_aware(const ectx *c, uint32_t j)
{
    int pushes, pops, flush;
    return vs_effect(c, j, &pushes, &pops, &flush);
}

/* May the push of instruction i stay in a register: is it popped by a following
   instruction before any flush of the virtual stack? */
static int push_can_be_lazy(const ectx *c, uint32_t i)
{
    const bc_program *p = c->p;
    if (!is_push(p->insns[i].op)) return 0;
    int32_t depth = 1;
    for (uint32_t j = i + 1; j < p->ninsns && j < i + 24; j++) {
        int pushes, pops, flush;
        if (c->lab[j] >= 0 || c->boundary[j] || !vs_effect(c, j, &pushes, &pops, &flush))
            return 0;
        depth += pushes - pops;
        if (depth <= 0) return 1;
        if (flush) return 0;
    }
    return 0;
}

/* Instructions that take a deferred accu: pushes (push_accu) and those that only set it. */
static int pend_aware(int op)
{
    switch (op) {
    case ACC0: case ACC1: case ACC2: case ACC3: case ACC4: case ACC5: case ACC6: case ACC7:
    case ACC: case ENVACC1: case ENVACC2: case ENVACC3: case ENVACC4: case ENVACC:
    case CONST0: case CONST1: case CONST2: case CONST3: case CONSTINT: case GETGLOBAL:
    case GETGLOBALFIELD: case ATOM0: case ATOM: case OFFSETCLOSUREM3: case OFFSETCLOSURE0:
    case OFFSETCLOSURE3: case OFFSETCLOSURE:
        return 1;
    default:
        return is_push(op);
    }
}

/* Instructions that read the accu through accu_reg first (a P_REG deferred accu stays in
   its register; registers keep their values when the stack cache is flushed). */
static int reg_consumer(const ectx *c, const bc_insn *in)
{
    int32_t t;
    switch (in->op) {
    case BRANCHIF: case BRANCHIFNOT: case BEQ: case BNEQ: case BLTINT: case BLEINT:
    case BGTINT: case BGEINT: case BULTINT: case BUGEINT:
        /* the accu flows on along both paths: only if neither reads it */
        t = c->p->insn_at[in->op <= BRANCHIFNOT ? in->arg[0] : in->arg[1]];
        return accu_dead(c, (uint32_t)(in - c->p->insns) + 1) && accu_dead(c, (uint32_t)t);
    case OFFSETINT: case GETFIELD0: case GETFIELD1: case GETFIELD2: case GETFIELD3:
    case GETFIELD: case ADDINT: case SUBINT: case ANDINT: case ORINT: case XORINT: case EQ:
    case NEQ: case LTINT: case LEINT: case GTINT: case GEINT: case ULTINT: case UGEINT:
    case GETVECTITEM: case GETBYTESCHAR: case GETSTRINGCHAR: case SETBYTESCHAR:
        return 1;
    case C_CALL2:
        return !strcmp(c->p->prims[in->arg[0]], "caml_array_get_addr");
    default:
        return 0;
    }
}

/* Instruction i; inlined: a copy inside an inlined body (emit_inline). */
static void translate_one(ectx *c, uint32_t i, int inlined)
{
    const bc_program *p = c->p;
    c->i = i;
    const bc_insn *in = &p->insns[i];
    int boundary = c->boundary[i] && !inlined;
    if (c->pend.kind != P_NONE) {
        if (c->lab[i] >= 0 || boundary) materialize(c);
        else if (pend_aware(in->op)) { if (!is_push(in->op)) c->pend.kind = P_NONE; }   /* dead */
        else if (c->pend.kind != P_REG || !reg_consumer(c, in)) materialize(c);
    }
    if (c->vn && (c->lab[i] >= 0 || boundary || !is_aware(c, i)))
        flush_tos(c);
    c->lazy_push = push_can_be_lazy(c, i);
    if (boundary) {
        if (!c->falls) flush_deferred(c);
        xa_pool_boundary(c->a);
        c->since_pool = 0;
    }
    if (c->lab[i] >= 0) xa_bind(c->a, c->lab[i]);
    const emitter *e = &table[in->op];
    if (!e->fn) diag_fatal(p->path, "pc %u: internal: no translation for %s", in->pc,
                           bc_opcode_name(in->op));
    if (c->raw_accu && !raw_consumer(c, i))
        diag_fatal(p->path, "pc %u: internal: raw double accu not consumed", in->pc);
    c->falls = 1;
    e->fn(c, in, e->k);
    if (!inlined && c->falls && !c->skip && i + 1 < p->ninsns && !c->dce->live[i + 1]) {
        /* only the GRAB of a function that is partially applied but never run falls
           into removed code (dce.c) */
        flush_tos(c);
        xa_call0(c->a, "caml_dead_code");
        c->falls = 0;
    }
    c->since_pool++;
    if (!c->falls) {
        flush_deferred(c);
        if (c->since_pool > 2048) { xa_pool_boundary(c->a); c->since_pool = 0; }
    }
}

static void translate(ectx *c)
{
    const bc_program *p = c->p;
    c->falls = 0;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        if (c->skip) { c->skip--; continue; }
        if (!c->dce->live[i]) continue;    /* removed: live code never falls into it */
        translate_one(c, i, 0);
    }
    flush_tos(c);
    if (c->falls) I(c, xe_ill());    /* CODE ends without STOP: never reached */
    flush_deferred(c);
}

static void write_object(ectx *c, const char *out_o)
{
    elf_obj *o = elf_new();
    int text = elf_section(o, ".text", ELF_TEXT, 4);
    int ro = elf_section(o, ".rodata", ELF_RODATA, 8);
    int da = elf_section(o, ".data", ELF_DATA, 4);
    xt_data_emit(o, ro, da, c->p->data, c->dce->global_read, c->p->path);

    xa_finish(c->a);
    size_t len;
    const uint8_t *code = xa_code(c->a, &len);
    elf_append(o, text, code, (uint32_t)len);
    int textsym = elf_section_symbol(o, text);
    xt_dbg_emit(c->dbg, c->a, o, ro);
    if (c->opt->runparam) {
        uint32_t at = elf_size(o, ro);
        uint32_t n = (uint32_t)strlen(c->opt->runparam) + 1;
        elf_append(o, ro, c->opt->runparam, n);
        elf_symbol(o, "caml_runparam", ro, at, n, ELF_GLOBAL, ELF_OBJECT);
    }

    for (uint32_t s = 0; s < c->nsw; s++) {     /* jump tables: words relocated to .text */
        swtab *t = &c->sw[s];
        elf_align(o, ro, 4);
        uint32_t at = elf_size(o, ro);
        elf_symbol(o, t->name, ro, at, 4 * t->n, ELF_LOCAL, ELF_OBJECT);
        static const uint8_t zero[4];
        for (uint32_t j = 0; j < t->n; j++) {
            elf_reloc(o, ro, at + 4 * j, textsym, XR_32,
                      (int32_t)xa_label_offset(c->a, t->labs[j]));
            elf_append(o, ro, zero, 4);
        }
    }

    uint32_t entry = c->p->ninsns ? xa_label_offset(c->a, c->lab[0]) : 0;
    elf_symbol(o, "caml_program", text, entry, 0, ELF_GLOBAL, ELF_FUNC);
    elf_symbol(o, "caml_code_begin", text, 0, 0, ELF_GLOBAL, ELF_NOTYPE);
    elf_symbol(o, "caml_code_end", text, (uint32_t)len, 0, ELF_GLOBAL, ELF_NOTYPE);

    size_t nrel;
    const xa_reloc *rel = xa_relocs(c->a, &nrel);
    for (size_t r = 0; r < nrel; r++) {
        int sym = rel[r].sym ? elf_symbol_ref(o, rel[r].sym) : textsym;
        elf_reloc(o, text, rel[r].offset, sym, rel[r].type, rel[r].addend);
    }
    elf_write(o, out_o);
    elf_free(o);
}

void xt_compile(const bc_program *prog, const xt_options *opt, const char *out_o)
{
    dce_info *dce = opt->flags & XT_F_NO_DCE ? dce_all_live(prog) : dce_analyse(prog);
    if (getenv("OCAML_ESP32_DCE_STATS"))
        fprintf(stderr, "dce: %u/%u functions, %u/%u instructions live%s%s\n", dce->nlive_funcs,
                dce->nfuncs, dce->nlive_insns, dce->ninsns, dce->fallback ? "; gave up: " : "",
                dce->fallback ? dce->fallback : "");
    ectx c = { .p = prog, .opt = opt, .dce = dce, .a = xa_new() };
    xa_set_extern_bias(c.a, opt->flags & XT_F_LONG_CALLS ? UINT32_MAX / 2 : XT_EXTERN_TEXT_BOUND);
    for (int k = 0; k < D_NTHUNKS; k++) c.thunk[k] = -1;
    c.lab = xmalloc((prog->ninsns ? prog->ninsns : 1) * sizeof *c.lab);
    for (uint32_t i = 0; i < prog->ninsns; i++) c.lab[i] = -1;
    c.boundary = xcalloc(prog->ninsns ? prog->ninsns : 1, 1);
    find_labels(&c);
    c.known = callees_analyse(prog, dce);
    c.inl = xcalloc(prog->ninsns ? prog->ninsns : 1, 1);
    c.inl_last = xcalloc(prog->ninsns ? prog->ninsns : 1, sizeof *c.inl_last);
    c.dbg = xt_dbg_new(prog);
    find_direct_calls(&c);
    translate(&c);
    if (getenv("OCAML_ESP32_DCE_STATS")) fprintf(stderr, "emit: %u calls inlined\n", c.ninlined);
    callees_free(c.known);
    free(c.inl);
    free(c.inl_last);
    write_object(&c, out_o);
    xt_dbg_free(c.dbg);
    for (uint32_t s = 0; s < c.nsw; s++) free(c.sw[s].labs);
    free(c.sw);
    free(c.def);
    free(c.lab);
    free(c.boundary);
    xa_free(c.a);
    dce_free(dce);
}
