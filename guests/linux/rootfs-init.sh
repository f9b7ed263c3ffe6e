#!/bin/sh
# /sbin/init of the test disk image (scripts/fetch-guest.sh builds it with mke2fs -d): Linux runs
# from a root file system on virtio-blk. It reads a file the image was built with, writes one,
# syncs, drops the page cache and reads it back from the disk; checks that the second disk is
# read-only, the disk's id, and the virtio console; then powers off. Lines the test checks start
# "polyvisor-disk:".
export PATH=/bin
echo "polyvisor-disk: root is $(grep ' / ' /proc/mounts | cut -d' ' -f1-3)"
echo "polyvisor-disk: built with: $(cat /etc/polyvisor-disk)"
echo "polyvisor-disk: serial $(cat /sys/block/vda/serial)"
echo "written at counter $(initmark | cut -d' ' -f3)" >/var/written
sync
echo 3 >/proc/sys/vm/drop_caches
echo "polyvisor-disk: read back: $(cut -d' ' -f1-3 /var/written)"
echo "polyvisor-disk: vdb read-only $(blockdev --getro /dev/vdb)"
if dd if=/dev/zero of=/dev/vdb bs=512 count=1 2>/dev/null; then
	echo "polyvisor-disk: vdb took a write"
else
	echo "polyvisor-disk: vdb refused a write"
fi
echo "polyvisor-disk: vdb starts with $(dd if=/dev/vdb bs=1 skip=1080 count=2 2>/dev/null | od -An -tx1 | tr -d ' ')"
echo "polyvisor-hvc: hello through virtio-console" >/dev/hvc0
errors=$(dmesg -r | grep -c '^<[0-3]>')
dmesg -r | grep '^<[0-3]>' | sed 's/^/polyvisor-disk: kernel error: /'
echo "polyvisor-disk: kernel errors $errors"
# Power-off does not wait for the console: stty sets the mode with TCSADRAIN, which returns
# once everything written has been sent (else the last line may lose its end to the kernel's).
stty onlcr 2>/dev/null # on its standard input: the console
poweroff -f
