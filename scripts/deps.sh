#!/usr/bin/env bash
# Installs the Debian 12 packages Polyvisor needs, or, when not root, prints the apt-get line.
# usage: deps.sh            everything (images for all four arches, emulators, tests)
set -euo pipefail

packages=(
	# build
	cmake ninja-build make pkg-config python3 python3-kconfiglib git
	gcc libc6-dev gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu clang-19 lld-19 llvm-19
	# host tests and checks (libclang-rt-19-dev: clang's libFuzzer, for tests/fuzz/)
	libcmocka-dev libfdt-dev device-tree-compiler clang-format-19 cppcheck libclang-rt-19-dev
	# test guests' disk images (mke2fs -d)
	e2fsprogs
	# emulators and boot media
	qemu-system-arm qemu-system-misc qemu-system-x86 opensbi u-boot-qemu
	bochs bochsbios vgabios grub-pc-bin grub-common xorriso mtools
	# debugging (./pv debug)
	gdb-multiarch
	# fetching libfdt's sources for images (apt-get download, dpkg-deb, xz)
	xz-utils
)

missing=()
for p in "${packages[@]}"; do
	case "$p" in \#*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "Polyvisor needs these Debian packages. Install them as root with:" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
