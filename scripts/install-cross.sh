#!/usr/bin/env bash
# Installs what `make test-cross` needs, and says loudly what it could not get.
#   rustup : the std of every cross target (musl, aarch64, i686, macOS x86_64 and
#            aarch64, FreeBSD, Windows GNU)
#   Debian : musl-tools, gcc-aarch64-linux-gnu + libc6-dev-arm64-cross, qemu-user,
#            gcc-i686-linux-gnu + libc6-dev-i386-cross + libc6-i386 + lib32gcc-s1 (not gcc-multilib:
#            on Debian 12 it conflicts with gcc-aarch64-linux-gnu), gcc-mingw-w64-x86-64,
#            wine + wine64 (apt-get only when root)
#   pip    : ziglang into build/tools/py (the same place scripts/install-tools.sh uses),
#            for `zig cc -target x86_64-macos / aarch64-macos / x86_64-freebsd`
# Idempotent; a second run only checks. Exit status 1 when anything is missing,
# with one line per missing piece (the rows that need it then fail loudly too).
set -eu
cd "$(dirname "$0")/.."
root=$PWD
tools=$root/build/tools
mkdir -p "$tools/py" "$tools/bin"
log=$tools/install-cross.log
missing=()

# ---- Rust targets -------------------------------------------------------------
targets="x86_64-unknown-linux-musl aarch64-unknown-linux-gnu i686-unknown-linux-gnu
         x86_64-apple-darwin aarch64-apple-darwin x86_64-unknown-freebsd x86_64-pc-windows-gnu"
if command -v rustup >/dev/null 2>&1; then
    installed=$(rustup target list --installed 2>/dev/null || true)
    want=""
    for t in $targets; do
        case " $(echo $installed) " in *" $t "*) ;; *) want="$want $t" ;; esac
    done
    if [ -n "$want" ]; then
        echo "install-cross: rustup target add$want" >&2
        # shellcheck disable=SC2086
        rustup target add $want >>"$log" 2>&1 || missing+=("rust targets$want (rustup failed, see $log)")
    fi
else
    missing+=("rustup (needed for the cross targets' std)")
fi

# ---- Debian packages ----------------------------------------------------------
# package -> a file that proves it is installed
pkgs=(
    "musl-tools:/usr/bin/musl-gcc"
    "gcc-aarch64-linux-gnu:/usr/bin/aarch64-linux-gnu-gcc"
    "libc6-dev-arm64-cross:/usr/aarch64-linux-gnu/include/stdio.h"
    "qemu-user:/usr/bin/qemu-aarch64"
    "gcc-i686-linux-gnu:/usr/bin/i686-linux-gnu-gcc"
    "libc6-dev-i386-cross:/usr/i686-linux-gnu/include/stdio.h"
    "libc6-i386:/lib/ld-linux.so.2"
    "lib32gcc-s1:/usr/lib32/libgcc_s.so.1"
    "gcc-mingw-w64-x86-64:/usr/bin/x86_64-w64-mingw32-gcc"
    "wine64:/usr/lib/wine/wine64"
    "wine:/usr/bin/wine"
)
need=()
for p in "${pkgs[@]}"; do
    [ -e "${p#*:}" ] || need+=("${p%%:*}")
done
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "install-cross: apt-get install ${need[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >>"$log" 2>&1; then
            apt-get update -qq >>"$log" 2>&1 || true
            apt-get install -y -qq --no-install-recommends "${need[@]}" >>"$log" 2>&1 || true
        fi
        for p in "${pkgs[@]}"; do
            [ -e "${p#*:}" ] || missing+=("${p%%:*} (apt-get failed, see $log)")
        done
    else
        missing+=("Debian packages ${need[*]} (not root: apt-get install them as root)")
    fi
fi

# ---- Zig (pip wheel, shared with scripts/install-tools.sh) ----------------------
if [ ! -x "$tools/py/ziglang/zig" ]; then
    echo "install-cross: pip install ziglang -> build/tools/py" >&2
    python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
        --target "$tools/py" ziglang >>"$log" 2>&1 || true
fi
if [ -x "$tools/py/ziglang/zig" ]; then
    ln -sfn "$tools/py/ziglang/zig" "$tools/bin/zig"
else
    missing+=("ziglang (pip install failed, see $log)")
fi

if [ ${#missing[@]} -gt 0 ]; then
    for m in "${missing[@]}"; do
        echo "!!!!!!!! install-cross: could not get $m" >&2
    done
    exit 1
fi
exit 0
