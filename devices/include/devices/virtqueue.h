/* SPDX-License-Identifier: MIT */
/*
 * The split virtqueue (virtio 1.x, section 2.7) as a device sees it, hardened against the guest
 * that owns its memory:
 *  - every guest-physical address goes through vm_gpa_pieces / vm_gpa_ptr: the rings and every
 *    buffer must be the VM's RAM, checked before any byte is copied;
 *  - the available index is read once per batch and every ring entry and descriptor once, into
 *    hypervisor memory (struct vq_chain): what the guest writes afterwards changes nothing;
 *  - a chain is bounded: more descriptors than the queue has is a loop, more than the device's
 *    scratch holds is refused, lengths are summed in 64 bits;
 *  - the used index is the device's own count, never read back from the guest.
 * A violation is reported as -PV_EFAULT with the reason in vq->fault; the transport then puts the
 * device into "needs reset". Pure code over the core's guest-memory helper: the host tests and the
 * fuzz target drive it directly.
 */
#ifndef DEVICES_VIRTQUEUE_H
#define DEVICES_VIRTQUEUE_H

#include <devices/virtio.h>
#include <pv/spinlock.h>

struct vm;

/* One buffer of a chain, as the descriptor said when it was read. */
struct vq_buf {
	uint64_t addr;
	uint32_t len;
	bool write; /* device-writable */
};

/* Why a queue was refused: a static message and the value it is about. */
struct vq_fault {
	const char *what;
	uint64_t value;
};

struct virtq {
	/* Serialises everything that uses the queue: processing, the driver enabling or disabling
	 * it, a reset. A queue lock is taken after the transport's register lock, never before. */
	pv_spinlock_t lock;
	uint16_t max; /* the largest size the device offers (QueueNumMax), a power of two */
	/* Set by the driver while the queue is not ready. */
	uint16_t num;
	uint64_t desc, avail, used; /* guest-physical addresses of the three areas */
	bool ready;
	/* Device state while ready. */
	uint16_t last_avail;   /* next available-ring slot to take (free-running) */
	uint16_t avail_shadow; /* the available index last read from the guest */
	uint16_t used_idx;     /* the used index, the device's own copy (free-running) */
	/* Scratch the device provides for the chain being processed: at most @chain_max buffers. */
	struct vq_buf *chain;
	uint16_t chain_max;
	struct vq_fault fault; /* set when an operation returns -PV_EFAULT */
};

/* A chain taken from the available ring: device-readable buffers first, then device-writable
 * ones, as the descriptors said when they were read. */
struct vq_chain {
	uint16_t head;	  /* the head descriptor's index, returned in the used ring */
	uint16_t n;	  /* buffers */
	uint16_t nout;	  /* buf[0..nout) are device-readable, buf[nout..n) device-writable */
	uint64_t out_len; /* bytes the device may read */
	uint64_t in_len;  /* bytes the device may write */
	const struct vq_buf *buf;
};

/* Sets up @q for a device: offered size @max (a power of two, at least 1) and the scratch for
 * chains of at most @chain_max buffers. The queue starts not ready. */
void vq_init(struct virtq *q, uint16_t max, struct vq_buf *chain, uint16_t chain_max);

/* Back to the state after vq_init (not ready, addresses and size cleared). Caller holds q->lock
 * (or owns the queue alone). */
void vq_reset(struct virtq *q);

/* The driver made the queue ready: checks its size (a power of two, at most max) and that the
 * three areas are aligned RAM of @vm; then the queue runs from index 0. Returns PV_OK, or
 * -PV_EFAULT with q->fault set (the queue stays not ready). Caller holds q->lock. */
int vq_enable(struct virtq *q, const struct vm *vm);

/* Takes the next available chain into @c (its buffers live in q->chain until the next pop).
 * Returns 1 when a chain was taken, 0 when none is available, -PV_EFAULT when the ring or the
 * chain is malformed (q->fault says why; nothing is taken). Caller holds q->lock; q is ready. */
int vq_pop(struct virtq *q, const struct vm *vm, struct vq_chain *c);

/* Returns chain @head to the driver with @len bytes written into it. Returns 1 when the driver
 * wants an interrupt for it (it did not set VIRTQ_AVAIL_F_NO_INTERRUPT), 0 when not, -PV_EFAULT
 * when the used ring is gone (cannot happen to an enabled queue). Caller holds q->lock. */
int vq_push(struct virtq *q, const struct vm *vm, uint16_t head, uint32_t len);

/* Copies @len bytes of the chain's device-readable part, from byte @off of it, to @dst. Returns
 * PV_OK, -PV_EINVAL when the readable part is shorter than @off + @len (nothing copied), or
 * -PV_EFAULT if a buffer stopped being RAM (cannot happen: RAM is fixed for a VM's life). */
int vq_read(const struct vm *vm, const struct vq_chain *c, uint64_t off, void *dst, uint64_t len);

/* Copies @len bytes from @src into the chain's device-writable part, from byte @off of it. Same
 * results as vq_read. */
int vq_write(const struct vm *vm, const struct vq_chain *c, uint64_t off, const void *src,
	     uint64_t len);

#endif
