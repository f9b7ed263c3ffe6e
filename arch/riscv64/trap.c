// SPDX-License-Identifier: MIT
/*
 * Traps taken in HS-mode by the hypervisor itself (guest traps go to vcpu_entry.S instead). None
 * is expected except at an instruction of the fixup table (fixup.h: CSR probes, reads of guest
 * memory through the guest's translation): everything else is a bug and ends in a panic that
 * names the cause, the faulting PC and stval rather than a silent hang.
 */
#include <hal/hal.h>
#include <riscv64/cpu.h>
#include <riscv64/csr.h>
#include <riscv64/sbi.h>
#include <riscv64/trap.h>

static const char *exception_name(uint64_t code)
{
	static const char *const names[] = {
		[EXC_INST_MISALIGNED] = "instruction address misaligned",
		[EXC_INST_ACCESS] = "instruction access fault",
		[EXC_ILLEGAL_INST] = "illegal instruction",
		[EXC_BREAKPOINT] = "breakpoint",
		[EXC_LOAD_MISALIGNED] = "load address misaligned",
		[EXC_LOAD_ACCESS] = "load access fault",
		[EXC_STORE_MISALIGNED] = "store address misaligned",
		[EXC_STORE_ACCESS] = "store access fault",
		[EXC_ECALL_U] = "ecall from U/VU-mode",
		[EXC_ECALL_S] = "ecall from HS-mode",
		[EXC_ECALL_VS] = "ecall from VS-mode",
		[EXC_INST_PAGE_FAULT] = "instruction page fault",
		[EXC_LOAD_PAGE_FAULT] = "load page fault",
		[EXC_STORE_PAGE_FAULT] = "store page fault",
		[EXC_INST_GUEST_PAGE_FAULT] = "instruction guest-page fault",
		[EXC_LOAD_GUEST_PAGE_FAULT] = "load guest-page fault",
		[EXC_VIRTUAL_INST] = "virtual instruction",
		[EXC_STORE_GUEST_PAGE_FAULT] = "store guest-page fault",
	};

	if (code < PV_ARRAY_SIZE(names) && names[code])
		return names[code];
	return "reserved exception";
}

static const char *interrupt_name(uint64_t code)
{
	switch (code) {
	case IRQ_S_SOFT:
		return "supervisor software interrupt";
	case IRQ_S_TIMER:
		return "supervisor timer interrupt";
	case IRQ_S_EXT:
		return "supervisor external interrupt";
	case IRQ_S_GEXT:
		return "guest external interrupt";
	default:
		return "interrupt";
	}
}

static void dump_frame(const struct riscv_trap_frame *tf)
{
	static const char *const abi[32] = {
		"zero", "ra", "sp", "gp", "tp",	 "t0",	"t1", "t2", "s0", "s1", "a0",
		"a1",	"a2", "a3", "a4", "a5",	 "a6",	"a7", "s2", "s3", "s4", "s5",
		"s6",	"s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};

	for (unsigned i = 1; i < 32; i++)
		hal_printf("  %-4s %016llx%s", abi[i], (unsigned long long)tf->x[i],
			   (i % 4 == 3) ? "\n" : "");
	hal_printf("\n  sstatus %016llx\n", (unsigned long long)tf->sstatus);
}

/* The fixup table's bounds (polyvisor.ld.in). */
extern const struct riscv_fixup __riscv_fixup_start[], __riscv_fixup_end[];

const struct riscv_fixup *riscv_fixup_find(uint64_t pc)
{
	/* A handful of entries, searched only when one of them traps. The bounds are two linker
	 * symbols, compared as numbers. */
	size_t n = ((uintptr_t)__riscv_fixup_end - (uintptr_t)__riscv_fixup_start) /
		   sizeof(struct riscv_fixup);

	for (size_t i = 0; i < n; i++)
		if (__riscv_fixup_start[i].insn == pc)
			return &__riscv_fixup_start[i];
	return NULL;
}

void riscv_trap_handler(struct riscv_trap_frame *tf)
{
	struct riscv_cpu *cpu = riscv_this_cpu();
	uint64_t code = tf->scause & SCAUSE_CODE_MASK;
	bool irq = (tf->scause & SCAUSE_INTERRUPT) != 0;
	const struct riscv_fixup *fix = irq ? NULL : riscv_fixup_find(tf->sepc);

	/* An instruction that may trap (fixup.h): every cause it can raise is its caller's to
	 * judge. The sret below must stay in HS-mode: it enters V = hstatus.SPV, which the trap
	 * should have cleared but QEMU 7.2 leaves as the last guest exit set it (1). */
	if (fix) {
		cpu->fault.cause = code;
		cpu->fault.tval = tf->stval;
		cpu->fault.htval = 0;
		/* Guest-page faults exist only with the H extension; hstatus only matters once
		 * a guest has run on this hart (a CSR probe at boot may run on a hart without the
		 * extension, whose CSRs must not be touched then). */
		if (code == EXC_INST_GUEST_PAGE_FAULT || code == EXC_LOAD_GUEST_PAGE_FAULT ||
		    code == EXC_STORE_GUEST_PAGE_FAULT)
			csr_read(CSR_HTVAL, cpu->fault.htval);
		if (cpu->loaded)
			csr_clear(CSR_HSTATUS, HSTATUS_SPV);
		tf->sepc = fix->fixup;
		return;
	}

	/* A trap while reporting one (a broken stack or console) would recurse forever: say so
	 * once without the console lock, then go straight to the firmware. */
	if (cpu->panic_depth++ > 0) {
		if (cpu->panic_depth == 2)
			for (const char *p = "\nPANIC: trap while reporting a trap\n"; *p; p++)
				hal_board.console_putc(*p);
		sbi_system_reset(SBI_SRST_SHUTDOWN, SBI_SRST_REASON_NONE);
		for (;;)
			__asm__ __volatile__("wfi");
	}
	hal_printf("\nunexpected trap in HS-mode: %s\n",
		   irq ? interrupt_name(code) : exception_name(code));
	dump_frame(tf);
	hal_panic("trap scause=0x%llx sepc=0x%llx stval=0x%llx", (unsigned long long)tf->scause,
		  (unsigned long long)tf->sepc, (unsigned long long)tf->stval);
}
