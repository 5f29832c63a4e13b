/* SPDX-License-Identifier: MIT */
/*
 * A rate limit for the log lines a peer can cause over and over (a client
 * that connects in a loop, an agent that repeats a bad command): at most
 * SIM_RATELIMIT_BURST lines per SIM_RATELIMIT_INTERVAL_S seconds for each
 * limit (one per kind of line); the lines held back are counted, and the
 * first line let through afterwards says how many. sim_log_limited()
 * (log.h) is the one way to use it.
 */
#ifndef SIM_RATELIMIT_H
#define SIM_RATELIMIT_H

#include <stdbool.h>

#define SIM_RATELIMIT_INTERVAL_S 2.0
#define SIM_RATELIMIT_BURST 10

struct sim_ratelimit {
	bool started;
	double begin;            /* the current interval's start, in seconds */
	unsigned int passed;     /* lines let through in it */
	unsigned long held;      /* lines held back since the last one let through */
};

#define SIM_RATELIMIT_INIT { .started = false }

/*
 * Whether a line may go at @now (seconds, monotonic). When it may,
 * *@held is how many were held back before it (to say so), else 0.
 */
bool sim_ratelimit_pass(struct sim_ratelimit *rl, double now,
			unsigned long *held);

#endif /* SIM_RATELIMIT_H */
