// SPDX-License-Identifier: MIT
/*
 * A backend's own host devices against passed-through windows (vm_config_pt.c with the real
 * arch_vm_desc.host_ranges of the backend this is built with): every range the backend names is
 * refused, page by page, with its name in the message; the pages around it are not. Built once per
 * backend (PT_EXPECT_RANGES: how many it names; PT_REFUSED: host addresses of the board's own
 * devices that must be among them).
 */
#include "pv_test.h"

#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_config.h>

#define PT_GPA 0x40000000ULL /* clear of what any backend emulates */

static struct vm_config cfg;
static struct vm_err err;
static const uint64_t refused[] = { PT_REFUSED };

static uint64_t page(void)
{
	return arch_vm_desc.ram_align ? arch_vm_desc.ram_align : 0x1000;
}

/* One VM given one page-sized window at host @host: vm_config_check_pt's verdict. */
static int give(uint64_t host)
{
	memset(&cfg, 0, sizeof(cfg));
	memset(&err, 0, sizeof(err));
	cfg.name = "vm0";
	cfg.npt = 1;
	cfg.pt[0] = (struct vm_pt_config){
		.node = "passthrough@0",
		.nregs = 1,
		.regs = { { gpa(PT_GPA), hpa(host), page() } },
		.given = -1,
	};
	return vm_config_check_pt(&cfg, "vm0", &err);
}

static bool meets_own(uint64_t base, uint64_t size)
{
	struct arch_vm_range own[ARCH_VM_MAX_RANGES];
	unsigned n = arch_vm_desc.host_ranges(own);

	for (unsigned i = 0; i < n; i++)
		if (base < own[i].base + own[i].size && own[i].base < base + size)
			return true;
	return false;
}

static void test_each_range_refused(void **state)
{
	struct arch_vm_range own[ARCH_VM_MAX_RANGES];
	unsigned n;

	(void)state;
	assert_non_null(arch_vm_desc.host_ranges);
	n = arch_vm_desc.host_ranges(own);
	assert_int_equal(n, PT_EXPECT_RANGES);
	for (unsigned i = 0; i < n; i++) {
		uint64_t first = own[i].base & ~(page() - 1);
		uint64_t last = (own[i].base + own[i].size - 1) & ~(page() - 1);

		assert_non_null(own[i].what);
		assert_true(own[i].size > 0);
		/* Its first page and its last. */
		assert_int_equal(give(first), -PV_EINVAL);
		assert_non_null(strstr(err.msg, own[i].what));
		assert_int_equal(give(last), -PV_EINVAL);
		assert_non_null(strstr(err.msg, "overlaps the hypervisor's own"));
		assert_non_null(strstr(err.msg, own[i].what));
		/* The pages just outside it are a device's like any other. */
		if (first >= page() && !meets_own(first - page(), page()))
			assert_int_equal(give(first - page()), PV_OK);
		if (!meets_own(last + page(), page()))
			assert_int_equal(give(last + page()), PV_OK);
	}
}

static void test_board_devices_refused(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(give(refused[i] & ~(page() - 1)), -PV_EINVAL);
		assert_non_null(strstr(err.msg, "overlaps the hypervisor's own"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_range_refused),
		cmocka_unit_test(test_board_devices_refused),
	};

	return cmocka_run_group_tests_name("pt_host_ranges", tests, NULL, NULL);
}
