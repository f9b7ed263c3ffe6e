/* SPDX-License-Identifier: MIT */
/*
 * Virtual Ethernet switches between VMs. A switch exists by its name: every network device a VM
 * description plugs into "switch = <name>" is a port of it, and a frame only ever reaches ports of
 * the switch its sender is on. The table is fixed, not learnt: each port has the MAC address the
 * description gives it (vm_config), a frame is accepted only with its port's address as source
 * (no spoofing), goes to the one port owning its destination, or to every other port of the
 * switch when its destination is a group (broadcast, multicast) address. A frame for an address
 * no port owns goes nowhere. A receiver without a free buffer drops the frame (counted): a slow
 * or hostile VM never holds its senders back.
 */
#ifndef DEVICES_VSWITCH_H
#define DEVICES_VSWITCH_H

#include <pv/types.h>

#define VSWITCH_MAX	  8u
#define VSWITCH_PORTS	  8u	/* per switch */
#define VSWITCH_FRAME_MIN 14u	/* destination, source, type */
#define VSWITCH_FRAME_MAX 1518u /* 1500 bytes of payload, one VLAN tag, no FCS */

/* Hands @frame (@len bytes, read-only) to the device @dev of a port. Returns false when the
 * device had no room for it (it is dropped). Context: the sender's CPU, with the sender's own
 * transmit lock held; the device takes its receive lock, a leaf. */
typedef bool (*vswitch_deliver_fn)(void *dev, const uint8_t *frame, uint32_t len);

struct vswitch;

struct vswitch_port {
	struct vswitch *sw;
	uint8_t mac[6];
	void *dev; /* NULL while detached; read without a lock by senders */
	vswitch_deliver_fn deliver;
	/* Frames counted atomically: sent through the switch, delivered to this port, dropped
	 * for want of a receive buffer, refused from this port (bad size or source address). */
	uint64_t sent, received, dropped, refused;
};

/* Plugs @dev into switch @name (created on first use) with address @mac. A port with that
 * address already on the switch is taken over (a device created again). NULL when the switches
 * or ports are all taken. Context: vm_create (VM not running); takes the table's lock. */
struct vswitch_port *vswitch_attach(const char *name, const uint8_t mac[6],
				    vswitch_deliver_fn deliver, void *dev);

/* Unplugs @port: no frame reaches its device any more. Context: vm_destroy. */
void vswitch_detach(struct vswitch_port *port);

/* Sends a frame from @port (copied by the caller into hypervisor memory: it is read here once
 * per receiver and never changes meanwhile). Context: the sender's CPU, its transmit lock held. */
void vswitch_send(struct vswitch_port *port, const uint8_t *frame, uint32_t len);

/* Counts a frame @port's device refused to send before it reached the switch (too long). */
void vswitch_refuse(struct vswitch_port *port);

/* The name of @port's switch. */
const char *vswitch_name(const struct vswitch_port *port);

/* Forgets every switch (host tests). */
void vswitch_reset_all(void);

#endif
