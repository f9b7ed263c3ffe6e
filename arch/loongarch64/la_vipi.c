// SPDX-License-Identifier: MIT
/*
 * Each vCPU's view of the per-core IPI block (IOCSR 0x1000..0x104f, the layout QEMU's and Loongson's
 * IPI unit use): status, enable, set, clear, four 64-bit mailboxes, and the two send registers a
 * core uses to interrupt another core or write its mailbox. Guest IOCSR accesses trap (GSPR) and
 * land here; the status bits reach the guest as ESTAT.IS[12] at the next entry (la_virq.c).
 *
 * A vCPU that is off behaves like a Loongson core its firmware parked: an IPI while its mailbox 0
 * holds an address starts it there (direct-address mode, PLV0, interrupts off, IPI status clear),
 * which is how Linux/LoongArch starts its secondary CPUs (mail the entry, then send an IPI).
 */
#include <hal/hal.h>
#include <vm/vm.h>

#include "la_vcpu.h"

#define LA_VIPI_STATUS	  0x1000
#define LA_VIPI_EN	  0x1004
#define LA_VIPI_SET	  0x1008
#define LA_VIPI_CLEAR	  0x100c
#define LA_VIPI_MBUF	  0x1020
#define LA_VIPI_MBUF_END  0x1040
#define LA_VIPI_SEND	  0x1040
#define LA_VIPI_MAIL_SEND 0x1048
#define LA_VIPI_END	  0x1050

static struct la_vcpu *la_vipi_target(struct la_vcpu *v, uint64_t val)
{
	struct vcpu *t = vm_find_vcpu(v->vcpu->vm, (val >> 16) & 0x3ff);

	return t ? t->arch : NULL;
}

void la_vipi_raise(struct la_vcpu *target, uint32_t vector)
{
	__atomic_fetch_or(&target->ipi.status, 1u << (vector & 31), __ATOMIC_SEQ_CST);
	/* A target in guest mode exits on the physical IPI; an idle one wakes up. */
	if (target->vcpu->pcpu != hal_cpu.cpu_id())
		hal_cpu.ipi_send(target->vcpu->pcpu);
}

/* MAIL_SEND: 32 bits (val 63:32) into word (val 4:2) of the target's mailboxes; bytes whose bit
 * in val 30:27 is set keep their old value. */
static void la_vipi_mail_send(struct la_vcpu *v, uint64_t val)
{
	struct la_vcpu *t = la_vipi_target(v, val);
	unsigned word = (unsigned)(val >> 2) & 7;
	uint32_t *slot, keep = 0, data = (uint32_t)(val >> 32);

	if (!t)
		return;
	for (unsigned i = 0; i < 4; i++)
		if (val >> (27 + i) & 1)
			keep |= 0xffu << (8 * i);
	slot = (uint32_t *)&t->ipi.mailbox[word / 2] + (word & 1);
	*slot = (*slot & keep) | (data & ~keep);
}

static bool la_vipi_mailbox(struct la_vcpu *v, uint64_t addr, unsigned width, bool write,
			    uint64_t *data)
{
	unsigned off = (unsigned)(addr - LA_VIPI_MBUF);
	uint8_t *bytes = (uint8_t *)v->ipi.mailbox + off;

	if ((width != 4 && width != 8) || off % width)
		return false;
	if (write) {
		for (unsigned i = 0; i < width; i++)
			bytes[i] = (uint8_t)(*data >> (8 * i));
	} else {
		*data = 0;
		for (unsigned i = 0; i < width; i++)
			*data |= (uint64_t)bytes[i] << (8 * i);
	}
	return true;
}

/* IPI_SEND to @t: its status bit, or, when @t is off with an address in mailbox 0, its start. */
static void la_vipi_send(struct la_vcpu *t, uint32_t vector, struct vcpu_exit *exit)
{
	enum vcpu_state state = __atomic_load_n(&t->vcpu->state, __ATOMIC_ACQUIRE);
	uint64_t entry = t->ipi.mailbox[0];

	if ((state == VCPU_CREATED || state == VCPU_STOPPED) && entry) {
		exit->kind = VCPU_EXIT_CPU_UP;
		exit->cpu_up.target = t->vcpu->guest_cpu_id;
		exit->cpu_up.entry = entry;
		exit->cpu_up.arg = 0;
		return;
	}
	la_vipi_raise(t, vector);
}

bool la_vipi_access(struct la_vcpu *v, uint64_t addr, unsigned width, bool write, uint64_t *data,
		    struct vcpu_exit *exit)
{
	struct la_vcpu *t;

	if (addr < LA_VIPI_STATUS || addr >= LA_VIPI_END)
		return false;
	if (addr >= LA_VIPI_MBUF && addr < LA_VIPI_MBUF_END)
		return la_vipi_mailbox(v, addr, width, write, data);
	if (width < 4)
		return false;
	switch (addr) {
	case LA_VIPI_STATUS:
		if (write)
			return false;
		*data = __atomic_load_n(&v->ipi.status, __ATOMIC_SEQ_CST);
		return true;
	case LA_VIPI_EN:
		if (write)
			v->ipi.en = (uint32_t)*data;
		else
			*data = v->ipi.en;
		return true;
	case LA_VIPI_SET:
	case LA_VIPI_CLEAR:
		if (!write)
			return false;
		if (addr == LA_VIPI_SET)
			__atomic_fetch_or(&v->ipi.status, (uint32_t)*data, __ATOMIC_SEQ_CST);
		else
			__atomic_fetch_and(&v->ipi.status, ~(uint32_t)*data, __ATOMIC_SEQ_CST);
		return true;
	case LA_VIPI_SEND:
		if (!write)
			return false;
		t = la_vipi_target(v, *data);
		if (t)
			la_vipi_send(t, (uint32_t)*data & 0x1f, exit);
		return true;
	case LA_VIPI_MAIL_SEND:
		if (!write)
			return false;
		la_vipi_mail_send(v, *data);
		return true;
	default:
		return false;
	}
}
