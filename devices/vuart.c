// SPDX-License-Identifier: MIT
/* Interrupt lines of the emulated UARTs (devices/vuart.h). */
#include <devices/vuart.h>
#include <hal/arch_backend.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm.h>

void vuart_irq_init(struct vuart_irq *irq, struct vm *vm, const struct vm_dev_config *cfg)
{
	*irq = (struct vuart_irq){ .vm = vm };
	if (!cfg || !cfg->has_irq || !arch_backend.virq || !arch_vm_desc.irq_line)
		return;
	irq->wired = true;
	irq->line = arch_vm_desc.irq_line(cfg->irq);
}

void vuart_irq_set(struct vuart_irq *irq, bool level)
{
	if (!irq->wired || irq->level == level)
		return;
	irq->level = level;
	(void)arch_backend.virq->set_line(irq->vm, NULL, irq->line, level);
}
