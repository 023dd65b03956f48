/* start.S — entry of our second-stage bootloader. The ROM has loaded our segments into
   IRAM/DRAM and jumps here with the windowed ABI state it used itself; we switch to a plain
   CALL0 world: PS = interrupts masked (INTLEVEL 15), no exception mode, WOE = 0; our own
   stack at the top of the bootloader's DRAM; BSS cleared by bl_main. */
    .section .text._bl_start, "ax"
    .literal_position
    .global _bl_start
    .align 4
_bl_start:
    movi    a0, 0x0F
    wsr     a0, ps
    rsync
    movi    a1, _bl_stack_top
    movi    a0, 0
    call0   bl_main
1:  j       1b

/* bl_jump(entry): enter the app with a clean a0 (the app sets its own stack). */
    .section .text.bl_jump, "ax"
    .global bl_jump
    .align 4
bl_jump:
    movi    a0, 0
    jx      a2
