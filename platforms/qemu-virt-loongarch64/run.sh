#!/usr/bin/env bash
# Boots a build's hypervisor image on QEMU's loongarch64 virt machine; the serial console is on
# stdout and QEMU exits when the hypervisor powers the machine off.
# usage: run.sh [--debug] <build-dir>
#   --debug         start halted with a GDB server on 127.0.0.1:1234 (prints how to attach)
#   PV_QEMU         QEMU binary to run (default qemu-system-loongarch64), e.g. one built with LVZ
#   PV_QEMU_EXTRA   extra QEMU options, split on whitespace
#   PV_BENCH=1      count instructions (-icount shift=0,sleep=off): 1 ns of guest time = 1
#                   instruction, idle time skipped, so the benchmark's figures (bench.config)
#                   are instruction counts whatever the host's load
set -euo pipefail

debug=0
if [ "${1:-}" = "--debug" ]; then
	debug=1
	shift
fi
if [ $# -ne 1 ]; then
	echo "usage: $0 [--debug] <build-dir>" >&2
	exit 2
fi
elf=$1/polyvisor.elf
if [ ! -f "$elf" ]; then
	echo "$0: $elf not found; build the image first" >&2
	exit 1
fi

qemu=${PV_QEMU:-qemu-system-loongarch64}
args=(-M virt -m 1G -smp 4 -nographic -kernel "$elf")
if [ "${PV_BENCH:-0}" = 1 ]; then
	args+=(-icount shift=0,sleep=off)
fi
if [ "$debug" -eq 1 ]; then
	args+=(-S -gdb tcp:127.0.0.1:1234)
	echo "QEMU waits for a debugger; attach with:"
	echo "  gdb-multiarch $elf -ex 'target remote 127.0.0.1:1234'"
	echo "(the gdb needs LoongArch support: Debian 12's gdb-multiarch 13.1 lacks it and drops"
	echo " the connection; QEMU's monitor, Ctrl-A c then 'info registers', works without it)"
fi
# shellcheck disable=SC2086 # PV_QEMU_EXTRA is a list of options on purpose
exec "$qemu" "${args[@]}" ${PV_QEMU_EXTRA:-}
