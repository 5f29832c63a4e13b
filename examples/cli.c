/* SPDX-License-Identifier: MIT */
/* The example tools' command-line readers: see cli.h. */
#include <errno.h>
#include <stdlib.h>

#include <scmi/names.h>

#include "cli.h"

bool cli_parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (!s[0] || s[0] == '-' || s[0] == '+')
		return false;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end || x > max)
		return false;
	*v = x;
	return true;
}

int cli_protocol(const char *s)
{
	uint64_t id;
	int r;

	if (cli_parse_u64(s, 0xFF, &id))
		return (int)id;
	r = scmi_protocol_by_name(s);
	return r < 0 ? -1 : r;
}
