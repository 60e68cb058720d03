#!/usr/bin/env bash
# Installs what the Rust checks (make fuzz-rust, make tsan, make miri) need:
#   rustup: the nightly toolchain (minimal profile) with rust-src and miri
#   cargo install: cargo-fuzz (--locked), into build/tools/cargo
# The stable toolchain stays the one that builds and ships the library;
# nightly is for these checks only.
#
# cargo-fuzz goes to build/tools/cargo, like the other project tools
# (gitignored, removed by `make clean`, nothing written outside the tree but
# rustup's own toolchain directory); the mk rules run it by its full path, so
# no PATH set-up is needed.
#
# Idempotent and quick when everything is there (no network then). Unlike
# install-tools.sh this one FAILS LOUDLY: a check without its tool must not
# pass. Usage: scripts/install-nightly.sh [fuzz] [tsan] [miri] (default all).
set -eu
cd "$(dirname "$0")/.."
root=$PWD
tools=$root/build/tools
log=$tools/install-nightly.log
mkdir -p "$tools"

want_fuzz=0 want_src=0 want_miri=0
[ $# -eq 0 ] && set -- fuzz tsan miri
for w in "$@"; do
    case $w in
    fuzz) want_fuzz=1 ;;
    tsan) want_src=1 ;;
    miri) want_src=1 want_miri=1 ;;
    *) echo "install-nightly: unknown part '$w'" >&2; exit 2 ;;
    esac
done

die() {
    echo "!!!!!!!! install-nightly: $* !!!!!!!!" >&2
    [ -f "$log" ] && tail -20 "$log" >&2
    exit 1
}

command -v rustup >/dev/null 2>&1 || die "rustup is missing: the Rust checks need rustup to install nightly (https://rustup.rs)"

if ! rustup run nightly rustc -V >/dev/null 2>&1; then
    echo "install-nightly: rustup toolchain install nightly --profile minimal" >&2
    rustup toolchain install nightly --profile minimal >>"$log" 2>&1 || die "rustup could not install nightly (log: $log)"
fi

installed=$(rustup +nightly component list --installed 2>/dev/null || true)
add_component() { # add_component <name>
    case $installed in *"$1"*) return 0 ;; esac
    echo "install-nightly: rustup +nightly component add $1" >&2
    rustup +nightly component add "$1" >>"$log" 2>&1 || die "rustup could not add the nightly component $1 (log: $log)"
}
if [ $want_src = 1 ]; then add_component rust-src; fi
if [ $want_miri = 1 ]; then
    add_component miri
    # The sysroot Miri builds once (in ~/.cache/miri); quick afterwards.
    cargo +nightly miri setup >>"$log" 2>&1 || die "cargo miri setup failed (log: $log)"
fi

if [ $want_fuzz = 1 ]; then
    fuzz=$tools/cargo/bin/cargo-fuzz
    if ! [ -x "$fuzz" ] || ! "$fuzz" --version >/dev/null 2>&1; then
        echo "install-nightly: cargo install cargo-fuzz --locked -> build/tools/cargo" >&2
        # cargo-fuzz builds with stable; the targets it builds use nightly.
        cargo install cargo-fuzz --locked --root "$tools/cargo" >>"$log" 2>&1 ||
            die "cargo install cargo-fuzz failed (log: $log)"
    fi
    # libfuzzer-sys compiles libFuzzer with a C++ compiler.
    command -v c++ >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1 || command -v clang++ >/dev/null 2>&1 ||
        die "no C++ compiler for libFuzzer: apt-get install g++"
fi
exit 0
