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
};

struct hal_board_ops {
	const char *name;  /* platform name, as in platforms/<name>/ */
	unsigned max_cpus; /* physical CPUs the board description allows */

	/* Writes one byte to the hypervisor's console. Context: any CPU, console lock held by the
	 * caller (hal_printf); polls the UART, never sleeps. */
	void (*console_putc)(char c);

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

/* Prints a fatal message and powers off. Never returns. */
PV_NORETURN void hal_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
