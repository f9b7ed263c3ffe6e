#!/usr/bin/env bash
# Boots <build-dir>/polyvisor.iso in bochs, which emulates VMX with EPT, and streams the serial
# console (COM1, which bochs writes to a file) to stdout until bochs exits.
#
# usage: run.sh [--debug] <build-dir>
#   --debug  start bochs in its internal debugger, stopped at the first BIOS instruction.
#
# bochs' exit status means nothing (it is 1 after a clean "Shutdown", some models crash on exit),
# so the status here only says whether bochs ran and the console printed something; the serial
# log is what tells whether the hypervisor did its job. Exit status 77: bochs is not installed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
debug=0
if [ "${1:-}" = "--debug" ]; then
	debug=1
	shift
fi
if [ $# -ne 1 ]; then
	echo "usage: $0 [--debug] <build-dir>" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
iso=$build/polyvisor.iso
if [ ! -f "$iso" ]; then
	echo "run.sh: $iso not found: build the image first" >&2
	exit 1
fi
if ! command -v bochs >/dev/null; then
	echo "run.sh: bochs is not installed: this board cannot boot here" \
		"(Debian packages: bochs bochsbios vgabios)" >&2
	exit 77
fi

# bochs' time-stamp counter advances one tick per instruction, so the TSC rate the hypervisor
# measures is the "ips" setting. Benchmarks (PV_BENCH=1) need no extra instruction-counting flag:
# at 10^9 instructions per virtual second, the guest's nanoseconds are instructions.
ips=100000000
if [ "${PV_BENCH:-0}" = 1 ]; then
	ips=1000000000
fi

work=$build/bochs
mkdir -p "$work"
com1=$build/com1.log
sed -e "s|@ISO@|$iso|" -e "s|@IPS@|$ips|" -e "s|@COM1_LOG@|$com1|" -e "s|@BOCHS_LOG@|$work/bochs.log|" \
	"$here/bochsrc.in" >"$work/bochsrc"
: >"$com1"

if [ "$debug" -eq 1 ]; then
	entry=$(readelf -h "$build/polyvisor.elf" 2>/dev/null | awk '/Entry point/ { print $4 }')
	cat <<-EOT
	bochs internal debugger (this bochs build has no GDB stub). It stops at the first BIOS
	instruction. Useful commands:
	  lb ${entry:-<entry>}   break at the hypervisor's multiboot2 entry (32-bit code), then: c
	  s / n / c       step, step over, continue
	  r, sreg, creg   registers, segments, control registers; info idt, info gdt, info tab
	  x /8gx <addr>   examine memory; u /10 <addr> disassemble
	  q               quit
	Serial console: $com1 (follow it with: tail -f $com1)
	Symbols: nm $build/polyvisor.elf

	For source-level debugging with GDB, an Intel host with nested virtualization can run the ISO
	under QEMU+KVM instead:
	  qemu-system-x86_64 -enable-kvm -cpu host,+vmx -m 512 -cdrom $iso -serial stdio -s -S
	  gdb $build/polyvisor.elf -ex 'target remote :1234'
	(QEMU without KVM has no VMX: the hypervisor then reports "VMX absent".)
	EOT
	exec bochs -q -f "$work/bochsrc"
fi

echo c >"$work/commands"
bochs_pid=
tail_pid=

# However the script ends (bochs done, time limit, Ctrl-C), no bochs or tail is left behind.
# shellcheck disable=SC2317 # called through the traps
cleanup() {
	if [ -n "$bochs_pid" ]; then
		kill "$bochs_pid" 2>/dev/null || true
	fi
	if [ -n "$tail_pid" ]; then
		kill "$tail_pid" 2>/dev/null || true
	fi
	wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# bochs' RFB display must bind a TCP port (5900-5949); under heavy parallel load that has failed
# now and then before the machine even started. Such a start is tried again; nothing ran yet.
for attempt in 1 2 3; do
	: >"$com1"
	bochs -q -f "$work/bochsrc" -rc "$work/commands" </dev/null >"$work/bochs.out" 2>&1 &
	bochs_pid=$!
	# tail stops on its own shortly after bochs exits (--pid), having printed the rest of the log.
	tail -n +1 -s 0.1 -f --pid="$bochs_pid" "$com1" &
	tail_pid=$!
	wait "$bochs_pid" || true
	bochs_pid=
	wait "$tail_pid" || true
	tail_pid=
	if [ -s "$com1" ] || ! grep -q "RFB could not bind" "$work/bochs.out"; then
		break
	fi
	echo "run.sh: bochs could not bind its RFB port (attempt $attempt); starting it again" >&2
	sleep 1
done

if [ ! -s "$com1" ]; then
	echo "run.sh: bochs exited without console output; its messages:" >&2
	tail -n 20 "$work/bochs.out" >&2
	exit 1
fi
exit 0
