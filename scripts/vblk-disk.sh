#!/usr/bin/env bash
# The disk of the vblk-passthrough system tests: one image served twice to a guest-suite VM in
# its virtio-blk benchmark mode (guests/suite/vblk.c): by the emulator's own virtio-blk device,
# passed through, and by the hypervisor's virtio-blk (placed by QEMU's loader). Used by
# scripts/system-test.sh as PV_TEST_HOOK.
#   vblk-disk.sh prepare <build-dir>: writes <build-dir>/vblk-disk.img, 16 MiB of random bytes
#     made for this run.
#   vblk-disk.sh check <build-dir> <serial log>: both disks were read whole, and the bytes each
#     read last are the image's last bytes.
set -euo pipefail
what=$1 build=$2
img=$build/vblk-disk.img

case "$what" in
prepare)
	head -c 16777216 /dev/urandom >"$img.tmp"
	mv "$img.tmp" "$img"
	;;
check)
	log=$3
	want=$(tail -c 4 "$img" | od -An -tx1 | tr -d ' \n')
	for d in pt emu; do
		if ! grep -Eq "^\[[a-z0-9]+\] vblk: ${d}_read_per_mib read 16777216 bytes, ending $want\$" \
			"$log"; then
			echo "vblk-disk: the $d disk's last bytes are not the image's ($want)"
			exit 1
		fi
	done
	echo "vblk-disk: both disks read the image's last bytes, $want"
	;;
*)
	echo "usage: vblk-disk.sh prepare <build-dir> | check <build-dir> <log>" >&2
	exit 2
	;;
esac
