#!/usr/bin/env bash
# `make test-cross`: installs the toolchains (scripts/install-cross.sh), then
# runs each row (`make -k cross-ROW`, see mk/cross.mk), keeps going after a
# failure, prints one line per row with its counts and ends with
#   cross: N passed, N failed, N skipped
# The sum is also appended to RESULT_FILE as "passed failed skipped" (what
# scripts/run-tests.sh reads). A row that exits non-zero without recording a
# failure (its library did not build, a tool is missing ...) counts one
# failure; so does a row that records nothing. Logs: build/cross/logs/ROW.log.
# Usage: tests/cross/run.sh RESULT_FILE ROW...
set -eu
cd "$(dirname "$0")/../.."
result=$1
shift
logs=build/cross/logs
res=build/cross/results
mkdir -p "$logs" "$res" "$(dirname "$result")"
total_p=0 total_f=0 total_s=0
lines=()
install_ok=1
echo "== scripts/install-cross.sh"
if ! scripts/install-cross.sh; then
    install_ok=0
    echo "!!!!!!!! install-cross could not install everything (above): the rows that need it fail !!!!!!!!"
fi
export PATH="$PWD/build/tools/bin:$PATH"
for row in "$@"; do
    log=$logs/$row.log
    rm -f "$res/$row"
    echo
    echo "######## cross row: $row"
    start=$(date +%s)
    set +e
    make --no-print-directory -k "cross-$row" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    secs=$(( $(date +%s) - start ))
    p=0 f=0 s=0 note=""
    if [ -s "$res/$row" ]; then
        read -r p f s < <(awk '{ p += $1; f += $2; s += $3 } END { print p + 0, f + 0, s + 0 }' "$res/$row")
    else
        note=" (recorded nothing)"
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; note="$note (exit status $rc)"; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    status=ok
    if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
        status=FAILED
        echo "!!!!!!!! cross row $row FAILED: $f failed$note; log: $log !!!!!!!!"
    fi
    total_p=$((total_p + p)); total_f=$((total_f + f)); total_s=$((total_s + s))
    lines+=("$(printf 'cross %-14s %-7s %4d pass / %d fail / %d skip  (%d s)%s' "$row" "$status" "$p" "$f" "$s" "$secs" "$note")")
done
if [ "$install_ok" -eq 0 ]; then
    total_f=$((total_f + 1))
    lines+=("cross install          FAILED  scripts/install-cross.sh could not install everything")
fi
echo
echo "######## cross rows (logs in $logs/)"
printf '%s\n' "${lines[@]}"
echo "$total_p $total_f $total_s" >>"$result"
echo "cross: $total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
