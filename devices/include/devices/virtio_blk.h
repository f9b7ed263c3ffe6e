/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk over virtio-mmio: a disk backed by an image the VM description names (embedded in
 * the hypervisor image, or placed by the firmware). Reads, writes, flushes and the device id
 * (GET_ID); "read-only" disks refuse writes and say so (VIRTIO_BLK_F_RO). A write changes the
 * image's bytes in hypervisor memory in place: it lasts until the machine powers off, never
 * reaches the file the image was built from, and is seen by nothing else (a writable disk's bytes
 * are its own). One request queue; requests are served synchronously in the notifying exit.
 */
#ifndef DEVICES_VIRTIO_BLK_H
#define DEVICES_VIRTIO_BLK_H

#include <devices/virtio_mmio.h>

#define VIRTIO_BLK_SECTOR    512u
#define VIRTIO_BLK_QUEUE     128u		     /* entries of its request queue */
#define VIRTIO_BLK_SEG_MAX   (VIRTIO_BLK_QUEUE - 2u) /* data buffers per request */
#define VIRTIO_BLK_ID_BYTES  20u
#define VIRTIO_BLK_CFG_BYTES 24u /* capacity, size_max, seg_max, geometry, blk_size */

/* Request types and status values (virtio 1.x, 5.2.6). */
#define VIRTIO_BLK_T_IN	    0u
#define VIRTIO_BLK_T_OUT    1u
#define VIRTIO_BLK_T_FLUSH  4u
#define VIRTIO_BLK_T_GET_ID 8u
#define VIRTIO_BLK_S_OK	    0u
#define VIRTIO_BLK_S_IOERR  1u
#define VIRTIO_BLK_S_UNSUPP 2u

/* Feature bits. */
#define VIRTIO_BLK_F_SEG_MAX  2
#define VIRTIO_BLK_F_RO	      5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH    9

struct virtio_blk {
	struct virtio_mmio t;
	struct virtq q;
	struct vq_buf chain[VIRTIO_BLK_QUEUE];
	uint8_t *disk; /* the image; written only when !read_only */
	uint64_t size;
	bool read_only;
	char id[VIRTIO_BLK_ID_BYTES];
	uint8_t config[VIRTIO_BLK_CFG_BYTES];
};

/* Its model, "polyvisor,virtio-blk" in VM descriptions. */
extern const struct vdev_model virtio_blk_model;

#endif
