#!/usr/bin/env bash
# docs/porting.md's first stage, followed in a temporary copy of the tree ("Checking this guide"):
# a stub backend, stub64 (the aarch64 ISA under a new name, built with clang-19), whose vcpu_ops
# members are all NULL and which has no guest-suite layer, and a board for it, qemu-virt-stub64
# (QEMU virt without EL2), with run.sh, boot.expect, tests.cmake and a bench.config. Checks:
#  - its C files need no formatting; the image builds warning-free, boots to the banner the guide
#    shows and powers off (scripts/system-test.sh); the host test tree takes its system test;
#  - the commands skip what the board cannot do, saying why, and do not fail: bench.sh (no hardware
#    virtualization, no guest-suite layer, emulator not installed, no run.sh), system-test.sh
#    (exit status 77), ./pv run (no run.sh).
# usage: stub-port.sh <source root>
set -uo pipefail
src=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/tree
board=qemu-virt-stub64
bdir=$root/platforms/$board
failures=0

ok() { echo "ok   $*"; }
fail() {
	echo "FAIL $*"
	failures=$((failures + 1))
}
# expect <name> <exit status> <regex the output must match> <command...>
expect() {
	local name=$1 want=$2 re=$3 rc
	shift 3
	"$@" >"$work/out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -ne "$want" ] || { [ -n "$re" ] && ! grep -Eq -- "$re" "$work/out"; }; then
		fail "$name: exit $rc (expected $want), output (expected to match '$re'):"
		tail -n 25 "$work/out"
	else
		ok "$name"
	fi
}

# The tree as it is, without build trees or repository metadata.
mkdir -p "$root"
tar -C "$src" --exclude=./build --exclude=./.git -cf - . | tar -C "$root" -xf -
mkdir -p "$root/arch/stub64" "$bdir"

cat >"$root/arch/stub64/Kconfig" <<'EOF'
config ARCH_STUB64
	bool
	help
	  A porting stub: an aarch64 CPU at EL1 under a new architecture name, built with clang.

config ARCH
	default "stub64" if ARCH_STUB64

config ARCH_CLANG_TARGET
	default "aarch64-unknown-none-elf" if ARCH_STUB64
EOF
cat >"$root/arch/stub64/CMakeLists.txt" <<'EOF'
set(stub64_flags -march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics)
target_compile_options(pv_image_flags INTERFACE ${stub64_flags} -fno-asynchronous-unwind-tables
  -fno-unwind-tables)
target_link_options(pv_image_flags INTERFACE ${stub64_flags})
target_sources(polyvisor PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/entry.S
  ${CMAKE_CURRENT_SOURCE_DIR}/boot.c
  ${CMAKE_CURRENT_SOURCE_DIR}/cpu.c
  ${CMAKE_CURRENT_SOURCE_DIR}/backend.c
  ${CMAKE_CURRENT_SOURCE_DIR}/vm_desc.c)
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/polyvisor.ld.in ${CMAKE_CURRENT_BINARY_DIR}/polyvisor.ld
  @ONLY)
target_link_options(polyvisor PRIVATE -T ${CMAKE_CURRENT_BINARY_DIR}/polyvisor.ld)
set_property(TARGET polyvisor APPEND PROPERTY LINK_DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/polyvisor.ld)
EOF
cat >"$root/arch/stub64/polyvisor.ld.in" <<'EOF'
OUTPUT_ARCH(aarch64)
ENTRY(_start)
SECTIONS
{
	. = @CONFIG_PLATFORM_LOAD_ADDR@;
	__pv_image_start = .;
	.text : { KEEP(*(.text.boot)) *(.text .text.*) }
	.rodata : ALIGN(4096) { *(.rodata .rodata.*) }
	.data : ALIGN(4096) { *(.data .data.*) }
	.bss : ALIGN(16) {
		__pv_bss_start = .;
		*(.bss .bss.*) *(COMMON)
		. = ALIGN(16);
		__pv_bss_end = .;
		. += @CONFIG_BOOT_STACK_SIZE@;
		__stub64_stack_top = .;
	}
	. = ALIGN(4096);
	__pv_image_end = .;
	/DISCARD/ : { *(.comment) *(.note .note.*) *(.eh_frame .eh_frame_hdr) }
}
EOF
cat >"$root/arch/stub64/entry.S" <<'EOF'
/* QEMU starts the image at EL1, MMU off, x0 = 0: one stack, .bss zeroed, vectors, then C. */
	.section .text.boot, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mov	x19, x0
	ldr	x1, =__stub64_stack_top
	mov	sp, x1
	ldr	x1, =__pv_bss_start
	ldr	x2, =__pv_bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	adr	x1, stub64_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	stub64_boot
3:	wfe
	b	3b
	.ltorg

	.text
	.balign 2048
stub64_vectors:
	.rept 16
	.balign 128
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	bl	stub64_exception
	.endr
EOF
cat >"$root/arch/stub64/boot.c" <<'EOF'
// SPDX-License-Identifier: MIT
/* stub64: the memory map from the device tree QEMU leaves at the start of RAM, then the core. */
#include <hal/boot.h>
#include <hal/hal.h>

/* Called from entry.S. */
PV_NORETURN void stub64_boot(uint64_t dtb);
PV_NORETURN void stub64_exception(uint64_t esr, uint64_t elr);

static struct boot_info stub64_boot_info;

void stub64_boot(uint64_t dtb)
{
	struct boot_info *bi = &stub64_boot_info;
	/* QEMU passes no pointer to an ELF image; it copies the DTB to the start of RAM. */
	const void *fdt = (const void *)(uintptr_t)(dtb ? dtb : CONFIG_STUB64_DTB_ADDR);
	int err = boot_fdt_memory(fdt, bi);

	if (err)
		hal_panic("no usable device tree at %p: %s", fdt, pv_strerror(err));
	bi->boot_cpu = 0;
	hv_main(bi);
}

void stub64_exception(uint64_t esr, uint64_t elr)
{
	hal_panic("stub64: exception, ESR 0x%llx at 0x%llx", (unsigned long long)esr,
		  (unsigned long long)elr);
}
EOF
cat >"$root/arch/stub64/cpu.c" <<'EOF'
// SPDX-License-Identifier: MIT
/* stub64's hal_cpu: one CPU, the generic timer's counter, no interrupts taken. */
#include <hal/hal.h>

static unsigned stub64_cpu_id(void)
{
	return 0;
}

static uint64_t stub64_timer_now(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t stub64_timer_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* No guest runs, so nothing waits for a deadline. */
static void stub64_timer_arm(uint64_t deadline)
{
	(void)deadline;
}

static void stub64_ipi_send(unsigned cpu)
{
	(void)cpu;
}

static void stub64_tlb_flush_all(void)
{
	__asm__ volatile("dsb ishst; tlbi vmalle1; dsb ish; isb" ::: "memory");
}

/* The MMU and caches are off: memory is already the point of coherency. */
static void stub64_dcache_clean_inval(void *va, size_t len)
{
	(void)va;
	(void)len;
}

static void stub64_wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

const struct hal_cpu_ops hal_cpu = {
	.arch_name = "stub64",
	.cpu_id = stub64_cpu_id,
	.timer_now = stub64_timer_now,
	.timer_freq = stub64_timer_freq,
	.timer_arm = stub64_timer_arm,
	.ipi_send = stub64_ipi_send,
	.tlb_flush_all = stub64_tlb_flush_all,
	.dcache_clean_inval = stub64_dcache_clean_inval,
	.wait_for_interrupt = stub64_wait_for_interrupt,
};
EOF
cat >"$root/arch/stub64/backend.c" <<'EOF'
// SPDX-License-Identifier: MIT
/* The stub64 backend as the core sees it: no vCPU operation yet, so no guest runs. */
#include <hal/arch_backend.h>

static const struct vcpu_ops stub64_vcpu_ops = {
	.probe = NULL,
};

const struct arch_backend arch_backend = {
	.name = "stub64",
	.vcpu = &stub64_vcpu_ops,
};
EOF
cat >"$root/arch/stub64/vm_desc.c" <<'EOF'
// SPDX-License-Identifier: MIT
/* What a stub64 VM would look like to its guest: ELF guests for EM_AARCH64, 4 KiB RAM alignment. */
#include <vm/arch_vm_desc.h>

#define STUB64_EM_AARCH64 183

const struct arch_vm_desc arch_vm_desc = {
	.elf_machine = STUB64_EM_AARCH64,
	.ram_align = HAL_PAGE_SIZE,
};
EOF
cat >"$bdir/Kconfig.platform" <<'EOF'
config PLATFORM_QEMU_VIRT_STUB64
	bool "QEMU virt, aarch64 at EL1 (porting stub, no guests)"
	select ARCH_STUB64
EOF
cat >"$bdir/Kconfig" <<'EOF'
config PLATFORM
	default "qemu-virt-stub64" if PLATFORM_QEMU_VIRT_STUB64

if PLATFORM_QEMU_VIRT_STUB64

config PLATFORM_LOAD_ADDR
	hex "Physical load address of the hypervisor image"
	default 0x40200000

config PLATFORM_UART_BASE
	hex "PL011 UART base"
	default 0x09000000

config STUB64_DTB_ADDR
	hex "Where QEMU leaves the device tree"
	default 0x40000000

endif
EOF
echo "CONFIG_PLATFORM_QEMU_VIRT_STUB64=y" >"$bdir/defconfig"
# shellcheck disable=SC2016 # a CMake variable, written as it is
echo 'target_sources(polyvisor PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/board.c)' >"$bdir/CMakeLists.txt"
cat >"$bdir/board.c" <<'EOF'
// SPDX-License-Identifier: MIT
/* QEMU virt without EL2: PL011 console, and QEMU's PSCI answers HVC from EL1. */
#include <drivers/uart.h>
#include <hal/hal.h>

#define STUB64_PSCI_SYSTEM_OFF	 0x84000008u
#define STUB64_PSCI_SYSTEM_RESET 0x84000009u

static const struct pl011 stub64_uart = { .base = CONFIG_PLATFORM_UART_BASE };

static void stub64_console_putc(char c)
{
	pl011_putc(&stub64_uart, c);
}

static PV_NORETURN void stub64_psci(uint32_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	__asm__ volatile("hvc #0" : "+r"(x0)::"memory");
	for (;;)
		__asm__ volatile("wfi");
}

static PV_NORETURN void stub64_power_off(void)
{
	stub64_psci(STUB64_PSCI_SYSTEM_OFF);
}

static PV_NORETURN void stub64_reset(void)
{
	stub64_psci(STUB64_PSCI_SYSTEM_RESET);
}

const struct hal_board_ops hal_board = {
	.name = "qemu-virt-stub64",
	.max_cpus = 1,
	.console_putc = stub64_console_putc,
	.power_off = stub64_power_off,
	.reset = stub64_reset,
};
EOF
# PV_STUB64_QEMU stands for an emulator that is not installed.
cat >"$bdir/run.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
. "$(dirname "$0")/../../scripts/qemu-run.sh"
qemu_run "${PV_STUB64_QEMU:-qemu-system-aarch64}" always "" \
	-M virt -cpu cortex-a57 -m 512M -smp 1 -- "$@"
EOF
chmod +x "$bdir/run.sh"
cat >"$bdir/boot.expect" <<'EOF'
^Polyvisor [0-9.]+: arch stub64, platform qemu-virt-stub64$
^memory: 512 MiB in 1 range\(s\)$
^virtualization: the stub64 backend has no probe yet \[absent\]$
^no hardware virtualization: guests cannot run on this machine$
^no VM configured; powering off$
EOF
cat >"$bdir/tests.cmake" <<'EOF'
pv_system_test(NAME boot PLATFORM qemu-virt-stub64 ARCH stub64
  EXPECT ${CMAKE_CURRENT_LIST_DIR}/boot.expect TIMEOUT 60)
EOF
suite_config=$work/suite.config
printf 'CONFIG_GUEST_SUITE=y\nCONFIG_GUEST_SUITE_BENCH=y\n' >"$suite_config"
# Empty at first: the benchmark tree is then the same configuration as ./pv's and the system
# test's, so one build serves all three (build/bench-<board> is a link to build/<board>).
: >"$bdir/bench.config"

cd "$root" || exit 1
expect "clang-format leaves the stub's C files as they are" 0 "" \
	"$(command -v clang-format-19 || command -v clang-format)" --dry-run --Werror \
	arch/stub64/backend.c arch/stub64/boot.c arch/stub64/cpu.c arch/stub64/vm_desc.c "$bdir/board.c"
expect "the image builds, boots to its banner and powers off" 0 "^PASS: $board" \
	scripts/system-test.sh "$board" "$bdir/boot.expect" 60 "$root/build/$board"
ln -s "$root/build/$board" "$root/build/bench-$board"
expect "the host test tree has the board's system test" 0 "system\.$board\.boot" \
	sh -c "cmake -S '$root' -B '$work/host' -DPV_HOST=ON >/dev/null && ctest --test-dir '$work/host' -N -L stub64"

export PV_STUB64_QEMU=qemu-system-stub64-not-installed
expect "system test, emulator not installed: skipped" 77 "^SKIP: $board: its emulator" \
	scripts/system-test.sh "$board" "$bdir/boot.expect" 60 "$root/build/$board"
expect "bench, emulator not installed: skipped" 0 \
	"^bench: $board skipped: $PV_STUB64_QEMU is not installed" scripts/bench.sh "$board"
unset PV_STUB64_QEMU
expect "bench, no hardware virtualization: skipped" 0 \
	"^bench: $board skipped: its emulator offers no hardware virtualization" scripts/bench.sh "$board"

mv "$bdir/run.sh" "$work/run.sh"
expect "bench, no run.sh: skipped" 0 "^bench: $board skipped: it has no emulator" \
	scripts/bench.sh "$board"
expect "system test, no run.sh: skipped" 77 "^SKIP: $board has no emulator" \
	scripts/system-test.sh "$board" "$bdir/boot.expect" 60 "$root/build/$board"
expect "./pv run, no run.sh: says so" 0 "^pv: $board has no emulator" ./pv run "$board"
mv "$work/run.sh" "$bdir/run.sh"

cp "$suite_config" "$bdir/bench.config"
expect "bench, no guest-suite layer: skipped" 0 \
	"^bench: $board skipped: cannot build the guest suite: stub64 has no guest-suite layer yet" \
	scripts/bench.sh "$board"
expect "system test, no guest-suite layer: skipped" 77 "^SKIP: $board: this configuration" \
	scripts/system-test.sh "$board" "$bdir/boot.expect" 60 "$work/suite-tree" "$suite_config"

[ "$failures" -eq 0 ] && echo "porting: the stub backend and board pass every check"
exit $((failures > 0))
