// SPDX-License-Identifier: MIT
/*
 * The VMX vCPU: one VMCS per vCPU, set up on the vCPU's own physical CPU the first time it runs
 * (a VMCS is made current by VMPTRLD on one CPU; vCPUs never move). set_entry may run on another
 * CPU, so it only records the reset state, which run() loads into the VMCS before the next entry.
 *
 * Guest start state: 32-bit protected mode, flat 4 GiB code and data segments, paging off (this
 * needs "unrestricted guest"), interrupts masked, EDI = the boot argument, EIP = the entry. The
 * guest switches to long mode itself; the CPU records EFER.LMA into the "IA-32e mode guest" entry
 * control at each exit (IA32_VMX_MISC bit 5, required at probe). A vCPU started by INIT and a
 * Start-Up IPI with vector V (vlapic.c) starts instead as the SDM says a processor does after
 * them: real mode, CS = V << 8 with base V << 12, IP 0, the other segments 0 with 64 KiB limits,
 * CR0 = 0x60000010, general registers 0.
 *
 * Guest state that neither the VMCS nor vmx_entry.S switches (x87/SSE, the syscall MSRs and
 * IA32_KERNEL_GS_BASE, IA32_TSC_AUX, DR0-DR3 and DR6) stays in the CPU while the hypervisor runs
 * and is switched only when another vCPU enters there (vmx_lazy.h says why that is safe). The
 * hypervisor is built with -mgeneral-regs-only -mno-sse -mno-mmx and has no x87, MMX or SSE
 * instruction besides the FXSAVE64/FXRSTOR64 in vmx_lazy.c (check: objdump -d of the image).
 * XSAVE is hidden from the guest (vmx_policy.c), so the FXSAVE image is the guest's whole
 * extended state.
 */
#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <hal/hv_timer.h>
#include <hal/page_pool.h>
#include <irq/virq_ops.h>
#include <string.h>
#include <vm/exit_step.h>
#include <vm/vm.h>
#include <x86/cpu.h>

#include "s2_ept.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_policy.h"
#include "vmx_vcpu.h"
#include "x86_arch.h"

#define AR_CODE32	0xc09bu /* present, DPL 0, execute/read accessed, D, G */
#define AR_DATA32	0xc093u /* present, DPL 0, read/write accessed, B, G */
#define AR_TSS32_BUSY	0x008bu
#define AR_CODE16	0x009bu /* present, DPL 0, execute/read accessed, 16-bit, byte granular */
#define AR_DATA16	0x0093u /* present, DPL 0, read/write accessed, 16-bit, byte granular */
#define AR_LDT		0x0082u
#define CR0_AFTER_INIT	0x60000010u /* CD, NW, ET */
#define AR_UNUSABLE	0x10000u
#define RFLAGS_RESERVED PV_BIT(1)

struct vmx_controls vmx_ctls;
static unsigned vmx_preempt_shift; /* the VMX-preemption timer's rate: TSC >> this */
unsigned vmx_lazy_nmsrs;
static bool vmx_ctls_ready;
static hpa_t vmx_current[CONFIG_MAX_CPUS];
/* Whose software-switched state each CPU's registers hold, NULL if none's; that CPU only. */
static struct vmx_lazy *vmx_lazy_owner[CONFIG_MAX_CPUS];
static uint8_t vmx_msr_bitmap[4096] __attribute__((aligned(4096)));

/* One bit per MSR: reads of the low range (0-0x1fff), reads of the high range (0xc0000000-
 * 0xc0001fff), then the same two for writes, 1 KiB each. */
static void msr_bitmap_allow(uint32_t msr, bool read, bool write)
{
	unsigned base = msr >= 0xc0000000u ? 1024u : 0u;
	unsigned bit = msr & 0x1fffu;

	if (read)
		vmx_msr_bitmap[base + bit / 8] &= (uint8_t)~(1u << (bit % 8));
	if (write)
		vmx_msr_bitmap[2048 + base + bit / 8] &= (uint8_t)~(1u << (bit % 8));
}

static uint64_t cap_msr(uint32_t legacy)
{
	return x86_rdmsr(vmx_ctl_msr(vmx_caps.basic, legacy));
}

/* Controls and the MSR bitmap, once, before any vCPU runs (the first create, on the boot CPU). */
static int vmx_controls_setup(void)
{
	struct vmx_cap_msrs caps = {
		.basic = vmx_caps.basic,
		.misc = x86_rdmsr(VMX_MSR_MISC),
		.pin = cap_msr(VMX_MSR_PINBASED_CTLS),
		.proc = cap_msr(VMX_MSR_PROCBASED_CTLS),
		.proc2 = (vmx_caps.proc2 ? x86_rdmsr(VMX_MSR_PROCBASED_CTLS2) : 0),
		.exit = cap_msr(VMX_MSR_EXIT_CTLS),
		.entry = cap_msr(VMX_MSR_ENTRY_CTLS),
		.cr0_fixed0 = x86_rdmsr(VMX_MSR_CR0_FIXED0),
		.cr0_fixed1 = x86_rdmsr(VMX_MSR_CR0_FIXED1),
		.cr4_fixed0 = x86_rdmsr(VMX_MSR_CR4_FIXED0),
		.cr4_fixed1 = x86_rdmsr(VMX_MSR_CR4_FIXED1),
		.ept_vpid = vmx_caps.ept_cap,
	};
	const char *what;
	uint32_t missing;

	if (vmx_ctls_ready)
		return PV_OK;
	vmx_preempt_shift = VMX_MISC_PREEMPT_RATE(caps.misc);
	if (vmx_controls_compute(&caps, &vmx_ctls, &what, &missing)) {
		hal_printf("vmx: the CPU lacks %s controls 0x%x that guests need\n", what, missing);
		return -PV_ENOTSUP;
	}
	/* IA32_TSC_AUX exists only on CPUs with RDTSCP, which the control then offers. */
	vmx_lazy_nmsrs = vmx_ctls.rdtscp ? VMX_LAZY_MSRS : VMX_LAZY_TSC_AUX;
	memset(vmx_msr_bitmap, 0xff, sizeof(vmx_msr_bitmap));
	for (const uint32_t *m = vmx_msr_passthrough; *m; m++)
		msr_bitmap_allow(*m, true, true);
	for (unsigned i = 0; i < vmx_lazy_nmsrs; i++)
		msr_bitmap_allow(vmx_lazy_msrs[i], true, true);
	msr_bitmap_allow(X86_MSR_TSC, true, false);
	vmx_ctls_ready = true;
	return PV_OK;
}

static int vmx_create(struct vcpu *vcpu)
{
	struct vmx_vcpu *v;
	hpa_t self, vmcs;
	int err = vmx_controls_setup();

	if (err)
		return err;
	_Static_assert(sizeof(struct vmx_vcpu) <= HAL_PAGE_SIZE, "vCPU state fits a frame");
	if (page_pool_alloc(&hal_pages, 0, &self))
		return -PV_ENOMEM;
	if (page_pool_alloc(&hal_pages, 0, &vmcs)) {
		page_pool_free(&hal_pages, self, 0);
		return -PV_ENOMEM;
	}
	v = page_pool_virt(&hal_pages, self);
	memset(v, 0, HAL_PAGE_SIZE);
	memset(page_pool_virt(&hal_pages, vmcs), 0, HAL_PAGE_SIZE);
	*(uint32_t *)page_pool_virt(&hal_pages, vmcs) = VMX_BASIC_REVISION(vmx_caps.basic);
	v->vcpu = vcpu;
	v->self = self;
	v->vmcs = vmcs;
	/* VPID 0 is the host's; each vCPU of the machine gets its own tag. */
	v->vpid = (uint16_t)(1u + vcpu->vm->id * VM_MAX_VCPUS + vcpu->id);
	vcpu->arch = v;
	return PV_OK;
}

static void vmx_destroy(struct vcpu *vcpu)
{
	struct vmx_vcpu *v = vmx_of(vcpu);

	if (!v)
		return;
	/* A VMCS still current on some CPU is only ever loaded by VMPTRLD again there; after
	 * this it is never used, and the frame goes back to the pool. */
	for (unsigned cpu = 0; cpu < CONFIG_MAX_CPUS; cpu++) {
		if (vmx_current[cpu].raw == v->vmcs.raw)
			vmx_current[cpu] = hpa(0);
		vmx_lazy_forget(&vmx_lazy_owner[cpu], &v->lazy);
	}
	page_pool_free(&hal_pages, v->vmcs, 0);
	page_pool_free(&hal_pages, v->self, 0);
	vcpu->arch = NULL;
}

static void vmx_set_entry(struct vcpu *vcpu, gpa_t entry, uint64_t arg)
{
	struct vmx_vcpu *v = vmx_of(vcpu);

	v->entry_rip = entry.raw;
	v->entry_arg = arg;
	/* The core starts vCPUs only through vm_cpu_up: the vLAPIC says whether this start is the
	 * Start-Up IPI the vCPU waited for after an INIT. */
	v->reset_real = vlapic_sipi_take(vcpu, entry.raw);
	v->reset_pending = true;
}

static void vmx_attach_s2(struct vcpu *vcpu, struct s2_space *space)
{
	vmx_of(vcpu)->eptp = s2_ept_eptp(space->root);
}

static void write_segment(enum vmcs_seg seg, uint16_t sel, uint64_t base, uint32_t limit,
			  uint32_t ar)
{
	vmcs_write(VMCS_GUEST_ES_SEL + 2u * seg, sel);
	vmcs_write(VMCS_GUEST_ES_BASE + 2u * seg, base);
	vmcs_write(VMCS_GUEST_ES_LIMIT + 2u * seg, limit);
	vmcs_write(VMCS_GUEST_ES_AR + 2u * seg, ar);
}

/* Segments after INIT and a Start-Up IPI at entry = V << 12: real mode, 64 KiB segments. */
static void load_real_segments(uint64_t entry)
{
	static const enum vmcs_seg data[] = { VMCS_SEG_SS, VMCS_SEG_DS, VMCS_SEG_ES, VMCS_SEG_FS,
					      VMCS_SEG_GS };

	write_segment(VMCS_SEG_CS, (uint16_t)(entry >> 4), entry, 0xffffu, AR_CODE16);
	for (unsigned i = 0; i < PV_ARRAY_SIZE(data); i++)
		write_segment(data[i], 0, 0, 0xffffu, AR_DATA16);
	write_segment(VMCS_SEG_LDTR, 0, 0, 0xffffu, AR_LDT);
	write_segment(VMCS_SEG_TR, 0, 0, 0xffffu, AR_TSS32_BUSY);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0xffff);
}

/* The architectural start state described at the top of the file. */
static void load_reset_state(struct vmx_vcpu *v, unsigned cpu)
{
	const uint64_t cr0 = v->reset_real ? CR0_AFTER_INIT : X86_CR0_PE | X86_CR0_ET;

	vmcs_write(VMCS_GUEST_CR0, vmx_guest_cr0(&vmx_ctls, cr0));
	vmcs_write(VMCS_CR0_SHADOW, cr0);
	vmcs_write(VMCS_GUEST_CR4, vmx_guest_cr4(&vmx_ctls, 0));
	vmcs_write(VMCS_CR4_SHADOW, 0);
	vmcs_write(VMCS_GUEST_CR3, 0);
	vmcs_write(VMCS_GUEST_GDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, 0);
	vmcs_write(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0);
	if (v->reset_real) {
		load_real_segments(v->entry_rip);
	} else {
		write_segment(VMCS_SEG_CS, 0x08, 0, 0xffffffffu, AR_CODE32);
		write_segment(VMCS_SEG_SS, 0x10, 0, 0xffffffffu, AR_DATA32);
		write_segment(VMCS_SEG_DS, 0x10, 0, 0xffffffffu, AR_DATA32);
		write_segment(VMCS_SEG_ES, 0x10, 0, 0xffffffffu, AR_DATA32);
		write_segment(VMCS_SEG_FS, 0x10, 0, 0xffffffffu, AR_DATA32);
		write_segment(VMCS_SEG_GS, 0x10, 0, 0xffffffffu, AR_DATA32);
		write_segment(VMCS_SEG_LDTR, 0, 0, 0, AR_UNUSABLE);
		write_segment(VMCS_SEG_TR, 0, 0, 0xff, AR_TSS32_BUSY);
	}
	vmcs_write(VMCS_GUEST_DR7, X86_DR7_RESET);
	vmcs_write(VMCS_GUEST_DEBUGCTL, 0);
	vmcs_write(VMCS_GUEST_PAT, X86_PAT_POWER_ON);
	vmcs_write(VMCS_GUEST_RFLAGS, RFLAGS_RESERVED);
	vmcs_write(VMCS_GUEST_RSP, 0);
	vmcs_write(VMCS_GUEST_RIP, v->reset_real ? 0 : v->entry_rip);
	vmcs_write(VMCS_GUEST_EFER, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmcs_write(VMCS_GUEST_ACTIVITY, 0);
	vmcs_write(VMCS_GUEST_PENDING_DBG, 0);
	vmcs_write(VMCS_ENTRY_CTLS, vmx_ctls.entry);
	vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	memset(&v->g, 0, sizeof(v->g));
	if (!v->reset_real) { /* EBX too: where PVH kernels take their start info */
		v->g.r[X86_RDI] = v->entry_arg;
		v->g.r[X86_RBX] = v->entry_arg;
	}
	vmx_lazy_reset(&v->lazy);
	/* The registers may hold this vCPU's state from before the reset: load the image above. */
	vmx_lazy_forget(&vmx_lazy_owner[cpu], &v->lazy);
	x86_icache_invalidate(&v->icache);
	v->inject_info = 0;
	v->reset_pending = false;
}

static uint64_t sidt_base(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} PV_PACKED idtr;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	return idtr.base;
}

/* The hypervisor's state on this CPU, which every VM exit loads. */
static void write_host_state(unsigned cpu)
{
	uint64_t tss_lo = x86_gdt[X86_SEL_TSS(cpu) / 8];
	uint64_t tss_hi = x86_gdt[X86_SEL_TSS(cpu) / 8 + 1];
	uint64_t tss_base = ((tss_lo >> 16) & 0xffffffu) | ((tss_lo >> 56) << 24) | (tss_hi << 32);

	vmcs_write(VMCS_HOST_CR0, x86_read_cr0());
	vmcs_write(VMCS_HOST_CR3, x86_read_cr3());
	vmcs_write(VMCS_HOST_CR4, x86_read_cr4());
	vmcs_write(VMCS_HOST_CS_SEL, X86_SEL_CODE);
	vmcs_write(VMCS_HOST_SS_SEL, X86_SEL_DATA);
	vmcs_write(VMCS_HOST_DS_SEL, X86_SEL_DATA);
	vmcs_write(VMCS_HOST_ES_SEL, X86_SEL_DATA);
	vmcs_write(VMCS_HOST_FS_SEL, X86_SEL_DATA);
	vmcs_write(VMCS_HOST_GS_SEL, X86_SEL_DATA);
	vmcs_write(VMCS_HOST_TR_SEL, X86_SEL_TSS(cpu));
	vmcs_write(VMCS_HOST_FS_BASE, 0);
	vmcs_write(VMCS_HOST_GS_BASE, 0);
	vmcs_write(VMCS_HOST_TR_BASE, tss_base);
	vmcs_write(VMCS_HOST_GDTR_BASE, (uint64_t)(uintptr_t)x86_gdt);
	vmcs_write(VMCS_HOST_IDTR_BASE, sidt_base());
	vmcs_write(VMCS_HOST_SYSENTER_CS, 0);
	vmcs_write(VMCS_HOST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_HOST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_HOST_EFER, x86_rdmsr(X86_MSR_EFER));
	vmcs_write(VMCS_HOST_PAT, x86_rdmsr(X86_MSR_PAT));
	vmcs_write(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_stub);
}

static int vmcs_setup(struct vmx_vcpu *v, unsigned cpu)
{
	if (vmcs_clear(v->vmcs.raw) || vmcs_load(v->vmcs.raw))
		return -PV_EINVAL;
	vmx_current[cpu] = v->vmcs;
	v->proc = vmx_ctls.proc;
	vmcs_write(VMCS_PIN_CTLS, vmx_ctls.pin);
	vmcs_write(VMCS_PROC_CTLS, v->proc);
	vmcs_write(VMCS_PROC2_CTLS, vmx_ctls.proc2);
	vmcs_write(VMCS_EXIT_CTLS, vmx_ctls.exit);
	vmcs_write(VMCS_ENTRY_CTLS, vmx_ctls.entry);
	if (vmx_ctls.vpid)
		vmcs_write(VMCS_VPID, v->vpid);
	vmcs_write(VMCS_EXCEPTION_BITMAP, 0);
	vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
	vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_MSR_BITMAP, (uint64_t)(uintptr_t)vmx_msr_bitmap);
	vmcs_write(VMCS_EPTP, v->eptp);
	vmcs_write(VMCS_CR0_MASK, vmx_cr0_owned(&vmx_ctls));
	vmcs_write(VMCS_CR4_MASK, vmx_cr4_owned(&vmx_ctls));
	vmcs_write(VMCS_LINK_POINTER, ~0ULL);
	write_host_state(cpu);
	v->g.host_rsp = 0; /* HOST_RSP is not written yet */
	/* This CPU has not run the space before, but another may have changed it since boot. */
	arch_backend.s2_tlb->invalidate_all(&v->vcpu->vm->s2);
	v->initialized = true;
	return PV_OK;
}

void vmx_inject_exception(struct vmx_vcpu *v, unsigned vector, bool has_error, uint32_t error)
{
	v->inject_info = vector | VMX_INTR_TYPE_HW_EXC << VMX_INTR_TYPE_SHIFT | VMX_INTR_VALID |
			 (has_error ? VMX_INTR_HAS_ERROR : 0);
	v->inject_err = error;
	v->inject_len = 0;
}

static void set_proc(struct vmx_vcpu *v, uint32_t proc)
{
	if (proc != v->proc) {
		v->proc = proc;
		vmcs_write(VMCS_PROC_CTLS, proc);
	}
}

/* One event per entry: a held one (an exception we inject, or one whose delivery an exit cut
 * short) first; otherwise the vLAPIC's highest vector if the guest can take an interrupt now,
 * else an exit as soon as it can (interrupt window). */
static void prepare_events(struct vmx_vcpu *v)
{
	bool window = false;
	int vector;

	if (v->inject_info & VMX_INTR_VALID) {
		vmcs_write(VMCS_ENTRY_INTR_INFO, v->inject_info);
		if (v->inject_info & VMX_INTR_HAS_ERROR)
			vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, v->inject_err);
		vmcs_write(VMCS_ENTRY_INSTR_LEN, v->inject_len);
		v->inject_info = 0;
		window = vlapic_next_vector(v->vcpu) >= 0;
	} else if ((vector = vlapic_next_vector(v->vcpu)) >= 0) {
		uint64_t rflags = vmcs_read(VMCS_GUEST_RFLAGS);
		uint64_t block = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);

		if ((rflags & X86_RFLAGS_IF) && !(block & (VMX_BLOCK_STI | VMX_BLOCK_MOV_SS))) {
			vmcs_write(VMCS_ENTRY_INTR_INFO, (uint32_t)vector | VMX_INTR_VALID);
			vlapic_accept(v->vcpu, (unsigned)vector);
		} else {
			window = true;
		}
	}
	set_proc(v, window ? v->proc | (uint32_t)VMX_PROC_INTR_WINDOW
			   : v->proc & ~(uint32_t)VMX_PROC_INTR_WINDOW);
}

/*
 * Enters the guest and handles its exits here, with the core's vm_exit_step (the run loop's
 * steps of one exit: interrupt sync, exit count, dispatch, stop checks, interrupt flush),
 * until one ends the vCPU's run: then a VCPU_EXIT_NONE exit goes back to the run loop, which ends
 * the vCPU. The run loop itself has nothing else to do between exits, so staying here only saves
 * the return and call. Entry failures go back as they are.
 */
/* The VMX-preemption timer ends the guest's run at the CPU's earliest hypervisor deadline
 * (hal/hv_timer.h: the scheduler's slice), as the timer interrupt also would: an emulator may not
 * turn an external interrupt into an exit while the guest masks interrupts. It counts down at
 * the TSC's rate shifted right by IA32_VMX_MISC[4:0]. */
static void vmx_preempt_timer_arm(void)
{
	uint64_t deadline, now, left;

	if (!(vmx_ctls.pin & VMX_PIN_PREEMPT))
		return;
	deadline = hv_timer_next();
	now = hal_cpu.timer_now();
	left = !deadline ? UINT32_MAX : deadline > now ? (deadline - now) >> vmx_preempt_shift : 0;
	vmcs_write(VMCS_GUEST_PREEMPT_TIMER, left > UINT32_MAX ? UINT32_MAX : left);
}

static void vmx_run(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct vmx_vcpu *v = vmx_of(vcpu);
	unsigned cpu = vcpu->pcpu;
	int res;

	for (;;) {
		if (!v->initialized) {
			if (vmcs_setup(v, cpu)) {
				exit->kind = VCPU_EXIT_ENTRY_FAIL;
				exit->entry_fail.reason = 0;
				exit->entry_fail.detail = v->vmcs.raw;
				return;
			}
		} else if (vmx_current[cpu].raw != v->vmcs.raw) {
			if (vmcs_load(v->vmcs.raw))
				hal_panic("vmx: cannot make the VMCS of vm %s vcpu %u current",
					  vcpu->vm->name, vcpu->id);
			vmx_current[cpu] = v->vmcs;
		}
		if (v->reset_pending)
			load_reset_state(v, cpu);
		prepare_events(v);
		vmx_preempt_timer_arm();
		vmx_lazy_enter(&vmx_lazy_owner[cpu], &v->lazy, &vmx_lazy_cpu, vmx_lazy_nmsrs);

		res = vmx_enter(&v->g, v->launched);
		if (res) {
			/* VMfailValid leaves the reason in the VM-instruction error field (SDM vol.
			 * 3, "VM-Instruction Error Numbers"); VMfailInvalid has none. */
			exit->kind = VCPU_EXIT_ENTRY_FAIL;
			exit->entry_fail.reason = res == 2 ? vmcs_read(VMCS_VM_INSTR_ERROR) : 0;
			exit->entry_fail.detail = (uint64_t)res;
			hal_printf("vmx: vm %s vcpu %u: %s failed: %s, VM-instruction error %llu\n",
				   vcpu->vm->name, vcpu->id, v->launched ? "VMRESUME" : "VMLAUNCH",
				   res == 2 ? "VMfailValid" : "VMfailInvalid",
				   (unsigned long long)exit->entry_fail.reason);
			return;
		}
		v->launched = true;
		vmx_decode_exit(v, exit);
		if (!vm_exit_step(vcpu, exit, vm_exit_virq_sync, vm_exit_virq_flush,
				  vm_exit_complete)) {
			exit->kind = VCPU_EXIT_NONE;
			return;
		}
	}
}

uint64_t vmx_get_gpr(struct vmx_vcpu *v, unsigned reg)
{
	if (reg == X86_RSP)
		return vmcs_read(VMCS_GUEST_RSP);
	return v->g.r[reg & 15u];
}

void vmx_set_gpr(struct vmx_vcpu *v, unsigned reg, uint64_t value)
{
	if (reg == X86_RSP)
		vmcs_write(VMCS_GUEST_RSP, value);
	else
		v->g.r[reg & 15u] = value;
}

/* Skips the emulated instruction. An STI or MOV SS right before it blocked interrupts for one
 * instruction only; that instruction is now done. */
void vmx_advance_rip(struct vmx_vcpu *v, uint32_t len)
{
	uint64_t block = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);

	(void)v; /* the VMCS is the current one: the vCPU runs on this CPU */
	vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) + len);
	if (block & (VMX_BLOCK_STI | VMX_BLOCK_MOV_SS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   block & ~(VMX_BLOCK_STI | VMX_BLOCK_MOV_SS));
}

/* A load's result into its register with the width rules of x86: 32-bit results clear the
 * upper half, 8- and 16-bit ones merge (AH..BH are bits 15:8 of RAX..RBX). */
static void write_load_result(struct vmx_vcpu *v, unsigned reg, unsigned width, bool high8,
			      uint64_t data)
{
	uint64_t old = vmx_get_gpr(v, reg);

	if (high8)
		vmx_set_gpr(v, reg, (old & ~0xff00ULL) | (data & 0xffu) << 8);
	else if (width == 1)
		vmx_set_gpr(v, reg, (old & ~0xffULL) | (data & 0xffu));
	else if (width == 2)
		vmx_set_gpr(v, reg, (old & ~0xffffULL) | (data & 0xffffu));
	else if (width == 4)
		vmx_set_gpr(v, reg, data & 0xffffffffu);
	else
		vmx_set_gpr(v, reg, data);
}

static void vmx_complete(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct vmx_vcpu *v = vmx_of(vcpu);

	switch (exit->kind) {
	case VCPU_EXIT_HYPERCALL:
		v->g.r[X86_RAX] = (uint64_t)exit->hcall.ret;
		v->g.r[X86_RDX] = exit->hcall.value;
		vmx_advance_rip(v, v->exit_len);
		break;
	case VCPU_EXIT_MMIO:
		if (!exit->mmio.write)
			write_load_result(v, exit->mmio.reg, exit->mmio.reg_width, v->mmio_high8,
					  exit->mmio.data);
		vmx_advance_rip(v, v->mmio_len);
		break;
	case VCPU_EXIT_PIO:
		if (!exit->pio.write)
			write_load_result(v, X86_RAX, exit->pio.width, false, exit->pio.data);
		vmx_advance_rip(v, v->exit_len);
		break;
	case VCPU_EXIT_SYSREG:
		if (!exit->sysreg.write) {
			v->g.r[X86_RAX] = exit->sysreg.data & 0xffffffffu;
			v->g.r[X86_RDX] = exit->sysreg.data >> 32;
		}
		vmx_advance_rip(v, v->exit_len);
		break;
	case VCPU_EXIT_HALT:
		vmx_advance_rip(v, v->exit_len);
		break;
	case VCPU_EXIT_CPU_UP:
		/* A Start-Up IPI (vlapic_sipi_exit): the WRMSR is executed again, and completes
		 * as an ordinary ICR write once no vCPU waits for it any more. */
		vlapic_sipi_done(vcpu, exit);
		break;
	default:
		break;
	}
}

/* Every bad access (unbacked MMIO, port or MSR, EPT fault) raises #GP(0): a fault the guest
 * takes through its IDT at the faulting instruction, which is not completed. */
static int vmx_inject_fault(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	(void)exit;
	vmx_inject_exception(vmx_of(vcpu), 13, true, 0);
	return PV_OK;
}

/* The VMCS can be read only where it is current; before the first run the reset state is all
 * there is. */
static bool vmcs_here(const struct vmx_vcpu *v)
{
	return v->initialized && vmx_current[hal_cpu.cpu_id()].raw == v->vmcs.raw;
}

static int vmx_get_reg(struct vcpu *vcpu, unsigned reg, uint64_t *value)
{
	struct vmx_vcpu *v = vmx_of(vcpu);
	static const uint8_t args[4] = { X86_RDI, X86_RSI, X86_RDX, X86_RCX };

	if (reg == VCPU_REG_PC)
		*value = vmcs_here(v) && !v->reset_pending ? vmcs_read(VMCS_GUEST_RIP)
							   : v->entry_rip;
	else if (reg == VCPU_REG_SP)
		*value = vmcs_here(v) ? vmcs_read(VMCS_GUEST_RSP) : 0;
	else if (reg >= VCPU_REG_ARG0 && reg <= VCPU_REG_ARG3)
		*value = v->g.r[args[reg - VCPU_REG_ARG0]];
	else if (reg >= VCPU_REG_GPR_BASE && reg < VCPU_REG_GPR_BASE + (unsigned)X86_GPR_COUNT &&
		 (reg - VCPU_REG_GPR_BASE != X86_RSP || vmcs_here(v)))
		*value = vmx_get_gpr(v, reg - VCPU_REG_GPR_BASE);
	else
		return -PV_EINVAL;
	return PV_OK;
}

static int vmx_set_reg(struct vcpu *vcpu, unsigned reg, uint64_t value)
{
	struct vmx_vcpu *v = vmx_of(vcpu);
	static const uint8_t args[4] = { X86_RDI, X86_RSI, X86_RDX, X86_RCX };

	if (reg == VCPU_REG_PC && vmcs_here(v))
		vmcs_write(VMCS_GUEST_RIP, value);
	else if (reg == VCPU_REG_SP && vmcs_here(v))
		vmcs_write(VMCS_GUEST_RSP, value);
	else if (reg >= VCPU_REG_ARG0 && reg <= VCPU_REG_ARG3)
		v->g.r[args[reg - VCPU_REG_ARG0]] = value;
	else if (reg >= VCPU_REG_GPR_BASE && reg < VCPU_REG_GPR_BASE + (unsigned)X86_GPR_COUNT &&
		 (reg - VCPU_REG_GPR_BASE != X86_RSP || vmcs_here(v)))
		vmx_set_gpr(v, reg - VCPU_REG_GPR_BASE, value);
	else
		return -PV_EINVAL;
	return PV_OK;
}

static int vmx_inject_irq(struct vcpu *vcpu, uint32_t virq)
{
	return vlapic_ops.send_ipi(vcpu, vcpu, virq);
}

const struct vcpu_ops vmx_vcpu_ops = {
	.probe = vmx_probe,
	.cpu_enable = vmx_cpu_enable,
	.cpu_disable = vmx_cpu_disable,
	.create = vmx_create,
	.destroy = vmx_destroy,
	.set_entry = vmx_set_entry,
	.attach_s2 = vmx_attach_s2,
	.run = vmx_run,
	.complete = vmx_complete,
	.inject_fault = vmx_inject_fault,
	.get_reg = vmx_get_reg,
	.set_reg = vmx_set_reg,
	.inject_irq = vmx_inject_irq,
};
