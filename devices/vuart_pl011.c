// SPDX-License-Identifier: MIT
#include <devices/vuart_pl011.h>
#include <irq/vdev_model.h>
#include <libfdt.h>
#include <vm/console.h>
#include <vm/vm.h>
#include <vm/vm_fdt.h>

enum {
	PL011_DR = 0x000,
	PL011_RSR_ECR = 0x004,
	PL011_FR = 0x018,
	PL011_ILPR = 0x020,
	PL011_IBRD = 0x024,
	PL011_FBRD = 0x028,
	PL011_LCR_H = 0x02c,
	PL011_CR = 0x030,
	PL011_IFLS = 0x034,
	PL011_IMSC = 0x038,
	PL011_RIS = 0x03c,
	PL011_MIS = 0x040,
	PL011_ICR = 0x044,
	PL011_DMACR = 0x048,
	PL011_ID_FIRST = 0xfe0, /* PeriphID0..3, then PCellID0..3 */
};

#define PL011_FR_RXFE	 0x10u
#define PL011_FR_TXFF	 0x20u
#define PL011_FR_RXFF	 0x40u
#define PL011_FR_TXFE	 0x80u
#define PL011_DR_OE	 0x800u
#define PL011_RSR_OE	 0x08u
#define PL011_LCRH_FEN	 0x10u
#define PL011_CR_RESET	 0x300u /* TXE and RXE set, UART disabled: the PL011 reset value */
#define PL011_IFLS_RESET 0x12u
#define PL011_INT_ALL	 0x7ffu
#define PL011_IDLE_POLLS 2u /* empty-receiver reads in a row that mean "waits for input" */

/* Peripheral and PrimeCell identification bytes of a PL011 r1p5, read by drivers probing it. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

/* Register offset of an access, or -1 for one the device does not decode (wider than a register
 * or straddling two). */
static int pl011_reg(uint64_t off, unsigned width)
{
	if (width > 4 || (off & (width - 1)))
		return -1;
	return (int)(off & ~3ULL);
}

static unsigned pl011_depth(const struct vuart_pl011 *u)
{
	return (u->lcr_h & PL011_LCRH_FEN) ? VUART_PL011_FIFO : 1u;
}

/* Receive interrupt level: IFLS.RXIFLSEL of 1/8 .. 7/8 full; 1 byte without the FIFO. */
static unsigned pl011_rx_level(const struct vuart_pl011 *u)
{
	static const uint8_t eighths[8] = { 1, 2, 4, 6, 7, 4, 4, 4 };

	if (!(u->lcr_h & PL011_LCRH_FEN))
		return 1;
	return VUART_PL011_FIFO * eighths[(u->ifls >> 3) & 7u] / 8u;
}

static uint16_t pl011_ris(const struct vuart_pl011 *u)
{
	uint16_t ris = u->ris_latched;

	if (u->rx.count >= pl011_rx_level(u))
		ris |= PL011_INT_RX;
	return ris;
}

/* The interrupt line follows MIS. Caller holds the lock. */
static void pl011_update(struct vuart_pl011 *u)
{
	vuart_irq_set(&u->irq, (pl011_ris(u) & u->imsc) != 0);
}

void vuart_pl011_receive(struct vuart_pl011 *u, uint8_t c)
{
	pv_spin_lock(&u->lock);
	/* Into a full FIFO the byte is lost and overrun is flagged, as on the hardware. */
	if (u->rx.count >= pl011_depth(u)) {
		u->rsr |= PL011_RSR_OE;
		u->ris_latched |= PL011_INT_OE;
	} else {
		vuart_fifo_push(&u->rx, c);
		u->ris_latched |= PL011_INT_RT;
	}
	pl011_update(u);
	pv_spin_unlock(&u->lock);
}

/* Typed input: as much as the FIFO has room for (the console keeps the rest). */
static size_t pl011_console_rx(void *dev, const uint8_t *buf, size_t n)
{
	struct vuart_pl011 *u = dev;
	size_t taken = 0;

	pv_spin_lock(&u->lock);
	while (taken < n && u->rx.count < pl011_depth(u)) {
		vuart_fifo_push(&u->rx, buf[taken++]);
		u->ris_latched |= PL011_INT_RT;
	}
	pl011_update(u);
	pv_spin_unlock(&u->lock);
	return taken;
}

static const struct vm_console_dev_ops pl011_console_ops = {
	.rx = pl011_console_rx,
};

/* What reading DR does: the oldest byte with its overrun flag. Caller holds the lock. */
static uint32_t pl011_read_dr(struct vuart_pl011 *u, bool *took)
{
	uint32_t v;

	if (!u->rx.count)
		return 0;
	v = vuart_fifo_pop(&u->rx) | ((u->rsr & PL011_RSR_OE) ? PL011_DR_OE : 0u);
	if (!u->rx.count)
		u->ris_latched &= (uint16_t)~PL011_INT_RT;
	*took = true;
	pl011_update(u);
	return v;
}

static uint32_t pl011_read_fr(struct vuart_pl011 *u, bool *waiting)
{
	uint32_t v = 0;

	if (vm_console_tx_room(u->vm) < VM_CONSOLE_TX_LOW)
		v |= PL011_FR_TXFF;
	else
		v |= PL011_FR_TXFE;
	if (u->rx.count >= pl011_depth(u))
		v |= PL011_FR_RXFF;
	if (!u->rx.count) {
		v |= PL011_FR_RXFE;
		if (u->idle_polls < PL011_IDLE_POLLS)
			u->idle_polls++;
		*waiting = u->idle_polls >= PL011_IDLE_POLLS;
	}
	return v;
}

static int pl011_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		      uint64_t *value)
{
	struct vuart_pl011 *u = dev->priv;
	int reg = pl011_reg(off, width);
	bool took = false, waiting = false;
	uint32_t v = 0;

	(void)vcpu;
	if (reg < 0)
		return -PV_EFAULT;
	pv_spin_lock(&u->lock);
	switch (reg) {
	case PL011_DR:
		/* Only a read of the data lanes takes a byte. */
		if ((off & 3u) == 0)
			v = pl011_read_dr(u, &took);
		break;
	case PL011_RSR_ECR:
		v = u->rsr;
		break;
	case PL011_FR:
		v = pl011_read_fr(u, &waiting);
		break;
	case PL011_ILPR:
		v = u->ilpr;
		break;
	case PL011_IBRD:
		v = u->ibrd;
		break;
	case PL011_FBRD:
		v = u->fbrd;
		break;
	case PL011_LCR_H:
		v = u->lcr_h;
		break;
	case PL011_CR:
		v = u->cr;
		break;
	case PL011_IFLS:
		v = u->ifls;
		break;
	case PL011_IMSC:
		v = u->imsc;
		break;
	case PL011_RIS:
		v = pl011_ris(u);
		break;
	case PL011_MIS:
		v = pl011_ris(u) & u->imsc;
		break;
	case PL011_DMACR:
		v = u->dmacr;
		break;
	default:
		if (reg >= PL011_ID_FIRST)
			v = pl011_id[(reg - PL011_ID_FIRST) / 4];
		break; /* reserved offsets and write-only ICR read as zero, as on the hardware */
	}
	pv_spin_unlock(&u->lock);
	/* Outside the device lock: the console takes its own locks, then this one. */
	if (took)
		vm_console_rx_ready(u->vm);
	if (waiting)
		vm_console_waiting(u->vm);
	/* A narrow access sees its lanes of the 32-bit register. */
	*value = v >> (8 * (off & 3u));
	return PV_OK;
}

/* LCR_H: a FIFO switched on or off starts empty, as the TRM says flushing works. */
static void pl011_write_lcr_h(struct vuart_pl011 *u, uint16_t v)
{
	if ((v ^ u->lcr_h) & PL011_LCRH_FEN) {
		u->rx.count = 0;
		u->ris_latched &= (uint16_t)~PL011_INT_RT;
	}
	u->lcr_h = v;
}

static int pl011_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		       uint64_t value)
{
	struct vuart_pl011 *u = dev->priv;
	int reg = pl011_reg(off, width);
	bool put = false;

	(void)vcpu;
	if (reg < 0)
		return -PV_EFAULT;
	/* Only whole-register writes and the data register's low byte change state. */
	if ((off & 3u) && reg != PL011_DR)
		return PV_OK;
	pv_spin_lock(&u->lock);
	switch (reg) {
	case PL011_DR:
		/* Transmitted whether or not the guest enabled the UART: early consoles skip
		 * the setup, and dropping their output would only hide it. */
		put = (off & 3u) == 0;
		if (put) {
			u->idle_polls = 0;
			u->ris_latched |= PL011_INT_TX; /* the byte left at once: room again */
		}
		break;
	case PL011_RSR_ECR:
		u->rsr = 0;
		break;
	case PL011_ILPR:
		u->ilpr = (uint8_t)value;
		break;
	case PL011_IBRD:
		u->ibrd = (uint16_t)value;
		break;
	case PL011_FBRD:
		u->fbrd = (uint16_t)(value & 0x3f);
		break;
	case PL011_LCR_H:
		pl011_write_lcr_h(u, (uint16_t)(value & 0xff));
		break;
	case PL011_CR:
		u->cr = (uint16_t)(value & 0xff87);
		break;
	case PL011_IFLS:
		u->ifls = (uint16_t)(value & 0x3f);
		break;
	case PL011_IMSC:
		u->imsc = (uint16_t)(value & PL011_INT_ALL);
		break;
	case PL011_ICR:
		u->ris_latched &= (uint16_t)~(value & PL011_INT_ALL);
		break;
	case PL011_DMACR:
		u->dmacr = (uint16_t)(value & 0x7);
		break;
	default:
		break; /* read-only and reserved offsets: nothing to keep */
	}
	pl011_update(u);
	pv_spin_unlock(&u->lock);
	/* Outside the device lock: the console takes the console locks. */
	if (put)
		vm_console_putc(u->vm, (char)(value & 0xff));
	/* A FIFO switched on has room for what the console holds back. */
	if (reg == PL011_LCR_H)
		vm_console_rx_ready(u->vm);
	return PV_OK;
}

static const struct vdev_ops pl011_ops = {
	.read = pl011_read,
	.write = pl011_write,
};

int vuart_pl011_init(struct vuart_pl011 *u, struct vm *vm, uint64_t base,
		     const struct vm_dev_config *cfg)
{
	int err;

	*u = (struct vuart_pl011){
		.dev = { .name = "pl011",
			 .space = VDEV_SPACE_MMIO,
			 .base = base,
			 .size = VUART_PL011_SIZE,
			 .ops = &pl011_ops,
			 .priv = u },
		.vm = vm,
		.cr = PL011_CR_RESET,
		.ifls = PL011_IFLS_RESET,
	};
	pv_spin_init(&u->lock);
	vuart_irq_init(&u->irq, vm, cfg);
	err = vdev_register(vm, &u->dev);
	if (!err)
		vm_console_attach(vm, &pl011_console_ops, u);
	return err;
}

int vuart_pl011_create(struct vm *vm, const struct vm_dev_config *cfg)
{
	struct vuart_pl011 *u;

	if (cfg->space != VDEV_SPACE_MMIO)
		return -PV_EINVAL;
	u = vm_dev_alloc(vm, sizeof(*u));
	if (!u)
		return -PV_ENOMEM;
	return vuart_pl011_init(u, vm, cfg->base, cfg);
}

/* An AMBA PrimeCell node: Linux's amba bus wants the bus clock ("apb_pclk") and the PL011 driver
 * the UART clock; one fixed clock serves both, as on QEMU's virt board. */
static int pl011_fdt(void *fdt, const struct vm_dev_config *cfg, struct vdev_fdt_ctx *ctx)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	uint32_t clk = vm_fdt_fixed_clock(fdt, "apb-pclk", VUART_PL011_CLOCK_HZ, ctx);
	fdt32_t clocks[2] = { cpu_to_fdt32(clk), cpu_to_fdt32(clk) };
	int node, rc;

	if (!clk)
		return -FDT_ERR_NOSPACE;
	node = vm_fdt_device_node(fdt, cfg, ctx, compat, sizeof(compat));
	if (node < 0)
		return node;
	rc = fdt_setprop(fdt, node, "clocks", clocks, sizeof(clocks));
	return rc ? rc : fdt_setprop(fdt, node, "clock-names", clock_names, sizeof(clock_names));
}

const struct vdev_model vuart_pl011_model = {
	.compatible = "arm,pl011",
	.spaces = 1u << VDEV_SPACE_MMIO,
	.size = VUART_PL011_SIZE,
	.console = true,
	.irq = true,
	.create = vuart_pl011_create,
	.fdt_node = pl011_fdt,
};
