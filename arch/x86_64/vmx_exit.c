// SPDX-License-Identifier: MIT
/*
 * VM exits decoded into the core's exits. What needs no device and no core decision is finished
 * here and reported as VCPU_EXIT_NONE (CPUID, fixed MSRs, CR writes, interrupt windows); the rest
 * becomes a hypercall, port, MSR (SYSREG, id = MSR number), MMIO, halt or fault exit. The ACPI
 * sleep and reset registers (x86_boot.h) are served here: power-off and reset exits.
 */
#include <hal/hal.h>
#include <hal/hv_timer.h>
#include <hal/page_pool.h>
#include <vm/vm.h>
#include <x86/cpu.h>

#include "vmcs.h"
#include "vmx_mmio.h"
#include "vmx_policy.h"
#include "vmx_vcpu.h"
#include "x86_arch.h"
#include "x86_boot.h"

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
		.max_ext_leaf = x86_cpuid_max(0x80000000u),
		.rdtscp = vmx_ctls.rdtscp,
		.invpcid = vmx_ctls.invpcid,
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
	switch (x86_acpi_pm_access(io.port, io.width, !io.in, v->g.r[X86_RAX])) {
	case X86_ACPI_PM_NONE:
		break;
	case X86_ACPI_PM_DONE: /* the registers read 0 into AL, AX or EAX (zero-extended) */
		if (io.in && io.width >= 4)
			v->g.r[X86_RAX] = 0;
		else if (io.in)
			v->g.r[X86_RAX] &= ~((1ULL << (8 * io.width)) - 1);
		vmx_advance_rip(v, v->exit_len);
		exit->kind = VCPU_EXIT_NONE;
		return;
	case X86_ACPI_PM_OFF:
		exit->kind = VCPU_EXIT_SYSTEM_OFF;
		return;
	case X86_ACPI_PM_RESET:
		exit->kind = VCPU_EXIT_SYSTEM_RESET;
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

/* The guest runs 64-bit code: registers are 64 bits wide, else only their low halves count. */
static bool guest_long_mode(void)
{
	return vmx_ept_long_mode(vmcs_read(VMCS_GUEST_EFER),
				 (uint32_t)vmcs_read(VMCS_GUEST_ES_AR + 2u * VMCS_SEG_CS));
}

static uint64_t operand(struct vmx_vcpu *v, unsigned reg)
{
	uint64_t value = vmx_get_gpr(v, reg);

	return guest_long_mode() ? value : value & 0xffffffffu;
}

/* MOV to CR0 / CR4 that changes a bit the hypervisor owns: the guest gets its value in the read
 * shadow, the hardware the value with the VMX-fixed bits applied; a CR4 bit the guest may not
 * set raises #GP as on a CPU without its feature. MOV to and from CR8 (64-bit mode only) reach
 * the emulated local APIC's task priority, never the real one. */
static void exit_cr(struct vmx_vcpu *v, struct vcpu_exit *exit, uint64_t qual)
{
	unsigned cr, reg;
	uint64_t value;

	exit->kind = VCPU_EXIT_NONE;
	if (vmx_decode_cr_read(qual, &cr, &reg) && cr == 8) {
		vmx_set_gpr(v, reg, vlapic_cr8(v->vcpu));
		vmx_advance_rip(v, v->exit_len);
		return;
	}
	if (!vmx_decode_cr_write(qual, &cr, &reg) || (cr != 0 && cr != 4 && cr != 8)) {
		vmx_inject_exception(v, 13, true, 0);
		return;
	}
	value = operand(v, reg);
	if (cr == 8) {
		if (value > 15) {
			vmx_inject_exception(v, 13, true, 0);
			return;
		}
		vlapic_set_cr8(v->vcpu, (unsigned)value);
	} else if (cr == 0) {
		if ((value >> 32) || ((value & X86_CR0_PG) && !(value & X86_CR0_PE))) {
			vmx_inject_exception(v, 13, true, 0);
			return;
		}
		vmcs_write(VMCS_CR0_SHADOW, value);
		vmcs_write(VMCS_GUEST_CR0, vmx_guest_cr0(&vmx_ctls, value));
	} else {
		if (!vmx_cr4_allowed(&vmx_ctls, value)) {
			vmx_inject_exception(v, 13, true, 0);
			return;
		}
		vmcs_write(VMCS_CR4_SHADOW, value);
		vmcs_write(VMCS_GUEST_CR4, vmx_guest_cr4(&vmx_ctls, value));
	}
	vmx_advance_rip(v, v->exit_len);
}

/* DR0-3 and DR6 are the guest's in the CPU while it runs (vmx_lazy.h); DR7 is in the VMCS. */
static uint64_t dr_read(unsigned dr)
{
	switch (dr) {
	case 0:
		return x86_read_dr0();
	case 1:
		return x86_read_dr1();
	case 2:
		return x86_read_dr2();
	case 3:
		return x86_read_dr3();
	case 6:
		return x86_read_dr6();
	default:
		return vmcs_read(VMCS_GUEST_DR7);
	}
}

static void dr_write(unsigned dr, uint64_t value)
{
	switch (dr) {
	case 0:
		x86_write_dr0(value);
		break;
	case 1:
		x86_write_dr1(value);
		break;
	case 2:
		x86_write_dr2(value);
		break;
	case 3:
		x86_write_dr3(value);
		break;
	case 6:
		x86_write_dr6(value);
		break;
	default:
		vmcs_write(VMCS_GUEST_DR7, value);
		break;
	}
}

/* MOV to or from a debug register: the vCPU's own debug registers (CPL, DR7.GD and the CR4.DE
 * checks of DR4/DR5 come before the exit in hardware; the last is repeated here). */
static void exit_dr(struct vmx_vcpu *v, struct vcpu_exit *exit, uint64_t qual)
{
	struct vmx_dr_access a;
	unsigned vector = vmx_decode_dr(qual, vmcs_read(VMCS_GUEST_CR4), &a);
	uint64_t value;

	exit->kind = VCPU_EXIT_NONE;
	if (vector) {
		vmx_inject_exception(v, vector, false, 0);
		return;
	}
	if (!a.write) {
		value = dr_read(a.dr);
		vmx_set_gpr(v, a.gpr, guest_long_mode() ? value : value & 0xffffffffu);
	} else if (vmx_dr_write_value(a.dr, operand(v, a.gpr), &value)) {
		dr_write(a.dr, value);
	} else {
		vmx_inject_exception(v, 13, true, 0);
		return;
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

/* An EPT violation: the VMCS fields for vmx_ept_decode, and the value of a store's register.
 * The fields are assigned one by one: an initializer would clear the struct first, and this is
 * the MMIO exit's path. */
static void exit_ept(struct vmx_vcpu *v, struct vcpu_exit *exit, uint64_t qual)
{
	static const struct vmx_guest_mem mem = { read_guest_phys, guest_ram_host };
	struct x86_mmio_insn insn;
	struct vmx_ept_exit e;

	e.qual = qual;
	e.gpa = vmcs_read(VMCS_GUEST_PHYS_ADDR);
	e.rip = vmcs_read(VMCS_GUEST_RIP);
	e.cr0 = vmcs_read(VMCS_GUEST_CR0);
	e.cr3 = vmcs_read(VMCS_GUEST_CR3);
	e.cr4 = vmcs_read(VMCS_GUEST_CR4);
	e.efer = vmcs_read(VMCS_GUEST_EFER);
	e.cs_ar = (uint32_t)vmcs_read(VMCS_GUEST_ES_AR + 2u * VMCS_SEG_CS);
	e.cs_base = vmx_ept_long_mode(e.efer, e.cs_ar) ? 0 : vmcs_read(VMCS_GUEST_CS_BASE);
	vmx_ept_decode(&e, &v->icache, &mem, v->vcpu->vm, exit, &insn);
	if (exit->kind != VCPU_EXIT_MMIO)
		return;
	v->mmio_len = insn.len;
	v->mmio_high8 = insn.high8;
	if (insn.write && !insn.has_imm)
		exit->mmio.data =
			insn.high8 ? vmx_get_gpr(v, insn.reg) >> 8 : vmx_get_gpr(v, insn.reg);
	/* A Start-Up IPI through the xAPIC page's ICR becomes the core's CPU_UP exit (vlapic.c). */
	if (insn.write && e.gpa == VLAPIC_XAPIC_ICR)
		(void)vlapic_xapic_sipi_exit(v->vcpu, e.gpa, exit->mmio.data, exit);
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
	case VMX_EXIT_PREEMPT_TIMER:
		/* The CPU's hypervisor deadline (vmx_run), whatever the guest masks: as its timer
		 * interrupt would. */
		exit->kind = VCPU_EXIT_IRQ;
		exit->irq.irq = X86_VEC_TIMER;
		hv_timer_fired();
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
	case VMX_EXIT_DR_ACCESS:
		exit_read_len(v);
		exit_dr(v, exit, qual);
		return;
	case VMX_EXIT_EPT_VIOLATION:
		exit_ept(v, exit, qual);
		return;
	case VMX_EXIT_TRIPLE_FAULT:
		hal_printf("vmx: vm %s vcpu %u: triple fault at rip 0x%llx\n", v->vcpu->vm->name,
			   v->vcpu->id, (unsigned long long)vmcs_read(VMCS_GUEST_RIP));
		exit->kind = VCPU_EXIT_SYSTEM_RESET;
		return;
	default:
		break;
	}
	/* Instructions the guest's CPU does not have, or whose effect is nil (vmx_policy.h). */
	switch (vmx_exit_action(reason & 0xffffu)) {
	case VMX_ACT_UD:
		vmx_inject_exception(v, 6, false, 0);
		break;
	case VMX_ACT_GP:
		vmx_inject_exception(v, 13, true, 0);
		break;
	case VMX_ACT_SKIP:
		exit_read_len(v);
		vmx_advance_rip(v, v->exit_len);
		break;
	default:
		/* A task switch, an EPT misconfiguration, or an exit no control asked for. */
		exit_unexpected(v, exit, reason, qual);
		return;
	}
	exit->kind = VCPU_EXIT_NONE;
}
