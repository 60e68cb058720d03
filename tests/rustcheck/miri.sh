#!/usr/bin/env bash
# `make miri`: the library's unit tests under Miri (nightly), the ones that
# need no real operating system: sets, names, errors, tables, times, handler
# validation. Miri stops the whole run at the first foreign call it cannot
# emulate (sigemptyset, strsignal…), so the tests that make one are skipped by
# name below, each with its reason, until they carry
# #[cfg_attr(miri, ignore = "...")] in the sources. The cargo output goes to
# build/miri/miri.log; this prints the outcome and ends with
# "miri: N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.."
out=build/miri
mkdir -p "$out"
log=$out/miri.log
export CARGO_TARGET_DIR=$PWD/$out/target

# name|reason
SKIPS=(
    "module::tests::strsignal_matches_glibc|calls the C library's strsignal(), a foreign function Miri cannot run"
    "sigset::tests::os_conversion_rejects_bit_zero_and_high_bits|its round trip through sigset_t calls sigemptyset/sigaddset/sigismember, foreign functions Miri cannot run (the two rejections before it need no OS)"
    "error::tests::os_errors_read_like_python|Miri emulates strerror_r with Rust's io::Error text (\"Invalid argument (os error 22)\"), not glibc's, so the CPython wording cannot match"
    "tests::checked_in_header_is_current|reads include/rssignal.h from disk, which Miri's isolation forbids (a file comparison, no unsafe code)"
)

args=(--exact)
for s in "${SKIPS[@]}"; do args+=(--skip "${s%%|*}"); done

echo "== cargo +nightly miri test --lib (log: $log)"
cargo +nightly miri test --lib -- "${args[@]}" >"$log" 2>&1
rc=$?
line=$(grep -E '^test result:' "$log" | tail -1)
p=$(sed -nE 's/^test result: [a-zA-Z]+\. ([0-9]+) passed; ([0-9]+) failed; ([0-9]+) ignored.*/\1/p' <<<"$line")
f=$(sed -nE 's/^test result: [a-zA-Z]+\. ([0-9]+) passed; ([0-9]+) failed; ([0-9]+) ignored.*/\2/p' <<<"$line")
i=$(sed -nE 's/^test result: [a-zA-Z]+\. ([0-9]+) passed; ([0-9]+) failed; ([0-9]+) ignored.*/\3/p' <<<"$line")
grep -E '^test .* \.\.\. ' "$log" | sed 's/^test /  /'
for s in "${SKIPS[@]}"; do echo "  skipped under Miri: ${s%%|*} (${s#*|})"; done
if [ -z "$p" ]; then
    # Miri aborts the process on an unsupported operation or UB: no summary.
    grep -E '^error|unsupported operation|Undefined Behavior|^thread .* panicked' "$log" | head -10
    echo "!!!!!!!! miri: the run ended without a test summary (exit status $rc; log: $log) !!!!!!!!" >&2
    echo "miri: 0 passed, 1 failed, ${#SKIPS[@]} skipped"
    exit 1
fi
skipped=$(( i + ${#SKIPS[@]} ))
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
echo "miri: $p passed, $f failed, $skipped skipped"
[ "$f" -eq 0 ]
