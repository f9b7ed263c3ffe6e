// SPDX-License-Identifier: MIT
/* EPT violations into MMIO exits (vmx_mmio.h). */
#include "vmx_mmio.h"
#include "vmx_policy.h"

#define EFER_LMA   PV_BIT(10)
#define AR_CS_L	   PV_BIT(13)
#define AR_CS_D	   PV_BIT(14)
#define QUAL_GLA   PV_BIT(7) /* the guest-linear address is valid */
#define QUAL_FINAL PV_BIT(8) /* ... and the access was to it, not to a paging structure */

bool vmx_ept_long_mode(uint64_t efer, uint32_t cs_ar)
{
	return (efer & EFER_LMA) && (cs_ar & AR_CS_L);
}

int vmx_fetch_insn(const struct vmx_guest_mem *m, const struct x86_gwalk_regs *regs,
		   uint64_t linear, uint8_t *code, size_t *n)
{
	size_t first = 4096 - (linear & 4095u);
	uint64_t pa;

	if (first > X86_MAX_INSN_LEN)
		first = X86_MAX_INSN_LEN;
	if (x86_gwalk(regs, linear, m->read, m->ctx, &pa) || m->read(m->ctx, pa, code, first))
		return -PV_EFAULT;
	*n = first;
	/* An instruction that crosses into the next page: its own walk (another frame). */
	if (first < X86_MAX_INSN_LEN && !x86_gwalk(regs, linear + first, m->read, m->ctx, &pa) &&
	    !m->read(m->ctx, pa, code + first, X86_MAX_INSN_LEN - first))
		*n = X86_MAX_INSN_LEN;
	return PV_OK;
}

static void fault(const struct vmx_ept_exit *e, unsigned access, struct vcpu_exit *exit)
{
	exit->kind = VCPU_EXIT_S2_FAULT;
	exit->fault.addr = gpa(e->gpa);
	exit->fault.access = (uint8_t)access;
	exit->fault.pc = e->rip;
}

/* The instruction at @linear: from the cache when the walk and the bytes are unchanged
 * (x86_icache.h says why that is exact), else fetched, decoded and cached. */
static int mmio_insn(const struct vmx_ept_exit *e, uint64_t linear, enum x86_cpu_mode mode,
		     struct x86_icache *cache, const struct vmx_guest_mem *m,
		     struct x86_mmio_insn *insn)
{
	const struct x86_gwalk_regs regs = { e->cr0, e->cr3, e->cr4, e->efer };
	uint8_t code[X86_MAX_INSN_LEN];
	size_t n;

	if (x86_icache_lookup(cache, &regs, linear, mode, insn))
		return PV_OK;
	if (vmx_fetch_insn(m, &regs, linear, code, &n) || x86_decode_mmio(code, n, mode, insn))
		return -PV_EFAULT;
	if (n == X86_MAX_INSN_LEN)
		x86_icache_fill(cache, &regs, linear, mode, code, insn, m->host, m->ctx);
	return PV_OK;
}

void vmx_ept_decode(const struct vmx_ept_exit *e, struct x86_icache *cache,
		    const struct vmx_guest_mem *m, struct vcpu_exit *exit,
		    struct x86_mmio_insn *insn)
{
	unsigned access = vmx_ept_access(e->qual);
	enum x86_cpu_mode mode;
	uint64_t linear = e->rip;

	/* Instruction fetches and the guest's own page walks never reach a device. */
	if (access == VCPU_ACCESS_EXEC || ((e->qual & QUAL_GLA) && !(e->qual & QUAL_FINAL))) {
		fault(e, access, exit);
		return;
	}
	if (vmx_ept_long_mode(e->efer, e->cs_ar)) {
		mode = X86_MODE_64;
	} else if (e->cs_ar & AR_CS_D) {
		/* Segmentation applies: the instruction is at CS.base + EIP. */
		mode = X86_MODE_32;
		linear = (e->cs_base + e->rip) & 0xffffffffu;
	} else {
		/* Real mode and 16-bit code have other default sizes: not decoded. */
		fault(e, access, exit);
		return;
	}
	if (mmio_insn(e, linear, mode, cache, m, insn) ||
	    insn->write != (access == VCPU_ACCESS_WRITE)) {
		fault(e, access, exit);
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
