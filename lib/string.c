// SPDX-License-Identifier: MIT
/* Images only: the host build uses its C library instead (tests/unit/test_string.c compiles this file
 * under other names to check it). Byte-wise but for memcpy, memmove and memset, which load guest
 * images and clear guest RAM. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (size_t i = 0; i < n; i++)
		if (p[i] == (unsigned char)c)
			return (void *)(uintptr_t)(p + i);
	return NULL;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/* Word accesses that may alias any object, as the C library's own may. */
typedef uint64_t __attribute__((may_alias)) pv_word_t;

#define PV_WORD_MASK ((uintptr_t)sizeof(pv_word_t) - 1)

/* Eight words, all read before any is written (compilers pair them into load/store pairs). */
static inline void copy_8_words(pv_word_t *d, const pv_word_t *s)
{
	pv_word_t w0 = s[0], w1 = s[1], w2 = s[2], w3 = s[3];
	pv_word_t w4 = s[4], w5 = s[5], w6 = s[6], w7 = s[7];

	d[0] = w0;
	d[1] = w1;
	d[2] = w2;
	d[3] = w3;
	d[4] = w4;
	d[5] = w5;
	d[6] = w6;
	d[7] = w7;
}

/* Forward copy: by 128-byte blocks of aligned words when source and destination agree in
 * alignment (loading guest images is where the hypervisor copies most), else by bytes. Each block
 * is read whole before it is written, so it also serves memmove when @dst is below @src. */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	if ((((uintptr_t)d ^ (uintptr_t)s) & PV_WORD_MASK) == 0) {
		pv_word_t *dw;
		const pv_word_t *sw;

		for (; n && ((uintptr_t)d & PV_WORD_MASK); n--)
			*d++ = *s++;
		dw = (pv_word_t *)(void *)d;
		sw = (const pv_word_t *)(const void *)s;
		for (; n >= 16 * sizeof(pv_word_t);
		     n -= 16 * sizeof(pv_word_t), dw += 16, sw += 16) {
			copy_8_words(dw, sw);
			copy_8_words(dw + 8, sw + 8);
		}
		for (; n >= sizeof(pv_word_t); n -= sizeof(pv_word_t))
			*dw++ = *sw++;
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	for (; n; n--)
		*d++ = *s++;
}

/* The word loop under its own name: an architecture may give memcpy a faster version for long
 * lengths (riscv64 with the vector extension) that falls back to it. */
void *pv_memcpy_scalar(void *restrict dst, const void *restrict src, size_t n);

void *pv_memcpy_scalar(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
	__attribute__((weak, alias("pv_memcpy_scalar")));

/* Backward copy for memmove with @dst above @src (libfdt's insertions move a tree's tail up). */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	if ((((uintptr_t)d ^ (uintptr_t)s) & PV_WORD_MASK) == 0) {
		pv_word_t *dw;
		const pv_word_t *sw;

		for (; n && ((uintptr_t)d & PV_WORD_MASK); n--)
			*--d = *--s;
		dw = (pv_word_t *)(void *)d;
		sw = (const pv_word_t *)(const void *)s;
		for (; n >= sizeof(pv_word_t); n -= sizeof(pv_word_t))
			*--dw = *--sw;
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	for (; n; n--)
		*--d = *--s;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		copy_forward(d, s, n);
	else
		copy_backward(d, s, n);
	return dst;
}

/* By aligned words, eight at a time: zeroing a VM's RAM is the other large job. */
void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	pv_word_t w = (unsigned char)c * 0x0101010101010101ULL;
	pv_word_t *pw;

	for (; n && ((uintptr_t)p & PV_WORD_MASK); n--)
		*p++ = (unsigned char)c;
	pw = (pv_word_t *)(void *)p;
	for (; n >= 8 * sizeof(pv_word_t); n -= 8 * sizeof(pv_word_t), pw += 8) {
		pw[0] = w;
		pw[1] = w;
		pw[2] = w;
		pw[3] = w;
		pw[4] = w;
		pw[5] = w;
		pw[6] = w;
		pw[7] = w;
	}
	for (; n >= sizeof(pv_word_t); n -= sizeof(pv_word_t))
		*pw++ = w;
	p = (unsigned char *)pw;
	for (; n; n--)
		*p++ = (unsigned char)c;
	return s;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s;
		if (!*s)
			return NULL;
	}
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i])
			return (unsigned char)a[i] - (unsigned char)b[i];
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)(uintptr_t)last;
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (int d; (d = digit_value(*s)) < base; s++)
		v = v * (unsigned long)base + (unsigned long)d;
	if (end)
		*end = (char *)(uintptr_t)s;
	return v;
}
