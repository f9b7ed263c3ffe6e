// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include <pv/fmt.h>
#include <string.h>

static void check(const char *expect, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	size_t n = pv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_string_equal(buf, expect);
	assert_int_equal(n, strlen(expect));
}

static void test_integers(void **state)
{
	(void)state;
	check("0 -1 42 4294967295", "%d %d %u %u", 0, -1, 42u, 4294967295u);
	check("-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1));
	check("18446744073709551615", "%llu", 18446744073709551615ULL);
	check("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	check("ffffffffffffffff", "%lx", ~0UL);
	check("123456789", "%zu", (size_t)123456789);
}

static void test_width_and_padding(void **state)
{
	(void)state;
	check("0000002a", "%08x", 0x2au);
	check("   42", "%5d", 42);
	check("42   |", "%-5d|", 42);
	check("-0042", "%05d", -42);
	check("  -42", "%5d", -42);
	check("0x0000000040000000", "0x%016llx", 0x40000000ULL);
}

static void test_strings_chars_pointers(void **state)
{
	(void)state;
	check("hello world", "%s %s", "hello", "world");
	check("(null)", "%s", (const char *)NULL);
	check("  ab", "%4s", "ab");
	check("x%", "%c%%", 'x');
	check("0x1000", "%p", (void *)0x1000);
	check("%q", "%q");
}

static void test_truncation(void **state)
{
	(void)state;
	char buf[6];
	size_t n = pv_snprintf(buf, sizeof(buf), "%s", "truncated");
	assert_int_equal(n, 9);
	assert_string_equal(buf, "trunc");
	n = pv_snprintf(buf, 0, "%d", 12345);
	assert_int_equal(n, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_width_and_padding),
		cmocka_unit_test(test_strings_chars_pointers),
		cmocka_unit_test(test_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
