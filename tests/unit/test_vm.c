// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include "vm_fixture.h"

#include <string.h>

static struct vm vm;

static void test_create_load_destroy(void **state)
{
	(void)state;
	size_t free_before = fix_pool.nfree;
	char buf[sizeof(fix_image)];
	hpa_t host;

	assert_int_equal(vm_create(&vm, 3, &fix_config, &fix_pool), PV_OK);
	assert_int_equal(vm.state, VM_CREATED);
	assert_string_equal(vm.name, "vm0");
	assert_int_equal(vm.nvcpus, 2);
	assert_int_equal(vm.s2.vmid, 4);
	assert_int_equal(fake_hw.create_calls, 2);
	assert_int_equal(vm.vcpus[1].pcpu, 1);
	assert_int_equal(vm.vcpus[1].guest_cpu_id, 0x100);
	assert_ptr_equal(fake_vcpu(&vm.vcpus[0])->s2, &vm.s2);

	/* All of guest RAM is mapped RWX and backed by pool frames; nothing past it is. */
	for (uint64_t off = 0; off < FIX_RAM_SIZE; off += HAL_PAGE_SIZE) {
		assert_int_equal(s2_translate(&vm.s2, gpa(FIX_RAM_GPA + off), S2_PERM_RWX, &host),
				 PV_OK);
		assert_non_null(page_pool_virt(&fix_pool, host));
	}
	assert_int_equal(s2_translate(&vm.s2, gpa(FIX_RAM_GPA + FIX_RAM_SIZE), S2_PERM_R, &host),
			 -PV_ENOENT);
	assert_int_equal(s2_translate(&vm.s2, gpa(FIX_RAM_GPA - HAL_PAGE_SIZE), S2_PERM_R, &host),
			 -PV_ENOENT);

	assert_int_equal(vm_load(&vm), PV_OK);
	assert_int_equal(vm.state, VM_READY);
	assert_int_equal(vm.vcpus[0].state, VCPU_READY);
	assert_int_equal(vm.vcpus[1].state, VCPU_CREATED);
	assert_int_equal(fake_vcpu(&vm.vcpus[0])->pc, FIX_RAM_GPA + 0x1000);
	assert_int_equal(fake_vcpu(&vm.vcpus[0])->regs[0], 0xd7b0);
	assert_int_equal(vm_read_guest(&vm, fix_config.images[0].load, buf, sizeof(buf)), PV_OK);
	assert_memory_equal(buf, fix_image, sizeof(buf));
	/* The copy went where stage 2 says the guest will see it. */
	assert_int_equal(s2_translate(&vm.s2, fix_config.images[0].load, S2_PERM_R, &host), PV_OK);
	assert_memory_equal(page_pool_virt(&fix_pool, host), fix_image, sizeof(fix_image));
	assert_int_equal(vm_load(&vm), -PV_EBUSY);

	vm_destroy(&vm);
	assert_int_equal(fake_hw.destroy_calls, 2);
	assert_int_equal(fix_pool.nfree, free_before);
}

static void test_guest_copy_bounds(void **state)
{
	(void)state;
	uint8_t data[64] = { 1, 2, 3 };
	fix_vm_start(&vm);
	/* Across the end of RAM: refused, whatever part was inside. */
	assert_int_equal(vm_write_guest(&vm, gpa(FIX_RAM_GPA + FIX_RAM_SIZE - 8), data, 16),
			 -PV_EFAULT);
	assert_int_equal(vm_write_guest(&vm, gpa(FIX_RAM_GPA + FIX_RAM_SIZE - 16), data, 16),
			 PV_OK);
	assert_int_equal(vm_read_guest(&vm, gpa(0), data, 1), -PV_EFAULT);
	/* A copy spanning two backing chunks (the 1 MiB and the 128 KiB one). */
	memset(data, 0x5a, sizeof(data));
	assert_int_equal(vm_write_guest(&vm, gpa(FIX_RAM_GPA + 0x100000 - 32), data, 64), PV_OK);
	uint8_t back[64];
	assert_int_equal(vm_read_guest(&vm, gpa(FIX_RAM_GPA + 0x100000 - 32), back, 64), PV_OK);
	assert_memory_equal(back, data, 64);
	vm_destroy(&vm);
}

static void expect_bad_config(const char *why)
{
	size_t free_before = fix_pool.nfree;
	fake_hw.log_len = 0;
	assert_int_equal(vm_create(&vm, 0, &fix_config, &fix_pool), -PV_EINVAL);
	assert_true(fake_log_contains("bad configuration"));
	assert_true(fake_log_contains(why));
	assert_int_equal(fix_pool.nfree, free_before);
	assert_int_equal(fake_hw.create_calls, 0);
}

static void test_bad_configs_are_explained(void **state)
{
	(void)state;
	struct vm_config good = fix_config;

	fix_config.name = "";
	expect_bad_config("name");
	fix_config = good;
	fix_config.name = "a-name-much-too-long";
	expect_bad_config("name");
	fix_config = good;
	fix_config.nvcpus = 0;
	expect_bad_config("vCPUs");
	fix_config = good;
	fix_config.pcpu[1] = 7;
	expect_bad_config("pinned to CPU 7");
	fix_config = good;
	fix_config.pcpu[1] = 0;
	expect_bad_config("both pinned");
	fix_config = good;
	fix_config.guest_cpu_id[1] = 0;
	expect_bad_config("share guest CPU id");
	fix_config = good;
	fix_config.mem[0].size = 0x1800;
	expect_bad_config("not aligned");
	fix_config = good;
	fix_config.nmem = 2;
	fix_config.mem[1] = (struct vm_mem_config){ gpa(FIX_RAM_GPA + 0x1000), 0x1000 };
	expect_bad_config("overlap");
	fix_config = good;
	fix_config.images[0].load = gpa(FIX_RAM_GPA + FIX_RAM_SIZE - 8);
	expect_bad_config("does not fit");
	fix_config = good;
	fix_config.has_entry = true;
	fix_config.entry = gpa(0x1000);
	expect_bad_config("entry point");
}

static void test_out_of_memory_releases_everything(void **state)
{
	(void)state;
	hpa_t hog;
	size_t nfree;
	/* Leave too little for the RAM: creation fails and gives every frame back. */
	assert_int_equal(page_pool_alloc(&fix_pool, 11, &hog), PV_OK);
	assert_int_equal(page_pool_alloc(&fix_pool, 10, &hog), PV_OK);
	assert_int_equal(page_pool_alloc(&fix_pool, 9, &hog), PV_OK);
	assert_int_equal(page_pool_alloc(&fix_pool, 8, &hog), PV_OK);
	nfree = fix_pool.nfree;
	assert_true(nfree < FIX_RAM_SIZE / HAL_PAGE_SIZE);
	assert_int_equal(vm_create(&vm, 0, &fix_config, &fix_pool), -PV_ENOMEM);
	assert_int_equal(fix_pool.nfree, nfree);
	assert_true(fake_log_contains("creation failed"));
}

static void test_backend_create_failure(void **state)
{
	(void)state;
	size_t nfree = fix_pool.nfree;
	fake_hw.create_error = -PV_ENOMEM;
	assert_int_equal(vm_create(&vm, 0, &fix_config, &fix_pool), -PV_ENOMEM);
	assert_int_equal(fix_pool.nfree, nfree);
}

static void test_stop_keeps_first_reason_and_kicks_cpus(void **state)
{
	(void)state;
	fix_vm_start(&vm);
	vm.vcpus[1].state = VCPU_RUNNING; /* as if running on CPU 1 */
	vm_stop(&vm, 7, "first");
	vm_stop(&vm, 9, "second");
	assert_int_equal(vm.state, VM_STOPPED);
	assert_int_equal(vm.exit_code, 7);
	assert_string_equal(vm.stop_reason, "first");
	assert_true(fake_log_contains("vm vm0: stopped: first (code 7)"));
	assert_false(fake_log_contains("second"));
	assert_int_equal(fake_hw.ipis[1], 1);
	assert_int_equal(fake_hw.ipis[0], 0);
	vm.vcpus[1].state = VCPU_STOPPED;
	vm_destroy(&vm);
}

static void test_console_lines_are_prefixed(void **state)
{
	(void)state;
	fix_vm_start(&vm);
	const char *msg = "hello\r\nworld\n";
	for (const char *p = msg; *p; p++)
		vm_console_putc(&vm, *p);
	assert_true(fake_log_contains("[vm0] hello\n[vm0] world\n"));
	/* An over-long line is split, not lost. */
	fake_hw.log_len = 0;
	for (int i = 0; i < 200; i++)
		vm_console_putc(&vm, (char)('a' + i % 26));
	vm_console_putc(&vm, '\n');
	assert_true(fake_log_contains("[vm0] abcdefghij"));
	assert_true(fake_log_contains("\n[vm0] "));
	/* 200 letters in two lines, each with the 'v' and 'm' of its prefix. */
	size_t letters = 0, prefixes = 0;
	for (size_t i = 0; i < fake_hw.log_len; i++) {
		letters += fake_hw.log[i] >= 'a' && fake_hw.log[i] <= 'z';
		prefixes += fake_hw.log[i] == '[';
	}
	assert_int_equal(prefixes, 2);
	assert_int_equal(letters, 200 + 2 * 2);
	vm_destroy(&vm);
}

static void test_find_vcpu(void **state)
{
	(void)state;
	fix_vm_start(&vm);
	assert_ptr_equal(vm_find_vcpu(&vm, 0x100), &vm.vcpus[1]);
	assert_null(vm_find_vcpu(&vm, 0x200));
	assert_string_equal(vm_state_name(VM_STOPPED), "stopped");
	vm_destroy(&vm);
}

/* Host frames backing each page of @v's RAM, in guest order. */
static void ram_frames(struct vm *v, uint64_t *frames, size_t n)
{
	hpa_t host;

	for (size_t i = 0; i < n; i++) {
		assert_int_equal(s2_translate(&v->s2, gpa(FIX_RAM_GPA + i * HAL_PAGE_SIZE),
					      S2_PERM_R, &host),
				 PV_OK);
		frames[i] = host.raw;
	}
}

/* Two VMs with the same guest RAM range never share a host frame, and neither frame lies in the
XX, the other can never read (the guest suite's memory
 * check shows the same from inside, with patterns that differ per VM). */
static void test_vms_get_disjoint_frames(void **state)
{
	(void)state;
	static struct vm other;
	enum {
		N = FIX_RAM_SIZE / HAL_PAGE_SIZE
	};
	static uint64_t a[N], b[N];

	fix_vm_start(&vm);
	fix_config.name = "vm1";
	assert_int_equal(vm_create(&other, 1, &fix_config, &fix_pool), PV_OK);
	ram_frames(&vm, a, N);
	ram_frames(&other, b, N);
	for (size_t i = 0; i < N; i++)
		for (size_t j = 0; j < N; j++)
			if (a[i] == b[j])
				fail_msg("guest page %zu of vm0 and page %zu of vm1 share host "
					 "frame 0x%llx",
					 i, j, (unsigned long long)a[i]);
	for (size_t i = 0; i + 1 < N; i++)
		assert_true(a[i] != a[i + 1] && b[i] != b[i + 1]);
	vm_destroy(&other);
	vm_destroy(&vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_load_destroy, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_guest_copy_bounds, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_bad_configs_are_explained, fix_setup,
						fix_teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory_releases_everything, fix_setup,
						fix_teardown),
		cmocka_unit_test_setup_teardown(test_backend_create_failure, fix_setup,
						fix_teardown),
		cmocka_unit_test_setup_teardown(test_stop_keeps_first_reason_and_kicks_cpus,
						fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_console_lines_are_prefixed, fix_setup,
						fix_teardown),
		cmocka_unit_test_setup_teardown(test_find_vcpu, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_vms_get_disjoint_frames, fix_setup,
						fix_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
