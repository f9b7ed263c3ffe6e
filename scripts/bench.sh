#!/usr/bin/env bash
# Benchmarks, all under instruction counting (1 ns of guest time = 1 instruction):
#  - exit paths: every board with a bench configuration (platforms/<board>/bench.config, a Kconfig
#    fragment) is built in benchmark mode and run with PV_BENCH=1; the guest suite prints
#    "BENCH-PLAN <name>..." and then "BENCH <name> <value> ns <iterations>" per figure, and
#    scripts/bench-judge.sh judges the log (a run that stopped half way fails, naming the missing
#    figures).
#  - Linux boot: a board with platforms/<board>/bench-linux.env boots the Linux guest it names in
#    a one-vCPU VM and the same kernel, initramfs, command line and device tree (the one the VM is
#    given, from pv-vmdesc) on the bare machine, so both boot the same devices; both print
#    the guest's counter at /init ("polyvisor-init: counter N", counted from the guest's first
#    instruction). The hypervisor's "loaded N bytes in T ticks" gives the cost of loading images.
#    Limits: Linux under Polyvisor at most 3% more than bare; loading at most one instruction per
#    four bytes. A figure over its limit, or a board that printed fewer figures than expected,
#    fails the run.
#  - Inter-VM network: a board with platforms/<board>/bench-net.config runs two Linux VMs on one
#    virtual switch (virtio-net): the round-trip time of ping (inter_vm_rtt_us, microseconds of
#    guest time) and the throughput of 16 MiB sent through busybox nc (inter_vm_mbps, MB/s of
#    guest time, counted by the receiver from its first byte to its last).
#  - Passthrough: a board with platforms/<board>/bench-passthru.config runs the guest suite's
#    virtio-blk benchmark (guests/suite/vblk.c) in one VM on two disks with the same image: the
#    emulator's own virtio-blk device passed through to the VM (its "# qemu:" line gives the
#    emulator options, @GUESTS@ the guest cache) and the hypervisor's emulated virtio-blk. It
#    prints each disk's interrupt latency (pt_irq_latency, emu_irq_latency: from the guest's
#    queue notification of a request the device completes at once to its interrupt handler)
#    and guest time per MiB read in 64 KiB requests (pt_read_per_mib, emu_read_per_mib), which
#    this script also gives as MiB/s of guest time (pt_read_mibps, emu_read_mibps). Under
#    instruction counting the emulator's own work costs no guest time: what the read figures
#    compare is the time the VM and the hypervisor spend per request (the emulated device
#    copies the data, the passed-through one does it by DMA).
# A board that cannot be measured here is skipped with a line saying why, and does not fail the
# run: it has no emulator (no run.sh) or its emulator is not installed (run.sh exits 77), its
# emulator offers no hardware virtualization, or its architecture has no guest-suite layer yet
# (build-image.sh exits 77).
# Writes build/bench/results.json and prints a table.
# usage: bench.sh [platform...]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/bench
mkdir -p "$out"

if [ $# -gt 0 ]; then
	platforms=("$@")
else
	platforms=()
	for f in "$root"/platforms/*/bench.config "$root"/platforms/*/bench-linux.env \
		"$root"/platforms/*/bench-net.config "$root"/platforms/*/bench-passthru.config; do
		[ -e "$f" ] || continue
		p=$(basename "$(dirname "$f")")
		case " ${platforms[*]} " in *" $p "*) ;; *) platforms+=("$p") ;; esac
	done
fi
if [ ${#platforms[@]} -eq 0 ]; then
	echo "bench: no board has a bench configuration yet (platforms/<board>/bench.config)" >&2
	exit 1
fi

status=0
json="{"
sep=""
skipped="" # why a benchmark that returned false skipped its board ("" when it failed)

# build <platform> <build dir> <fragment>: a build tree seeded from the defconfig and the fragment.
build() {
	local p=$1 build=$2 fragment=$3 seed
	mkdir -p "$build"
	seed=$(cat "$root/platforms/$p/defconfig" "$fragment")
	if [ ! -f "$build/.config.seed" ] || [ "$seed" != "$(cat "$build/.config.seed")" ]; then
		printf '%s\n' "$seed" >"$build/.config"
		printf '%s\n' "$seed" >"$build/.config.seed"
	fi
	"$root/scripts/build-image.sh" "$p" "$build" >"$out/$p.build.log" 2>&1
	case $? in
	0) ;;
	77)
		skipped=$(tail -n 1 "$out/$p.build.log" | sed 's/^build-image: [^:]*: //')
		return 1
		;;
	*)
		echo "bench: building $p failed (see $out/$p.build.log)" >&2
		return 1
		;;
	esac
}

# emulator_ran <status> <log>: after run.sh exited with <status>, having written <log>; false
# when the board's emulator is not installed (status 77).
emulator_ran() {
	[ "$1" -ne 77 ] && return 0
	skipped=$(tail -n 1 "$2" | sed 's/^run.sh: //')
	return 1
}

# The guest's counter frequency in Hz, from the hypervisor's "loaded ... ticks of F Hz" line.
counter_hz() {
	grep -oE 'ticks of [0-9]+ Hz' "$1" | head -n 1 | awk '{print $3}'
}

# Instructions for <ticks> of a counter at <hz> under instruction counting (1 instruction = 1 ns).
ticks_to_insns() {
	awk -v t="$1" -v hz="$2" 'BEGIN { printf "%.0f", t * 1e9 / hz }'
}

# The mean of integers, rounded to an integer.
mean() {
	printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.0f\n", s / NR }'
}

entries=""
add() { # add <name> <json object>
	entries+="${entries:+, }\"$1\": $2"
}

bench_suite() {
	local p=$1
	local build=$root/build/bench-$p rc figures
	build "$p" "$build" "$root/platforms/$p/bench.config" || return 1
	PV_BENCH=1 timeout 600 "$root/platforms/$p/run.sh" "$build" >"$out/$p.log" 2>&1 </dev/null
	emulator_ran $? "$out/$p.log" || return 1
	"$root/scripts/bench-judge.sh" "$p" "$out/$p.log" "$out/$p.json"
	rc=$?
	figures=$(cat "$out/$p.json")
	[ -n "$figures" ] && entries+="${entries:+, }$figures"
	[ "$rc" -ne 1 ] # 2: skipped, not a failure
}

# run_until <log> <regex> <command...>: runs the command with its output in <log> and stops it
# (SIGTERM, which timeout(1) passes on) when a line of <log> matches <regex>.
run_until() {
	local log=$1 pattern=$2 pid
	shift 2
	: >"$log" # there before the first look at it
	"$@" >"$log" 2>&1 </dev/null &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if grep -qE -- "$pattern" "$log"; then
			kill "$pid" 2>/dev/null
			break
		fi
		sleep 1
	done
	wait "$pid"
}

bench_linux() {
	local p=$1
	local build=$root/build/bench-linux-$p log=$out/$p.linux.log bare=$out/$p.linux-bare.log
	local BENCH_LINUX_GUEST BENCH_LINUX_CONFIG BENCH_LINUX_BARE_MACHINE
	local dir bootargs ram_mib hz ticks bare_ticks bytes load_ticks insns bare_insns load_insns ratio per4
	# shellcheck source=/dev/null
	. "$root/platforms/$p/bench-linux.env"
	dir=$("$root/scripts/fetch-guest.sh" "$BENCH_LINUX_GUEST") || return 1
	build "$p" "$build" "$root/platforms/$p/$BENCH_LINUX_CONFIG" || return 1
	bootargs=$("$build/tools/pv-vmdesc" show "$build/vms/vms.pkg" | awk '/^  bootargs / {
		sub(/^  bootargs  /, ""); print; exit }')
	"$build/tools/pv-vmdesc" dtb "$build/vms/vms.pkg" linux -o "$out/$p.linux.dtb" || return 1
	# As much RAM as the VM has: memory initialisation is a large part of a boot.
	ram_mib=0
	while read -r lo hi; do
		ram_mib=$((ram_mib + ((hi - lo + 1) >> 20)))
	done < <("$build/tools/pv-vmdesc" show "$build/vms/vms.pkg" |
		sed -nE 's/^  ram +(0x[0-9a-f]+)-(0x[0-9a-f]+)$/\1 \2/p')
	# Linux's boot is not repeatable to the instruction, not even on the bare machine: a riscv64
	# boot's count falls near one of two values 3% apart (8.9 or 9.2 M ticks), bare and under
	# Polyvisor alike, as the kernel's path depends on the random seed each run gets. So both
	# sides boot several times, alternately, and their means are compared (a median would jump
	# from one value to the other).
	local runs=${PV_BENCH_LINUX_RUNS:-5} i t samples=() bare_samples=()
	for ((i = 1; i <= runs; i++)); do
		PV_BENCH=1 timeout 900 "$root/platforms/$p/run.sh" "$build" >"$log.$i" 2>&1 </dev/null
		emulator_ran $? "$log.$i" || return 1
		# The VM's device tree may give the bare machine's firmware no way to power off
		# (riscv64: OpenSBI finds no reset device in it): the bare run is stopped once /init
		# is done.
		PV_BENCH=1 PV_BARE_KERNEL=$dir/Image PV_BARE_INITRD=$dir/initrd.cpio \
			PV_BARE_APPEND=$bootargs PV_BARE_DTB=$out/$p.linux.dtb \
			PV_BARE_MACHINE="$BENCH_LINUX_BARE_MACHINE -m ${ram_mib}M" \
			run_until "$bare.$i" 'polyvisor-init: done' timeout 900 "$root/platforms/$p/run.sh" "$build"
		t=$(tr -d '\r' <"$log.$i" | grep -oE '^\[linux\] polyvisor-init: counter [0-9]+' |
			awk '{print $4}')
		[ -n "$t" ] && samples+=("$t")
		t=$(tr -d '\r' <"$bare.$i" | grep -oE '^polyvisor-init: counter [0-9]+' | awk '{print $3}')
		[ -n "$t" ] && bare_samples+=("$t")
	done
	cp "$log.1" "$log"
	cp "$bare.1" "$bare"
	hz=$(counter_hz "$log")
	read -r bytes load_ticks < <(grep -oE '^vm linux: loaded [0-9]+ bytes in [0-9]+ ticks' "$log" |
		awk '{print $4, $7}')
	if [ -z "$hz" ] || [ ${#samples[@]} -ne "$runs" ] || [ ${#bare_samples[@]} -ne "$runs" ] ||
		[ -z "$bytes" ]; then
		echo "bench: $p: the Linux boot figures are missing (see $log.N and $bare.N)" >&2
		return 1
	fi
	ticks=$(mean "${samples[@]}")
	bare_ticks=$(mean "${bare_samples[@]}")
	insns=$(ticks_to_insns "$ticks" "$hz")
	bare_insns=$(ticks_to_insns "$bare_ticks" "$hz")
	load_insns=$(ticks_to_insns "$load_ticks" "$hz")
	ratio=$(awk -v a="$insns" -v b="$bare_insns" 'BEGIN { printf "%.4f", a / b }')
	per4=$(awk -v i="$load_insns" -v b="$bytes" 'BEGIN { printf "%.3f", i / (b / 4) }')
	echo "bench: $p: Linux boot counter ticks at $hz Hz, under Polyvisor: ${samples[*]};" \
		"bare: ${bare_samples[*]}" >&2
	printf '%-24s %-16s %12s %8s\n' "$p" linux_boot "$insns" "$runs"
	printf '%-24s %-16s %12s %8s\n' "$p" linux_boot_bare "$bare_insns" "$runs"
	printf '%-24s %-16s %12s %8s\n' "$p" linux_boot_ratio "$ratio" ""
	printf '%-24s %-16s %12s %8s\n' "$p" load_per_4_bytes "$per4" "$bytes"
	add linux_boot "{\"instructions\": $insns, \"bare_instructions\": $bare_insns, \"ratio\": $ratio, \"runs\": $runs, \"counter_hz\": $hz, \"ticks\": [$(IFS=,; echo "${samples[*]}")], \"bare_ticks\": [$(IFS=,; echo "${bare_samples[*]}")]}"
	add load "{\"instructions\": $load_insns, \"bytes\": $bytes, \"per_4_bytes\": $per4}"
	if awk -v r="$ratio" 'BEGIN { exit !(r > 1.03) }'; then
		echo "bench: $p: Linux boots with ${ratio}x the bare instructions (limit 1.03)" >&2
		return 1
	fi
	if awk -v r="$per4" 'BEGIN { exit !(r > 1.0) }'; then
		echo "bench: $p: loading takes $per4 instructions per 4 bytes (limit 1.0)" >&2
		return 1
	fi
}

bench_net() {
	local p=$1
	local build=$root/build/bench-net-$p log=$out/$p.net.log guest g hz bytes ticks rtt mbps rtt_us
	guest=$(sed -n 's/^# guests: *//p' "$root/platforms/$p/bench-net.config")
	for g in $guest; do
		"$root/scripts/fetch-guest.sh" "$g" >/dev/null || return 1
	done
	build "$p" "$build" "$root/platforms/$p/bench-net.config" || return 1
	PV_BENCH=1 timeout 1800 "$root/platforms/$p/run.sh" "$build" >"$log" 2>&1 </dev/null
	hz=$(counter_hz "$log")
	read -r bytes ticks < <(tr -d '\r' <"$log" |
		sed -nE 's/^\[b\] polyvisor-net: received ([0-9]+) bytes in ([0-9]+) ticks$/\1 \2/p')
	rtt=$(tr -d '\r' <"$log" |
		sed -nE 's|^\[a\] polyvisor-net: round-trip min/avg/max = [0-9.]+/([0-9.]+)/.*|\1|p')
	if [ -z "$hz" ] || [ -z "$bytes" ] || [ -z "$ticks" ] || [ "$ticks" = 0 ] || [ -z "$rtt" ]; then
		echo "bench: $p: the inter-VM network figures are missing (see $log)" >&2
		return 1
	fi
	mbps=$(awk -v b="$bytes" -v t="$ticks" -v hz="$hz" 'BEGIN { printf "%.2f", b / (t / hz) / 1e6 }')
	rtt_us=$(awk -v r="$rtt" 'BEGIN { printf "%.1f", r * 1000 }')
	printf '%-24s %-16s %12s %8s\n' "$p" inter_vm_mbps "$mbps" "$bytes"
	printf '%-24s %-16s %12s %8s\n' "$p" inter_vm_rtt_us "$rtt_us" 10
	add inter_vm "{\"mbps\": $mbps, \"bytes\": $bytes, \"ticks\": $ticks, \"rtt_us\": $rtt_us}"
}

bench_passthru() {
	local p=$1 cfg=$root/platforms/$1/bench-passthru.config
	local build=$root/build/bench-passthru-$p log=$out/$p.passthru.log g qemu cache rc figures
	for g in $(sed -n 's/^# guests: *//p' "$cfg"); do
		"$root/scripts/fetch-guest.sh" "$g" >/dev/null || return 1
	done
	cache=$("$root/scripts/cache-dir.sh")/guests
	qemu=$(sed -n 's/^# qemu: *//p' "$cfg")
	qemu=${qemu//@GUESTS@/$cache}
	build "$p" "$build" "$cfg" || return 1
	PV_BENCH=1 PV_QEMU_EXTRA="$qemu" timeout 600 "$root/platforms/$p/run.sh" "$build" >"$log" 2>&1 </dev/null
	emulator_ran $? "$log" || return 1
	"$root/scripts/bench-judge.sh" "$p" "$log" "$out/$p.passthru.json"
	rc=$?
	figures=$(cat "$out/$p.passthru.json")
	[ -n "$figures" ] && entries+="${entries:+, }$figures"
	[ "$rc" -eq 0 ] || return 1
	for d in pt emu; do
		local per mibps
		per=$(tr -d '\r' <"$log" | sed -nE "s/.*BENCH ${d}_read_per_mib ([0-9.]+) ns .*/\1/p")
		mibps=$(awk -v n="$per" 'BEGIN { printf "%.1f", 1e9 / n }')
		printf '%-24s %-16s %12s %8s\n' "$p" "${d}_read_mibps" "$mibps" ""
		add "${d}_read_mibps" "{\"mib_per_s\": $mibps}"
	done
}

# skip_said <board>: after a benchmark of <board> returned false: true, having said why, when
# it skipped the board; false when it failed.
skip_said() {
	[ -n "$skipped" ] || return 1
	echo "bench: $1 skipped: $skipped" >&2
	skipped=""
}

printf '%-24s %-16s %12s %8s\n' board benchmark instructions iters
for p in "${platforms[@]}"; do
	entries=""
	if [ ! -x "$root/platforms/$p/run.sh" ]; then
		echo "bench: $p skipped: it has no emulator (no platforms/$p/run.sh)" >&2
		continue
	fi
	if [ -f "$root/platforms/$p/bench.config" ]; then
		bench_suite "$p" || skip_said "$p" || status=1
	elif [ ! -f "$root/platforms/$p/bench-linux.env" ]; then
		echo "bench: $p has no benchmark (platforms/$p/bench.config, bench-linux.env)" >&2
	fi
	if [ -f "$root/platforms/$p/bench-linux.env" ]; then
		bench_linux "$p" || skip_said "$p" || status=1
	fi
	if [ -f "$root/platforms/$p/bench-net.config" ]; then
		bench_net "$p" || skip_said "$p" || status=1
	fi
	if [ -f "$root/platforms/$p/bench-passthru.config" ]; then
		bench_passthru "$p" || skip_said "$p" || status=1
	fi
	if [ -n "$entries" ]; then
		json+="$sep\"$p\": {$entries}"
		sep=", "
	fi
done
json+="}"
echo "$json" >"$out/results.json"
echo "results: $out/results.json"
exit $status
