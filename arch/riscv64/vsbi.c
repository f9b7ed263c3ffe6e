// SPDX-License-Identifier: MIT
/*
 * SBI for guests (SBI specification 2.0). The guest's hart ids are the vCPUs' guest CPU ids; a
 * hart mask names them relative to hart_mask_base (-1: every hart of the VM).
 */
#include <riscv64/vcpu.h>
#include <riscv64/vsbi.h>
#include <vm/hypercall.h>
#include <vm/vm.h>

/* Bytes one console_write call prints at most: the spec lets it write fewer than asked (callers
 * loop), and a bound keeps the work of one exit small however much a guest asks for. */
#define VSBI_DBCN_MAX 64

static void vsbi_ret(uint64_t x[32], int64_t error, uint64_t value)
{
	x[VSBI_A0] = (uint64_t)error;
	x[VSBI_A1] = value;
}

static bool vsbi_known_ext(uint64_t eid)
{
	switch (eid) {
	case VSBI_EXT_LEGACY_SET_TIMER:
	case VSBI_EXT_LEGACY_PUTCHAR:
	case VSBI_EXT_LEGACY_GETCHAR:
	case VSBI_EXT_LEGACY_SEND_IPI:
	case VSBI_EXT_LEGACY_SHUTDOWN:
	case VSBI_EXT_BASE:
	case VSBI_EXT_TIME:
	case VSBI_EXT_IPI:
	case VSBI_EXT_RFENCE:
	case VSBI_EXT_HSM:
	case VSBI_EXT_SRST:
	case VSBI_EXT_DBCN:
	case VSBI_EXT_POLYVISOR:
		return true;
	default:
		return false;
	}
}

static void vsbi_base(uint64_t fid, uint64_t x[32])
{
	switch (fid) {
	case 0:
		vsbi_ret(x, VSBI_SUCCESS, VSBI_SPEC_VERSION);
		return;
	case 1:
		vsbi_ret(x, VSBI_SUCCESS, VSBI_IMPL_ID);
		return;
	case 2:
		vsbi_ret(x, VSBI_SUCCESS, VSBI_IMPL_VERSION);
		return;
	case 3:
		vsbi_ret(x, VSBI_SUCCESS, vsbi_known_ext(x[VSBI_A0]) ? 1 : 0);
		return;
	case 4: /* mvendorid, marchid, mimpid: nothing to identify */
	case 5:
	case 6:
		vsbi_ret(x, VSBI_SUCCESS, 0);
		return;
	default:
		vsbi_ret(x, VSBI_ERR_NOT_SUPPORTED, 0);
		return;
	}
}

/* What vsbi_for_mask does to each hart a mask names. */
enum vsbi_op {
	VSBI_OP_IPI,
	VSBI_OP_FENCE_I,
	VSBI_OP_FENCE_VVMA
};

/* Applies @op to every vCPU a hart mask names; VSBI_ERR_INVALID_PARAM if one does not exist
 * (checked before anything is done). Fences return when every target has fenced. */
static int64_t vsbi_for_mask(struct vcpu *vcpu, uint64_t mask, uint64_t base, enum vsbi_op op)
{
	struct vm *vm = vcpu->vm;
	struct vcpu *targets[VM_MAX_VCPUS];
	unsigned n = 0;

	if (base == UINT64_MAX) {
		for (unsigned i = 0; i < vm->nvcpus; i++)
			targets[n++] = &vm->vcpus[i];
	} else {
		for (unsigned bit = 0; bit < 64; bit++) {
			struct vcpu *t;
			if (!(mask >> bit & 1))
				continue;
			if (base + bit < base)
				return VSBI_ERR_INVALID_PARAM;
			t = vm_find_vcpu(vm, base + bit);
			if (!t || n >= VM_MAX_VCPUS)
				return VSBI_ERR_INVALID_PARAM;
			targets[n++] = t;
		}
	}
	switch (op) {
	case VSBI_OP_IPI:
		for (unsigned i = 0; i < n; i++)
			riscv_vsbi_send_ipi(vcpu, targets[i]);
		break;
	case VSBI_OP_FENCE_I:
		riscv_vsbi_remote_fence(vcpu, targets, n, RISCV_FENCE_I);
		break;
	case VSBI_OP_FENCE_VVMA:
		riscv_vsbi_remote_fence(vcpu, targets, n, RISCV_FENCE_VVMA);
		break;
	}
	return VSBI_SUCCESS;
}

static void vsbi_rfence(struct vcpu *vcpu, uint64_t fid, uint64_t x[32])
{
	switch (fid) {
	case 0: /* remote_fence_i */
		vsbi_ret(x, vsbi_for_mask(vcpu, x[VSBI_A0], x[VSBI_A1], VSBI_OP_FENCE_I), 0);
		return;
	case 1: /* remote_sfence_vma; the range is widened to the whole address space */
	case 2: /* remote_sfence_vma_asid; likewise every ASID */
		vsbi_ret(x, vsbi_for_mask(vcpu, x[VSBI_A0], x[VSBI_A1], VSBI_OP_FENCE_VVMA), 0);
		return;
	default: /* the hfence calls: a guest has no H extension of its own */
		vsbi_ret(x, VSBI_ERR_NOT_SUPPORTED, 0);
		return;
	}
}

static uint64_t vsbi_hart_state(const struct vcpu *t)
{
	switch (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE)) {
	case VCPU_READY:
		return VSBI_HSM_START_PENDING;
	case VCPU_HALTED:
		return riscv_vsbi_suspended(t) ? VSBI_HSM_SUSPENDED : VSBI_HSM_STARTED;
	case VCPU_RUNNING:
		return VSBI_HSM_STARTED;
	default:
		return VSBI_HSM_STOPPED;
	}
}

/* hart_suspend(suspend_type, resume_addr, opaque): the two default types (SBI 2.0, 9.4). */
static void vsbi_hart_suspend(struct vcpu *vcpu, uint64_t x[32], struct vcpu_exit *exit)
{
	uint64_t type = x[VSBI_A0], addr = x[VSBI_A1], opaque = x[VSBI_A0 + 2];
	uint8_t probe;

	if (type > UINT32_MAX || (type < 0x10000000u && type != VSBI_SUSPEND_RETENTIVE) ||
	    (type > VSBI_SUSPEND_NON_RETENTIVE && type < 0x90000000u)) {
		vsbi_ret(x, VSBI_ERR_INVALID_PARAM, 0);
		return;
	}
	if (type != VSBI_SUSPEND_RETENTIVE && type != VSBI_SUSPEND_NON_RETENTIVE) {
		vsbi_ret(x, VSBI_ERR_NOT_SUPPORTED, 0); /* platform-specific: none here */
		return;
	}
	if (type == VSBI_SUSPEND_RETENTIVE) {
		vsbi_ret(x, VSBI_SUCCESS, 0);
		riscv_vsbi_suspend(vcpu, false, 0);
	} else {
		/* The resume address must be guest RAM (the guest's own memory, where it may run). */
		if (vm_read_guest(vcpu->vm, gpa(addr), &probe, 1) != PV_OK) {
			vsbi_ret(x, VSBI_ERR_INVALID_ADDR, 0);
			return;
		}
		x[VSBI_A0] = vcpu->guest_cpu_id;
		x[VSBI_A1] = opaque;
		riscv_vsbi_suspend(vcpu, true, addr);
	}
	exit->kind = VCPU_EXIT_HALT;
}

static void vsbi_hsm(struct vcpu *vcpu, uint64_t fid, uint64_t x[32], struct vcpu_exit *exit)
{
	struct vcpu *t;

	switch (fid) {
	case 0: /* hart_start(hartid, start_addr, opaque): the core checks id and address */
		/* A start address outside the VM's RAM is SBI's INVALID_ADDR; the core's one
		 * EINVAL would say INVALID_PARAM, which the spec keeps for an unknown hart. */
		if (vm_find_vcpu(vcpu->vm, x[VSBI_A0]) &&
		    !vm_config_in_ram(vcpu->vm->config, x[VSBI_A1], 1)) {
			vsbi_ret(x, VSBI_ERR_INVALID_ADDR, 0);
			return;
		}
		exit->kind = VCPU_EXIT_CPU_UP;
		exit->cpu_up.target = x[VSBI_A0];
		exit->cpu_up.entry = x[VSBI_A1];
		exit->cpu_up.arg = x[VSBI_A0 + 2];
		return;
	case 1: /* hart_stop */
		exit->kind = VCPU_EXIT_CPU_DOWN;
		return;
	case 2: /* hart_get_status(hartid) */
		t = vm_find_vcpu(vcpu->vm, x[VSBI_A0]);
		if (!t)
			vsbi_ret(x, VSBI_ERR_INVALID_PARAM, 0);
		else
			vsbi_ret(x, VSBI_SUCCESS, vsbi_hart_state(t));
		return;
	case 3:
		vsbi_hart_suspend(vcpu, x, exit);
		return;
	default:
		vsbi_ret(x, VSBI_ERR_NOT_SUPPORTED, 0);
		return;
	}
}

/* system_reset(reset_type, reset_reason). Reserved types and reasons are invalid; vendor types
 * are valid but there are none here. */
static void vsbi_srst(uint64_t fid, uint64_t x[32], struct vcpu_exit *exit)
{
	uint64_t type = x[VSBI_A0], reason = x[VSBI_A1];

	if (fid != 0) {
		vsbi_ret(x, VSBI_ERR_NOT_SUPPORTED, 0);
		return;
	}
	if (type > UINT32_MAX || reason > UINT32_MAX || (reason > 1 && reason < 0xe0000000u)) {
		vsbi_ret(x, VSBI_ERR_INVALID_PARAM, 0);
		return;
	}
	if (type >= 0xf0000000u) {
		vsbi_ret(x, VSBI_ERR_NOT_SUPPORTED, 0);
		return;
	}
	switch (type) {
	case 0: /* shutdown */
		exit->kind = VCPU_EXIT_SYSTEM_OFF;
		return;
	case 1: /* cold reboot */
	case 2: /* warm reboot */
		exit->kind = VCPU_EXIT_SYSTEM_RESET;
		return;
	default:
		vsbi_ret(x, VSBI_ERR_INVALID_PARAM, 0);
		return;
	}
}

/* console_write(num_bytes, base_lo, base_hi): the bytes are guest-physical (satp is the guest's
 * business; the spec asks for a physical address); at most VSBI_DBCN_MAX of them per call. */
static void vsbi_dbcn_write(struct vcpu *vcpu, uint64_t x[32])
{
	uint64_t len = x[VSBI_A0], addr = x[VSBI_A1];
	char buf[VSBI_DBCN_MAX];

	if (x[VSBI_A0 + 2] != 0) {
		vsbi_ret(x, VSBI_ERR_INVALID_PARAM, 0);
		return;
	}
	if (len > VSBI_DBCN_MAX)
		len = VSBI_DBCN_MAX;
	if (addr + len < addr || vm_read_guest(vcpu->vm, gpa(addr), buf, len) != PV_OK) {
		vsbi_ret(x, VSBI_ERR_INVALID_PARAM, 0);
		return;
	}
	/* The console's ring may take fewer (the guest retries the rest). */
	vsbi_ret(x, VSBI_SUCCESS, vm_console_write(vcpu->vm, buf, (size_t)len));
}

/* console_read(num_bytes, base_lo, base_hi): typed bytes into guest memory; 0 when none waits
 * (then the guest waits for input, so what it printed is shown). */
static void vsbi_dbcn_read(struct vcpu *vcpu, uint64_t x[32])
{
	uint64_t len = x[VSBI_A0], addr = x[VSBI_A1];
	uint8_t buf[VSBI_DBCN_MAX];
	size_t n = 0;

	if (len > sizeof(buf))
		len = sizeof(buf);
	/* The whole range is checked first: a byte taken from the console is never lost. */
	if (x[VSBI_A0 + 2] != 0 || addr + len < addr ||
	    vm_read_guest(vcpu->vm, gpa(addr), buf, len) != PV_OK) {
		vsbi_ret(x, VSBI_ERR_INVALID_PARAM, 0);
		return;
	}
	while (n < len) {
		int c = vm_console_getc(vcpu->vm);

		if (c < 0)
			break;
		buf[n++] = (uint8_t)c;
	}
	if (n)
		(void)vm_write_guest(vcpu->vm, gpa(addr), buf, n);
	vsbi_ret(x, VSBI_SUCCESS, n);
}

static void vsbi_dbcn(struct vcpu *vcpu, uint64_t fid, uint64_t x[32])
{
	switch (fid) {
	case 0:
		vsbi_dbcn_write(vcpu, x);
		return;
	case 1:
		vsbi_dbcn_read(vcpu, x);
		return;
	case 2: /* console_write_byte */
		vm_console_putc(vcpu->vm, (char)(x[VSBI_A0] & 0xff));
		vsbi_ret(x, VSBI_SUCCESS, 0);
		return;
	default:
		vsbi_ret(x, VSBI_ERR_NOT_SUPPORTED, 0);
		return;
	}
}

/* SBI v0.1: one result in a0, a1 left alone. */
static void vsbi_legacy(struct vcpu *vcpu, uint64_t eid, uint64_t x[32], struct vcpu_exit *exit)
{
	uint64_t mask;

	switch (eid) {
	case VSBI_EXT_LEGACY_SET_TIMER:
		riscv_vsbi_set_timer(vcpu, x[VSBI_A0]);
		x[VSBI_A0] = 0;
		return;
	case VSBI_EXT_LEGACY_PUTCHAR:
		vm_console_putc(vcpu->vm, (char)(x[VSBI_A0] & 0xff));
		x[VSBI_A0] = 0;
		return;
	case VSBI_EXT_LEGACY_GETCHAR: /* a typed byte, or -1 */
		x[VSBI_A0] = (uint64_t)(int64_t)vm_console_getc(vcpu->vm);
		return;
	case VSBI_EXT_LEGACY_SEND_IPI:
		/* a0 points to the hart mask (guest-physical while the guest's satp is off). */
		if (vm_read_guest(vcpu->vm, gpa(x[VSBI_A0]), &mask, sizeof(mask)) != PV_OK)
			x[VSBI_A0] = (uint64_t)VSBI_ERR_INVALID_ADDR;
		else
			x[VSBI_A0] = (uint64_t)vsbi_for_mask(vcpu, mask, 0, VSBI_OP_IPI);
		return;
	case VSBI_EXT_LEGACY_SHUTDOWN:
		exit->kind = VCPU_EXIT_SYSTEM_OFF;
		return;
	default:
		x[VSBI_A0] = (uint64_t)VSBI_ERR_NOT_SUPPORTED;
		return;
	}
}

void riscv_vsbi_call(struct vcpu *vcpu, uint64_t x[32], struct vcpu_exit *exit)
{
	uint64_t eid = x[VSBI_A7], fid = x[VSBI_A6];

	exit->kind = VCPU_EXIT_NONE;
	switch (eid) {
	case VSBI_EXT_POLYVISOR:
		riscv_vsbi_hcall(x, exit);
		return;
	case VSBI_EXT_BASE:
		vsbi_base(fid, x);
		return;
	case VSBI_EXT_TIME:
		if (fid != 0) {
			vsbi_ret(x, VSBI_ERR_NOT_SUPPORTED, 0);
			return;
		}
		riscv_vsbi_set_timer(vcpu, x[VSBI_A0]);
		vsbi_ret(x, VSBI_SUCCESS, 0);
		return;
	case VSBI_EXT_IPI:
		if (fid != 0)
			vsbi_ret(x, VSBI_ERR_NOT_SUPPORTED, 0);
		else
			vsbi_ret(x, vsbi_for_mask(vcpu, x[VSBI_A0], x[VSBI_A1], VSBI_OP_IPI), 0);
		return;
	case VSBI_EXT_RFENCE:
		vsbi_rfence(vcpu, fid, x);
		return;
	case VSBI_EXT_HSM:
		vsbi_hsm(vcpu, fid, x, exit);
		return;
	case VSBI_EXT_SRST:
		vsbi_srst(fid, x, exit);
		return;
	case VSBI_EXT_DBCN:
		vsbi_dbcn(vcpu, fid, x);
		return;
	default:
		if (eid <= VSBI_EXT_LEGACY_SHUTDOWN)
			vsbi_legacy(vcpu, eid, x, exit);
		else
			vsbi_ret(x, VSBI_ERR_NOT_SUPPORTED, 0);
		return;
	}
}

/* HSM hart_start's errors per the SBI spec (already started: ALREADY_AVAILABLE). */
static int64_t vsbi_hsm_error(int64_t ret)
{
	switch (ret) {
	case PV_HC_OK:
		return VSBI_SUCCESS;
	case PV_HC_EINVAL:
		return VSBI_ERR_INVALID_PARAM;
	case PV_HC_EALREADY:
		return VSBI_ERR_ALREADY_AVAIL;
	case PV_HC_EDENIED:
		return VSBI_ERR_DENIED;
	default:
		return VSBI_ERR_FAILED;
	}
}

void riscv_vsbi_complete(const struct vcpu_exit *exit, uint64_t x[32])
{
	switch (exit->kind) {
	case VCPU_EXIT_HYPERCALL:
		riscv_vsbi_hcall_complete(exit, x);
		return;
	case VCPU_EXIT_CPU_UP:
		vsbi_ret(x, vsbi_hsm_error(exit->cpu_up.ret), 0);
		return;
	default:
		return;
	}
}
