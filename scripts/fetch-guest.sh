#!/usr/bin/env bash
# Fetches a Linux guest for tests and the demo from Debian's archive and builds its initramfs,
# cached under the guest cache (scripts/cache-dir.sh, then guests/<guest>/); nothing lands in the
# tree. Prints that folder. It holds: Image (the kernel, uncompressed), initrd.cpio (its /init and
# what that runs), version (the kernel package it came from), and for the virtio tests (arm64,
# riscv64): modules/ (the virtio, ext4 and network drivers Debian builds as modules, from the same
# kernel package), initrd-virtio.cpio (initrd.cpio plus those modules, guests/linux/virtio-init.sh as
# /init.d/local and the pvnet helper), and rootfs.ext4 (a 16 MiB ext4 disk image made with
# mke2fs -d, no root rights needed: busybox, guests/linux/rootfs-init.sh as /sbin/init).
#
# usage: fetch-guest.sh <guest>      guests: linux-arm64, linux-amd64 (Debian 12), linux-riscv64 (Debian 13),
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
	virtio=1 moddir=./lib/modules modext=.ko
	;;
linux-amd64)
	# The package's kernel is a bzImage: its uncompressed vmlinux (scripts/bzimage-vmlinux.py) is
	# what the PVH entry boots.
	arch=amd64 suite=bookworm meta=linux-image-amd64 flavour=-unsigned
	cc=(gcc) kernel_glob='boot/vmlinuz-*' bzimage=1
	virtio=0
	;;
linux-riscv64)
	arch=riscv64 suite=trixie meta=linux-image-riscv64 flavour=
	cc=(riscv64-linux-gnu-gcc) kernel_glob='boot/vmlinux-*'
	# Merged /usr, and modules compressed with xz (unpacked here: busybox's insmod reads plain ELF).
	virtio=1 moddir=./usr/lib/modules modext=.ko.xz
	;;
linux-loongarch64)
	arch=loongarch64
	# No LSX: clang vectorizes with it by default, and the test kernel does not switch vector
	# registers for user programs (a vector instruction there is SIGILL).
	cc=(clang-19 --target=loongarch64-linux-gnu -mno-lsx -fuse-ld=lld --ld-path=ld.lld-19)
	virtio=0
	;;
*)
	echo "usage: fetch-guest.sh linux-arm64|linux-amd64|linux-riscv64|linux-loongarch64" >&2
	exit 2
	;;
esac

cache=$("$root/scripts/cache-dir.sh")
dest=$cache/guests/$guest
mkdir -p "$dest"
. "$root/scripts/cache-lock.sh"
cache_lock "$cache" "guest-$guest"

fetch_kernel() {
	local work pkg deb image bb
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
	if [ -f "$dest/Image" ] && [ "$(cat "$dest/version" 2>/dev/null)" = "$pkg" ] &&
		{ [ "$virtio" = 0 ] || [ -f "$dest/modules/.complete" ]; }; then
		return
	fi
	echo "fetch-guest: downloading $pkg ($arch, Debian $suite)" >&2
	work=$(mktemp -d "$cache/fetch.XXXXXX")
	(cd "$work" && apt-get "${apt_opts[@]}" download "$pkg" busybox-static >&2)
	deb=$(ls "$work"/linux-image-*.deb)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards "./$kernel_glob"
	image=$(ls "$work"/$kernel_glob | head -n 1)
	if [ "${bzimage:-0}" = 1 ]; then
		python3 "$root/scripts/bzimage-vmlinux.py" "$image" "$dest/Image.tmp"
	else
		cp "$image" "$dest/Image.tmp"
	fi
	mv "$dest/Image.tmp" "$dest/Image"
	# /bin/busybox up to Debian 12, /usr/bin/busybox from Debian 13 (merged /usr).
	bb=$(dpkg-deb -c "$work"/busybox-static_*.deb | awk '$NF ~ /^\.\/(usr\/)?bin\/busybox$/ {
		print $NF; exit }')
	[ -n "$bb" ] || { echo "fetch-guest: busybox-static holds no busybox" >&2; exit 1; }
	dpkg-deb --fsys-tarfile "$work"/busybox-static_*.deb | tar -x -C "$work" "$bb"
	cp "$work/$bb" "$dest/busybox"
	echo "$pkg" >"$dest/version"
	if [ "$virtio" = 1 ]; then
		rm -rf "$dest/modules"
		mkdir -p "$dest/modules"
		local patterns=()
		for m in "${modules[@]}"; do
			patterns+=("$moddir/*/$m$modext")
		done
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards "${patterns[@]}"
		for m in "${modules[@]}"; do
			if [ "$modext" = .ko.xz ]; then
				xz -dc "$(ls "$work/$moddir"/*/"$m$modext")" >"$dest/modules/$(basename "$m").ko"
			else
				cp "$(ls "$work/$moddir"/*/"$m$modext")" "$dest/modules/"
			fi
		done
		touch "$dest/modules/.complete"
	fi
	rm -rf "$work"
	rm -f "$dest/initrd.cpio" "$dest/initrd-virtio.cpio" "$dest/rootfs.ext4"
}

# Debian's modules the virtio tests load (guests/linux/virtio-init.sh), by their path in the
# package: ext4 and what it needs, the virtio-mmio transport and its block, network and console
# drivers (Debian 13's riscv64 kernel has the console driver built in).
modules=(kernel/lib/crc16 kernel/fs/mbcache kernel/fs/jbd2/jbd2 kernel/crypto/crc32c_generic
	kernel/fs/ext4/ext4 kernel/drivers/virtio/virtio_mmio kernel/drivers/block/virtio_blk
	kernel/net/core/failover kernel/drivers/net/net_failover kernel/drivers/net/virtio_net)
[ "$arch" != arm64 ] || modules+=(kernel/drivers/char/virtio_console)

# The helper programs of the test images: static, freestanding, no C library.
build_tool() { # build_tool <source> <output>
	"${cc[@]}" -static -nostdlib -ffreestanding -fno-stack-protector -O2 -Wall -Wextra -Werror \
		-o "$2" "$1"
}

# The virtio tests' initramfs: the base one's files, plus modules, the test steps and pvnet.
build_virtio_initrd() {
	local key work entries=()
	key=$(cat "$root/guests/linux/init.sh" "$root/guests/linux/initmark.c" \
		"$root/guests/linux/virtio-init.sh" "$root/guests/linux/pvnet.c" \
		"$root/scripts/mkcpio.py" "$dest/version" | sha256sum | cut -c1-16)
	if [ -f "$dest/initrd-virtio.cpio" ] &&
		[ "$(cat "$dest/initrd-virtio.key" 2>/dev/null)" = "$key" ]; then
		return
	fi
	work=$(mktemp -d "$cache/fetch.XXXXXX")
	build_tool "$root/guests/linux/initmark.c" "$work/initmark"
	build_tool "$root/guests/linux/pvnet.c" "$work/pvnet"
	for m in "$dest"/modules/*.ko; do
		entries+=("file:lib/modules/$(basename "$m"):644:$m")
	done
	python3 "$root/scripts/mkcpio.py" "$dest/initrd-virtio.cpio.tmp" \
		dir:bin:755 dir:dev:755 dir:proc:755 dir:sys:755 dir:tmp:1777 dir:init.d:755 \
		dir:lib:755 dir:lib/modules:755 \
		nod:dev/console:600:c:5:1 nod:dev/null:666:c:1:3 \
		"file:init:755:$root/guests/linux/init.sh" "file:bin/busybox:755:$dest/busybox" \
		link:bin/sh:busybox "file:bin/initmark:755:$work/initmark" \
		"file:bin/pvnet:755:$work/pvnet" "file:init.d/local:644:$root/guests/linux/virtio-init.sh" \
		"${entries[@]}"
	mv "$dest/initrd-virtio.cpio.tmp" "$dest/initrd-virtio.cpio"
	echo "$key" >"$dest/initrd-virtio.key"
	rm -rf "$work"
}

# The test disk: an ext4 file system built from a folder by mke2fs -d (no root, no loop device).
build_rootfs() {
	local key work
	key=$(cat "$root/guests/linux/rootfs-init.sh" "$root/guests/linux/initmark.c" \
		"$dest/version" | sha256sum | cut -c1-16)
	if [ -f "$dest/rootfs.ext4" ] && [ "$(cat "$dest/rootfs.key" 2>/dev/null)" = "$key" ]; then
		return
	fi
	command -v mke2fs >/dev/null || PATH=$PATH:/sbin:/usr/sbin
	work=$(mktemp -d "$cache/fetch.XXXXXX")
	mkdir -p "$work/root/bin" "$work/root/sbin" "$work/root/etc" "$work/root/var" \
		"$work/root/dev" "$work/root/proc" "$work/root/sys" "$work/root/tmp"
	cp "$dest/busybox" "$work/root/bin/busybox"
	for a in sh cat cut grep sed sync dd od tr blockdev dmesg poweroff mount stty; do
		ln -s busybox "$work/root/bin/$a"
	done
	build_tool "$root/guests/linux/initmark.c" "$work/root/bin/initmark"
	cp "$root/guests/linux/rootfs-init.sh" "$work/root/sbin/init"
	chmod 755 "$work/root/sbin/init"
	echo "mke2fs -d, by scripts/fetch-guest.sh" >"$work/root/etc/polyvisor-disk"
	mke2fs -q -F -t ext4 -L pv-root -E root_owner=0:0 -d "$work/root" \
		"$dest/rootfs.ext4.tmp" 16M >&2
	mv "$dest/rootfs.ext4.tmp" "$dest/rootfs.ext4"
	echo "$key" >"$dest/rootfs.key"
	rm -rf "$work"
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
	local entries=(dir:bin:755 dir:dev:755 dir:proc:755 dir:sys:755 dir:tmp:1777 dir:init.d:755
		nod:dev/console:600:c:5:1 nod:dev/null:666:c:1:3)
	if [ -f "$dest/busybox" ]; then
		build_tool "$root/guests/linux/initmark.c" "$work/initmark"
		entries+=("file:init:755:$root/guests/linux/init.sh" "file:bin/busybox:755:$dest/busybox"
			link:bin/sh:busybox "file:bin/initmark:755:$work/initmark")
	else
		build_tool "$root/guests/linux/mininit.c" "$work/init"
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
if [ "$virtio" = 1 ]; then
	build_virtio_initrd
	build_rootfs
fi
echo "$dest"
