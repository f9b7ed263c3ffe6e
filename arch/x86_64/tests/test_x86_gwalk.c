// SPDX-License-Identifier: MIT
/* The guest page walk behind MMIO instruction fetches, on page tables built in a host buffer. */
#include <string.h>

#include "pv_test.h"
#include "x86_gwalk.h"

#define MEM_SIZE (8 * 4096)
static uint64_t mem[MEM_SIZE / 8];

static int read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	if (addr + len > MEM_SIZE)
		return -PV_EFAULT;
	memcpy(buf, (uint8_t *)mem + addr, len);
	return PV_OK;
}

static void set(uint64_t table, unsigned index, uint64_t pte)
{
	mem[table / 8 + index] = pte;
}

static const struct x86_gwalk_regs lm = {
	.cr0 = 0x80000011, .cr3 = 0x1000, .cr4 = 0x20, .efer = 0x500
};

static void test_paging_off(void **state)
{
	struct x86_gwalk_regs r = { .cr0 = 0x11 };
	uint64_t pa;

	(void)state;
	assert_int_equal(x86_gwalk(&r, 0x12345678, read_mem, NULL, &pa), PV_OK);
	assert_int_equal(pa, 0x12345678);
}

static void test_long_mode(void **state)
{
	uint64_t pa;

	(void)state;
	memset(mem, 0, sizeof(mem));
	/* PML4 0x1000 -> PDPT 0x2000; PDPT[0] -> PD 0x3000; PDPT[1]: 1 GiB page at 3 GiB */
	set(0x1000, 0, 0x2003);
	set(0x2000, 0, 0x3003);
	set(0x2000, 1, 0xc0000083);
	/* PD[0]: 2 MiB page at 0x10000000; PD[1] -> PT 0x4000; PT[5]: 4 KiB page at 0x7000 */
	set(0x3000, 0, 0x10000083);
	set(0x3000, 1, 0x4003);
	set(0x4000, 5, 0x7003);

	assert_int_equal(x86_gwalk(&lm, 0x123456, read_mem, NULL, &pa), PV_OK);
	assert_int_equal(pa, 0x10123456);
	assert_int_equal(x86_gwalk(&lm, 0x205abc, read_mem, NULL, &pa), PV_OK);
	assert_int_equal(pa, 0x7abc);
	assert_int_equal(x86_gwalk(&lm, 0x40001234, read_mem, NULL, &pa), PV_OK);
	assert_int_equal(pa, 0xc0001234);
	/* not present at each level */
	assert_int_equal(x86_gwalk(&lm, 0x206000, read_mem, NULL, &pa), -PV_ENOENT);
	assert_int_equal(x86_gwalk(&lm, 0x80000000, read_mem, NULL, &pa), -PV_ENOENT);
	assert_int_equal(x86_gwalk(&lm, 0x8000000000ULL, read_mem, NULL, &pa), -PV_ENOENT);
	/* PS in a PML4 entry is reserved */
	set(0x1000, 2, 0x5083);
	assert_int_equal(x86_gwalk(&lm, 0x10000000000ULL, read_mem, NULL, &pa), -PV_ENOTSUP);
	/* a table outside guest memory: the reader's error */
	set(0x1000, 3, 0x100000003ULL);
	assert_int_equal(x86_gwalk(&lm, 0x18000000000ULL, read_mem, NULL, &pa), -PV_EFAULT);
}

static void test_unsupported_modes(void **state)
{
	struct x86_gwalk_regs r = lm;
	uint64_t pa;

	(void)state;
	r.efer = 0; /* 32-bit paging or PAE */
	assert_int_equal(x86_gwalk(&r, 0x1000, read_mem, NULL, &pa), -PV_ENOTSUP);
	r = lm;
	r.cr4 |= PV_BIT(12); /* 5-level */
	assert_int_equal(x86_gwalk(&r, 0x1000, read_mem, NULL, &pa), -PV_ENOTSUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paging_off),
		cmocka_unit_test(test_long_mode),
		cmocka_unit_test(test_unsupported_modes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
