// SPDX-License-Identifier: MIT
/*
 * aarch64's emulated GICv3 (arch/aarch64/vgic_mmio.c): a VM of one to four vCPUs, with affinities
 * that differ in every field (Aff3 included), takes guest loads and stores of any offset and width
 * in its distributor and redistributor windows, and ICC_SGI1R/ASGI1R/SGI0R accesses, from any
 * vCPU, against a model written from the GICv3 architecture specification: which accesses are
 * served (the rest are faults that change nothing), every register's read-back (CTLR, TYPER,
 * PIDR2, the enable/pending/group bitmaps of private and shared interrupts, priorities, ICFGR,
 * IROUTER, GICR_TYPER and WAKER), the shared interrupts' configuration identical in every vCPU,
 * and each interrupt made pending exactly where the specification sends it: SPIs by IROUTER
 * (affinity or IRM), SGIs by the target list, range selector, Aff1-3 and IRM of the SGI write,
 * and an enabled pending interrupt signalled to its vCPU. The hardware side (a64_vgic_raise,
 * a64_vgic_recheck) is recorded here.
 */
#include "fuzz_vm.h"

#include <a64/decode.h>
#include <a64/vgic.h>
#include <a64/vgic_mmio.h>
#include <string.h>
#include <vm/run.h>

#define MAXV	   4
#define GICD	   A64_VGIC_GICD_BASE
#define GICR	   A64_VGIC_GICR_BASE
#define FRAME	   A64_VGIC_GICR_FRAME
#define SGI	   0x10000u
#define NSPI	   A64_VGIC_NR_SPI
#define SGI1R_ID   A64_SYSREG_ID(3, 0, 12, 11, 5)
#define IRQ_BIT(i) (1ULL << (i))

struct cpu_model {
	uint64_t enabled, group1, pending;
	uint8_t prio[A64_VGIC_NR_IRQ];
	uint32_t icfgr1, waker;
};

struct gic_model {
	unsigned n;
	uint64_t mpidr[MAXV];
	struct cpu_model cpu[MAXV];
	uint32_t ctlr, icfgr[NSPI / 16];
	uint64_t route[NSPI];
	/* Interrupts the hardware side must have been asked to signal, in order. */
	unsigned nexp, expect_vcpu[64 * MAXV];
	uint32_t expect_intid[64 * MAXV];
	unsigned rechecks_expected[MAXV];
};

static struct vm vm;
static struct a64_vgic_cpu cpus[MAXV];
static unsigned nraised, raised_vcpu[64 * MAXV], rechecks[MAXV];
static uint32_t raised_intid[64 * MAXV];

int a64_vgic_raise(struct vcpu *vcpu, uint32_t intid)
{
	struct a64_vgic_cpu *c = vcpu->virq;

	FZ_CHECK(intid < A64_VGIC_NR_IRQ, "raise of INTID %u", intid);
	FZ_CHECK(nraised < 64 * MAXV, "too many interrupts raised by one access");
	raised_vcpu[nraised] = vcpu->id;
	raised_intid[nraised++] = intid;
	__atomic_or_fetch(&c->pending, IRQ_BIT(intid), __ATOMIC_RELEASE);
	return PV_OK;
}

void a64_vgic_recheck(struct vcpu *vcpu)
{
	rechecks[vcpu->id]++;
}

/* Passthrough's hooks (vgic_pt.c): told of every route and trigger configuration the guest
 * writes; recorded, and checked against the write (access). */
static struct {
	unsigned routes, configs;
	uint32_t route_intid, config_first, config_value;
} pt;

void a64_vgic_pt_route(struct vm *v, uint32_t intid)
{
	FZ_CHECK(v == &vm, "route hook of another VM");
	pt.routes++;
	pt.route_intid = intid;
}

void a64_vgic_pt_config(struct vm *v, uint32_t first, uint32_t icfgr)
{
	FZ_CHECK(v == &vm, "configuration hook of another VM");
	pt.configs++;
	pt.config_first = first;
	pt.config_value = icfgr;
}

static void expect_raise(struct gic_model *m, unsigned v, uint32_t intid)
{
	FZ_CHECK(m->nexp < 64 * MAXV, "model: too many raises");
	m->expect_vcpu[m->nexp] = v;
	m->expect_intid[m->nexp++] = intid;
	m->cpu[v].pending |= IRQ_BIT(intid);
}

/* The vCPU an SPI goes to (GICD_IROUTER: IRM, else the vCPU whose MPIDR affinity matches). */
static int model_route(const struct gic_model *m, unsigned spi)
{
	uint64_t r = m->route[spi];

	if (r >> 31 & 1)
		return 0;
	for (unsigned i = 0; i < m->n; i++)
		if (m->mpidr[i] == (r & 0xff00ffffffULL))
			return (int)i;
	return -1;
}

/* A pending interrupt that just became enabled (or an enabled one that became pending) is
 * signalled to its vCPU: the lowest such INTID. */
static void model_kick(struct gic_model *m, unsigned v, uint64_t woke)
{
	woke &= m->cpu[v].enabled;
	if (woke)
		expect_raise(m, v, (uint32_t)__builtin_ctzll(woke));
}

/* The bitmap registers (IGROUPR, IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER): @which 0..6. */
static uint32_t model_bitreg_read(const struct cpu_model *c, unsigned which, unsigned base)
{
	switch (which) {
	case 0:
		return (uint32_t)(c->group1 >> base);
	case 1:
	case 2:
		return (uint32_t)(c->enabled >> base);
	case 3:
	case 4:
		return (uint32_t)(c->pending >> base);
	default:
		return 0; /* nothing is active: no list register is in play here */
	}
}

static void model_bitreg_write(struct gic_model *m, unsigned v, unsigned which, unsigned base,
			       uint32_t value)
{
	struct cpu_model *c = &m->cpu[v];
	uint64_t bits = (uint64_t)value << base, mask = 0xffffffffULL << base;

	switch (which) {
	case 0:
		c->group1 = (c->group1 & ~mask) | bits;
		break;
	case 1:
		c->enabled |= bits;
		model_kick(m, v, c->pending & bits);
		break;
	case 2:
		c->enabled &= ~bits;
		break;
	case 3:
		c->pending |= bits;
		model_kick(m, v, bits);
		break;
	case 4:
		c->pending &= ~bits;
		break;
	default:
		break;
	}
}

/* Distributor: whether the access is served, and its effect and read value. */
static bool model_gicd(struct gic_model *m, uint64_t off, unsigned w, bool write, uint64_t value,
		       uint64_t *out)
{
	*out = 0;
	if (off & (w - 1u))
		return false;
	if (off >= 0x400 && off < 0x400 + A64_VGIC_NR_IRQ) { /* IPRIORITYR */
		if (w != 1 && w != 4)
			return false;
		for (unsigned i = 0; i < w; i++) {
			unsigned irq = (unsigned)(off - 0x400) + i;

			if (irq < 32)
				continue; /* banked in the redistributors: RAZ/WI here */
			if (write)
				for (unsigned v = 0; v < m->n; v++)
					m->cpu[v].prio[irq] = (uint8_t)(value >> 8 * i);
			*out |= (uint64_t)m->cpu[0].prio[irq] << 8 * i;
		}
		return true;
	}
	if (off >= 0x6000 + 8 * 32 && off < 0x6000 + 8 * A64_VGIC_NR_IRQ) { /* IROUTER */
		unsigned spi = (unsigned)(off - 0x6000) / 8 - 32;

		if (write) {
			if (w != 8)
				return false;
			m->route[spi] = value & (0xff00ffffffULL | IRQ_BIT(31));
			return true;
		}
		if (w != 8 && w != 4)
			return false;
		*out = m->route[spi] >> 8 * (off & 4);
		return true;
	}
	if (w != 4)
		return false;
	if (off >= 0x80 && off < 0x400) { /* the bitmaps, 0x80 bytes each */
		unsigned which = (unsigned)(off - 0x80) / 0x80, word = (unsigned)(off % 0x80) / 4;

		if (word != 1)
			return true; /* private (banked) or beyond the VM's INTIDs: RAZ/WI */
		if (!write) {
			*out = model_bitreg_read(&m->cpu[0], which, 32);
			return true;
		}
		if (which == 3) { /* ISPENDR: each SPI to the vCPU its route names */
			for (unsigned b = 0; b < 32; b++) {
				int t = value >> b & 1 ? model_route(m, b) : -1;
				if (t >= 0)
					expect_raise(m, (unsigned)t, 32 + b);
			}
			return true;
		}
		for (unsigned v = 0; v < m->n; v++)
			model_bitreg_write(m, v, which, 32, (uint32_t)value);
		return true;
	}
	if (off == 0) { /* CTLR: ARE and DS read as one */
		if (write)
			m->ctlr = (uint32_t)value & 3u;
		*out = m->ctlr | 0x50u;
	} else if (off == 4 && !write) { /* TYPER: ITLinesNumber, CPUNumber, IDbits */
		*out = (A64_VGIC_NR_IRQ / 32 - 1) | (m->n - 1u) << 5 | 9u << 19;
	} else if (off == 0xffe8 && !write) { /* PIDR2: GICv3 */
		*out = 0x3b;
	} else if (off >= 0xc08 && off < 0xc08 + sizeof(m->icfgr)) { /* ICFGR of the SPIs */
		uint32_t *r = &m->icfgr[(off - 0xc08) / 4];

		if (write)
			*r = (uint32_t)value & 0xaaaaaaaau;
		*out = *r;
	}
	return true;
}

/* Redistributor frame @v (RD_base and SGI_base). */
static bool model_gicr(struct gic_model *m, unsigned v, uint64_t reg, unsigned w, bool write,
		       uint64_t value, uint64_t *out)
{
	struct cpu_model *c = &m->cpu[v];

	*out = 0;
	if (reg & (w - 1u))
		return false;
	if (reg >= SGI + 0x400 && reg < SGI + 0x420) { /* IPRIORITYR of the SGIs and PPIs */
		if (w != 1 && w != 4)
			return false;
		for (unsigned i = 0; i < w; i++) {
			unsigned irq = (unsigned)(reg - SGI - 0x400) + i;

			if (write)
				c->prio[irq] = (uint8_t)(value >> 8 * i);
			*out |= (uint64_t)c->prio[irq] << 8 * i;
		}
		return true;
	}
	if (!write && (reg == 8 || reg == 0xc)) { /* TYPER */
		uint64_t id = m->mpidr[v];
		uint64_t aff = (id & 0xffffff) | (id >> 32 & 0xff) << 24;
		uint64_t typer = aff << 32 | (uint64_t)v << 8 | (v + 1 == m->n ? 0x10u : 0u);

		*out = typer >> 8 * (reg & 4);
		return true;
	}
	if (w != 4)
		return false;
	if (reg >= SGI + 0x80 && reg < SGI + 0x400 && reg % 0x80 == 0) {
		unsigned which = (unsigned)(reg - SGI - 0x80) / 0x80;

		if (write) {
			model_bitreg_write(m, v, which, 0, (uint32_t)value);
			if (which == 4)
				m->rechecks_expected[v]++;
		}
		*out = model_bitreg_read(c, which, 0);
		return true;
	}
	if (reg == 0x14) { /* WAKER: ProcessorSleep, ChildrenAsleep following it */
		if (write)
			c->waker = (uint32_t)value & 2u;
		*out = c->waker | c->waker << 1;
	} else if (reg == 0xffe8 && !write) {
		*out = 0x3b;
	} else if (reg == SGI + 0xc00 && !write) { /* ICFGR0: SGIs, edge, read-only */
		*out = 0xaaaaaaaau;
	} else if (reg == SGI + 0xc04) {
		if (write)
			c->icfgr1 = (uint32_t)value & 0xaaaaaaaau;
		*out = c->icfgr1;
	}
	return true;
}

/* ICC_SGI1R_EL1 (and ASGI1R, SGI0R, the same here): which vCPUs an SGI write reaches. */
static void model_sgi(struct gic_model *m, unsigned from, uint64_t value)
{
	uint32_t intid = (uint32_t)(value >> 24) & 15u;

	for (unsigned v = 0; v < m->n; v++) {
		uint64_t id = m->mpidr[v];
		bool hit;

		if (value >> 40 & 1)
			hit = v != from;
		else
			hit = (id >> 8 & 0xff) == (value >> 16 & 0xff) &&
			      (id >> 16 & 0xff) == (value >> 32 & 0xff) &&
			      (id >> 32 & 0xff) == (value >> 48 & 0xff) &&
			      (id >> 4 & 0xf) == (value >> 44 & 0xf) && (value >> (id & 15) & 1);
		if (hit)
			expect_raise(m, v, intid);
	}
}

/* The device's per-vCPU state against the model, and the interrupts it signalled. */
static void compare(struct gic_model *m)
{
	FZ_CHECK(nraised == m->nexp, "%u interrupts signalled, model %u", nraised, m->nexp);
	for (unsigned i = 0; i < nraised; i++)
		FZ_CHECK(raised_vcpu[i] == m->expect_vcpu[i] &&
				 raised_intid[i] == m->expect_intid[i],
			 "signal %u: INTID %u to vCPU %u, model %u to %u", i, raised_intid[i],
			 raised_vcpu[i], m->expect_intid[i], m->expect_vcpu[i]);
	nraised = m->nexp = 0;
	for (unsigned v = 0; v < m->n; v++) {
		const struct a64_vgic_cpu *c = &cpus[v];
		const struct cpu_model *x = &m->cpu[v];

		FZ_CHECK(c->enabled == x->enabled && c->group1 == x->group1 &&
				 c->pending == x->pending,
			 "vCPU %u enabled/group/pending 0x%llx/0x%llx/0x%llx, model "
			 "0x%llx/0x%llx/0x%llx",
			 v, (unsigned long long)c->enabled, (unsigned long long)c->group1,
			 (unsigned long long)c->pending, (unsigned long long)x->enabled,
			 (unsigned long long)x->group1, (unsigned long long)x->pending);
		FZ_CHECK(!memcmp(c->prio, x->prio, sizeof(x->prio)), "vCPU %u priorities differ",
			 v);
		FZ_CHECK(c->icfgr[0] == 0xaaaaaaaau && c->icfgr[1] == x->icfgr1 &&
				 c->waker == x->waker,
			 "vCPU %u ICFGR/WAKER differ", v);
		FZ_CHECK(rechecks[v] == m->rechecks_expected[v], "vCPU %u: %u rechecks, model %u",
			 v, rechecks[v], m->rechecks_expected[v]);
	}
}

/* One guest access by vCPU @from through the core, checked against the model. */
static void access(struct gic_model *m, unsigned from, uint64_t addr, unsigned w, bool write,
		   uint64_t value)
{
	struct vcpu *v = &vm.vcpus[from];
	struct vcpu_exit e = { .kind = VCPU_EXIT_MMIO };
	bool valid = w == 1 || w == 2 || w == 4 || w == 8; /* the core refuses the others */
	uint64_t want = 0, mask = w >= 8 ? ~0ULL : (1ULL << 8 * w) - 1;
	bool served = false;
	unsigned faults = fake_vcpu(v)->nfaults;

	value &= mask;
	if (!valid)
		;
	else if (addr >= GICD && addr - GICD < A64_VGIC_GICD_SIZE &&
		 addr - GICD + w <= A64_VGIC_GICD_SIZE)
		served = model_gicd(m, addr - GICD, w, write, value, &want);
	else if (addr >= GICR && addr - GICR < FRAME * m->n && (addr - GICR) % FRAME + w <= FRAME)
		served = model_gicr(m, (unsigned)((addr - GICR) / FRAME), (addr - GICR) % FRAME, w,
				    write, value, &want);
	e.mmio.addr = gpa(addr);
	e.mmio.width = (uint8_t)w;
	e.mmio.write = write;
	e.mmio.reg = 1;
	e.mmio.reg_width = 8;
	e.mmio.data = write ? value : 0;
	memset(&pt, 0, sizeof(pt));
	FZ_CHECK(vm_handle_exit(v, &e) == VM_EXIT_CONTINUE, "exit did not continue");
	/* An IROUTER or ICFGR write of a shared interrupt, served, tells passthrough: once. */
	if (served && write && addr - GICD >= 0x6100 && addr - GICD < 0x6200)
		FZ_CHECK(pt.routes == 1 && pt.route_intid == 32 + (addr - GICD - 0x6100) / 8 &&
				 !pt.configs,
			 "IROUTER write at 0x%llx: %u route hooks", (unsigned long long)addr,
			 pt.routes);
	else if (served && write && addr - GICD >= 0xc08 && addr - GICD < 0xc10)
		FZ_CHECK(pt.configs == 1 &&
				 pt.config_first == 32 + 16 * (addr - GICD - 0xc08) / 4 &&
				 pt.config_value == ((uint32_t)value & 0xaaaaaaaau) && !pt.routes,
			 "ICFGR write at 0x%llx: %u configuration hooks", (unsigned long long)addr,
			 pt.configs);
	else
		FZ_CHECK(!pt.routes && !pt.configs, "a hook called for an access at 0x%llx",
			 (unsigned long long)addr);
	FZ_CHECK((fake_vcpu(v)->nfaults == faults) == served,
		 "%s of %u bytes at 0x%llx by vCPU %u: %s, model says %s", write ? "store" : "load",
		 w, (unsigned long long)addr, from, served ? "fault" : "served",
		 served ? "served" : "fault");
	FZ_CHECK(!served || write || e.mmio.data == (want & mask),
		 "load of %u bytes at 0x%llx: 0x%llx, model 0x%llx", w, (unsigned long long)addr,
		 (unsigned long long)e.mmio.data, (unsigned long long)(want & mask));
	compare(m);
}

static void sgi_access(struct gic_model *m, unsigned from, unsigned op2, bool write, uint64_t value)
{
	struct vcpu *v = &vm.vcpus[from];
	struct vcpu_exit e = { .kind = VCPU_EXIT_SYSREG };
	unsigned faults = fake_vcpu(v)->nfaults;

	e.sysreg.id = A64_SYSREG_ID(3, 0, 12, 11, op2);
	e.sysreg.write = write;
	e.sysreg.reg = 2;
	e.sysreg.data = value;
	FZ_CHECK(vm_handle_exit(v, &e) == VM_EXIT_CONTINUE, "SGI exit did not continue");
	/* Write-only registers: a read is undefined (a fault); a write always completes. */
	FZ_CHECK((fake_vcpu(v)->nfaults == faults) == write, "SGI register %s: fault %d",
		 write ? "write" : "read", fake_vcpu(v)->nfaults != faults);
	if (write)
		model_sgi(m, from, value);
	compare(m);
}

/* Offsets where registers are, so that short inputs reach them. */
static uint64_t pick_addr(struct gic_model *m, struct fz *f)
{
	static const uint32_t gicd[] = { 0x0,	 0x4,	 0x80,	 0x84,	 0x100, 0x104, 0x180,
					 0x184,	 0x200,	 0x204,	 0x280,	 0x284, 0x300, 0x380,
					 0x400,	 0x41c,	 0x420,	 0x43c,	 0xc00, 0xc08, 0xc0c,
					 0x6100, 0x6104, 0x61f8, 0xffe8, 0x6000 };
	static const uint32_t gicr[] = { 0x8,	      0xc,	   0x14,	0xffe8,
					 SGI + 0x80,  SGI + 0x100, SGI + 0x180, SGI + 0x200,
					 SGI + 0x280, SGI + 0x300, SGI + 0x400, SGI + 0x41c,
					 SGI + 0x420, SGI + 0xc00, SGI + 0xc04, SGI + 0x84 };
	uint64_t wiggle = fz_below(f, 8) - 2; /* mostly the register, sometimes beside it */

	switch (fz_below(f, 5)) {
	case 0:
		return GICD + FZ_PICK(f, gicd) + wiggle;
	case 1:
		return GICR + FRAME * fz_below(f, m->n + 1) + FZ_PICK(f, gicr) + wiggle;
	case 2:
		return GICD + fz_below(f, A64_VGIC_GICD_SIZE + 8) - 4;
	case 3:
		return GICR + fz_below(f, FRAME * (m->n + 1));
	default:
		return GICD + fz_u32(f);
	}
}

/* Values with bits where the registers look (affinities, IRM, INTIDs). */
static uint64_t pick_value(struct gic_model *m, struct fz *f)
{
	switch (fz_below(f, 3)) {
	case 0: {
		uint64_t id = m->mpidr[fz_below(f, m->n)];

		return (id & 0xff00ffffffULL) | (fz_bool(f) ? IRQ_BIT(31) : 0);
	}
	case 1: /* an SGI write aimed at one vCPU */ {
		uint64_t id = m->mpidr[fz_below(f, m->n)];

		return (id >> 8 & 0xff) << 16 | (id >> 16 & 0xff) << 32 | (id >> 32 & 0xff) << 48 |
		       (id >> 4 & 0xf) << 44 | IRQ_BIT(id & 15) | fz_below(f, 16) << 24 |
		       (fz_below(f, 4) ? 0 : IRQ_BIT(40));
	}
	default:
		return fz_u64(f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gic_model m;
	struct fz f = fz_init(data, size);
	struct vm_config cfg;

	memset(&m, 0, sizeof(m));
	m.n = 1 + (unsigned)fz_below(&f, MAXV);
	fzv_reset();
	fzv_config(&cfg, m.n);
	for (unsigned i = 0; i < m.n; i++) {
		/* Distinct affinities that differ in any field, Aff0 up to 31 (RS 0 and 1). */
		static const uint64_t ids[] = { 0x0,	      0x1,	   0x11,	 0x100,
						0x10000,      0x100000000, 0x0101010101, 0x1f,
						0xff00000003, 0x200 };
		uint64_t id = FZ_PICK(&f, ids);

		for (unsigned j = 0; j < i; j++)
			if (m.mpidr[j] == id)
				id = 0x300u + i; /* a repeat (or a dry input): a fresh one */
		cfg.guest_cpu_id[i] = m.mpidr[i] = id;
	}
	fzv_start(&vm, &cfg);
	for (unsigned i = 0; i < m.n; i++) {
		a64_vgic_cpu_reset(&cpus[i], 4);
		vm.vcpus[i].virq = &cpus[i];
	}
	FZ_CHECK(a64_vgic_mmio_init(&vm) == PV_OK, "vgic init");
	memset(rechecks, 0, sizeof(rechecks));
	nraised = 0;
	for (unsigned i = 0; i < m.n; i++)
		m.cpu[i].waker = 2;
	compare(&m);

	for (unsigned steps = 0; steps < 64 && fz_more(&f); steps++) {
		unsigned from = (unsigned)fz_below(&f, m.n);

		if (fz_below(&f, 6) == 0)
			sgi_access(&m, from, 5 + (unsigned)fz_below(&f, 3), fz_below(&f, 8) != 0,
				   pick_value(&m, &f));
		else
			access(&m, from, pick_addr(&m, &f), fz_width(&f), fz_bool(&f),
			       pick_value(&m, &f));
	}
	/* Everything the accesses cannot show in the per-vCPU state, read back at the end. */
	for (unsigned i = 0; i < NSPI; i++)
		access(&m, 0, GICD + 0x6000 + 8 * (32 + i), 8, false, 0);
	access(&m, 0, GICD, 4, false, 0);
	access(&m, 0, GICD + 0xc08, 4, false, 0);
	access(&m, 0, GICD + 0xc0c, 4, false, 0);

	a64_vgic_mmio_destroy(&vm);
	fzv_finish(&vm);
	return 0;
}
