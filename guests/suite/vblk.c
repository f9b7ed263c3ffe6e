// SPDX-License-Identifier: MIT
/*
 * The passthrough benchmark (G_MODE_VBLK_BENCH, docs/devices.md): a minimal virtio-mmio block
 * driver that measures, on two disks the arch layer names (g_layout.vblk: a device passed through
 * to this VM and one the hypervisor emulates), the interrupt latency (from the guest's queue
 * notification of a request the device completes at once, GET_ID, to its interrupt handler) and
 * the guest time to read the disk in 64 KiB requests, one at a time, waiting in WFI.
 *
 * Both transports are served: version 1 (legacy: one page-aligned ring area by its page number,
 * QEMU's default) and version 2 (the rings' addresses, what the hypervisor's devices offer). The
 * driver uses guest-physical addresses as the device's DMA addresses, so a passed-through device
 * needs its VM's RAM identity-mapped.
 */
#include <guest/garch.h>
#include <stdint.h>

#include "suite.h"

#define VB_MAGIC	   0x000
#define VB_VERSION	   0x004
#define VB_DEVICE_ID	   0x008
#define VB_DEV_FEATURES	   0x010
#define VB_DEV_FEAT_SEL	   0x014
#define VB_DRV_FEATURES	   0x020
#define VB_DRV_FEAT_SEL	   0x024
#define VB_GUEST_PAGE_SIZE 0x028
#define VB_QUEUE_SEL	   0x030
#define VB_QUEUE_NUM_MAX   0x034
#define VB_QUEUE_NUM	   0x038
#define VB_QUEUE_ALIGN	   0x03c
#define VB_QUEUE_PFN	   0x040
#define VB_QUEUE_READY	   0x044
#define VB_QUEUE_NOTIFY	   0x050
#define VB_IRQ_STATUS	   0x060
#define VB_IRQ_ACK	   0x064
#define VB_STATUS	   0x070
#define VB_QUEUE_DESC	   0x080
#define VB_QUEUE_DRIVER	   0x090
#define VB_QUEUE_DEVICE	   0x0a0

#define VB_ST_ACK	  1u
#define VB_ST_DRIVER	  2u
#define VB_ST_DRIVER_OK	  4u
#define VB_ST_FEATURES_OK 8u

#define VB_T_IN	    0u
#define VB_T_GET_ID 8u

#define VB_QSIZE     8u
#define VB_PAGE	     4096u
#define VB_CHUNK     65536u
#define VB_LAT_ITERS 1000u

struct vb_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* One queue in one page-aligned area: descriptors, the available ring, the used ring on the next
 * page (the legacy layout with QueueAlign 4096, which version 2 is told address by address). */
struct vb_ring {
	struct vb_desc desc[VB_QSIZE];
	uint16_t avail_flags, avail_idx, avail_ring[VB_QSIZE], avail_event;
	uint8_t pad[VB_PAGE - VB_QSIZE * 16 - 6 - 2 * VB_QSIZE];
	uint16_t used_flags, used_idx;
	struct {
		uint32_t id, len;
	} used_ring[VB_QSIZE];
} __attribute__((aligned(VB_PAGE)));

struct vb_req {
	uint32_t type, reserved;
	uint64_t sector;
};

static struct vb_ring vb_rings[2];
static struct vb_req vb_req __attribute__((aligned(16)));
static volatile uint8_t vb_status;
static uint8_t vb_buf[VB_CHUNK] __attribute__((aligned(VB_PAGE)));

/* Set by the interrupt handler. */
static volatile unsigned vb_line;
static volatile uint64_t vb_irq_at;
static volatile bool vb_irq;
static uint64_t vb_base_now;

static uint32_t rd(uint64_t reg)
{
	return (uint32_t)g_load(vb_base_now + reg, 4, false);
}

static void wr(uint64_t reg, uint32_t v)
{
	g_store(vb_base_now + reg, 4, v);
}

static void vb_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void g_on_dev_irq(unsigned line, uint64_t now)
{
	if (line != vb_line)
		return;
	wr(VB_IRQ_ACK, rd(VB_IRQ_STATUS));
	vb_irq_at = now;
	vb_irq = true;
}

/* Brings the device at @base up with one queue on ring @r. 0 or why not. */
static const char *vb_init(uint64_t base, struct vb_ring *r)
{
	uint32_t version;
	uint64_t at = (uintptr_t)r;

	vb_base_now = base;
	if (rd(VB_MAGIC) != 0x74726976u || rd(VB_DEVICE_ID) != 2)
		return "no virtio block device there";
	version = rd(VB_VERSION);
	wr(VB_STATUS, 0);
	wr(VB_STATUS, VB_ST_ACK | VB_ST_DRIVER);
	wr(VB_DRV_FEAT_SEL, 0);
	wr(VB_DRV_FEATURES, 0);
	wr(VB_DRV_FEAT_SEL, 1);
	wr(VB_DRV_FEATURES, version == 2 ? 1u : 0u); /* VIRTIO_F_VERSION_1 */
	if (version == 2) {
		wr(VB_STATUS, VB_ST_ACK | VB_ST_DRIVER | VB_ST_FEATURES_OK);
		if (!(rd(VB_STATUS) & VB_ST_FEATURES_OK))
			return "features refused";
	} else {
		wr(VB_GUEST_PAGE_SIZE, VB_PAGE);
	}
	wr(VB_QUEUE_SEL, 0);
	if (rd(VB_QUEUE_NUM_MAX) < VB_QSIZE)
		return "queue too small";
	wr(VB_QUEUE_NUM, VB_QSIZE);
	if (version == 2) {
		wr(VB_QUEUE_DESC, (uint32_t)at);
		wr(VB_QUEUE_DESC + 4, (uint32_t)(at >> 32));
		wr(VB_QUEUE_DRIVER, (uint32_t)(at + 16 * VB_QSIZE));
		wr(VB_QUEUE_DRIVER + 4, (uint32_t)((at + 16 * VB_QSIZE) >> 32));
		wr(VB_QUEUE_DEVICE, (uint32_t)(at + VB_PAGE));
		wr(VB_QUEUE_DEVICE + 4, (uint32_t)((at + VB_PAGE) >> 32));
		wr(VB_QUEUE_READY, 1);
	} else {
		wr(VB_QUEUE_ALIGN, VB_PAGE);
		wr(VB_QUEUE_PFN, (uint32_t)(at / VB_PAGE));
	}
	wr(VB_STATUS, rd(VB_STATUS) | VB_ST_DRIVER_OK);
	return 0;
}

/* Queues one request (header, @len bytes into vb_buf, status) and notifies; returns the counter
 * right before the notification. */
static uint64_t vb_submit(struct vb_ring *r, uint32_t type, uint64_t sector, uint32_t len)
{
	uint16_t idx = r->avail_idx;
	uint64_t t;

	vb_req = (struct vb_req){ .type = type, .sector = sector };
	vb_status = 0xff;
	r->desc[0] = (struct vb_desc){ (uintptr_t)&vb_req, sizeof(vb_req), 1, 1 };
	r->desc[1] = (struct vb_desc){ (uintptr_t)vb_buf, len, 1 | 2, 2 };
	r->desc[2] = (struct vb_desc){ (uintptr_t)&vb_status, 1, 2, 0 };
	r->avail_ring[idx % VB_QSIZE] = 0;
	vb_mb();
	r->avail_idx = (uint16_t)(idx + 1);
	vb_mb();
	vb_irq = false;
	t = g_counter();
	wr(VB_QUEUE_NOTIFY, 0);
	return t;
}

/* Waits for the request's interrupt; false when the device answered anything but OK. */
static bool vb_complete(struct vb_ring *r)
{
	while (!vb_irq)
		g_wait_irq_masked();
	vb_mb();
	return r->used_idx == r->avail_idx && vb_status == 0;
}

static void vb_report(const char *name, uint64_t ticks, unsigned n)
{
	uint64_t ns10 = ticks * 10000000000ULL / g_counter_freq() / n;

	g_printf("BENCH %s %llu.%llu ns %u\n", name, (unsigned long long)(ns10 / 10),
		 (unsigned long long)(ns10 % 10), n);
}

/* Both figures of one disk: @lat and @read name them. */
static void vb_bench(unsigned d, const char *lat, const char *read)
{
	struct vb_ring *r = &vb_rings[d];
	uint64_t sum = 0, t0, bytes, disk;
	const char *why = vb_init(g_layout.vblk[d].base, r);
	unsigned chunks;

	if (why) {
		g_fail(lat, "%s at 0x%llx", why, (unsigned long long)g_layout.vblk[d].base);
		return;
	}
	vb_line = g_layout.vblk[d].line;
	if (!g_dev_irq_enable(vb_line)) {
		g_fail(lat, "this guest layer cannot take device interrupts");
		return;
	}
	for (unsigned i = 0; i < VB_LAT_ITERS; i++) {
		t0 = vb_submit(r, VB_T_GET_ID, 0, 20);
		if (!vb_complete(r)) {
			g_fail(lat, "GET_ID %u failed (status %u)", i, vb_status);
			return;
		}
		sum += vb_irq_at - t0;
	}
	vb_report(lat, sum, VB_LAT_ITERS);
	/* The disk's size: 32-bit capacity words of its configuration, in sectors. */
	disk = ((uint64_t)rd(0x104) << 32 | rd(0x100)) * 512;
	chunks = (unsigned)(disk / VB_CHUNK);
	if (chunks == 0) {
		g_fail(read, "the disk has %llu bytes", (unsigned long long)disk);
		return;
	}
	bytes = (uint64_t)chunks * VB_CHUNK;
	t0 = g_counter();
	for (unsigned i = 0; i < chunks; i++) {
		vb_submit(r, VB_T_IN, (uint64_t)i * (VB_CHUNK / 512), VB_CHUNK);
		if (!vb_complete(r)) {
			g_fail(read, "read %u failed (status %u)", i, vb_status);
			return;
		}
	}
	/* Guest time per MiB read. */
	vb_report(read, g_counter() - t0, (unsigned)(bytes >> 20));
	/* The first bytes of the last chunk read: the same on both disks. */
	g_printf("vblk: %s read %llu bytes, ending %02x%02x%02x%02x\n", read,
		 (unsigned long long)bytes, vb_buf[VB_CHUNK - 4], vb_buf[VB_CHUNK - 3],
		 vb_buf[VB_CHUNK - 2], vb_buf[VB_CHUNK - 1]);
}

void g_vblk_bench(void)
{
	g_printf("BENCH-PLAN pt_irq_latency emu_irq_latency pt_read_per_mib emu_read_per_mib\n");
	g_irq_off();
	vb_bench(0, "pt_irq_latency", "pt_read_per_mib");
	vb_bench(1, "emu_irq_latency", "emu_read_per_mib");
}
