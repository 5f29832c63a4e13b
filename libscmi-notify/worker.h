/* SPDX-License-Identifier: MIT */
/*
 * The dispatcher's wake-up, and the optional worker thread that runs it.
 *
 * One 32-bit word says whether work was signalled since the dispatcher
 * last looked (KICKED) and, in threaded mode, whether the worker sleeps on
 * it (SLEEPING). Signalling costs one relaxed load while a kick is already
 * outstanding, so a burst costs one atomic exchange and at most one
 * system call, never one per event while the dispatcher runs.
 *
 *  - threaded (worker_start()): the worker sleeps on the word with
 *    FUTEX_WAIT; a producer that finds it sleeping wakes it (FUTEX_WAKE).
 *    No file descriptor: a futex needs none.
 *  - manual: an eventfd, readable while a kick is outstanding, for the
 *    user's own event loop to poll (scmi_notify_get_fd()).
 *
 * The ordering that makes a wake-up impossible to lose is explained at
 * worker_kick() in worker.c.
 */
#ifndef SCMI_WORKER_H
#define SCMI_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct scmi_worker {
	_Atomic uint32_t word;   /* WORKER_KICKED | WORKER_SLEEPING */
	int efd;                 /* manual mode: readable while kicked; else -1 */
	atomic_bool stop;        /* the thread is asked to exit */
	bool started;            /* thread is running (owner only) */
	pthread_t thread;
	void (*work)(void *arg); /* run once per wake-up */
	void *arg;
};

/*
 * Set up the wake-up: with @manual, an eventfd for the user's loop;
 * otherwise nothing to create (worker_start() starts the thread).
 * Returns 0 or a negative errno.
 */
int worker_init(struct scmi_worker *w, bool manual, void (*work)(void *),
		void *arg);
/* Start the thread (threaded mode). Returns 0 or a negative errno. */
int worker_start(struct scmi_worker *w);
/* Ask the thread to exit and join it (no-op if not started). */
void worker_stop(struct scmi_worker *w);
/* Close the eventfd, if any. The thread must be stopped. */
void worker_fini(struct scmi_worker *w);

/*
 * Signal that there is work, right after publishing it with an atomic
 * store or read-modify-write (see worker.c for why that matters). Cheap
 * when a kick is already outstanding; otherwise one atomic exchange and,
 * if the worker sleeps (threaded) or always (manual: the eventfd), one
 * system call.
 */
void worker_kick(struct scmi_worker *w);

/*
 * Called by whoever is about to do the work, before looking for it: take
 * the outstanding kick, so that work published from now on kicks again.
 * Manual mode: the eventfd is read first, unless @read_fd is false (the
 * caller saw it was not readable; if it is readable now, the caller's
 * loop wakes again and reads it then).
 */
void worker_consume(struct scmi_worker *w, bool read_fd);

#endif /* SCMI_WORKER_H */
