# Shared helpers for the consumer run scripts (sourced, bash).
#
# A run script gets, from run-all.sh or from the caller:
#   PREFIX  a fresh install of rssignal (make install-files PREFIX=...)
#   WORK    an empty scratch directory for its build
# and exits 0 (passed), 77 after printing "SKIPPED: <why>" (skipped), or
# anything else (failed). It finds rssignal only through what a user of an
# install in a non-system prefix sets: PKG_CONFIG_PATH, CMAKE_PREFIX_PATH and,
# to run, LD_LIBRARY_PATH.

set -u -o pipefail
: "${PREFIX:?PREFIX must name an rssignal install}"
: "${WORK:=$(mktemp -d)}"
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
tools=$root/build/tools
export PATH="$tools/bin:$PATH"
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export CMAKE_PREFIX_PATH="$PREFIX${CMAKE_PREFIX_PATH:+:$CMAKE_PREFIX_PATH}"
export LD_LIBRARY_PATH="$PREFIX/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Nothing from the source tree: the top Makefile exports these for its own tests.
unset RSSIGNAL_LIBDIR RSSIGNAL_INCDIR
mkdir -p "$WORK"

skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAILED: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || skip "$1 not found (scripts/install-tools.sh could not install it)"; }

# drive CMD...: run a consumer program and act on its stdout protocol:
#   SEND <SIGNAME> <pid>   this script (another process) sends the signal with kill
#   OK                     the program checked everything (it must also exit 0)
# Every line is echoed. No sleeps: the program says when it is ready.
# A program that hangs is killed after 60 s.
drive() {
    local ok=0 line sig pid rc fd fifo="$WORK/.drive.$$.fifo"
    rm -f "$fifo"; mkfifo "$fifo"
    timeout 60 "$@" >"$fifo" &
    local prog=$!
    exec {fd}<"$fifo"
    rm -f "$fifo"
    while IFS= read -r line <&"$fd"; do
        echo "  | $line"
        case $line in
            "SEND "*)
                read -r _ sig pid <<<"$line"
                kill -s "${sig#SIG}" "$pid" || echo "  kill -s $sig $pid failed" >&2
                ;;
            OK) ok=1 ;;
        esac
    done
    exec {fd}<&-
    wait "$prog"; rc=$?
    [ "$rc" -eq 0 ] || { echo "  program exited with status $rc" >&2; return 1; }
    [ "$ok" -eq 1 ] || { echo "  program did not print OK" >&2; return 1; }
}
