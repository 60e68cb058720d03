#!/usr/bin/env bash
# One pass/fail check of a cross row: runs COMMAND, prints "ok LABEL" or
# "FAIL LABEL" (with the command's output), and appends "1 0 0" or "0 1 0"
# to RESULT_FILE. Exits with COMMAND's status.
# Usage: tests/cross/check.sh RESULT_FILE LABEL COMMAND ARGS...
set -eu
[ "$#" -ge 3 ] || { echo "usage: check.sh RESULT_FILE LABEL COMMAND ARGS..." >&2; exit 2; }
result=$1 label=$2
shift 2
mkdir -p "$(dirname "$result")"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
"$@" >"$out" 2>&1
rc=$?
set -e
if [ "$rc" -eq 0 ]; then
    echo "ok      $label"
    echo "1 0 0" >>"$result"
else
    echo "FAIL    $label (exit status $rc): $*"
    sed 's/^/        | /' "$out" | head -n 60
    echo "0 1 0" >>"$result"
fi
exit "$rc"
