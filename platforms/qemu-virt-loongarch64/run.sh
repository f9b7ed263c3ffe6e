#!/usr/bin/env bash
# Boots a built image on QEMU's loongarch64 virt machine; QEMU exits when the hypervisor powers the
# machine off (GED). usage: run.sh [--debug] <build-dir>; options and environment in
# scripts/qemu-run.sh. PV_QEMU names another QEMU binary, e.g. an LVZ-capable one built locally.
# Instructions are counted for benchmarks only (PV_BENCH=1).
set -euo pipefail
. "$(dirname "$0")/../../scripts/qemu-run.sh"
qemu_run qemu-system-loongarch64 bench \
	"(the gdb needs LoongArch support: Debian 12's gdb-multiarch 13.1 lacks it and drops the
 connection; QEMU's monitor, Ctrl-A c then 'info registers', works without it)" \
	-M virt -m 1G -smp 4 -- "$@"
