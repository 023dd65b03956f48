/* start.S — the test's bare-metal start on QEMU dc233c: reset stub, entry, vector table
   (the ESP32's window handlers, counting unless RT_PLAIN_HANDLERS), semihosting. */
#include "window_vectors.inc"

    .section .reset.text, "ax"          /* QEMU starts at the reset vector, not at _start */
    .align  4
    j       1f
    .align  4
2:  .word   _start
1:  l32r    a2, 2b
    jx      a2

    .section .text._start, "ax"
    .literal_position
    .global _start
    .align  4
_start:
    movi    a0, 0x2F                    /* as on the ESP32 (platform/esp32/crt0.S): INTLEVEL 15,
                                           UM = 1, EXCM = 0, WOE = 0 */
    wsr     a0, ps
    rsync
    movi    a2, rt_vectors
    wsr     a2, vecbase
    rsync
    movi    a1, rt_stack_top
    movi    a2, rt_bss_start            /* zero .bss */
    movi    a3, rt_bss_end
    movi    a4, 0
1:  bgeu    a2, a3, 2f
    s32i    a4, a2, 0
    addi    a2, a2, 4
    j       1b
2:  movi    a0, 0
    call0   rt_main
    call0   rt_exit
3:  j       3b

/* intnat rt_simcall(nr, a, b, c): QEMU semihosting (simcall = bytes 00 51 00) */
    .section .text.rt_simcall, "ax"
    .global rt_simcall
    .align  4
rt_simcall:
    .byte   0x00, 0x51, 0x00
    ret

    .section .vectors.text, "ax"
    .align  4096
    .global rt_vectors
rt_vectors:
#ifdef RT_PLAIN_HANDLERS
    oe_window_vectors
#else
    oe_window_vectors counters=rt_win_counts
#endif
    .macro  fatal ofs
    .org    \ofs
    wsr     a2, excsave1
    movi    a2, \ofs
    j       .Lfatal
    .endm
    fatal   0x180
    fatal   0x1C0
    fatal   0x200
    fatal   0x240
    fatal   0x280
    fatal   0x2C0
    fatal   0x300
    fatal   0x340
    fatal   0x3C0
    .align  4
    .literal_position
.Lfatal:                                /* a2 = vector offset */
    movi    a1, rt_exc_stack_top
    mov     a5, a2
    rsr     a2, exccause
    rsr     a3, epc1
    rsr     a4, excvaddr
    call0   rt_exception
4:  j       4b

/* int rt_ar_count(void): physical AR registers = 4 x the implemented WINDOWSTART bits (one
   per 4 registers), found by writing all ones; WINDOWSTART does not matter while WOE = 0. */
    .section .text.rt_ar_count, "ax"
    .global rt_ar_count
    .align  4
rt_ar_count:
    xw_rsr  3, XW_WINDOWSTART
    movi    a2, -1
    xw_wsr  2, XW_WINDOWSTART
    rsync
    xw_rsr  2, XW_WINDOWSTART
    xw_wsr  3, XW_WINDOWSTART
    rsync
    nsau    a2, a2                      /* 32 - bits */
    movi    a3, 32
    sub     a2, a3, a2
    slli    a2, a2, 2
    ret
