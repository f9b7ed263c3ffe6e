// SPDX-License-Identifier: MIT
/*
 * x86_64's emulated local APIC (arch/x86_64/vlapic.c, x2APIC mode): a VM of one to four vCPUs with
 * any APIC ids takes RDMSR and WRMSR of every x2APIC register number and IA32_TSC_DEADLINE, MOVs
 * to and from CR8, interrupt acceptance as the entry path does it, and Start-Up IPIs as the exit
 * decoder hands them over, against a model written from the SDM (vol. 3, chapter 10): which
 * registers exist and which are read-only (#GP otherwise); read-backs (ID, version, LDR from the
 * id's cluster and bit, TPR, PPR from TPR and the highest in-service class, SVR, ISR, TMR, IRR,
 * LVTs, ICR, the deadline only in TSC-deadline mode); fixed IPIs to one id, the broadcast id, self,
 * all and all-but-self, logical destinations (fixed only), vectors below 16 and other delivery modes refused;
 * INIT resetting a vCPU that is not running and making it wait for a Start-Up IPI, which then
 * starts it at vector << 12, once; the vector accepted next is the highest requested one whose
 * class is above the processor priority's, with the APIC software-enabled, and EOI ends the
 * highest in service.
 */
#include "fuzz_vm.h"

#include <stdlib.h>
#include <string.h>

#include "vmx_vcpu.h"

#define MAXV	  4
#define BROADCAST 0xffffffffu

struct lapic_model {
	uint64_t irr[4], isr[4], icr, deadline;
	uint32_t tpr, svr, lvt_timer, lvt[6]; /* lvt: thermal..error (0x833-0x837), CMCI */
	bool waiting;			      /* INIT received: a Start-Up IPI may start it */
};

struct model {
	unsigned n;
	uint64_t id[MAXV];
	struct lapic_model l[MAXV];
};

static struct vm vm;
static struct vmx_vcpu arch[MAXV];

static void model_reset(struct lapic_model *l)
{
	*l = (struct lapic_model){ .svr = 0xff, .lvt_timer = 1u << 16 };
	for (unsigned i = 0; i < 6; i++)
		l->lvt[i] = 1u << 16;
}

static int highest(const uint64_t *w)
{
	for (int i = 3; i >= 0; i--)
		if (w[i])
			return i * 64 + 63 - __builtin_clzll(w[i]);
	return -1;
}

/* SDM 10.8.3.1: PPR is TPR when TPR[7:4] >= ISRV[7:4], else ISRV[7:4] with sub-class 0. */
static uint32_t model_ppr(const struct lapic_model *l)
{
	int isrv = highest(l->isr);
	uint32_t cls = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0u;

	return (l->tpr & 0xf0u) >= cls ? l->tpr : cls;
}

static void model_request(struct lapic_model *l, unsigned vector)
{
	l->irr[vector / 64] |= 1ULL << (vector % 64);
}

static int model_find(const struct model *m, uint64_t id)
{
	for (unsigned i = 0; i < m->n; i++)
		if (m->id[i] == id)
			return (int)i;
	return -1;
}

/* INIT to vCPU @to (not running here: every vCPU but the boot one is created). */
static void model_init(struct model *m, unsigned from, unsigned to)
{
	if (to == from || vm.vcpus[to].state == VCPU_RUNNING || vm.vcpus[to].state == VCPU_READY)
		return;
	model_reset(&m->l[to]);
	m->l[to].waiting = true;
}

/* WRMSR to the ICR: PV_OK, or -PV_EFAULT for #GP. */
static int model_icr(struct model *m, unsigned from, uint64_t v)
{
	unsigned vector = v & 0xffu, mode = (v >> 8) & 7u, sh = (v >> 18) & 3u;
	uint32_t dest = (uint32_t)(v >> 32);

	m->l[from].icr = v;
	if ((v & (1u << 11)) && sh == 0) {
		/* Logical destination, fixed delivery only (SDM 10.12.10.2): a cluster in 31:16 and
		 * a bitmask of its 16 members in 15:0, matched against each vCPU's LDR. */
		if (mode != 0 || vector < 16)
			return -PV_EFAULT;
		for (unsigned i = 0; i < m->n; i++)
			if (dest == BROADCAST ||
			    ((dest >> 16) == (m->id[i] >> 4) && (dest & (1u << (m->id[i] & 15u)))))
				model_request(&m->l[i], vector);
		return PV_OK;
	}
	if (mode == 5) { /* INIT: level assert only; to one id, the broadcast id, all-but-self */
		if (!(v & (1u << 14)))
			return PV_OK;
		for (unsigned i = 0; i < m->n; i++)
			if (sh == 3 || (sh == 0 && (dest == BROADCAST || m->id[i] == dest)))
				model_init(m, from, i);
		return PV_OK;
	}
	if (mode == 6) /* Start-Up with nobody waiting (the exit decoder took the others) */
		return PV_OK;
	if (mode != 0 || vector < 16)
		return -PV_EFAULT;
	for (unsigned i = 0; i < m->n; i++)
		if ((sh == 1 && i == from) || sh == 2 || (sh == 3 && i != from) ||
		    (sh == 0 && (dest == BROADCAST || m->id[i] == dest)))
			model_request(&m->l[i], vector);
	return PV_OK;
}

/* WRMSR @msr of vCPU @v: PV_OK or -PV_EFAULT (#GP). */
static int model_write(struct model *m, unsigned v, uint32_t msr, uint64_t val)
{
	struct lapic_model *l = &m->l[v];

	switch (msr) {
	case 0x6e0:
		if ((l->lvt_timer >> 17 & 3u) == 2u)
			l->deadline = val;
		return PV_OK;
	case 0x808:
		l->tpr = val & 0xffu;
		return PV_OK;
	case 0x80b: { /* EOI: the highest vector in service */
		int i = highest(l->isr);

		if (i >= 0)
			l->isr[i / 64] &= ~(1ULL << (i % 64));
		return PV_OK;
	}
	case 0x80f:
		l->svr = val & 0x1ffu;
		return PV_OK;
	case 0x828: /* ESR */
	case 0x83e: /* divide configuration: no count-down timer to divide */
		return PV_OK;
	case 0x838: /* initial count: 0 stops the count-down timer (never running); others #GP */
		return val ? -PV_EFAULT : PV_OK;
	case 0x830:
		return model_icr(m, v, val);
	case 0x832:
		if ((val >> 17 & 3u) != 2u)
			l->deadline = 0;
		l->lvt_timer = (uint32_t)val & 0x700ffu;
		return PV_OK;
	case 0x82f:
		l->lvt[5] = (uint32_t)val;
		return PV_OK;
	case 0x83f:
		if ((val & 0xffu) < 16)
			return -PV_EFAULT;
		model_request(l, val & 0xffu);
		return PV_OK;
	default:
		if (msr >= 0x833 && msr <= 0x837) {
			l->lvt[msr - 0x833] = (uint32_t)val;
			return PV_OK;
		}
		return -PV_EFAULT;
	}
}

static int model_read(const struct model *m, unsigned v, uint32_t msr, uint64_t *out)
{
	const struct lapic_model *l = &m->l[v];
	uint64_t id = m->id[v];

	if (msr >= 0x810 && msr < 0x818) {
		*out = (uint32_t)(l->isr[(msr - 0x810) / 2] >> 32 * (msr & 1));
		return PV_OK;
	}
	if (msr >= 0x820 && msr < 0x828) {
		*out = (uint32_t)(l->irr[(msr - 0x820) / 2] >> 32 * (msr & 1));
		return PV_OK;
	}
	if (msr >= 0x818 && msr < 0x820) {
		*out = 0;
		return PV_OK;
	}
	if (msr >= 0x833 && msr <= 0x837) {
		*out = l->lvt[msr - 0x833];
		return PV_OK;
	}
	switch (msr) {
	case 0x6e0:
		*out = l->deadline;
		return PV_OK;
	case 0x802:
		*out = id;
		return PV_OK;
	case 0x803:
		*out = 0x00050014u;
		return PV_OK;
	case 0x808:
		*out = l->tpr;
		return PV_OK;
	case 0x80a:
		*out = model_ppr(l);
		return PV_OK;
	case 0x80d: /* SDM 10.12.10.2: cluster id[31:4] in 31:16, 1 << id[3:0] */
		*out = (id >> 4) << 16 | 1u << (id & 15u);
		return PV_OK;
	case 0x80f:
		*out = l->svr;
		return PV_OK;
	case 0x828:
	case 0x838:
	case 0x839:
	case 0x83e:
		*out = 0;
		return PV_OK;
	case 0x830:
		*out = l->icr;
		return PV_OK;
	case 0x832:
		*out = l->lvt_timer;
		return PV_OK;
	case 0x82f:
		*out = l->lvt[5];
		return PV_OK;
	default:
		return -PV_EFAULT;
	}
}

/* The vector the entry path would inject now, from the model. */
static int model_next(const struct lapic_model *l)
{
	int v = highest(l->irr);

	if (v < 0 || !(l->svr & 0x100u) || (uint32_t)(v & 0xf0) <= (model_ppr(l) & 0xf0u))
		return -1;
	return v;
}

static void compare(const struct model *m)
{
	for (unsigned v = 0; v < m->n; v++) {
		const struct vlapic *a = &arch[v].lapic;
		const struct lapic_model *l = &m->l[v];

		for (unsigned i = 0; i < 4; i++)
			FZ_CHECK(atomic_load(&a->irr[i]) == l->irr[i] && a->isr[i] == l->isr[i],
				 "vCPU %u: IRR/ISR word %u 0x%llx/0x%llx, model 0x%llx/0x%llx", v,
				 i, (unsigned long long)atomic_load(&a->irr[i]),
				 (unsigned long long)a->isr[i], (unsigned long long)l->irr[i],
				 (unsigned long long)l->isr[i]);
		FZ_CHECK(a->tpr == l->tpr && a->svr == l->svr && a->lvt_timer == l->lvt_timer &&
				 !memcmp(a->lvt_other, l->lvt, sizeof(l->lvt)) &&
				 a->icr == l->icr && atomic_load(&a->deadline) == l->deadline,
			 "vCPU %u: registers differ from the model", v);
		FZ_CHECK(((atomic_load(&a->sipi) & VLAPIC_SIPI_WAIT) != 0) == l->waiting,
			 "vCPU %u: waiting for a Start-Up IPI %u, model %d", v,
			 atomic_load(&a->sipi), l->waiting);
		FZ_CHECK(vlapic_next_vector(&vm.vcpus[v]) == model_next(l),
			 "vCPU %u: next vector %d, model %d", v, vlapic_next_vector(&vm.vcpus[v]),
			 model_next(l));
	}
}

static int msr_access(unsigned v, uint32_t msr, bool write, uint64_t *val)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_SYSREG, msr, 1);

	if (!d)
		return -PV_ENOENT;
	if (write)
		return d->ops->write(d, &vm.vcpus[v], msr - d->base, 8, *val);
	*val = 0;
	return d->ops->read(d, &vm.vcpus[v], msr - d->base, 8, val);
}

static void step(struct model *m, struct fz *f)
{
	static const uint32_t msrs[] = { 0x802, 0x803, 0x808, 0x80a, 0x80b, 0x80d, 0x80f, 0x810,
					 0x817, 0x818, 0x820, 0x827, 0x828, 0x82f, 0x830, 0x832,
					 0x833, 0x837, 0x838, 0x839, 0x83e, 0x83f, 0x6e0, 0x8ff };
	unsigned v = (unsigned)fz_below(f, m->n);

	switch (fz_below(f, 8)) {
	case 0: { /* MOV to CR8, MOV from CR8 */
		unsigned cr8 = fz_u8(f);

		vlapic_set_cr8(&vm.vcpus[v], cr8);
		m->l[v].tpr = (cr8 & 15u) << 4;
		FZ_CHECK(vlapic_cr8(&vm.vcpus[v]) == (cr8 & 15u), "CR8 reads %u after %u",
			 vlapic_cr8(&vm.vcpus[v]), cr8);
		break;
	}
	case 1: { /* the entry path takes the next vector */
		int next = vlapic_next_vector(&vm.vcpus[v]);

		if (next >= 0) {
			vlapic_accept(&vm.vcpus[v], (unsigned)next);
			m->l[v].irr[next / 64] &= ~(1ULL << (next % 64));
			m->l[v].isr[next / 64] |= 1ULL << (next % 64);
		}
		break;
	}
	case 2: { /* a Start-Up IPI as the exit decoder sees it */
		uint64_t icr = fz_u64(f) & ~0x700ULL;
		struct vcpu_exit e = { 0 };
		bool claimed = vlapic_sipi_exit(&vm.vcpus[v], icr | 0x600u, &e);
		int want = -1;
		uint32_t dest = (uint32_t)(icr >> 32);
		unsigned sh = (icr >> 18) & 3u;

		if (!(icr & (1u << 11))) {
			for (unsigned i = 0; i < m->n && want < 0; i++)
				if (i != v && m->l[i].waiting &&
				    (sh == 3 ||
				     (sh == 0 && (dest == BROADCAST || m->id[i] == dest))))
					want = (int)i;
			/* One id: only that vCPU (the first with it), waiting or not. */
			if (sh == 0 && dest != BROADCAST) {
				int t = model_find(m, dest);
				want = t >= 0 && t != (int)v && m->l[t].waiting ? t : -1;
			}
		}
		FZ_CHECK(claimed == (want >= 0),
			 "Start-Up IPI 0x%llx from %u: claimed %d, model %d",
			 (unsigned long long)icr, v, claimed, want);
		if (claimed) {
			FZ_CHECK(e.kind == VCPU_EXIT_CPU_UP && e.cpu_up.target == m->id[want] &&
					 e.cpu_up.entry == (icr & 0xffu) << 12,
				 "Start-Up exit differs");
			m->l[want].waiting = false;
			FZ_CHECK(vlapic_sipi_take(&vm.vcpus[want], e.cpu_up.entry),
				 "the started vCPU does not take its Start-Up state");
			FZ_CHECK(!vlapic_sipi_take(&vm.vcpus[want], e.cpu_up.entry),
				 "a Start-Up state taken twice");
		}
		break;
	}
	default: { /* RDMSR / WRMSR */
		uint32_t msr = fz_bool(f) ? FZ_PICK(f, msrs) : 0x800u + fz_u8(f);
		bool write = fz_bool(f);
		uint64_t val = fz_bool(f)
				       ? fz_u64(f)
				       : (uint64_t)fz_u8(f) | fz_below(f, 8) << 8 |
						 fz_below(f, 4) << 18 | (uint64_t)fz_u32(f) << 32;
		uint64_t want = 0, got = val;
		int rc = msr_access(v, msr, write, &got);
		int mrc = write ? model_write(m, v, msr, val) : model_read(m, v, msr, &want);

		if (msr != 0x6e0 && (msr < 0x800 || msr > 0x8ff))
			mrc = -PV_ENOENT;
		FZ_CHECK(rc == mrc, "%s MSR 0x%x = 0x%llx by vCPU %u: %d, model %d",
			 write ? "WRMSR" : "RDMSR", msr, (unsigned long long)val, v, rc, mrc);
		FZ_CHECK(write || rc || got == want, "RDMSR 0x%x: 0x%llx, model 0x%llx", msr,
			 (unsigned long long)got, (unsigned long long)want);
		break;
	}
	}
	compare(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t ids[] = { 0, 1, 2, 3, 0x10, 0x1f, 0x20, 0xfffffffe, 0x100, 7 };
	static struct model m;
	struct fz f = fz_init(data, size);

	fake_reset();
	memset(&vm, 0, sizeof(vm));
	memset(&m, 0, sizeof(m));
	memset(arch, 0, sizeof(arch));
	m.n = 1 + (unsigned)fz_below(&f, MAXV);
	vm.nvcpus = m.n;
	pv_spin_init(&vm.lock);
	for (unsigned i = 0; i < m.n; i++) {
		uint64_t id = FZ_PICK(&f, ids);

		if (model_find(&m, id) >= 0)
			id = 0x40u + i; /* distinct ids */
		m.id[i] = id;
		vm.vcpus[i] = (struct vcpu){ .vm = &vm, .id = i, .pcpu = i, .guest_cpu_id = id };
		vm.vcpus[i].arch = &arch[i];
		/* The boot vCPU runs; the others are created (INIT and Start-Up apply to them). */
		vm.vcpus[i].state = i == 0 ? VCPU_RUNNING : VCPU_CREATED;
		model_reset(&m.l[i]);
	}
	FZ_CHECK(vlapic_ops.vm_init(&vm) == PV_OK, "vm_init");
	for (unsigned i = 0; i < m.n; i++)
		FZ_CHECK(vlapic_ops.vcpu_init(&vm.vcpus[i]) == PV_OK, "vcpu_init");
	compare(&m);
	for (unsigned steps = 0; steps < 64 && fz_more(&f); steps++)
		step(&m, &f);
	vlapic_ops.vm_destroy(&vm);
	return 0;
}
