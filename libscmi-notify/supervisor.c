/* SPDX-License-Identifier: MIT */
/*
 * Threaded mode: the agent's supervisor, a thread for the agent's whole
 * life. It sleeps on sup_cond until poked (sup_poke(): a hang-up, a
 * completion due, a teardown asked for) or until the next deadline (a
 * reconnect attempt, a completion callback's timeout), then, holding no
 * lock of its own: handles the loss of the platform (agent_lose()), tries
 * to reconnect when an attempt is due, runs the completion callbacks that
 * are due and the raw P2A callback (raw_fn) for each raw message, and
 * carries out a teardown a callback asked for. state_fn, completion
 * callbacks and raw_fn run on it.
 * Lock: sup_mtx, a leaf, protects hangup, wake and stop.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>

#include "agent-priv.h"

void sup_poke(struct scmi_agent *a, bool hangup)
{
	pthread_mutex_lock(&a->sup_mtx);
	if (hangup)
		a->hangup = true;
	else
		a->wake = true;
	pthread_cond_signal(&a->sup_cond);
	pthread_mutex_unlock(&a->sup_mtx);
}

/*
 * Sleep until poked, stopped or @next (UINT64_MAX: no deadline). Returns
 * false when the supervisor must stop; *@hangup says a hang-up was seen.
 */
static bool sup_wait(struct scmi_agent *a, uint64_t next, bool *hangup)
{
	struct timespec ts = scmi_ns_to_timespec(next);
	bool run;

	pthread_mutex_lock(&a->sup_mtx);
	if (!a->stop && !a->hangup && !a->wake && next > scmi_now_ns()) {
		if (next == UINT64_MAX)
			pthread_cond_wait(&a->sup_cond, &a->sup_mtx);
		else
			pthread_cond_timedwait(&a->sup_cond, &a->sup_mtx, &ts);
	}
	run = !a->stop;
	*hangup = a->hangup;
	a->hangup = false;
	a->wake = false;
	pthread_mutex_unlock(&a->sup_mtx);
	return run;
}

static void *sup_main(void *arg)
{
	struct scmi_agent *a = arg;
	bool hangup;

	while (sup_wait(a, agent_next_deadline(a), &hangup)) {
		uint64_t at;

		if (hangup || (atomic_load(&a->connected) &&
			       channel_is_dead(&a->ch)))
			agent_lose(a);
		at = atomic_load(&a->reconnect_at_ns);
		if (at && at <= scmi_now_ns())
			agent_reconnect_once(a);
		agent_run_completions(a);
		agent_run_raw(a);
		if (agent_do_teardown(a, true))
			return NULL; /* destroyed: a is gone */
	}
	return NULL;
}

int sup_start(struct scmi_agent *a)
{
	sigset_t all, old;
	int ret;

	a->stop = false;
	/* it takes no signal: they go to the application's threads */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&a->sup_thread, NULL, sup_main, a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	a->sup_started = true;
	return 0;
}

void sup_stop(struct scmi_agent *a)
{
	if (!a->sup_started)
		return;
	pthread_mutex_lock(&a->sup_mtx);
	a->stop = true;
	pthread_cond_signal(&a->sup_cond);
	pthread_mutex_unlock(&a->sup_mtx);
	pthread_join(a->sup_thread, NULL);
	a->sup_started = false;
}
