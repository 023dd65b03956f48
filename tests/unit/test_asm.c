/* test_asm.c — the assembler buffer: exact layouts of small cases (literal pools, dedup,
   alignment), relaxation checked by running the output in a tiny interpreter of the Xtensa
   subset asm.c produces, abort checks, and a link test through elf.c and xtensa-lx106-elf-ld.

   Interpreter conventions: `break 1, n` records checkpoint n, `break 2, r` records the value
   of register r, `break 15, 15` ends the run successfully, `ill` (all-zero bytes, which is
   also what padding regions are filled with) ends it as a failure. The test compares the
   recorded trail with the expected one. */
#include "xtensa/asm.h"
#include "xtensa/encode.h"
#include "elf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int passed, failed;
static void check(int ok, const char *what)
{
    if (ok) passed++;
    else failed++, printf("FAIL %s\n", what);
}

/* ---- exact layouts ---- */
static void put(uint8_t *p, size_t *n, uint32_t bits)
{
    for (int k = 0; k < xe_length(bits); k++) p[(*n)++] = (uint8_t)(bits >> (8 * k));
}
static void put32(uint8_t *p, size_t *n, uint32_t w)
{
    for (int k = 0; k < 4; k++) p[(*n)++] = (uint8_t)(w >> (8 * k));
}
static void expect_code(xasm *a, const uint8_t *want, size_t n, const char *what)
{
    size_t len;
    const uint8_t *c = xa_code(a, &len);
    int ok = len == n && !memcmp(c, want, n);
    if (!ok) {
        printf("  %s: got", what);
        for (size_t i = 0; i < len; i++) printf(" %02x", c[i]);
        printf("\n  %s: want", what);
        for (size_t i = 0; i < n; i++) printf(" %02x", want[i]);
        printf("\n");
    }
    check(ok, what);
}

static void exact_layouts(void)
{
    uint8_t w[64];
    size_t n = 0;
    /* start pool: two distinct literals (the repeated one deduplicated), no jump */
    xasm *a = xa_new();
    xlabel l0 = xa_label(a);
    xa_bind(a, l0);
    xa_l32r_const(a, 2, 0x11223344);
    xa_l32r_const(a, 3, 0x11223344);
    xa_l32r_const(a, 4, 0x55);
    xa_insn(a, xe_ret_n());
    xa_finish(a);
    put32(w, &n, 0x11223344), put32(w, &n, 0x55);
    put(w, &n, xe_l32r(2, -2)), put(w, &n, xe_l32r(3, -3)), put(w, &n, xe_l32r(4, -3));
    put(w, &n, xe_ret_n());
    expect_code(a, w, n, "start pool with dedup");
    check(xa_label_offset(a, l0) == 8, "label bound before the start pool denotes the code");
    size_t nr;
    xa_relocs(a, &nr);
    check(nr == 0, "no relocations for constants");
    xa_free(a);

    /* a pool after ret.n: no jump over it */
    a = xa_new();
    xa_insn(a, xe_ret_n());
    xa_pool_boundary(a);
    xlabel l = xa_label(a);
    xa_bind(a, l);
    xa_l32r_const(a, 2, 0xaabbccdd);
    xa_insn(a, xe_ret_n());
    xa_finish(a);
    n = 0;
    put(w, &n, xe_ret_n());
    w[n++] = 0, w[n++] = 0;
    put32(w, &n, 0xaabbccdd);
    put(w, &n, xe_l32r(2, -1)), put(w, &n, xe_ret_n());
    expect_code(a, w, n, "pool after ret.n");
    check(xa_label_offset(a, l) == 8, "label after pool");
    xa_free(a);

    /* a pool after a falling-through instruction: j over it */
    a = xa_new();
    xa_insn(a, xe_nop_n());
    l = xa_label(a);
    xa_bind(a, l);           /* bound before the boundary: still denotes the code after it */
    xa_pool_boundary(a);
    xa_l32r_const(a, 2, 0xaabbccdd);
    xa_finish(a);
    n = 0;
    put(w, &n, xe_nop_n()), put(w, &n, xe_j(6));
    w[n++] = 0, w[n++] = 0, w[n++] = 0;
    put32(w, &n, 0xaabbccdd);
    put(w, &n, xe_l32r(2, -1));
    expect_code(a, w, n, "pool jumped over");
    check(xa_label_offset(a, l) == 12, "label before boundary skips the pool");
    xa_free(a);

    /* alignment: 2 bytes of padding -> nop.n, 1 byte -> nop + nop.n (5) */
    a = xa_new();
    xa_insn(a, xe_nop_n());
    xa_align(a, 4);
    xa_insn(a, xe_nop());
    xa_align(a, 4);
    l = xa_label(a);
    xa_bind(a, l);
    xa_insn(a, xe_ret_n());
    xa_align(a, 4);
    xa_align(a, 4);
    xa_finish(a);
    n = 0;
    put(w, &n, xe_nop_n()), put(w, &n, xe_nop_n()), put(w, &n, xe_nop());
    put(w, &n, xe_nop()), put(w, &n, xe_nop_n()), put(w, &n, xe_ret_n()), put(w, &n, xe_nop_n());
    expect_code(a, w, n, "alignment padding");
    check(xa_label_offset(a, l) == 12, "aligned label");
    xa_free(a);

    /* short branches, movi/addi forms, call0 to a label, literal with a label address */
    a = xa_new();
    xlabel t = xa_label(a), f = xa_label(a);
    xa_bri(a, XC_EQ, 2, 5, t);           /* 0 */
    xa_brz(a, XC_NE, 3, t);              /* 3 */
    xa_br(a, XC_LTU, 4, 5, t);           /* 6 */
    xa_bbi(a, 1, 6, 31, t);              /* 9 */
    xa_movi(a, 2, 95);                   /* 12 movi.n */
    xa_movi(a, 2, -33);                  /* 14 movi */
    xa_addi(a, 2, 2, 1);                 /* 17 addi.n */
    xa_addi(a, 2, 3, -128);              /* 19 addi */
    xa_addi(a, 2, 3, 512);               /* 22 addmi */
    xa_addi(a, 2, 3, 1000);              /* 25 addmi 1024; addi -24 */
    xa_call0_label(a, f);                /* 31 */
    xa_j(a, t);                          /* 34 */
    xa_align(a, 4);                      /* 37: 3 bytes */
    xa_bind(a, f);                       /* 40 */
    xa_bind(a, t);
    xa_insn(a, xe_ret_n());
    xa_finish(a);
    n = 0;
    put(w, &n, xe_beqi(2, 5, 36)), put(w, &n, xe_bnez(3, 33)), put(w, &n, xe_bltu(4, 5, 30));
    put(w, &n, xe_bbsi(6, 31, 27)), put(w, &n, xe_movi_n(2, 95)), put(w, &n, xe_movi(2, -33));
    put(w, &n, xe_addi_n(2, 2, 1)), put(w, &n, xe_addi(2, 3, -128));
    put(w, &n, xe_addmi(2, 3, 512)), put(w, &n, xe_addmi(2, 3, 1024));
    put(w, &n, xe_addi(2, 2, -24)), put(w, &n, xe_call0(2)), put(w, &n, xe_j(2));
    put(w, &n, xe_nop()), put(w, &n, xe_ret_n());
    expect_code(a, w, n, "short forms");
    xa_free(a);
}

/* ---- the interpreter ---- */
typedef struct { uint8_t *m; size_t len; uint32_t r[16]; uint32_t trail[4096]; int nt; } vm;

static uint32_t fetch(vm *v, uint32_t pc, int n)
{
    uint32_t x = 0;
    for (int k = 0; k < n; k++) x |= (pc + k < v->len ? v->m[pc + k] : 0u) << (8 * k);
    return x;
}
static int32_t sx(uint32_t v, int bits) { return (int32_t)(v << (32 - bits)) >> (32 - bits); }

static int cond_rr(int r, uint32_t a, uint32_t b)
{
    switch (r) {
    case 0: return (a & b) == 0;        case 1: return a == b;
    case 2: return (int32_t)a < (int32_t)b; case 3: return a < b;
    case 4: return (~a & b) == 0;       case 5: return !(a >> (b & 31) & 1);
    case 8: return (a & b) != 0;        case 9: return a != b;
    case 10: return (int32_t)a >= (int32_t)b; case 11: return a >= b;
    case 12: return (~a & b) != 0;      case 13: return a >> (b & 31) & 1;
    }
    return -1;
}

/* Runs from pc; returns 1 on `break 15, 15`, 0 on anything else. */
static int run(vm *v, uint32_t pc, long maxsteps)
{
    static const int32_t b4[] = {-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256};
    static const int32_t b4u[] = {32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256};
    uint32_t *R = v->r;
    for (long step = 0; step < maxsteps; step++) {
        uint32_t x = fetch(v, pc, 3);
        int op0 = x & 15, t = x >> 4 & 15, s = x >> 8 & 15, r = x >> 12 & 15;
        int op1 = x >> 16 & 15, op2 = x >> 20 & 15, len = xe_length(x);
        uint32_t next = pc + (uint32_t)len, imm8 = x >> 16 & 255;
        int taken = -1;
        long boff = 0;
        switch (op0) {
        case 0:
            if (op1 == 0 && op2 == 0 && r == 0 && t == 8 && s == 0) { next = R[0]; break; }
            if (op1 == 0 && op2 == 0 && r == 0 && t == 10) { next = R[s]; break; }
            if (op1 == 0 && op2 == 0 && r == 0 && t == 12) {       /* callx0 */
                next = R[s];
                R[0] = pc + 3;
                break;
            }
            if (op1 == 0 && op2 == 0 && r == 2 && t == 15) break;
            if (op1 == 0 && op2 == 0 && r == 4) {
                if (s == 15 && t == 15) return 1;
                if (v->nt < 4096) v->trail[v->nt++] = s == 1 ? 0x1000u + (uint32_t)t : R[t];
                break;
            }
            if (op1 == 0 && op2 == 8) { R[r] = R[s] + R[t]; break; }
            printf("  vm: unknown insn %06x at %#x\n", x, pc);
            return 0;
        case 1: {
            uint32_t a = ((pc + 3) & ~3u) + (0xfffc0000u | (x >> 8) << 2);
            R[t] = fetch(v, a, 4);
            break;
        }
        case 2:
            if (r == 10) { R[t] = (uint32_t)sx((uint32_t)s << 8 | imm8, 12); break; }
            if (r == 12) { R[t] = R[s] + (uint32_t)sx(imm8, 8); break; }
            if (r == 13) { R[t] = R[s] + ((uint32_t)sx(imm8, 8) << 8); break; }
            printf("  vm: unknown insn %06x at %#x\n", x, pc);
            return 0;
        case 5:
            R[0] = pc + 3;
            next = (pc & ~3u) + 4 + ((uint32_t)sx(x >> 6, 18) << 2);
            break;
        case 6: {
            int n = t & 3, m = t >> 2;
            if (n == 0) { next = pc + 4 + (uint32_t)sx(x >> 6, 18); break; }
            if (n == 1) {
                int32_t a = (int32_t)R[s];
                taken = m == 0 ? a == 0 : m == 1 ? a != 0 : m == 2 ? a < 0 : a >= 0;
                boff = sx(x >> 12, 12);
            } else if (n == 2) {
                int32_t a = (int32_t)R[s], c = b4[r];
                taken = m == 0 ? a == c : m == 1 ? a != c : m == 2 ? a < c : a >= c;
                boff = sx(imm8, 8);
            } else if (m >= 2) {
                taken = m == 2 ? R[s] < (uint32_t)b4u[r] : R[s] >= (uint32_t)b4u[r];
                boff = sx(imm8, 8);
            } else { printf("  vm: unknown insn %06x at %#x\n", x, pc); return 0; }
            break;
        }
        case 7:
            if ((r & 6) == 6) taken = (R[s] >> ((r & 1) << 4 | t) & 1) == (r >= 8);
            else taken = cond_rr(r, R[s], R[t]);
            boff = sx(imm8, 8);
            break;
        case 10: R[r] = R[s] + R[t]; break;
        case 11: R[r] = R[s] + (t ? (uint32_t)t : 0xffffffffu); break;
        case 12:
            if (t < 8) {   /* movi.n: 7-bit immediate, 96..127 stand for -32..-1 */
                int imm7 = t << 4 | r;
                R[s] = (uint32_t)(imm7 >> 5 == 3 ? imm7 - 128 : imm7);
                break;
            }
            taken = (t & 4) ? R[s] != 0 : R[s] == 0;
            boff = (t & 3) << 4 | r;
            break;
        case 13:
            if (r == 0) { R[t] = R[s]; break; }
            if (r == 15 && t == 0) { next = R[0]; break; }
            if (r == 15 && t == 3) break;
            /* fallthrough */
        default:
            printf("  vm: unknown insn %06x at %#x\n", x, pc);
            return 0;
        }
        if (taken > 0) next = pc + 4 + (uint32_t)boff;
        pc = next;
        if (pc >= v->len) { printf("  vm: pc %#x outside code\n", pc); return 0; }
        if (fetch(v, pc, 3) == 0) { printf("  vm: reached ill at %#x\n", pc); return 0; }
    }
    printf("  vm: step limit\n");
    return 0;
}

/* Loads the finished code (applying local XR_32 relocations at base 0) and runs it from
   entry (not from 0: the text starts with the first literal pool). */
static int execute(xasm *a, xlabel entry, vm *v)
{
    size_t len, nr;
    const uint8_t *c = xa_code(a, &len);
    const xa_reloc *rel = xa_relocs(a, &nr);
    v->m = malloc(len);
    memcpy(v->m, c, len);
    v->len = len;
    for (size_t i = 0; i < nr; i++) {
        if (rel[i].type != XR_32 || rel[i].sym) { printf("  unexpected reloc\n"); return 0; }
        uint32_t w = fetch(v, rel[i].offset, 4) + (uint32_t)rel[i].addend;
        for (int k = 0; k < 4; k++) v->m[rel[i].offset + k] = (uint8_t)(w >> (8 * k));
    }
    memset(v->r, 0, sizeof v->r);
    v->nt = 0;
    int ok = run(v, xa_label_offset(a, entry), 10000000);
    free(v->m);
    return ok;
}

/* ---- the relaxation program ---- */
static xasm *A;
static uint32_t expect[4096];
static int nexp, cpid;

static void mark(int k) { xa_insn(A, xe_break(1, k)); }   /* checkpoint, expected set by hand */
static void want(int k) { expect[nexp++] = 0x1000u + (uint32_t)k; }
static void cp(void) { xa_insn(A, xe_break(1, ++cpid & 15)); expect[nexp++] = 0x1000u + (uint32_t)(cpid & 15); }
static void rec(int r, uint32_t val) { xa_insn(A, xe_break(2, r)); expect[nexp++] = val; }
static void fail_here(void) { xa_insn(A, xe_ill()); }
static void pad(long bytes, int pools)   /* ill-filled region, optionally with pool boundaries */
{
    for (long k = 0; k < bytes / 3; k++) {
        xa_insn(A, xe_ill());
        if (pools && k % 20000 == 19999) xa_pool_boundary(A);
    }
}

/* emits one conditional branch (kind 0 rr, 1 ri, 2 rz, 3 bit) at distance d forward (d > 0)
   or backward (d < 0); registers hold what the caller set up. */
static void branch(int kind, enum xcond c, int s, int t, int32_t imm, int taken, long d)
{
    xlabel L = xa_label(A), end = xa_label(A);
#define EMIT_BR() do { if (kind == 0) xa_br(A, c, s, t, L); else if (kind == 1) xa_bri(A, c, s, imm, L); \
        else if (kind == 2) xa_brz(A, c, s, L); else xa_bbi(A, (int)c, s, t, L); } while (0)
    if (d >= 0) {
        EMIT_BR();
        if (taken) fail_here(); else { cp(); xa_j(A, end); }
        pad(d, d > 100000);
        xa_bind(A, L);
        if (taken) cp(); else fail_here();
        xa_bind(A, end);
    } else {
        xlabel setup = xa_label(A);
        xa_j(A, setup);
        xa_bind(A, L);
        if (taken) { cp(); xa_j(A, end); } else fail_here();
        pad(-d, -d > 100000);
        xa_bind(A, setup);
        EMIT_BR();
        if (taken) fail_here(); else cp();
        xa_bind(A, end);
    }
#undef EMIT_BR
}

static void relaxation(void)
{
    A = xa_new();
    nexp = cpid = 0;
    xlabel entry = xa_label(A);
    xa_bind(A, entry);
    xa_movi(A, 2, 3), xa_movi(A, 3, 3), xa_movi(A, 4, 5), xa_movi(A, 5, -7), xa_movi(A, 6, 0);
    xa_l32r_const(A, 7, 0x80000001u);
    static const long dist[] = {0, 60, 200, 3000, 140000, -60, -200, -3000, -140000};
    for (size_t i = 0; i < sizeof dist / sizeof *dist; i++) {
        long d = dist[i];
        int big = d > 100000 || d < -100000;
        branch(0, XC_EQ, 2, 3, 0, 1, d);
        branch(0, XC_NE, 2, 3, 0, 0, d);
        branch(0, XC_LT, 5, 2, 0, 1, d);
        branch(0, XC_GEU, 5, 2, 0, 1, d);
        if (!big) {
            branch(0, XC_LTU, 5, 2, 0, 0, d);
            branch(0, XC_BS, 7, 6, 0, 1, d);      /* bit 0 of a7 */
            branch(0, XC_ANY, 2, 4, 0, 1, d);
            branch(0, XC_NALL, 4, 2, 0, 1, d);
            branch(1, XC_LTU, 4, 0, 6, 1, d);
        }
        branch(1, XC_EQ, 2, 0, 3, 1, d);
        branch(1, XC_GE, 5, 0, -1, 0, d);
        branch(1, XC_GEU, 5, 0, 65536, 1, d);
        branch(2, XC_EQ, 6, 0, 0, 1, d);
        branch(2, XC_LT, 5, 0, 0, 1, d);
        branch(2, XC_GE, 5, 0, 0, 0, d);
        branch(3, 1, 7, 31, 0, 1, d);             /* bbsi a7, 31 */
        branch(3, 0, 7, 0, 0, 0, d);              /* bbci a7, 0: bit set -> not taken */
    }
    /* a branch pushed out of range by another one growing in between */
    {
        xlabel L = xa_label(A), far = xa_label(A), skip = xa_label(A);
        xa_br(A, XC_EQ, 2, 3, L);
        fail_here();
        for (int i = 0; i < 38; i++) xa_insn(A, xe_ill());   /* 114 bytes */
        xa_j(A, skip);
        xa_br(A, XC_NE, 2, 3, far);                           /* not taken, grows to 9 (+6) */
        fail_here();
        xa_bind(A, skip);
        fail_here();
        xa_bind(A, L);
        cp();
        xa_j(A, far);
        pad(140000, 0);
        xa_bind(A, far);
        cp();
    }
    /* j far forward and backward, literals of all kinds, movi/addi with big values */
    xa_movi(A, 8, 100000);
    rec(8, 100000);
    xa_movi(A, 8, -2049);
    rec(8, (uint32_t)-2049);
    xa_movi(A, 9, 10);
    xa_addi(A, 9, 9, 1000);
    rec(9, 1010);
    xa_addi(A, 9, 9, -40000);
    rec(9, (uint32_t)(1010 - 40000));
    xa_addi(A, 10, 9, 0x12345);
    rec(10, (uint32_t)(1010 - 40000 + 0x12345));
    xa_addi(A, 10, 9, 32512 + 127);
    rec(10, (uint32_t)(1010 - 40000 + 32512 + 127));
    xa_addi(A, 10, 9, -32768 - 128);
    rec(10, (uint32_t)(1010 - 40000 - 32768 - 128));
    {
        xlabel there = xa_label(A), back = xa_label(A), sub = xa_label(A), done = xa_label(A);
        xa_l32r_label(A, 11, there);
        xa_insn(A, xe_jx(11));
        xa_pool_boundary(A);                                  /* after jx: no jump */
        xa_bind(A, back);
        mark(2);
        xa_call0_label(A, sub);
        mark(4);
        xa_j(A, done);
        pad(150000, 1);
        xa_bind(A, there);
        mark(1);
        xa_j(A, back);
        pad(300000, 0);
        xa_align(A, 4);
        xa_bind(A, sub);
        mark(3);
        xa_insn(A, xe_ret_n());
        xa_bind(A, done);
        mark(5);
        for (int k = 1; k <= 5; k++) want(k);
    }
    {   /* call0 to labels beyond 512 KB (both directions): l32r a0 + callx0 a0 */
        xlabel farsub = xa_label(A), back = xa_label(A), done = xa_label(A);
        mark(6);
        xa_call0_label(A, farsub);
        mark(8);
        xa_j(A, done);
        xa_align(A, 4);
        xa_bind(A, back);
        mark(10);
        xa_insn(A, xe_ret_n());
        pad(600000, 1);
        xa_align(A, 4);
        xa_bind(A, farsub);
        mark(7);
        xa_insn(A, xe_ret_n());
        xa_bind(A, done);
        mark(9);
        xa_call0_label(A, back);
        mark(11);
        for (int k = 6; k <= 11; k++) want(k);
    }
    /* 400 KB of code with l32r loads and no explicit boundary: pools must appear by themselves */
    for (int i = 0; i < 400; i++) {
        xa_l32r_const(A, 8, 0x10000u + (uint32_t)i);
        if (i % 40 == 0) rec(8, 0x10000u + (uint32_t)i);
        for (int k = 0; k < 340; k++) xa_insn(A, xe_nop());
    }
    xa_l32r_const(A, 8, 0x10000u);       /* same value, new pool: still correct */
    rec(8, 0x10000u);
    xa_insn(A, xe_break(15, 15));
    xa_finish(A);

    vm *v = calloc(1, sizeof *v);
    int ok = execute(A, entry, v);
    check(ok, "relaxation program runs to its end");
    int same = v->nt == nexp;
    for (int i = 0; same && i < nexp; i++) same = v->trail[i] == expect[i];
    if (!same) {
        printf("  trail (%d entries, want %d):", v->nt, nexp);
        for (int i = 0; i < v->nt || i < nexp; i++)
            if (i >= v->nt || i >= nexp || v->trail[i] != expect[i]) {
                printf(" first difference at %d: got %#x want %#x\n", i,
                       i < v->nt ? v->trail[i] : 0, i < nexp ? expect[i] : 0);
                break;
            }
    }
    check(same, "relaxation program trail");
    size_t len;
    xa_code(A, &len);
    printf("  (relaxation program: %zu bytes, %d checkpoints)\n", len, nexp);
    free(v);
    xa_free(A);
}

/* ---- aborts ---- */
static void expect_abort(const char *what, void (*f)(void))
{
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(0);
        f();
        _exit(0);
    }
    int st = 0;
    waitpid(p, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) != 0, what);
}
static void bad_unbound(void) { xasm *a = xa_new(); xa_j(a, xa_label(a)); xa_finish(a); }
static void bad_misaligned(void)
{
    xasm *a = xa_new();
    xlabel l = xa_label(a);
    xa_call0_label(a, l);
    xa_insn(a, xe_nop_n());
    xa_bind(a, l);
    xa_insn(a, xe_ret_n());
    xa_finish(a);
}
static void bad_bri(void) { xasm *a = xa_new(); xa_bri(a, XC_EQ, 2, 9, xa_label(a)); }
static void bad_twice(void) { xasm *a = xa_new(); xlabel l = xa_label(a); xa_bind(a, l); xa_bind(a, l); }

/* ---- link test ---- */
static char *run_cmd(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    size_t n = 0, cap = 1 << 20;
    char *s = malloc(cap);
    for (size_t k; (k = fread(s + n, 1, cap - n - 1, p)) > 0; n += k)
        if (cap - n - 1 - k == 0) s = realloc(s, cap *= 2);
    s[n] = 0;
    if (pclose(p) != 0) { printf("command failed: %s\n%s\n", cmd, s); free(s); return NULL; }
    return s;
}
static uint8_t *img;
static size_t imglen;
static uint32_t rd32(size_t off) { return off + 4 <= imglen ? img[off] | img[off + 1] << 8 | img[off + 2] << 16 | (uint32_t)img[off + 3] << 24 : 0; }
static uint32_t rd16(size_t off) { return off + 2 <= imglen ? (uint32_t)(img[off] | img[off + 1] << 8) : 0; }
static uint32_t shdr(uint32_t i, int field) { return rd32(rd32(32) + 40u * i + 4u * (uint32_t)field); }
static uint32_t word_at(uint32_t addr)
{
    for (uint32_t i = 0; i < rd16(48); i++)
        if (shdr(i, 1) == 1 && addr >= shdr(i, 3) && addr + 4 <= shdr(i, 3) + shdr(i, 5))
            return rd32(shdr(i, 4) + addr - shdr(i, 3));
    return 0xdeadbeef;
}
static uint32_t sym(const char *name)
{
    for (uint32_t i = 0; i < rd16(48); i++) {
        if (shdr(i, 1) != 2) continue;
        uint32_t stroff = shdr(shdr(i, 6), 4);
        for (uint32_t k = 0; k < shdr(i, 5) / 16; k++) {
            uint32_t e = shdr(i, 4) + 16 * k;
            if (!strcmp((char *)img + stroff + rd32(e), name)) return rd32(e + 4);
        }
    }
    return 0xdeadbeef;
}
static uint32_t l32r_target(uint32_t pc)
{
    uint32_t x = word_at(pc) & 0xffffff;
    return ((pc + 3) & ~3u) + (0xfffc0000u | (x >> 8) << 2);
}

static void link_test(void)
{
    char dir[] = "/tmp/test_asm_XXXXXX", cmd[1024], path[256];
    if (!mkdtemp(dir)) { perror("mkdtemp"); failed++; return; }
    xasm *a = xa_new();
    xlabel start = xa_label(a), here = xa_label(a), far = xa_label(a);
    xa_bind(a, start);
    xa_call0(a, "ext");                       /* +0 */
    xa_l32r_sym(a, 2, "ext_data", 4);         /* +3 */
    xa_l32r_label(a, 3, here);                /* +6 */
    xa_l32r_sym(a, 4, "ext_data", 4);         /* +9: deduplicated */
    xa_bind(a, here);
    xa_call0(a, "ext");                       /* +12 */
    xa_j(a, far);                             /* relaxed: l32r a0 + jx a0, literal = far */
    for (int i = 0; i < 45000; i++) xa_insn(a, xe_nop());
    xa_bind(a, far);
    xa_insn(a, xe_ret_n());
    xa_finish(a);

    size_t len, nr;
    const uint8_t *code = xa_code(a, &len);
    const xa_reloc *rel = xa_relocs(a, &nr);
    int n32 = 0, nop = 0;
    for (size_t i = 0; i < nr; i++) n32 += rel[i].type == XR_32, nop += rel[i].type == XR_SLOT0_OP;
    check(n32 == 3 && nop == 2, "relocations: 3 literal words (deduplicated), 2 call0");

    elf_obj *o = elf_new();
    int text = elf_section(o, ".text", ELF_TEXT, 4);
    elf_append(o, text, code, (uint32_t)len);
    for (size_t i = 0; i < nr; i++)
        elf_reloc(o, text, rel[i].offset,
                  rel[i].sym ? elf_symbol_ref(o, rel[i].sym) : elf_section_symbol(o, text),
                  rel[i].type, rel[i].addend);
    elf_symbol(o, "t_start", text, xa_label_offset(a, start), 0, ELF_GLOBAL, ELF_FUNC);
    elf_symbol(o, "t_far", text, xa_label_offset(a, far), 0, ELF_LOCAL, ELF_FUNC);
    uint32_t here_off = xa_label_offset(a, here) - xa_label_offset(a, start);
    snprintf(path, sizeof path, "%s/m.o", dir);
    elf_write(o, path);
    elf_free(o);
    xa_free(a);

    snprintf(cmd, sizeof cmd,
             "cd %s && printf '\\t.text\\n\\t.global ext\\n\\t.align 4\\next: ret\\n"
             "\\t.data\\n\\t.global ext_data\\n\\t.align 4\\next_data: .word 7, 8, 9\\n' > g.s && "
             "xtensa-lx106-elf-as g.s -o g.o", dir);
    check(system(cmd) == 0, "gas object");
    for (int relax = 0; relax < 2; relax++) {
        const char *mode = relax ? "relaxing ld" : "ld --no-relax";
        char what[128];
        snprintf(cmd, sizeof cmd,
                 "cd %s && xtensa-lx106-elf-ld %s -e t_start -Ttext=0x40100000 -Tdata=0x3ffe8000 "
                 "g.o m.o -o out.elf && xtensa-lx106-elf-objdump -d out.elf", dir,
                 relax ? "" : "--no-relax");
        char *dis = run_cmd(cmd);
        snprintf(what, sizeof what, "links and disassembles (%s)", mode);
        check(dis != NULL, what);
        snprintf(path, sizeof path, "%s/out.elf", dir);
        FILE *f = fopen(path, "rb");
        if (!dis || !f) { if (f) fclose(f); free(dis); continue; }
        fseek(f, 0, SEEK_END);
        imglen = (size_t)ftell(f);
        fseek(f, 0, SEEK_SET);
        free(img);
        img = malloc(imglen);
        if (fread(img, 1, imglen, f) != imglen) imglen = 0;
        fclose(f);
        uint32_t s = sym("t_start"), ext = sym("ext"), data = sym("ext_data");
        char line[128];
        snprintf(line, sizeof line, "%x:\t%06x        \tcall0\t%x <ext>", s,
                 word_at(s) & 0xffffff, ext);
        snprintf(what, sizeof what, "objdump shows call0 to ext (%s)", mode);
        check(strstr(dis, line) != NULL, what);
        if (!strstr(dis, line)) printf("  looked for '%s'\n", line);
        snprintf(line, sizeof line, "%x:\t%06x        \tcall0\t%x <ext>", s + 12,
                 word_at(s + 12) & 0xffffff, ext);
        check(strstr(dis, line) != NULL, what);
        snprintf(what, sizeof what, "l32r literal = ext_data + 4 (%s)", mode);
        check(word_at(l32r_target(s + 3)) == data + 4 && word_at(data + 4) == 8, what);
        check(l32r_target(s + 9) == l32r_target(s + 3), "literal deduplicated");
        snprintf(what, sizeof what, "l32r literal = label address (%s)", mode);
        check(word_at(l32r_target(s + 6)) == s + here_off, what);
        snprintf(what, sizeof what, "far j via l32r a0 + jx a0 (%s)", mode);
        check(word_at(l32r_target(s + 15)) == sym("t_far") &&
              (word_at(s + 18) & 0xffffff) == xe_jx(0), what);
        free(dis);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) printf("(could not remove %s)\n", dir);
}

/* External calls: short or long by the extern bias; xa_call0_ret's label is the return
   address either way; a long call's literal is an XR_32 relocation against the symbol. */
static void long_calls(void)
{
    for (int lng = 0; lng < 2; lng++) {
        xasm *a = xa_new();
        xa_set_extern_bias(a, lng ? 600000 : 100000);
        xlabel s = xa_label(a);
        xa_bind(a, s);
        xa_insn(a, xe_nop_n());
        xlabel r = xa_call0_ret(a, "ext");
        xa_pool_boundary(a);            /* a pool right after the call: the label stays put */
        xa_l32r_const(a, 2, 0x12345678);
        xa_insn(a, xe_ret_n());
        xa_finish(a);
        size_t len, nr;
        const uint8_t *c = xa_code(a, &len);
        const xa_reloc *rel = xa_relocs(a, &nr);
        uint32_t at = xa_label_offset(a, s) + 2, ret = xa_label_offset(a, r);
        uint32_t w = (uint32_t)c[at + 3] | (uint32_t)c[at + 4] << 8 | (uint32_t)c[at + 5] << 16;
        if (!lng) {
            check(ret == at + 3, "short external call: return label after the call0");
            check(nr == 1 && rel[0].type == XR_SLOT0_OP && rel[0].offset == at &&
                  !strcmp(rel[0].sym, "ext"), "short external call: SLOT0_OP relocation");
        } else {
            check(ret == at + 6, "long external call: return label after the callx0");
            check(w == xe_callx0(0) && (c[at] & 15) == 1 && (c[at] >> 4 & 15) == 0,
                  "long external call: l32r a0 + callx0 a0");
            int ok = 0;
            for (size_t i = 0; i < nr; i++)
                ok |= rel[i].type == XR_32 && rel[i].sym && !strcmp(rel[i].sym, "ext");
            check(ok, "long external call: XR_32 literal for the symbol");
        }
        xa_free(a);
    }
}

int main(void)
{
    exact_layouts();
    relaxation();
    expect_abort("unbound label aborts", bad_unbound);
    expect_abort("misaligned call0 target aborts", bad_misaligned);
    long_calls();
    expect_abort("unencodable b*i immediate aborts", bad_bri);
    expect_abort("label bound twice aborts", bad_twice);
    link_test();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
