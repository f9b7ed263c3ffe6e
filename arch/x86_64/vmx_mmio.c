// SPDX-License-Identifier: MIT
/* EPT violations into MMIO exits (vmx_mmio.h): what the inline path calls out of line. */
#include "vmx_mmio.h"

int vmx_fetch_insn(const struct vmx_guest_mem *m, void *ctx, const struct x86_gwalk_regs *regs,
		   uint64_t linear, uint8_t *code, size_t *n)
{
	size_t first = 4096 - (linear & 4095u);
	uint64_t pa;

	if (first > X86_MAX_INSN_LEN)
		first = X86_MAX_INSN_LEN;
	if (x86_gwalk(regs, linear, m->read, ctx, &pa) || m->read(ctx, pa, code, first))
		return -PV_EFAULT;
	*n = first;
	/* An instruction that crosses into the next page: its own walk (another frame). */
	if (first < X86_MAX_INSN_LEN && !x86_gwalk(regs, linear + first, m->read, ctx, &pa) &&
	    !m->read(ctx, pa, code + first, X86_MAX_INSN_LEN - first))
		*n = X86_MAX_INSN_LEN;
	return PV_OK;
}

int vmx_mmio_insn_miss(const struct x86_gwalk_regs *regs, uint64_t linear, enum x86_cpu_mode mode,
		       struct x86_icache *cache, const struct vmx_guest_mem *m, void *ctx,
		       struct x86_mmio_insn *insn)
{
	uint8_t code[X86_MAX_INSN_LEN];
	size_t n;

	if (vmx_fetch_insn(m, ctx, regs, linear, code, &n) || x86_decode_mmio(code, n, mode, insn))
		return -PV_EFAULT;
	/* x86_icache.h says why a hit is then exactly a fresh walk and decode. */
	if (n == X86_MAX_INSN_LEN)
		x86_icache_fill(cache, regs, linear, mode, code, insn, m->host, ctx);
	return PV_OK;
}

void vmx_ept_fault(uint64_t addr, unsigned access, uint64_t rip, struct vcpu_exit *exit)
{
	exit->kind = VCPU_EXIT_S2_FAULT;
	exit->fault.addr = gpa(addr);
	exit->fault.access = (uint8_t)access;
	exit->fault.pc = rip;
}
