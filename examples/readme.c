/* SPDX-License-Identifier: MIT */
/*
 * readme: the API example of README.md, whole. The lines between the
 * README markers are the README's code block, character for character
 * (tests/build/check-readme.sh compares them); test-examples runs it
 * against the simulator.
 *
 *   readme [SOCKET]     (default: the simulator's default socket)
 *
 * It subscribes to power domain 2 before it connects, turns the domain on
 * (the default topology starts it off), waits for its callback, and
 * leaves. Exit status 0 when the callback ran.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* README begin */
#include <scmi/agent.h>
#include <scmi/power.h>
#include <scmi/util.h>

struct watcher {
	struct scmi_notifier nb;   /* embedded: scmi_container_of() finds us */
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	unsigned int seen;
};

/* Runs on the agent's worker thread. */
static int on_power(struct scmi_notifier *nb, uint8_t evt_id, const void *report)
{
	struct watcher *w = scmi_container_of(nb, struct watcher, nb);
	const struct scmi_power_state_changed_report *r = report;

	printf("power domain %u is now 0x%08x (agent %u did it)\n",
	       r->domain_id, r->power_state, r->agent_id);
	pthread_mutex_lock(&w->mtx);
	w->seen++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mtx);
	return SCMI_NOTIFY_OK;     /* SCMI_NOTIFY_STOP_MASK would cut the chain */
}

static int watch_domain_2(const char *socket_path /* NULL: the default */)
{
	struct watcher w = { .nb.cb = on_power, .mtx = PTHREAD_MUTEX_INITIALIZER,
			     .cond = PTHREAD_COND_INITIALIZER };
	struct timespec deadline;
	struct scmi_agent *agent;
	uint32_t domain = 2;
	int ret;

	ret = scmi_agent_create(&agent, NULL);         /* threaded, not connected */
	if (ret < 0)
		return ret;
	/* before connect: pending until the power protocol comes up */
	ret = scmi_event_notifier_register(scmi_agent_notify(agent),
					   SCMI_PROTOCOL_POWER,
					   SCMI_EVENT_POWER_STATE_CHANGED,
					   &domain, &w.nb);
	if (!ret)        /* returns once POWER_STATE_NOTIFY is on for domain 2 */
		ret = scmi_agent_connect(agent, socket_path);
	if (!ret)        /* domain 2 starts off: this changes its state */
		ret = scmi_power_state_set(agent, domain, SCMI_POWER_STATE_ON);
	if (!ret) {      /* the callback runs on the worker: wait for it */
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += 2;
		pthread_mutex_lock(&w.mtx);
		while (!w.seen && ret != ETIMEDOUT)
			ret = pthread_cond_timedwait(&w.cond, &w.mtx, &deadline);
		ret = w.seen ? 0 : -ETIMEDOUT;
		pthread_mutex_unlock(&w.mtx);
	}
	/* once this returns, on_power() is not running and never will again */
	scmi_event_notifier_unregister(scmi_agent_notify(agent), SCMI_PROTOCOL_POWER,
				       SCMI_EVENT_POWER_STATE_CHANGED, &domain, &w.nb);
	scmi_agent_destroy(agent);
	return ret;
}
/* README end */

int main(int argc, char **argv)
{
	int ret = watch_domain_2(argc > 1 ? argv[1] : NULL);

	if (ret < 0) {
		fprintf(stderr, "readme: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
