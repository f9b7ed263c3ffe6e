/* SPDX-License-Identifier: MIT */
/*
 * Intel EPT as a stage-2 format: 4 levels of 512 entries, 4 KiB pages, 2 MiB and 1 GiB leaves,
 * 48-bit guest-physical addresses, up to 52-bit host-physical addresses.
 */
#ifndef ARCH_X86_64_S2_EPT_H
#define ARCH_X86_64_S2_EPT_H

#include <addrspace/s2_format.h>

/* Entry bits (SDM vol. 3C, "EPT Translation Mechanism", formats of the EPT paging-structure
 * entries). */
#define EPT_READ       PV_BIT(0)
#define EPT_WRITE      PV_BIT(1)
#define EPT_EXEC       PV_BIT(2)
#define EPT_MT_SHIFT   3 /* bits 5:3, leaves only */
#define EPT_MT_UC      0ULL
#define EPT_MT_WB      6ULL
#define EPT_IGNORE_PAT PV_BIT(6) /* leaves only */
#define EPT_LARGE      PV_BIT(7) /* 1 GiB / 2 MiB leaf; must be 0 in table entries */
#define EPT_ADDR_MASK  PV_MASK(51, 12)

/* EPTP fields ("Extended-Page-Table Pointer (EPTP)" in the VMCS chapter). */
#define EPTP_MT_WB	    6ULL
#define EPTP_WALK_LEN_SHIFT 3 /* page-walk length minus one, bits 5:3 */

extern const struct s2_format s2_format_ept;

/* EPTP value for a space whose root table is at @root: write-back walks, 4-level walk,
 * accessed/dirty flags off. */
uint64_t s2_ept_eptp(hpa_t root);

#endif
