// SPDX-License-Identifier: MIT
/*
 * Device nodes of VM descriptions (docs/vm-descriptions.md, "Devices"), and the checks that need
 * every VM of a description at once (vm/vm_desc.h).
 */
#include <irq/vdev_model.h>
#include <libfdt.h>
#include <string.h>
#include <vm/vm_config.h>

#include "vm_desc_read.h"

static const char *const desc_device_props[] = { "compatible", "reg",	     "port",
						 "reg-shift",  "interrupts", NULL };
static const char *const desc_dev_image_props[] = { "file",	 "host-address",    "size",
						    "read-only", VM_DESC_DATA_PROP, NULL };
static const char *const desc_dev_link_props[] = { "switch", "local-mac-address", NULL };

/* A disk's image: its bytes as an image's, and whether the guest may write them. */
static int desc_dev_image(struct desc_ctx *c, int node, struct vm_dev_config *dev)
{
	int err;

	dev->read_only = fdt_getprop(c->fdt, node, "read-only", NULL) != NULL;
	dev->image = (struct vm_image_config){ .role = VM_IMAGE_BLOB, .node = dev->node };
	err = desc_image_bytes(c, node, !dev->read_only, &dev->image);
	if (err)
		return err;
	dev->has_image = true;
	return PV_OK;
}

/* A network device: the switch it plugs into, its MAC address (or one made from the names). */
static int desc_dev_link(struct desc_ctx *c, int node, const struct vm_config *cfg,
			 struct vm_dev_config *dev)
{
	int bad = 0, len;
	const char *sw = desc_string(c, node, "switch", &bad);
	const uint8_t *mac = fdt_getprop(c->fdt, node, "local-mac-address", &len);

	if (bad)
		return bad;
	if (!sw)
		return desc_fail(c, "no 'switch': name the switch the device plugs into");
	dev->link = sw;
	if (!mac) {
		vm_dev_default_mac(cfg->name, dev->node, dev->mac);
		return PV_OK;
	}
	if (len != 6)
		return desc_fail(c, "'local-mac-address' is 6 bytes, e.g. [02 00 00 00 00 01]");
	memcpy(dev->mac, mac, 6);
	return PV_OK;
}

int desc_device(struct desc_ctx *c, int node, const char *name, struct vm_config *cfg)
{
	int bad = 0, n, err;
	const char *compat = desc_string(c, node, "compatible", &bad);
	const struct vdev_model *model = compat ? vdev_model_find(compat) : NULL;
	const char *const *props[3] = { desc_device_props, NULL, NULL };
	struct vm_dev_config *dev;
	uint64_t base, size;
	uint32_t port, shift = 0, irq;

	if (bad)
		return bad;
	if (!model)
		return desc_fail(c, "unknown device \"%s\" (known: %s)", compat,
				 vdev_model_names());
	if (cfg->ndevs >= VM_MAX_DEV_CONFIGS)
		return desc_fail(c, "at most %u devices per VM", VM_MAX_DEV_CONFIGS);
	if (model->image_block)
		props[1] = desc_dev_image_props;
	if (model->link)
		props[2] = desc_dev_link_props;
	err = desc_only_props_of(c, node, props, 3);
	if (err)
		return err;
	dev = &cfg->devs[cfg->ndevs];
	*dev = (struct vm_dev_config){ .model = model, .node = name };
	n = desc_pairs(c, node, "reg", &base, &size, 1);
	if (n < 0)
		return n;
	if (desc_u32(c, node, "port", &port) == PV_OK) {
		if (n)
			return desc_fail(c, "give 'reg' (MMIO) or 'port' (I/O ports), not both");
		dev->space = VDEV_SPACE_PIO;
		dev->base = port;
	} else if (n == 1) {
		dev->space = VDEV_SPACE_MMIO;
		dev->base = base;
		dev->size = size;
	} else {
		return desc_fail(c, "no 'reg' (MMIO) or 'port' (I/O ports)");
	}
	if (desc_u32(c, node, "reg-shift", &shift) == PV_OK)
		dev->reg_shift = shift;
	if (desc_u32(c, node, "interrupts", &irq) == PV_OK) {
		dev->has_irq = true;
		dev->irq = irq;
	}
	if (!err && model->image_block)
		err = desc_dev_image(c, node, dev);
	if (!err && model->link)
		err = desc_dev_link(c, node, cfg, dev);
	if (err || c->err->msg[0])
		return -PV_EINVAL;
	cfg->ndevs++;
	return PV_OK;
}

static bool ranges_overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

/* Where a VM's bytes come from: its images, then its devices' images. */
struct desc_bytes {
	const struct vm_image_config *img;
	bool writable; /* a disk the guest writes in place */
};

static unsigned desc_bytes_of(const struct vm_config *cfg,
			      struct desc_bytes out[VM_MAX_IMAGES + VM_MAX_DEV_CONFIGS])
{
	unsigned n = 0;

	for (unsigned i = 0; i < cfg->nimages && i < VM_MAX_IMAGES; i++)
		out[n++] = (struct desc_bytes){ &cfg->images[i], false };
	for (unsigned i = 0; i < cfg->ndevs && i < VM_MAX_DEV_CONFIGS; i++)
		if (cfg->devs[i].has_image)
			out[n++] =
				(struct desc_bytes){ &cfg->devs[i].image, !cfg->devs[i].read_only };
	return n;
}

/* Two sources of bytes: firmware-placed ones must not overlap in host memory, and a disk the
 * guest writes must share its bytes with nothing (an image another VM boots, another disk). */
static int desc_check_bytes(const struct vm_config *a, const struct desc_bytes *p,
			    const struct vm_config *b, const struct desc_bytes *q,
			    struct vm_err *err)
{
	const struct vm_image_config *x = p->img, *y = q->img;

	if (x->firmware && y->firmware &&
	    ranges_overlap(x->host_addr.raw, x->size, y->host_addr.raw, y->size))
		return vm_err_set(err, a->name,
				  "image '%s' overlaps VM %s's image '%s' in host memory", x->node,
				  b->name, y->node);
	if ((p->writable || q->writable) && x->data && y->data &&
	    ranges_overlap((uintptr_t)x->data, x->size, (uintptr_t)y->data, y->size))
		return vm_err_set(
			err, a->name, "the writable disk '%s' shares its bytes with VM %s's '%s'",
			p->writable ? x->node : y->node, b->name, p->writable ? y->node : x->node);
	return PV_OK;
}

static int desc_check_pair(const struct vm_config *a, const struct vm_config *b, bool same,
			   struct vm_err *err)
{
	struct desc_bytes pa[VM_MAX_IMAGES + VM_MAX_DEV_CONFIGS];
	struct desc_bytes pb[VM_MAX_IMAGES + VM_MAX_DEV_CONFIGS];
	unsigned na = desc_bytes_of(a, pa), nb = desc_bytes_of(b, pb);
	int rc;

	for (unsigned x = 0; x < a->nvcpus && !same; x++)
		for (unsigned y = 0; y < b->nvcpus; y++)
			if (a->pcpu[x] == b->pcpu[y] && !(a->shared_cpus && b->shared_cpus))
				return vm_err_set(err, a->name,
						  "physical CPU %u is also VM %s's; give each VM "
						  "its own CPUs, or mark both 'shared-cpus'",
						  a->pcpu[x], b->name);
	for (unsigned x = 0; x < na; x++)
		for (unsigned y = 0; y < (same ? x : nb); y++) {
			rc = desc_check_bytes(a, &pa[x], b, &pb[y], err);
			if (rc)
				return rc;
		}
	rc = desc_check_pt_pair(a, b, same, err);
	if (rc)
		return rc;
	for (unsigned x = 0; x < a->ndevs; x++)
		for (unsigned y = 0; y < (same ? x : b->ndevs); y++) {
			const struct vm_dev_config *d = &a->devs[x], *e = &b->devs[y];

			if (d->link && e->link && strcmp(d->link, e->link) == 0 &&
			    memcmp(d->mac, e->mac, 6) == 0)
				return vm_err_set(err, a->name,
						  "device %s has the MAC address of VM %s's %s on "
						  "switch '%s'",
						  d->node, b->name, e->node, d->link);
		}
	return PV_OK;
}

int vm_desc_check_all(const struct vm_config *const *cfgs, unsigned count, struct vm_err *err)
{
	for (unsigned i = 0; i < count; i++)
		for (unsigned j = 0; j <= i; j++) {
			int rc = desc_check_pair(cfgs[i], cfgs[j], i == j, err);
			if (rc)
				return rc;
		}
	return PV_OK;
}
