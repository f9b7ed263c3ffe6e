/* SPDX-License-Identifier: MIT */
/* The board's fw_cfg reader (fw_cfg.c), split from the device so that host tests can drive it. */
#ifndef QV_FW_CFG_H
#define QV_FW_CFG_H

#include <hal/boot.h>
#include <stdint.h>

/* How the reader reaches the device: select an item, read its next byte. Context: boot CPU. */
struct qv_fw_cfg_io {
	void (*select)(uintptr_t base, uint16_t key);
	uint8_t (*read8)(uintptr_t base);
	uintptr_t base;
};

/* Physical address of the fw_cfg registers from the DTB's "qemu,fw-cfg-mmio" node, or 0. */
uint64_t qv_fw_cfg_base(const void *dtb);
/* Finds file @name in the directory; returns its selector and size, or 0 if the directory has
 * no such file or says something impossible (more files than selectors, a selector outside
 * the files' range). */
uint16_t qv_fw_cfg_find(const struct qv_fw_cfg_io *io, const char *name, uint32_t *size);
/* Adds etc/memmap's RAM ranges to @bi. Returns PV_OK with at least one range added, or a
 * negative pv_err after printing why. */
int qv_fw_cfg_memory(const struct qv_fw_cfg_io *io, struct boot_info *bi);

#endif
