#!/usr/bin/env bash
# Boots a built image on QEMU virt (aarch64, EL2, GICv3); QEMU exits when the hypervisor powers
# the machine off (PSCI SYSTEM_OFF). usage: run.sh [--debug] <build-dir>; options and environment
# (PV_GDB_PORT, PV_QEMU_EXTRA, PV_BENCH) in scripts/qemu-run.sh.
# Images with the guest suite count instructions: guests time with the virtual counter, which then
# follows the guest's own progress, not the host's load. Images that pass a device through do not
# (the device works in host time; scripts/qemu-run.sh).
set -euo pipefail
. "$(dirname "$0")/../../scripts/qemu-run.sh"
qemu_run qemu-system-aarch64 suite "" \
	-M virt,virtualization=on,gic-version=3 -cpu cortex-a57 -smp 4 -m 2G -- "$@"
