// SPDX-License-Identifier: MIT
/*
 * x86_64's emulated I/O APIC (arch/x86_64/vioapic.c) with the local APICs it delivers to
 * (vlapic*.c): a VM of one to four vCPUs takes guest accesses of any offset, width and value to
 * the I/O APIC's window (IOREGSEL, IOWIN, EOI) and to the xAPIC page, IA32_APIC_BASE writes, device
 * lines driven on any pin number, EOIs and interrupt acceptance as the entry path does it. Checked
 * against the register layout (82093AA, version 0x20): accesses other than aligned 32-bit ones
 * are refused and change nothing; the version register never changes; IOREGSEL keeps 8 bits; an
 * entry reads back what was written to its writable bits, with reserved bits and delivery status
 * zero and Remote-IRR only on a level-triggered entry; lines past pin 23 are refused; no vector
 * below 16 is ever requested of a vCPU; IA32_APIC_BASE only ever reads one of the three modes.
 */
#include "fuzz_vm.h"

#include <stdlib.h>
#include <string.h>

#include "vlapic.h"
#include "x86_boot.h"

#define MAXV 4

static struct vm vm;
static struct vmx_vcpu arch[MAXV];

struct model {
	uint32_t regsel;
	uint64_t rte[VIOAPIC_PINS]; /* the writable bits as written */
};

static int access(enum vdev_space space, unsigned v, uint64_t addr, unsigned width, bool write,
		  uint64_t *val)
{
	struct vdev *d = vdev_find(&vm, space, addr, 1);

	FZ_CHECK(d != NULL, "no device at 0x%llx", (unsigned long long)addr);
	return write ? d->ops->write(d, &vm.vcpus[v], addr - d->base, width, *val)
		     : d->ops->read(d, &vm.vcpus[v], addr - d->base, width, val);
}

static uint32_t ioapic_reg(unsigned reg)
{
	uint64_t v = reg;

	FZ_CHECK(access(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE, 4, true, &v) == PV_OK, "IOREGSEL");
	FZ_CHECK(access(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + 0x10, 4, false, &v) == PV_OK,
		 "IOWIN");
	return (uint32_t)v;
}

static void compare(struct model *m)
{
	const uint64_t ro = VIOAPIC_RTE_REMOTE_IRR;

	FZ_CHECK(ioapic_reg(1) == 0x00170020u, "version 0x%x", ioapic_reg(1));
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t e =
			(uint64_t)ioapic_reg(0x11 + 2 * pin) << 32 | ioapic_reg(0x10 + 2 * pin);

		FZ_CHECK((e & ~ro) == m->rte[pin], "pin %u reads 0x%llx, written 0x%llx", pin,
			 (unsigned long long)e, (unsigned long long)m->rte[pin]);
		FZ_CHECK(!(e & ro) || (e & VIOAPIC_RTE_LEVEL), "Remote-IRR on edge pin %u", pin);
	}
	/* Restore the guest's IOREGSEL, which the checks above moved. */
	{
		uint64_t v = m->regsel;
		FZ_CHECK(access(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE, 4, true, &v) == PV_OK, "sel");
	}
	for (unsigned i = 0; i < vm.nvcpus; i++) {
		const struct vlapic *l = &arch[i].lapic;
		uint64_t base = 0;

		FZ_CHECK(!(atomic_load(&l->irr[0]) & 0xffffu), "vCPU %u: vector below 16", i);
		FZ_CHECK(access(VDEV_SPACE_SYSREG, i, 0x1b, 8, false, &base) == PV_OK, "APIC_BASE");
		base &= ~0x100ULL;
		FZ_CHECK(base == 0xfee00c00u || base == 0xfee00800u || base == 0xfee00000u,
			 "vCPU %u: IA32_APIC_BASE 0x%llx", i, (unsigned long long)base);
	}
}

static void ioapic_step(struct model *m, struct fz *f)
{
	static const unsigned widths[] = { 1, 2, 4, 8 };
	static const uint64_t offs[] = { 0x00, 0x10, 0x40, 0x04, 0x12, 0x20, 0xffc };
	unsigned width = FZ_PICK(f, widths);
	uint64_t off = fz_bool(f) ? FZ_PICK(f, offs) : fz_below(f, 0x1000);
	bool write = fz_bool(f);
	uint64_t val = fz_bool(f) ? fz_u32(f) : fz_u64(f);
	int rc = access(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + off, width, write, &val);
	bool decoded = width == 4 && off % 4 == 0;

	FZ_CHECK((rc == PV_OK) == decoded, "ioapic %s at 0x%llx width %u: rc %d",
		 write ? "write" : "read", (unsigned long long)off, width, rc);
	if (!decoded || !write)
		return;
	if (off == 0x00) {
		m->regsel = (uint32_t)val & 0xffu;
	} else if (off == 0x10 && m->regsel >= 0x10 && m->regsel < 0x10 + 2 * VIOAPIC_PINS) {
		unsigned pin = (m->regsel - 0x10) / 2;
		uint64_t mask = m->regsel & 1 ? 0xffffffff00000000ULL : 0xffffffffULL;
		uint64_t v = m->regsel & 1 ? (val & 0xffffffffu) << 32 : val & 0xffffffffu;

		m->rte[pin] = ((m->rte[pin] & ~mask) | (v & mask)) & VIOAPIC_RTE_WRITABLE;
	}
}

static void step(struct model *m, struct fz *f)
{
	unsigned v = (unsigned)fz_below(f, vm.nvcpus);
	uint64_t val;
	int vec;

	switch (fz_below(f, 7)) {
	case 0:
		ioapic_step(m, f);
		break;
	case 1: { /* a register through IOREGSEL and IOWIN, as drivers do it */
		uint64_t sel = fz_bool(f) ? 0x10 + fz_below(f, 2 * VIOAPIC_PINS) : fz_u8(f);

		val = fz_u32(f);
		FZ_CHECK(access(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE, 4, true, &sel) == PV_OK,
			 "sel");
		m->regsel = (uint32_t)sel;
		if (fz_bool(f)) {
			FZ_CHECK(access(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + 0x10, 4, false,
					&val) == PV_OK,
				 "IOWIN read");
			break;
		}
		FZ_CHECK(access(VDEV_SPACE_MMIO, 0, X86_IOAPIC_BASE + 0x10, 4, true, &val) == PV_OK,
			 "IOWIN write");
		if (sel >= 0x10 && sel < 0x10 + 2 * VIOAPIC_PINS) {
			unsigned p = (unsigned)(sel - 0x10) / 2;
			uint64_t mask = sel & 1 ? 0xffffffff00000000ULL : 0xffffffffULL;
			uint64_t w = sel & 1 ? val << 32 : val;

			m->rte[p] = ((m->rte[p] & ~mask) | (w & mask)) & VIOAPIC_RTE_WRITABLE;
		}
		break;
	}
	case 2: { /* a device line */
		uint32_t pin = fz_bool(f) ? (uint32_t)fz_below(f, 32) : fz_u32(f);
		int rc = vlapic_ops.set_line(&vm, NULL, pin, fz_bool(f));

		FZ_CHECK((rc == PV_OK) == (pin < VIOAPIC_PINS), "set_line %u: %d", pin, rc);
		break;
	}
	case 3: /* the entry path takes the next vector */
		vec = vlapic_next_vector(&vm.vcpus[v]);
		FZ_CHECK(vec < 0 || vec >= 16, "vector %d", vec);
		if (vec >= 0)
			vlapic_accept(&vm.vcpus[v], (unsigned)vec);
		break;
	case 4: { /* EOI, through whichever interface answers, or the I/O APIC's register */
		val = fz_u8(f);
		if (fz_bool(f))
			(void)access(VDEV_SPACE_MMIO, v, X86_IOAPIC_BASE + 0x40, 4, true, &val);
		else if (access(VDEV_SPACE_SYSREG, v, 0x80b, 8, true, &val) != PV_OK)
			(void)access(VDEV_SPACE_MMIO, v, 0xfee000b0, 4, true, &val);
		break;
	}
	case 5: { /* IA32_APIC_BASE */
		static const uint64_t bases[] = { 0xfee00c00, 0xfee00800, 0xfee00000, 0xfee00400,
						  0xfee00d00, 0xfed00800, 0xfee00801 };
		val = fz_bool(f) ? FZ_PICK(f, bases) : fz_u64(f);
		(void)access(VDEV_SPACE_SYSREG, v, 0x1b, 8, true, &val);
		break;
	}
	default: { /* the xAPIC page */
		static const unsigned widths[] = { 1, 2, 4, 8 };
		unsigned width = FZ_PICK(f, widths);
		uint64_t off = fz_bool(f) ? fz_below(f, 0x40) * 16 : fz_below(f, 0x1000);
		bool write = fz_bool(f);

		val = fz_u32(f);
		(void)access(VDEV_SPACE_MMIO, v, 0xfee00000 + off, width, write, &val);
		break;
	}
	}
	compare(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	struct fz f = fz_init(data, size);

	fake_reset();
	memset(&vm, 0, sizeof(vm));
	memset(&m, 0, sizeof(m));
	memset(arch, 0, sizeof(arch));
	strcpy(vm.name, "fz");
	vm.nvcpus = 1 + (unsigned)fz_below(&f, MAXV);
	pv_spin_init(&vm.lock);
	for (unsigned i = 0; i < vm.nvcpus; i++) {
		vm.vcpus[i] = (struct vcpu){ .vm = &vm, .id = i, .pcpu = i, .guest_cpu_id = i };
		vm.vcpus[i].arch = &arch[i];
		vm.vcpus[i].state = i == 0 ? VCPU_RUNNING : VCPU_CREATED;
	}
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		m.rte[pin] = VIOAPIC_RTE_MASKED;
	FZ_CHECK(vlapic_ops.vm_init(&vm) == PV_OK, "vm_init");
	for (unsigned i = 0; i < vm.nvcpus; i++)
		FZ_CHECK(vlapic_ops.vcpu_init(&vm.vcpus[i]) == PV_OK, "vcpu_init");
	compare(&m);
	for (unsigned steps = 0; steps < 64 && fz_more(&f); steps++)
		step(&m, &f);
	vlapic_ops.vm_destroy(&vm);
	return 0;
}
