/* test_encode.c — every encoder against the real assembler.

   Each case is an instruction text plus our encoding. All lx106 cases go into one assembly
   file (inside `.begin no-transform`, so gas keeps exactly the instruction we wrote); we run
   xtensa-lx106-elf-as, take .text with objcopy and compare bytes case by case. PC-relative
   cases sit after a large pad so that negative offsets stay inside the section; their
   targets are written as `base + N`. ESP32-only instructions, which this assembler rejects,
   are checked against bytes derived by hand from the ISA tables (and the measured
   `quos a2, a2, a3` = 30 22 D2). Finally out-of-range operands must abort (checked in a
   child process). */
#include "xtensa/encode.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAD 530000u   /* > 512 KB: room for call0's most negative offset */

typedef struct { char text[96]; uint32_t bits; uint32_t pc; } tcase;
static tcase *cases;
static size_t ncases, capcases;
static uint32_t pc = PAD;
static int passed, failed;

static void add(uint32_t bits, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(uint32_t bits, const char *fmt, ...)
{
    if (ncases == capcases) {
        capcases = capcases ? 2 * capcases : 1024;
        cases = realloc(cases, capcases * sizeof *cases);
        if (!cases) abort();
    }
    tcase *c = &cases[ncases++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->text, sizeof c->text, fmt, ap);
    va_end(ap);
    c->bits = bits;
    c->pc = pc;
    pc += (uint32_t)xe_length(bits);
}

static void expect_bits(const char *what, uint32_t got, uint32_t want)
{
    if (got == want) { passed++; return; }
    failed++;
    printf("FAIL %s: got %06x want %06x\n", what, got, want);
}

/* Register triples spread over the whole range. */
static const int R[][3] = {{0, 0, 0}, {2, 3, 4}, {15, 14, 13}, {1, 8, 15}, {7, 12, 5},
                           {10, 1, 11}, {4, 15, 0}, {13, 6, 9}};
#define NR (int)(sizeof R / sizeof R[0])

static void gen_lx106(void)
{
    static const struct { const char *n; uint32_t (*f)(int, int, int); } rrr[] = {
        {"add", xe_add}, {"add.n", xe_add_n}, {"addx2", xe_addx2}, {"addx4", xe_addx4},
        {"addx8", xe_addx8}, {"sub", xe_sub}, {"subx2", xe_subx2}, {"subx4", xe_subx4},
        {"subx8", xe_subx8}, {"and", xe_and}, {"or", xe_or}, {"xor", xe_xor},
        {"moveqz", xe_moveqz}, {"movnez", xe_movnez}, {"movltz", xe_movltz},
        {"movgez", xe_movgez}, {"src", xe_src}, {"mull", xe_mull}, {"mul16s", xe_mul16s},
        {"mul16u", xe_mul16u}};
    for (size_t i = 0; i < sizeof rrr / sizeof rrr[0]; i++)
        for (int k = 0; k < NR; k++)
            add(rrr[i].f(R[k][0], R[k][1], R[k][2]), "%s a%d, a%d, a%d", rrr[i].n, R[k][0],
                R[k][1], R[k][2]);
    static const struct { const char *n; uint32_t (*f)(int, int); } rr[] = {
        {"neg", xe_neg}, {"abs", xe_abs}, {"mov", xe_mov}, {"mov.n", xe_mov_n},
        {"sll", xe_sll}, {"srl", xe_srl}, {"sra", xe_sra}, {"nsa", xe_nsa}, {"nsau", xe_nsau}};
    for (size_t i = 0; i < sizeof rr / sizeof rr[0]; i++)
        for (int k = 0; k < NR; k++)
            add(rr[i].f(R[k][0], R[k][1]), "%s a%d, a%d", rr[i].n, R[k][0], R[k][1]);
    static const struct { const char *n; uint32_t (*f)(int); } r1[] = {
        {"ssl", xe_ssl}, {"ssr", xe_ssr}, {"ssa8l", xe_ssa8l}, {"ssa8b", xe_ssa8b},
        {"jx", xe_jx}, {"callx0", xe_callx0}};
    for (size_t i = 0; i < sizeof r1 / sizeof r1[0]; i++)
        for (int k = 0; k < 16; k++) add(r1[i].f(k), "%s a%d", r1[i].n, k);
    static const struct { const char *n; uint32_t (*f)(void); } r0[] = {
        {"ret", xe_ret}, {"ret.n", xe_ret_n}, {"nop", xe_nop}, {"nop.n", xe_nop_n},
        {"ill", xe_ill}, {"ill.n", xe_ill_n}, {"memw", xe_memw}, {"isync", xe_isync},
        {"rsync", xe_rsync}, {"esync", xe_esync}, {"dsync", xe_dsync}, {"extw", xe_extw}};
    for (size_t i = 0; i < sizeof r0 / sizeof r0[0]; i++) add(r0[i].f(), "%s", r0[i].n);

    for (int k = 0; k < NR; k++) {
        int a = R[k][0], b = R[k][1];
        static const int addi_imm[] = {-128, -127, -1, 0, 1, 5, 64, 126, 127};
        for (size_t i = 0; i < sizeof addi_imm / sizeof *addi_imm; i++)
            add(xe_addi(a, b, addi_imm[i]), "addi a%d, a%d, %d", a, b, addi_imm[i]);
        for (int v = -1; v <= 15; v++)
            if (v) add(xe_addi_n(a, b, v), "addi.n a%d, a%d, %d", a, b, v);
        for (int v = -32768; v <= 32512; v += 256 * 13)
            add(xe_addmi(a, b, v), "addmi a%d, a%d, %d", a, b, v);
        add(xe_addmi(a, b, 32512), "addmi a%d, a%d, 32512", a, b);
        add(xe_addmi(a, b, -256), "addmi a%d, a%d, -256", a, b);
        static const int movi_imm[] = {-2048, -2047, -129, -128, -33, -32, -1, 0, 1, 95, 96,
                                       255, 256, 1000, 2047};
        for (size_t i = 0; i < sizeof movi_imm / sizeof *movi_imm; i++)
            add(xe_movi(a, movi_imm[i]), "movi a%d, %d", a, movi_imm[i]);
        for (int v = -32; v <= 95; v += 7) add(xe_movi_n(a, v), "movi.n a%d, %d", a, v);
        add(xe_movi_n(a, 95), "movi.n a%d, 95", a);
        add(xe_movi_n(a, -1), "movi.n a%d, -1", a);
        static const struct { const char *n; uint32_t (*f)(int, int, int); int scale, max; } ls[] = {
            {"l8ui", xe_l8ui, 1, 255}, {"l16ui", xe_l16ui, 2, 510}, {"l16si", xe_l16si, 2, 510},
            {"l32i", xe_l32i, 4, 1020}, {"s8i", xe_s8i, 1, 255}, {"s16i", xe_s16i, 2, 510},
            {"s32i", xe_s32i, 4, 1020}, {"l32i.n", xe_l32i_n, 4, 60},
            {"s32i.n", xe_s32i_n, 4, 60}};
        for (size_t i = 0; i < sizeof ls / sizeof ls[0]; i++) {
            int offs[] = {0, ls[i].scale, ls[i].scale * 7, ls[i].max / 2 / ls[i].scale * ls[i].scale,
                          ls[i].max - ls[i].scale, ls[i].max};
            for (int j = 0; j < 6; j++)
                add(ls[i].f(a, b, offs[j]), "%s a%d, a%d, %d", ls[i].n, a, b, offs[j]);
        }
        for (int sa = 1; sa <= 31; sa += (k & 1) ? 1 : 5)
            add(xe_slli(a, b, sa), "slli a%d, a%d, %d", a, b, sa);
        for (int sa = 0; sa <= 31; sa += (k & 1) ? 1 : 3)
            add(xe_srai(a, b, sa), "srai a%d, a%d, %d", a, b, sa);
        for (int sa = 0; sa <= 15; sa++) add(xe_srli(a, b, sa), "srli a%d, a%d, %d", a, b, sa);
        for (int sh = 0; sh <= 31; sh += (k & 1) ? 1 : 7)
            for (int m = 1; m <= 16; m += 3 + (k & 1))
                if (sh + m <= 32) add(xe_extui(a, b, sh, m), "extui a%d, a%d, %d, %d", a, b, sh, m);
        add(xe_extui(a, b, 16, 16), "extui a%d, a%d, 16, 16", a, b);
        add(xe_extui(a, b, 31, 1), "extui a%d, a%d, 31, 1", a, b);
        add(xe_rsil(a, k), "rsil a%d, %d", a, k);
        add(xe_rsil(a, 15), "rsil a%d, 15", a);
        static const int srs[] = {3, 176, 177, 228, 230, 232, 234, 238};
        for (size_t i = 0; i < sizeof srs / sizeof *srs; i++) {
            add(xe_rsr(a, srs[i]), "rsr a%d, %d", a, srs[i]);
            add(xe_wsr(a, srs[i]), "wsr a%d, %d", a, srs[i]);
            if (srs[i] != 176) add(xe_xsr(a, srs[i]), "xsr a%d, %d", a, srs[i]);
        }
    }
    for (int sa = 0; sa <= 31; sa++) add(xe_ssai(sa), "ssai %d", sa);
    for (int l = 0; l <= 15; l++) add(xe_waiti(l), "waiti %d", l);
    for (int l = 0; l <= 15; l++) add(xe_break(l, 15 - l), "break %d, %d", l, 15 - l);
    for (int l = 0; l <= 15; l++) add(xe_break_n(l), "break.n %d", l);

    /* PC-relative: targets as absolute offsets from base. */
    static const int off8[] = {-128, -127, -64, -5, -1, 0, 1, 2, 50, 126, 127};
    static const struct { const char *n; uint32_t (*f)(int, int, int); } bcc[] = {
        {"beq", xe_beq}, {"bne", xe_bne}, {"blt", xe_blt}, {"bge", xe_bge}, {"bltu", xe_bltu},
        {"bgeu", xe_bgeu}, {"bany", xe_bany}, {"bnone", xe_bnone}, {"ball", xe_ball},
        {"bnall", xe_bnall}, {"bbc", xe_bbc}, {"bbs", xe_bbs}};
    for (size_t i = 0; i < sizeof bcc / sizeof bcc[0]; i++)
        for (int k = 0; k < NR; k++)
            for (size_t j = 0; j < sizeof off8 / sizeof *off8; j++)
                add(bcc[i].f(R[k][1], R[k][2], off8[j]), "%s a%d, a%d, base+%u", bcc[i].n,
                    R[k][1], R[k][2], pc + 4 + off8[j]);
    static const struct { const char *n; uint32_t (*f)(int, int32_t, int); int u; } bi[] = {
        {"beqi", xe_beqi, 0}, {"bnei", xe_bnei, 0}, {"blti", xe_blti, 0}, {"bgei", xe_bgei, 0},
        {"bltui", xe_bltui, 1}, {"bgeui", xe_bgeui, 1}};
    static const int32_t b4[] = {-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256};
    static const int32_t b4u[] = {32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256};
    for (size_t i = 0; i < sizeof bi / sizeof bi[0]; i++)
        for (int v = 0; v < 16; v++) {
            int k = v % NR, off = off8[v % 11];
            int32_t imm = bi[i].u ? b4u[v] : b4[v];
            add(bi[i].f(R[k][1], imm, off), "%s a%d, %d, base+%u", bi[i].n, R[k][1], imm,
                pc + 4 + off);
        }
    for (int b = 0; b < 32; b++) {
        int k = b % NR, off = off8[b % 11];
        add(xe_bbci(R[k][2], b, off), "bbci a%d, %d, base+%u", R[k][2], b, pc + 4 + off);
        add(xe_bbsi(R[k][2], b, off), "bbsi a%d, %d, base+%u", R[k][2], b, pc + 4 + off);
    }
    static const int off12[] = {-2048, -2047, -1000, -129, -1, 0, 1, 128, 2046, 2047};
    static const struct { const char *n; uint32_t (*f)(int, int); } bz[] = {
        {"beqz", xe_beqz}, {"bnez", xe_bnez}, {"bltz", xe_bltz}, {"bgez", xe_bgez}};
    for (size_t i = 0; i < 4; i++)
        for (int k = 0; k < NR; k++)
            for (size_t j = 0; j < sizeof off12 / sizeof *off12; j++)
                add(bz[i].f(R[k][0], off12[j]), "%s a%d, base+%u", bz[i].n, R[k][0],
                    pc + 4 + off12[j]);
    for (int off = 0; off <= 63; off += 3) {
        int r = off % 16;
        add(xe_beqz_n(r, off), "beqz.n a%d, base+%u", r, pc + 4 + off);
        add(xe_bnez_n(r, off), "bnez.n a%d, base+%u", r, pc + 4 + off);
    }
    static const int off18[] = {-131072, -131071, -65536, -1000, -4, -1, 0, 1, 3, 4000, 131070,
                                131071};
    for (size_t j = 0; j < sizeof off18 / sizeof *off18; j++) {
        add(xe_j(off18[j]), "j base+%u", pc + 4 + off18[j]);
        uint32_t t = (pc & ~3u) + 4 + (uint32_t)(off18[j] * 4);
        add(xe_call0(off18[j]), "call0 base+%u", t);
    }
    static const int off16[] = {-65536, -65535, -30000, -100, -2, -1};
    for (size_t j = 0; j < sizeof off16 / sizeof *off16; j++)
        for (int k = 0; k < 3; k++) {
            uint32_t t = ((pc + 3) & ~3u) + (uint32_t)(off16[j] * 4);
            add(xe_l32r(R[k * 2][0], off16[j]), "l32r a%d, base+%u", R[k * 2][0], t);
        }
}

static int run_as(void)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char s[256], o[256], b[256], cmd[2048];
    snprintf(s, sizeof s, "%s/test_encode_%d.s", dir, (int)getpid());
    snprintf(o, sizeof o, "%s/test_encode_%d.o", dir, (int)getpid());
    snprintf(b, sizeof b, "%s/test_encode_%d.bin", dir, (int)getpid());
    FILE *f = fopen(s, "w");
    if (!f) { perror(s); return 0; }
    fprintf(f, "\t.text\n\t.begin no-transform\nbase:\n\t.space %u\n", PAD);
    for (size_t i = 0; i < ncases; i++) fprintf(f, "\t%s\n", cases[i].text);
    fprintf(f, "\t.end no-transform\n");
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "xtensa-lx106-elf-as %s -o %s && xtensa-lx106-elf-objcopy -O binary -j .text %s %s",
             s, o, o, b);
    if (system(cmd) != 0) { printf("FAIL: assembler run failed: %s\n", cmd); return 0; }
    f = fopen(b, "rb");
    if (!f) { perror(b); return 0; }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { printf("FAIL: read %s\n", b); return 0; }
    fclose(f);
    if ((uint32_t)n != pc) printf("FAIL: assembler produced %ld bytes, expected %u\n", n, pc), failed++;
    for (size_t i = 0; i < ncases; i++) {
        tcase *c = &cases[i];
        int len = xe_length(c->bits);
        uint32_t got = 0;
        for (int k = 0; k < len && c->pc + k < (uint32_t)n; k++)
            got |= (uint32_t)buf[c->pc + k] << (8 * k);
        if (got == c->bits) passed++;
        else {
            failed++;
            printf("FAIL %-36s ours %06x  as %06x\n", c->text, c->bits, got);
        }
    }
    free(buf);
    unlink(s), unlink(o), unlink(b);
    return 1;
}

/* RRR by hand: op2<<20 | op1<<16 | r<<12 | s<<8 | t<<4 (op0 = 0). */
static uint32_t rrr(int op1, int op2, int r, int s, int t)
{
    return (uint32_t)(op2 << 20 | op1 << 16 | r << 12 | s << 8 | t << 4);
}

static void esp32_only(void)
{
    expect_bits("quos a2,a2,a3 (measured 30 22 D2)", xe_quos(2, 2, 3), 0xD22230);
    static const struct { const char *n; uint32_t (*f)(int, int, int); int op1, op2; } t[] = {
        {"quou", xe_quou, 2, 12}, {"quos", xe_quos, 2, 13}, {"remu", xe_remu, 2, 14},
        {"rems", xe_rems, 2, 15}, {"muluh", xe_muluh, 2, 10}, {"mulsh", xe_mulsh, 2, 11},
        {"min", xe_min, 3, 4}, {"max", xe_max, 3, 5}, {"minu", xe_minu, 3, 6},
        {"maxu", xe_maxu, 3, 7}};
    char what[64];
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        for (int k = 0; k < NR; k++) {
            snprintf(what, sizeof what, "%s a%d,a%d,a%d", t[i].n, R[k][0], R[k][1], R[k][2]);
            expect_bits(what, t[i].f(R[k][0], R[k][1], R[k][2]),
                        rrr(t[i].op1, t[i].op2, R[k][0], R[k][1], R[k][2]));
        }
    for (int b = 7; b <= 22; b++) {
        int k = b % NR;
        snprintf(what, sizeof what, "sext a%d,a%d,%d", R[k][0], R[k][1], b);
        expect_bits(what, xe_sext(R[k][0], R[k][1], b), rrr(3, 2, R[k][0], R[k][1], b - 7));
        snprintf(what, sizeof what, "clamps a%d,a%d,%d", R[k][0], R[k][1], b);
        expect_bits(what, xe_clamps(R[k][0], R[k][1], b), rrr(3, 3, R[k][0], R[k][1], b - 7));
    }
    expect_bits("xe_length(quos)", (uint32_t)xe_length(xe_quos(2, 2, 3)), 3);
    expect_bits("xe_length(ret.n)", (uint32_t)xe_length(xe_ret_n()), 2);
}

/* The call must exit non-zero (diag_fatal) instead of returning bits. */
static void expect_abort(const char *what, uint32_t (*thunk)(void))
{
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        freopen("/dev/null", "w", stderr);
        thunk();
        _exit(0);
    }
    int st = 0;
    waitpid(p, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) != 0) passed++;
    else failed++, printf("FAIL %s did not abort\n", what);
}
static uint32_t bad1(void) { return xe_addi(2, 3, 128); }
static uint32_t bad2(void) { return xe_l32i(2, 3, 6); }
static uint32_t bad3(void) { return xe_slli(2, 3, 0); }
static uint32_t bad4(void) { return xe_movi(16, 0); }
static uint32_t bad5(void) { return xe_beqi(2, 9, 0); }
static uint32_t bad6(void) { return xe_l32r(2, 0); }
static uint32_t bad7(void) { return xe_j(131072); }
static uint32_t bad8(void) { return xe_addmi(2, 2, 100); }
static uint32_t bad9(void) { return xe_beq(2, 3, 128); }
static uint32_t bad10(void) { return xe_addi_n(2, 3, 0); }

int main(void)
{
    gen_lx106();
    run_as();
    esp32_only();
    expect_abort("addi 128", bad1);
    expect_abort("l32i offset 6", bad2);
    expect_abort("slli 0", bad3);
    expect_abort("movi a16", bad4);
    expect_abort("beqi 9", bad5);
    expect_abort("l32r offset 0", bad6);
    expect_abort("j 131072", bad7);
    expect_abort("addmi 100", bad8);
    expect_abort("beq offset 128", bad9);
    expect_abort("addi.n 0", bad10);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
