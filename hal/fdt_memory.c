// SPDX-License-Identifier: MIT
/* The memory map from a flattened device tree, read with libfdt. */
#include <hal/boot.h>
#include <hal/boot_seed.h>
#include <libfdt.h>
#include <pv/strlist.h>

static int add_range(struct boot_range *table, unsigned *count, hpa_t base, uint64_t size)
{
	if (size == 0)
		return PV_OK;
	if (*count >= BOOT_MAX_RANGES)
		return -PV_ENOMEM;
	table[*count].base = base;
	table[*count].size = size;
	(*count)++;
	return PV_OK;
}

int boot_add_mem(struct boot_info *bi, hpa_t base, uint64_t size)
{
	return add_range(bi->mem, &bi->nmem, base, size);
}

int boot_add_reserved(struct boot_info *bi, hpa_t base, uint64_t size)
{
	return add_range(bi->reserved, &bi->nreserved, base, size);
}

static uint64_t read_cells(const fdt32_t *cells, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(cells[i]);
	return v;
}

/* Adds every (address, size) pair of @node's "reg" through @add. */
static int add_reg(const void *dtb, int node, int acells, int scells, struct boot_info *bi,
		   int (*add)(struct boot_info *, hpa_t, uint64_t))
{
	int len;
	const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);
	int stride = (acells + scells) * (int)sizeof(fdt32_t);

	if (!reg)
		return PV_OK;
	if (len % stride)
		return -PV_EINVAL;
	for (int off = 0; off < len; off += stride) {
		const fdt32_t *cell = reg + off / (int)sizeof(fdt32_t);
		int err = add(bi, hpa(read_cells(cell, acells)), read_cells(cell + acells, scells));
		if (err)
			return err;
	}
	return PV_OK;
}

static bool is_memory_node(const void *dtb, int node)
{
	int len;
	const char *type = fdt_getprop(dtb, node, "device_type", &len);

	return type && pv_strlist_contains(type, len, "memory");
}

int boot_fdt_memory(const void *dtb, struct boot_info *bi)
{
	int root_ac, root_sc, node, err;

	/* fdt_check_header accepts blocks at any offset, but properties are then read as 4-byte
	 * words (and reservation entries as 8-byte ones) at addresses that are not aligned. */
	if (fdt_check_header(dtb) != 0 || (uintptr_t)dtb % 8 || fdt_off_dt_struct(dtb) % 4 ||
	    fdt_off_dt_strings(dtb) % 4 || fdt_off_mem_rsvmap(dtb) % 8)
		return -PV_EINVAL;
	/* The firmware's random bytes, read here as every device-tree boot passes by. */
	boot_seed_from_fdt(dtb);
	root_ac = fdt_address_cells(dtb, 0);
	root_sc = fdt_size_cells(dtb, 0);
	if (root_ac < 1 || root_ac > 2 || root_sc < 1 || root_sc > 2)
		return -PV_EINVAL;

	fdt_for_each_subnode (node, dtb, 0) {
		if (!is_memory_node(dtb, node))
			continue;
		err = add_reg(dtb, node, root_ac, root_sc, bi, boot_add_mem);
		if (err)
			return err;
	}

	for (int i = 0; i < fdt_num_mem_rsv(dtb); i++) {
		uint64_t addr, size;
		if (fdt_get_mem_rsv(dtb, i, &addr, &size) == 0) {
			err = boot_add_reserved(bi, hpa(addr), size);
			if (err)
				return err;
		}
	}

	node = fdt_path_offset(dtb, "/reserved-memory");
	if (node >= 0) {
		int ac = fdt_address_cells(dtb, node), sc = fdt_size_cells(dtb, node);
		int child;
		if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
			return -PV_EINVAL;
		fdt_for_each_subnode (child, dtb, node) {
			err = add_reg(dtb, child, ac, sc, bi, boot_add_reserved);
			if (err)
				return err;
		}
	}

	bi->dtb = dtb;
	return boot_add_reserved(bi, hpa((uintptr_t)dtb), fdt_totalsize(dtb));
}
