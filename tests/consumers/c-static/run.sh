#!/usr/bin/env bash
# C against the installed static archive: -l:librssignal.a plus what
# `pkg-config --static` says it needs. The same program as c-shared.
source "$(dirname "$0")/../lib.sh"
need cc
need pkg-config
pkg-config --exists rssignal || fail "pkg-config cannot find rssignal in $PKG_CONFIG_PATH"
libs=$(pkg-config --static --libs rssignal | sed 's/-lrssignal\( \|$\)/-l:librssignal.a\1/')
echo "  link flags: $libs"
set -x
cc -std=c11 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags rssignal) \
    "$here/main.c" $libs -o "$WORK/consumer" || fail "build"
{ set +x; } 2>/dev/null
if readelf -d "$WORK/consumer" | grep 'NEEDED.*librssignal' >/dev/null; then
    fail "the program loads librssignal.so: it should contain the archive"
fi
nm "$WORK/consumer" | grep ' T rs_signal_check$' >/dev/null || fail "rs_signal_check is not linked in"
LD_LIBRARY_PATH= drive "$WORK/consumer" || fail "run"
