// SPDX-License-Identifier: MIT
/*
 * FP and vector state of vCPUs that share a physical CPU. The hypervisor is built soft-float and
 * runs with root EUEN 0, so between a guest's exit and its next entry nothing in the hypervisor
 * touches the FP / LSX / LASX registers: they stay the running vCPU's, and are only moved when
 * la_vcpu_load gives the CPU to another vCPU. The whole register file is moved whatever the
 * guest's own EUEN says: a guest may switch its units off while its registers still hold live
 * values (a lazily switching guest kernel does), and the next vCPU must not see them.
 */
#include "la_hw.h"
#include "la_vcpu.h"

_Static_assert(__builtin_offsetof(struct la_fp, fcc) == LA_FP_FCC, "FP layout");
_Static_assert(__builtin_offsetof(struct la_fp, fcsr) == LA_FP_FCSR, "FP layout");
_Static_assert(sizeof(struct la_fp) == LA_FP_SIZE, "FP layout");

unsigned la_fp_width;
/* Root EUEN while a guest runs: LVZ checks the root's units too (a guest FP instruction with the
 * root's FPE clear would exit to the root instead of running), so they are on in guest mode and
 * off again at every exit (trap.S). Which units the guest may use is its own EUEN's business. */
uint64_t la_fp_euen;

static const uint64_t la_fp_euen_of[] = {
	[LA_FP_NONE] = 0,
	[LA_FP_SCALAR] = LA_EUEN_FPE,
	[LA_FP_LSX] = LA_EUEN_FPE | LA_EUEN_SXE,
	[LA_FP_LASX] = LA_EUEN_FPE | LA_EUEN_SXE | LA_EUEN_ASXE,
};

void la_fp_probe(void)
{
	uint32_t cfg2 = la_hw_cpucfg(LA_CPUCFG2);

	/* 64-bit FP registers are what fp.S moves at least; a single-precision-only FP unit is
	 * hidden from guests rather than switched with another layout. */
	if (!(cfg2 & LA_CPUCFG2_FP) || !(cfg2 & LA_CPUCFG2_FP_DP))
		la_fp_width = LA_FP_NONE;
	else if (cfg2 & LA_CPUCFG2_LASX)
		la_fp_width = LA_FP_LASX;
	else if (cfg2 & LA_CPUCFG2_LSX)
		la_fp_width = LA_FP_LSX;
	else
		la_fp_width = LA_FP_SCALAR;
	la_fp_euen = la_fp_euen_of[la_fp_width];
}

uint32_t la_fp_guest_cpucfg2(uint32_t host)
{
	uint32_t value = host & ~LA_CPUCFG2_LBT_ALL;

	if (la_fp_width < LA_FP_LASX)
		value &= ~LA_CPUCFG2_LASX;
	if (la_fp_width < LA_FP_LSX)
		value &= ~LA_CPUCFG2_LSX;
	if (la_fp_width == LA_FP_NONE)
		value &= ~LA_CPUCFG2_FP_ALL;
	return value;
}

void la_fp_switch(struct la_fp *out, const struct la_fp *in)
{
	if (la_fp_width == LA_FP_NONE)
		return;
	/* The root's FP / vector instructions need the root's units on; only for this copy. */
	la_hw_csr_write(LA_CSR_EUEN, la_fp_euen);
	if (out)
		la_hw_fp_save(out, la_fp_width);
	la_hw_fp_restore(in, la_fp_width);
	la_hw_csr_write(LA_CSR_EUEN, 0);
}
