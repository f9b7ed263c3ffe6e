#!/usr/bin/env bash
# Boots a built image on QEMU virt (aarch64, EL2, GICv3). Serial goes to stdout; QEMU exits when
# the hypervisor powers the machine off (PSCI SYSTEM_OFF, exit status 0).
# usage: run.sh [--debug] <build-dir>
#   --debug        start halted with a GDB server on 127.0.0.1:1234 and print how to attach
#   PV_GDB_PORT    another port for that server (several debug sessions on one machine)
#   PV_QEMU_EXTRA  further QEMU options, split on spaces
#   PV_BENCH=1     count instructions (-icount shift=0): 1 ns of guest time = 1 instruction;
#                  images with the guest suite are always run that way
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
[ -f "$elf" ] || { echo "$0: no image at $elf (build it first)" >&2; exit 1; }

args=(-M virt,virtualization=on,gic-version=3 -cpu cortex-a57 -smp 4 -m 2G -nographic
	-kernel "$elf")
if [ "$debug" -eq 1 ]; then
	port=${PV_GDB_PORT:-1234}
	args+=(-S -gdb "tcp:127.0.0.1:$port")
	echo "QEMU is halted; attach with:"
	echo "  gdb-multiarch $elf -ex 'target remote 127.0.0.1:$port'"
fi
# Guests measure time with the virtual counter: with instruction counting it follows the guest's
# own progress, not the host's load, so timer checks and benchmarks do not depend on other work.
if [ "${PV_BENCH:-0}" = 1 ] || grep -qx 'CONFIG_GUEST_SUITE=y' "$1/.config" 2>/dev/null; then
	args+=(-icount shift=0,sleep=off)
fi
# shellcheck disable=SC2206 # word splitting of the extra options is intended
extra=(${PV_QEMU_EXTRA:-})
exec qemu-system-aarch64 "${args[@]}" "${extra[@]}"
