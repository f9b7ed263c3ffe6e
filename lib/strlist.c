// SPDX-License-Identifier: MIT
#include <pv/strlist.h>
#include <string.h>

bool pv_strlist_contains(const char *list, int len, const char *s)
{
	size_t want = strlen(s) + 1;

	while (list && len > 0) {
		const char *end = memchr(list, '\0', (size_t)len);
		size_t n;

		if (!end)
			return false;
		n = (size_t)(end - list) + 1;
		if (n == want && memcmp(list, s, n) == 0)
			return true;
		list += n;
		len -= (int)n;
	}
	return false;
}
