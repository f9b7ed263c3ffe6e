#!/usr/bin/env bash
# Fetches a Linux guest for tests and the demo from Debian's archive and builds its initramfs,
# cached under the guest cache (scripts/cache-dir.sh, then guests/<guest>/); nothing lands in the
# tree. Prints that folder. It holds: Image (the kernel, uncompressed), initrd.cpio (its /init and
# what that runs), and version (the kernel package it came from).
#
# usage: fetch-guest.sh <guest>      guests: linux-arm64 (Debian 12), linux-riscv64 (Debian 13),
#                                            linux-loongarch64 (built from Debian 13's sources)
#
# The kernel version is resolved through Debian's metapackage (linux-image-<arch>), as pinned
# versions leave the archive. Debian's package lists for the guest's architecture and release are
# read through a private apt configuration under the cache (scripts/debian-apt.sh): the machine's
# apt sources and its dpkg architectures stay untouched. Set PV_GUEST_REFRESH=1 to look for a newer
# kernel. Debian has no loongarch64 kernel or busybox: scripts/build-guest-kernel.sh builds the
# kernel from Debian 13's linux-source package, and the initramfs's /init is guests/linux/mininit.c
# (busybox's work in one static program) built with clang.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/debian-apt.sh"
guest=${1:-}
case "$guest" in
linux-arm64)
	arch=arm64 suite=bookworm meta=linux-image-arm64 flavour=-unsigned
	cc=(aarch64-linux-gnu-gcc) kernel_glob='boot/vmlinuz-*'
	;;
linux-riscv64)
	arch=riscv64 suite=trixie meta=linux-image-riscv64 flavour=
	cc=(riscv64-linux-gnu-gcc) kernel_glob='boot/vmlinux-*'
	;;
linux-loongarch64)
	arch=loongarch64
	# No LSX: clang vectorizes with it by default, and the test kernel does not switch vector
	# registers for user programs (a vector instruction there is SIGILL).
	cc=(clang-19 --target=loongarch64-linux-gnu -mno-lsx -fuse-ld=lld --ld-path=ld.lld-19)
	;;
*)
	echo "usage: fetch-guest.sh linux-arm64|linux-riscv64|linux-loongarch64" >&2
	exit 2
	;;
esac

cache=$("$root/scripts/cache-dir.sh")
dest=$cache/guests/$guest
mkdir -p "$dest"

fetch_kernel() {
	local work pkg deb image
	debian_apt "$suite" "$arch"
	debian_apt_update || exit 1
	pkg=$(apt-cache "${apt_opts[@]}" depends "$meta" 2>/dev/null |
		awk '/Depends: linux-image-/ {print $2; exit}')
	if [ -z "$pkg" ]; then
		debian_apt_update force || exit 1
		pkg=$(apt-cache "${apt_opts[@]}" depends "$meta" | awk '/Depends: linux-image-/ {print $2; exit}')
	fi
	[ -n "$pkg" ] || { echo "fetch-guest: $meta names no kernel package" >&2; exit 1; }
	pkg=$pkg$flavour
	if [ -f "$dest/Image" ] && [ "$(cat "$dest/version" 2>/dev/null)" = "$pkg" ]; then
		return
	fi
	echo "fetch-guest: downloading $pkg ($arch, Debian $suite)" >&2
	work=$(mktemp -d "$cache/fetch.XXXXXX")
	(cd "$work" && apt-get "${apt_opts[@]}" download "$pkg" busybox-static >&2)
	deb=$(ls "$work"/linux-image-*.deb)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards "./$kernel_glob"
	image=$(ls "$work"/$kernel_glob | head -n 1)
	cp "$image" "$dest/Image.tmp"
	mv "$dest/Image.tmp" "$dest/Image"
	dpkg-deb --fsys-tarfile "$work"/busybox-static_*.deb | tar -x -C "$work" ./bin/busybox
	cp "$work/bin/busybox" "$dest/busybox"
	echo "$pkg" >"$dest/version"
	rm -rf "$work"
	rm -f "$dest/initrd.cpio"
}

# The initramfs: rebuilt when the project's init files or how they are built change.
build_initrd() {
	local key work
	key=$(cat "$root/guests/linux/init.sh" "$root/guests/linux/initmark.c" \
		"$root/guests/linux/mininit.c" "$root/guests/linux/linux_sys.h" \
		"$root/scripts/mkcpio.py" "$0" | sha256sum | cut -c1-16)
	if [ -f "$dest/initrd.cpio" ] && [ "$(cat "$dest/initrd.key" 2>/dev/null)" = "$key" ]; then
		return
	fi
	work=$(mktemp -d "$cache/fetch.XXXXXX")
	local flags=(-static -nostdlib -ffreestanding -fno-stack-protector -O2 -Wall -Wextra -Werror)
	local entries=(dir:bin:755 dir:dev:755 dir:proc:755 dir:sys:755 dir:tmp:1777 dir:init.d:755
		nod:dev/console:600:c:5:1 nod:dev/null:666:c:1:3)
	if [ -f "$dest/busybox" ]; then
		"${cc[@]}" "${flags[@]}" -o "$work/initmark" "$root/guests/linux/initmark.c"
		entries+=("file:init:755:$root/guests/linux/init.sh" "file:bin/busybox:755:$dest/busybox"
			link:bin/sh:busybox "file:bin/initmark:755:$work/initmark")
	else
		"${cc[@]}" "${flags[@]}" -o "$work/init" "$root/guests/linux/mininit.c"
		entries+=("file:init:755:$work/init")
	fi
	python3 "$root/scripts/mkcpio.py" "$dest/initrd.cpio.tmp" "${entries[@]}"
	mv "$dest/initrd.cpio.tmp" "$dest/initrd.cpio"
	echo "$key" >"$dest/initrd.key"
	rm -rf "$work"
}

if [ "$arch" = loongarch64 ]; then
	"$root/scripts/build-guest-kernel.sh" "$arch" "$dest" >&2
else
	fetch_kernel
fi
build_initrd
echo "$dest"
