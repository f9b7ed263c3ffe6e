#!/usr/bin/env bash
# Boots a built image on QEMU virt (riscv64 with the H extension) under OpenSBI; QEMU exits when
# the hypervisor powers the machine off (SBI SRST). usage: run.sh [--debug] <build-dir>; options
# and environment in scripts/qemu-run.sh (e.g. PV_QEMU_EXTRA="-cpu rv64,h=false": the last -cpu
# wins, booting without the H extension).
# The machine always counts instructions, so guest-visible time never depends on host load.
set -euo pipefail
. "$(dirname "$0")/../../scripts/qemu-run.sh"
qemu_run qemu-system-riscv64 always "" \
	-M virt -cpu rv64,h=true -smp 4 -m 2G -bios default -- "$@"
