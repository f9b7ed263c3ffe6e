/* SPDX-License-Identifier: MIT */
/*
 * The virtio-mmio transport, version 2 (virtio 1.x "modern", section 4.2): one register window per
 * device, its queues (devices/virtqueue.h), its interrupt line through the VM's virtual interrupt
 * controller (virq_ops.set_line, the line numbered by arch_vm_desc.irq_line), and the state
 * machine of the device status. The device types (virtio_blk.c, virtio_console.c, virtio_net.c)
 * plug in through struct virtio_type. Nothing here names an architecture.
 *
 * A device that finds its driver breaking the rules (a malformed queue, a request it cannot
 * answer) calls virtio_mmio_fail: the device sets DEVICE_NEEDS_RESET, signals a configuration
 * change, logs one line and ignores its queues until the driver resets it. The rest of the VM,
 * the other VMs and the hypervisor carry on.
 *
 * Locks, in the order they are taken: the register lock (t->lock, register accesses and resets),
 * then the device's queue locks (from the highest queue index down), then the interrupt lock
 * (t->irq_lock, then the interrupt controller's own). A queue handler may also take a queue lock
 * of another device (a network switch delivering a frame into a receive queue) when that queue is
 * a leaf: a receive queue lock is never held while another lock of these is taken.
 */
#ifndef DEVICES_VIRTIO_MMIO_H
#define DEVICES_VIRTIO_MMIO_H

#include <devices/virtqueue.h>
#include <irq/vdev_model.h>

struct vm;
struct vm_dev_config;
struct virtio_mmio;

#define VIRTIO_MMIO_SIZE       0x200u
#define VIRTIO_MMIO_CONFIG     0x100u /* device configuration space from here to the end */
#define VIRTIO_MMIO_MAX_QUEUES 2u
#define VIRTIO_MMIO_VENDOR     0x50567650u /* "PvVP" */

/* InterruptStatus bits. */
#define VIRTIO_MMIO_INT_VRING  1u
#define VIRTIO_MMIO_INT_CONFIG 2u

/* What a device type adds to the transport. */
struct virtio_type {
	const char *name; /* for log lines: "virtio-blk" */
	uint32_t device_id;
	uint64_t features; /* offered besides VIRTIO_F_VERSION_1, which the transport adds */

	/* The driver notified queue @q (ready, DRIVER_OK set, the device not failed). The handler
	 * takes the queue's lock itself. Context: CPU of the notifying vCPU, no lock held; never
	 * blocks. */
	void (*notify)(struct virtio_mmio *t, unsigned q);

	/* The driver reset the device (status 0): forget per-driver state. Queues are already
	 * reset. NULL: nothing to forget. Context: CPU of the writing vCPU; the register lock and
	 * every queue lock held. */
	void (*reset)(struct virtio_mmio *t);
};

struct virtio_mmio {
	struct vdev dev;
	struct vm *vm;
	const struct virtio_type *type;
	void *priv; /* the device type's state */
	const char *node;
	bool has_irq;
	uint32_t irq; /* the controller's number for the line (arch_vm_desc.irq_line) */
	unsigned nqueues;
	struct virtq *queues;
	/* The configuration space (read-only to the driver), @config_size bytes. */
	const uint8_t *config;
	uint32_t config_size;

	pv_spinlock_t lock; /* register state below */
	uint32_t status;    /* atomic: NEEDS_RESET is set by queue handlers without the lock */
	uint32_t dev_features_sel, drv_features_sel, queue_sel;
	uint64_t driver_features; /* as the driver wrote them */
	uint64_t features;	  /* negotiated at FEATURES_OK */

	pv_spinlock_t irq_lock;
	uint32_t isr; /* InterruptStatus; the line is high while it is not 0 */
};

/* Sets up @t in @vm at @cfg's address and line, with @nqueues queues (already vq_init'ed), the
 * configuration space @config of @config_size bytes, and registers the window. Context:
 * vdev_model.create. */
int virtio_mmio_init(struct virtio_mmio *t, struct vm *vm, const struct vm_dev_config *cfg,
		     const struct virtio_type *type, void *priv, struct virtq *queues,
		     unsigned nqueues, const uint8_t *config, uint32_t config_size);

/* Whether queue handlers may run: the driver set DRIVER_OK and the device has not failed. */
bool virtio_mmio_live(const struct virtio_mmio *t);

/* Signals the driver: sets @bits in InterruptStatus and raises the line if it was low.
 * Context: any CPU, any of the device's locks may be held. */
void virtio_mmio_interrupt(struct virtio_mmio *t, uint32_t bits);

/* The device found the driver breaking the rules on queue @q (or -1 for none): sets
 * DEVICE_NEEDS_RESET, signals a configuration change and logs @what (rate-limited), once until
 * the driver resets the device. Context: any CPU, any of the device's locks may be held. */
void virtio_mmio_fail(struct virtio_mmio *t, int q, const char *what, uint64_t value);

/* Serves what the driver published on queue @q: takes its chains one by one (at most a queue's
 * worth: a driver adding chains as fast as they are served cannot keep the CPU here, and every
 * later chain comes with its own notification) and hands each to @serve, which returns the chain
 * to the driver (virtio_mmio_complete) or fails with -PV_EFAULT, *@why saying why. A malformed
 * chain or a failure fails the device and ends the batch. Context: a notify handler; takes the
 * queue's lock. */
void virtio_mmio_serve(struct virtio_mmio *t, unsigned q,
		       int (*serve)(void *dev, const struct vq_chain *c, const char **why));

/* Returns a used chain and signals the driver if it wants it. A used ring that cannot be written
 * fails the device. Caller holds the queue's lock. */
void virtio_mmio_complete(struct virtio_mmio *t, unsigned q, uint16_t head, uint32_t len);

/* The transport of @cfg's device in @vm if it is a virtio-mmio device of @type, else NULL. */
struct virtio_mmio *virtio_mmio_of(struct vm *vm, const struct vm_dev_config *cfg,
				   const struct virtio_type *type);

/* Common device-tree node of every virtio-mmio device: compatible "virtio,mmio", reg,
 * interrupts and dma-coherent (the device reaches guest RAM through the CPU's caches). */
int virtio_mmio_fdt_node(void *fdt, const struct vm_dev_config *cfg, struct vdev_fdt_ctx *ctx);

#endif
