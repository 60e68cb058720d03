#!/usr/bin/env bash
# make test-deb: the Debian packages in the real system, and gone again.
#   builds librssignal0 and librssignal-dev (build.sh) from build/lib, then:
#   contents   dpkg -c: the .so.<version> and soname link in librssignal0; header,
#              .a, .so link, .pc, CMake package, man pages in librssignal-dev
#   install    dpkg -i of both, into the system (nothing of rssignal there before)
#   pkg-config tests/consumers/c-shared/main.c built with `pkg-config --cflags
#              --libs rssignal` (no PKG_CONFIG_PATH), run with a real SIGUSR1
#   cmake      the same program with find_package(rssignal 0.1) (no prefix path),
#              shared and static targets, each run with a real SIGUSR1
#   man        man 3 rs_signal_signal and man 7 rssignal from the system's MANPATH
#   removed    dpkg -r, dpkg -P: no package, no file, no directory of ours left,
#              the directories we touched list exactly what they listed before,
#              the linker cache no longer knows librssignal
# Root only (it installs into /usr): as another user every check FAILS, loudly.
set -u -o pipefail
# grep that reads all its input: grep -q closes a pipe early, and pipefail
# then fails the pipeline on the writer's SIGPIPE.
has() { grep "$@" >/dev/null; }
here=$(cd "$(dirname "$0")" && pwd)
PREFIX=/nonexistent WORK=$(mktemp -d "${TMPDIR:-/tmp}/rssignal-test-deb.XXXXXX")
# shellcheck source=../../consumers/lib.sh
source "$here/../../consumers/lib.sh"    # drive(); sets root
# Only what the system has: no prefix of ours anywhere.
unset PKG_CONFIG_PATH CMAKE_PREFIX_PATH LD_LIBRARY_PATH
export PATH="$root/build/tools/pkg-venv/bin:$root/build/tools/bin:$PATH"
cd "$root"
logs=$root/build/test-deb
rm -rf "$logs"; mkdir -p "$logs"
checks=(contents install pkg-config cmake man removed)
passed=0 failed=0
pass() { echo "PASS  $*"; passed=$((passed + 1)); }
failc() { echo "FAIL  $*"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed, 0 skipped"; rm -rf "$WORK"; [ "$failed" -eq 0 ]; exit; }
abort_all() { # every check not yet run fails with the reason
    local c; for c in "${checks[@]}"; do failc "$c: $*"; done; finish
}

if [ "$(id -u)" != 0 ]; then
    abort_all "test-deb installs packages into the system with dpkg -i: run it as root"
fi
scripts/install-packaging-tools.sh deb 2>"$logs/install-tools.log" || true
for t in dpkg dpkg-deb cc pkg-config cmake man readelf; do
    command -v "$t" >/dev/null 2>&1 || abort_all "tool $t is missing ($(grep -m1 "could not get $t" "$logs/install-tools.log" || echo 'not installed'))"
done
maintainer="rssignal developers <rssignal@localhost>"   # build.sh's
for p in librssignal-dev librssignal0; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | has 'installed'; then
        if [ "$(dpkg-query -W -f='${Maintainer}' "$p")" = "$maintainer" ]; then
            # Left by an earlier run of this test that was killed before its cleanup.
            echo "  $p is installed from an earlier run of this test: dpkg -P $p"
            dpkg -P "$p" >>"$logs/dpkg.log" 2>&1 || abort_all "dpkg -P $p (left by an earlier run) failed"
        else
            abort_all "$p is installed and not by this test: it would remove it; dpkg -P $p first"
        fi
    fi
done

debs=$WORK/debs
if ! tests/packaging/deb/build.sh "$debs" >"$logs/build.log" 2>&1; then
    cat "$logs/build.log"; abort_all "make deb failed"
fi
lib0=$(ls "$debs"/librssignal0_*.deb) dev=$(ls "$debs"/librssignal-dev_*.deb)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
checks=("${checks[@]:1}")

# contents
for d in "$lib0" "$dev"; do echo "  dpkg -c $(basename "$d"):"; dpkg -c "$d" | awk '{ print "    " $1, $6, $7, $8 }'; done
list() { dpkg -c "$1" | awk '{ print substr($6, 2) }' | sed 's|/$||'; }
# (regular expressions; [^/]+ is the multiarch directory)
L='/usr/lib/[^/]+'
want_lib0=("$L/librssignal\.so\.${version//./\\.}" "$L/librssignal\.so\.0")
want_dev=(/usr/include/rssignal\.h "$L/librssignal\.a" "$L/librssignal\.so"
          "$L/pkgconfig/rssignal\.pc" "$L/cmake/rssignal/rssignalConfig\.cmake"
          "$L/cmake/rssignal/rssignalConfigVersion\.cmake" /usr/share/man/man3/rs_signal_signal\.3\.gz
          /usr/share/man/man3/rs_signal_getsignal\.3\.gz /usr/share/man/man7/rssignal\.7\.gz)
bad=()
for w in "${want_lib0[@]}"; do list "$lib0" | grep -Eqx "$w" || bad+=("librssignal0 lacks $w"); done
for w in "${want_dev[@]}"; do list "$dev" | grep -Eqx "$w" || bad+=("librssignal-dev lacks $w"); done
list "$dev" | has 'librssignal\.so\.' && bad+=("librssignal-dev carries the run-time library")
# Link pages (.so requests) become symlinks, as dh_installman makes them.
dpkg -c "$dev" | has '^l.* \./usr/share/man/man3/rs_signal_getsignal\.3\.gz -> rs_signal_signal\.3\.gz$' ||
    bad+=("man3/rs_signal_getsignal.3.gz is not a symlink to rs_signal_signal.3.gz")
list "$lib0" | has -E 'rssignal\.h|\.a$|pkgconfig|cmake|/man/' && bad+=("librssignal0 carries development files")
if [ ${#bad[@]} -eq 0 ]; then pass "contents: $(list "$lib0" | wc -l) + $(list "$dev" | wc -l) entries, split as Debian splits a library"
else failc "contents:"; printf '      %s\n' "${bad[@]}"; fi
checks=("${checks[@]:1}")

# What the system looks like where the packages go, before.
files=$( { list "$lib0"; list "$dev"; } | LC_ALL=C sort -u)
dirs=$(printf '%s\n' "$files" | while read -r f; do [ -n "$f" ] && dirname "$f"; done | LC_ALL=C sort -u)
snapshot() {
    for d in $dirs; do [ -d "$d" ] && ls -A "$d" | sed "s|^|$d/|"; done
    ldconfig -p | grep -c librssignal || true
}
for f in $files; do
    if [ -e "$f" ] && [ ! -d "$f" ]; then abort_all "$f exists already (an earlier make install?): remove it first"; fi
done
snapshot >"$logs/before.txt"

cleanup() { dpkg -P librssignal-dev librssignal0 >>"$logs/dpkg.log" 2>&1 || true; }
trap 'cleanup; rm -rf "$WORK"' EXIT
if dpkg -i "$lib0" "$dev" >"$logs/dpkg.log" 2>&1; then
    pass "install: dpkg -i $(basename "$lib0") $(basename "$dev")"
else
    sed 's/^/      /' "$logs/dpkg.log"; abort_all "dpkg -i failed"
fi
checks=("${checks[@]:1}")

# pkg-config
src=tests/consumers/c-shared/main.c
if [ "$(pkg-config --modversion rssignal 2>/dev/null)" != "$version" ]; then
    failc "pkg-config: pkg-config --modversion rssignal is '$(pkg-config --modversion rssignal 2>&1)', not $version"
elif ! cc -std=c11 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags rssignal) "$src" \
        $(pkg-config --libs rssignal) -o "$WORK/consumer-pc" 2>"$logs/pc-build.log"; then
    failc "pkg-config: the consumer does not build:"; sed 's/^/      /' "$logs/pc-build.log"
elif ! readelf -d "$WORK/consumer-pc" | has 'NEEDED.*\[librssignal\.so\.0\]'; then
    failc "pkg-config: the consumer does not load librssignal.so.0"
elif ! ldd "$WORK/consumer-pc" | has -E "librssignal.so.0 => (/usr)?/lib/"; then
    failc "pkg-config: librssignal.so.0 does not resolve to /usr/lib: $(ldd "$WORK/consumer-pc" | grep rssignal)"
elif drive "$WORK/consumer-pc" >"$logs/pc-run.log" 2>&1; then
    pass "pkg-config: cc \$(pkg-config --cflags --libs rssignal) ($(pkg-config --libs rssignal)); ran with a real SIGUSR1"
    grep -E 'wakeup fd|callback ran' "$logs/pc-run.log" | sed 's/^/    /'
else
    failc "pkg-config: the consumer failed:"; sed 's/^/      /' "$logs/pc-run.log"
fi

# cmake
if ! cmake -S tests/packaging/deb/cmake -B "$WORK/cmake" >"$logs/cmake.log" 2>&1 ||
   ! cmake --build "$WORK/cmake" -j2 >>"$logs/cmake.log" 2>&1; then
    failc "cmake: configure or build failed:"; tail -n 20 "$logs/cmake.log" | sed 's/^/      /'
elif ! grep -q "rssignal $version from /usr/lib/.*/cmake/rssignal" "$logs/cmake.log"; then
    failc "cmake: find_package did not find the package's config: $(grep 'rssignal ' "$logs/cmake.log")"
elif readelf -d "$WORK/cmake/consumer_static" | has 'NEEDED.*librssignal'; then
    failc "cmake: consumer_static loads librssignal.so"
elif drive "$WORK/cmake/consumer_shared" >"$logs/cmake-run.log" 2>&1 &&
     drive "$WORK/cmake/consumer_static" >>"$logs/cmake-run.log" 2>&1; then
    pass "cmake: $(grep -o "rssignal $version from [^ ]*" "$logs/cmake.log"); rssignal::rssignal and rssignal::rssignal_static ran with a real SIGUSR1"
else
    failc "cmake: a consumer failed:"; sed 's/^/      /' "$logs/cmake-run.log"
fi

# man
if MANWIDTH=80 man 3 rs_signal_getsignal 2>/dev/null | has 'rs_signal_getsignal' &&
   MANWIDTH=80 man 7 rssignal 2>/dev/null | has 'RSSIGNAL(7)'; then
    pass "man: man 3 rs_signal_getsignal and man 7 rssignal from $(man -w 3 rs_signal_getsignal)"
else
    failc "man: man 3 rs_signal_getsignal / man 7 rssignal not found"
fi
checks=(removed)

# removed
trap 'rm -rf "$WORK"' EXIT
if ! { dpkg -r librssignal-dev librssignal0 && dpkg -P librssignal-dev librssignal0; } >>"$logs/dpkg.log" 2>&1; then
    failc "removed: dpkg -r / dpkg -P failed:"; tail -n 20 "$logs/dpkg.log" | sed 's/^/      /'; cleanup; finish
fi
snapshot >"$logs/after.txt"
left=()
for f in $files; do [ -e "$f" ] || [ -L "$f" ] && [ ! -d "$f" ] && left+=("$f"); done
for p in librssignal0 librssignal-dev; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | has -v 'not-installed' && left+=("package $p: $(dpkg-query -W -f='${Status}' "$p")")
    ls /var/lib/dpkg/info/"$p".* /var/lib/dpkg/info/"$p":*.* >/dev/null 2>&1 && left+=("dpkg metadata of $p")
done
if [ ${#left[@]} -eq 0 ] && cmp -s "$logs/before.txt" "$logs/after.txt"; then
    pass "removed: dpkg -r, dpkg -P: no file, package or directory left ($(wc -l <"$logs/before.txt") entries as before)"
else
    failc "removed: the system is not as it was:"; printf '      %s\n' "${left[@]+"${left[@]}"}"
    diff "$logs/before.txt" "$logs/after.txt" | sed 's/^/      /'
fi
finish
