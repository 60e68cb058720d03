#!/usr/bin/env bash
# Installs what the packaging checks need (mk/packaging.mk) and says what it
# could not get; the checks themselves then FAIL loudly naming the tool.
#   venv build/tools/pkg-venv (pip): conan (Conan 2), meson, ninja, cmake
#   apt-get, as root:                abigail-tools (abidw, abidiff), man-db and
#                                    groff-base (man -l), dpkg-dev is not needed
#                                    (dpkg-deb is part of dpkg)
# Idempotent and quiet when everything is there. Exit status 0 even when
# something is missing; the last lines name each missing tool.
#   scripts/install-packaging-tools.sh [abi|man|deb|conan|meson]...  (default: all)
set -u
cd "$(dirname "$0")/.."
root=$PWD
tools=$root/build/tools
venv=$tools/pkg-venv
mkdir -p "$tools"
PYTHON=${PYTHON:-python3}
want=("$@")
[ ${#want[@]} -gt 0 ] || want=(abi man deb conan meson)
missing=()
# Versions this project was checked with; pip gets exactly these.
PIP_PKGS_conan="conan==2.34.0"
PIP_PKGS_meson="meson==1.12.1 ninja==1.13.2"
PIP_PKGS_cmake="cmake==4.4.5"

wants() { local w; for w in "${want[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }

venv_ready() {
    [ -x "$venv/bin/python" ] && return 0
    echo "install-packaging-tools: python3 -m venv build/tools/pkg-venv" >&2
    "$PYTHON" -m venv "$venv" >"$tools/pkg-venv.log" 2>&1 && return 0
    missing+=("a Python venv (python3 -m venv failed, see build/tools/pkg-venv.log)")
    rm -rf "$venv"
    return 1
}

pip_tool() { # pip_tool <command that must end up in the venv> <pip requirement>...
    local cmd=$1; shift
    [ -x "$venv/bin/$cmd" ] && return 0
    venv_ready || return 1
    echo "install-packaging-tools: pip install $* -> build/tools/pkg-venv" >&2
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" \
            >"$tools/pip-pkg-$cmd.log" 2>&1; then
        missing+=("$cmd (pip install $* failed, see build/tools/pip-pkg-$cmd.log)")
        return 1
    fi
}

apt_updated=0
apt_pkg() { # apt_pkg <command> <debian package>
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        missing+=("$1 (not root: run 'apt-get install $2' as root)")
        return 1
    fi
    echo "install-packaging-tools: apt-get install $2" >&2
    export DEBIAN_FRONTEND=noninteractive
    if apt-get install -y -qq "$2" >>"$tools/apt-pkg.log" 2>&1; then return 0; fi
    if [ $apt_updated = 0 ]; then
        apt_updated=1
        apt-get update -qq >>"$tools/apt-pkg.log" 2>&1
        apt-get install -y -qq "$2" >>"$tools/apt-pkg.log" 2>&1 && return 0
    fi
    missing+=("$1 (apt-get install $2 failed, see build/tools/apt-pkg.log)")
    return 1
}

if wants abi; then apt_pkg abidiff abigail-tools; apt_pkg abidw abigail-tools; fi
if wants man; then apt_pkg man man-db; apt_pkg groff groff-base; fi
if wants deb; then
    command -v dpkg-deb >/dev/null 2>&1 || missing+=("dpkg-deb (not a Debian system)")
fi
if wants conan || wants meson || wants deb; then
    # CMake: a system one, the consumer tests' (build/tools/bin), or our own.
    if ! command -v cmake >/dev/null 2>&1 && [ ! -x "$tools/bin/cmake" ]; then
        pip_tool cmake $PIP_PKGS_cmake
    fi
fi
if wants conan; then pip_tool conan $PIP_PKGS_conan; fi
if wants meson; then pip_tool meson $PIP_PKGS_meson; fi

for m in "${missing[@]+"${missing[@]}"}"; do
    echo "install-packaging-tools: could not get $m" >&2
done
exit 0
