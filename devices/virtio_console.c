// SPDX-License-Identifier: MIT
/* virtio-console, one port (devices/include/devices/virtio_console.h). */
#include <devices/virtio_console.h>
#include <string.h>
#include <vm/vm.h>

/* Bytes copied out of the guest per step: its buffers may be any size. */
#define VCON_STEP 64u

/* Prints a transmitted chain on the VM's console. */
static int vcon_transmit(void *dev, const struct vq_chain *c, const char **why)
{
	struct virtio_console *con = dev;
	char buf[VCON_STEP];

	*why = "transmit buffer is not RAM";
	for (uint64_t off = 0; off < c->out_len; off += VCON_STEP) {
		uint64_t n = c->out_len - off < VCON_STEP ? c->out_len - off : VCON_STEP;

		if (vq_read(con->t.vm, c, off, buf, n))
			return -PV_EFAULT;
		for (uint64_t i = 0; i < n; i++)
			vm_console_putc_from(con->t.vm, con, buf[i]);
	}
	virtio_mmio_complete(&con->t, VIRTIO_CONSOLE_TX, c->head, 0);
	return PV_OK;
}

static void vcon_notify(struct virtio_mmio *t, unsigned qi)
{
	if (qi == VIRTIO_CONSOLE_TX)
		virtio_mmio_serve(t, qi, vcon_transmit);
	else if (qi == VIRTIO_CONSOLE_RX)
		vm_console_rx_ready(t->vm); /* new receive buffers: typed input that waited */
}

size_t virtio_console_input(struct virtio_console *con, const char *buf, size_t len)
{
	struct virtq *q = &con->q[VIRTIO_CONSOLE_RX];
	size_t done = 0;

	pv_spin_lock(&q->lock);
	while (done < len && q->ready && virtio_mmio_live(&con->t)) {
		struct vq_chain c;
		int rc = vq_pop(q, con->t.vm, &c);
		uint64_t n;

		if (rc == 0)
			break;
		if (rc < 0) {
			virtio_mmio_fail(&con->t, VIRTIO_CONSOLE_RX, q->fault.what, q->fault.value);
			break;
		}
		n = len - done < c.in_len ? len - done : c.in_len;
		if (vq_write(con->t.vm, &c, 0, buf + done, n)) {
			virtio_mmio_fail(&con->t, VIRTIO_CONSOLE_RX, "receive buffer is not RAM",
					 0);
			break;
		}
		done += n;
		virtio_mmio_complete(&con->t, VIRTIO_CONSOLE_RX, c.head, (uint32_t)n);
	}
	pv_spin_unlock(&q->lock);
	return done;
}

/* Typed input for the VM (vm/console.h), when this is its console input device. */
static size_t vcon_console_rx(void *dev, const uint8_t *buf, size_t n)
{
	return virtio_console_input(dev, (const char *)buf, n);
}

static const struct vm_console_dev_ops vcon_console_ops = {
	.rx = vcon_console_rx,
};

static const struct virtio_type vcon_type = {
	.name = "virtio-console",
	.device_id = VIRTIO_ID_CONSOLE,
	.notify = vcon_notify,
};

static int vcon_create(struct vm *vm, const struct vm_dev_config *cfg)
{
	struct virtio_console *con = vm_dev_alloc(vm, sizeof(*con));
	int err;

	if (!con)
		return -PV_ENOMEM;
	for (unsigned i = 0; i < 2; i++)
		vq_init(&con->q[i], VIRTIO_CONSOLE_QUEUE, con->chain[i], VIRTIO_CONSOLE_CHAIN);
	err = virtio_mmio_init(&con->t, vm, cfg, &vcon_type, con, con->q, 2, con->config,
			       sizeof(con->config));
	if (!err)
		vm_console_attach(vm, &vcon_console_ops, con);
	return err;
}

const struct vdev_model virtio_console_model = {
	.compatible = "polyvisor,virtio-console",
	.spaces = 1u << VDEV_SPACE_MMIO,
	.size = VIRTIO_MMIO_SIZE,
	.irq = true,
	.create = vcon_create,
	.fdt_node = virtio_mmio_fdt_node,
};
