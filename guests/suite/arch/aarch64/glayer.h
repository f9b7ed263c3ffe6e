/* SPDX-License-Identifier: MIT */
/* What the aarch64 layer's files share: the VM's layout, system-register access, fault probes. */
#ifndef GUEST_A64_LAYER_H
#define GUEST_A64_LAYER_H

#include <stdbool.h>
#include <stdint.h>

/* The board's VM layout (platforms/qemu-virt-aarch64/vms.c) and QEMU virt's GIC addresses. */
#define G_UART	   0x09000000ULL
#define G_HOST_ITS 0x08080000ULL /* QEMU virt's ITS; the guest has none */
#define G_TESTDEV  0x0b000000ULL
#define G_GICD	   0x08000000ULL
#define G_GICR	   0x080a0000ULL
#define G_GICR_SGI 0x10000ULL

#define G_IRQ_IPI   1u
#define G_IRQ_TIMER 27u
#define G_IRQ_UART  33u /* SPI 1, as the board's descriptions wire the PL011 */

#define G_SYSREG_READ(enc)                                                                         \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, " #enc : "=r"(v_));                                      \
		v_;                                                                                \
	})
#define G_SYSREG_WRITE(enc, v)                                                                     \
	__asm__ volatile("msr " #enc ", %0" : : "r"((uint64_t)(v)) : "memory")

/* The synchronous vector resumes at g_probe_resume (when set) and sets g_probe_faulted. */
extern volatile uint64_t g_probe_resume;
extern volatile uint32_t g_probe_faulted;

/* Reads system register @enc into @val (0 if it faulted); true when the read did not fault. */
#define G_TRY_READ(enc, val)                                                                       \
	({                                                                                         \
		uint64_t v_ = 0;                                                                   \
		g_probe_faulted = 0;                                                               \
		__asm__ volatile("adr x9, 1f\n\t"                                                  \
				 "str x9, [%1]\n\t"                                                \
				 "mrs %0, " #enc "\n"                                              \
				 "1:\n\t"                                                          \
				 "str xzr, [%1]"                                                   \
				 : "+r"(v_)                                                        \
				 : "r"(&g_probe_resume)                                            \
				 : "x9", "memory");                                                \
		(val) = v_;                                                                        \
		!g_probe_faulted;                                                                  \
	})
/* Writes @v to system register @enc; true when the write did not fault. */
#define G_TRY_WRITE(enc, v)                                                                        \
	({                                                                                         \
		g_probe_faulted = 0;                                                               \
		__asm__ volatile("adr x9, 1f\n\t"                                                  \
				 "str x9, [%1]\n\t"                                                \
				 "msr " #enc ", %0\n"                                              \
				 "1:\n\t"                                                          \
				 "str xzr, [%1]"                                                   \
				 :                                                                 \
				 : "r"((uint64_t)(v)), "r"(&g_probe_resume)                        \
				 : "x9", "memory");                                                \
		!g_probe_faulted;                                                                  \
	})

static inline uint32_t g_r32(uint64_t a)
{
	return *(volatile uint32_t *)(uintptr_t)a;
}

static inline void g_w32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)a = v;
}

/* This vCPU's redistributor (RD frame), found by its affinity as a kernel would; 0 if none. */
uint64_t g_find_redist(void);

/* Each vCPU's first C code (entry.S): what it finds of the CPU state another VM may have left,
 * before it plants its own (cpustate.c). */
void g_cpustate_start(void);

#endif
