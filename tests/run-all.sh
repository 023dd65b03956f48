#!/bin/bash
# `make test`: unit tests, differential tests (normal and GC-stress), conformance suite.
# Ends with one summary line "N passed, M failed" over all of them.
cd "$(dirname "$0")/.."
status=0
log=build/tests/summary.log
mkdir -p build/tests && : > $log
step() {  # step NAME CMD...: runs CMD, keeps its output in the log, shows failures
    echo "== $1"
    "${@:2}" > build/tests/$1.log 2>&1
    local rc=$?
    cat build/tests/$1.log >> $log
    grep -v '^PASS' build/tests/$1.log | tail -60
    [ $rc -eq 0 ] || { echo "== $1 FAILED (exit $rc)"; status=1; }
}
start=$(date +%s)
step unit make -s unit
step cli bash tests/cli/run.sh
step diff bash tests/diff/run.sh
step diff-stress bash tests/diff/run.sh --stress
step os bash tests/os/run.sh
step esp32 bash tests/esp32/run.sh
[ -x tests/conformance/run.sh ] && step conformance tests/conformance/run.sh
p=0; f=0
while read -r line; do
    p=$((p + $(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')))
    f=$((f + $(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')))
done < <(grep -E '^[a-z() -]+: [0-9]+ passed, [0-9]+ failed' $log)
[ $status -eq 0 ] || [ $f -gt 0 ] || f=1
echo "tests took $(( $(date +%s) - start )) s"
echo "$p passed, $f failed"
exit $status
