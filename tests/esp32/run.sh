#!/bin/bash
# The ESP32 target without a board: the examples build as app images that image-info
# verifies (checksum and SHA-256), a complete flash image for a blank chip is produced, a
# corrupted image is rejected, and examples/blink drives GPIO2 as expected (QEMU's simulated
# pins, logged on stderr). oe_rom_call (CALL0 -> windowed ROM functions) and the window
# handlers run in QEMU's dc233c (tests/esp32/romcall, built by `make`).
set -u
cd "$(dirname "$0")/../.."
TOOL=$PWD/bin/ocaml-esp32
T=$PWD/build/tests/esp32
rm -rf "$T"; mkdir -p "$T"
pass=0; fail=0
check() {  # check NAME CONDITION-COMMAND...
    local name=$1; shift
    if "$@" > "$T/$name.log" 2>&1; then echo "PASS $name"; pass=$((pass + 1))
    else echo "FAIL $name"; tail -5 "$T/$name.log"; fail=$((fail + 1)); fi
}
image_ok() { "$TOOL" image-info "$1" > "$1.info" && grep -q "Checksum: .*(valid)" "$1.info" \
             && grep -q "Validation hash: .*(valid)" "$1.info"; }
for ex in hello blink; do
    check "build-$ex" "$TOOL" build -t esp32 "examples/$ex" -o "$T/$ex.bin" --full-flash "$T/$ex-full.bin"
    check "image-info-$ex" image_ok "$T/$ex.bin"
    check "full-flash-$ex" "$TOOL" image-info "$T/$ex-full.bin"
done
corrupt() {
    cp "$T/hello.bin" "$T/bad.bin"
    printf '\x55' | dd of="$T/bad.bin" bs=1 seek=300 conv=notrunc 2>/dev/null
    ! "$TOOL" image-info "$T/bad.bin"
}
check corrupted-image-rejected corrupt
# the flash code is relinked right after the read-only data: no padding segment
check hello-image-compact bash -c "! grep -q PADDING '$T/hello.bin.info'"
blink() {
    "$TOOL" run examples/blink > "$T/blink.out" 2> "$T/blink.err" || return 1
    [ "$(grep -c '^\[qemu gpio\] GPIO2 = 1$' "$T/blink.err")" -eq 5 ] &&
    [ "$(grep -c '^\[qemu gpio\] GPIO2 = 0$' "$T/blink.err")" -eq 5 ] &&
    grep -q '^blink: done$' "$T/blink.out"
}
check blink-toggles-gpio2 blink
check lx106-rejected-for-chip bash -c "! '$TOOL' build -t esp32 --cpu lx106 examples/blink -o '$T/x.bin'"

# oe_rom_call: each PASS line of the test program is a check; both variants (handlers
# counting, handlers as in the ESP32 image) must exit 0
B=$PWD/build/target/esp32
qemu_dc233c() { timeout 60 qemu-system-xtensa -M sim -cpu dc233c -display none -serial none \
                    -monitor none -semihosting "$@"; }
for v in romcall-test romcall-test-plain; do
    check "$v-exit-status" qemu_dc233c -kernel "$B/$v.elf"
    cp "$T/$v-exit-status.log" "$T/$v.out"
done
for t in dc233c-has-32-ar args6 args2 args0 no-window-exceptions-when-shallow deep-recursion \
         window-exceptions-all-kinds clobber-all shim-frame-spilled call0-after second-call; do
    check "romcall-$t" grep -qx "PASS romcall-$t" "$T/romcall-test.out"
done
for t in args6 args2 args0 deep-recursion clobber-all call0-after second-call; do
    check "romcall-plain-$t" grep -qx "PASS romcall-plain-$t" "$T/romcall-test-plain.out"
done
# the raw-byte encodings, as QEMU's disassembler decodes them while they run
disasm() {
    local elf=$B/romcall-test-plain.elf log=$T/romcall-in_asm.log line sym addr
    qemu_dc233c -d in_asm -D "$log" -kernel "$elf" > /dev/null || return 1
    while IFS= read -r line; do
        case "$line" in '#'*|'') continue ;; esac
        sym=$(expr "$line" : '.*@\([a-z_0-9]*\)')
        if [ -n "$sym" ]; then
            addr=$(xtensa-lx106-elf-nm "$elf" | awk -v s="$sym" '$3 == s { print $1 }')
            line=${line/@$sym/$(printf '0x%x' "0x$addr")}
        fi
        if [ "${line#0x}" != "$line" ]; then grep -qxF "$line" "$log"
        else awk -v w="$line" 'sub(/^0x[0-9a-f]+:  /, "") && $0 == w { f = 1 } END { exit !f }' "$log"
        fi || { echo "not executed as expected: $line"; return 1; }
    done < tests/esp32/romcall/expected-disasm.txt
}
check romcall-encodings-disassembled disasm
# the ESP32 image's window handlers are byte for byte the ones tested above
same_handlers() {
    xtensa-lx106-elf-objcopy -O binary -j .iram.vectors "$B/platform/esp32/vectors.o" "$T/esp32-vectors.bin" &&
    xtensa-lx106-elf-objcopy -O binary -j .text "$B/romcall-test-plain.elf" "$T/test-text.bin" &&
    [ "$(xtensa-lx106-elf-nm "$B/romcall-test-plain.elf" | awk '$3 == "rt_vectors" { print $1 }')" = 00100000 ] &&
    cmp -n 384 "$T/esp32-vectors.bin" "$T/test-text.bin"
}
check romcall-esp32-handlers-identical same_handlers
echo "esp32: $pass passed, $fail failed"
[ $fail -eq 0 ]
