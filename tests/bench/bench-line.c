/* SPDX-License-Identifier: MIT */
/* The JSON line every benchmark prints (see bench-line.h). */
#include <stdarg.h>
#include <stdio.h>

#include "bench-line.h"

/* "name":"s" or "name":null */
static void string_or_null(const char *name, const char *s)
{
	if (s)
		printf(",\"%s\":\"%s\"", name, s);
	else
		printf(",\"%s\":null", name);
}

void bench_line(const struct bench_line *l, const char *more, ...)
{
	va_list ap;

	printf("{\"bench\":\"%s\",\"metric\":\"%s\",\"value\":%.*f,\"unit\":\"%s\"",
	       l->bench, l->metric, l->decimals, l->value, l->unit);
	if (l->has_baseline && l->baseline > 0)
		printf(",\"baseline\":%.*f,\"ratio\":%.3f", l->decimals,
		       l->baseline, l->value / l->baseline);
	else
		printf(",\"baseline\":null,\"ratio\":null");
	string_or_null("mode", l->mode);
	string_or_null("placement", l->placement);
	printf(",\"target\":%s,\"pass\":%s", l->target ? l->target : "null",
	       l->pass < 0 ? "null" : l->pass ? "true" : "false");
	if (more && *more) {
		putchar(',');
		va_start(ap, more);
		vprintf(more, ap);
		va_end(ap);
	}
	printf("}\n");
	fflush(stdout);
}
