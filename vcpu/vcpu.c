// SPDX-License-Identifier: MIT
#include <vcpu/vcpu.h>

const char *vcpu_state_name(enum vcpu_state state)
{
	switch (state) {
	case VCPU_CREATED:
		return "created";
	case VCPU_READY:
		return "ready";
	case VCPU_RUNNING:
		return "running";
	case VCPU_HALTED:
		return "halted";
	case VCPU_STOPPED:
		return "stopped";
	}
	return "invalid";
}

/* Allowed transitions, one bit per target state. STOPPED -> READY is a restart by CPU_UP;
 * RUNNING -> READY a vCPU whose time slice ended; HALTED is also a vCPU idling off its CPU. */
static const uint8_t vcpu_transitions[] = {
	[VCPU_CREATED] = 1u << VCPU_READY | 1u << VCPU_STOPPED,
	[VCPU_READY] = 1u << VCPU_RUNNING | 1u << VCPU_STOPPED,
	[VCPU_RUNNING] = 1u << VCPU_READY | 1u << VCPU_HALTED | 1u << VCPU_STOPPED,
	[VCPU_HALTED] = 1u << VCPU_RUNNING | 1u << VCPU_STOPPED,
	[VCPU_STOPPED] = 1u << VCPU_READY,
};

/* Other CPUs change a vCPU's state too (a CPU_UP from a sibling vCPU, a stop): the check and the
 * change are one atomic step, so two CPUs can never both make the same transition. */
int vcpu_set_state(struct vcpu *vcpu, enum vcpu_state next)
{
	enum vcpu_state cur = __atomic_load_n(&vcpu->state, __ATOMIC_ACQUIRE);

	do {
		if ((unsigned)cur >= PV_ARRAY_SIZE(vcpu_transitions) ||
		    (unsigned)next > VCPU_STOPPED || !(vcpu_transitions[cur] & (1u << next)))
			return -PV_EBUSY;
	} while (!__atomic_compare_exchange_n(&vcpu->state, &cur, next, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	return PV_OK;
}

int vcpu_transition(struct vcpu *vcpu, enum vcpu_state from, enum vcpu_state to)
{
	if ((unsigned)from >= PV_ARRAY_SIZE(vcpu_transitions) || (unsigned)to > VCPU_STOPPED ||
	    !(vcpu_transitions[from] & (1u << to)))
		return -PV_EBUSY;
	return __atomic_compare_exchange_n(&vcpu->state, &from, to, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE)
		       ? PV_OK
		       : -PV_EBUSY;
}
