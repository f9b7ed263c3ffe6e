// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include "desc_fixture.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

uint8_t df_tree[16384];
struct vm_desc_source df_src;
struct vm_config df_cfg;
struct vm_err df_err;

struct df_file {
	const char *name;
	const void *data;
	uint64_t size;
};

static uint8_t df_kernel[64] = { 0x11, 0x22, 0x33 };
static uint8_t df_big[2 << 20];
static struct df_file df_files[16];
static unsigned df_nfiles;

void df_add_file(const char *name, const void *data, uint64_t size)
{
	assert_true(df_nfiles < 16);
	df_files[df_nfiles++] = (struct df_file){ name, data, size };
}

static int df_resolve(void *ctx, const char *path, bool own, const void **data, uint64_t *size,
		      char *why, size_t why_len)
{
	(void)ctx;
	(void)own;
	for (unsigned i = 0; i < df_nfiles; i++)
		if (strcmp(df_files[i].name, path) == 0) {
			*data = df_files[i].data;
			*size = df_files[i].size;
			return 0;
		}
	snprintf(why, why_len, "not found");
	return -PV_ENOENT;
}

int df_node(const char *path, bool create)
{
	int node = fdt_path_offset(df_tree, path);

	if (node < 0 && create) {
		const char *slash = strrchr(path, '/');
		char parent[64];
		int p;

		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
		p = slash == path ? 0 : fdt_path_offset(df_tree, parent);
		assert_true(p >= 0);
		node = fdt_add_subnode(df_tree, p, slash + 1);
	}
	assert_true(node >= 0);
	return node;
}

void df_set_raw(const char *path, const char *prop, const void *data, int len)
{
	assert_int_equal(fdt_setprop(df_tree, df_node(path, true), prop, data, len), 0);
}

void df_set_str(const char *path, const char *prop, const char *value)
{
	df_set_raw(path, prop, value, (int)strlen(value) + 1);
}

void df_set_u32s(const char *path, const char *prop, const uint32_t *cells, int n)
{
	fdt32_t be[16];

	assert_true(n <= 16);
	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	df_set_raw(path, prop, be, n * 4);
}

void df_set_u64s(const char *path, const char *prop, const uint64_t *values, int n)
{
	fdt64_t be[16];

	assert_true(n <= 16);
	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt64(values[i]);
	df_set_raw(path, prop, be, n * 8);
}

void df_del(const char *path, const char *prop)
{
	assert_int_equal(fdt_delprop(df_tree, df_node(path, false), prop), 0);
}

void df_base(void)
{
	static const uint32_t cpus[] = { 0, 1 };
	const uint64_t mem[] = { DF_RAM, DF_RAM_SIZE };
	const uint64_t load[] = { DF_RAM + 0x1000 };
	const uint64_t uart[] = { DF_UART, 0x1000 };
	const uint64_t td[] = { DF_TESTDEV, 0x100 };
	const uint32_t irq[] = { 1 };

	df_nfiles = 0;
	df_add_file("k.bin", df_kernel, sizeof(df_kernel));
	df_add_file("big.bin", df_big, sizeof(df_big));
	df_add_file("empty.bin", df_kernel, 0);
	df_src = (struct vm_desc_source){ .file = df_resolve };
	assert_int_equal(fdt_create_empty_tree(df_tree, sizeof(df_tree)), 0);
	df_set_str("/", "compatible", VM_DESC_COMPATIBLE);
	df_set_str("/vm0", "compatible", VM_DESC_VM_COMPATIBLE);
	df_set_u32s("/vm0", "cpus", cpus, 2);
	df_set_u64s("/vm0", "memory", mem, 2);
	df_set_str("/vm0/kernel", "format", "raw");
	df_set_str("/vm0/kernel", "file", "k.bin");
	df_set_u64s("/vm0/kernel", "load-address", load, 1);
	df_set_str("/vm0/uart@9000000", "compatible", "arm,pl011");
	df_set_u64s("/vm0/uart@9000000", "reg", uart, 2);
	df_set_u32s("/vm0/uart@9000000", "interrupts", irq, 1);
	df_set_str("/vm0/testdev@b000000", "compatible", "polyvisor,testdev");
	df_set_u64s("/vm0/testdev@b000000", "reg", td, 2);
}

int df_parse(const char *path)
{
	memset(&df_err, 0, sizeof(df_err));
	return vm_desc_parse_vm(df_tree, df_node(path, false), &df_src, &df_cfg, &df_err);
}

void df_expect_error(const char *path, const char *where, const char *msg)
{
	int rc = df_parse(path);

	if (rc != -PV_EINVAL || !strstr(df_err.msg, msg) || !strstr(df_err.where, where))
		fail_msg("expected \"%s: %s\", got %d \"%s: %s\"", where, msg, rc, df_err.where,
			 df_err.msg);
}

int df_check_two(const char *a, const char *b)
{
	static struct vm_config ca, cb;
	const struct vm_config *both[] = { &ca, &cb };

	if (df_parse(a))
		fail_msg("%s: %s: %s", a, df_err.where, df_err.msg);
	ca = df_cfg;
	if (df_parse(b))
		fail_msg("%s: %s: %s", b, df_err.where, df_err.msg);
	cb = df_cfg;
	return vm_desc_check_all(both, 2, &df_err);
}
