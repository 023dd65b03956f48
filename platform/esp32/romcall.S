/* romcall.S — oe_rom_call(fn, nargs, args): a CALL0 function that calls a windowed-ABI
   function (the ESP32 ROM's) with callx8. See romcall.h.

   The windowed callee sees our a1 as its caller's sp and our a8-a15 as its a0-a7; our a0-a7
   stay ours and survive the call, in registers or spilled by the window handlers. To make
   our frame spillable we look like a call8 caller to the overflow8/underflow8 handlers:
   WINDOWSTART = our frame only; our a0-a3 go below the callee's sp (its business); our
   a4-a7 go to [P-32, P-16) with P read from [a1 - 12] — so a1 (the sp the callee gets)
   points 16 bytes into our frame, [a1 - 12] holds P, and [P-32, P-16) is our scratch.

   Frame, 64 bytes (CALL0 sp stays 16-byte aligned; the windowed ABI wants a1 aligned too):
     sp+0  .. sp+16   what the callee's frame reserves below our a1; [sp+4] = P = sp+48
     sp+16 .. sp+32   a4-a7 spill area ([P-32, P-16))
     sp+32 a0, sp+36 a12, sp+40 a13, sp+44 a14, sp+48 a15, sp+52 the caller's sp
   The original PS is kept in a5 across the call (so a broken a4-a7 spill/reload of our frame
   would show up as a wrong PS after the call). */
#include "../xtensa/xtensa_windowed.inc"

    .section .text.oe_rom_call, "ax"
    .literal_position
    .global oe_rom_call
    .type   oe_rom_call, @function
    .align  4
oe_rom_call:
    addi    a1, a1, -64
    s32i    a0, a1, 32
    s32i    a12, a1, 36
    s32i    a13, a1, 40
    s32i    a14, a1, 44
    s32i    a15, a1, 48
    addi    a5, a1, 64
    s32i    a5, a1, 52
    addi    a5, a1, 48
    s32i    a5, a1, 4                   /* P */
    /* the callee's a2..a7 are our a10..a15 */
    blti    a3, 1, 1f
    l32i    a10, a4, 0
    blti    a3, 2, 1f
    l32i    a11, a4, 4
    blti    a3, 3, 1f
    l32i    a12, a4, 8
    blti    a3, 4, 1f
    l32i    a13, a4, 12
    blti    a3, 5, 1f
    l32i    a14, a4, 16
    blti    a3, 6, 1f
    l32i    a15, a4, 20
1:  /* WINDOWSTART = 1 << WINDOWBASE: no stale frame may be spilled over our stack */
    xw_rsr  6, XW_WINDOWBASE
    movi    a7, 1
    ssl     a6
    sll     a7, a7
    xw_wsr  7, XW_WINDOWSTART
    /* PS: WOE = 1, EXCM = 0 (ENTRY is illegal otherwise, and window exceptions need it);
       INTLEVEL, UM and the rest as they were */
    rsr     a5, ps
    movi    a6, ~XW_PS_EXCM
    and     a6, a5, a6
    movi    a7, XW_PS_WOE
    or      a6, a6, a7
    wsr     a6, ps
    rsync
    addi    a1, a1, 16
    xw_callx8 2
    wsr     a5, ps                      /* WOE = 0 again, before touching a8-a15 */
    rsync
    mov     a2, a10
    addi    a1, a1, -16
    l32i    a0, a1, 32
    l32i    a12, a1, 36
    l32i    a13, a1, 40
    l32i    a14, a1, 44
    l32i    a15, a1, 48
    l32i    a1, a1, 52
    ret
    .size   oe_rom_call, . - oe_rom_call
