// SPDX-License-Identifier: MIT
/* The emulated I/O APIC (vioapic.h). */
#include <hal/hal.h>
#include <vm/vm.h>

#include "vioapic.h"

enum {
	IOAPIC_REGSEL = 0x00,
	IOAPIC_WIN = 0x10,
	IOAPIC_EOI = 0x40,
	IOAPIC_REG_ID = 0x00,
	IOAPIC_REG_VERSION = 0x01,
	IOAPIC_REG_ARB = 0x02,
	IOAPIC_REG_RTE = 0x10,
};

#define IOAPIC_ID_MASK	0x0f000000u
#define RTE_MODE_FIXED	0u
#define RTE_MODE_LOWEST 1u

/* The pin's input as the entry's polarity makes it: asserted or not. */
static bool asserted(const struct vioapic *io, unsigned pin)
{
	bool high = (io->input >> pin) & 1u;

	return (io->rte[pin] & VIOAPIC_RTE_LOW) ? !high : high;
}

static void note_ignored(struct vioapic *io, const char *what, uint64_t value)
{
	io->ignored++;
	if (io->vm && vm_log_allowed(io->vm))
		hal_printf("vm %s: ioapic: %s 0x%llx ignored (%llu so far)\n", io->vm->name, what,
			   (unsigned long long)value, (unsigned long long)io->ignored);
}

/* Sends what pin @pin has to send, if it may. Lock held. */
static void service(struct vioapic *io, unsigned pin)
{
	uint64_t rte = io->rte[pin];
	unsigned mode = VIOAPIC_RTE_MODE(rte), vector = rte & VIOAPIC_RTE_VECTOR;
	bool level = rte & VIOAPIC_RTE_LEVEL, sent;

	if (!((io->irr >> pin) & 1u) || (rte & VIOAPIC_RTE_MASKED))
		return;
	if (level && (rte & VIOAPIC_RTE_REMOTE_IRR))
		return;
	if (!level)
		io->irr &= ~(1u << pin); /* the edge is spent, taken or not */
	/* Vectors 0-15 are illegal; SMI, NMI, INIT and ExtINT are not offered to devices. */
	if (vector < 16 || (mode != RTE_MODE_FIXED && mode != RTE_MODE_LOWEST)) {
		note_ignored(io, "pin with an illegal vector or delivery mode, entry", rte);
		return;
	}
	sent = vlapic_irq_deliver(io->vm, VIOAPIC_RTE_DEST(rte), rte & VIOAPIC_RTE_LOGICAL,
				  mode == RTE_MODE_LOWEST, vector, level);
	/* Remote-IRR waits for an EOI only when some vCPU took the message and will send one. */
	if (level && sent)
		io->rte[pin] |= VIOAPIC_RTE_REMOTE_IRR;
}

int vioapic_set_line(struct vioapic *io, uint32_t pin, bool level)
{
	bool was;

	if (pin >= VIOAPIC_PINS)
		return -PV_EINVAL;
	pv_spin_lock(&io->lock);
	was = asserted(io, pin);
	io->input = level ? io->input | 1u << pin : io->input & ~(1u << pin);
	if (io->rte[pin] & VIOAPIC_RTE_LEVEL)
		io->irr = asserted(io, pin) ? io->irr | 1u << pin : io->irr & ~(1u << pin);
	else if (!was && asserted(io, pin))
		io->irr |= 1u << pin;
	service(io, pin);
	pv_spin_unlock(&io->lock);
	return PV_OK;
}

void vioapic_eoi(struct vioapic *io, unsigned vector)
{
	pv_spin_lock(&io->lock);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t rte = io->rte[pin];

		if ((rte & VIOAPIC_RTE_VECTOR) != vector || !(rte & VIOAPIC_RTE_LEVEL) ||
		    !(rte & VIOAPIC_RTE_REMOTE_IRR))
			continue;
		io->rte[pin] &= ~VIOAPIC_RTE_REMOTE_IRR;
		service(io, pin);
	}
	pv_spin_unlock(&io->lock);
}

static void rte_write(struct vioapic *io, unsigned pin, bool high, uint32_t value)
{
	uint64_t old = io->rte[pin], mask = high ? 0xffffffff00000000ULL : 0xffffffffULL;
	uint64_t v = high ? (uint64_t)value << 32 : value;
	uint64_t rte = (old & ~mask) | (v & mask);

	/* Remote-IRR and delivery status read back as they were: writing them back is no error. */
	if (v & mask & ~(VIOAPIC_RTE_WRITABLE | VIOAPIC_RTE_REMOTE_IRR | PV_BIT(12)))
		note_ignored(io, "reserved bits in redirection entry", (uint64_t)pin << 32 | value);
	rte = (rte & VIOAPIC_RTE_WRITABLE) | (old & VIOAPIC_RTE_REMOTE_IRR);
	/* Remote-IRR means nothing for an edge-triggered entry: switching to edge clears it. */
	if (!(rte & VIOAPIC_RTE_LEVEL))
		rte &= ~VIOAPIC_RTE_REMOTE_IRR;
	io->rte[pin] = rte;
	/* The trigger mode or polarity may have changed what the input means. */
	if (rte & VIOAPIC_RTE_LEVEL)
		io->irr = asserted(io, pin) ? io->irr | 1u << pin : io->irr & ~(1u << pin);
	else if (old & VIOAPIC_RTE_LEVEL)
		io->irr &= ~(1u << pin);
	service(io, pin);
}

static uint32_t reg_read(const struct vioapic *io, uint32_t reg)
{
	switch (reg) {
	case IOAPIC_REG_ID:
	case IOAPIC_REG_ARB:
		return io->id;
	case IOAPIC_REG_VERSION:
		return (VIOAPIC_PINS - 1u) << 16 | VIOAPIC_VERSION;
	default:
		if (reg >= IOAPIC_REG_RTE && reg < IOAPIC_REG_RTE + 2 * VIOAPIC_PINS) {
			uint64_t rte = io->rte[(reg - IOAPIC_REG_RTE) / 2];
			return (uint32_t)(reg & 1u ? rte >> 32 : rte);
		}
		return 0;
	}
}

static void reg_write(struct vioapic *io, uint32_t reg, uint32_t value)
{
	switch (reg) {
	case IOAPIC_REG_ID:
		if (value & ~IOAPIC_ID_MASK)
			note_ignored(io, "reserved bits in ID", value);
		io->id = value & IOAPIC_ID_MASK;
		return;
	default:
		if (reg >= IOAPIC_REG_RTE && reg < IOAPIC_REG_RTE + 2 * VIOAPIC_PINS) {
			rte_write(io, (reg - IOAPIC_REG_RTE) / 2, reg & 1u, value);
			return;
		}
		/* The version and arbitration registers are read-only; others do not exist. */
		note_ignored(io, "write to register", reg);
	}
}

static int vioapic_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
			uint64_t *value)
{
	struct vioapic *io = dev->priv;

	(void)vcpu;
	if (width != 4 || off % 4)
		return -PV_EFAULT;
	pv_spin_lock(&io->lock);
	if (off == IOAPIC_REGSEL)
		*value = io->regsel;
	else if (off == IOAPIC_WIN)
		*value = reg_read(io, io->regsel);
	else
		*value = 0; /* the EOI register is write-only; the rest of the window is empty */
	pv_spin_unlock(&io->lock);
	return PV_OK;
}

static int vioapic_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
			 uint64_t value)
{
	struct vioapic *io = dev->priv;
	uint32_t v = (uint32_t)value;

	(void)vcpu;
	if (width != 4 || off % 4)
		return -PV_EFAULT;
	if (off == IOAPIC_EOI) {
		vioapic_eoi(io, v & 0xffu);
		return PV_OK;
	}
	pv_spin_lock(&io->lock);
	if (off == IOAPIC_REGSEL)
		io->regsel = v & 0xffu;
	else if (off == IOAPIC_WIN)
		reg_write(io, io->regsel, v);
	else
		note_ignored(io, "write at offset", off);
	pv_spin_unlock(&io->lock);
	return PV_OK;
}

static const struct vdev_ops vioapic_ops = {
	.read = vioapic_read,
	.write = vioapic_write,
};

int vioapic_init(struct vioapic *io, struct vm *vm, uint64_t base)
{
	*io = (struct vioapic){ .vm = vm };
	pv_spin_init(&io->lock);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		io->rte[pin] = VIOAPIC_RTE_MASKED;
	io->dev = (struct vdev){
		.name = "ioapic",
		.space = VDEV_SPACE_MMIO,
		.base = base,
		.size = 0x1000,
		.ops = &vioapic_ops,
		.priv = io,
	};
	return vdev_register(vm, &io->dev);
}
