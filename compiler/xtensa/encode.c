/* encode.c — Xtensa instruction bits. Field layout (bit 23 .. bit 0):
     RRR   op2:4 op1:4 r:4 s:4 t:4 op0:4        RRI8  imm8:8 r:4 s:4 t:4 op0:4
     RI16  imm16:16 t:4 op0:4                   CALL  offset:18 n:2 op0:4
     BRI12 imm12:12 s:4 m:2 n:2 op0:4           RRRN  r:4 s:4 t:4 op0:4 (16 bits)
   Opcode values come from the Xtensa ISA reference; test_encode checks every function
   against the GNU assembler. */
#include "xtensa/encode.h"
#include "diag.h"

/* Aborts unless lo <= v <= hi and v is a multiple of step. */
static void chk(const char *insn, const char *what, long v, long lo, long hi, long step)
{
    if (v < lo || v > hi || v % step != 0) {
        if (step > 1)
            diag_fatal("xtensa encoder", "%s: %s %ld out of range %ld..%ld (multiple of %ld)",
                       insn, what, v, lo, hi, step);
        diag_fatal("xtensa encoder", "%s: %s %ld out of range %ld..%ld", insn, what, v, lo, hi);
    }
}
static void reg(const char *insn, int r) { chk(insn, "register", r, 0, 15, 1); }

uint32_t xe_rrr(int op0, int op1, int op2, int r, int s, int t)
{
    chk("rrr", "op0", op0, 0, 15, 1); chk("rrr", "op1", op1, 0, 15, 1);
    chk("rrr", "op2", op2, 0, 15, 1); chk("rrr", "r", r, 0, 15, 1);
    chk("rrr", "s", s, 0, 15, 1);     chk("rrr", "t", t, 0, 15, 1);
    return (uint32_t)op2 << 20 | (uint32_t)op1 << 16 | (uint32_t)r << 12 | (uint32_t)s << 8 |
           (uint32_t)t << 4 | (uint32_t)op0;
}
uint32_t xe_rri8(int op0, int r, int s, int t, int imm8)
{
    chk("rri8", "imm8", imm8, 0, 255, 1);
    return xe_rrr(op0, 0, 0, r, s, t) | (uint32_t)imm8 << 16;
}
uint32_t xe_ri16(int op0, int t, int imm16)
{
    chk("ri16", "imm16", imm16, 0, 0xffff, 1);
    return xe_rrr(op0, 0, 0, 0, 0, t) | (uint32_t)imm16 << 8;
}
uint32_t xe_call(int op0, int n, int offset18)
{
    chk("call", "n", n, 0, 3, 1);
    chk("call", "offset", offset18, 0, 0x3ffff, 1);
    return (uint32_t)offset18 << 6 | (uint32_t)n << 4 | xe_rrr(op0, 0, 0, 0, 0, 0);
}
uint32_t xe_bri12(int op0, int n, int m, int s, int imm12)
{
    chk("bri12", "n", n, 0, 3, 1); chk("bri12", "m", m, 0, 3, 1);
    chk("bri12", "imm12", imm12, 0, 0xfff, 1);
    return (uint32_t)imm12 << 12 | xe_rrr(op0, 0, 0, 0, s, m << 2 | n);
}
uint32_t xe_rrrn(int op0, int r, int s, int t)
{
    chk("rrrn", "op0", op0, 8, 13, 1);
    return xe_rrr(op0, 0, 0, r, s, t);
}

int xe_length(uint32_t bits)
{
    unsigned op0 = bits & 15;
    return op0 >= 8 && op0 <= 13 ? 2 : 3;
}

static const int32_t b4const[16] = {-1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256};
static const int32_t b4constu[16] = {32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64,
                                     128, 256};
static int find16(const int32_t *tab, int32_t v)
{
    for (int i = 0; i < 16; i++)
        if (tab[i] == v) return i;
    return -1;
}
int xe_b4const_index(int32_t v) { return find16(b4const, v); }
int xe_b4constu_index(int32_t v) { return find16(b4constu, v); }

/* ---- QRST group (op0 = 0) ---- */
static uint32_t rrr3(const char *n, int op1, int op2, int r, int s, int t)
{
    reg(n, r); reg(n, s); reg(n, t);
    return xe_rrr(0, op1, op2, r, s, t);
}
uint32_t xe_and(int r, int s, int t)   { return rrr3("and", 0, 1, r, s, t); }
uint32_t xe_or(int r, int s, int t)    { return rrr3("or", 0, 2, r, s, t); }
uint32_t xe_xor(int r, int s, int t)   { return rrr3("xor", 0, 3, r, s, t); }
uint32_t xe_mov(int r, int s)          { return rrr3("mov", 0, 2, r, s, s); }
uint32_t xe_add(int r, int s, int t)   { return rrr3("add", 0, 8, r, s, t); }
uint32_t xe_addx2(int r, int s, int t) { return rrr3("addx2", 0, 9, r, s, t); }
uint32_t xe_addx4(int r, int s, int t) { return rrr3("addx4", 0, 10, r, s, t); }
uint32_t xe_addx8(int r, int s, int t) { return rrr3("addx8", 0, 11, r, s, t); }
uint32_t xe_sub(int r, int s, int t)   { return rrr3("sub", 0, 12, r, s, t); }
uint32_t xe_subx2(int r, int s, int t) { return rrr3("subx2", 0, 13, r, s, t); }
uint32_t xe_subx4(int r, int s, int t) { return rrr3("subx4", 0, 14, r, s, t); }
uint32_t xe_subx8(int r, int s, int t) { return rrr3("subx8", 0, 15, r, s, t); }
uint32_t xe_neg(int r, int t)          { return rrr3("neg", 0, 6, r, 0, t); }
uint32_t xe_abs(int r, int t)          { return rrr3("abs", 0, 6, r, 1, t); }

uint32_t xe_src(int r, int s, int t)    { return rrr3("src", 1, 8, r, s, t); }
uint32_t xe_srl(int r, int t)           { return rrr3("srl", 1, 9, r, 0, t); }
uint32_t xe_sll(int r, int s)           { return rrr3("sll", 1, 10, r, s, 0); }
uint32_t xe_sra(int r, int t)           { return rrr3("sra", 1, 11, r, 0, t); }
uint32_t xe_mul16u(int r, int s, int t) { return rrr3("mul16u", 1, 12, r, s, t); }
uint32_t xe_mul16s(int r, int s, int t) { return rrr3("mul16s", 1, 13, r, s, t); }
uint32_t xe_slli(int r, int s, int sa)
{   /* the field holds 32 - sa, split as op2[0]:t */
    chk("slli", "shift", sa, 1, 31, 1);
    return rrr3("slli", 1, (32 - sa) >> 4, r, s, (32 - sa) & 15);
}
uint32_t xe_srai(int r, int t, int sa)
{
    chk("srai", "shift", sa, 0, 31, 1);
    return rrr3("srai", 1, 2 | sa >> 4, r, sa & 15, t);
}
uint32_t xe_srli(int r, int t, int sa)
{
    chk("srli", "shift", sa, 0, 15, 1);
    return rrr3("srli", 1, 4, r, sa, t);
}

uint32_t xe_mull(int r, int s, int t)  { return rrr3("mull", 2, 8, r, s, t); }
uint32_t xe_muluh(int r, int s, int t) { return rrr3("muluh", 2, 10, r, s, t); }
uint32_t xe_mulsh(int r, int s, int t) { return rrr3("mulsh", 2, 11, r, s, t); }
uint32_t xe_quou(int r, int s, int t)  { return rrr3("quou", 2, 12, r, s, t); }
uint32_t xe_quos(int r, int s, int t)  { return rrr3("quos", 2, 13, r, s, t); }
uint32_t xe_remu(int r, int s, int t)  { return rrr3("remu", 2, 14, r, s, t); }
uint32_t xe_rems(int r, int s, int t)  { return rrr3("rems", 2, 15, r, s, t); }

static uint32_t sr_op(const char *n, int op2, int t, int sr)
{
    chk(n, "special register", sr, 0, 255, 1);
    return rrr3(n, 3, op2, sr >> 4, sr & 15, t);
}
uint32_t xe_rsr(int t, int sr) { return sr_op("rsr", 0, t, sr); }
uint32_t xe_wsr(int t, int sr) { return sr_op("wsr", 1, t, sr); }
uint32_t xe_xsr(int t, int sr)
{
    chk("xsr", "special register", sr, 0, 255, 1);
    return rrr3("xsr", 1, 6, sr >> 4, sr & 15, t);
}
uint32_t xe_sext(int r, int s, int bit)
{
    chk("sext", "bit", bit, 7, 22, 1);
    return rrr3("sext", 3, 2, r, s, bit - 7);
}
uint32_t xe_clamps(int r, int s, int bit)
{
    chk("clamps", "bit", bit, 7, 22, 1);
    return rrr3("clamps", 3, 3, r, s, bit - 7);
}
uint32_t xe_min(int r, int s, int t)    { return rrr3("min", 3, 4, r, s, t); }
uint32_t xe_max(int r, int s, int t)    { return rrr3("max", 3, 5, r, s, t); }
uint32_t xe_minu(int r, int s, int t)   { return rrr3("minu", 3, 6, r, s, t); }
uint32_t xe_maxu(int r, int s, int t)   { return rrr3("maxu", 3, 7, r, s, t); }
uint32_t xe_moveqz(int r, int s, int t) { return rrr3("moveqz", 3, 8, r, s, t); }
uint32_t xe_movnez(int r, int s, int t) { return rrr3("movnez", 3, 9, r, s, t); }
uint32_t xe_movltz(int r, int s, int t) { return rrr3("movltz", 3, 10, r, s, t); }
uint32_t xe_movgez(int r, int s, int t) { return rrr3("movgez", 3, 11, r, s, t); }

uint32_t xe_extui(int r, int t, int shift, int bits)
{
    chk("extui", "shift", shift, 0, 31, 1);
    chk("extui", "mask bits", bits, 1, 16, 1);
    return rrr3("extui", 4 | shift >> 4, bits - 1, r, shift & 15, t);
}

/* ST1 (op1 = 0, op2 = 4): shift amount setup and NSA. */
uint32_t xe_ssr(int s)   { return rrr3("ssr", 0, 4, 0, s, 0); }
uint32_t xe_ssl(int s)   { return rrr3("ssl", 0, 4, 1, s, 0); }
uint32_t xe_ssa8l(int s) { return rrr3("ssa8l", 0, 4, 2, s, 0); }
uint32_t xe_ssa8b(int s) { return rrr3("ssa8b", 0, 4, 3, s, 0); }
uint32_t xe_ssai(int sa)
{
    chk("ssai", "shift", sa, 0, 31, 1);
    return xe_rrr(0, 0, 4, 4, sa & 15, sa >> 4);
}
uint32_t xe_nsa(int t, int s)  { return rrr3("nsa", 0, 4, 14, s, t); }
uint32_t xe_nsau(int t, int s) { return rrr3("nsau", 0, 4, 15, s, t); }

/* ST0 (op1 = 0, op2 = 0): r selects the group; SNM0 (r = 0) encodes m:n in t. */
uint32_t xe_ill(void)      { return xe_rrr(0, 0, 0, 0, 0, 0); }
uint32_t xe_ret(void)      { return xe_rrr(0, 0, 0, 0, 0, 8); }
uint32_t xe_jx(int s)      { return rrr3("jx", 0, 0, 0, s, 10); }
uint32_t xe_callx0(int s)  { return rrr3("callx0", 0, 0, 0, s, 12); }
uint32_t xe_isync(void)    { return xe_rrr(0, 0, 0, 2, 0, 0); }
uint32_t xe_rsync(void)    { return xe_rrr(0, 0, 0, 2, 0, 1); }
uint32_t xe_esync(void)    { return xe_rrr(0, 0, 0, 2, 0, 2); }
uint32_t xe_dsync(void)    { return xe_rrr(0, 0, 0, 2, 0, 3); }
uint32_t xe_memw(void)     { return xe_rrr(0, 0, 0, 2, 0, 12); }
uint32_t xe_extw(void)     { return xe_rrr(0, 0, 0, 2, 0, 13); }
uint32_t xe_nop(void)      { return xe_rrr(0, 0, 0, 2, 0, 15); }
uint32_t xe_break(int s, int t)
{
    chk("break", "imm s", s, 0, 15, 1); chk("break", "imm t", t, 0, 15, 1);
    return xe_rrr(0, 0, 0, 4, s, t);
}
uint32_t xe_rsil(int t, int level)
{
    chk("rsil", "level", level, 0, 15, 1);
    return rrr3("rsil", 0, 0, 6, level, t);
}
uint32_t xe_waiti(int level)
{
    chk("waiti", "level", level, 0, 15, 1);
    return xe_rrr(0, 0, 0, 7, level, 0);
}

/* ---- LSAI (op0 = 2): loads, stores, movi, addi, addmi; r selects ---- */
static uint32_t lsai(const char *n, int sub, int t, int s, int off, int scale, int max)
{
    reg(n, t); reg(n, s);
    chk(n, "offset", off, 0, max, scale);
    return xe_rri8(2, sub, s, t, off / scale);
}
uint32_t xe_l8ui(int t, int s, int off)  { return lsai("l8ui", 0, t, s, off, 1, 255); }
uint32_t xe_l16ui(int t, int s, int off) { return lsai("l16ui", 1, t, s, off, 2, 510); }
uint32_t xe_l32i(int t, int s, int off)  { return lsai("l32i", 2, t, s, off, 4, 1020); }
uint32_t xe_s8i(int t, int s, int off)   { return lsai("s8i", 4, t, s, off, 1, 255); }
uint32_t xe_s16i(int t, int s, int off)  { return lsai("s16i", 5, t, s, off, 2, 510); }
uint32_t xe_s32i(int t, int s, int off)  { return lsai("s32i", 6, t, s, off, 4, 1020); }
uint32_t xe_l16si(int t, int s, int off) { return lsai("l16si", 9, t, s, off, 2, 510); }
uint32_t xe_movi(int t, int imm)
{   /* imm12 split: s = imm[11:8], imm8 = imm[7:0] */
    reg("movi", t);
    chk("movi", "immediate", imm, -2048, 2047, 1);
    return xe_rri8(2, 10, (imm >> 8) & 15, t, imm & 255);
}
uint32_t xe_addi(int t, int s, int imm)
{
    reg("addi", t); reg("addi", s);
    chk("addi", "immediate", imm, -128, 127, 1);
    return xe_rri8(2, 12, s, t, imm & 255);
}
uint32_t xe_addmi(int t, int s, int imm)
{
    reg("addmi", t); reg("addmi", s);
    chk("addmi", "immediate", imm, -32768, 32512, 256);
    return xe_rri8(2, 13, s, t, (imm / 256) & 255);
}

uint32_t xe_l32r(int t, int off)
{
    reg("l32r", t);
    chk("l32r", "word offset", off, -65536, -1, 1);
    return xe_ri16(1, t, off & 0xffff);
}

/* ---- narrow (density) instructions ---- */
uint32_t xe_l32i_n(int t, int s, int off)
{
    reg("l32i.n", t); reg("l32i.n", s);
    chk("l32i.n", "offset", off, 0, 60, 4);
    return xe_rrrn(8, off / 4, s, t);
}
uint32_t xe_s32i_n(int t, int s, int off)
{
    reg("s32i.n", t); reg("s32i.n", s);
    chk("s32i.n", "offset", off, 0, 60, 4);
    return xe_rrrn(9, off / 4, s, t);
}
uint32_t xe_add_n(int r, int s, int t)
{
    reg("add.n", r); reg("add.n", s); reg("add.n", t);
    return xe_rrrn(10, r, s, t);
}
uint32_t xe_addi_n(int r, int s, int imm)
{   /* t = 0 encodes -1 */
    reg("addi.n", r); reg("addi.n", s);
    if (imm == 0) chk("addi.n", "immediate", imm, -1, -1, 1);
    chk("addi.n", "immediate", imm, -1, 15, 1);
    return xe_rrrn(11, r, s, imm == -1 ? 0 : imm);
}
uint32_t xe_movi_n(int s, int imm)
{   /* 7-bit imm: r = imm[3:0], t = imm[6:4]; values 96..127 stand for -32..-1 */
    reg("movi.n", s);
    chk("movi.n", "immediate", imm, -32, 95, 1);
    return xe_rrrn(12, imm & 15, s, (imm >> 4) & 7);
}
static uint32_t bz_n(const char *n, int z, int s, int off)
{   /* t = 1 z imm[5:4], r = imm[3:0] */
    reg(n, s);
    chk(n, "offset", off, 0, 63, 1);
    return xe_rrrn(12, off & 15, s, 8 | z << 2 | off >> 4);
}
uint32_t xe_beqz_n(int s, int off) { return bz_n("beqz.n", 0, s, off); }
uint32_t xe_bnez_n(int s, int off) { return bz_n("bnez.n", 1, s, off); }
uint32_t xe_mov_n(int t, int s)
{
    reg("mov.n", t); reg("mov.n", s);
    return xe_rrrn(13, 0, s, t);
}
uint32_t xe_ret_n(void)  { return xe_rrrn(13, 15, 0, 0); }
uint32_t xe_nop_n(void)  { return xe_rrrn(13, 15, 0, 3); }
uint32_t xe_ill_n(void)  { return xe_rrrn(13, 15, 0, 6); }
uint32_t xe_break_n(int s)
{
    chk("break.n", "immediate", s, 0, 15, 1);
    return xe_rrrn(13, 15, s, 2);
}

/* ---- PC-relative ---- */
uint32_t xe_j(int off)
{
    chk("j", "offset", off, -131072, 131071, 1);
    return xe_call(6, 0, off & 0x3ffff);
}
uint32_t xe_call0(int off)
{
    chk("call0", "word offset", off, -131072, 131071, 1);
    return xe_call(5, 0, off & 0x3ffff);
}

/* B group (op0 = 7), RRI8 with r selecting the condition. */
static uint32_t bcc(const char *n, int r, int s, int t, int off)
{
    reg(n, s); reg(n, t);
    chk(n, "offset", off, -128, 127, 1);
    return xe_rri8(7, r, s, t, off & 255);
}
uint32_t xe_bnone(int s, int t, int off) { return bcc("bnone", 0, s, t, off); }
uint32_t xe_beq(int s, int t, int off)   { return bcc("beq", 1, s, t, off); }
uint32_t xe_blt(int s, int t, int off)   { return bcc("blt", 2, s, t, off); }
uint32_t xe_bltu(int s, int t, int off)  { return bcc("bltu", 3, s, t, off); }
uint32_t xe_ball(int s, int t, int off)  { return bcc("ball", 4, s, t, off); }
uint32_t xe_bbc(int s, int t, int off)   { return bcc("bbc", 5, s, t, off); }
uint32_t xe_bany(int s, int t, int off)  { return bcc("bany", 8, s, t, off); }
uint32_t xe_bne(int s, int t, int off)   { return bcc("bne", 9, s, t, off); }
uint32_t xe_bge(int s, int t, int off)   { return bcc("bge", 10, s, t, off); }
uint32_t xe_bgeu(int s, int t, int off)  { return bcc("bgeu", 11, s, t, off); }
uint32_t xe_bnall(int s, int t, int off) { return bcc("bnall", 12, s, t, off); }
uint32_t xe_bbs(int s, int t, int off)   { return bcc("bbs", 13, s, t, off); }
/* bbci/bbsi: r = 6|bit[4] or 14|bit[4], t = bit[3:0] */
uint32_t xe_bbci(int s, int bit, int off)
{
    chk("bbci", "bit", bit, 0, 31, 1);
    return bcc("bbci", 6 | bit >> 4, s, bit & 15, off);
}
uint32_t xe_bbsi(int s, int bit, int off)
{
    chk("bbsi", "bit", bit, 0, 31, 1);
    return bcc("bbsi", 14 | bit >> 4, s, bit & 15, off);
}

/* SI group (op0 = 6): n = 1 BZ (BRI12), n = 2 BI0 and n = 3 BI1 (BRI8: imm8 r s m n). */
static uint32_t bz(const char *n, int m, int s, int off)
{
    reg(n, s);
    chk(n, "offset", off, -2048, 2047, 1);
    return xe_bri12(6, 1, m, s, off & 0xfff);
}
uint32_t xe_beqz(int s, int off) { return bz("beqz", 0, s, off); }
uint32_t xe_bnez(int s, int off) { return bz("bnez", 1, s, off); }
uint32_t xe_bltz(int s, int off) { return bz("bltz", 2, s, off); }
uint32_t xe_bgez(int s, int off) { return bz("bgez", 3, s, off); }

static uint32_t bi(const char *n, int nfield, int m, int s, int32_t imm, int off, int idx)
{
    reg(n, s);
    if (idx < 0) diag_fatal("xtensa encoder", "%s: immediate %ld not encodable", n, (long)imm);
    chk(n, "offset", off, -128, 127, 1);
    return xe_rri8(6, idx, s, m << 2 | nfield, off & 255);
}
uint32_t xe_beqi(int s, int32_t imm, int off)
{ return bi("beqi", 2, 0, s, imm, off, xe_b4const_index(imm)); }
uint32_t xe_bnei(int s, int32_t imm, int off)
{ return bi("bnei", 2, 1, s, imm, off, xe_b4const_index(imm)); }
uint32_t xe_blti(int s, int32_t imm, int off)
{ return bi("blti", 2, 2, s, imm, off, xe_b4const_index(imm)); }
uint32_t xe_bgei(int s, int32_t imm, int off)
{ return bi("bgei", 2, 3, s, imm, off, xe_b4const_index(imm)); }
uint32_t xe_bltui(int s, int32_t imm, int off)
{ return bi("bltui", 3, 2, s, imm, off, xe_b4constu_index(imm)); }
uint32_t xe_bgeui(int s, int32_t imm, int off)
{ return bi("bgeui", 3, 3, s, imm, off, xe_b4constu_index(imm)); }
