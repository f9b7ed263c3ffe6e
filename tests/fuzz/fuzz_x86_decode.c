// SPDX-License-Identifier: MIT
/*
 * x86_64's MMIO instruction decoder (arch/x86_64/x86_decode.c), in 32-bit and 64-bit code. Two
 * kinds of input:
 * - instructions built from the SDM's encoding rules (vol. 2, chapter 2 and appendix A): legacy
 *   prefixes in any order, a REX prefix, one of the MOV forms (88, 89, 8A, 8B, C6 /0, C7 /0,
 *   0F B6/B7/BE/BF, 63) or a neighbour, any ModRM/SIB/displacement and immediate, cut short or
 *   not. The expected result is worked out from the same fields by the rules (operand size from
 *   REX.W and 66, REX.R extending reg, AH..BH without REX, register operands refused, 16-bit
 *   addressing refused, REX only right before the opcode, 15 bytes at most) and compared with
 *   the decoder's: length, width, direction, sign extension, immediate, register and its width;
 * - any bytes: the decoder never reads past what it is given or beyond 15 bytes, its length is
 *   within both, and decoding just its own bytes gives the same answer.
 */
#include "fuzz.h"

#include "x86_decode.h"

#include <string.h>

struct built {
	uint8_t b[32];
	size_t n;
	int err; /* expected result */
	struct x86_mmio_insn want;
};

static void put(struct built *x, uint8_t v)
{
	if (x->n < sizeof(x->b))
		x->b[x->n++] = v;
}

static void build(struct fz *f, enum x86_cpu_mode mode, struct built *x)
{
	static const uint8_t legacy[] = { 0x66, 0x67, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0xf0 };
	static const uint8_t ops[] = { 0x88, 0x89, 0x8a, 0x8b, 0xc6, 0xc7, 0x63, 0x0f,
				       0x0f, 0x8c, 0x8e, 0xa0, 0xa2, 0xc8, 0x62, 0x40 };
	static const uint8_t ops0f[] = { 0xb6, 0xb7, 0xbe, 0xbf, 0xb5, 0xb8, 0xbd, 0xc0 };
	bool o16 = false, a16 = false, rex_legacy = false, lock = false;
	uint8_t rex = 0, op, op2 = 0, modrm, mod, rm, reg;
	unsigned nlegacy = (unsigned)fz_below(f, 4), opsize, imm = 0;
	bool has_rex = mode == X86_MODE_64 && fz_bool(f);
	struct x86_mmio_insn *w = &x->want;

	memset(x, 0, sizeof(*x));
	for (unsigned i = 0; i < nlegacy; i++) {
		uint8_t p = FZ_PICK(f, legacy);

		o16 |= p == 0x66;
		a16 |= p == 0x67 && mode == X86_MODE_32;
		lock |= p == 0xf0;
		put(x, p);
	}
	if (has_rex) {
		rex = (uint8_t)fz_below(f, 16);
		put(x, 0x40 | rex);
		if (fz_below(f, 8) == 0) { /* a legacy prefix after REX: that byte is the opcode */
			put(x, 0x66);
			rex_legacy = true;
		}
	}
	op = FZ_PICK(f, ops);
	put(x, op);
	if (op == 0x0f) {
		op2 = FZ_PICK(f, ops0f);
		put(x, op2);
	}
	modrm = fz_u8(f);
	mod = modrm >> 6;
	rm = modrm & 7;
	reg = (uint8_t)((modrm >> 3 & 7) | (rex & 4 ? 8 : 0));
	put(x, modrm);
	if (mod != 3 && rm == 4) {
		uint8_t sib = fz_u8(f);

		put(x, sib);
		if (mod == 0 && (sib & 7) == 5)
			for (unsigned i = 0; i < 4; i++)
				put(x, fz_u8(f));
	}
	if (mod == 1)
		put(x, fz_u8(f));
	if (mod == 2 || (mod == 0 && rm == 5))
		for (unsigned i = 0; i < 4; i++)
			put(x, fz_u8(f));
	opsize = rex & 8 ? 8 : o16 ? 2 : 4;
	if (op == 0xc6)
		imm = 1;
	else if (op == 0xc7)
		imm = opsize > 4 ? 4 : opsize;
	for (unsigned i = 0; i < imm; i++)
		put(x, fz_u8(f));

	/* What the SDM makes of it, for the forms the decoder claims. */
	x->err = -PV_ENOTSUP;
	if (a16 || rex_legacy || lock)
		return; /* 16-bit addressing, REX not last, LOCK on MOV (#UD) */
	if (op == 0x40) {
		/* INC in 32-bit code; another REX in 64-bit code (the next bytes decide). */
		x->err = mode == X86_MODE_32 ? -PV_ENOTSUP : 1;
		return;
	}
	switch (op) {
	case 0x88:
	case 0x8a:
		*w = (struct x86_mmio_insn){ .width = 1, .reg_width = 1, .write = op == 0x88 };
		w->reg = reg;
		if (!has_rex && reg >= 4 && reg < 8) {
			w->high8 = true;
			w->reg = (uint8_t)(reg - 4);
		}
		break;
	case 0x89:
	case 0x8b:
		*w = (struct x86_mmio_insn){ .width = (uint8_t)opsize,
					     .reg_width = (uint8_t)opsize,
					     .write = op == 0x89,
					     .reg = reg };
		break;
	case 0xc6:
	case 0xc7:
		if (reg & 7)
			return;
		*w = (struct x86_mmio_insn){ .write = true, .has_imm = true };
		w->width = w->reg_width = op == 0xc6 ? 1 : (uint8_t)opsize;
		for (unsigned i = 0; i < imm; i++)
			w->imm |= (uint64_t)x->b[x->n - imm + i] << 8 * i;
		if (w->width == 8 && (w->imm >> 31 & 1))
			w->imm |= 0xffffffff00000000ULL;
		break;
	case 0x63:
		if (mode != X86_MODE_64 || opsize == 2)
			return;
		*w = (struct x86_mmio_insn){ .width = 4,
					     .reg_width = (uint8_t)opsize,
					     .sign_extend = opsize == 8,
					     .reg = reg };
		break;
	case 0x0f:
		if (op2 != 0xb6 && op2 != 0xb7 && op2 != 0xbe && op2 != 0xbf)
			return;
		*w = (struct x86_mmio_insn){ .width = op2 & 1 ? 2 : 1,
					     .reg_width = (uint8_t)opsize,
					     .sign_extend = op2 >= 0xbe,
					     .reg = reg };
		break;
	default:
		return;
	}
	if (mod == 3)
		return; /* a register operand: no memory access */
	w->len = (uint8_t)x->n;
	x->err = x->n > X86_MAX_INSN_LEN ? -PV_EINVAL : PV_OK;
}

static void same(const struct x86_mmio_insn *a, const struct x86_mmio_insn *b, const uint8_t *code,
		 size_t n)
{
	FZ_CHECK(a->len == b->len && a->width == b->width && a->write == b->write &&
			 a->sign_extend == b->sign_extend && a->has_imm == b->has_imm &&
			 a->high8 == b->high8 && a->reg == b->reg && a->reg_width == b->reg_width &&
			 a->imm == b->imm,
		 "%zu bytes from %02x %02x %02x %02x: len %u width %u write %d sign %d imm "
		 "%d/0x%llx "
		 "high8 %d reg %u/%u; expected len %u width %u write %d sign %d imm %d/0x%llx "
		 "high8 %d reg %u/%u",
		 n, code[0], n > 1 ? code[1] : 0, n > 2 ? code[2] : 0, n > 3 ? code[3] : 0, a->len,
		 a->width, a->write, a->sign_extend, a->has_imm, (unsigned long long)a->imm,
		 a->high8, a->reg, a->reg_width, b->len, b->width, b->write, b->sign_extend,
		 b->has_imm, (unsigned long long)b->imm, b->high8, b->reg, b->reg_width);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = fz_init(data, size);

	for (unsigned k = 0; fz_more(&f) && k < 64; k++) {
		enum x86_cpu_mode mode = fz_bool(&f) ? X86_MODE_64 : X86_MODE_32;
		struct x86_mmio_insn got, again;
		struct built x;
		size_t n;
		uint8_t *code;
		int err;

		if (fz_below(&f, 4)) {
			build(&f, mode, &x);
		} else {
			memset(&x, 0, sizeof(x));
			x.n = (size_t)fz_below(&f, 20);
			for (size_t i = 0; i < x.n; i++)
				x.b[i] = fz_u8(&f);
			x.err = 1; /* unknown: only the generic properties are checked */
		}
		/* Sometimes the fetch got fewer bytes than the instruction has. */
		n = fz_below(&f, 8) ? x.n : (size_t)fz_below(&f, x.n + 1);
		code = malloc(n ? n : 1); /* exactly n bytes: ASan catches a read past them */
		FZ_CHECK(code, "no memory");
		memcpy(code, x.b, n);
		err = x86_decode_mmio(code, n, mode, &got);
		FZ_CHECK(err == PV_OK || err == -PV_EINVAL || err == -PV_ENOTSUP, "returned %d",
			 err);
		if (err == PV_OK) {
			FZ_CHECK(got.len >= 1 && got.len <= n && got.len <= X86_MAX_INSN_LEN,
				 "length %u of %zu bytes", got.len, n);
			FZ_CHECK(got.width == 1 || got.width == 2 || got.width == 4 ||
					 got.width == 8,
				 "width %u", got.width);
			FZ_CHECK(got.reg < 16 && (!got.high8 || got.reg < 4), "register %u",
				 got.reg);
			FZ_CHECK(x86_decode_mmio(code, got.len, mode, &again) == PV_OK,
				 "its own %u bytes do not decode", got.len);
			same(&again, &got, code, got.len);
		}
		if (x.err != 1 && n == x.n) {
			FZ_CHECK(err == x.err,
				 "%zu bytes %02x %02x %02x %02x %02x %02x %02x %02x (%s): %d, the "
				 "SDM "
				 "says %d",
				 n, x.b[0], x.b[1], x.b[2], x.b[3], x.b[4], x.b[5], x.b[6], x.b[7],
				 mode == X86_MODE_64 ? "64-bit" : "32-bit", err, x.err);
			if (!err)
				same(&got, &x.want, code, n);
		} else if (x.err == PV_OK && n < x.n) {
			FZ_CHECK(err == -PV_EINVAL, "cut to %zu of %zu bytes: %d", n, x.n, err);
		}
		free(code);
	}
	return 0;
}
