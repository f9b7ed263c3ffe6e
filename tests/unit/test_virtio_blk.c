// SPDX-License-Identifier: MIT
/*
 * virtio-blk (devices/virtio_blk.c) driven through its queue: reads, writes into the image,
 * flush, GET_ID, the read-only option, requests outside the disk, and requests that are not
 * requests at all (the device then needs a reset).
 */
#include "pv_test.h"

#include "vdrv.h"
#include "vm_fixture.h"

#include <devices/virtio_blk.h>
#include <string.h>

#define BLK   0x0a000000ULL
#define RINGS (FIX_RAM_GPA + 0x10000)
#define HDR   (FIX_RAM_GPA + 0x20000)
#define DATA  (FIX_RAM_GPA + 0x21000)
#define STAT  (FIX_RAM_GPA + 0x20100)
#define CHUNK (FIX_RAM_GPA + 0x100000) /* where the VM's second RAM chunk starts */

static struct vm vm;
static struct vdrv d;
static uint8_t disk[16 * 512];

static uint8_t pattern(unsigned i)
{
	return (uint8_t)(i / 512 * 16 + i % 7);
}

static int start(bool read_only)
{
	for (unsigned i = 0; i < sizeof(disk); i++)
		disk[i] = pattern(i);
	fix_config.ndevs = 1;
	fix_config.devs[0] = (struct vm_dev_config){
		.model = &virtio_blk_model,
		.node = "disk@a000000",
		.space = VDEV_SPACE_MMIO,
		.base = BLK,
		.has_irq = true,
		.irq = 3,
		.has_image = true,
		.read_only = read_only,
		.image = { .node = "disk@a000000", .data = disk, .size = sizeof(disk) },
	};
	fix_vm_start(&vm);
	vdrv_start(&d, &vm, BLK, ~0ULL, 1, 16, RINGS);
	return 0;
}

static int setup(void **state)
{
	return fix_setup(state) ? -1 : start(false);
}

static int setup_ro(void **state)
{
	return fix_setup(state) ? -1 : start(true);
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

/* Submits a request of @type at @sector with @len data bytes at @data (device-writable for a
 * read) and returns its status byte; asserts the used length is @used. */
static uint8_t request(uint32_t type, uint64_t sector, uint64_t data, uint32_t len, uint32_t used)
{
	uint32_t hdr[4] = { type, 0, (uint32_t)sector, (uint32_t)(sector >> 32) };
	uint16_t w = type == VIRTIO_BLK_T_OUT ? 0 : VIRTQ_DESC_F_WRITE;
	uint32_t id, got;

	memcpy(vdrv_mem(&d, HDR, 16), hdr, 16);
	*(uint8_t *)vdrv_mem(&d, STAT, 1) = 0xee;
	vdrv_desc(&d, 0, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
	if (len) {
		vdrv_desc(&d, 0, 1, data, len, w | VIRTQ_DESC_F_NEXT, 2);
		vdrv_desc(&d, 0, 2, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
	} else {
		vdrv_desc(&d, 0, 1, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
	}
	vdrv_avail(&d, 0, 0);
	vdrv_notify(&d, 0);
	assert_true(vdrv_used(&d, 0, &id, &got));
	assert_int_equal(id, 0);
	assert_int_equal(got, used);
	return *(uint8_t *)vdrv_mem(&d, STAT, 1);
}

static void test_read_sectors(void **state)
{
	(void)state;
	assert_int_equal(request(VIRTIO_BLK_T_IN, 2, DATA, 1024, 1025), VIRTIO_BLK_S_OK);
	assert_memory_equal(vdrv_mem(&d, DATA, 1024), disk + 1024, 1024);
	assert_int_equal(vdrv_isr(&d), VIRTIO_MMIO_INT_VRING);
	/* The last sector, and a read into buffers across the VM's two RAM chunks. */
	assert_int_equal(request(VIRTIO_BLK_T_IN, 15, CHUNK - 200, 512, 513), VIRTIO_BLK_S_OK);
	assert_int_equal(vm_read_guest(&vm, gpa(CHUNK - 200), vdrv_mem(&d, DATA, 512), 512), 0);
	assert_memory_equal(vdrv_mem(&d, DATA, 512), disk + 15 * 512, 512);
}

static void test_write_changes_the_image(void **state)
{
	(void)state;
	memset(vdrv_mem(&d, DATA, 512), 0x5a, 512);
	assert_int_equal(request(VIRTIO_BLK_T_OUT, 4, DATA, 512, 1), VIRTIO_BLK_S_OK);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(disk[4 * 512 + i], 0x5a);
	assert_int_equal(disk[4 * 512 - 1], pattern(4 * 512 - 1));
	assert_int_equal(disk[5 * 512], pattern(5 * 512));
	memset(vdrv_mem(&d, DATA, 512), 0, 512);
	assert_int_equal(request(VIRTIO_BLK_T_IN, 4, DATA, 512, 513), VIRTIO_BLK_S_OK);
	assert_int_equal(*(uint8_t *)vdrv_mem(&d, DATA + 100, 1), 0x5a);
	assert_int_equal(request(VIRTIO_BLK_T_FLUSH, 0, 0, 0, 1), VIRTIO_BLK_S_OK);
}

static void test_get_id_and_unknown_requests(void **state)
{
	(void)state;
	assert_int_equal(request(VIRTIO_BLK_T_GET_ID, 0, DATA, 20, 21), VIRTIO_BLK_S_OK);
	assert_memory_equal(vdrv_mem(&d, DATA, 16), "vm0/disk@a000000", 16);
	assert_int_equal(request(11 /* discard, not offered */, 0, DATA, 16, 1),
			 VIRTIO_BLK_S_UNSUPP);
}

static void test_requests_outside_the_disk(void **state)
{
	(void)state;
	assert_int_equal(request(VIRTIO_BLK_T_IN, 16, DATA, 512, 1), VIRTIO_BLK_S_IOERR);
	assert_int_equal(request(VIRTIO_BLK_T_IN, 15, DATA, 1024, 1), VIRTIO_BLK_S_IOERR);
	assert_int_equal(request(VIRTIO_BLK_T_OUT, 0xffffffffffffffffULL, DATA, 512, 1),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(request(VIRTIO_BLK_T_OUT, 0x0080000000000000ULL, DATA, 512, 1),
			 VIRTIO_BLK_S_IOERR);
	/* Not whole sectors. */
	assert_int_equal(request(VIRTIO_BLK_T_IN, 0, DATA, 100, 1), VIRTIO_BLK_S_IOERR);
	assert_int_equal(request(VIRTIO_BLK_T_OUT, 0, DATA, 513, 1), VIRTIO_BLK_S_IOERR);
	/* The device still works. */
	assert_int_equal(request(VIRTIO_BLK_T_IN, 0, DATA, 512, 513), VIRTIO_BLK_S_OK);
}

static void test_read_only_disk(void **state)
{
	(void)state;
	uint8_t before[sizeof(disk)];

	vdrv_wr(&d, 0x014, 0);
	assert_true(vdrv_rd(&d, 0x010) & PV_BIT(VIRTIO_BLK_F_RO));
	memcpy(before, disk, sizeof(disk));
	memset(vdrv_mem(&d, DATA, 512), 0x5a, 512);
	assert_int_equal(request(VIRTIO_BLK_T_OUT, 1, DATA, 512, 1), VIRTIO_BLK_S_IOERR);
	assert_memory_equal(disk, before, sizeof(disk));
	assert_int_equal(request(VIRTIO_BLK_T_IN, 1, DATA, 512, 513), VIRTIO_BLK_S_OK);
	assert_int_equal(request(VIRTIO_BLK_T_FLUSH, 0, 0, 0, 1), VIRTIO_BLK_S_OK);
}

static void test_chains_that_are_no_request(void **state)
{
	(void)state;
	uint32_t id, len;

	/* A header but no status byte to answer in. */
	vdrv_desc(&d, 0, 0, HDR, 16, 0, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_notify(&d, 0);
	assert_false(vdrv_used(&d, 0, &id, &len));
	assert_true(vdrv_status(&d) & VIRTIO_STATUS_NEEDS_RESET);
	assert_true(fake_log_contains("request without header or status byte"));
	/* A short header. */
	vdrv_start(&d, &vm, BLK, ~0ULL, 1, 16, RINGS);
	vdrv_desc(&d, 0, 0, HDR, 8, VIRTQ_DESC_F_NEXT, 1);
	vdrv_desc(&d, 0, 1, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_notify(&d, 0);
	assert_true(vdrv_status(&d) & VIRTIO_STATUS_NEEDS_RESET);
	/* A data buffer outside RAM: the whole chain is refused before any byte moves. */
	vdrv_start(&d, &vm, BLK, ~0ULL, 1, 16, RINGS);
	uint8_t before[sizeof(disk)];
	memcpy(before, disk, sizeof(disk));
	vdrv_desc(&d, 0, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
	vdrv_desc(&d, 0, 1, FIX_RAM_GPA + FIX_RAM_SIZE - 256, 512, VIRTQ_DESC_F_NEXT, 2);
	vdrv_desc(&d, 0, 2, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
	memcpy(vdrv_mem(&d, HDR, 16), (uint32_t[]){ VIRTIO_BLK_T_OUT, 0, 0, 0 }, 16);
	vdrv_avail(&d, 0, 0);
	vdrv_notify(&d, 0);
	assert_true(vdrv_status(&d) & VIRTIO_STATUS_NEEDS_RESET);
	assert_memory_equal(disk, before, sizeof(disk));
	assert_true(fake_log_contains("buffer is not the VM's RAM"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_sectors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_changes_the_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_id_and_unknown_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requests_outside_the_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_disk, setup_ro, teardown),
		cmocka_unit_test_setup_teardown(test_chains_that_are_no_request, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
