// SPDX-License-Identifier: MIT
/*
 * The virtio-mmio transport (devices/virtio_mmio.c) with a virtio-console and a virtio-blk device
 * (devices/virtio_console.c, virtio_blk.c) above the virtqueue: a hostile driver's register
 * accesses of any offset and width, its rings, descriptors and requests written anywhere in guest
 * RAM, and its notifications, against the virtio 1.x specification (section 4.2.2, "MMIO Device
 * Register Layout", and 3.1, "Device Initialization"): registers are aligned 32-bit words (other
 * accesses fault, change nothing), the configuration space takes 1-, 2- and 4-byte reads and
 * ignores writes; MagicValue, Version 2, DeviceID, VendorID and the offered features read back;
 * the device status only accumulates the driver's bits until a write of 0 resets it, takes
 * FEATURES_OK only for a subset of the offered features with VERSION_1, DRIVER_OK only after
 * FEATURES_OK, and adds nothing of its own but DEVICE_NEEDS_RESET; a reset clears InterruptStatus
 * and every queue's ready bit. Whatever the driver does, the device neither crashes nor touches
 * memory outside guest RAM (ASan, UBSan), and the VM gives every frame back.
 */
#include "fuzz_vm.h"

#include <devices/virtio.h>
#include <devices/virtio_blk.h>
#include <devices/virtio_console.h>
#include <devices/virtio_mmio.h>
#include <string.h>

#define NDEV  2
#define CON   0x0a000000ULL
#define BLK   0x0a000200ULL
#define AREA  (FZV_RAM + 0x10000) /* where the structured steps put rings and buffers */
#define MAGIC 0x74726976u

struct dev_model {
	uint64_t base, offered;
	uint32_t id, status;
	uint64_t drv_features;
	uint32_t drv_sel;
};

static struct vm vm;
static uint8_t disk[4096];

static uint32_t reg_access(struct dev_model *d, uint64_t off, unsigned w, bool write, uint64_t v,
			   bool *served)
{
	uint64_t value = v;
	enum fzv_outcome o = fzv_mmio(&vm.vcpus[0], d->base + off, w, write, &value);
	bool valid = w == 1 || w == 2 || w == 4 || w == 8;
	bool want = valid && off + w <= VIRTIO_MMIO_SIZE && !(off & (w - 1u)) &&
		    (off >= VIRTIO_MMIO_CONFIG ? w != 8 : w == 4);

	if (o == FZV_IDLE || o == FZV_LEFT)
		return 0; /* the VM stopped: nothing more to check */
	FZ_CHECK((o == FZV_COMPLETED) == want, "%s of %u bytes at +0x%llx: outcome %d, %s expected",
		 write ? "store" : "load", w, (unsigned long long)off, o,
		 want ? "completion" : "a fault");
	*served = want;
	return (uint32_t)value;
}

/* A served 32-bit register access, applied to the model (the status rules of section 3.1). */
static void model_write(struct dev_model *d, uint64_t off, uint32_t v)
{
	switch (off) {
	case 0x020:
		if (d->drv_sel < 2 && !(d->status & VIRTIO_STATUS_FEATURES_OK))
			d->drv_features = (d->drv_features & ~(0xffffffffULL << 32 * d->drv_sel)) |
					  (uint64_t)v << 32 * d->drv_sel;
		break;
	case 0x024:
		d->drv_sel = v;
		break;
	case 0x070:
		if (v == 0) {
			d->status = 0;
			d->drv_features = 0;
			d->drv_sel = 0;
			break;
		}
		v &= ~VIRTIO_STATUS_NEEDS_RESET;
		if ((v & VIRTIO_STATUS_FEATURES_OK) && !(d->status & VIRTIO_STATUS_FEATURES_OK) &&
		    ((d->drv_features & ~d->offered) ||
		     !(d->drv_features >> VIRTIO_F_VERSION_1 & 1)))
			v &= ~VIRTIO_STATUS_FEATURES_OK;
		if ((v & VIRTIO_STATUS_DRIVER_OK) && !((v | d->status) & VIRTIO_STATUS_FEATURES_OK))
			v &= ~VIRTIO_STATUS_DRIVER_OK;
		d->status |= v;
		break;
	default:
		break;
	}
}

static void check_regs(struct dev_model *d)
{
	bool served;
	uint32_t status;

	FZ_CHECK(reg_access(d, 0x000, 4, false, 0, &served) == MAGIC || !served, "MagicValue");
	FZ_CHECK(reg_access(d, 0x004, 4, false, 0, &served) == 2 || !served, "Version");
	FZ_CHECK(reg_access(d, 0x008, 4, false, 0, &served) == d->id || !served, "DeviceID");
	FZ_CHECK(reg_access(d, 0x00c, 4, false, 0, &served) == VIRTIO_MMIO_VENDOR || !served,
		 "VendorID");
	status = reg_access(d, 0x070, 4, false, 0, &served);
	if (!served)
		return;
	/* The device adds DEVICE_NEEDS_RESET when the driver broke a rule, nothing else. */
	FZ_CHECK((status & ~VIRTIO_STATUS_NEEDS_RESET) == d->status,
		 "device at 0x%llx: status 0x%x, model 0x%x", (unsigned long long)d->base, status,
		 d->status);
}

/* The steps of a driver bringing queue @q up, with a ring of @n entries in AREA. */
static void bring_up(struct dev_model *d, unsigned q, unsigned n, struct fz *f)
{
	static const uint32_t regs[][2] = { { 0x070, 0 }, { 0x070, 1 }, { 0x070, 3 } };
	uint64_t desc = AREA + 0x4000 * q, avail = desc + 0x1000, used = desc + 0x2000;
	bool served;

	for (unsigned i = 0; i < 3; i++) {
		(void)reg_access(d, regs[i][0], 4, true, regs[i][1], &served);
		if (served)
			model_write(d, regs[i][0], regs[i][1]);
	}
	for (unsigned sel = 0; sel < 2; sel++) {
		uint32_t want = (uint32_t)(d->offered >> 32 * sel) & (fz_bool(f) ? ~0u : fz_u32(f));

		if (fz_below(f, 4) == 0)
			want |= 1u
				<< fz_below(f, 32); /* maybe a feature the device does not offer */

		(void)reg_access(d, 0x024, 4, true, sel, &served);
		model_write(d, 0x024, sel);
		(void)reg_access(d, 0x020, 4, true, want, &served);
		model_write(d, 0x020, want);
	}
	(void)reg_access(d, 0x070, 4, true, 0xb, &served);
	model_write(d, 0x070, 0xb);
	(void)reg_access(d, 0x030, 4, true, q, &served);
	(void)reg_access(d, 0x038, 4, true, n, &served);
	(void)reg_access(d, 0x080, 4, true, (uint32_t)desc, &served);
	(void)reg_access(d, 0x084, 4, true, (uint32_t)(desc >> 32), &served);
	(void)reg_access(d, 0x090, 4, true, (uint32_t)avail, &served);
	(void)reg_access(d, 0x094, 4, true, (uint32_t)(avail >> 32), &served);
	(void)reg_access(d, 0x0a0, 4, true, (uint32_t)used, &served);
	(void)reg_access(d, 0x0a4, 4, true, (uint32_t)(used >> 32), &served);
	(void)reg_access(d, 0x044, 4, true, 1, &served);
	(void)reg_access(d, 0x070, 4, true, 0xf, &served);
	model_write(d, 0x070, 0xf);
}

/* Guest memory the device reads: a descriptor, an avail entry and index, or any bytes. */
static void write_ram(struct fz *f)
{
	uint8_t buf[16];
	uint64_t at;

	switch (fz_below(f, 3)) {
	case 0: { /* a descriptor of queue 0 or 1: a buffer in AREA or anywhere */
		uint64_t addr = fz_bool(f) ? AREA + 0x8000 + fz_below(f, 0x8000) : fz_u64(f);
		uint32_t len = fz_bool(f) ? (uint32_t)fz_below(f, 0x1000) : fz_u32(f);
		uint16_t flags = (uint16_t)fz_below(f, 8), next = (uint16_t)fz_below(f, 16);

		at = AREA + 0x4000 * fz_below(f, 2) + 16 * fz_below(f, 16);
		memcpy(buf, &addr, 8);
		memcpy(buf + 8, &len, 4);
		memcpy(buf + 12, &flags, 2);
		memcpy(buf + 14, &next, 2);
		(void)vm_write_guest(&vm, gpa(at), buf, 16);
		break;
	}
	case 1: { /* avail: an entry, then the index moved on */
		uint64_t avail = AREA + 0x4000 * fz_below(f, 2) + 0x1000;
		uint16_t idx = 0, head = (uint16_t)fz_below(f, 18);

		(void)vm_read_guest(&vm, gpa(avail + 2), &idx, 2);
		(void)vm_write_guest(&vm, gpa(avail + 4 + 2 * (idx % 16u)), &head, 2);
		idx = (uint16_t)(idx + (fz_below(f, 8) ? 1 : fz_u16(f)));
		(void)vm_write_guest(&vm, gpa(avail + 2), &idx, 2);
		break;
	}
	default: /* bytes: a request header, data, anything */
		at = AREA + fz_below(f, 0x10000);
		for (unsigned i = 0; i < sizeof(buf); i++)
			buf[i] = fz_u8(f);
		(void)vm_write_guest(&vm, gpa(at), buf, 1 + fz_below(f, sizeof(buf)));
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t regs[] = { 0x000, 0x004, 0x008, 0x00c, 0x010, 0x014, 0x020,
					 0x024, 0x030, 0x034, 0x038, 0x044, 0x050, 0x060,
					 0x064, 0x070, 0x080, 0x084, 0x090, 0x094, 0x0a0,
					 0x0a4, 0x0b0, 0x0fc, 0x100, 0x104, 0x108, 0x1fc };
	static struct vm_config cfg;
	struct dev_model m[NDEV] = {
		{ .base = CON, .id = VIRTIO_ID_CONSOLE },
		{ .base = BLK, .id = VIRTIO_ID_BLOCK },
	};
	struct fz f = fz_init(data, size);

	fzv_reset();
	fzv_config(&cfg, 1);
	for (size_t i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)i;
	cfg.ndevs = NDEV;
	cfg.devs[0] = (struct vm_dev_config){ .model = &virtio_console_model,
					      .node = "console",
					      .space = VDEV_SPACE_MMIO,
					      .base = CON,
					      .has_irq = true,
					      .irq = 16 };
	cfg.devs[1] = (struct vm_dev_config){
		.model = &virtio_blk_model,
		.node = "disk",
		.space = VDEV_SPACE_MMIO,
		.base = BLK,
		.has_irq = true,
		.irq = 17,
		.has_image = true,
		.image = { .node = "disk", .data = disk, .size = sizeof(disk) },
		.read_only = fz_bool(&f),
	};
	fzv_start(&vm, &cfg);
	/* What each device offers, as its registers say: VERSION_1 at least. */
	for (unsigned i = 0; i < NDEV; i++) {
		bool served;

		for (unsigned sel = 0; sel < 2; sel++) {
			(void)reg_access(&m[i], 0x014, 4, true, sel, &served);
			m[i].offered |= (uint64_t)reg_access(&m[i], 0x010, 4, false, 0, &served)
					<< 32 * sel;
		}
		FZ_CHECK(m[i].offered >> VIRTIO_F_VERSION_1 & 1, "VERSION_1 not offered");
	}
	for (unsigned steps = 0; steps < 48 && fz_more(&f); steps++) {
		struct dev_model *d = &m[fz_below(&f, NDEV)];
		bool served;

		if (vm.state == VM_STOPPED)
			break;
		switch (fz_below(&f, 8)) {
		case 0:
			bring_up(d, (unsigned)fz_below(&f, 2), 1u << fz_below(&f, 6), &f);
			break;
		case 1:
		case 2:
			write_ram(&f);
			break;
		case 3: { /* notify */
			uint32_t q = (uint32_t)fz_below(&f, 3);

			(void)reg_access(d, 0x050, 4, true, q, &served);
			break;
		}
		default: { /* any register access */
			uint64_t off =
				fz_bool(&f) ? FZ_PICK(&f, regs) : fz_below(&f, VIRTIO_MMIO_SIZE);
			unsigned w = fz_width(&f);
			bool write = fz_bool(&f);
			uint64_t v = fz_bool(&f) ? fz_below(&f, 0x100) : fz_u64(&f);

			(void)reg_access(d, off, w, write, v, &served);
			if (served && write && w == 4 && off < VIRTIO_MMIO_CONFIG)
				model_write(d, off, (uint32_t)v);
			if (served && write && off == 0x070 && (uint32_t)v == 0) {
				/* A reset: nothing pending, no queue ready. */
				FZ_CHECK(reg_access(d, 0x060, 4, false, 0, &served) == 0,
					 "InterruptStatus after a reset");
				for (uint32_t q = 0; q < 2; q++) {
					(void)reg_access(d, 0x030, 4, true, q, &served);
					FZ_CHECK(reg_access(d, 0x044, 4, false, 0, &served) == 0,
						 "queue %u ready after a reset", q);
				}
			}
			break;
		}
		}
		check_regs(d);
	}
	fzv_finish(&vm);
	return 0;
}
