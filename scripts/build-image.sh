#!/usr/bin/env bash
# Configures (first time) and builds a board's hypervisor image.
# usage: build-image.sh <platform> [build-dir]   (default build dir: build/<platform>)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
platform=$1
build=${2:-$root/build/$platform}
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
if [ ! -f "$build/CMakeCache.txt" ]; then
	cmake -S "$root" -B "$build" "${gen[@]}" -DPV_PLATFORM="$platform" >/dev/null
fi
cmake --build "$build"
