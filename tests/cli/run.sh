#!/bin/bash
# Bad input to the command line tool: each case must give exactly one line on stderr that
# contains the expected words, a non-zero exit status, and no crash (status < 128).
set -u
cd "$(dirname "$0")/../.."
TOOL=$PWD/bin/ocaml-esp32
T=$PWD/build/tests/cli
rm -rf "$T"; mkdir -p "$T"
pass=0; fail=0

expect_error() {  # expect_error NAME "WORDS" CMD...
    local name=$1 words=$2; shift 2
    "$@" > "$T/$name.out" 2> "$T/$name.err" < /dev/null
    local rc=$? lines
    lines=$(wc -l < "$T/$name.err")
    if [ $rc -ne 0 ] && [ $rc -lt 128 ] && [ "$lines" -eq 1 ] && grep -qi -- "$words" "$T/$name.err"; then
        echo "PASS $name"; pass=$((pass + 1))
    else
        echo "FAIL $name (exit $rc, $lines stderr lines, want '$words'):"; head -5 "$T/$name.err"; fail=$((fail + 1))
    fi
}

compile() { (cd "$T" && printf '%s\n' "$2" > "$1.ml" && ocamlc "$1.ml" -o "$1.byte"); }

compile ok 'let () = print_endline "ok"'
printf 'just some text\n' > "$T/text.byte"
: > "$T/empty.byte"
head -c 3000 "$T/ok.byte" > "$T/truncated.byte"
sed 's/Caml1999X030/Caml1999X028/' "$T/ok.byte" > "$T/oldversion.byte"
sed 's/Caml1999X030/Caml1999X099/' "$T/ok.byte" > "$T/unknownversion.byte"
# ocamlc refuses unknown primitives unless told the runtime has them (-use-prims)
{ ocamlrun -p; echo caml_no_such_primitive; } > "$T/prims.txt"
(cd "$T" && echo 'external f : int -> int = "caml_no_such_primitive" let () = print_int (f 3)' > unknownprim.ml &&
 ocamlc -use-prims prims.txt unknownprim.ml -o unknownprim.byte)
compile bigconst 'let () = print_int (Sys.opaque_identity 0x40000000)'

expect_error not-bytecode "not an OCaml bytecode executable" "$TOOL" build "$T/text.byte" -o "$T/x.elf"
expect_error empty-file "text.byte\|empty\|not an OCaml" "$TOOL" build "$T/empty.byte" -o "$T/x.elf"
expect_error truncated "truncated\|not an OCaml\|corrupt" "$TOOL" build "$T/truncated.byte" -o "$T/x.elf"
expect_error old-version "4.11" "$TOOL" build "$T/oldversion.byte" -o "$T/x.elf"
expect_error unknown-version "Caml1999X099" "$TOOL" build "$T/unknownversion.byte" -o "$T/x.elf"
expect_error missing-file "No such file\|cannot open" "$TOOL" build "$T/nope.byte"
expect_error unknown-primitive "caml_no_such_primitive" "$TOOL" build "$T/unknownprim.byte" -o "$T/x.elf"
expect_error big-constant "31" "$TOOL" build "$T/bigconst.byte" -o "$T/x.elf"
expect_error unknown-option "unknown option" "$TOOL" build --frobnicate "$T/ok.byte"
expect_error unknown-cpu "unknown cpu" "$TOOL" build --cpu pentium "$T/ok.byte"
expect_error bad-size "expected a size" "$TOOL" run --heap lots "$T/ok.byte"
expect_error no-input "no input file" "$TOOL" build
expect_error bad-cpu-mhz "80, 160 or 240 MHz" "$TOOL" build -t esp32 --cpu-mhz 100 "$T/ok.byte" -o "$T/x.bin"
expect_error cpu-mhz-for-qemu "only for .build -t esp32" "$TOOL" build --cpu-mhz 160 "$T/ok.byte" -o "$T/x.elf"
mkdir -p "$T/uk-mhz" && cp examples/hello/* "$T/uk-mhz/"
echo "cpu-mhz = 200" >> "$T/uk-mhz/unikernel.conf"
expect_error conf-bad-cpu-mhz "unikernel.conf:.*cpu-mhz" "$TOOL" build -t esp32 "$T/uk-mhz" -o "$T/x.bin"
expect_error unknown-command "unknown command" "$TOOL" frobnicate
expect_error no-linker "binutils-xtensa-lx106" env PATH=/nonexistent "$TOOL" build "$T/ok.byte" -o "$T/x.elf"
expect_error no-qemu "qemu-system-misc" env PATH=/nonexistent "$TOOL" run "$T/ok.byte"
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
