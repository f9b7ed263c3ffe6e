#!/usr/bin/env bash
# Fetches libfdt's sources from Debian's linux-source package and caches them outside the tree.
# Why: Debian ships no cross libfdt for every target, and no third-party source is committed here.
# Prints the directory holding the libfdt .c/.h files.
set -euo pipefail

pkg=${PV_LIBFDT_PKG:-linux-source-6.1}
cache=$("$(dirname "$0")/cache-dir.sh")
dest="$cache/libfdt-$pkg"

if [ -f "$dest/.complete" ]; then
	echo "$dest"
	exit 0
fi

mkdir -p "$cache"
. "$(dirname "$0")/cache-lock.sh"
cache_lock "$cache" "libfdt-$pkg"
if [ -f "$dest/.complete" ]; then
	echo "$dest" # another run fetched it while this one waited
	exit 0
fi
work=$(mktemp -d "$cache/fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

(cd "$work" && apt-get download "$pkg" >&2) || {
	echo "fetch-libfdt: 'apt-get download $pkg' failed; run 'apt-get update' (as root) and retry" >&2
	exit 1
}
deb=$(ls "$work"/*.deb)
inner=$(dpkg-deb -c "$deb" | awk '{print $NF}' | grep -E 'linux-source-[0-9.]+\.tar\.(xz|bz2|gz)$' | head -n 1)
[ -n "$inner" ] || { echo "fetch-libfdt: no source tarball inside $deb" >&2; exit 1; }
dpkg-deb --fsys-tarfile "$deb" | tar -xO "$inner" >"$work/src.tar"
top=$(basename "$inner" | sed -E 's/\.tar\.(xz|bz2|gz)$//')
tar -xaf "$work/src.tar" -C "$work" --wildcards "$top/scripts/dtc/libfdt/*" 2>/dev/null ||
	tar -xf "$work/src.tar" -C "$work" --wildcards "$top/scripts/dtc/libfdt/*"
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
cp "$work/$top/scripts/dtc/libfdt/"*.[ch] "$dest.tmp/"
touch "$dest.tmp/.complete"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "$dest"
