// SPDX-License-Identifier: MIT
/*
 * The boot memory map from a flattened device tree (hal/fdt_memory.c, boot_fdt_memory), on any
 * blob the firmware could hand over, at any alignment (the first input byte is the blob's
 * misalignment; the rest is the blob, its header's total size padded with zeros when the input is
 * shorter, as a firmware's memory would be). A refused blob is fine; an accepted one must give
 * exactly what an independent reading of the same tree gives: RAM from the root's "memory"
 * nodes, reservations from the reservation block and /reserved-memory's children in the cell
 * sizes of their parents, the blob itself reserved last, every range table within its bounds.
 */
#include "fuzz.h"

#include <hal/boot.h>
#include <libfdt.h>
#include <string.h>

#define MAX_BLOB (1u << 20)

/* A reading of the tree written from the device-tree specification, without hal/'s code. */
struct ref {
	unsigned nmem, nres;
	struct boot_range mem[BOOT_MAX_RANGES], res[BOOT_MAX_RANGES];
	bool full; /* a table overflowed: boot_fdt_memory must refuse the blob */
};

static uint64_t ref_cells(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < 4 * n; i++)
		v = v << 8 | p[i];
	return v;
}

static void ref_add(struct ref *r, bool mem, uint64_t base, uint64_t size)
{
	unsigned *n = mem ? &r->nmem : &r->nres;
	struct boot_range *t = mem ? r->mem : r->res;

	if (size == 0)
		return;
	if (*n >= BOOT_MAX_RANGES) {
		r->full = true;
		return;
	}
	t[*n] = (struct boot_range){ hpa(base), size };
	(*n)++;
}

/* -1: the blob is not readable this way (boot_fdt_memory must refuse it). */
static int ref_reg(const void *fdt, int node, int ac, int sc, struct ref *r, bool mem)
{
	int len;
	const uint8_t *reg = fdt_getprop(fdt, node, "reg", &len);
	int stride = 4 * (ac + sc);

	if (!reg)
		return 0;
	if (len % stride)
		return -1;
	for (int off = 0; off < len; off += stride)
		ref_add(r, mem, ref_cells(reg + off, ac), ref_cells(reg + off + 4 * ac, sc));
	return 0;
}

static bool ref_is_memory(const void *fdt, int node)
{
	int len;
	const char *type = fdt_getprop(fdt, node, "device_type", &len);

	/* A string list: "memory" as one of its NUL-terminated strings, within the property. */
	for (int at = 0; type && at < len;) {
		const char *end = memchr(type + at, '\0', (size_t)(len - at));

		if (!end)
			return false;
		if (strcmp(type + at, "memory") == 0)
			return true;
		at = (int)(end - type) + 1;
	}
	return false;
}

static bool cells_ok(int ac, int sc)
{
	return ac >= 1 && ac <= 2 && sc >= 1 && sc <= 2;
}

static int ref_read(const void *fdt, struct ref *r)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0), node;

	if (!cells_ok(ac, sc))
		return -1;
	fdt_for_each_subnode (node, fdt, 0)
		if (ref_is_memory(fdt, node) && ref_reg(fdt, node, ac, sc, r, true))
			return -1;
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t a, s;

		if (fdt_get_mem_rsv(fdt, i, &a, &s) == 0)
			ref_add(r, false, a, s);
	}
	node = fdt_path_offset(fdt, "/reserved-memory");
	if (node >= 0) {
		int child, rac = fdt_address_cells(fdt, node), rsc = fdt_size_cells(fdt, node);

		if (!cells_ok(rac, rsc))
			return -1;
		fdt_for_each_subnode (child, fdt, node)
			if (ref_reg(fdt, child, rac, rsc, r, false))
				return -1;
	}
	ref_add(r, false, (uintptr_t)fdt, fdt_totalsize(fdt));
	return 0;
}

static void same(const char *what, const struct boot_range *a, unsigned na,
		 const struct boot_range *b, unsigned nb)
{
	FZ_CHECK(na == nb, "%s: %u ranges, the reference reads %u", what, na, nb);
	for (unsigned i = 0; i < na; i++)
		FZ_CHECK(a[i].base.raw == b[i].base.raw && a[i].size == b[i].size,
			 "%s %u: 0x%llx+0x%llx, the reference reads 0x%llx+0x%llx", what, i,
			 (unsigned long long)a[i].base.raw, (unsigned long long)a[i].size,
			 (unsigned long long)b[i].base.raw, (unsigned long long)b[i].size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned skew;
	size_t blob_size;
	uint8_t *buf;
	void *blob;
	struct boot_info bi;
	struct ref r;
	int rc;

	if (size < 1 + sizeof(struct fdt_header))
		return 0;
	skew = data[0] % 8;
	data++;
	size--;
	blob_size = ref_cells(data + 4, 1); /* totalsize, read bytewise: data may be misaligned */
	if (blob_size < size)
		blob_size = size;
	if (blob_size > MAX_BLOB)
		return 0;
	/* Exactly the blob's bytes after the skew: ASan reports any read past them. */
	buf = malloc(skew + blob_size);
	FZ_CHECK(buf, "no memory");
	blob = buf + skew;
	memset(blob, 0, blob_size);
	memcpy(blob, data, size);

	memset(&bi, 0, sizeof(bi));
	rc = boot_fdt_memory(blob, &bi);
	FZ_CHECK(bi.nmem <= BOOT_MAX_RANGES && bi.nreserved <= BOOT_MAX_RANGES,
		 "tables overflowed: %u, %u", bi.nmem, bi.nreserved);
	if (rc == PV_OK) {
		FZ_CHECK(skew == 0 && fdt_check_header(blob) == 0, "accepted at skew %u", skew);
		FZ_CHECK(bi.dtb == blob, "dtb pointer");
		memset(&r, 0, sizeof(r));
		FZ_CHECK(ref_read(blob, &r) == 0 && !r.full,
			 "accepted a blob the reference refuses");
		same("RAM", bi.mem, bi.nmem, r.mem, r.nmem);
		same("reserved", bi.reserved, bi.nreserved, r.res, r.nres);
	} else {
		FZ_CHECK(rc == -PV_EINVAL || rc == -PV_ENOMEM, "returned %d", rc);
	}
	free(buf);
	return 0;
}
