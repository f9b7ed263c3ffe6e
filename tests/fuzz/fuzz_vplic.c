// SPDX-License-Identifier: MIT
/*
 * The emulated PLIC (devices/vplic.c) driven by guest loads and stores of any offset and width and
 * by device lines rising and falling, against a model of the RISC-V PLIC (devices/vplic.h): only
 * aligned 32-bit accesses inside the window are served; priorities, enables and thresholds read
 * back masked; source 0 and enable bit 0 stay zero; a claim returns the highest-priority pending
 * enabled source above the threshold (lowest number on a tie) and moves it to claimed; a
 * completion of a claimed, enabled source re-pends it while its line is high; each context's
 * output is what the model computes, and the backend is told exactly when an output changes.
 */
#include "fuzz_vm.h"

#include <devices/vplic.h>
#include <string.h>

#define PLIC_BASE 0x0c000000ULL

struct plic_model {
	unsigned nctx;
	uint8_t priority[VPLIC_SOURCES];
	uint64_t level, pending, claimed, enable[VPLIC_MAX_CTX];
	uint8_t threshold[VPLIC_MAX_CTX];
	bool out[VPLIC_MAX_CTX];
};

static struct vm vm;
static struct vplic *plic;
static unsigned notified[VPLIC_MAX_CTX];

void vplic_notify(struct vm *v, unsigned ctx)
{
	FZ_CHECK(v == &vm && ctx < VPLIC_MAX_CTX, "notify of context %u", ctx);
	notified[ctx]++;
}

/* No source is a physical PLIC's here (vplic_set_hw is never called): never called. */
void vplic_hw_complete(struct vm *v, uint32_t src)
{
	(void)v;
	FZ_CHECK(false, "hardware completion of source %u, which is no hardware source", src);
}

void vplic_hw_rerouted(struct vm *v, uint32_t src)
{
	(void)v;
	FZ_CHECK(false, "source %u rerouted, which is no hardware source", src);
}

static bool model_output(const struct plic_model *m, unsigned c)
{
	for (unsigned s = 1; s < VPLIC_SOURCES; s++)
		if ((m->pending & m->enable[c]) >> s & 1 && m->priority[s] > m->threshold[c])
			return true;
	return false;
}

static uint32_t model_claim(struct plic_model *m, unsigned c)
{
	unsigned best = 0;

	for (unsigned s = 1; s < VPLIC_SOURCES; s++)
		if ((m->pending & m->enable[c]) >> s & 1 && m->priority[s] > m->threshold[c] &&
		    (!best || m->priority[s] > m->priority[best]))
			best = s;
	if (best) {
		m->pending &= ~(1ULL << best);
		m->claimed |= 1ULL << best;
	}
	return best;
}

/* A load (returns the value) or a store of a served access at @off. */
static uint32_t model_access(struct plic_model *m, uint64_t off, bool write, uint32_t v)
{
	if (off < VPLIC_PENDING) {
		if (off / 4 < VPLIC_SOURCES && write && off)
			m->priority[off / 4] = v & VPLIC_PRIO_MASK;
		return off / 4 < VPLIC_SOURCES ? m->priority[off / 4] : 0;
	}
	if (off < VPLIC_ENABLE) {
		uint64_t w = (off - VPLIC_PENDING) / 4;
		return w < 2 ? (uint32_t)(m->pending >> 32 * w) : 0;
	}
	if (off < VPLIC_CONTEXT) {
		uint64_t c = (off - VPLIC_ENABLE) / VPLIC_ENABLE_CTX;
		uint64_t w = (off - VPLIC_ENABLE) % VPLIC_ENABLE_CTX / 4;

		if (c >= m->nctx || w >= 2)
			return 0;
		if (write)
			m->enable[c] = (m->enable[c] & ~(0xffffffffULL << 32 * w)) |
				       ((uint64_t)v << 32 * w & ~1ULL);
		return (uint32_t)(m->enable[c] >> 32 * w);
	}
	uint64_t c = (off - VPLIC_CONTEXT) / VPLIC_CTX_STRIDE, r = (off - VPLIC_CONTEXT) % 0x1000;

	if (c >= m->nctx)
		return 0;
	if (r == 0) {
		if (write)
			m->threshold[c] = v & VPLIC_PRIO_MASK;
		return m->threshold[c];
	}
	if (r != 4)
		return 0;
	if (!write)
		return model_claim(m, (unsigned)c);
	if (v && v < VPLIC_SOURCES && (m->enable[c] >> v & 1) && (m->claimed >> v & 1)) {
		m->claimed &= ~(1ULL << v);
		if (m->level >> v & 1)
			m->pending |= 1ULL << v;
	}
	return 0;
}

static uint64_t pick_offset(struct plic_model *m, struct fz *f)
{
	static const uint64_t bases[] = { VPLIC_PRIORITY, VPLIC_PENDING, VPLIC_ENABLE,
					  VPLIC_CONTEXT };

	switch (fz_below(f, 4)) {
	case 0:
		return fz_u64(f);
	case 1:
		return fz_below(f, VPLIC_SIZE(m->nctx) + 16);
	case 2:
		return FZ_PICK(f, bases) + fz_below(f, 0x100);
	default:
		return VPLIC_CONTEXT + VPLIC_CTX_STRIDE * fz_below(f, m->nctx + 1) +
		       4 * fz_below(f, 3);
	}
}

/* The device's whole state against the model, after every access and line change. */
static void compare(struct plic_model *m)
{
	const struct vplic *p = plic;

	FZ_CHECK(p->level == m->level && p->pending == m->pending && p->claimed == m->claimed,
		 "level/pending/claimed 0x%llx/0x%llx/0x%llx, model 0x%llx/0x%llx/0x%llx",
		 (unsigned long long)p->level, (unsigned long long)p->pending,
		 (unsigned long long)p->claimed, (unsigned long long)m->level,
		 (unsigned long long)m->pending, (unsigned long long)m->claimed);
	for (unsigned s = 0; s < VPLIC_SOURCES; s++)
		FZ_CHECK(p->priority[s] == m->priority[s], "priority %u: %u, model %u", s,
			 p->priority[s], m->priority[s]);
	for (unsigned c = 0; c < m->nctx; c++) {
		bool out = model_output(m, c);

		FZ_CHECK(p->enable[c] == m->enable[c] && p->threshold[c] == m->threshold[c],
			 "context %u enable/threshold differ", c);
		FZ_CHECK(vplic_output(p, c) == out, "context %u output %d, model %d", c,
			 vplic_output(p, c), out);
		FZ_CHECK(notified[c] == (out != m->out[c]),
			 "context %u: %u notifications, output %d -> %d", c, notified[c], m->out[c],
			 out);
		m->out[c] = out;
		notified[c] = 0;
	}
	FZ_CHECK(!vplic_output(p, m->nctx), "a context beyond the last has an output");
}

/* One guest access through the core, checked against the model; returns what a load read. */
static uint32_t access(struct plic_model *m, uint64_t off, unsigned width, bool write,
		       uint32_t value)
{
	uint64_t v = value;
	bool served = width == 4 && off % 4 == 0 && off < VPLIC_SIZE(m->nctx);
	enum fzv_outcome o = fzv_mmio(&vm.vcpus[0], PLIC_BASE + off, width, write, &v);
	uint32_t want;

	if (!served) {
		FZ_CHECK(o == FZV_FAULTED, "%s of %u at +0x%llx: outcome %d, not a fault",
			 write ? "store" : "load", width, (unsigned long long)off, o);
		compare(m);
		return 0;
	}
	FZ_CHECK(o == FZV_COMPLETED, "access at +0x%llx: outcome %d", (unsigned long long)off, o);
	want = model_access(m, off, write, value);
	FZ_CHECK(write || v == want, "load at +0x%llx: 0x%llx, model 0x%x", (unsigned long long)off,
		 (unsigned long long)v, want);
	compare(m);
	return (uint32_t)v;
}

static void set_line(struct plic_model *m, uint32_t src, bool level)
{
	int rc = vplic_set_line(plic, src, level);

	FZ_CHECK(rc == (src && src < VPLIC_SOURCES ? PV_OK : -PV_EINVAL), "set_line %u: %d", src,
		 rc);
	if (rc == PV_OK && level) {
		m->level |= 1ULL << src;
		if (!(m->claimed >> src & 1))
			m->pending |= 1ULL << src;
	} else if (rc == PV_OK) {
		m->level &= ~(1ULL << src);
		m->pending &= ~(1ULL << src);
	}
	compare(m);
}

/* Raw accesses, device lines, and the steps a driver takes (program a source, claim and
 * complete), so that short inputs reach claims with several candidates. */
static void op(struct plic_model *m, struct fz *f)
{
	uint64_t c = fz_below(f, m->nctx + 1), s = fz_below(f, VPLIC_SOURCES + 4);

	switch (fz_below(f, 8)) {
	case 0:
	case 1:
		set_line(m, (uint32_t)s, fz_bool(f));
		break;
	case 2: /* priority, enable bit, line */
		access(m, VPLIC_PRIORITY + 4 * s, 4, true, fz_u8(f));
		access(m, VPLIC_ENABLE + VPLIC_ENABLE_CTX * c + 4 * (s / 32), 4, true,
		       (uint32_t)(m->enable[c % VPLIC_MAX_CTX] >> 32 * (s / 32 % 2)) |
			       1u << s % 32);
		set_line(m, (uint32_t)s, true);
		break;
	case 3: { /* claim, then complete what was claimed (or another source) */
		uint64_t claim = VPLIC_CONTEXT + VPLIC_CTX_STRIDE * c + 4;
		uint32_t got = access(m, claim, 4, false, 0);

		access(m, claim, 4, true, fz_bool(f) ? got : (uint32_t)s);
		break;
	}
	default: {
		uint64_t off = pick_offset(m, f);
		unsigned width = fz_below(f, 4) ? 4 : fz_width(f);

		access(m, off, width, fz_bool(f), fz_u32(f));
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = fz_init(data, size);
	struct vm_config cfg;
	struct plic_model m = { .nctx = (unsigned)fz_below(&f, VPLIC_MAX_CTX + 2) };
	fzv_reset();
	fzv_config(&cfg, 1);
	fzv_start(&vm, &cfg);
	memset(notified, 0, sizeof(notified));
	plic = vplic_create(&vm, PLIC_BASE, m.nctx);
	FZ_CHECK(!plic == (m.nctx == 0 || m.nctx > VPLIC_MAX_CTX), "vplic_create with %u contexts",
		 m.nctx);
	for (unsigned n = 0; plic && fz_more(&f) && n < 4096; n++)
		op(&m, &f);
	fzv_finish(&vm);
	return 0;
}
