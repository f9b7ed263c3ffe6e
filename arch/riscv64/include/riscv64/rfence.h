/* SPDX-License-Identifier: MIT */
/*
 * Remote fences between the vCPUs of a VM (SBI RFENCE) with completion: the SBI specification
 * says a remote fence call returns once the target harts have fenced. A vCPU that runs guest code
 * on another hart is made to exit (a kick) and fences before it enters the guest again; the
 * caller waits until each target has either taken its request in (riscv_rfence_enter cleared it)
 * or is outside the guest, where riscv_rfence_enter will see the request before it runs another
 * guest instruction. In both cases no guest instruction of the target runs with the old state
 * after the call returns, which is what the guest can observe of "has fenced".
 *
 * The two sides order their accesses like Dekker's algorithm: the caller publishes the request,
 * then (full fence) reads whether the target is in the guest; the target publishes that it is
 * about to enter, then (full fence) reads the requests. One of them sees the other's write.
 *
 * Pure code on a struct the backend keeps per vCPU, host-tested (tests/test_rfence.c).
 */
#ifndef RISCV64_RFENCE_H
#define RISCV64_RFENCE_H

#include <pv/types.h>

/* Fence requests (bits of riscv_rfence.pending). */
#define RISCV_FENCE_I	 1u /* fence.i */
#define RISCV_FENCE_VVMA 2u /* hfence.vvma for the vCPU's VMID: the guest's sfence.vma */

struct riscv_rfence {
	uint32_t pending;  /* requests the vCPU has not taken in yet */
	uint32_t in_guest; /* 1 from riscv_rfence_enter to riscv_rfence_exit */
};

/* Caller: asks the target for the fences @what. Kick the target afterwards. Context: any hart. */
static inline void riscv_rfence_ask(struct riscv_rfence *t, uint32_t what)
{
	__atomic_fetch_or(&t->pending, what, __ATOMIC_SEQ_CST);
}

/* Caller, after riscv_rfence_ask: whether the target has fenced as far as its guest can tell. */
static inline bool riscv_rfence_settled(const struct riscv_rfence *t)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !__atomic_load_n(&t->in_guest, __ATOMIC_SEQ_CST) ||
	       !__atomic_load_n(&t->pending, __ATOMIC_SEQ_CST);
}

/* Target, on its hart right before it enters the guest (and before it reads anything the guest
 * may use): returns the fences to do now, before the entry. The usual case (nothing asked) is a
 * store, a fence and a load. */
static inline uint32_t riscv_rfence_enter(struct riscv_rfence *t)
{
	__atomic_store_n(&t->in_guest, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__builtin_expect(!__atomic_load_n(&t->pending, __ATOMIC_SEQ_CST), 1))
		return 0;
	return __atomic_exchange_n(&t->pending, 0, __ATOMIC_SEQ_CST);
}

/* Target, on its hart right after the guest exits. */
static inline void riscv_rfence_exit(struct riscv_rfence *t)
{
	__atomic_store_n(&t->in_guest, 0, __ATOMIC_RELEASE);
}

/* Caller: waits until every one of @n targets has settled, calling @relax(@ctx) between looks
 * (the backend: a pause hint; the tests: the targets' next steps). Context: any hart, outside its
 * guest (so that two vCPUs fencing each other never wait for one another). */
static inline void riscv_rfence_wait(struct riscv_rfence *const *t, unsigned n,
				     void (*relax)(void *ctx), void *ctx)
{
	for (unsigned i = 0; i < n; i++)
		while (!riscv_rfence_settled(t[i]))
			relax(ctx);
}

#endif
