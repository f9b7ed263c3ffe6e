/* SPDX-License-Identifier: MIT */
#ifndef PV_LIBC_STDLIB_H
#define PV_LIBC_STDLIB_H

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);

#endif
