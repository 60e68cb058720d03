#!/usr/bin/env bash
# Runs the consumer tests: for each consumer, a fresh install of the staged
# build (make install-files PREFIX=<temporary prefix>), then its run.sh.
# One line per consumer, then "N passed, N failed, N skipped"; exits non-zero
# when any failed. Logs: build/consumers/<name>.log.
#   tests/consumers/run-all.sh [consumer...]   (default: all of them)
set -u
cd "$(dirname "$0")/../.."
root=$PWD
all=(c-shared c-static cpp-cmake go zig ruby)
[ $# -gt 0 ] && all=("$@")
logs=$root/build/consumers
mkdir -p "$logs"
if ! ls build/lib/librssignal.so.* build/lib/librssignal.a >/dev/null 2>&1; then
    echo "test-consumers: build/lib has no staged library: run 'make build' first" >&2
    echo "0 passed, ${#all[@]} failed, 0 skipped"
    exit 1
fi

# The tools (quiet when present); whatever is missing shows up as SKIPPED.
scripts/install-tools.sh 2>"$logs/install-tools.log" || true
sed -n 's/^install-tools: could not get /  (tools: could not get /p' "$logs/install-tools.log" | sed 's/$/)/'

passed=0 failed=0 skipped=0
for c in "${all[@]}"; do
    log=$logs/$c.log
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/rssignal-$c.XXXXXX")
    start=$SECONDS
    {
        echo "== $c: make install-files PREFIX=$tmp/prefix"
        make --no-print-directory -s install-files PREFIX="$tmp/prefix" LDCONFIG=: &&
        echo "== $c: tests/consumers/$c/run.sh" &&
        PREFIX="$tmp/prefix" WORK="$tmp/work" "tests/consumers/$c/run.sh" </dev/null
    } >"$log" 2>&1
    rc=$?
    secs=$((SECONDS - start))
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1)); printf 'PASS  %-10s (%ds)\n' "$c" "$secs"
    elif [ "$rc" -eq 77 ]; then
        skipped=$((skipped + 1))
        printf 'SKIP  %-10s %s\n' "$c" "$(grep -m1 '^SKIPPED:' "$log" || echo 'SKIPPED: (no reason given)')"
    else
        failed=$((failed + 1)); printf 'FAIL  %-10s (log: %s)\n' "$c" "${log#$root/}"
        tail -n 25 "$log" | sed 's/^/      /'
    fi
    rm -rf "$tmp"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
