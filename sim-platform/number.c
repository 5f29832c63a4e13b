/* SPDX-License-Identifier: MIT */
/* Numbers in decimal or 0x hex, never octal: see number.h. */
#include <errno.h>
#include <stdbool.h>

#include "number.h"

static int digit_value(char c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return (unsigned int)d < base ? d : -1;
}

/* All of @s as digits, decimal or after 0x hex, at most @max. */
static int parse_magnitude(const char *s, uint64_t max, uint64_t *v)
{
	unsigned int base = 10;
	uint64_t x = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		int d = digit_value(*s, base);

		/* x * base + d <= max, without overflow */
		if (d < 0 || (uint64_t)d > max || x > (max - (uint64_t)d) / base)
			return -EINVAL;
		x = x * base + (uint64_t)d;
	}
	*v = x;
	return 0;
}

int sim_parse_unsigned(const char *s, uint64_t max, uint64_t *v)
{
	if (!s)
		return -EINVAL;
	return parse_magnitude(s, max, v);
}

int sim_parse_signed(const char *s, int64_t lo, int64_t hi, int64_t *v)
{
	const uint64_t min_mag = (uint64_t)INT64_MAX + 1;
	uint64_t m;
	int64_t x;
	bool neg;

	if (!s)
		return -EINVAL;
	neg = s[0] == '-';
	if (parse_magnitude(s + neg, neg ? min_mag : INT64_MAX, &m))
		return -EINVAL;
	if (!neg)
		x = (int64_t)m;
	else
		x = m == min_mag ? INT64_MIN : -(int64_t)m;
	if (x < lo || x > hi)
		return -EINVAL;
	*v = x;
	return 0;
}

int sim_parse_u32(const char *s, uint32_t *v)
{
	uint64_t x;
	int ret = sim_parse_unsigned(s, UINT32_MAX, &x);

	if (!ret)
		*v = (uint32_t)x;
	return ret;
}
