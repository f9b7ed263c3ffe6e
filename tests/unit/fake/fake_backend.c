// SPDX-License-Identifier: MIT
#include "fake_backend.h"

#include <vm/console_switch.h>
#include <vm/shell.h>

#include <pv/fmt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_s2_format.h"

struct fake_hw fake_hw;

void fake_reset(void)
{
	/* The terminal starts at a line start, whatever the last test left open. */
	hal_console_lock();
	(void)hal_console_claim(HAL_CON_NONE);
	hal_console_unlock();
	memset(&fake_hw, 0, sizeof(fake_hw));
	fake_hw.probe_supported = true;
	fake_hw.console_irq = 33;
	console_switch_reset();
	shell_reset();
}

/* ---- HAL ---- */

static unsigned fake_cpu_id(void)
{
	return fake_hw.current_cpu;
}

static uint64_t fake_timer_now(void)
{
	return fake_hw.now;
}

static uint64_t fake_timer_freq(void)
{
	return 1000000;
}

static void fake_timer_arm(uint64_t deadline)
{
	fake_hw.timer_armed = deadline;
}

static void fake_ipi_send(unsigned cpu)
{
	if (cpu < PV_ARRAY_SIZE(fake_hw.ipis))
		fake_hw.ipis[cpu]++;
}

static void fake_tlb_flush_all(void)
{
}

static void fake_dcache_clean_inval(void *va, size_t len)
{
	(void)va;
	(void)len;
}

static void fake_wait_for_interrupt(void)
{
	fake_hw.waits++;
	if (fake_hw.on_wait)
		fake_hw.on_wait();
}

static int fake_irq_enable(unsigned irq)
{
	if (fake_hw.irq_enable_fails)
		return -PV_EINVAL;
	fake_hw.irq_enabled = irq;
	return PV_OK;
}

const struct hal_cpu_ops hal_cpu = {
	.arch_name = "fake",
	.cpu_id = fake_cpu_id,
	.timer_now = fake_timer_now,
	.timer_freq = fake_timer_freq,
	.timer_arm = fake_timer_arm,
	.ipi_send = fake_ipi_send,
	.tlb_flush_all = fake_tlb_flush_all,
	.dcache_clean_inval = fake_dcache_clean_inval,
	.wait_for_interrupt = fake_wait_for_interrupt,
	.irq_enable = fake_irq_enable,
};

static void fake_console_putc(char c)
{
	/* The console sends CR LF; the log keeps LF alone, as the expectations are written. */
	if (c != '\r' && fake_hw.log_len < sizeof(fake_hw.log) - 1)
		fake_hw.log[fake_hw.log_len++] = c;
	fake_hw.log[fake_hw.log_len] = '\0';
}

static int fake_console_rx_start(void)
{
	return fake_hw.console_irq;
}

static int fake_console_getc(void)
{
	if (fake_hw.rx_pos >= fake_hw.rx_len)
		return -1;
	return (uint8_t)fake_hw.rx[fake_hw.rx_pos++];
}

static PV_NORETURN void fake_power_off(void)
{
	fake_hw.powered_off++;
	abort(); /* the core must not power off in a unit test */
}

const struct hal_board_ops hal_board = {
	.name = "fake-board",
	.max_cpus = 4,
	.console_putc = fake_console_putc,
	.console_rx_start = fake_console_rx_start,
	.console_getc = fake_console_getc,
	.power_off = fake_power_off,
	.reset = fake_power_off,
};

bool fake_log_contains(const char *needle)
{
	fake_hw.log[fake_hw.log_len] = '\0';
	return strstr(fake_hw.log, needle) != NULL;
}

void fake_type(const char *bytes, size_t n)
{
	fake_hw.rx_len = 0;
	fake_hw.rx_pos = 0;
	for (size_t i = 0; i < n && i < sizeof(fake_hw.rx); i++)
		fake_hw.rx[fake_hw.rx_len++] = bytes[i];
	hv_device_irq((unsigned)fake_hw.console_irq);
}

/* ---- vCPU ops ---- */

static void fake_probe(struct vcpu_hw_info *info)
{
	info->supported = fake_hw.probe_supported;
	pv_snprintf(info->summary, sizeof(info->summary), "fake virtualization %s",
		    fake_hw.probe_supported ? "present" : "absent");
}

static int fake_cpu_enable(void)
{
	return fake_hw.probe_supported ? PV_OK : -PV_ENOTSUP;
}

static void fake_cpu_disable(void)
{
}

static int fake_create(struct vcpu *vcpu)
{
	fake_hw.create_calls++;
	if (fake_hw.create_error)
		return fake_hw.create_error;
	vcpu->arch = calloc(1, sizeof(struct fake_vcpu));
	return vcpu->arch ? PV_OK : -PV_ENOMEM;
}

static void fake_destroy(struct vcpu *vcpu)
{
	fake_hw.destroy_calls++;
	free(vcpu->arch);
	vcpu->arch = NULL;
}

static void fake_set_entry(struct vcpu *vcpu, gpa_t entry, uint64_t arg)
{
	struct fake_vcpu *f = fake_vcpu(vcpu);
	f->entry = entry;
	f->entry_arg = arg;
	f->pc = entry.raw;
	f->regs[0] = arg;
}

static void fake_reset_vcpu(struct vcpu *vcpu)
{
	struct fake_vcpu *f = fake_vcpu(vcpu);

	fake_hw.reset_calls++;
	f->reset_on_cpu = fake_hw.current_cpu;
	f->resets++;
	f->pc = 0;
	memset(f->regs, 0, sizeof(f->regs));
	f->irq_pending = false;
}

static void fake_attach_s2(struct vcpu *vcpu, struct s2_space *space)
{
	fake_vcpu(vcpu)->s2 = space;
}

static uint64_t fake_wake_deadline(struct vcpu *vcpu)
{
	return fake_vcpu(vcpu)->wake_at;
}

static void fake_idle_exits(struct vcpu *vcpu, bool exits)
{
	fake_vcpu(vcpu)->idle_calls++;
	fake_vcpu(vcpu)->idle_in_guest = !exits;
}

/* The next scripted exit: what the guest did on this entry. */
static void fake_next_exit(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct fake_vcpu *f = fake_vcpu(vcpu);

	fake_hw.now += fake_hw.run_ticks;
	if (fake_hw.nran < PV_ARRAY_SIZE(fake_hw.ran))
		fake_hw.ran[fake_hw.nran++] = vcpu;
	if (fake_hw.on_run)
		fake_hw.on_run(vcpu);
	if (f->script_pos >= f->script_len) {
		*exit = (struct vcpu_exit){ .kind = VCPU_EXIT_ENTRY_FAIL };
		exit->entry_fail.reason = FAKE_ENTRY_FAIL_EMPTY;
		return;
	}
	*exit = f->script[f->script_pos++];
}

static void fake_run(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	do
		fake_next_exit(vcpu, exit);
	while (fake_hw.fast_entry && fake_hw.fast_entry(vcpu, exit));
}

/* Fake register convention: hypercall results in r0/r1; other results in the exit's register. */
static void fake_complete(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct fake_vcpu *f = fake_vcpu(vcpu);

	if (f->ncompleted < FAKE_MAX_RECORDS)
		f->completed[f->ncompleted++] = *exit;
	switch (exit->kind) {
	case VCPU_EXIT_HYPERCALL:
		f->regs[0] = (uint64_t)exit->hcall.ret;
		f->regs[1] = exit->hcall.value;
		break;
	case VCPU_EXIT_MMIO:
		if (!exit->mmio.write)
			f->regs[exit->mmio.reg % FAKE_NREGS] = exit->mmio.data;
		break;
	case VCPU_EXIT_SYSREG:
		if (!exit->sysreg.write)
			f->regs[exit->sysreg.reg % FAKE_NREGS] = exit->sysreg.data;
		break;
	case VCPU_EXIT_PIO:
		if (!exit->pio.write)
			f->regs[0] = exit->pio.data;
		break;
	case VCPU_EXIT_CPU_UP:
		f->regs[0] = (uint64_t)exit->cpu_up.ret;
		break;
	default:
		break;
	}
	f->pc += 4;
}

static int fake_inject_fault(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct fake_vcpu *f = fake_vcpu(vcpu);

	if (fake_hw.inject_fault_fails)
		return -PV_ENOTSUP;
	if (f->nfaults < FAKE_MAX_RECORDS)
		f->faults[f->nfaults++] = *exit;
	return PV_OK;
}

static int fake_get_reg(struct vcpu *vcpu, unsigned reg, uint64_t *value)
{
	struct fake_vcpu *f = fake_vcpu(vcpu);

	if (reg == VCPU_REG_PC)
		*value = f->pc;
	else if (reg >= VCPU_REG_GPR_BASE && reg < VCPU_REG_GPR_BASE + FAKE_NREGS)
		*value = f->regs[reg - VCPU_REG_GPR_BASE];
	else
		return -PV_EINVAL;
	return PV_OK;
}

static int fake_set_reg(struct vcpu *vcpu, unsigned reg, uint64_t value)
{
	struct fake_vcpu *f = fake_vcpu(vcpu);

	if (reg == VCPU_REG_PC)
		f->pc = value;
	else if (reg >= VCPU_REG_ARG0 && reg <= VCPU_REG_ARG3) /* argument n is regs[n] */
		f->regs[reg - VCPU_REG_ARG0] = value;
	else if (reg >= VCPU_REG_GPR_BASE && reg < VCPU_REG_GPR_BASE + FAKE_NREGS)
		f->regs[reg - VCPU_REG_GPR_BASE] = value;
	else
		return -PV_EINVAL;
	return PV_OK;
}

static int fake_inject_irq(struct vcpu *vcpu, uint32_t virq)
{
	struct fake_vcpu *f = fake_vcpu(vcpu);
	if (f->nirqs < FAKE_MAX_RECORDS)
		f->irqs[f->nirqs++] = virq;
	f->irq_pending = true;
	return PV_OK;
}

static const struct vcpu_ops fake_vcpu_ops = {
	.probe = fake_probe,
	.cpu_enable = fake_cpu_enable,
	.cpu_disable = fake_cpu_disable,
	.create = fake_create,
	.destroy = fake_destroy,
	.set_entry = fake_set_entry,
	.reset = fake_reset_vcpu,
	.attach_s2 = fake_attach_s2,
	.run = fake_run,
	.complete = fake_complete,
	.inject_fault = fake_inject_fault,
	.get_reg = fake_get_reg,
	.set_reg = fake_set_reg,
	.inject_irq = fake_inject_irq,
	.wake_deadline = fake_wake_deadline,
	.idle_exits = fake_idle_exits,
};

void fake_script(struct vcpu *v, struct vcpu_exit exit)
{
	struct fake_vcpu *f = fake_vcpu(v);
	if (f->script_len < FAKE_MAX_SCRIPT)
		f->script[f->script_len++] = exit;
}

/* ---- stage-2 TLB hook ---- */

static void fake_tlb_range(const struct s2_space *space, gpa_t addr, uint64_t size)
{
	(void)space;
	(void)addr;
	(void)size;
	fake_hw.tlb_range_calls++;
}

static void fake_tlb_all(const struct s2_space *space)
{
	(void)space;
	fake_hw.tlb_all_calls++;
}

static const struct s2_tlb_ops fake_s2_tlb = {
	.invalidate_range = fake_tlb_range,
	.invalidate_all = fake_tlb_all,
};

/* ---- interrupt controller: one pending flag per vCPU ---- */

static int fake_virq_vm_init(struct vm *vm)
{
	if (fake_hw.virq_init_error)
		return fake_hw.virq_init_error;
	vm->virq = &fake_hw; /* any non-NULL marker: the fake keeps state in fake_vcpu */
	return PV_OK;
}

static void fake_virq_vm_destroy(struct vm *vm)
{
	vm->virq = NULL;
}

static int fake_virq_vcpu_init(struct vcpu *vcpu)
{
	(void)vcpu;
	return PV_OK;
}

static int fake_virq_set_line(struct vm *vm, struct vcpu *target, uint32_t irq, bool level)
{
	struct vcpu *v = target ? target : &vm->vcpus[0];

	if (irq < FAKE_LINES)
		fake_hw.line[irq] = level;
	fake_hw.set_line_calls++;
	if (fake_hw.set_line_hook)
		return fake_hw.set_line_hook(vm, target, irq, level);
	if (level)
		return fake_inject_irq(v, irq);
	return PV_OK;
}

static int fake_virq_send_ipi(struct vcpu *from, struct vcpu *to, uint32_t irq)
{
	(void)from;
	return fake_inject_irq(to, irq);
}

static bool fake_virq_pending(struct vcpu *vcpu)
{
	return fake_vcpu(vcpu)->irq_pending;
}

static void fake_virq_flush(struct vcpu *vcpu)
{
	(void)vcpu;
	fake_hw.nflush++;
}

static void fake_virq_sync(struct vcpu *vcpu)
{
	(void)vcpu;
	fake_hw.nsync++;
}

static int fake_virq_pt_attach(struct vm *vm, uint32_t host, uint32_t guest)
{
	(void)vm;
	if (fake_hw.pt_attach_error)
		return fake_hw.pt_attach_error;
	if (fake_hw.npt_attach < FAKE_MAX_PT_RECORDS) {
		fake_hw.pt_host[fake_hw.npt_attach] = host;
		fake_hw.pt_guest[fake_hw.npt_attach] = guest;
	}
	fake_hw.npt_attach++;
	return PV_OK;
}

static void fake_virq_pt_release(struct vm *vm)
{
	(void)vm;
	fake_hw.pt_release_calls++;
}

static const struct virq_ops fake_virq_ops = {
	.name = "fake-irqchip",
	.vm_init = fake_virq_vm_init,
	.vm_destroy = fake_virq_vm_destroy,
	.vcpu_init = fake_virq_vcpu_init,
	.set_line = fake_virq_set_line,
	.send_ipi = fake_virq_send_ipi,
	.pending = fake_virq_pending,
	.flush = fake_virq_flush,
	.sync = fake_virq_sync,
	.pt_attach = fake_virq_pt_attach,
	.pt_release = fake_virq_pt_release,
};

void fake_virq_set_pending(struct vcpu *v, bool pending)
{
	fake_vcpu(v)->irq_pending = pending;
}

const struct arch_backend arch_backend = {
	.name = "fake",
	.vcpu = &fake_vcpu_ops,
	.s2_format = &fake_s2_format,
	.s2_tlb = &fake_s2_tlb,
	.virq = &fake_virq_ops,
};
