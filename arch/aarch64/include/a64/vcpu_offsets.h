/* SPDX-License-Identifier: MIT */
/* Offsets in struct a64_vcpu (a64/vcpu.h) that guest.S uses; checked there at compile time. */
#ifndef A64_VCPU_OFFSETS_H
#define A64_VCPU_OFFSETS_H

#define A64_CTX_PC	248
#define A64_CTX_HOST_SP 264
#define A64_CTX_ESR	272
#define A64_CTX_HPFAR	288

#endif
