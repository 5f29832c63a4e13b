/* SPDX-License-Identifier: MIT */
/*
 * Start the real scmi-sim beside a test, on a socket in a fresh mkdtemp
 * directory, and always reap it: sim_stop() in the test's teardown, and an
 * atexit handler for whatever a failed test left behind. The child also
 * dies with the thread that started it (PR_SET_PDEATHSIG), so no simulator
 * outlives a test program, however it ends.
 *
 * The simulator's path: $SCMI_SIM, else the one built beside the tests
 * (SCMI_SIM_PATH, set by meson). $SCMI_SIM_WRAPPER, if set, runs it (the
 * valgrind test setup runs it under valgrind that way): sim_stop() then
 * ends it with SIGTERM, and a wrapper that exits 99 fails the test program.
 */
#ifndef SIM_HARNESS_H
#define SIM_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>

/* What a test may change about the simulator's process (sim_start_opts()). */
struct sim_opts {
	int stderr_fd;          /* its standard error (-1: the test's own) */
	unsigned int nofile;    /* RLIMIT_NOFILE, soft and hard (0: ours) */
};

struct sim {
	pid_t pid;                                   /* 0: not running */
	struct sim_opts opts;                        /* kept for sim_restart() */
	char dir[64];                                /* the mkdtemp directory */
	char sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	bool stopped;                                /* SIGSTOPped by sim_pause() */
};

/* The simulator to run, or NULL if there is none. */
const char *sim_exe(void);

/*
 * Start the simulator with its --socket and the NULL-terminated @args
 * (may be NULL), and wait (at most 5 s) until it listens.
 * Returns 0 or a negative errno; on error nothing is left running.
 */
int sim_start(struct sim *s, const char *const *args);

/* sim_start() with @o (NULL: the defaults, as sim_start()). */
int sim_start_opts(struct sim *s, const char *const *args,
		   const struct sim_opts *o);

/*
 * What sim_start_opts() does before it starts the simulator: the directory
 * and s->sock, where nothing listens yet. sim_restart() starts it there
 * later; sim_stop() removes the directory. 0 or a negative errno.
 */
int sim_prepare(struct sim *s, const struct sim_opts *o);

/* Kill (SIGKILL), reap, remove the socket and directory. Idempotent. */
void sim_stop(struct sim *s);

/*
 * SIGTERM the simulator (SIGCONT first if paused) and wait at most @ms for
 * it to exit, its wait status into *@status (may be NULL); a wrapper's
 * errors fail the test program as sim_stop()'s do. 0; -ETIMEDOUT, still
 * running (sim_stop() kills it); -ESRCH not running.
 */
int sim_term(struct sim *s, unsigned int ms, int *status);

/* SIGKILL the simulator and reap it, leaving the directory (a crash). */
void sim_crash(struct sim *s);

/*
 * Start the simulator again on the same socket path (s->sock), after
 * sim_crash(): the stale socket (and control socket) is removed first.
 * @args as sim_start(). Returns 0 or a negative errno (-EBUSY: it still
 * runs; -EINVAL: @s was never started or was stopped).
 */
int sim_restart(struct sim *s, const char *const *args);

/* SIGSTOP the simulator and wait until it is stopped. Returns 0 or -errno. */
int sim_pause(struct sim *s);

/* SIGCONT a paused simulator and wait until it runs. Returns 0 or -errno. */
int sim_resume(struct sim *s);

/* Whether the simulator still runs (not reaped, not a zombie). */
bool sim_alive(struct sim *s);

/*
 * The CPU time (user + system) the simulator's process has used so far,
 * in milliseconds, from /proc/<pid>/stat. 0 or a negative errno.
 */
int sim_cpu_ms(struct sim *s, uint64_t *ms);

/*
 * Send one control request (printf-style, e.g. "sensor set %u %d") to the
 * simulator's control socket (its --socket path + ".ctl") and wait for the
 * reply, copied NUL-terminated into @reply (may be NULL). Returns 0 when
 * the simulator answered "ok", its negative errno when it answered
 * "error", or a negative errno of the socket.
 */
int sim_ctl(struct sim *s, char *reply, size_t reply_sz, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t sim_now_ns(void);

/* Sleep @ms milliseconds. */
void sim_sleep_ms(unsigned int ms);

#endif /* SIM_HARNESS_H */
