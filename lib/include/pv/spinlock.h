/* SPDX-License-Identifier: MIT */
#ifndef PV_SPINLOCK_H
#define PV_SPINLOCK_H

#include <stdatomic.h>
#include <stdbool.h>

/* Test-and-set lock: short critical sections only; never held across a guest entry. */
typedef struct {
	atomic_flag flag;
} pv_spinlock_t;

#define PV_SPINLOCK_INIT { ATOMIC_FLAG_INIT }

static inline void pv_spin_init(pv_spinlock_t *l)
{
	atomic_flag_clear_explicit(&l->flag, memory_order_release);
}

static inline void pv_spin_lock(pv_spinlock_t *l)
{
	while (atomic_flag_test_and_set_explicit(&l->flag, memory_order_acquire)) {
	}
}

/* Takes the lock if it is free; false (nothing changed) if another holder has it. */
static inline bool pv_spin_trylock(pv_spinlock_t *l)
{
	return !atomic_flag_test_and_set_explicit(&l->flag, memory_order_acquire);
}

static inline void pv_spin_unlock(pv_spinlock_t *l)
{
	atomic_flag_clear_explicit(&l->flag, memory_order_release);
}

#endif
