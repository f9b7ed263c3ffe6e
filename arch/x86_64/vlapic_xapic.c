// SPDX-License-Identifier: MIT
/*
 * The local APIC's modes (SDM vol. 3, 10.12.5) and its xAPIC page, and where device interrupts go.
 *
 * IA32_APIC_BASE reads 0xfee00000, the BSP bit on vCPU 0, and the mode: x2APIC (EN and EXTD, how
 * the hypervisor hands the APIC over), xAPIC (EN) or disabled. A write may change the mode as the
 * SDM allows (x2APIC -> disabled -> xAPIC -> x2APIC, any -> disabled); a write that moves the
 * page, sets a reserved bit, asks for EXTD without EN, goes from x2APIC to xAPIC directly or from
 * disabled to x2APIC raises #GP, as does xAPIC mode for a vCPU whose id does not fit 8 bits.
 * Disabling resets the registers. Linux 6.1 takes this route when it finds no interrupt
 * remapping and does not know the hypervisor (try_to_enable_x2apic: "x2apic: IRQ remapping
 * doesn't support X2APIC mode"): it disables x2APIC, re-enables the APIC in xAPIC mode, and then
 * uses the page.
 *
 * The xAPIC page (0xfee00000) reaches the registers of vlapic.c: offset 16 * n is x2APIC MSR
 * 0x800 + n, with xAPIC mode's differences: ID in bits 31:24, a writable LDR (31:24) and DFR
 * (model in 31:28: flat 0xf or cluster 0x0), the ICR as two registers (destination in bits 31:24
 * of 0x310; a write to 0x300 sends), 8-bit destinations (0xff: all), no SELF_IPI. Only aligned
 * 32-bit accesses are decoded, and only in xAPIC mode; other accesses raise #GP.
 */
#include <vm/vm.h>
#include <x86/cpu.h>

#include "vlapic.h"

#define BASE_BSP     PV_BIT(8)
#define BASE_EXTD    PV_BIT(10)
#define BASE_EN	     PV_BIT(11)
#define BASE_ADDR    PV_MASK(51, 12)
#define XAPIC_ICR_LO 0x300u
#define XAPIC_ICR_HI 0x310u
#define XAPIC_DFR    0xe0u
#define XAPIC_LDR    0xd0u
#define XAPIC_ID     0x20u
#define XAPIC_MAX_ID 254u
#define DFR_FLAT     0xfu
#define DFR_RESERVED 0x0fffffffu /* read as ones */
#define LDR_ID(v)    ((v) >> 24)

static uint32_t mode_of(const struct vcpu *vcpu)
{
	return atomic_load_explicit(&vlapic_of(vcpu)->mode, memory_order_acquire);
}

static int base_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		     uint64_t *value)
{
	static const uint64_t bits[] = { BASE_EN | BASE_EXTD, BASE_EN, 0 };

	(void)dev;
	(void)off;
	(void)width;
	*value = VLAPIC_XAPIC_BASE | bits[mode_of(vcpu)] | (vcpu->id == 0 ? BASE_BSP : 0);
	return PV_OK;
}

static int base_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		      uint64_t value)
{
	struct vlapic *l = vlapic_of(vcpu);
	uint32_t from = mode_of(vcpu), to;

	(void)dev;
	(void)off;
	(void)width;
	if ((value & ~(BASE_ADDR | BASE_EN | BASE_EXTD | BASE_BSP)) ||
	    (value & BASE_ADDR) != VLAPIC_XAPIC_BASE)
		return -PV_EFAULT;
	if (value & BASE_EXTD)
		to = (value & BASE_EN) ? VLAPIC_MODE_X2APIC : VLAPIC_MODE_DISABLED + 1u;
	else
		to = (value & BASE_EN) ? VLAPIC_MODE_XAPIC : VLAPIC_MODE_DISABLED;
	if (to > VLAPIC_MODE_DISABLED || to == from)
		return to > VLAPIC_MODE_DISABLED ? -PV_EFAULT : PV_OK;
	if ((from == VLAPIC_MODE_X2APIC && to == VLAPIC_MODE_XAPIC) ||
	    (from == VLAPIC_MODE_DISABLED && to == VLAPIC_MODE_X2APIC) ||
	    (to == VLAPIC_MODE_XAPIC && vcpu->guest_cpu_id > XAPIC_MAX_ID))
		return -PV_EFAULT;
	if (to == VLAPIC_MODE_DISABLED)
		vlapic_reset(l);
	atomic_store_explicit(&l->mode, to, memory_order_release);
	return PV_OK;
}

const struct vdev_ops vlapic_base_ops = {
	.read = base_read,
	.write = base_write,
};

/* The ICR in x2APIC form (destination in 63:32) for an xAPIC one (destination in 63:56). */
static uint64_t icr_x2(uint64_t xicr)
{
	uint32_t dest = (uint32_t)(xicr >> 56);

	return (xicr & 0xffffffffu) |
	       (uint64_t)(dest == ICR_XAPIC_BROADCAST ? ICR_BROADCAST_ID : dest) << 32;
}

static int xapic_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		      uint64_t *value)
{
	struct vlapic *l = vlapic_of(vcpu);
	uint32_t reg = (uint32_t)off;

	(void)dev;
	if (width != 4 || off % 16 || mode_of(vcpu) != VLAPIC_MODE_XAPIC)
		return -PV_EFAULT;
	switch (reg) {
	case XAPIC_ID:
		*value = (uint64_t)vcpu->guest_cpu_id << 24;
		return PV_OK;
	case XAPIC_LDR:
		*value = atomic_load_explicit(&l->ldr, memory_order_relaxed);
		return PV_OK;
	case XAPIC_DFR:
		*value = atomic_load_explicit(&l->dfr, memory_order_relaxed);
		return PV_OK;
	case XAPIC_ICR_LO:
		*value = (uint32_t)l->icr & ~(uint32_t)ICR_BUSY;
		return PV_OK;
	case XAPIC_ICR_HI:
		*value = (uint32_t)(l->icr >> 32);
		return PV_OK;
	default:
		if (reg == 0x3f0u) /* SELF_IPI is x2APIC only */
			return -PV_EFAULT;
		return vlapic_reg_read(vcpu, 0x800u + reg / 16u, value);
	}
}

static int xapic_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		       uint64_t value)
{
	struct vlapic *l = vlapic_of(vcpu);
	uint32_t reg = (uint32_t)off, v = (uint32_t)value;
	uint64_t xicr;
	int rc;

	(void)dev;
	if (width != 4 || off % 16 || mode_of(vcpu) != VLAPIC_MODE_XAPIC)
		return -PV_EFAULT;
	switch (reg) {
	case XAPIC_ID: /* the id is the vCPU's */
		return PV_OK;
	case XAPIC_LDR:
		atomic_store_explicit(&l->ldr, v & 0xff000000u, memory_order_relaxed);
		return PV_OK;
	case XAPIC_DFR:
		atomic_store_explicit(&l->dfr, v | DFR_RESERVED, memory_order_relaxed);
		return PV_OK;
	case XAPIC_ICR_HI:
		l->icr = (l->icr & 0xffffffffu) | (uint64_t)(v & 0xff000000u) << 32;
		return PV_OK;
	case XAPIC_ICR_LO:
		xicr = (l->icr & ~0xffffffffULL) | v;
		rc = vlapic_reg_write(vcpu, 0x830u, icr_x2(xicr));
		l->icr = xicr; /* it reads back in xAPIC form */
		return rc;
	case 0x280u: /* ESR: any value clears it in xAPIC mode */
		return PV_OK;
	default:
		if (reg == 0x3f0u)
			return -PV_EFAULT;
		return vlapic_reg_write(vcpu, 0x800u + reg / 16u, v);
	}
}

const struct vdev_ops vlapic_xapic_ops = {
	.read = xapic_read,
	.write = xapic_write,
};

bool vlapic_xapic_sipi_exit(struct vcpu *from, uint64_t gpa, uint64_t value, struct vcpu_exit *exit)
{
	const struct vlapic *l = vlapic_of(from);

	if (gpa != VLAPIC_XAPIC_BASE + XAPIC_ICR_LO || mode_of(from) != VLAPIC_MODE_XAPIC)
		return false;
	return vlapic_sipi_exit(from, icr_x2((l->icr & ~0xffffffffULL) | (uint32_t)value), exit);
}

bool vlapic_logical_match(const struct vcpu *to, uint32_t dest)
{
	const struct vlapic *l = vlapic_of(to);
	uint32_t id = (uint32_t)to->guest_cpu_id, ldr, dfr;

	if (dest == ICR_BROADCAST_ID)
		return true;
	if (mode_of(to) == VLAPIC_MODE_X2APIC) /* cluster in 31:16, members in 15:0 */
		return (dest >> 16) == (id >> 4) && (dest & (1u << (id & 15u)));
	if (mode_of(to) != VLAPIC_MODE_XAPIC || dest > 0xffu)
		return false;
	if (dest == ICR_XAPIC_BROADCAST)
		return true;
	ldr = LDR_ID(atomic_load_explicit(&l->ldr, memory_order_relaxed));
	dfr = atomic_load_explicit(&l->dfr, memory_order_relaxed) >> 28;
	if (dfr == DFR_FLAT)
		return (dest & ldr) != 0;
	return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xfu);
}

bool vlapic_irq_deliver(struct vm *vm, uint32_t dest, bool logical, bool lowest, unsigned vector,
			bool level)
{
	bool sent = false;

	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct vcpu *to = &vm->vcpus[i];
		bool match;

		if (!to->virq)
			continue;
		if (logical)
			match = vlapic_logical_match(to, dest);
		else /* 0xff is every APIC in xAPIC mode, an id like another in x2APIC mode */
			match = to->guest_cpu_id == dest ||
				(dest == ICR_XAPIC_BROADCAST && mode_of(to) == VLAPIC_MODE_XAPIC);
		if (!match)
			continue;
		vlapic_deliver(NULL, to, vector, level);
		sent = true;
		/* Lowest priority: one vCPU takes it (the first that matches). */
		if (lowest)
			break;
	}
	return sent;
}
