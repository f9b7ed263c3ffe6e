// SPDX-License-Identifier: MIT
/*
 * Passthrough in vm_create (vm/vm.c) on the fake backend: a device's window mapped into stage 2 with
 * device attributes at its guest address, its physical lines handed to the interrupt controller
 * and taken back when the VM stops; identity RAM mapped at its own address, zeroed, and never
 * returned to the pool.
 */
#include "pv_test.h"

#include "vm_fixture.h"

#include <string.h>
#include <vm/arch_vm_desc.h>

#define PT_GPA	0x20000000ULL
#define PT_HPA	0x0a003000ULL
#define ID_BASE (FIX_POOL_BASE + 0x400000ULL) /* inside the fixture's pool */
#define ID_SIZE 0x100000ULL

static struct vm vm;

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_config.npt = 1;
	fix_config.pt[0] = (struct vm_pt_config){
		.node = "passthrough@20000000",
		.nregs = 1,
		.regs = { { gpa(PT_GPA), hpa(PT_HPA), 0x2000 } },
		.nirqs = 2,
		.irqs = { { .guest = 16, .host = 47 }, { .guest = 17, .host = 60 } },
		.given = -1,
	};
	return 0;
}

static void test_window_and_lines(void **state)
{
	struct s2_mapping m;

	(void)state;
	fix_vm_start(&vm);
	/* Both pages of the window: the host's device registers, uncached, never executable. */
	for (uint64_t off = 0; off < 0x2000; off += 0x1000) {
		assert_int_equal(s2_query(&vm.s2, gpa(PT_GPA + off), &m), PV_OK);
		assert_int_equal(m.hpa.raw + (PT_GPA + off - m.gpa.raw), PT_HPA + off);
		assert_int_equal(m.attr.memtype, S2_MEM_DEVICE);
		assert_int_equal(m.attr.perm, S2_PERM_R | S2_PERM_W);
	}
	/* Nothing past it. */
	assert_int_equal(s2_query(&vm.s2, gpa(PT_GPA + 0x2000), &m), -PV_ENOENT);
	/* Each line handed over, the guest's in set_line's numbering. */
	assert_int_equal(fake_hw.npt_attach, 2);
	assert_int_equal(fake_hw.pt_host[0], 47);
	assert_int_equal(fake_hw.pt_guest[0], arch_vm_desc.irq_line(16));
	assert_int_equal(fake_hw.pt_host[1], 60);
	assert_int_equal(fake_hw.pt_guest[1], arch_vm_desc.irq_line(17));
	assert_true(fake_log_contains("vm vm0: passthrough@20000000: host 0xa003000-0xa004fff at "
				      "guest 0x20000000, passed through"));
	assert_true(fake_log_contains("vm vm0: passthrough@20000000: physical interrupt line 47 "
				      "is its line 16"));
	assert_false(fake_log_contains("not isolated"));
	/* A stopped VM's lines go back; destroying it again is harmless. */
	vm_stop(&vm, 0, "test");
	assert_int_equal(fake_hw.pt_release_calls, 1);
	vm_destroy(&vm);
	assert_int_equal(fake_hw.pt_release_calls, 2);
}

static void test_line_refused(void **state)
{
	size_t before = fix_pool.nfree;

	(void)state;
	fake_hw.pt_attach_error = -PV_EBUSY;
	assert_int_equal(vm_create(&vm, 0, &fix_config, &fix_pool), -PV_EBUSY);
	assert_true(fake_log_contains("passthrough@20000000: physical interrupt line 47: "));
	/* Everything it took is back. */
	assert_int_equal(fix_pool.nfree, before);
	assert_true(fake_hw.pt_release_calls >= 1);
}

static void test_identity_ram(void **state)
{
	struct s2_mapping m;
	uint8_t *host = page_pool_virt(&fix_pool, hpa(ID_BASE));
	size_t before;

	(void)state;
	/* What the boot CPU does for identity RAM before the pool hands out anything. */
	page_pool_reserve(&fix_pool, hpa(ID_BASE), ID_SIZE);
	memset(host, 0xaa, ID_SIZE);
	before = fix_pool.nfree;
	fix_config.identity_ram = true;
	fix_config.mem[0] = (struct vm_mem_config){ gpa(ID_BASE), ID_SIZE };
	fix_config.images[0].load = gpa(ID_BASE + 0x1000);
	fix_config.npt = 0;
	fix_vm_start(&vm);
	assert_int_equal(s2_query(&vm.s2, gpa(ID_BASE + 0x5000), &m), PV_OK);
	assert_int_equal(m.hpa.raw + (ID_BASE + 0x5000 - m.gpa.raw), ID_BASE + 0x5000);
	assert_int_equal(m.attr.memtype, S2_MEM_NORMAL);
	/* Zeroed at creation (the kernel's bytes then loaded over it). */
	assert_int_equal(host[0], 0);
	assert_int_equal(host[ID_SIZE - 1], 0);
	assert_memory_equal(host + 0x1000, fix_image, sizeof(fix_image));
	assert_true(fake_log_contains("vm vm0: WARNING: RAM at guest-physical = host-physical for "
				      "device DMA; without an IOMMU a device it drives can read "
				      "and write all memory: this VM is not isolated from DMA"));
	/* Its frames stay reserved when it goes: only its stage-2 tables return to the pool. */
	vm_destroy(&vm);
	assert_int_equal(fix_pool.nfree, before);

	/* Identity RAM the hypervisor cannot reach through its pool is refused. */
	fake_reset();
	fix_config.mem[0] = (struct vm_mem_config){ gpa(0x40000000), ID_SIZE };
	fix_config.images[0].load = gpa(0x40001000);
	assert_int_equal(vm_create(&vm, 0, &fix_config, &fix_pool), -PV_EINVAL);
	assert_true(fake_log_contains("identity RAM 0x40000000-0x400fffff is outside the page "
				      "pool's memory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_window_and_lines, setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_line_refused, setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_identity_ram, setup, fix_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
