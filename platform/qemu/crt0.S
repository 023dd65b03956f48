/* crt0.S — bare-metal entry: a C stack, a clean processor state, then oe_qemu_main (C). */
    .section .text._start, "ax"
    .literal_position
    .global _start
    .align 4
_start:
    movi    a0, 0
    /* PS: interrupt level 0, no exception mode, CALL0 (WOE = 0) */
    wsr     a0, ps
    rsync
    movi    a1, _oe_c_stack_top
    call0   _oe_install_vectors
    call0   oe_qemu_main
1:  j       1b
