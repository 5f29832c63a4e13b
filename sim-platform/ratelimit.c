/* SPDX-License-Identifier: MIT */
/* A rate limit for log lines: see ratelimit.h. */
#include "ratelimit.h"

bool sim_ratelimit_pass(struct sim_ratelimit *rl, double now,
			unsigned long *held)
{
	*held = 0;
	if (!rl->started || now - rl->begin >= SIM_RATELIMIT_INTERVAL_S ||
	    now < rl->begin) {
		rl->started = true;
		rl->begin = now;
		rl->passed = 0;
	}
	if (rl->passed >= SIM_RATELIMIT_BURST) {
		rl->held++;
		return false;
	}
	rl->passed++;
	*held = rl->held;
	rl->held = 0;
	return true;
}
