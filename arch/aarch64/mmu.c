// SPDX-License-Identifier: MIT
/*
 * The hypervisor's own EL2 translation: an identity map, so a physical address is also the pointer
 * the page pool hands out. RAM is Normal write-back (the console lock's exclusives and the caches
 * need Normal memory); everything else is Device-nGnRE and never executable, so speculation stays
 * out of device registers.
 *
 * 4 KiB granule, 39-bit VA (T0SZ 25): the walk starts at level 1, whose 512 entries map 1 GiB each.
 * A GiB that RAM only partly covers gets a level-2 table of 2 MiB blocks. RAM not aligned to 2 MiB
 * at its edges stays Device (correct, only slower); nothing maps in 4 KiB pages.
 */
#include <a64/cpu.h>
#include <a64/sysreg.h>
#include <hal/boot.h>
#include <hal/hal.h>

#define A64_VA_BITS  39
#define A64_L1_SHIFT 30
#define A64_L2_SHIFT 21
#define A64_ENTRIES  512
#define A64_MAX_L2   8

/* MAIR_EL2 slots. */
#define A64_ATTR_DEVICE 0 /* Device-nGnRE */
#define A64_ATTR_NORMAL 1 /* Normal, inner and outer write-back, read/write-allocate */
#define A64_MAIR	((0x04ULL << (8 * A64_ATTR_DEVICE)) | (0xffULL << (8 * A64_ATTR_NORMAL)))

/* Stage-1 descriptor bits. */
#define PTE_BLOCK      0x1ULL
#define PTE_TABLE      0x3ULL
#define PTE_ATTRIDX(n) ((uint64_t)(n) << 2)
#define PTE_AP_RW      (1ULL << 6) /* AP[2:1] = 01: writable; AP[1] is RES1 in the EL2 regime */
#define PTE_SH_INNER   (3ULL << 8)
#define PTE_AF	       (1ULL << 10)
#define PTE_XN	       (1ULL << 54)
#define PTE_ADDR_MASK  PV_MASK(47, 12)

#define PTE_DEVICE (PTE_BLOCK | PTE_ATTRIDX(A64_ATTR_DEVICE) | PTE_AP_RW | PTE_AF | PTE_XN)
#define PTE_NORMAL (PTE_BLOCK | PTE_ATTRIDX(A64_ATTR_NORMAL) | PTE_AP_RW | PTE_AF | PTE_SH_INNER)

static uint64_t a64_l1[A64_ENTRIES] __attribute__((aligned(4096)));
static uint64_t a64_l2[A64_MAX_L2][A64_ENTRIES] __attribute__((aligned(4096)));
static unsigned a64_l2_used;

/* Start of .data: everything from here to the image end is written by the CPU before the MMU. */
extern char __pv_rw_start[];

/* The level-2 table of GiB @slot, split from its block on first use. NULL when none is left. */
static uint64_t *a64_l2_for(unsigned slot)
{
	uint64_t *l2;
	uint64_t base;

	if ((a64_l1[slot] & 3u) == PTE_TABLE)
		return (uint64_t *)(uintptr_t)(a64_l1[slot] & PTE_ADDR_MASK);
	if (a64_l2_used == A64_MAX_L2)
		return NULL;
	l2 = a64_l2[a64_l2_used++];
	base = (uint64_t)slot << A64_L1_SHIFT;
	for (unsigned i = 0; i < A64_ENTRIES; i++)
		l2[i] = (base + ((uint64_t)i << A64_L2_SHIFT)) | PTE_DEVICE;
	a64_l1[slot] = (uintptr_t)l2 | PTE_TABLE;
	return l2;
}

/* Maps [base, end) as Normal memory; returns the bytes that had to stay Device. */
static uint64_t a64_map_ram(uint64_t base, uint64_t end)
{
	const uint64_t gib = 1ULL << A64_L1_SHIFT, mib2 = 1ULL << A64_L2_SHIFT;
	uint64_t addr = PV_ALIGN_UP(base, mib2);
	uint64_t left;

	if (PV_ALIGN_DOWN(end, mib2) <= addr)
		return end - base;
	left = (end - base) - (PV_ALIGN_DOWN(end, mib2) - addr);
	end = PV_ALIGN_DOWN(end, mib2);
	while (addr < end) {
		unsigned slot = (unsigned)(addr >> A64_L1_SHIFT);
		uint64_t *l2;

		if (PV_IS_ALIGNED(addr, gib) && end - addr >= gib) {
			a64_l1[slot] = addr | PTE_NORMAL;
			addr += gib;
			continue;
		}
		l2 = a64_l2_for(slot);
		if (!l2) {
			uint64_t stop = PV_ALIGN_DOWN(addr, gib) + gib;
			stop = stop < end ? stop : end;
			left += stop - addr;
			addr = stop;
			continue;
		}
		for (; addr < end && (addr >> A64_L1_SHIFT) == slot; addr += mib2)
			l2[(addr >> A64_L2_SHIFT) & (A64_ENTRIES - 1)] = addr | PTE_NORMAL;
	}
	return left;
}

/* What every CPU writes to turn the same identity map on. */
static struct {
	uint64_t mair, tcr, ttbr;
} a64_mmu_regs;

static void a64_mmu_on(void)
{
	a64_write_mair_el2(a64_mmu_regs.mair);
	a64_write_tcr_el2(a64_mmu_regs.tcr);
	a64_write_ttbr0_el2(a64_mmu_regs.ttbr);
	__asm__ volatile("isb\n\t"
			 "tlbi alle2\n\t"
			 "ic iallu\n\t"
			 "dsb ish\n\t"
			 "isb"
			 :
			 :
			 : "memory");
	a64_write_sctlr_el2(SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_SA |
			    SCTLR_EL2_I);
	a64_isb();
}

void a64_mmu_enable_secondary(void)
{
	a64_mmu_on();
}

void a64_mmu_publish(void)
{
	/* Secondaries read these with their MMU and caches still off. */
	a64_dcache_range(&a64_mmu_regs, sizeof(a64_mmu_regs), true);
}

void a64_mmu_enable(struct boot_info *bi)
{
	unsigned parange = a64_id_field(a64_read_id_aa64mmfr0_el1(), ID_AA64MMFR0_PARANGE_SHIFT);
	unsigned ps = parange > 5 ? 5 : parange; /* 52-bit output needs LPA2: stay at 48 */
	unsigned map_bits = a64_parange_bits(ps) < A64_VA_BITS ? a64_parange_bits(ps) : A64_VA_BITS;
	uint64_t limit = 1ULL << map_bits;
	uint64_t uncached = 0, unmapped = 0;
	uint64_t tcr;
	unsigned kept = 0;

	for (unsigned i = 0; i < A64_ENTRIES; i++) {
		uint64_t addr = (uint64_t)i << A64_L1_SHIFT;
		a64_l1[i] = addr < limit ? addr | PTE_DEVICE : 0;
	}
	/* RAM the map cannot reach is dropped from the memory map, so the core never uses it. */
	for (unsigned i = 0; i < bi->nmem; i++) {
		struct boot_range r = bi->mem[i];
		uint64_t end = r.base.raw + r.size;

		if (end > limit) {
			unmapped += end - (r.base.raw > limit ? r.base.raw : limit);
			end = limit;
		}
		if (r.base.raw >= end)
			continue;
		r.size = end - r.base.raw;
		uncached += a64_map_ram(r.base.raw, end);
		bi->mem[kept++] = r;
	}
	bi->nmem = kept;

	/*
	 * Tables, data, .bss and stacks were written with the data cache off, straight to memory.
	 * Lines a loader left in the cache for those addresses would hide that once the cache is
	 * on, so drop them (invalidate, not clean: memory holds the right values).
	 */
	a64_dcache_range(__pv_rw_start, (uintptr_t)__pv_image_end - (uintptr_t)__pv_rw_start,
			 false);

	a64_mmu_regs.mair = A64_MAIR;
	tcr = TCR_EL2_RES1 | TCR_T0SZ(A64_VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
	      TCR_SH0_INNER | TCR_TG0_4K | ((uint64_t)ps << TCR_EL2_PS_SHIFT);
	a64_mmu_regs.tcr = tcr;
	a64_mmu_regs.ttbr = (uintptr_t)a64_l1;
	a64_mmu_on();

	if (uncached)
		hal_printf("aarch64: %llu KiB of RAM not 2 MiB aligned, or past %u level-2 tables, "
			   "mapped uncached\n",
			   (unsigned long long)(uncached >> 10), A64_MAX_L2);
	if (unmapped)
		hal_printf("aarch64: %llu MiB of RAM above the %u-bit identity map left unused\n",
			   (unsigned long long)(unmapped >> 20), map_bits);
}
