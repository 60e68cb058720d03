#!/usr/bin/env bash
# Writes the checked-in ABI baseline (abi/) from the last 0.1 commit:
#   tests/packaging/abi/make-baseline.sh [COMMIT]    (default 4da089d; make abi-baseline)
# Builds that commit in a temporary worktree with `cargo build --release`
# and dumps its librssignal.so and its include/rssignal.h (see dump.sh).
# Run it again only to change what the baseline records, never to accept an
# ABI change: the baseline is 0.1 as released.
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
commit=${1:-4da089d}
# shellcheck source=dump.sh
source "$here/dump.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rssignal-abi-base.XXXXXX")
cleanup() { git -C "$root" worktree remove --force "$tmp/src" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
git -C "$root" worktree add --detach "$tmp/src" "$commit" >/dev/null
echo "abi-baseline: cargo build --release at $(git -C "$tmp/src" log -1 --format='%h %s' | cut -c1-70)"
(cd "$tmp/src" && CARGO_TARGET_DIR="$tmp/target" cargo build --release --quiet)
mkdir -p "$root/abi"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$tmp/src/Cargo.toml" | head -n1)
tag=${version%.*}   # 0.1
dump_library "$tmp/target/release/librssignal.so" "$root/abi/librssignal-$tag.abi"
dump_header "$tmp/src/include/rssignal.h" "$root/abi/rssignal-$tag-header.abi" "$tmp/h"
dump_constants "$tmp/src/include/rssignal.h" "$root/abi/rssignal-$tag-constants.txt" "$tmp/c"
echo "$commit" >"$root/abi/BASELINE-COMMIT"
for f in "$root/abi/librssignal-$tag.abi" "$root/abi/rssignal-$tag-header.abi" "$root/abi/rssignal-$tag-constants.txt"; do
    echo "abi-baseline: wrote ${f#$root/} ($(wc -l <"$f") lines)"
done
