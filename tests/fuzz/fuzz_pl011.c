// SPDX-License-Identifier: MIT
/*
 * The PL011 UART (devices/vuart_pl011.c) driven by guest loads and stores, against a model of its
 * registers: accesses outside its 4 KiB window, wider than 32 bits or misaligned are faults; a
 * narrow load sees its lanes of the 32-bit register; only whole-register stores change state
 * (masked as the PL011 defines its fields; a narrow store at a register's start writes it whole,
 * zero-extended), and of the data register only its low byte transmits;
 * the identification registers read the PL011 r1p5's bytes; transmitted bytes reach the console.
 */
#include "fuzz_vm.h"

#include <devices/vuart_pl011.h>
#include <irq/vdev_model.h>

#define PL_BASE 0x09000000ULL

struct pl_model {
	uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
};

static uint32_t *pl_model_field(struct pl_model *m, uint64_t reg, uint32_t *mask)
{
	static const struct {
		uint64_t reg;
		size_t at;
		uint32_t mask;
	} fields[] = {
		{ 0x20, offsetof(struct pl_model, ilpr), 0xff },
		{ 0x24, offsetof(struct pl_model, ibrd), 0xffff },
		{ 0x28, offsetof(struct pl_model, fbrd), 0x3f },
		{ 0x2c, offsetof(struct pl_model, lcr_h), 0xff },
		{ 0x30, offsetof(struct pl_model, cr), 0xff87 },
		{ 0x34, offsetof(struct pl_model, ifls), 0x3f },
		{ 0x38, offsetof(struct pl_model, imsc), 0x7ff },
		{ 0x48, offsetof(struct pl_model, dmacr), 0x7 },
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].reg == reg) {
			*mask = fields[i].mask;
			return (uint32_t *)((uint8_t *)m + fields[i].at);
		}
	return NULL;
}

static uint32_t pl_model_read(struct pl_model *m, uint64_t reg)
{
	static const uint8_t id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	uint32_t mask, *field = pl_model_field(m, reg, &mask);

	if (field)
		return *field;
	if (reg == 0x18)
		return 0x90; /* FR: transmit FIFO empty, receive FIFO empty */
	if (reg >= 0xfe0)
		return id[(reg - 0xfe0) / 4];
	return 0; /* DR, RSR, RIS, MIS and reserved offsets */
}

static void pl_compare(const struct vuart_pl011 *u, const struct pl_model *m)
{
	FZ_CHECK(u->ilpr == m->ilpr && u->ibrd == m->ibrd && u->fbrd == m->fbrd &&
			 u->lcr_h == m->lcr_h && u->cr == m->cr && u->ifls == m->ifls &&
			 u->imsc == m->imsc && u->dmacr == m->dmacr,
		 "device state differs from the model (cr 0x%x/0x%x imsc 0x%x/0x%x)", u->cr, m->cr,
		 u->imsc, m->imsc);
}

static void pl_access(struct vm *vm, struct vuart_pl011 *u, struct pl_model *m, struct fz *f)
{
	uint64_t off = fz_bool(f) ? fz_below(f, VUART_PL011_SIZE + 16) : fz_u64(f);
	unsigned width = fz_width(f);
	bool write = fz_bool(f), valid = width == 1 || width == 2 || width == 4 || width == 8;
	struct vcpu_exit e = { .kind = VCPU_EXIT_MMIO };
	bool inside = valid && PL_BASE + off >= PL_BASE && off < VUART_PL011_SIZE &&
		      width <= VUART_PL011_SIZE - off;
	uint64_t reg = off & ~3ULL;
	enum fzv_outcome o;

	e.mmio.addr = gpa(PL_BASE + off);
	e.mmio.width = (uint8_t)width;
	e.mmio.write = write;
	e.mmio.sign_extend = fz_bool(f);
	e.mmio.reg_width = 8;
	e.mmio.data = fz_u64(f);
	o = fzv_exit(&vm->vcpus[0], &e);
	if (!inside || width > 4 || off % width) {
		FZ_CHECK(o == FZV_FAULTED, "%s of %u at +0x%llx: outcome %d, not a fault",
			 write ? "store" : "load", width, (unsigned long long)off, o);
	} else if (write) {
		uint32_t mask, *field = pl_model_field(m, reg, &mask);

		FZ_CHECK(o == FZV_COMPLETED, "store at +0x%llx: outcome %d",
			 (unsigned long long)off, o);
		/* A narrow store at a register's start writes it whole, zero-extended. */
		if (off % 4 == 0 && field)
			*field = (uint32_t)fzv_load_value(e.mmio.data, width, false, 8) & mask;
		if (off == 0)
			fzv_check_put(vm, (uint8_t)e.mmio.data);
	} else {
		uint64_t want = fzv_load_value(pl_model_read(m, reg) >> 8 * (off % 4), width,
					       e.mmio.sign_extend, 8);

		FZ_CHECK(o == FZV_COMPLETED, "load at +0x%llx: outcome %d", (unsigned long long)off,
			 o);
		FZ_CHECK(e.mmio.data == want, "load of %u at +0x%llx: 0x%llx, model 0x%llx", width,
			 (unsigned long long)off, (unsigned long long)e.mmio.data,
			 (unsigned long long)want);
	}
	pl_compare(u, m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = fz_init(data, size);
	static struct vm vm;
	struct vm_config cfg;
	struct pl_model m = { .cr = 0x300, .ifls = 0x12 }; /* the PL011's reset values */
	struct vuart_pl011 *u;

	fzv_reset();
	fzv_config(&cfg, 1);
	cfg.ndevs = 1;
	cfg.devs[0] = (struct vm_dev_config){ .model = &vuart_pl011_model,
					      .node = "uart@9000000",
					      .space = VDEV_SPACE_MMIO,
					      .base = PL_BASE };
	fzv_start(&vm, &cfg);
	u = vdev_find(&vm, VDEV_SPACE_MMIO, PL_BASE, 1)->priv;
	pl_compare(u, &m);
	for (unsigned n = 0; fz_more(&f) && n < 4096; n++)
		pl_access(&vm, u, &m, &f);
	fzv_check_console();
	fzv_finish(&vm);
	return 0;
}
