#!/bin/bash
# Benchmarks: instruction counts of our native code vs the same program in C compiled by
# xtensa-lx106-elf-gcc -O2, on the same QEMU core (deterministic: -icount, CCOUNT scaled to
# instructions), and the host's ocamlopt vs gcc -O2 ratio (valgrind instruction counts) as the
# yardstick. Prints a markdown table. Timings are never asserted.
#   usage: bench/run.sh [program ...]     CPUS="esp32 lx106" selects cpus
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/build/bench
CPUS=${CPUS:-"esp32 lx106"}
mkdir -p "$OUT"
progs=("$@")
[ ${#progs[@]} -gt 0 ] || progs=($(cd bench/programs && ls *.ml | sed 's/\.ml$//'))
LIBC=/usr/lib/xtensa-lx106-elf/lib
LIBGCC=$(xtensa-lx106-elf-gcc -print-libgcc-file-name)

insns_of() { sed -n 's/^ocaml-esp32 stats: instructions \([0-9]*\).*/\1/p' "$1"; }
qemu_cpu() { [ "$1" = lx106 ] && echo lx106 || echo dc233c; }
valgrind_insns() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }

header="| program |"; sep="|---|"
for cpu in $CPUS; do header="$header $cpu OCaml insns | $cpu C insns | $cpu ratio |"; sep="$sep---:|---:|---:|"; done
echo "$header host ocamlopt/gcc |"; echo "$sep---:|"
for p in "${progs[@]}"; do
    src=bench/programs/$p
    mkdir -p "$OUT/$p" && cp "$src.ml" "$OUT/$p/"
    (cd "$OUT/$p" && ocamlc "$p.ml" -o "$p.byte" && ocamlfind ocamlopt -O3 "$p.ml" -o "$p.opt" 2>/dev/null || ocamlfind ocamlopt "$p.ml" -o "$p.opt") || { echo "| $p | compile error |"; continue; }
    gcc -O2 -Ibench/programs "$src.c" -o "$OUT/$p/$p.host" -lm
    line="| $p |"
    for cpu in $CPUS; do
        bin/ocaml-esp32 run --stats --cpu "$cpu" --timeout 600 "$OUT/$p/$p.byte" > "$OUT/$p/ml.$cpu.out" 2> "$OUT/$p/ml.$cpu.err"
        xtensa-lx106-elf-gcc -std=c11 -O2 -mtext-section-literals -ffunction-sections --specs=$LIBC/../picolibc.specs \
            -D__XTENSA__ -Ibench/programs -c "$src.c" -o "$OUT/$p/c.$cpu.o"
        xtensa-lx106-elf-ld -L platform/qemu -T platform/qemu/$cpu.ld --gc-sections --defsym=_oe_stats=1 --defsym=_oe_c_heap_size=256K \
            "$OUT/$p/c.$cpu.o" --start-group build/target/$cpu/libocamlrt.a build/target/$cpu/qemu-platform.a \
            $LIBC/libc.a $LIBC/libm.a "$LIBGCC" --end-group -o "$OUT/$p/c.$cpu.elf"
        timeout 600 qemu-system-xtensa -M sim -cpu "$(qemu_cpu $cpu)" -semihosting -display none -serial none \
            -monitor none -icount shift=0,sleep=off -kernel "$OUT/$p/c.$cpu.elf" > "$OUT/$p/c.$cpu.out" 2> "$OUT/$p/c.$cpu.err"
        mi=$(insns_of "$OUT/$p/ml.$cpu.err"); ci=$(insns_of "$OUT/$p/c.$cpu.err")
        if [ -z "$mi" ] || [ -z "$ci" ] || ! cmp -s "$OUT/$p/ml.$cpu.out" "$OUT/$p/c.$cpu.out"; then
            line="$line failed | ${ci:-failed} | - |"
        else
            line="$line $mi | $ci | $(awk "BEGIN{printf \"%.2f\", $mi/$ci}") |"
        fi
    done
    ho=$(valgrind_insns "$OUT/$p/$p.opt"); hc=$(valgrind_insns "$OUT/$p/$p.host")
    echo "$line $(awk "BEGIN{printf \"%.2f\", $ho/$hc}") |"
done
