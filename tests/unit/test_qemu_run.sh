#!/usr/bin/env bash
# scripts/qemu-run.sh's choice of instruction counting, with a stand-in QEMU that prints its
# arguments: "suite" counts for every image with the suite built in; "suite-vm" (riscv64) only
# when a VM of the image carries the suite, so a Linux-only image runs in wall-clock time (QEMU
# 7.2 hangs SMP riscv64 Linux under -icount); wall-clock suites and images that pass a device
# through never count, benchmarks always.
# usage: test_qemu_run.sh <qemu-run.sh>
set -uo pipefail
runner=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
mkdir -p "$dir/bin" "$dir/build/vms"
printf '#!/bin/sh\necho "$@"\n' >"$dir/bin/fake-qemu"
chmod +x "$dir/bin/fake-qemu"
: >"$dir/build/polyvisor.elf"

# expect <name> <icount mode> <yes|no> <.config lines> <files the VM package depends on>
#        [<preprocessed VM description>]
expect() {
	local name=$1 mode=$2 want=$3 config=$4 deps=$5 desc=${6:-} out got
	printf '%s\n' "$config" >"$dir/build/.config"
	if [ -n "$desc" ]; then
		printf '%s\n' "$desc" >"$dir/build/vms/vms.dts.i"
	else
		rm -f "$dir/build/vms/vms.dts.i"
	fi
	if [ -n "$deps" ]; then
		printf 'vms.pkg: %s\n' "$deps" >"$dir/build/vms/vms.pkg.d"
	else
		rm -f "$dir/build/vms/vms.pkg.d"
	fi
	out=$(PATH="$dir/bin:$PATH" bash -c '. "$1"; qemu_run fake-qemu "$2" "" -M virt -- "$3"' \
		_ "$runner" "$mode" "$dir/build" 2>&1)
	case "$out" in *"-icount"*) got=yes ;; *) got=no ;; esac
	if [ "$got" = "$want" ]; then
		echo "ok   $name"
	else
		echo "FAIL $name: counting $got, expected $want ($out)"
		failures=$((failures + 1))
	fi
}

suite='CONFIG_GUEST_SUITE=y'
wall=$'CONFIG_GUEST_SUITE=y\nCONFIG_GUEST_SUITE_WALL_CLOCK=y'
expect "suite image counts" suite yes "$suite" "a/guest_suite/guest_suite.elf"
expect "suite mode: built-in suite counts" suite yes "$suite" "a/Image a/initrd.cpio"
expect "suite-vm: a VM runs the suite" suite-vm yes "$suite" "a/Image a/guest_suite/guest_suite.elf"
expect "suite-vm: Linux only, wall clock" suite-vm no "$suite" "a/Image a/initrd.cpio"
expect "suite-vm: no package list, counts" suite-vm yes "$suite" ""
expect "suite-vm: wall-clock suite" suite-vm no "$wall" "a/Image a/guest_suite/guest_suite.elf"
expect "no suite at all" suite-vm no "" "a/Image"
PV_BENCH=1 expect "benchmark counts" suite-vm yes "$suite" "a/Image a/initrd.cpio"
# A passed-through device works in host time: wall clock, except for benchmarks.
pt=$'/ {\n\tlinux {\n\t\tpassthrough@a003000 {\n\t\t\treg = <0 0xa003000 0 0x1000>;\n\t\t};\n\t};\n};'
plain=$'/ {\n\tlinux {\n\t\tuart@9000000 {\n\t\t\treg = <0 0x9000000 0 0x1000>;\n\t\t};\n\t};\n};'
expect "suite: passthrough runs in wall clock" suite no "$suite" "a/guest_suite/guest_suite.elf" "$pt"
expect "suite-vm: passthrough runs in wall clock" suite-vm no "$suite" "a/guest_suite/guest_suite.elf" "$pt"
expect "suite: description without passthrough counts" suite yes "$suite" "a/guest_suite/guest_suite.elf" "$plain"
PV_BENCH=1 expect "benchmark with passthrough counts" suite yes "$suite" "a/guest_suite/guest_suite.elf" "$pt"
[ "$failures" -eq 0 ]
