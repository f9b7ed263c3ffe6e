#!/usr/bin/env bash
# Boots a built image on QEMU virt (riscv64 with the H extension) under OpenSBI; QEMU exits when
# the hypervisor powers the machine off (SBI SRST). usage: run.sh [--debug] <build-dir>; options
# and environment in scripts/qemu-run.sh (e.g. PV_QEMU_EXTRA="-cpu rv64,h=false": the last -cpu
# wins, booting without the H extension).
# Images whose VMs run the guest suite, and benchmarks, count instructions, so guest-visible time
# never depends on host load. Other images (Linux guests of your own, even with the suite built
# in) and those whose suite runs in wall-clock time (CONFIG_GUEST_SUITE_WALL_CLOCK) run without:
# QEMU 7.2 cannot run SMP riscv64 Linux under -icount, not even on the bare machine (its round
# robin leaves a hart that another waits for unscheduled).
# The harts have the vector extension (RVV 1.0): the hypervisor copies images and clears RAM with
# it (arch/riscv64/string_v.S); guests are never given it. A later -cpu without it tests the
# scalar path.
set -euo pipefail
. "$(dirname "$0")/../../scripts/qemu-run.sh"
qemu_run qemu-system-riscv64 suite-vm "" \
	-M virt -cpu rv64,h=true,v=true,vext_spec=v1.0 -smp 4 -m 2G -bios default -- "$@"
