/* SPDX-License-Identifier: MIT */
/*
 * Numbers of the virtio 1.x specification the devices share: device status bits, feature bits,
 * device ids, the split virtqueue's layout. Everything virtio is little-endian, and so is every
 * architecture Polyvisor runs on: fields are read as native integers.
 */
#ifndef DEVICES_VIRTIO_H
#define DEVICES_VIRTIO_H

#include <pv/types.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "virtio fields are read as native");

/* Device status (the driver's progress, and the device's own NEEDS_RESET). */
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01u
#define VIRTIO_STATUS_DRIVER	  0x02u
#define VIRTIO_STATUS_DRIVER_OK	  0x04u
#define VIRTIO_STATUS_FEATURES_OK 0x08u
#define VIRTIO_STATUS_NEEDS_RESET 0x40u
#define VIRTIO_STATUS_FAILED	  0x80u

/* Transport-independent feature bits. */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX     29
#define VIRTIO_F_VERSION_1     32

/* Device ids. */
#define VIRTIO_ID_NET	  1u
#define VIRTIO_ID_BLOCK	  2u
#define VIRTIO_ID_CONSOLE 3u

/* Split virtqueue: descriptor flags, ring flags. */
#define VIRTQ_DESC_F_NEXT	   1u
#define VIRTQ_DESC_F_WRITE	   2u
#define VIRTQ_DESC_F_INDIRECT	   4u
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u

/* Sizes of the three areas of a split virtqueue of @n entries (without event-index fields, which
 * are only there with VIRTIO_F_EVENT_IDX). */
#define VIRTQ_DESC_SIZE	    16u
#define VIRTQ_DESC_AREA(n)  ((uint64_t)(n) * VIRTQ_DESC_SIZE)
#define VIRTQ_AVAIL_AREA(n) (4u + 2u * (uint64_t)(n))
#define VIRTQ_USED_AREA(n)  (4u + 8u * (uint64_t)(n))
#define VIRTQ_DESC_ALIGN    16u
#define VIRTQ_AVAIL_ALIGN   2u
#define VIRTQ_USED_ALIGN    4u

#endif
