/* SPDX-License-Identifier: MIT */
/*
 * Logging: one callback with levels, shared by every part of the library,
 * and a rate limiter for messages that a flood could repeat (drops).
 * No locks: a struct scmi_log is written once at creation and only read.
 */
#ifndef SCMI_LOG_H
#define SCMI_LOG_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <scmi/notify.h>

struct scmi_log {
	scmi_log_fn fn;        /* NULL: stderr */
	void *userdata;
	enum scmi_log_level level; /* most verbose level passed on */
};

void scmi_log_init(struct scmi_log *log, scmi_log_fn fn, void *userdata,
		   enum scmi_log_level level);

static inline bool scmi_log_enabled(const struct scmi_log *log,
				    enum scmi_log_level level)
{
	return level <= log->level;
}

void scmi_log_printf(const struct scmi_log *log, enum scmi_log_level level,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define scmi_log(log, lvl, ...)                                               \
	do {                                                                  \
		if (scmi_log_enabled((log), (lvl)))                           \
			scmi_log_printf((log), (lvl), __VA_ARGS__);           \
	} while (0)
#define scmi_err(log, ...) scmi_log(log, SCMI_LOG_ERR, __VA_ARGS__)
#define scmi_warn(log, ...) scmi_log(log, SCMI_LOG_WARNING, __VA_ARGS__)
#define scmi_info(log, ...) scmi_log(log, SCMI_LOG_INFO, __VA_ARGS__)
#define scmi_dbg(log, ...) scmi_log(log, SCMI_LOG_DEBUG, __VA_ARGS__)

/* At most one message per interval; the ones held back are counted. */
struct scmi_ratelimit {
	_Atomic uint64_t next_ns;
	_Atomic uint32_t suppressed;
};

#define SCMI_RATELIMIT_INTERVAL_NS 1000000000ull

/*
 * True when a message may be printed now; *suppressed then holds how many
 * were held back since the last one. Lock-free; safe from any thread.
 */
bool scmi_ratelimit_ok(struct scmi_ratelimit *rl, uint32_t *suppressed);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t scmi_now_ns(void);

/* A scmi_now_ns() time as the deadline of pthread_cond_timedwait(). */
struct timespec scmi_ns_to_timespec(uint64_t ns);

/* pthread_cond_init() on CLOCK_MONOTONIC. 0 or a negative errno. */
int scmi_cond_init_monotonic(pthread_cond_t *c);

#endif /* SCMI_LOG_H */
