// SPDX-License-Identifier: MIT
/* The emulated I/O APIC delivering to the emulated local APICs on the fake backend: its registers,
 * redirection entries and their reserved bits, masks, edge and level triggers (Remote-IRR, the
 * EOI broadcast and the EOI register), polarity, physical and logical destinations (x2APIC and
 * xAPIC modes), lowest priority, illegal vectors and modes, bad accesses; the IA32_APIC_BASE mode
 * changes and the xAPIC page. */
#include <stdlib.h>
#include <string.h>

#include "fake/fake_backend.h"
#include "pv_test.h"
#include "vlapic.h"
#include "x86_boot.h"

static struct vm vm;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	memset(&vm, 0, sizeof(vm));
	strcpy(vm.name, "t");
	vm.log_tokens = 8;
	vm.nvcpus = 2;
	for (unsigned i = 0; i < 2; i++) {
		vm.vcpus[i] = (struct vcpu){ .vm = &vm, .id = i, .pcpu = i, .guest_cpu_id = i };
		vm.vcpus[i].arch = calloc(1, sizeof(struct vmx_vcpu));
	}
	assert_int_equal(vlapic_ops.vm_init(&vm), PV_OK);
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(vlapic_ops.vcpu_init(&vm.vcpus[i]), PV_OK);
	fake_hw.current_cpu = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vlapic_ops.vm_destroy(&vm);
	for (unsigned i = 0; i < 2; i++)
		free(vm.vcpus[i].arch);
	return 0;
}

static int dev_write(enum vdev_space space, unsigned cpu, uint64_t addr, unsigned width,
		     uint64_t value)
{
	struct vdev *d = vdev_find(&vm, space, addr, 1);

	assert_non_null(d);
	return d->ops->write(d, &vm.vcpus[cpu], addr - d->base, width, value);
}

static int dev_read(enum vdev_space space, unsigned cpu, uint64_t addr, unsigned width,
		    uint64_t *value)
{
	struct vdev *d = vdev_find(&vm, space, addr, 1);

	assert_non_null(d);
	*value = 0xdeadbeef;
	return d->ops->read(d, &vm.vcpus[cpu], addr - d->base, width, value);
}

static void msr_write(unsigned cpu, uint32_t msr, uint64_t value)
{
	assert_int_equal(dev_write(VDEV_SPACE_SYSREG, cpu, msr, 8, value), PV_OK);
}

static uint64_t msr_read(unsigned cpu, uint32_t msr)
{
	uint64_t v;

	assert_int_equal(dev_read(VDEV_SPACE_SYSREG, cpu, msr, 8, &v), PV_OK);
	return v;
}

static void io_write(uint32_t reg, uint32_t value)
{
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE, 4, reg), PV_OK);
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + 0x10, 4, value), PV_OK);
}

static uint32_t io_read(uint32_t reg)
{
	uint64_t v;

	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE, 4, reg), PV_OK);
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + 0x10, 4, &v), PV_OK);
	return (uint32_t)v;
}

static void rte(unsigned pin, uint64_t value)
{
	io_write(0x11 + 2 * pin, (uint32_t)(value >> 32));
	io_write(0x10 + 2 * pin, (uint32_t)value);
}

static uint64_t rte_read(unsigned pin)
{
	return (uint64_t)io_read(0x11 + 2 * pin) << 32 | io_read(0x10 + 2 * pin);
}

static void enable_all(void)
{
	msr_write(0, 0x80f, 0x1ff);
	msr_write(1, 0x80f, 0x1ff);
}

/* Takes the vector vCPU @cpu would get now (-1 if none) as the injection path does. */
static int take(unsigned cpu)
{
	int v = vlapic_next_vector(&vm.vcpus[cpu]);

	if (v >= 0)
		vlapic_accept(&vm.vcpus[cpu], (unsigned)v);
	return v;
}

/* EOI through the MSR in x2APIC mode, through the page in xAPIC mode. */
static void eoi(unsigned cpu)
{
	if (atomic_load(&vmx_of(&vm.vcpus[cpu])->lapic.mode) == VLAPIC_MODE_XAPIC)
		assert_int_equal(dev_write(VDEV_SPACE_MMIO, cpu, 0xfee000b0, 4, 0), PV_OK);
	else
		msr_write(cpu, 0x80b, 0);
}

#define DEST(id)  ((uint64_t)(id) << 56)
#define LEVEL	  (1u << 15)
#define LOW	  (1u << 13)
#define MASKED	  (1u << 16)
#define LOGICAL	  (1u << 11)
#define LOWEST	  (1u << 8)
#define REMOTE_IR (1u << 14)

static void test_registers(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(io_read(1), 0x00170020); /* 24 entries, version 0x20 */
	io_write(0, 0x0f000000);
	assert_int_equal(io_read(0), 0x0f000000);
	assert_int_equal(io_read(2), 0x0f000000);
	io_write(0, 0xffffffff); /* reserved bits are dropped */
	assert_int_equal(io_read(0), 0x0f000000);
	io_write(1, 0); /* read-only */
	assert_int_equal(io_read(1), 0x00170020);
	/* every entry starts masked */
	for (unsigned pin = 0; pin < 24; pin++)
		assert_int_equal(rte_read(pin), MASKED);
	/* reserved and read-only bits of an entry stay as the model has them */
	rte(3, ~0ULL);
	assert_int_equal(rte_read(3), DEST(0xff) | 0x1afff);
	assert_int_equal(rte_read(3) & (REMOTE_IR | (1u << 12)), 0);
	/* registers past the last entry, and unknown ones: read as zero, writes ignored */
	io_write(0x40, 0x1234);
	assert_int_equal(io_read(0x40), 0);
	io_write(0xff, 0x1234);
	assert_int_equal(io_read(0xff), 0);
	/* IOREGSEL keeps 8 bits */
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE, 4, 0x1234501), PV_OK);
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE, 4, &v), PV_OK);
	assert_int_equal(v, 0x01);
	/* other widths and offsets are refused; the rest of the window reads as zero */
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE, 1, 1), -PV_EFAULT);
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + 0x10, 8, &v), -PV_EFAULT);
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + 0x12, 4, &v), -PV_EFAULT);
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + 0x40, 4, &v), PV_OK);
	assert_int_equal(v, 0);
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + 0xff0, 4, 1), PV_OK);
	/* lines the I/O APIC does not have */
	assert_int_equal(vlapic_ops.set_line(&vm, NULL, 24, true), -PV_EINVAL);
	assert_int_equal(vlapic_ops.set_line(&vm, NULL, 0xffffffffu, true), -PV_EINVAL);
}

static void test_edge(void **state)
{
	(void)state;
	enable_all();
	rte(4, DEST(1) | 0x34);
	assert_int_equal(vlapic_ops.set_line(&vm, NULL, 4, true), PV_OK);
	assert_int_equal(fake_hw.ipis[1], 1); /* vCPU 1 runs on CPU 1: kicked */
	assert_int_equal(take(1), 0x34);
	assert_int_equal(take(0), -1);
	/* a line that stays high sends nothing more; the next rising edge does */
	assert_int_equal(vlapic_ops.set_line(&vm, NULL, 4, true), PV_OK);
	eoi(1);
	assert_int_equal(take(1), -1);
	vlapic_ops.set_line(&vm, NULL, 4, false);
	vlapic_ops.set_line(&vm, NULL, 4, true);
	assert_int_equal(take(1), 0x34);
	eoi(1);
	assert_int_equal(rte_read(4) & REMOTE_IR, 0); /* no Remote-IRR for edge */
	/* an edge while masked waits for the unmask */
	vlapic_ops.set_line(&vm, NULL, 4, false);
	rte(4, DEST(1) | MASKED | 0x34);
	vlapic_ops.set_line(&vm, NULL, 4, true);
	assert_int_equal(take(1), -1);
	rte(4, DEST(1) | 0x34);
	assert_int_equal(take(1), 0x34);
	eoi(1);
	/* ... once only */
	rte(4, DEST(1) | MASKED | 0x34);
	rte(4, DEST(1) | 0x34);
	assert_int_equal(take(1), -1);
	/* active low: the falling edge is the one that counts */
	rte(5, DEST(0) | LOW | 0x35);
	vlapic_ops.set_line(&vm, NULL, 5, true);
	assert_int_equal(take(0), -1);
	vlapic_ops.set_line(&vm, NULL, 5, false);
	assert_int_equal(take(0), 0x35);
	/* the TMR does not mark an edge-triggered vector */
	assert_int_equal(msr_read(0, 0x819) & (1u << (0x35 - 32)), 0);
}

static void test_level(void **state)
{
	(void)state;
	enable_all();
	rte(9, DEST(0) | LEVEL | 0x50);
	vlapic_ops.set_line(&vm, NULL, 9, true);
	assert_int_equal(fake_hw.ipis[0], 0); /* vCPU 0 is on this CPU: no kick */
	assert_true(rte_read(9) & REMOTE_IR);
	assert_true(msr_read(0, 0x81a) & (1u << (0x50 - 64))); /* TMR */
	assert_int_equal(take(0), 0x50);
	/* held off by Remote-IRR until the EOI, then sent again while the line stays high */
	rte(9, DEST(0) | LEVEL | 0x50);
	assert_int_equal(take(0), -1);
	eoi(0);
	assert_true(rte_read(9) & REMOTE_IR);
	assert_int_equal(take(0), 0x50);
	/* the line drops before the EOI: nothing more */
	vlapic_ops.set_line(&vm, NULL, 9, false);
	eoi(0);
	assert_int_equal(rte_read(9) & REMOTE_IR, 0);
	assert_int_equal(take(0), -1);
	/* the EOI register clears Remote-IRR too (a vector that matches) */
	vlapic_ops.set_line(&vm, NULL, 9, true);
	assert_int_equal(take(0), 0x50);
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + 0x40, 4, 0x51), PV_OK);
	assert_true(rte_read(9) & REMOTE_IR);
	vlapic_ops.set_line(&vm, NULL, 9, false);
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + 0x40, 4, 0x50), PV_OK);
	assert_int_equal(rte_read(9) & REMOTE_IR, 0);
	/* the guest cannot write Remote-IRR; switching to edge clears it */
	vlapic_ops.set_line(&vm, NULL, 9, true);
	assert_true(rte_read(9) & REMOTE_IR);
	rte(9, DEST(0) | MASKED | 0x50);
	assert_int_equal(rte_read(9) & REMOTE_IR, 0);
	/* a masked level pin sends when unmasked if its line is still high */
	vlapic_ops.set_line(&vm, NULL, 9, false);
	eoi(0);
	while (take(0) >= 0)
		eoi(0);
	rte(9, DEST(0) | LEVEL | MASKED | 0x50);
	vlapic_ops.set_line(&vm, NULL, 9, true);
	assert_int_equal(take(0), -1);
	rte(9, DEST(0) | LEVEL | 0x50);
	assert_int_equal(take(0), 0x50);
	/* active-low level: asserted while the line is low */
	rte(10, DEST(1) | LEVEL | LOW | 0x60);
	assert_int_equal(take(1), 0x60);
}

static void test_bad_entries(void **state)
{
	(void)state;
	enable_all();
	/* illegal vectors and delivery modes other than fixed and lowest priority send nothing */
	rte(2, DEST(0) | 0x05);
	vlapic_ops.set_line(&vm, NULL, 2, true);
	rte(3, DEST(0) | (4u << 8) | 0x40); /* NMI */
	vlapic_ops.set_line(&vm, NULL, 3, true);
	rte(6, DEST(0) | (7u << 8) | 0x41); /* ExtINT */
	vlapic_ops.set_line(&vm, NULL, 6, true);
	/* a level pin aimed at nobody: no Remote-IRR that no EOI would ever clear */
	rte(7, DEST(9) | LEVEL | 0x42);
	vlapic_ops.set_line(&vm, NULL, 7, true);
	assert_int_equal(rte_read(7) & REMOTE_IR, 0);
	assert_int_equal(take(0), -1);
	assert_int_equal(take(1), -1);
	assert_true(fake_log_contains("ioapic"));
}

/* x2APIC -> disabled -> xAPIC, as Linux does without interrupt remapping. */
static void to_xapic(unsigned cpu)
{
	msr_write(cpu, 0x1b, 0xfee00000);
	msr_write(cpu, 0x1b, 0xfee00800);
}

static void test_apic_base(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(msr_read(0, 0x1b), 0xfee00d00); /* x2APIC, enabled, BSP */
	assert_int_equal(msr_read(1, 0x1b), 0xfee00c00);
	msr_write(0, 0x1b, 0xfee00d00); /* the same mode: nothing changes */
	/* refused: x2APIC -> xAPIC directly, another page, reserved bits, EXTD without EN */
	assert_int_equal(dev_write(VDEV_SPACE_SYSREG, 1, 0x1b, 8, 0xfee00800), -PV_EFAULT);
	assert_int_equal(dev_write(VDEV_SPACE_SYSREG, 1, 0x1b, 8, 0xfed00c00), -PV_EFAULT);
	assert_int_equal(dev_write(VDEV_SPACE_SYSREG, 1, 0x1b, 8, 0xfee00c01), -PV_EFAULT);
	assert_int_equal(dev_write(VDEV_SPACE_SYSREG, 1, 0x1b, 8, 0xfee00400), -PV_EFAULT);
	/* the xAPIC page is not there in x2APIC mode */
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 1, 0xfee00020, 4, &v), -PV_EFAULT);
	/* disabled: nothing is delivered, and it cannot go straight back to x2APIC */
	msr_write(1, 0x80f, 0x1ff);
	msr_write(1, 0x1b, 0xfee00000);
	assert_int_equal(msr_read(1, 0x1b), 0xfee00000);
	assert_int_equal(dev_write(VDEV_SPACE_SYSREG, 1, 0x1b, 8, 0xfee00c00), -PV_EFAULT);
	assert_int_equal(vlapic_ops.send_ipi(&vm.vcpus[0], &vm.vcpus[1], 0x70), PV_OK);
	assert_int_equal(take(1), -1);
	msr_write(1, 0x1b, 0xfee00800);
	assert_int_equal(msr_read(1, 0x1b), 0xfee00800);
	/* xAPIC mode: the MSRs are gone (the TSC deadline stays), the page answers */
	assert_int_equal(dev_read(VDEV_SPACE_SYSREG, 1, 0x802, 8, &v), -PV_EFAULT);
	assert_int_equal(dev_read(VDEV_SPACE_SYSREG, 1, 0x6e0, 8, &v), PV_OK);
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 1, 0xfee00020, 4, &v), PV_OK);
	assert_int_equal(v, 1u << 24);
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 1, 0xfee00030, 4, &v), PV_OK);
	assert_int_equal(v & 0xff, 0x14);
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 1, 0xfee00022, 4, &v), -PV_EFAULT);
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 1, 0xfee00020, 2, &v), -PV_EFAULT);
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 1, 0xfee003f0, 4, 0x40), -PV_EFAULT);
	/* and back to x2APIC */
	msr_write(1, 0x1b, 0xfee00c00);
	assert_int_equal(msr_read(1, 0x802), 1);
}

static void test_xapic_destinations(void **state)
{
	uint64_t v;
	struct vcpu_exit e = { .kind = VCPU_EXIT_MMIO };

	(void)state;
	to_xapic(0);
	to_xapic(1);
	for (unsigned cpu = 0; cpu < 2; cpu++) {
		/* as Linux's flat mode: DFR flat, LDR one bit per CPU, enabled */
		assert_int_equal(dev_write(VDEV_SPACE_MMIO, cpu, 0xfee000e0, 4, 0xffffffff), PV_OK);
		assert_int_equal(dev_write(VDEV_SPACE_MMIO, cpu, 0xfee000d0, 4, (1u << cpu) << 24),
				 PV_OK);
		assert_int_equal(dev_write(VDEV_SPACE_MMIO, cpu, 0xfee000f0, 4, 0x1ff), PV_OK);
	}
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 1, 0xfee000d0, 4, &v), PV_OK);
	assert_int_equal(v, 0x02000000);
	/* logical destination 0x02: vCPU 1 */
	rte(4, DEST(0x02) | LOGICAL | 0x34);
	vlapic_ops.set_line(&vm, NULL, 4, true);
	assert_int_equal(take(1), 0x34);
	assert_int_equal(take(0), -1);
	eoi(1);
	/* lowest priority to both: exactly one takes it */
	rte(5, DEST(0x03) | LOGICAL | LOWEST | 0x35);
	vlapic_ops.set_line(&vm, NULL, 5, true);
	assert_int_equal((take(0) == 0x35) + (take(1) == 0x35), 1);
	eoi(0);
	eoi(1);
	/* fixed to both: both take it */
	rte(6, DEST(0x03) | LOGICAL | 0x36);
	vlapic_ops.set_line(&vm, NULL, 6, true);
	assert_int_equal(take(0), 0x36);
	assert_int_equal(take(1), 0x36);
	eoi(0);
	eoi(1);
	/* cluster model: vCPU 1 becomes cluster 1, member bit 1 (LDR 0x12) */
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 1, 0xfee000e0, 4, 0x0fffffff), PV_OK);
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 1, 0xfee000d0, 4, 0x12000000), PV_OK);
	rte(7, DEST(0x12) | LOGICAL | 0x37);
	vlapic_ops.set_line(&vm, NULL, 7, true);
	assert_int_equal(take(1), 0x37);
	eoi(1);
	/* physical destination 0xff: every vCPU in xAPIC mode */
	rte(8, DEST(0xff) | 0x38);
	vlapic_ops.set_line(&vm, NULL, 8, true);
	assert_int_equal(take(0), 0x38);
	assert_int_equal(take(1), 0x38);
	eoi(0);
	eoi(1);
	/* an IPI through the page's ICR: destination in the high register, sent by the low one */
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 0, 0xfee00310, 4, 1u << 24), PV_OK);
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 0, 0xfee00300, 4, 0x4041), PV_OK);
	assert_int_equal(take(1), 0x41);
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 0, 0xfee00300, 4, &v), PV_OK);
	assert_int_equal(v, 0x4041);
	assert_int_equal(dev_read(VDEV_SPACE_MMIO, 0, 0xfee00310, 4, &v), PV_OK);
	assert_int_equal(v, 1u << 24);
	/* INIT then Start-Up through the page: the Start-Up IPI becomes a CPU_UP exit */
	vm.vcpus[1].state = VCPU_CREATED;
	assert_int_equal(dev_write(VDEV_SPACE_MMIO, 0, 0xfee00300, 4, 0x4500), PV_OK);
	assert_false(vlapic_xapic_sipi_exit(&vm.vcpus[0], 0xfee00310, 0x608, &e));
	assert_true(vlapic_xapic_sipi_exit(&vm.vcpus[0], 0xfee00300, 0x608, &e));
	assert_int_equal(e.kind, VCPU_EXIT_CPU_UP);
	assert_int_equal(e.cpu_up.target, 1);
	assert_int_equal(e.cpu_up.entry, 0x8000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apic_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xapic_destinations, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
