/* SPDX-License-Identifier: MIT */
/*
 * The ChaCha20 block function (RFC 8439, section 2.3): 64 bytes of keystream for a 256-bit key,
 * a 32-bit block counter and a 96-bit nonce. Used to derive per-VM random seeds from the one the
 * firmware hands the hypervisor; nothing here is secret beyond what the caller passes in.
 */
#ifndef PV_CHACHA20_H
#define PV_CHACHA20_H

#include <pv/types.h>

/* Writes block @counter of the keystream of (@key, @nonce) into @out. Pure; any context. */
void pv_chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
		       uint8_t out[64]);

#endif
