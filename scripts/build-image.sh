#!/usr/bin/env bash
# Configures (first time) and builds a board's hypervisor image.
# usage: build-image.sh <platform> [build-dir]   (default build dir: build/<platform>)
# Exit status 77 (with a line saying so): the configuration builds the guest suite, and the
# board's architecture has no guest-suite layer yet (guests/suite/arch/<isa>/, docs/porting.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
platform=$1
build=${2:-$root/build/$platform}
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)

# After a failed build: says so and exits 77 if the failure is a missing guest-suite layer.
explain_failure() {
	local arch
	grep -qx 'CONFIG_GUEST_SUITE=y' "$build/.config" 2>/dev/null || return 0
	arch=$(sed -n 's/^CONFIG_ARCH="\(.*\)"$/\1/p' "$build/.config")
	[ -n "$arch" ] && [ ! -f "$root/guests/suite/arch/$arch/guest.cmake" ] || return 0
	echo "build-image: $platform: cannot build the guest suite: $arch has no guest-suite layer" \
		"yet (guests/suite/arch/$arch/)" >&2
	exit 77
}

# A tree whose configuration failed has a cache but no build file, and cmake --build cannot
# configure it again: configure it here.
if [ ! -f "$build/CMakeCache.txt" ] || { [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; }; then
	cmake -S "$root" -B "$build" "${gen[@]}" -DPV_PLATFORM="$platform" >/dev/null || {
		rc=$?
		explain_failure
		exit $rc
	}
fi
cmake --build "$build" || {
	rc=$?
	explain_failure
	exit $rc
}
