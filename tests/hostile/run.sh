#!/usr/bin/env bash
# Hostile hosts: rssignal as a guest in processes whose other code has its
# own signal handlers. Builds the test hosts against the library `make build`
# staged in build/lib (each twice: linked to librssignal.so and to
# librssignal.a), runs every case in a process of its own, prints one line
# per case, then "N passed, N failed, N skipped". Logs and binaries:
# build/hostile/.
#
#   c_host          a C host with its own SA_SIGINFO handler (c_host.c)
#   guest_leaves    the host's handler survives rssignal's last listener or
#                   channel going (guest_leaves.c)
#   go_host-shared  a Go library built with -buildmode=c-shared, dlopen'ed
#   go_host-archive a Go library built with -buildmode=c-archive, linked in
#
# Go comes from scripts/install-tools.sh (build/tools/bin/go); without it the
# Go cases fail, loudly. Environment: CC, NATIVE_STATIC_LIBS (what a program
# linked with librssignal.a needs; mk/native-libs.mk).
set -eu
cd "$(dirname "$0")/../.."
root=$PWD
here=$root/tests/hostile
out=$root/build/hostile
lib=$root/build/lib
CC=${CC:-cc}
NATIVE_STATIC_LIBS=${NATIVE_STATIC_LIBS:--lgcc_s -lutil -lrt -lpthread -lm -ldl -lc}
CFLAGS="-std=c99 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror -I$root/include -I$here"
mkdir -p "$out"

c_cases="host-before host-before-listener host-plain-before host-after host-chains"
shared_cases="rs-first go-first"
archive_cases="go-first"
links="so a"

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
fail() { # fail NAME WHY [LOG]
    failed=$((failed + 1))
    printf 'FAIL  %s: %s\n' "$1" "$2"
    if [ $# -ge 3 ] && [ -f "$3" ]; then tail -n 20 "$3" | sed 's/^/      /'; fi
}
# every case of a host that could not be built counts as failed
fail_all() { # fail_all HOST CASES WHY [LOG]
    local c
    for c in $2; do
        if [ $# -ge 4 ]; then fail "$1 $c" "$3" "$4"; else fail "$1 $c" "$3"; fi
    done
}

if ! ls "$lib"/librssignal.so.* "$lib"/librssignal.a >/dev/null 2>&1; then
    echo "test-hostile: build/lib has no staged library: run 'make build' first"
    n=0
    for _ in $c_cases guest_leaves $shared_cases $archive_cases; do n=$((n + 2)); done
    echo "0 passed, $n failed, 0 skipped"
    exit 1
fi

# link_flags so|a: how a host links rssignal
link_flags() {
    if [ "$1" = so ]; then
        echo "-L$lib -lrssignal -Wl,-rpath,$lib -lpthread"
    else
        echo "$lib/librssignal.a $NATIVE_STATIC_LIBS"
    fi
}

# build NAME LINK CMD...: compile a host; a static one must not load the .so
build() {
    local name=$1 link=$2
    shift 2
    if ! "$@" >"$out/$name.build.log" 2>&1; then return 1; fi
    if [ "$link" = a ] && readelf -d "$out/$name" | grep -q 'NEEDED.*librssignal'; then
        echo "$name loads librssignal.so: it should contain the archive" >>"$out/$name.build.log"
        return 1
    fi
}

# run NAME CMD...: one case, in its own process, bounded in time
run() {
    local name=$1 log
    shift
    log=$out/$(echo "$name" | tr ' /' '__').log
    if timeout 60 "$@" </dev/null >"$log" 2>&1; then
        pass "$name"
    else
        fail "$name" "exit status $?" "$log"
    fi
}

start=$SECONDS

# ---- the C host -------------------------------------------------------------
for l in $links; do
    name=c_host-$l
    # shellcheck disable=SC2046
    if build "$name" "$l" "$CC" $CFLAGS "$here/c_host.c" $(link_flags "$l") -o "$out/$name"; then
        for c in $c_cases; do run "$name $c" "$out/$name" "$c"; done
    else
        fail_all "$name" "$c_cases" "build failed" "$out/$name.build.log"
    fi
    name=guest_leaves-$l
    # shellcheck disable=SC2046
    if build "$name" "$l" "$CC" $CFLAGS "$here/guest_leaves.c" $(link_flags "$l") -o "$out/$name"; then
        run "$name" "$out/$name"
    else
        fail "$name" "build failed" "$out/$name.build.log"
    fi
done

# ---- the Go library, both ways ----------------------------------------------
scripts/install-tools.sh >"$out/install-tools.log" 2>&1 || true
export PATH="$root/build/tools/bin:$PATH"
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod CGO_ENABLED=1 CC
export GOCACHE="$out/go-cache" GOPATH="$out/gopath"
go_ok=1 go_why="" go_log=""
if ! command -v go >/dev/null 2>&1; then
    go_ok=0
    go_why="go not found: scripts/install-tools.sh could not install it"
    go_log=$out/install-tools.log
else
    echo "  $(go version)"
    for mode in c-shared c-archive; do
        if [ "$mode" = c-shared ]; then target=$out/libgohost.so; else target=$out/libgohost.a; fi
        if ! (cd "$here/golib" && go build -buildmode="$mode" -o "$target" .) \
                >"$out/golib-$mode.log" 2>&1; then
            go_ok=0 go_why="go build -buildmode=$mode failed" go_log=$out/golib-$mode.log
        fi
    done
fi

for l in $links; do
    shared=go_host-shared-$l archive=go_host-archive-$l
    if [ "$go_ok" = 0 ]; then
        fail_all "$shared" "$shared_cases" "$go_why" "$go_log"
        fail_all "$archive" "$archive_cases" "$go_why" "$go_log"
        continue
    fi
    # shellcheck disable=SC2046
    if build "$shared" "$l" "$CC" $CFLAGS -DGO_SHARED "$here/go_host.c" \
            $(link_flags "$l") -ldl -o "$out/$shared"; then
        for c in $shared_cases; do run "$shared $c" "$out/$shared" "$c" "$out/libgohost.so"; done
    else
        fail_all "$shared" "$shared_cases" "build failed" "$out/$shared.build.log"
    fi
    # shellcheck disable=SC2046
    if build "$archive" "$l" "$CC" $CFLAGS -DGO_ARCHIVE -I"$out" "$here/go_host.c" \
            "$out/libgohost.a" $(link_flags "$l") -o "$out/$archive"; then
        for c in $archive_cases; do run "$archive $c" "$out/$archive" "$c"; done
    else
        fail_all "$archive" "$archive_cases" "build failed" "$out/$archive.build.log"
    fi
done

echo "  ($((SECONDS - start)) s)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
