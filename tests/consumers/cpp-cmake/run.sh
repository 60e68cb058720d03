#!/usr/bin/env bash
# C++17 through CMake: find_package(rssignal 0.1 CONFIG REQUIRED), one
# executable per imported target; the version file's verdicts; relocation.
source "$(dirname "$0")/../lib.sh"
need cmake
need c++
echo "  $(cmake --version | head -n1)"

# The installed CMake files must not name the prefix (relocatable).
if grep -n -e "$PREFIX" -e "$root" "$PREFIX"/lib/cmake/rssignal/*.cmake; then
    fail "absolute paths in the installed CMake package"
fi

# Move the install: the package must follow (computed from its own location).
moved="$WORK/moved-prefix"
mv "$PREFIX" "$moved"
export CMAKE_PREFIX_PATH="$moved"
export LD_LIBRARY_PATH="$moved/lib"

cmake -S "$here" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release >"$WORK/configure.log" 2>&1 ||
    { cat "$WORK/configure.log"; fail "cmake configure"; }
grep 'rssignal ' "$WORK/configure.log" | sed 's/^/  /'
cmake --build "$WORK/build" -j2 >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; fail "cmake build"; }

readelf -d "$WORK/build/consumer_shared" | grep 'NEEDED.*\[librssignal\.so\.0\]' >/dev/null ||
    fail "consumer_shared does not load librssignal.so.0"
if readelf -d "$WORK/build/consumer_static" | grep 'NEEDED.*librssignal' >/dev/null; then
    fail "consumer_static loads librssignal.so"
fi
echo "  consumer_shared (rssignal::rssignal)"
drive "$WORK/build/consumer_shared" || fail "consumer_shared"
echo "  consumer_static (rssignal::rssignal_static)"
LD_LIBRARY_PATH= drive "$WORK/build/consumer_static" || fail "consumer_static"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)
cmake -S "$here/version-check" -B "$WORK/version-check" -DINSTALLED_VERSION="$version" >"$WORK/version.log" 2>&1
rc=$?
grep 'version-check' "$WORK/version.log" | sed 's/^-- //; s/^/  /'
[ "$rc" -eq 0 ] || fail "version file verdicts"
