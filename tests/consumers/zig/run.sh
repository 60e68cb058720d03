#!/usr/bin/env bash
# Zig 0.17: build.zig with addTranslateC of rssignal.h and
# linkSystemLibrary("rssignal") (pkg-config), plus bindings/zig.
source "$(dirname "$0")/../lib.sh"
need zig
need pkg-config
echo "  zig $(zig version)"
# The global cache keeps std and the build runner between runs (the first
# build compiles them: minutes on a small machine).
export ZIG_GLOBAL_CACHE_DIR="${ZIG_GLOBAL_CACHE_DIR:-$root/build/tools/zig-cache}"
(cd "$here" && zig build --cache-dir "$WORK/zig-cache" --prefix "$WORK/out") || fail "zig build"
readelf -d "$WORK/out/bin/consumer" | grep 'NEEDED.*\[librssignal\.so\.0\]' >/dev/null ||
    fail "the program does not load librssignal.so.0"
drive "$WORK/out/bin/consumer" || fail "run"
