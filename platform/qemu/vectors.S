/* vectors.S — the exception vector table of QEMU's sim cores, relocated by VECBASE.
   Both cores are XEA2 with the vector offsets of QEMU's target/xtensa/core-<cpu>/core-isa.h:
     dc233c (cpu esp32): window 0x000-0x140, level 2-5 0x180/0x1C0/0x200/0x240, debug 0x280,
                         NMI 0x2C0, kernel 0x300, user 0x340, double exception 0x3C0
     lx106:              level 2/debug 0x010, level 3/NMI 0x020, kernel 0x030, user 0x050,
                         double exception 0x070
   We run with PS.UM = 0 and WOE = 0 (CALL0 ABI), so exceptions and level-1 interrupts arrive at
   the kernel vector (the user vector is handled the same way). The only interrupt ever enabled
   is the CCOMPARE0 timer (XCHAL_TIMER0_INTERRUPT = 6, level 1, on both cores), used to wake
   `waiti` in oe_platform_sleep_until_ns (semihost.c): a level-1 interrupt (EXCCAUSE 4) is
   acknowledged (INTENABLE = 0, CCOMPARE0 rewritten) and returns with rfe; it clobbers only a2,
   which it keeps in EXCSAVE1. Anything else is reported by oe_report_exception (one line on
   stderr, exit status 134) instead of letting QEMU hang. */
    .section .vectors.text, "ax"
    .align 4096
    .global _oe_vectors
_oe_vectors:

/* a vector we never expect (window, high-priority, NMI, debug, double exception) */
    .macro unexpected ofs
    .org \ofs
    wsr     a2, excsave1
    movi    a2, \ofs
    j       .Lunexpected
    .endm

    .macro level1 ofs
    .org \ofs
    wsr     a2, excsave1
    j       .Llevel1
    .endm

#ifdef OE_CPU_LX106
    unexpected 0x010
    unexpected 0x020
    level1     0x030
    level1     0x050
    unexpected 0x070
#else
    unexpected 0x000
    unexpected 0x040
    unexpected 0x080
    unexpected 0x0C0
    unexpected 0x100
    unexpected 0x140
    unexpected 0x180
    unexpected 0x1C0
    unexpected 0x200
    unexpected 0x240
    unexpected 0x280
    unexpected 0x2C0
    level1     0x300
    level1     0x340
    unexpected 0x3C0
#endif

    .align 4
    .literal_position
.Llevel1:
    rsr     a2, exccause
    bnei    a2, 4, .Lfatal              /* 4 = level-1 interrupt */
    /* the CCOMPARE0 timer, the only interrupt we enable: disable it and acknowledge it (a
       write to CCOMPARE0 clears the pending bit) */
    movi    a2, 0
    wsr     a2, intenable
    rsr     a2, ccompare0
    wsr     a2, ccompare0
    rsync
    rsr     a2, excsave1
    rfe
.Lfatal:                                /* a2 = EXCCAUSE */
    movi    a1, _oe_exc_stack_top
    rsr     a3, epc1
    rsr     a4, excvaddr
    call0   oe_report_exception
1:  j       1b
.Lunexpected:                           /* a2 = vector offset */
    movi    a1, _oe_exc_stack_top
    mov     a4, a2
    movi    a2, 64                      /* pseudo-cause: unexpected vector (offset in a4) */
    rsr     a3, epc1
    call0   oe_report_exception
1:  j       1b

    .section .text._oe_install_vectors, "ax"
    .global _oe_install_vectors
    .align 4
_oe_install_vectors:
    movi    a2, _oe_vectors
    wsr     a2, vecbase
    movi    a2, 0
    wsr     a2, intenable
    rsync
    ret

    .section .bss._oe_exc_stack, "aw", @nobits
    .align 16
    .space 1024
_oe_exc_stack_top:
