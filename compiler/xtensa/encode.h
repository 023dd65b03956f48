/* encode.h — Xtensa instruction encodings (the lx106 subset plus the ESP32 additions used).

   One function per instruction, named after the mnemonic ('.' → '_'). Operands come in
   assembly order with their assembly values: registers 0..15, immediates and byte offsets
   as written in assembly (e.g. `l32i a2, a3, 8` is xe_l32i(2, 3, 8)). The result is the
   instruction word; stored little-endian (byte 0 = bits & 0xff) it is 3 bytes long, or 2
   bytes for the density (narrow) instructions: see xe_length.

   Every operand is range-checked: an unencodable operand is a compiler bug and aborts with
   a message naming the instruction (nothing is silently truncated).

   PC-relative forms take the raw offset field, not a target address:
     branches (b*, b*z, b*i, bbci/bbsi, beqz.n/bnez.n), j:  target = pc + 4 + off
     call0:  target = (pc & ~3) + 4 + (off << 2)        (off in words, ±2^17)
     l32r:   target = ((pc + 3) & ~3) + (off << 2)      (off in words, -65536..-1) */
#ifndef OE_XTENSA_ENCODE_H
#define OE_XTENSA_ENCODE_H
#include <stdint.h>

/* Raw formats (fields as in the ISA reference; each field range-checked as unsigned). */
uint32_t xe_rrr(int op0, int op1, int op2, int r, int s, int t);
uint32_t xe_rri8(int op0, int r, int s, int t, int imm8);
uint32_t xe_ri16(int op0, int t, int imm16);
uint32_t xe_call(int op0, int n, int offset18);
uint32_t xe_bri12(int op0, int n, int m, int s, int imm12);
uint32_t xe_rrrn(int op0, int r, int s, int t);

int xe_length(uint32_t bits);   /* 2 for op0 8..13 (narrow), else 3 */

/* Immediate tables of the b*i branches: index of v, or -1 when v is not encodable. */
int xe_b4const_index(int32_t v);    /* beqi, bnei, blti, bgei */
int xe_b4constu_index(int32_t v);   /* bltui, bgeui */

/* Arithmetic and logic. */
uint32_t xe_add(int r, int s, int t);
uint32_t xe_add_n(int r, int s, int t);
uint32_t xe_addx2(int r, int s, int t);
uint32_t xe_addx4(int r, int s, int t);
uint32_t xe_addx8(int r, int s, int t);
uint32_t xe_sub(int r, int s, int t);
uint32_t xe_subx2(int r, int s, int t);
uint32_t xe_subx4(int r, int s, int t);
uint32_t xe_subx8(int r, int s, int t);
uint32_t xe_addi(int t, int s, int imm);       /* -128..127 */
uint32_t xe_addi_n(int r, int s, int imm);     /* -1, 1..15 */
uint32_t xe_addmi(int t, int s, int imm);      /* multiple of 256 in -32768..32512 */
uint32_t xe_and(int r, int s, int t);
uint32_t xe_or(int r, int s, int t);
uint32_t xe_xor(int r, int s, int t);
uint32_t xe_neg(int r, int t);
uint32_t xe_abs(int r, int t);
uint32_t xe_mov(int r, int s);                 /* or r, s, s */
uint32_t xe_mov_n(int t, int s);
uint32_t xe_movi(int t, int imm);              /* -2048..2047 */
uint32_t xe_movi_n(int s, int imm);            /* -32..95 */
uint32_t xe_moveqz(int r, int s, int t);
uint32_t xe_movnez(int r, int s, int t);
uint32_t xe_movltz(int r, int s, int t);
uint32_t xe_movgez(int r, int s, int t);

/* Loads and stores: byte offsets as in assembly. */
uint32_t xe_l8ui(int t, int s, int off);       /* 0..255 */
uint32_t xe_l16ui(int t, int s, int off);      /* even, 0..510 */
uint32_t xe_l16si(int t, int s, int off);
uint32_t xe_l32i(int t, int s, int off);       /* multiple of 4, 0..1020 */
uint32_t xe_l32i_n(int t, int s, int off);     /* multiple of 4, 0..60 */
uint32_t xe_s8i(int t, int s, int off);
uint32_t xe_s16i(int t, int s, int off);
uint32_t xe_s32i(int t, int s, int off);
uint32_t xe_s32i_n(int t, int s, int off);
uint32_t xe_l32r(int t, int off);              /* raw word offset, -65536..-1 */

/* Shifts. */
uint32_t xe_slli(int r, int s, int sa);        /* 1..31 */
uint32_t xe_srli(int r, int t, int sa);        /* 0..15 */
uint32_t xe_srai(int r, int t, int sa);        /* 0..31 */
uint32_t xe_sll(int r, int s);
uint32_t xe_srl(int r, int t);
uint32_t xe_sra(int r, int t);
uint32_t xe_src(int r, int s, int t);
uint32_t xe_ssl(int s);
uint32_t xe_ssr(int s);
uint32_t xe_ssai(int sa);                      /* 0..31 */
uint32_t xe_ssa8l(int s);
uint32_t xe_ssa8b(int s);
uint32_t xe_extui(int r, int t, int shift, int bits);  /* shift 0..31, bits 1..16 */

/* Multiply, divide, misc (quos..clamps and mulsh/muluh: ESP32 only, not lx106). */
uint32_t xe_mull(int r, int s, int t);
uint32_t xe_mul16s(int r, int s, int t);
uint32_t xe_mul16u(int r, int s, int t);
uint32_t xe_mulsh(int r, int s, int t);
uint32_t xe_muluh(int r, int s, int t);
uint32_t xe_quos(int r, int s, int t);
uint32_t xe_quou(int r, int s, int t);
uint32_t xe_rems(int r, int s, int t);
uint32_t xe_remu(int r, int s, int t);
uint32_t xe_min(int r, int s, int t);
uint32_t xe_max(int r, int s, int t);
uint32_t xe_minu(int r, int s, int t);
uint32_t xe_maxu(int r, int s, int t);
uint32_t xe_sext(int r, int s, int bit);       /* 7..22 */
uint32_t xe_clamps(int r, int s, int bit);     /* 7..22 */
uint32_t xe_nsa(int t, int s);
uint32_t xe_nsau(int t, int s);

/* Control. */
uint32_t xe_ret(void);
uint32_t xe_ret_n(void);
uint32_t xe_jx(int s);
uint32_t xe_callx0(int s);
uint32_t xe_nop(void);
uint32_t xe_nop_n(void);
uint32_t xe_ill(void);
uint32_t xe_ill_n(void);
uint32_t xe_break(int s, int t);
uint32_t xe_break_n(int s);
uint32_t xe_memw(void);
uint32_t xe_isync(void);
uint32_t xe_rsync(void);
uint32_t xe_esync(void);
uint32_t xe_dsync(void);
uint32_t xe_extw(void);
uint32_t xe_rsil(int t, int level);            /* 0..15 */
uint32_t xe_waiti(int level);
uint32_t xe_rsr(int t, int sr);                /* sr 0..255 */
uint32_t xe_wsr(int t, int sr);
uint32_t xe_xsr(int t, int sr);

/* PC-relative (raw offset fields, see above). */
uint32_t xe_j(int off);                        /* -131072..131071 */
uint32_t xe_call0(int off);                    /* words, -131072..131071 */
uint32_t xe_beq(int s, int t, int off);        /* off -128..127 for all b* */
uint32_t xe_bne(int s, int t, int off);
uint32_t xe_blt(int s, int t, int off);
uint32_t xe_bge(int s, int t, int off);
uint32_t xe_bltu(int s, int t, int off);
uint32_t xe_bgeu(int s, int t, int off);
uint32_t xe_bany(int s, int t, int off);
uint32_t xe_bnone(int s, int t, int off);
uint32_t xe_ball(int s, int t, int off);
uint32_t xe_bnall(int s, int t, int off);
uint32_t xe_bbc(int s, int t, int off);
uint32_t xe_bbs(int s, int t, int off);
uint32_t xe_beqi(int s, int32_t imm, int off);   /* imm in b4const */
uint32_t xe_bnei(int s, int32_t imm, int off);
uint32_t xe_blti(int s, int32_t imm, int off);
uint32_t xe_bgei(int s, int32_t imm, int off);
uint32_t xe_bltui(int s, int32_t imm, int off);  /* imm in b4constu */
uint32_t xe_bgeui(int s, int32_t imm, int off);
uint32_t xe_bbci(int s, int bit, int off);
uint32_t xe_bbsi(int s, int bit, int off);
uint32_t xe_beqz(int s, int off);              /* -2048..2047 */
uint32_t xe_bnez(int s, int off);
uint32_t xe_bltz(int s, int off);
uint32_t xe_bgez(int s, int off);
uint32_t xe_beqz_n(int s, int off);            /* 0..63 */
uint32_t xe_bnez_n(int s, int off);
#endif
