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

#include "x86_decode.h"
#include "x86_gwalk.h"
#include "x86_icache.h"

/* Guest memory: @read copies guest-physical bytes (PV_OK or an error), @host gives the host
 * address of guest RAM in one piece, or NULL (x86_icache.h). */
struct vmx_guest_mem {
	x86_gwalk_read_fn read;
	x86_icache_host_fn host;
	void *ctx;
};

/* The VMCS fields an EPT violation is decoded from. */
struct vmx_ept_exit {
	uint64_t qual;		  /* exit qualification */
	uint64_t gpa;		  /* guest-physical address */
	uint64_t rip;		  /* guest RIP */
	uint64_t cs_base;	  /* CS base; read by the caller only outside 64-bit mode */
	uint64_t cr0, cr3, cr4;	  /* the guest's control registers as the CPU uses them */
	uint64_t efer;		  /* guest IA32_EFER */
	uint32_t cs_ar;		  /* CS access rights */
};

/* Whether the guest runs 64-bit code (EFER.LMA and CS.L). */
bool vmx_ept_long_mode(uint64_t efer, uint32_t cs_ar);

/* X86_MAX_INSN_LEN bytes at guest-linear @linear (*n = 15), or fewer when the next page cannot
 * be read (*n = the bytes up to the page's end). -PV_EFAULT when the first byte cannot. */
int vmx_fetch_insn(const struct vmx_guest_mem *m, const struct x86_gwalk_regs *regs,
		   uint64_t linear, uint8_t *code, size_t *n);

/* The violation as the core's exit: VCPU_EXIT_MMIO with every field but the data of a store from
 * a register (the caller reads it: *insn gives the register), or VCPU_EXIT_S2_FAULT for an
 * instruction fetch, the guest's own page walk, 16-bit code, an instruction that cannot be
 * fetched or decoded, or one whose direction differs from the CPU's report (rewritten between
 * the exit and the fetch). @cache: the vCPU's decode cache, used and filled. */
void vmx_ept_decode(const struct vmx_ept_exit *e, struct x86_icache *cache,
		    const struct vmx_guest_mem *m, struct vcpu_exit *exit,
		    struct x86_mmio_insn *insn);

#endif
