/* SPDX-License-Identifier: MIT */
/*
 * An emulated RISC-V PLIC (platform-level interrupt controller) for one VM: the guest's external
 * interrupts. Register map as in the RISC-V PLIC specification (offsets from the base):
 *   0x000000 + 4*s        priority of source s (1..VPLIC_SOURCES-1; 0 to 7, 0 = never)
 *   0x001000 + 4*w        pending bits of sources 32w..32w+31 (read-only)
 *   0x002000 + 0x80*c     enable bits of context c (32 per word)
 *   0x200000 + 0x1000*c   threshold of context c; +4: claim (read) / complete (write)
 * Contexts are laid out as on QEMU's virt board: context 2n is hart n's machine-level external
 * interrupt, which a VM has no use for (its registers work, its output drives nothing), and
 * context 2n + 1 is vCPU n's supervisor-level one (VPLIC_S_CTX), so guests and device trees made
 * for that board find their context where they expect it. Sources are level-triggered: a line
 * that drops before its claim withdraws the request; one still high at completion pends again.
 * Only aligned 32-bit accesses are accepted; unassigned registers read as zero and ignore writes.
 *
 * A source may be a physical PLIC's (passthrough, docs/devices.md): the backend claimed it on the
 * physical PLIC, whose gateway then holds the device's further requests, and raises it here
 * (vplic_hw_raise). It is one request, not a level: the guest's claim takes it, and the guest's
 * completion of it is passed on (vplic_hw_complete) so the backend completes the physical claim;
 * only then can the device interrupt again. A completion for such a source the guest did not
 * claim is ignored, like any other, so the guest never completes a physical claim it did not
 * see.
 */
#ifndef DEVICES_VPLIC_H
#define DEVICES_VPLIC_H

#include <irq/vdev.h>
#include <pv/spinlock.h>

#define VPLIC_SOURCES	   64 /* source 0 does not exist */
#define VPLIC_MAX_CTX	   16 /* two per vCPU */
#define VPLIC_PRIO_MASK	   7u
#define VPLIC_PRIORITY	   0x0ULL
#define VPLIC_PENDING	   0x1000ULL
#define VPLIC_ENABLE	   0x2000ULL
#define VPLIC_ENABLE_CTX   0x80ULL
#define VPLIC_CONTEXT	   0x200000ULL
#define VPLIC_CTX_STRIDE   0x1000ULL
#define VPLIC_SIZE(nctx)   (VPLIC_CONTEXT + VPLIC_CTX_STRIDE * (uint64_t)(nctx))
#define VPLIC_M_CTX(n)	   (2u * (n))	   /* hart n's machine-level context */
#define VPLIC_S_CTX(n)	   (2u * (n) + 1u) /* vCPU n's supervisor-level context */
#define VPLIC_CTXS(nvcpus) (2u * (nvcpus))
#define VPLIC_CTX_VCPU(c)  ((c) / 2u) /* the vCPU (hart) context c belongs to */

struct vplic {
	struct vdev dev;
	struct vm *vm;
	unsigned nctx;
	uint8_t priority[VPLIC_SOURCES];
	uint64_t level, pending, claimed; /* one bit per source */
	uint64_t hw;			  /* sources a physical PLIC's interrupts arrive on */
	uint64_t enable[VPLIC_MAX_CTX];
	uint8_t threshold[VPLIC_MAX_CTX];
	/* Whether context c has an interrupt to take: read lock-free by the vCPU's entry path. */
	volatile bool out[VPLIC_MAX_CTX];
	pv_spinlock_t lock;
};

/* Sets up @p with @nctx contexts (1..VPLIC_MAX_CTX) at guest-physical @base and registers it.
 * Context: vm_create. */
int vplic_init(struct vplic *p, struct vm *vm, uint64_t base, unsigned nctx);

/* Allocates a vPLIC from the VM's device arena and initialises it; NULL if that fails. */
struct vplic *vplic_create(struct vm *vm, uint64_t base, unsigned nctx);

/* Sets the level of source @src (1..VPLIC_SOURCES-1). -PV_EINVAL for another number.
 * Context: any CPU; takes the vPLIC's lock. */
int vplic_set_line(struct vplic *p, uint32_t src, bool level);

/* Makes @src (1..VPLIC_SOURCES-1) a physical PLIC's source, or an emulated one again.
 * Context: vm_create, the VM not running. */
int vplic_set_hw(struct vplic *p, uint32_t src, bool hw);

/* A physical interrupt arrived on hardware source @src: one request, pending until the guest
 * claims it. -PV_EINVAL for a source that is not a hardware one. Context: any CPU; takes the
 * vPLIC's lock. */
int vplic_hw_raise(struct vplic *p, uint32_t src);

/* The context a source's interrupts reach: the first whose enable bit for it is set, 0 when none
 * is (where a backend routes the physical source). Context: any CPU; takes the vPLIC's lock. */
unsigned vplic_route(struct vplic *p, uint32_t src);

/* Whether context @ctx has a pending, enabled source above its threshold. Context: any CPU. */
static inline bool vplic_output(const struct vplic *p, unsigned ctx)
{
	return ctx < p->nctx && p->out[ctx];
}

/* Defined by the backend that uses the vPLIC: context @ctx's output changed, so the vCPU behind
 * it must look at it again (before its next guest instruction if it runs elsewhere). Called
 * without the vPLIC's lock. */
void vplic_notify(struct vm *vm, unsigned ctx);

/* Defined by the backend too: the guest completed hardware source @src it had claimed (the
 * physical claim is to be completed), or changed which contexts enable it (the physical source
 * may follow, vplic_route). Called without the vPLIC's lock, on the CPU of the guest's access. */
void vplic_hw_complete(struct vm *vm, uint32_t src);
void vplic_hw_rerouted(struct vm *vm, uint32_t src);

#endif
