// SPDX-License-Identifier: MIT
/* Recording mocks of la_hw.h's accessors (see la_mock.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "la_hw.h"
#include "la_mock.h"

struct la_mock la_mock;

void la_mock_reset(void)
{
	memset(&la_mock, 0, sizeof(la_mock));
}

static void la_mock_record(enum la_mock_kind kind, unsigned num, uint64_t value)
{
	assert_true(la_mock.nlog < LA_MOCK_LOG);
	la_mock.log[la_mock.nlog++] = (struct la_mock_op){ kind, num, value };
}

uint64_t la_mock_csr_read(unsigned num)
{
	assert_true(num < LA_MOCK_CSRS);
	la_mock_record(LM_CSR_RD, num, la_mock.csr[num]);
	return la_mock.csr[num];
}

void la_mock_csr_write(unsigned num, uint64_t value)
{
	assert_true(num < LA_MOCK_CSRS);
	la_mock_record(LM_CSR_WR, num, value);
	la_mock.csr[num] = value;
}

uint64_t la_mock_gcsr_read(unsigned num)
{
	assert_true(num < LA_MOCK_CSRS);
	la_mock_record(LM_GCSR_RD, num, la_mock.gcsr[num]);
	return la_mock.gcsr[num];
}

void la_mock_gcsr_write(unsigned num, uint64_t value)
{
	assert_true(num < LA_MOCK_CSRS);
	la_mock_record(LM_GCSR_WR, num, value);
	la_mock.gcsr[num] = value;
}

uint32_t la_mock_cpucfg(uint32_t word)
{
	return word < 32 ? la_mock.cpucfg[word] : 0;
}

uint64_t la_mock_rdtime(void)
{
	return la_mock.now;
}

void la_mock_tlbfill(void)
{
	la_mock_record(LM_TLBFILL, 0, 0);
	assert_true(la_mock.nfills < 16);
	la_mock.fills[la_mock.nfills++] =
		(struct la_mock_fill){ la_mock.csr[LA_CSR_TLBEHI], la_mock.csr[LA_CSR_TLBELO0],
				       la_mock.csr[LA_CSR_TLBELO1], la_mock.csr[LA_CSR_TLBIDX] };
}

void la_mock_invtlb_gid(uint64_t gid_operand)
{
	la_mock_record(LM_INVTLB, 0, gid_operand);
}

/* 64-bit lanes a copy of @width moves per register. The root's units for it must be on, as on
 * the hardware, where the copy would otherwise trap. */
static unsigned la_mock_fp_lanes(unsigned width)
{
	uint64_t need = LA_EUEN_FPE;

	assert_true(width >= LA_FP_SCALAR && width <= LA_FP_LASX);
	if (width >= LA_FP_LSX)
		need |= LA_EUEN_SXE;
	if (width == LA_FP_LASX)
		need |= LA_EUEN_ASXE;
	assert_int_equal(la_mock.csr[LA_CSR_EUEN] & need, need);
	return width == LA_FP_SCALAR ? 1 : width == LA_FP_LSX ? 2 : 4;
}

void la_mock_fp_save(struct la_fp *fp, unsigned width)
{
	unsigned lanes = la_mock_fp_lanes(width);

	la_mock_record(LM_FP_SAVE, width, (uint64_t)(uintptr_t)fp);
	for (unsigned n = 0; n < 32; n++)
		memcpy(fp->vreg[n], la_mock.fp.vreg[n], lanes * sizeof(uint64_t));
	fp->fcc = la_mock.fp.fcc;
	fp->fcsr = la_mock.fp.fcsr;
}

void la_mock_fp_restore(const struct la_fp *fp, unsigned width)
{
	unsigned lanes = la_mock_fp_lanes(width);

	la_mock_record(LM_FP_RESTORE, width, (uint64_t)(uintptr_t)fp);
	for (unsigned n = 0; n < 32; n++)
		memcpy(la_mock.fp.vreg[n], fp->vreg[n], lanes * sizeof(uint64_t));
	la_mock.fp.fcc = fp->fcc;
	la_mock.fp.fcsr = fp->fcsr;
}

unsigned la_mock_count(enum la_mock_kind kind, unsigned num, bool any_num)
{
	unsigned n = 0;

	for (unsigned i = 0; i < la_mock.nlog; i++)
		if (la_mock.log[i].kind == kind && (any_num || la_mock.log[i].num == num))
			n++;
	return n;
}

int la_mock_find(enum la_mock_kind kind, unsigned num, unsigned from)
{
	for (unsigned i = from; i < la_mock.nlog; i++)
		if (la_mock.log[i].kind == kind && la_mock.log[i].num == num)
			return (int)i;
	return -1;
}
