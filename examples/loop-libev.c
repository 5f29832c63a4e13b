/* SPDX-License-Identifier: MIT */
/*
 * loop-libev: an SCMI agent on a libev loop, with no thread of the
 * library's own (scmi_agent_config.event_loop): an ev_io on the agent's
 * fd, an ev_timer kept at the agent's next deadline
 * (scmi_agent_get_timeout(), asked again after each dispatch), and
 * ev_signal watchers for SIGINT and SIGTERM. It logs every power state
 * change, as loop-poll does with poll().
 *
 *   loop-libev [--socket PATH] [--count N]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ev.h>

#include <scmi/agent.h>
#include <scmi/names.h>
#include <scmi/power.h>
#include <scmi/util.h>

struct app {
	struct scmi_notifier power_nb;
	struct scmi_agent *agent;
	struct ev_loop *loop;
	ev_io io;
	ev_timer timer;
	ev_signal sigint, sigterm;
	unsigned int events, count;
	int err;
	bool done;                      /* stop: ev_break() alone may be lost */
};

/*
 * Stop the loop. ev_run() forgets an ev_break() made before it was
 * entered: the dispatch before it can run callbacks (the events of a
 * whole pass, those the platform posts meanwhile too), so the flag says
 * it as well.
 */
static void stop(struct app *app)
{
	app->done = true;
	ev_break(app->loop, EVBREAK_ALL);
}

static int on_power(struct scmi_notifier *nb, uint8_t evt_id,
		    const void *report)
{
	struct app *app = scmi_container_of(nb, struct app, power_nb);
	const struct scmi_power_state_changed_report *r = report;
	char state[64];

	scmi_power_state_format(r->power_state, state, sizeof(state));
	printf("power domain %u is %s (agent %u)\n", r->domain_id, state,
	       r->agent_id);
	fflush(stdout);
	if (app->count && ++app->events >= app->count)
		stop(app);
	return SCMI_NOTIFY_OK;
}

static void on_state(void *userdata, enum scmi_agent_state st, int err)
{
	struct app *app = userdata;

	if (st == SCMI_AGENT_DISCONNECTED && err) {
		fprintf(stderr, "loop-libev: the platform went away: %s\n",
			strerror(-err));
		app->err = err;
		stop(app);
	}
}

/* Keep the timer at the agent's next deadline (libev's clock is ev_now). */
static void arm_timer(struct app *app)
{
	struct timespec ts;
	uint64_t usec, now;

	ev_timer_stop(app->loop, &app->timer);
	if (scmi_agent_get_timeout(app->agent, &usec) < 0 || usec == UINT64_MAX)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
	ev_timer_set(&app->timer, usec <= now ? 0. : (usec - now) / 1e6, 0.);
	ev_timer_start(app->loop, &app->timer);
}

static void dispatch(struct app *app)
{
	int ret = scmi_agent_dispatch(app->agent);

	if (ret < 0) {
		app->err = ret;
		stop(app);
		return;
	}
	arm_timer(app);
}

static void on_io(struct ev_loop *loop, ev_io *w, int revents)
{
	dispatch(w->data);
}

static void on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	dispatch(w->data);
}

static void on_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	ev_break(loop, EVBREAK_ALL);
}

int main(int argc, char **argv)
{
	struct app app = { .power_nb.cb = on_power };
	struct scmi_agent_config cfg = {
		.event_loop = true,
		.state_fn = on_state,
		.state_userdata = &app,
	};
	const char *path = NULL;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc) {
			path = argv[++i];
		} else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
			app.count = (unsigned int)strtoul(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "usage: %s [--socket PATH] [--count N]\n",
				argv[0]);
			return 2;
		}
	}
	app.loop = EV_DEFAULT;
	/* the signals first: from here on SIGINT and SIGTERM end it cleanly */
	ev_signal_init(&app.sigint, on_signal, SIGINT);
	ev_signal_start(app.loop, &app.sigint);
	ev_signal_init(&app.sigterm, on_signal, SIGTERM);
	ev_signal_start(app.loop, &app.sigterm);
	ret = scmi_agent_create(&app.agent, &cfg);
	if (!ret)
		ret = scmi_event_notifier_register(
			scmi_agent_notify(app.agent), SCMI_PROTOCOL_POWER,
			SCMI_EVENT_POWER_STATE_CHANGED, NULL, &app.power_nb);
	if (!ret)
		ret = scmi_agent_connect(app.agent, path);
	if (ret < 0) {
		fprintf(stderr, "loop-libev: %s\n", strerror(-ret));
		scmi_agent_destroy(app.agent);
		return 1;
	}
	printf("connected as agent %u; waiting for power state changes\n",
	       scmi_agent_id(app.agent));
	fflush(stdout);

	ev_io_init(&app.io, on_io, scmi_agent_get_fd(app.agent), EV_READ);
	app.io.data = &app;
	ev_io_start(app.loop, &app.io);
	ev_init(&app.timer, on_timer);
	app.timer.data = &app;
	/* what connect left to do (it may have queued work) */
	dispatch(&app);
	if (!app.done)
		ev_run(app.loop, 0);

	scmi_event_notifier_unregister(scmi_agent_notify(app.agent),
				       SCMI_PROTOCOL_POWER,
				       SCMI_EVENT_POWER_STATE_CHANGED, NULL,
				       &app.power_nb);
	scmi_agent_destroy(app.agent);
	if (app.err < 0) {
		fprintf(stderr, "loop-libev: %s\n", strerror(-app.err));
		return 1;
	}
	return 0;
}
