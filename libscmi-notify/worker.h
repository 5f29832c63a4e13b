/* SPDX-License-Identifier: MIT */
/*
 * The worker: an eventfd that is readable while there is work, a "kicked"
 * flag so that a burst of work costs at most one write() to it, and an
 * optional thread that waits on the eventfd and runs the work function.
 * Without the thread, the eventfd is what a user's event loop polls.
 */
#ifndef SCMI_WORKER_H
#define SCMI_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct scmi_worker {
	int efd;                 /* readable while kicked; -1 before init */
	atomic_bool kicked;      /* a write to efd is outstanding */
	atomic_bool stop;        /* the thread is asked to exit */
	bool started;            /* thread is running (owner only) */
	pthread_t thread;
	void (*work)(void *arg); /* run once per wake-up */
	void *arg;
};

/* Create the eventfd. Returns 0 or a negative errno. */
int worker_init(struct scmi_worker *w, void (*work)(void *), void *arg);
/* Start the thread. Returns 0 or a negative errno. */
int worker_start(struct scmi_worker *w);
/* Ask the thread to exit and join it (no-op if not started). */
void worker_stop(struct scmi_worker *w);
/* Close the eventfd. The thread must be stopped. */
void worker_fini(struct scmi_worker *w);

/*
 * Signal that there is work, after publishing it. Lock-free and cheap when
 * a kick is already outstanding; otherwise one write() to the eventfd.
 */
void worker_kick(struct scmi_worker *w);

/* The same, for a caller that issued a seq_cst fence after publishing. */
void worker_kick_fenced(struct scmi_worker *w);

/*
 * Called by whoever is about to do the work: drain the eventfd, then clear
 * the kick, so that work published from now on kicks again.
 */
void worker_consume(struct scmi_worker *w);

#endif /* SCMI_WORKER_H */
