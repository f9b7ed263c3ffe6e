// SPDX-License-Identifier: MIT
/* The emulated PLIC (devices/vplic.c): registers, claim/complete, level semantics, outputs. */
#include "pv_test.h"

#include "vm_fixture.h"

#include <devices/vplic.h>
#include <string.h>

#define PLIC_BASE 0x0c000000ULL

static struct vm vm;
static struct vplic *plic;
static unsigned notified[VPLIC_MAX_CTX];

void vplic_notify(struct vm *v, unsigned ctx)
{
	assert_ptr_equal(v, &vm);
	assert_true(ctx < VPLIC_MAX_CTX);
	notified[ctx]++;
}

static struct {
	unsigned n;
	uint32_t src[8];
} completed, rerouted;

void vplic_hw_complete(struct vm *v, uint32_t src)
{
	assert_ptr_equal(v, &vm);
	if (completed.n < 8)
		completed.src[completed.n++] = src;
}

void vplic_hw_rerouted(struct vm *v, uint32_t src)
{
	assert_ptr_equal(v, &vm);
	if (rerouted.n < 8)
		rerouted.src[rerouted.n++] = src;
}

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_vm_start(&vm);
	plic = vplic_create(&vm, PLIC_BASE, 2);
	assert_non_null(plic);
	memset(notified, 0, sizeof(notified));
	completed.n = rerouted.n = 0;
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

static uint32_t rd(uint64_t off)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_MMIO, PLIC_BASE + off, 4);
	uint64_t v = 0xdeadbeef;

	assert_ptr_equal(d, &plic->dev);
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], off, 4, &v), PV_OK);
	return (uint32_t)v;
}

static void wr(uint64_t off, uint32_t v)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_MMIO, PLIC_BASE + off, 4);

	assert_ptr_equal(d, &plic->dev);
	assert_int_equal(d->ops->write(d, &vm.vcpus[0], off, 4, v), PV_OK);
}

#define PRIO(s)	     (VPLIC_PRIORITY + 4 * (s))
#define ENABLE(c, w) (VPLIC_ENABLE + VPLIC_ENABLE_CTX * (c) + 4 * (w))
#define THRESH(c)    (VPLIC_CONTEXT + VPLIC_CTX_STRIDE * (c))
#define CLAIM(c)     (THRESH(c) + 4)

static void test_registers(void **state)
{
	(void)state;
	assert_int_equal(plic->dev.size, VPLIC_SIZE(2));
	wr(PRIO(5), 0xff);
	assert_int_equal(rd(PRIO(5)), 7); /* three priority bits */
	wr(PRIO(0), 3);
	assert_int_equal(rd(PRIO(0)), 0); /* source 0 does not exist */
	wr(ENABLE(1, 0), 0xffffffff);
	assert_int_equal(rd(ENABLE(1, 0)), 0xfffffffe);
	wr(ENABLE(1, 1), 0x80000001);
	assert_int_equal(rd(ENABLE(1, 1)), 0x80000001);
	assert_int_equal(rd(ENABLE(0, 0)), 0);
	wr(THRESH(1), 9);
	assert_int_equal(rd(THRESH(1)), 1);
	/* Pending bits are read-only; unassigned registers read zero. */
	wr(VPLIC_PENDING, 0xffff);
	assert_int_equal(rd(VPLIC_PENDING), 0);
	assert_int_equal(rd(THRESH(1) + 8), 0);
	assert_int_equal(rd(ENABLE(0, 5)), 0);
}

static void test_width_and_alignment_refused(void **state)
{
	struct vdev *d = &plic->dev;
	uint64_t v;

	(void)state;
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], PRIO(1), 8, &v), -PV_EFAULT);
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], PRIO(1) + 2, 4, &v), -PV_EFAULT);
	assert_int_equal(d->ops->write(d, &vm.vcpus[0], PRIO(1), 1, 1), -PV_EFAULT);
}

static void test_claim_complete(void **state)
{
	(void)state;
	wr(PRIO(3), 2);
	wr(PRIO(40), 5);
	wr(ENABLE(0, 0), 1u << 3);
	wr(ENABLE(0, 1), 1u << (40 - 32));
	assert_false(vplic_output(plic, 0));

	assert_int_equal(vplic_set_line(plic, 3, true), PV_OK);
	assert_true(vplic_output(plic, 0));
	assert_false(vplic_output(plic, 1)); /* not enabled there */
	assert_int_equal(notified[0], 1);
	assert_int_equal(notified[1], 0);
	assert_int_equal(vplic_set_line(plic, 40, true), PV_OK);
	assert_int_equal(rd(VPLIC_PENDING), 1u << 3);
	assert_int_equal(rd(VPLIC_PENDING + 4), 1u << 8);

	/* Highest priority first. */
	assert_int_equal(rd(CLAIM(0)), 40);
	assert_int_equal(rd(CLAIM(0)), 3);
	assert_int_equal(rd(CLAIM(0)), 0);
	assert_false(vplic_output(plic, 0));
	/* Still claimed: the line being high does not pend it again. */
	assert_int_equal(rd(VPLIC_PENDING), 0);

	/* Completion of a level source still high: pending again. */
	wr(CLAIM(0), 3);
	assert_true(vplic_output(plic, 0));
	assert_int_equal(rd(CLAIM(0)), 3);
	vplic_set_line(plic, 3, false);
	wr(CLAIM(0), 3);
	assert_false(vplic_output(plic, 0));
	/* Completion of a source not enabled for the context is ignored. */
	wr(CLAIM(1), 40);
	assert_int_equal(rd(VPLIC_PENDING + 4), 0);
	wr(CLAIM(0), 40);
	assert_int_equal(rd(VPLIC_PENDING + 4), 1u << 8); /* line 40 still high */
}

static void test_threshold_and_withdrawal(void **state)
{
	(void)state;
	wr(PRIO(7), 3);
	wr(ENABLE(1, 0), 1u << 7);
	wr(THRESH(1), 3);
	vplic_set_line(plic, 7, true);
	assert_false(vplic_output(plic, 1)); /* priority must exceed the threshold */
	assert_int_equal(rd(CLAIM(1)), 0);
	wr(THRESH(1), 2);
	assert_true(vplic_output(plic, 1));
	assert_int_equal(notified[1], 1);
	/* A level line that drops before its claim withdraws the request. */
	vplic_set_line(plic, 7, false);
	assert_false(vplic_output(plic, 1));
	assert_int_equal(notified[1], 2);
	assert_int_equal(rd(CLAIM(1)), 0);
	/* Priority 0 never interrupts. */
	wr(PRIO(7), 0);
	wr(THRESH(1), 0);
	vplic_set_line(plic, 7, true);
	assert_false(vplic_output(plic, 1));
	assert_int_equal(vplic_set_line(plic, 0, true), -PV_EINVAL);
	assert_int_equal(vplic_set_line(plic, VPLIC_SOURCES, true), -PV_EINVAL);
}

static void test_bad_context_counts(void **state)
{
	struct vplic p;

	(void)state;
	assert_int_equal(vplic_init(&p, &vm, 0x0d000000, 0), -PV_EINVAL);
	assert_int_equal(vplic_init(&p, &vm, 0x0d000000, VPLIC_MAX_CTX + 1), -PV_EINVAL);
	assert_false(vplic_output(plic, 5));
}

/* A physical PLIC's source (passthrough): one request per physical claim, completed for real only
 * by the guest's completion of what it claimed. */
static void test_hardware_source(void **state)
{
	(void)state;
	assert_int_equal(vplic_hw_raise(plic, 8), -PV_EINVAL); /* not a hardware source yet */
	assert_int_equal(vplic_set_hw(plic, 8, true), PV_OK);
	assert_int_equal(vplic_set_hw(plic, 0, true), -PV_EINVAL);
	assert_int_equal(vplic_set_hw(plic, VPLIC_SOURCES, true), -PV_EINVAL);
	/* Routed to context 0 while nobody enables it; to the first context that does. */
	assert_int_equal(vplic_route(plic, 8), 0);
	wr(PRIO(8), 1);
	wr(ENABLE(1, 0), 1u << 8);
	assert_int_equal(rerouted.n, 1);
	assert_int_equal(rerouted.src[0], 8);
	assert_int_equal(vplic_route(plic, 8), 1);
	/* Enabling an emulated source reroutes nothing. */
	wr(ENABLE(1, 0), (1u << 8) | (1u << 5));
	assert_int_equal(rerouted.n, 1);
	/* The physical interrupt arrives: pending, context 1 told. */
	assert_int_equal(vplic_hw_raise(plic, 8), PV_OK);
	assert_true(vplic_output(plic, 1));
	assert_true(notified[1] >= 1);
	/* A completion before the claim is no completion. */
	wr(CLAIM(1), 8);
	assert_int_equal(completed.n, 0);
	assert_int_equal(rd(CLAIM(1)), 8);
	assert_false(vplic_output(plic, 1));
	/* Not a level: nothing pends again while the physical claim is held... */
	assert_int_equal(rd(CLAIM(1)), 0);
	/* ... the guest's completion is passed on once, and nothing pends after it either: the
	 * physical PLIC raises it again if the device still asks. */
	wr(CLAIM(1), 8);
	assert_int_equal(completed.n, 1);
	assert_int_equal(completed.src[0], 8);
	assert_false(vplic_output(plic, 1));
	wr(CLAIM(1), 8);
	assert_int_equal(completed.n, 1);
	/* An emulated source's completion is not passed on. */
	wr(PRIO(5), 1);
	assert_int_equal(vplic_set_line(plic, 5, true), PV_OK);
	assert_int_equal(rd(CLAIM(1)), 5);
	wr(CLAIM(1), 5);
	assert_int_equal(completed.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_width_and_alignment_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threshold_and_withdrawal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_context_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hardware_source, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
