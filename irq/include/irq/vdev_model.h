/* SPDX-License-Identifier: MIT */
/*
 * An emulated device model a VM description can name by its compatible string: which address
 * spaces it may sit in, the size of its register window, how to create it in a VM and the node it
 * contributes to the guest's generated device tree. The models live in devices/ (vdev_models.c
 * lists them); a backend's own devices are not named by descriptions.
 */
#ifndef IRQ_VDEV_MODEL_H
#define IRQ_VDEV_MODEL_H

#include <irq/vdev.h>

struct vm;
struct vm_dev_config;

/* What a device node of the generated device tree needs from its surroundings. */
struct vdev_fdt_ctx {
	uint32_t intc_phandle; /* the VM's interrupt controller, 0 if none */
	uint32_t next_phandle; /* phandles a device may allocate for helper nodes */
};

struct vdev_model {
	const char *compatible; /* the description's name for it, as in device trees */
	unsigned spaces;	/* bit (1 << enum vdev_space) per space it may sit in */
	uint64_t size;		/* register window at reg_shift 0 */
	unsigned max_reg_shift; /* 0: fixed register stride */
	bool console;		/* a UART: the guest's console (stdout-path) */
	bool irq;		/* it has an interrupt line */
	/* Backed by an image the description names like an image's bytes ("file" or
	 * "host-address" + "size", and "read-only"), whose size is a multiple of this. 0: none. */
	uint64_t image_block;
	/* Plugged into a network switch: "switch" names it, "local-mac-address" gives the MAC. */
	bool link;

	/* Creates the device in @vm (state from vm_dev_alloc, registered with vdev_register).
	 * Context: vm_create, VM not running; never blocks. */
	int (*create)(struct vm *vm, const struct vm_dev_config *cfg);

	/* Adds the device's node(s) under the root of @fdt. NULL: the device has no node. Returns 0
	 * or a negative libfdt error. Context: any, pure. */
	int (*fdt_node)(void *fdt, const struct vm_dev_config *cfg, struct vdev_fdt_ctx *ctx);

	/* Releases what create took outside the VM's own memory (a switch port), for a device
	 * create succeeded on. NULL: nothing. Context: vm_destroy, the VM not running. */
	void (*destroy)(struct vm *vm, const struct vm_dev_config *cfg);

	/* Says what the device did (its counters) when its VM has stopped. NULL: nothing to say.
	 * Context: the CPU that stopped the VM, no lock held. */
	void (*report)(struct vm *vm, const struct vm_dev_config *cfg);
};

/* The model named @compatible, or NULL. */
const struct vdev_model *vdev_model_find(const char *compatible);

/* The compatible strings of every model, comma-separated (for messages). */
const char *vdev_model_names(void);

/* The register window of @cfg's device (the model's size scaled by its register stride). */
uint64_t vdev_model_window(const struct vm_dev_config *cfg);

#endif
