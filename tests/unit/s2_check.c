// SPDX-License-Identifier: MIT
#include "s2_check.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define S2C_MAX_LEVELS 8
#define S2C_POOL_CAP   S2_CHECK_MAX_POOL_FRAMES

typedef unsigned long long ull; /* for printing */

/* ---- pool, walker, tree ---- */

void s2_test_pool_init(struct s2_test_pool *tp, size_t nframes)
{
	size_t bytes = nframes * HAL_PAGE_SIZE;

	tp->mem = aligned_alloc(HAL_PAGE_SIZE, bytes);
	tp->bitmap = calloc(PAGE_POOL_BITMAP_WORDS(nframes), sizeof(uint64_t));
	tp->cap = nframes;
	assert_true(tp->mem && tp->bitmap);
	memset(tp->mem, 0xa5, bytes); /* the pool zeroes what it hands out; the rest is junk */
	s2_test_pool_reset(tp, nframes);
}

void s2_test_pool_reset(struct s2_test_pool *tp, size_t nframes)
{
	assert_true(nframes <= tp->cap);
	assert_int_equal(
		page_pool_init(&tp->pool, hpa(S2_TEST_HPA_BASE), tp->mem, nframes, tp->bitmap),
		PV_OK);
}

void s2_test_pool_fini(struct s2_test_pool *tp)
{
	free(tp->mem);
	free(tp->bitmap);
	tp->mem = NULL;
	tp->bitmap = NULL;
}

size_t s2_test_pool_used(const struct s2_test_pool *tp)
{
	return tp->pool.nframes - tp->pool.nfree;
}

unsigned s2_check_table_frames(const struct s2_format *fmt, unsigned level)
{
	uint64_t bytes = 8ULL << s2_format_table_bits(fmt, level);

	return bytes > HAL_PAGE_SIZE ? (unsigned)(bytes / HAL_PAGE_SIZE) : 1u;
}

static uint64_t s2c_bs(const struct s2_format *f, unsigned level)
{
	return 1ULL << s2_format_level_shift(f, level);
}

uint64_t s2_check_walk(const struct s2_space *sp, uint64_t addr, unsigned *level)
{
	const struct s2_format *f = sp->fmt;
	const uint64_t *t = page_pool_virt(sp->pool, sp->root);

	for (unsigned l = 0;; l++) {
		uint64_t mask = (1ULL << s2_format_table_bits(f, l)) - 1;
		uint64_t pte = t[(addr >> s2_format_level_shift(f, l)) & mask];

		if (l + 1u == f->levels || f->classify(pte, l) != S2_PTE_TABLE) {
			*level = l;
			return pte;
		}
		t = page_pool_virt(sp->pool, f->entry_addr(pte, l));
		assert_non_null(t);
	}
}

typedef void (*s2c_leaf_fn)(void *arg, uint64_t gpa, uint64_t size, uint64_t hpa,
			    struct s2_attr attr);

struct s2c_tree {
	s2c_leaf_fn leaf; /* NULL: structure only */
	void *arg;
	uint64_t frames, bytes;
};

static void tree_walk(const struct s2_space *sp, struct s2c_tree *acc, hpa_t table, unsigned level,
		      uint64_t base)
{
	const struct s2_format *f = sp->fmt;
	const uint64_t *t = page_pool_virt(sp->pool, table);
	size_t n = (size_t)1 << s2_format_table_bits(f, level);
	size_t words = s2_check_table_frames(f, level) * HAL_PAGE_SIZE / 8;
	uint64_t bs = s2c_bs(f, level);
	unsigned used = 0;

	assert_non_null(t);
	acc->frames += s2_check_table_frames(f, level);
	for (size_t i = n; i < words; i++)
		assert_int_equal(t[i], 0); /* nothing written past a table smaller than its frame */
	for (size_t i = 0; i < n; i++) {
		enum s2_pte_kind kind = f->classify(t[i], level);
		hpa_t out = f->entry_addr(t[i], level);

		if (kind == S2_PTE_INVALID) {
			assert_int_equal(t[i], 0);
			continue;
		}
		used++;
		if (kind == S2_PTE_TABLE) {
			assert_true(level + 1u < f->levels);
			tree_walk(sp, acc, out, level + 1u, base + (uint64_t)i * bs);
			continue;
		}
		assert_true((f->leaf_levels >> level & 1u) && PV_IS_ALIGNED(out.raw, bs));
		acc->bytes += bs;
		if (acc->leaf)
			acc->leaf(acc->arg, base + (uint64_t)i * bs, bs, out.raw,
				  f->leaf_attr(t[i], level));
	}
	assert_true(level == 0 || used > 0); /* tables that emptied must have been freed */
}

uint64_t s2_check_tree(const struct s2_space *sp)
{
	struct s2c_tree acc = { NULL, NULL, 0, 0 };

	tree_walk(sp, &acc, sp->root, 0, 0);
	assert_int_equal(acc.frames, sp->table_frames);
	return acc.bytes;
}

void s2_check_format(const struct s2_format *f, bool memtype_stored)
{
	uint64_t all = f->oa_bits < 64 ? (1ULL << f->oa_bits) - 1 : ~0ULL;
	uint64_t talign = 8ULL << f->bits_per_level;
	uint64_t table = all & ~((talign > HAL_PAGE_SIZE ? talign : HAL_PAGE_SIZE) - 1);

	for (unsigned l = 0; l < f->levels; l++) {
		uint64_t bs = s2c_bs(f, l), outs[3] = { all & ~(bs - 1), 0, bs };
		uint64_t tpte = f->make_table(hpa(table));

		assert_int_equal(f->classify(0, l), S2_PTE_INVALID);
		if (l + 1u < f->levels) {
			assert_int_equal(f->classify(tpte, l), S2_PTE_TABLE);
			assert_int_equal(f->entry_addr(tpte, l).raw, table);
		} else {
			assert_int_not_equal(f->classify(tpte, l), S2_PTE_TABLE);
		}
		for (unsigned i = 0; i < 3 * 16 && (f->leaf_levels >> l & 1u); i++) {
			struct s2_attr in = { (uint8_t)(i % 8), (uint8_t)(i / 8 % 2) }, got;
			uint64_t pte;

			if (!f->perm_ok(in.perm))
				continue;
			pte = f->make_leaf(hpa(outs[i / 16]), l, in);
			got = f->leaf_attr(pte, l);
			assert_int_equal(f->classify(pte, l), S2_PTE_LEAF);
			assert_int_equal(f->entry_addr(pte, l).raw, outs[i / 16]);
			assert_int_equal(got.perm, in.perm);
			assert_int_equal(got.memtype, memtype_stored ? in.memtype : S2_MEM_NORMAL);
		}
	}
}

/* ---- reference model: sorted, disjoint extents ---- */

struct s2c_ext {
	uint64_t gpa, size, hpa;
	struct s2_attr attr;
};

struct s2c_model {
	struct s2c_ext *v;
	size_t n, cap;
};

/* Index of the first extent ending after @addr. */
static size_t model_find(const struct s2c_model *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->v[mid].gpa + m->v[mid].size <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct s2c_ext *model_lookup(const struct s2c_model *m, uint64_t addr)
{
	size_t i = model_find(m, addr);

	return i < m->n && m->v[i].gpa <= addr ? &m->v[i] : NULL;
}

static void model_insert(struct s2c_model *m, size_t i, struct s2c_ext e)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = realloc(m->v, m->cap * sizeof(*m->v));
		assert_non_null(m->v);
	}
	memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(*m->v));
	m->v[i] = e;
	m->n++;
}

static void model_split_at(struct s2c_model *m, uint64_t x)
{
	size_t i = model_find(m, x);
	struct s2c_ext right;

	if (i == m->n || m->v[i].gpa >= x)
		return;
	right = m->v[i];
	right.gpa = x;
	right.hpa += x - m->v[i].gpa;
	right.size -= x - m->v[i].gpa;
	m->v[i].size = x - m->v[i].gpa;
	model_insert(m, i + 1, right);
}

/* Unmaps [a, end), or sets its permissions to @perm if @protect. */
static void model_change(struct s2c_model *m, uint64_t a, uint64_t end, bool protect, uint8_t perm)
{
	size_t i, j;

	model_split_at(m, a);
	model_split_at(m, end);
	i = model_find(m, a);
	for (j = i; j < m->n && m->v[j].gpa < end; j++)
		m->v[j].attr.perm = perm;
	if (!protect && j > i) {
		memmove(&m->v[i], &m->v[j], (m->n - j) * sizeof(*m->v));
		m->n -= j - i;
	}
}

/* ---- checker context ---- */

struct s2c {
	const struct s2_format *fmt;
	struct s2_space sp;
	struct s2_test_pool own, *tp, *reuse; /* tp: own, or reuse when the caller gives a pool */
	struct s2c_model m;
	uint64_t rng, seed, page, top, window;
	unsigned op, minleaf, rootf, tablef;
	bool memtype_stored;
	bool tight;	   /* the pool may run dry: -PV_ENOMEM is a correct answer */
	const uint8_t *in; /* fuzzing: the choices, instead of rng */
	size_t in_len;
	char desc[192];
	unsigned long seen_level[S2C_MAX_LEVELS], seen_eexist, seen_split;
};

static void s2c_fail(const struct s2c *c, int line, const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));

static void s2c_fail(const struct s2c *c, int line, const char *cond, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	print_error("s2_check line %d: '%s' failed: %s\n  format %s, seed %llu, op %u: %s\n", line,
		    cond, detail, c->fmt->name, (ull)c->seed, c->op, c->desc);
	fail();
	abort(); /* fail() does not return; this tells the compiler so */
}

#define S2C_EXPECT(c, cond, ...)                                                                   \
	do {                                                                                       \
		if (!(cond))                                                                       \
			s2c_fail((c), __LINE__, #cond, __VA_ARGS__);                               \
	} while (0)

static uint64_t rnd(struct s2c *c)
{
	uint64_t z = (c->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd_below(struct s2c *c, uint64_t n)
{
	uint64_t v = 0;

	if (!c->in)
		return n ? rnd(c) % n : 0;
	for (uint64_t m = n ? n - 1 : 0, i = 0; m; m >>= 8, i += 8)
		if (c->in_len) {
			v |= (uint64_t)*c->in++ << i;
			c->in_len--;
		}
	return n ? v % n : 0;
}

static struct s2c *s2c_new(const struct s2_format *f)
{
	struct s2c *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->fmt = f;
	c->page = 1ULL << f->page_shift;
	c->top = c->window = 1ULL << s2_format_ia_bits(f);
	while (!(f->leaf_levels >> c->minleaf & 1u))
		c->minleaf++;
	c->rootf = s2_check_table_frames(f, 0);
	c->tablef = s2_check_table_frames(f, 1);
	return c;
}

static void s2c_space_init(struct s2c *c, size_t frames)
{
	if (c->reuse) {
		c->tp = c->reuse;
		s2_test_pool_reset(c->tp, frames);
	} else {
		c->tp = &c->own;
		s2_test_pool_init(c->tp, frames);
	}
	assert_int_equal(s2_init(&c->sp, c->fmt, NULL, &c->tp->pool, 1), PV_OK);
	assert_int_equal(c->sp.table_frames, c->rootf);
	assert_int_equal(s2_test_pool_used(c->tp), c->rootf);
}

static void s2c_space_fini(struct s2c *c)
{
	s2_destroy(&c->sp);
	S2C_EXPECT(c, s2_test_pool_used(c->tp) == 0, "%zu frames leaked", s2_test_pool_used(c->tp));
	if (c->tp == &c->own)
		s2_test_pool_fini(c->tp);
}

/* The whole leaf [g, g + size) -> h must agree with the model, extent by extent. */
static void check_leaf(void *arg, uint64_t g, uint64_t size, uint64_t h, struct s2_attr attr)
{
	struct s2c *c = arg;

	for (uint64_t a = g; a < g + size;) {
		const struct s2c_ext *e = model_lookup(&c->m, a);

		S2C_EXPECT(c, e != NULL, "leaf %#llx+%#llx maps %#llx; model: nothing", (ull)g,
			   (ull)size, (ull)a);
		S2C_EXPECT(c,
			   e->hpa + (a - e->gpa) == h + (a - g) && e->attr.perm == attr.perm &&
				   e->attr.memtype == attr.memtype,
			   "gpa %#llx: hpa %#llx attr %u/%u; model %#llx %u/%u", (ull)a,
			   (ull)(h + (a - g)), attr.perm, attr.memtype,
			   (ull)(e->hpa + (a - e->gpa)), e->attr.perm, e->attr.memtype);
		a = e->gpa + e->size;
	}
}

/* Every leaf against the model, and the bytes mapped equal to the model's. */
static void full_check(struct s2c *c)
{
	struct s2c_tree acc = { check_leaf, c, 0, 0 };
	uint64_t bytes = 0;

	tree_walk(&c->sp, &acc, c->sp.root, 0, 0);
	for (size_t i = 0; i < c->m.n; i++)
		bytes += c->m.v[i].size;
	S2C_EXPECT(c, acc.frames == c->sp.table_frames && acc.bytes == bytes,
		   "tree: %llu frames, %#llx bytes; space %u frames, model %#llx bytes",
		   (ull)acc.frames, (ull)acc.bytes, c->sp.table_frames, (ull)bytes);
}

/* One address against the model, through every read-side entry point. */
static void check_addr(struct s2c *c, uint64_t x)
{
	const struct s2_format *f = c->fmt;
	const struct s2c_ext *e;
	struct s2_mapping mp;
	uint64_t pte, off = rnd_below(c, c->page);
	uint8_t perm = (uint8_t)rnd_below(c, 8);
	unsigned level;
	hpa_t h = hpa(0);
	int q, t, l;

	if (x >= c->window)
		return;
	x = PV_ALIGN_DOWN(x, c->page);
	e = model_lookup(&c->m, x);
	q = s2_query(&c->sp, gpa(x), &mp);
	l = s2_lookup_entry(&c->sp, gpa(x), &pte, &level);
	t = s2_translate(&c->sp, gpa(x + off), perm, &h);
	S2C_EXPECT(c, l == PV_OK, "lookup %#llx: %d", (ull)x, l);
	if (!e) {
		S2C_EXPECT(c, q == -PV_ENOENT && t == -PV_ENOENT, "%#llx: query %d, translate %d",
			   (ull)x, q, t);
		S2C_EXPECT(c, f->classify(pte, level) == S2_PTE_INVALID, "%#llx: entry %#llx at %u",
			   (ull)x, (ull)pte, level);
		return;
	}
	S2C_EXPECT(c, q == PV_OK && f->classify(pte, level) == S2_PTE_LEAF && level == mp.level,
		   "%#llx: query %d level %u, lookup level %u", (ull)x, q, mp.level, level);
	S2C_EXPECT(c,
		   mp.size == s2c_bs(f, level) && mp.gpa.raw == PV_ALIGN_DOWN(x, mp.size) &&
			   PV_IS_ALIGNED(mp.hpa.raw, mp.size),
		   "leaf %#llx+%#llx", (ull)mp.gpa.raw, (ull)mp.size);
	check_leaf(c, mp.gpa.raw, mp.size, mp.hpa.raw, mp.attr);
	c->seen_level[level]++;
	if ((e->attr.perm & perm) != perm)
		S2C_EXPECT(c, t == -PV_EFAULT, "translate %#llx perm %u: %d", (ull)x, perm, t);
	else
		S2C_EXPECT(c, t == PV_OK && h.raw == e->hpa + (x - e->gpa) + off,
			   "translate %#llx: %d %#llx", (ull)(x + off), t, (ull)h.raw);
}

/* Both edges of an operation, their neighbours and the block boundaries around them. */
static void check_around(struct s2c *c, uint64_t a, uint64_t size)
{
	for (uint64_t p = a, i = 0; i < 2; p = a + size, i++) {
		if (p >= c->page)
			check_addr(c, p - c->page);
		check_addr(c, p);
		check_addr(c, p + c->page);
		for (unsigned l = c->minleaf; l + 1u < c->fmt->levels; l++) {
			uint64_t bs = s2c_bs(c->fmt, l), start = PV_ALIGN_DOWN(p, bs);

			check_addr(c, start);
			check_addr(c, start + bs - c->page);
			check_addr(c, start + bs);
		}
	}
	for (unsigned i = 0; i < 8; i++)
		check_addr(c, rnd_below(c, c->window));
}

/* ---- random operations ---- */

/* A random leaf level whose block fits twice in the window. */
static unsigned pick_level(struct s2c *c)
{
	unsigned l = c->minleaf + (unsigned)rnd_below(c, c->fmt->levels - c->minleaf);

	while (s2c_bs(c->fmt, l) > c->window / 2)
		l++;
	return l;
}

static uint64_t pick_size(struct s2c *c)
{
	uint64_t page = c->page, bs = s2c_bs(c->fmt, pick_level(c)), r = rnd_below(c, 12), size;

	if (r < 4)
		size = page * (1 + rnd_below(c, 8));
	else if (r < 6)
		size = page * (1 + rnd_below(c, 1024));
	else if (r < 7)
		size = bs;
	else if (r < 9) /* straddles the next block boundary */
		size = bs * (1 + rnd_below(c, 3)) + page * (1 + rnd_below(c, 4));
	else if (r < 11)
		size = bs * (1 + rnd_below(c, 4));
	else
		size = page * (1 + rnd_below(c, c->window / 4 / page));
	return size > c->window / 2 ? c->window / 2 : size;
}

static uint64_t pick_addr(struct s2c *c, uint64_t size)
{
	uint64_t a = PV_ALIGN_DOWN(rnd_below(c, c->window - size + 1), c->page);
	uint64_t shift = c->page * (1 + rnd_below(c, 3));

	if (rnd_below(c, 2)) {
		a = PV_ALIGN_DOWN(a, s2c_bs(c->fmt, pick_level(c)));
		if (rnd_below(c, 2) && a >= shift)
			a -= shift;
		else if (rnd_below(c, 2) && a + shift + size <= c->window)
			a += shift;
	}
	return a;
}

/* Congruent to @a modulo the block size of level @l and (usually) of no larger block, with
 * the modulus raised for large sizes so that a map never costs more than ~2048 leaves. */
static uint64_t pick_hpa(struct s2c *c, uint64_t a, uint64_t size, unsigned l)
{
	unsigned bits = c->fmt->oa_bits < 46 ? c->fmt->oa_bits : 46;
	uint64_t space = 1ULL << bits, big = s2c_bs(c->fmt, c->minleaf), mod = s2c_bs(c->fmt, l);

	while (size / mod > 2048 && mod < big)
		mod <<= c->fmt->bits_per_level;
	return rnd_below(c, (space - size) / big) * big + rnd_below(c, big / mod) * mod + a % mod;
}

static void do_map(struct s2c *c, uint64_t a, uint64_t size, uint64_t h)
{
	struct s2_attr attr = { (uint8_t)rnd_below(c, 8), (uint8_t)rnd_below(c, 2) }, want = attr;
	size_t i = model_find(&c->m, a);
	uint32_t before = c->sp.table_frames;
	int expect = PV_OK, r;

	if (!c->memtype_stored)
		want.memtype = S2_MEM_NORMAL;
	if (!c->fmt->perm_ok(attr.perm))
		expect = -PV_EINVAL;
	else if (i < c->m.n && c->m.v[i].gpa < a + size)
		expect = -PV_EEXIST;
	snprintf(c->desc, sizeof(c->desc), "map %#llx+%#llx -> %#llx perm %u mt %u", (ull)a,
		 (ull)size, (ull)h, attr.perm, attr.memtype);
	r = s2_map(&c->sp, gpa(a), hpa(h), size, attr);
	if (r == -PV_ENOMEM && c->tight && expect == PV_OK)
		expect = r;
	S2C_EXPECT(c, r == expect, "returned %d, expected %d", r, expect);
	if (r == PV_OK)
		model_insert(&c->m, i, (struct s2c_ext){ a, size, h, want });
	else
		S2C_EXPECT(c, c->sp.table_frames == before, "failed map changed tables");
	if (r == -PV_ENOMEM)
		full_check(c); /* nothing changed: every leaf as before */
	c->seen_eexist += r == -PV_EEXIST;
	check_around(c, a, size);
}

static void do_range(struct s2c *c, bool protect, uint64_t a, uint64_t size)
{
	uint8_t perm = (uint8_t)rnd_below(c, 8);
	uint32_t before = c->sp.table_frames;
	int expect = protect && !c->fmt->perm_ok(perm) ? -PV_EINVAL : PV_OK, r;

	snprintf(c->desc, sizeof(c->desc), "%s %#llx+%#llx perm %u", protect ? "protect" : "unmap",
		 (ull)a, (ull)size, perm);
	r = protect ? s2_protect(&c->sp, gpa(a), size, perm) : s2_unmap(&c->sp, gpa(a), size);
	if (r == -PV_ENOMEM && c->tight && expect == PV_OK)
		expect = r;
	S2C_EXPECT(c, r == expect, "returned %d, expected %d", r, expect);
	if (r == PV_OK)
		model_change(&c->m, a, a + size, protect, perm);
	if (r == -PV_ENOMEM) {
		S2C_EXPECT(c, c->sp.table_frames == before, "failed %s changed tables",
			   protect ? "protect" : "unmap");
		full_check(c);
	}
	c->seen_split += c->sp.table_frames > before;
	check_around(c, a, size);
}

/* Clears a block-aligned range, then maps it with an output aligned to the block (blocks must
 * be used) or only to the next smaller block (blocks would be wrong). */
static void do_block_remap(struct s2c *c)
{
	unsigned l = pick_level(c);
	uint64_t bs = s2c_bs(c->fmt, l), n = 1 + rnd_below(c, 2), a, h;
	bool aligned = rnd_below(c, 2);

	if (l + 1u == c->fmt->levels || n * bs > c->window / 2)
		return;
	a = rnd_below(c, c->window / bs - n + 1) * bs;
	h = pick_hpa(c, a, n * bs, aligned ? l : l + 1u);
	if (!aligned && PV_IS_ALIGNED(h, bs))
		h += s2c_bs(c->fmt, l + 1u);
	do_range(c, false, a, n * bs);
	do_map(c, a, n * bs, h);
}

/* Arguments the engine must refuse without touching anything; all tried at once. */
static void do_invalid(struct s2c *c)
{
	uint64_t pg = c->page, off = pg > 4096 ? 4096 : pg / 2, top = c->top, pte;
	uint64_t a = pick_addr(c, pg), h = pick_hpa(c, a, pg, pick_level(c));
	uint64_t oa_top = c->fmt->oa_bits < 64 ? 1ULL << c->fmt->oa_bits : 0;
	struct s2_attr ok = { S2_PERM_R, S2_MEM_NORMAL };
	struct s2_space *sp = &c->sp;
	uint32_t before = sp->table_frames;
	struct s2_mapping mp;
	unsigned level;
	int got[15];

	snprintf(c->desc, sizeof(c->desc), "invalid calls at %#llx", (ull)a);
	got[0] = s2_map(sp, gpa(a + off), hpa(h), pg, ok);
	got[1] = s2_map(sp, gpa(a), hpa(h + off), pg, ok);
	got[2] = s2_map(sp, gpa(a), hpa(h), 0, ok);
	got[3] = s2_map(sp, gpa(a), hpa(h), pg + off, ok);
	got[4] = s2_map(sp, gpa(top - pg), hpa(h), 2 * pg, ok);
	got[5] = s2_map(sp, gpa(~0ULL - pg + 1), hpa(h), 2 * pg, ok);
	got[6] = oa_top ? s2_map(sp, gpa(a), hpa(oa_top - pg), 2 * pg, ok) : -PV_EINVAL;
	got[7] = s2_map(sp, gpa(a), hpa(h), pg, (struct s2_attr){ S2_PERM_R, 2 });
	got[8] = s2_map(sp, gpa(a), hpa(h), pg, (struct s2_attr){ S2_PERM_R | 8, 0 });
	got[9] = s2_unmap(sp, gpa(a + off), pg);
	got[10] = s2_unmap(sp, gpa(a), 0);
	got[11] = s2_unmap(sp, gpa(top - pg), 2 * pg);
	got[12] = s2_protect(sp, gpa(a), pg, S2_PERM_R | 16);
	got[13] = s2_protect(sp, gpa(a), pg + off, S2_PERM_R);
	got[14] = s2_query(sp, gpa(top), &mp) + s2_lookup_entry(sp, gpa(top), &pte, &level) +
		  PV_EINVAL;
	for (unsigned i = 0; i < PV_ARRAY_SIZE(got); i++)
		S2C_EXPECT(c, got[i] == -PV_EINVAL, "call %u returned %d", i, got[i]);
	S2C_EXPECT(c, sp->table_frames == before, "refused calls changed tables");
	check_around(c, a, pg);
}

/* Frames enough for the window with every block split down to pages, capped. */
static size_t s2c_pool_frames(const struct s2c *c)
{
	uint64_t frames = c->rootf;

	for (unsigned l = 1; l < c->fmt->levels && frames < S2C_POOL_CAP; l++)
		frames +=
			(c->window + s2c_bs(c->fmt, l - 1) - 1) / s2c_bs(c->fmt, l - 1) * c->tablef;
	return (size_t)(frames < S2C_POOL_CAP ? frames + 64 : S2C_POOL_CAP);
}

void s2_check_random(const struct s2_check_cfg *cfg)
{
	s2_check_input(cfg, NULL);
}

void s2_check_input(const struct s2_check_cfg *cfg, const struct s2_check_input *in)
{
	struct s2c *c = s2c_new(cfg->fmt);
	size_t frames;

	c->seed = c->rng = cfg->seed;
	c->memtype_stored = cfg->memtype_stored;
	c->window = cfg->window ? cfg->window : 8 * s2c_bs(cfg->fmt, c->minleaf);
	c->window = c->window < c->top ? c->window : c->top;
	frames = s2c_pool_frames(c);
	if (in) {
		c->in = in->bytes;
		c->in_len = in->len;
		c->reuse = in->pool;
		if (in->pool_frames && in->pool_frames < frames) {
			frames = in->pool_frames > c->rootf ? in->pool_frames : c->rootf;
			c->tight = true;
		}
	}
	s2c_space_init(c, frames);
	for (c->op = 0; c->op < cfg->ops && (!c->in || c->in_len); c->op++) {
		uint64_t r = rnd_below(c, 100), size, a;

		/* Outputs aligned only to a page force pages: kept small to bound the tables. */
		size = r >= 35 && r < 45 ? c->page * (1 + rnd_below(c, 64)) : pick_size(c);
		if (size > c->window / 2) /* small windows: every operation stays inside */
			size = PV_ALIGN_DOWN(c->window / 2, c->page);
		a = pick_addr(c, size);
		if (r < 35)
			do_map(c, a, size, pick_hpa(c, a, size, pick_level(c)));
		else if (r < 45)
			do_map(c, a, size, PV_ALIGN_DOWN(rnd_below(c, 1ULL << 40), c->page));
		else if (r < 85)
			do_range(c, r >= 70, a, size);
		else if (r < 93)
			do_block_remap(c);
		else
			do_invalid(c);
		S2C_EXPECT(c, s2_test_pool_used(c->tp) == c->sp.table_frames,
			   "pool has %zu frames out, space counts %u", s2_test_pool_used(c->tp),
			   c->sp.table_frames);
		if (c->op % 64 == 63)
			full_check(c);
	}
	full_check(c);
	snprintf(c->desc, sizeof(c->desc), "final unmap of %#llx bytes", (ull)c->window);
	S2C_EXPECT(c, s2_unmap(&c->sp, gpa(0), c->window) == PV_OK, "final unmap");
	model_change(&c->m, 0, c->window, false, 0);
	full_check(c);
	S2C_EXPECT(c, c->sp.table_frames == c->rootf, "%u table frames left, root has %u",
		   c->sp.table_frames, c->rootf);
	/* Coverage of the default window: every leaf size, collisions and splits all happened. */
	for (unsigned l = c->minleaf; l < c->fmt->levels && !cfg->window && !c->in; l++)
		S2C_EXPECT(c, c->seen_level[l] > 0, "no leaf at level %u was ever checked", l);
	S2C_EXPECT(c, c->in || (c->seen_eexist > 0 && c->seen_split > 0), "eexist %lu, splits %lu",
		   c->seen_eexist, c->seen_split);
	s2c_space_fini(c);
	free(c->m.v);
	free(c);
}

/* ---- out of memory ---- */

static void expect_leaf(struct s2c *c, uint64_t g, int err, uint64_t h, unsigned level,
			uint8_t perm)
{
	struct s2_mapping mp;
	int r = s2_query(&c->sp, gpa(g), &mp);

	S2C_EXPECT(c, r == err, "query %#llx: %d", (ull)g, r);
	S2C_EXPECT(c, err || (mp.hpa.raw == h && mp.level == level && mp.attr.perm == perm),
		   "%#llx: leaf %#llx level %u perm %u", (ull)g, (ull)mp.hpa.raw, mp.level,
		   mp.attr.perm);
}

/* A map crossing a root-entry boundary with page-only alignment needs a full table path on
 * each side; every pool smaller than that must fail cleanly, with or without a neighbour. */
static void enomem_map(struct s2c *c, bool neighbour)
{
	uint64_t x = s2c_bs(c->fmt, 0), a = x - 2 * c->page, out = 0x40000000ULL + c->page;
	unsigned path = c->fmt->levels - 1u, needed = 2 * path;
	struct s2_attr rw = { S2_PERM_R | S2_PERM_W, S2_MEM_NORMAL };

	for (unsigned k = 0; k <= needed; k++) {
		uint32_t before;
		size_t used;
		int r;

		snprintf(c->desc, sizeof(c->desc), "map with %u spare tables, neighbour %d", k,
			 neighbour);
		s2c_space_init(c, c->rootf + (size_t)(k + (neighbour ? path : 0)) * c->tablef);
		if (neighbour)
			S2C_EXPECT(c, s2_map(&c->sp, gpa(3 * x), hpa(out), c->page, rw) == PV_OK,
				   "-");
		before = c->sp.table_frames;
		used = s2_test_pool_used(c->tp);
		r = s2_map(&c->sp, gpa(a), hpa(out), 4 * c->page, rw);
		S2C_EXPECT(c, r == (k < needed ? -PV_ENOMEM : PV_OK), "returned %d", r);
		S2C_EXPECT(c, r || s2_test_pool_used(c->tp) == used + needed * c->tablef, "-");
		S2C_EXPECT(c,
			   !r || (c->sp.table_frames == before && s2_test_pool_used(c->tp) == used),
			   "tables %u (were %u), pool %zu (was %zu)", c->sp.table_frames, before,
			   s2_test_pool_used(c->tp), used);
		for (uint64_t g = a; g < a + 4 * c->page; g += c->page)
			expect_leaf(c, g, r ? -PV_ENOENT : 0, out + g - a, path, rw.perm);
		if (neighbour)
			expect_leaf(c, 3 * x, 0, out, path, rw.perm);
		S2C_EXPECT(c,
			   s2_check_tree(&c->sp) ==
				   (neighbour ? c->page : 0) + (r ? 0 : 4 * c->page),
			   "tree");
		s2c_space_fini(c);
	}
}

/* Splitting the largest block down to one page takes one table per level below it: with any
 * fewer frames, unmap and protect must fail and leave the block whole. */
static void enomem_split(struct s2c *c)
{
	const struct s2_format *f = c->fmt;
	unsigned lv = c->minleaf, last = f->levels - 1u, splits = last - lv, held = 0;
	uint64_t bs = s2c_bs(f, lv), g = bs, h = 2 * bs, t = g + bs / 2 + c->page;
	unsigned order = (unsigned)__builtin_ctz(c->tablef);
	uint8_t rw = S2_PERM_R | S2_PERM_W;
	hpa_t hold[S2C_MAX_LEVELS];
	uint32_t before;

	snprintf(c->desc, sizeof(c->desc), "split of a level-%u block", lv);
	s2c_space_init(c, c->rootf + (size_t)(lv + splits) * c->tablef);
	S2C_EXPECT(c, s2_map(&c->sp, gpa(g), hpa(h), bs, (struct s2_attr){ rw, 0 }) == PV_OK, "-");
	while (held < S2C_MAX_LEVELS && page_pool_alloc(&c->tp->pool, order, &hold[held]) == PV_OK)
		held++;
	S2C_EXPECT(c, held == splits, "%u tables spare, expected %u", held, splits);
	before = c->sp.table_frames;
	for (unsigned give = 0; give < splits; give++) {
		snprintf(c->desc, sizeof(c->desc), "split of a level-%u block, %u spare", lv, give);
		S2C_EXPECT(c, s2_unmap(&c->sp, gpa(t), c->page) == -PV_ENOMEM, "unmap");
		S2C_EXPECT(c, s2_protect(&c->sp, gpa(t), c->page, S2_PERM_R) == -PV_ENOMEM, "-");
		/* Same permissions: nothing to split, so it succeeds without memory. */
		S2C_EXPECT(c, s2_protect(&c->sp, gpa(t), c->page, rw) == PV_OK, "same perm");
		expect_leaf(c, t, 0, h, lv, rw);
		S2C_EXPECT(c, c->sp.table_frames == before && s2_check_tree(&c->sp) == bs, "-");
		assert_int_equal(page_pool_free(&c->tp->pool, hold[--held], order), PV_OK);
	}
	snprintf(c->desc, sizeof(c->desc), "split of a level-%u block with enough memory", lv);
	S2C_EXPECT(c, s2_protect(&c->sp, gpa(t), c->page, S2_PERM_R) == PV_OK, "protect");
	expect_leaf(c, t, 0, h + (t - g), last, S2_PERM_R);
	expect_leaf(c, t - c->page, 0, h + (t - g) - c->page, last, rw);
	expect_leaf(c, g, 0, h, lv + 1u, rw);
	S2C_EXPECT(c, c->sp.table_frames == before + splits * c->tablef, "split tables");
	S2C_EXPECT(c, s2_unmap(&c->sp, gpa(t), c->page) == PV_OK, "unmap");
	expect_leaf(c, t, -PV_ENOENT, 0, 0, 0);
	S2C_EXPECT(c, s2_check_tree(&c->sp) == bs - c->page, "tree after unmap");
	S2C_EXPECT(c, s2_unmap(&c->sp, gpa(g), bs) == PV_OK && c->sp.table_frames == c->rootf, "-");
	s2c_space_fini(c);
}

void s2_check_enomem(const struct s2_format *fmt)
{
	struct s2c *c = s2c_new(fmt);

	enomem_map(c, false);
	enomem_map(c, true);
	enomem_split(c);
	free(c);
}
