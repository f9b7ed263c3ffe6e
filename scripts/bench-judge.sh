#!/usr/bin/env bash
# Judges one board's benchmark log (scripts/bench.sh runs it after each board).
# usage: bench-judge.sh <board> <log> <json-out>
#   Prints a table row per figure on stdout and writes the figures as JSON object members
#   ("<name>": {...}, comma-separated; empty if none) to <json-out>. The guest prints
#   "BENCH-PLAN <name>..." first, then "BENCH <name> <value> ns <iterations>" per figure
#   (guests/suite/bench.c). A round trip the guest also measured with a no-op in place of the
#   trapping instruction ("BENCH-NOOP <name> <value> ns <iterations>") gets a second row,
#   <name>_net, the difference (the way other hypervisors' benchmarks count a round trip), and
#   its JSON object the added fields noop_instructions and net_instructions.
# Exit status: 0 every planned figure printed; 1 failed (no figure, no plan, or fewer figures
# than planned: the emulator stopped half way; the missing ones are named on stderr);
# 2 skipped (the emulator offers no hardware virtualization: nothing to measure).
set -uo pipefail
p=$1 log=$2 json_out=$3

lines=$(tr -d '\r' <"$log" | grep -oE 'BENCH [a-z_]+ [0-9.]+ ns [0-9]+')
noops=$(tr -d '\r' <"$log" | grep -oE 'BENCH-NOOP [a-z_]+ [0-9.]+ ns [0-9]+')
plan=$(tr -d '\r' <"$log" | grep -oE 'BENCH-PLAN( [a-z_]+)+' | head -n 1 | cut -s -d' ' -f2-)
: >"$json_out"
if [ -z "$lines" ] && grep -q "no hardware virtualization" "$log"; then
	# e.g. loongarch64 on a QEMU without LVZ: nothing to measure, and not a failure.
	echo "bench: $p skipped: its emulator offers no hardware virtualization (see $log)" >&2
	exit 2
fi
if [ -z "$lines" ]; then
	echo "bench: $p printed no BENCH line (see $log)" >&2
	exit 1
fi

status=0
missing=()
for name in $plan; do
	grep -q "^BENCH $name " <<<"$lines" || missing+=("$name")
done
if [ -z "$plan" ]; then
	echo "bench: $p printed no BENCH-PLAN line: cannot tell whether it finished (see $log)" >&2
	status=1
elif [ ${#missing[@]} -gt 0 ]; then
	want=$(wc -w <<<"$plan")
	echo "bench: $p printed $((want - ${#missing[@]})) of $want figures;" \
		"missing: ${missing[*]} (see $log)" >&2
	status=1
fi

json=""
while read -r _ name value _ iters; do
	printf '%-24s %-16s %12s %8s\n' "$p" "$name" "$value" "$iters"
	extra=""
	noop=$(awk -v n="$name" '$2 == n { print $3; exit }' <<<"$noops")
	if [ -n "$noop" ]; then
		net=$(awk -v a="$value" -v b="$noop" 'BEGIN { printf "%.1f", a - b }')
		printf '%-24s %-16s %12s %8s\n' "$p" "${name}_net" "$net" "$iters"
		extra=", \"noop_instructions\": $noop, \"net_instructions\": $net"
	fi
	json+="${json:+, }\"$name\": {\"instructions\": $value, \"iterations\": $iters$extra}"
done <<<"$lines"
echo "$json" >"$json_out"
exit $status
