#!/usr/bin/env bash
# Runs each named make target of the test suite (a "step"), keeps going after
# a failure, prints one summary line per step and ends with
#   total: N passed, N failed, N skipped
#
# Counts come from the step's result file, build/test-results/STEP, which
# the step's own rule writes: one line "passed failed skipped" per counted
# run (the C suite runner, tests/tools/counted.sh, or "1 0 0" from a
# pass/fail step such as lint); this script sums its lines. Then:
#   - a step that exits non-zero with no failure recorded counts one failure;
#   - a step that writes no result file (or a malformed one) counts one
#     failure, with a loud message, even when it exits 0.
# Logs: build/test-logs/STEP.log.
set -eu
cd "$(dirname "$0")/.."
logdir=build/test-logs
resdir=build/test-results
mkdir -p "$logdir" "$resdir"
total_p=0 total_f=0 total_s=0
summary=()
for step in "$@"; do
    log="$logdir/$step.log"
    res="$resdir/$step"
    rm -f "$res"
    echo
    echo "######## make $step"
    make --no-print-directory "$step" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    p=0 f=0 s=0 note=""
    if [ ! -f "$res" ]; then
        f=1 note="no result file"
        echo "!!!!!!!! make $step wrote no result file $res (exit status $rc): counted as FAILED !!!!!!!!" | tee -a "$log"
    elif ! read -r p f s < <(awk 'NF != 3 || $1 !~ /^[0-9]+$/ || $2 !~ /^[0-9]+$/ || $3 !~ /^[0-9]+$/ { bad = 1 }
                                 { p += $1; f += $2; s += $3; n++ }
                                 END { if (!bad && n) print p, f, s; else exit 1 }' "$res"); then
        p=0 f=1 s=0 note="bad result file"
        echo "!!!!!!!! make $step wrote a malformed or empty result file $res: counted as FAILED !!!!!!!!" | tee -a "$log"
        sed 's/^/    | /' "$res" | tee -a "$log"
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 note="exit status $rc"
    fi
    total_p=$((total_p + p)); total_f=$((total_f + f)); total_s=$((total_s + s))
    status=ok
    { [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; } && status=FAILED
    summary+=("$(printf '%-16s %-7s %5d passed, %d failed, %d skipped%s' "$step" "$status" "$p" "$f" "$s" "${note:+  ($note)}")")
done
echo
echo "######## summary (logs in $logdir/, counts in $resdir/)"
printf '%s\n' "${summary[@]}"
echo "total: $total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
