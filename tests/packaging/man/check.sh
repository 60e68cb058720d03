#!/usr/bin/env bash
# make test-man: the man pages in man/ against the header, and as man shows them.
#   fresh      man/ is what `make man` makes of include/rssignal.h now: no page
#              stale, missing or left over, every declared function has one
#   render     each page with text renders with `man --warnings -l` at 80
#              columns with nothing on stderr (one line per page)
#   links      every .so link page resolves (rendered from man/ with warnings)
#   installed  `make install-files` puts them where `man -M PREFIX/share/man` finds
#              a page by each function's name
# A missing tool is a FAIL. Last line: "N passed, N failed, N skipped".
set -u -o pipefail
# grep that reads all its input: grep -q closes a pipe early, and pipefail
# then fails the pipeline on the writer's SIGPIPE.
has() { grep "$@" >/dev/null; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
logs=build/test-man
rm -rf "$logs"; mkdir -p "$logs"
passed=0 failed=0
pass() { echo "PASS  $*"; passed=$((passed + 1)); }
fail() { echo "FAIL  $*"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed, 0 skipped"; [ "$failed" -eq 0 ]; exit; }

scripts/install-packaging-tools.sh man 2>"$logs/install-tools.log" || true
for t in man groff python3; do
    command -v "$t" >/dev/null 2>&1 ||
        fail "tool $t is missing ($(grep -m1 "could not get $t" "$logs/install-tools.log" || echo 'not installed'))"
done
[ "$failed" -eq 0 ] || finish

if python3 tests/packaging/man/genman.py --check man >"$logs/fresh.log" 2>&1; then
    pass "fresh: $(tail -n1 "$logs/fresh.log")"
else
    fail "fresh: man/ is not what the header gives (run 'make man'):"; sed 's/^/      /' "$logs/fresh.log"
fi

render() { # render PAGE: stderr of man --warnings, empty when clean
    (cd man && MANWIDTH=80 MAN_KEEP_FORMATTING= man --warnings -l "$1" 2>&1 >/dev/null)
}
links=0 badlinks=()
for f in man/man3/*.3 man/man7/*.7; do
    p=${f#man/}
    if head -n1 "$f" | has '^\.so '; then
        links=$((links + 1))
        target=$(sed -n '1s/^\.so //p' "$f")
        err=$(render "$p")
        if [ ! -f "man/$target" ] || [ -n "$err" ]; then badlinks+=("$p -> $target ${err:+($err)}"); fi
        continue
    fi
    err=$(render "$p")
    lines=$(cd man && MANWIDTH=80 man -l "$p" 2>/dev/null | wc -l)
    if [ -z "$err" ] && [ "$lines" -gt 10 ]; then
        pass "render: $p ($lines lines at 80 columns, no warnings)"
    else
        fail "render: $p ($lines lines):"; printf '%s\n' "$err" | sed 's/^/      /'
    fi
done
if [ ${#badlinks[@]} -eq 0 ] && [ "$links" -gt 0 ]; then
    pass "links: $links .so pages resolve"
else
    fail "links: ${#badlinks[@]} of $links do not resolve:"; printf '      %s\n' "${badlinks[@]}"
fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if make --no-print-directory -s install-files PREFIX="$tmp" LDCONFIG=: >"$logs/install.log" 2>&1; then
    names=$(python3 -c 'import sys; sys.path.insert(0, "tests/packaging"); import rsheader
for it in rsheader.public_functions(rsheader.parse_file("include/rssignal.h")): print(it.name)')
    missing=()
    for n in $names; do
        MANWIDTH=80 man -M "$tmp/share/man" 3 "$n" 2>/dev/null | has "$n" || missing+=("$n")
    done
    MANWIDTH=80 man -M "$tmp/share/man" 7 rssignal 2>/dev/null | has 'RSSIGNAL(7)' || missing+=("rssignal(7)")
    if [ ${#missing[@]} -eq 0 ]; then
        pass "installed: man -M PREFIX/share/man finds a page for each of $(echo $names | wc -w) functions and rssignal(7)"
    else
        fail "installed: no page found for: ${missing[*]}"
    fi
else
    fail "installed: make install-files failed:"; sed 's/^/      /' "$logs/install.log"
fi
finish
