// SPDX-License-Identifier: MIT
/* The hypervisor's console: formatted output through the board's UART, one CPU at a time. */
#include <hal/hal.h>
#include <pv/fmt.h>
#include <pv/spinlock.h>

static pv_spinlock_t console_lock = PV_SPINLOCK_INIT;
/* CPU holding the lock, or -1. A CPU that faults while printing prints its report without the
 * lock instead of spinning on a lock it holds itself. */
static volatile int console_owner = -1;

static void console_sink(char c, void *ctx)
{
	(void)ctx;
	if (c == '\n')
		hal_board.console_putc('\r');
	hal_board.console_putc(c);
}

static void console_vprintf(const char *fmt, va_list ap)
{
	int me = (int)hal_cpu.cpu_id();
	bool nested = __atomic_load_n(&console_owner, __ATOMIC_RELAXED) == me;

	if (!nested) {
		pv_spin_lock(&console_lock);
		__atomic_store_n(&console_owner, me, __ATOMIC_RELAXED);
	}
	pv_vformat(console_sink, NULL, fmt, ap);
	if (!nested) {
		__atomic_store_n(&console_owner, -1, __ATOMIC_RELAXED);
		pv_spin_unlock(&console_lock);
	}
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
