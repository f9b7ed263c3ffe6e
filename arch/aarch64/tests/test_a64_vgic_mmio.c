// SPDX-License-Identifier: MIT
/*
 * The emulated GICv3 of aarch64 guests (vgic_mmio.c): distributor, redistributors and the SGI
 * registers, driven through the core's exit dispatch on the fake backend's two-vCPU VM. The
 * hardware side (a64_vgic_raise, a64_vgic_recheck) is replaced by recorders here.
 */
#include "pv_test.h"

#include "vm_fixture.h"

#include <a64/decode.h>
#include <a64/vgic.h>
#include <a64/vgic_mmio.h>
#include <vm/run.h>
#include <vm/vm.h>

#define GICD A64_VGIC_GICD_BASE
#define GICR A64_VGIC_GICR_BASE
#define SGI  0x10000ULL

static struct vm vm;
static struct a64_vgic_cpu cpus[2];
static struct {
	unsigned n;
	unsigned vcpu[16];
	uint32_t intid[16];
} raised;
static unsigned rechecks[2];

int a64_vgic_raise(struct vcpu *vcpu, uint32_t intid)
{
	struct a64_vgic_cpu *c = vcpu->virq;

	assert_true(raised.n < 16);
	raised.vcpu[raised.n] = vcpu->id;
	raised.intid[raised.n++] = intid;
	c->pending |= 1ULL << intid;
	return PV_OK;
}

void a64_vgic_recheck(struct vcpu *vcpu)
{
	rechecks[vcpu->id]++;
}

void a64_vgic_pt_route(struct vm *v, uint32_t intid)
{
	(void)v, (void)intid;
}

void a64_vgic_pt_config(struct vm *v, uint32_t first, uint32_t icfgr)
{
	(void)v, (void)first, (void)icfgr;
}

static void start(uint64_t id1)
{
	fix_config.guest_cpu_id[1] = id1;
	fix_vm_start(&vm);
	for (unsigned i = 0; i < 2; i++) {
		a64_vgic_cpu_reset(&cpus[i], 4);
		vm.vcpus[i].virq = &cpus[i];
	}
	assert_int_equal(a64_vgic_mmio_init(&vm), PV_OK);
	raised.n = 0;
	rechecks[0] = rechecks[1] = 0;
}

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	start(0x100);
	return 0;
}

static int setup_aff3(void **state)
{
	if (fix_setup(state))
		return -1;
	start(0x0100000000ULL); /* vCPU 1: Aff3 = 1, Aff2..0 = 0 */
	return 0;
}

static int teardown(void **state)
{
	a64_vgic_mmio_destroy(&vm);
	vm_destroy(&vm);
	return fix_teardown(state);
}

/* One access by vCPU @from through the core; false when the guest got a fault instead. */
static bool access(unsigned from, uint64_t addr, unsigned width, bool write, uint64_t *value)
{
	struct vcpu *v = &vm.vcpus[from];
	unsigned faults = fake_vcpu(v)->nfaults;
	struct vcpu_exit e = { .kind = VCPU_EXIT_MMIO };

	e.mmio.addr = gpa(addr);
	e.mmio.width = (uint8_t)width;
	e.mmio.write = write;
	e.mmio.reg = 1;
	e.mmio.reg_width = 8;
	e.mmio.data = write ? *value : 0;
	assert_int_equal(vm_handle_exit(v, &e), VM_EXIT_CONTINUE);
	if (fake_vcpu(v)->nfaults != faults)
		return false;
	if (!write)
		*value = e.mmio.data;
	return true;
}

static uint64_t rd(unsigned from, uint64_t addr, unsigned width)
{
	uint64_t v = 0;

	assert_true(access(from, addr, width, false, &v));
	return v;
}

static void wr(unsigned from, uint64_t addr, unsigned width, uint64_t value)
{
	assert_true(access(from, addr, width, true, &value));
}

static bool refused(unsigned from, uint64_t addr, unsigned width, bool write)
{
	uint64_t v = 0x1122334455667788ULL;

	return !access(from, addr, width, write, &v);
}

static void test_distributor_identity(void **state)
{
	(void)state;
	/* ARE and DS always set; 64 INTIDs (ITLinesNumber 1), 10 id bits, 2 CPUs. */
	assert_int_equal(rd(0, GICD + 0x0, 4), 0x50);
	wr(0, GICD + 0x0, 4, 0xffffffffu);
	assert_int_equal(rd(0, GICD + 0x0, 4), 0x53);
	assert_int_equal(rd(0, GICD + 0x4, 4), 1u | (9u << 19) | (1u << 5));
	assert_int_equal(rd(0, GICD + 0xffe8, 4), 0x3b);
	assert_true(refused(0, GICD + 0x4, 8, false));
}

/* Found by fuzzing: a misaligned word access to the distributor was served as the aligned word
 * below it (a store at ISENABLER1 + 2 enabled SPIs by the wrong lanes); the redistributors
 * already refused them. */
static void test_distributor_refuses_misaligned_accesses(void **state)
{
	(void)state;
	assert_true(refused(0, GICD + 0x102, 4, true));
	assert_true(refused(0, GICD + 0x106, 4, true));
	assert_true(refused(0, GICD + 0x17e, 4, false));
	assert_true(refused(0, GICD + 0xc09, 4, false));
	assert_true(refused(0, GICD + 0x1, 2, false));
	assert_int_equal(cpus[0].enabled, 0);
	assert_int_equal(cpus[1].enabled, 0);
	wr(0, GICD + 0x104, 4, 1u);
	assert_int_equal(cpus[1].enabled, 1ULL << 32);
}

static void test_spi_configuration_is_mirrored(void **state)
{
	(void)state;
	wr(0, GICD + 0x104, 4, 0x5u);	     /* ISENABLER1: SPIs 32 and 34 */
	wr(1, GICD + 0x428, 4, 0x40302010u); /* IPRIORITYR: SPIs 40..43 */
	wr(0, GICD + 0x42c, 1, 0xa0);	     /* byte access: SPI 44 */
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(cpus[i].enabled >> 32 & 0xff, 0x5);
		assert_int_equal(cpus[i].prio[40], 0x10);
		assert_int_equal(cpus[i].prio[43], 0x40);
		assert_int_equal(cpus[i].prio[44], 0xa0);
	}
	assert_int_equal(rd(1, GICD + 0x104, 4), 0x5u);
	assert_int_equal(rd(1, GICD + 0x428, 4), 0x40302010u);
	wr(1, GICD + 0x184, 4, 0x1u); /* ICENABLER1 */
	assert_int_equal(rd(0, GICD + 0x104, 4), 0x4u);
	/* Word 0 (private interrupts) is banked in the redistributors: RAZ/WI here. */
	wr(0, GICD + 0x100, 4, 0xffffffffu);
	assert_int_equal(cpus[0].enabled & 0xffffffffu, 0);
	wr(0, GICD + 0x400, 4, 0xffffffffu);
	assert_int_equal(cpus[0].prio[0], 0);
	assert_int_equal(rd(0, GICD + 0x400, 4), 0);
}

static void test_priority_accesses_stay_in_one_register(void **state)
{
	(void)state;
	/* 8-byte and misaligned accesses would reach past one register: refused. */
	assert_true(refused(0, GICD + 0x438, 8, true));
	assert_true(refused(0, GICD + 0x43e, 4, true));
	assert_true(refused(0, GICD + 0x43d, 2, false));
	assert_true(refused(0, GICR + SGI + 0x41c, 8, true));
	assert_true(refused(0, GICR + SGI + 0x41d, 4, true));
	assert_true(refused(0, GICR + SGI + 0x418, 8, false));
	for (unsigned i = 32; i < 36; i++)
		assert_int_equal(cpus[0].prio[i], 0);
	/* The SGI frame holds SGI/PPI priorities only: its last word is INTIDs 28..31. */
	wr(0, GICR + SGI + 0x41c, 4, 0xd0c0b0a0u);
	assert_int_equal(cpus[0].prio[28], 0xa0);
	assert_int_equal(cpus[0].prio[31], 0xd0);
	assert_int_equal(cpus[0].prio[32], 0);
	assert_int_equal(rd(1, GICR + SGI + 0x41c, 4), 0xd0c0b0a0u);
	assert_int_equal(rd(0, GICR + SGI + 0x41f, 1), 0xd0);
	/* Past INTID 31 the SGI frame has no priority register: RAZ/WI, SPIs untouched. */
	wr(0, GICR + SGI + 0x420, 4, 0xffffffffu);
	assert_int_equal(cpus[0].prio[32], 0);
	assert_int_equal(rd(0, GICR + SGI + 0x420, 4), 0);
	/* The second vCPU's frame is its own. */
	assert_int_equal(cpus[1].prio[28], 0);
	wr(0, GICR + 0x20000 + SGI + 0x41b, 1, 0x33);
	assert_int_equal(cpus[1].prio[27], 0x33);
}

static void test_irouter_routes_by_affinity(void **state)
{
	(void)state;
	/* SPI 33 to Aff1 = 1 (vCPU 1, id 0x100); SPI 34 to a CPU that does not exist. */
	wr(0, GICD + 0x6000 + 8 * 33, 8, 0x100);
	wr(0, GICD + 0x6000 + 8 * 34, 8, 0x200);
	assert_ptr_equal(a64_vgic_mmio_route(&vm, 33), &vm.vcpus[1]);
	assert_null(a64_vgic_mmio_route(&vm, 34));
	assert_int_equal(rd(0, GICD + 0x6000 + 8 * 33, 8), 0x100);
	assert_int_equal(rd(0, GICD + 0x6000 + 8 * 33, 4), 0x100);
	/* IRM: any CPU. Reserved bits read as zero. */
	wr(0, GICD + 0x6000 + 8 * 35, 8, 0xffff00ff7f000000ULL | PV_BIT(31));
	assert_ptr_equal(a64_vgic_mmio_route(&vm, 35), &vm.vcpus[0]);
	assert_int_equal(rd(0, GICD + 0x6000 + 8 * 35, 8), 0xff80000000ULL);
	assert_int_equal(rd(0, GICD + 0x6004 + 8 * 35, 4), 0xff);
	/* 32-bit writes and misaligned accesses are refused; private INTIDs have no router. */
	assert_true(refused(0, GICD + 0x6000 + 8 * 33, 4, true));
	assert_true(refused(0, GICD + 0x6004 + 8 * 33, 8, false));
	assert_null(a64_vgic_mmio_route(&vm, 31));
	assert_null(a64_vgic_mmio_route(&vm, A64_VGIC_NR_IRQ));
	/* ISPENDR1 makes SPI 33 pending on the vCPU it is routed to. */
	wr(0, GICD + 0x204, 4, 0x2u);
	assert_int_equal(raised.n, 1);
	assert_int_equal(raised.vcpu[0], 1);
	assert_int_equal(raised.intid[0], 33);
}

static void test_irouter_aff3(void **state)
{
	(void)state;
	/* vCPU 1's MPIDR is Aff3 = 1: an SPI routed there must reach it, and only it. */
	wr(0, GICD + 0x6000 + 8 * 40, 8, 0x0100000000ULL);
	assert_ptr_equal(a64_vgic_mmio_route(&vm, 40), &vm.vcpus[1]);
	wr(0, GICD + 0x6000 + 8 * 40, 8, 0x0200000000ULL);
	assert_null(a64_vgic_mmio_route(&vm, 40));
	wr(0, GICD + 0x6000 + 8 * 40, 8, 0);
	assert_ptr_equal(a64_vgic_mmio_route(&vm, 40), &vm.vcpus[0]);
	/* Its redistributor reports Aff3 in GICR_TYPER[63:56]. */
	assert_int_equal(rd(0, GICR + 0x20000 + 0x8, 8) >> 32, 0x01000000u);
}

static void test_redistributor_frames(void **state)
{
	uint64_t typer0, typer1;
	(void)state;
	/* GICR_TYPER: affinity (Aff1 = 1 for vCPU 1), processor number, Last on the final frame. */
	typer0 = rd(0, GICR + 0x8, 8);
	typer1 = rd(0, GICR + 0x20000 + 0x8, 8);
	assert_int_equal(typer0, 0);
	assert_int_equal(typer1, (0x100ULL << 32) | (1u << 8) | (1u << 4));
	assert_int_equal(rd(1, GICR + 0x20000 + 0xc, 4), 0x100);
	assert_true(refused(0, GICR + 0xc, 8, false));
	/* GICR_WAKER: asleep at reset, ChildrenAsleep follows ProcessorSleep. */
	assert_int_equal(rd(0, GICR + 0x14, 4), 0x6);
	wr(0, GICR + 0x14, 4, 0);
	assert_int_equal(rd(0, GICR + 0x14, 4), 0);
	/* Private enables are per vCPU; a newly enabled pending interrupt is raised. */
	wr(1, GICR + 0x20000 + SGI + 0x200, 4, 1u << 27); /* ISPENDR0 of vCPU 1 */
	assert_int_equal(raised.n, 0);
	assert_int_equal(cpus[1].pending, 1ULL << 27);
	wr(0, GICR + 0x20000 + SGI + 0x100, 4, (1u << 27) | 1u);
	assert_int_equal(cpus[1].enabled, (1ULL << 27) | 1u);
	assert_int_equal(cpus[0].enabled, 0);
	assert_int_equal(raised.n, 1);
	assert_int_equal(raised.vcpu[0], 1);
	assert_int_equal(raised.intid[0], 27);
	assert_int_equal(rd(1, GICR + 0x20000 + SGI + 0x200, 4), 1u << 27);
	/* PPI configuration: ICFGR1 keeps only the trigger bits; ICFGR0 (SGIs) is read-only. */
	wr(0, GICR + SGI + 0xc04, 4, 0xffffffffu);
	assert_int_equal(rd(0, GICR + SGI + 0xc04, 4), 0xaaaaaaaau);
	wr(0, GICR + SGI + 0xc00, 4, 0);
	assert_int_equal(rd(0, GICR + SGI + 0xc00, 4), 0xaaaaaaaau);
	/* Registers that are not 32-bit are refused, unknown ones read as zero. */
	assert_true(refused(0, GICR + SGI + 0x100, 2, true));
	assert_int_equal(rd(0, GICR + 0x70, 4), 0);
}

static void test_clear_pending_rechecks_held_sources(void **state)
{
	(void)state;
	cpus[1].pending = 1ULL << 27;
	cpus[1].hw_held = 1ULL << 27;
	wr(0, GICR + 0x20000 + SGI + 0x280, 4, 1u << 27); /* ICPENDR0 of vCPU 1 */
	assert_int_equal(cpus[1].pending, 0);
	assert_int_equal(rechecks[1], 1);
	assert_int_equal(rechecks[0], 0);
	assert_int_equal(a64_vgic_hw_releasable(&cpus[1]), 1ULL << 27);
	/* Other registers do not ask. */
	wr(0, GICR + 0x20000 + SGI + 0x180, 4, 1u << 27);
	assert_int_equal(rechecks[1], 1);
}

/* ICC_SGI1R_EL1 as the trapped MSR reaches the core: an SYSREG exit. */
static bool sgi(unsigned from, uint32_t id, uint64_t value)
{
	struct vcpu *v = &vm.vcpus[from];
	unsigned faults = fake_vcpu(v)->nfaults;
	struct vcpu_exit e = { .kind = VCPU_EXIT_SYSREG };

	e.sysreg.id = id;
	e.sysreg.write = true;
	e.sysreg.reg = 2;
	e.sysreg.data = value;
	assert_int_equal(vm_handle_exit(v, &e), VM_EXIT_CONTINUE);
	return fake_vcpu(v)->nfaults == faults;
}

static void test_sgi_generation(void **state)
{
	uint32_t sgi1r = A64_SYSREG_ID(3, 0, 12, 11, 5);
	uint32_t sgi0r = A64_SYSREG_ID(3, 0, 12, 11, 7);
	(void)state;
	/* Target list bit 0 with Aff1 = 1: vCPU 1 (0x100), INTID 3. */
	assert_true(sgi(0, sgi1r, (3ULL << 24) | (1ULL << 16) | 1u));
	assert_int_equal(raised.n, 1);
	assert_int_equal(raised.vcpu[0], 1);
	assert_int_equal(raised.intid[0], 3);
	/* Aff1 = 0, target list bits 0 and 1: only vCPU 0 (id 0) exists there. */
	assert_true(sgi(1, sgi0r, (5ULL << 24) | 3u));
	assert_int_equal(raised.n, 2);
	assert_int_equal(raised.vcpu[1], 0);
	/* RS = 1 selects Aff0 16..31: nobody. IRM: everyone but the sender. */
	assert_true(sgi(0, sgi1r, (1ULL << 44) | 1u));
	assert_int_equal(raised.n, 2);
	assert_true(sgi(1, sgi1r, (1ULL << 40) | (7ULL << 24)));
	assert_int_equal(raised.n, 3);
	assert_int_equal(raised.vcpu[2], 0);
	assert_int_equal(raised.intid[2], 7);
	/* The SGI registers are write-only: a read is undefined to the guest. */
	{
		struct vcpu_exit e = { .kind = VCPU_EXIT_SYSREG };
		e.sysreg.id = sgi1r;
		e.sysreg.reg = 2;
		assert_int_equal(vm_handle_exit(&vm.vcpus[0], &e), VM_EXIT_CONTINUE);
		assert_int_equal(fake_vcpu(&vm.vcpus[0])->nfaults, 1);
	}
}

static void test_sgi_aff3(void **state)
{
	(void)state;
	/* ICC_SGI1R_EL1.Aff3 is bits 55:48: vCPU 1 has Aff3 = 1. */
	assert_true(sgi(0, A64_SYSREG_ID(3, 0, 12, 11, 5), (1ULL << 48) | (2ULL << 24) | 1u));
	assert_int_equal(raised.n, 1);
	assert_int_equal(raised.vcpu[0], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_distributor_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_distributor_refuses_misaligned_accesses, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_spi_configuration_is_mirrored, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_priority_accesses_stay_in_one_register, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_irouter_routes_by_affinity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_irouter_aff3, setup_aff3, teardown),
		cmocka_unit_test_setup_teardown(test_redistributor_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_pending_rechecks_held_sources, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sgi_generation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sgi_aff3, setup_aff3, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
