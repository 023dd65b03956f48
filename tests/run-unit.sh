#!/bin/sh
# Runs each unit-test binary given on the command line; sums their "N passed, M failed" lines.
total_p=0; total_f=0; status=0
for t in "$@"; do
    out=$("$t" 2>&1); rc=$?
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
    echo "$(basename "$t"): ${line:-no summary} (exit $rc)"
    [ $rc -eq 0 ] || { status=1; printf '%s\n' "$out" | tail -20; }
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p'); f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
    total_p=$((total_p + ${p:-0})); total_f=$((total_f + ${f:-0}))
    [ -n "$line" ] || { total_f=$((total_f + 1)); status=1; }
done
echo "unit: $total_p passed, $total_f failed"
exit $status
