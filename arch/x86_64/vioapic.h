/* SPDX-License-Identifier: MIT */
/*
 * An emulated I/O APIC for one VM (82093AA-style register interface, version 0x20 with the EOI
 * register), at the guest-physical address the VM's MADT names (X86_IOAPIC_BASE). Registers
 * (offsets from the base; only aligned 32-bit accesses are decoded):
 *   0x00 IOREGSEL  index of the register IOWIN reaches (bits 7:0)
 *   0x10 IOWIN     0x00 ID (27:24), 0x01 version (max. entry 23 in 23:16, version 0x20),
 *                  0x02 arbitration id (= ID), 0x10 + 2n / 0x11 + 2n: redirection entry n
 *                  low / high words (n = 0..23)
 *   0x40 EOI       write a vector: the Remote-IRR of every level-triggered entry with it clears
 * A redirection entry: vector 7:0, delivery mode 10:8 (fixed 0 or lowest priority 1; other modes
 * are not delivered), destination mode 11 (physical 0, logical 1), delivery status 12 (reads 0),
 * polarity 13 (active low 1), Remote-IRR 14 (read-only), trigger mode 15 (level 1), mask 16,
 * destination 63:56. Reserved bits read as zero and ignore writes; registers the index names no
 * register of read as zero and ignore writes (logged within the VM's log budget).
 *
 * Pins: an edge-triggered pin latches a rising edge of its (polarity-corrected) input and sends
 * it once unmasked; a level-triggered one sends while its input is asserted, then sets Remote-IRR
 * until the destination's EOI (broadcast by the vLAPIC for level-triggered vectors, or the EOI
 * register), after which an input still asserted sends again. Messages go to the vLAPICs
 * (vlapic_irq_deliver), which kick a destination vCPU running on another CPU.
 */
#ifndef X86_VIOAPIC_H
#define X86_VIOAPIC_H

#include <irq/vdev.h>
#include <pv/spinlock.h>

#define VIOAPIC_PINS	24
#define VIOAPIC_VERSION 0x20u

#define VIOAPIC_RTE_VECTOR     0xffu
#define VIOAPIC_RTE_MODE(v)    (((v) >> 8) & 7u)
#define VIOAPIC_RTE_LOGICAL    PV_BIT(11)
#define VIOAPIC_RTE_LOW	       PV_BIT(13)
#define VIOAPIC_RTE_REMOTE_IRR PV_BIT(14)
#define VIOAPIC_RTE_LEVEL      PV_BIT(15)
#define VIOAPIC_RTE_MASKED     PV_BIT(16)
#define VIOAPIC_RTE_DEST(v)    ((uint32_t)((v) >> 56))
/* What a guest may write: vector, delivery and destination mode, polarity, trigger, mask,
 * destination. */
#define VIOAPIC_RTE_WRITABLE                                                                       \
	(0xff000000000000ffULL | 0x700ULL | PV_BIT(11) | PV_BIT(13) | PV_BIT(15) | PV_BIT(16))

struct vioapic {
	struct vdev dev;
	struct vm *vm;
	uint32_t regsel;
	uint32_t id;		    /* bits 27:24 of the ID register */
	uint64_t rte[VIOAPIC_PINS]; /* Remote-IRR is kept in it, delivery status is not */
	uint32_t input;		    /* one bit per pin: its input line as the device drives it */
	uint32_t irr;		    /* requests not yet sent (edge) / asserted input (level) */
	uint64_t ignored;	    /* guest accesses that named no register, for the log */
	pv_spinlock_t lock;
};

/* Sets @io up for @vm at guest-physical @base, every entry masked, and registers its window.
 * Context: vm_create (the VM lock held); never blocks. */
int vioapic_init(struct vioapic *io, struct vm *vm, uint64_t base);

/* Drives pin @pin's input to @level (true = the device asserts its line, before polarity).
 * -PV_EINVAL for a pin the I/O APIC does not have. Context: any CPU, no vCPU lock held; takes the
 * I/O APIC's lock; never blocks. */
int vioapic_set_line(struct vioapic *io, uint32_t pin, bool level);

/* A vCPU's EOI of level-triggered @vector: clears the matching entries' Remote-IRR and sends
 * again those whose input is still asserted. Context: the EOI-ing vCPU's CPU, no lock held. */
void vioapic_eoi(struct vioapic *io, unsigned vector);

/* Defined by the vLAPIC: sends @vector to the vCPUs of @vm that @dest names (physical: an APIC id;
 * logical: matched against each vCPU's logical destination), to one of them for lowest priority;
 * @level marks it level-triggered (its EOI is broadcast back). Returns whether a vCPU took it.
 * Context: any CPU; the I/O APIC's lock may be held; never blocks. */
bool vlapic_irq_deliver(struct vm *vm, uint32_t dest, bool logical, bool lowest, unsigned vector,
			bool level);

#endif
