/* SPDX-License-Identifier: MIT */
/*
 * x86_64 instruction wrappers: CPUID, MSRs, control registers, port I/O. Shared by the backend and
 * the PC board code; everything here is a single instruction or two and safe in any context
 * (interrupts on or off, any lock held).
 */
#ifndef X86_CPU_H
#define X86_CPU_H

#include <pv/types.h>

/* Model-specific registers the backend uses. */
#define X86_MSR_APIC_BASE	0x01bu
#define X86_MSR_FEATURE_CONTROL 0x03au
#define X86_MSR_TSC_DEADLINE	0x6e0u
#define X86_MSR_X2APIC_ICR	0x830u
#define X86_MSR_EFER		0xc0000080u

/* Control-register bits. */
#define X86_CR0_PE	   PV_BIT(0)
#define X86_CR0_MP	   PV_BIT(1)
#define X86_CR0_EM	   PV_BIT(2)
#define X86_CR0_TS	   PV_BIT(3)
#define X86_CR0_ET	   PV_BIT(4)
#define X86_CR0_NE	   PV_BIT(5)
#define X86_CR0_WP	   PV_BIT(16)
#define X86_CR0_NW	   PV_BIT(29)
#define X86_CR0_CD	   PV_BIT(30)
#define X86_CR0_PG	   PV_BIT(31)
#define X86_CR4_PAE	   PV_BIT(5)
#define X86_CR4_PGE	   PV_BIT(7)
#define X86_CR4_OSFXSR	   PV_BIT(9)
#define X86_CR4_OSXMMEXCPT PV_BIT(10)
#define X86_CR4_VMXE	   PV_BIT(13)

#define X86_RFLAGS_IF PV_BIT(9)

struct x86_cpuid {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct x86_cpuid x86_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct x86_cpuid r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

/* Highest basic (0x0000_00xx) or extended (0x8000_00xx) leaf the CPU implements. */
static inline uint32_t x86_cpuid_max(uint32_t base)
{
	return x86_cpuid(base, 0).eax;
}

static inline uint64_t x86_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void x86_wrmsr(uint32_t msr, uint64_t value)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
			 : "memory");
}

static inline uint64_t x86_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#define X86_DEFINE_CR(n)                                                                           \
	static inline uint64_t x86_read_cr##n(void)                                                \
	{                                                                                          \
		uint64_t v;                                                                        \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                                  \
		return v;                                                                          \
	}                                                                                          \
	static inline void x86_write_cr##n(uint64_t v)                                             \
	{                                                                                          \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");                         \
	}
X86_DEFINE_CR(0)
X86_DEFINE_CR(2)
X86_DEFINE_CR(3)
X86_DEFINE_CR(4)
#undef X86_DEFINE_CR

/* Debug registers: the hypervisor sets no breakpoint; these move guests' values (vmx_lazy.h). */
#define X86_DEFINE_DR(n)                                                                           \
	static inline uint64_t x86_read_dr##n(void)                                                \
	{                                                                                          \
		uint64_t v;                                                                        \
		__asm__ volatile("mov %%dr" #n ", %0" : "=r"(v));                                  \
		return v;                                                                          \
	}                                                                                          \
	static inline void x86_write_dr##n(uint64_t v)                                             \
	{                                                                                          \
		__asm__ volatile("mov %0, %%dr" #n : : "r"(v) : "memory");                         \
	}
X86_DEFINE_DR(0)
X86_DEFINE_DR(1)
X86_DEFINE_DR(2)
X86_DEFINE_DR(3)
X86_DEFINE_DR(6)
#undef X86_DEFINE_DR

static inline uint64_t x86_read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

/* Masks interrupts and returns the previous RFLAGS for x86_irq_restore(). */
static inline uint64_t x86_irq_save(void)
{
	uint64_t flags = x86_read_rflags();

	__asm__ volatile("cli" : : : "memory");
	return flags;
}

static inline void x86_irq_restore(uint64_t flags)
{
	if (flags & X86_RFLAGS_IF)
		__asm__ volatile("sti" : : : "memory");
}

static inline void x86_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void x86_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void x86_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint8_t x86_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

/* Stops this CPU for good: with interrupts masked only NMI or SMI could wake HLT, hence the loop. */
static inline PV_NORETURN void x86_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" : : : "memory");
}

/* Resets the CPU by a triple fault (idt.c): the last resort of a board's reset. */
PV_NORETURN void x86_triple_fault(void);

#endif
