// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include <vcpu/vcpu.h>

static void test_lifecycle_transitions(void **state)
{
	(void)state;
	/* allowed[from][to] */
	static const bool allowed[5][5] = {
		[VCPU_CREATED] = { [VCPU_READY] = true, [VCPU_STOPPED] = true },
		[VCPU_READY] = { [VCPU_RUNNING] = true, [VCPU_STOPPED] = true },
		[VCPU_RUNNING] = { [VCPU_READY] = true,
				   [VCPU_HALTED] = true,
				   [VCPU_STOPPED] = true },
		[VCPU_HALTED] = { [VCPU_RUNNING] = true, [VCPU_STOPPED] = true },
		[VCPU_STOPPED] = { [VCPU_READY] = true },
	};
	for (unsigned from = 0; from < 5; from++) {
		for (unsigned to = 0; to < 5; to++) {
			struct vcpu v = { .state = (enum vcpu_state)from };
			int err = vcpu_set_state(&v, (enum vcpu_state)to);
			if (allowed[from][to]) {
				assert_int_equal(err, PV_OK);
				assert_int_equal(v.state, to);
			} else {
				assert_int_equal(err, -PV_EBUSY);
				assert_int_equal(v.state, from);
			}
		}
	}
}

static void test_out_of_range_states(void **state)
{
	(void)state;
	struct vcpu v = { .state = VCPU_CREATED };
	assert_int_equal(vcpu_set_state(&v, (enum vcpu_state)17), -PV_EBUSY);
	v.state = (enum vcpu_state)17;
	assert_int_equal(vcpu_set_state(&v, VCPU_READY), -PV_EBUSY);
	assert_string_equal(vcpu_state_name((enum vcpu_state)17), "invalid");
	assert_string_equal(vcpu_state_name(VCPU_HALTED), "halted");
	assert_string_equal(vcpu_exit_kind_name(VCPU_EXIT_MMIO), "mmio");
	assert_string_equal(vcpu_exit_kind_name(VCPU_EXIT_KIND_COUNT), "invalid");
	for (unsigned k = 0; k < VCPU_EXIT_KIND_COUNT; k++)
		assert_non_null(vcpu_exit_kind_name((enum vcpu_exit_kind)k));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle_transitions),
		cmocka_unit_test(test_out_of_range_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
