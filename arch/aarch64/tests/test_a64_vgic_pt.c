// SPDX-License-Identifier: MIT
/*
 * Passed-through interrupts on aarch64 (a64/vgic_pt.h): the table of owned physical SPIs, where
 * their physical routing goes as the guest routes their virtual SPI (through the emulated
 * distributor, vgic_mmio.c), their list registers with the hardware bit, and what the guest's
 * clearing and reconfiguring of them asks of the hardware side (recorded here).
 */
#include "pv_test.h"

#include "vm_fixture.h"

#include <a64/sysreg.h>
#include <a64/vgic.h>
#include <a64/vgic_mmio.h>
#include <a64/vgic_pt.h>
#include <vm/run.h>
#include <vm/vm.h>

#define GICD   A64_VGIC_GICD_BASE
#define VINTID 48u /* the guest's SPI 16 */
#define PINTID 79u /* the host's SPI 47 */

static struct vm vm, other;
static struct a64_vgic_cpu cpus[2];
static struct a64_pt_table table;
static unsigned rechecks[2];
static struct {
	unsigned n;
	uint32_t intid[8];
	unsigned pcpu[8]; /* where the physical SPI was routed */
} routed;
static struct {
	unsigned n;
	uint32_t first[8], icfgr[8];
} configured;

int a64_vgic_raise(struct vcpu *vcpu, uint32_t intid)
{
	struct a64_vgic_cpu *c = vcpu->virq;

	c->pending |= 1ULL << intid;
	return PV_OK;
}

void a64_vgic_recheck(struct vcpu *vcpu)
{
	rechecks[vcpu->id]++;
}

/* What vgic_pt.c does: route the physical SPI to the physical CPU of the vCPU it reaches. */
void a64_vgic_pt_route(struct vm *v, uint32_t intid)
{
	struct a64_pt_route r;

	for (unsigned i = 0; i < table.n; i++)
		if (table.r[i].vm == v && table.r[i].vintid == intid &&
		    a64_pt_table_find(&table, table.r[i].pintid, &r) && routed.n < 8) {
			routed.intid[routed.n] = r.pintid;
			routed.pcpu[routed.n++] = a64_pt_target(v, intid)->pcpu;
		}
}

void a64_vgic_pt_config(struct vm *v, uint32_t first, uint32_t icfgr)
{
	(void)v;
	if (configured.n < 8) {
		configured.first[configured.n] = first;
		configured.icfgr[configured.n++] = icfgr;
	}
}

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_config.pcpu[0] = 2; /* vCPU 0 on CPU 2, vCPU 1 (MPIDR 0x100) on CPU 3 */
	fix_config.pcpu[1] = 3;
	fix_vm_start(&vm);
	for (unsigned i = 0; i < 2; i++) {
		a64_vgic_cpu_reset(&cpus[i], 4);
		vm.vcpus[i].virq = &cpus[i];
	}
	assert_int_equal(a64_vgic_mmio_init(&vm), PV_OK);
	table = (struct a64_pt_table){ 0 };
	routed.n = configured.n = 0;
	rechecks[0] = rechecks[1] = 0;
	return 0;
}

static int teardown(void **state)
{
	a64_vgic_mmio_destroy(&vm);
	vm_destroy(&vm);
	return fix_teardown(state);
}

static void wr(unsigned from, uint64_t addr, unsigned width, uint64_t value)
{
	struct vcpu_exit e = { .kind = VCPU_EXIT_MMIO };

	e.mmio.addr = gpa(addr);
	e.mmio.width = (uint8_t)width;
	e.mmio.write = true;
	e.mmio.reg = 1;
	e.mmio.reg_width = 8;
	e.mmio.data = value;
	assert_int_equal(vm_handle_exit(&vm.vcpus[from], &e), VM_EXIT_CONTINUE);
	assert_int_equal(fake_vcpu(&vm.vcpus[from])->nfaults, 0);
}

static void test_table(void **state)
{
	struct a64_pt_route r;
	uint32_t taken[4];

	(void)state;
	assert_int_equal(a64_pt_table_add(&table, 288, PINTID, &vm, VINTID), PV_OK);
	assert_true(a64_pt_table_find(&table, PINTID, &r));
	assert_ptr_equal(r.vm, &vm);
	assert_int_equal(r.vintid, VINTID);
	assert_false(a64_pt_table_find(&table, PINTID + 1, &r));
	/* One owner per physical SPI; one physical SPI per virtual one of a VM. */
	assert_int_equal(a64_pt_table_add(&table, 288, PINTID, &other, VINTID), -PV_EBUSY);
	assert_int_equal(a64_pt_table_add(&table, 288, PINTID + 1, &vm, VINTID), -PV_EBUSY);
	assert_int_equal(a64_pt_table_add(&table, 288, PINTID + 1, &other, VINTID), PV_OK);
	/* SGIs and PPIs are the CPUs' own; INTIDs past the distributor's, or past the last SPI,
	 * do not exist; the virtual side has A64_VGIC_NR_IRQ INTIDs. */
	assert_int_equal(a64_pt_table_add(&table, 288, 27, &vm, 49), -PV_EINVAL);
	assert_int_equal(a64_pt_table_add(&table, 288, 288, &vm, 49), -PV_EINVAL);
	assert_int_equal(a64_pt_table_add(&table, 2048, 1020, &vm, 49), -PV_EINVAL);
	assert_int_equal(a64_pt_table_add(&table, 288, 100, &vm, 27), -PV_EINVAL);
	assert_int_equal(a64_pt_table_add(&table, 288, 100, &vm, A64_VGIC_NR_IRQ), -PV_EINVAL);
	/* A stopped VM's routes go, the others' stay. */
	assert_int_equal(a64_pt_table_add(&table, 288, 100, &vm, 49), PV_OK);
	assert_int_equal(a64_pt_table_take(&table, &vm, taken, 4), 2);
	assert_int_equal(taken[0], PINTID);
	assert_int_equal(taken[1], 100);
	assert_false(a64_pt_table_find(&table, PINTID, &r));
	assert_true(a64_pt_table_find(&table, PINTID + 1, &r));
	assert_ptr_equal(r.vm, &other);
	/* Full. */
	table = (struct a64_pt_table){ 0 };
	for (uint32_t i = 0; i < A64_PT_MAX_ROUTES; i++)
		assert_int_equal(a64_pt_table_add(&table, 1020, 200 + i, &other, 32 + i), PV_OK);
	assert_int_equal(a64_pt_table_add(&table, 1020, 900, &vm, 33), -PV_ENOMEM);
	/* Physical CPU n is Aff0 n. */
	assert_int_equal(a64_pt_irouter(3), 3);
}

static void test_routing_follows_the_guest(void **state)
{
	(void)state;
	assert_int_equal(a64_pt_table_add(&table, 288, PINTID, &vm, VINTID), PV_OK);
	for (unsigned i = 0; i < 2; i++)
		cpus[i].pintid[VINTID - 32] = PINTID;
	/* Routed to affinity 0 at reset: vCPU 0, on physical CPU 2. */
	assert_int_equal(a64_pt_target(&vm, VINTID)->pcpu, 2);
	/* The guest routes its SPI to vCPU 1 (MPIDR 0x100): the physical one goes to CPU 3. */
	wr(0, GICD + 0x6000 + 8 * VINTID, 8, 0x100);
	assert_int_equal(routed.n, 1);
	assert_int_equal(routed.intid[0], PINTID);
	assert_int_equal(routed.pcpu[0], 3);
	/* To any vCPU (IRM): vCPU 0's CPU. To an affinity no vCPU has: vCPU 0's too. */
	wr(1, GICD + 0x6000 + 8 * VINTID, 8, 1ULL << 31);
	assert_int_equal(routed.pcpu[1], 2);
	wr(1, GICD + 0x6000 + 8 * VINTID, 8, 0x7);
	assert_int_equal(routed.pcpu[2], 2);
	/* Another SPI of no device: nothing routed. */
	wr(0, GICD + 0x6000 + 8 * (VINTID + 1), 8, 0x100);
	assert_int_equal(routed.n, 3);
	/* Its trigger: the guest's ICFGR word for SPIs 48..63 goes to the hardware side. */
	wr(0, GICD + 0xc00 + 4 * (VINTID / 16), 4, 0x2);
	assert_int_equal(configured.n, 1);
	assert_int_equal(configured.first[0], VINTID);
	assert_int_equal(configured.icfgr[0] & 3u, 2);
}

static void test_list_register_carries_the_physical_interrupt(void **state)
{
	struct a64_vgic_cpu *c = &cpus[0];
	uint64_t lr[A64_VGIC_MAX_LR] = { 0 };
	unsigned freed;

	(void)state;
	c->enabled = ~0ULL;
	c->group1 = ~0ULL;
	c->prio[VINTID] = 0xa0;
	c->pintid[VINTID - 32] = PINTID;
	/* Fired: pending, and owed a deactivation. */
	a64_vgic_pt_pend(c, VINTID);
	assert_true(c->hw_fwd >> VINTID & 1);
	assert_int_equal(a64_vgic_fill(c, lr), 1);
	/* pending, group 1, priority, hardware bit, pINTID, vINTID; no EOI maintenance. */
	assert_int_equal(lr[0], ICH_LR_PENDING | ICH_LR_GROUP1 | ICH_LR_HW |
					(0xa0ULL << ICH_LR_PRIO_SHIFT) |
					((uint64_t)PINTID << ICH_LR_PINTID_SHIFT) | VINTID);
	assert_false(lr[0] & ICH_LR_EOI);
	/* The guest acknowledged it: active, still owed. */
	lr[0] = (lr[0] & ~ICH_LR_PENDING) | ICH_LR_ACTIVE;
	(void)a64_vgic_retire(c, lr, &freed);
	assert_int_equal(freed, 0);
	assert_true(c->hw_fwd >> VINTID & 1);
	/* It deactivated it (and with it the physical one): no longer owed. */
	lr[0] &= ~ICH_LR_ACTIVE;
	(void)a64_vgic_retire(c, lr, &freed);
	assert_int_equal(freed, 1);
	assert_false(c->hw_fwd >> VINTID & 1);
	/* The device fired again before the list register was read back: still owed. */
	a64_vgic_pt_pend(c, VINTID);
	assert_int_equal(a64_vgic_fill(c, lr), 1);
	lr[0] &= ~ICH_LR_PENDING; /* taken and deactivated in one go */
	a64_vgic_pt_pend(c, VINTID);
	(void)a64_vgic_retire(c, lr, &freed);
	assert_true(c->hw_fwd >> VINTID & 1);
	assert_true(c->pending >> VINTID & 1);
	/* A software-pended SPI of the same number carries no hardware bit. */
	c->hw_fwd = 0;
	assert_false(a64_vgic_lr_value(c, VINTID) & ICH_LR_HW);
}

static void test_guest_clears_a_pending_one(void **state)
{
	(void)state;
	cpus[0].pintid[VINTID - 32] = PINTID;
	cpus[1].pintid[VINTID - 32] = PINTID;
	a64_vgic_pt_pend(&cpus[0], VINTID);
	/* GICD_ICPENDR1: the physical one, left active, is owed a deactivation by the hardware
	 * side now. */
	wr(1, GICD + 0x280 + 4, 4, 1u << (VINTID - 32));
	assert_false(cpus[0].pending >> VINTID & 1);
	assert_false(cpus[0].hw_fwd >> VINTID & 1);
	assert_true(cpus[0].hw_drop >> VINTID & 1);
	assert_int_equal(rechecks[0], 1);
	assert_int_equal(rechecks[1], 0);
	/* In a list register it is the guest's to finish: clearing does not drop it. */
	cpus[0].hw_drop = 0;
	a64_vgic_pt_pend(&cpus[0], VINTID);
	cpus[0].in_lr |= 1ULL << VINTID;
	cpus[0].pending &= ~(1ULL << VINTID);
	wr(0, GICD + 0x280 + 4, 4, 1u << (VINTID - 32));
	assert_true(cpus[0].hw_fwd >> VINTID & 1);
	assert_int_equal(cpus[0].hw_drop, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routing_follows_the_guest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_register_carries_the_physical_interrupt,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_clears_a_pending_one, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
