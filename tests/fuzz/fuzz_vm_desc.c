// SPDX-License-Identifier: MIT
/*
 * VM descriptions (vm/vm_desc.c) as the hypervisor reads them at boot: the input is a package (a
 * compiled description with its embedded images after it), read with arch/aarch64's description
 * side (Linux boot protocol, GIC, PSCI and timer nodes) on the fake backend. A refused VM must say
 * why; an accepted one must be sound all the way to its guest: its configuration passes the
 * whole-VM check again, its strings and embedded images lie inside the package, its images are
 * placed inside its RAM without overlapping, its generated device tree is well formed and gives
 * back its RAM and command line, and, created and loaded on the fake backend, its RAM holds
 * exactly its images' bytes (ELF segments at their addresses) and the boot vCPU starts where the
 * layout says. Every frame comes back when the VM is destroyed.
 */
#include "fuzz_vm.h"

#include <hal/boot.h>
#include <libfdt.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_config.h>
#include <vm/vm_desc.h>
#include <vm/vm_elf.h>
#include <vm/vm_fdt.h>

#define MAX_PACKAGE (4u << 20)

static const uint8_t *pkg;
static size_t pkg_size;

static bool in_pkg(const void *p, uint64_t len)
{
	const uint8_t *b = p;

	return b >= pkg && b <= pkg + pkg_size && len <= (uint64_t)(pkg + pkg_size - b);
}

static void check_string(const char *what, const char *s)
{
	FZ_CHECK(!s || (in_pkg(s, 1) &&
			memchr(s, '\0', (size_t)(pkg + pkg_size - (const uint8_t *)s))),
		 "%s does not point into the package", what);
}

static void check_err(const struct vm_err *err)
{
	FZ_CHECK(memchr(err->where, '\0', sizeof(err->where)) &&
			 memchr(err->msg, '\0', sizeof(err->msg)),
		 "unterminated error message");
}

/* Every tag of @fdt readable, nodes balanced, every property's name and value inside the blob
 * (libfdt's fdt_check_full, which the kernel's copy of libfdt lacks). */
static void check_structure(const void *fdt)
{
	int depth = 0, offset = 0, next = 0;
	uint32_t tag;

	FZ_CHECK(fdt_check_header(fdt) == 0 && fdt_totalsize(fdt) <= VM_FDT_MAX, "bad header");
	do {
		tag = fdt_next_tag(fdt, offset, &next);
		FZ_CHECK(next >= 0, "unreadable tag at %d", offset);
		if (tag == FDT_BEGIN_NODE) {
			depth++;
		} else if (tag == FDT_END_NODE) {
			FZ_CHECK(--depth >= 0, "unbalanced nodes");
		} else if (tag == FDT_PROP) {
			const char *name;
			int len;

			FZ_CHECK(fdt_getprop_by_offset(fdt, offset, &name, &len) && name,
				 "unreadable property at %d", offset);
		}
		offset = next;
	} while (tag != FDT_END);
	FZ_CHECK(depth == 0, "%d nodes left open", depth);
}

/* The generated device tree: well formed, its RAM and command line the VM's. */
static void check_fdt(const struct vm_config *cfg, const struct vm_layout *l, void *fdt)
{
	struct boot_info bi;
	unsigned n = 0;
	int chosen, len;
	const char *args;

	check_structure(fdt);
	memset(&bi, 0, sizeof(bi));
	FZ_CHECK(boot_fdt_memory(fdt, &bi) == PV_OK, "generated device tree unreadable");
	/* One memory node per region, in any order (libfdt adds a node before its siblings). */
	for (unsigned i = 0; i < cfg->nmem; i++)
		for (unsigned j = 0; j < bi.nmem; j++)
			n += bi.mem[j].base.raw == cfg->mem[i].gpa.raw &&
			     bi.mem[j].size == cfg->mem[i].size;
	FZ_CHECK(n == cfg->nmem && bi.nmem == cfg->nmem && bi.nreserved == 1,
		 "device tree has %u RAM ranges (%u of the VM's), %u reserved", bi.nmem, n,
		 bi.nreserved);
	chosen = fdt_path_offset(fdt, "/chosen");
	args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", &len) : NULL;
	FZ_CHECK(!cfg->bootargs == !args && (!args || strcmp(args, cfg->bootargs) == 0),
		 "bootargs differ");
	FZ_CHECK(!l->has_initrd ||
			 (chosen >= 0 && fdt_getprop(fdt, chosen, "linux,initrd-start", NULL)),
		 "initrd not announced");
}

static void check_guest_bytes(struct vm *vm, gpa_t at, const void *want, uint64_t len,
			      const char *what)
{
	static uint8_t got[64 << 10];

	for (uint64_t done = 0; done < len;) {
		uint64_t n = len - done < sizeof(got) ? len - done : sizeof(got);

		FZ_CHECK(vm_read_guest(vm, gpa(at.raw + done), got, n) == PV_OK, "%s unreadable",
			 what);
		FZ_CHECK(memcmp(got, (const uint8_t *)want + done, n) == 0,
			 "%s: guest RAM at 0x%llx differs from its image", what,
			 (unsigned long long)(at.raw + done));
		done += n;
	}
}

/* Created and loaded on the fake backend: guest RAM holds what the layout says. */
static void check_load(const struct vm_config *cfg, const struct vm_layout *l, const void *fdt)
{
	static struct vm vm;
	int err;

	for (unsigned i = 0; i < cfg->nimages; i++)
		if (cfg->images[i].firmware)
			return; /* their bytes are at a host address only the hypervisor reads */
	fzv_reset();
	err = vm_create(&vm, 0, cfg, &fzv_pool);
	if (err) {
		/* RAM beyond the pool or the fake stage-2 format's reach. */
		FZ_CHECK(err == -PV_ENOMEM || err == -PV_EINVAL, "vm_create: %d", err);
		FZ_CHECK(fzv_pool.nfree == fzv_pool.nframes, "a failed vm_create kept frames");
		return;
	}
	err = vm_load(&vm);
	FZ_CHECK(err == PV_OK || err == -PV_ENOMEM, "vm_load: %d\n%s", err, fake_hw.log);
	if (err == PV_OK) {
		struct fake_vcpu *boot = fake_vcpu(&vm.vcpus[0]);

		FZ_CHECK(boot->entry.raw == l->entry.raw && boot->entry_arg == l->boot_arg,
			 "boot vCPU entry 0x%llx arg 0x%llx, layout 0x%llx 0x%llx",
			 (unsigned long long)boot->entry.raw, (unsigned long long)boot->entry_arg,
			 (unsigned long long)l->entry.raw, (unsigned long long)l->boot_arg);
		for (unsigned i = 0; i < l->nplaced; i++) {
			const struct vm_placed *p = &l->placed[i];
			struct vm_elf elf;
			char why[96];

			if (!p->img) {
				check_guest_bytes(&vm, p->gpa, fdt, VM_FDT_MAX, "device tree");
			} else if (p->img->role == VM_IMAGE_KERNEL && cfg->format == VM_BOOT_ELF) {
				FZ_CHECK(vm_elf_read(p->img->data, p->img->size,
						     arch_vm_desc.elf_machine, &elf, why,
						     sizeof(why)) == PV_OK,
					 "ELF kernel unreadable at load");
				for (unsigned s = 0; s < elf.nseg; s++)
					check_guest_bytes(&vm, gpa(elf.seg[s].paddr),
							  (const uint8_t *)p->img->data +
								  elf.seg[s].offset,
							  elf.seg[s].filesz, "ELF segment");
			} else {
				check_guest_bytes(&vm, p->gpa, p->img->data, p->img->size,
						  p->img->node);
			}
		}
	}
	fzv_finish(&vm);
}

static void check_vm(const struct vm_config *cfg)
{
	static uint8_t fdt[VM_FDT_MAX];
	struct vm_layout l;
	struct vm_err err;
	int rc;

	rc = vm_config_check(cfg, &err);
	FZ_CHECK(rc == PV_OK, "accepted, then refused by vm_config_check: %s", err.msg);
	check_string("name", cfg->name);
	check_string("bootargs", cfg->bootargs);
	for (unsigned i = 0; i < cfg->nimages; i++) {
		const struct vm_image_config *img = &cfg->images[i];

		check_string("image node", img->node);
		FZ_CHECK(img->firmware ? !img->data : in_pkg(img->data, img->size),
			 "image %s's bytes lie outside the package", img->node);
	}
	for (unsigned i = 0; i < cfg->ndevs; i++)
		check_string("device node", cfg->devs[i].node);
	rc = vm_layout_compute(cfg, &l, &err);
	FZ_CHECK(rc == PV_OK, "accepted, then no layout: %s", err.msg);
	for (unsigned i = 0; i < l.nplaced; i++) {
		const struct vm_placed *p = &l.placed[i];

		FZ_CHECK(vm_config_in_ram(cfg, p->gpa.raw, p->span),
			 "image %u (0x%llx+0x%llx) outside RAM", i, (unsigned long long)p->gpa.raw,
			 (unsigned long long)p->span);
		FZ_CHECK(!p->img || p->span >= p->img->size || cfg->format == VM_BOOT_ELF,
			 "image %u placed smaller than its bytes", i);
		for (unsigned j = 0; j < i; j++)
			FZ_CHECK(p->gpa.raw + p->span <= l.placed[j].gpa.raw ||
					 l.placed[j].gpa.raw + l.placed[j].span <= p->gpa.raw,
				 "images %u and %u overlap", j, i);
	}
	if (l.fdt_generated) {
		rc = vm_fdt_build(cfg, &l, fdt, sizeof(fdt), &err);
		FZ_CHECK(rc == PV_OK, "accepted, then no device tree: %s", err.msg);
		check_fdt(cfg, &l, fdt);
	}
	check_load(cfg, &l, fdt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_config cfgs[VM_DESC_MAX_VMS];
	const struct vm_config *good[VM_DESC_MAX_VMS];
	struct vm_desc_source src;
	struct vm_err err;
	unsigned ngood = 0, seen = 0;
	uint8_t *buf;
	int node;

	if (size > MAX_PACKAGE)
		return 0;
	fzv_reset();
	buf = malloc(size ? size : 1);
	FZ_CHECK(buf, "no memory");
	memcpy(buf, data, size);
	pkg = buf;
	pkg_size = size;
	memset(&err, 0, sizeof(err));
	if (vm_desc_check_header(buf, size, &err) != PV_OK) {
		check_err(&err);
		free(buf);
		return 0;
	}
	src = (struct vm_desc_source){ .pkg = buf, .pkg_size = size };
	for (node = vm_desc_next_vm(buf, -1); node >= 0 && seen < 4 * VM_DESC_MAX_VMS;
	     node = vm_desc_next_vm(buf, node), seen++) {
		struct vm_config *cfg = &cfgs[ngood < VM_DESC_MAX_VMS ? ngood : 0];
		int rc = vm_desc_parse_vm(buf, node, &src, cfg, &err);

		check_err(&err);
		if (rc) {
			FZ_CHECK(rc == -PV_EINVAL && err.msg[0], "refused (%d) without a message",
				 rc);
			continue;
		}
		check_vm(cfg);
		if (ngood < VM_DESC_MAX_VMS) {
			good[ngood] = cfg;
			ngood++;
		}
	}
	(void)vm_desc_check_all(good, ngood, &err);
	check_err(&err);
	free(buf);
	return 0;
}
