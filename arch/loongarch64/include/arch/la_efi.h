/* SPDX-License-Identifier: MIT */
/*
 * The UEFI structures of Linux/LoongArch's boot protocol (Documentation/arch/loongarch/booting.rst:
 * a2 = a UEFI system table): the 64-bit system table and its configuration table entries, as byte
 * offsets (UEFI specification, "EFI System Table" and "EFI Configuration Table"). Read by the
 * backend from its own loader (la_bootinfo.c), written for its Linux guests (vm_desc.c).
 */
#ifndef ARCH_LA_EFI_H
#define ARCH_LA_EFI_H

#define LA_EFI_SYSTAB_SIGNATURE	  0x5453595320494249ULL /* "IBI SYST" */
#define LA_EFI_SYSTAB_REVISION	  8			/* u32 */
#define LA_EFI_SYSTAB_HEADER_SIZE 12			/* u32 */
#define LA_EFI_SYSTAB_CRC32	  16			/* u32, over the header_size bytes */
#define LA_EFI_SYSTAB_FW_VENDOR	  24			/* u64, a UTF-16 string */
#define LA_EFI_SYSTAB_FW_REVISION 32			/* u32 */
#define LA_EFI_SYSTAB_RUNTIME	  88			/* u64, runtime services (0: none) */
#define LA_EFI_SYSTAB_BOOTTIME	  96			/* u64, boot services (0: none) */
#define LA_EFI_SYSTAB_NR_TABLES	  104			/* u64 */
#define LA_EFI_SYSTAB_TABLES	  112			/* u64 */
#define LA_EFI_SYSTAB_SIZE	  120
#define LA_EFI_CFG_ENTRY_SIZE	  24 /* GUID (16 bytes), table address */

/* DEVICE_TREE_GUID b1b621d5-f19c-41a5-830b-d9152c69aae0, in memory order. */
#define LA_EFI_DT_GUID                                                                             \
	{ 0xd5, 0x21, 0xb6, 0xb1, 0x9c, 0xf1, 0xa5, 0x41,                                          \
	  0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 }

#endif
