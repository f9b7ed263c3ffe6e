// SPDX-License-Identifier: MIT
/*
 * The per-CPU scheduler (vm/sched.h). A CPU runs the vCPUs pinned to it round robin. A vCPU with
 * the CPU to itself runs until it stops, and idles in place. Where vCPUs share a CPU (their VMs
 * say "shared-cpus"), each runs for a time slice, measured by the CPU's hypervisor timer, which
 * interrupts a guest whatever its own interrupt masking; a vCPU that idles gives the CPU to the
 * next one at once and is picked again when an interrupt is pending for it.
 */
#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <hal/hv_timer.h>
#include <vm/run.h>
#include <vm/sched.h>

/* The vCPUs pinned to one physical CPU (at most one per VM). */
struct sched_cpu {
	unsigned n;
	struct vcpu *vcpus[SCHED_MAX_VMS];
	unsigned last;	    /* index picked last: the next pick starts after it */
	uint64_t slice_end; /* counter value ending the running vCPU's slice; 0: not shared */
};

static struct vm sched_vms[SCHED_MAX_VMS];
static unsigned sched_nvms;
static uint64_t sched_mask;
static struct sched_cpu sched_cpus[CONFIG_MAX_CPUS];
/* CPUs in sched_run_cpu: the vCPUs' CPUs, and the boot CPU, which waits there to power the
 * machine off even when no vCPU is pinned to it. */
static uint64_t sched_looping;

static uint64_t sched_slice_ticks(void)
{
	return hal_cpu.timer_freq() * CONFIG_SCHED_SLICE_US / 1000000u;
}

unsigned sched_create_vms(const struct vm_config *const *configs, unsigned count,
			  struct page_pool *pool)
{
	for (unsigned i = 0; i < count; i++) {
		struct vm *vm = &sched_vms[sched_nvms];
		int err;

		if (sched_nvms >= SCHED_MAX_VMS) {
			hal_printf("vm %s: not started: at most %u VMs\n", configs[i]->name,
				   SCHED_MAX_VMS);
			continue;
		}
		err = vm_create(vm, sched_nvms, configs[i], pool);
		if (!err) {
			err = vm_load(vm);
			if (err) {
				hal_printf("vm %s: loading failed: %s\n", configs[i]->name,
					   pv_strerror(err));
				vm_destroy(vm);
			}
		}
		if (err)
			continue;
		for (unsigned v = 0; v < vm->nvcpus; v++) {
			struct sched_cpu *c = &sched_cpus[vm->vcpus[v].pcpu];

			sched_mask |= 1ULL << vm->vcpus[v].pcpu;
			c->vcpus[c->n++] = &vm->vcpus[v];
			c->last = c->n - 1; /* the first pick is the first vCPU */
		}
		hal_printf("vm %s: %u vCPU(s), %llu KiB RAM, ready\n", vm->name, vm->nvcpus,
			   (unsigned long long)(vm->config->mem[0].size >> 10));
		sched_nvms++;
	}
	return sched_nvms;
}

uint64_t sched_cpu_mask(void)
{
	return sched_mask;
}

bool sched_all_stopped(void)
{
	for (unsigned i = 0; i < sched_nvms; i++)
		if (__atomic_load_n(&sched_vms[i].state, __ATOMIC_ACQUIRE) != VM_STOPPED)
			return false;
	return true;
}

/* Whether @v could run now: ready, or idling with an interrupt pending for it. */
static bool sched_runnable(struct vcpu *v)
{
	const struct virq_ops *virq = arch_backend.virq;

	if (vm_state_down(__atomic_load_n(&v->vm->state, __ATOMIC_ACQUIRE)))
		return false;
	switch (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE)) {
	case VCPU_READY:
		return true;
	case VCPU_HALTED:
		/* Without an interrupt controller nothing can say: it looks again itself. */
		return !virq || virq->pending(v);
	default:
		return false;
	}
}

/* The next runnable vCPU of @c after the one picked last, or NULL. */
static struct vcpu *sched_pick(struct sched_cpu *c)
{
	for (unsigned k = 1; k <= c->n; k++) {
		unsigned i = (c->last + k) % c->n;

		if (sched_runnable(c->vcpus[i])) {
			c->last = i;
			return c->vcpus[i];
		}
	}
	return NULL;
}

bool sched_others_runnable(struct vcpu *vcpu)
{
	struct sched_cpu *c = &sched_cpus[vcpu->pcpu];

	for (unsigned i = 0; c->n > 1 && i < c->n; i++)
		if (c->vcpus[i] != vcpu && sched_runnable(c->vcpus[i]))
			return true;
	return false;
}

bool sched_cpu_alone(const struct vcpu *vcpu)
{
	return sched_cpus[vcpu->pcpu].n == 1;
}

bool sched_should_yield(struct vcpu *vcpu)
{
	struct sched_cpu *c = &sched_cpus[vcpu->pcpu];
	uint64_t now;

	if (!c->slice_end)
		return false;
	now = hal_cpu.timer_now();
	if (now < c->slice_end)
		return false;
	if (sched_others_runnable(vcpu))
		return true;
	/* Nobody else wants the CPU: another slice. */
	c->slice_end = now + sched_slice_ticks();
	hv_timer_set(HV_TIMER_SCHED, c->slice_end);
	return false;
}

/* When the CPU must look again while every vCPU idles: the earliest moment an idle vCPU's own
 * timer makes it runnable, or one slice from now for a backend that cannot say. 0: never. The
 * vCPU waiting in place (@in_place, loaded) is left out: its own timer wakes the CPU. */
static uint64_t sched_idle_deadline(struct sched_cpu *c, const struct vcpu *in_place)
{
	const struct vcpu_ops *ops = arch_backend.vcpu;
	uint64_t next = 0, now = hal_cpu.timer_now();

	for (unsigned i = 0; i < c->n; i++) {
		struct vcpu *v = c->vcpus[i];
		uint64_t d;

		if (v == in_place || __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) != VCPU_HALTED ||
		    vm_state_down(__atomic_load_n(&v->vm->state, __ATOMIC_ACQUIRE)))
			continue;
		d = ops->wake_deadline ? ops->wake_deadline(v) : now + sched_slice_ticks();
		if (d && (!next || d < next))
			next = d;
	}
	return next;
}

void sched_before_wait(unsigned cpu, const struct vcpu *in_place)
{
	hv_timer_set(HV_TIMER_SCHED, sched_idle_deadline(&sched_cpus[cpu], in_place));
}

void sched_run_cpu(unsigned cpu)
{
	struct sched_cpu *c = &sched_cpus[cpu];

	if (cpu < 64)
		__atomic_fetch_or(&sched_looping, 1ULL << cpu, __ATOMIC_SEQ_CST);
	for (;;) {
		struct vcpu *vcpu;

		vm_reset_work(cpu);
		vcpu = sched_pick(c);
		if (vcpu) {
			/* A slice only where others wait for this CPU. */
			c->slice_end = c->n > 1 ? hal_cpu.timer_now() + sched_slice_ticks() : 0;
			hv_timer_set(HV_TIMER_SCHED, c->slice_end);
			vm_run_vcpu(vcpu);
			continue;
		}
		c->slice_end = 0;
		if (sched_all_stopped()) {
			hv_timer_set(HV_TIMER_SCHED, 0);
			return;
		}
		sched_before_wait(cpu, NULL);
		hal_cpu.wait_for_interrupt();
	}
}

void sched_kick_all(void)
{
	unsigned self = hal_cpu.cpu_id();
	uint64_t mask = sched_mask | __atomic_load_n(&sched_looping, __ATOMIC_SEQ_CST);

	for (unsigned cpu = 0; cpu < 64; cpu++)
		if ((mask >> cpu & 1) && cpu != self)
			hal_cpu.ipi_send(cpu);
}

struct vm *sched_vm(unsigned index)
{
	return index < sched_nvms ? &sched_vms[index] : NULL;
}

unsigned sched_vm_count(void)
{
	return sched_nvms;
}

void sched_reset(void)
{
	sched_nvms = 0;
	sched_mask = 0;
	for (unsigned i = 0; i < CONFIG_MAX_CPUS; i++)
		sched_cpus[i] = (struct sched_cpu){ 0 };
	sched_looping = 0;
}
