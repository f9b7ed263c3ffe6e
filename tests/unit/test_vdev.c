// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include <vm/vm.h>

static int nop_read(struct vdev *d, struct vcpu *v, uint64_t off, unsigned w, uint64_t *val)
{
	(void)d;
	(void)v;
	(void)off;
	(void)w;
	*val = 0;
	return PV_OK;
}

static int nop_write(struct vdev *d, struct vcpu *v, uint64_t off, unsigned w, uint64_t val)
{
	(void)d;
	(void)v;
	(void)off;
	(void)w;
	(void)val;
	return PV_OK;
}

static const struct vdev_ops ops = { nop_read, nop_write };

static void test_register_and_find(void **state)
{
	(void)state;
	static struct vm vm;
	struct vdev uart = { "uart", VDEV_SPACE_MMIO, 0x1000, 0x100, &ops, NULL, 0 };
	struct vdev gic = { "gic", VDEV_SPACE_MMIO, 0x2000, 0x1000, &ops, NULL, 0 };
	struct vdev com1 = { "com1", VDEV_SPACE_PIO, 0x1000, 8, &ops, NULL, 0 }; /* other space */

	assert_int_equal(vdev_register(&vm, &uart), PV_OK);
	assert_int_equal(vdev_register(&vm, &gic), PV_OK);
	assert_int_equal(vdev_register(&vm, &com1), PV_OK);
	assert_ptr_equal(vdev_find(&vm, VDEV_SPACE_MMIO, 0x1000, 4), &uart);
	assert_ptr_equal(vdev_find(&vm, VDEV_SPACE_MMIO, 0x10f8, 8), &uart);
	assert_null(vdev_find(&vm, VDEV_SPACE_MMIO, 0x10fc, 8)); /* straddles the end */
	assert_null(vdev_find(&vm, VDEV_SPACE_MMIO, 0x1100, 1)); /* gap */
	assert_ptr_equal(vdev_find(&vm, VDEV_SPACE_MMIO, 0x2fff, 1), &gic);
	assert_ptr_equal(vdev_find(&vm, VDEV_SPACE_PIO, 0x1003, 1), &com1);
	assert_null(vdev_find(&vm, VDEV_SPACE_SYSREG, 0x1000, 1));
	assert_null(vdev_find(&vm, VDEV_SPACE_MMIO, 0xfff, 1));
}

static void test_rejects_overlap_bad_ranges_and_overflow(void **state)
{
	(void)state;
	static struct vm vm;
	struct vdev a = { "a", VDEV_SPACE_MMIO, 0x1000, 0x100, &ops, NULL, 0 };
	struct vdev overlap = { "b", VDEV_SPACE_MMIO, 0x10ff, 0x10, &ops, NULL, 0 };
	struct vdev empty = { "c", VDEV_SPACE_MMIO, 0x5000, 0, &ops, NULL, 0 };
	struct vdev wrap = { "d", VDEV_SPACE_MMIO, ~0ULL - 4, 0x10, &ops, NULL, 0 };
	struct vdev no_ops = { "e", VDEV_SPACE_MMIO, 0x6000, 0x10, NULL, NULL, 0 };
	struct vdev many[VM_MAX_VDEVS];

	assert_int_equal(vdev_register(&vm, &a), PV_OK);
	assert_int_equal(vdev_register(&vm, &overlap), -PV_EEXIST);
	assert_int_equal(vdev_register(&vm, &empty), -PV_EINVAL);
	assert_int_equal(vdev_register(&vm, &wrap), -PV_EINVAL);
	assert_int_equal(vdev_register(&vm, &no_ops), -PV_EINVAL);
	for (unsigned i = 0; i < VM_MAX_VDEVS; i++) {
		many[i] = (struct vdev){
			"m", VDEV_SPACE_MMIO, 0x100000 + i * 0x1000ULL, 0x10, &ops, NULL, 0
		};
		assert_int_equal(vdev_register(&vm, &many[i]),
				 i + 1 < VM_MAX_VDEVS ? PV_OK : -PV_ENOMEM);
	}
	assert_int_equal(vm.nvdevs, VM_MAX_VDEVS);
}

static void test_last_hit_hint_never_answers_wrong(void **state)
{
	(void)state;
	static struct vm vm;
	struct vdev a = { "a", VDEV_SPACE_MMIO, 0x1000, 0x100, &ops, NULL, 0 };
	struct vdev b = { "b", VDEV_SPACE_MMIO, 0x2000, 0x100, &ops, NULL, 0 };
	struct vdev p = { "p", VDEV_SPACE_PIO, 0x1000, 0x100, &ops, NULL, 0 };

	assert_int_equal(vdev_register(&vm, &a), PV_OK);
	assert_int_equal(vdev_register(&vm, &b), PV_OK);
	assert_int_equal(vdev_register(&vm, &p), PV_OK);
	assert_ptr_equal(vdev_find(&vm, VDEV_SPACE_MMIO, 0x2000, 4), &b);
	assert_ptr_equal(vm.vdev_last, &b);
	assert_ptr_equal(vdev_find(&vm, VDEV_SPACE_MMIO, 0x2004, 4), &b); /* from the hint */
	assert_ptr_equal(vdev_find(&vm, VDEV_SPACE_MMIO, 0x1004, 4), &a);
	/* Same address, other space: the hint (a) must not answer. */
	assert_ptr_equal(vdev_find(&vm, VDEV_SPACE_PIO, 0x1004, 4), &p);
	assert_null(vdev_find(&vm, VDEV_SPACE_MMIO, 0x10fe, 4)); /* straddles a's end */
	assert_null(vdev_find(&vm, VDEV_SPACE_SYSREG, 0x1004, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_and_find),
		cmocka_unit_test(test_rejects_overlap_bad_ranges_and_overflow),
		cmocka_unit_test(test_last_hit_hint_never_answers_wrong),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
