// SPDX-License-Identifier: MIT
/* pv-vmdesc: reading a description and the files its images name. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "vmdesc.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vmdesc_report(const struct vmdesc *d, const struct vm_err *err)
{
	fprintf(stderr, "%s: %s: %s\n", d->opts.source, err->where[0] ? err->where : "/", err->msg);
}

int vmdesc_write(const char *path, const void *data, uint64_t size)
{
	FILE *f = fopen(path, "wb");
	int rc = f && fwrite(data, 1, (size_t)size, f) == size ? 0 : -1;

	if (f && fclose(f))
		rc = -1;
	if (rc)
		fprintf(stderr, "pv-vmdesc: cannot write %s: %s\n", path, strerror(errno));
	return rc;
}

/* Reads @path whole; NULL with errno set when it cannot. */
static uint8_t *read_whole(const char *path, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(len ? (size_t)len : 1);
		if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
			free(buf);
			buf = NULL;
			errno = EIO;
		}
		*size = (uint64_t)len;
	}
	fclose(f);
	return buf;
}

/* vm_desc_source.file: finds @name in the search directories (or as given, if absolute). */
static int resolve_file(void *ctx, const char *name, bool own, const void **data, uint64_t *size,
			char *why, size_t why_len)
{
	struct vmdesc *d = ctx;
	struct vmdesc_file *f;
	char path[4096];

	for (unsigned i = 0; i < d->nfiles && !own; i++)
		if (!d->files[i].own && strcmp(d->files[i].name, name) == 0) {
			*data = d->files[i].data;
			*size = d->files[i].size;
			return 0;
		}
	if (d->nfiles >= VMDESC_MAX_FILES) {
		snprintf(why, why_len, "too many files");
		return -PV_ENOMEM;
	}
	f = &d->files[d->nfiles];
	f->data = NULL;
	for (unsigned i = 0; !f->data && i < (name[0] == '/' ? 1 : d->opts.ndirs); i++) {
		if (name[0] == '/')
			snprintf(path, sizeof(path), "%s", name);
		else
			snprintf(path, sizeof(path), "%s/%s", d->opts.dirs[i], name);
		f->data = read_whole(path, &f->size);
		if (!f->data && errno != ENOENT) {
			snprintf(why, why_len, "%s: %s", path, strerror(errno));
			return -PV_ENOENT;
		}
	}
	if (!f->data) {
		size_t len = (size_t)snprintf(why, why_len, "not found (searched:");
		for (unsigned i = 0; i < d->opts.ndirs && len < why_len; i++)
			len += (size_t)snprintf(why + len, why_len - len, " %s", d->opts.dirs[i]);
		if (len < why_len)
			snprintf(why + len, why_len - len, ")");
		return -PV_ENOENT;
	}
	f->name = strdup(name);
	f->path = strdup(path);
	f->own = own;
	d->nfiles++;
	*data = f->data;
	*size = f->size;
	return 0;
}

int vmdesc_load(struct vmdesc *d)
{
	struct vm_desc_source src = { .file = resolve_file, .ctx = d };
	struct vm_err err;
	int node = -1, bad = 0;

	d->fdt = read_whole(d->opts.input, &d->fdt_size);
	if (!d->fdt) {
		fprintf(stderr, "pv-vmdesc: cannot read %s: %s\n", d->opts.input, strerror(errno));
		return 1;
	}
	src.pkg = d->fdt;
	src.pkg_size = d->fdt_size;
	if (vm_desc_check_header(d->fdt, d->fdt_size, &err)) {
		vmdesc_report(d, &err);
		return 1;
	}
	while ((node = vm_desc_next_vm(d->fdt, node)) >= 0) {
		const struct vm_config *all[VM_DESC_MAX_VMS];

		if (d->nvms >= VM_DESC_MAX_VMS) {
			fprintf(stderr, "%s: more than %u VMs\n", d->opts.source, VM_DESC_MAX_VMS);
			return 1;
		}
		if (vm_desc_parse_vm(d->fdt, node, &src, &d->cfgs[d->nvms], &err)) {
			vmdesc_report(d, &err);
			bad = 1;
			continue;
		}
		d->nodes[d->nvms] = node;
		for (unsigned i = 0; i <= d->nvms; i++)
			all[i] = &d->cfgs[i];
		if (vm_desc_check_all(all, d->nvms + 1, &err)) {
			vmdesc_report(d, &err);
			bad = 1;
		}
		d->nvms++;
	}
	if (!bad && d->nvms == 0) {
		fprintf(stderr, "%s: no VM (a VM is a node with compatible = \"%s\")\n",
			d->opts.source, VM_DESC_VM_COMPATIBLE);
		bad = 1;
	}
	return bad;
}
