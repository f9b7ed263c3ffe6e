// SPDX-License-Identifier: MIT
/* The emulated x2APIC on the fake backend: register access through the SYSREG device, priority
 * of delivery, EOI, IPIs between vCPUs, the TSC-deadline timer, refused registers, the ICR's
 * delivery modes and the INIT / Start-Up state machine. */
#include <stdlib.h>
#include <string.h>

#include "fake/fake_backend.h"
#include "pv_test.h"
#include "vmx_vcpu.h"

static struct vm vm;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	memset(&vm, 0, sizeof(vm));
	vm.nvcpus = 2;
	for (unsigned i = 0; i < 2; i++) {
		vm.vcpus[i] = (struct vcpu){ .vm = &vm, .id = i, .pcpu = i, .guest_cpu_id = i };
		vm.vcpus[i].arch = calloc(1, sizeof(struct vmx_vcpu));
	}
	assert_int_equal(vlapic_ops.vm_init(&vm), PV_OK);
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(vlapic_ops.vcpu_init(&vm.vcpus[i]), PV_OK);
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

static int msr_write(unsigned cpu, uint32_t msr, uint64_t value)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_SYSREG, msr, 1);

	assert_non_null(d);
	return d->ops->write(d, &vm.vcpus[cpu], msr - d->base, 8, value);
}

static uint64_t msr_read(unsigned cpu, uint32_t msr)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_SYSREG, msr, 1);
	uint64_t v = 0;

	assert_non_null(d);
	assert_int_equal(d->ops->read(d, &vm.vcpus[cpu], msr - d->base, 8, &v), PV_OK);
	return v;
}

static void enable(unsigned cpu)
{
	assert_int_equal(msr_write(cpu, 0x80f, 0x1ff), PV_OK);
}

static void test_identity(void **state)
{
	(void)state;
	assert_int_equal(msr_read(1, 0x802), 1);
	assert_int_equal(msr_read(0, 0x803) & 0xff, 0x14);
	assert_int_equal(msr_read(1, 0x80d), 0x2); /* logical id: cluster 0, bit 1 */
	/* read-only and reserved registers raise #GP (a device error) */
	assert_int_equal(msr_write(0, 0x802, 5), -PV_EFAULT);
	assert_int_equal(msr_write(0, 0x8ff, 0), -PV_EFAULT);
	/* the count-down timer modes are not offered */
	assert_int_equal(msr_write(0, 0x838, 1000), -PV_EFAULT);
	/* ... but an initial count of 0, which stops it, is accepted (Linux's timer shutdown) */
	assert_int_equal(msr_write(0, 0x838, 0), PV_OK);
	/* IA32_APIC_BASE is the vLAPIC's too (its modes: test_vioapic.c) */
	assert_non_null(vdev_find(&vm, VDEV_SPACE_SYSREG, 0x1b, 1));
}

static void test_priority_and_eoi(void **state)
{
	struct vcpu *v = &vm.vcpus[0];

	(void)state;
	/* nothing is delivered while the APIC is software-disabled */
	assert_int_equal(msr_write(0, 0x83f, 0x41), PV_OK);
	assert_int_equal(vlapic_next_vector(v), -1);
	enable(0);
	assert_int_equal(msr_write(0, 0x83f, 0x52), PV_OK);
	assert_true(vlapic_ops.pending(v));
	assert_int_equal(vlapic_next_vector(v), 0x52);
	vlapic_accept(v, 0x52);
	assert_int_equal(msr_read(0, 0x812) >> 18 & 1, 1); /* ISR bit 0x52 */
	/* 0x41 is of a lower priority class than 0x52 in service */
	assert_int_equal(vlapic_next_vector(v), -1);
	assert_int_equal(msr_write(0, 0x80b, 0), PV_OK);
	assert_int_equal(vlapic_next_vector(v), 0x41);
	/* TPR masks its class and below */
	assert_int_equal(msr_write(0, 0x808, 0x40), PV_OK);
	assert_int_equal(vlapic_next_vector(v), -1);
	assert_int_equal(msr_write(0, 0x808, 0), PV_OK);
	assert_int_equal(vlapic_next_vector(v), 0x41);
	/* vectors below 16 are illegal */
	assert_int_equal(msr_write(0, 0x83f, 0x5), -PV_EFAULT);
}

static void test_ipi(void **state)
{
	(void)state;
	enable(1);
	fake_hw.current_cpu = 0;
	/* fixed, physical destination 1 */
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x41), PV_OK);
	assert_int_equal(vlapic_next_vector(&vm.vcpus[1]), 0x41);
	assert_int_equal(fake_hw.ipis[1], 1); /* the target's CPU was kicked */
	assert_int_equal(msr_read(0, 0x830), (1ULL << 32) | 0x41);
	/* an unknown destination is dropped; NMI is refused */
	assert_int_equal(msr_write(0, 0x830, (7ULL << 32) | 0x41), PV_OK);
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x400 | 0x41), -PV_EFAULT);
	/* logical: cluster 0, member bit 1 is vCPU 1 (its LDR); cluster 1 or bit 2 reach nobody */
	assert_int_equal(msr_write(0, 0x830, (2ULL << 32) | 0x800 | 0x42), PV_OK);
	assert_int_equal(vlapic_next_vector(&vm.vcpus[1]), 0x42);
	assert_int_equal(msr_write(0, 0x830, (0x10002ULL << 32) | 0x800 | 0x43), PV_OK);
	assert_int_equal(msr_write(0, 0x830, (4ULL << 32) | 0x800 | 0x43), PV_OK);
	assert_int_equal(vlapic_next_vector(&vm.vcpus[1]), 0x42);
	assert_int_equal(msr_write(0, 0x830, (2ULL << 32) | 0x800 | 0x400 | 0x41), -PV_EFAULT);
	assert_int_equal(msr_write(0, 0x830, (2ULL << 32) | 0x800 | 0x0f), -PV_EFAULT);
	/* all-excluding-self shorthand */
	enable(0);
	assert_int_equal(msr_write(1, 0x830, (3u << 18) | 0x60), PV_OK);
	assert_int_equal(vlapic_next_vector(&vm.vcpus[0]), 0x60);
	/* the core's injection path */
	assert_int_equal(vlapic_ops.send_ipi(&vm.vcpus[0], &vm.vcpus[1], 0x70), PV_OK);
	assert_int_equal(vlapic_next_vector(&vm.vcpus[1]), 0x70);
	assert_int_equal(vlapic_ops.send_ipi(&vm.vcpus[0], &vm.vcpus[1], 3), -PV_EINVAL);
	/* device lines are the I/O APIC's pins (test_vioapic.c) */
	assert_int_equal(vlapic_ops.set_line(&vm, NULL, 4, true), PV_OK);
	assert_int_equal(vlapic_ops.set_line(&vm, NULL, 24, true), -PV_EINVAL);
}

static void test_timer(void **state)
{
	struct vcpu *v = &vm.vcpus[0];

	(void)state;
	enable(0);
	/* deadline writes count only in TSC-deadline mode */
	assert_int_equal(msr_write(0, 0x6e0, 1), PV_OK);
	assert_int_equal(msr_read(0, 0x6e0), 0);
	assert_int_equal(msr_write(0, 0x832, (2u << 17) | 0x40), PV_OK);
	/* far in the future: armed, not pending */
	assert_int_equal(msr_write(0, 0x6e0, ~0ULL), PV_OK);
	vlapic_ops.flush(v);
	assert_false(vlapic_ops.pending(v));
	assert_int_equal(msr_read(0, 0x6e0), ~0ULL);
	/* in the past: fires once at the next flush, then the timer is disarmed */
	assert_int_equal(msr_write(0, 0x6e0, 1), PV_OK);
	assert_true(vlapic_ops.pending(v));
	vlapic_ops.flush(v);
	assert_int_equal(vlapic_next_vector(v), 0x40);
	assert_int_equal(msr_read(0, 0x6e0), 0);
	/* masked LVT: the deadline passes silently */
	vlapic_accept(v, 0x40);
	assert_int_equal(msr_write(0, 0x80b, 0), PV_OK);
	assert_int_equal(msr_write(0, 0x832, (2u << 17) | 0x10000 | 0x40), PV_OK);
	assert_int_equal(msr_write(0, 0x6e0, 1), PV_OK);
	vlapic_ops.flush(v);
	assert_int_equal(vlapic_next_vector(v), -1);
	/* leaving TSC-deadline mode disarms */
	assert_int_equal(msr_write(0, 0x832, 0x40), PV_OK);
	assert_int_equal(msr_read(0, 0x6e0), 0);
}

/* ICR values: delivery mode in 10:8, logical 11, level assert 14, trigger 15, shorthand 19:18,
 * destination 63:32. */
#define ICR_INIT(dest)	  (((uint64_t)(dest) << 32) | 0x4500u)
#define ICR_SIPI(dest, v) (((uint64_t)(dest) << 32) | 0x600u | (v))
#define ICR_OTHERS	  (3u << 18)
#define ICR_SELF	  (1u << 18)
#define ICR_ALL		  (2u << 18)

static uint32_t sipi_state(unsigned cpu)
{
	return atomic_load(&vmx_of(&vm.vcpus[cpu])->lapic.sipi);
}

/* The guest's WRMSR to the ICR as the exit decoder handles it: a CPU_UP exit, or the device. */
static bool sipi_exit(unsigned from, uint64_t icr, struct vcpu_exit *e)
{
	*e = (struct vcpu_exit){ .kind = VCPU_EXIT_SYSREG };
	return vlapic_sipi_exit(&vm.vcpus[from], icr, e);
}

static void test_init_then_sipi(void **state)
{
	struct vcpu_exit e;

	(void)state;
	/* INIT (level assert) to vCPU 1, which never ran: it waits for a SIPI, with its
	 * registers reset (a pending vector and the enable bit are gone) */
	enable(1);
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x41), PV_OK);
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(1)), PV_OK);
	assert_int_equal(sipi_state(1), VLAPIC_SIPI_WAIT);
	assert_int_equal(msr_read(1, 0x80f), 0xff);
	assert_int_equal(msr_read(1, 0x832), 0x10000);
	assert_int_equal(vlapic_next_vector(&vm.vcpus[1]), -1);
	assert_int_equal(vm.vcpus[1].state, VCPU_CREATED); /* it does not run */
	/* SIPI with vector 0x08: the core's CPU_UP exit, entry 0x8000, no argument */
	assert_true(sipi_exit(0, ICR_SIPI(1, 0x08), &e));
	assert_int_equal(e.kind, VCPU_EXIT_CPU_UP);
	assert_int_equal(e.cpu_up.target, 1);
	assert_int_equal(e.cpu_up.entry, 0x8000);
	assert_int_equal(e.cpu_up.arg, 0);
	assert_int_equal(sipi_state(1), VLAPIC_SIPI_START | 0x08);
	/* the core's vm_cpu_up calls set_entry, which asks: this start is that SIPI */
	assert_true(vlapic_sipi_take(&vm.vcpus[1], 0x8000));
	assert_int_equal(sipi_state(1), 0);
	vm.vcpus[1].state = VCPU_READY;
	/* the second SIPI finds nobody waiting: no exit, the ICR write is ignored */
	assert_false(sipi_exit(0, ICR_SIPI(1, 0x08), &e));
	assert_int_equal(e.kind, VCPU_EXIT_SYSREG);
	assert_int_equal(msr_write(0, 0x830, ICR_SIPI(1, 0x08)), PV_OK);
	assert_int_equal(msr_read(0, 0x830), ICR_SIPI(1, 0x08));
	assert_false(vlapic_sipi_take(&vm.vcpus[1], 0x8000));
	/* INIT to a vCPU that runs is ignored */
	vm.vcpus[1].state = VCPU_RUNNING;
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(1)), PV_OK);
	assert_int_equal(sipi_state(1), 0);
	assert_false(sipi_exit(0, ICR_SIPI(1, 0x08), &e));
	/* a stopped vCPU can be started again */
	vm.vcpus[1].state = VCPU_STOPPED;
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(1)), PV_OK);
	assert_true(sipi_exit(0, ICR_SIPI(1, 0x9f), &e));
	assert_int_equal(e.cpu_up.entry, 0x9f000);
}

static void test_sipi_without_init(void **state)
{
	struct vcpu_exit e;

	(void)state;
	assert_false(sipi_exit(0, ICR_SIPI(1, 0x08), &e));
	assert_int_equal(msr_write(0, 0x830, ICR_SIPI(1, 0x08)), PV_OK);
	assert_int_equal(sipi_state(1), 0);
	assert_int_equal(vlapic_next_vector(&vm.vcpus[1]), -1);
	/* a start that is not the SIPI (the CPU_ON hypercall) ends the wait in protected mode */
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(1)), PV_OK);
	assert_false(vlapic_sipi_take(&vm.vcpus[1], 0x10000000));
	assert_int_equal(sipi_state(1), 0);
	assert_false(sipi_exit(0, ICR_SIPI(1, 0x08), &e));
	/* the core refused the start (page not guest RAM): the SIPI is spent */
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(1)), PV_OK);
	assert_true(sipi_exit(0, ICR_SIPI(1, 0x20), &e));
	e.cpu_up.ret = -1;
	vlapic_sipi_done(&vm.vcpus[0], &e);
	assert_int_equal(sipi_state(1), 0);
	assert_false(sipi_exit(0, ICR_SIPI(1, 0x20), &e));
	/* an accepted start is left alone */
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(1)), PV_OK);
	assert_true(sipi_exit(0, ICR_SIPI(1, 0x20), &e));
	vlapic_sipi_done(&vm.vcpus[0], &e);
	assert_int_equal(sipi_state(1), VLAPIC_SIPI_START | 0x20);
	/* ... and an INIT while it is being started does not take it back */
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(1)), PV_OK);
	assert_int_equal(sipi_state(1), VLAPIC_SIPI_START | 0x20);
}

static void test_init_self_and_unknown(void **state)
{
	struct vcpu_exit e;

	(void)state;
	/* to itself by id, or by the self / all-including-self shorthands: ignored */
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(0)), PV_OK);
	assert_int_equal(msr_write(0, 0x830, ICR_SELF | 0x4500u), PV_OK);
	assert_int_equal(msr_write(0, 0x830, ICR_ALL | 0x4500u), PV_OK);
	assert_int_equal(sipi_state(0), 0);
	assert_int_equal(sipi_state(1), 0);
	assert_false(sipi_exit(0, ICR_SIPI(0, 0x08), &e));
	assert_false(sipi_exit(0, ICR_SELF | 0x608u, &e));
	/* an APIC id no vCPU has: ignored */
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(7)), PV_OK);
	assert_false(sipi_exit(0, ICR_SIPI(7, 0x08), &e));
	assert_int_equal(msr_write(0, 0x830, ICR_SIPI(7, 0x08)), PV_OK);
	/* all excluding self: every other vCPU, one CPU_UP exit each */
	assert_int_equal(msr_write(0, 0x830, ICR_OTHERS | 0x4500u), PV_OK);
	assert_int_equal(sipi_state(0), 0);
	assert_int_equal(sipi_state(1), VLAPIC_SIPI_WAIT);
	assert_true(sipi_exit(0, ICR_OTHERS | 0x608u, &e));
	assert_int_equal(e.cpu_up.target, 1);
	assert_true(vlapic_sipi_take(&vm.vcpus[1], 0x8000));
	assert_false(sipi_exit(0, ICR_OTHERS | 0x608u, &e));
}

static void test_icr_delivery_modes(void **state)
{
	struct vcpu_exit e;

	(void)state;
	enable(1);
	/* INIT level de-assert (level bit clear, level trigger): a no-op */
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x8500u), PV_OK);
	assert_int_equal(sipi_state(1), 0);
	/* lowest priority, SMI, NMI, reserved mode 7: #GP */
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x141u), -PV_EFAULT);
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x200u), -PV_EFAULT);
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x400u), -PV_EFAULT);
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x741u), -PV_EFAULT);
	/* logical destinations: #GP for INIT too, and no SIPI exit */
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(1) | 0x800u), -PV_EFAULT);
	assert_int_equal(sipi_state(1), 0);
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(1)), PV_OK);
	assert_false(sipi_exit(0, ICR_SIPI(1, 0x08) | 0x800u, &e));
	/* only Start-Up turns into an exit: fixed and INIT writes go to the device */
	assert_false(sipi_exit(0, (1ULL << 32) | 0x41u, &e));
	assert_false(sipi_exit(0, ICR_INIT(1), &e));
	assert_int_equal(e.kind, VCPU_EXIT_SYSREG);
	/* the vector of a Start-Up is a page number: vector 0 is valid (entry 0) */
	assert_true(sipi_exit(0, ICR_SIPI(1, 0x00), &e));
	assert_int_equal(e.cpu_up.entry, 0);
	/* a fixed IPI still needs a vector of 16 or more */
	assert_int_equal(msr_write(0, 0x830, (1ULL << 32) | 0x0fu), -PV_EFAULT);
}

/* SDM vol. 3, 10.8.3.1: PPR is the TPR when its class is at least the in-service class, else
 * the in-service class with a sub-class of 0. */
static void test_ppr(void **state)
{
	struct vcpu *v = &vm.vcpus[0];

	(void)state;
	enable(0);
	assert_int_equal(msr_write(0, 0x808, 0x23), PV_OK);
	assert_int_equal(msr_read(0, 0x80a), 0x23); /* nothing in service: the TPR */
	assert_int_equal(msr_write(0, 0x83f, 0x52), PV_OK);
	assert_int_equal(vlapic_next_vector(v), 0x52);
	vlapic_accept(v, 0x52);
	assert_int_equal(msr_read(0, 0x80a), 0x50); /* 0x52 in service: its class */
	assert_int_equal(msr_read(0, 0x808), 0x23); /* the TPR itself is unchanged */
	assert_int_equal(msr_write(0, 0x808, 0x65), PV_OK);
	assert_int_equal(msr_read(0, 0x80a), 0x65); /* a TPR of a higher class wins */
	assert_int_equal(msr_write(0, 0x808, 0x57), PV_OK);
	assert_int_equal(msr_read(0, 0x80a), 0x57); /* same class: the TPR, sub-class and all */
	assert_int_equal(msr_write(0, 0x808, 0), PV_OK);
	assert_int_equal(msr_write(0, 0x80b, 0), PV_OK); /* EOI */
	assert_int_equal(msr_read(0, 0x80a), 0);
	/* the same priority decides delivery: 0x5f is not above a PPR of 0x50 */
	assert_int_equal(msr_write(0, 0x83f, 0x52), PV_OK);
	vlapic_accept(v, 0x52);
	assert_int_equal(msr_write(0, 0x83f, 0x5f), PV_OK);
	assert_int_equal(vlapic_next_vector(v), -1);
	assert_int_equal(msr_write(0, 0x83f, 0x60), PV_OK);
	assert_int_equal(vlapic_next_vector(v), 0x60);
}

/* SDM vol. 3, 10.12.9: x2APIC destination 0xffffffff is a broadcast, in physical mode too. */
static void test_broadcast_id(void **state)
{
	struct vcpu_exit e;

	(void)state;
	enable(0);
	enable(1);
	fake_hw.current_cpu = 0;
	assert_int_equal(msr_write(0, 0x830, (0xffffffffULL << 32) | 0x61), PV_OK);
	assert_int_equal(vlapic_next_vector(&vm.vcpus[0]), 0x61); /* the sender too */
	assert_int_equal(vlapic_next_vector(&vm.vcpus[1]), 0x61);
	assert_int_equal(fake_hw.ipis[1], 1);
	/* INIT to the broadcast id: every other vCPU waits for a SIPI, the sender is untouched */
	assert_int_equal(msr_write(0, 0x830, ICR_INIT(0xffffffffu)), PV_OK);
	assert_int_equal(sipi_state(0), 0);
	assert_int_equal(sipi_state(1), VLAPIC_SIPI_WAIT);
	/* ... and a Start-Up IPI to it starts them */
	assert_true(sipi_exit(0, ICR_SIPI(0xffffffffu, 0x08), &e));
	assert_int_equal(e.cpu_up.target, 1);
	assert_false(sipi_exit(0, ICR_SIPI(0xffffffffu, 0x08), &e));
}

/* MOV to / from CR8 is the TPR's priority class (SDM vol. 3, 10.8.6.1). */
static void test_cr8(void **state)
{
	struct vcpu *v = &vm.vcpus[0];

	(void)state;
	enable(0);
	assert_int_equal(vlapic_cr8(v), 0);
	vlapic_set_cr8(v, 15);
	assert_int_equal(msr_read(0, 0x808), 0xf0);
	assert_int_equal(vlapic_cr8(v), 15);
	/* CR8 = 15 masks every vector, the highest included */
	assert_int_equal(msr_write(0, 0x83f, 0xfe), PV_OK);
	assert_int_equal(vlapic_next_vector(v), -1);
	vlapic_set_cr8(v, 14);
	assert_int_equal(vlapic_next_vector(v), 0xfe);
	/* a TPR written through its MSR reads back through CR8 */
	assert_int_equal(msr_write(0, 0x808, 0x3c), PV_OK);
	assert_int_equal(vlapic_cr8(v), 3);
	vlapic_set_cr8(v, 0);
	assert_int_equal(msr_read(0, 0x808), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_and_eoi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_then_sipi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sipi_without_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_self_and_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icr_delivery_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ppr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broadcast_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cr8, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
