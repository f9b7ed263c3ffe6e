// SPDX-License-Identifier: MIT
/* The decoded-instruction cache (x86_icache.h). */
#include "x86_icache.h"

#define CR0_PG	 PV_BIT(31)
#define CR4_PAE	 PV_BIT(5)
#define CR4_LA57 PV_BIT(12)
#define EFER_LMA PV_BIT(10)

/* The controls x86_gwalk looks at besides CR3, in one word. */
static uint64_t paging_controls(const struct x86_gwalk_regs *regs)
{
	return (regs->cr0 & CR0_PG) | (regs->cr4 & (CR4_PAE | CR4_LA57)) | (regs->efer & EFER_LMA);
}

/* Bytes 0-7 and 7-14 of a window, as two words (fixed-size copies: two loads). */
static void window_words(const uint8_t *code, uint64_t *lo, uint64_t *hi)
{
	__builtin_memcpy(lo, code, sizeof(*lo));
	__builtin_memcpy(hi, code + 7, sizeof(*hi));
}

bool x86_icache_lookup(const struct x86_icache *c, const struct x86_gwalk_regs *regs, uint64_t rip,
		       enum x86_cpu_mode mode, struct x86_mmio_insn *out)
{
	uint64_t lo, hi;

	if (!c->valid || c->rip != rip || c->cr3 != regs->cr3 || c->mode != (uint8_t)mode ||
	    c->paging != paging_controls(regs))
		return false;
	/* The same entries at the same places: the walk would end at the same frame. */
	for (unsigned i = 0; i < c->levels; i++)
		if (*c->pte[i] != c->pte_val[i])
			return false;
	window_words(c->code, &lo, &hi);
	if (lo != c->bytes_lo || hi != c->bytes_hi)
		return false;
	*out = c->insn;
	return true;
}

struct fill_walk {
	x86_icache_host_fn host;
	void *ctx;
	unsigned levels;
	bool overflow;
	const volatile uint64_t *pte[X86_ICACHE_WALK_MAX];
	uint64_t pte_val[X86_ICACHE_WALK_MAX];
};

/* x86_gwalk's reader: each entry read through its host address, which is recorded with the
 * value read. */
static int fill_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct fill_walk *w = ctx;
	const volatile uint64_t *p;

	if (len != sizeof(uint64_t) || (addr & 7u))
		return -PV_EINVAL;
	p = w->host(w->ctx, addr, len);
	if (!p)
		return -PV_EFAULT;
	if (w->levels >= X86_ICACHE_WALK_MAX) {
		w->overflow = true;
		return -PV_EINVAL;
	}
	w->pte[w->levels] = p;
	w->pte_val[w->levels] = *p;
	__builtin_memcpy(buf, &w->pte_val[w->levels], sizeof(uint64_t));
	w->levels++;
	return PV_OK;
}

void x86_icache_fill(struct x86_icache *c, const struct x86_gwalk_regs *regs, uint64_t rip,
		     enum x86_cpu_mode mode, const uint8_t *code, const struct x86_mmio_insn *insn,
		     x86_icache_host_fn host, void *ctx)
{
	struct fill_walk w = { .host = host, .ctx = ctx };
	const uint8_t *bytes;
	uint64_t pa, lo, hi;

	c->valid = false;
	if ((rip & 4095u) > 4096u - X86_MAX_INSN_LEN)
		return; /* the window crosses a page: two walks, not cached */
	if (x86_gwalk(regs, rip, fill_read, &w, &pa) || w.overflow)
		return;
	bytes = host(ctx, pa, X86_MAX_INSN_LEN);
	if (!bytes)
		return;
	window_words(bytes, &lo, &hi);
	window_words(code, &c->bytes_lo, &c->bytes_hi);
	if (lo != c->bytes_lo || hi != c->bytes_hi)
		return; /* changed since it was decoded: decode again next time */
	for (unsigned i = 0; i < w.levels; i++) {
		c->pte[i] = w.pte[i];
		c->pte_val[i] = w.pte_val[i];
	}
	c->levels = (uint8_t)w.levels;
	c->rip = rip;
	c->cr3 = regs->cr3;
	c->paging = paging_controls(regs);
	c->mode = (uint8_t)mode;
	c->code = bytes;
	c->insn = *insn;
	c->valid = true;
}
