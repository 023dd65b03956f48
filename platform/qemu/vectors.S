/* vectors.S — catch CPU exceptions (illegal instruction, bad load/store, ...) and report them
   instead of letting QEMU hang. The exception vectors sit at core-specific offsets from VECBASE
   (lx106: 0x30/0x50/0x70; dc233c: 0x300/0x340/0x3C0), so the table is a 1 KB sled of nop.n
   (every vector offset is even) ending in a jump to the reporter. */
    .section .vectors.text, "ax"
    .align 4096
    .global _oe_vectors
_oe_vectors:
    .rept 512
    nop.n
    .endr
    movi    a1, _oe_exc_stack_top
    rsr     a2, exccause
    rsr     a3, epc1
    rsr     a4, excvaddr
    call0   oe_report_exception
1:  j       1b

    .section .text._oe_install_vectors, "ax"
    .global _oe_install_vectors
    .align 4
_oe_install_vectors:
    movi    a2, _oe_vectors
    wsr     a2, vecbase
    rsync
    ret

    .section .bss._oe_exc_stack, "aw", @nobits
    .align 16
    .space 1024
_oe_exc_stack_top:
