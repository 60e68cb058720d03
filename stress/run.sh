#!/usr/bin/env bash
# Runs each argument as one check (a shell command), bounded by a time limit,
# shows its output, and ends with the suite's closing line:
#   reliability: N passed, N failed, 0 skipped
# Usage: stress/run.sh [-t SECONDS] 'command 1' 'command 2' ...
set -u
limit=300
if [ "${1:-}" = "-t" ]; then
    limit=$2
    shift 2
fi
passed=0 failed=0
results=()
for cmd in "$@"; do
    echo
    echo "######## $cmd"
    timeout -k 10 "$limit" bash -c "$cmd"
    rc=$?
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        results+=("ok      $cmd")
    else
        failed=$((failed + 1))
        [ "$rc" -eq 124 ] && echo "timed out after $limit s"
        results+=("FAIL    $cmd (exit status $rc)")
    fi
done
echo
for r in "${results[@]}"; do echo "$r"; done
echo "reliability: $passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
