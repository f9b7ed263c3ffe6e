/* SPDX-License-Identifier: MIT */
/* The x86_64 backend's per-vCPU state, shared by the VMCS code, the exit decoder and the vLAPIC. */
#ifndef X86_VMX_VCPU_H
#define X86_VMX_VCPU_H

#include <stdatomic.h>

#include <vcpu/vcpu.h>
#include <vcpu/vcpu_ops.h>

#include "vmx_ctl.h"
#include "vmx_lazy.h"
#include "x86_icache.h"

/* x86 register numbers, as in ModRM and the exit qualifications. */
enum x86_gpr {
	X86_RAX = 0,
	X86_RCX,
	X86_RDX,
	X86_RBX,
	X86_RSP, /* lives in the VMCS; its slot in vmx_gprs is unused */
	X86_RBP,
	X86_RSI,
	X86_RDI,
	X86_R8,
	X86_GPR_COUNT = 16
};

/* The guest's registers that VM entry and exit do not switch (vmx_entry.S depends on the layout). */
struct vmx_gprs {
	uint64_t r[X86_GPR_COUNT];
	uint64_t cr2;
	/* The HOST_RSP this vCPU's VMCS holds (0: unknown), so that an entry from the same stack
	 * depth writes it once, not at every entry. */
	uint64_t host_rsp;
};

/* Emulated local APIC of one vCPU, x2APIC mode only (vlapic.c). */
struct vlapic {
	_Atomic uint64_t irr[4]; /* requested vectors; set from any CPU */
	_Atomic uint64_t
		tmr[4];	 /* ... of them the level-triggered ones (EOI goes to the I/O APIC) */
	uint64_t isr[4]; /* in service; the vCPU's own CPU only */
	/* IA32_APIC_BASE's mode (VLAPIC_MODE_*), and in xAPIC mode the logical destination
	 * registers the guest writes; read by other CPUs routing interrupts. */
	_Atomic uint32_t mode;
	_Atomic uint32_t ldr, dfr;
	uint32_t tpr, svr, lvt_timer, lvt_other[6];
	uint64_t icr;
	_Atomic uint64_t deadline; /* guest TSC deadline, 0 = disarmed */
	uint64_t host_armed;	   /* what this vCPU last armed the physical timer with */
	/* INIT / Start-Up state (VLAPIC_SIPI_*): 0 (not waiting), WAIT after an INIT, or START |
	 * vector once a Start-Up IPI was accepted and the core is starting the vCPU. */
	_Atomic uint32_t sipi;
};

#define VLAPIC_MODE_X2APIC   0u /* what the hypervisor hands over */
#define VLAPIC_MODE_XAPIC    1u
#define VLAPIC_MODE_DISABLED 2u

#define VLAPIC_SIPI_WAIT  PV_BIT(8)
#define VLAPIC_SIPI_START PV_BIT(9)

struct vmx_vcpu {
	struct vmx_gprs g;    /* first: vmx_entry.S */
	struct vmx_lazy lazy; /* FP/SSE, syscall MSRs, DR0-3/DR6 (vmx_lazy.h) */
	struct vcpu *vcpu;
	hpa_t self, vmcs;
	uint64_t eptp;
	uint16_t vpid;
	bool initialized;   /* the VMCS was set up (on the vCPU's CPU) */
	bool launched;	    /* VMRESUME from now on */
	bool reset_pending; /* set_entry happened: load the reset state before the next entry */
	bool reset_real;    /* ... the state after INIT and Start-Up (real mode at entry_rip) */
	uint64_t entry_rip, entry_arg;
	uint32_t proc; /* primary controls as last written */
	/* Event for the next entry: an exception we inject, or one whose delivery an exit cut
	 * short (IDT-vectoring information), in the VM-entry interruption-information format. */
	uint32_t inject_info;
	uint32_t inject_err;	  /* its error code */
	uint32_t inject_len;	  /* its instruction length (software events) */
	uint32_t exit_len;	  /* length of the instruction that caused the last exit */
	uint8_t mmio_len;	  /* length of the decoded MMIO instruction */
	bool mmio_high8;	  /* its register is AH..BH */
	struct x86_icache icache; /* the last MMIO instruction decoded */
	struct vlapic lapic;
};

static inline struct vmx_vcpu *vmx_of(const struct vcpu *vcpu)
{
	return (struct vmx_vcpu *)vcpu->arch;
}

/* vmx_vcpu.c */
extern struct vmx_controls vmx_ctls;
extern unsigned vmx_lazy_nmsrs; /* how many of vmx_lazy_msrs the guests have */
extern const struct vcpu_ops vmx_vcpu_ops;
uint64_t vmx_get_gpr(struct vmx_vcpu *v, unsigned reg);
void vmx_set_gpr(struct vmx_vcpu *v, unsigned reg, uint64_t value);
void vmx_advance_rip(struct vmx_vcpu *v, uint32_t len);
void vmx_inject_exception(struct vmx_vcpu *v, unsigned vector, bool has_error, uint32_t error);

/* vmx_exit.c: decodes the exit that just happened into @exit. */
void vmx_decode_exit(struct vmx_vcpu *v, struct vcpu_exit *exit);

/* vlapic.c */
extern const struct virq_ops vlapic_ops;
/* Highest vector the vCPU should take now, or -1. */
int vlapic_next_vector(struct vcpu *vcpu);
/* The task priority as CR8 shows it (TPR bits 7:4), and a MOV to CR8 of @cr8 (0-15). The
 * vCPU's own CPU only. */
unsigned vlapic_cr8(struct vcpu *vcpu);
void vlapic_set_cr8(struct vcpu *vcpu, unsigned cr8);
/* The vector was injected: it moves from requested to in service. */
void vlapic_accept(struct vcpu *vcpu, unsigned vector);
/* A guest's WRMSR of @icr to the ICR: if it is a Start-Up IPI for a vCPU waiting for one (after
 * an INIT), marks that vCPU as starting and fills @exit in as the core's CPU_UP exit (target,
 * entry V << 12, argument 0); true then. False for every other write, which goes to the device
 * as a SYSREG exit (where a Start-Up IPI nobody waits for is ignored). */
bool vlapic_sipi_exit(struct vcpu *from, uint64_t icr, struct vcpu_exit *exit);
/* set_entry on @vcpu at @entry: true if this start is the Start-Up IPI it waits for (real-mode
 * start), false for another start (the CPU_ON hypercall). Either way the vCPU no longer waits. */
bool vlapic_sipi_take(struct vcpu *vcpu, uint64_t entry);
/* After the core handled a CPU_UP exit made by vlapic_sipi_exit: a start the core refused
 * (@exit->cpu_up.ret != 0, e.g. the page V << 12 is not guest RAM) drops the Start-Up IPI. */
void vlapic_sipi_done(struct vcpu *from, const struct vcpu_exit *exit);
/* An MMIO write of @value to guest-physical @gpa by @from: if it is the xAPIC page's ICR in xAPIC
 * mode, as vlapic_sipi_exit for the ICR it completes (vlapic_xapic.c). */
#define VLAPIC_XAPIC_ICR 0xfee00300ULL
bool vlapic_xapic_sipi_exit(struct vcpu *from, uint64_t gpa, uint64_t value,
			    struct vcpu_exit *exit);

int vmx_enter(struct vmx_gprs *gprs, int launched);
extern const char vmx_exit_stub[];

#endif
