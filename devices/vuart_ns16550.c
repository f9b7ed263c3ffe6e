// SPDX-License-Identifier: MIT
#include <devices/vuart_ns16550.h>
#include <irq/vdev_model.h>
#include <libfdt.h>
#include <vm/console.h>
#include <vm/vm.h>
#include <vm/vm_fdt.h>

enum {
	NS_RBR_THR_DLL = 0,
	NS_IER_DLM = 1,
	NS_IIR_FCR = 2,
	NS_LCR = 3,
	NS_MCR = 4,
	NS_LSR = 5,
	NS_MSR = 6,
	NS_SCR = 7,
};

#define NS_LCR_DLAB	0x80u
#define NS_LSR_DR	0x01u
#define NS_LSR_OE	0x02u
#define NS_LSR_THRE	0x20u
#define NS_LSR_TEMT	0x40u
#define NS_IER_RDI	0x01u /* received data (and character timeout) */
#define NS_IER_THRI	0x02u
#define NS_IER_RLSI	0x04u
#define NS_IIR_NONE	0x01u
#define NS_IIR_THRI	0x02u
#define NS_IIR_RDI	0x04u
#define NS_IIR_RLSI	0x06u
#define NS_IIR_TIMEOUT	0x0cu
#define NS_IIR_FIFO	0xc0u
#define NS_FCR_ENABLE	0x01u
#define NS_FCR_CLEAR_RX 0x02u
#define NS_MCR_LOOP	0x10u
#define NS_MSR_READY	0xb0u /* CTS, DSR, DCD: a line that is always ready */
#define NS_IDLE_POLLS	2u    /* empty-receiver LSR reads in a row that mean "waits for input" */

/* Register number of an access, or -1 for an access the device does not decode. */
static int ns_reg(const struct vuart_ns16550 *u, uint64_t off, unsigned width)
{
	/* Registers are byte wide; with a stride, drivers may use the stride's width. */
	if (width > (1u << u->reg_shift) && width != 1)
		return -1;
	if (off & ((1ULL << u->reg_shift) - 1))
		return -1;
	return (int)(off >> u->reg_shift);
}

static unsigned ns_depth(const struct vuart_ns16550 *u)
{
	return (u->fcr & NS_FCR_ENABLE) ? VUART_NS16550_FIFO : 1u;
}

static unsigned ns_trigger(const struct vuart_ns16550 *u)
{
	static const uint8_t levels[4] = { 1, 4, 8, 14 };

	return (u->fcr & NS_FCR_ENABLE) ? levels[u->fcr >> 6] : 1u;
}

/* The interrupt IIR reports, highest priority first (NS_IIR_NONE: none). */
static uint8_t ns_iir_id(const struct vuart_ns16550 *u)
{
	if ((u->ier & NS_IER_RLSI) && u->overrun)
		return NS_IIR_RLSI;
	if ((u->ier & NS_IER_RDI) && u->rx.count >= ns_trigger(u))
		return NS_IIR_RDI;
	if ((u->ier & NS_IER_RDI) && u->rx.count)
		return NS_IIR_TIMEOUT;
	if ((u->ier & NS_IER_THRI) && u->thre_pending)
		return NS_IIR_THRI;
	return NS_IIR_NONE;
}

/* The line follows IIR. Caller holds the lock. */
static void ns_update(struct vuart_ns16550 *u)
{
	vuart_irq_set(&u->irq, ns_iir_id(u) != NS_IIR_NONE);
}

static bool ns_thr_empty(const struct vuart_ns16550 *u)
{
	return vm_console_tx_room(u->vm) >= VM_CONSOLE_TX_LOW;
}

/* A received byte (from the console, or transmitted in loopback). Caller holds the lock. */
static void ns_receive(struct vuart_ns16550 *u, uint8_t c)
{
	if (u->rx.count >= ns_depth(u))
		u->overrun = true; /* the byte is lost, as on the hardware */
	else
		vuart_fifo_push(&u->rx, c);
	ns_update(u);
}

void vuart_ns16550_receive(struct vuart_ns16550 *u, uint8_t c)
{
	pv_spin_lock(&u->lock);
	ns_receive(u, c);
	pv_spin_unlock(&u->lock);
}

/* Typed input: as much as the FIFO has room for (the console keeps the rest); none in loopback,
 * where the receiver hears only the transmitter. */
static size_t ns_console_rx(void *dev, const uint8_t *buf, size_t n)
{
	struct vuart_ns16550 *u = dev;
	size_t taken = 0;

	pv_spin_lock(&u->lock);
	while (!(u->mcr & NS_MCR_LOOP) && taken < n && u->rx.count < ns_depth(u))
		ns_receive(u, buf[taken++]);
	pv_spin_unlock(&u->lock);
	return taken;
}

static const struct vm_console_dev_ops ns_console_ops = {
	.rx = ns_console_rx,
};

static uint8_t ns_msr(const struct vuart_ns16550 *u)
{
	uint8_t m = u->mcr;

	if (!(m & NS_MCR_LOOP))
		return NS_MSR_READY;
	/* Loopback: DTR -> DSR, RTS -> CTS, OUT1 -> RI, OUT2 -> DCD. */
	return (uint8_t)(((m & 1u) << 5) | ((m & 2u) << 3) | ((m & 4u) << 4) | ((m & 8u) << 4));
}

static uint8_t ns_read_lsr(struct vuart_ns16550 *u, bool *waiting)
{
	uint8_t v = 0;

	if (u->rx.count) {
		v |= NS_LSR_DR;
	} else {
		if (u->idle_polls < NS_IDLE_POLLS)
			u->idle_polls++;
		*waiting = u->idle_polls >= NS_IDLE_POLLS;
	}
	if (u->overrun)
		v |= NS_LSR_OE;
	if (ns_thr_empty(u))
		v |= NS_LSR_THRE | NS_LSR_TEMT;
	u->overrun = false; /* reading LSR clears the error it reports */
	ns_update(u);
	return v;
}

static uint8_t ns_read_iir(struct vuart_ns16550 *u)
{
	uint8_t id = ns_iir_id(u);

	/* Reading IIR while it reports THR empty is what clears that interrupt. */
	if (id == NS_IIR_THRI) {
		u->thre_pending = false;
		ns_update(u);
	}
	return (uint8_t)(id | ((u->fcr & NS_FCR_ENABLE) ? NS_IIR_FIFO : 0u));
}

static int ns_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		   uint64_t *value)
{
	struct vuart_ns16550 *u = dev->priv;
	int reg = ns_reg(u, off, width);
	bool dlab, took = false, waiting = false;

	(void)vcpu;
	if (reg < 0)
		return -PV_EFAULT;
	pv_spin_lock(&u->lock);
	dlab = u->lcr & NS_LCR_DLAB;
	switch (reg) {
	case NS_RBR_THR_DLL:
		if (dlab) {
			*value = u->dll;
		} else if (u->rx.count) {
			*value = vuart_fifo_pop(&u->rx);
			took = true;
			ns_update(u);
		} else {
			*value = 0;
		}
		break;
	case NS_IER_DLM:
		*value = dlab ? u->dlm : u->ier;
		break;
	case NS_IIR_FCR:
		*value = ns_read_iir(u);
		break;
	case NS_LCR:
		*value = u->lcr;
		break;
	case NS_MCR:
		*value = u->mcr;
		break;
	case NS_LSR:
		*value = ns_read_lsr(u, &waiting);
		break;
	case NS_MSR:
		*value = ns_msr(u);
		break;
	default:
		*value = u->scr;
		break;
	}
	pv_spin_unlock(&u->lock);
	/* Outside the device lock: the console takes its own locks, then this one. */
	if (took)
		vm_console_rx_ready(u->vm);
	if (waiting)
		vm_console_waiting(u->vm);
	return PV_OK;
}

static void ns_write_fcr(struct vuart_ns16550 *u, uint8_t v)
{
	/* Switching the FIFOs on or off empties them, as does the clear bit. */
	if (((v ^ u->fcr) & NS_FCR_ENABLE) || (v & NS_FCR_CLEAR_RX))
		u->rx.count = 0;
	u->fcr = (uint8_t)(v & (NS_FCR_ENABLE | 0xc0u));
}

static void ns_write_ier(struct vuart_ns16550 *u, uint8_t v)
{
	/* Enabling the THR-empty interrupt while THR is empty raises it (16550 datasheet). */
	if ((v & NS_IER_THRI) && !(u->ier & NS_IER_THRI) && ns_thr_empty(u))
		u->thre_pending = true;
	u->ier = v & 0x0f;
}

static int ns_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		    uint64_t value)
{
	struct vuart_ns16550 *u = dev->priv;
	int reg = ns_reg(u, off, width);
	uint8_t byte = (uint8_t)value;
	bool dlab, put = false, fed = false;

	(void)vcpu;
	if (reg < 0)
		return -PV_EFAULT;
	pv_spin_lock(&u->lock);
	dlab = u->lcr & NS_LCR_DLAB;
	switch (reg) {
	case NS_RBR_THR_DLL:
		if (dlab) {
			u->dll = byte;
			break;
		}
		u->idle_polls = 0;
		if (u->mcr & NS_MCR_LOOP)
			ns_receive(u, byte);
		else
			put = true;
		/* The byte left at once: THR is empty again. */
		u->thre_pending = true;
		break;
	case NS_IER_DLM:
		if (dlab)
			u->dlm = byte;
		else
			ns_write_ier(u, byte);
		break;
	case NS_IIR_FCR:
		ns_write_fcr(u, byte);
		fed = true;
		break;
	case NS_LCR:
		u->lcr = byte;
		break;
	case NS_MCR:
		fed = (u->mcr & NS_MCR_LOOP) && !(byte & NS_MCR_LOOP);
		u->mcr = byte & 0x1f;
		break;
	case NS_SCR:
		u->scr = byte;
		break;
	default:
		break; /* LSR, MSR: writes have no visible effect here */
	}
	ns_update(u);
	pv_spin_unlock(&u->lock);
	/* Outside the device lock: the console takes the console locks. */
	if (put)
		vm_console_putc(u->vm, (char)byte);
	if (fed)
		vm_console_rx_ready(u->vm);
	return PV_OK;
}

static const struct vdev_ops ns_ops = {
	.read = ns_read,
	.write = ns_write,
};

int vuart_ns16550_init(struct vuart_ns16550 *u, struct vm *vm, enum vdev_space space, uint64_t base,
		       unsigned reg_shift, const struct vm_dev_config *cfg)
{
	int err;

	*u = (struct vuart_ns16550){
		.dev = { .name = "ns16550",
			 .space = space,
			 .base = base,
			 .size = 8ULL << reg_shift,
			 .ops = &ns_ops,
			 .priv = u },
		.vm = vm,
		.reg_shift = reg_shift,
	};
	pv_spin_init(&u->lock);
	vuart_irq_init(&u->irq, vm, cfg);
	err = vdev_register(vm, &u->dev);
	if (!err)
		vm_console_attach(vm, &ns_console_ops, u);
	return err;
}

int vuart_ns16550_create(struct vm *vm, const struct vm_dev_config *cfg)
{
	struct vuart_ns16550 *u = vm_dev_alloc(vm, sizeof(*u));

	if (!u)
		return -PV_ENOMEM;
	if ((cfg->space != VDEV_SPACE_MMIO && cfg->space != VDEV_SPACE_PIO) ||
	    cfg->reg_shift > VUART_NS16550_MAX_SHIFT)
		return -PV_EINVAL;
	return vuart_ns16550_init(u, vm, cfg->space, cfg->base, cfg->reg_shift, cfg);
}

/* The node Linux's of_serial driver binds: it needs the input clock to program a baud rate. */
static int vuart_ns16550_fdt(void *fdt, const struct vm_dev_config *cfg, struct vdev_fdt_ctx *ctx)
{
	static const char compat[] = "ns16550a";
	int node = vm_fdt_device_node(fdt, cfg, ctx, compat, sizeof(compat));

	if (node < 0)
		return node;
	if (cfg->reg_shift) {
		int rc = fdt_setprop_u32(fdt, node, "reg-shift", cfg->reg_shift);
		if (rc)
			return rc;
	}
	return fdt_setprop_u32(fdt, node, "clock-frequency", VUART_NS16550_CLOCK_HZ);
}

const struct vdev_model vuart_ns16550_model = {
	.compatible = "ns16550a",
	.spaces = 1u << VDEV_SPACE_MMIO | 1u << VDEV_SPACE_PIO,
	.size = 8,
	.max_reg_shift = VUART_NS16550_MAX_SHIFT,
	.console = true,
	.irq = true,
	.create = vuart_ns16550_create,
	.fdt_node = vuart_ns16550_fdt,
};
