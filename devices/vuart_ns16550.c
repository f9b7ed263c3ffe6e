// SPDX-License-Identifier: MIT
#include <devices/vuart_ns16550.h>
#include <hal/arch_backend.h>
#include <irq/vdev_model.h>
#include <irq/virq_ops.h>
#include <libfdt.h>
#include <vm/arch_vm_desc.h>
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

#define NS_LCR_DLAB   0x80u
#define NS_LSR_THRE   0x20u
#define NS_LSR_TEMT   0x40u
#define NS_IER_THRI   0x02u
#define NS_IIR_NONE   0x01u
#define NS_IIR_THRI   0x02u
#define NS_IIR_FIFO   0xc0u
#define NS_FCR_ENABLE 0x01u

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

/* What IIR reports: THR empty when raised and enabled, else nothing. */
static uint8_t ns_iir_id(const struct vuart_ns16550 *u)
{
	return (u->ier & NS_IER_THRI) && u->thre_pending ? NS_IIR_THRI : NS_IIR_NONE;
}

/* The line follows IIR; the controller hears only changes. Caller holds the lock, so changes
 * reach the controller in the order they happened. */
static void ns_update_line(struct vuart_ns16550 *u)
{
	const struct virq_ops *virq = arch_backend.virq;
	bool level = ns_iir_id(u) != NS_IIR_NONE;

	if (!u->has_irq || level == u->line)
		return;
	u->line = level;
	if (virq && virq->set_line)
		(void)virq->set_line(u->vm, NULL, u->irq, level);
}

static uint8_t ns_read_iir(struct vuart_ns16550 *u)
{
	uint8_t id = ns_iir_id(u);

	/* Reading IIR while it reports THR empty is what clears that interrupt. */
	if (id == NS_IIR_THRI)
		u->thre_pending = false;
	return (uint8_t)(id | ((u->fcr & NS_FCR_ENABLE) ? NS_IIR_FIFO : 0u));
}

static int ns_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		   uint64_t *value)
{
	struct vuart_ns16550 *u = dev->priv;
	int reg = ns_reg(u, off, width);
	bool dlab;

	(void)vcpu;
	if (reg < 0)
		return -PV_EFAULT;
	pv_spin_lock(&u->lock);
	dlab = u->lcr & NS_LCR_DLAB;
	switch (reg) {
	case NS_RBR_THR_DLL:
		*value = dlab ? u->dll : 0; /* nothing is ever received */
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
		*value = NS_LSR_THRE | NS_LSR_TEMT;
		break;
	case NS_MSR:
		*value = 0xb0; /* CTS, DSR, DCD: a line that is always ready */
		break;
	default:
		*value = u->scr;
		break;
	}
	ns_update_line(u);
	pv_spin_unlock(&u->lock);
	return PV_OK;
}

static int ns_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		    uint64_t value)
{
	struct vuart_ns16550 *u = dev->priv;
	int reg = ns_reg(u, off, width);
	uint8_t byte = (uint8_t)value;
	bool dlab, put = false;

	(void)vcpu;
	if (reg < 0)
		return -PV_EFAULT;
	pv_spin_lock(&u->lock);
	dlab = u->lcr & NS_LCR_DLAB;
	switch (reg) {
	case NS_RBR_THR_DLL:
		if (dlab) {
			u->dll = byte;
		} else {
			put = true;
			u->thre_pending = true; /* the byte left at once: THR is empty again */
		}
		break;
	case NS_IER_DLM:
		if (dlab) {
			u->dlm = byte;
			break;
		}
		/* Enabling the THR-empty interrupt while THR is empty raises it (16550 datasheet). */
		if ((byte & NS_IER_THRI) && !(u->ier & NS_IER_THRI))
			u->thre_pending = true;
		u->ier = byte & 0x0f;
		break;
	case NS_IIR_FCR:
		u->fcr = byte & NS_FCR_ENABLE;
		break;
	case NS_LCR:
		u->lcr = byte;
		break;
	case NS_MCR:
		u->mcr = byte & 0x1f;
		break;
	case NS_SCR:
		u->scr = byte;
		break;
	default:
		break; /* LSR, MSR: writes have no visible effect here */
	}
	ns_update_line(u);
	pv_spin_unlock(&u->lock);
	/* Outside the device lock: the console takes the VM lock. */
	if (put)
		vm_console_putc(u->vm, (char)byte);
	return PV_OK;
}

static const struct vdev_ops ns_ops = {
	.read = ns_read,
	.write = ns_write,
};

int vuart_ns16550_init(struct vuart_ns16550 *u, struct vm *vm, enum vdev_space space, uint64_t base,
		       unsigned reg_shift)
{
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
	return vdev_register(vm, &u->dev);
}

int vuart_ns16550_create(struct vm *vm, const struct vm_dev_config *cfg)
{
	struct vuart_ns16550 *u = vm_dev_alloc(vm, sizeof(*u));
	int err;

	if (!u)
		return -PV_ENOMEM;
	if ((cfg->space != VDEV_SPACE_MMIO && cfg->space != VDEV_SPACE_PIO) ||
	    cfg->reg_shift > VUART_NS16550_MAX_SHIFT)
		return -PV_EINVAL;
	err = vuart_ns16550_init(u, vm, cfg->space, cfg->base, cfg->reg_shift);
	/* Before any vCPU runs: no access can see the line half set up. */
	u->has_irq = !err && cfg->has_irq && arch_vm_desc.irq_line;
	if (u->has_irq)
		u->irq = arch_vm_desc.irq_line(cfg->irq);
	return err;
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
