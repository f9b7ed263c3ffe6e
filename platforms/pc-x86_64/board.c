// SPDX-License-Identifier: MIT
/*
 * The PC board: console on a 16550 UART in port-I/O space (COM1 by default), power-off and reset
 * by the means a PC or a PC emulator offers without ACPI.
 */
#include <drivers/uart.h>
#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <x86/cpu.h>

#define BOCHS_SHUTDOWN_PORT  0x8900u
#define QEMU_DEBUG_EXIT_PORT 0xf4u
/* QEMU's PIIX4 / ICH9 power management block, placed at 0x600 by SeaBIOS: PM1a control. */
#define QEMU_PM1A_CNT_PORT     0x604u
#define PM1_SLP_EN	       0x2000u /* with SLP_TYP 0, which QEMU's tables give S5 */
#define KBC_STATUS_PORT	       0x64u
#define KBC_INPUT_FULL	       0x02u
#define KBC_PULSE_RESET	       0xfeu
#define PCI_RESET_CONTROL_PORT 0xcf9u
#define RCR_SYS_RESET	       0x02u
#define RCR_RESET_CPU	       0x04u
#define UART_DIVISOR_115200    1u
#define UART_LSR	       5u
#define UART_LSR_TEMT	       0x40u /* holding and shift registers both empty */

static uint8_t pc_port_read(uintptr_t port)
{
	return x86_inb((uint16_t)port);
}

static void pc_port_write(uintptr_t port, uint8_t value)
{
	x86_outb((uint16_t)port, value);
}

static const struct ns16550 pc_uart = {
	.base = CONFIG_PLATFORM_UART_BASE,
	.shift = 0,
	.read_reg = pc_port_read,
	.write_reg = pc_port_write,
};

static bool pc_uart_ready;

/* The board has no init hook: the first character sets the UART up (under the console lock). */
static void pc_console_putc(char c)
{
	if (!pc_uart_ready) {
		ns16550_init(&pc_uart, UART_DIVISOR_115200);
		pc_uart_ready = true;
	}
	ns16550_putc(&pc_uart, c);
}

/* Emulators stop as soon as they see the power-off write, dropping what is still in the UART:
 * wait (bounded) until the last character has left. */
static void pc_console_drain(void)
{
	for (unsigned i = 0; pc_uart_ready && i < 1000000; i++)
		if (x86_inb((uint16_t)(CONFIG_PLATFORM_UART_BASE + UART_LSR)) & UART_LSR_TEMT)
			break;
}

static void pc_delay_ms(uint64_t ms)
{
	uint64_t end = hal_cpu.timer_now() + hal_cpu.timer_freq() / 1000 * ms;

	while (hal_cpu.timer_now() < end) {
	}
}

/* A CPU in VMX root operation ignores INIT, which some chipsets use for a keyboard-controller
 * reset: leave VMX first. The backend's cpu_disable accepts a CPU that never entered it. */
static void pc_leave_vmx(void)
{
	if (arch_backend.vcpu && arch_backend.vcpu->cpu_disable)
		arch_backend.vcpu->cpu_disable();
}

/*
 * Emulator exits, tried in turn; on a machine without the device the write goes nowhere:
 *  - bochs ends the simulation on the string "Shutdown" written to port 0x8900;
 *  - QEMU with "-device isa-debug-exit,iobase=0xf4,iosize=4" exits with status (value << 1) | 1;
 *  - QEMU's PC machines power off on SLP_EN in the ACPI PM1a control register.
 * Real machines need ACPI (S5 from the FADT and the DSDT's \_S5), which the hypervisor does not
 * parse yet: they end up halted, which the last message says.
 */
static PV_NORETURN void pc_power_off(void)
{
	pc_console_drain();
	pc_leave_vmx();
	for (const char *s = "Shutdown"; *s; s++)
		x86_outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	x86_outl(QEMU_DEBUG_EXIT_PORT, 0);
	x86_outw(QEMU_PM1A_CNT_PORT, PM1_SLP_EN);
	/* The ACPI request completes asynchronously: give it time before saying it failed. */
	pc_delay_ms(500);
	hal_printf("power off did not happen: halting\n");
	x86_halt_forever();
}

static PV_NORETURN void pc_reset(void)
{
	pc_console_drain();
	pc_leave_vmx();
	/* Keyboard controller: wait (bounded) for its input buffer, then pulse the reset line. */
	for (unsigned i = 0; i < 100000 && (x86_inb(KBC_STATUS_PORT) & KBC_INPUT_FULL); i++) {
	}
	x86_outb(KBC_STATUS_PORT, KBC_PULSE_RESET);
	/* PIIX/ICH reset control register: a hard reset. */
	x86_outb(PCI_RESET_CONTROL_PORT, RCR_SYS_RESET);
	x86_outb(PCI_RESET_CONTROL_PORT, RCR_SYS_RESET | RCR_RESET_CPU);
	x86_triple_fault();
}

const struct hal_board_ops hal_board = {
	.name = "pc-x86_64",
	.max_cpus = CONFIG_MAX_CPUS,
	.console_putc = pc_console_putc,
	.power_off = pc_power_off,
	.reset = pc_reset,
};
