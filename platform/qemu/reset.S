/* reset.S — the code at the core's reset vector: jump to _start wherever it is linked.
   QEMU's sim machine starts at the reset vector (0x50000000 on lx106, 0xFE000000 on dc233c),
   not at the ELF entry point, and `j` cannot reach across regions, hence l32r + jx. */
    .section .reset.text, "ax"
    .global _oe_reset
    .align 4
_oe_reset:
    j       1f
    .align 4
2:  .word   _start
1:  l32r    a2, 2b
    jx      a2
