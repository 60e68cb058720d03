#!/usr/bin/env bash
# make test-meson: a Meson project using dependency('rssignal') against rssignal
# installed into a temporary prefix (make install-files), found through
# PKG_CONFIG_PATH as a user of that prefix would.
#   configure  meson setup + ninja: consumer_shared (dependency('rssignal')) and
#              consumer_static (dependency('rssignal', static: true))
#   shared     loads librssignal.so.0 from the prefix; runs with a real SIGUSR1
#   static     carries the archive (no librssignal.so needed); runs likewise
# Meson and Ninja come from pip (scripts/install-packaging-tools.sh); missing = FAIL.
set -u -o pipefail
# grep that reads all its input: grep -q closes a pipe early, and pipefail
# then fails the pipeline on the writer's SIGPIPE.
has() { grep "$@" >/dev/null; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rssignal-meson.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
PREFIX=$tmp/prefix WORK=$tmp/work
# shellcheck source=../../consumers/lib.sh
source "$here/../../consumers/lib.sh"    # drive(), PKG_CONFIG_PATH and LD_LIBRARY_PATH for PREFIX
export PATH="$root/build/tools/pkg-venv/bin:$PATH"
cd "$root"
logs=$root/build/test-meson
rm -rf "$logs"; mkdir -p "$logs"
passed=0 failed=0
pass() { echo "PASS  $*"; passed=$((passed + 1)); }
failc() { echo "FAIL  $*"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed, 0 skipped"; [ "$failed" -eq 0 ]; exit; }
abort_all() { local c; for c in configure shared static; do failc "$c: $*"; done; finish; }

scripts/install-packaging-tools.sh meson 2>"$logs/install-tools.log" || true
for t in meson ninja pkg-config cc; do
    command -v "$t" >/dev/null 2>&1 || abort_all "tool $t is missing ($(grep -m1 "could not get $t" "$logs/install-tools.log" || echo 'not installed'))"
done
make --no-print-directory -s install-files PREFIX="$PREFIX" LDCONFIG=: >"$logs/install.log" 2>&1 ||
    { cat "$logs/install.log"; abort_all "make install-files PREFIX=$PREFIX failed"; }
src=$WORK/src
mkdir -p "$src"
cp "$here/meson.build" tests/consumers/c-shared/main.c "$src/"
if meson setup "$WORK/build" "$src" >"$logs/setup.log" 2>&1 && ninja -C "$WORK/build" >"$logs/ninja.log" 2>&1; then
    pass "configure: meson $(meson --version), ninja $(ninja --version): $(grep -o 'rssignal [0-9.]* ([a-z-]*)' "$logs/setup.log" | head -n1)"
else
    cat "$logs/setup.log" "$logs/ninja.log" 2>/dev/null | tail -n 30 | sed 's/^/      /'
    abort_all "meson setup or ninja failed"
fi
b=$WORK/build
if ! readelf -d "$b/consumer_shared" | has 'NEEDED.*\[librssignal\.so\.0\]'; then
    failc "shared: consumer_shared does not load librssignal.so.0"
elif ! ldd "$b/consumer_shared" | has "librssignal.so.0 => $PREFIX/lib/"; then
    failc "shared: librssignal.so.0 does not come from the prefix: $(ldd "$b/consumer_shared" | grep rssignal)"
elif drive "$b/consumer_shared" >"$logs/shared.log" 2>&1; then
    pass "shared: dependency('rssignal'): librssignal.so.0 from the prefix, ran with a real SIGUSR1"
else
    failc "shared: consumer_shared failed:"; sed 's/^/      /' "$logs/shared.log"
fi
if readelf -d "$b/consumer_static" | has 'NEEDED.*librssignal'; then
    failc "static: consumer_static loads librssignal.so (static: true did not link the archive)"
elif ! nm "$b/consumer_static" | has ' T rs_signal_check$'; then
    failc "static: rs_signal_check is not linked into consumer_static"
elif LD_LIBRARY_PATH= drive "$b/consumer_static" >"$logs/static.log" 2>&1; then
    pass "static: dependency('rssignal', static: true): the archive linked in, ran with a real SIGUSR1"
else
    failc "static: consumer_static failed:"; sed 's/^/      /' "$logs/static.log"
fi
finish
