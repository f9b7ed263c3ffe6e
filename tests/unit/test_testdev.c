// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include "vm_fixture.h"

#include <devices/testdev.h>
#include <vm/run.h>

#define TD_BASE 0x0a000000ULL

static struct vm vm;
static struct testdev *td;

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_config.ndevs = 1;
	fix_config.devs[0] = (struct vm_dev_config){ .model = &testdev_model,
						     .node = "dev",
						     .space = VDEV_SPACE_MMIO,
						     .base = TD_BASE,
						     .reg_shift = 0 };
	fix_vm_start(&vm);
	td = vdev_find(&vm, VDEV_SPACE_MMIO, TD_BASE, 1)->priv;
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

static int rd(uint64_t off, unsigned width, uint64_t *v)
{
	return td->dev.ops->read(&td->dev, &vm.vcpus[0], off, width, v);
}

static int wr(uint64_t off, unsigned width, uint64_t v)
{
	return td->dev.ops->write(&td->dev, &vm.vcpus[0], off, width, v);
}

static void test_id_pattern_and_count(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(rd(TESTDEV_REG_ID, 4, &v), PV_OK);
	assert_int_equal(v, TESTDEV_ID);
	assert_int_equal(rd(TESTDEV_REG_PATTERN, 8, &v), PV_OK);
	assert_int_equal(v, TESTDEV_PATTERN);
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(rd(TESTDEV_REG_PATTERN + i, 1, &v), PV_OK);
		assert_int_equal(v, (TESTDEV_PATTERN >> (8 * i)) & 0xff);
	}
	assert_int_equal(rd(TESTDEV_REG_PATTERN + 6, 2, &v), PV_OK);
	assert_int_equal(v, 0x8899);
	assert_int_equal(rd(TESTDEV_REG_COUNT, 8, &v), PV_OK);
	assert_int_equal(v, 12); /* this read included */
}

static void test_scratch_lanes(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(wr(TESTDEV_REG_SCRATCH, 8, 0x1122334455667788ULL), PV_OK);
	assert_int_equal(wr(TESTDEV_REG_SCRATCH + 2, 2, 0xabcd), PV_OK);
	assert_int_equal(wr(TESTDEV_REG_SCRATCH + 7, 1, 0xee), PV_OK);
	assert_int_equal(rd(TESTDEV_REG_SCRATCH, 8, &v), PV_OK);
	assert_int_equal(v, 0xee223344abcd7788ULL);
	assert_int_equal(rd(TESTDEV_REG_SCRATCH + 4, 4, &v), PV_OK);
	assert_int_equal(v, 0xee223344);
}

static void test_refused_accesses(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(rd(TESTDEV_REG_SCRATCH + 1, 2, &v), -PV_EFAULT); /* misaligned */
	assert_int_equal(rd(TESTDEV_REG_SCRATCH + 4, 8, &v), -PV_EFAULT); /* crosses registers */
	assert_int_equal(wr(TESTDEV_REG_ID, 4, 1), -PV_EFAULT);		  /* read-only */
	assert_int_equal(wr(TESTDEV_REG_PATTERN, 8, 1), -PV_EFAULT);
	assert_int_equal(rd(0x40, 8, &v), PV_OK); /* unassigned: zero */
	assert_int_equal(v, 0);
}

static void test_sign_extending_loads_through_the_run_loop(void **state)
{
	(void)state;
	struct fake_vcpu *f = fake_vcpu(&vm.vcpus[0]);
	struct vcpu_exit e = { .kind = VCPU_EXIT_MMIO };
	e.mmio.addr = gpa(TD_BASE + TESTDEV_REG_PATTERN);
	e.mmio.width = 1;
	e.mmio.sign_extend = true;
	e.mmio.reg_width = 8;
	fake_script(&vm.vcpus[0], e); /* 0xff -> -1 */
	e.mmio.width = 2;
	e.mmio.addr = gpa(TD_BASE + TESTDEV_REG_PATTERN + 2);
	e.mmio.reg_width = 4;
	fake_script(&vm.vcpus[0], e); /* 0xccdd -> 0xffffccdd in a 32-bit register */
	e.mmio.width = 4;
	e.mmio.sign_extend = false;
	e.mmio.addr = gpa(TD_BASE + TESTDEV_REG_PATTERN + 4);
	e.mmio.reg_width = 8;
	fake_script(&vm.vcpus[0], e); /* 0x8899aabb, zero-extended */
	fake_script(&vm.vcpus[0], (struct vcpu_exit){ .kind = VCPU_EXIT_SYSTEM_OFF });
	vm_run_vcpu(&vm.vcpus[0]);
	assert_int_equal(f->completed[0].mmio.data, 0xffffffffffffffffULL);
	assert_int_equal(f->completed[1].mmio.data, 0xffffccddULL);
	assert_int_equal(f->completed[2].mmio.data, 0x8899aabbULL);
}

static void test_device_config_errors(void **state)
{
	(void)state;
	struct vm other;
	size_t nfree = fix_pool.nfree;
	fix_config.name = "vm1";
	fix_config.ndevs = 2;
	fix_config.devs[1] = fix_config.devs[0]; /* same range twice */
	fix_config.devs[1].node = "dev2";
	assert_int_equal(vm_create(&other, 1, &fix_config, &fix_pool), -PV_EINVAL);
	assert_true(fake_log_contains("vm vm1: bad configuration: devices dev and dev2 overlap"));
	assert_int_equal(fix_pool.nfree, nfree);
	fix_config.devs[1].model = NULL;
	assert_int_equal(vm_create(&other, 1, &fix_config, &fix_pool), -PV_EINVAL);
	assert_true(fake_log_contains("device 1 has no model"));
	fix_config.devs[1] = (struct vm_dev_config){ .model = &testdev_model,
						     .node = "dev",
						     .space = VDEV_SPACE_PIO,
						     .base = 0x100,
						     .reg_shift = 0 };
	assert_int_equal(vm_create(&other, 1, &fix_config, &fix_pool), -PV_EINVAL);
}

static void test_device_arena_runs_out(void **state)
{
	(void)state;
	unsigned n = 0;
	while (vm_dev_alloc(&vm, 100))
		n++;
	assert_true(n >= (VM_DEV_ARENA - sizeof(struct testdev)) / 112 - 1);
	assert_null(vm_dev_alloc(&vm, 100));
	assert_true(vm.dev_arena_used > VM_DEV_ARENA - 112);
	assert_null(vm_dev_alloc(&vm, SIZE_MAX));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_id_pattern_and_count), T(test_scratch_lanes),
		T(test_refused_accesses),     T(test_sign_extending_loads_through_the_run_loop),
		T(test_device_config_errors), T(test_device_arena_runs_out),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
