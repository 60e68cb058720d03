#!/usr/bin/env bash
# Runs each named make target of the test suite, keeps going after a failure,
# and ends with one line summing every part's own closing line:
#   total: N passed, N failed, N skipped
# Counts come from "N passed, N failed[, N skipped]" lines (our C suites and
# consumer tests) and cargo's "test result: ... N passed; N failed; N ignored".
# A part that fails without such a line counts as one failure; one that
# passes without it (lints, ctest2) counts as one pass.
set -u
cd "$(dirname "$0")/.."
logdir=build/test-logs
mkdir -p "$logdir"
total_p=0 total_f=0 total_s=0
summary=()
for step in "$@"; do
    log="$logdir/$step.log"
    echo
    echo "######## make $step"
    make --no-print-directory "$step" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    read -r p f s < <(python3 - "$log" <<'PY'
import re, sys
p = f = s = 0
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^\s*(?:\w+:\s*)?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$", line)
    if m:
        p += int(m.group(1)); f += int(m.group(2)); s += int(m.group(3) or 0)
        continue
    m = re.search(r"test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored", line)
    if m:
        p += int(m.group(1)); f += int(m.group(2)); s += int(m.group(3))
print(p, f, s)
PY
)
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then p=1; fi
    total_p=$((total_p + p)); total_f=$((total_f + f)); total_s=$((total_s + s))
    status=ok; [ "$rc" -ne 0 ] && status=FAILED
    summary+=("$(printf '%-16s %-7s %4d passed, %d failed, %d skipped' "$step" "$status" "$p" "$f" "$s")")
done
echo
echo "######## summary (logs in $logdir/)"
printf '%s\n' "${summary[@]}"
echo "total: $total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
