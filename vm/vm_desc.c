// SPDX-License-Identifier: MIT
/*
 * Reads VM descriptions (vm/vm_desc.h, docs/vm-descriptions.md). Strict on purpose: an unknown
 * property or node is an error, not something ignored, because a misspelt "load-adress" silently
 * ignored would boot a guest the user did not describe.
 */
#include <irq/vdev_model.h>
#include <libfdt.h>
#include <pv/fmt.h>
#include <pv/strlist.h>
#include <string.h>
#include <vm/vm_config.h>
#include <vm/vm_desc.h>
#include <vm/vm_layout.h>

#include "vm_desc_read.h"

int desc_fail(struct desc_ctx *c, const char *fmt, ...)
{
	va_list ap;

	/* The path is looked up only now: fdt_get_path walks the tree from its root. */
	if (fdt_get_path(c->fdt, c->node, c->err->where, (int)sizeof(c->err->where)) != 0)
		pv_snprintf(c->err->where, sizeof(c->err->where), "(node at offset %d)", c->node);
	va_start(ap, fmt);
	pv_vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
	va_end(ap);
	return -PV_EINVAL;
}

static void desc_enter(struct desc_ctx *c, int node)
{
	c->node = node;
}

static bool name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/* Refuses any property of @node in none of the lists @allowed (NULL entries are skipped). */
int desc_only_props_of(struct desc_ctx *c, int node, const char *const *const *allowed,
		       unsigned nlists)
{
	int prop;

	fdt_for_each_property_offset (prop, c->fdt, node) {
		const char *name;
		bool known;

		if (!fdt_getprop_by_offset(c->fdt, prop, &name, NULL))
			return desc_fail(c, "unreadable property");
		known = strcmp(name, "phandle") == 0;
		for (unsigned i = 0; i < nlists && !known; i++)
			known = allowed[i] && name_in(name, allowed[i]);
		if (!known)
			return desc_fail(c, "unknown property '%s'", name);
	}
	return PV_OK;
}

static int desc_only_props(struct desc_ctx *c, int node, const char *const *allowed)
{
	return desc_only_props_of(c, node, &allowed, 1);
}

static uint64_t be_cells(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < 4 * n; i++)
		v = v << 8 | p[i];
	return v;
}

/* A one-value property of 4 or 8 bytes. -PV_ENOENT when absent. */
static int desc_u64(struct desc_ctx *c, int node, const char *name, uint64_t *v)
{
	int len;
	const uint8_t *p = fdt_getprop(c->fdt, node, name, &len);

	if (!p)
		return -PV_ENOENT;
	if (len != 4 && len != 8)
		return desc_fail(c, "'%s' must be one 32-bit or 64-bit value, it has %d bytes",
				 name, len);
	*v = be_cells(p, len / 4);
	return PV_OK;
}

int desc_u32(struct desc_ctx *c, int node, const char *name, uint32_t *v)
{
	int len;
	const uint8_t *p = fdt_getprop(c->fdt, node, name, &len);

	if (!p)
		return -PV_ENOENT;
	if (len != 4)
		return desc_fail(c, "'%s' must be one 32-bit cell, it has %d bytes", name, len);
	*v = (uint32_t)be_cells(p, 1);
	return PV_OK;
}

/* A NUL-terminated string property; NULL when absent (or -PV_EINVAL through @bad). */
const char *desc_string(struct desc_ctx *c, int node, const char *name, int *bad)
{
	int len;
	const char *s = fdt_getprop(c->fdt, node, name, &len);

	if (!s)
		return NULL;
	if (len < 1 || memchr(s, '\0', (size_t)len) != s + len - 1) {
		*bad = desc_fail(c, "'%s' must be one string", name);
		return NULL;
	}
	return s;
}

/* (address, size) pairs of @name, in the description's cell counts. Returns the number of pairs
 * (at most @max), or a negative error; 0 when absent. */
int desc_pairs(struct desc_ctx *c, int node, const char *name, uint64_t *addr, uint64_t *size,
	       int max)
{
	int len, stride = 4 * (c->acells + c->scells);
	const uint8_t *p = fdt_getprop(c->fdt, node, name, &len);

	if (!p)
		return 0;
	if (len == 0 || len % stride)
		return desc_fail(c, "'%s' must hold (address, size) pairs of %d + %d cells", name,
				 c->acells, c->scells);
	if (len / stride > max)
		return desc_fail(c, "'%s' has %d ranges, at most %d allowed", name, len / stride,
				 max);
	for (int i = 0; i < len / stride; i++) {
		addr[i] = be_cells(p + i * stride, c->acells);
		size[i] = be_cells(p + i * stride + 4 * c->acells, c->scells);
	}
	return len / stride;
}

static int desc_vm_name(struct desc_ctx *c, int node, struct vm_config *cfg)
{
	const char *name = fdt_get_name(c->fdt, node, NULL);
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len >= VM_NAME_MAX)
		return desc_fail(c, "a VM's node name is its name: 1 to %u characters",
				 VM_NAME_MAX - 1);
	for (size_t i = 0; i < len; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
			return desc_fail(c, "VM name '%s': use letters, digits, '-', '_' and '.'",
					 name);
	}
	cfg->name = name;
	return PV_OK;
}

static int desc_cpus(struct desc_ctx *c, int node, struct vm_config *cfg)
{
	int len, ids_len;
	const fdt32_t *cpus = fdt_getprop(c->fdt, node, "cpus", &len);
	const fdt32_t *ids = fdt_getprop(c->fdt, node, "guest-cpu-ids", &ids_len);

	if (!cpus)
		return desc_fail(c, "no 'cpus': list the physical CPU of each vCPU");
	if (len == 0 || len % 4 || len / 4 > VM_MAX_VCPUS)
		return desc_fail(c, "'cpus' must list 1 to %u physical CPUs (32-bit cells)",
				 VM_MAX_VCPUS);
	if (ids && ids_len != len)
		return desc_fail(c,
				 "'guest-cpu-ids' must have one 32-bit cell per entry of 'cpus'");
	cfg->nvcpus = (unsigned)len / 4;
	for (unsigned i = 0; i < cfg->nvcpus; i++) {
		cfg->pcpu[i] = fdt32_to_cpu(cpus[i]);
		cfg->guest_cpu_id[i] = ids ? fdt32_to_cpu(ids[i]) : i;
	}
	return PV_OK;
}

static int desc_memory(struct desc_ctx *c, int node, struct vm_config *cfg)
{
	uint64_t base[VM_MAX_MEM_REGIONS], size[VM_MAX_MEM_REGIONS];
	int n = desc_pairs(c, node, "memory", base, size, VM_MAX_MEM_REGIONS);

	if (n < 0)
		return n;
	if (n == 0)
		return desc_fail(c, "no 'memory': give the guest RAM as (address, size) pairs");
	cfg->nmem = (unsigned)n;
	for (int i = 0; i < n; i++)
		cfg->mem[i] = (struct vm_mem_config){ gpa(base[i]), size[i] };
	return PV_OK;
}

static int desc_policy(struct desc_ctx *c, int node, struct vm_config *cfg)
{
	int bad = 0;
	const char *policy = desc_string(c, node, "fault-policy", &bad);

	if (bad)
		return bad;
	if (!policy || strcmp(policy, "inject") == 0)
		cfg->stop_on_bad_access = false;
	else if (strcmp(policy, "stop") == 0)
		cfg->stop_on_bad_access = true;
	else
		return desc_fail(c, "'fault-policy' is \"inject\" or \"stop\", not \"%s\"", policy);
	policy = desc_string(c, node, "on-reset", &bad);
	if (bad)
		return bad;
	if (!policy || strcmp(policy, "restart") == 0)
		cfg->stop_on_reset = false;
	else if (strcmp(policy, "stop") == 0)
		cfg->stop_on_reset = true;
	else
		return desc_fail(c, "'on-reset' is \"restart\" or \"stop\", not \"%s\"", policy);
	cfg->shared_cpus = fdt_getprop(c->fdt, node, "shared-cpus", NULL) != NULL;
	cfg->identity_ram = fdt_getprop(c->fdt, node, "identity-ram", NULL) != NULL;
	policy = desc_string(c, node, "unclaimed-ports", &bad);
	if (bad)
		return bad;
	if (!policy || strcmp(policy, "fault") == 0)
		cfg->float_ports = false;
	else if (strcmp(policy, "float") == 0)
		cfg->float_ports = true;
	else
		return desc_fail(c, "'unclaimed-ports' is \"fault\" or \"float\", not \"%s\"",
				 policy);
	return PV_OK;
}

/* Where an image's bytes are: embedded ("pv,data" in the package, or "file" at build time) or
 * placed by the firmware ("host-address" and "size"). */
int desc_image_bytes(struct desc_ctx *c, int node, bool own, struct vm_image_config *img)
{
	int len, bad = 0;
	const uint8_t *data = fdt_getprop(c->fdt, node, VM_DESC_DATA_PROP, &len);
	const char *file = desc_string(c, node, "file", &bad);
	uint64_t host = 0, size = 0;
	bool has_host = desc_u64(c, node, "host-address", &host) == PV_OK;
	bool has_size = desc_u64(c, node, "size", &size) == PV_OK;

	if (bad || c->err->msg[0])
		return -PV_EINVAL;
	if (!!file + has_host != 1)
		return desc_fail(c, "give the image's 'file' or its 'host-address', not %s",
				 file ? "both" : "neither");
	if (has_host) {
		if (!has_size || size == 0)
			return desc_fail(c, "an image at 'host-address' needs its 'size'");
		if (host + size < host)
			return desc_fail(c, "'host-address' + 'size' wraps around");
		img->firmware = true;
		img->host_addr = hpa(host);
		img->size = size;
		img->data = c->src->host_readable ? (const void *)(uintptr_t)host : NULL;
		return PV_OK;
	}
	if (has_size)
		return desc_fail(c, "'size' belongs to 'host-address' images; a file has its own");
	if (data) {
		uint64_t off, n;
		if (len != 16)
			return desc_fail(c, "'%s' is broken (repack the description)",
					 VM_DESC_DATA_PROP);
		off = be_cells(data, 2);
		n = be_cells(data + 8, 2);
		if (!c->src->pkg || off > c->src->pkg_size || n > c->src->pkg_size - off)
			return desc_fail(c, "embedded '%s' lies outside the package", file);
		img->data = (const uint8_t *)c->src->pkg + off;
		img->size = n;
	} else if (c->src->file) {
		char why[256] = "";
		if (c->src->file(c->src->ctx, file, own, &img->data, &img->size, why, sizeof(why)))
			return desc_fail(c, "file \"%s\": %s", file, why);
	} else {
		return desc_fail(c, "file \"%s\" was not embedded when the image was built", file);
	}
	if (img->size == 0)
		return desc_fail(c, "file \"%s\" is empty", file);
	return PV_OK;
}

static int desc_boot_format(struct desc_ctx *c, int node, struct vm_config *cfg)
{
	int bad = 0;
	const char *format = desc_string(c, node, "format", &bad);

	if (bad)
		return bad;
	if (!format)
		return desc_fail(c, "no 'format': \"linux\", \"elf\" or \"raw\"");
	if (strcmp(format, "linux") == 0)
		cfg->format = VM_BOOT_LINUX;
	else if (strcmp(format, "elf") == 0)
		cfg->format = VM_BOOT_ELF;
	else if (strcmp(format, "raw") == 0)
		cfg->format = VM_BOOT_RAW;
	else
		return desc_fail(c, "'format' is \"linux\", \"elf\" or \"raw\", not \"%s\"",
				 format);
	cfg->bootargs = desc_string(c, node, "bootargs", &bad);
	if (bad)
		return bad;
	if (desc_u64(c, node, "entry", &cfg->entry.raw) == PV_OK)
		cfg->has_entry = true;
	if (desc_u64(c, node, "boot-arg", &cfg->boot_arg) == PV_OK)
		cfg->has_boot_arg = true;
	if (cfg->format == VM_BOOT_LINUX && (cfg->has_entry || cfg->has_boot_arg))
		return desc_fail(c, "a Linux kernel's entry and argument follow its boot protocol: "
				    "drop 'entry' and 'boot-arg'");
	return PV_OK;
}

static const char *const desc_image_props[] = { "file",		"host-address",	   "size",
						"load-address", VM_DESC_DATA_PROP, NULL };
static const char *const desc_kernel_props[] = {
	"file",	  "host-address", "size",     "load-address", VM_DESC_DATA_PROP,
	"format", "entry",	  "boot-arg", "bootargs",     NULL
};

static const char *const desc_fdt_load_props[] = { "load-address", NULL };

/* dtb { load-address = <a>; }: the device tree the hypervisor generates goes to a, as boot loaders
 * that look for it at a fixed address (U-Boot for QEMU) want it. */
static int desc_fdt_load(struct desc_ctx *c, int node, struct vm_config *cfg)
{
	int err = desc_only_props(c, node, desc_fdt_load_props);

	if (err)
		return err;
	if (desc_u64(c, node, "load-address", &cfg->fdt_load.raw) != PV_OK)
		return c->err->msg[0] ? -PV_EINVAL
				      : desc_fail(c, "give the device tree's 'file' or its "
						     "'host-address', or the 'load-address' of "
						     "the generated one");
	cfg->has_fdt_load = true;
	return PV_OK;
}

static int desc_image(struct desc_ctx *c, int node, const char *name, struct vm_config *cfg)
{
	struct vm_image_config *img;
	enum vm_image_role role;
	int err;

	if (strcmp(name, "kernel") == 0)
		role = VM_IMAGE_KERNEL;
	else if (strcmp(name, "initrd") == 0)
		role = VM_IMAGE_INITRD;
	else if (strcmp(name, "dtb") == 0)
		role = VM_IMAGE_DTB;
	else
		role = VM_IMAGE_BLOB;
	/* A 'dtb' with no bytes of its own places the generated device tree. */
	if (role == VM_IMAGE_DTB && !fdt_getprop(c->fdt, node, "file", NULL) &&
	    !fdt_getprop(c->fdt, node, "host-address", NULL) &&
	    !fdt_getprop(c->fdt, node, VM_DESC_DATA_PROP, NULL))
		return desc_fdt_load(c, node, cfg);
	if (cfg->nimages >= VM_MAX_IMAGES)
		return desc_fail(c, "at most %u images per VM", VM_MAX_IMAGES);
	err = desc_only_props(c, node,
			      role == VM_IMAGE_KERNEL ? desc_kernel_props : desc_image_props);
	if (err)
		return err;
	img = &cfg->images[cfg->nimages];
	*img = (struct vm_image_config){ .role = role, .node = name };
	err = desc_image_bytes(c, node, false, img);
	if (err)
		return err;
	if (desc_u64(c, node, "load-address", &img->load.raw) == PV_OK)
		img->has_load = true;
	if (role == VM_IMAGE_BLOB && !img->has_load)
		return desc_fail(c, "a blob needs its 'load-address'");
	if (role == VM_IMAGE_KERNEL) {
		err = desc_boot_format(c, node, cfg);
		if (err)
			return err;
	}
	if (c->err->msg[0])
		return -PV_EINVAL;
	cfg->nimages++;
	return PV_OK;
}

static const char *const desc_vm_props[] = { "compatible",  "cpus",	    "guest-cpu-ids",
					     "memory",	    "fault-policy", "on-reset",
					     "shared-cpus", "identity-ram", "unclaimed-ports",
					     NULL };

int vm_desc_check_header(const void *fdt, uint64_t size, struct vm_err *err)
{
	int len;
	const char *compat;

	if (size < sizeof(struct fdt_header) || fdt_check_header(fdt) != 0)
		return vm_err_set(err, "/", "not a compiled device tree (run it through dtc)");
	if (fdt_totalsize(fdt) > size)
		return vm_err_set(err, "/", "truncated: %u bytes of %llu", fdt_totalsize(fdt),
				  (unsigned long long)size);
	if (fdt_off_dt_struct(fdt) % 4 || fdt_off_dt_strings(fdt) > fdt_totalsize(fdt))
		return vm_err_set(err, "/", "malformed device tree blob");
	compat = fdt_getprop(fdt, 0, "compatible", &len);
	if (!compat || !pv_strlist_contains(compat, len, VM_DESC_COMPATIBLE))
		return vm_err_set(err, "/", "the root needs compatible = \"%s\"",
				  VM_DESC_COMPATIBLE);
	return PV_OK;
}

int vm_desc_next_vm(const void *fdt, int prev)
{
	int node = prev < 0 ? fdt_first_subnode(fdt, 0) : fdt_next_subnode(fdt, prev);

	/* Not fdt_node_check_compatible: libfdt reads one byte past an unterminated value. */
	for (; node >= 0; node = fdt_next_subnode(fdt, node)) {
		int len;
		const char *compat = fdt_getprop(fdt, node, "compatible", &len);

		if (compat && pv_strlist_contains(compat, len, VM_DESC_VM_COMPATIBLE))
			return node;
	}
	return -1;
}

static int desc_cells(struct desc_ctx *c)
{
	c->acells = fdt_address_cells(c->fdt, 0);
	c->scells = fdt_size_cells(c->fdt, 0);
	if (!fdt_getprop(c->fdt, 0, "#address-cells", NULL))
		c->acells = 2;
	if (!fdt_getprop(c->fdt, 0, "#size-cells", NULL))
		c->scells = 2;
	if (c->acells < 1 || c->acells > 2 || c->scells < 1 || c->scells > 2)
		return desc_fail(c, "#address-cells and #size-cells must be 1 or 2");
	return PV_OK;
}

int vm_desc_parse_vm(const void *fdt, int node, const struct vm_desc_source *src,
		     struct vm_config *cfg, struct vm_err *err)
{
	struct vm_err local = { 0 };
	struct desc_ctx c = { .fdt = fdt, .src = src, .err = err ? err : &local };
	struct vm_layout layout;
	int child, rc;

	memset(cfg, 0, sizeof(*cfg));
	err = c.err;
	err->where[0] = err->msg[0] = '\0';
	desc_enter(&c, 0);
	rc = desc_cells(&c);
	if (rc)
		return rc;
	desc_enter(&c, node);
	rc = desc_vm_name(&c, node, cfg);
	if (!rc)
		rc = desc_only_props(&c, node, desc_vm_props);
	if (!rc)
		rc = desc_cpus(&c, node, cfg);
	if (!rc)
		rc = desc_memory(&c, node, cfg);
	if (!rc)
		rc = desc_policy(&c, node, cfg);
	if (rc)
		return rc;
	fdt_for_each_subnode (child, fdt, node) {
		const char *name = fdt_get_name(fdt, child, NULL);
		bool image = name && (strcmp(name, "kernel") == 0 || strcmp(name, "initrd") == 0 ||
				      strcmp(name, "dtb") == 0 || strncmp(name, "blob", 4) == 0);

		desc_enter(&c, child);
		if (desc_is_pt(name)) {
			rc = desc_passthrough(&c, child, name, cfg);
			if (rc)
				return rc;
			continue;
		}
		if (fdt_first_subnode(fdt, child) >= 0)
			return desc_fail(&c, "has child nodes; VM descriptions nest two levels");
		if (fdt_getprop(fdt, child, "compatible", NULL))
			rc = desc_device(&c, child, name, cfg);
		else if (image)
			rc = desc_image(&c, child, name, cfg);
		else
			rc = desc_fail(&c, "unknown node: images are kernel, initrd, dtb and "
					   "blob@<n>; devices have a 'compatible'; passed-through "
					   "devices are passthrough@<n>");
		if (rc)
			return rc;
	}
	desc_enter(&c, node);
	rc = vm_config_check(cfg, err);
	if (!rc)
		rc = vm_layout_compute(cfg, &layout, err);
	/* The checks name the VM; a description's reader wants its node. */
	if (rc && fdt_get_path(fdt, node, err->where, (int)sizeof(err->where)))
		err->where[0] = '\0';
	return rc;
}
