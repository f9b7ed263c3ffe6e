// SPDX-License-Identifier: MIT
/*
 * What the exception entries (trap.S) call: the hypervisor takes no exception on purpose yet, so
 * every one is a bug. Report the cause in terms a developer can look up, then panic.
 */
#include <arch/loongarch.h>
#include <hal/hal.h>

#include "la_internal.h"

/* Names of ESTAT.Ecode values (LoongArch Reference Manual volume 1, exception codes). */
static const char *const la_ecode_names[] = {
	[0x0] = "INT",	[0x1] = "PIL",	[0x2] = "PIS",	 [0x3] = "PIF",	 [0x4] = "PME",
	[0x5] = "PNR",	[0x6] = "PNX",	[0x7] = "PPI",	 [0x8] = "ADE",	 [0x9] = "ALE",
	[0xa] = "BCE",	[0xb] = "SYS",	[0xc] = "BRK",	 [0xd] = "INE",	 [0xe] = "IPE",
	[0xf] = "FPD",	[0x10] = "SXD", [0x11] = "ASXD", [0x12] = "FPE", [0x13] = "WPE",
	[0x14] = "BTD", [0x15] = "BTE", [0x16] = "GSPR", [0x17] = "HVC", [0x18] = "GCM",
};

static const char *la_ecode_name(unsigned ecode, unsigned esub)
{
	/* The sub-code matters for the two codes whose halves mean different things. */
	if (ecode == 0x8)
		return esub == 0 ? "ADEF" : "ADEM";
	if (ecode == 0x18)
		return esub == 0 ? "GCSC" : "GCHC";
	if (ecode < PV_ARRAY_SIZE(la_ecode_names) && la_ecode_names[ecode])
		return la_ecode_names[ecode];
	return "unknown";
}

/* Per-CPU nesting count: a fault while reporting a fault must not recurse forever. */
static volatile unsigned la_trap_depth[CONFIG_MAX_CPUS];

/* For a fault inside the report: hal_printf's lock may be held by this very CPU. */
static PV_NORETURN void la_trap_nested(void)
{
	for (const char *s = "\nPANIC: exception while reporting an exception\n"; *s; s++)
		hal_board.console_putc(*s);
	hal_board.power_off();
}

void la_trap_report(const struct la_trap_frame *frame, unsigned long kind)
{
	unsigned cpu = hal_cpu.cpu_id();
	uint64_t estat = la_csr_read(LA_CSR_ESTAT);
	unsigned ecode = (unsigned)((estat >> LA_ESTAT_ECODE_SHIFT) & LA_ESTAT_ECODE_MASK);
	unsigned esub = (unsigned)((estat >> LA_ESTAT_ESUB_SHIFT) & LA_ESTAT_ESUB_MASK);

	if (cpu < CONFIG_MAX_CPUS && la_trap_depth[cpu]++ > 0)
		la_trap_nested();

	if (kind == LA_TRAP_TLB_REFILL) {
		/* TLBRERA bit 0 flags a refill; the PC sits in bits 63:2. */
		uint64_t era = la_csr_read(LA_CSR_TLBRERA) & ~3ULL;

		hal_printf("\nloongarch64: TLB refill on cpu %u: TLBRBADV 0x%016llx "
			   "TLBRERA 0x%016llx TLBRPRMD 0x%llx ESTAT 0x%llx\n",
			   cpu, (unsigned long long)la_csr_read(LA_CSR_TLBRBADV),
			   (unsigned long long)era,
			   (unsigned long long)la_csr_read(LA_CSR_TLBRPRMD),
			   (unsigned long long)estat);
		hal_printf("loongarch64:   ra 0x%016llx sp 0x%016llx\n",
			   (unsigned long long)frame->regs[1], (unsigned long long)frame->regs[3]);
		hal_panic("no mapping for 0x%llx (the hypervisor uses no TLB mappings)",
			  (unsigned long long)la_csr_read(LA_CSR_TLBRBADV));
	}

	hal_printf("\nloongarch64: exception %s (Ecode 0x%x, EsubCode %u) on cpu %u\n",
		   la_ecode_name(ecode, esub), ecode, esub, cpu);
	hal_printf("loongarch64:   ESTAT 0x%016llx ERA 0x%016llx BADV 0x%016llx\n",
		   (unsigned long long)estat, (unsigned long long)la_csr_read(LA_CSR_ERA),
		   (unsigned long long)la_csr_read(LA_CSR_BADV));
	hal_printf("loongarch64:   BADI 0x%08llx PRMD 0x%llx CRMD 0x%llx "
		   "ra 0x%016llx sp 0x%016llx\n",
		   (unsigned long long)la_csr_read(LA_CSR_BADI),
		   (unsigned long long)la_csr_read(LA_CSR_PRMD),
		   (unsigned long long)la_csr_read(LA_CSR_CRMD), (unsigned long long)frame->regs[1],
		   (unsigned long long)frame->regs[3]);
	hal_panic("unhandled exception %s at 0x%llx", la_ecode_name(ecode, esub),
		  (unsigned long long)la_csr_read(LA_CSR_ERA));
}
