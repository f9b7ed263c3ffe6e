/* SPDX-License-Identifier: MIT */
/* Interfaces between the pieces of the x86_64 backend; nothing outside arch/x86_64 uses them. */
#ifndef X86_ARCH_H
#define X86_ARCH_H

#include <hal/boot.h>
#include <pv/types.h>

/* Interrupt vectors the hypervisor uses. The legacy 8259 PICs are moved to 0x20-0x2f and masked,
 * so local-APIC vectors start above them. */
#define X86_VEC_PIC_BASE 0x20u
#define X86_VEC_TIMER	 0xecu
#define X86_VEC_IPI	 0xedu
#define X86_VEC_SPURIOUS 0xffu

/* Bits of x86_irq_take()'s mask. */
#define X86_IRQ_TIMER PV_BIT(0)
#define X86_IRQ_IPI   PV_BIT(1)

/* Register file saved by the interrupt stubs (vectors.S), lowest address first. */
struct x86_trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* a * b / c with a 128-bit intermediate product (no libgcc in the image); saturates at
 * UINT64_MAX when the quotient does not fit. @c must not be 0. */
static inline uint64_t x86_muldiv64(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t lo, hi, q, r;

	__asm__("mulq %3" : "=a"(lo), "=d"(hi) : "a"(a), "rm"(b));
	if (hi >= c)
		return UINT64_MAX;
	__asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(c));
	(void)r;
	return q;
}

/* boot.S: the GDT (TSS descriptors filled by x86_trap_init_cpu) and the stubs. */
#define X86_SEL_CODE	 0x08u
#define X86_SEL_DATA	 0x10u
#define X86_SEL_TSS(cpu) (0x18u + 16u * (cpu))
extern uint64_t x86_gdt[];
extern const char x86_trap_stubs[]; /* 256 entry points, 16 bytes apart */
#define X86_TRAP_STUB_SIZE 16u

/* Called by boot.S in 64-bit mode with the registers the boot loader handed over. */
PV_NORETURN void x86_boot_main(uint32_t magic, uint32_t mbi);

/* cpu.c: physical CPU numbering (index <-> initial APIC id). */
int x86_cpu_register(uint32_t apic_id, unsigned *index);
uint32_t x86_initial_apic_id(void);
int x86_cpu_register_at(unsigned index, uint32_t apic_id);
void x86_fpu_init_cpu(void);

/* smp.c: hal_cpu.cpu_start. */
int x86_cpu_start(unsigned cpu);

/* paging.c: the hypervisor's identity map (2 MiB pages, built first by boot.S). */
uint64_t x86_idmap_limit(void);
int x86_idmap_extend(uint64_t end);
int x86_idmap_set_uncached(uint64_t addr);

/* idt.c: exception and interrupt entry. */
void x86_trap_init_cpu(unsigned cpu);
void x86_trap(struct x86_trap_frame *frame);

/* pic.c: the legacy 8259 pair, moved off the exception vectors and masked. */
void x86_pic_disable(void);

/* tsc.c: time-stamp counter frequency, found once on the boot CPU. */
void x86_tsc_init(void);
uint64_t x86_tsc_freq(void);

/* lapic.c: the local APIC of the calling CPU. */
int x86_lapic_init_cpu(void);
void x86_lapic_timer_arm(uint64_t deadline);
void x86_lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void x86_lapic_eoi(void);
void x86_lapic_send_init(uint32_t apic_id);
void x86_lapic_send_sipi(uint32_t apic_id, uint8_t page);
bool x86_lapic_tsc_deadline(void);
/* Records a hypervisor interrupt for the calling CPU / takes (and clears) the recorded ones. */
void x86_irq_record(unsigned cpu, uint64_t bits);
uint64_t x86_irq_take(unsigned cpu, uint64_t mask);

#ifdef CONFIG_X86_SELFTEST
void x86_selftest(const struct boot_info *bi);
#endif

#endif
