/* asm.c — the assembler buffer: a list of items laid out by xa_finish.

   Items are plain instructions, symbolic branches/jumps/calls/literal loads, alignment
   requests and literal pools. A label is bound to an item index; its offset is the start of
   the first non-pool item at or after that index (a label bound just before a pool denotes
   the code after the pool, so pools never separate a label from its code).

   Layout: every branch/jump item has a state that only grows (short form, then longer forms);
   each pass lays out all items from the current states, then grows the items whose target is
   out of reach. States are bounded, so this reaches a fixed point; alignment padding is then
   recomputed from final positions in that same last pass.

   Literal pools: every l32r uses the last pool before it (l32r only reaches backwards). A pool
   item sits at the start of the text (never executed into, so no jump) and at each
   xa_pool_boundary; the boundary jumps over its pool unless the previous item never falls
   through (j, ret, ret.n, jx). New pools are forced automatically when the code since the
   last pool (counted with worst-case sizes, plus 4 bytes per possible literal) exceeds
   POOL_REACH, keeping every literal within l32r's 256 KB.

   Calls: call0 reaches +-512 KB. A call0 to a label out of reach becomes
   `l32r a0, =label; callx0 a0`; so does a call0 to an external symbol when its worst-case
   distance (the item's offset plus the extern bias, xa_set_extern_bias) may exceed the reach.
   xa_call0_ret's label denotes the end of the call item, whatever form it takes. */
#include "xtensa/asm.h"
#include "xtensa/encode.h"
#include "diag.h"
#include <stdlib.h>
#include <string.h>

#define POOL_REACH (200 * 1024)
#define CALL0_REACH (512 * 1024 - 64)   /* backward call0 distance we rely on (margin) */
#define LAB_END (1 << 30)               /* lab[l] flag: l denotes the end of item lab[l] */

enum { I_INSN, I_BR, I_J, I_CALL0_SYM, I_CALL0_LAB, I_L32R, I_ALIGN, I_POOL };
enum { BK_RR, BK_RI, BK_RZ, BK_BIT };    /* branch kinds */
enum { L_CONST, L_SYM, L_LABEL };         /* literal kinds */

typedef struct {
    uint8_t kind, state, bkind, cond; /* state: BR 0 short, 1 inv+j, 2 inv+l32r+jx; J 0 j, 1 l32r+jx;
                                         CALL0_*: 0 call0, 1 l32r a0 + callx0 a0 */
    int8_t s, t;                      /* registers (t: 2nd register / l32r target / bbi bit) */
    int32_t imm;                      /* insn bits, bri immediate, align n, pool: needs jump */
    int target;                       /* label; L32R: literal slot; CALL0_SYM: symbol */
    int pool;                         /* the pool item (index) this item's literal goes to */
    int lit;                          /* BR/J/CALL0 relaxed to l32r: literal slot, else -1 */
} item;

typedef struct { int kind; uint32_t v; const char *sym; int32_t add; } lit;

typedef struct {
    lit *lits; int n, cap;
} pool;

struct xasm {
    item *it; int nit, capit;
    int *lab; int nlab, caplab;        /* label -> item index, -1 unbound */
    pool *pools; int npools, cappools; /* a pool item's target indexes this */
    struct htent { int pool, slot; } *ht; size_t htcap, htn;  /* literal dedup: (pool, lit) -> slot */
    char **syms; int nsyms, capsyms;   /* interned symbol names */
    int *symht; size_t symcap;         /* hash: name -> index in syms, -1 empty */
    int cur_pool;                      /* item index of the current pool */
    long since_pool;                   /* worst-case bytes since cur_pool */
    int finished;
    uint32_t extern_bias;              /* external call targets: at most this far before the text */
    uint32_t *start;                   /* item start offsets (nit + 1) */
    uint8_t *code; size_t len;
    xa_reloc *rel; size_t nrel, caprel;
};

#define GROW(p, n, cap) do { if ((n) == (cap)) { (cap) = (cap) ? 2 * (cap) : 64; \
    (p) = xrealloc((p), (size_t)(cap) * sizeof *(p)); } } while (0)

static void not_finished(xasm *a)
{
    if (a->finished) diag_fatal("xtensa assembler", "code appended after xa_finish");
}

static int push(xasm *a, item x)
{
    not_finished(a);
    GROW(a->it, a->nit, a->capit);
    x.pool = a->cur_pool;
    x.lit = -1;
    a->it[a->nit] = x;
    return a->nit++;
}

static void new_pool(xasm *a, int needs_jump)
{
    GROW(a->pools, a->npools, a->cappools);
    a->pools[a->npools] = (pool){0};
    item x = {.kind = I_POOL, .imm = needs_jump, .target = a->npools++};
    a->cur_pool = push(a, x);
    a->since_pool = 0;
}

xasm *xa_new(void)
{
    xasm *a = xcalloc(1, sizeof *a);
    new_pool(a, 0);          /* the pool at the start of the text: nothing falls into it */
    return a;
}

void xa_free(xasm *a)
{
    if (!a) return;
    for (int i = 0; i < a->npools; i++) free(a->pools[i].lits);
    for (int i = 0; i < a->nsyms; i++) free(a->syms[i]);
    free(a->it); free(a->lab); free(a->pools); free(a->ht); free(a->syms); free(a->symht);
    free(a->start); free(a->code); free(a->rel); free(a);
}

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s) h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

/* Index of the interned copy of s (so literals compare symbol names by pointer). */
static int intern(xasm *a, const char *s)
{
    if (2 * (a->nsyms + 1) > (int)a->symcap) {
        free(a->symht);
        a->symcap = a->symcap ? 2 * a->symcap : 256;
        a->symht = xmalloc(a->symcap * sizeof *a->symht);
        for (size_t i = 0; i < a->symcap; i++) a->symht[i] = -1;
        for (int k = 0; k < a->nsyms; k++) {
            size_t j = str_hash(a->syms[k]) & (a->symcap - 1);
            while (a->symht[j] >= 0) j = (j + 1) & (a->symcap - 1);
            a->symht[j] = k;
        }
    }
    size_t j = str_hash(s) & (a->symcap - 1);
    for (; a->symht[j] >= 0; j = (j + 1) & (a->symcap - 1))
        if (!strcmp(a->syms[a->symht[j]], s)) return a->symht[j];
    GROW(a->syms, a->nsyms, a->capsyms);
    a->syms[a->nsyms] = xstrdup(s);
    return a->symht[j] = a->nsyms++;
}

/* ---- literals ---- */
static uint32_t lit_hash(int p, const lit *l)
{
    uint32_t h = (uint32_t)p * 2654435761u ^ (uint32_t)l->kind * 40503u;
    h = (h ^ l->v) * 2246822519u;
    h = (h ^ (uint32_t)l->add) * 3266489917u;
    if (l->sym) for (const char *s = l->sym; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
    return h ^ h >> 15;
}

/* Slot of literal l in the pool of item index pool_item, added if new. */
static int lit_slot(xasm *a, int pool_item, lit l)
{
    int p = a->it[pool_item].target;
    if (2 * (a->htn + 1) > a->htcap) {           /* grow and rehash */
        size_t oc = a->htcap;
        struct htent *old = a->ht;
        a->htcap = oc ? 2 * oc : 1024;
        a->ht = xmalloc(a->htcap * sizeof *a->ht);
        for (size_t i = 0; i < a->htcap; i++) a->ht[i].pool = -1;
        for (size_t i = 0; i < oc; i++) {
            if (old[i].pool < 0) continue;
            size_t j = lit_hash(old[i].pool, &a->pools[old[i].pool].lits[old[i].slot]) &
                       (a->htcap - 1);
            while (a->ht[j].pool >= 0) j = (j + 1) & (a->htcap - 1);
            a->ht[j] = old[i];
        }
        free(old);
    }
    pool *pl = &a->pools[p];
    size_t j = lit_hash(p, &l) & (a->htcap - 1);
    for (; a->ht[j].pool >= 0; j = (j + 1) & (a->htcap - 1)) {
        if (a->ht[j].pool != p) continue;
        lit *o = &pl->lits[a->ht[j].slot];
        if (o->kind == l.kind && o->v == l.v && o->add == l.add && o->sym == l.sym)
            return a->ht[j].slot;
    }
    GROW(pl->lits, pl->n, pl->cap);
    pl->lits[pl->n] = l;
    a->ht[j].pool = p;
    a->ht[j].slot = pl->n;
    a->htn++;
    return pl->n++;
}

/* Before an item that may use the current pool: start a new pool if the old one could
   end up out of l32r's reach. */
static void reach_check(xasm *a, long worst)
{
    if (a->since_pool + worst > POOL_REACH) xa_pool_boundary(a);
    a->since_pool += worst;
}

static void add_l32r(xasm *a, int r, lit l)
{
    if (r < 0 || r > 15) diag_fatal("xtensa assembler", "l32r: register %d", r);
    reach_check(a, 3 + 4);
    item x = {.kind = I_L32R, .t = (int8_t)r};
    int i = push(a, x);
    a->it[i].target = lit_slot(a, a->cur_pool, l);
}

/* ---- labels ---- */
xlabel xa_label(xasm *a)
{
    GROW(a->lab, a->nlab, a->caplab);
    a->lab[a->nlab] = -1;
    return a->nlab++;
}

static void check_label(xasm *a, xlabel l)
{
    if (l < 0 || l >= a->nlab) diag_fatal("xtensa assembler", "no such label %d", l);
}

void xa_set_extern_bias(xasm *a, uint32_t bias)
{
    a->extern_bias = bias;
}

void xa_bind(xasm *a, xlabel l)
{
    check_label(a, l);
    not_finished(a);
    if (a->lab[l] >= 0) diag_fatal("xtensa assembler", "label %d bound twice", l);
    a->lab[l] = a->nit;
}

/* ---- appending ---- */
static int never_falls_through(const item *x)
{
    if (x->kind == I_J) return 1;
    if (x->kind != I_INSN) return 0;
    uint32_t b = (uint32_t)x->imm;
    return b == xe_ret() || b == xe_ret_n() || (b & 0xfff0ffu) == xe_jx(0);
}

void xa_pool_boundary(xasm *a)
{
    not_finished(a);
    item *prev = &a->it[a->nit - 1];
    if (prev->kind == I_POOL && a->since_pool == 0) return;    /* already at a fresh pool */
    new_pool(a, !never_falls_through(prev));
}

void xa_insn(xasm *a, uint32_t bits)
{
    if (bits >> (8 * xe_length(bits)))
        diag_fatal("xtensa assembler", "xa_insn: bad instruction bits %#x", bits);
    a->since_pool += xe_length(bits);
    push(a, (item){.kind = I_INSN, .imm = (int32_t)bits});
}

static void add_branch(xasm *a, int bkind, int c, int s, int t, int32_t imm, xlabel l)
{
    check_label(a, l);
    if (s < 0 || s > 15 || t < 0 || t > (bkind == BK_BIT ? 31 : 15))
        diag_fatal("xtensa assembler", "branch: bad register a%d/a%d", s, t);
    reach_check(a, 9 + 4);
    push(a, (item){.kind = I_BR, .bkind = (uint8_t)bkind, .cond = (uint8_t)c, .s = (int8_t)s,
                   .t = (int8_t)t, .imm = imm, .target = l});
}

void xa_br(xasm *a, enum xcond c, int s, int t, xlabel l)
{
    if ((unsigned)c > XC_BS) diag_fatal("xtensa assembler", "xa_br: bad condition %d", c);
    add_branch(a, BK_RR, c, s, t, 0, l);
}

int xa_bri_ok(enum xcond c, int32_t imm)
{
    if (c <= XC_GE) return xe_b4const_index(imm) >= 0;
    if (c <= XC_GEU) return xe_b4constu_index(imm) >= 0;
    return 0;
}

void xa_bri(xasm *a, enum xcond c, int s, int32_t imm, xlabel l)
{
    if (!xa_bri_ok(c, imm))
        diag_fatal("xtensa assembler", "xa_bri: condition %d with immediate %ld not encodable",
                   c, (long)imm);
    add_branch(a, BK_RI, c, s, 0, imm, l);
}

void xa_brz(xasm *a, enum xcond c, int s, xlabel l)
{
    if ((unsigned)c > XC_GE) diag_fatal("xtensa assembler", "xa_brz: bad condition %d", c);
    add_branch(a, BK_RZ, c, s, 0, 0, l);
}

void xa_bbi(xasm *a, int if_set, int s, int bit, xlabel l)
{
    if (bit < 0 || bit > 31) diag_fatal("xtensa assembler", "xa_bbi: bit %d", bit);
    add_branch(a, BK_BIT, if_set != 0, s, bit, 0, l);
}

void xa_j(xasm *a, xlabel l)
{
    check_label(a, l);
    reach_check(a, 6 + 4);
    push(a, (item){.kind = I_J, .target = l});
}

void xa_call0(xasm *a, const char *sym)
{
    int k = intern(a, sym);
    reach_check(a, 6 + 4);             /* may become l32r + callx0 with a literal */
    push(a, (item){.kind = I_CALL0_SYM, .target = k});
}

xlabel xa_call0_ret(xasm *a, const char *sym)
{
    xa_call0(a, sym);
    xlabel l = xa_label(a);
    a->lab[l] = (a->nit - 1) | LAB_END;
    return l;
}

void xa_call0_label(xasm *a, xlabel l)
{
    check_label(a, l);
    reach_check(a, 6 + 4);
    push(a, (item){.kind = I_CALL0_LAB, .target = l});
}

void xa_l32r_const(xasm *a, int r, uint32_t v)
{
    add_l32r(a, r, (lit){.kind = L_CONST, .v = v});
}

void xa_l32r_sym(xasm *a, int r, const char *sym, int32_t addend)
{
    int k = intern(a, sym);   /* may grow a->syms: index it only afterwards */
    add_l32r(a, r, (lit){.kind = L_SYM, .sym = a->syms[k], .add = addend});
}

void xa_l32r_label(xasm *a, int r, xlabel l)
{
    check_label(a, l);
    add_l32r(a, r, (lit){.kind = L_LABEL, .v = (uint32_t)l});
}

void xa_movi(xasm *a, int r, int32_t v)
{
    if (v >= -32 && v <= 95) xa_insn(a, xe_movi_n(r, v));
    else if (v >= -2048 && v <= 2047) xa_insn(a, xe_movi(r, v));
    else xa_l32r_const(a, r, (uint32_t)v);
}

void xa_addi(xasm *a, int rd, int rs, int32_t v)
{
    if (v == 0) {
        if (rd != rs) xa_insn(a, xe_mov_n(rd, rs));
    } else if (v == -1 || (v >= 1 && v <= 15)) {
        xa_insn(a, xe_addi_n(rd, rs, v));
    } else if (v >= -128 && v <= 127) {
        xa_insn(a, xe_addi(rd, rs, v));
    } else if (v % 256 == 0 && v >= -32768 && v <= 32512) {
        xa_insn(a, xe_addmi(rd, rs, v));
    } else {
        int32_t hi = (int32_t)(((int64_t)v + 128) & ~(int64_t)255), lo = v - hi;
        if (hi >= -32768 && hi <= 32512) {
            xa_insn(a, xe_addmi(rd, rs, hi));
            xa_insn(a, lo >= -1 && lo <= 15 && lo ? xe_addi_n(rd, rd, lo) : xe_addi(rd, rd, lo));
        } else {
            if (rs == 0) diag_fatal("xtensa assembler", "xa_addi: a0 source with large constant");
            xa_movi(a, 0, v);
            xa_insn(a, xe_add_n(rd, rs, 0));
        }
    }
}

void xa_align(xasm *a, int n)
{
    if (n < 1 || (n & (n - 1))) diag_fatal("xtensa assembler", "xa_align: %d is not a power of 2", n);
    if (n == 1) return;
    a->since_pool += n + 1;
    push(a, (item){.kind = I_ALIGN, .imm = n});
}

/* ---- layout ---- */
static uint32_t align_pad(uint32_t pos, uint32_t n)
{
    uint32_t p = (0u - pos) & (n - 1);
    return p == 1 ? p + n : p;   /* fillers are 2 and 3 bytes: 1 byte of padding is impossible */
}

static uint32_t pool_data(const xasm *a, int i)   /* offset of the pool's first literal */
{
    uint32_t pos = a->start[i] + (a->it[i].imm ? 3 : 0);
    return (pos + 3) & ~3u;
}

static uint32_t item_size(const xasm *a, int i, uint32_t pos)
{
    const item *x = &a->it[i];
    switch (x->kind) {
    case I_INSN: return (uint32_t)xe_length((uint32_t)x->imm);
    case I_BR: return 3 + 3 * x->state;
    case I_J: return 3 + 3 * x->state;
    case I_CALL0_SYM: case I_CALL0_LAB: return 3 + 3 * x->state;
    case I_ALIGN: return align_pad(pos, (uint32_t)x->imm);
    case I_POOL: {
        int n = a->pools[x->target].n;
        if (!n) return 0;
        uint32_t p = pos + (x->imm ? 3 : 0);
        return ((p + 3) & ~3u) - pos + 4u * (uint32_t)n;
    }
    default: return 3;
    }
}

static uint32_t label_pos(const xasm *a, xlabel l)
{
    int k = a->lab[l];
    if (k < 0) diag_fatal("xtensa assembler", "label %d used but never bound", l);
    if (k & LAB_END) return a->start[(k & ~LAB_END) + 1];
    while (k < a->nit && a->it[k].kind == I_POOL) k++;
    return a->start[k];
}

static int fits(long off, long lo, long hi) { return off >= lo && off <= hi; }

/* Lays out every item; returns whether some item had to grow. */
static int layout_pass(xasm *a)
{
    uint32_t pos = 0;
    for (int i = 0; i < a->nit; i++) {
        a->start[i] = pos;
        pos += item_size(a, i, pos);
        if (pos > 0x7fffffffu) diag_fatal("xtensa assembler", "code too large");
    }
    a->start[a->nit] = pos;
    int grew = 0;
    for (int i = 0; i < a->nit; i++) {
        item *x = &a->it[i];
        if ((x->kind == I_CALL0_SYM || x->kind == I_CALL0_LAB) && x->state == 0) {
            long pc = a->start[i];
            if (x->kind == I_CALL0_SYM) {
                if (pc + (long)a->extern_bias <= CALL0_REACH) continue;
                x->lit = lit_slot(a, x->pool, (lit){.kind = L_SYM, .sym = a->syms[x->target]});
            } else {
                long tgt = label_pos(a, x->target), off = tgt - (long)((pc & ~3L) + 4);
                if (fits(off, -524288, 524284)) continue;   /* (alignment: checked at emission) */
                x->lit = lit_slot(a, x->pool, (lit){.kind = L_LABEL, .v = (uint32_t)x->target});
            }
            x->state = 1;
            grew = 1;
            continue;
        }
        if (x->kind != I_BR && x->kind != I_J) continue;
        long tgt = label_pos(a, x->target), pc = a->start[i];
        if (x->kind == I_BR && x->state == 0) {
            long lim = x->bkind == BK_RZ ? 2048 : 128;
            if (fits(tgt - (pc + 4), -lim, lim - 1)) continue;
            x->state = 1;
            grew = 1;
        }
        if (x->kind == I_BR) pc += 3;                     /* the j after the inverted branch */
        if ((x->kind == I_J && x->state == 0) || (x->kind == I_BR && x->state == 1)) {
            if (fits(tgt - (pc + 4), -131072, 131071)) continue;
            x->state++;
            x->lit = lit_slot(a, x->pool, (lit){.kind = L_LABEL, .v = (uint32_t)x->target});
            grew = 1;
        }
    }
    return grew;
}

/* ---- emission ---- */
static void put(xasm *a, uint32_t pos, uint32_t bits, int len)
{
    for (int k = 0; k < len; k++) a->code[pos + k] = (uint8_t)(bits >> (8 * k));
}

static void add_rel(xasm *a, uint32_t off, int type, const char *sym, int32_t addend)
{
    GROW(a->rel, a->nrel, a->caprel);
    a->rel[a->nrel++] = (xa_reloc){off, type, sym, addend};
}

/* l32r at pc loading literal slot of pool item p. */
static uint32_t enc_l32r(xasm *a, uint32_t pc, int r, int p, int slot)
{
    long litaddr = pool_data(a, p) + 4L * slot;
    long off = litaddr - (long)((pc + 3) & ~3u);
    if (off >= 0 || off < -262144)
        diag_fatal("xtensa assembler", "l32r at %#x cannot reach its literal at %#lx", pc, litaddr);
    return xe_l32r(r, (int)(off / 4));
}

typedef uint32_t (*bcc_fn)(int, int, int);
typedef uint32_t (*bi_fn)(int, int32_t, int);
typedef uint32_t (*bz_fn)(int, int);

static uint32_t enc_branch(const item *x, int cond, int off)
{
    static const bcc_fn rr[] = {xe_beq, xe_bne, xe_blt, xe_bge, xe_bltu, xe_bgeu, xe_bany,
                                xe_bnone, xe_ball, xe_bnall, xe_bbc, xe_bbs};
    static const bi_fn ri[] = {xe_beqi, xe_bnei, xe_blti, xe_bgei, xe_bltui, xe_bgeui};
    static const bz_fn rz[] = {xe_beqz, xe_bnez, xe_bltz, xe_bgez};
    switch (x->bkind) {
    case BK_RR: return rr[cond](x->s, x->t, off);
    case BK_RI: return ri[cond](x->s, x->imm, off);
    case BK_RZ: return rz[cond](x->s, off);
    default: return cond ? xe_bbsi(x->s, x->t, off) : xe_bbci(x->s, x->t, off);
    }
}

static void emit_item(xasm *a, int i)
{
    item *x = &a->it[i];
    uint32_t pc = a->start[i], end = a->start[i + 1];
    switch (x->kind) {
    case I_INSN: put(a, pc, (uint32_t)x->imm, xe_length((uint32_t)x->imm)); break;
    case I_ALIGN:
        for (uint32_t p = end - pc; p; ) {
            if (p & 1) put(a, end - p, xe_nop(), 3), p -= 3;
            else put(a, end - p, xe_nop_n(), 2), p -= 2;
        }
        break;
    case I_POOL: {
        pool *pl = &a->pools[x->target];
        if (!pl->n) break;
        if (x->imm) put(a, pc, xe_j((int)(end - (pc + 4))), 3);
        uint32_t d = pool_data(a, i);
        for (int k = 0; k < pl->n; k++, d += 4) {
            lit *l = &pl->lits[k];
            if (l->kind == L_CONST) put(a, d, l->v, 4);
            else if (l->kind == L_SYM) add_rel(a, d, XR_32, l->sym, l->add);
            else add_rel(a, d, XR_32, NULL, (int32_t)label_pos(a, (xlabel)l->v));
        }
        break;
    }
    case I_L32R: put(a, pc, enc_l32r(a, pc, x->t, x->pool, x->target), 3); break;
    case I_CALL0_SYM: case I_CALL0_LAB:
        if (x->state) {
            put(a, pc, enc_l32r(a, pc, 0, x->pool, x->lit), 3);
            put(a, pc + 3, xe_callx0(0), 3);
            break;
        }
        if (x->kind == I_CALL0_SYM) {
            put(a, pc, xe_call0(0), 3);   /* like gas: offset field 0, the linker fills it */
            add_rel(a, pc, XR_SLOT0_OP, a->syms[x->target], 0);
        } else {
            uint32_t tgt = label_pos(a, x->target);
            if (tgt & 3)
                diag_fatal("xtensa assembler", "call0 at %#x: target %#x is not 4-aligned", pc, tgt);
            long off = ((long)tgt - (long)((pc & ~3u) + 4)) / 4;
            if (!fits(off, -131072, 131071))
                diag_fatal("xtensa assembler", "call0 at %#x: target %#x out of range", pc, tgt);
            put(a, pc, xe_call0((int)off), 3);
        }
        break;
    case I_J:
        if (x->state == 0) put(a, pc, xe_j((int)((long)label_pos(a, x->target) - (pc + 4))), 3);
        else {
            put(a, pc, enc_l32r(a, pc, 0, x->pool, x->lit), 3);
            put(a, pc + 3, xe_jx(0), 3);
        }
        break;
    case I_BR:
        if (x->state == 0) {
            put(a, pc, enc_branch(x, x->cond, (int)((long)label_pos(a, x->target) - (pc + 4))), 3);
            break;
        }
        /* inverted branch over the long jump (bbci <-> bbsi, and every xcond pairs with c^1) */
        put(a, pc, enc_branch(x, x->cond ^ 1, (int)(end - (pc + 4))), 3);
        if (x->state == 1)
            put(a, pc + 3, xe_j((int)((long)label_pos(a, x->target) - (pc + 7))), 3);
        else {
            put(a, pc + 3, enc_l32r(a, pc + 3, 0, x->pool, x->lit), 3);
            put(a, pc + 6, xe_jx(0), 3);
        }
        break;
    }
}

void xa_finish(xasm *a)
{
    not_finished(a);
    a->finished = 1;
    a->start = xmalloc(((size_t)a->nit + 1) * sizeof *a->start);
    while (layout_pass(a)) {}
    a->len = a->start[a->nit];
    a->code = xcalloc(a->len ? a->len : 1, 1);
    for (int i = 0; i < a->nit; i++) emit_item(a, i);
}

static void need_finished(const xasm *a)
{
    if (!a->finished) diag_fatal("xtensa assembler", "accessor used before xa_finish");
}

uint32_t xa_label_offset(xasm *a, xlabel l)
{
    need_finished(a);
    check_label(a, l);
    return label_pos(a, l);
}

const uint8_t *xa_code(xasm *a, size_t *len)
{
    need_finished(a);
    *len = a->len;
    return a->code;
}

const xa_reloc *xa_relocs(xasm *a, size_t *n)
{
    need_finished(a);
    *n = a->nrel;
    return a->rel;
}
