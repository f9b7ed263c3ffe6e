// SPDX-License-Identifier: MIT
/* The virtio-mmio transport, version 2 (devices/virtio_mmio.h). */
#include <devices/virtio_mmio.h>
#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <irq/vdev_model.h>
#include <irq/virq_ops.h>
#include <libfdt.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm.h>
#include <vm/vm_fdt.h>

enum {
	VMMIO_MAGIC = 0x000,
	VMMIO_VERSION = 0x004,
	VMMIO_DEVICE_ID = 0x008,
	VMMIO_VENDOR_ID = 0x00c,
	VMMIO_DEV_FEATURES = 0x010,
	VMMIO_DEV_FEATURES_SEL = 0x014,
	VMMIO_DRV_FEATURES = 0x020,
	VMMIO_DRV_FEATURES_SEL = 0x024,
	VMMIO_QUEUE_SEL = 0x030,
	VMMIO_QUEUE_NUM_MAX = 0x034,
	VMMIO_QUEUE_NUM = 0x038,
	VMMIO_QUEUE_READY = 0x044,
	VMMIO_QUEUE_NOTIFY = 0x050,
	VMMIO_INT_STATUS = 0x060,
	VMMIO_INT_ACK = 0x064,
	VMMIO_STATUS = 0x070,
	VMMIO_QUEUE_DESC_LO = 0x080,
	VMMIO_QUEUE_DESC_HI = 0x084,
	VMMIO_QUEUE_DRIVER_LO = 0x090,
	VMMIO_QUEUE_DRIVER_HI = 0x094,
	VMMIO_QUEUE_DEVICE_LO = 0x0a0,
	VMMIO_QUEUE_DEVICE_HI = 0x0a4,
	VMMIO_SHM_LEN_LO = 0x0b0,
	VMMIO_SHM_LEN_HI = 0x0b4,
	VMMIO_SHM_BASE_LO = 0x0b8,
	VMMIO_SHM_BASE_HI = 0x0bc,
	VMMIO_CONFIG_GEN = 0x0fc,
};

#define VMMIO_MAGIC_VALUE 0x74726976u /* "virt" */
#define VMMIO_VERSION_2	  2u

static uint64_t virtio_offered(const struct virtio_mmio *t)
{
	return t->type->features | PV_BIT(VIRTIO_F_VERSION_1);
}

static uint32_t virtio_status(const struct virtio_mmio *t)
{
	return __atomic_load_n(&t->status, __ATOMIC_ACQUIRE);
}

bool virtio_mmio_live(const struct virtio_mmio *t)
{
	uint32_t s = virtio_status(t);

	return (s & VIRTIO_STATUS_DRIVER_OK) && !(s & VIRTIO_STATUS_NEEDS_RESET);
}

/* Moves the line to follow InterruptStatus. Caller holds the interrupt lock, so the line's level
 * and the status bits never disagree once it is released. */
static void virtio_line(struct virtio_mmio *t, bool level)
{
	const struct virq_ops *virq = arch_backend.virq;

	if (t->has_irq && virq && virq->set_line)
		(void)virq->set_line(t->vm, NULL, t->irq, level);
}

void virtio_mmio_interrupt(struct virtio_mmio *t, uint32_t bits)
{
	pv_spin_lock(&t->irq_lock);
	if (!t->isr && bits)
		virtio_line(t, true);
	t->isr |= bits;
	pv_spin_unlock(&t->irq_lock);
}

static void virtio_ack(struct virtio_mmio *t, uint32_t bits)
{
	pv_spin_lock(&t->irq_lock);
	if (t->isr && !(t->isr & ~bits))
		virtio_line(t, false);
	t->isr &= ~bits;
	pv_spin_unlock(&t->irq_lock);
}

void virtio_mmio_fail(struct virtio_mmio *t, int q, const char *what, uint64_t value)
{
	uint32_t before =
		__atomic_fetch_or(&t->status, VIRTIO_STATUS_NEEDS_RESET, __ATOMIC_ACQ_REL);

	if (before & VIRTIO_STATUS_NEEDS_RESET)
		return;
	if (vm_log_allowed(t->vm)) {
		if (q >= 0)
			hal_printf("vm %s: %s %s: queue %d: %s (0x%llx); device needs reset\n",
				   t->vm->name, t->type->name, t->node, q, what,
				   (unsigned long long)value);
		else
			hal_printf("vm %s: %s %s: %s (0x%llx); device needs reset\n", t->vm->name,
				   t->type->name, t->node, what, (unsigned long long)value);
	}
	/* Only a driver that has started the device is listening. */
	if (before & VIRTIO_STATUS_DRIVER_OK)
		virtio_mmio_interrupt(t, VIRTIO_MMIO_INT_CONFIG);
}

void virtio_mmio_complete(struct virtio_mmio *t, unsigned q, uint16_t head, uint32_t len)
{
	struct virtq *vq = &t->queues[q];
	int want = vq_push(vq, t->vm, head, len);

	if (want < 0)
		virtio_mmio_fail(t, (int)q, vq->fault.what, vq->fault.value);
	else if (want)
		virtio_mmio_interrupt(t, VIRTIO_MMIO_INT_VRING);
}

void virtio_mmio_serve(struct virtio_mmio *t, unsigned q,
		       int (*serve)(void *dev, const struct vq_chain *c, const char **why))
{
	struct virtq *vq = &t->queues[q];

	pv_spin_lock(&vq->lock);
	for (unsigned n = 0; n < vq->max && vq->ready && virtio_mmio_live(t); n++) {
		struct vq_chain c;
		const char *why = "";
		int rc = vq_pop(vq, t->vm, &c);

		if (rc == 0)
			break;
		if (rc < 0) {
			virtio_mmio_fail(t, (int)q, vq->fault.what, vq->fault.value);
			break;
		}
		if (serve(t->priv, &c, &why)) {
			virtio_mmio_fail(t, (int)q, why, c.head);
			break;
		}
	}
	pv_spin_unlock(&vq->lock);
}

/* Back to the reset state: every queue stopped, features and interrupts cleared. Caller holds
 * the register lock. */
static void virtio_reset(struct virtio_mmio *t)
{
	for (unsigned i = t->nqueues; i-- > 0;)
		pv_spin_lock(&t->queues[i].lock);
	for (unsigned i = 0; i < t->nqueues; i++)
		vq_reset(&t->queues[i]);
	t->dev_features_sel = t->drv_features_sel = t->queue_sel = 0;
	t->driver_features = t->features = 0;
	__atomic_store_n(&t->status, 0, __ATOMIC_RELEASE);
	if (t->type->reset)
		t->type->reset(t);
	for (unsigned i = 0; i < t->nqueues; i++)
		pv_spin_unlock(&t->queues[i].lock);
	virtio_ack(t, ~0u);
}

/* The driver's status write. Bits only accumulate until a reset (0); FEATURES_OK sticks only for
 * features the device offered, VERSION_1 among them; NEEDS_RESET is the device's. */
static void virtio_write_status(struct virtio_mmio *t, uint32_t v)
{
	uint32_t now = virtio_status(t);

	if (v == 0) {
		virtio_reset(t);
		return;
	}
	v &= (uint32_t)~VIRTIO_STATUS_NEEDS_RESET;
	if ((v & VIRTIO_STATUS_FEATURES_OK) && !(now & VIRTIO_STATUS_FEATURES_OK)) {
		if ((t->driver_features & ~virtio_offered(t)) ||
		    !(t->driver_features & PV_BIT(VIRTIO_F_VERSION_1)))
			v &= ~VIRTIO_STATUS_FEATURES_OK;
		else
			t->features = t->driver_features;
	}
	/* DRIVER_OK without FEATURES_OK: the device has no features to run with. */
	if ((v & VIRTIO_STATUS_DRIVER_OK) && !((v | now) & VIRTIO_STATUS_FEATURES_OK))
		v &= ~VIRTIO_STATUS_DRIVER_OK;
	__atomic_fetch_or(&t->status, v, __ATOMIC_ACQ_REL);
}

static struct virtq *virtio_selected(struct virtio_mmio *t)
{
	return t->queue_sel < t->nqueues ? &t->queues[t->queue_sel] : NULL;
}

static void virtio_queue_ready(struct virtio_mmio *t, struct virtq *q, uint32_t v)
{
	int err = PV_OK;

	pv_spin_lock(&q->lock);
	if (!v)
		q->ready = false;
	else if (!q->ready)
		err = vq_enable(q, t->vm);
	pv_spin_unlock(&q->lock);
	if (err)
		virtio_mmio_fail(t, (int)t->queue_sel, q->fault.what, q->fault.value);
}

/* Writes a queue's size or area address half; ignored while the queue is ready, as the driver
 * may change them only before it enables the queue. */
static void virtio_queue_field(struct virtq *q, uint64_t reg, uint32_t v)
{
	uint64_t *area;

	if (q->ready)
		return;
	if (reg == VMMIO_QUEUE_NUM) {
		q->num = (uint16_t)(v > 0xffffu ? 0 : v); /* checked by vq_enable */
		return;
	}
	if (reg == VMMIO_QUEUE_DESC_LO || reg == VMMIO_QUEUE_DESC_HI)
		area = &q->desc;
	else if (reg == VMMIO_QUEUE_DRIVER_LO || reg == VMMIO_QUEUE_DRIVER_HI)
		area = &q->avail;
	else
		area = &q->used;
	if (reg & 4)
		*area = (*area & 0xffffffffULL) | ((uint64_t)v << 32);
	else
		*area = (*area & ~0xffffffffULL) | v;
}

static uint32_t virtio_reg_read(struct virtio_mmio *t, uint64_t reg)
{
	struct virtq *q = virtio_selected(t);
	uint64_t offered = virtio_offered(t);

	switch (reg) {
	case VMMIO_MAGIC:
		return VMMIO_MAGIC_VALUE;
	case VMMIO_VERSION:
		return VMMIO_VERSION_2;
	case VMMIO_DEVICE_ID:
		return t->type->device_id;
	case VMMIO_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR;
	case VMMIO_DEV_FEATURES:
		return t->dev_features_sel < 2 ? (uint32_t)(offered >> (32 * t->dev_features_sel))
					       : 0;
	case VMMIO_QUEUE_NUM_MAX:
		return q ? q->max : 0;
	case VMMIO_QUEUE_READY:
		return q && q->ready ? 1 : 0;
	case VMMIO_INT_STATUS:
		return __atomic_load_n(&t->isr, __ATOMIC_ACQUIRE);
	case VMMIO_STATUS:
		return virtio_status(t);
	case VMMIO_SHM_LEN_LO:
	case VMMIO_SHM_LEN_HI:
		return 0xffffffffu; /* no shared memory region: length -1 */
	default:
		/* Write-only registers, queue addresses (write-only in version 2), the
		 * configuration generation (the configuration never changes) and reserved
		 * offsets read as zero. */
		return 0;
	}
}

static void virtio_reg_write(struct virtio_mmio *t, uint64_t reg, uint32_t v)
{
	struct virtq *q = virtio_selected(t);

	switch (reg) {
	case VMMIO_DEV_FEATURES_SEL:
		t->dev_features_sel = v;
		break;
	case VMMIO_DRV_FEATURES_SEL:
		t->drv_features_sel = v;
		break;
	case VMMIO_DRV_FEATURES:
		/* Fixed once FEATURES_OK is accepted. */
		if (t->drv_features_sel < 2 && !(virtio_status(t) & VIRTIO_STATUS_FEATURES_OK)) {
			unsigned shift = 32 * t->drv_features_sel;
			t->driver_features = (t->driver_features & ~(0xffffffffULL << shift)) |
					     ((uint64_t)v << shift);
		}
		break;
	case VMMIO_QUEUE_SEL:
		t->queue_sel = v;
		break;
	case VMMIO_QUEUE_NUM:
	case VMMIO_QUEUE_DESC_LO:
	case VMMIO_QUEUE_DESC_HI:
	case VMMIO_QUEUE_DRIVER_LO:
	case VMMIO_QUEUE_DRIVER_HI:
	case VMMIO_QUEUE_DEVICE_LO:
	case VMMIO_QUEUE_DEVICE_HI:
		if (q)
			virtio_queue_field(q, reg, v);
		break;
	case VMMIO_QUEUE_READY:
		if (q)
			virtio_queue_ready(t, q, v & 1);
		break;
	case VMMIO_INT_ACK:
		virtio_ack(t, v);
		break;
	case VMMIO_STATUS:
		virtio_write_status(t, v);
		break;
	default:
		break; /* read-only and reserved registers */
	}
}

static int virtio_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		       uint64_t *value)
{
	struct virtio_mmio *t = dev->priv;

	(void)vcpu;
	if (off & (width - 1))
		return -PV_EFAULT;
	if (off >= VIRTIO_MMIO_CONFIG) {
		uint64_t c = off - VIRTIO_MMIO_CONFIG, v = 0;

		if (width == 8)
			return -PV_EFAULT; /* the transport defines 1, 2 and 4-byte accesses */
		for (unsigned i = 0; i < width; i++)
			if (c + i < t->config_size)
				v |= (uint64_t)t->config[c + i] << (8 * i);
		*value = v;
		return PV_OK;
	}
	if (width != 4)
		return -PV_EFAULT; /* registers are read as aligned 32-bit words only */
	pv_spin_lock(&t->lock);
	*value = virtio_reg_read(t, off);
	pv_spin_unlock(&t->lock);
	return PV_OK;
}

static int virtio_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
			uint64_t value)
{
	struct virtio_mmio *t = dev->priv;
	uint32_t v = (uint32_t)value;

	(void)vcpu;
	if (off & (width - 1))
		return -PV_EFAULT;
	if (off >= VIRTIO_MMIO_CONFIG)
		return width == 8 ? -PV_EFAULT : PV_OK; /* no device has a writable field */
	if (width != 4)
		return -PV_EFAULT;
	if (off == VMMIO_QUEUE_NOTIFY) {
		/* Outside the register lock: the handler takes the queue's own. */
		if (v < t->nqueues && __atomic_load_n(&t->queues[v].ready, __ATOMIC_ACQUIRE) &&
		    virtio_mmio_live(t))
			t->type->notify(t, v);
		return PV_OK;
	}
	pv_spin_lock(&t->lock);
	virtio_reg_write(t, off, v);
	pv_spin_unlock(&t->lock);
	return PV_OK;
}

static const struct vdev_ops virtio_mmio_ops = {
	.read = virtio_read,
	.write = virtio_write,
};

int virtio_mmio_init(struct virtio_mmio *t, struct vm *vm, const struct vm_dev_config *cfg,
		     const struct virtio_type *type, void *priv, struct virtq *queues,
		     unsigned nqueues, const uint8_t *config, uint32_t config_size)
{
	if (cfg->space != VDEV_SPACE_MMIO || nqueues > VIRTIO_MMIO_MAX_QUEUES ||
	    config_size > VIRTIO_MMIO_SIZE - VIRTIO_MMIO_CONFIG)
		return -PV_EINVAL;
	*t = (struct virtio_mmio){ .dev = { .name = type->name,
					    .space = VDEV_SPACE_MMIO,
					    .base = cfg->base,
					    .size = VIRTIO_MMIO_SIZE,
					    .ops = &virtio_mmio_ops,
					    .priv = t },
				   .vm = vm,
				   .type = type,
				   .priv = priv,
				   .node = cfg->node,
				   .has_irq = cfg->has_irq,
				   .irq = cfg->has_irq && arch_vm_desc.irq_line
						  ? arch_vm_desc.irq_line(cfg->irq)
						  : 0,
				   .nqueues = nqueues,
				   .queues = queues,
				   .config = config,
				   .config_size = config_size };
	pv_spin_init(&t->lock);
	pv_spin_init(&t->irq_lock);
	return vdev_register(vm, &t->dev);
}

struct virtio_mmio *virtio_mmio_of(struct vm *vm, const struct vm_dev_config *cfg,
				   const struct virtio_type *type)
{
	struct vdev *d = vdev_find(vm, VDEV_SPACE_MMIO, cfg->base, 4);
	struct virtio_mmio *t = d && d->ops == &virtio_mmio_ops ? d->priv : NULL;

	return t && t->type == type ? t : NULL;
}

int virtio_mmio_fdt_node(void *fdt, const struct vm_dev_config *cfg, struct vdev_fdt_ctx *ctx)
{
	static const char compat[] = "virtio,mmio";
	int node = vm_fdt_device_node(fdt, cfg, ctx, compat, sizeof(compat));

	return node < 0 ? node : fdt_setprop(fdt, node, "dma-coherent", NULL, 0);
}
