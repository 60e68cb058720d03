#!/usr/bin/env bash
# Runs each argument as one check (a shell command), bounded by a time limit,
# shows its output, and ends with the suite's closing line:
#   reliability: N passed, N failed, 0 skipped
# Usage: tests/stress/run.sh [-t SECONDS] 'command 1' 'label::command 2' ...
# (a "label::" prefix names the check in the summary instead of the command)
set -u
limit=300
if [ "${1:-}" = "-t" ]; then
    limit=$2
    shift 2
fi
passed=0 failed=0
results=()
for arg in "$@"; do
    label=$arg cmd=$arg
    case "$arg" in
    *::*) label=${arg%%::*} cmd=${arg#*::} ;;
    esac
    echo
    echo "######## $label"
    timeout -k 10 "$limit" bash -c "$cmd"
    rc=$?
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        results+=("ok      $label")
    else
        failed=$((failed + 1))
        [ "$rc" -eq 124 ] && echo "timed out after $limit s"
        results+=("FAIL    $label (exit status $rc)")
    fi
done
echo
for r in "${results[@]}"; do echo "$r"; done
echo "reliability: $passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
