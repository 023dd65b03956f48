/* rom_like.S — windowed-ABI functions standing in for the ESP32 ROM's: entry/retw and
   call4/call8/call12 as raw bytes (xtensa_windowed.inc). Kept in `.begin no-transform` so
   that nothing between a function's label and its calls changes size (the calls' offsets
   are computed from that label) and no literal sits between a call and its target. */
#include "xtensa_windowed.inc"

    .text
    .begin  no-transform

/* (a, b, c, d, e, f) -> ((((a*3 + b)*3 + c)*3 + d)*3 + e)*3 + f: every argument with its
   own weight, so a lost or swapped argument shows */
    .align  4
    .global rt_w_sum6
rt_w_sum6:
    xw_entry 1, 32
    addx2   a2, a2, a2
    add     a2, a2, a3
    addx2   a2, a2, a2
    add     a2, a2, a4
    addx2   a2, a2, a2
    add     a2, a2, a5
    addx2   a2, a2, a2
    add     a2, a2, a6
    addx2   a2, a2, a2
    add     a2, a2, a7
    xw_retw

/* (a, b) -> a - b */
    .align  4
    .global rt_w_sub2
rt_w_sub2:
    xw_entry 1, 32
    sub     a2, a2, a3
    xw_retw

/* rec(n, x): n == 0 -> x ^ 1445; else by n & 3 a call4 (0), call8 (1) or call12 (2, 3) of
   rec(n - 1, 2x + n) = y, keeping locals L_k = x + (n << k) in the registers that call
   preserves (none, a4-a7, a4-a11), and returns 2y + n + x + sum L_k. Deep enough, this
   overflows the register file with all three frame sizes; every spilled local is checked by
   the result (tests/esp32/romcall/main.c computes the same). Frame: 16 reserved bytes on top,
   32 for a4-a11 when spilled. */
    .align  4
    .global rt_w_rec
rt_w_rec:
    xw_entry 1, 48
    beqz    a2, .Lrec_base
    extui   a15, a2, 0, 2
    beqz    a15, .Lrec_call4
    beqi    a15, 1, .Lrec_call8
    slli    a4, a2, 1
    add     a4, a4, a3
    slli    a5, a2, 2
    add     a5, a5, a3
    slli    a6, a2, 3
    add     a6, a6, a3
    slli    a7, a2, 4
    add     a7, a7, a3
    slli    a8, a2, 5
    add     a8, a8, a3
    slli    a9, a2, 6
    add     a9, a9, a3
    slli    a10, a2, 7
    add     a10, a10, a3
    slli    a11, a2, 8
    add     a11, a11, a3
    addi    a14, a2, -1
    addx2   a15, a3, a2
    xw_call12 rt_w_rec, rt_w_rec
    add     a12, a2, a3
    add     a12, a12, a4
    add     a12, a12, a5
    add     a12, a12, a6
    add     a12, a12, a7
    add     a12, a12, a8
    add     a12, a12, a9
    add     a12, a12, a10
    add     a12, a12, a11
    addx2   a2, a14, a12
    xw_retw
.Lrec_call8:
    slli    a4, a2, 1
    add     a4, a4, a3
    slli    a5, a2, 2
    add     a5, a5, a3
    slli    a6, a2, 3
    add     a6, a6, a3
    slli    a7, a2, 4
    add     a7, a7, a3
    addi    a10, a2, -1
    addx2   a11, a3, a2
    xw_call8 rt_w_rec, rt_w_rec
    add     a8, a2, a3
    add     a8, a8, a4
    add     a8, a8, a5
    add     a8, a8, a6
    add     a8, a8, a7
    addx2   a2, a10, a8
    xw_retw
.Lrec_call4:
    addi    a6, a2, -1
    addx2   a7, a3, a2
    xw_call4 rt_w_rec, rt_w_rec
    add     a4, a2, a3
    addx2   a2, a6, a4
    xw_retw
.Lrec_base:
    movi    a4, 1445
    xor     a2, a3, a4
    xw_retw

/* clobber(k): k frames deep by call12 only; each writes every register it can see but its
   sp (a0, a2-a15, SAR) before and after its call, keeping k and its return address in its
   stack frame; returns k + clobber(k - 1) (clobber(0) = 0). Frame: 12 bytes of locals at the
   bottom, 32 for a4-a11, 16 reserved on top. */
    .macro  clobber_all
    movi    a0, 0x7A0
    movi    a2, 0x7A2
    movi    a3, 0x7A3
    movi    a4, 0x7A4
    movi    a5, 0x7A5
    movi    a6, 0x7A6
    movi    a7, 0x7A7
    movi    a8, 0x7A8
    movi    a9, 0x7A9
    movi    a10, 0x7AA
    movi    a11, 0x7AB
    movi    a12, 0x7AC
    movi    a13, 0x7AD
    movi    a14, 0x7AE
    movi    a15, 0x7AF
    ssl     a15
    .endm
    .align  4
    .global rt_w_clobber
rt_w_clobber:
    xw_entry 1, 64
    s32i    a0, a1, 0
    s32i    a2, a1, 4
    clobber_all
    l32i    a14, a1, 4
    movi    a2, 0
    beqz    a14, 1f
    addi    a14, a14, -1
    xw_call12 rt_w_clobber, rt_w_clobber
    mov     a2, a14
1:  l32i    a3, a1, 4
    add     a3, a3, a2
    s32i    a3, a1, 8
    clobber_all
    l32i    a0, a1, 0
    l32i    a2, a1, 8
    xw_retw

/* () -> 0x600DCAFE, from a literal (nothing to read in a2..a7) */
    .align  4
.Lconst:
    .word   0x600DCAFE
    .global rt_w_const
rt_w_const:
    xw_entry 1, 32
    l32r    a2, .Lconst
    xw_retw

    .end    no-transform
