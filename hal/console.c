// SPDX-License-Identifier: MIT
/*
 * The hypervisor's console: formatted output through the board's UART, one CPU at a time, shared
 * with the guests' consoles (vm/console.c). The terminal has one current line; it belongs to the
 * source that printed last without ending it. Whoever prints next ends a line left open by
 * another source first, so a hypervisor message never lands inside a guest's prompt line and two
 * guests' lines never splice.
 */
#include <hal/hal.h>
#include <pv/fmt.h>
#include <pv/spinlock.h>

static pv_spinlock_t console_lock = PV_SPINLOCK_INIT;
/* CPU holding the lock, or -1. A CPU that faults while printing prints its report without the
 * lock instead of spinning on a lock it holds itself. */
static volatile int console_owner = -1;
/* Source whose line is open on the terminal (HAL_CON_*); only changed under the lock. */
static unsigned console_open = HAL_CON_NONE;

static void console_take(void)
{
	__atomic_store_n(&console_owner, (int)hal_cpu.cpu_id(), __ATOMIC_RELAXED);
}

void hal_console_lock(void)
{
	pv_spin_lock(&console_lock);
	console_take();
}

bool hal_console_trylock(void)
{
	if (!pv_spin_trylock(&console_lock))
		return false;
	console_take();
	return true;
}

void hal_console_unlock(void)
{
	__atomic_store_n(&console_owner, -1, __ATOMIC_RELAXED);
	pv_spin_unlock(&console_lock);
}

bool hal_console_claim(unsigned src)
{
	if (console_open == src)
		return false;
	if (console_open != HAL_CON_NONE) {
		hal_board.console_putc('\r');
		hal_board.console_putc('\n');
	}
	console_open = src;
	return true;
}

bool hal_console_owns_line(unsigned src)
{
	return console_open == src;
}

void hal_console_put(unsigned src, char c)
{
	if (c == '\n') {
		hal_board.console_putc('\r');
		console_open = HAL_CON_NONE;
	} else {
		console_open = src;
	}
	hal_board.console_putc(c);
}

void hal_console_put_raw(unsigned src, char c)
{
	console_open = src;
	hal_board.console_putc(c);
}

static void console_sink(char c, void *ctx)
{
	(void)ctx;
	hal_console_put(HAL_CON_HV, c);
}

static void console_vprintf(const char *fmt, va_list ap)
{
	int me = (int)hal_cpu.cpu_id();
	bool nested = __atomic_load_n(&console_owner, __ATOMIC_RELAXED) == me;

	if (!nested)
		hal_console_lock();
	(void)hal_console_claim(HAL_CON_HV);
	pv_vformat(console_sink, NULL, fmt, ap);
	if (!nested)
		hal_console_unlock();
}

void hal_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

void hal_puts(const char *s)
{
	hal_printf("%s", s);
}

void hal_panic(const char *fmt, ...)
{
	va_list ap;
	hal_printf("\nPANIC on cpu %u: ", hal_cpu.cpu_id());
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	hal_printf("\n");
	hal_board.power_off();
}
