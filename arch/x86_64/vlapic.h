/* SPDX-License-Identifier: MIT */
/*
 * What the parts of the emulated local APIC share: vlapic.c (the registers, by their x2APIC MSR
 * numbers, and delivery), vlapic_sipi.c (INIT and Start-Up), vlapic_xapic.c (IA32_APIC_BASE, the
 * xAPIC page and the destinations of device interrupts).
 */
#ifndef X86_VLAPIC_H
#define X86_VLAPIC_H

#include <irq/vdev.h>

#include "vioapic.h"
#include "vmx_vcpu.h"

enum {
	APIC_ID = 0x802,
	APIC_VERSION = 0x803,
	APIC_TPR = 0x808,
	APIC_PPR = 0x80a,
	APIC_EOI = 0x80b,
	APIC_LDR = 0x80d,
	APIC_SVR = 0x80f,
	APIC_ISR0 = 0x810,
	APIC_TMR0 = 0x818,
	APIC_IRR0 = 0x820,
	APIC_ESR = 0x828,
	APIC_LVT_CMCI = 0x82f,
	APIC_ICR = 0x830,
	APIC_LVT_TIMER = 0x832,
	APIC_LVT_THERMAL = 0x833,
	APIC_LVT_ERROR = 0x837,
	APIC_TIMER_INIT = 0x838,
	APIC_TIMER_CUR = 0x839,
	APIC_TIMER_DIV = 0x83e,
	APIC_SELF_IPI = 0x83f,
};

#define APIC_VERSION_VALUE 0x00050014u /* version 0x14, 6 LVT entries */
#define LVT_MASKED	   PV_BIT(16)
#define LVT_TIMER_MODE(v)  (((v) >> 17) & 3u)
#define LVT_TSC_DEADLINE   2u
#define SVR_ENABLE	   PV_BIT(8)
#define ICR_MODE(v)	   (((v) >> 8) & 7u)
#define ICR_MODE_FIXED	   0u
#define ICR_MODE_INIT	   5u
#define ICR_MODE_STARTUP   6u
#define ICR_LEVEL_ASSERT   PV_BIT(14)
#define ICR_LOGICAL	   PV_BIT(11)
#define ICR_SHORTHAND(v)   (((v) >> 18) & 3u)
#define ICR_DEST_ONE	   0u
#define ICR_DEST_SELF	   1u
#define ICR_DEST_ALL	   2u
#define ICR_DEST_OTHERS	   3u
#define ICR_BROADCAST_ID   0xffffffffu /* x2APIC physical destination: every APIC (SDM 10.12.9) */

static inline struct vlapic *vlapic_of(const struct vcpu *vcpu)
{
	return (struct vlapic *)vcpu->virq;
}

#define ICR_XAPIC_BROADCAST 0xffu      /* the same in xAPIC mode (8-bit destinations) */
#define ICR_BUSY	    PV_BIT(12) /* delivery status: never pending here */

/* The per-VM part: the registers' windows and the I/O APIC (vm->virq). */
struct vlapic_vm {
	struct vdev msrs;      /* x2APIC registers, MSRs 0x800-0x8ff */
	struct vdev deadline;  /* IA32_TSC_DEADLINE */
	struct vdev apic_base; /* IA32_APIC_BASE */
	struct vdev xapic;     /* the xAPIC page at VLAPIC_XAPIC_BASE */
	struct vioapic ioapic;
};

#define VLAPIC_XAPIC_BASE 0xfee00000ULL

/* The registers' state after power-on or INIT (the APIC id is the vCPU's, fixed; the mode stays). */
void vlapic_reset(struct vlapic *l);

/* Sets @vector pending in @to and kicks its CPU if it runs elsewhere (@from: the sender, NULL for
 * a device); @level: level-triggered, its EOI goes back to the I/O APIC. Context: any CPU. */
void vlapic_deliver(struct vcpu *from, struct vcpu *to, unsigned vector, bool level);

/* The register with x2APIC MSR number @msr, as read or written by @vcpu (its own CPU). -PV_EFAULT
 * for a register the access may not reach (#GP). */
int vlapic_reg_read(struct vcpu *vcpu, uint32_t msr, uint64_t *value);
int vlapic_reg_write(struct vcpu *vcpu, uint32_t msr, uint64_t value);

/* An INIT IPI (ICR value in x2APIC form) from @vcpu: vlapic_sipi.c. */
int vlapic_icr_init(struct vcpu *vcpu, uint64_t value);

/* Whether logical destination @dest (x2APIC form: 32 bits, or the 8 bits of xAPIC mode) names
 * @to, as its mode, LDR and DFR say. Context: any CPU. */
bool vlapic_logical_match(const struct vcpu *to, uint32_t dest);

/* vlapic_xapic.c: the IA32_APIC_BASE MSR and the xAPIC page. */
extern const struct vdev_ops vlapic_base_ops;
extern const struct vdev_ops vlapic_xapic_ops;

#endif
