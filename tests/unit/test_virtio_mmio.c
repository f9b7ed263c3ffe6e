// SPDX-License-Identifier: MIT
/*
 * The virtio-mmio transport (devices/virtio_mmio.c), through a virtio-console and a virtio-blk
 * device of a VM on the fake backend: identification, feature negotiation, the register rules,
 * the interrupt line, and the "needs reset" state a malformed queue leads to.
 */
#include "pv_test.h"

#include "vdrv.h"
#include "vm_fixture.h"

#include <devices/virtio_blk.h>
#include <devices/virtio_console.h>
#include <string.h>

#define CON   0x0a000000ULL
#define BLK   0x0a000200ULL
#define RINGS (FIX_RAM_GPA + 0x10000)
#define BUF   (FIX_RAM_GPA + 0x20000)

static struct vm vm;
static struct vdrv d;
static uint8_t disk[8192];

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_config.ndevs = 2;
	fix_config.devs[0] = (struct vm_dev_config){ .model = &virtio_console_model,
						     .node = "console",
						     .space = VDEV_SPACE_MMIO,
						     .base = CON,
						     .has_irq = true,
						     .irq = 16 };
	fix_config.devs[1] = (struct vm_dev_config){
		.model = &virtio_blk_model,
		.node = "disk",
		.space = VDEV_SPACE_MMIO,
		.base = BLK,
		.has_irq = true,
		.irq = 17,
		.has_image = true,
		.image = { .node = "disk", .data = disk, .size = sizeof(disk) },
	};
	fix_vm_start(&vm);
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

static unsigned irqs(void)
{
	return fake_vcpu(&vm.vcpus[0])->nirqs;
}

static unsigned count_in_log(const char *needle)
{
	unsigned n = 0;

	fake_hw.log[fake_hw.log_len] = '\0';
	for (const char *p = fake_hw.log; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* One transmitted "hi\n" on the console's queue 1, with descriptor @i. */
static void send_hi(uint16_t i)
{
	memcpy(vdrv_mem(&d, BUF + 64u * i, 3), "hi\n", 3);
	vdrv_desc(&d, 1, i, BUF + 64u * i, 3, 0, 0);
	vdrv_avail(&d, 1, i);
	vdrv_notify(&d, 1);
}

static void test_identity_and_features(void **state)
{
	(void)state;
	struct vdrv b = { .vm = &vm, .dev = vdev_find(&vm, VDEV_SPACE_MMIO, BLK, 4) };

	assert_non_null(b.dev);
	assert_int_equal(vdrv_rd(&b, 0x000), 0x74726976); /* "virt" */
	assert_int_equal(vdrv_rd(&b, 0x004), 2);
	assert_int_equal(vdrv_rd(&b, 0x008), VIRTIO_ID_BLOCK);
	assert_int_equal(vdrv_rd(&b, 0x00c), VIRTIO_MMIO_VENDOR);
	vdrv_wr(&b, 0x014, 0);
	assert_int_equal(vdrv_rd(&b, 0x010), PV_BIT(VIRTIO_BLK_F_SEG_MAX) |
						     PV_BIT(VIRTIO_BLK_F_BLK_SIZE) |
						     PV_BIT(VIRTIO_BLK_F_FLUSH));
	vdrv_wr(&b, 0x014, 1);
	assert_int_equal(vdrv_rd(&b, 0x010), 1); /* VERSION_1 */
	vdrv_wr(&b, 0x014, 2);
	assert_int_equal(vdrv_rd(&b, 0x010), 0);
	/* No shared memory regions: their length reads as -1. */
	assert_int_equal(vdrv_rd(&b, 0x0b0), 0xffffffffu);
	assert_int_equal(vdrv_rd(&b, 0x0b4), 0xffffffffu);
	/* Configuration space: capacity in sectors, byte by byte and as words. */
	uint64_t v = 0;
	assert_int_equal(vdrv_access(&b, false, 0x100, 1, &v), PV_OK);
	assert_int_equal(v, sizeof(disk) / 512);
	assert_int_equal(vdrv_access(&b, false, 0x100, 4, &v), PV_OK);
	assert_int_equal(v, sizeof(disk) / 512);
	assert_int_equal(vdrv_access(&b, false, 0x10c, 4, &v), PV_OK);
	assert_int_equal(v, VIRTIO_BLK_SEG_MAX);
	assert_int_equal(vdrv_access(&b, false, 0x1f0, 4, &v), PV_OK); /* past it: zero */
	assert_int_equal(v, 0);
}

static void test_negotiation_rules(void **state)
{
	(void)state;
	struct vdrv b = { .vm = &vm, .dev = vdev_find(&vm, VDEV_SPACE_MMIO, BLK, 4) };

	vdrv_wr(&b, 0x070, 0);
	vdrv_wr(&b, 0x070, 3);
	/* Without VERSION_1 the device refuses FEATURES_OK (a legacy driver). */
	vdrv_wr(&b, 0x024, 0);
	vdrv_wr(&b, 0x020, PV_BIT(VIRTIO_BLK_F_FLUSH));
	vdrv_wr(&b, 0x070, 0x0b);
	assert_int_equal(vdrv_status(&b) & VIRTIO_STATUS_FEATURES_OK, 0);
	/* A feature the device did not offer: refused too. */
	vdrv_wr(&b, 0x024, 1);
	vdrv_wr(&b, 0x020, 1);
	vdrv_wr(&b, 0x024, 0);
	vdrv_wr(&b, 0x020, PV_BIT(VIRTIO_BLK_F_RO));
	vdrv_wr(&b, 0x070, 0x0b);
	assert_int_equal(vdrv_status(&b) & VIRTIO_STATUS_FEATURES_OK, 0);
	/* DRIVER_OK without accepted features does not stick. */
	vdrv_wr(&b, 0x070, 0x07);
	assert_int_equal(vdrv_status(&b) & VIRTIO_STATUS_DRIVER_OK, 0);
	vdrv_wr(&b, 0x020, PV_BIT(VIRTIO_BLK_F_FLUSH));
	vdrv_wr(&b, 0x070, 0x0b);
	assert_int_equal(vdrv_status(&b), 0x0b);
	/* Accepted features are fixed from then on. */
	vdrv_wr(&b, 0x020, 0);
	vdrv_wr(&b, 0x070, 0x0f);
	assert_int_equal(vdrv_status(&b), 0x0f);
	/* A driver cannot set NEEDS_RESET itself. */
	vdrv_wr(&b, 0x070, 0x4f);
	assert_int_equal(vdrv_status(&b), 0x0f);
}

static void test_register_access_rules(void **state)
{
	(void)state;
	struct vdrv b = { .vm = &vm, .dev = vdev_find(&vm, VDEV_SPACE_MMIO, BLK, 4) };
	uint64_t v = 0;

	/* Registers are aligned 32-bit words; anything else is the guest's fault. */
	assert_int_equal(vdrv_access(&b, false, 0x000, 1, &v), -PV_EFAULT);
	assert_int_equal(vdrv_access(&b, false, 0x000, 8, &v), -PV_EFAULT);
	assert_int_equal(vdrv_access(&b, false, 0x002, 2, &v), -PV_EFAULT);
	assert_int_equal(vdrv_access(&b, true, 0x070, 2, &v), -PV_EFAULT);
	assert_int_equal(vdrv_access(&b, false, 0x101, 2, &v), -PV_EFAULT);
	assert_int_equal(vdrv_access(&b, false, 0x100, 8, &v), -PV_EFAULT);
	/* The configuration space is read-only: writes change nothing. */
	v = 0xff;
	assert_int_equal(vdrv_access(&b, true, 0x100, 1, &v), PV_OK);
	assert_int_equal(vdrv_access(&b, false, 0x100, 1, &v), PV_OK);
	assert_int_equal(v, sizeof(disk) / 512);
}

static void test_console_output_and_interrupt(void **state)
{
	(void)state;
	uint32_t id, len;

	vdrv_start(&d, &vm, CON, 0, 2, 8, RINGS);
	assert_int_equal(irqs(), 0);
	send_hi(0);
	assert_true(fake_log_contains("[vm0] hi\n"));
	assert_true(vdrv_used(&d, 1, &id, &len));
	assert_int_equal(id, 0);
	assert_int_equal(len, 0);
	/* The line rose once, to the controller's number for line 16. */
	assert_int_equal(irqs(), 1);
	assert_int_equal(fake_vcpu(&vm.vcpus[0])->irqs[0], 116);
	assert_int_equal(vdrv_isr(&d), VIRTIO_MMIO_INT_VRING);
	/* While InterruptStatus is still set, more completions do not raise it again. */
	send_hi(1);
	assert_int_equal(irqs(), 1);
	vdrv_wr(&d, 0x064, VIRTIO_MMIO_INT_VRING);
	assert_int_equal(vdrv_isr(&d), 0);
	send_hi(2);
	assert_int_equal(irqs(), 2);
	/* Notifying a queue the device lacks does nothing. */
	vdrv_wr(&d, 0x050, 7);
	/* Queue fields cannot change under a ready queue. */
	vdrv_wr(&d, 0x030, 1);
	vdrv_wr(&d, 0x038, 2);
	vdrv_wr(&d, 0x080, 0x1234);
	send_hi(3);
	assert_true(vdrv_used(&d, 1, &id, &len));
	assert_true(vdrv_used(&d, 1, &id, &len));
	assert_true(vdrv_used(&d, 1, &id, &len));
	assert_int_equal(id, 3);
}

static void test_malformed_queue_needs_reset(void **state)
{
	(void)state;
	uint32_t id, len;
	unsigned before;

	vdrv_start(&d, &vm, CON, 0, 2, 8, RINGS);
	/* A transmit chain looping on itself. */
	vdrv_desc(&d, 1, 0, BUF, 3, VIRTQ_DESC_F_NEXT, 1);
	vdrv_desc(&d, 1, 1, BUF, 3, VIRTQ_DESC_F_NEXT, 0);
	vdrv_avail(&d, 1, 0);
	vdrv_notify(&d, 1);
	assert_true(vdrv_status(&d) & VIRTIO_STATUS_NEEDS_RESET);
	assert_true(vdrv_isr(&d) & VIRTIO_MMIO_INT_CONFIG);
	assert_int_equal(irqs(), 1);
	assert_int_equal(count_in_log("device needs reset"), 1);
	assert_true(fake_log_contains("vm vm0: virtio-console console: queue 1: descriptor chain "
				      "loops, from head (0x0); device needs reset\n"));
	assert_false(vdrv_used(&d, 1, &id, &len));
	/* Failed, the device ignores its queues and says it once only. */
	before = (unsigned)fake_hw.log_len;
	send_hi(2);
	assert_false(vdrv_used(&d, 1, &id, &len));
	assert_int_equal(count_in_log("device needs reset"), 1);
	assert_int_equal(fake_hw.log_len, before);
	/* The other device of the VM and the VM itself carry on. */
	assert_int_equal(vm.state, VM_READY);
	struct vdrv b;
	vdrv_start(&b, &vm, BLK, 0, 1, 8, RINGS + 0x8000);
	/* A reset brings the device back. */
	vdrv_start(&d, &vm, CON, 0, 2, 8, RINGS);
	assert_int_equal(vdrv_isr(&d), 0);
	send_hi(4);
	assert_true(vdrv_used(&d, 1, &id, &len));
	assert_int_equal(id, 4);
}

static void test_bad_ring_on_enable_needs_reset(void **state)
{
	(void)state;
	struct vdrv b = { .vm = &vm, .dev = vdev_find(&vm, VDEV_SPACE_MMIO, BLK, 4) };

	vdrv_wr(&b, 0x070, 0);
	vdrv_wr(&b, 0x030, 0);
	vdrv_wr(&b, 0x038, 8);
	vdrv_wr(&b, 0x080, 0x09000000); /* a device window, not RAM */
	vdrv_wr(&b, 0x090, (uint32_t)RINGS);
	vdrv_wr(&b, 0x0a0, (uint32_t)RINGS + 0x1000);
	vdrv_wr(&b, 0x044, 1);
	assert_int_equal(vdrv_rd(&b, 0x044), 0);
	assert_true(vdrv_status(&b) & VIRTIO_STATUS_NEEDS_RESET);
	assert_true(fake_log_contains("queue 0: descriptor table is not aligned RAM (0x9000000)"));
	/* Not started yet: no interrupt for a driver that does not listen. */
	assert_int_equal(irqs(), 0);
	/* A queue size beyond QueueNumMax. */
	vdrv_wr(&b, 0x070, 0);
	assert_int_equal(vdrv_status(&b), 0);
	vdrv_wr(&b, 0x038, VIRTIO_BLK_QUEUE * 2);
	vdrv_wr(&b, 0x080, (uint32_t)RINGS);
	vdrv_wr(&b, 0x044, 1);
	assert_true(vdrv_status(&b) & VIRTIO_STATUS_NEEDS_RESET);
}

static void test_console_input(void **state)
{
	(void)state;
	struct virtio_console *con = vdev_find(&vm, VDEV_SPACE_MMIO, CON, 4)->priv;
	uint32_t id, len;

	con = ((struct virtio_mmio *)(void *)con)->priv;
	/* Before the driver runs, input goes nowhere. */
	assert_int_equal(virtio_console_input(con, "ls\n", 3), 0);
	vdrv_start(&d, &vm, CON, 0, 2, 8, RINGS);
	assert_int_equal(virtio_console_input(con, "ls\n", 3), 0); /* no buffer posted */
	vdrv_desc(&d, 0, 0, BUF, 2, VIRTQ_DESC_F_WRITE, 0);
	vdrv_desc(&d, 0, 1, BUF + 16, 8, VIRTQ_DESC_F_WRITE, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_avail(&d, 0, 1);
	assert_int_equal(virtio_console_input(con, "ls -l\n", 6), 6);
	assert_true(vdrv_used(&d, 0, &id, &len));
	assert_int_equal(len, 2);
	assert_true(vdrv_used(&d, 0, &id, &len));
	assert_int_equal(len, 4);
	assert_memory_equal(vdrv_mem(&d, BUF, 2), "ls", 2);
	assert_memory_equal(vdrv_mem(&d, BUF + 16, 4), " -l\n", 4);
	/* Typed on the console (this VM's console input is the virtio console): it waits for
	 * buffers, and a notify of the receive queue brings it in. */
	vm_console_input(&vm, (const uint8_t *)"pwd\n", 4);
	assert_false(vdrv_used(&d, 0, &id, &len));
	vdrv_desc(&d, 0, 2, BUF + 32, 16, VIRTQ_DESC_F_WRITE, 0);
	vdrv_avail(&d, 0, 2);
	vdrv_notify(&d, 0);
	assert_true(vdrv_used(&d, 0, &id, &len));
	assert_int_equal(id, 2);
	assert_int_equal(len, 4);
	assert_memory_equal(vdrv_mem(&d, BUF + 32, 4), "pwd\n", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity_and_features, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negotiation_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_access_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_output_and_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_queue_needs_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ring_on_enable_needs_reset, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_console_input, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
