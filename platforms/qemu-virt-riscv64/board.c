// SPDX-License-Identifier: MIT
/*
 * QEMU virt (riscv64) as a board: the NS16550 console (its receive interrupt through the PLIC) and
 * power control through the SBI system reset extension. OpenSBI has already programmed the UART for its own banner, so the console
 * needs no set-up of its own.
 */
#include <drivers/uart.h>
#include <hal/hal.h>
#include <riscv64/sbi.h>

static const struct ns16550 qemu_virt_uart = {
	.base = CONFIG_PLATFORM_UART_BASE,
	.shift = 0,
};

static void qemu_virt_putc(char c)
{
	ns16550_putc(&qemu_virt_uart, c);
}

/* The UART raises PLIC source CONFIG_PLATFORM_UART_IRQ while it holds received bytes. */
static int qemu_virt_rx_start(void)
{
	if (CONFIG_PLATFORM_UART_IRQ < 0)
		return -1;
	ns16550_rx_enable(&qemu_virt_uart);
	return CONFIG_PLATFORM_UART_IRQ;
}

static int qemu_virt_getc(void)
{
	return ns16550_getc(&qemu_virt_uart);
}

PV_NORETURN static void halt_forever(void)
{
	__asm__ __volatile__("csrci sstatus, 2" ::: "memory");
	for (;;)
		__asm__ __volatile__("wfi");
}

/* Asks the firmware for a reset of @type; says why and halts this hart if it cannot. */
PV_NORETURN static void qemu_virt_system_reset(unsigned long type, const char *what)
{
	long err;

	if (!sbi_probe_extension(SBI_EXT_SRST)) {
		hal_printf("%s: the firmware has no SBI SRST extension\n", what);
		/* SBI v0.1 firmware can still shut down through its legacy call. */
		if (type == SBI_SRST_SHUTDOWN && sbi_probe_extension(SBI_EXT_LEGACY_SHUTDOWN))
			sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0, 0, 0);
	} else {
		err = sbi_system_reset(type, SBI_SRST_REASON_NONE);
		hal_printf("%s: SBI SRST returned error %ld\n", what, err);
	}
	hal_printf("%s failed; halting this hart\n", what);
	halt_forever();
}

PV_NORETURN static void qemu_virt_power_off(void)
{
	qemu_virt_system_reset(SBI_SRST_SHUTDOWN, "power off");
}

PV_NORETURN static void qemu_virt_reset(void)
{
	qemu_virt_system_reset(SBI_SRST_COLD_REBOOT, "reset");
}

const struct hal_board_ops hal_board = {
	.name = "qemu-virt-riscv64",
	.max_cpus = CONFIG_MAX_CPUS,
	.console_putc = qemu_virt_putc,
	.console_rx_start = qemu_virt_rx_start,
	.console_getc = qemu_virt_getc,
	.power_off = qemu_virt_power_off,
	.reset = qemu_virt_reset,
};
