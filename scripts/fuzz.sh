#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of tests/fuzz/ (docs/fuzzing.md) in build/fuzz.
# usage: fuzz.sh build                          configure (clang-19) and build every target
#        fuzz.sh list                           the targets
#        fuzz.sh check <target> [seconds]       a short run from the seeds (ctest; default 3 s)
#        fuzz.sh run [target...] [seconds]      longer runs (default every target, 600 s each),
#                                               keeping each corpus in build/fuzz/corpus/<target>
# A crash leaves its input in build/fuzz/crashes/<target>/ and prints the command that replays it.
# PV_FUZZ_BUILD names another build tree than build/fuzz.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PV_FUZZ_BUILD:-$root/build/fuzz}
cc=${PV_FUZZ_CC:-clang-19}

build_tree() {
	local gen=() log=$build/build.log
	command -v ninja >/dev/null && gen=(-G Ninja)
	mkdir -p "$build"
	if ! { cmake -S "$root" -B "$build" "${gen[@]}" -DPV_FUZZ=ON -DCMAKE_C_COMPILER="$cc" &&
		cmake --build "$build"; } >"$log" 2>&1; then
		cat "$log" >&2
		echo "fuzz: building $build failed" >&2
		exit 1
	fi
}

targets() {
	[ -f "$build/targets.txt" ] || build_tree
	grep -v '^$' "$build/targets.txt"
}

known() {
	targets | grep -qx "$1" || {
		echo "fuzz: no target '$1' (targets: $(targets | tr '\n' ' '))" >&2
		exit 2
	}
}

# fuzz_one <target> <seconds> <corpus dir>: one libFuzzer run; prints a summary line and, on a
# crash, the input and the command that replays it. Returns libFuzzer's status.
fuzz_one() {
	local t=$1 secs=$2 corpus=$3 bin=$build/fuzz_$1 log=$build/logs/$1.log
	local crashes=$build/crashes/$1 opts=() dirs=("$corpus") rc=0
	mkdir -p "$corpus" "$crashes" "$build/logs"
	for d in "$root/tests/fuzz/seeds/$t" "$build/seeds/$t"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	[ -f "$root/tests/fuzz/$t.dict" ] && opts+=(-dict="$root/tests/fuzz/$t.dict")
	UBSAN_OPTIONS=print_stacktrace=1 "$bin" -max_total_time="$secs" -timeout=30 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" "${opts[@]}" \
		"${dirs[@]}" >"$log" 2>&1 || rc=$?
	local last runs
	last=$(grep -E '^#[0-9]+.*cov:' "$log" | tail -n 1 || true)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ $rc -eq 0 ]; then
		printf 'fuzz %s: %s runs in %s s, %s, corpus %s files: no crash\n' "$t" "${runs:-?}" \
			"$secs" "$(echo "$last" | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo 'cov: ?')" \
			"$(find "$corpus" -type f | wc -l)"
		return 0
	fi
	local input
	input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	grep -E 'ERROR|invariant|runtime error|SUMMARY' "$log" | head -n 5 >&2 || true
	echo "fuzz $t: FAILED after $(echo "$last" | grep -oE '^#[0-9]+' || echo '#0') runs (log $log)" >&2
	if [ -n "$input" ]; then
		echo "fuzz $t: input $input" >&2
		echo "fuzz $t: reproduce with: $bin $input" >&2
	fi
	return $rc
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
build)
	build_tree
	;;
list)
	targets
	;;
check)
	[ $# -ge 1 ] || { echo "usage: fuzz.sh check <target> [seconds]" >&2; exit 2; }
	known "$1"
	# A fresh scratch corpus: a check starts from the seeds every time.
	rm -rf "$build/check/$1"
	fuzz_one "$1" "${2:-3}" "$build/check/$1"
	;;
run)
	build_tree
	secs=600 list=()
	for a in "$@"; do
		if [[ $a =~ ^[0-9]+$ ]]; then
			secs=$a
		else
			known "$a"
			list+=("$a")
		fi
	done
	[ ${#list[@]} -gt 0 ] || mapfile -t list < <(targets)
	status=0
	for t in "${list[@]}"; do
		fuzz_one "$t" "$secs" "$build/corpus/$t" || status=1
	done
	exit $status
	;;
*)
	sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
