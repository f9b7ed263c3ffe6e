// SPDX-License-Identifier: MIT
/*
 * VM exits decoded into the core's exits. What needs no device and no core decision is finished
 * here and reported as VCPU_EXIT_NONE (CPUID, fixed MSRs, CR writes, interrupt windows); the rest
 * becomes a hypercall, port, MSR (SYSREG, id = MSR number), MMIO, halt or fault exit.
 */
#include <hal/hal.h>
#include <hal/hv_timer.h>
#include <hal/page_pool.h>
#include <vm/vm.h>
#include <x86/cpu.h>

#include "vmcs.h"
#include "vmx_policy.h"
#include "vmx_vcpu.h"
#include "x86_arch.h"
#include "x86_decode.h"
#include "x86_gwalk.h"
#include "x86_icache.h"

#define EFER_LMA PV_BIT(10)
#define AR_CS_L	 PV_BIT(13)

static void fault_exit(struct vcpu_exit *exit, uint64_t addr, unsigned access, uint64_t pc)
{
	exit->kind = VCPU_EXIT_S2_FAULT;
	exit->fault.addr = gpa(addr);
	exit->fault.access = (uint8_t)access;
	exit->fault.pc = pc;
}

/* An interrupt for the hypervisor arrived in guest mode; the CPU acknowledged it on exit. */
static void exit_ext_intr(struct vcpu_exit *exit)
{
	uint32_t info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	unsigned vector = info & 0xffu;

	exit->kind = VCPU_EXIT_IRQ;
	exit->irq.irq = vector;
	if (vector == X86_VEC_SPURIOUS)
		return;
	if (vector == X86_VEC_TIMER) {
		x86_irq_record(hal_cpu.cpu_id(), X86_IRQ_TIMER);
		hv_timer_fired(); /* the next deadline of the CPU's timer users (hal/hv_timer.h) */
	} else if (vector == X86_VEC_IPI)
		x86_irq_record(hal_cpu.cpu_id(), X86_IRQ_IPI);
	x86_lapic_eoi();
}

static __attribute__((noinline)) void exit_cpuid(struct vmx_vcpu *v, struct vcpu_exit *exit)
{
	uint32_t leaf = (uint32_t)v->g.r[X86_RAX], sub = (uint32_t)v->g.r[X86_RCX];
	struct cpuid_ctx ctx = {
		.apic_id = (uint32_t)v->vcpu->guest_cpu_id,
		.nvcpus = v->vcpu->vm->nvcpus,
		.tsc_khz = x86_tsc_freq() / 1000,
		.max_leaf = x86_cpuid_max(0),
	};
	struct x86_cpuid r = vmx_cpuid_policy(leaf, sub, x86_cpuid(leaf, sub), &ctx);

	v->g.r[X86_RAX] = r.eax;
	v->g.r[X86_RBX] = r.ebx;
	v->g.r[X86_RCX] = r.ecx;
	v->g.r[X86_RDX] = r.edx;
	vmx_advance_rip(v, v->exit_len);
	exit->kind = VCPU_EXIT_NONE;
}

static void exit_vmcall(struct vmx_vcpu *v, struct vcpu_exit *exit)
{
	static const uint8_t arg_regs[VCPU_HCALL_ARGS] = { X86_RDI, X86_RSI, X86_RDX,
							   X86_RCX, X86_R8,  X86_R8 + 1 };

	exit->kind = VCPU_EXIT_HYPERCALL;
	exit->hcall.nr = v->g.r[X86_RAX];
	for (unsigned i = 0; i < VCPU_HCALL_ARGS; i++)
		exit->hcall.args[i] = v->g.r[arg_regs[i]];
}

static void exit_io(struct vmx_vcpu *v, struct vcpu_exit *exit, uint64_t qual)
{
	struct vmx_io_qual io;

	vmx_decode_io_qual(qual, &io);
	if (io.string) {
		/* INS/OUTS would need the guest's segments and paging for the memory side: a
		 * fault, reported at the port. */
		fault_exit(exit, io.port, io.in ? VCPU_ACCESS_READ : VCPU_ACCESS_WRITE,
			   vmcs_read(VMCS_GUEST_RIP));
		return;
	}
	exit->kind = VCPU_EXIT_PIO;
	exit->pio.port = io.port;
	exit->pio.width = io.width;
	exit->pio.write = !io.in;
	exit->pio.data = v->g.r[X86_RAX];
}

static void exit_msr(struct vmx_vcpu *v, struct vcpu_exit *exit, bool write)
{
	uint32_t msr = (uint32_t)v->g.r[X86_RCX];
	uint64_t value = 0;

	if (vmx_msr_policy(msr, write, v->vcpu->id == 0, &value) == VMX_MSR_FIXED) {
		if (!write) {
			v->g.r[X86_RAX] = value & 0xffffffffu;
			v->g.r[X86_RDX] = value >> 32;
		}
		vmx_advance_rip(v, v->exit_len);
		exit->kind = VCPU_EXIT_NONE;
		return;
	}
	/* Devices (the vLAPIC) claim their MSRs; for any other the core finds no device and
	 * injects the #GP of the allow-list. */
	exit->kind = VCPU_EXIT_SYSREG;
	exit->sysreg.id = msr;
	exit->sysreg.write = write;
	exit->sysreg.reg = X86_RAX;
	exit->sysreg.data = (v->g.r[X86_RDX] << 32) | (v->g.r[X86_RAX] & 0xffffffffu);
	/* A Start-Up IPI to a vCPU waiting for one becomes the core's CPU_UP exit (vlapic.c). */
	if (write && msr == X86_MSR_X2APIC_ICR)
		(void)vlapic_sipi_exit(v->vcpu, exit->sysreg.data, exit);
}

/* MOV to CR0 / CR4 that changes a bit the hypervisor owns: the guest gets its value in the read
 * shadow, the hardware the value with the VMX-fixed bits applied. */
static void exit_cr(struct vmx_vcpu *v, struct vcpu_exit *exit, uint64_t qual)
{
	unsigned cr, reg;
	uint64_t value;

	exit->kind = VCPU_EXIT_NONE;
	if (!vmx_decode_cr_write(qual, &cr, &reg) || (cr != 0 && cr != 4)) {
		vmx_inject_exception(v, 13, true, 0);
		return;
	}
	value = vmx_get_gpr(v, reg);
	if (cr == 0) {
		vmcs_write(VMCS_CR0_SHADOW, value);
		vmcs_write(VMCS_GUEST_CR0, vmx_guest_cr0(&vmx_ctls, value));
	} else {
		vmcs_write(VMCS_CR4_SHADOW, value);
		vmcs_write(VMCS_GUEST_CR4, vmx_guest_cr4(&vmx_ctls, value));
	}
	vmx_advance_rip(v, v->exit_len);
}

/* The host address of @len bytes of guest RAM at @addr if they lie in one chunk, else NULL. */
static const void *guest_ram_host(void *ctx, uint64_t addr, size_t len)
{
	const struct vm *vm = ctx;

	for (unsigned i = 0; i < vm->nchunks; i++) {
		const struct vm_mem_chunk *c = &vm->chunks[i];

		if (addr >= c->gpa.raw && addr - c->gpa.raw < c->size) {
			if (len > c->size - (addr - c->gpa.raw))
				return NULL;
			return (const uint8_t *)page_pool_virt(vm->pool, c->hpa) +
			       (addr - c->gpa.raw);
		}
	}
	return NULL;
}

/* Guest page-table entries are read straight from the frame backing them (one chunk lookup, one
 * load); vm_read_guest, which copies byte by byte across chunks, is the fallback. */
static int read_guest_phys(void *ctx, uint64_t addr, void *buf, size_t len)
{
	const void *host =
		len == sizeof(uint64_t) && !(addr & 7u) ? guest_ram_host(ctx, addr, len) : NULL;

	if (host) {
		*(uint64_t *)buf = *(const volatile uint64_t *)host;
		return PV_OK;
	}
	return vm_read_guest(ctx, gpa(addr), buf, len);
}

/* The bytes at the guest's RIP, through its page tables, up to the end of the page (the longest
 * MMIO forms fit in 15 bytes; a page boundary inside one is handled by a second read). */
static int fetch_insn(struct vmx_vcpu *v, const struct x86_gwalk_regs *regs, uint64_t rip,
		      uint8_t *code, size_t *n)
{
	struct vm *vm = v->vcpu->vm;
	size_t first = 4096 - (rip & 4095u);
	uint64_t pa;

	if (first > X86_MAX_INSN_LEN)
		first = X86_MAX_INSN_LEN;
	if (x86_gwalk(regs, rip, read_guest_phys, vm, &pa) ||
	    vm_read_guest(vm, gpa(pa), code, first))
		return -PV_EFAULT;
	*n = first;
	if (first < X86_MAX_INSN_LEN && !x86_gwalk(regs, rip + first, read_guest_phys, vm, &pa) &&
	    !vm_read_guest(vm, gpa(pa), code + first, X86_MAX_INSN_LEN - first))
		*n = X86_MAX_INSN_LEN;
	return PV_OK;
}

/* The MMIO instruction at @rip: from the vCPU's cache when the walk and the bytes are unchanged
 * (x86_icache.h says why that is exact), else fetched, decoded and cached. */
static int mmio_insn(struct vmx_vcpu *v, uint64_t rip, uint64_t efer, enum x86_cpu_mode mode,
		     struct x86_mmio_insn *insn)
{
	struct x86_gwalk_regs regs = {
		.cr0 = vmcs_read(VMCS_GUEST_CR0),
		.cr3 = vmcs_read(VMCS_GUEST_CR3),
		.cr4 = vmcs_read(VMCS_GUEST_CR4),
		.efer = efer,
	};
	uint8_t code[X86_MAX_INSN_LEN];
	size_t n;

	if (x86_icache_lookup(&v->icache, &regs, rip, mode, insn))
		return PV_OK;
	if (fetch_insn(v, &regs, rip, code, &n) || x86_decode_mmio(code, n, mode, insn))
		return -PV_EFAULT;
	if (n == X86_MAX_INSN_LEN)
		x86_icache_fill(&v->icache, &regs, rip, mode, code, insn, guest_ram_host,
				v->vcpu->vm);
	return PV_OK;
}

static void exit_ept(struct vmx_vcpu *v, struct vcpu_exit *exit, uint64_t qual)
{
	uint64_t addr = vmcs_read(VMCS_GUEST_PHYS_ADDR);
	uint64_t rip = vmcs_read(VMCS_GUEST_RIP);
	unsigned access = vmx_ept_access(qual);
	struct x86_mmio_insn insn;
	enum x86_cpu_mode mode;
	uint64_t efer;

	/* Instruction fetches and the guest's own page walks never reach a device. */
	if (access == VCPU_ACCESS_EXEC || ((qual & PV_BIT(7)) && !(qual & PV_BIT(8)))) {
		fault_exit(exit, addr, access, rip);
		return;
	}
	efer = vmcs_read(VMCS_GUEST_EFER);
	mode = (efer & EFER_LMA) && (vmcs_read(VMCS_GUEST_ES_AR + 2u * VMCS_SEG_CS) & AR_CS_L)
		       ? X86_MODE_64
		       : X86_MODE_32;
	if (mmio_insn(v, rip, efer, mode, &insn) || insn.write != (access == VCPU_ACCESS_WRITE)) {
		fault_exit(exit, addr, access, rip);
		return;
	}
	v->mmio_len = insn.len;
	v->mmio_high8 = insn.high8;
	exit->kind = VCPU_EXIT_MMIO;
	exit->mmio.addr = gpa(addr);
	exit->mmio.width = insn.width;
	exit->mmio.write = insn.write;
	exit->mmio.sign_extend = insn.sign_extend;
	exit->mmio.reg = insn.reg;
	exit->mmio.reg_width = insn.reg_width;
	if (insn.has_imm)
		exit->mmio.data = insn.imm;
	else if (insn.write)
		exit->mmio.data =
			insn.high8 ? vmx_get_gpr(v, insn.reg) >> 8 : vmx_get_gpr(v, insn.reg);
}

static void exit_unexpected(struct vmx_vcpu *v, struct vcpu_exit *exit, uint32_t reason,
			    uint64_t qual)
{
	hal_printf("vmx: vm %s vcpu %u: unexpected exit reason %u (qualification 0x%llx) at rip "
		   "0x%llx\n",
		   v->vcpu->vm->name, v->vcpu->id, reason & 0xffffu, (unsigned long long)qual,
		   (unsigned long long)vmcs_read(VMCS_GUEST_RIP));
	exit->kind = VCPU_EXIT_ENTRY_FAIL;
	exit->entry_fail.reason = reason;
	exit->entry_fail.detail = qual;
}

static void exit_idt_vectoring(struct vmx_vcpu *v)
{
	uint32_t idt = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);

	if (idt & VMX_INTR_VALID) {
		v->inject_info = idt & ~(uint32_t)PV_MASK(30, 12);
		v->inject_err = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_ERROR);
		/* Saved for exits during the delivery of a software event, which is what needs it
		 * (SDM vol. 3, "Information for VM Exits During Event Delivery"). */
		v->inject_len = (uint32_t)vmcs_read(VMCS_EXIT_INSTR_LEN);
	}
}

/* The length of the instruction that exited, for the exits that complete it by skipping it. Read
 * only for them: it is undefined for the others (EPT violations, interrupts), whose paths read
 * neither it nor anything derived from it. */
static void exit_read_len(struct vmx_vcpu *v)
{
	v->exit_len = (uint32_t)vmcs_read(VMCS_EXIT_INSTR_LEN);
}

static void decode_exit_other(struct vmx_vcpu *v, struct vcpu_exit *exit, uint32_t reason);

/* Hypercalls first, in a leaf with no stack frame; every other exit out of line. */
void vmx_decode_exit(struct vmx_vcpu *v, struct vcpu_exit *exit)
{
	uint32_t reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON);

	if (reason == VMX_EXIT_VMCALL) {
		exit_read_len(v);
		exit_vmcall(v, exit);
		return;
	}
	decode_exit_other(v, exit, reason);
}

static __attribute__((noinline)) void decode_exit_other(struct vmx_vcpu *v, struct vcpu_exit *exit,
							uint32_t reason)
{
	uint64_t qual;

	/* The instructions that exit unconditionally cannot interrupt an event's delivery and
	 * need no qualification: the short path for CPUID and HLT. */
	switch (reason) {
	case VMX_EXIT_CPUID:
		exit_read_len(v);
		exit_cpuid(v, exit);
		return;
	case VMX_EXIT_HLT:
		exit_read_len(v);
		exit->kind = VCPU_EXIT_HALT;
		return;
	case VMX_EXIT_EXT_INTR:
		/* Interrupts are taken between instructions (IDT-vectoring information covers an
		 * event that was being delivered; the exit-qualification is unused for them). */
		exit_idt_vectoring(v);
		exit_ext_intr(exit);
		return;
	default:
		break;
	}
	qual = vmcs_read(VMCS_EXIT_QUALIFICATION);
	if (reason & VMX_EXIT_REASON_ENTRY_FAIL) {
		/* Invalid guest state (33), MSR loading (34), machine check (41). */
		hal_printf("vmx: vm %s vcpu %u: VM entry failed, exit reason %u, qualification "
			   "0x%llx\n",
			   v->vcpu->vm->name, v->vcpu->id, reason & 0xffffu,
			   (unsigned long long)qual);
		exit->kind = VCPU_EXIT_ENTRY_FAIL;
		exit->entry_fail.reason = reason;
		exit->entry_fail.detail = qual;
		return;
	}
	/* An event whose delivery caused the exit (an interrupt whose IDT entry hit an EPT
	 * violation, say) is delivered again at the next entry. */
	exit_idt_vectoring(v);
	switch (reason & 0xffffu) {
	case VMX_EXIT_EXCEPTION: /* NMI: the exception bitmap is empty */
	case VMX_EXIT_INTR_WINDOW:
	case VMX_EXIT_INIT:
	case VMX_EXIT_SIPI:
		exit->kind = VCPU_EXIT_NONE;
		return;
	case VMX_EXIT_IO:
		exit_read_len(v);
		exit_io(v, exit, qual);
		return;
	case VMX_EXIT_RDMSR:
	case VMX_EXIT_WRMSR:
		exit_read_len(v);
		exit_msr(v, exit, (reason & 0xffffu) == VMX_EXIT_WRMSR);
		return;
	case VMX_EXIT_CR_ACCESS:
		exit_read_len(v);
		exit_cr(v, exit, qual);
		return;
	case VMX_EXIT_EPT_VIOLATION:
		exit_ept(v, exit, qual);
		return;
	case VMX_EXIT_XSETBV:
		/* XSAVE is not offered (CPUID): as on a CPU without it. */
		vmx_inject_exception(v, 6, false, 0);
		exit->kind = VCPU_EXIT_NONE;
		return;
	case VMX_EXIT_TRIPLE_FAULT:
		hal_printf("vmx: vm %s vcpu %u: triple fault at rip 0x%llx\n", v->vcpu->vm->name,
			   v->vcpu->id, (unsigned long long)vmcs_read(VMCS_GUEST_RIP));
		exit->kind = VCPU_EXIT_SYSTEM_RESET;
		return;
	default:
		/* VMX instructions (#UD on real hardware) land here too. */
		if ((reason & 0xffffu) >= 19 && (reason & 0xffffu) <= 27) {
			vmx_inject_exception(v, 6, false, 0);
			exit->kind = VCPU_EXIT_NONE;
			return;
		}
		exit_unexpected(v, exit, reason, qual);
		return;
	}
}
