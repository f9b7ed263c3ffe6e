#!/usr/bin/env bash
# Seeds of the fuzz targets, generated from tests/fuzz/seed-src/ when build/fuzz is built.
# usage: make-seeds.sh <seed dir> <pv-vmdesc>
#   vm_desc:    each description compiled by dtc and packed by pv-vmdesc (the build's own packer)
#               with small images made here: a raw blob, an arm64 Linux Image header, an ELF, a
#               device tree, an initramfs stand-in
#   fdt_memory: each tree compiled by dtc, after the target's first byte (the blob's misalignment)
set -euo pipefail
out=$1 vmdesc=$2
src=$(cd "$(dirname "$0")" && pwd)/seed-src
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Images the descriptions name.
printf 'raw guest image: any bytes will do; the hypervisor copies them as they are.\n' \
	>"$work/kernel.bin"
cp "$work/kernel.bin" "$work/initrd.cpio"
# arm64 Image header (Linux's Documentation/arch/arm64/booting.rst): code0/1, text_offset 0,
# image_size 0x10000, flags, reserved, magic "ARM\x64" at byte 56, then some text.
{
	printf '\0\0\0\024\0\0\0\0' # b +0x50, nop-ish padding
	printf '\0\0\0\0\0\0\0\0'
	printf '\0\0\001\0\0\0\0\0'
	printf '\012\0\0\0\0\0\0\0'
	printf '\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'
	printf 'ARM\144\0\0\0\0'
	printf 'kernel text\n'
} >"$work/Image"
printf '.globl _start\n_start: b _start\n.data\n.quad 0x1122334455667788\n' >"$work/tiny.S"
printf 'SECTIONS { . = 0x40080000; .text : { *(.text) } .data : ALIGN(16) { *(.data) } }\n' \
	>"$work/tiny.ld"
clang-19 --target=aarch64-none-elf -nostdlib -static -fuse-ld=lld -Wl,-T,"$work/tiny.ld" \
	-Wl,--build-id=none -Wl,-z,max-page-size=4096 -o "$work/tiny.elf" "$work/tiny.S"
printf '/dts-v1/;\n/ { compatible = "guest"; chosen { bootargs = "x"; }; };\n' |
	dtc -q -I dts -O dtb -o "$work/guest.dtb" -

mkdir -p "$out/vm_desc" "$out/fdt_memory"
for f in "$src"/vm_desc/*.dts; do
	n=$(basename "$f" .dts)
	dtc -q -I dts -O dtb -o "$work/$n.dtb" "$f"
	ASAN_OPTIONS=detect_leaks=0 "$vmdesc" pack "$work/$n.dtb" -o "$out/vm_desc/$n" -s "$f" -I "$work" >/dev/null
done
for f in "$src"/fdt_memory/*.dts; do
	n=$(basename "$f" .dts)
	dtc -q -I dts -O dtb -o "$work/$n.dtb" "$f"
	{ printf '\0'; cat "$work/$n.dtb"; } >"$out/fdt_memory/$n"
done
