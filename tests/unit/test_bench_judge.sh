#!/usr/bin/env bash
# scripts/bench-judge.sh on made-up benchmark logs: a complete run passes; a run that stopped
# half way, one without a plan and one without figures fail; a board without hardware
# virtualization is skipped; a round trip with a no-op baseline gets its net figure, added to its
# JSON object without changing the other members. usage: test_bench_judge.sh <bench-judge.sh>
set -uo pipefail
judge=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# expect <name> <exit status> <stderr regex or ""> <log lines...>
expect() {
	local name=$1 want=$2 err=$3 rc
	shift 3
	printf '%s\r\n' "$@" >"$dir/log"
	"$judge" board "$dir/log" "$dir/json" >"$dir/out" 2>"$dir/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL $name: exit $rc, expected $want"
		cat "$dir/err"
		failures=$((failures + 1))
	elif [ -n "$err" ] && ! grep -Eq -- "$err" "$dir/err"; then
		echo "FAIL $name: stderr does not match '$err':"
		cat "$dir/err"
		failures=$((failures + 1))
	else
		echo "ok   $name"
	fi
}

plan='[bench] BENCH-PLAN hypercall_rt mmio_rt virq_latency'
expect complete 0 "" "$plan" '[bench] BENCH hypercall_rt 469.0 ns 10000' \
	'[bench] BENCH mmio_rt 613.0 ns 10000' '[bench] BENCH virq_latency 900.5 ns 10000'
grep -q '"virq_latency": {"instructions": 900.5, "iterations": 10000}' "$dir/json" ||
	{ echo "FAIL complete: JSON: $(cat "$dir/json")"; failures=$((failures + 1)); }
[ "$(wc -l <"$dir/out")" -eq 3 ] || { echo "FAIL complete: table"; failures=$((failures + 1)); }
expect net 0 "" "$plan" '[bench] BENCH-NOOP hypercall_rt 9.0 ns 10000' \
	'[bench] BENCH hypercall_rt 469.0 ns 10000' '[bench] BENCH mmio_rt 613.0 ns 10000' \
	'[bench] BENCH virq_latency 900.5 ns 10000'
grep -q '"hypercall_rt": {"instructions": 469.0, "iterations": 10000, "noop_instructions": 9.0, "net_instructions": 460.0}' "$dir/json" &&
	grep -q '"mmio_rt": {"instructions": 613.0, "iterations": 10000}' "$dir/json" ||
	{ echo "FAIL net: JSON: $(cat "$dir/json")"; failures=$((failures + 1)); }
grep -Eq '^board +hypercall_rt_net +460.0 +10000$' "$dir/out" && [ "$(wc -l <"$dir/out")" -eq 4 ] ||
	{ echo "FAIL net: table: $(cat "$dir/out")"; failures=$((failures + 1)); }
expect half-way 1 'printed 2 of 3 figures; missing: virq_latency' "$plan" \
	'[bench] BENCH hypercall_rt 469.0 ns 10000' '[bench] BENCH mmio_rt 613.0 ns 10000' \
	'qemu-system-loongarch64: Bad icount read'
expect no-plan 1 'no BENCH-PLAN line' '[bench] BENCH hypercall_rt 469.0 ns 10000'
expect nothing 1 'printed no BENCH line' "$plan" 'PANIC on cpu 0'
expect no-virtualization 2 'skipped' 'no hardware virtualization: guests cannot run'
[ "$failures" -eq 0 ] && echo "bench-judge: all cases passed"
exit "$failures"
