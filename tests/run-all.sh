#!/bin/sh
# `make test`: unit tests, differential tests (normal and GC-stress), conformance suite.
# Ends with one summary line "N passed, M failed" over all of them.
cd "$(dirname "$0")/.."
status=0
log=build/tests/summary.log
mkdir -p build/tests && : > $log
make -s unit 2>&1 | tee -a $log || status=1
sh tests/diff/run.sh 2>&1 | tee -a $log | grep -v '^PASS' || status=1
sh tests/diff/run.sh --stress 2>&1 | tee -a $log | grep -v '^PASS' || status=1
if [ -x tests/conformance/run.sh ]; then
    sh tests/conformance/run.sh 2>&1 | tee -a $log | tail -40 || status=1
fi
p=0; f=0
for line in $(grep -E '^[a-z ()]+: [0-9]+ passed, [0-9]+ failed' $log | sed 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1:\2/'); do
    p=$((p + ${line%%:*})); f=$((f + ${line##*:}))
done
[ $status -eq 0 ] || [ $f -gt 0 ] || f=1
echo "$p passed, $f failed"
exit $status
