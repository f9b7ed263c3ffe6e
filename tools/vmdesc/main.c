// SPDX-License-Identifier: MIT
/*
 * pv-vmdesc: the build-time side of VM descriptions. It links the hypervisor's own description
 * reader, configuration checks, image placement and device-tree generator, compiled for the host
 * with the image's configuration, so what it accepts the hypervisor reads the same way.
 *
 *   pv-vmdesc check <desc.dtb> [options]          check every VM, files included
 *   pv-vmdesc pack <desc.dtb> -o <pkg> [options]  check, then embed the files: the package
 *   pv-vmdesc dtb <desc.dtb|pkg> <vm> -o <out> [-H <host.dtb>]
 *                                                 the device tree VM <vm> would be given; its
 *                                                 passed-through devices' nodes named by
 *                                                 host-node are copied from <host.dtb>, the
 *                                                 machine's own tree (e.g. QEMU's dumpdtb)
 *   pv-vmdesc show <desc.dtb|pkg> [options]       each VM's layout, as the hypervisor loads it
 * options: -I <dir> (search directory for "file" images, in order), -s <name> (the source file to
 * name in messages), -M <depfile> (pack: make-style dependencies of the package).
 */
#include "vmdesc.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vm/vm_desc.h>
#include <vm/vm_fdt.h>
#include <vm/vm_layout.h>

static void usage(void)
{
	fprintf(stderr, "usage: pv-vmdesc check|pack|dtb|show <desc.dtb> [vm] [-o out] [-I dir]... "
			"[-s source] [-M depfile] [-H host.dtb]\n");
	exit(2);
}

static int parse_args(int argc, char **argv, struct vmdesc_opts *o)
{
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		bool has_value = i + 1 < argc;

		if (strcmp(a, "-I") == 0 && has_value) {
			if (o->ndirs >= VMDESC_MAX_DIRS)
				return -1;
			o->dirs[o->ndirs++] = argv[++i];
		} else if (strcmp(a, "-o") == 0 && has_value) {
			o->out = argv[++i];
		} else if (strcmp(a, "-s") == 0 && has_value) {
			o->source = argv[++i];
		} else if (strcmp(a, "-M") == 0 && has_value) {
			o->depfile = argv[++i];
		} else if (strcmp(a, "-H") == 0 && has_value) {
			o->host_dtb = argv[++i];
		} else if (a[0] == '-') {
			return -1;
		} else if (!o->input) {
			o->input = a;
		} else if (!o->vm) {
			o->vm = a;
		} else {
			return -1;
		}
	}
	return o->input ? 0 : -1;
}

/* The machine's device tree -H names, read whole; NULL (with a message) when it cannot be. */
static void *read_host_dtb(const char *path)
{
	static uint8_t buf[1 << 20];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;

	if (f)
		fclose(f);
	if (!f || n < sizeof(struct fdt_header) || fdt_check_header(buf) ||
	    fdt_totalsize(buf) > n) {
		fprintf(stderr, "%s: not a readable device tree blob\n", path);
		return NULL;
	}
	return buf;
}

static int cmd_dtb(struct vmdesc *d, const char *vm, const char *out)
{
	static uint8_t buf[VM_FDT_MAX];
	struct vm_layout layout;
	struct vm_err err;
	const void *host = NULL;

	if (d->opts.host_dtb && !(host = read_host_dtb(d->opts.host_dtb)))
		return 1;
	for (unsigned i = 0; i < d->nvms; i++) {
		if (strcmp(d->cfgs[i].name, vm) != 0)
			continue;
		d->cfgs[i].host_fdt = host;
		for (unsigned p = 0; !host && p < d->cfgs[i].npt; p++)
			if (d->cfgs[i].pt[p].host_node)
				fprintf(stderr,
					"%s: %s: no node for %s: give the machine's tree with -H\n",
					d->opts.source, d->cfgs[i].pt[p].node,
					d->cfgs[i].pt[p].host_node);
		if (vm_layout_compute(&d->cfgs[i], &layout, &err) ||
		    vm_fdt_build(&d->cfgs[i], &layout, buf, sizeof(buf), &err)) {
			vmdesc_report(d, &err);
			return 1;
		}
		return vmdesc_write(out, buf, fdt_totalsize(buf)) ? 1 : 0;
	}
	fprintf(stderr, "%s: no VM named '%s'\n", d->opts.source, vm);
	return 1;
}

static void cmd_show(struct vmdesc *d)
{
	for (unsigned i = 0; i < d->nvms; i++) {
		const struct vm_config *c = &d->cfgs[i];
		struct vm_layout l;

		if (vm_layout_compute(c, &l, NULL))
			continue;
		printf("vm %s: %u vCPU(s) on CPU", c->name, c->nvcpus);
		for (unsigned v = 0; v < c->nvcpus; v++)
			printf("%s%u", v ? "," : " ", c->pcpu[v]);
		printf("; entry 0x%llx, argument%s 0x%llx", (unsigned long long)l.entry.raw,
		       l.nboot_args > 1 ? "s" : "", (unsigned long long)l.boot_arg);
		for (unsigned a = 1; a < l.nboot_args; a++)
			printf(", 0x%llx", (unsigned long long)l.boot_args_more[a - 1]);
		printf("\n");
		if (c->bootargs)
			printf("  bootargs  %s\n", c->bootargs);
		for (unsigned m = 0; m < c->nmem; m++)
			printf("  ram       0x%llx-0x%llx\n", (unsigned long long)c->mem[m].gpa.raw,
			       (unsigned long long)(c->mem[m].gpa.raw + c->mem[m].size - 1));
		for (unsigned p = 0; p < l.nplaced; p++)
			printf("  %-9s 0x%llx-0x%llx\n",
			       l.placed[p].img	       ? l.placed[p].img->node
			       : l.placed[p].boot_info ? "bootinfo"
						       : "devicetree",
			       (unsigned long long)l.placed[p].gpa.raw,
			       (unsigned long long)(l.placed[p].gpa.raw + l.placed[p].span - 1));
		for (unsigned v = 0; v < c->ndevs; v++)
			printf("  device    %s (%s) at 0x%llx\n", c->devs[v].node,
			       c->devs[v].model->compatible, (unsigned long long)c->devs[v].base);
		if (c->identity_ram)
			printf("  identity  RAM at guest-physical = host-physical: not isolated "
			       "from "
			       "DMA\n");
		for (unsigned p = 0; p < c->npt; p++) {
			const struct vm_pt_config *pt = &c->pt[p];

			for (unsigned r = 0; r < pt->nregs; r++)
				printf("  passthru  %s: host 0x%llx-0x%llx at 0x%llx\n", pt->node,
				       (unsigned long long)pt->regs[r].hpa.raw,
				       (unsigned long long)(pt->regs[r].hpa.raw + pt->regs[r].size -
							    1),
				       (unsigned long long)pt->regs[r].gpa.raw);
			for (unsigned q = 0; q < pt->nirqs; q++)
				printf("  passthru  %s: physical line %u as line %u\n", pt->node,
				       pt->irqs[q].host, pt->irqs[q].guest);
		}
	}
}

int main(int argc, char **argv)
{
	struct vmdesc d = { 0 };
	const char *cmd;
	int rc;

	if (argc < 3 || parse_args(argc, argv, &d.opts))
		usage();
	cmd = argv[1];
	if (!d.opts.source)
		d.opts.source = d.opts.input;
	if (vmdesc_load(&d))
		return 1;
	if (strcmp(cmd, "check") == 0)
		return 0;
	if (strcmp(cmd, "show") == 0) {
		cmd_show(&d);
		return 0;
	}
	if (strcmp(cmd, "pack") == 0) {
		if (!d.opts.out)
			usage();
		rc = vmdesc_pack(&d);
		return rc ? 1 : 0;
	}
	if (strcmp(cmd, "dtb") == 0) {
		if (!d.opts.vm || !d.opts.out)
			usage();
		return cmd_dtb(&d, d.opts.vm, d.opts.out);
	}
	usage();
	return 2;
}
