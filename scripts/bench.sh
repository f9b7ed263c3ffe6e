#!/usr/bin/env bash
# Benchmarks: every board that has a bench configuration (platforms/<board>/bench.config, a Kconfig
# fragment) is built in benchmark mode and run with instruction counting (the board's run.sh
# honours PV_BENCH=1). The guest prints "BENCH <name> <value> ns <iterations>"; under instruction
# counting 1 ns = 1 instruction. Writes build/bench/results.json and prints a table.
# usage: bench.sh [platform...]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/bench
mkdir -p "$out"

if [ $# -gt 0 ]; then
	platforms=("$@")
else
	platforms=()
	for f in "$root"/platforms/*/bench.config; do
		[ -e "$f" ] && platforms+=("$(basename "$(dirname "$f")")")
	done
fi
if [ ${#platforms[@]} -eq 0 ]; then
	echo "bench: no board has a bench configuration yet (platforms/<board>/bench.config)" >&2
	exit 1
fi

status=0
json="{"
sep=""
printf '%-24s %-14s %12s %8s\n' board benchmark instructions iters
for p in "${platforms[@]}"; do
	build=$root/build/bench-$p
	mkdir -p "$build"
	seed=$(cat "$root/platforms/$p/defconfig" "$root/platforms/$p/bench.config")
	if [ ! -f "$build/.config.seed" ] || [ "$seed" != "$(cat "$build/.config.seed")" ]; then
		printf '%s\n' "$seed" >"$build/.config"
		printf '%s\n' "$seed" >"$build/.config.seed"
	fi
	if ! "$root/scripts/build-image.sh" "$p" "$build" >"$out/$p.build.log" 2>&1; then
		echo "bench: building $p failed (see $out/$p.build.log)" >&2
		status=1
		continue
	fi
	PV_BENCH=1 timeout 600 "$root/platforms/$p/run.sh" "$build" >"$out/$p.log" 2>&1 </dev/null
	lines=$(tr -d '\r' <"$out/$p.log" | grep -oE 'BENCH [a-z_]+ [0-9.]+ ns [0-9]+')
	if [ -z "$lines" ] && grep -q "no hardware virtualization" "$out/$p.log"; then
		# e.g. loongarch64 on a QEMU without LVZ: nothing to measure, and not a failure.
		echo "bench: $p skipped: its emulator offers no hardware virtualization (see $out/$p.log)" >&2
		continue
	fi
	if [ -z "$lines" ]; then
		echo "bench: $p printed no BENCH line (see $out/$p.log)" >&2
		status=1
		continue
	fi
	json+="$sep\"$p\": {"
	sep2=""
	while read -r _ name value _ iters; do
		printf '%-24s %-14s %12s %8s\n' "$p" "$name" "$value" "$iters"
		json+="$sep2\"$name\": {\"instructions\": $value, \"iterations\": $iters}"
		sep2=", "
	done <<<"$lines"
	json+="}"
	sep=", "
done
json+="}"
echo "$json" >"$out/results.json"
echo "results: $out/results.json"
exit $status
