// SPDX-License-Identifier: MIT
/* The emulated x2APIC on the fake backend: register access through the SYSREG device, priority
 * of delivery, EOI, IPIs between vCPUs, the TSC-deadline timer, refused registers. */
#include <stdlib.h>
#include <string.h>

#include "fake/fake_backend.h"
#include "pv_test.h"
#include "vmx_vcpu.h"

static struct vm vm;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	memset(&vm, 0, sizeof(vm));
	vm.nvcpus = 2;
	for (unsigned i = 0; i < 2; i++) {
		vm.vcpus[i] = (struct vcpu){ .vm = &vm, .id = i, .pcpu = i, .guest_cpu_id = i };
		vm.vcpus[i].arch = calloc(1, sizeof(struct vmx_vcpu));
	}
	assert_int_equal(vlapic_ops.vm_init(&vm), PV_OK);
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(vlapic_ops.vcpu_init(&vm.vcpus[i]), PV_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vlapic_ops.vm_destroy(&vm);
	for (unsigned i = 0; i < 2; i++)
		free(vm.vcpus[i].arch);
	return 0;
}

static int msr_write(unsigned cpu, uint32_t msr, uint64_t value)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_SYSREG, msr, 1);

	assert_non_null(d);
	return d->ops->write(d, &vm.vcpus[cpu], msr - d->base, 8, value);
}

static uint64_t msr_read(unsigned cpu, uint32_t msr)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_SYSREG, msr, 1);
	uint64_t v = 0;

	assert_non_null(d);
	assert_int_equal(d->ops->read(d, &vm.vcpus[cpu], msr - d->base, 8, &v), PV_OK);
	return v;
}

static void enable(unsigned cpu)
{
	assert_int_equal(msr_write(cpu, 0x80f, 0x1ff), PV_OK);
}

static void test_identity(void **state)
{
	(void)state;
	assert_int_equal(msr_read(1, 0x802), 1);
	assert_int_equal(msr_read(0, 0x803) & 0xff, 0x14);
	assert_int_equal(msr_read(1, 0x80d), 0x2); /* logical id: cluster 0, bit 1 */
	/* read-only and reserved registers raise #GP (a device error) */
	assert_int_equal(msr_write(0, 0x802, 5), -PV_EFAULT);
	assert_int_equal(msr_write(0, 0x8ff, 0), -PV_EFAULT);
	/* the count-down timer modes are not offered */
	assert_int_equal(msr_write(0, 0x838, 1000), -PV_EFAULT);
	assert_null(vdev_find(&vm, VDEV_SPACE_SYSREG, 0x1b, 1));
}

static void test_priority_and_eoi(void **state)
{
	struct vcpu *v = &vm.vcpus[0];

	(void)state;
	/* nothing is delivered while the APIC is software-disabled */
	assert_int_equal(msr_write(0, 0x83f, 0x41), PV_OK);
	assert_int_equal(vlapic_next_vector(v), -1);
	enable(0);
	assert_int_equal(msr_write(0, 0x83f, 0x52), PV_OK);
	assert_true(vlapic_ops.pending(v));
	assert_int_equal(vlapic_next_vector(v), 0x52);
	vlapic_accept(v, 0x52);
	assert_int_equal(msr_read(0, 0x812) >> 18 & 1, 1); /* ISR bit 0x52 */
	/* 0x41 is of a lower priority class than 0x52 in service */
	assert_int_equal(vlapic_next_vector(v), -1);
	assert_int_equal(msr_write(0, 0x80b, 0), PV_OK);
	assert_int_equal(vlapic_next_vector(v), 0x41);
	/* TPR masks its class and below */
	assert_int_equal(msr_write(0, 0x808, 0x40), PV_OK);
	assert_int_equal(vlapic_next_vector(v), -1);
	assert_int_equal(msr_write(0, 0x808, 0), PV_OK);
	assert_int_equal(vlapic_next_vector(v), 0x41);
	/* vectors below 16 are illegal */
	assert_int_equal(msr_write(0, 0x83f, 0x5), -PV_EFAULT);
}

static void test_ipi(void **state)
{
	(void)state;
	enable(1);
	fake_hw.current_cpu = 0;
	/* fixed, physical destination 1 */
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x41), PV_OK);
	assert_int_equal(vlapic_next_vector(&vm.vcpus[1]), 0x41);
	assert_int_equal(fake_hw.ipis[1], 1); /* the target's CPU was kicked */
	assert_int_equal(msr_read(0, 0x830), (1ULL << 32) | 0x41);
	/* an unknown destination is dropped; INIT, NMI and logical mode are refused */
	assert_int_equal(msr_write(0, 0x830, (7ULL << 32) | 0x41), PV_OK);
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x500), -PV_EFAULT);
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x400 | 0x41), -PV_EFAULT);
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x800 | 0x41), -PV_EFAULT);
	/* all-excluding-self shorthand */
	enable(0);
	assert_int_equal(msr_write(1, 0x830, (3u << 18) | 0x60), PV_OK);
	assert_int_equal(vlapic_next_vector(&vm.vcpus[0]), 0x60);
	/* the core's injection path */
	assert_int_equal(vlapic_ops.send_ipi(&vm.vcpus[0], &vm.vcpus[1], 0x70), PV_OK);
	assert_int_equal(vlapic_next_vector(&vm.vcpus[1]), 0x70);
	assert_int_equal(vlapic_ops.send_ipi(&vm.vcpus[0], &vm.vcpus[1], 3), -PV_EINVAL);
	assert_int_equal(vlapic_ops.set_line(&vm, NULL, 4, true), -PV_ENOTSUP);
}

static void test_timer(void **state)
{
	struct vcpu *v = &vm.vcpus[0];

	(void)state;
	enable(0);
	/* deadline writes count only in TSC-deadline mode */
	assert_int_equal(msr_write(0, 0x6e0, 1), PV_OK);
	assert_int_equal(msr_read(0, 0x6e0), 0);
	assert_int_equal(msr_write(0, 0x832, (2u << 17) | 0x40), PV_OK);
	/* far in the future: armed, not pending */
	assert_int_equal(msr_write(0, 0x6e0, ~0ULL), PV_OK);
	vlapic_ops.flush(v);
	assert_false(vlapic_ops.pending(v));
	assert_int_equal(msr_read(0, 0x6e0), ~0ULL);
	/* in the past: fires once at the next flush, then the timer is disarmed */
	assert_int_equal(msr_write(0, 0x6e0, 1), PV_OK);
	assert_true(vlapic_ops.pending(v));
	vlapic_ops.flush(v);
	assert_int_equal(vlapic_next_vector(v), 0x40);
	assert_int_equal(msr_read(0, 0x6e0), 0);
	/* masked LVT: the deadline passes silently */
	vlapic_accept(v, 0x40);
	assert_int_equal(msr_write(0, 0x80b, 0), PV_OK);
	assert_int_equal(msr_write(0, 0x832, (2u << 17) | 0x10000 | 0x40), PV_OK);
	assert_int_equal(msr_write(0, 0x6e0, 1), PV_OK);
	vlapic_ops.flush(v);
	assert_int_equal(vlapic_next_vector(v), -1);
	/* leaving TSC-deadline mode disarms */
	assert_int_equal(msr_write(0, 0x832, 0x40), PV_OK);
	assert_int_equal(msr_read(0, 0x6e0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_and_eoi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
