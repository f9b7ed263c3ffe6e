// SPDX-License-Identifier: MIT
/*
 * Exception and interrupt entry: the IDT shared by all CPUs, a TSS per CPU whose interrupt stack
 * table gives #DF, NMI and #MC a known-good stack (a fault on a broken stack would otherwise end
 * in a silent triple fault), and the C side of the stubs in vectors.S.
 */
#include <hal/hal.h>
#include <hal/hv_timer.h>
#include <x86/cpu.h>

#include "x86_arch.h"

#define IDT_ENTRIES    256
#define IDT_GATE_INTR  0x8eu /* present, DPL 0, 64-bit interrupt gate: IF cleared on entry */
#define IST_STACK_SIZE 4096u

enum {
	IST_DF = 1,
	IST_NMI = 2,
	IST_MC = 3,
	IST_COUNT = 3
};

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} PV_PACKED;

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} PV_PACKED;

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} PV_PACKED;

static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));
static struct tss64 tss[CONFIG_MAX_CPUS] __attribute__((aligned(16)));
static uint8_t ist_stacks[CONFIG_MAX_CPUS][IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
static bool idt_ready;

static const char *const exception_names[32] = {
	[0] = "#DE divide error",
	[1] = "#DB debug",
	[2] = "NMI",
	[3] = "#BP breakpoint",
	[4] = "#OF overflow",
	[5] = "#BR bound range",
	[6] = "#UD invalid opcode",
	[7] = "#NM device not available",
	[8] = "#DF double fault",
	[10] = "#TS invalid TSS",
	[11] = "#NP segment not present",
	[12] = "#SS stack fault",
	[13] = "#GP general protection",
	[14] = "#PF page fault",
	[16] = "#MF x87 error",
	[17] = "#AC alignment check",
	[18] = "#MC machine check",
	[19] = "#XM SIMD error",
	[20] = "#VE virtualization exception",
	[21] = "#CP control protection",
	[28] = "#HV hypervisor injection",
	[29] = "#VC VMM communication",
	[30] = "#SX security",
};

static void idt_set(unsigned vector, unsigned ist)
{
	uint64_t addr = (uint64_t)(uintptr_t)x86_trap_stubs + (uint64_t)vector * X86_TRAP_STUB_SIZE;

	idt[vector] = (struct idt_gate){
		.offset_lo = (uint16_t)addr,
		.selector = X86_SEL_CODE,
		.ist = (uint8_t)ist,
		.type = IDT_GATE_INTR,
		.offset_mid = (uint16_t)(addr >> 16),
		.offset_hi = (uint32_t)(addr >> 32),
	};
}

static void idt_build(void)
{
	for (unsigned v = 0; v < IDT_ENTRIES; v++)
		idt_set(v, 0);
	idt_set(2, IST_NMI);
	idt_set(8, IST_DF);
	idt_set(18, IST_MC);
	idt_ready = true;
}

/* Writes CPU @cpu's 16-byte available-TSS descriptor into the GDT. */
static void gdt_set_tss(unsigned cpu)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss[cpu];
	uint64_t limit = sizeof(struct tss64) - 1;
	unsigned slot = X86_SEL_TSS(cpu) / 8;

	x86_gdt[slot] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
			(((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	x86_gdt[slot + 1] = base >> 32;
}

void x86_trap_init_cpu(unsigned cpu)
{
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	if (!idt_ready)
		idt_build();
	for (unsigned i = 0; i < IST_COUNT; i++)
		tss[cpu].ist[i] = (uint64_t)(uintptr_t)(ist_stacks[cpu][i] + IST_STACK_SIZE);
	/* No I/O permission bitmap: the hypervisor runs at CPL 0 and never needs one. */
	tss[cpu].iomap_base = sizeof(struct tss64);
	gdt_set_tss(cpu);
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)X86_SEL_TSS(cpu)) : "memory");
}

static void dump_frame(const struct x86_trap_frame *f)
{
	hal_printf("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
		   (unsigned long long)f->rax, (unsigned long long)f->rbx,
		   (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	hal_printf("  rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n",
		   (unsigned long long)f->rsi, (unsigned long long)f->rdi,
		   (unsigned long long)f->rbp, (unsigned long long)f->rsp);
	hal_printf("  r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n", (unsigned long long)f->r8,
		   (unsigned long long)f->r9, (unsigned long long)f->r10,
		   (unsigned long long)f->r11);
	hal_printf("  r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n",
		   (unsigned long long)f->r12, (unsigned long long)f->r13,
		   (unsigned long long)f->r14, (unsigned long long)f->r15);
	hal_printf("  cs %llx ss %llx rflags %016llx cr0 %llx cr3 %llx cr4 %llx\n",
		   (unsigned long long)f->cs, (unsigned long long)f->ss,
		   (unsigned long long)f->rflags, (unsigned long long)x86_read_cr0(),
		   (unsigned long long)x86_read_cr3(), (unsigned long long)x86_read_cr4());
}

/* Interrupts arrive only while a CPU waits in hal_cpu.wait_for_interrupt (IRQs are masked
 * everywhere else), so the handler records what came and returns. */
static void handle_interrupt(unsigned vector)
{
	unsigned cpu = hal_cpu.cpu_id();

	switch (vector) {
	case X86_VEC_TIMER:
		x86_irq_record(cpu, X86_IRQ_TIMER);
		hv_timer_fired(); /* the next deadline of the CPU's timer users (hal/hv_timer.h) */
		x86_lapic_eoi();
		return;
	case X86_VEC_IPI:
		x86_irq_record(cpu, X86_IRQ_IPI);
		x86_lapic_eoi();
		return;
	case X86_VEC_SPURIOUS:
		/* The APIC does not set an in-service bit for its spurious vector: no EOI. */
		return;
	default:
		break;
	}
	if (vector >= X86_VEC_PIC_BASE && vector < X86_VEC_PIC_BASE + 16) {
		/* A masked 8259 still raises its spurious IRQ 7 / 15; it needs no EOI either. */
		return;
	}
	hal_printf("x86: cpu %u: unexpected interrupt vector 0x%x\n", cpu, vector);
	x86_lapic_eoi();
}

void x86_trap(struct x86_trap_frame *f)
{
	unsigned vector = (unsigned)f->vector;
	const char *name = vector < 32 ? exception_names[vector] : NULL;

	if (vector >= 32) {
		handle_interrupt(vector);
		return;
	}
	hal_printf("\nx86: exception %u (%s) on cpu %u: error 0x%llx rip 0x%016llx cr2 0x%016llx\n",
		   vector, name ? name : "reserved", hal_cpu.cpu_id(), (unsigned long long)f->error,
		   (unsigned long long)f->rip, (unsigned long long)x86_read_cr2());
	dump_frame(f);
	hal_panic("unhandled exception %u at rip 0x%llx", vector, (unsigned long long)f->rip);
}

void x86_triple_fault(void)
{
	struct desc_ptr empty = { 0, 0 };

	/* With a zero-length IDT, INT3 cannot be delivered, nor can the #GP and #DF that follow:
	 * the CPU shuts down, which a PC's chipset turns into a reset. */
	__asm__ volatile("cli; lidt %0; int3" : : "m"(empty) : "memory");
	x86_halt_forever();
}
