// SPDX-License-Identifier: MIT
/* Virtual Ethernet switches between VMs (devices/include/devices/vswitch.h). */
#include <devices/vswitch.h>
#include <pv/spinlock.h>
#include <string.h>
#include <vm/vm.h>

struct vswitch {
	char name[VM_LINK_NAME_MAX];
	unsigned nports; /* published with a release store after the port is filled */
	struct vswitch_port ports[VSWITCH_PORTS];
};

static struct vswitch vswitches[VSWITCH_MAX];
static unsigned vswitch_count;
static pv_spinlock_t vswitch_lock = PV_SPINLOCK_INIT;

static struct vswitch *vswitch_find(const char *name, bool create)
{
	for (unsigned i = 0; i < vswitch_count; i++)
		if (strcmp(vswitches[i].name, name) == 0)
			return &vswitches[i];
	if (!create || vswitch_count == VSWITCH_MAX || strlen(name) >= VM_LINK_NAME_MAX)
		return NULL;
	memcpy(vswitches[vswitch_count].name, name, strlen(name) + 1);
	return &vswitches[vswitch_count++];
}

struct vswitch_port *vswitch_attach(const char *name, const uint8_t mac[6],
				    vswitch_deliver_fn deliver, void *dev)
{
	struct vswitch_port *port = NULL;
	struct vswitch *sw;

	pv_spin_lock(&vswitch_lock);
	sw = vswitch_find(name, true);
	for (unsigned i = 0; sw && i < sw->nports && !port; i++)
		if (memcmp(sw->ports[i].mac, mac, 6) == 0)
			port = &sw->ports[i];
	if (!port && sw && sw->nports < VSWITCH_PORTS) {
		port = &sw->ports[sw->nports];
		*port = (struct vswitch_port){ .sw = sw };
		memcpy(port->mac, mac, 6);
		__atomic_store_n(&sw->nports, sw->nports + 1, __ATOMIC_RELEASE);
	}
	if (port) {
		port->deliver = deliver;
		__atomic_store_n(&port->dev, dev, __ATOMIC_RELEASE);
	}
	pv_spin_unlock(&vswitch_lock);
	return port;
}

void vswitch_detach(struct vswitch_port *port)
{
	__atomic_store_n(&port->dev, NULL, __ATOMIC_RELEASE);
}

static void vswitch_count_one(uint64_t *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

void vswitch_refuse(struct vswitch_port *port)
{
	vswitch_count_one(&port->refused);
}

void vswitch_send(struct vswitch_port *from, const uint8_t *frame, uint32_t len)
{
	struct vswitch *sw = from->sw;
	unsigned nports = __atomic_load_n(&sw->nports, __ATOMIC_ACQUIRE);
	bool group;

	if (len < VSWITCH_FRAME_MIN || len > VSWITCH_FRAME_MAX ||
	    memcmp(frame + 6, from->mac, 6) != 0) {
		vswitch_refuse(from);
		return;
	}
	vswitch_count_one(&from->sent);
	group = frame[0] & 1;
	for (unsigned i = 0; i < nports; i++) {
		struct vswitch_port *to = &sw->ports[i];
		void *dev;

		if (to == from || (!group && memcmp(frame, to->mac, 6) != 0))
			continue;
		dev = __atomic_load_n(&to->dev, __ATOMIC_ACQUIRE);
		if (dev)
			vswitch_count_one(to->deliver(dev, frame, len) ? &to->received
								       : &to->dropped);
		if (!group)
			break; /* addresses are unique on a switch */
	}
}

const char *vswitch_name(const struct vswitch_port *port)
{
	return port->sw->name;
}

void vswitch_reset_all(void)
{
	pv_spin_lock(&vswitch_lock);
	memset(vswitches, 0, sizeof(vswitches));
	vswitch_count = 0;
	pv_spin_unlock(&vswitch_lock);
}
