#!/usr/bin/env bash
# C against the installed shared library, found with pkg-config only.
source "$(dirname "$0")/../lib.sh"
need cc
need pkg-config
pkg-config --exists rssignal || fail "pkg-config cannot find rssignal in $PKG_CONFIG_PATH"
echo "  pkg-config --modversion rssignal: $(pkg-config --modversion rssignal)"
set -x
cc -std=c11 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags rssignal) \
    "$here/main.c" $(pkg-config --libs rssignal) -o "$WORK/consumer" || fail "build"
{ set +x; } 2>/dev/null
readelf -d "$WORK/consumer" | grep 'NEEDED.*\[librssignal\.so\.0\]' ||
    fail "the program does not load librssignal.so.0"
drive "$WORK/consumer" || fail "run"
