// SPDX-License-Identifier: MIT
/* virtio-net on a virtual switch (devices/include/devices/virtio_net.h). */
#include <devices/virtio_net.h>
#include <hal/hal.h>
#include <string.h>
#include <vm/vm.h>

/* vswitch_deliver_fn: one frame into the next receive buffer, if the driver left one. */
static bool vnet_deliver(void *dev, const uint8_t *frame, uint32_t len)
{
	struct virtio_net *n = dev;
	struct virtq *q = &n->q[VIRTIO_NET_RX];
	/* The header of a frame that needs no offload: num_buffers (the last field) is 1. */
	static const uint8_t hdr[VIRTIO_NET_HDR] = { [10] = 1 };
	struct vq_chain c;
	bool taken = false;
	int rc;

	pv_spin_lock(&q->lock);
	if (!q->ready || !virtio_mmio_live(&n->t)) {
		pv_spin_unlock(&q->lock);
		return false;
	}
	rc = vq_pop(q, n->t.vm, &c);
	if (rc < 0) {
		virtio_mmio_fail(&n->t, VIRTIO_NET_RX, q->fault.what, q->fault.value);
	} else if (rc > 0 && c.out_len) {
		virtio_mmio_fail(&n->t, VIRTIO_NET_RX, "receive buffer the device may not write",
				 c.head);
	} else if (rc > 0 && c.in_len < VIRTIO_NET_HDR + len) {
		/* Too small for a whole frame: given back empty, the frame dropped. */
		virtio_mmio_complete(&n->t, VIRTIO_NET_RX, c.head, 0);
	} else if (rc > 0) {
		if (vq_write(n->t.vm, &c, 0, hdr, sizeof(hdr)) ||
		    vq_write(n->t.vm, &c, sizeof(hdr), frame, len)) {
			virtio_mmio_fail(&n->t, VIRTIO_NET_RX, "receive buffer is not RAM", c.head);
		} else {
			virtio_mmio_complete(&n->t, VIRTIO_NET_RX, c.head, VIRTIO_NET_HDR + len);
			taken = true;
		}
	}
	pv_spin_unlock(&q->lock);
	return taken;
}

/* Sends one transmitted chain: its header (no offload asked for: ignored), then the frame. */
static int vnet_transmit(void *dev, const struct vq_chain *c, const char **why)
{
	struct virtio_net *n = dev;
	uint64_t len = c->out_len;

	*why = "transmit buffer is not RAM";
	if (len < VIRTIO_NET_HDR || len - VIRTIO_NET_HDR > VSWITCH_FRAME_MAX) {
		vswitch_refuse(n->port);
	} else {
		len -= VIRTIO_NET_HDR;
		if (vq_read(n->t.vm, c, VIRTIO_NET_HDR, n->frame, len))
			return -PV_EFAULT;
		vswitch_send(n->port, n->frame, (uint32_t)len);
	}
	virtio_mmio_complete(&n->t, VIRTIO_NET_TX, c->head, 0);
	return PV_OK;
}

static void vnet_notify(struct virtio_mmio *t, unsigned qi)
{
	/* New receive buffers need no work: frames take them as they come. */
	if (qi == VIRTIO_NET_TX)
		virtio_mmio_serve(t, qi, vnet_transmit);
}

static const struct virtio_type vnet_type = {
	.name = "virtio-net",
	.device_id = VIRTIO_ID_NET,
	.features = PV_BIT(VIRTIO_NET_F_MAC),
	.notify = vnet_notify,
};

static int vnet_create(struct vm *vm, const struct vm_dev_config *cfg)
{
	struct virtio_net *n;
	int err;

	if (!cfg->link)
		return -PV_EINVAL;
	n = vm_dev_alloc(vm, sizeof(*n));
	if (!n)
		return -PV_ENOMEM;
	memcpy(n->config, cfg->mac, 6);
	for (unsigned i = 0; i < 2; i++)
		vq_init(&n->q[i], VIRTIO_NET_QUEUE, n->chain[i], VIRTIO_NET_CHAIN);
	err = virtio_mmio_init(&n->t, vm, cfg, &vnet_type, n, n->q, 2, n->config,
			       sizeof(n->config));
	if (err)
		return err;
	n->port = vswitch_attach(cfg->link, cfg->mac, vnet_deliver, n);
	return n->port ? PV_OK : -PV_ENOMEM;
}

static struct virtio_net *vnet_of(struct vm *vm, const struct vm_dev_config *cfg)
{
	struct virtio_mmio *t = virtio_mmio_of(vm, cfg, &vnet_type);

	return t ? t->priv : NULL;
}

static void vnet_destroy(struct vm *vm, const struct vm_dev_config *cfg)
{
	struct virtio_net *n = vnet_of(vm, cfg);

	if (n && n->port)
		vswitch_detach(n->port);
}

static void vnet_report(struct vm *vm, const struct vm_dev_config *cfg)
{
	const struct virtio_net *n = vnet_of(vm, cfg);
	const struct vswitch_port *p = n ? n->port : NULL;
	const uint8_t *m = cfg->mac;

	if (!p)
		return;
	hal_printf("vm %s: %s on switch %s (%02x:%02x:%02x:%02x:%02x:%02x): %llu frames sent, "
		   "%llu received, %llu dropped, %llu refused\n",
		   vm->name, cfg->node, vswitch_name(p), m[0], m[1], m[2], m[3], m[4], m[5],
		   (unsigned long long)__atomic_load_n(&p->sent, __ATOMIC_RELAXED),
		   (unsigned long long)__atomic_load_n(&p->received, __ATOMIC_RELAXED),
		   (unsigned long long)__atomic_load_n(&p->dropped, __ATOMIC_RELAXED),
		   (unsigned long long)__atomic_load_n(&p->refused, __ATOMIC_RELAXED));
}

const struct vdev_model virtio_net_model = {
	.compatible = "polyvisor,virtio-net",
	.spaces = 1u << VDEV_SPACE_MMIO,
	.size = VIRTIO_MMIO_SIZE,
	.irq = true,
	.link = true,
	.create = vnet_create,
	.fdt_node = virtio_mmio_fdt_node,
	.destroy = vnet_destroy,
	.report = vnet_report,
};
