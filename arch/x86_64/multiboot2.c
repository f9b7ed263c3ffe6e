// SPDX-License-Identifier: MIT
/*
 * Reads the multiboot2 boot information (multiboot2.h): the memory map, the command line and the
 * boot modules. The structure is a sequence of 8-byte aligned tags after an 8-byte header and
 * stays where the loader put it (reserved here), since boot_info.cmdline points into it. Every
 * size in it is checked against what is left of the structure, in offsets (no pointer ever goes
 * past its end), so a structure as large as its 32-bit sizes allow is still walked to its end.
 */
#include <hal/hal.h>

#include "multiboot2.h"

enum {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MMAP = 6,
};

#define MB2_MMAP_AVAILABLE 1u

struct mb2_info {
	uint32_t total_size;
	uint32_t reserved;
};

struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

struct mb2_module {
	struct mb2_tag tag;
	uint32_t start;
	uint32_t end;
	char name[];
};

struct mb2_mmap {
	struct mb2_tag tag;
	uint32_t entry_size;
	uint32_t entry_version;
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
};

/* The loader's NUL-terminated string in a tag, or NULL when it is not terminated inside it. */
static const char *tag_string(const struct mb2_tag *tag, size_t offset)
{
	const char *s = (const char *)tag + offset;
	size_t room = tag->size > offset ? tag->size - offset : 0;

	for (size_t i = 0; i < room; i++)
		if (s[i] == '\0')
			return s;
	return NULL;
}

/* Adds usable RAM, dropping what lies beyond the identity map. */
static void add_ram(struct boot_info *bi, uint64_t base, uint64_t len, uint64_t limit)
{
	uint64_t end = base + len;

	if (end < base)
		end = UINT64_MAX;
	if (base >= limit) {
		hal_printf("x86: RAM 0x%llx-0x%llx is above the %llu GiB identity map: not used\n",
			   (unsigned long long)base, (unsigned long long)(end - 1),
			   (unsigned long long)(limit >> 30));
		return;
	}
	if (end > limit) {
		hal_printf("x86: RAM 0x%llx-0x%llx is above the %llu GiB identity map: not used\n",
			   (unsigned long long)limit, (unsigned long long)(end - 1),
			   (unsigned long long)(limit >> 30));
		end = limit;
	}
	if (boot_add_mem(bi, hpa(base), end - base))
		hal_printf("x86: memory map full: RAM 0x%llx-0x%llx not used\n",
			   (unsigned long long)base, (unsigned long long)(end - 1));
}

static void add_reserved(struct boot_info *bi, uint64_t base, uint64_t len, const char *what)
{
	if (boot_add_reserved(bi, hpa(base), len))
		hal_printf("x86: reserved-range table full: %s at 0x%llx not protected\n", what,
			   (unsigned long long)base);
}

/* The entries of a memory-map tag of @size bytes. */
static int parse_mmap(const struct mb2_mmap *mm, size_t size, uint64_t limit, struct boot_info *bi)
{
	const uint8_t *base = (const uint8_t *)mm;

	if (size < sizeof(*mm) || mm->entry_size < sizeof(struct mb2_mmap_entry) ||
	    mm->entry_size % 8)
		return -PV_EINVAL;
	for (size_t off = sizeof(*mm); off <= size && size - off >= mm->entry_size;
	     off += mm->entry_size) {
		const struct mb2_mmap_entry *e = (const struct mb2_mmap_entry *)(base + off);

		if (e->type == MB2_MMAP_AVAILABLE && e->length)
			add_ram(bi, e->base, e->length, limit);
	}
	return PV_OK;
}

int x86_mb2_parse(const void *mbi, size_t avail, uint64_t addr, uint64_t idmap_limit,
		  struct boot_info *bi)
{
	const struct mb2_info *info = mbi;
	const uint8_t *base = mbi;
	const char *loader = NULL;
	bool have_mmap = false;
	size_t total, off;
	int err;

	if (!mbi || ((uintptr_t)mbi | addr) % 8 || avail < sizeof(*info) ||
	    info->total_size < sizeof(*info) + sizeof(struct mb2_tag) || info->total_size > avail) {
		hal_printf("x86: multiboot2 information at 0x%llx is malformed\n",
			   (unsigned long long)addr);
		return -PV_EINVAL;
	}
	total = info->total_size;
	for (off = sizeof(*info); total - off >= sizeof(struct mb2_tag);) {
		const struct mb2_tag *tag = (const struct mb2_tag *)(base + off);
		size_t step;

		if (tag->type == MB2_TAG_END)
			break;
		if (tag->size < sizeof(*tag) || tag->size > total - off) {
			hal_printf("x86: multiboot2 tag %u at 0x%llx has a bad size %u\n",
				   tag->type, (unsigned long long)(addr + off), tag->size);
			return -PV_EINVAL;
		}
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			bi->cmdline = tag_string(tag, sizeof(*tag));
			break;
		case MB2_TAG_LOADER_NAME:
			loader = tag_string(tag, sizeof(*tag));
			break;
		case MB2_TAG_MODULE: {
			const struct mb2_module *m = (const struct mb2_module *)tag;

			if (tag->size >= sizeof(*m) && m->end > m->start)
				add_reserved(bi, m->start, m->end - m->start, "boot module");
			break;
		}
		case MB2_TAG_MMAP:
			err = parse_mmap((const struct mb2_mmap *)tag, tag->size, idmap_limit, bi);
			if (err) {
				hal_printf("x86: multiboot2 memory map is malformed\n");
				return err;
			}
			have_mmap = true;
			break;
		default:
			break;
		}
		/* Tags start 8-byte aligned; the padding after the last one may be missing. */
		step = PV_ALIGN_UP((size_t)tag->size, (size_t)8);
		if (step >= total - off)
			break;
		off += step;
	}
	if (!have_mmap) {
		hal_printf("x86: the boot loader passed no memory map\n");
		return -PV_EINVAL;
	}
	/* Real-mode IVT, BIOS data, EBDA, option ROMs: firmware's, whatever the map says. */
	add_reserved(bi, 0, PV_MIB(1), "first MiB");
	add_reserved(bi, addr, total, "multiboot2 information");
	if (loader)
		hal_printf("x86: started by %s\n", loader);
	return PV_OK;
}
