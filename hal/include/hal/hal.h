/* SPDX-License-Identifier: MIT */
/*
 * Hardware abstraction: what the core needs from a CPU architecture (struct hal_cpu_ops) and from a
 * board (struct hal_board_ops). Each is one const object defined by the backend or board linked in;
 * the core reaches them only through hal_cpu and hal_board, so the core never names an architecture.
 */
#ifndef HAL_HAL_H
#define HAL_HAL_H

#include <pv/types.h>

struct hal_cpu_ops {
	const char *arch_name; /* e.g. the ISA name printed in the banner */

	/* Index of the calling physical CPU, 0..hal_board.max_cpus-1.
	 * Context: any CPU, any locks, IRQs on or off; never blocks. */
	unsigned (*cpu_id)(void);

	/* Free-running monotonic counter and its frequency in Hz.
	 * Context: any CPU, any locks; never blocks. */
	uint64_t (*timer_now)(void);
	uint64_t (*timer_freq)(void);

	/* Arms the calling CPU's hypervisor timer to fire at the absolute counter value @deadline
	 * (0 disarms). Context: the CPU whose timer it is, IRQs off; never blocks. */
	void (*timer_arm)(uint64_t deadline);

	/* Sends an inter-processor interrupt to physical CPU @cpu.
	 * Context: any CPU, any locks; never blocks. */
	void (*ipi_send)(unsigned cpu);

	/* Invalidates all of the calling CPU's TLB entries for the hypervisor's own translation.
	 * Context: any CPU; never blocks. */
	void (*tlb_flush_all)(void);

	/* Cleans and invalidates data-cache lines covering [va, va+len) to the point of coherency
	 * (page tables written before the MMU reads them, images before a guest runs them).
	 * Context: any CPU; never blocks. */
	void (*dcache_clean_inval)(void *va, size_t len);

	/* Starts physical CPU @cpu (an index as cpu_id() numbers them) in the hypervisor: it sets up
	 * its stack and vectors and calls hv_secondary_main(@cpu). Returns once the CPU was asked to
	 * start; a negative pv_err (with a log line) if it cannot be. NULL: the backend cannot start
	 * CPUs. Context: boot CPU, IRQs off; may wait for the firmware's answer. */
	int (*cpu_start)(unsigned cpu);

	/* Waits for an interrupt (or returns at once if one is pending). Context: IRQs masked or not;
	 * blocks the calling CPU only. */
	void (*wait_for_interrupt)(void);

	/* Routes device interrupt @irq (numbered as the board's interrupt controller numbers it) to
	 * the calling CPU and enables it. When it fires there, the backend's interrupt code calls
	 * hv_device_irq(@irq) and acknowledges it afterwards. -PV_EINVAL for a number the controller
	 * does not have. NULL: the backend takes no device interrupts. Context: the CPU that is to
	 * take the interrupt, IRQs off; never blocks. */
	int (*irq_enable)(unsigned irq);
};

struct hal_board_ops {
	const char *name;  /* platform name, as in platforms/<name>/ */
	unsigned max_cpus; /* physical CPUs the board description allows */

	/* Writes one byte to the hypervisor's console. Context: any CPU, console lock held by the
	 * caller (hal_printf); polls the UART, never sleeps. */
	void (*console_putc)(char c);

	/* Turns the console UART's receive interrupt on and returns its number for
	 * hal_cpu.irq_enable, or -1 if the UART cannot interrupt. NULL: the console has no input.
	 * Context: boot CPU, once, before any VM runs. */
	int (*console_rx_start)(void);

	/* One byte the console UART received (0..255), or -1 when none waits; reading it clears
	 * the UART's receive interrupt once nothing is left. Context: the CPU taking the console
	 * interrupt, from hv_device_irq; never blocks. */
	int (*console_getc)(void);

	/* Powers the machine off; does not return. Context: any CPU, no locks. */
	PV_NORETURN void (*power_off)(void);

	/* Resets the machine; does not return. Context: any CPU, no locks. */
	PV_NORETURN void (*reset)(void);
};

/* Defined by the linked-in backend and board. */
extern const struct hal_cpu_ops hal_cpu;
extern const struct hal_board_ops hal_board;

/* Console, serialised across CPUs. printf subset: %d %i %u %x %X %p %s %c %% with l/ll/z and width. */
void hal_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hal_puts(const char *s);

/* The console's current line belongs to nobody (the terminal is at the start of a line), to the
 * hypervisor's own messages, to the hypervisor shell's prompt, or to a guest console
 * (HAL_CON_GUEST + its VM's number). */
#define HAL_CON_NONE  0u
#define HAL_CON_HV    1u
#define HAL_CON_SHELL 2u
#define HAL_CON_GUEST 3u

/* The console lock hal_printf takes, for callers that print a guest's output. Context: any CPU,
 * never held across a guest entry or a wait. */
void hal_console_lock(void);
bool hal_console_trylock(void);
void hal_console_unlock(void);

/* With the console locked: makes the terminal ready for output of source @src. A line another
 * source left open is ended first, so two sources never share a line. Returns true when @src's
 * output starts a new line (its caller prints its tag then). */
bool hal_console_claim(unsigned src);

/* With the console locked: whether the terminal's current line is @src's, still open. */
bool hal_console_owns_line(unsigned src);

/* With the console locked and claimed: one byte of @src's output. '\n' ends the line (sent as
 * CR LF). hal_console_put_raw sends the byte as it is and leaves the line open, for a guest
 * that drives the terminal itself. */
void hal_console_put(unsigned src, char c);
void hal_console_put_raw(unsigned src, char c);

/* A device interrupt enabled with hal_cpu.irq_enable fired on this CPU. Defined by the core
 * (vm/hv_main.c). Context: the CPU the interrupt is routed to, IRQs off, no lock held. */
void hv_device_irq(unsigned irq);

/* Prints a fatal message and powers off. Never returns. */
PV_NORETURN void hal_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
