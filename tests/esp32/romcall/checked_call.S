/* checked_call.S — a CALL0 caller of oe_rom_call that fills the registers the CALL0 ABI
   says a callee preserves (a12-a15, sp) with known values and compares them afterwards:
     void rt_checked_call(uint32_t fn, int nargs, const uint32_t *args, struct rt_check *out)
   out: [0] result, [1] PS before, [2] PS after, [3] mask of what changed (bit 0-3: a12-a15,
   bit 4: sp). */
    .section .text.rt_checked_call, "ax"
    .literal_position
    .global rt_checked_call
    .align  4
rt_checked_call:
    addi    a1, a1, -32
    s32i    a0, a1, 0
    s32i    a12, a1, 4
    s32i    a13, a1, 8
    s32i    a14, a1, 12
    s32i    a15, a1, 16
    s32i    a5, a1, 20
    movi    a6, rt_expected_sp
    s32i    a1, a6, 0
    rsr     a6, ps
    s32i    a6, a5, 4
    movi    a12, 0x12C0FFEE
    movi    a13, 0x13BADF00
    movi    a14, 0x14DEC0DE
    movi    a15, 0x15FACADE
    call0   oe_rom_call
    movi    a7, 0
    movi    a6, rt_expected_sp
    l32i    a6, a6, 0
    beq     a1, a6, 1f
    movi    a7, 16
    mov     a1, a6                      /* to report it rather than crash */
1:  l32i    a5, a1, 20
    s32i    a2, a5, 0
    rsr     a6, ps
    s32i    a6, a5, 8
    movi    a6, 0x12C0FFEE
    beq     a12, a6, 1f
    addi    a7, a7, 1
1:  movi    a6, 0x13BADF00
    beq     a13, a6, 1f
    addi    a7, a7, 2
1:  movi    a6, 0x14DEC0DE
    beq     a14, a6, 1f
    addi    a7, a7, 4
1:  movi    a6, 0x15FACADE
    beq     a15, a6, 1f
    addi    a7, a7, 8
1:  s32i    a7, a5, 12
    l32i    a0, a1, 0
    l32i    a12, a1, 4
    l32i    a13, a1, 8
    l32i    a14, a1, 12
    l32i    a15, a1, 16
    addi    a1, a1, 32
    ret

    .section .bss.rt_expected_sp, "aw", @nobits
    .align  4
rt_expected_sp:
    .space  4
