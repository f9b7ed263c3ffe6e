/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 stage-2 translation with the 4 KiB granule, in two geometries:
 *   s2_format_armv8_40: 40-bit IPA, walk starts at lookup level 1 with two concatenated
 *                       level-1 tables (8 KiB root, 1024 entries); leaves 1G/2M/4K.
 *   s2_format_armv8_48: 48-bit IPA, walk starts at lookup level 0 (no blocks there);
 *                       leaves 1G/2M/4K.
 * Engine level 0 is the first lookup level of the walk, i.e. Arm level 1 for the 40-bit format
 * and Arm level 0 for the 48-bit one.
 */
#ifndef ARCH_AARCH64_S2_ARMV8_H
#define ARCH_AARCH64_S2_ARMV8_H

#include <addrspace/s2_format.h>

/* Stage-2 descriptor fields (Arm ARM, "VMSAv8-64 translation table format descriptors",
 * stage 2 block and page descriptor attributes). */
#define ARMV8_S2_VALID		      PV_BIT(0)
#define ARMV8_S2_TABLE_OR_PAGE	      PV_BIT(1)
#define ARMV8_S2_MEMATTR_SHIFT	      2 /* MemAttr[3:0], bits 5:2 */
#define ARMV8_S2_MEMATTR_NORMAL_WB    0xfULL
#define ARMV8_S2_MEMATTR_DEVICE_nGnRE 0x1ULL
#define ARMV8_S2_S2AP_R		      PV_BIT(6)
#define ARMV8_S2_S2AP_W		      PV_BIT(7)
#define ARMV8_S2_SH_SHIFT	      8 /* SH[1:0], bits 9:8 */
#define ARMV8_S2_SH_INNER	      3ULL
#define ARMV8_S2_AF		      PV_BIT(10)
#define ARMV8_S2_XN_SHIFT	      53   /* XN[1:0], bits 54:53 */
#define ARMV8_S2_XN_NONE	      2ULL /* execute-never at EL1 and EL0 */
#define ARMV8_S2_OA_MASK	      PV_MASK(47, 12)

/* VTCR_EL2 fields. */
#define ARMV8_VTCR_T0SZ(ipa_bits) ((uint64_t)(64u - (ipa_bits)))
#define ARMV8_VTCR_SL0_SHIFT	  6
#define ARMV8_VTCR_SL0_L1	  1ULL /* 4 KiB granule: start at lookup level 1 */
#define ARMV8_VTCR_SL0_L0	  2ULL /* 4 KiB granule: start at lookup level 0 */
#define ARMV8_VTCR_IRGN0_WBWA	  (1ULL << 8)
#define ARMV8_VTCR_ORGN0_WBWA	  (1ULL << 10)
#define ARMV8_VTCR_SH0_INNER	  (3ULL << 12)
#define ARMV8_VTCR_TG0_4K	  (0ULL << 14)
#define ARMV8_VTCR_PS_SHIFT	  16
#define ARMV8_VTCR_PS_40	  2ULL
#define ARMV8_VTCR_PS_48	  5ULL
#define ARMV8_VTCR_RES1		  (1ULL << 31)

/* VTCR_EL2 for each format with the output size equal to the IPA size (PS = 40 resp. 48
 * bits): 0x80023558 and 0x80053590. */
#define ARMV8_VTCR_40                                                                              \
	(ARMV8_VTCR_RES1 | (ARMV8_VTCR_PS_40 << ARMV8_VTCR_PS_SHIFT) | ARMV8_VTCR_TG0_4K |         \
	 ARMV8_VTCR_SH0_INNER | ARMV8_VTCR_ORGN0_WBWA | ARMV8_VTCR_IRGN0_WBWA |                    \
	 (ARMV8_VTCR_SL0_L1 << ARMV8_VTCR_SL0_SHIFT) | ARMV8_VTCR_T0SZ(40u))
#define ARMV8_VTCR_48                                                                              \
	(ARMV8_VTCR_RES1 | (ARMV8_VTCR_PS_48 << ARMV8_VTCR_PS_SHIFT) | ARMV8_VTCR_TG0_4K |         \
	 ARMV8_VTCR_SH0_INNER | ARMV8_VTCR_ORGN0_WBWA | ARMV8_VTCR_IRGN0_WBWA |                    \
	 (ARMV8_VTCR_SL0_L0 << ARMV8_VTCR_SL0_SHIFT) | ARMV8_VTCR_T0SZ(48u))

extern const struct s2_format s2_format_armv8_40;
extern const struct s2_format s2_format_armv8_48;

/*
 * VTCR_EL2 for @fmt (one of the two above) on a CPU whose ID_AA64MMFR0_EL1.PARange gives
 * @pa_bits (32, 36, 40, 42, 44, 48 or 52). PS follows the CPU, capped at 48 bits because these
 * descriptors hold output bits 47:12 only. Returns 0 when @fmt is not an Arm format, @pa_bits is
 * not a PARange size, or the CPU outputs fewer bits than the IPA has (guest RAM could then lie
 * where the host has no memory; refused as a policy).
 */
uint64_t s2_armv8_vtcr(const struct s2_format *fmt, unsigned pa_bits);

#endif
