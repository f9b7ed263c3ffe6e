#!/usr/bin/env bash
# Boots a riscv64 image on QEMU virt under OpenSBI, serial console on stdout. QEMU exits when the
# hypervisor powers the machine off through SBI SRST.
# usage: run.sh [--debug] <build-dir>
#   --debug          start halted with a GDB server on 127.0.0.1:1234 (prints how to attach)
# The machine always counts instructions (-icount shift=0,sleep=off: 1 instruction = 1 ns of
# virtual time, idle time skipped): guest-visible time then does not depend on how loaded the
# host is, so the guest suite's timer checks are deterministic, and the benchmark's figures
# (PV_BENCH=1, accepted for the benchmark runner) are instruction counts.
#   PV_QEMU_EXTRA    extra QEMU options, split on spaces; e.g. "-cpu rv64,h=false" (the last
#                    -cpu option wins) boots without the H extension
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
	echo "run.sh: $elf not found; build the image first" >&2
	exit 1
fi

args=(-M virt -cpu "rv64,h=true" -smp 4 -m 2G -nographic -bios default -kernel "$elf"
	-icount shift=0,sleep=off)
if [ "$debug" -eq 1 ]; then
	args+=(-S -gdb tcp:127.0.0.1:1234)
	echo "QEMU waits for a debugger; attach with:"
	echo "  gdb-multiarch $elf -ex 'target remote 127.0.0.1:1234'"
fi
read -r -a extra <<<"${PV_QEMU_EXTRA:-}"

exec qemu-system-riscv64 "${args[@]}" "${extra[@]}"
