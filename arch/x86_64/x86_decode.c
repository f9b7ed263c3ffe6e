// SPDX-License-Identifier: MIT
/* The MMIO instruction decoder (x86_decode.h). Opcode map: SDM vol. 2, appendix A. */
#include "x86_decode.h"

#define REX_W 0x8u
#define REX_R 0x4u

struct decode_state {
	const uint8_t *code;
	size_t n, pos;
	bool opsize16, rex_seen;
	uint8_t rex;
};

static int next_byte(struct decode_state *s, uint8_t *b)
{
	if (s->pos >= s->n || s->pos >= X86_MAX_INSN_LEN)
		return -PV_EINVAL;
	*b = s->code[s->pos++];
	return PV_OK;
}

static int skip(struct decode_state *s, size_t count)
{
	if (s->pos + count > s->n || s->pos + count > X86_MAX_INSN_LEN)
		return -PV_EINVAL;
	s->pos += count;
	return PV_OK;
}

/* Consumes ModRM, SIB and displacement; refuses a register operand (no memory access there). */
static int decode_modrm(struct decode_state *s, uint8_t *reg)
{
	uint8_t modrm, sib, mod, rm;
	int err = next_byte(s, &modrm);

	if (err)
		return err;
	mod = modrm >> 6;
	rm = modrm & 7u;
	*reg = (uint8_t)(((modrm >> 3) & 7u) | (s->rex & REX_R ? 8u : 0u));
	if (mod == 3)
		return -PV_ENOTSUP;
	if (rm == 4) {
		err = next_byte(s, &sib);
		if (err)
			return err;
		if (mod == 0 && (sib & 7u) == 5)
			return skip(s, 4);
	}
	if (mod == 0 && rm == 5) /* disp32 (RIP-relative in 64-bit mode) */
		return skip(s, 4);
	if (mod == 1)
		return skip(s, 1);
	if (mod == 2)
		return skip(s, 4);
	return PV_OK;
}

static int read_imm(struct decode_state *s, unsigned bytes, uint64_t *imm)
{
	uint64_t v = 0;

	if (s->pos + bytes > s->n || s->pos + bytes > X86_MAX_INSN_LEN)
		return -PV_EINVAL;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)s->code[s->pos + i] << (8 * i);
	s->pos += bytes;
	*imm = v;
	return PV_OK;
}

static int decode_prefixes(struct decode_state *s, enum x86_cpu_mode mode)
{
	for (;;) {
		uint8_t b;

		if (s->pos >= s->n)
			return -PV_EINVAL;
		b = s->code[s->pos];
		if (b == 0x66) {
			s->opsize16 = true;
		} else if (b == 0x67) {
			/* In 64-bit mode it selects 32-bit addressing, whose ModRM/SIB encoding is
			 * the same; in 32-bit mode it selects the 16-bit forms, which we refuse. */
			if (mode != X86_MODE_64)
				return -PV_ENOTSUP;
		} else if (b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 ||
			   b == 0x65) {
			/* Segment overrides change the linear address, not the physical one the
			 * exit reports. */
		} else if (mode == X86_MODE_64 && (b & 0xf0u) == 0x40) {
			s->rex = b & 0x0fu;
			s->rex_seen = true;
			s->pos++;
			/* REX counts only right before the opcode. */
			if (s->pos < s->n && (s->code[s->pos] & 0xf0u) == 0x40)
				continue;
			return PV_OK;
		} else {
			return PV_OK;
		}
		if (s->rex_seen)
			return -PV_ENOTSUP; /* a legacy prefix after REX: REX is ignored, refuse */
		s->pos++;
		if (s->pos >= X86_MAX_INSN_LEN)
			return -PV_EINVAL;
	}
}

static uint8_t operand_size(const struct decode_state *s)
{
	if (s->rex & REX_W)
		return 8;
	return s->opsize16 ? 2 : 4;
}

/* A byte register operand without REX: encodings 4-7 are AH, CH, DH, BH. */
static void byte_reg(const struct decode_state *s, struct x86_mmio_insn *out)
{
	if (!s->rex_seen && out->reg >= 4 && out->reg < 8) {
		out->high8 = true;
		out->reg = (uint8_t)(out->reg - 4);
	}
}

static int decode_0f(struct decode_state *s, struct x86_mmio_insn *out)
{
	uint8_t op;
	int err = next_byte(s, &op);

	if (err)
		return err;
	if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
		return -PV_ENOTSUP;
	err = decode_modrm(s, &out->reg);
	if (err)
		return err;
	out->width = (op & 1u) ? 2 : 1;
	out->sign_extend = op >= 0xbe;
	out->reg_width = operand_size(s);
	return PV_OK;
}

int x86_decode_mmio(const uint8_t *code, size_t n, enum x86_cpu_mode mode,
		    struct x86_mmio_insn *out)
{
	struct decode_state s = { .code = code, .n = n };
	uint8_t op;
	int err;

	*out = (struct x86_mmio_insn){ 0 };
	err = decode_prefixes(&s, mode);
	if (!err)
		err = next_byte(&s, &op);
	if (err)
		return err;
	switch (op) {
	case 0x88:
	case 0x8a:
		err = decode_modrm(&s, &out->reg);
		out->width = out->reg_width = 1;
		out->write = op == 0x88;
		byte_reg(&s, out);
		break;
	case 0x89:
	case 0x8b:
		err = decode_modrm(&s, &out->reg);
		out->width = out->reg_width = operand_size(&s);
		out->write = op == 0x89;
		break;
	case 0xc6:
	case 0xc7:
		err = decode_modrm(&s, &out->reg);
		if (!err && (out->reg & 7u) != 0)
			return -PV_ENOTSUP; /* only /0 is MOV */
		out->reg = 0;
		out->write = out->has_imm = true;
		out->width = out->reg_width = op == 0xc6 ? 1 : operand_size(&s);
		if (!err) {
			unsigned bytes = out->width > 4 ? 4 : out->width;
			err = read_imm(&s, bytes, &out->imm);
			/* The 64-bit form's imm32 is sign-extended. */
			if (!err && out->width == 8 && (out->imm & PV_BIT(31)))
				out->imm |= PV_MASK(63, 32);
		}
		break;
	case 0x63:
		if (mode != X86_MODE_64)
			return -PV_ENOTSUP; /* ARPL outside 64-bit mode */
		err = decode_modrm(&s, &out->reg);
		out->width = 4;
		out->reg_width = operand_size(&s);
		out->sign_extend = out->reg_width == 8;
		if (out->reg_width == 2)
			return -PV_ENOTSUP;
		break;
	case 0x0f:
		err = decode_0f(&s, out);
		break;
	default:
		return -PV_ENOTSUP;
	}
	if (err)
		return err;
	out->len = (uint8_t)s.pos;
	return PV_OK;
}
