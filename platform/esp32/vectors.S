/* vectors.S — the ESP32 (LX6, XEA2) exception vector table, relocated by VECBASE to IRAM.
   Offsets from esp-idf's ESP32 core-isa.h: window over/underflow 0x000-0x17F, level 2-5
   interrupts 0x180/0x1C0/0x200/0x240, debug 0x280, NMI 0x2C0, kernel 0x300, user 0x340,
   double exception 0x3C0. We run with WOE = 0 and only ever enable the CCOMPARE0 timer
   interrupt (interrupt 6, level 1), so the events that return are a level-1 interrupt
   (EXCCAUSE 4), used to wake `waiti` in oe_platform_sleep_until_ns, and the window
   overflow/underflow exceptions of ROM functions called through oe_rom_call (romcall.S),
   which runs them with WOE = 1; anything else is reported on the console by
   oe_report_exception and the program stops. */
#include "../xtensa/window_vectors.inc"

    .section .iram.vectors, "ax"
    .align 1024
    .global _oe_vectors
_oe_vectors:
    oe_window_vectors             /* 0x000-0x17F */
    .org 0x180
    wsr     a2, excsave1
    movi    a2, 0x180
    j       .Lunexpected
    .org 0x1C0
    wsr     a2, excsave1
    movi    a2, 0x1C0
    j       .Lunexpected
    .org 0x200
    wsr     a2, excsave1
    movi    a2, 0x200
    j       .Lunexpected
    .org 0x240
    wsr     a2, excsave1
    movi    a2, 0x240
    j       .Lunexpected
    .org 0x280
    wsr     a2, excsave1
    movi    a2, 0x280
    j       .Lunexpected
    .org 0x2C0
    wsr     a2, excsave1
    movi    a2, 0x2C0
    j       .Lunexpected
    .org 0x300                    /* kernel exception (PS.UM = 0) */
    wsr     a2, excsave1
    j       .Lexception
    .org 0x340                    /* user exception (PS.UM = 1): our normal case */
    wsr     a2, excsave1
    j       .Lexception
    .org 0x3C0                    /* double exception */
    wsr     a2, excsave1
    movi    a2, 0x3C0
    j       .Lunexpected

    .align 4
    .literal_position
.Lexception:
    rsr     a2, exccause
    bnei    a2, 4, .Lfatal        /* 4 = level-1 interrupt */
    /* the CCOMPARE0 timer: mask it (INTENABLE = 0: it is the only one we enable) and
       acknowledge it by writing CCOMPARE0 */
    movi    a2, 0
    wsr     a2, intenable
    rsr     a2, ccompare0
    wsr     a2, ccompare0
    rsync
    rsr     a2, excsave1
    rfe
.Lfatal:
    movi    a1, _oe_exc_stack_top
    rsr     a3, epc1
    rsr     a4, excvaddr
    movi    a5, 0
    call0   oe_report_exception
1:  j       1b
.Lunexpected:                     /* a2 = vector offset */
    movi    a1, _oe_exc_stack_top
    mov     a5, a2
    movi    a2, 64                /* pseudo-cause: "unexpected vector" */
    rsr     a3, epc1
    movi    a4, 0
    call0   oe_report_exception
1:  j       1b

    .section .bss._oe_exc_stack, "aw", @nobits
    .align 16
    .space 1024
_oe_exc_stack_top:
