// SPDX-License-Identifier: MIT
/* The emulated PLIC (devices/vplic.h). */
#include <devices/vplic.h>
#include <vm/vm.h>

/* Recomputes every context's output; returns the contexts whose output changed. Lock held. */
static uint32_t vplic_update(struct vplic *p)
{
	uint32_t changed = 0;

	for (unsigned c = 0; c < p->nctx; c++) {
		uint64_t cand = p->pending & p->enable[c];
		bool out = false;

		for (unsigned s = 1; cand && s < VPLIC_SOURCES; s++)
			if ((cand >> s & 1) && p->priority[s] > p->threshold[c]) {
				out = true;
				break;
			}
		if (out != p->out[c]) {
			p->out[c] = out;
			changed |= 1u << c;
		}
	}
	return changed;
}

static void vplic_unlock_notify(struct vplic *p, uint32_t changed)
{
	pv_spin_unlock(&p->lock);
	for (unsigned c = 0; c < p->nctx; c++)
		if (changed >> c & 1)
			vplic_notify(p->vm, c);
}

/* The claim: the highest-priority pending source enabled for @ctx above its threshold (lowest
 * number on a tie), moved from pending to claimed; 0 if there is none. Lock held. */
static uint32_t vplic_claim(struct vplic *p, unsigned ctx)
{
	uint64_t cand = p->pending & p->enable[ctx];
	unsigned best = 0;
	uint8_t best_prio = p->threshold[ctx];

	for (unsigned s = 1; s < VPLIC_SOURCES; s++)
		if ((cand >> s & 1) && p->priority[s] > best_prio) {
			best = s;
			best_prio = p->priority[s];
		}
	if (best) {
		p->pending &= ~(1ULL << best);
		p->claimed |= 1ULL << best;
	}
	return best;
}

/* Returns whether @src was a hardware source the guest completed (vplic_hw_complete is due). */
static bool vplic_complete(struct vplic *p, unsigned ctx, uint64_t src)
{
	uint64_t bit;

	/* A completion for a source not enabled for this context is ignored (PLIC spec). */
	if (src == 0 || src >= VPLIC_SOURCES || !(p->enable[ctx] >> src & 1))
		return false;
	bit = 1ULL << src;
	if (!(p->claimed & bit))
		return false;
	p->claimed &= ~bit;
	if (p->level & bit)
		p->pending |= bit;
	return (p->hw & bit) != 0;
}

static int vplic_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		      uint64_t *value)
{
	struct vplic *p = dev->priv;
	uint32_t changed = 0;
	uint64_t v = 0;

	(void)vcpu;
	if (width != 4 || off % 4)
		return -PV_EFAULT;
	pv_spin_lock(&p->lock);
	if (off < VPLIC_PENDING) {
		uint64_t s = off / 4;
		v = s < VPLIC_SOURCES ? p->priority[s] : 0;
	} else if (off < VPLIC_ENABLE) {
		uint64_t w = (off - VPLIC_PENDING) / 4;
		v = w < VPLIC_SOURCES / 32 ? (uint32_t)(p->pending >> (32 * w)) : 0;
	} else if (off < VPLIC_CONTEXT) {
		uint64_t c = (off - VPLIC_ENABLE) / VPLIC_ENABLE_CTX;
		uint64_t w = (off - VPLIC_ENABLE) % VPLIC_ENABLE_CTX / 4;
		if (c < p->nctx && w < VPLIC_SOURCES / 32)
			v = (uint32_t)(p->enable[c] >> (32 * w));
	} else {
		uint64_t c = (off - VPLIC_CONTEXT) / VPLIC_CTX_STRIDE;
		uint64_t r = (off - VPLIC_CONTEXT) % VPLIC_CTX_STRIDE;
		if (c < p->nctx && r == 0) {
			v = p->threshold[c];
		} else if (c < p->nctx && r == 4) {
			v = vplic_claim(p, (unsigned)c);
			changed = vplic_update(p);
		}
	}
	vplic_unlock_notify(p, changed);
	*value = v;
	return PV_OK;
}

static int vplic_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		       uint64_t value)
{
	struct vplic *p = dev->priv;
	uint32_t v = (uint32_t)value;
	uint64_t rerouted = 0;
	bool hw_done = false;

	(void)vcpu;
	if (width != 4 || off % 4)
		return -PV_EFAULT;
	pv_spin_lock(&p->lock);
	if (off < VPLIC_PENDING) {
		uint64_t s = off / 4;
		if (s != 0 && s < VPLIC_SOURCES)
			p->priority[s] = (uint8_t)(v & VPLIC_PRIO_MASK);
	} else if (off < VPLIC_ENABLE) {
		/* pending bits are read-only */
	} else if (off < VPLIC_CONTEXT) {
		uint64_t c = (off - VPLIC_ENABLE) / VPLIC_ENABLE_CTX;
		uint64_t w = (off - VPLIC_ENABLE) % VPLIC_ENABLE_CTX / 4;
		if (c < p->nctx && w < VPLIC_SOURCES / 32) {
			uint64_t mask = 0xffffffffULL << (32 * w);
			uint64_t bits = (uint64_t)v << (32 * w);
			uint64_t old = p->enable[c];

			p->enable[c] = ((p->enable[c] & ~mask) | (bits & mask)) & ~1ULL;
			rerouted = (old ^ p->enable[c]) & p->hw;
		}
	} else {
		uint64_t c = (off - VPLIC_CONTEXT) / VPLIC_CTX_STRIDE;
		uint64_t r = (off - VPLIC_CONTEXT) % VPLIC_CTX_STRIDE;
		if (c < p->nctx && r == 0)
			p->threshold[c] = (uint8_t)(v & VPLIC_PRIO_MASK);
		else if (c < p->nctx && r == 4)
			hw_done = vplic_complete(p, (unsigned)c, v);
	}
	vplic_unlock_notify(p, vplic_update(p));
	if (hw_done)
		vplic_hw_complete(p->vm, v);
	for (uint32_t src = 1; rerouted >> src; src++)
		if (rerouted >> src & 1)
			vplic_hw_rerouted(p->vm, src);
	return PV_OK;
}

static const struct vdev_ops vplic_ops = {
	.read = vplic_read,
	.write = vplic_write,
};

int vplic_init(struct vplic *p, struct vm *vm, uint64_t base, unsigned nctx)
{
	if (nctx == 0 || nctx > VPLIC_MAX_CTX)
		return -PV_EINVAL;
	*p = (struct vplic){ .vm = vm, .nctx = nctx };
	pv_spin_init(&p->lock);
	p->dev = (struct vdev){
		.name = "vplic",
		.space = VDEV_SPACE_MMIO,
		.base = base,
		.size = VPLIC_SIZE(nctx),
		.ops = &vplic_ops,
		.priv = p,
	};
	return vdev_register(vm, &p->dev);
}

struct vplic *vplic_create(struct vm *vm, uint64_t base, unsigned nctx)
{
	struct vplic *p = vm_dev_alloc(vm, sizeof(*p));

	if (!p || vplic_init(p, vm, base, nctx) != PV_OK)
		return NULL;
	return p;
}

int vplic_set_line(struct vplic *p, uint32_t src, bool level)
{
	uint64_t bit;

	if (src == 0 || src >= VPLIC_SOURCES)
		return -PV_EINVAL;
	bit = 1ULL << src;
	pv_spin_lock(&p->lock);
	if (level) {
		p->level |= bit;
		if (!(p->claimed & bit))
			p->pending |= bit;
	} else {
		p->level &= ~bit;
		p->pending &= ~bit;
	}
	vplic_unlock_notify(p, vplic_update(p));
	return PV_OK;
}

int vplic_set_hw(struct vplic *p, uint32_t src, bool hw)
{
	if (src == 0 || src >= VPLIC_SOURCES)
		return -PV_EINVAL;
	pv_spin_lock(&p->lock);
	p->hw = hw ? p->hw | 1ULL << src : p->hw & ~(1ULL << src);
	pv_spin_unlock(&p->lock);
	return PV_OK;
}

int vplic_hw_raise(struct vplic *p, uint32_t src)
{
	uint64_t bit;

	if (src == 0 || src >= VPLIC_SOURCES)
		return -PV_EINVAL;
	bit = 1ULL << src;
	pv_spin_lock(&p->lock);
	if (!(p->hw & bit)) {
		pv_spin_unlock(&p->lock);
		return -PV_EINVAL;
	}
	p->pending |= bit;
	vplic_unlock_notify(p, vplic_update(p));
	return PV_OK;
}

unsigned vplic_route(struct vplic *p, uint32_t src)
{
	unsigned ctx = 0;

	if (src == 0 || src >= VPLIC_SOURCES)
		return 0;
	pv_spin_lock(&p->lock);
	for (unsigned c = 0; c < p->nctx; c++)
		if (p->enable[c] >> src & 1) {
			ctx = c;
			break;
		}
	pv_spin_unlock(&p->lock);
	return ctx;
}
