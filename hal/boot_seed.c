// SPDX-License-Identifier: MIT
#include <hal/boot_seed.h>
#include <libfdt.h>
#include <pv/chacha20.h>
#include <string.h>

static uint32_t seed_key[8];
static bool seed_keyed;
static uint64_t seed_next; /* the next block of the keystream to hand out */

void boot_seed_add(const void *bytes, size_t len)
{
	const uint8_t *b = bytes;

	if (!b || len < BOOT_SEED_KEY)
		return;
	for (unsigned i = 0; i < 8; i++)
		seed_key[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
			      (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
	seed_keyed = true;
}

bool boot_seed_take(uint8_t out[BOOT_SEED_LEN])
{
	uint8_t block[64];
	uint64_t n;
	uint32_t nonce[3];

	memset(out, 0, BOOT_SEED_LEN);
	if (!seed_keyed)
		return false;
	/* Block counter and nonce together number the blocks: 2^64 seeds before one repeats. */
	n = __atomic_fetch_add(&seed_next, 1, __ATOMIC_RELAXED);
	nonce[0] = (uint32_t)(n >> 32);
	nonce[1] = 0;
	nonce[2] = 0;
	pv_chacha20_block(seed_key, (uint32_t)n, nonce, block);
	memcpy(out, block, BOOT_SEED_LEN);
	memset(block, 0, sizeof(block));
	return true;
}

void boot_seed_from_fdt(const void *dtb)
{
	int node = fdt_path_offset(dtb, "/chosen"), len = 0;
	const void *seed = node < 0 ? NULL : fdt_getprop(dtb, node, "rng-seed", &len);

	if (seed && len > 0)
		boot_seed_add(seed, (size_t)len);
}
