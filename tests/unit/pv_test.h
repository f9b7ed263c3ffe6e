/* SPDX-License-Identifier: MIT */
/* What every cmocka suite includes, in the order cmocka needs. */
#ifndef PV_TEST_H
#define PV_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
