/* crt0.S — app entry, jumped to by the bootloader (ours or esp-idf's) with the flash mapped
   and the RAM segments loaded. Runs from IRAM. Switches to CALL0 with interrupts masked:
   PS = INTLEVEL 15, UM = 1 (level-1 interrupts and exceptions use the user vector),
   EXCM = 0, WOE = 0; our C stack; our vector table; then oe_esp32_main (C). */
    .section .iram.text._start, "ax"
    .literal_position
    .global _start
    .align 4
_start:
    movi    a0, 0x2F
    wsr     a0, ps
    rsync
    movi    a0, 0
    wsr     a0, intenable
    movi    a1, _oe_c_stack_top
    movi    a2, _oe_vectors
    wsr     a2, vecbase
    rsync
    movi    a0, 0
    call0   oe_esp32_main
1:  waiti   15
    j       1b
