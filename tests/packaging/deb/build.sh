#!/usr/bin/env bash
# make deb: librssignal0 and librssignal-dev, split the way Debian splits a C
# library, packed with dpkg-deb from a staged `make install-files
# DESTDIR=... PREFIX=/usr LIBDIR=/usr/lib/<multiarch>` of the build in build/lib.
#   tests/packaging/deb/build.sh [OUTDIR]     (default build/deb)
#   librssignal0     the .so.<version> and its soname link; copyright, changelog
#   librssignal-dev  rssignal.h, librssignal.a, the .so link, rssignal.pc, the
#                    CMake package, the man pages (gzipped; .so pages as links)
# Why dpkg-deb and not dpkg-buildpackage/debhelper: debhelper builds from a
# Debian source package (debian/rules, build-dependencies resolved by apt:
# Debian's cargo/rustc instead of the project's toolchain) and rebuilds the
# library itself; dpkg-deb is part of dpkg, needs nothing installed, and packs
# exactly the library that `make build` made and the tests ran against.
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
out=${1:-build/deb}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
major=${version%%.*}
debversion=$version-1
arch=$(dpkg --print-architecture)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
libdir=usr/lib/$ma
for f in "build/lib/librssignal.so.$version" build/lib/librssignal.a; do
    [ -f "$f" ] || { echo "deb: $f is missing: run 'make build' first" >&2; exit 1; }
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rssignal-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/stage
make --no-print-directory -s install-files DESTDIR="$stage" PREFIX=/usr LIBDIR="/$libdir" LDCONFIG=: >/dev/null

# Reproducible: every mtime is the last commit's time.
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH=$epoch

lib0=$work/librssignal$major dev=$work/librssignal-dev
mkdir -p "$lib0/$libdir"
mv "$stage/$libdir/librssignal.so.$version" "$stage/$libdir/librssignal.so.$major" "$lib0/$libdir/"
mv "$stage" "$dev"
chmod 644 "$lib0/$libdir/librssignal.so.$version"   # Debian: shared libraries are not executable
# As dh_strip does (the debug info would go to a -dbgsym package).
strip --strip-debug --remove-section=.comment "$lib0/$libdir/librssignal.so.$version"
strip --strip-debug "$dev/$libdir/librssignal.a"

# Man pages: gzip -9n; a ".so" page becomes a symlink to its target, as dh_installman does.
for page in "$dev"/usr/share/man/man*/*; do
    if [ "$(head -c4 "$page")" = ".so " ]; then
        target=$(sed -n '1s/^\.so man[0-9]\///p' "$page")
        rm "$page"; ln -s "$target.gz" "$page.gz"
    else
        gzip -9n "$page"
    fi
done

for pkg in "$lib0" "$dev"; do
    name=$(basename "$pkg")
    mkdir -p "$pkg/usr/share/doc/$name" "$pkg/DEBIAN"
    cat >"$pkg/usr/share/doc/$name/copyright" <<EOT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: rssignal
Source: the rssignal repository

Files: *
License: MIT or Apache-2.0
 rssignal is dual-licensed under the MIT license and the Apache License,
 version 2.0, at the user's choice. On Debian systems the Apache License can
 be found in /usr/share/common-licenses/Apache-2.0.
EOT
    gzip -9nc CHANGELOG.md >"$pkg/usr/share/doc/$name/changelog.gz"
done

# Run-time dependencies from the library's DT_NEEDED and symbol versions.
glibc=$(objdump -T "$lib0/$libdir/librssignal.so.$version" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' |
        sort -t. -k1,1n -k2,2n -k3,3n -u | tail -n1)
deps=()
for needed in $(readelf -d "$lib0/$libdir/librssignal.so.$version" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    case $needed in
        libc.so.6) deps+=("libc6 (>= $glibc)") ;;
        libgcc_s.so.1) deps+=("libgcc-s1 (>= 3.0)") ;;
        ld-linux*|libm.so.6|libpthread.so.0|libdl.so.2|librt.so.1|libutil.so.1) ;;  # all in libc6
        *) echo "deb: no Debian package known for $needed" >&2; exit 1 ;;
    esac
done
depends=$(IFS=,; echo "${deps[*]}" | sed 's/,/, /g')
desc_short="Python's signal module as a C library, with deferred dispatch"
desc_long=" rssignal gives C and C++ programs the semantics of CPython's signal module:
 handlers are ordinary callbacks run on the main thread at dispatch points,
 never in signal context; a wakeup fd for event loops; masks, sigwait and
 timers with CPython's error reporting."

control() { # control PKGDIR NAME SECTION DEPENDS DESCRIPTION-TAIL
    local size
    size=$(du -sk --exclude=DEBIAN "$1" | cut -f1)
    {
        echo "Package: $2"
        echo "Source: rssignal"
        echo "Version: $debversion"
        echo "Architecture: $arch"
        echo "Multi-Arch: same"
        echo "Maintainer: rssignal developers <rssignal@localhost>"
        echo "Installed-Size: $size"
        echo "Depends: $4"
        echo "Section: $3"
        echo "Priority: optional"
        echo "Description: $desc_short$5"
        echo "$desc_long"
    } >"$1/DEBIAN/control"
}
control "$lib0" "librssignal$major" libs "$depends" ""
control "$dev" librssignal-dev libdevel "librssignal$major (= $debversion)" " (development files)"
echo " This package has the header, the static library, the pkg-config and CMake
 files and the manual pages." >>"$dev/DEBIAN/control"
echo "librssignal $major librssignal$major (>= $version)" >"$lib0/DEBIAN/shlibs"
echo "activate-noawait ldconfig" >"$lib0/DEBIAN/triggers"

for pkg in "$lib0" "$dev"; do
    (cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort |
        xargs -r md5sum >DEBIAN/md5sums)
    find "$pkg" -type d -exec chmod 755 {} +
    find "$pkg" -type f -exec chmod go-w {} +
    chmod 644 "$pkg"/DEBIAN/*
    find "$pkg" -exec touch -h -d "@$epoch" {} +
    file=$out/$(basename "$pkg")_${debversion}_$arch.deb
    dpkg-deb --root-owner-group -Zxz --build "$pkg" "$file" >/dev/null
    echo "deb: ${file#$root/}"
done
