// SPDX-License-Identifier: MIT
/*
 * QEMU virt (aarch64): PL011 console (its receive interrupt is SPI 1 of the GIC), power control
 * through PSCI. With virtualization=on the DTB names SMC as the PSCI conduit, and QEMU's built-in
 * PSCI answers SMCs from EL2.
 */
#include <a64/cpu.h>
#include <drivers/uart.h>
#include <hal/hal.h>

#define PSCI_SYSTEM_OFF	  0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

static const struct pl011 qvirt_uart = { .base = CONFIG_PLATFORM_UART_BASE };

/* Only touched under the console lock (hal_board contract), so a plain flag is enough. */
static bool qvirt_uart_ready;

static void qvirt_console_putc(char c)
{
	if (!qvirt_uart_ready) {
		pl011_init(&qvirt_uart);
		qvirt_uart_ready = true;
	}
	pl011_putc(&qvirt_uart, c);
}

static int qvirt_console_rx_start(void)
{
	if (CONFIG_PLATFORM_UART_IRQ < 0)
		return -1;
	pl011_rx_enable(&qvirt_uart);
	return CONFIG_PLATFORM_UART_IRQ;
}

static int qvirt_console_getc(void)
{
	return pl011_getc(&qvirt_uart);
}

/* PSCI SYSTEM_OFF/RESET return only on failure; then the CPU is parked, not left running. */
static PV_NORETURN void qvirt_psci_system(uint32_t fn, const char *what)
{
	int64_t ret = (int64_t)a64_smc_call(fn, 0, 0, 0);

	hal_printf("PSCI %s failed (%lld); halting this CPU\n", what, (long long)ret);
	for (;;)
		__asm__ volatile("wfi");
}

static PV_NORETURN void qvirt_power_off(void)
{
	qvirt_psci_system(PSCI_SYSTEM_OFF, "SYSTEM_OFF");
}

static PV_NORETURN void qvirt_reset(void)
{
	qvirt_psci_system(PSCI_SYSTEM_RESET, "SYSTEM_RESET");
}

const struct hal_board_ops hal_board = {
	.name = "qemu-virt-aarch64",
	.max_cpus = CONFIG_MAX_CPUS,
	.console_putc = qvirt_console_putc,
	.console_rx_start = qvirt_console_rx_start,
	.console_getc = qvirt_console_getc,
	.power_off = qvirt_power_off,
	.reset = qvirt_reset,
};
