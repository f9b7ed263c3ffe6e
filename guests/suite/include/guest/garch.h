/* SPDX-License-Identifier: MIT */
/*
 * The guest suite's per-architecture layer (guests/suite/arch/<isa>/), used by the arch-neutral
 * checks in suite.c. The layer owns the entry code, the exception vectors and everything that
 * needs particular instructions. The guest runs with its MMU off (or identity-mapped), so
 * guest-physical addresses are used directly.
 */
#ifndef GUEST_GARCH_H
#define GUEST_GARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <guest/modes.h>

/* Where things are for this guest (constants of the arch layer, matching the board's VM config). */
struct g_layout {
	uint64_t ram_base, ram_size; /* guest RAM */
	uint64_t testdev_base;	     /* the emulated test device (devices/testdev.h) */
	uint64_t console_addr;	     /* the console's UART (g_putc) and its space, as */
	uint64_t console_space;	     /*   DEVICE_EXITS names it: G_SPACE_MMIO or G_SPACE_PORT */
	uint64_t host_ram_base;	     /* the board's host RAM: the hypervisor and other VMs sit */
	uint64_t host_ram_size;	     /*   somewhere in it; isolation probes sweep it */
	const char *hv_irqchip_name; /* the hypervisor's own interrupt-controller interface */
	uint64_t hv_irqchip_addr;    /*   its address (0 if it is not memory-mapped) */
	int64_t hc_err_unknown;	     /* what an unknown hypercall returns in this arch's ABI */
	/* The passthrough benchmark's two virtio-blk disks (G_MODE_VBLK_BENCH): [0] passed
	 * through, [1] emulated; their register window and interrupt line (0 base: none). */
	struct {
		uint64_t base;
		unsigned line;
	} vblk[2];
};
extern const struct g_layout g_layout;
#define G_SPACE_MMIO 1 /* DEVICE_EXITS' second argument (docs/hypercalls.md) */
#define G_SPACE_PORT 2

/* Linker symbols: the loaded image (code, data, bss, stacks). */
extern char __g_image_start[], __g_image_end[];

/* Console: one byte to the emulated UART (every access traps). */
void g_putc(char c);

/* Console input (echo mode): a received byte, or -1 when none waits. */
int g_getc(void);
/* Turns the UART's receive interrupt on, in the UART and the interrupt controller, so that
 * g_wait_for_irq returns when input arrives; false when the layer only polls. */
bool g_input_irq_on(void);

/* The project's hypercall ABI (docs/hypercalls.md): returns ret, *value gets the second result. */
int64_t g_hcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t *value);
/* g_hcall with its trapping instruction replaced by a no-op and nothing else changed: the
 * benchmark's baseline (bench.c subtracts its loop from the hypercall loop). */
int64_t g_hcall_noop(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t *value);

/* Shows that the guest runs deprivileged: true and a description of what was observed, or false
 * and why not. */
bool g_privilege(char *why, size_t len);

/* Explicit loads and stores of @width bytes (1, 2, 4, 8), @sign: the sign-extending load form. */
uint64_t g_load(uint64_t addr, unsigned width, bool sign);
void g_store(uint64_t addr, unsigned width, uint64_t value);

/* Virtual counter and its frequency (Hz). */
uint64_t g_counter(void);
uint64_t g_counter_freq(void);

/* Per-CPU interrupt plumbing. g_irq_on/off mask interrupts on the calling vCPU. */
void g_irq_on(void);
void g_irq_off(void);
/* Waits for an interrupt (WFI / wfi / HLT / idle). Called with interrupts masked, it returns once
 * one is pending (having taken it or not); the suite then unmasks briefly to take it. */
void g_wait_for_irq(void);

/* Device interrupt line @line (numbered as VM descriptions number them): g_dev_irq_enable
 * enables it, routed to the calling vCPU, and returns false when the layer cannot; on each of its
 * interrupts the layer calls g_on_dev_irq(line, counter at handler entry) before completing it.
 * Optional: suite.c's weak default of g_dev_irq_enable returns false. */
bool g_dev_irq_enable(unsigned line);
void g_on_dev_irq(unsigned line, uint64_t now);

/* Virtual timer of the calling vCPU: fire once at absolute counter value @deadline; 0 disarms.
 * On expiry the layer calls g_on_timer(counter_at_handler_entry). */
void g_timer_arm(uint64_t deadline);
void g_on_timer(uint64_t now);

/* vCPUs. g_cpu_id: 0 for the boot vCPU. g_cpu_start starts vCPU @cpu at @entry (arch standard
 * interface, or the CPU_ON hypercall where there is none); returns 0 or a negative error. The
 * started vCPU runs @entry on its own stack with interrupts masked. g_cpu_stop does not return. */
unsigned g_cpu_id(void);
int g_cpu_start(unsigned cpu, void (*entry)(void));
void g_cpu_stop(void) __attribute__((noreturn));

/* IPIs: sends one to @cpu; the receiver's layer calls g_on_ipi(). */
void g_ipi_send(unsigned cpu);
void g_on_ipi(void);

/* Isolation: performs one access of @kind at @addr and reports whether it completed (true) or
 * raised a fault the layer caught (false). */
enum g_access {
	G_READ,
	G_WRITE,
	G_EXEC
};
bool g_try_access(enum g_access kind, uint64_t addr);
/* Accesses the hypervisor's own interrupt-controller interface (system registers or memory);
 * true if it completed. */
bool g_try_hv_irqchip(void);

/* Context: fills every general-purpose and FP/SIMD register with a pattern, performs @exits exits
 * (alternating hypercalls and test-device MMIO reads) with interrupts on, and checks every register
 * after each exit. Returns 0, or the number of the first register found changed, plus 1. */
int g_context_check(unsigned exits);

/* Checks of the arch layer's own, run after the common ones; each prints its PASS or FAIL line
 * through suite.h. Optional: a layer without any leaves it out (suite.c's weak default is empty). */
void g_arch_checks(void);

/* Atomic add on the calling vCPU's view of memory (the SMP check). */
uint64_t g_atomic_add(volatile uint64_t *p, uint64_t v);

/* Runs a mode from G_MODE_ARCH up (g_main calls it, then stops the VM with its failure count).
 * Optional: suite.c's weak default does nothing. */
void g_arch_mode(uint64_t boot_arg);

/* The suite's entry, called by the layer on the boot vCPU with the boot argument. */
void g_main(uint64_t boot_arg) __attribute__((noreturn));

#endif
