/* SPDX-License-Identifier: MIT */
/*
 * Values formatted for people (include/scmi/names.h): a power state word,
 * and a sensor reading (value x 10^scale, in decimal, exactly) with its
 * unit.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <scmi/names.h>
#include <scmi/power.h>

#include "symbols.h"

/*
 * A bounded string: what fits in buf[sz] (NUL-terminated), while len
 * counts everything written, so that len >= sz means it did not fit.
 */
struct text {
	char *buf;
	size_t sz;
	size_t len;
};

static void __attribute__((format(printf, 2, 3)))
text_printf(struct text *t, const char *fmt, ...)
{
	size_t room = t->len < t->sz ? t->sz - t->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}

/* @n copies of @c. */
static void text_repeat(struct text *t, char c, size_t n)
{
	while (n--)
		text_printf(t, "%c", c);
}

/* The length, or -ENOSPC when it was cut (names.h). */
static int text_end(const struct text *t)
{
	return t->len < t->sz ? (int)t->len : -ENOSPC;
}

SCMI_EXPORT int scmi_power_state_format(uint32_t state, char *buf, size_t sz)
{
	struct text t = { buf, sz, 0 };

	if (!buf || !sz)
		return -EINVAL;
	buf[0] = '\0';
	if (state == SCMI_POWER_STATE_ON)
		text_printf(&t, "on");
	else if (state == SCMI_POWER_STATE_OFF)
		text_printf(&t, "off");
	else
		text_printf(&t, "%s,id=0x%" PRIx32 "%s",
			    state & SCMI_POWER_STATE_TYPE_OFF ? "off/ret" :
								"operational",
			    state & SCMI_POWER_STATE_ID_MASK,
			    state & SCMI_POWER_STATE_RESERVED_MASK ? ",reserved" :
								     "");
	return text_end(&t);
}

SCMI_EXPORT int scmi_sensor_reading_format(int64_t value, int8_t scale,
					   uint8_t type, char *buf, size_t sz)
{
	struct text t = { buf, sz, 0 };
	/* |value|, INT64_MIN included */
	uint64_t mag = value < 0 ? (uint64_t)-(value + 1) + 1 : (uint64_t)value;
	const char *unit = scmi_sensor_unit(type);
	char digits[24];
	size_t n;

	if (!buf || !sz)
		return -EINVAL;
	buf[0] = '\0';
	n = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, mag);
	if (value < 0)
		text_printf(&t, "-");
	if (scale >= 0) {
		text_printf(&t, "%s", digits);
		if (mag)
			text_repeat(&t, '0', (size_t)scale);
	} else {
		size_t frac = (size_t)-scale;

		/* at least one digit before the point */
		if (n <= frac) {
			text_printf(&t, "0.");
			text_repeat(&t, '0', frac - n);
			text_printf(&t, "%s", digits);
		} else {
			text_printf(&t, "%.*s.%s", (int)(n - frac), digits,
				    digits + n - frac);
		}
	}
	if (unit[0])
		text_printf(&t, " %s", unit);
	return text_end(&t);
}
