// SPDX-License-Identifier: MIT
/*
 * QEMU loongarch64 virt: NS16550 console, the ACPI generic event device's (GED) hardware-reduced
 * sleep and reset registers, and where QEMU 7.2 leaves the DTB. Device registers are reached
 * through the backend's uncached window.
 */
#include <arch/la_board.h>
#include <arch/loongarch.h>
#include <drivers/uart.h>
#include <hal/hal.h>

/* GED registers: sleep control, sleep status, reset; one byte each. */
#define QV_GED_SLEEP_CTL 0x100e001cULL
#define QV_GED_RESET	 0x100e001eULL
/* SLP_EN (bit 5) with SLP_TYP 5 (S5, soft off) in bits 4:2. */
#define QV_GED_SLEEP_S5 ((1u << 5) | (5u << 2))
/* The value the reset register acts on. */
#define QV_GED_RESET_VALUE 0x42u

static const struct ns16550 qv_uart = {
	.base = LA_MMIO(CONFIG_PLATFORM_UART_BASE),
	.shift = 0,
};

static void qv_console_putc(char c)
{
	ns16550_putc(&qv_uart, c);
}

static PV_NORETURN void qv_halt(void)
{
	for (;;)
		__asm__ volatile("idle 0" : : : "memory");
}

static PV_NORETURN void qv_power_off(void)
{
	*(volatile uint8_t *)LA_MMIO(QV_GED_SLEEP_CTL) = QV_GED_SLEEP_S5;
	qv_halt();
}

static PV_NORETURN void qv_reset(void)
{
	*(volatile uint8_t *)LA_MMIO(QV_GED_RESET) = QV_GED_RESET_VALUE;
	qv_halt();
}

/* RAM is reached at its physical address (the backend's cached window is an identity map). */
const void *la_board_dtb(void)
{
	return (const void *)(uintptr_t)CONFIG_PLATFORM_DTB_ADDR;
}

const struct hal_board_ops hal_board = {
	.name = "qemu-virt-loongarch64",
	.max_cpus = CONFIG_MAX_CPUS,
	.console_putc = qv_console_putc,
	.power_off = qv_power_off,
	.reset = qv_reset,
};
