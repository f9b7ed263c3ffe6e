// SPDX-License-Identifier: MIT
/*
 * Emulated GICv3 distributor, redistributors and SGI registers of a VM (see a64/vgic_mmio.h). The
 * state lives in each vCPU's struct a64_vgic_cpu: private interrupts in their own, shared ones
 * mirrored into every vCPU (enable, group, priority) so list-register filling needs no VM lock.
 * Registers that configure nothing here (LPIs, non-secure access, power management) read as zero
 * and ignore writes, as on a GIC without those features.
 */
#include <a64/decode.h>
#include <a64/vgic.h>
#include <a64/vgic_mmio.h>
#include <vm/vm.h>

#define GICD_CTLR	0x0000u
#define GICD_TYPER	0x0004u
#define GICD_IGROUPR	0x0080u
#define GICD_ISENABLER	0x0100u
#define GICD_ICENABLER	0x0180u
#define GICD_ISPENDR	0x0200u
#define GICD_ICPENDR	0x0280u
#define GICD_ISACTIVER	0x0300u
#define GICD_ICACTIVER	0x0380u
#define GICD_IPRIORITYR 0x0400u
#define GICD_ICFGR	0x0c00u
#define GICD_IROUTER	0x6000u
#define GIC_PIDR2	0xffe8u
#define GIC_PIDR2_V3	0x3bu
#define GICD_CTLR_ARE	PV_BIT(4)
#define GICD_CTLR_DS	PV_BIT(6)
#define GICR_TYPER	0x0008u
#define GICR_WAKER	0x0014u
#define GICR_SGI	0x10000u
#define GICR_TYPER_LAST PV_BIT(4)
/* GICD_IROUTER<n> / MPIDR layout: Aff3 in bits 39:32, Aff2..Aff0 in bits 23:0, IRM in bit 31. */
#define IROUTER_AFF (PV_MASK(39, 32) | PV_MASK(23, 0))
#define IROUTER_IRM PV_BIT(31)

struct a64_vgic_dist {
	struct vm *vm;
	pv_spinlock_t lock;
	uint32_t ctlr;
	uint32_t icfgr[A64_VGIC_NR_SPI / 16];
	uint64_t route[A64_VGIC_NR_SPI];
	struct vdev gicd, gicr, sgi;
};

static struct a64_vgic_cpu *cpu_of(struct vcpu *v)
{
	return v->virq;
}

/* One 32-bit word of a bitmap register (enable, pending, group, ...) for INTIDs @base..+31. */
enum bitreg {
	BR_GROUP,
	BR_SET_ENABLE,
	BR_CLR_ENABLE,
	BR_SET_PEND,
	BR_CLR_PEND,
	BR_SET_ACTIVE,
	BR_CLR_ACTIVE,
};

static uint32_t bitreg_read(struct a64_vgic_cpu *c, enum bitreg r, unsigned base)
{
	switch (r) {
	case BR_GROUP:
		return (uint32_t)(c->group1 >> base);
	case BR_SET_ENABLE:
	case BR_CLR_ENABLE:
		return (uint32_t)(c->enabled >> base);
	case BR_SET_PEND:
	case BR_CLR_PEND:
		return (uint32_t)((c->pending | (c->in_lr & ~c->active)) >> base);
	default:
		return (uint32_t)(c->active >> base);
	}
}

/* Applies a write; returns the INTIDs that became pending (the caller wakes the vCPU). */
static uint64_t bitreg_write(struct a64_vgic_cpu *c, enum bitreg r, unsigned base, uint32_t v)
{
	uint64_t bits = (uint64_t)v << base, mask = 0xffffffffULL << base;

	switch (r) {
	case BR_GROUP:
		c->group1 = (c->group1 & ~mask) | bits;
		break;
	case BR_SET_ENABLE:
		c->enabled |= bits;
		return c->pending & bits;
	case BR_CLR_ENABLE:
		c->enabled &= ~bits;
		break;
	/* Other CPUs set pending bits without the lock (a64_vgic_inject): atomic updates. */
	case BR_SET_PEND:
		__atomic_or_fetch(&c->pending, bits, __ATOMIC_RELEASE);
		return bits;
	case BR_CLR_PEND:
		a64_vgic_pt_clear(c, bits);
		__atomic_and_fetch(&c->pending, ~bits, __ATOMIC_RELAXED);
		break;
	default:
		break; /* active state belongs to the list registers */
	}
	return 0;
}

static int bitreg_of(uint64_t off, enum bitreg *r)
{
	static const uint32_t starts[] = { GICD_IGROUPR,  GICD_ISENABLER, GICD_ICENABLER,
					   GICD_ISPENDR,  GICD_ICPENDR,	  GICD_ISACTIVER,
					   GICD_ICACTIVER };

	for (unsigned i = 0; i < PV_ARRAY_SIZE(starts); i++) {
		if (off >= starts[i] && off < starts[i] + 0x80u) {
			*r = (enum bitreg)i;
			return (int)((off - starts[i]) / 4u);
		}
	}
	return -1;
}

/* GICD_IPRIORITYR<n> and the SGI frame's copy: byte or word accesses, naturally aligned, so one
 * access never spans two registers (nor the end of the SGI/PPI range). */
static bool prio_access_ok(uint64_t off, unsigned width)
{
	return (width == 1 || width == 4) && !(off & (width - 1u));
}

/* Priority bytes of @c for INTIDs @first.. (@width bytes, little-endian lanes). */
static uint64_t prio_read(const struct a64_vgic_cpu *c, unsigned first, unsigned width)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < width && first + i < A64_VGIC_NR_IRQ; i++)
		v |= (uint64_t)c->prio[first + i] << (8 * i);
	return v;
}

static void prio_write(struct a64_vgic_cpu *c, unsigned first, unsigned width, uint64_t v)
{
	for (unsigned i = 0; i < width && first + i < A64_VGIC_NR_IRQ; i++)
		c->prio[first + i] = (uint8_t)(v >> (8 * i));
}

static void kick_if(struct vcpu *v, uint64_t woke)
{
	if (woke & cpu_of(v)->enabled)
		(void)a64_vgic_raise(v, (uint32_t)__builtin_ctzll(woke & cpu_of(v)->enabled));
}

/* ---- distributor ---- */

static int gicd_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		     uint64_t *value)
{
	struct a64_vgic_dist *d = dev->priv;
	struct vcpu *v0 = &d->vm->vcpus[0];
	enum bitreg r;
	int word;

	(void)vcpu;
	/* Every register is accessed naturally aligned (as the redistributors require). */
	if (off & (width - 1u))
		return -PV_EFAULT;
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + A64_VGIC_NR_IRQ) {
		if (!prio_access_ok(off, width))
			return -PV_EFAULT;
		/* SGI and PPI priorities live in the redistributors (affinity routing). */
		*value = off < GICD_IPRIORITYR + 32
				 ? 0
				 : prio_read(cpu_of(v0), (unsigned)(off - GICD_IPRIORITYR), width);
		return PV_OK;
	}
	if (off >= GICD_IROUTER + 8 * 32 && off < GICD_IROUTER + 8 * A64_VGIC_NR_IRQ) {
		if (width != 8 && width != 4)
			return -PV_EFAULT;
		pv_spin_lock(&d->lock);
		*value = d->route[(off - GICD_IROUTER) / 8 - 32] >> (8 * (off & 4u));
		pv_spin_unlock(&d->lock);
		return PV_OK;
	}
	if (width != 4)
		return -PV_EFAULT;
	word = bitreg_of(off, &r);
	if (word >= 0) {
		/* Word 0 is the private interrupts, banked in the redistributors. */
		if (word != 1) {
			*value = 0;
			return PV_OK;
		}
		pv_spin_lock(&v0->virq_lock);
		*value = bitreg_read(cpu_of(v0), r, 32);
		pv_spin_unlock(&v0->virq_lock);
		return PV_OK;
	}
	switch (off) {
	case GICD_CTLR:
		*value = d->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
		break;
	case GICD_TYPER:
		/* INTIDs 0..(ITLinesNumber+1)*32-1 exist; 10 interrupt id bits. */
		*value = (A64_VGIC_NR_IRQ / 32u - 1u) | (9u << 19) | ((d->vm->nvcpus - 1u) << 5);
		break;
	case GIC_PIDR2:
		*value = GIC_PIDR2_V3;
		break;
	default:
		if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + 8 + sizeof(d->icfgr)) {
			*value = d->icfgr[(off - GICD_ICFGR - 8) / 4];
			break;
		}
		*value = 0;
		break;
	}
	return PV_OK;
}

static int gicd_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		      uint64_t value)
{
	struct a64_vgic_dist *d = dev->priv;
	struct vm *vm = d->vm;
	enum bitreg r;
	int word;

	(void)vcpu;
	if (off & (width - 1u))
		return -PV_EFAULT;
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + A64_VGIC_NR_IRQ) {
		if (!prio_access_ok(off, width))
			return -PV_EFAULT;
		if (off < GICD_IPRIORITYR + 32)
			return PV_OK; /* banked in the redistributors */
		for (unsigned i = 0; i < vm->nvcpus; i++) {
			pv_spin_lock(&vm->vcpus[i].virq_lock);
			prio_write(cpu_of(&vm->vcpus[i]), (unsigned)(off - GICD_IPRIORITYR), width,
				   value);
			pv_spin_unlock(&vm->vcpus[i].virq_lock);
		}
		return PV_OK;
	}
	if (off >= GICD_IROUTER + 8 * 32 && off < GICD_IROUTER + 8 * A64_VGIC_NR_IRQ) {
		unsigned i = (unsigned)((off - GICD_IROUTER) / 8 - 32);

		if (width != 8)
			return -PV_EFAULT;
		pv_spin_lock(&d->lock);
		d->route[i] = value & (IROUTER_AFF | IROUTER_IRM);
		pv_spin_unlock(&d->lock);
		a64_vgic_pt_route(vm, 32 + i);
		return PV_OK;
	}
	if (width != 4)
		return -PV_EFAULT;
	word = bitreg_of(off, &r);
	if (word == 1) {
		/* Shared interrupts: configuration mirrored in every vCPU, pending on one. */
		if (r == BR_SET_PEND) {
			for (unsigned b = 0; b < 32; b++)
				if (value >> b & 1) {
					struct vcpu *t = a64_vgic_mmio_route(vm, 32 + b);
					if (t)
						(void)a64_vgic_raise(t, 32 + b);
				}
			return PV_OK;
		}
		for (unsigned i = 0; i < vm->nvcpus; i++) {
			struct vcpu *v = &vm->vcpus[i];
			uint64_t woke, dropped;

			pv_spin_lock(&v->virq_lock);
			woke = bitreg_write(cpu_of(v), r, 32, (uint32_t)value);
			dropped = cpu_of(v)->hw_drop;
			pv_spin_unlock(&v->virq_lock);
			kick_if(v, woke);
			/* A cleared passed-through interrupt leaves its physical one active. */
			if (dropped)
				a64_vgic_recheck(v);
		}
		return PV_OK;
	}
	if (word >= 0)
		return PV_OK;
	if (off == GICD_CTLR) {
		d->ctlr = (uint32_t)value & 3u; /* group enables; ARE and DS are fixed at 1 */
		return PV_OK;
	}
	if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + 8 + sizeof(d->icfgr)) {
		unsigned i = (unsigned)(off - GICD_ICFGR - 8) / 4;

		pv_spin_lock(&d->lock);
		d->icfgr[i] = (uint32_t)value & 0xaaaaaaaau;
		pv_spin_unlock(&d->lock);
		a64_vgic_pt_config(vm, 32 + 16 * i, (uint32_t)value & 0xaaaaaaaau);
	}
	return PV_OK;
}

static const struct vdev_ops gicd_ops = { .read = gicd_read, .write = gicd_write };

/* ---- redistributors ---- */

static int gicr_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		     uint64_t *value)
{
	struct a64_vgic_dist *d = dev->priv;
	unsigned idx = (unsigned)(off / A64_VGIC_GICR_FRAME);
	struct vcpu *v = &d->vm->vcpus[idx];
	struct a64_vgic_cpu *c = cpu_of(v);
	uint64_t reg = off % A64_VGIC_GICR_FRAME;
	enum bitreg r;

	(void)vcpu;
	if (off & (width - 1u))
		return -PV_EFAULT;
	if (reg >= GICR_SGI + GICD_IPRIORITYR && reg < GICR_SGI + GICD_IPRIORITYR + 32) {
		if (!prio_access_ok(reg, width))
			return -PV_EFAULT;
		pv_spin_lock(&v->virq_lock);
		*value = prio_read(c, (unsigned)(reg - GICR_SGI - GICD_IPRIORITYR), width);
		pv_spin_unlock(&v->virq_lock);
		return PV_OK;
	}
	if (reg == GICR_TYPER || reg == GICR_TYPER + 4) {
		uint64_t mpidr = v->guest_cpu_id;
		uint64_t aff = (mpidr & 0xffffffULL) | ((mpidr >> 8) & 0xff000000ULL);
		uint64_t typer = (aff << 32) | ((uint64_t)idx << 8) |
				 (idx + 1 == d->vm->nvcpus ? GICR_TYPER_LAST : 0);

		*value = typer >> (8 * (reg & 4u));
		return PV_OK;
	}
	if (width != 4)
		return -PV_EFAULT;
	if (reg >= GICR_SGI && bitreg_of(reg - GICR_SGI, &r) == 0) {
		pv_spin_lock(&v->virq_lock);
		*value = bitreg_read(c, r, 0);
		pv_spin_unlock(&v->virq_lock);
		return PV_OK;
	}
	switch (reg) {
	case GICR_WAKER:
		*value = c->waker | (c->waker << 1); /* ChildrenAsleep follows ProcessorSleep */
		break;
	case GIC_PIDR2:
		*value = GIC_PIDR2_V3;
		break;
	case GICR_SGI + GICD_ICFGR:
	case GICR_SGI + GICD_ICFGR + 4:
		*value = c->icfgr[(reg - GICR_SGI - GICD_ICFGR) / 4];
		break;
	default:
		*value = 0;
		break;
	}
	return PV_OK;
}

static int gicr_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		      uint64_t value)
{
	struct a64_vgic_dist *d = dev->priv;
	struct vcpu *v = &d->vm->vcpus[off / A64_VGIC_GICR_FRAME];
	struct a64_vgic_cpu *c = cpu_of(v);
	uint64_t reg = off % A64_VGIC_GICR_FRAME, woke = 0;
	bool cleared = false;
	enum bitreg r;

	(void)vcpu;
	if (reg >= GICR_SGI + GICD_IPRIORITYR && reg < GICR_SGI + GICD_IPRIORITYR + 32) {
		if (!prio_access_ok(reg, width))
			return -PV_EFAULT;
		pv_spin_lock(&v->virq_lock);
		prio_write(c, (unsigned)(reg - GICR_SGI - GICD_IPRIORITYR), width, value);
		pv_spin_unlock(&v->virq_lock);
		return PV_OK;
	}
	if (width != 4 || (reg & 3u))
		return -PV_EFAULT;
	pv_spin_lock(&v->virq_lock);
	if (reg >= GICR_SGI && bitreg_of(reg - GICR_SGI, &r) == 0) {
		woke = bitreg_write(c, r, 0, (uint32_t)value);
		cleared = r == BR_CLR_PEND;
	} else if (reg == GICR_WAKER)
		c->waker = (uint32_t)value & 2u;
	else if (reg == GICR_SGI + GICD_ICFGR + 4)
		c->icfgr[1] = (uint32_t)value & 0xaaaaaaaau;
	pv_spin_unlock(&v->virq_lock);
	kick_if(v, woke);
	/* A cleared interrupt may have been holding its physical source masked. */
	if (cleared)
		a64_vgic_recheck(v);
	return PV_OK;
}

static const struct vdev_ops gicr_ops = { .read = gicr_read, .write = gicr_write };

/* ---- SGI generation: ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1 ---- */

#define A64_SGI_FIRST_ID A64_SYSREG_ID(3, 0, 12, 11, 5)

static bool sgi_targets(uint64_t v, const struct vcpu *from, const struct vcpu *to)
{
	uint64_t id = to->guest_cpu_id;
	unsigned aff0 = (unsigned)(id & 0xffu);

	if (v >> 40 & 1) /* IRM: every vCPU but the sender */
		return to != from;
	return ((id >> 8) & 0xff) == ((v >> 16) & 0xff) &&
	       ((id >> 16) & 0xff) == ((v >> 32) & 0xff) &&
	       ((id >> 32) & 0xff) == ((v >> 48) & 0xff) && (aff0 >> 4) == ((v >> 44) & 0xf) &&
	       (v >> (aff0 & 15u) & 1);
}

static int sgi_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		    uint64_t *value)
{
	(void)dev, (void)vcpu, (void)off, (void)width, (void)value;
	return -PV_EFAULT; /* write-only registers: the read is undefined to the guest */
}

static int sgi_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		     uint64_t value)
{
	struct a64_vgic_dist *d = dev->priv;
	uint32_t intid = (uint32_t)(value >> 24) & 15u;

	(void)off, (void)width;
	for (unsigned i = 0; i < d->vm->nvcpus; i++)
		if (sgi_targets(value, vcpu, &d->vm->vcpus[i]))
			(void)a64_vgic_raise(&d->vm->vcpus[i], intid);
	return PV_OK;
}

static const struct vdev_ops sgi_ops = { .read = sgi_read, .write = sgi_write };

struct vcpu *a64_vgic_mmio_route(struct vm *vm, uint32_t intid)
{
	struct a64_vgic_dist *d = vm->virq;
	uint64_t route;

	if (!d || intid < 32 || intid >= A64_VGIC_NR_IRQ)
		return NULL;
	pv_spin_lock(&d->lock);
	route = d->route[intid - 32];
	pv_spin_unlock(&d->lock);
	if (route & IROUTER_IRM) /* Interrupt_Routing_Mode 1: any vCPU; the first one takes it */
		return &vm->vcpus[0];
	return vm_find_vcpu(vm, route & IROUTER_AFF);
}

int a64_vgic_mmio_init(struct vm *vm)
{
	struct a64_vgic_dist *d = vm_dev_alloc(vm, sizeof(*d));
	int err;

	if (!d)
		return -PV_ENOMEM;
	d->vm = vm;
	pv_spin_init(&d->lock);
	d->gicd = (struct vdev){ .name = "gicd",
				 .space = VDEV_SPACE_MMIO,
				 .base = A64_VGIC_GICD_BASE,
				 .size = A64_VGIC_GICD_SIZE,
				 .ops = &gicd_ops,
				 .priv = d };
	d->gicr = (struct vdev){ .name = "gicr",
				 .space = VDEV_SPACE_MMIO,
				 .base = A64_VGIC_GICR_BASE,
				 .size = A64_VGIC_GICR_FRAME * vm->nvcpus,
				 .ops = &gicr_ops,
				 .priv = d };
	d->sgi = (struct vdev){ .name = "icc_sgi",
				.space = VDEV_SPACE_SYSREG,
				.base = A64_SGI_FIRST_ID,
				.size = 3,
				.ops = &sgi_ops,
				.priv = d };
	vm->virq = d;
	err = vdev_register(vm, &d->gicd);
	if (!err)
		err = vdev_register(vm, &d->gicr);
	if (!err)
		err = vdev_register(vm, &d->sgi);
	return err;
}

void a64_vgic_mmio_destroy(struct vm *vm)
{
	vm->virq = NULL; /* the state lives in the VM's device arena */
}
