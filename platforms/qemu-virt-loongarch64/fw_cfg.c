// SPDX-License-Identifier: MIT
/*
 * The RAM map of QEMU's loongarch64 virt machine, read from its fw_cfg device: the DTB QEMU 7.2
 * builds has no memory node, but fw_cfg always carries the "etc/memmap" file the firmware uses.
 * The device's address comes from the DTB's "qemu,fw-cfg-mmio" node.
 *
 * fw_cfg MMIO interface (QEMU docs/specs/fw_cfg.rst): a 16-bit big-endian selector at +8 picks an
 * item; each read of the data register at +0 returns the item's next byte(s) in blob order.
 *
 * Everything the device says is checked before it steers a loop: the file count against the
 * selector space, each file's selector, the memory map's size. The parsing reaches the device
 * through struct qv_fw_cfg_io only, so host tests and fuzzers stand in for it.
 */
#include <arch/la_board.h>
#include <arch/loongarch.h>
#include <hal/hal.h>
#include <libfdt.h>
#include <string.h>

#include "qv_fw_cfg.h"

#define QV_FW_CFG_DATA	   0x0
#define QV_FW_CFG_SELECTOR 0x8

#define QV_FW_CFG_SIGNATURE 0x0000
#define QV_FW_CFG_FILE_DIR  0x0019

/* A file-directory entry: size and selector big-endian, then a NUL-padded name. */
#define QV_FW_CFG_DIR_ENTRY_SIZE 64
#define QV_FW_CFG_NAME_OFFSET	 8
#define QV_FW_CFG_NAME_SIZE	 56

/*
 * File selectors are keys from FW_CFG_FILE_FIRST up to below the write-channel bit: no directory
 * can list more files than that, whatever its count says.
 */
#define QV_FW_CFG_FILE_FIRST 0x0020
#define QV_FW_CFG_KEY_LIMIT  0x4000
#define QV_FW_CFG_MAX_FILES  (QV_FW_CFG_KEY_LIMIT - QV_FW_CFG_FILE_FIRST)

/* An etc/memmap entry, little-endian: address, length (8 bytes each), type, reserved. */
#define QV_MEMMAP_ENTRY_SIZE  24
#define QV_MEMMAP_TYPE_RAM    1
#define QV_MEMMAP_MAX_ENTRIES 256

static void qv_fw_cfg_read(const struct qv_fw_cfg_io *io, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = io->read8(io->base);
}

static uint64_t qv_get_be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t qv_get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

uint64_t qv_fw_cfg_base(const void *dtb)
{
	int node = fdt_node_offset_by_compatible(dtb, -1, "qemu,fw-cfg-mmio");
	int parent, acells, len;
	const fdt32_t *reg;
	uint64_t addr = 0;

	if (node < 0)
		return 0;
	parent = fdt_parent_offset(dtb, node);
	acells = parent < 0 ? -1 : fdt_address_cells(dtb, parent);
	reg = fdt_getprop(dtb, node, "reg", &len);
	if (!reg || acells < 1 || acells > 2 || len < acells * (int)sizeof(*reg))
		return 0;
	for (int i = 0; i < acells; i++)
		addr = (addr << 32) | fdt32_to_cpu(reg[i]);
	return addr;
}

uint16_t qv_fw_cfg_find(const struct qv_fw_cfg_io *io, const char *name, uint32_t *size)
{
	uint8_t entry[QV_FW_CFG_DIR_ENTRY_SIZE];
	uint8_t count_be[4];
	uint32_t count;

	io->select(io->base, QV_FW_CFG_FILE_DIR);
	qv_fw_cfg_read(io, count_be, sizeof(count_be));
	count = (uint32_t)qv_get_be(count_be, 4);
	if (count > QV_FW_CFG_MAX_FILES) {
		hal_printf(
			"qemu-virt-loongarch64: fw_cfg lists %u files, more than its %u selectors: "
			"ignored\n",
			count, QV_FW_CFG_MAX_FILES);
		return 0;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint16_t key;

		qv_fw_cfg_read(io, entry, sizeof(entry));
		entry[QV_FW_CFG_NAME_OFFSET + QV_FW_CFG_NAME_SIZE - 1] = '\0';
		if (strcmp((const char *)entry + QV_FW_CFG_NAME_OFFSET, name) != 0)
			continue;
		key = (uint16_t)qv_get_be(entry + 4, 2);
		if (key < QV_FW_CFG_FILE_FIRST || key >= QV_FW_CFG_KEY_LIMIT) {
			hal_printf("qemu-virt-loongarch64: fw_cfg file %s has selector 0x%x: "
				   "ignored\n",
				   name, key);
			return 0;
		}
		*size = (uint32_t)qv_get_be(entry, 4);
		return key;
	}
	return 0;
}

int qv_fw_cfg_memory(const struct qv_fw_cfg_io *io, struct boot_info *bi)
{
	uint8_t sig[4], entry[QV_MEMMAP_ENTRY_SIZE];
	uint32_t size = 0;
	uint16_t key;
	unsigned added = 0;

	io->select(io->base, QV_FW_CFG_SIGNATURE);
	qv_fw_cfg_read(io, sig, sizeof(sig));
	if (memcmp(sig, "QEMU", sizeof(sig)) != 0) {
		hal_printf("qemu-virt-loongarch64: no fw_cfg signature\n");
		return -PV_ENOENT;
	}
	key = qv_fw_cfg_find(io, "etc/memmap", &size);
	if (!key || size == 0 || size % QV_MEMMAP_ENTRY_SIZE ||
	    size / QV_MEMMAP_ENTRY_SIZE > QV_MEMMAP_MAX_ENTRIES) {
		hal_printf("qemu-virt-loongarch64: fw_cfg has no usable etc/memmap (size %u)\n",
			   size);
		return -PV_ENOENT;
	}

	io->select(io->base, key);
	for (uint32_t off = 0; off < size; off += QV_MEMMAP_ENTRY_SIZE) {
		uint64_t addr, len;
		int err;

		qv_fw_cfg_read(io, entry, sizeof(entry));
		addr = qv_get_le(entry, 8);
		len = qv_get_le(entry + 8, 8);
		/* An empty range adds nothing (boot_add_mem skips it), so it must not count. */
		if (qv_get_le(entry + 16, 4) != QV_MEMMAP_TYPE_RAM || len == 0)
			continue;
		err = boot_add_mem(bi, hpa(addr), len);
		if (err)
			return err;
		added++;
	}
	hal_printf("qemu-virt-loongarch64: memory map from fw_cfg etc/memmap: %u RAM range(s)\n",
		   added);
	return added ? PV_OK : -PV_ENOENT;
}

#ifndef PV_HOST_TEST
static void qv_fw_cfg_mmio_select(uintptr_t base, uint16_t key)
{
	*(volatile uint16_t *)(base + QV_FW_CFG_SELECTOR) = __builtin_bswap16(key);
}

static uint8_t qv_fw_cfg_mmio_read8(uintptr_t base)
{
	return *(volatile uint8_t *)(base + QV_FW_CFG_DATA);
}

int la_board_memory(const void *dtb, struct boot_info *bi)
{
	uint64_t phys = qv_fw_cfg_base(dtb);
	struct qv_fw_cfg_io io = { qv_fw_cfg_mmio_select, qv_fw_cfg_mmio_read8, 0 };

	if (!phys) {
		hal_printf("qemu-virt-loongarch64: no qemu,fw-cfg-mmio node in the device tree\n");
		return -PV_ENOENT;
	}
	hal_printf("qemu-virt-loongarch64: fw_cfg at 0x%llx\n", (unsigned long long)phys);
	io.base = LA_MMIO(phys);
	return qv_fw_cfg_memory(&io, bi);
}
#endif
