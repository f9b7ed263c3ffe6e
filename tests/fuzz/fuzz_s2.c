// SPDX-License-Identifier: MIT
/*
 * The stage-2 engine (addrspace/s2.c) on every format it drives: the fake host-test format and the
 * real ones (ARMv8 40-bit and 48-bit, Sv39x4 and Sv48x4, EPT, LoongArch), against the reference
 * model of tests/unit/s2_check.c. The input chooses the format, the guest window, how many frames
 * the pool has, and then every operation the checker's random driver would choose (maps with
 * block-friendly or page-only outputs, unmaps and protects that split blocks, remaps, refused
 * arguments); after each one the affected addresses, and regularly the whole tree, must match the
 * model. With a small pool, a map, unmap or protect may fail with -PV_ENOMEM, and must then have
 * changed nothing.
 */
#include "fuzz.h"

#include "fake/fake_s2_format.h"
#include "s2_armv8.h"
#include "s2_check.h"
#include "s2_ept.h"
#include "s2_loongarch.h"
#include "s2_sv_x4.h"

#include <stdlib.h>

static const struct {
	const struct s2_format *fmt;
	bool memtype_stored;
} formats[] = {
	{ &fake_s2_format, true },	{ &s2_format_armv8_40, true },
	{ &s2_format_armv8_48, true },	{ &s2_format_sv39x4, false },
	{ &s2_format_sv48x4, false },	{ &s2_format_ept, true },
	{ &s2_format_loongarch, true },
};

static struct s2_test_pool pool; /* one for every run: tables of any format fit its frames */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = fz_init(data, size);
	unsigned which = (unsigned)fz_below(&f, sizeof(formats) / sizeof(formats[0]));
	const struct s2_format *fmt = formats[which].fmt;
	unsigned leaf = 0;
	struct s2_check_cfg cfg = { .fmt = fmt,
				    .ops = 100000,
				    .memtype_stored = formats[which].memtype_stored };
	struct s2_check_input in = { .pool = &pool };

	while (!(fmt->leaf_levels >> leaf & 1))
		leaf++;
	/* The default window (eight of the largest leaves), two of them (crowded), or a few
	 * blocks of the next level down. */
	switch (fz_below(&f, 3)) {
	case 1:
		cfg.window = 2ULL << s2_format_level_shift(fmt, leaf);
		break;
	case 2:
		cfg.window = (4 + 2 * fz_below(&f, 6)) << s2_format_level_shift(fmt, leaf + 1);
		break;
	default:
		break;
	}
	if (!pool.mem)
		s2_test_pool_init(&pool, S2_CHECK_MAX_POOL_FRAMES);
	/* One time in four the pool is smaller than the worst case: -PV_ENOMEM happens. */
	if (fz_below(&f, 4) == 0)
		in.pool_frames = 2 + fz_below(&f, 64);
	in.bytes = f.p;
	in.len = f.n;
	s2_check_input(&cfg, &in);
	return 0;
}
