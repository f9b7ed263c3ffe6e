// SPDX-License-Identifier: MIT
/*
 * virtio-net on virtual switches (devices/virtio_net.c, devices/vswitch.c): three VMs, a and b
 * plugged into switch "lan", c into switch "other". Frames reach exactly the ports they are for,
 * never another switch; spoofed, runt and oversized frames are refused; a receiver without buffers
 * drops frames without holding its sender; a receiver with a malformed queue fails alone.
 */
#include "pv_test.h"

#include "vdrv.h"
#include "vm_fixture.h"

#include <devices/virtio_net.h>
#include <string.h>

#define NET   0x0a000000ULL
#define RINGS (FIX_RAM_GPA + 0x10000)
#define TXBUF (FIX_RAM_GPA + 0x20000)
#define RXBUF (FIX_RAM_GPA + 0x30000)

enum {
	A,
	B,
	C,
	NVMS
};

static struct vm vms[NVMS];
static struct vm_config cfgs[NVMS];
static struct vdrv drv[NVMS];
static const uint8_t mac[NVMS][6] = { { 0x02, 0, 0, 0, 0, 0xa },
				      { 0x02, 0, 0, 0, 0, 0xb },
				      { 0x02, 0, 0, 0, 0, 0xc } };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static int setup(void **state)
{
	static const char *const names[NVMS] = { "a", "b", "c" };
	static const char *const links[NVMS] = { "lan", "lan", "other" };

	if (fix_setup(state))
		return -1;
	vswitch_reset_all();
	for (unsigned i = 0; i < NVMS; i++) {
		cfgs[i] = fix_config;
		cfgs[i].name = names[i];
		cfgs[i].nvcpus = 1;
		cfgs[i].pcpu[0] = i;
		cfgs[i].ndevs = 1;
		cfgs[i].devs[0] = (struct vm_dev_config){ .model = &virtio_net_model,
							  .node = "net",
							  .space = VDEV_SPACE_MMIO,
							  .base = NET,
							  .has_irq = true,
							  .irq = 5,
							  .link = links[i] };
		memcpy(cfgs[i].devs[0].mac, mac[i], 6);
		assert_int_equal(vm_create(&vms[i], i, &cfgs[i], &fix_pool), PV_OK);
		assert_int_equal(vm_load(&vms[i]), PV_OK);
		vdrv_start(&drv[i], &vms[i], NET, ~0ULL, 2, 16, RINGS);
	}
	return 0;
}

static int teardown(void **state)
{
	for (unsigned i = 0; i < NVMS; i++)
		vm_destroy(&vms[i]);
	return fix_teardown(state);
}

/* Posts @n receive buffers of @size bytes on VM @v. */
static void post_rx(unsigned v, unsigned n, uint32_t size)
{
	for (unsigned i = 0; i < n; i++) {
		vdrv_desc(&drv[v], VIRTIO_NET_RX, (uint16_t)i, RXBUF + 0x800u * i, size,
			  VIRTQ_DESC_F_WRITE, 0);
		vdrv_avail(&drv[v], VIRTIO_NET_RX, (uint16_t)i);
	}
	vdrv_notify(&drv[v], VIRTIO_NET_RX);
}

/* VM @v transmits a frame to @dst from @src of @len bytes (header and frame in two buffers);
 * asserts the device gave the chain back. */
static void send(unsigned v, const uint8_t *dst, const uint8_t *src, uint32_t len)
{
	static uint16_t next[NVMS];
	uint8_t frame[2048] = { 0 };
	uint16_t i = (uint16_t)(next[v]++ % 8 * 2);
	uint32_t id, got;

	memcpy(frame, dst, 6);
	memcpy(frame + 6, src, 6);
	frame[12] = 0x08;
	for (uint32_t k = 14; k < len && k < sizeof(frame); k++)
		frame[k] = (uint8_t)(k + v);
	memset(vdrv_mem(&drv[v], TXBUF, VIRTIO_NET_HDR), 0, VIRTIO_NET_HDR);
	memcpy(vdrv_mem(&drv[v], TXBUF + 0x100, len), frame, len);
	vdrv_desc(&drv[v], VIRTIO_NET_TX, i, TXBUF, VIRTIO_NET_HDR, VIRTQ_DESC_F_NEXT,
		  (uint16_t)(i + 1));
	vdrv_desc(&drv[v], VIRTIO_NET_TX, (uint16_t)(i + 1), TXBUF + 0x100, len, 0, 0);
	vdrv_avail(&drv[v], VIRTIO_NET_TX, i);
	vdrv_notify(&drv[v], VIRTIO_NET_TX);
	assert_true(vdrv_used(&drv[v], VIRTIO_NET_TX, &id, &got));
	assert_int_equal(id, i);
}

/* The next frame VM @v received: its length (0 when none), checked against what @from sent. */
static uint32_t received(unsigned v, unsigned from)
{
	uint32_t id, len;
	const uint8_t *p;

	if (!vdrv_used(&drv[v], VIRTIO_NET_RX, &id, &len))
		return 0;
	if (len == 0)
		return 0;
	p = vdrv_mem(&drv[v], RXBUF + 0x800u * id, len);
	assert_int_equal(p[10], 1); /* num_buffers */
	assert_memory_equal(p + VIRTIO_NET_HDR + 6, mac[from], 6);
	for (uint32_t k = 14; k < len - VIRTIO_NET_HDR; k++)
		assert_int_equal(p[VIRTIO_NET_HDR + k], (uint8_t)(k + from));
	return len - VIRTIO_NET_HDR;
}

static struct virtio_net *net_of(unsigned v)
{
	return ((struct virtio_mmio *)vdev_find(&vms[v], VDEV_SPACE_MMIO, NET, 4)->priv)->priv;
}

static void test_mac_in_config_space(void **state)
{
	(void)state;
	uint64_t byte;

	vdrv_wr(&drv[B], 0x014, 0);
	assert_true(vdrv_rd(&drv[B], 0x010) & PV_BIT(VIRTIO_NET_F_MAC));
	for (unsigned i = 0; i < 6; i++) {
		assert_int_equal(vdrv_access(&drv[B], false, 0x100 + i, 1, &byte), PV_OK);
		assert_int_equal(byte, mac[B][i]);
	}
}

static void test_unicast_and_broadcast_stay_on_their_switch(void **state)
{
	(void)state;
	for (unsigned v = 0; v < NVMS; v++)
		post_rx(v, 8, 1600);
	send(A, mac[B], mac[A], 60);
	assert_int_equal(received(B, A), 60);
	assert_int_equal(received(A, A), 0);
	assert_int_equal(received(C, A), 0);
	send(B, bcast, mac[B], 1514);
	assert_int_equal(received(A, B), 1514);
	assert_int_equal(received(C, B), 0);
	/* c is alone on its switch: its broadcast reaches nobody, even a VM on another switch. */
	send(C, bcast, mac[C], 100);
	send(C, mac[A], mac[C], 100);
	assert_int_equal(received(A, C), 0);
	assert_int_equal(received(B, C), 0);
	/* Nor can a frame to c's address cross from lan. */
	send(A, mac[C], mac[A], 100);
	assert_int_equal(received(C, A), 0);
	assert_int_equal(net_of(A)->port->sent, 2);
	assert_int_equal(net_of(B)->port->received, 1);
	assert_int_equal(net_of(C)->port->received, 0);
	assert_int_equal(vdrv_isr(&drv[B]), VIRTIO_MMIO_INT_VRING);
}

static void test_bad_frames_are_refused(void **state)
{
	(void)state;
	post_rx(B, 8, 1600);
	send(A, mac[B], mac[B], 60);   /* b's address as source: spoofed */
	send(A, mac[B], mac[A], 13);   /* shorter than an Ethernet header */
	send(A, mac[B], mac[A], 1519); /* longer than the largest frame */
	assert_int_equal(received(B, A), 0);
	assert_int_equal(net_of(A)->port->refused, 3);
	assert_int_equal(net_of(A)->port->sent, 0);
	send(A, mac[B], mac[A], 1518);
	assert_int_equal(received(B, A), 1518);
}

static void test_receiver_without_buffers_drops(void **state)
{
	(void)state;
	/* b posted nothing: a's frames are dropped, a's queue moves on. */
	send(A, mac[B], mac[A], 64);
	send(A, mac[B], mac[A], 64);
	assert_int_equal(net_of(B)->port->dropped, 2);
	/* A buffer too small for the frame comes back empty. */
	post_rx(B, 1, 40);
	send(A, mac[B], mac[A], 64);
	assert_int_equal(received(B, A), 0);
	assert_int_equal(net_of(B)->port->dropped, 3);
	post_rx(B, 2, 1600);
	send(A, mac[B], mac[A], 64);
	assert_int_equal(net_of(B)->port->received, 1);
}

static void test_malformed_receive_queue_fails_the_receiver_only(void **state)
{
	(void)state;
	/* b's receive buffer lies outside its RAM. */
	vdrv_desc(&drv[B], VIRTIO_NET_RX, 0, FIX_RAM_GPA + FIX_RAM_SIZE, 1600, VIRTQ_DESC_F_WRITE,
		  0);
	vdrv_avail(&drv[B], VIRTIO_NET_RX, 0);
	send(A, mac[B], mac[A], 64);
	assert_true(vdrv_status(&drv[B]) & VIRTIO_STATUS_NEEDS_RESET);
	assert_false(vdrv_status(&drv[A]) & VIRTIO_STATUS_NEEDS_RESET);
	assert_true(fake_log_contains("vm b: virtio-net net: queue 0: buffer is not the VM's RAM"));
	/* a carries on: its broadcasts still reach nobody broken. */
	send(A, bcast, mac[A], 64);
	assert_int_equal(net_of(A)->port->sent, 2);
	/* b resets and receives again. */
	vdrv_start(&drv[B], &vms[B], NET, ~0ULL, 2, 16, RINGS);
	post_rx(B, 1, 1600);
	send(A, mac[B], mac[A], 64);
	assert_int_equal(received(B, A), 64);
}

static void test_destroyed_vm_leaves_its_switch(void **state)
{
	(void)state;
	struct vswitch_port *pb = net_of(B)->port;

	post_rx(B, 4, 1600);
	vm_destroy(&vms[B]);
	send(A, mac[B], mac[A], 64);
	assert_int_equal(net_of(A)->port->sent, 1);
	/* Nothing reached b's device, nor was anything counted for it. */
	assert_null(pb->dev);
	assert_int_equal(pb->received + pb->dropped, 0);
	assert_int_equal(vm_create(&vms[B], B, &cfgs[B], &fix_pool), PV_OK);
	assert_int_equal(vm_load(&vms[B]), PV_OK);
	vdrv_start(&drv[B], &vms[B], NET, ~0ULL, 2, 16, RINGS);
	post_rx(B, 1, 1600);
	send(A, mac[B], mac[A], 64);
	assert_int_equal(received(B, A), 64);
}

static void test_report_at_stop(void **state)
{
	(void)state;
	post_rx(B, 1, 1600);
	send(A, mac[B], mac[A], 64);
	vm_stop(&vms[B], 0, "test");
	assert_true(fake_log_contains("vm b: net on switch lan (02:00:00:00:00:0b): 0 frames sent, "
				      "1 received, 0 dropped, 0 refused\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mac_in_config_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unicast_and_broadcast_stay_on_their_switch,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_frames_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receiver_without_buffers_drops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_malformed_receive_queue_fails_the_receiver_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroyed_vm_leaves_its_switch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_report_at_stop, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
