/* SPDX-License-Identifier: MIT */
/*
 * virtio-net over virtio-mmio: a network device plugged into a virtual switch (devices/vswitch.h)
 * the VM description names, with the MAC address the description gives (VIRTIO_NET_F_MAC). No
 * offloads: frames are plain Ethernet frames of at most 1518 bytes, checksums done by the guest.
 * A transmitted frame is copied once into hypervisor memory, then the switch copies it into each
 * receiver's free receive buffer on the sender's CPU and signals the receiver.
 */
#ifndef DEVICES_VIRTIO_NET_H
#define DEVICES_VIRTIO_NET_H

#include <devices/virtio_mmio.h>
#include <devices/vswitch.h>

#define VIRTIO_NET_F_MAC     5
#define VIRTIO_NET_HDR	     12u /* struct virtio_net_hdr_v1, num_buffers included */
#define VIRTIO_NET_QUEUE     256u
#define VIRTIO_NET_CHAIN     8u
#define VIRTIO_NET_RX	     0u
#define VIRTIO_NET_TX	     1u
#define VIRTIO_NET_CFG_BYTES 6u /* the MAC address */

struct virtio_net {
	struct virtio_mmio t;
	struct virtq q[2];
	struct vq_buf chain[2][VIRTIO_NET_CHAIN];
	struct vswitch_port *port;
	uint8_t config[VIRTIO_NET_CFG_BYTES];
	uint8_t frame[VSWITCH_FRAME_MAX]; /* the frame being sent (under the transmit lock) */
};

/* Its model, "polyvisor,virtio-net" in VM descriptions. */
extern const struct vdev_model virtio_net_model;

#endif
