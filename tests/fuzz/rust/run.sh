#!/usr/bin/env bash
# Runs the cargo-fuzz target FUZZER for SECONDS from the checked-in seeds
# (SEEDS) plus what earlier runs found (WORKDIR/corpus), with ASan and
# -detect_leaks=1, and passes when it ends with no crash, no hang (-timeout)
# and no leak. Ends with one "N passed, N failed, N skipped" line.
# Usage: run.sh FUZZER SECONDS WORKDIR SEEDS
set -u
fuzzer=$1 seconds=$2 work=$3 seeds=$4
if ! [ -x "$fuzzer" ]; then
    echo "!!!!!!!! fuzz-rust: no fuzzer at $fuzzer (the build failed?) !!!!!!!!" >&2
    echo "fuzz-rust: 0 passed, 1 failed, 0 skipped"
    exit 1
fi
mkdir -p "$work/corpus" "$work/artifacts"
rm -f "$work"/artifacts/crash-* "$work"/artifacts/timeout-* "$work"/artifacts/leak-* "$work"/artifacts/oom-*
log=$work/fuzz-$seconds.log
echo "== cargo-fuzz target $(basename "$fuzzer"): $seconds s, -timeout=10, ASan, -detect_leaks=1, seeds from $seeds (log: $log)"
# USR1/USR2 are the harness's to fuzz, not libFuzzer's.
ASAN_OPTIONS=detect_leaks=1 RUST_BACKTRACE=1 \
    timeout -k 30 $((seconds + 300)) "$fuzzer" -max_total_time="$seconds" -timeout=10 -max_len=512 \
    -detect_leaks=1 -handle_usr1=0 -handle_usr2=0 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$seeds" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
crashes=$(find "$work/artifacts" -name 'crash-*' | wc -l)
hangs=$(find "$work/artifacts" -name 'timeout-*' | wc -l)
leaks=$(find "$work/artifacts" -name 'leak-*' -o -name 'oom-*' | wc -l)
corpus=$(find "$work/corpus" -type f | wc -l)
echo "fuzz-rust: ${runs:-0} executions (${rate:-0}/s), $crashes crashes, $hangs hangs, $leaks leaks/ooms; ${cov:-no coverage line}; corpus $corpus inputs; libFuzzer exit status $rc"
if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ] || [ "$hangs" -ne 0 ] || [ "$leaks" -ne 0 ] || [ -z "$runs" ]; then
    grep -E "ERROR|SUMMARY|panicked|assertion|left:|right:|Test unit written|Base64" "$log" | head -20
    echo "fuzz-rust: 0 passed, 1 failed, 0 skipped"
    exit 1
fi
echo "fuzz-rust: 1 passed, 0 failed, 0 skipped"
