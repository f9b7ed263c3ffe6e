/* SPDX-License-Identifier: MIT */
/*
 * Basic types shared by every layer. Addresses of different spaces are distinct struct types so that
 * passing a guest-physical address where a host-physical one is expected fails to compile.
 */
#ifndef PV_TYPES_H
#define PV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Host-physical address: what the MMU and devices see. */
typedef struct {
	uint64_t raw;
} hpa_t;

/* Guest-physical address: what a guest puts on its bus, translated by stage 2. */
typedef struct {
	uint64_t raw;
} gpa_t;

static inline hpa_t hpa(uint64_t raw)
{
	return (hpa_t){ raw };
}

static inline gpa_t gpa(uint64_t raw)
{
	return (gpa_t){ raw };
}

#define PV_ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define PV_ALIGN_UP(x, a)   (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define PV_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define PV_IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define PV_BIT(n)	    (1ULL << (n))
#define PV_MASK(hi, lo)	    ((~0ULL >> (63 - (hi))) & ~((1ULL << (lo)) - 1))
#define PV_UNUSED	    __attribute__((unused))
#define PV_NORETURN	    __attribute__((noreturn))
#define PV_PACKED	    __attribute__((packed))

#define PV_KIB(x) ((uint64_t)(x) << 10)
#define PV_MIB(x) ((uint64_t)(x) << 20)
#define PV_GIB(x) ((uint64_t)(x) << 30)

/* Error codes returned (negated) by core functions. */
enum pv_err {
	PV_OK = 0,
	PV_EINVAL = 1,	/* bad argument */
	PV_ENOMEM = 2,	/* out of page frames or slots */
	PV_EEXIST = 3,	/* range already mapped / registered */
	PV_ENOENT = 4,	/* nothing there */
	PV_ENOTSUP = 5, /* hardware or format cannot do it */
	PV_EBUSY = 6,	/* object in a state that forbids it */
	PV_EFAULT = 7,	/* bad guest access */
};

const char *pv_strerror(int err);

#endif
