/* SPDX-License-Identifier: MIT */
/*
 * The simulator's log: one line on stderr per call, written whole (lines
 * of processes sharing stderr do not mix), shown when its level is within
 * the configured verbosity (config.h).
 */
#ifndef SIM_LOG_H
#define SIM_LOG_H

#include <stdbool.h>

#include "ratelimit.h"

enum sim_log_level {
	SIM_LOG_ERR,
	SIM_LOG_WARN,   /* the default: errors and warnings only */
	SIM_LOG_INFO,   /* -v: sessions, subscriptions, drops */
	SIM_LOG_DEBUG,  /* -vv: every command and notification */
};

/* One line on stderr, if @level is shown. */
void sim_log(enum sim_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * sim_log() for a line a peer can make us write over and over: let
 * through by @rl (ratelimit.h, one per kind of line), or held back and
 * counted; the next line let through is preceded by how many were.
 */
void sim_log_limited(struct sim_ratelimit *rl, enum sim_log_level level,
		     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Whether lines of @level are shown. */
bool sim_log_enabled(enum sim_log_level level);

#endif /* SIM_LOG_H */
