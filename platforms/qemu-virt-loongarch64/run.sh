#!/usr/bin/env bash
# Boots a built image on QEMU's loongarch64 virt machine; QEMU exits when the hypervisor powers the
# machine off (GED). usage: run.sh [--debug] <build-dir>; options and environment in
# scripts/qemu-run.sh. PV_LOONGARCH_LVZ_QEMU names an LVZ-capable QEMU (docs/loongarch64.md): when
# set, it runs instead of the stock qemu-system-loongarch64, which has no LVZ. Instructions are
# counted for benchmarks only (PV_BENCH=1): that QEMU cannot run the guest timer under -icount.
set -euo pipefail
. "$(dirname "$0")/../../scripts/qemu-run.sh"
qemu_run "${PV_LOONGARCH_LVZ_QEMU:-qemu-system-loongarch64}" bench \
	"(the gdb needs LoongArch support: Debian 12's gdb-multiarch 13.1 lacks it and drops the
 connection; QEMU's monitor, Ctrl-A c then 'info registers', works without it)" \
	-M virt -m 1G -smp 4 -- "$@"
