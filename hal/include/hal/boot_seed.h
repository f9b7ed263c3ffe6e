/* SPDX-License-Identifier: MIT */
/*
 * Random seeds for guests. The firmware may hand the hypervisor random bytes (the device tree's
 * /chosen/rng-seed: QEMU's virt boards put 32 there on every boot); they become the key of a
 * ChaCha20 keystream, and every seed taken is a different block of it, so no two guests (nor two
 * boots of one VM) get the same bytes and none can tell another's or the key from its own.
 * Linux trusts such a seed (/chosen/rng-seed): without one, its random number generator is not
 * ready during boot and every request for random bytes takes its slow path (on QEMU that cost a
 * Linux boot 15% more instructions than on the bare machine, whose firmware passes one).
 */
#ifndef HAL_BOOT_SEED_H
#define HAL_BOOT_SEED_H

#include <pv/types.h>

#define BOOT_SEED_KEY 32u /* bytes of firmware randomness used (the rest is ignored) */
#define BOOT_SEED_LEN 32u /* bytes of each seed handed out */

/* Takes @len bytes of firmware randomness; fewer than BOOT_SEED_KEY are refused (no seeds then).
 * Context: the boot CPU, before any VM is loaded. */
void boot_seed_add(const void *bytes, size_t len);

/* boot_seed_add with the device tree's /chosen/rng-seed, if it has one. Context: as there. */
void boot_seed_from_fdt(const void *dtb);

/* Fills @out with a fresh seed; false (and @out zeroed) when the firmware gave no randomness.
 * Context: any CPU, any time after boot. */
bool boot_seed_take(uint8_t out[BOOT_SEED_LEN]);

#endif
