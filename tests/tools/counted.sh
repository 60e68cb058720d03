#!/usr/bin/env bash
# Runs a test command whose output ends with its own counts, shows that output
# unchanged, and appends the counts to a test step's result file as one line
# "passed failed skipped" (scripts/run-tests.sh sums those files).
#
# Usage: counted.sh RESULT_FILE COMMAND ARGS...
#          the last line of COMMAND's output of the form
#          "[label: ]N passed, N failed[, N skipped]"
#        counted.sh --cargo RESULT_FILE cargo test ARGS...
#          the sum of cargo's "test result: ... N passed; N failed; N ignored"
#          lines (one per test binary and for the doc tests); ignored counts
#          as skipped
# Exits with COMMAND's status. A command that prints no such line adds
# nothing to the file: the step then counts as failed (see run-tests.sh).
set -eu
mode=last
if [ "${1:-}" = "--cargo" ]; then
    mode=cargo
    shift
fi
[ "$#" -ge 2 ] || { echo "usage: counted.sh [--cargo] RESULT_FILE COMMAND ARGS..." >&2; exit 2; }
result=$1
shift
mkdir -p "$(dirname "$result")"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
"$@" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
set -e
if [ "$mode" = cargo ]; then
    counts=$(awk '
        /^test result: / {
            for (i = 1; i <= NF; i++) {
                v = $i; sub(/;$/, "", v)
                if (v == "passed") p += $(i - 1)
                if (v == "failed") f += $(i - 1)
                if (v == "ignored") s += $(i - 1)
            }
            n++
        }
        END { if (n) printf "%d %d %d\n", p, f, s }' "$out")
else
    counts=$(sed -nE 's/^[[:space:]]*([[:alnum:]_ -]+:[[:space:]]*)?([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?[[:space:]]*$/\2 \3 \5/p' "$out" |
        tail -n 1 | awk '{ printf "%d %d %d\n", $1, $2, $3 }')
fi
if [ -n "$counts" ]; then
    echo "$counts" >>"$result"
else
    echo "counted.sh: no counts in the output of: $*" >&2
fi
exit "$rc"
