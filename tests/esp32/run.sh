#!/bin/bash
# The ESP32 target without a board: the examples build as app images that image-info
# verifies (checksum and SHA-256), a complete flash image for a blank chip is produced, a
# corrupted image is rejected, and examples/blink drives GPIO2 as expected (QEMU's simulated
# pins, logged on stderr).
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
blink() {
    "$TOOL" run examples/blink > "$T/blink.out" 2> "$T/blink.err" || return 1
    [ "$(grep -c '^\[qemu gpio\] GPIO2 = 1$' "$T/blink.err")" -eq 5 ] &&
    [ "$(grep -c '^\[qemu gpio\] GPIO2 = 0$' "$T/blink.err")" -eq 5 ] &&
    grep -q '^blink: done$' "$T/blink.out"
}
check blink-toggles-gpio2 blink
check lx106-rejected-for-chip bash -c "! '$TOOL' build -t esp32 --cpu lx106 examples/blink -o '$T/x.bin'"
echo "esp32: $pass passed, $fail failed"
[ $fail -eq 0 ]
