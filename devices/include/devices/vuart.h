/* SPDX-License-Identifier: MIT */
/*
 * What the emulated UARTs share: a receive FIFO fed by the VM's console (vm/console.h) and an
 * interrupt line driven through the VM's interrupt controller.
 */
#ifndef DEVICES_VUART_H
#define DEVICES_VUART_H

#include <pv/types.h>

struct vm;
struct vm_dev_config;

#define VUART_FIFO_MAX 32 /* the deepest receive FIFO a model has (PL011) */

struct vuart_fifo {
	uint8_t data[VUART_FIFO_MAX];
	uint8_t head, count;
};

static inline void vuart_fifo_push(struct vuart_fifo *f, uint8_t c)
{
	f->data[(f->head + f->count) % VUART_FIFO_MAX] = c;
	f->count++;
}

static inline uint8_t vuart_fifo_pop(struct vuart_fifo *f)
{
	uint8_t c = f->data[f->head];

	f->head = (uint8_t)((f->head + 1) % VUART_FIFO_MAX);
	f->count--;
	return c;
}

/* A device's interrupt line: the set_line number of the description's line, and its level. */
struct vuart_irq {
	struct vm *vm;
	bool wired; /* the description gave it an interrupt */
	bool level; /* what the controller was last told */
	uint32_t line;
};

/* Wires @irq as @cfg says (no interrupt when it names none or the backend has no controller). */
void vuart_irq_init(struct vuart_irq *irq, struct vm *vm, const struct vm_dev_config *cfg);

/* Drives the line to @level; the controller hears only changes. Context: the device's lock held
 * (so two changes reach the controller in the order they happened). */
void vuart_irq_set(struct vuart_irq *irq, bool level);

#endif
