// SPDX-License-Identifier: MIT
/*
 * x86_64's multiboot2 boot-information reader (arch/x86_64/multiboot2.c), on any structure a boot
 * loader could leave: placed at a 32-bit address (where the reader takes it from), 8-aligned or
 * not, ending right before an inaccessible page, so that any read past its total size faults. Checked against a
 * reading written from the multiboot2 specification: refused when it is malformed (header, a tag
 * size past the end, a memory map with a bad entry size) or has no memory map; otherwise its RAM
 * is exactly the available entries of its memory maps, cut at the identity map's limit, its
 * command line is a NUL-terminated string inside its tag, and the first MiB and the structure
 * itself are reserved.
 */
#define _DEFAULT_SOURCE /* MAP_32BIT */
#include "fake/fake_backend.h"
#include "fuzz.h"

#include <string.h>
#include <sys/mman.h>

#include "multiboot2.h"

#define AREA	(256u << 10)
#define MAX_MBI (AREA - 4096u)

static uint8_t *area;
static uint64_t idmap_limit;

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

struct ref {
	int err;
	unsigned nram;
	struct boot_range ram[64];
	const char *cmdline;
};

static void ref_read(const uint8_t *mbi, struct ref *r)
{
	uint32_t total = rd32(mbi);
	bool mmap = false;

	memset(r, 0, sizeof(*r));
	r->err = -PV_EINVAL;
	if ((uintptr_t)mbi % 8 || total < 16)
		return;
	for (uint32_t off = 8; off + 8 <= total;) {
		uint32_t type = rd32(mbi + off), size = rd32(mbi + off + 4);

		if (type == 0)
			break;
		if (size < 8 || size > total - off)
			return;
		if (type == 1) {
			r->cmdline = memchr(mbi + off + 8, 0, size - 8)
					     ? (const char *)mbi + off + 8
					     : NULL;
		} else if (type == 6) {
			uint32_t esz;

			if (size < 16)
				return;
			esz = rd32(mbi + off + 8);
			if (esz < 24 || esz % 8)
				return;
			for (uint64_t e = off + 16; e + esz <= (uint64_t)off + size; e += esz) {
				uint64_t base = rd64(mbi + e), len = rd64(mbi + e + 8);
				uint64_t end = base + len < base ? UINT64_MAX : base + len;

				if (rd32(mbi + e + 16) != 1 || !len || base >= idmap_limit)
					continue;
				if (end > idmap_limit)
					end = idmap_limit;
				if (r->nram < 64)
					r->ram[r->nram++] =
						(struct boot_range){ hpa(base), end - base };
			}
			mmap = true;
		}
		off += (size + 7) & ~7u;
	}
	r->err = mmap ? PV_OK : -PV_EINVAL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_info bi;
	struct ref r;
	uint32_t total, room;
	uint8_t *mbi, flags;
	int rc;

	if (!area) {
		area = mmap(NULL, AREA, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		FZ_CHECK(area != MAP_FAILED && (uintptr_t)area + AREA < (1ULL << 32),
			 "no low memory");
		FZ_CHECK(mprotect(area + AREA - 4096, 4096, PROT_NONE) == 0, "no guard page");
	}
	if (size < 9)
		return 0;
	flags = data[0];
	idmap_limit = flags & 1 ? (1ULL << 32) * (1 + flags / 4) : 1ULL << 39;
	data++;
	size--;
	total = rd32(data);
	room = total > size ? total : (uint32_t)size;
	if (room > MAX_MBI - 8)
		return 0;
	/* Its last byte right before the guard page; 8-aligned unless the input says otherwise. */
	mbi = area + MAX_MBI - ((room + 7) & ~7u) - (flags & 2 ? 4 : 0);
	memset(mbi, 0, room);
	memcpy(mbi, data, size);

	fake_reset();
	memset(&bi, 0, sizeof(bi));
	rc = x86_mb2_parse(mbi, (size_t)(area + MAX_MBI - mbi), (uint64_t)(uintptr_t)mbi,
			   idmap_limit, &bi);
	ref_read(mbi, &r);
	FZ_CHECK(rc == r.err, "returned %d, the specification says %d\n%s", rc, r.err, fake_hw.log);
	FZ_CHECK(bi.nmem <= BOOT_MAX_RANGES && bi.nreserved <= BOOT_MAX_RANGES, "tables");
	if (rc)
		return 0;
	FZ_CHECK(bi.nmem == (r.nram < BOOT_MAX_RANGES ? r.nram : BOOT_MAX_RANGES),
		 "%u RAM ranges, the specification %u (0x%llx+0x%llx, limit 0x%llx)\n%s", bi.nmem,
		 r.nram, (unsigned long long)r.ram[0].base.raw, (unsigned long long)r.ram[0].size,
		 (unsigned long long)idmap_limit, fake_hw.log);
	for (unsigned i = 0; i < bi.nmem; i++)
		FZ_CHECK(bi.mem[i].base.raw == r.ram[i].base.raw &&
				 bi.mem[i].size == r.ram[i].size &&
				 bi.mem[i].base.raw + bi.mem[i].size <= idmap_limit,
			 "RAM range %u: 0x%llx+0x%llx, the specification 0x%llx+0x%llx", i,
			 (unsigned long long)bi.mem[i].base.raw, (unsigned long long)bi.mem[i].size,
			 (unsigned long long)r.ram[i].base.raw, (unsigned long long)r.ram[i].size);
	FZ_CHECK(bi.cmdline == r.cmdline, "command line");
	if (bi.nreserved < BOOT_MAX_RANGES) {
		const struct boot_range *last = &bi.reserved[bi.nreserved - 1];

		FZ_CHECK(last->base.raw == (uintptr_t)mbi && last->size == rd32(mbi),
			 "the structure is not reserved");
	}
	return 0;
}
