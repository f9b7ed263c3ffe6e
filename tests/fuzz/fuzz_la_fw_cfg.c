// SPDX-License-Identifier: MIT
/*
 * QEMU virt's fw_cfg reader on loongarch64 (platforms/qemu-virt-loongarch64/fw_cfg.c), which
 * builds the hypervisor's memory map from what the firmware device says. The device here is a
 * model of fw_cfg whose contents come from the input: the signature, a file directory (any file
 * count, up to 2^32, names that are or nearly are "etc/memmap", any selector and size) and the
 * items the selectors name. Checked: the reader never reads more than the directory's bound
 * allows (a count beyond the selectors is refused before the loop), and its result is what the
 * fw_cfg specification and the reader's contract give: RAM ranges of the first "etc/memmap" file,
 * and PV_OK only with at least one range added.
 */
#include "fuzz.h"

#include "fake/fake_backend.h"

#include <qv_fw_cfg.h>
#include <string.h>

#define MAX_FILES   (0x4000u - 0x20u)
#define MAX_READS   (4u + 4u + MAX_FILES * 64u + 256u * 24u)
#define ITEM_BYTES  4096
#define DIR_ENTRIES 8

struct item {
	uint16_t key;
	uint32_t len;
	uint8_t bytes[ITEM_BYTES];
};

static struct item items[4]; /* signature, directory, and two files */
static const struct item *cur;
static uint32_t pos;
static unsigned long reads;

static void dev_select(uintptr_t base, uint16_t key)
{
	(void)base;
	cur = NULL;
	pos = 0;
	for (unsigned i = 0; i < 4; i++)
		if (items[i].key == key && items[i].len)
			cur = &items[i];
}

static uint8_t dev_read8(uintptr_t base)
{
	(void)base;
	reads++;
	FZ_CHECK(reads <= MAX_READS, "more than %u reads", MAX_READS);
	return cur && pos < cur->len ? cur->bytes[pos++] : 0;
}

static void put_be(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * (n - 1 - i));
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << 8 * i;
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "etc/memmap", "etc/memmap2", "etc/memma", "bootorder",
					     "etc/memmap" };
	struct fz f = fz_init(data, size);
	struct qv_fw_cfg_io io = { dev_select, dev_read8, 0 };
	struct boot_info bi;
	uint32_t count = fz_below(&f, 8) ? (uint32_t)fz_below(&f, DIR_ENTRIES + 1) : fz_u32(&f);
	uint16_t want_key = 0;
	uint32_t want_size = 0;
	unsigned want_ranges = 0;
	struct boot_range want[BOOT_MAX_RANGES];
	bool overflow = false, found = false;
	int rc;

	memset(items, 0, sizeof(items));
	items[0] = (struct item){ .key = 0x0000, .len = 4 };
	memcpy(items[0].bytes, fz_below(&f, 16) ? "QEMU" : "QEMX", 4);
	items[1] = (struct item){ .key = 0x0019, .len = 4 + DIR_ENTRIES * 64 };
	put_be(items[1].bytes, count, 4);
	for (unsigned i = 0; i < DIR_ENTRIES; i++) {
		uint8_t *e = items[1].bytes + 4 + 64 * i;
		uint16_t key = fz_below(&f, 8) ? (uint16_t)(0x20 + fz_below(&f, 2)) : fz_u16(&f);
		uint32_t len = fz_below(&f, 4) ? 24u * (uint32_t)fz_below(&f, 20) : fz_u32(&f);
		const char *name = FZ_PICK(&f, names);

		put_be(e, len, 4);
		put_be(e + 4, key, 2);
		if (fz_below(&f, 16))
			strncpy((char *)e + 8, name, 56);
		else
			memset(e + 8, 'x', 56); /* no NUL at all */
		/* The first file named etc/memmap decides: what the specification gives. */
		if (i < count && !found && strncmp((char *)e + 8, "etc/memmap", 56) == 0) {
			found = true;
			want_key = key;
			want_size = len;
		}
	}
	for (unsigned i = 2; i < 4; i++) {
		items[i].key = (uint16_t)(0x20 + i - 2);
		items[i].len = ITEM_BYTES;
		for (unsigned b = 0; b < ITEM_BYTES && fz_more(&f); b += 24) {
			uint8_t *e = items[i].bytes + b;

			if (b + 24 > ITEM_BYTES)
				break;
			memset(e, 0, 24);
			for (unsigned k = 0; k < 8; k++)
				e[k] = fz_u8(&f);
			for (unsigned k = 8; k < 16; k++)
				e[k] = fz_below(&f, 2) ? fz_u8(&f) : 0;
			e[16] = fz_below(&f, 4) ? 1 : fz_u8(&f);
		}
	}
	/* The reference reading of etc/memmap. */
	if (count > MAX_FILES || want_key < 0x20 || want_key >= 0x4000 || want_size == 0 ||
	    want_size % 24 || want_size / 24 > 256 || memcmp(items[0].bytes, "QEMU", 4))
		want_key = 0;
	for (uint32_t off = 0; want_key && off < want_size; off += 24) {
		const struct item *it = NULL;
		uint8_t e[24] = { 0 };

		for (unsigned i = 2; i < 4; i++)
			if (items[i].key == want_key)
				it = &items[i];
		if (it && off + 24 <= it->len)
			memcpy(e, it->bytes + off, 24);
		if (get_le(e + 16, 4) != 1 || get_le(e + 8, 8) == 0)
			continue;
		if (want_ranges == BOOT_MAX_RANGES) {
			overflow = true;
			break;
		}
		want[want_ranges++] = (struct boot_range){ hpa(get_le(e, 8)), get_le(e + 8, 8) };
	}

	memset(&bi, 0, sizeof(bi));
	reads = 0;
	fake_reset();
	rc = qv_fw_cfg_memory(&io, &bi);
	FZ_CHECK(bi.nmem <= BOOT_MAX_RANGES, "table overflowed");
	if (overflow) {
		FZ_CHECK(rc == -PV_ENOMEM, "%u RAM ranges: %d, not -PV_ENOMEM", want_ranges + 1,
			 rc);
		return 0;
	}
	FZ_CHECK(rc == (want_ranges ? PV_OK : -PV_ENOENT),
		 "returned %d with %u RAM ranges added (reference: %u)\n%s", rc, bi.nmem,
		 want_ranges, fake_hw.log);
	FZ_CHECK(bi.nmem == want_ranges, "%u ranges, reference %u", bi.nmem, want_ranges);
	for (unsigned i = 0; i < want_ranges; i++)
		FZ_CHECK(bi.mem[i].base.raw == want[i].base.raw && bi.mem[i].size == want[i].size,
			 "range %u differs", i);
	return 0;
}
