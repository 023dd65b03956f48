#!/bin/bash
# Differential tests: every tests/diff/*.ml is compiled with ocamlc, run by the 32-bit reference
# ocamlrun and by `ocaml-esp32 run` on each cpu; stdout and exit status must be identical.
# A first-line comment `(* packages: lwt logs *)` adds ocamlfind packages, `(* flags: -g *)`
# ocamlc flags.
#   usage: tests/diff/run.sh [--stress] [test.ml ...]
# --stress runs with tiny heaps (GC stress mode). CPUS="esp32 lx106" selects cpus.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
REF=$ROOT/build/ref/usr/bin/ocamlrun
TOOL=$ROOT/bin/ocaml-esp32
OUT=$ROOT/build/tests/diff
CPUS=${CPUS:-"esp32 lx106"}
FLAGS="--timeout 120 --heap 16M --stack 8M"
mode=normal
if [ "${1:-}" = "--stress" ]; then
    FLAGS="--timeout 300 --minor 2K --heap 6M --stack 8M"; mode=stress; shift
fi
mkdir -p "$OUT"
[ -x "$REF" ] || { echo "reference ocamlrun missing: run tools/install-deps.sh"; exit 1; }
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(tests/diff/*.ml)

one() {  # one test on one cpu; prints a PASS/FAIL line
    local ml=$1 cpu=$2 name byte exp act
    name=$(basename "$ml" .ml)
    byte=$OUT/$name.byte
    exp=$OUT/$name.expected
    act=$OUT/$name.$cpu.$mode.out
    "$TOOL" run --cpu "$cpu" $FLAGS "$byte" > "$act" 2> "$act.err" < /dev/null
    echo "exit $?" >> "$act"
    if cmp -s "$exp" "$act"; then
        echo "PASS $name $cpu"
    else
        echo "FAIL $name $cpu (diff $exp $act)"
    fi
}
export -f one
export OUT TOOL FLAGS mode

for ml in "${tests[@]}"; do
    name=$(basename "$ml" .ml)
    pkgs=$(head -1 "$ml" | sed -n 's/^(\* packages: \(.*\) \*)$/\1/p')
    flags=$(head -1 "$ml" | sed -n 's/^(\* flags: \(.*\) \*)$/\1/p')
    # compile a copy in its own directory: a test named like a Stdlib module must not
    # shadow it for the others
    src=$OUT/src/$name
    mkdir -p "$src" && cp "$ml" "$src/"
    if [ -n "$pkgs" ]; then
        (cd "$src" && ocamlfind ocamlc -package "$(echo $pkgs | tr ' ' ,)" -linkpkg $flags "$name.ml" -o "$OUT/$name.byte") 2> "$OUT/$name.compile.err"
    else
        (cd "$src" && ocamlc $flags "$name.ml" -o "$OUT/$name.byte") 2> "$OUT/$name.compile.err"
    fi || { echo "FAIL $name (ocamlc: see $OUT/$name.compile.err)"; continue; }
    "$REF" "$OUT/$name.byte" > "$OUT/$name.expected" 2>/dev/null < /dev/null
    echo "exit $?" >> "$OUT/$name.expected"
done > "$OUT/compile.log"
cat "$OUT/compile.log"

for ml in "${tests[@]}"; do
    for cpu in $CPUS; do echo "$ml $cpu"; done
done | xargs -P 2 -n 2 bash -c 'one "$0" "$1"' | sort > "$OUT/results.$mode"
cat "$OUT/results.$mode"
pass=$(grep -c '^PASS' "$OUT/results.$mode")
fail=$(( $(grep -c '^FAIL' "$OUT/results.$mode") + $(grep -c '^FAIL' "$OUT/compile.log") ))
echo "diff ($mode): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
