// SPDX-License-Identifier: MIT
/*
 * Device interrupts of riscv64 VMs end in the vPLIC: a device's "interrupts = <n>" is vPLIC source
 * n (arch/riscv64/vm_desc.c), and the emulated NS16550 and virtio-mmio devices drive that source's
 * level, which the guest sees as pending, claims and completes through the vPLIC's registers. The
 * core and devices are the real ones; the fake backend's controller hands every line change to
 * the vPLIC here, as arch/riscv64/virq.c does on the hardware.
 */
#include "pv_test.h"

#include "vdrv.h"
#include "vm_fixture.h"

#include <devices/virtio_console.h>
#include <devices/vplic.h>
#include <devices/vuart_ns16550.h>
#include <string.h>
#include <vm/arch_vm_desc.h>

#define PLIC_BASE CONFIG_RISCV_GUEST_PLIC_BASE
#define UART	  0x10000000ULL
#define CON	  0x10001000ULL
#define RINGS	  (FIX_RAM_GPA + 0x10000)
#define UART_IRQ  10
#define CON_IRQ	  11

static struct vm vm;
static struct vplic *plic;
static unsigned notified;

void vplic_notify(struct vm *v, unsigned ctx)
{
	assert_ptr_equal(v, &vm);
	if (ctx == VPLIC_S_CTX(0))
		notified++;
}

/* No source here is a physical PLIC's: the passthrough hooks are never due. */
void vplic_hw_complete(struct vm *v, uint32_t src)
{
	(void)v, (void)src;
	fail();
}

void vplic_hw_rerouted(struct vm *v, uint32_t src)
{
	(void)v, (void)src;
	fail();
}

/* arch/riscv64/virq.c's set_line: the source's level into the VM's vPLIC. */
static int to_vplic(struct vm *v, struct vcpu *target, uint32_t irq, bool level)
{
	(void)target;
	assert_ptr_equal(v, &vm);
	return vplic_set_line(plic, irq, level);
}

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_config.ndevs = 2;
	fix_config.devs[0] = (struct vm_dev_config){ .model = &vuart_ns16550_model,
						     .node = "uart@10000000",
						     .space = VDEV_SPACE_MMIO,
						     .base = UART,
						     .size = 0x100,
						     .has_irq = true,
						     .irq = UART_IRQ };
	fix_config.devs[1] = (struct vm_dev_config){ .model = &virtio_console_model,
						     .node = "virtio@10001000",
						     .space = VDEV_SPACE_MMIO,
						     .base = CON,
						     .has_irq = true,
						     .irq = CON_IRQ };
	fix_vm_start(&vm);
	plic = vplic_create(&vm, PLIC_BASE, VPLIC_CTXS(1)); /* as arch/riscv64/virq.c does */
	assert_non_null(plic);
	fake_hw.set_line_hook = to_vplic;
	notified = 0;
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

static uint32_t plic_rd(uint64_t off)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_MMIO, PLIC_BASE + off, 4);
	uint64_t v = 0;

	assert_non_null(d);
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], off, 4, &v), PV_OK);
	return (uint32_t)v;
}

static void plic_wr(uint64_t off, uint32_t v)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_MMIO, PLIC_BASE + off, 4);

	assert_non_null(d);
	assert_int_equal(d->ops->write(d, &vm.vcpus[0], off, 4, v), PV_OK);
}

static uint8_t uart_rd(unsigned reg)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_MMIO, UART + reg, 1);
	uint64_t v = 0;

	assert_non_null(d);
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], reg, 1, &v), PV_OK);
	return (uint8_t)v;
}

static void uart_wr(unsigned reg, uint8_t v)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_MMIO, UART + reg, 1);

	assert_non_null(d);
	assert_int_equal(d->ops->write(d, &vm.vcpus[0], reg, 1, v), PV_OK);
}

/* vCPU 0's supervisor-level context: where Linux's driver works. */
#define S     VPLIC_S_CTX(0)
#define CLAIM (VPLIC_CONTEXT + VPLIC_CTX_STRIDE * S + 4)

/* What Linux's PLIC driver does first: priorities, its context's enables, threshold 0. */
static void guest_enables(void)
{
	plic_wr(VPLIC_PRIORITY + 4 * UART_IRQ, 1);
	plic_wr(VPLIC_PRIORITY + 4 * CON_IRQ, 1);
	plic_wr(VPLIC_ENABLE + VPLIC_ENABLE_CTX * S, 1u << UART_IRQ | 1u << CON_IRQ);
	plic_wr(VPLIC_CONTEXT + VPLIC_CTX_STRIDE * S, 0);
}

static bool pending(unsigned src)
{
	return plic_rd(VPLIC_PENDING) >> src & 1;
}

static void test_irq_lines_are_plic_sources(void **state)
{
	(void)state;
	assert_int_equal(arch_vm_desc.min_irq_line, 1); /* there is no source 0 */
	assert_int_equal(arch_vm_desc.max_irq_line, VPLIC_SOURCES - 1);
	for (uint32_t l = 1; l < VPLIC_SOURCES; l++)
		assert_int_equal(arch_vm_desc.irq_line(l), l);
}

/* The UART's THR-empty interrupt, from enable to claim and completion. */
static void test_uart_raises_its_source(void **state)
{
	(void)state;
	guest_enables();
	assert_false(pending(UART_IRQ));
	uart_wr(1, 0x02); /* IER: THR empty */
	assert_true(pending(UART_IRQ));
	assert_true(vplic_output(plic, S));
	assert_true(notified > 0);
	/* The driver's handler: claim, read IIR (which clears it), send, complete. */
	assert_int_equal(plic_rd(CLAIM), UART_IRQ);
	assert_false(vplic_output(plic, S));
	assert_int_equal(uart_rd(2) & 0x0f, 0x02);
	plic_wr(CLAIM, UART_IRQ);
	assert_false(pending(UART_IRQ));
	uart_wr(0, 'k');
	assert_true(pending(UART_IRQ)); /* THR empty again */
	/* Masked in the UART before the claim: the level-triggered request is withdrawn. */
	uart_wr(1, 0x00);
	assert_false(pending(UART_IRQ));
	assert_false(vplic_output(plic, S));
	assert_int_equal(plic_rd(CLAIM), 0);
}

/* A virtio device's used-buffer interrupt: raised when it completes a request, dropped when the
 * driver acknowledges InterruptStatus. */
static void test_virtio_raises_its_source(void **state)
{
	static const char hi[] = "hi\n";
	struct vdrv d;
	uint32_t id, len;

	(void)state;
	guest_enables();
	vdrv_start(&d, &vm, CON, 0, 2, 8, RINGS);
	memcpy(vdrv_mem(&d, RINGS + 0x8000, sizeof(hi)), hi, sizeof(hi) - 1);
	vdrv_desc(&d, 1, 0, RINGS + 0x8000, sizeof(hi) - 1, 0, 0);
	vdrv_avail(&d, 1, 0);
	assert_false(pending(CON_IRQ));
	vdrv_notify(&d, 1);
	assert_true(vdrv_used(&d, 1, &id, &len));
	assert_true(pending(CON_IRQ));
	assert_int_equal(plic_rd(CLAIM), CON_IRQ);
	vdrv_wr(&d, 0x064, vdrv_isr(&d)); /* InterruptACK */
	plic_wr(CLAIM, CON_IRQ);
	assert_false(pending(CON_IRQ));
	assert_false(vplic_output(plic, S));
	assert_true(fake_log_contains("[vm0] hi\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_irq_lines_are_plic_sources),
		cmocka_unit_test_setup_teardown(test_uart_raises_its_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virtio_raises_its_source, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
