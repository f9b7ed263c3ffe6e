/* SPDX-License-Identifier: MIT */
/*
 * EPT violations made into MMIO exits: the instruction at the guest's CS:RIP is fetched through
 * the guest's page tables, decoded, and checked against the access the CPU reported. Pure C over
 * the exit's VMCS values and an interface to guest memory, so that host tests (and a fuzzer) drive
 * it from plain data; vmx_exit.c reads the VMCS and supplies the VM's memory.
 */
#ifndef X86_VMX_MMIO_H
#define X86_VMX_MMIO_H

#include <vcpu/exit.h>

#include "vmx_policy.h"
#include "x86_decode.h"
#include "x86_gwalk.h"
#include "x86_icache.h"

/* Guest memory: @read copies guest-physical bytes (PV_OK or an error), @host gives the host
 * address of guest RAM in one piece, or NULL (x86_icache.h); both get the caller's context. */
struct vmx_guest_mem {
	x86_gwalk_read_fn read;
	x86_icache_host_fn host;
};

/* The VMCS fields an EPT violation is decoded from. */
struct vmx_ept_exit {
	uint64_t qual;		/* exit qualification */
	uint64_t gpa;		/* guest-physical address */
	uint64_t rip;		/* guest RIP */
	uint64_t cs_base;	/* CS base; read by the caller only outside 64-bit mode */
	uint64_t cr0, cr3, cr4; /* the guest's control registers as the CPU uses them */
	uint64_t efer;		/* guest IA32_EFER */
	uint32_t cs_ar;		/* CS access rights */
};

#define VMX_EFER_LMA   PV_BIT(10)
#define VMX_AR_CS_L    PV_BIT(13)
#define VMX_AR_CS_D    PV_BIT(14)
#define VMX_QUAL_GLA   PV_BIT(7) /* the guest-linear address is valid */
#define VMX_QUAL_FINAL PV_BIT(8) /* ... and the access was to it, not to a paging structure */

/* Whether the guest runs 64-bit code (EFER.LMA and CS.L). */
static inline bool vmx_ept_long_mode(uint64_t efer, uint32_t cs_ar)
{
	return (efer & VMX_EFER_LMA) && (cs_ar & VMX_AR_CS_L);
}

/* X86_MAX_INSN_LEN bytes at guest-linear @linear (*n = 15), or fewer when the next page cannot
 * be read (*n = the bytes up to the page's end). -PV_EFAULT when the first byte cannot. */
int vmx_fetch_insn(const struct vmx_guest_mem *m, void *ctx, const struct x86_gwalk_regs *regs,
		   uint64_t linear, uint8_t *code, size_t *n);

/* The instruction at @linear when the cache misses: fetched, decoded, and cached. PV_OK or
 * -PV_EFAULT. */
int vmx_mmio_insn_miss(const struct x86_gwalk_regs *regs, uint64_t linear, enum x86_cpu_mode mode,
		       struct x86_icache *cache, const struct vmx_guest_mem *m, void *ctx,
		       struct x86_mmio_insn *insn);

/* A stage-2 fault exit: the @access at guest-physical @addr by the instruction at @rip. */
void vmx_ept_fault(uint64_t addr, unsigned access, uint64_t rip, struct vcpu_exit *exit);

/*
 * The violation as the core's exit: VCPU_EXIT_MMIO with every field but the data of a store from
 * a register (the caller reads it: *insn gives the register), or VCPU_EXIT_S2_FAULT for an
 * instruction fetch, the guest's own page walk, 16-bit code, an instruction that cannot be
 * fetched or decoded, or one whose direction differs from the CPU's report (rewritten between
 * the exit and the fetch). @cache: the vCPU's decode cache, used and filled; @ctx: for @m. Inline: it is the
 * MMIO exit's path, and a cache hit needs nothing else out of line but the lookup.
 */
static inline void vmx_ept_decode(const struct vmx_ept_exit *e, struct x86_icache *cache,
				  const struct vmx_guest_mem *m, void *ctx, struct vcpu_exit *exit,
				  struct x86_mmio_insn *insn)
{
	const struct x86_gwalk_regs regs = { e->cr0, e->cr3, e->cr4, e->efer };
	unsigned access = vmx_ept_access(e->qual);
	enum x86_cpu_mode mode;
	uint64_t linear = e->rip;

	/* Instruction fetches and the guest's own page walks never reach a device. */
	if (access == VCPU_ACCESS_EXEC ||
	    ((e->qual & VMX_QUAL_GLA) && !(e->qual & VMX_QUAL_FINAL))) {
		vmx_ept_fault(e->gpa, access, e->rip, exit);
		return;
	}
	if (vmx_ept_long_mode(e->efer, e->cs_ar)) {
		mode = X86_MODE_64;
	} else if (e->cs_ar & VMX_AR_CS_D) {
		/* Segmentation applies: the instruction is at CS.base + EIP. */
		mode = X86_MODE_32;
		linear = (e->cs_base + e->rip) & 0xffffffffu;
	} else {
		/* Real mode and 16-bit code have other default sizes: not decoded. */
		vmx_ept_fault(e->gpa, access, e->rip, exit);
		return;
	}
	if ((!x86_icache_lookup(cache, &regs, linear, mode, insn) &&
	     vmx_mmio_insn_miss(&regs, linear, mode, cache, m, ctx, insn)) ||
	    insn->write != (access == VCPU_ACCESS_WRITE)) {
		vmx_ept_fault(e->gpa, access, e->rip, exit);
		return;
	}
	exit->kind = VCPU_EXIT_MMIO;
	exit->mmio.addr = gpa(e->gpa);
	exit->mmio.width = insn->width;
	exit->mmio.write = insn->write;
	exit->mmio.sign_extend = insn->sign_extend;
	exit->mmio.reg = insn->reg;
	exit->mmio.reg_width = insn->reg_width;
	exit->mmio.data = insn->has_imm ? insn->imm : 0;
}

#endif
