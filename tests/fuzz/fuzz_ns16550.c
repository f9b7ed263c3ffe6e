// SPDX-License-Identifier: MIT
/*
 * The NS16550 UART (devices/vuart_ns16550.c) driven by guest loads and stores: one in MMIO with a
 * register stride (reg-shift) chosen by the input, one in the I/O-port space. Checked against a
 * model of its registers: accesses outside the window, of widths the core or the device refuses,
 * or not on a register's stride are faults; DLL/DLM behind DLAB, IER, LCR, MCR and SCR read back
 * what was written (with their masks); the status registers read their constants; THR bytes reach
 * the VM's console, control characters shown as ^X. A stride beyond the model's limit must be
 * refused when the VM is created.
 */
#include "fuzz_vm.h"

#include <devices/vuart_ns16550.h>
#include <irq/vdev_model.h>

#define NS_MMIO 0x10000000ULL
#define NS_PORT 0x3f8u

struct ns_model {
	unsigned shift;
	uint8_t dll, dlm, ier, lcr, mcr, scr;
};

/* The register an access of @width at @off reaches, or -1 when the device refuses it. */
static int ns_model_reg(const struct ns_model *m, uint64_t off, unsigned width)
{
	if ((width > (1u << m->shift) && width != 1) || off % (1u << m->shift))
		return -1;
	return (int)(off >> m->shift);
}

static uint8_t ns_model_read(const struct ns_model *m, int reg)
{
	bool dlab = m->lcr & 0x80;
	static const uint8_t fixed[8] = { 0, 0, 0xc1, 0, 0, 0x60, 0xb0, 0 };

	switch (reg) {
	case 0:
		return dlab ? m->dll : 0;
	case 1:
		return dlab ? m->dlm : m->ier;
	case 3:
		return m->lcr;
	case 4:
		return m->mcr;
	case 7:
		return m->scr;
	default:
		return fixed[reg];
	}
}

/* Applies a store to the model; returns whether it transmits. */
static bool ns_model_write(struct ns_model *m, int reg, uint8_t b)
{
	bool dlab = m->lcr & 0x80;

	switch (reg) {
	case 0:
		if (dlab)
			m->dll = b;
		return !dlab;
	case 1:
		if (dlab)
			m->dlm = b;
		else
			m->ier = b & 0x0f;
		break;
	case 3:
		m->lcr = b;
		break;
	case 4:
		m->mcr = b & 0x1f;
		break;
	case 7:
		m->scr = b;
		break;
	default:
		break;
	}
	return false;
}

static void ns_compare(const struct vuart_ns16550 *u, const struct ns_model *m)
{
	FZ_CHECK(u->dll == m->dll && u->dlm == m->dlm && u->ier == m->ier && u->lcr == m->lcr &&
			 u->mcr == m->mcr && u->scr == m->scr,
		 "device state differs from the model (lcr 0x%x/0x%x ier 0x%x/0x%x)", u->lcr,
		 m->lcr, u->ier, m->ier);
}

static void ns_access(struct vm *vm, struct vuart_ns16550 *u[2], struct ns_model m[2], struct fz *f)
{
	unsigned which = fz_bool(f), width = fz_width(f);
	struct ns_model *d = &m[which];
	uint64_t window = 8ULL << d->shift;
	uint64_t off = fz_bool(f) ? fz_below(f, window + 16) : fz_u64(f);
	bool write = fz_bool(f), valid, inside;
	struct vcpu_exit e;
	uint64_t value = fz_u64(f);
	enum fzv_outcome o;
	int reg;

	if (which == 0) {
		e = (struct vcpu_exit){ .kind = VCPU_EXIT_MMIO };
		e.mmio.addr = gpa(NS_MMIO + off);
		e.mmio.width = (uint8_t)width;
		e.mmio.write = write;
		e.mmio.reg_width = 8;
		e.mmio.data = value;
		valid = width == 1 || width == 2 || width == 4 || width == 8;
		inside = NS_MMIO + off >= NS_MMIO && off < window && width <= window - off;
	} else {
		off &= 0xffff;
		e = (struct vcpu_exit){ .kind = VCPU_EXIT_PIO };
		e.pio.port = (uint16_t)(NS_PORT + off);
		e.pio.width = (uint8_t)width;
		e.pio.write = write;
		e.pio.data = value;
		off = (uint16_t)(NS_PORT + off) - NS_PORT;
		valid = width == 1 || width == 2 || width == 4;
		inside = (uint16_t)(NS_PORT + off) >= NS_PORT && off < window &&
			 width <= window - off;
	}
	reg = valid && inside ? ns_model_reg(d, off, width) : -1;
	o = fzv_exit(&vm->vcpus[0], &e);
	if (reg < 0) {
		FZ_CHECK(o == FZV_FAULTED, "uart %u: %s of %u at +0x%llx: outcome %d, not a fault",
			 which, write ? "store" : "load", width, (unsigned long long)off, o);
	} else if (write) {
		FZ_CHECK(o == FZV_COMPLETED, "uart %u: store at +0x%llx: outcome %d", which,
			 (unsigned long long)off, o);
		if (ns_model_write(d, reg, (uint8_t)value))
			fzv_check_put(vm, (uint8_t)value);
	} else {
		uint64_t got = which ? e.pio.data : e.mmio.data, want = ns_model_read(d, reg);

		FZ_CHECK(o == FZV_COMPLETED, "uart %u: load at +0x%llx: outcome %d", which,
			 (unsigned long long)off, o);
		FZ_CHECK(got == want, "uart %u: register %d reads 0x%llx, model 0x%llx", which, reg,
			 (unsigned long long)got, (unsigned long long)want);
	}
	ns_compare(u[which], d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = fz_init(data, size);
	static struct vm vm;
	struct vm_config cfg;
	struct ns_model m[2] = { { 0 }, { 0 } };
	struct vuart_ns16550 *u[2];
	unsigned shift = fz_u8(&f);

	fzv_reset();
	fzv_config(&cfg, 1);
	cfg.ndevs = 2;
	cfg.devs[0] = (struct vm_dev_config){ .model = &vuart_ns16550_model,
					      .node = "serial@10000000",
					      .space = VDEV_SPACE_MMIO,
					      .base = NS_MMIO,
					      .reg_shift = shift };
	cfg.devs[1] = (struct vm_dev_config){ .model = &vuart_ns16550_model,
					      .node = "serial@3f8",
					      .space = VDEV_SPACE_PIO,
					      .base = NS_PORT };
	if (shift > VUART_NS16550_MAX_SHIFT) {
		FZ_CHECK(vm_create(&vm, 0, &cfg, &fzv_pool) == -PV_EINVAL, "reg-shift %u accepted",
			 shift);
		FZ_CHECK(fzv_pool.nfree == fzv_pool.nframes, "a refused VM kept frames");
		return 0;
	}
	m[0].shift = shift;
	fzv_start(&vm, &cfg);
	u[0] = vdev_find(&vm, VDEV_SPACE_MMIO, NS_MMIO, 1)->priv;
	u[1] = vdev_find(&vm, VDEV_SPACE_PIO, NS_PORT, 1)->priv;
	for (unsigned n = 0; fz_more(&f) && n < 4096; n++)
		ns_access(&vm, u, m, &f);
	fzv_check_console();
	fzv_finish(&vm);
	return 0;
}
