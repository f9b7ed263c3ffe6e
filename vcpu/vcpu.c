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

/* Allowed transitions, one bit per target state. STOPPED -> READY is a restart by CPU_UP. */
static const uint8_t vcpu_transitions[] = {
	[VCPU_CREATED] = 1u << VCPU_READY | 1u << VCPU_STOPPED,
	[VCPU_READY] = 1u << VCPU_RUNNING | 1u << VCPU_STOPPED,
	[VCPU_RUNNING] = 1u << VCPU_HALTED | 1u << VCPU_STOPPED,
	[VCPU_HALTED] = 1u << VCPU_RUNNING | 1u << VCPU_STOPPED,
	[VCPU_STOPPED] = 1u << VCPU_READY,
};

int vcpu_set_state(struct vcpu *vcpu, enum vcpu_state next)
{
	if ((unsigned)vcpu->state >= PV_ARRAY_SIZE(vcpu_transitions) ||
	    (unsigned)next > VCPU_STOPPED || !(vcpu_transitions[vcpu->state] & (1u << next)))
		return -PV_EBUSY;
	vcpu->state = next;
	return PV_OK;
}
