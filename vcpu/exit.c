// SPDX-License-Identifier: MIT
#include <vcpu/exit.h>

const char *vcpu_exit_kind_name(enum vcpu_exit_kind kind)
{
	static const char *const names[VCPU_EXIT_KIND_COUNT] = {
		[VCPU_EXIT_NONE] = "none",
		[VCPU_EXIT_HYPERCALL] = "hypercall",
		[VCPU_EXIT_MMIO] = "mmio",
		[VCPU_EXIT_SYSREG] = "sysreg",
		[VCPU_EXIT_PIO] = "pio",
		[VCPU_EXIT_S2_FAULT] = "s2-fault",
		[VCPU_EXIT_HALT] = "halt",
		[VCPU_EXIT_IRQ] = "irq",
		[VCPU_EXIT_CPU_UP] = "cpu-up",
		[VCPU_EXIT_CPU_DOWN] = "cpu-down",
		[VCPU_EXIT_SYSTEM_OFF] = "system-off",
		[VCPU_EXIT_SYSTEM_RESET] = "system-reset",
		[VCPU_EXIT_ENTRY_FAIL] = "entry-fail",
	};
	return (unsigned)kind < VCPU_EXIT_KIND_COUNT ? names[kind] : "invalid";
}
