#!/usr/bin/env bash
# make test-conan: the recipe (conanfile.py) in a Conan 2 home of its own
# (build/conan/home, never ~/.conan2) with every remote removed: offline.
#   create-shared   conan create . -o rssignal/*:shared=True  (builds with cargo, packages with make)
#   create-static   conan create . -o rssignal/*:shared=False
#   consume-shared  conan install --requires=rssignal/<version> -g CMakeDeps ... + CMake:
#                   find_package(rssignal) / rssignal::rssignal, librssignal.so.0 from
#                   the Conan cache (conanrun.sh), run with a real SIGUSR1
#   consume-static  the same against the static package: the archive linked in
# Conan and CMake come from pip (scripts/install-packaging-tools.sh); missing = FAIL.
set -u -o pipefail
# grep that reads all its input: grep -q closes a pipe early, and pipefail
# then fails the pipeline on the writer's SIGPIPE.
has() { grep "$@" >/dev/null; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rssignal-conan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
PREFIX=/nonexistent WORK=$tmp/work
# shellcheck source=../../consumers/lib.sh
source "$here/../../consumers/lib.sh"    # drive(); sets root
unset PKG_CONFIG_PATH CMAKE_PREFIX_PATH LD_LIBRARY_PATH
export PATH="$root/build/tools/pkg-venv/bin:$root/build/tools/bin:$PATH"
cd "$root"
export CONAN_HOME=$root/build/conan/home
# Kept between runs: cargo's dependencies are not rebuilt every time.
export CARGO_TARGET_DIR=$root/build/conan/cargo-target
logs=$root/build/test-conan
rm -rf "$logs"; mkdir -p "$logs" "$CONAN_HOME"
checks=(create-shared create-static consume-shared consume-static)
passed=0 failed=0
pass() { echo "PASS  $*"; passed=$((passed + 1)); }
failc() { echo "FAIL  $*"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed, 0 skipped"; [ "$failed" -eq 0 ]; exit; }
abort_all() { local c; for c in "${checks[@]}"; do failc "$c: $*"; done; finish; }

scripts/install-packaging-tools.sh conan 2>"$logs/install-tools.log" || true
for t in conan cmake cargo make cc; do
    command -v "$t" >/dev/null 2>&1 || abort_all "tool $t is missing ($(grep -m1 "could not get $t" "$logs/install-tools.log" || echo 'not installed'))"
done
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
{
    [ -f "$CONAN_HOME/profiles/default" ] || conan profile detect --force
    for r in $(conan remote list --format=json 2>/dev/null | python3 -c 'import json,sys; [print(r["name"]) for r in json.load(sys.stdin)]'); do
        conan remote remove "$r"
    done
    conan remove "rssignal/*" --confirm
} >"$logs/setup.log" 2>&1 || { cat "$logs/setup.log"; abort_all "conan profile/remote setup failed"; }
remotes=$(conan remote list --format=json 2>/dev/null)
[ "$remotes" = "[]" ] || abort_all "remotes left in $CONAN_HOME: $remotes"

for variant in shared static; do
    flag=$([ $variant = shared ] && echo True || echo False)
    start=$SECONDS
    if conan create . -o "rssignal/*:shared=$flag" -s build_type=Release >"$logs/create-$variant.log" 2>&1; then
        pkg=$(grep -o 'Package folder [^ ]*' "$logs/create-$variant.log" | tail -n1 | cut -d' ' -f3)
        pass "create-$variant: conan create . -o rssignal/*:shared=$flag, no remote ($((SECONDS - start))s)"
    else
        failc "create-$variant: conan create failed:"; tail -n 30 "$logs/create-$variant.log" | sed 's/^/      /'
    fi
done
checks=(consume-shared consume-static)

for variant in shared static; do
    flag=$([ $variant = shared ] && echo True || echo False)
    gen=$WORK/$variant-gen bld=$WORK/$variant-build
    if ! conan install --requires="rssignal/$version" -o "rssignal/*:shared=$flag" -s build_type=Release \
            -g CMakeDeps -g CMakeToolchain -g VirtualRunEnv --output-folder="$gen" \
            >"$logs/install-$variant.log" 2>&1; then
        failc "consume-$variant: conan install failed:"; tail -n 20 "$logs/install-$variant.log" | sed 's/^/      /'
        continue
    fi
    tc=$(find "$gen" -name conan_toolchain.cmake | head -n1)
    if ! cmake -S tests/packaging/conan/consumer -B "$bld" -DCMAKE_TOOLCHAIN_FILE="$tc" \
            -DCMAKE_BUILD_TYPE=Release >"$logs/cmake-$variant.log" 2>&1 ||
       ! cmake --build "$bld" >>"$logs/cmake-$variant.log" 2>&1; then
        failc "consume-$variant: CMake configure or build failed:"; tail -n 20 "$logs/cmake-$variant.log" | sed 's/^/      /'
        continue
    fi
    exe=$bld/consumer
    runenv=$(find "$gen" -name conanrun.sh | head -n1)
    if [ $variant = shared ]; then
        if ! readelf -d "$exe" | has 'NEEDED.*\[librssignal\.so\.0\]'; then
            failc "consume-shared: the consumer does not load librssignal.so.0"; continue
        fi
        where=$(bash -c "source '$runenv' && ldd '$exe'" | sed -n 's/.*librssignal\.so\.0 => \([^ ]*\).*/\1/p')
        case $where in
            "$CONAN_HOME"/*) ;;
            *) failc "consume-shared: librssignal.so.0 is not the Conan package's: '$where'"; continue ;;
        esac
    elif readelf -d "$exe" | has 'NEEDED.*librssignal'; then
        failc "consume-static: the consumer loads librssignal.so"; continue
    fi
    if (source "$runenv" && drive "$exe") >"$logs/run-$variant.log" 2>&1; then
        what=$([ $variant = shared ] && echo "librssignal.so.0 from the Conan cache" || echo "the archive linked in")
        pass "consume-$variant: conan install + CMakeDeps: find_package found $(grep -o 'rssignal [0-9.]*' "$logs/cmake-$variant.log" | head -n1), rssignal::rssignal, $what; ran with a real SIGUSR1"
    else
        failc "consume-$variant: the consumer failed:"; sed 's/^/      /' "$logs/run-$variant.log"
    fi
done
finish
