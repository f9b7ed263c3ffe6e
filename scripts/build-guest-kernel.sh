#!/usr/bin/env bash
# Builds a Linux kernel for test guests of an architecture Debian ships no kernel for, from Debian
# 13's linux-source package, with clang-19 and lld-19 (LLVM=1), configured as allnoconfig plus the
# fragment guests/linux/kernel-<arch>.config kept in the repository. The result is cached: the
# kernel is rebuilt only when the fragment, this script, the source package's version or the
# compiler changes.
#
# usage: build-guest-kernel.sh <arch> <dest>     arch: loongarch64 (image: vmlinux.efi)
# Writes <dest>/Image (the image Polyvisor's linux format boots), <dest>/version and
# <dest>/kernel.key. The sources (about 150 MB to download, 1.7 GB unpacked) and the build tree
# stay under the cache (scripts/cache-dir.sh: linux-source/, kbuild/). The build runs at the
# lowest priority (nice 19) with one job per CPU; with the fragment as it is, about 8 minutes of
# CPU time the first time. PV_GUEST_REFRESH=1 looks for a newer source package.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/debian-apt.sh"
arch=${1:-} dest=${2:-}
case "$arch" in
loongarch64) karch=loongarch target=vmlinux.efi image=arch/loongarch/boot/vmlinux.efi ;;
*)
	echo "usage: build-guest-kernel.sh loongarch64 <dest>" >&2
	exit 2
	;;
esac
[ -n "$dest" ] || { echo "usage: build-guest-kernel.sh $arch <dest>" >&2; exit 2; }
fragment=$root/guests/linux/kernel-$arch.config
llvm=/usr/lib/llvm-19/bin

# What the kernel's build needs besides the project's own packages (scripts/deps.sh).
need=()
for p in flex bison bc make xz-utils clang-19 lld-19 llvm-19; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "build-guest-kernel: install first: apt-get install -y --no-install-recommends ${need[*]}" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >&2
fi

cache=$("$root/scripts/cache-dir.sh")
mkdir -p "$dest" "$cache/linux-source"

# The source package Debian 13 currently names (linux-source depends on linux-source-<x.y>).
debian_apt trixie amd64
debian_apt_update || exit 1
pkg=$(apt-cache "${apt_opts[@]}" depends linux-source 2>/dev/null |
	awk '/Depends: linux-source-/ {print $2; exit}')
if [ -z "$pkg" ]; then
	debian_apt_update force || exit 1
	pkg=$(apt-cache "${apt_opts[@]}" depends linux-source | awk '/Depends: linux-source-/ {print $2; exit}')
fi
[ -n "$pkg" ] || { echo "build-guest-kernel: Debian 13's linux-source names no source package" >&2; exit 1; }
version=$(apt-cache "${apt_opts[@]}" policy "$pkg" | awk '/Candidate:/ {print $2}')
src=$cache/linux-source/${pkg}_$version

compiler=$("$llvm/clang" --version | head -n 1)
key=$(cat "$fragment" "$0" | sha256sum | cut -c1-16)-$(echo "$pkg $version $compiler" | sha256sum | cut -c1-8)
if [ -f "$dest/Image" ] && [ "$(cat "$dest/kernel.key" 2>/dev/null)" = "$key" ]; then
	exit 0
fi

if [ ! -f "$src/Makefile" ]; then
	echo "build-guest-kernel: downloading $pkg $version (Debian 13)" >&2
	work=$(mktemp -d "$cache/linux-source/fetch.XXXXXX")
	(cd "$work" && apt-get "${apt_opts[@]}" download "$pkg=$version" >&2)
	echo "build-guest-kernel: unpacking it" >&2
	dpkg-deb --fsys-tarfile "$work"/"$pkg"_*.deb |
		tar -x -O --wildcards './usr/src/linux-source-*.tar.xz' |
		nice -n 19 tar -xJ -C "$work"
	rm -rf "$src"
	mv "$work"/linux-source-* "$src"
	rm -rf "$work"
fi

build=$cache/kbuild/$arch
mkdir -p "$build"
kmake=(nice -n 19 make -C "$src" O="$build" ARCH="$karch" LLVM=1)
export PATH="$llvm:$PATH"
echo "build-guest-kernel: configuring ($(basename "$fragment") on allnoconfig)" >&2
"${kmake[@]}" -s KCONFIG_ALLCONFIG="$fragment" allnoconfig >&2
# Every option the fragment sets must have taken: a typo or an unmet dependency is an error here,
# not a kernel that silently lacks it.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		if ! grep -qxF "$line" "$build/.config"; then
			echo "build-guest-kernel: $(basename "$fragment"): '$line' did not take (see $build/.config)" >&2
			missing=1
		fi
		;;
	esac
done <"$fragment"
[ "$missing" -eq 0 ] || exit 1
echo "build-guest-kernel: building $target with $compiler (nice 19, $(nproc) jobs)" >&2
"${kmake[@]}" -j "$(nproc)" "$target" >"$build/build.log" 2>&1 || {
	tail -n 30 "$build/build.log" >&2
	echo "build-guest-kernel: the kernel build failed (log: $build/build.log)" >&2
	exit 1
}
cp "$build/$image" "$dest/Image.tmp"
mv "$dest/Image.tmp" "$dest/Image"
echo "$pkg $version, built with $compiler" >"$dest/version"
echo "$key" >"$dest/kernel.key"
