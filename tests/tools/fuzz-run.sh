#!/usr/bin/env bash
# `make fuzz`: runs the libFuzzer harness for FUZZ_SECONDS, starting from the
# checked-in seeds (tests/fuzz/corpus) plus what earlier runs found (build/fuzz/corpus),
# and passes when it ends with no crash, no hang (-timeout) and no leak.
# Usage: fuzz-run.sh FUZZER SECONDS WORKDIR SEEDS
set -u
fuzzer=$1 seconds=$2 work=$3 seeds=$4
mkdir -p "$work/corpus" "$work/artifacts"
rm -f "$work"/artifacts/crash-* "$work"/artifacts/timeout-* "$work"/artifacts/leak-* "$work"/artifacts/oom-*
log=$work/fuzz.log
echo "== libFuzzer: $seconds s, -timeout=10, ASan+UBSan, seeds from $seeds (log: $log)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 RUST_BACKTRACE=0 \
    timeout -k 30 $((seconds + 300)) "$fuzzer" -max_total_time="$seconds" -timeout=10 -max_len=512 \
    -handle_usr1=0 -handle_usr2=0 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$seeds" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
crashes=$(find "$work/artifacts" -name 'crash-*' | wc -l)
hangs=$(find "$work/artifacts" -name 'timeout-*' | wc -l)
leaks=$(find "$work/artifacts" -name 'leak-*' -o -name 'oom-*' | wc -l)
corpus=$(find "$work/corpus" -type f | wc -l)
echo "fuzz: ${runs:-0} executions (${rate:-0}/s), $crashes crashes, $hangs hangs, $leaks leaks/ooms; $cov; corpus $corpus inputs; libFuzzer exit status $rc"
if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ] || [ "$hangs" -ne 0 ] || [ "$leaks" -ne 0 ] || [ -z "$runs" ]; then
    grep -E 'ERROR|SUMMARY|invariant|runtime error|Test unit written' "$log" | head -20
    echo "fuzz: 0 passed, 1 failed, 0 skipped"
    exit 1
fi
echo "fuzz: 1 passed, 0 failed, 0 skipped"
