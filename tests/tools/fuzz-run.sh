#!/usr/bin/env bash
# Runs a libFuzzer binary for SECONDS, starting from the checked-in seeds
# (SEEDS) plus what earlier runs found (WORKDIR/corpus), and passes when it
# ends with no crash, no hang (-timeout=10) and no leak. Prints the run's
# figures (executions, coverage, corpus) and ends with one line
# "NAME: N passed, N failed, N skipped". The log is WORKDIR/fuzz-SECONDS.log.
# Used by `make fuzz` (the C harness tests/fuzz/fuzz_api.c, ASan+UBSan) and,
# through tests/fuzz/rust/run.sh, by `make fuzz-rust` (the cargo-fuzz target).
# Usage: fuzz-run.sh [-n NAME] [-d WHAT] FUZZER SECONDS WORKDIR SEEDS [LIBFUZZER-FLAG...]
#   -n NAME  the name in the result lines (default: fuzz)
#   -d WHAT  what the header line says is run (default: libFuzzer, ASan+UBSan)
# The environment reaches the fuzzer; unless set there, ASAN_OPTIONS is
# detect_leaks=1, UBSAN_OPTIONS print_stacktrace=1:halt_on_error=1 and
# RUST_BACKTRACE 0.
set -eu
name=fuzz what="libFuzzer, ASan+UBSan"
while getopts n:d: opt; do
    case $opt in
    n) name=$OPTARG ;;
    d) what=$OPTARG ;;
    *) echo "usage: $0 [-n NAME] [-d WHAT] FUZZER SECONDS WORKDIR SEEDS [LIBFUZZER-FLAG...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
fuzzer=$1 seconds=$2 work=$3 seeds=$4
shift 4
if ! [ -x "$fuzzer" ]; then
    echo "!!!!!!!! $name: no fuzzer at $fuzzer (the build failed?) !!!!!!!!" >&2
    echo "$name: 0 passed, 1 failed, 0 skipped"
    exit 1
fi
mkdir -p "$work/corpus" "$work/artifacts"
rm -f "$work"/artifacts/crash-* "$work"/artifacts/timeout-* "$work"/artifacts/leak-* "$work"/artifacts/oom-*
log=$work/fuzz-$seconds.log
echo "== $name: $(basename "$fuzzer") for $seconds s, -timeout=10, $what, seeds from $seeds (log: $log)"
# USR1/USR2 are the harness's to fuzz, not libFuzzer's.
rc=0
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    RUST_BACKTRACE=${RUST_BACKTRACE:-0} \
    timeout -k 30 $((seconds + 300)) "$fuzzer" -max_total_time="$seconds" -timeout=10 -max_len=512 \
    -handle_usr1=0 -handle_usr2=0 -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@" \
    "$work/corpus" "$seeds" >"$log" 2>&1 || rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
crashes=$(find "$work/artifacts" -name 'crash-*' | wc -l)
hangs=$(find "$work/artifacts" -name 'timeout-*' | wc -l)
leaks=$(find "$work/artifacts" -name 'leak-*' -o -name 'oom-*' | wc -l)
corpus=$(find "$work/corpus" -type f | wc -l)
echo "$name: ${runs:-0} executions (${rate:-0}/s), $crashes crashes, $hangs hangs, $leaks leaks/ooms; ${cov:-no coverage line}; corpus $corpus inputs; libFuzzer exit status $rc"
if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ] || [ "$hangs" -ne 0 ] || [ "$leaks" -ne 0 ] || [ -z "$runs" ]; then
    grep -E 'ERROR|SUMMARY|invariant|runtime error|panicked|assertion|left:|right:|Test unit written|Base64' "$log" | head -20 || true
    echo "$name: 0 passed, 1 failed, 0 skipped"
    exit 1
fi
echo "$name: 1 passed, 0 failed, 0 skipped"
