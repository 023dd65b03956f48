#!/bin/sh
# Builds tests/target/test_prims_qemu.c against the esp32 runtime and runs it in QEMU.
# Usage (from the repository root, after `make target`): sh tests/target/run_prims_qemu.sh
set -e
B=build/target/esp32
xtensa-lx106-elf-gcc -std=c11 -Wall -Wextra -Werror -O2 -mtext-section-literals \
    -ffunction-sections -fdata-sections --specs=/usr/lib/xtensa-lx106-elf/picolibc.specs \
    -Iruntime -c tests/target/test_prims_qemu.c -o $B/test_prims_qemu.o
# --allow-multiple-definition: the test's caml_main replaces startup.c's.
xtensa-lx106-elf-ld -L platform/qemu -T platform/qemu/esp32.ld --gc-sections \
    --allow-multiple-definition --defsym=_oe_c_heap_size=128K $B/test_prims_qemu.o \
    --start-group $B/libocamlrt.a $B/qemu-platform.a /usr/lib/xtensa-lx106-elf/lib/libc.a \
    /usr/lib/xtensa-lx106-elf/lib/libm.a /usr/lib/gcc/xtensa-lx106-elf/12.2.0/libgcc.a \
    --end-group -o $B/test_prims_qemu.elf
timeout 60 qemu-system-xtensa -M sim -cpu dc233c -semihosting-config enable=on,arg=t \
    -display none -serial none -monitor none -kernel $B/test_prims_qemu.elf
