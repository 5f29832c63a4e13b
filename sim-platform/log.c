/* SPDX-License-Identifier: MIT */
/* The simulator's log: see log.h. Runs on the loop thread only. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "log.h"

bool sim_log_enabled(enum sim_log_level level)
{
	return (int)level <= sim_config()->verbosity;
}

static void sim_vlog(enum sim_log_level level, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	n = (size_t)snprintf(line, sizeof(line), "scmi-sim: %s",
			     level == SIM_LOG_ERR ? "error: " :
			     level == SIM_LOG_WARN ? "warning: " : "");
	vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	n = strlen(line);
	line[n] = '\n';
	/* one write per line: lines of processes sharing stderr do not mix */
	fwrite(line, 1, n + 1, stderr);
}

void sim_log(enum sim_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!sim_log_enabled(level))
		return;
	va_start(ap, fmt);
	sim_vlog(level, fmt, ap);
	va_end(ap);
}

void sim_log_limited(struct sim_ratelimit *rl, enum sim_log_level level,
		     const char *fmt, ...)
{
	unsigned long held;
	struct timespec ts;
	va_list ap;

	if (!sim_log_enabled(level))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!sim_ratelimit_pass(rl, (double)ts.tv_sec + ts.tv_nsec / 1e9, &held))
		return;
	if (held)
		sim_log(level, "%lu more lines like the next held back (at most %d in %.0f s)",
			held, SIM_RATELIMIT_BURST, SIM_RATELIMIT_INTERVAL_S);
	va_start(ap, fmt);
	sim_vlog(level, fmt, ap);
	va_end(ap);
}
