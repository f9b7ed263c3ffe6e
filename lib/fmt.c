// SPDX-License-Identifier: MIT
#include <pv/fmt.h>

struct fmt_spec {
	unsigned width;
	bool zero_pad;
	bool left;
	unsigned length; /* 0: int, 1: long, 2: long long / size_t */
};

struct fmt_out {
	pv_fmt_sink sink;
	void *ctx;
	size_t count;
};

static void out_char(struct fmt_out *o, char c)
{
	o->sink(c, o->ctx);
	o->count++;
}

static void out_padded(struct fmt_out *o, const char *s, size_t len, const struct fmt_spec *spec,
		       bool negative)
{
	size_t body = len + (negative ? 1u : 0u);
	size_t pad = spec->width > body ? spec->width - body : 0;

	if (!spec->left && !spec->zero_pad)
		for (size_t i = 0; i < pad; i++)
			out_char(o, ' ');
	if (negative)
		out_char(o, '-');
	if (!spec->left && spec->zero_pad)
		for (size_t i = 0; i < pad; i++)
			out_char(o, '0');
	for (size_t i = 0; i < len; i++)
		out_char(o, s[i]);
	if (spec->left)
		for (size_t i = 0; i < pad; i++)
			out_char(o, ' ');
}

static void out_unsigned(struct fmt_out *o, unsigned long long v, unsigned base, bool upper,
			 const struct fmt_spec *spec, bool negative)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	size_t n = 0;

	do {
		buf[sizeof(buf) - 1 - n++] = digits[v % base];
		v /= base;
	} while (v);
	out_padded(o, &buf[sizeof(buf) - n], n, spec, negative);
}

static unsigned long long arg_unsigned(va_list *ap, unsigned length)
{
	if (length == 2)
		return va_arg(*ap, unsigned long long);
	if (length == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long arg_signed(va_list *ap, unsigned length)
{
	if (length == 2)
		return va_arg(*ap, long long);
	if (length == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static const char *parse_spec(const char *f, struct fmt_spec *spec)
{
	*spec = (struct fmt_spec){ 0 };
	for (;; f++) {
		if (*f == '0')
			spec->zero_pad = true;
		else if (*f == '-')
			spec->left = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		spec->width = spec->width * 10u + (unsigned)(*f++ - '0');
	if (*f == 'z') {
		spec->length = sizeof(size_t) == sizeof(unsigned long long) ? 2u : 1u;
		f++;
	}
	while (*f == 'l' && spec->length < 2) {
		spec->length++;
		f++;
	}
	return f;
}

size_t pv_vformat(pv_fmt_sink sink, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out o = { sink, ctx, 0 };
	va_list args;

	va_copy(args, ap);
	for (const char *f = fmt; *f; f++) {
		struct fmt_spec spec;

		if (*f != '%') {
			out_char(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &spec);
		switch (*f) {
		case 'd':
		case 'i': {
			long long v = arg_signed(&args, spec.length);
			unsigned long long mag =
				v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
			out_unsigned(&o, mag, 10, false, &spec, v < 0);
			break;
		}
		case 'u':
			out_unsigned(&o, arg_unsigned(&args, spec.length), 10, false, &spec, false);
			break;
		case 'x':
		case 'X':
			out_unsigned(&o, arg_unsigned(&args, spec.length), 16, *f == 'X', &spec,
				     false);
			break;
		case 'p':
			out_padded(&o, "0x", 2, &(struct fmt_spec){ 0 }, false);
			out_unsigned(&o, (uintptr_t)va_arg(args, void *), 16, false, &spec, false);
			break;
		case 'c': {
			char c = (char)va_arg(args, int);
			out_padded(&o, &c, 1, &spec, false);
			break;
		}
		case 's': {
			const char *s = va_arg(args, const char *);
			size_t len = 0;
			if (!s)
				s = "(null)";
			while (s[len])
				len++;
			out_padded(&o, s, len, &spec, false);
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			f--; /* a lone '%' at the end: stop after it */
			out_char(&o, '%');
			break;
		default:
			/* Unknown conversion: show it rather than guess at its argument. */
			out_char(&o, '%');
			out_char(&o, *f);
			break;
		}
	}
	va_end(args);
	return o.count;
}

struct buf_ctx {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_sink(char c, void *ctx)
{
	struct buf_ctx *b = ctx;
	if (b->size && b->pos < b->size - 1)
		b->buf[b->pos] = c;
	b->pos++;
}

size_t pv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_ctx b = { buf, size, 0 };
	size_t n = pv_vformat(buf_sink, &b, fmt, ap);

	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

size_t pv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = pv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
