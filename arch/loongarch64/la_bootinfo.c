// SPDX-License-Identifier: MIT
/*
 * What the loader says in a0..a2. QEMU's LoongArch direct kernel boot (8.1 and later) follows
 * the Linux/LoongArch EFI convention: a0 = 1 ("booted through EFI"), a1 = physical address of the
 * command line (512 bytes at physical 0 in QEMU, so a1 = 0 is a valid address), a2 = physical
 * address of a UEFI system table whose configuration tables include the device tree
 * (DEVICE_TREE_GUID; QEMU's table points at 1 MiB). QEMU 7.2 and older pass a0 = a1 = a2 = 0
 * and leave the device tree at 1 MiB without saying so. Anything else is not guessed at.
 * The layouts are the UEFI specification's (system table, configuration table) for 64-bit.
 */
#include <arch/la_efi.h>
#include <string.h>

#include "la_bootinfo.h"

#define LA_EFI_MAX_TABLES 64 /* more is not a table a loader filled */

static const uint8_t la_dt_guid[16] = LA_EFI_DT_GUID;

static uint64_t la_rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

enum la_boot_regs la_bootinfo_parse(uint64_t a0, uint64_t a1, uint64_t a2, la_phys_map_fn map,
				    void *ctx, struct la_bootinfo *out)
{
	const uint8_t *systab, *tables;
	uint64_t n, at;

	memset(out, 0, sizeof(*out));
	out->cmdline_pa = a1;
	if (!a0 && !a1 && !a2)
		return out->kind = LA_BOOT_REGS_NONE;
	out->kind = LA_BOOT_REGS_UNKNOWN;
	if (a0 != 1 || (a2 & 7))
		return out->kind;
	systab = map(ctx, a2, LA_EFI_SYSTAB_SIZE);
	if (!systab || la_rd64(systab) != LA_EFI_SYSTAB_SIGNATURE)
		return out->kind;
	n = la_rd64(systab + LA_EFI_SYSTAB_NR_TABLES);
	at = la_rd64(systab + LA_EFI_SYSTAB_TABLES);
	if (n > LA_EFI_MAX_TABLES)
		return out->kind;
	tables = n ? map(ctx, at, n * LA_EFI_CFG_ENTRY_SIZE) : NULL;
	if (n && !tables)
		return out->kind;
	out->kind = LA_BOOT_REGS_EFI;
	out->systab_pa = a2;
	out->ntables = (unsigned)n;
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *e = tables + i * LA_EFI_CFG_ENTRY_SIZE;

		if (!memcmp(e, la_dt_guid, sizeof(la_dt_guid))) {
			out->dtb_pa = la_rd64(e + 16);
			out->has_dtb = true;
			break;
		}
	}
	return out->kind;
}
