/* SPDX-License-Identifier: MIT */
/*
 * The vCPU backend interface: one const object per architecture backend, reached through
 * arch_backend.vcpu. "Current CPU" below means the physical CPU the vCPU is pinned to; the core
 * guarantees that a vCPU is only ever run, read or written on that CPU, and that no stage-2 or VM
 * lock is held when run() is called.
 */
#ifndef VCPU_VCPU_OPS_H
#define VCPU_VCPU_OPS_H

#include <addrspace/s2.h>
#include <vcpu/exit.h>

struct vcpu;

/* What probe() found out about the hardware. */
struct vcpu_hw_info {
	bool supported;	  /* guests can run */
	char summary[96]; /* one line for the banner, what was found, for the banner */
};

/* Arch-neutral register names; backends map them onto their own file. */
enum vcpu_reg {
	VCPU_REG_PC = 0,
	VCPU_REG_SP,
	VCPU_REG_ARG0, /* first argument / return register of the platform's calling convention */
	VCPU_REG_ARG1,
	VCPU_REG_ARG2,
	VCPU_REG_ARG3,
	VCPU_REG_GPR_BASE = 16, /* VCPU_REG_GPR_BASE + n: backend general register n */
};

/*
 * A member the core may find NULL says what the core does then. A backend in its first steps may
 * leave them all NULL (docs/porting.md); create, set_entry, attach_s2, run and complete come
 * together: vm_create refuses a VM ("cannot run guests yet") while one of them is missing.
 */
struct vcpu_ops {
	/* Probes the current CPU for virtualization support. Context: boot CPU, early boot, no locks;
	 * must not fault on hardware without the extension. NULL: the banner says the backend has no
	 * probe yet, and no guest runs. */
	void (*probe)(struct vcpu_hw_info *info);

	/* Turns virtualization on / off on the current CPU (enter the virtualization mode, trap defaults). Returns PV_OK
	 * or a negative pv_err with the cause printed. Context: each physical CPU once, IRQs off.
	 * cpu_enable NULL: no guest runs. The core does not call cpu_disable today. */
	int (*cpu_enable)(void);
	void (*cpu_disable)(void);

	/* Allocates and initialises the backend state of @vcpu (vcpu->arch). Context: any CPU,
	 * VM lock held; may allocate page frames, never blocks otherwise. destroy NULL: nothing to
	 * release. */
	int (*create)(struct vcpu *vcpu);
	void (*destroy)(struct vcpu *vcpu);

	/* Sets the guest's first instruction and the boot argument (DTB or info pointer) and puts
	 * the vCPU in the architecture's reset state for a kernel entry. Context: any CPU, vCPU not
	 * running. */
	void (*set_entry)(struct vcpu *vcpu, gpa_t entry, uint64_t arg);

	/* Puts @vcpu back in its state right after create(): registers, system registers, FP, its
	 * interrupt-controller CPU interface and timer, and drops whatever the current CPU still
	 * holds of it (lazily switched state, list registers, a running timer) and the
	 * translations the current CPU cached for its VM (the guest's stage 1 is tagged with the
	 * VMID), so nothing of its last run survives a VM restart. The VM's memory, stage 2 and devices are the core's. NULL:
	 * the backend cannot reset vCPUs (VMs are then stopped instead of restarted). Context: the
	 * vCPU's own physical CPU, vCPU stopped or never run, no locks held. */
	void (*reset)(struct vcpu *vcpu);

	/* Makes @space the stage-2 translation the vCPU runs under. Context: vCPU not running. */
	void (*attach_s2)(struct vcpu *vcpu, struct s2_space *space);

	/* Enters the guest and returns at the next exit the core must handle, decoded into @exit.
	 * Context: current CPU, IRQs handled by the backend, no locks held; returns only on an exit. */
	void (*run)(struct vcpu *vcpu, struct vcpu_exit *exit);

	/* Finishes the instruction that caused @exit with the handler's results (loads: write
	 * exit->mmio.data into the register; hypercalls: write ret/value; advance the PC).
	 * Context: current CPU, after run() returned @exit. */
	void (*complete)(struct vcpu *vcpu, const struct vcpu_exit *exit);

	/* Delivers a synchronous fault for the access in @exit to the guest (the
	 * architecture's abort or page-fault exception). Returns -PV_ENOTSUP if the guest cannot take it (then the VM is stopped).
	 * Context: current CPU, after run() returned @exit. NULL: every bad access stops the VM. */
	int (*inject_fault)(struct vcpu *vcpu, const struct vcpu_exit *exit);

	/* Reads / writes a register. -PV_EINVAL for a register the backend does not have.
	 * Context: current CPU (or any CPU while the vCPU was never run), vCPU not running.
	 * get_reg NULL: log lines show PC 0. The core does not call set_reg today. */
	int (*get_reg)(struct vcpu *vcpu, unsigned reg, uint64_t *value);
	int (*set_reg)(struct vcpu *vcpu, unsigned reg, uint64_t value);

	/* Marks virtual interrupt @virq pending for the vCPU; delivered at the next entry.
	 * Context: any CPU, vcpu->virq_lock held; never blocks. The core does not call it today. */
	int (*inject_irq)(struct vcpu *vcpu, uint32_t virq);

	/* For a vCPU that idles off its CPU (VCPU_HALTED, another vCPU may be loaded there): the
	 * hal_cpu.timer_now() value at which its own timer makes an interrupt pending for it, or 0
	 * if it has none armed. virq_ops.pending must say true from then on. NULL: the scheduler
	 * looks again every time slice. Context: the vCPU's CPU, IRQs off; never blocks. */
	uint64_t (*wake_deadline)(struct vcpu *vcpu);

	/* Whether the guest's idle instruction exits to the core (@exits, as after create and
	 * reset) or waits in the guest (!@exits) until an interrupt for the vCPU or for the
	 * hypervisor ends the wait, the vCPU keeping its CPU meanwhile. The core asks for waits in
	 * the guest only where a HALT exit would wait in place anyway and see nothing to do, and
	 * asks for exits again before that changes (vm/run.c vm_idle_exits). NULL: idles always
	 * exit. Context: the vCPU's CPU with the vCPU loaded there, during one of its exits; any
	 * locks may be held; never blocks. */
	void (*idle_exits)(struct vcpu *vcpu, bool exits);
};

#endif
