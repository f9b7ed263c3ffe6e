#!/usr/bin/env bash
# The disk of the passthrough system tests: an ext4 image QEMU serves as its own virtio-blk
# device, which the test description gives a Linux VM by passthrough (docs/devices.md).
#   passthru-disk.sh <guest> prepare <build-dir>: builds <build-dir>/passthru-disk.img with
#     mke2fs -d (no root rights): busybox from the guest cache (scripts/fetch-guest.sh <guest>),
#     guests/linux/passthru-init.sh as /sbin/init and a token made for this run in
#     /etc/polyvisor-token (so a stale image or a cached read cannot pass).
#   passthru-disk.sh <guest> check <build-dir> <serial log>: the guest printed the token, and the image
#     file holds the file the guest wrote (read back with debugfs).
# Used by scripts/system-test.sh as PV_TEST_HOOK ("<this script> <guest>"); the VM is "linux".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
guest=$1 what=$2 build=$3
img=$build/passthru-disk.img
command -v mke2fs >/dev/null || PATH=$PATH:/sbin:/usr/sbin

case "$what" in
prepare)
	cache=$("$root/scripts/cache-dir.sh")/guests/$guest
	[ -f "$cache/busybox" ] || { echo "passthru-disk: no busybox in $cache" >&2; exit 1; }
	work=$(mktemp -d "$build/passthru-disk.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	mkdir -p "$work/root/bin" "$work/root/sbin" "$work/root/etc" "$work/root/dev" \
		"$work/root/proc" "$work/root/sys" "$work/root/tmp"
	cp "$cache/busybox" "$work/root/bin/busybox"
	for a in sh cat cut grep sed sync tr dmesg poweroff mount stty; do
		ln -s busybox "$work/root/bin/$a"
	done
	cp "$root/guests/linux/passthru-init.sh" "$work/root/sbin/init"
	chmod 755 "$work/root/sbin/init"
	token="pv-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
	echo "$token" >"$work/root/etc/polyvisor-token"
	echo "$token" >"$build/passthru-token"
	rm -f "$img"
	mke2fs -q -F -t ext4 -L pv-pt -E root_owner=0:0 -d "$work/root" "$img" 16M
	;;
check)
	log=$4
	token=$(cat "$build/passthru-token")
	grep -q "^\[linux\] polyvisor-pt: token $token\$" "$log" ||
		{ echo "passthru-disk: the guest did not print this run's token $token"; exit 1; }
	written=$(debugfs -R "cat /written" "$img" 2>/dev/null)
	if [ "$written" != "written by the guest: $token" ]; then
		echo "passthru-disk: /written in the image reads '$written'"
		exit 1
	fi
	echo "passthru-disk: the image holds the guest's /written: $written"
	;;
*)
	echo "usage: passthru-disk.sh <guest> prepare <build-dir> | <guest> check <build-dir> <log>" >&2
	exit 2
	;;
esac
