#!/usr/bin/env bash
# Builds pv-vmdesc, the build-time VM description checker and packer, with the host's C compiler:
# the hypervisor's own description code, compiled for the host with an image's configuration.
# usage: build-vmdesc.sh <output> <libfdt-dir> <compiler flags...> -- <sources...>
# (libfdt is compiled from the same sources the image uses, with its own warnings silenced.)
set -euo pipefail
out=$1 libfdt=$2
shift 2
flags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	flags+=("$1")
	shift
done
shift
cc=${PV_HOST_CC:-cc}
objs=$out.libfdt
mkdir -p "$objs"
for src in "$libfdt"/*.c; do
	"$cc" -std=c11 -O1 -w -I"$libfdt" -c "$src" -o "$objs/$(basename "${src%.c}").o"
done
"$cc" -std=c11 -O1 -g -isystem "$libfdt" "${flags[@]}" "$@" "$objs"/*.o -o "$out"
