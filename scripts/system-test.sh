#!/usr/bin/env bash
# Builds a board's image, boots it in its emulator with a time limit and judges the serial log.
# usage: system-test.sh <platform> <expect-file> <timeout-seconds> [build-dir [config-fragment]]
#   expect-file: one extended regex per line (# comments); every one must match some log line,
#                and a line "!<regex>" means no log line may match <regex>. Anchor patterns with
#                ^: a guest's console lines start with "[<vm>] ", so "^PANIC" can only match the
#                hypervisor's own line, whatever a guest prints.
#                A file ending in .console is a script for scripts/console-test.py instead: the
#                test types into the serial console and waits for what it expects, step by step.
#   config-fragment: Kconfig lines appended to the board's defconfig for this build tree.
# Environment: PV_FETCH_GUESTS, guests (scripts/fetch-guest.sh names) to fetch before building;
# PV_TEST_HOOK, a command (split on spaces) run as "<hook> prepare <build-dir>" before the emulator
# starts and "<hook> check <build-dir> <clean log>" after the log was judged (for what the log
# cannot show, e.g. a disk image the guest wrote); either failing fails the test.
# A hypervisor line starting "PANIC" fails the test, as do a time-out and a missing expectation.
# Exit status 77 (ctest: skipped), with a SKIP line saying why, when the board cannot run the test
# here: it has no emulator (no run.sh), its emulator is not installed (run.sh exits 77), or the
# configuration needs a guest-suite layer its architecture does not have yet (build-image.sh).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
platform=$1 expect=$2 limit=$3
build=${4:-$root/build/$platform}
fragment=${5:-}
log=$build/serial.log

if [ ! -x "$root/platforms/$platform/run.sh" ]; then
	echo "SKIP: $platform has no emulator (no platforms/$platform/run.sh)"
	exit 77
fi

# Test trees follow the board's defconfig (and fragment): when either changed since the tree's
# .config was seeded, the tree is seeded again (a test tree keeps no hand edits).
mkdir -p "$build"
seed=$(cat "$root/platforms/$platform/defconfig" ${fragment:+"$fragment"})
if [ ! -f "$build/.config.seed" ] || [ "$seed" != "$(cat "$build/.config.seed")" ]; then
	printf '%s\n' "$seed" >"$build/.config"
	printf '%s\n' "$seed" >"$build/.config.seed"
fi

for guest in ${PV_FETCH_GUESTS:-}; do
	"$root/scripts/fetch-guest.sh" "$guest" >/dev/null || { echo "FAIL: cannot fetch $guest"; exit 1; }
done
"$root/scripts/build-image.sh" "$platform" "$build"
rc=$?
if [ "$rc" -eq 77 ]; then
	echo "SKIP: $platform: this configuration cannot be built yet (see above)"
	exit 77
fi
[ "$rc" -eq 0 ] || { echo "FAIL: image build failed"; exit 1; }

hook=()
read -r -a hook <<<"${PV_TEST_HOOK:-}"
if [ ${#hook[@]} -gt 0 ] && ! "${hook[@]}" prepare "$build"; then
	echo "FAIL: the test's preparation failed (${hook[*]} prepare)"
	exit 1
fi

echo "running $platform (time limit ${limit}s), log in $log"
if [ "${expect%.console}" != "$expect" ]; then
	# No instruction counting: QEMU 7.2's -icount sleep=off stops serving its serial input
	# while every CPU idles with no timer armed, which is what guests waiting for typing do.
	PV_ICOUNT=0 python3 "$root/scripts/console-test.py" "$expect" "$log" -- \
		timeout --kill-after=5 "$limit" "$root/platforms/$platform/run.sh" "$build"
	rc=$?
	if tr -d '\r' <"$log" | grep -q "^PANIC"; then
		echo "FAIL: the hypervisor panicked"
		rc=1
	fi
	exit "$rc"
fi
timeout --kill-after=5 "$limit" "$root/platforms/$platform/run.sh" "$build" >"$log" 2>&1 </dev/null
rc=$?
cat "$log"
echo "----"
if [ "$rc" -eq 77 ]; then
	echo "SKIP: $platform: its emulator is not available (see above)"
	exit 77
fi
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "FAIL: $platform did not power off within ${limit}s"
	exit 1
fi

failed=0
clean=$build/serial.clean.log
tr -d '\r' <"$log" >"$clean"
if grep -q "^PANIC" "$clean"; then
	echo "FAIL: the hypervisor panicked"
	failed=1
fi
while IFS= read -r pattern; do
	case "$pattern" in
	'' | '#'*) continue ;;
	'!'*)
		if grep -Eq -- "${pattern#!}" "$clean"; then
			echo "FAIL: a line matches the forbidden: ${pattern#!}"
			failed=1
		fi
		continue
		;;
	esac
	if ! grep -Eq -- "$pattern" "$clean"; then
		echo "FAIL: no line matches: $pattern"
		failed=1
	fi
done <"$expect"
if [ ${#hook[@]} -gt 0 ] && ! "${hook[@]}" check "$build" "$clean"; then
	echo "FAIL: the test's own check failed (${hook[*]} check)"
	failed=1
fi
[ "$failed" -eq 0 ] && echo "PASS: $platform: every expectation of $(basename "$expect") matched"
exit "$failed"
