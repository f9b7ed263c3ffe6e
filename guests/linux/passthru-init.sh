#!/bin/sh
# /sbin/init of the passthrough test's disk (scripts/passthru-disk.sh builds
# it with mke2fs -d for each run): Linux runs from a root file system on QEMU's own virtio-blk
# device, given to its VM by passthrough. It reads the token the test wrote into the image,
# writes a file the test reads back from the image after the run, and powers off. Lines the test
# checks start "polyvisor-pt:".
export PATH=/bin
echo "polyvisor-pt: root is $(grep ' / ' /proc/mounts | cut -d' ' -f1-3)"
echo "polyvisor-pt: token $(cat /etc/polyvisor-token)"
echo "polyvisor-pt: interrupt $(grep -m1 virtio /proc/interrupts | tr -s ' ' | cut -d' ' -f3-)"
echo "written by the guest: $(cat /etc/polyvisor-token)" >/written
sync
echo "polyvisor-pt: wrote /written, synced"
errors=$(dmesg -r | grep -c '^<[0-3]>')
dmesg -r | grep '^<[0-3]>' | sed 's/^/polyvisor-pt: kernel error: /'
echo "polyvisor-pt: kernel errors $errors"
# Power-off does not wait for the console: stty sets the mode with TCSADRAIN, which returns
# once everything written has been sent (else the last line may lose its end to the kernel's).
stty onlcr 2>/dev/null # on its standard input: the console
poweroff -f
