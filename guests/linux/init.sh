#!/bin/busybox sh
# /init of the test initramfs (scripts/fetch-guest.sh builds it): takes the boot timestamp first,
# then prints what the system tests check, each line starting "polyvisor-init:", and powers off.
# With "polyvisor.shell" on the kernel command line it starts a shell on the console first (the
# console system test types into it); leaving the shell powers off.
/bin/initmark
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox --install -s /bin
echo "polyvisor-init: kernel $(uname -r) $(uname -m)"
echo "polyvisor-init: cpus online $(cat /sys/devices/system/cpu/online)"
# The console UART's interrupts so far, summed over the CPUs (none for a polled UART).
awk '/ttyS0/ { n = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i;
	print "polyvisor-init: ttyS0 irq " $1 " " n " interrupts (" $i " " $(NF - 1) ")" }' /proc/interrupts
# Messages of level error or worse (raw dmesg lines start with <0> to <3>).
errors=$(dmesg -r | grep -c '^<[0-3]>')
dmesg -r | grep '^<[0-3]>' | sed 's/^/polyvisor-init: kernel error: /'
echo "polyvisor-init: kernel errors $errors"
# An initramfs variant's own steps, in this shell (PID 1): they may hand over to a root file
# system with exec switch_root.
if [ -f /init.d/local ]; then
	. /init.d/local
fi
if grep -qw polyvisor.shell /proc/cmdline; then
	echo "polyvisor-init: shell on the console; exit powers off"
	# cttyhack makes the console the shell's controlling terminal (Ctrl-C, job control).
	setsid cttyhack sh || sh
fi
echo "polyvisor-init: done, powering off"
# Power-off does not wait for the console: let it drain first (a polled UART is slow). stty sets
# the mode with TCSADRAIN, which returns once everything written has been sent.
stty -F /dev/console onlcr 2>/dev/null
poweroff -f
