#!/usr/bin/env bash
# `make fuzz-rust`: runs the cargo-fuzz target FUZZER for SECONDS from the
# checked-in seeds (SEEDS) plus what earlier runs found (WORKDIR/corpus), with
# ASan and -detect_leaks=1, through tests/tools/fuzz-run.sh (no crash, no hang,
# no leak). Ends with one "fuzz-rust: N passed, N failed, N skipped" line.
# Usage: run.sh FUZZER SECONDS WORKDIR SEEDS
set -eu
RUST_BACKTRACE=1 exec "$(dirname "$0")/../../tools/fuzz-run.sh" -n fuzz-rust -d "cargo-fuzz target, ASan, -detect_leaks=1" \
    "$1" "$2" "$3" "$4" -detect_leaks=1
