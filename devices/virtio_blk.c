// SPDX-License-Identifier: MIT
/* virtio-blk (devices/include/devices/virtio_blk.h). */
#include <devices/virtio_blk.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/vm.h>

/* The request header the driver puts first: type, reserved, sector (little-endian). */
struct vblk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};
_Static_assert(sizeof(struct vblk_hdr) == 16, "virtio-blk request header is 16 bytes");
/* A VM of disks only, with its interrupt controller's state (2 KiB at most), fits its arena. */
_Static_assert(VM_MAX_DEV_CONFIGS * (sizeof(struct virtio_blk) + 16) + 2048 <= VM_DEV_ARENA,
	       "the device arena is too small for a VM of virtio disks");

/* Whether [sector, sector + bytes / 512) lies on the disk; @bytes is whole sectors. */
static bool vblk_in_disk(const struct virtio_blk *b, uint64_t sector, uint64_t bytes)
{
	uint64_t sectors = b->size / VIRTIO_BLK_SECTOR;

	return bytes % VIRTIO_BLK_SECTOR == 0 && sector <= sectors &&
	       bytes / VIRTIO_BLK_SECTOR <= sectors - sector;
}

/* Serves one request. The header is read once, into hypervisor memory; the data moves straight
 * between the disk and the guest's buffers. Returns -PV_EFAULT when the chain cannot be a request
 * (no header, no status byte): the device then needs a reset. */
static int vblk_request(void *dev, const struct vq_chain *c, const char **why)
{
	struct virtio_blk *b = dev;
	struct vm *vm = b->t.vm;
	struct vblk_hdr h;
	uint64_t len, used = 1;
	uint8_t status = VIRTIO_BLK_S_OK;
	int rc = PV_OK;

	*why = "request without header or status byte";
	if (vq_read(vm, c, 0, &h, sizeof(h)) || c->in_len < 1)
		return -PV_EFAULT;
	switch (h.type) {
	case VIRTIO_BLK_T_IN:
		len = c->in_len - 1;
		if (!vblk_in_disk(b, h.sector, len)) {
			status = VIRTIO_BLK_S_IOERR;
			break;
		}
		rc = vq_write(vm, c, 0, b->disk + h.sector * VIRTIO_BLK_SECTOR, len);
		used += len;
		break;
	case VIRTIO_BLK_T_OUT:
		len = c->out_len - sizeof(h);
		if (b->read_only || !vblk_in_disk(b, h.sector, len)) {
			status = VIRTIO_BLK_S_IOERR;
			break;
		}
		rc = vq_read(vm, c, sizeof(h), b->disk + h.sector * VIRTIO_BLK_SECTOR, len);
		break;
	case VIRTIO_BLK_T_FLUSH:
		break; /* the disk is memory: every write is already where it stays */
	case VIRTIO_BLK_T_GET_ID:
		len = c->in_len - 1 < VIRTIO_BLK_ID_BYTES ? c->in_len - 1 : VIRTIO_BLK_ID_BYTES;
		rc = vq_write(vm, c, 0, b->id, len);
		used += len;
		break;
	default:
		status = VIRTIO_BLK_S_UNSUPP;
		break;
	}
	*why = "request buffer is not RAM";
	if (rc || vq_write(vm, c, c->in_len - 1, &status, 1))
		return -PV_EFAULT;
	virtio_mmio_complete(&b->t, 0, c->head, (uint32_t)used);
	return PV_OK;
}

static void vblk_notify(struct virtio_mmio *t, unsigned qi)
{
	virtio_mmio_serve(t, qi, vblk_request);
}

static const struct virtio_type vblk_type = {
	.name = "virtio-blk",
	.device_id = VIRTIO_ID_BLOCK,
	.features = PV_BIT(VIRTIO_BLK_F_SEG_MAX) | PV_BIT(VIRTIO_BLK_F_BLK_SIZE) |
		    PV_BIT(VIRTIO_BLK_F_FLUSH),
	.notify = vblk_notify,
};

static const struct virtio_type vblk_ro_type = {
	.name = "virtio-blk",
	.device_id = VIRTIO_ID_BLOCK,
	.features = PV_BIT(VIRTIO_BLK_F_SEG_MAX) | PV_BIT(VIRTIO_BLK_F_BLK_SIZE) |
		    PV_BIT(VIRTIO_BLK_F_FLUSH) | PV_BIT(VIRTIO_BLK_F_RO),
	.notify = vblk_notify,
};

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int vblk_create(struct vm *vm, const struct vm_dev_config *cfg)
{
	struct virtio_blk *b;

	if (!cfg->has_image || !cfg->image.data)
		return -PV_EINVAL;
	b = vm_dev_alloc(vm, sizeof(*b));
	if (!b)
		return -PV_ENOMEM;
	/* A writable disk's bytes are its own (vm_desc_check_all): writing them in place is safe. */
	b->disk = (uint8_t *)(uintptr_t)cfg->image.data;
	b->size = cfg->image.size;
	b->read_only = cfg->read_only;
	/* The id: "<vm>/<node>", cut to 20 bytes (no terminating NUL when it fills them). */
	{
		char id[VM_NAME_MAX + 64];
		size_t n = pv_snprintf(id, sizeof(id), "%s/%s", vm->name, cfg->node);

		memcpy(b->id, id, n < VIRTIO_BLK_ID_BYTES ? n : VIRTIO_BLK_ID_BYTES);
	}
	put_le(b->config + 0, b->size / VIRTIO_BLK_SECTOR, 8); /* capacity in sectors */
	put_le(b->config + 12, VIRTIO_BLK_SEG_MAX, 4);
	put_le(b->config + 20, VIRTIO_BLK_SECTOR, 4); /* blk_size */
	vq_init(&b->q, VIRTIO_BLK_QUEUE, b->chain, VIRTIO_BLK_QUEUE);
	return virtio_mmio_init(&b->t, vm, cfg, b->read_only ? &vblk_ro_type : &vblk_type, b, &b->q,
				1, b->config, sizeof(b->config));
}

const struct vdev_model virtio_blk_model = {
	.compatible = "polyvisor,virtio-blk",
	.spaces = 1u << VDEV_SPACE_MMIO,
	.size = VIRTIO_MMIO_SIZE,
	.irq = true,
	.image_block = VIRTIO_BLK_SECTOR,
	.create = vblk_create,
	.fdt_node = virtio_mmio_fdt_node,
};
