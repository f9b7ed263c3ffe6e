/* SPDX-License-Identifier: MIT */
/*
 * String lists as device trees store them ("compatible", "device_type"): NUL-terminated strings
 * back to back in a property value of known length.
 */
#ifndef PV_STRLIST_H
#define PV_STRLIST_H

#include <pv/types.h>

/* Whether @s is one of the strings of @list (@len bytes). Reads nothing past @len: a last string
 * without its NUL inside @len is no string (libfdt's fdt_stringlist_contains compares one byte past
 * such a value, and strlen-based matching runs to the next zero byte). */
bool pv_strlist_contains(const char *list, int len, const char *s);

#endif
