// SPDX-License-Identifier: MIT
/*
 * The legacy 8259 interrupt controllers. Firmware leaves them routing the PIT and other ISA lines
 * to vectors 0x08-0x0f, which collide with CPU exceptions (IRQ 0 would look like a double fault).
 * The hypervisor uses the local APIC instead, so the PICs are re-based to 0x20-0x2f and masked.
 */
#include <x86/cpu.h>

#include "x86_arch.h"

#define PIC1_CMD  0x20u
#define PIC1_DATA 0x21u
#define PIC2_CMD  0xa0u
#define PIC2_DATA 0xa1u

#define ICW1_INIT      0x10u
#define ICW1_NEED_ICW4 0x01u
#define ICW4_8086      0x01u

/* Port 0x80 is unused POST-code space: a write to it gives the slow PICs time between commands. */
static void pic_delay(void)
{
	x86_outb(0x80, 0);
}

static void pic_write(uint16_t port, uint8_t value)
{
	x86_outb(port, value);
	pic_delay();
}

void x86_pic_disable(void)
{
	pic_write(PIC1_CMD, ICW1_INIT | ICW1_NEED_ICW4);
	pic_write(PIC2_CMD, ICW1_INIT | ICW1_NEED_ICW4);
	pic_write(PIC1_DATA, X86_VEC_PIC_BASE); /* ICW2: vector base */
	pic_write(PIC2_DATA, X86_VEC_PIC_BASE + 8);
	pic_write(PIC1_DATA, 1u << 2); /* ICW3: the slave hangs off IRQ 2 */
	pic_write(PIC2_DATA, 2);       /* ICW3: the slave's cascade identity */
	pic_write(PIC1_DATA, ICW4_8086);
	pic_write(PIC2_DATA, ICW4_8086);
	pic_write(PIC1_DATA, 0xff); /* mask every line */
	pic_write(PIC2_DATA, 0xff);
}
