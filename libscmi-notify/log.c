/* SPDX-License-Identifier: MIT */
/*
 * Logging through the user's callback (or stderr), a rate limiter, and the
 * monotonic clock: its time, and condition variables that wait on it.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

void scmi_log_init(struct scmi_log *log, scmi_log_fn fn, void *userdata,
		   enum scmi_log_level level)
{
	log->fn = fn;
	log->userdata = userdata;
	log->level = level ? level : SCMI_LOG_WARNING;
}

static const char *level_name(enum scmi_log_level level)
{
	switch (level) {
	case SCMI_LOG_ERR:
		return "error";
	case SCMI_LOG_WARNING:
		return "warning";
	case SCMI_LOG_INFO:
		return "info";
	case SCMI_LOG_DEBUG:
		return "debug";
	}
	return "log";
}

void scmi_log_printf(const struct scmi_log *log, enum scmi_log_level level,
		     const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (log->fn)
		log->fn(log->userdata, level, msg);
	else
		fprintf(stderr, "scmi-notify %s: %s\n", level_name(level), msg);
}

uint64_t scmi_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct timespec scmi_ns_to_timespec(uint64_t ns)
{
	return (struct timespec){
		.tv_sec = (time_t)(ns / 1000000000ull),
		.tv_nsec = (long)(ns % 1000000000ull),
	};
}

int scmi_cond_init_monotonic(pthread_cond_t *c)
{
	pthread_condattr_t attr;
	int ret;

	ret = pthread_condattr_init(&attr);
	if (ret)
		return -ret;
	ret = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (!ret)
		ret = pthread_cond_init(c, &attr);
	pthread_condattr_destroy(&attr);
	return -ret;
}

bool scmi_ratelimit_ok(struct scmi_ratelimit *rl, uint32_t *suppressed)
{
	uint64_t now = scmi_now_ns();
	uint64_t next = atomic_load_explicit(&rl->next_ns, memory_order_relaxed);

	if (now < next ||
	    !atomic_compare_exchange_strong_explicit(
		    &rl->next_ns, &next, now + SCMI_RATELIMIT_INTERVAL_NS,
		    memory_order_relaxed, memory_order_relaxed)) {
		atomic_fetch_add_explicit(&rl->suppressed, 1,
					  memory_order_relaxed);
		return false;
	}
	*suppressed = atomic_exchange_explicit(&rl->suppressed, 0,
					       memory_order_relaxed);
	return true;
}
