/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting for freestanding code. Supports %d %i %u %x %X %p %s %c %% with the
 * l, ll, z length modifiers, a field width, '0' padding and '-' left alignment.
 */
#ifndef PV_FMT_H
#define PV_FMT_H

#include <pv/types.h>
#include <stdarg.h>

/* Receives formatted output one character at a time. */
typedef void (*pv_fmt_sink)(char c, void *ctx);

/* Formats into @sink; returns the number of characters produced. */
size_t pv_vformat(pv_fmt_sink sink, void *ctx, const char *fmt, va_list ap);

/* snprintf: always NUL-terminates when @size > 0; returns the length the full output has. */
size_t pv_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t pv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
