// SPDX-License-Identifier: MIT
/* VM lifecycle: validate a configuration, back its RAM, build stage 2 and vCPUs, load, stop. */
#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <irq/vdev_model.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/hypercall.h>
#include <vm/sched.h>
#include <vm/vm.h>
#include <vm/vm_config.h>

const char *vm_state_name(enum vm_state state)
{
	switch (state) {
	case VM_CREATED:
		return "created";
	case VM_READY:
		return "ready";
	case VM_RUNNING:
		return "running";
	case VM_HALTED:
		return "halted";
	case VM_STOPPED:
		return "stopped";
	case VM_RESETTING:
		return "restarting";
	}
	return "invalid";
}

static unsigned floor_log2(uint64_t v)
{
	unsigned n = 0;
	while (v >>= 1)
		n++;
	return n;
}

/* Backs [gpa, gpa+size) with the largest naturally aligned allocations that fit. */
static int vm_back_region(struct vm *vm, gpa_t base, uint64_t size, struct s2_attr attr)
{
	uint64_t done = 0;

	while (done < size) {
		uint64_t left = size - done, addr = base.raw + done;
		unsigned order = floor_log2(left >> HAL_PAGE_SHIFT);
		struct vm_mem_chunk *c;
		int err;

		/* Keep the guest address aligned like the host frames so stage 2 can use blocks. */
		while (order && !PV_IS_ALIGNED(addr, HAL_PAGE_SIZE << order))
			order--;
		if (order > 18)
			order = 18;
		if (vm->nchunks >= VM_MAX_MEM_CHUNKS)
			return -PV_ENOMEM;
		c = &vm->chunks[vm->nchunks];
		for (;;) {
			err = page_pool_alloc(vm->pool, order, &c->hpa);
			if (err != -PV_ENOMEM || order == 0)
				break;
			order--; /* fragmented pool: smaller pieces */
		}
		if (err)
			return err;
		c->gpa = gpa(addr);
		c->size = HAL_PAGE_SIZE << order;
		c->order = order;
		vm->nchunks++;
		err = s2_map(&vm->s2, c->gpa, c->hpa, c->size, attr);
		if (err)
			return err;
		done += c->size;
	}
	return PV_OK;
}

/* Identity RAM region [base, base + size): the host memory at the same address, reserved at boot
 * (vm/hv_vms.c), zeroed and mapped. */
static int vm_back_identity(struct vm *vm, gpa_t base, uint64_t size, struct s2_attr attr)
{
	struct vm_mem_chunk *c;
	void *host = page_pool_virt(vm->pool, hpa(base.raw));
	void *last = page_pool_virt(vm->pool, hpa(base.raw + size - 1));

	if (!host || !last) {
		hal_printf("vm %s: identity RAM 0x%llx-0x%llx is outside the page pool's memory\n",
			   vm->name, (unsigned long long)base.raw,
			   (unsigned long long)(base.raw + size - 1));
		return -PV_EINVAL;
	}
	if (vm->nchunks >= VM_MAX_MEM_CHUNKS)
		return -PV_ENOMEM;
	c = &vm->chunks[vm->nchunks++];
	*c = (struct vm_mem_chunk){
		.gpa = base, .hpa = hpa(base.raw), .size = size, .fixed = true
	};
	memset(host, 0, size);
	return s2_map(&vm->s2, base, c->hpa, size, attr);
}

/* The windows and interrupt lines of the passed-through devices. */
static int vm_attach_pt(struct vm *vm)
{
	const struct vm_config *cfg = vm->config;
	const struct s2_attr dev = { S2_PERM_R | S2_PERM_W, S2_MEM_DEVICE };
	const struct virq_ops *virq = arch_backend.virq;

	for (unsigned p = 0; p < cfg->npt; p++) {
		const struct vm_pt_config *pt = &cfg->pt[p];

		for (unsigned r = 0; r < pt->nregs; r++) {
			const struct vm_pt_reg *w = &pt->regs[r];
			int err = s2_map(&vm->s2, w->gpa, w->hpa, w->size, dev);

			if (err)
				return err;
			hal_printf(
				"vm %s: %s: host 0x%llx-0x%llx at guest 0x%llx, passed through\n",
				vm->name, pt->node, (unsigned long long)w->hpa.raw,
				(unsigned long long)(w->hpa.raw + w->size - 1),
				(unsigned long long)w->gpa.raw);
		}
		for (unsigned i = 0; i < pt->nirqs; i++) {
			const struct vm_pt_irq *l = &pt->irqs[i];
			int err = virq && virq->pt_attach && arch_vm_desc.irq_line
					  ? virq->pt_attach(vm, l->host,
							    arch_vm_desc.irq_line(l->guest))
					  : -PV_ENOTSUP;

			if (err) {
				hal_printf("vm %s: %s: physical interrupt line %u: %s\n", vm->name,
					   pt->node, l->host, pv_strerror(err));
				return err;
			}
			hal_printf("vm %s: %s: physical interrupt line %u is its line %u\n",
				   vm->name, pt->node, l->host, l->guest);
		}
	}
	return PV_OK;
}

static void vm_release(struct vm *vm, bool s2_ready)
{
	const struct vcpu_ops *ops = arch_backend.vcpu;

	vm_destroy_devices(vm);
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (vm->vcpus[i].arch && ops->destroy)
			ops->destroy(&vm->vcpus[i]);
	if (s2_ready)
		s2_destroy(&vm->s2);
	for (unsigned i = 0; i < vm->nchunks; i++)
		if (!vm->chunks[i].fixed)
			page_pool_free(vm->pool, vm->chunks[i].hpa, vm->chunks[i].order);
	vm->nchunks = 0;
	vm->nvcpus = 0;
}

int vm_create_devices(struct vm *vm)
{
	const struct vm_config *config = vm->config;
	int err = PV_OK;

	vm->nvdevs = 0;
	vm->vdev_last = NULL;
	vm->dev_arena_used = 0;
	vm->ndevs_created = 0;
	if (arch_backend.virq) {
		err = arch_backend.virq->vm_init(vm);
		for (unsigned i = 0; !err && i < vm->nvcpus; i++)
			err = arch_backend.virq->vcpu_init(&vm->vcpus[i]);
		if (err)
			return err;
	}
	for (unsigned i = 0; i < config->ndevs; i++) {
		err = config->devs[i].model->create(vm, &config->devs[i]);
		if (err) {
			hal_printf("vm %s: device %s: %s\n", config->name, config->devs[i].node,
				   pv_strerror(err));
			return err;
		}
		vm->ndevs_created = i + 1;
	}
	return vm_attach_pt(vm);
}

void vm_destroy_devices(struct vm *vm)
{
	for (unsigned i = vm->ndevs_created; i-- > 0;) {
		const struct vm_dev_config *dev = &vm->config->devs[i];

		if (dev->model->destroy)
			dev->model->destroy(vm, dev);
	}
	vm->ndevs_created = 0;
	if (arch_backend.virq && arch_backend.virq->pt_release)
		arch_backend.virq->pt_release(vm);
	if (arch_backend.virq && vm->virq)
		arch_backend.virq->vm_destroy(vm);
}

int vm_create(struct vm *vm, unsigned id, const struct vm_config *config, struct page_pool *pool)
{
	const struct vcpu_ops *ops = arch_backend.vcpu;
	const struct s2_attr ram = { S2_PERM_RWX, S2_MEM_NORMAL };
	struct vm_err why;
	int err;

	memset(vm, 0, sizeof(*vm));
	err = vm_config_check(config, &why);
	if (!err)
		err = vm_layout_compute(config, &vm->layout, &why);
	if (err) {
		hal_printf("vm %s: bad configuration: %s\n", why.where, why.msg);
		return err;
	}
	if (!ops->create || !ops->run || !ops->set_entry || !ops->attach_s2 || !ops->complete) {
		hal_printf("vm %s: the %s backend cannot run guests yet\n", config->name,
			   arch_backend.name);
		return -PV_ENOTSUP;
	}
	vm->id = id;
	vm->config = config;
	vm->pool = pool;
	vm->state = VM_CREATED;
	pv_spin_init(&vm->lock);
	memcpy(vm->name, config->name, strlen(config->name) + 1);
	vm->log_tokens = VM_LOG_BURST;
	vm->log_refilled = hal_cpu.timer_now();
	vm_console_init(vm);

	err = s2_init(&vm->s2, arch_backend.s2_format, arch_backend.s2_tlb, pool,
		      (uint16_t)(id + 1));
	if (err)
		goto fail_early;
	for (unsigned i = 0; i < config->nmem; i++) {
		if (config->identity_ram)
			err = vm_back_identity(vm, config->mem[i].gpa, config->mem[i].size, ram);
		else
			err = vm_back_region(vm, config->mem[i].gpa, config->mem[i].size, ram);
		if (err)
			goto fail;
	}
	if (config->identity_ram)
		hal_printf("vm %s: WARNING: RAM at guest-physical = host-physical for device DMA; "
			   "without an IOMMU a device it drives can read and write all memory: "
			   "this VM is not isolated from DMA\n",
			   config->name);
	for (unsigned i = 0; i < config->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		v->vm = vm;
		v->id = i;
		v->pcpu = config->pcpu[i];
		v->guest_cpu_id = config->guest_cpu_id[i];
		v->state = VCPU_CREATED;
		pv_spin_init(&v->virq_lock);
		vm->nvcpus = i + 1;
		err = ops->create(v);
		if (err)
			goto fail;
		ops->attach_s2(v, &vm->s2);
	}
	err = vm_create_devices(vm);
	if (err)
		goto fail;
	return PV_OK;

fail:
	vm_release(vm, true);
	hal_printf("vm %s: creation failed: %s\n", config->name, pv_strerror(err));
	return err;
fail_early:
	vm_release(vm, false);
	hal_printf("vm %s: creation failed: %s\n", config->name, pv_strerror(err));
	return err;
}

void vm_destroy(struct vm *vm)
{
	vm_release(vm, vm->s2.fmt != NULL);
}

void vm_stop(struct vm *vm, int64_t code, const char *reason)
{
	bool first;

	pv_spin_lock(&vm->lock);
	/* A VM being restarted is not stopped on the way: the restart owns its state. */
	first = !vm_state_down(vm->state);
	if (first) {
		vm->state = VM_STOPPED;
		vm->exit_code = code;
		pv_snprintf(vm->stop_reason, sizeof(vm->stop_reason), "%s", reason);
	}
	pv_spin_unlock(&vm->lock);
	if (!first)
		return;
	vm_console_flush(vm); /* what it printed comes before the line saying it stopped */
	hal_printf("vm %s: stopped: %s (code %lld)\n", vm->name, reason, (long long)code);
	/* A stopped VM's devices interrupt no one. */
	if (arch_backend.virq && arch_backend.virq->pt_release)
		arch_backend.virq->pt_release(vm);
	for (unsigned i = 0; i < vm->ndevs_created; i++) {
		const struct vm_dev_config *dev = &vm->config->devs[i];

		if (dev->model->report)
			dev->model->report(vm, dev);
	}
	/* vCPUs on other CPUs leave their run loops at their next exit; make that exit come now. */
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		const struct vcpu *v = &vm->vcpus[i];
		if (v->pcpu != hal_cpu.cpu_id() &&
		    (v->state == VCPU_RUNNING || v->state == VCPU_HALTED))
			hal_cpu.ipi_send(v->pcpu);
	}
	/* Idle CPUs re-check whether every VM has stopped. */
	sched_kick_all();
}

void *vm_dev_alloc(struct vm *vm, size_t size)
{
	size_t start = PV_ALIGN_UP(vm->dev_arena_used, (size_t)16);
	void *p;

	if (size > sizeof(vm->dev_arena) || start > sizeof(vm->dev_arena) - size)
		return NULL;
	p = &vm->dev_arena[start];
	memset(p, 0, size);
	vm->dev_arena_used = start + size;
	return p;
}

struct vcpu *vm_find_vcpu(struct vm *vm, uint64_t guest_cpu_id)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (vm->vcpus[i].guest_cpu_id == guest_cpu_id)
			return &vm->vcpus[i];
	return NULL;
}

int64_t vm_cpu_up(struct vm *vm, uint64_t guest_cpu_id, gpa_t entry, uint64_t arg)
{
	struct vcpu *target = vm_find_vcpu(vm, guest_cpu_id);
	int64_t ret = PV_HC_OK;

	if (!target || !vm_config_in_ram(vm->config, entry.raw, 1))
		return PV_HC_EINVAL;
	/* The VM lock keeps two starters apart while set_entry writes the vCPU; the state moves
	 * with a compare-and-swap, as the vCPU's own CPU may change it (a stop) at any time. */
	pv_spin_lock(&vm->lock);
	{
		enum vcpu_state now = __atomic_load_n(&target->state, __ATOMIC_ACQUIRE);

		if (vm_state_down(vm->state)) {
			ret = PV_HC_EDENIED; /* the VM is going down: nothing starts again */
		} else if (now != VCPU_CREATED && now != VCPU_STOPPED) {
			ret = PV_HC_EALREADY;
		} else {
			arch_backend.vcpu->set_entry(target, entry, arg);
			if (vcpu_transition(target, now, VCPU_READY) != PV_OK)
				ret = PV_HC_EALREADY;
		}
	}
	pv_spin_unlock(&vm->lock);
	if (ret == PV_HC_OK && target->pcpu != hal_cpu.cpu_id())
		hal_cpu.ipi_send(target->pcpu);
	return ret;
}

bool vm_log_allowed(struct vm *vm)
{
	uint64_t now = hal_cpu.timer_now(), second = hal_cpu.timer_freq();
	unsigned dropped = 0;
	bool ok;

	pv_spin_lock(&vm->lock);
	if (second && now - vm->log_refilled >= second) {
		uint64_t add = (now - vm->log_refilled) / second;
		uint64_t tokens = vm->log_tokens + (add > VM_LOG_BURST ? VM_LOG_BURST : add);

		vm->log_tokens = tokens > VM_LOG_BURST ? VM_LOG_BURST : (unsigned)tokens;
		vm->log_refilled = now;
	}
	ok = vm->log_tokens > 0;
	if (ok) {
		vm->log_tokens--;
		dropped = vm->log_dropped;
		vm->log_dropped = 0;
	} else {
		vm->log_dropped++;
	}
	pv_spin_unlock(&vm->lock);
	if (dropped)
		hal_printf("vm %s: %u messages about it were not printed\n", vm->name, dropped);
	return ok;
}
