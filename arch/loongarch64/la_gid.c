// SPDX-License-Identifier: MIT
/*
 * Guest IDs: every stage-2 space (one per VM) gets its own GID while any of its vCPUs exists, so
 * the TLB can hold several VMs' GPA translations at once. An ID that served another VM before
 * may still tag that VM's entries in the TLB of any CPU, so each CPU invalidates a reused ID
 * once before it first enters a guest with it.
 */
#include <pv/spinlock.h>

#include "la_vcpu.h"

#define LA_GID_SLOTS 256

struct la_gid_slot {
	const struct s2_space *owner;
	unsigned refs;
	bool used_before;
	uint64_t flush_cpus; /* CPUs that must invalidate this ID before using it */
};

static struct la_gid_slot la_gids[LA_GID_SLOTS];
static pv_spinlock_t la_gid_lock = PV_SPINLOCK_INIT;

static int la_gid_find(const struct s2_space *space)
{
	for (int g = 1; g < LA_GID_SLOTS; g++)
		if (la_gids[g].owner == space && la_gids[g].refs)
			return g;
	return -1;
}

int la_gid_get(const struct s2_space *space, unsigned max_gid, uint8_t *gid)
{
	int g;

	if (max_gid >= LA_GID_SLOTS)
		max_gid = LA_GID_SLOTS - 1;
	pv_spin_lock(&la_gid_lock);
	g = la_gid_find(space);
	if (g < 0) {
		/* Never-used IDs first, so reuse (and its flushes) happens only when needed. */
		for (int pass = 0; pass < 2 && g < 0; pass++)
			for (unsigned i = 1; i <= max_gid; i++)
				if (!la_gids[i].refs && la_gids[i].used_before == (pass == 1)) {
					g = (int)i;
					break;
				}
		if (g < 0) {
			pv_spin_unlock(&la_gid_lock);
			return -PV_ENOMEM;
		}
		la_gids[g].owner = space;
		la_gids[g].flush_cpus = la_gids[g].used_before ? ~0ULL : 0;
		la_gids[g].used_before = true;
	}
	la_gids[g].refs++;
	*gid = (uint8_t)g;
	pv_spin_unlock(&la_gid_lock);
	return PV_OK;
}

void la_gid_put(const struct s2_space *space)
{
	int g;

	pv_spin_lock(&la_gid_lock);
	g = la_gid_find(space);
	if (g > 0 && --la_gids[g].refs == 0)
		la_gids[g].owner = NULL;
	pv_spin_unlock(&la_gid_lock);
}

int la_gid_lookup(const struct s2_space *space, uint8_t *gid)
{
	int g;

	pv_spin_lock(&la_gid_lock);
	g = la_gid_find(space);
	pv_spin_unlock(&la_gid_lock);
	if (g < 0)
		return -PV_ENOENT;
	*gid = (uint8_t)g;
	return PV_OK;
}

bool la_gid_take_flush(uint8_t gid, unsigned cpu)
{
	uint64_t bit = 1ULL << (cpu & 63);
	bool flush;

	pv_spin_lock(&la_gid_lock);
	flush = (la_gids[gid].flush_cpus & bit) != 0;
	la_gids[gid].flush_cpus &= ~bit;
	pv_spin_unlock(&la_gid_lock);
	return flush;
}

void la_gid_reset(void)
{
	pv_spin_lock(&la_gid_lock);
	for (unsigned i = 0; i < LA_GID_SLOTS; i++)
		la_gids[i] = (struct la_gid_slot){ 0 };
	pv_spin_unlock(&la_gid_lock);
}
