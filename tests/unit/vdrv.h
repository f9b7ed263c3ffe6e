/* SPDX-License-Identifier: MIT */
/*
 * A minimal virtio-mmio driver for the device suites: it plays the guest, writing the transport's
 * registers through the device's vdev ops and building split virtqueues in the VM's RAM, so a
 * test can hand a device well-formed and malformed queues alike.
 */
#ifndef VDRV_H
#define VDRV_H

#include <devices/virtio_mmio.h>
#include <vm/vm.h>

#define VDRV_MAX_Q 2

struct vdrv_q {
	uint16_t num;
	uint64_t desc, avail, used;
	uint16_t avail_idx; /* the driver's next available index */
	uint16_t used_seen; /* used entries consumed */
};

struct vdrv {
	struct vm *vm;
	struct vdev *dev;
	unsigned nq;
	struct vdrv_q q[VDRV_MAX_Q];
};

/* Register access (32-bit unless @width says otherwise); asserts the device accepted it. */
uint32_t vdrv_rd(struct vdrv *d, uint64_t off);
void vdrv_wr(struct vdrv *d, uint64_t off, uint32_t v);
int vdrv_access(struct vdrv *d, bool write, uint64_t off, unsigned width, uint64_t *v);

/* Finds the device at @base of @vm and brings it up as a driver does: reset, ACKNOWLEDGE, DRIVER,
 * features (those offered among @want, VERSION_1 always), FEATURES_OK, @nq queues of @num entries
 * whose areas start at guest-physical @rings (each queue takes 0x3000 bytes), DRIVER_OK. */
void vdrv_start(struct vdrv *d, struct vm *vm, uint64_t base, uint64_t want, unsigned nq,
		uint16_t num, uint64_t rings);

/* Writes descriptor @i of queue @q. */
void vdrv_desc(struct vdrv *d, unsigned q, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags,
	       uint16_t next);

/* Publishes chain @head in queue @q's available ring (without notifying). */
void vdrv_avail(struct vdrv *d, unsigned q, uint16_t head);

/* Sets the available ring's index of queue @q to @idx as is (for malformed rings). */
void vdrv_avail_idx(struct vdrv *d, unsigned q, uint16_t idx);

/* Writes QueueNotify for @q. */
void vdrv_notify(struct vdrv *d, unsigned q);

/* The next used element of queue @q: true with its id and length, false when none is new. */
bool vdrv_used(struct vdrv *d, unsigned q, uint32_t *id, uint32_t *len);

/* Guest RAM at @gpa as a host pointer (asserts it is RAM). */
void *vdrv_mem(struct vdrv *d, uint64_t gpa, uint64_t len);

/* The device status / InterruptStatus registers. */
uint32_t vdrv_status(struct vdrv *d);
uint32_t vdrv_isr(struct vdrv *d);

#endif
