#!/usr/bin/env bash
# Source checks run by the test command.
# usage: lint.sh format      clang-format finds nothing to change
#        lint.sh fix         apply clang-format to every C file
#        lint.sh cppcheck    cppcheck reports nothing
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

clang_format=$(command -v clang-format-19 || command -v clang-format)

sources() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files --cached --others --exclude-standard -- '*.c' '*.h'
	else
		find . -path ./build -prune -o \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||'
	fi
}

case "${1:-}" in
format)
	mapfile -t files < <(sources)
	"$clang_format" --dry-run --Werror "${files[@]}"
	rc=$?
	[ $rc -eq 0 ] && echo "format: ${#files[@]} files clean"
	exit $rc
	;;
fix)
	mapfile -t files < <(sources)
	"$clang_format" -i "${files[@]}"
	;;
cppcheck)
	includes=()
	for d in lib/include hal/include vcpu/include addrspace/include irq/include vm/include \
		drivers/uart/include devices/include tests/unit; do
		includes+=(-I "$d")
	done
	mapfile -t files < <(sources | grep '\.c$')
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--std=c11 --inline-suppr --suppress=missingIncludeSystem \
		-D__GNUC__ -DCONFIG_PAGE_POOL_MAX_FRAMES=4096 -DCONFIG_MAX_CPUS=4 \
		-DCONFIG_BOOT_STACK_SIZE=16384 -DCONFIG_SCHED_SLICE_US=4000 "${includes[@]}" "${files[@]}"
	rc=$?
	[ $rc -eq 0 ] && echo "cppcheck: ${#files[@]} files clean"
	exit $rc
	;;
*)
	echo "usage: lint.sh format|fix|cppcheck" >&2
	exit 2
	;;
esac
