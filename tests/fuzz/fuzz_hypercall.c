// SPDX-License-Identifier: MIT
/*
 * The hypercall dispatcher (vm/hypercall.c) and the exit dispatch around it (vm/run.c): a VM of
 * one to four vCPUs takes a sequence of exits, mostly hypercalls with any number and arguments,
 * on any of its vCPUs, as its run loops would. Each result is checked against the ABI
 * (docs/hypercalls.md): VERSION, ECHO, PUTCHAR (the byte reaches the console, control characters
 * shown), DEVICE_EXITS (the VM's device exits so far, or one device's: no more), CPU_ON (unknown vCPU or entry outside
 * RAM refused, a running vCPU EALREADY, a stopped or new one made ready at the entry with the
 * argument), VM_STOP (the VM stops with the guest's code); an unknown number answers ENOSYS and
 * the guest runs on. Other exits: halts complete, CPU_UP is CPU_ON, CPU_DOWN stops only the vCPU,
 * power-off, reset, entry failures and exit kinds no backend has stop the VM; bad accesses fault
 * or, for a VM configured so, stop it. Once stopped, a VM takes no exit and keeps its first
 * reason and code.
 */
#include "fuzz_vm.h"

#include <string.h>
#include <vm/hypercall.h>

struct model {
	bool stopped;
	int64_t code;
	uint64_t device_exits[VM_MAX_VCPUS];
};

static uint64_t pick_cpu_id(const struct vm *vm, struct fz *f)
{
	return fz_below(f, 4) ? vm->vcpus[fz_below(f, vm->nvcpus)].guest_cpu_id : fz_u64(f);
}

static uint64_t pick_entry(struct fz *f)
{
	switch (fz_below(f, 4)) {
	case 0:
		return fz_u64(f);
	case 1:
		return FZV_RAM + FZV_RAM_SIZE - fz_below(f, 16);
	default:
		return FZV_RAM + fz_below(f, FZV_RAM_SIZE);
	}
}

static void stop_expected(struct vm *vm, struct model *m, int64_t code)
{
	FZ_CHECK(vm->state == VM_STOPPED, "VM still %s", vm_state_name(vm->state));
	if (!m->stopped) {
		m->stopped = true;
		m->code = code;
	}
	FZ_CHECK(vm->exit_code == m->code, "exit code %lld, expected %lld",
		 (long long)vm->exit_code, (long long)m->code);
	FZ_CHECK(memchr(vm->stop_reason, '\0', sizeof(vm->stop_reason)) && vm->stop_reason[0],
		 "no stop reason");
}

/* CPU_ON / CPU_UP: the result the ABI gives, with the target's state before the call. */
static void check_cpu_on(struct vm *vm, struct vcpu *caller, uint64_t id, uint64_t entry,
			 uint64_t arg, int64_t ret, enum vcpu_state before)
{
	struct vcpu *t = vm_find_vcpu(vm, id);
	int64_t want;

	if (!t || entry < FZV_RAM || entry >= FZV_RAM + FZV_RAM_SIZE)
		want = PV_HC_EINVAL;
	else if (before != VCPU_CREATED && before != VCPU_STOPPED)
		want = PV_HC_EALREADY;
	else
		want = PV_HC_OK;
	FZ_CHECK(ret == want, "CPU_ON 0x%llx at 0x%llx: %lld, expected %lld",
		 (unsigned long long)id, (unsigned long long)entry, (long long)ret,
		 (long long)want);
	if (want == PV_HC_OK) {
		FZ_CHECK(t->state == VCPU_READY && fake_vcpu(t)->entry.raw == entry &&
				 fake_vcpu(t)->entry_arg == arg,
			 "started vCPU %u is %s at 0x%llx", t->id, vcpu_state_name(t->state),
			 (unsigned long long)fake_vcpu(t)->entry.raw);
		FZ_CHECK(t == caller || t->pcpu == fake_hw.current_cpu || fake_hw.ipis[t->pcpu],
			 "no IPI to CPU %u", t->pcpu);
	}
}

static void hypercall(struct vm *vm, struct vcpu *v, struct model *m, struct fz *f)
{
	struct vcpu_exit e = { .kind = VCPU_EXIT_HYPERCALL };
	enum fzv_outcome o;
	enum vcpu_state before = VCPU_CREATED;
	struct vcpu *target;

	e.hcall.nr = fz_below(f, 8) ? fz_below(f, PV_HC_COUNT + 1) : fz_u64(f);
	e.hcall.args[0] = e.hcall.nr == PV_HC_CPU_ON ? pick_cpu_id(vm, f) : fz_u64(f);
	e.hcall.args[1] = e.hcall.nr == PV_HC_CPU_ON ? pick_entry(f) : fz_u64(f);
	e.hcall.args[2] = fz_u64(f);
	e.hcall.ret = (int64_t)fz_u64(f); /* junk the handler must overwrite */
	e.hcall.value = fz_u64(f);
	target = vm_find_vcpu(vm, e.hcall.args[0]);
	if (target)
		before = target->state;
	o = fzv_exit(v, &e);
	if (o == FZV_IDLE)
		return;
	if (e.hcall.nr == PV_HC_VM_STOP) {
		FZ_CHECK(o == FZV_LEFT, "VM_STOP: outcome %d", o);
		stop_expected(vm, m, (int64_t)e.hcall.args[0]);
		return;
	}
	FZ_CHECK(o == FZV_COMPLETED, "hypercall %llu: outcome %d", (unsigned long long)e.hcall.nr,
		 o);
	FZ_CHECK(fake_vcpu(v)->regs[0] == (uint64_t)e.hcall.ret &&
			 fake_vcpu(v)->regs[1] == e.hcall.value,
		 "results not handed back");
	switch (e.hcall.nr) {
	case PV_HC_VERSION:
		FZ_CHECK(e.hcall.ret == 0 && e.hcall.value == PV_HC_ABI_VERSION, "VERSION");
		break;
	case PV_HC_ECHO:
		FZ_CHECK(e.hcall.ret == 0 && e.hcall.value == e.hcall.args[0], "ECHO");
		break;
	case PV_HC_PUTCHAR:
		FZ_CHECK(e.hcall.ret == 0 && e.hcall.value == 0, "PUTCHAR");
		fzv_check_put(vm, (uint8_t)e.hcall.args[0]);
		break;
	case PV_HC_DEVICE_EXITS: {
		uint64_t all = 0;

		for (unsigned i = 0; i < vm->nvcpus; i++)
			all += m->device_exits[i];
		if (e.hcall.args[1] == 0)
			FZ_CHECK(e.hcall.ret == 0 && e.hcall.value == all,
				 "DEVICE_EXITS %llu, model %llu", (unsigned long long)e.hcall.value,
				 (unsigned long long)all);
		else /* one device's: no more than the VM's, or no device there */
			FZ_CHECK((e.hcall.ret == 0 && e.hcall.value <= all) ||
					 (e.hcall.ret == PV_HC_EINVAL && e.hcall.value == 0),
				 "DEVICE_EXITS of one device: %lld, %llu of %llu",
				 (long long)e.hcall.ret, (unsigned long long)e.hcall.value,
				 (unsigned long long)all);
		break;
	}
	case PV_HC_CPU_ON:
		check_cpu_on(vm, v, e.hcall.args[0], e.hcall.args[1], e.hcall.args[2], e.hcall.ret,
			     before);
		break;
	default:
		FZ_CHECK(e.hcall.ret == PV_HC_ENOSYS && e.hcall.value == 0, "number %llu: %lld",
			 (unsigned long long)e.hcall.nr, (long long)e.hcall.ret);
		break;
	}
}

static void other_exit(struct vm *vm, struct vcpu *v, struct model *m, struct fz *f)
{
	struct vcpu_exit e;
	enum vcpu_exit_kind kind = (enum vcpu_exit_kind)fz_below(f, VCPU_EXIT_KIND_COUNT + 2);
	enum vcpu_state before = VCPU_CREATED;
	enum fzv_outcome o;
	struct vcpu *target;
	bool bad_access = false;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	switch (kind) {
	case VCPU_EXIT_MMIO:
		e.mmio.addr = gpa(fz_u64(f));
		e.mmio.width = (uint8_t)fz_width(f);
		e.mmio.write = fz_bool(f);
		e.mmio.data = fz_u64(f);
		bad_access = true;
		break;
	case VCPU_EXIT_PIO:
		e.pio.port = fz_u16(f);
		e.pio.width = (uint8_t)fz_width(f);
		e.pio.write = fz_bool(f);
		bad_access = true;
		break;
	case VCPU_EXIT_SYSREG:
		e.sysreg.id = fz_u32(f);
		e.sysreg.write = fz_bool(f);
		bad_access = true;
		break;
	case VCPU_EXIT_S2_FAULT:
		e.fault.addr = gpa(fz_u64(f));
		e.fault.access = fz_u8(f);
		bad_access = true;
		break;
	case VCPU_EXIT_CPU_UP:
		e.cpu_up.target = pick_cpu_id(vm, f);
		e.cpu_up.entry = pick_entry(f);
		e.cpu_up.arg = fz_u64(f);
		break;
	case VCPU_EXIT_ENTRY_FAIL:
		e.entry_fail.reason = fz_u64(f);
		break;
	case VCPU_EXIT_HALT:
		fake_virq_set_pending(v, fz_bool(f));
		break;
	default:
		break;
	}
	target = kind == VCPU_EXIT_CPU_UP ? vm_find_vcpu(vm, e.cpu_up.target) : NULL;
	if (target)
		before = target->state;
	o = fzv_exit(v, &e);
	if (o == FZV_IDLE)
		return;
	if (kind == VCPU_EXIT_MMIO || kind == VCPU_EXIT_PIO || kind == VCPU_EXIT_SYSREG)
		m->device_exits[v->id]++;
	if (bad_access && vm->config->stop_on_bad_access) {
		FZ_CHECK(o == FZV_LEFT, "bad access: outcome %d", o);
		stop_expected(vm, m, -PV_EFAULT);
	} else if (bad_access) {
		FZ_CHECK(o == FZV_FAULTED, "bad access (kind %d): outcome %d", kind, o);
	}
	switch (kind) {
	case VCPU_EXIT_NONE:
	case VCPU_EXIT_IRQ:
		FZ_CHECK(o == FZV_CONTINUED, "kind %d: outcome %d", kind, o);
		break;
	case VCPU_EXIT_HALT:
		FZ_CHECK(o == FZV_COMPLETED && v->state == VCPU_RUNNING, "halt: outcome %d", o);
		break;
	case VCPU_EXIT_CPU_UP:
		FZ_CHECK(o == FZV_COMPLETED, "CPU_UP: outcome %d", o);
		check_cpu_on(vm, v, e.cpu_up.target, e.cpu_up.entry, e.cpu_up.arg, e.cpu_up.ret,
			     before);
		break;
	case VCPU_EXIT_CPU_DOWN:
		FZ_CHECK(o == FZV_LEFT && v->state == VCPU_STOPPED && vm->state != VM_STOPPED,
			 "CPU_DOWN: outcome %d, vCPU %s", o, vcpu_state_name(v->state));
		break;
	case VCPU_EXIT_SYSTEM_OFF:
	case VCPU_EXIT_SYSTEM_RESET:
		FZ_CHECK(o == FZV_LEFT, "power: outcome %d", o);
		stop_expected(vm, m, 0);
		break;
	case VCPU_EXIT_ENTRY_FAIL:
	case VCPU_EXIT_KIND_COUNT: /* and the one after it: kinds no backend produces */
		FZ_CHECK(o == FZV_LEFT, "kind %d: outcome %d", kind, o);
		stop_expected(vm, m, -PV_EINVAL);
		break;
	default:
		if ((unsigned)kind > VCPU_EXIT_KIND_COUNT) {
			FZ_CHECK(o == FZV_LEFT, "kind %d: outcome %d", kind, o);
			stop_expected(vm, m, -PV_EINVAL);
		}
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = fz_init(data, size);
	static struct vm vm;
	struct vm_config cfg;
	struct model m;
	unsigned nvcpus = 1 + (unsigned)fz_below(&f, 4);

	memset(&m, 0, sizeof(m));
	fzv_reset();
	fzv_config(&cfg, nvcpus);
	cfg.stop_on_bad_access = fz_bool(&f);
	/* A reset request stops the VM here (on-reset = "stop"); restarts need the vCPUs to leave
	 * on their own CPUs, which the unit tests of vm/vm_reset.c drive. */
	cfg.stop_on_reset = true;
	fzv_start(&vm, &cfg);
	for (unsigned n = 0; fz_more(&f) && n < 4096 && vm.state != VM_STOPPED; n++) {
		struct vcpu *v = &vm.vcpus[fz_below(&f, nvcpus)];

		fake_hw.current_cpu = v->pcpu;
		fake_hw.now += fz_u16(&f); /* time passes: the log's rate limit refills */
		if (fz_below(&f, 4))
			hypercall(&vm, v, &m, &f);
		else
			other_exit(&vm, v, &m, &f);
		FZ_CHECK(vm.state == VM_STOPPED || !m.stopped, "VM came back from a stop");
	}
	if (m.stopped) {
		struct vcpu_exit e = { .kind = VCPU_EXIT_HYPERCALL };

		FZ_CHECK(fzv_exit(&vm.vcpus[0], &e) == FZV_IDLE, "a stopped VM took an exit");
	}
	fzv_check_console();
	for (unsigned i = 0; i < nvcpus; i++)
		if (vm.vcpus[i].state == VCPU_RUNNING)
			(void)vcpu_set_state(&vm.vcpus[i], VCPU_STOPPED);
	fzv_finish(&vm);
	return 0;
}
