// SPDX-License-Identifier: MIT
#include <devices/vuart_pl011.h>
#include <irq/vdev_model.h>
#include <libfdt.h>
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
#define PL011_FR_TXFE	 0x80u
#define PL011_CR_RESET	 0x300u /* TXE and RXE set, UART disabled: the PL011 reset value */
#define PL011_IFLS_RESET 0x12u

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

static int pl011_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		      uint64_t *value)
{
	struct vuart_pl011 *u = dev->priv;
	int reg = pl011_reg(off, width);
	uint32_t v = 0;

	(void)vcpu;
	if (reg < 0)
		return -PV_EFAULT;
	pv_spin_lock(&u->lock);
	switch (reg) {
	case PL011_DR:
	case PL011_RSR_ECR:
	case PL011_RIS:
	case PL011_MIS:
		v = 0; /* nothing received, no error, no interrupt raised */
		break;
	case PL011_FR:
		v = PL011_FR_TXFE | PL011_FR_RXFE;
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
	case PL011_DMACR:
		v = u->dmacr;
		break;
	default:
		if (reg >= PL011_ID_FIRST)
			v = pl011_id[(reg - PL011_ID_FIRST) / 4];
		break; /* reserved offsets read as zero, as on the hardware */
	}
	pv_spin_unlock(&u->lock);
	/* A narrow access sees its lanes of the 32-bit register. */
	*value = v >> (8 * (off & 3u));
	return PV_OK;
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
		u->lcr_h = (uint16_t)(value & 0xff);
		break;
	case PL011_CR:
		u->cr = (uint16_t)(value & 0xff87);
		break;
	case PL011_IFLS:
		u->ifls = (uint16_t)(value & 0x3f);
		break;
	case PL011_IMSC:
		u->imsc = (uint16_t)(value & 0x7ff);
		break;
	case PL011_DMACR:
		u->dmacr = (uint16_t)(value & 0x7);
		break;
	default:
		break; /* RSR/ECR clear, ICR, read-only and reserved offsets: nothing to keep */
	}
	pv_spin_unlock(&u->lock);
	/* Outside the device lock: the console takes the VM lock. */
	if (put)
		vm_console_putc(u->vm, (char)(value & 0xff));
	return PV_OK;
}

static const struct vdev_ops pl011_ops = {
	.read = pl011_read,
	.write = pl011_write,
};

int vuart_pl011_init(struct vuart_pl011 *u, struct vm *vm, uint64_t base)
{
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
	return vdev_register(vm, &u->dev);
}

int vuart_pl011_create(struct vm *vm, const struct vm_dev_config *cfg)
{
	struct vuart_pl011 *u;

	if (cfg->space != VDEV_SPACE_MMIO)
		return -PV_EINVAL;
	u = vm_dev_alloc(vm, sizeof(*u));
	if (!u)
		return -PV_ENOMEM;
	return vuart_pl011_init(u, vm, cfg->base);
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
