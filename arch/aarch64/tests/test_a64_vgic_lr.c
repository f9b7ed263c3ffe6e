// SPDX-License-Identifier: MIT
/* vGICv3 list-register bookkeeping: filling by priority, overflow, retirement, EOI notification. */
#include "pv_test.h"

#include <a64/sysreg.h>
#include <a64/vgic.h>

static struct a64_vgic_cpu c;

static int setup(void **state)
{
	(void)state;
	a64_vgic_cpu_reset(&c, 4);
	c.enabled = ~0ULL;
	c.group1 = ~0ULL;
	return 0;
}

static void test_value_layout(void **state)
{
	(void)state;
	c.prio[27] = 0x80;
	c.notify = 1ULL << 27;
	/* pending, group 1, priority 0x80, EOI maintenance, vINTID 27 */
	assert_int_equal(a64_vgic_lr_value(&c, 27), 0x5080020000000000ULL | 27);
}

static void test_fill_by_priority_and_overflow(void **state)
{
	uint64_t lr[A64_VGIC_MAX_LR] = { 0 };
	unsigned written;
	(void)state;

	for (unsigned i = 0; i < 6; i++) {
		c.pending |= 1ULL << (1 + i);
		c.prio[1 + i] = (uint8_t)(0xf0 - 0x10 * i); /* INTID 6 is the most urgent */
	}
	c.enabled &= ~(1ULL << 5); /* disabled: must wait */
	written = a64_vgic_fill(&c, lr);
	assert_int_equal(written, 0xf);
	assert_int_equal(lr[0] & 0xffffffffu, 6);
	assert_int_equal(lr[1] & 0xffffffffu, 4);
	assert_int_equal(lr[2] & 0xffffffffu, 3);
	assert_int_equal(lr[3] & 0xffffffffu, 2);
	assert_true(c.underflow); /* INTID 1 still waits */
	assert_true(a64_vgic_has_pending(&c));
	/* Nothing free: a second fill writes nothing, and never duplicates an INTID. */
	assert_int_equal(a64_vgic_fill(&c, lr), 0);
}

static void test_retire_frees_and_refills(void **state)
{
	uint64_t lr[A64_VGIC_MAX_LR] = { 0 };
	unsigned freed;
	uint64_t done;
	(void)state;

	c.pending = (1ULL << 1) | (1ULL << 27) | (1ULL << 2);
	c.notify = 1ULL << 27;
	c.prio[27] = 0x10;
	c.prio[1] = 0x80;
	c.prio[2] = 0x80;
	assert_int_equal(a64_vgic_fill(&c, lr), 0x7); /* LR 0: 27, LR 1: 1, LR 2: 2 */
	assert_int_equal(lr[0] & 0xffffffffu, 27);
	assert_false(c.underflow);
	/* The guest acknowledged INTID 27 (active), finished INTID at LR 1, LR 2 still pending. */
	lr[0] = (lr[0] & ~(3ULL << 62)) | ICH_LR_ACTIVE;
	lr[1] &= ~(3ULL << 62);
	done = a64_vgic_retire(&c, lr, &freed);
	assert_int_equal(freed, 0x2);
	assert_int_equal(done, 0);
	assert_true(c.active >> 27 & 1);
	assert_int_equal(c.lr_pending, 0x4);
	/* Deactivating 27 reports it once: the physical timer may be unmasked. */
	lr[0] &= ~(3ULL << 62);
	done = a64_vgic_retire(&c, lr, &freed);
	assert_int_equal(done, 1ULL << 27);
	assert_int_equal(freed, 0x1);
	assert_int_equal(c.notify, 0);
	/* The same INTID may come again now that no list register holds it. */
	c.pending |= 1ULL << 27;
	assert_int_equal(a64_vgic_fill(&c, lr), 0x1);
	assert_int_equal(lr[0] & 0xffffffffu, 27);
}

/* The guest's timer level: held while its interrupt is pending or in a list register, released
 * however it leaves (the guest wedged its timer when a cleared pending bit kept the hold). */
static void test_held_source_released_whichever_way(void **state)
{
	uint64_t lr[A64_VGIC_MAX_LR] = { 0 };
	unsigned freed;
	(void)state;

	/* Fired while the guest has INTID 27 disabled: pending, held, nothing to release. */
	c.enabled &= ~(1ULL << 27);
	a64_vgic_hw_fired(&c, 27);
	assert_int_equal(c.pending, 1ULL << 27);
	assert_int_equal(c.hw_held, 1ULL << 27);
	assert_int_equal(c.notify, 1ULL << 27);
	assert_int_equal(a64_vgic_fill(&c, lr), 0);
	assert_int_equal(a64_vgic_hw_release(&c), 0);
	/* The guest clears it through GICR_ICPENDR0: the hold goes with it. */
	c.pending &= ~(1ULL << 27);
	assert_int_equal(a64_vgic_hw_releasable(&c), 1ULL << 27);
	assert_int_equal(a64_vgic_hw_release(&c), 1ULL << 27);
	assert_int_equal(c.hw_held, 0);
	assert_int_equal(c.notify, 0);
	assert_int_equal(a64_vgic_hw_release(&c), 0);

	/* Enabled: into a list register with EOI maintenance; firing again there changes nothing. */
	c.enabled |= 1ULL << 27;
	a64_vgic_hw_fired(&c, 27);
	assert_int_equal(a64_vgic_fill(&c, lr), 0x1);
	assert_true(lr[0] & ICH_LR_EOI);
	a64_vgic_hw_fired(&c, 27);
	assert_int_equal(c.pending, 0);
	assert_int_equal(a64_vgic_hw_release(&c), 0);
	/* Deactivated by the guest: released. */
	lr[0] &= ~(3ULL << 62);
	(void)a64_vgic_retire(&c, lr, &freed);
	assert_int_equal(freed, 0x1);
	assert_int_equal(a64_vgic_hw_release(&c), 1ULL << 27);
	assert_int_equal(c.hw_held, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_value_layout, setup),
		cmocka_unit_test_setup(test_fill_by_priority_and_overflow, setup),
		cmocka_unit_test_setup(test_retire_frees_and_refills, setup),
		cmocka_unit_test_setup(test_held_source_released_whichever_way, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
