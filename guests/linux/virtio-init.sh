# shellcheck shell=dash
# /init.d/local of the virtio test initramfs (scripts/fetch-guest.sh builds it), sourced by /init
# (guests/linux/init.sh) after its checks. It loads the virtio drivers Debian builds as modules,
# (those the initramfs holds: a kernel may have some built in), then does what the kernel command
# line asks:
#   root=/dev/vdX         mount that ext4 file system and switch to it (its /sbin/init runs the
#                         disk test: guests/linux/rootfs-init.sh)
#   pv.test=net pv.role=a|b|c   the two-switch network test (a pings b on switch lan; c, alone
#                         with a's second device on switch ctl, must see none of lan's frames)
#   pv.test=netbench pv.role=a|b  throughput and round-trip time between two VMs
# Lines the tests check start "polyvisor-virtio:", "polyvisor-net:".

pv_arg() { # pv_arg <name>: the value of <name>= on the kernel command line
	for a in $(cat /proc/cmdline); do
		case "$a" in "$1"=*) echo "${a#*=}" ;; esac
	done
}

for m in crc16 mbcache jbd2 crc32c_generic ext4 virtio_mmio virtio_blk failover net_failover \
	virtio_net virtio_console; do
	[ -f "/lib/modules/$m.ko" ] || continue
	insmod "/lib/modules/$m.ko" || echo "polyvisor-virtio: cannot load $m"
done

# The interface with MAC address $1.
pv_if() {
	for i in /sys/class/net/*; do
		[ "$(cat "$i/address")" = "$1" ] && basename "$i"
	done
}

# pv_up <mac> <address/prefix>: configures and starts that interface.
pv_up() {
	local dev
	dev=$(pv_if "$1")
	[ -n "$dev" ] || { echo "polyvisor-net: no interface with address $1"; return 1; }
	ip addr add "$2" dev "$dev" && ip link set "$dev" up
	echo "polyvisor-net: $dev ($1) is $2"
}

# pv_wait_for <ip>: until it answers a ping (at most 300 tries of a second).
pv_wait_for() {
	local n=0
	until ping -c 1 -W 1 "$1" >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -lt 300 ] || { echo "polyvisor-net: $1 never answered"; return 1; }
	done
}

root=$(pv_arg root)
test=$(pv_arg pv.test)
role=$(pv_arg pv.role)

if [ -n "$root" ]; then
	n=0
	while [ ! -b "$root" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	mkdir -p /newroot
	if mount -t ext4 "$root" /newroot; then
		echo "polyvisor-virtio: $root mounted, switching to it"
		mount --move /dev /newroot/dev
		mount --move /proc /newroot/proc
		mount --move /sys /newroot/sys
		exec switch_root /newroot /sbin/init
	fi
	echo "polyvisor-virtio: cannot mount $root"
fi

case "$test/$role" in
net/a)
	pv_up 02:00:00:00:00:01 10.0.0.1/24
	pv_up 02:00:00:00:01:01 10.0.1.1/24
	pv_wait_for 10.0.1.3 && pv_wait_for 10.0.0.2 &&
		ping -c 5 10.0.0.2 | grep -E 'transmitted|round-trip' | sed 's/^/polyvisor-net: /'
	echo "done" | nc 10.0.0.2 5000
	# The done signal for c's sniffer: 99 bytes of ICMP payload.
	ping -c 1 -s 99 10.0.1.3 >/dev/null
	;;
net/b)
	pv_up 02:00:00:00:00:02 10.0.0.2/24
	echo "polyvisor-net: b heard: $(nc -l -p 5000)"
	;;
net/c)
	pvnet sniff >/tmp/sniff &
	while [ "$(wc -l </proc/net/packet)" -lt 2 ]; do sleep 0.1; done
	dev=$(pv_if 02:00:00:00:01:03)
	ip link set "$dev" promisc on
	pv_up 02:00:00:00:01:03 10.0.1.3/24
	wait
	cat /tmp/sniff
	;;
netbench/a)
	pv_up 02:00:00:00:00:01 10.0.0.1/24
	pv_wait_for 10.0.0.2
	ping -c 10 10.0.0.2 | grep 'round-trip' | sed 's/^/polyvisor-net: /'
	dd if=/dev/zero bs=65536 count=256 2>/dev/null | nc 10.0.0.2 5001
	;;
netbench/b)
	pv_up 02:00:00:00:00:02 10.0.0.2/24
	nc -l -p 5001 | pvnet count
	;;
esac
