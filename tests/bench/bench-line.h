/* SPDX-License-Identifier: MIT */
/*
 * The JSON line every benchmark prints, one object per line on stdout
 * (scripts/bench passes on the lines that start with '{'):
 *
 *   {"bench":..,"metric":..,"value":..,"unit":..,"baseline":..,"ratio":..,
 *    "mode":..,"placement":..,"target":{..},"pass":..,<more fields>}
 *
 * baseline and ratio (value / baseline) are null when the metric has no
 * baseline measured in the same run; mode ("threaded", "event_loop") and
 * placement ("P,A": the platform side on CPU P, the agent side on CPU A;
 * "free": not pinned) are null where they do not apply; target is null
 * and pass null for a measurement without a target.
 */
#ifndef BENCH_LINE_H
#define BENCH_LINE_H

#include <stdbool.h>

struct bench_line {
	const char *bench;
	const char *metric;
	const char *unit;
	int decimals;              /* of value and baseline */
	double value;
	bool has_baseline;
	double baseline;
	const char *mode;          /* NULL: null */
	const char *placement;     /* NULL: null */
	const char *target;        /* a JSON object; NULL: null */
	int pass;                  /* 1, 0; -1: null (no target) */
};

/*
 * Print @l and then @more (printf-style: further "key":value pairs
 * separated by commas, without a leading comma; NULL or "" for none) as
 * one line, and flush.
 */
void bench_line(const struct bench_line *l, const char *more, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* BENCH_LINE_H */
