// SPDX-License-Identifier: MIT
/*
 * The PVH boot protocol (x86_boot.h), which Linux, FreeBSD and others implement: the kernel is an
 * ELF executable naming a 32-bit entry point in a XEN_ELFNOTE_PHYS32_ENTRY note; it is entered in
 * 32-bit protected mode, paging off, with EBX = the guest-physical address of an hvm_start_info
 * structure (memory map, command line, modules, RSDP). Every note field is checked against the
 * file: the image comes from a user's description.
 */
#include <pv/fmt.h>
#include <string.h>

#include "x86_boot.h"

#define ELF_PT_NOTE 4
#define ELF_PHDR    56

static uint64_t align4(uint64_t v)
{
	return (v + 3u) & ~3ULL;
}

/* Looks for the PVH note in the notes of [off, off + len), inside the file. */
static int notes_find(const uint8_t *f, uint64_t off, uint64_t len, uint64_t *entry)
{
	while (len >= 12) {
		uint64_t namesz = x86_get(f + off, 4), descsz = x86_get(f + off + 4, 4);
		uint64_t type = x86_get(f + off + 8, 4);
		uint64_t name = off + 12, desc = name + align4(namesz), next;

		if (align4(namesz) > len - 12 || align4(descsz) > len - 12 - align4(namesz))
			return -PV_EINVAL;
		next = desc + align4(descsz);
		if (type == X86_ELFNOTE_PVH_ENTRY && namesz == 4 &&
		    memcmp(f + name, "Xen", 4) == 0 && (descsz == 4 || descsz == 8)) {
			*entry = x86_get(f + desc, (unsigned)descsz);
			return PV_OK;
		}
		len -= next - off;
		off = next;
	}
	return -PV_ENOENT;
}

int x86_pvh_entry(const void *image, uint64_t size, uint64_t *entry, char *why, size_t why_len)
{
	const uint8_t *f = image;
	uint64_t phoff, phentsize, phnum;
	int rc = -PV_ENOENT;

	/* vm_elf_read checked the header and that the program headers lie inside the file. */
	phoff = x86_get(f + 32, 8);
	phentsize = x86_get(f + 54, 2);
	phnum = x86_get(f + 56, 2);
	for (uint64_t i = 0; i < phnum && rc == -PV_ENOENT; i++) {
		const uint8_t *ph = f + phoff + i * phentsize;
		uint64_t off = x86_get(ph + 8, 8), len = x86_get(ph + 32, 8);

		if (x86_get(ph, 4) != ELF_PT_NOTE)
			continue;
		if (off > size || len > size - off) {
			pv_snprintf(why, why_len, "note segment %u lies outside the file",
				    (unsigned)i);
			return -PV_EINVAL;
		}
		rc = notes_find(f, off, len, entry);
		if (rc == -PV_EINVAL) {
			pv_snprintf(why, why_len, "malformed note in segment %u", (unsigned)i);
			return rc;
		}
	}
	if (rc) {
		pv_snprintf(why, why_len,
			    "no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY): boot the uncompressed "
			    "vmlinux of a kernel built with CONFIG_PVH");
		return -PV_EINVAL;
	}
	if (*entry >= PV_GIB(4)) {
		pv_snprintf(why, why_len, "PVH entry 0x%llx is above 4 GiB",
			    (unsigned long long)*entry);
		return -PV_EINVAL;
	}
	return PV_OK;
}

static void memmap_put(uint8_t *e, uint64_t addr, uint64_t size, uint32_t type)
{
	x86_put(e, 8, addr);
	x86_put(e + 8, 8, size);
	x86_put(e + 16, 4, type);
}

/* The memory map: every RAM region in address order, the block at @at reserved. Returns the number
 * of entries (written when @map is not NULL). */
static unsigned memmap_build(const struct vm_config *cfg, uint64_t at, uint8_t *map)
{
	uint64_t done = 0;
	unsigned n = 0;

	for (unsigned k = 0; k < cfg->nmem; k++) {
		const struct vm_mem_config *m = NULL;

		/* The lowest region above the last one written (regions never overlap). */
		uint64_t base, end;

		for (unsigned i = 0; i < cfg->nmem; i++)
			if ((k == 0 || cfg->mem[i].gpa.raw >= done) &&
			    (!m || cfg->mem[i].gpa.raw < m->gpa.raw))
				m = &cfg->mem[i];
		if (!m)
			break;
		base = m->gpa.raw;
		end = base + m->size;
		done = end;
		if (at >= base && at - base < m->size) {
			uint64_t top = at + X86_INFO_SIZE < end ? at + X86_INFO_SIZE : end;
			if (at > base && map)
				memmap_put(map + X86_PVH_MEMMAP_SIZE * n, base, at - base,
					   X86_E820_RAM);
			n += at > base;
			if (map)
				memmap_put(map + X86_PVH_MEMMAP_SIZE * n, at, top - at,
					   X86_E820_RESERVED);
			n++;
			base = top;
		}
		if (base < end && map)
			memmap_put(map + X86_PVH_MEMMAP_SIZE * n, base, end - base, X86_E820_RAM);
		n += base < end;
	}
	return n;
}

int x86_pvh_info(const struct vm_config *cfg, const struct vm_layout *layout, uint64_t at,
		 uint8_t *buf, char *why, size_t why_len)
{
	const char *cmdline = cfg->bootargs ? cfg->bootargs : "";
	size_t len = strlen(cmdline);
	uint8_t *s = buf + X86_INFO_START;

	if (len >= X86_CMDLINE_MAX) {
		pv_snprintf(why, why_len, "bootargs are %llu bytes; Linux/x86 takes %u at most",
			    (unsigned long long)len, X86_CMDLINE_MAX - 1);
		return -PV_EINVAL;
	}
	if (memmap_build(cfg, at, NULL) > X86_INFO_MEMMAP_MAX || at + X86_INFO_SIZE > PV_GIB(4)) {
		pv_snprintf(why, why_len, "boot information does not fit below 4 GiB");
		return -PV_EINVAL;
	}
	if (!buf)
		return PV_OK;
	x86_put(s, 4, X86_PVH_MAGIC);
	x86_put(s + 4, 4, X86_PVH_VERSION);
	if (layout->has_initrd) {
		x86_put(s + X86_PVH_NR_MODULES, 4, 1);
		x86_put(s + X86_PVH_MODLIST, 8, at + X86_INFO_MODULE);
		x86_put(buf + X86_INFO_MODULE, 8, layout->initrd.raw);
		x86_put(buf + X86_INFO_MODULE + 8, 8, layout->initrd_size);
	}
	x86_put(s + X86_PVH_CMDLINE, 8, at + X86_INFO_CMDLINE);
	memcpy(buf + X86_INFO_CMDLINE, cmdline, len + 1);
	x86_put(s + X86_PVH_MEMMAP, 8, at + X86_INFO_MEMMAP);
	x86_put(s + X86_PVH_MEMMAP_NR, 4, memmap_build(cfg, at, buf + X86_INFO_MEMMAP));
	if (!x86_acpi_build(cfg, at + X86_INFO_ACPI, buf + X86_INFO_ACPI,
			    X86_INFO_SIZE - X86_INFO_ACPI)) {
		pv_snprintf(why, why_len, "the ACPI tables do not fit");
		return -PV_EINVAL;
	}
	x86_put(s + X86_PVH_RSDP, 8, at + X86_INFO_ACPI);
	return PV_OK;
}
