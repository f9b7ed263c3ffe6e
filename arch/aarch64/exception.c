// SPDX-License-Identifier: MIT
/*
 * What an EL2 exception does before any guest exists: say exactly what happened (vector, syndrome,
 * addresses, registers, call chain) and panic. A silent hang would hide the cause.
 */
#include <a64/regs.h>
#include <a64/sysreg.h>
#include <hal/hal.h>

extern char __pv_stacks_start[];
extern char __pv_stacks_end[];

static const char *const a64_vector_group[4] = {
	"EL2 with SP_EL0",
	"EL2",
	"a lower EL (AArch64)",
	"a lower EL (AArch32)",
};

static const char *const a64_vector_type[4] = { "synchronous", "IRQ", "FIQ", "SError" };

static const char *a64_ec_name(unsigned ec)
{
	switch (ec) {
	case 0x00:
		return "unknown reason (undefined instruction?)";
	case 0x01:
		return "WFI/WFE";
	case 0x07:
		return "SIMD/FP access";
	case 0x0e:
		return "illegal execution state";
	case 0x15:
		return "SVC";
	case 0x16:
		return "HVC";
	case 0x17:
		return "SMC";
	case 0x18:
		return "MSR/MRS/system instruction";
	case 0x20:
		return "instruction abort from a lower EL";
	case 0x21:
		return "instruction abort at EL2";
	case 0x22:
		return "PC alignment fault";
	case 0x24:
		return "data abort from a lower EL";
	case 0x25:
		return "data abort at EL2";
	case 0x26:
		return "SP alignment fault";
	case 0x2f:
		return "SError";
	case 0x30:
	case 0x31:
		return "breakpoint";
	case 0x32:
	case 0x33:
		return "software step";
	case 0x34:
	case 0x35:
		return "watchpoint";
	case 0x3c:
		return "BRK instruction";
	default:
		return "other";
	}
}

static bool a64_on_stack(uint64_t addr)
{
	return addr >= (uintptr_t)__pv_stacks_start && addr + 16 <= (uintptr_t)__pv_stacks_end &&
	       PV_IS_ALIGNED(addr, 16);
}

/* Follows the frame records from the interrupted x29, trusting only pointers into our stacks. */
static void a64_backtrace(uint64_t fp)
{
	hal_printf("  call chain:");
	for (unsigned depth = 0; depth < 16 && a64_on_stack(fp); depth++) {
		const uint64_t *frame = (const uint64_t *)(uintptr_t)fp;

		if (!frame[1])
			break;
		hal_printf(" 0x%llx", (unsigned long long)frame[1]);
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
	hal_printf("\n");
}

void a64_exception(struct a64_regs *regs, unsigned vector)
{
	static int nesting;
	unsigned ec = ESR_EC(regs->esr);

	/* A fault while reporting one (console, stack) must not loop: stop the machine. */
	if (nesting++)
		hal_board.power_off();

	hal_printf("\nEL2 exception: %s from %s\n", a64_vector_type[vector & 3u],
		   a64_vector_group[(vector >> 2) & 3u]);
	hal_printf("  ESR_EL2  0x%016llx  EC 0x%02x (%s), ISS 0x%07x\n",
		   (unsigned long long)regs->esr, ec, a64_ec_name(ec), ESR_ISS(regs->esr));
	hal_printf("  ELR_EL2  0x%016llx  FAR_EL2 0x%016llx  SPSR_EL2 0x%08llx\n",
		   (unsigned long long)regs->elr, (unsigned long long)regs->far,
		   (unsigned long long)regs->spsr);
	for (unsigned i = 0; i < 31; i += 3) {
		hal_printf("  x%-2u 0x%016llx", i, (unsigned long long)regs->x[i]);
		if (i + 1 < 31)
			hal_printf("  x%-2u 0x%016llx", i + 1, (unsigned long long)regs->x[i + 1]);
		if (i + 2 < 31)
			hal_printf("  x%-2u 0x%016llx", i + 2, (unsigned long long)regs->x[i + 2]);
		hal_printf("\n");
	}
	hal_printf("  sp  0x%016llx\n", (unsigned long long)regs->sp);
	if (vector < 8)
		a64_backtrace(regs->x[29]);
	hal_panic("unhandled EL2 exception (EC 0x%02x at 0x%llx)", ec,
		  (unsigned long long)regs->elr);
}
