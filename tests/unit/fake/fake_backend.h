/* SPDX-License-Identifier: MIT */
/*
 * The fake backend: every vtable the core needs, implemented in software for host tests. vCPUs
 * replay scripted exits and record what the core asks of them (completions, injected faults and
 * interrupts, register writes); the HAL records IPIs and waits and captures the console.
 */
#ifndef FAKE_BACKEND_H
#define FAKE_BACKEND_H

#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <vm/vm.h>

#define FAKE_MAX_SCRIPT	      64
#define FAKE_NREGS	      32
#define FAKE_MAX_RECORDS      64
#define FAKE_ENTRY_FAIL_EMPTY 0xe0e0u /* entry_fail.reason when a vCPU's script ran out */

/* The fake VM description side (fake_vm_desc.c). */
#define FAKE_ELF_MACHINE  0x7e7e
#define FAKE_INTC_PHANDLE 0x7
#define FAKE_INFO_OFFSET  0x8000 /* "FAKEKRNI" kernels' boot information (fake_vm_desc.c) */
#define FAKE_INFO_SIZE	  0x1000
#define FAKE_INFO_ARG0	  0x1f0
#define FAKE_INTC_BASE	  0x7f000000ULL
#define FAKE_INTC_SIZE	  0x10000ULL
/* Passthrough: the hypervisor's own device on the fake board (arch_vm_desc.host_ranges), the host
 * lines a VM may own (0..FAKE_MAX_HOST_LINE), and the host tree's specifiers: two cells,
 * <FAKE_HOST_IRQ_BASE + line, flags>; guest ones are one cell, line + 100. */
#define FAKE_HV_UART	    0x09000000ULL
#define FAKE_HV_UART_SIZE   0x1000ULL
#define FAKE_MAX_HOST_LINE  200u
#define FAKE_HOST_IRQ_BASE  1000u
#define FAKE_MAX_PT_RECORDS 16

/* Backend state of one fake vCPU (vcpu->arch). */
struct fake_vcpu {
	uint64_t pc;
	uint64_t regs[FAKE_NREGS];
	gpa_t entry;
	uint64_t entry_arg;
	struct s2_space *s2;
	struct vcpu_exit script[FAKE_MAX_SCRIPT];
	unsigned script_len, script_pos;
	unsigned ncompleted;
	struct vcpu_exit completed[FAKE_MAX_RECORDS];
	unsigned nfaults;
	struct vcpu_exit faults[FAKE_MAX_RECORDS];
	unsigned nirqs;
	uint32_t irqs[FAKE_MAX_RECORDS];
	bool irq_pending;
	uint64_t wake_at;      /* what vcpu_ops.wake_deadline answers */
	unsigned resets;       /* reset() calls */
	unsigned reset_on_cpu; /* the CPU the last reset() ran on */
	unsigned idle_calls;   /* idle_exits() calls */
	bool idle_in_guest;    /* idle_exits() was told false last */
};

/* Knobs and records of the fake hardware. Reset by fake_reset(). */
#define FAKE_LINES 256

struct fake_hw {
	unsigned current_cpu;		/* what hal_cpu.cpu_id() returns */
	uint64_t now;			/* what hal_cpu.timer_now() returns (1 MHz) */
	uint64_t run_ticks;		/* added to now by every run(): guest time passing */
	uint64_t timer_armed;		/* the last deadline hal_cpu.timer_arm received */
	void (*on_run)(struct vcpu *v); /* called by run() before it returns the next exit */
	unsigned nran;
	struct vcpu *ran[256]; /* which vCPU each run() call was for */
	bool probe_supported;
	int create_error; /* vcpu create() fails with this when non-zero */
	unsigned create_calls, destroy_calls;
	bool inject_fault_fails; /* inject_fault() answers -PV_ENOTSUP */
	unsigned ipis[8];	 /* IPIs sent, per target CPU */
	unsigned waits;		 /* wait_for_interrupt() calls */
	void (*on_wait)(void);	 /* runs inside wait_for_interrupt: another CPU's work */
	unsigned tlb_range_calls, tlb_all_calls;
	unsigned powered_off;
	/* virq_ops.pt_attach calls (host line, guest number) and pt_release calls. */
	unsigned npt_attach;
	uint32_t pt_host[FAKE_MAX_PT_RECORDS], pt_guest[FAKE_MAX_PT_RECORDS];
	int pt_attach_error; /* pt_attach fails with this when non-zero */
	unsigned pt_release_calls;
	char log[16384]; /* console output */
	size_t log_len;
	unsigned nsync, nflush; /* virq_ops.sync / .flush calls, and the fast entry's */
	/* A backend's fast path: run() gives it each exit; true means it handled the exit and the
	 * guest is entered again, false that run() returns the exit (as the function left it). */
	bool (*fast_entry)(struct vcpu *v, struct vcpu_exit *exit);
	int console_irq;       /* what console_rx_start() answers (-1: the UART cannot interrupt) */
	bool irq_enable_fails; /* irq_enable() refuses */
	unsigned irq_enabled;  /* the last interrupt irq_enable() turned on */
	char rx[512];	       /* bytes console_getc() hands out */
	size_t rx_len, rx_pos;
	/* Device interrupt lines as virq_ops.set_line last set them, and how many calls; a test
	 * may also hand every call to an interrupt controller of its own. */
	bool line[FAKE_LINES];
	unsigned set_line_calls;
	int (*set_line_hook)(struct vm *vm, struct vcpu *target, uint32_t irq, bool level);
	unsigned reset_calls; /* vcpu reset() calls */
	int virq_init_error;  /* the interrupt controller's vm_init fails with this */
};

extern struct fake_hw fake_hw;

void fake_reset(void);

/* Queues @exit as the next exit vcpu @v returns from run(). */
void fake_script(struct vcpu *v, struct vcpu_exit exit);

static inline struct fake_vcpu *fake_vcpu(struct vcpu *v)
{
	return v->arch;
}

/* Whether the captured console output contains @needle. */
bool fake_log_contains(const char *needle);

/* Makes @bytes the console UART's received bytes and takes its interrupt (hv_device_irq). */
void fake_type(const char *bytes, size_t n);

/* The fake interrupt controller's pending flag for @v. */
void fake_virq_set_pending(struct vcpu *v, bool pending);

#endif
