/* SPDX-License-Identifier: MIT */
/*
 * Turning an EL2 trap from an AArch64 guest into the core's exits: pure functions of the syndrome,
 * the guest's registers and, where the syndrome says nothing, the trapping instruction. Also built
 * into the host tests.
 */
#ifndef A64_DECODE_H
#define A64_DECODE_H

#include <a64/sysreg.h>
#include <vcpu/exit.h>

/* ESR_EL2 exception classes the backend handles. */
#define A64_EC_WFX	0x01u
#define A64_EC_PAC	0x09u /* pointer authentication instruction (HCR_EL2.API = 0) */
#define A64_EC_HVC64	0x16u
#define A64_EC_SMC64	0x17u
#define A64_EC_SYSREG	0x18u
#define A64_EC_SVE	0x19u /* CPTR_EL2.TZ */
#define A64_EC_SME	0x1du /* CPTR_EL2.TSM */
#define A64_EC_IABT_LOW 0x20u
#define A64_EC_IABT_CUR 0x21u
#define A64_EC_DABT_LOW 0x24u
#define A64_EC_DABT_CUR 0x25u

/* Data abort ISS fields. */
#define A64_DABT_ISV	  PV_BIT(24)
#define A64_DABT_SSE	  PV_BIT(21)
#define A64_DABT_SF	  PV_BIT(15)
#define A64_DABT_CM	  PV_BIT(8)
#define A64_DABT_S1PTW	  PV_BIT(7)
#define A64_DABT_WNR	  PV_BIT(6)
#define A64_FSC_TYPE(esr) ((unsigned)(esr) & 0x3cu) /* fault status code without its level */
#define A64_FSC_TRANS	  0x04u
#define ESR_ISS_OF(esr)	  ((uint32_t)(esr) & 0x1ffffffu)
#define A64_PSTATE_NRW	  PV_BIT(4) /* SPSR_ELx.M[4]: the exception came from AArch32 */

/* The project's hypercalls: SMCCC fast call, SMC64, vendor-specific hypervisor service. */
#define A64_HC_FID_BASE 0xc6000000u
#define A64_HC_FID_MASK 0xffff0000u

/* Base-register write-back of a load/store decoded from its instruction (pre/post-index). */
struct a64_writeback {
	bool valid;
	uint8_t reg;
	uint64_t value;
};

/* Guest-physical address of a stage-2 abort: HPFAR_EL2 gives the page, FAR_EL2 the offset. */
static inline uint64_t a64_abort_ipa(uint64_t hpfar, uint64_t far)
{
	/* HPFAR_EL2.FIPA (bits 43:4) holds IPA[51:12]. */
	return ((hpfar & PV_MASK(43, 4)) << 8) | (far & 0xfffu);
}

/* A transfer register's value: register 31 is XZR there. */
static inline uint64_t a64_decode_xreg(const uint64_t *x, unsigned n)
{
	return n == 31 ? 0 : x[n];
}

/* An MMIO exit from a data abort whose syndrome is valid (ISV = 1); @x: guest x0..x30. */
static inline void a64_decode_dabt_isv(uint64_t esr, uint64_t ipa, const uint64_t *x,
				       struct vcpu_exit *exit)
{
	unsigned srt = (unsigned)(esr >> 16) & 31u;
	bool write = esr & A64_DABT_WNR;

	exit->kind = VCPU_EXIT_MMIO;
	exit->mmio.addr = gpa(ipa);
	exit->mmio.width = (uint8_t)(1u << ((esr >> 22) & 3u));
	exit->mmio.write = write;
	exit->mmio.sign_extend = esr & A64_DABT_SSE;
	exit->mmio.reg = (uint8_t)srt;
	exit->mmio.reg_width = (esr & A64_DABT_SF) ? 8 : 4;
	exit->mmio.data = write ? a64_decode_xreg(x, srt) : 0;
}

/*
 * An MMIO exit from the trapping instruction @insn when the syndrome is not valid: the single-
 * register general-purpose loads and stores (unsigned offset, unscaled, register offset, pre- and
 * post-index with write-back into *@wb). false for anything else (pairs, SIMD, atomics, exclusive,
 * write-back of SP or of the loaded register); the caller then injects an abort.
 */
bool a64_decode_ldst(uint32_t insn, uint64_t ipa, const uint64_t *x, struct vcpu_exit *exit,
		     struct a64_writeback *wb);

/* Offsets in the guest's vector table (VBAR_EL1) of the synchronous entries. */
#define A64_VEC_CUR_SP0 0x000u
#define A64_VEC_CUR_SPX 0x200u
#define A64_VEC_LOW_A64 0x400u
#define A64_VEC_LOW_A32 0x600u

/* The synchronous entry of the EL1 vector table at @vbar that an exception taken from @pstate
 * (SPSR_EL2 of the trap) enters. */
static inline uint64_t a64_sync_vector(uint64_t vbar, uint64_t pstate)
{
	if (pstate & A64_PSTATE_NRW)
		return vbar + A64_VEC_LOW_A32;
	if ((pstate & 0xcu) == 0) /* EL0 */
		return vbar + A64_VEC_LOW_A64;
	return vbar + ((pstate & 1u) ? A64_VEC_CUR_SPX : A64_VEC_CUR_SP0);
}

/* Bytes of the trapped instruction: ESR_EL2.IL is 0 for a 16-bit T32 instruction. */
static inline uint8_t a64_insn_len(uint64_t esr)
{
	return (esr & ESR_IL) ? 4 : 2;
}

/* A stage-2 data abort as a64_decode_dabt sees it: syndrome, IPA (a64_abort_ipa), the guest's PC,
 * PSTATE (SPSR_EL2) and x0..x30. */
struct a64_dabt {
	uint64_t esr, ipa, pc, pstate;
	const uint64_t *x;
};

/* Reads the 4 bytes at the guest's PC (through its stage 1 and its RAM) into *@insn; false if
 * they cannot be read. The seam between the decoding and the hardware (trap.c walks the guest's
 * tables with AT; the host tests and fuzz targets hand in bytes). */
typedef bool (*a64_fetch_fn)(void *ctx, uint32_t *insn);

enum a64_dabt_kind {
	A64_DABT_MMIO, /* @exit is an MMIO access, with base write-back in *@wb if valid */
	A64_DABT_SKIP, /* cache maintenance where the guest has no RAM: complete it, nothing else */
	A64_DABT_FAULT, /* @exit is an S2_FAULT: the core faults the guest or stops its VM */
};

/*
 * Decodes a data abort from a lower EL (EC 0x24). A translation fault (no stage-2 mapping) is
 * emulated: from the syndrome when ISV = 1, otherwise from the AArch64 instruction @fetch returns,
 * if a64_decode_ldst knows it and its direction agrees with ESR.WnR (another vCPU may have
 * rewritten it since the trap). Everything else (permission and external faults, stage-1 walks
 * outside RAM, AArch32 state without a syndrome, other instructions) is a fault for the core.
 * @fetch is called at most once, only when the syndrome is not valid.
 */
enum a64_dabt_kind a64_decode_dabt(const struct a64_dabt *ab, a64_fetch_fn fetch, void *ctx,
				   struct vcpu_exit *exit, struct a64_writeback *wb);

/* Core system-register id of a trapped MRS/MSR: op0:op1:CRn:CRm:op2 packed as in MRS's encoding. */
#define A64_SYSREG_ID(op0, op1, crn, crm, op2)                                                     \
	((uint32_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2)))

/* A SYSREG exit from an EC 0x18 syndrome. */
static inline void a64_decode_sysreg(uint64_t esr, const uint64_t *x, struct vcpu_exit *exit)
{
	uint32_t iss = ESR_ISS_OF(esr);
	unsigned rt = (iss >> 5) & 31u;
	bool write = !(iss & 1u);

	exit->kind = VCPU_EXIT_SYSREG;
	exit->sysreg.id = A64_SYSREG_ID((iss >> 20) & 3u, (iss >> 14) & 7u, (iss >> 10) & 15u,
					(iss >> 1) & 15u, (iss >> 17) & 7u);
	exit->sysreg.write = write;
	exit->sysreg.reg = (uint8_t)rt;
	exit->sysreg.data = write ? a64_decode_xreg(x, rt) : 0;
}

/* A HYPERCALL exit when x0 holds one of the project's function ids; false otherwise. */
static inline bool a64_decode_hvc(const uint64_t *x, struct vcpu_exit *exit)
{
	uint32_t fid = (uint32_t)x[0];

	if ((fid & A64_HC_FID_MASK) != A64_HC_FID_BASE)
		return false;
	_Static_assert(VCPU_HCALL_ARGS == 6, "x1..x6 carry the arguments");
	exit->kind = VCPU_EXIT_HYPERCALL;
	exit->hcall.nr = fid & ~A64_HC_FID_MASK;
	exit->hcall.args[0] = x[1];
	exit->hcall.args[1] = x[2];
	exit->hcall.args[2] = x[3];
	exit->hcall.args[3] = x[4];
	exit->hcall.args[4] = x[5];
	exit->hcall.args[5] = x[6];
	return true;
}

#endif
