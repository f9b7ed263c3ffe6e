// SPDX-License-Identifier: MIT
/* Exit-qualification decoding, CPUID and MSR policy (vmx_policy.h). */
#include <vcpu/exit.h>

#include "vmx_policy.h"

#define CPUID1_ECX_X2APIC	 PV_BIT(21)
#define CPUID1_ECX_TSC_DEADLINE	 PV_BIT(24)
#define CPUID1_ECX_HYPERVISOR	 PV_BIT(31)
#define CPUID1_EDX_APIC		 PV_BIT(9)
#define CPUID7_EBX_INVPCID	 PV_BIT(10)
#define CPUID7_ECX_RDPID	 PV_BIT(22)
#define CPUID81_EDX_RDTSCP	 PV_BIT(27)
#define MISC_ENABLE_FAST_STRINGS PV_BIT(0)
#define CR4_DE			 PV_BIT(3)

/*
 * The feature flags the guest may see, where the host has them. A flag is here only when the
 * hardware runs the feature in VMX non-root operation without help, or the backend emulates or
 * switches its state (docs/x86_64.md, "Guest-visible CPU state"). Left out on purpose:
 *  leaf 1 ECX: DTES64, DS-CPL, DS (debug store), MONITOR (MONITOR/MWAIT raise #UD), VMX, SMX,
 *    EIST, TM2, CNXT-ID, SDBG, xTPR, PDCM, DCA (MSRs not offered), FMA, XSAVE, OSXSAVE, AVX,
 *    F16C (the AVX state is not switched);
 *  leaf 1 EDX: MCE, MCA, MTRR, PSN, ACPI, TM, PBE;
 *  leaf 7: TSX (HLE, RTM), MPX, PKU (PKRU is not switched), SGX, Intel PT, the resource-director
 *    and every AVX or AMX flag, LA57, CET, the speculation-control MSRs;
 *  and RDTSCP, RDPID, INVPCID unless their control is on.
 */
#define LEAF1_ECX                                                                                  \
	(PV_BIT(0) | PV_BIT(1) | PV_BIT(9) | PV_BIT(13) | PV_BIT(17) | PV_BIT(19) | PV_BIT(20) |   \
	 PV_BIT(22) | PV_BIT(23) | PV_BIT(25) | PV_BIT(30))
#define LEAF1_EDX                                                                                  \
	(PV_MASK(6, 0) | PV_BIT(8) | PV_BIT(9) | PV_BIT(11) | PV_BIT(13) | PV_MASK(17, 15) |       \
	 PV_BIT(19) | PV_MASK(28, 23))
/* FSGSBASE, BMI1, FDP_EXCPTN_ONLY, SMEP, BMI2, ERMS, FPU CS/DS deprecation, RDSEED, ADX, SMAP,
 * CLFLUSHOPT, CLWB, SHA. */
#define LEAF7_EBX                                                                                  \
	(PV_BIT(0) | PV_BIT(3) | PV_BIT(6) | PV_BIT(7) | PV_BIT(8) | PV_BIT(9) | PV_BIT(13) |      \
	 PV_BIT(18) | PV_BIT(19) | PV_BIT(20) | PV_BIT(23) | PV_BIT(24) | PV_BIT(29))
/* UMIP, GFNI, CLDEMOTE, MOVDIRI, MOVDIR64B. */
#define LEAF7_ECX (PV_BIT(2) | PV_BIT(8) | PV_BIT(25) | PV_BIT(27) | PV_BIT(28))
/* FSRM, MD_CLEAR, SERIALIZE. */
#define LEAF7_EDX (PV_BIT(4) | PV_BIT(10) | PV_BIT(14))
/* LAHF/SAHF, LZCNT, PREFETCHW; SYSCALL, NX, 1 GiB pages, long mode. */
#define LEAF81_ECX   (PV_BIT(0) | PV_BIT(5) | PV_BIT(8))
#define LEAF81_EDX   (PV_BIT(11) | PV_BIT(20) | PV_BIT(26) | PV_BIT(29))
#define LEAF87_EDX   PV_BIT(8) /* invariant TSC */
#define MAX_EXT_LEAF 0x80000008u

void vmx_decode_io_qual(uint64_t qual, struct vmx_io_qual *io)
{
	io->width = (uint8_t)((qual & 7u) + 1u);
	io->in = qual & PV_BIT(3);
	io->string = qual & PV_BIT(4);
	io->rep = qual & PV_BIT(5);
	io->port = (uint16_t)(qual >> 16);
}

unsigned vmx_ept_access(uint64_t qual)
{
	/* Bits 0-2: data read, data write, instruction fetch. A read-modify-write reports both
	 * read and write; treat it as the write. */
	if (qual & PV_BIT(2))
		return VCPU_ACCESS_EXEC;
	if (qual & PV_BIT(1))
		return VCPU_ACCESS_WRITE;
	return VCPU_ACCESS_READ;
}

/* Access type in bits 5:4 (0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW), CR in 3:0, GPR in 11:8. */
static bool decode_cr(uint64_t qual, unsigned type, unsigned *cr, unsigned *gpr)
{
	if (((qual >> 4) & 3u) != type)
		return false;
	*cr = (unsigned)(qual & 15u);
	*gpr = (unsigned)((qual >> 8) & 15u);
	return true;
}

bool vmx_decode_cr_write(uint64_t qual, unsigned *cr, unsigned *gpr)
{
	return decode_cr(qual, 0, cr, gpr);
}

bool vmx_decode_cr_read(uint64_t qual, unsigned *cr, unsigned *gpr)
{
	return decode_cr(qual, 1, cr, gpr);
}

/* DR number in bits 2:0, direction in bit 4 (1: MOV from DR), GPR in 11:8. */
unsigned vmx_decode_dr(uint64_t qual, uint64_t cr4, struct vmx_dr_access *a)
{
	unsigned dr = (unsigned)(qual & 7u);

	if (dr == 4 || dr == 5) {
		if (cr4 & CR4_DE)
			return 6;
		dr += 2;
	}
	a->dr = dr;
	a->write = !(qual & PV_BIT(4));
	a->gpr = (unsigned)((qual >> 8) & 15u);
	return 0;
}

bool vmx_dr_write_value(unsigned dr, uint64_t value, uint64_t *stored)
{
	/* DR7: bits 10 reads 1; 11, 12, 14 and 15 read 0 (RTM and IR not offered). */
	const uint64_t dr7_writable = 0xffff23ffULL;

	if ((dr == 6 || dr == 7) && (value >> 32))
		return false;
	*stored = dr == 7 ? (value & dr7_writable) | X86_DR7_RESET : value;
	return true;
}

enum vmx_exit_action vmx_exit_action(uint32_t reason)
{
	switch (reason) {
	case VMX_EXIT_GETSEC:
	case VMX_EXIT_INVEPT:
	case VMX_EXIT_INVVPID:
	case VMX_EXIT_MONITOR:
	case VMX_EXIT_MWAIT:
	case VMX_EXIT_XSETBV:
		return VMX_ACT_UD;
	case VMX_EXIT_RDPMC:
		return VMX_ACT_GP;
	case VMX_EXIT_INVD:
		return VMX_ACT_SKIP;
	default:
		if (reason >= VMX_EXIT_VMCLEAR && reason <= VMX_EXIT_VMXON)
			return VMX_ACT_UD;
		return VMX_ACT_OTHER;
	}
}

static uint32_t sig_word(unsigned i)
{
	const char *s = PV_CPUID_SIGNATURE;

	return (uint32_t)(uint8_t)s[4 * i] | (uint32_t)(uint8_t)s[4 * i + 1] << 8 |
	       (uint32_t)(uint8_t)s[4 * i + 2] << 16 | (uint32_t)(uint8_t)s[4 * i + 3] << 24;
}

/* Leaf 0xb: one thread per core, one core per vCPU, a package holding the VM's vCPUs. */
static struct x86_cpuid topology(uint32_t subleaf, const struct cpuid_ctx *ctx)
{
	unsigned shift = 0;

	if (subleaf == 0)
		return (struct x86_cpuid){ 0, 1, 1u << 8, ctx->apic_id };
	if (subleaf == 1) {
		while ((1u << shift) < ctx->nvcpus && shift < 31)
			shift++;
		return (struct x86_cpuid){ shift, ctx->nvcpus, 1u | 2u << 8, ctx->apic_id };
	}
	return (struct x86_cpuid){ 0, 0, subleaf & 0xffu, ctx->apic_id };
}

/* Leaf 0x15 (TSC rate) is offered even by a host whose highest leaf is below it. */
static uint32_t guest_max_leaf(const struct cpuid_ctx *ctx)
{
	return ctx->max_leaf < 0x15 && ctx->tsc_khz ? 0x15 : ctx->max_leaf;
}

static struct x86_cpuid basic_leaf(uint32_t leaf, uint32_t subleaf, struct x86_cpuid r,
				   const struct cpuid_ctx *ctx)
{
	switch (leaf) {
	case 0: /* highest leaf (at least 0x15, below), vendor */
		r.eax = guest_max_leaf(ctx);
		return r;
	case 2:	   /* cache and TLB descriptors */
	case 4:	   /* cache parameters */
	case 0x16: /* processor frequencies */
		return r;
	case 0x15:
		/* The TSC rate the hypervisor measured, as a ratio to a 1 kHz "crystal": a guest
		 * without a PIT, HPET or PM timer (Linux on ACPI's hardware-reduced profile) has
		 * nothing else to calibrate against. */
		if (ctx->tsc_khz)
			return (struct x86_cpuid){ 1, (uint32_t)ctx->tsc_khz, 1000, 0 };
		return r;
	case 1:
		r.ecx = (r.ecx & LEAF1_ECX) | CPUID1_ECX_X2APIC | CPUID1_ECX_TSC_DEADLINE |
			CPUID1_ECX_HYPERVISOR;
		r.edx = (r.edx & LEAF1_EDX) | CPUID1_EDX_APIC;
		/* EBX[31:24] initial APIC id, [23:16] logical processors in the package. */
		r.ebx = (r.ebx & 0xffffu) | (ctx->apic_id & 0xffu) << 24 |
			(ctx->nvcpus & 0xffu) << 16;
		return r;
	case 7:
		if (subleaf != 0)
			return (struct x86_cpuid){ 0 };
		r.eax = 0; /* no further subleaves */
		r.ebx &= LEAF7_EBX | (ctx->invpcid ? CPUID7_EBX_INVPCID : 0);
		r.ecx &= LEAF7_ECX | (ctx->rdtscp ? CPUID7_ECX_RDPID : 0);
		r.edx &= LEAF7_EDX;
		return r;
	case 0xb:
		return topology(subleaf, ctx);
	default: /* power management, PMU, XSAVE, monitoring, SGX, PT, ... */
		return (struct x86_cpuid){ 0 };
	}
}

static struct x86_cpuid ext_leaf(uint32_t leaf, struct x86_cpuid r, const struct cpuid_ctx *ctx)
{
	switch (leaf) {
	case 0x80000000u:
		if (r.eax > MAX_EXT_LEAF)
			r.eax = MAX_EXT_LEAF;
		return r;
	case 0x80000001u:
		r.ecx &= LEAF81_ECX;
		r.edx &= LEAF81_EDX | (ctx->rdtscp ? CPUID81_EDX_RDTSCP : 0);
		return r;
	case 0x80000002u: /* brand string */
	case 0x80000003u:
	case 0x80000004u:
	case 0x80000006u: /* L2 cache */
		return r;
	case 0x80000007u:
		return (struct x86_cpuid){ 0, 0, 0, r.edx & LEAF87_EDX };
	case 0x80000008u: /* address sizes */
		return (struct x86_cpuid){ r.eax & 0xffffu, 0, 0, 0 };
	default:
		return (struct x86_cpuid){ 0 };
	}
}

/*
 * The guest sees the host CPU through the allow-lists above, plus what the backend emulates:
 * x2APIC with a TSC-deadline timer, the topology of its VM, the hypervisor bit and leaves
 * 0x40000000 (signature) and 0x40000010 (TSC rate, so that the guest needs no calibration).
 */
struct x86_cpuid vmx_cpuid_policy(uint32_t leaf, uint32_t subleaf, struct x86_cpuid host,
				  const struct cpuid_ctx *ctx)
{
	struct x86_cpuid r = { 0 };

	if (leaf >= PV_CPUID_HV_BASE && leaf < PV_CPUID_HV_BASE + 0x10000u) {
		if (leaf == PV_CPUID_HV_BASE)
			r = (struct x86_cpuid){ PV_CPUID_HV_TIMING, sig_word(0), sig_word(1),
						sig_word(2) };
		else if (leaf == PV_CPUID_HV_TIMING)
			r.eax = (uint32_t)ctx->tsc_khz;
		return r;
	}
	if (leaf < 0x80000000u) {
		if (leaf > guest_max_leaf(ctx))
			return r;
		/* Past the host's highest leaf, its CPUID repeats that leaf: nothing to show. */
		return basic_leaf(leaf, subleaf, leaf <= ctx->max_leaf ? host : r, ctx);
	}
	return leaf <= ctx->max_ext_leaf ? ext_leaf(leaf, host, ctx) : r;
}

const uint32_t vmx_msr_passthrough[] = {
	X86_MSR_EFER,	     X86_MSR_PAT,	   X86_MSR_FS_BASE,	 X86_MSR_GS_BASE,
	X86_MSR_SYSENTER_CS, X86_MSR_SYSENTER_ESP, X86_MSR_SYSENTER_EIP, 0,
};

enum vmx_msr_action vmx_msr_policy(uint32_t msr, bool write, bool bsp, uint64_t *value)
{
	/* IA32_APIC_BASE holds the vLAPIC's mode, which the guest may change (vlapic_xapic.c). */
	if ((msr >= X86_MSR_X2APIC_FIRST && msr <= X86_MSR_X2APIC_LAST) ||
	    msr == X86_MSR_TSC_DEADLINE || msr == X86_MSR_APIC_BASE)
		return VMX_MSR_DEVICE;
	(void)bsp;
	(void)write;
	switch (msr) {
	case X86_MSR_MISC_ENABLE:
		*value = MISC_ENABLE_FAST_STRINGS;
		return VMX_MSR_FIXED;
	case X86_MSR_BIOS_SIGN_ID:
		/* Microcode revision 0 (none loaded: the guest cannot load any); writes, which
		 * ask the CPU to latch it, are ignored. */
		*value = 0;
		return VMX_MSR_FIXED;
	case X86_MSR_TSC:
		/* Reads do not exit; a write would move the host's clock. */
		return VMX_MSR_DENY;
	default:
		return VMX_MSR_DENY;
	}
}
