/* SPDX-License-Identifier: MIT */
/*
 * The SBI implementation guests see (SBI specification 2.0): a VS-mode ECALL lands here with the
 * guest's registers. Calls the hypervisor can answer on the spot (BASE, TIME, IPI, RFENCE, HSM
 * status, DBCN, legacy console) are answered in the register file; the rest become arch-neutral
 * exits for the core (the Polyvisor hypercall extension, HSM hart_start / hart_stop /
 * hart_suspend, SRST). Every extension BASE says is there is implemented whole; PMU, SUSP, CPPC,
 * NACL, STA and the rest are not there. Pure C, host-tested: the hardware-facing effects go
 * through the riscv_vsbi_* hooks below, which the backend defines.
 */
#ifndef RISCV64_VSBI_H
#define RISCV64_VSBI_H

#include <vcpu/vcpu.h>
#include <vm/hypercall.h>

/* Extension ids guests may call (the hypervisor's own calls use riscv64/sbi.h). */
#define VSBI_EXT_LEGACY_SET_TIMER 0x00
#define VSBI_EXT_LEGACY_PUTCHAR	  0x01
#define VSBI_EXT_LEGACY_GETCHAR	  0x02
#define VSBI_EXT_LEGACY_SEND_IPI  0x04
#define VSBI_EXT_LEGACY_SHUTDOWN  0x08
#define VSBI_EXT_BASE		  0x10
#define VSBI_EXT_TIME		  0x54494d45
#define VSBI_EXT_IPI		  0x735049
#define VSBI_EXT_RFENCE		  0x52464e43
#define VSBI_EXT_HSM		  0x48534d
#define VSBI_EXT_SRST		  0x53525354
#define VSBI_EXT_DBCN		  0x4442434e
#define VSBI_EXT_POLYVISOR	  0x0a005056 /* docs/hypercalls.md */

#define VSBI_SPEC_VERSION 0x02000000 /* SBI 2.0 */
#define VSBI_IMPL_ID	  0x5056     /* "PV": not in the SBI registry's assigned range */
#define VSBI_IMPL_VERSION 0x00010000

/* SBI error codes. */
#define VSBI_SUCCESS	       0
#define VSBI_ERR_FAILED	       (-1)
#define VSBI_ERR_NOT_SUPPORTED (-2)
#define VSBI_ERR_INVALID_PARAM (-3)
#define VSBI_ERR_DENIED	       (-4)
#define VSBI_ERR_INVALID_ADDR  (-5)
#define VSBI_ERR_ALREADY_AVAIL (-6)
#define VSBI_ERR_ALREADY_START (-7)

/* HSM hart states. */
#define VSBI_HSM_STARTED       0
#define VSBI_HSM_STOPPED       1
#define VSBI_HSM_START_PENDING 2
#define VSBI_HSM_SUSPENDED     4

/* HSM hart_suspend types: the two default ones; the rest are reserved (below 0x10000000 and
 * between 0x80000001 and 0x8fffffff) or platform-specific, which this platform has none of. */
#define VSBI_SUSPEND_RETENTIVE	   0x00000000u
#define VSBI_SUSPEND_NON_RETENTIVE 0x80000000u

/* Guest register numbers of the SBI convention. */
#define VSBI_A0 10
#define VSBI_A1 11
#define VSBI_A6 16
#define VSBI_A7 17

/* Handles the ECALL of @vcpu whose integer registers are @x. Either answers it (a0/a1 written,
 * exit->kind = VCPU_EXIT_NONE; the caller moves the pc past the ecall) or decodes it into @exit
 * for the core, to be finished by riscv_vsbi_complete. Context: the vCPU's hart, after an exit. */
void riscv_vsbi_call(struct vcpu *vcpu, uint64_t x[32], struct vcpu_exit *exit);

/* Writes the results of an exit decoded by riscv_vsbi_call into a0/a1. */
void riscv_vsbi_complete(const struct vcpu_exit *exit, uint64_t x[32]);

/* The Polyvisor hypercall error (PV_HC_*) as the SBI error the guest sees. */
static inline int64_t riscv_vsbi_hc_error(int64_t ret)
{
	if (ret >= 0)
		return ret;
	switch (ret) {
	case PV_HC_ENOSYS:
		return VSBI_ERR_NOT_SUPPORTED;
	case PV_HC_EINVAL:
		return VSBI_ERR_INVALID_PARAM;
	case PV_HC_EDENIED:
		return VSBI_ERR_DENIED;
	case PV_HC_EALREADY:
		return VSBI_ERR_ALREADY_START;
	default:
		return VSBI_ERR_FAILED;
	}
}

/* The Polyvisor extension (a7 = VSBI_EXT_POLYVISOR): function a6, arguments a0..a5, decoded
 * into a VCPU_EXIT_HYPERCALL for the core. Inline: the backend's exit path calls it directly
 * for the most frequent ECALL; riscv_vsbi_call does the same for the others. */
static inline void riscv_vsbi_hcall(const uint64_t x[32], struct vcpu_exit *exit)
{
	_Static_assert(VCPU_HCALL_ARGS == 6, "a0..a5");
	exit->kind = VCPU_EXIT_HYPERCALL;
	exit->hcall.nr = x[VSBI_A6];
	exit->hcall.args[0] = x[VSBI_A0];
	exit->hcall.args[1] = x[VSBI_A0 + 1];
	exit->hcall.args[2] = x[VSBI_A0 + 2];
	exit->hcall.args[3] = x[VSBI_A0 + 3];
	exit->hcall.args[4] = x[VSBI_A0 + 4];
	exit->hcall.args[5] = x[VSBI_A0 + 5];
}

/* The core's answer to a VCPU_EXIT_HYPERCALL as SBI results: error in a0, value in a1. */
static inline void riscv_vsbi_hcall_complete(const struct vcpu_exit *exit, uint64_t x[32])
{
	x[VSBI_A0] = (uint64_t)riscv_vsbi_hc_error(exit->hcall.ret);
	x[VSBI_A1] = exit->hcall.value;
}

/* Hooks, defined by the backend (and by the host tests). Context: the calling vCPU's hart. */
/* Programs the VS timer of @vcpu (the calling vCPU) for @deadline, clearing a pending one. */
void riscv_vsbi_set_timer(struct vcpu *vcpu, uint64_t deadline);
/* Raises a virtual software interrupt on @to. */
void riscv_vsbi_send_ipi(struct vcpu *from, struct vcpu *to);
/* Makes each of the @n vCPUs @to perform fence @what (RISCV_FENCE_*) and returns once they all
 * have, as far as their guest can tell (riscv64/rfence.h). @from may be among them. */
void riscv_vsbi_remote_fence(struct vcpu *from, struct vcpu *const *to, unsigned n, unsigned what);
/* HSM hart_suspend of @vcpu (the caller), accepted: it idles like WFI (a HALT exit) until an
 * interrupt it enabled in sie is pending. Retentive: it then continues after the ECALL.
 * @non_retentive: at @resume_addr in VS-mode with satp and sstatus.SIE clear (a0 and a1 are
 * set by the caller), the rest of its state as it is. */
void riscv_vsbi_suspend(struct vcpu *vcpu, bool non_retentive, uint64_t resume_addr);
/* Whether @vcpu is suspended (HSM SUSPENDED) rather than started. */
bool riscv_vsbi_suspended(const struct vcpu *vcpu);

#endif
