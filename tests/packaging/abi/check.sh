#!/usr/bin/env bash
# make abi-check: the current build against the 0.1 ABI baseline in abi/.
#   tests/packaging/abi/check.sh [LIBRARY [HEADER]]
#     (default: build/lib/librssignal.so.<version>, include/rssignal.h)
# Four checks, one PASS/FAIL line each, then "N passed, N failed, N skipped":
#   library    abidiff of the ELF interface: no exported function or variable
#              symbol removed, soname unchanged; additions listed
#   header     abidiff of the header's C ABI (probe.py): no function removed,
#              no parameter, return, struct or layout change; additions listed
#   constants  every 0.1 integer constant still defined, same value
#   agreement  the header declares exactly what the library exports
# A missing tool or a failed build is a FAIL, never a skip.
set -u -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
lib=${1:-build/lib/librssignal.so.$version}
header=${2:-include/rssignal.h}
base=${ABI_BASELINE:-0.1}
basedir=$root/abi   # the checked-in baseline (make-baseline.sh)
logs=build/abi-check
rm -rf "$logs"; mkdir -p "$logs"
passed=0 failed=0
pass() { echo "PASS  $*"; passed=$((passed + 1)); }
fail() { echo "FAIL  $*"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed, 0 skipped"; [ "$failed" -eq 0 ]; exit; }

scripts/install-packaging-tools.sh abi 2>"$logs/install-tools.log" || true
for t in abidw abidiff objcopy python3 cc nm; do
    if ! command -v "$t" >/dev/null 2>&1; then
        fail "tool $t is missing ($(grep -m1 "could not get $t" "$logs/install-tools.log" || echo 'not installed'))"
    fi
done
[ -f "$lib" ] || fail "library $lib is missing: run 'make build' first"
[ "$failed" -eq 0 ] || finish
# shellcheck source=dump.sh
source "$here/dump.sh"

# abidiff_step NAME BASELINE CURRENT: fails on anything removed or changed.
abidiff_step() {
    local name=$1 old=$2 new=$3 report=$logs/$1.report rc
    abidiff --no-show-locs "$old" "$new" >"$report" 2>&1
    rc=$?
    if [ $((rc & 3)) -ne 0 ]; then
        fail "$name: abidiff could not compare (status $rc):"; sed 's/^/      /' "$report"; return
    fi
    # Summary lines: "Functions changes summary: 0 Removed, 1 Changed (2 filtered out), 3 Added functions"
    local summary bad
    summary=$(grep -E 'changes summary:' "$report" || true)
    bad=$(printf '%s\n' "$summary" | grep -E '[1-9][0-9]* (Removed|Changed)' || true)
    if grep -q -E 'SONAME changed|architecture changed' "$report"; then
        bad="$bad$(grep -E 'SONAME changed|architecture changed' "$report")"
    fi
    if [ $((rc & 12)) -ne 0 ] && [ -z "$summary" ]; then
        bad="abidiff reports an ABI change (status $rc) without a summary"
    fi
    if [ -n "$bad" ]; then
        fail "$name: removed or changed against $base (abidiff status $rc):"
        sed 's/^/      /' "$report"
    else
        pass "$name: nothing removed or changed against $base"
        [ -z "$summary" ] && echo "      (identical)" || printf "%s\n" "$summary" | sed "s/^/      /"
        grep -E '^\s*\[A\]' "$report" | sed 's/^ */      added: /' | sed 's/\[A\] //' || true
    fi
}

if dump_library "$lib" "$logs/library.abi" 2>"$logs/library.err"; then
    abidiff_step library "$basedir/librssignal-$base.abi" "$logs/library.abi"
else
    fail "library: abidw $lib:"; sed 's/^/      /' "$logs/library.err"
fi

if dump_header "$header" "$logs/header.abi" "$logs/header" >"$logs/header.err" 2>&1; then
    abidiff_step header "$basedir/rssignal-$base-header.abi" "$logs/header.abi"
else
    fail "header: could not build the header probe:"; sed 's/^/      /' "$logs/header.err"
fi

if dump_constants "$header" "$logs/constants.txt" "$logs/constants" >"$logs/constants.err" 2>&1; then
    out=$(python3 - "$basedir/rssignal-$base-constants.txt" "$logs/constants.txt" <<'PY'
import sys
def read(p):
    return dict(l.split(None, 1) for l in open(p) if l.strip())
old, new = read(sys.argv[1]), read(sys.argv[2])
bad = 0
for k in sorted(old):
    if k not in new:
        print("      removed: %s (was %s)" % (k, old[k].strip())); bad += 1
    elif new[k] != old[k]:
        print("      changed: %s %s -> %s" % (k, old[k].strip(), new[k].strip())); bad += 1
added = sorted(set(new) - set(old))
print("      %d of %d kept, %d added%s" % (len(old) - bad, len(old), len(added),
      (": " + ", ".join(added)) if added else ""))
sys.exit(1 if bad else 0)
PY
)
    if [ $? -eq 0 ]; then pass "constants: every $base constant has its $base value"; else fail "constants:"; fi
    printf '%s\n' "$out"
else
    fail "constants: could not build the constants probe:"; sed 's/^/      /' "$logs/constants.err"
fi

# What the header declares (functions and variables of a release build)
# against what the library exports.
declared=$(python3 - "$header" <<'PY'
import sys
sys.path.insert(0, "tests/packaging")
import rsheader
for it in rsheader.public_functions(rsheader.parse_file(sys.argv[1])):
    if it.kind != "inline":
        print(it.name)
PY
) || declared=
exported=$(nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }' | LC_ALL=C sort)
declared=$(printf '%s\n' "$declared" | LC_ALL=C sort)
only_h=$(LC_ALL=C comm -23 <(printf '%s\n' "$declared") <(printf '%s\n' "$exported") | grep . || true)
only_so=$(LC_ALL=C comm -13 <(printf '%s\n' "$declared") <(printf '%s\n' "$exported") | grep . || true)
if [ -z "$declared" ]; then
    fail "agreement: no declaration found in $header"
elif [ -n "$only_h$only_so" ]; then
    fail "agreement: header and library differ"
    [ -z "$only_h" ] || printf '      declared, not exported: %s\n' $only_h
    [ -z "$only_so" ] || printf '      exported, not declared: %s\n' $only_so
else
    pass "agreement: the header declares the $(printf '%s\n' "$declared" | grep -c .) symbols the library exports"
fi
finish
