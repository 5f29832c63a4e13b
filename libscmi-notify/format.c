/* SPDX-License-Identifier: MIT */
/*
 * Values formatted for people (include/scmi/names.h): a power state word,
 * and a sensor reading (value x 10^scale, in decimal, exactly) with its
 * unit.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <scmi/names.h>
#include <scmi/power.h>

#include "symbols.h"

/* snprintf()'s result @n into @sz bytes as names.h returns it. */
static int fitted(int n, size_t sz)
{
	if (n < 0)
		return -EINVAL;
	return (size_t)n < sz ? n : -ENOSPC;
}

SCMI_EXPORT int scmi_power_state_format(uint32_t state, char *buf, size_t sz)
{
	int n;

	if (!buf || !sz)
		return -EINVAL;
	if (state == SCMI_POWER_STATE_ON)
		n = snprintf(buf, sz, "on");
	else if (state == SCMI_POWER_STATE_OFF)
		n = snprintf(buf, sz, "off");
	else
		n = snprintf(buf, sz, "%s,id=0x%" PRIx32 "%s",
			     state & SCMI_POWER_STATE_TYPE_OFF ? "off/ret" :
								 "operational",
			     state & SCMI_POWER_STATE_ID_MASK,
			     state & SCMI_POWER_STATE_RESERVED_MASK ? ",reserved" :
								      "");
	return fitted(n, sz);
}

SCMI_EXPORT int scmi_sensor_reading_format(int64_t value, int8_t scale,
					   uint8_t type, char *buf, size_t sz)
{
	/* |value|, INT64_MIN included */
	uint64_t mag = value < 0 ? (uint64_t)-(value + 1) + 1 : (uint64_t)value;
	const char *unit = scmi_sensor_unit(type);
	/*
	 * The longest number: a sign, 20 digits and 127 zeros (scale 127),
	 * or a sign, "0." and 128 digits (scale -128).
	 */
	char digits[21], num[1 + 20 + 127 + 1];
	size_t n, len = 0;

	if (!buf || !sz)
		return -EINVAL;
	n = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, mag);
	if (value < 0)
		num[len++] = '-';
	if (scale >= 0) {
		memcpy(num + len, digits, n);
		len += n;
		if (mag) {
			memset(num + len, '0', (size_t)scale);
			len += (size_t)scale;
		}
	} else {
		size_t frac = (size_t)-scale;
		size_t lead = n > frac ? n - frac : 0; /* digits before the point */

		if (lead) {
			memcpy(num + len, digits, lead);
			len += lead;
		} else {
			num[len++] = '0';
		}
		num[len++] = '.';
		if (frac > n) {
			memset(num + len, '0', frac - n);
			len += frac - n;
		}
		memcpy(num + len, digits + lead, n - lead);
		len += n - lead;
	}
	num[len] = '\0';
	return fitted(snprintf(buf, sz, "%s%s%s", num, unit[0] ? " " : "", unit),
		      sz);
}
