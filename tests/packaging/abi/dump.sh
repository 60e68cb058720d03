# ABI dumps (sourced by check.sh and make-baseline.sh; bash).
#   dump_library SO OUT          abidw of the library's ELF interface: soname,
#                                needed libraries, exported function and
#                                variable symbols (debug info dropped: it
#                                describes Rust types, and release builds
#                                carry none)
#   dump_header HEADER OUT TMP   abidw of the header probe (probe.py functions):
#                                the C types, signatures and layouts
#   dump_constants HEADER OUT TMP  "NAME VALUE" of every integer constant
# No build path, comp dir or source location ends up in a dump, so the same
# inputs give the same bytes on any machine.
ABIDW_FLAGS=(--no-corpus-path --no-comp-dir-path --no-show-locs)
_probe_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CC=${CC:-cc}

dump_library() {
    local so=$1 out=$2 tmp
    tmp=$(mktemp -d) || return 1
    objcopy --strip-debug "$so" "$tmp/lib.so" &&
        abidw "${ABIDW_FLAGS[@]}" --out-file "$out" "$tmp/lib.so"
    local rc=$?
    rm -rf "$tmp"
    return $rc
}

dump_header() {
    local header=$1 out=$2 tmp=$3
    mkdir -p "$tmp/inc" && cp "$header" "$tmp/inc/rssignal.h" &&
        python3 "$_probe_dir/probe.py" functions "$tmp/inc/rssignal.h" "$tmp/probe.c" &&
        (cd "$tmp" && $CC -std=c11 -g -O0 -fPIC -shared -Iinc -Wall -Wextra -Wno-unused-parameter \
            -Werror probe.c -o probe.so) &&
        abidw "${ABIDW_FLAGS[@]}" --out-file "$out" "$tmp/probe.so"
}

dump_constants() {
    local header=$1 out=$2 tmp=$3
    mkdir -p "$tmp/inc" && cp "$header" "$tmp/inc/rssignal.h" &&
        python3 "$_probe_dir/probe.py" constants "$tmp/inc/rssignal.h" "$tmp/constants.c" &&
        (cd "$tmp" && $CC -std=c11 -Iinc -Wall -Wextra -Werror constants.c -o constants) &&
        "$tmp/constants" | LC_ALL=C sort >"$out"
}
