// SPDX-License-Identifier: MIT
/* The emulated device models VM descriptions can name (irq/vdev_model.h). */
#include <devices/testdev.h>
#include <devices/virtio_blk.h>
#include <devices/virtio_console.h>
#include <devices/virtio_net.h>
#include <devices/vpoweroff.h>
#include <devices/vuart_ns16550.h>
#include <devices/vuart_pl011.h>
#include <irq/vdev_model.h>
#include <string.h>
#include <vm/vm.h>

static const struct vdev_model *const vdev_models[] = {
	&vuart_pl011_model, &vuart_ns16550_model,  &testdev_model,    &vpoweroff_model,
	&virtio_blk_model,  &virtio_console_model, &virtio_net_model,
};

const struct vdev_model *vdev_model_find(const char *compatible)
{
	for (unsigned i = 0; i < PV_ARRAY_SIZE(vdev_models); i++)
		if (strcmp(vdev_models[i]->compatible, compatible) == 0)
			return vdev_models[i];
	return NULL;
}

const char *vdev_model_names(void)
{
	static char names[256];
	size_t len = 0;

	for (unsigned i = 0; i < PV_ARRAY_SIZE(vdev_models); i++) {
		size_t n = strlen(vdev_models[i]->compatible);
		if (len + n + 3 > sizeof(names))
			break;
		if (i) {
			names[len++] = ',';
			names[len++] = ' ';
		}
		memcpy(names + len, vdev_models[i]->compatible, n);
		len += n;
	}
	names[len] = '\0';
	return names;
}

uint64_t vdev_model_window(const struct vm_dev_config *cfg)
{
	/* Strides beyond any model's limit are refused by vm_config_check; never shift by them. */
	if (!cfg->model || cfg->reg_shift > 16)
		return 0;
	return cfg->model->size << cfg->reg_shift;
}
