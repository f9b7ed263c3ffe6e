# shellcheck shell=bash
# The QEMU runner the boards' run.sh scripts share (sourced, not run).
#
# qemu_run <qemu> <icount> <debug-note> <machine options...> -- <run.sh arguments...>
#   <qemu>        QEMU binary (a board may take it from its own environment variable)
#   <icount>      when to count instructions (-icount shift=0,sleep=off: 1 instruction = 1 ns of
#                 guest time, idle time skipped, so guest timing does not depend on host load):
#                 always | suite (images with the guest suite, unless they run it in wall-clock
#                 time: CONFIG_GUEST_SUITE_WALL_CLOCK; and benchmarks) | suite-vm (as suite, but
#                 only when a VM of the image's description runs the suite: the built-in
#                 CONFIG_GUEST_SUITE is not enough) | bench (PV_BENCH=1). With suite and
#                 suite-vm, an image that passes a device through to a VM never counts
#                 (benchmarks excepted): that device works in host time.
#   <debug-note>  printed after the gdb command under --debug ("" for none)
# run.sh arguments: [--debug] <build-dir>
#   --debug        start halted with a GDB server on 127.0.0.1:${PV_GDB_PORT:-1234}; print how
#                  to attach with gdb-multiarch
# Environment: PV_QEMU_EXTRA (further options, split on spaces), PV_BENCH=1 (benchmark run),
# PV_ICOUNT=0 (never count instructions: interactive runs, where the guests wait for typing).
# Bare runs (the Linux boot benchmark's reference, no hypervisor): PV_BARE_KERNEL (a kernel QEMU
# boots itself), PV_BARE_INITRD, PV_BARE_APPEND, PV_BARE_DTB (the device tree to give it),
# PV_BARE_MACHINE (machine options instead of the board's, split on spaces).
# Exit status 77 (with a line saying so) when <qemu> is not installed: the board cannot boot here.
# Serial goes to stdout; QEMU's own log (-d, and what a QEMU fork logs on its own) goes to
# <build-dir>/qemu-debug.log, never into the serial output the tests judge. QEMU exits when the
# hypervisor (or the bare guest) powers the machine off.

qemu_run() {
	local qemu=$1 icount=$2 note=$3
	shift 3
	local machine=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		machine+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift

	local debug=0
	if [ "${1:-}" = "--debug" ]; then
		debug=1
		shift
	fi
	if [ $# -ne 1 ]; then
		echo "usage: run.sh [--debug] <build-dir>" >&2
		exit 2
	fi
	local build=$1 elf=$1/polyvisor.elf
	if ! command -v "$qemu" >/dev/null; then
		echo "run.sh: $qemu is not installed: this board cannot boot here" \
			"(scripts/deps.sh lists the Debian packages)" >&2
		exit 77
	fi
	local args
	if [ -n "${PV_BARE_KERNEL:-}" ]; then
		read -r -a machine <<<"${PV_BARE_MACHINE:-${machine[*]}}"
		args=("${machine[@]}" -nographic -kernel "$PV_BARE_KERNEL")
		[ -n "${PV_BARE_INITRD:-}" ] && args+=(-initrd "$PV_BARE_INITRD")
		[ -n "${PV_BARE_APPEND:-}" ] && args+=(-append "$PV_BARE_APPEND")
		[ -n "${PV_BARE_DTB:-}" ] && args+=(-dtb "$PV_BARE_DTB")
	elif [ ! -f "$elf" ]; then
		echo "run.sh: $elf not found; build the image first" >&2
		exit 1
	else
		args=("${machine[@]}" -nographic -kernel "$elf")
	fi
	args+=(-D "$build/qemu-debug.log")
	local count=0
	case "$icount" in
	always) count=1 ;;
	suite | suite-vm)
		if [ "${PV_BENCH:-0}" = 1 ] || { grep -qx 'CONFIG_GUEST_SUITE=y' "$build/.config" 2>/dev/null &&
			! grep -qx 'CONFIG_GUEST_SUITE_WALL_CLOCK=y' "$build/.config"; }; then
			count=1
		fi
		# The files the image carries (the VM package's dependencies): no suite among them, no
		# suite to run. Without the list (an older build tree), count as before.
		if [ "$icount" = suite-vm ] && [ "${PV_BENCH:-0}" != 1 ] && [ -f "$build/vms/vms.pkg.d" ] &&
			! grep -q 'guest_suite\.elf' "$build/vms/vms.pkg.d"; then
			count=0
		fi
		# A device passed through to a VM (a passthrough@ node in the description) completes
		# its requests in the host's time, not the guests': while every vCPU idles waiting for
		# it, counting with sleep=off jumps guest time to the next timer again and again, so
		# the wait looks minutes long to the guest (Linux's hung-task errors) and the run
		# crawls. Such images run in wall-clock time; benchmarks still count.
		if [ "${PV_BENCH:-0}" != 1 ] && [ -f "$build/vms/vms.dts.i" ] &&
			grep -Eq '^[[:space:]]*passthrough(@[^[:space:]]*)?[[:space:]]*\{' "$build/vms/vms.dts.i"; then
			count=0
		fi
		;;
	bench) [ "${PV_BENCH:-0}" = 1 ] && count=1 ;;
	esac
	[ "${PV_ICOUNT:-}" = 0 ] && count=0
	[ "$count" -eq 1 ] && args+=(-icount shift=0,sleep=off)

	if [ "$debug" -eq 1 ]; then
		local port=${PV_GDB_PORT:-1234}
		args+=(-S -gdb "tcp:127.0.0.1:$port")
		echo "QEMU is halted, waiting for a debugger; attach with:"
		echo "  gdb-multiarch $elf -ex 'target remote 127.0.0.1:$port'"
		[ -n "$note" ] && echo "$note"
	fi
	local extra=()
	read -r -a extra <<<"${PV_QEMU_EXTRA:-}"
	exec "$qemu" "${args[@]}" "${extra[@]}"
}
