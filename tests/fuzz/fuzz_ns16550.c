// SPDX-License-Identifier: MIT
/*
 * The NS16550 UART (devices/vuart_ns16550.c) driven by guest loads and stores: one in MMIO with a
 * register stride (reg-shift) chosen by the input, one in the I/O-port space. Checked against a
 * model of the 16550's registers written from its datasheet: accesses outside the window, of
 * widths the core or the device refuses, or not on a register's stride are faults; DLL/DLM behind
 * DLAB, IER, LCR, MCR and SCR read back what was written (with their masks); FCR switches the
 * FIFO (16 bytes, or a 1-byte holding register) and its trigger level; IIR reports the highest
 * pending interrupt (line status, received data, character timeout, THR empty; reading it clears
 * THR empty) with the FIFO bits; LSR reports data ready, overrun (cleared by the read) and the
 * transmitter empty while the VM's console ring has room; MSR follows MCR in loopback. THR bytes
 * reach the VM's console (control characters shown as ^X), or the receiver in loopback, where
 * RBR returns them in order. A stride beyond the model's limit must be refused when the VM is
 * created.
 */
#include "fuzz_vm.h"

#include <devices/vuart_ns16550.h>
#include <irq/vdev_model.h>
#include <vm/console.h>

#define NS_MMIO 0x10000000ULL
#define NS_PORT 0x3f8u

struct ns_model {
	unsigned shift;
	uint8_t dll, dlm, ier, lcr, mcr, scr, fcr;
	uint8_t rx[16];
	unsigned rx_head, rx_count;
	bool overrun, thre_pending;
};

/* The register an access of @width at @off reaches, or -1 when the device refuses it. */
static int ns_model_reg(const struct ns_model *m, uint64_t off, unsigned width)
{
	if ((width > (1u << m->shift) && width != 1) || off % (1u << m->shift))
		return -1;
	return (int)(off >> m->shift);
}

static bool ns_model_fifo(const struct ns_model *m)
{
	return m->fcr & 0x01;
}

/* THR is empty while the console ring can take a few more bytes. */
static bool ns_model_thr_empty(struct vm *vm)
{
	return vm_console_tx_room(vm) >= VM_CONSOLE_TX_LOW;
}

static uint8_t ns_model_iir_id(const struct ns_model *m)
{
	static const unsigned trigger[4] = { 1, 4, 8, 14 };

	if ((m->ier & 0x04) && m->overrun)
		return 0x06;
	if ((m->ier & 0x01) && m->rx_count >= (ns_model_fifo(m) ? trigger[m->fcr >> 6] : 1u))
		return 0x04;
	if ((m->ier & 0x01) && m->rx_count)
		return 0x0c;
	if ((m->ier & 0x02) && m->thre_pending)
		return 0x02;
	return 0x01;
}

static void ns_model_receive(struct ns_model *m, uint8_t b)
{
	if (m->rx_count >= (ns_model_fifo(m) ? 16u : 1u)) {
		m->overrun = true;
		return;
	}
	m->rx[(m->rx_head + m->rx_count++) % 16u] = b;
}

static uint8_t ns_model_read(struct vm *vm, struct ns_model *m, int reg)
{
	bool dlab = m->lcr & 0x80;
	uint8_t v, id;

	switch (reg) {
	case 0:
		if (dlab)
			return m->dll;
		if (!m->rx_count)
			return 0;
		v = m->rx[m->rx_head];
		m->rx_head = (m->rx_head + 1) % 16u;
		m->rx_count--;
		return v;
	case 1:
		return dlab ? m->dlm : m->ier;
	case 2:
		id = ns_model_iir_id(m);
		if (id == 0x02)
			m->thre_pending = false;
		return (uint8_t)(id | (ns_model_fifo(m) ? 0xc0 : 0));
	case 3:
		return m->lcr;
	case 4:
		return m->mcr;
	case 5:
		v = (uint8_t)((m->rx_count ? 0x01 : 0) | (m->overrun ? 0x02 : 0) |
			      (ns_model_thr_empty(vm) ? 0x60 : 0));
		m->overrun = false;
		return v;
	case 6:
		if (!(m->mcr & 0x10))
			return 0xb0; /* CTS, DSR, DCD */
		/* Loopback: RTS -> CTS, DTR -> DSR, OUT1 -> RI, OUT2 -> DCD. */
		return (uint8_t)(((m->mcr & 0x02) ? 0x10 : 0) | ((m->mcr & 0x01) ? 0x20 : 0) |
				 ((m->mcr & 0x04) ? 0x40 : 0) | ((m->mcr & 0x08) ? 0x80 : 0));
	default:
		return m->scr;
	}
}

/* Applies a store to the model; returns whether it transmits to the console. */
static bool ns_model_write(struct vm *vm, struct ns_model *m, int reg, uint8_t b)
{
	bool dlab = m->lcr & 0x80;

	switch (reg) {
	case 0:
		if (dlab) {
			m->dll = b;
			return false;
		}
		m->thre_pending = true;
		if (m->mcr & 0x10) {
			ns_model_receive(m, b);
			return false;
		}
		return true;
	case 1:
		if (dlab) {
			m->dlm = b;
		} else {
			if ((b & 0x02) && !(m->ier & 0x02) && ns_model_thr_empty(vm))
				m->thre_pending = true;
			m->ier = b & 0x0f;
		}
		break;
	case 2:
		if (((b ^ m->fcr) & 0x01) || (b & 0x02))
			m->rx_count = 0;
		m->fcr = b & 0xc1;
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
			 u->mcr == m->mcr && u->scr == m->scr && u->fcr == m->fcr,
		 "device state differs from the model (lcr 0x%x/0x%x ier 0x%x/0x%x fcr 0x%x/0x%x)",
		 u->lcr, m->lcr, u->ier, m->ier, u->fcr, m->fcr);
	FZ_CHECK(u->rx.count == m->rx_count && u->overrun == m->overrun &&
			 u->thre_pending == m->thre_pending,
		 "receiver differs from the model (%u/%u bytes, overrun %d/%d, THR empty %d/%d)",
		 u->rx.count, m->rx_count, u->overrun, m->overrun, u->thre_pending,
		 m->thre_pending);
}

static void ns_access(struct vm *vm, struct vuart_ns16550 *u[2], struct ns_model m[2], struct fz *f)
{
	unsigned which = fz_bool(f), width = fz_width(f);
	struct ns_model *d = &m[which];
	uint64_t window = 8ULL << d->shift;
	uint64_t off = fz_bool(f) ? fz_below(f, window + 16) : fz_u64(f);
	bool write = fz_bool(f), valid, inside, puts = false;
	struct vcpu_exit e;
	uint64_t value = fz_u64(f), want = 0;
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
	/* The model moves first: the access may print the console ring, which THR empty follows. */
	if (reg >= 0 && write)
		puts = ns_model_write(vm, d, reg, (uint8_t)value);
	else if (reg >= 0)
		want = ns_model_read(vm, d, reg);
	o = fzv_exit(&vm->vcpus[0], &e);
	if (reg < 0) {
		FZ_CHECK(o == FZV_FAULTED, "uart %u: %s of %u at +0x%llx: outcome %d, not a fault",
			 which, write ? "store" : "load", width, (unsigned long long)off, o);
	} else if (write) {
		FZ_CHECK(o == FZV_COMPLETED, "uart %u: store at +0x%llx: outcome %d", which,
			 (unsigned long long)off, o);
		if (puts)
			fzv_check_put(vm, (uint8_t)value);
	} else {
		uint64_t got = which ? e.pio.data : e.mmio.data;

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
