/* SPDX-License-Identifier: MIT */
/*
 * The arch-neutral exit: why a vCPU stopped running guest code, already decoded by the backend.
 * The run loop dispatches on .kind, fills in the result fields it owns, and hands the exit back to
 * the backend's complete() to finish the guest instruction (write a register, advance the PC).
 */
#ifndef VCPU_EXIT_H
#define VCPU_EXIT_H

#include <pv/types.h>

enum vcpu_exit_kind {
	VCPU_EXIT_NONE = 0,  /* nothing to do (e.g. a spurious trap already handled); run again */
	VCPU_EXIT_HYPERCALL, /* the project's hypercall ABI (see vm/hypercall.h) */
	VCPU_EXIT_MMIO,	     /* load or store to an unbacked guest-physical address, decoded */
	VCPU_EXIT_SYSREG,    /* trapped system register / CSR / MSR access */
	VCPU_EXIT_PIO,	     /* port I/O (a separate I/O address space) */
	VCPU_EXIT_S2_FAULT,  /* stage-2 fault that could not be decoded as MMIO */
	VCPU_EXIT_HALT,	  /* guest idles (its wait-for-interrupt instruction) until an interrupt */
	VCPU_EXIT_IRQ,	  /* a physical interrupt arrived for the hypervisor */
	VCPU_EXIT_CPU_UP, /* guest asks to start another vCPU (firmware call or hypercall) */
	VCPU_EXIT_CPU_DOWN,	/* guest stops the calling vCPU */
	VCPU_EXIT_SYSTEM_OFF,	/* guest powers its VM off */
	VCPU_EXIT_SYSTEM_RESET, /* guest resets its VM */
	VCPU_EXIT_ENTRY_FAIL,	/* the hardware refused to enter the guest */
	VCPU_EXIT_KIND_COUNT
};

/* Access kinds of a stage-2 fault. */
enum {
	VCPU_ACCESS_READ = 1u << 0,
	VCPU_ACCESS_WRITE = 1u << 1,
	VCPU_ACCESS_EXEC = 1u << 2,
};

#define VCPU_HCALL_ARGS 6

struct vcpu_exit {
	enum vcpu_exit_kind kind;
	union {
		struct {
			uint64_t nr;			/* function number (ABI-neutral) */
			uint64_t args[VCPU_HCALL_ARGS]; /* arguments in order */
			int64_t ret;	/* result, set by the handler (PV_HC_* error or >= 0) */
			uint64_t value; /* second result, set by the handler */
		} hcall;
		struct {
			gpa_t addr;
			uint8_t width; /* bytes: 1, 2, 4 or 8 */
			bool write;
			bool sign_extend; /* loads: sign-extend to the register width */
			uint8_t reg;	  /* backend register number of the source / destination */
			uint8_t reg_width; /* bytes of the destination register (4 for a W register) */
			/* stores: value written; loads: value read, set by the handler */
			uint64_t data;
		} mmio;
		struct {
			uint32_t id; /* backend encoding of the register (documented per backend) */
			bool write;
			uint8_t reg;
			uint64_t data; /* writes: value; reads: result, set by handler */
		} sysreg;
		struct {
			uint16_t port;
			uint8_t width;
			bool write;
			uint64_t data;
		} pio;
		struct {
			gpa_t addr;
			uint8_t access; /* VCPU_ACCESS_* */
			uint64_t pc;	/* guest PC of the faulting instruction */
		} fault;
		struct {
			/* target vCPU id in the guest's numbering (its CPU id register) */
			uint64_t target;
			uint64_t entry; /* guest PC to start at */
			uint64_t arg;	/* value for the first argument register */
			int64_t ret;	/* set by the handler: 0 or a PV_HC_* error */
		} cpu_up;
		struct {
			uint64_t reason; /* backend-specific code (VM-instruction error, ...) */
			uint64_t detail;
		} entry_fail;
		struct {
			uint32_t
				irq; /* physical interrupt number, if the backend acknowledged it */
		} irq;
	};
};

const char *vcpu_exit_kind_name(enum vcpu_exit_kind kind);

#endif
