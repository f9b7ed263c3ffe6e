/* SPDX-License-Identifier: MIT */
/*
 * What every libFuzzer target (tests/fuzz/, docs/fuzzing.md) shares: a reader that turns the
 * fuzzer's input into decisions (each decision takes only the bytes it needs, and an input that
 * runs out reads as zeros, so a short input is still a valid program), and FZ_CHECK, which stops
 * the run with a message when an invariant breaks. libFuzzer then saves the input as a crash.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
	const uint8_t *p;
	size_t n;
};

static inline struct fz fz_init(const uint8_t *data, size_t size)
{
	return (struct fz){ data, size };
}

/* Whether input is left: targets run operations while it is. */
static inline bool fz_more(const struct fz *f)
{
	return f->n > 0;
}

/* @bytes bytes as a little-endian number (0 past the end of the input). */
static inline uint64_t fz_bytes(struct fz *f, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes && f->n; i++, f->p++, f->n--)
		v |= (uint64_t)*f->p << (8 * i);
	return v;
}

static inline uint8_t fz_u8(struct fz *f)
{
	return (uint8_t)fz_bytes(f, 1);
}

static inline uint16_t fz_u16(struct fz *f)
{
	return (uint16_t)fz_bytes(f, 2);
}

static inline uint32_t fz_u32(struct fz *f)
{
	return (uint32_t)fz_bytes(f, 4);
}

static inline uint64_t fz_u64(struct fz *f)
{
	return fz_bytes(f, 8);
}

static inline bool fz_bool(struct fz *f)
{
	return fz_u8(f) & 1;
}

/* A number below @n (0 when @n is 0), from as few bytes as @n needs. */
static inline uint64_t fz_below(struct fz *f, uint64_t n)
{
	unsigned bytes = 0;

	if (n <= 1)
		return 0;
	for (uint64_t m = n - 1; m; m >>= 8)
		bytes++;
	return fz_bytes(f, bytes) % n;
}

/* One of @n values of @list. */
#define FZ_PICK(f, list) ((list)[fz_below((f), sizeof(list) / sizeof((list)[0]))])

/* Access widths a guest can produce, and a few no backend should: the core must refuse those. */
static inline unsigned fz_width(struct fz *f)
{
	static const unsigned widths[] = { 1, 2, 4, 8, 1, 2, 4, 8, 0, 3, 16, 255 };

	return FZ_PICK(f, widths);
}

__attribute__((noreturn, format(printf, 4, 5))) static inline void
fz_fail(const char *file, int line, const char *cond, const char *fmt, ...);

static inline void fz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\n%s:%d: invariant '%s' broken: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

#define FZ_CHECK(cond, ...)                                                                        \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                           \
	} while (0)

#endif
