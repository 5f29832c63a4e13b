/* SPDX-License-Identifier: MIT */
/*
 * loop-poll: an SCMI agent inside a program's own poll() loop, with no
 * thread of the library's own (scmi_agent_config.event_loop).
 *
 * It logs every power state change of every domain and, from inside that
 * callback, reads sensor 0 (a command sent from the loop's thread: while
 * it waits the library takes the notifications that come, for the next
 * dispatch). SIGINT and SIGTERM end it through a signalfd in the same
 * poll set; so does the platform going away.
 *
 *   loop-poll [--socket PATH] [--count N]
 *
 * PATH defaults to the simulator's default socket; with --count it exits
 * (0) after N events. Try it beside `scmi-sim` and
 * `scmi-sim-ctl power set 2 0` / `power set 2 0x40000000`.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <scmi/agent.h>
#include <scmi/names.h>
#include <scmi/power.h>
#include <scmi/sensor.h>
#include <scmi/util.h>

struct app {
	struct scmi_notifier power_nb;
	struct scmi_agent *agent;
	unsigned int events, count;
	bool lost;
};

static int on_power(struct scmi_notifier *nb, uint8_t evt_id,
		    const void *report)
{
	struct app *app = scmi_container_of(nb, struct app, power_nb);
	const struct scmi_power_state_changed_report *r = report;
	int64_t value = 0;
	char state[64];

	scmi_power_state_format(r->power_state, state, sizeof(state));
	/* a command from inside the callback, on the loop's thread */
	if (scmi_sensor_reading_get(app->agent, 0, &value, NULL) < 0)
		value = 0;
	printf("power domain %u is %s (agent %u); sensor 0 reads %" PRId64 "\n",
	       r->domain_id, state, r->agent_id, value);
	fflush(stdout);
	app->events++;
	return SCMI_NOTIFY_OK;
}

static void on_state(void *userdata, enum scmi_agent_state st, int err)
{
	struct app *app = userdata;

	if (st == SCMI_AGENT_DISCONNECTED && err) {
		fprintf(stderr, "loop-poll: the platform went away: %s\n",
			strerror(-err));
		app->lost = true;
	}
}

/* Milliseconds until the agent's deadline (scmi_agent_get_timeout()). */
static int timeout_ms(struct scmi_agent *a)
{
	struct timespec ts;
	uint64_t usec, now;

	if (scmi_agent_get_timeout(a, &usec) < 0 || usec == UINT64_MAX)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
	return usec <= now ? 0 : (int)((usec - now + 999) / 1000);
}

static int run(struct app *app, const char *path)
{
	struct scmi_agent_config cfg = {
		.event_loop = true,
		.state_fn = on_state,
		.state_userdata = app,
	};
	sigset_t mask;
	int sfd, ret;

	ret = scmi_agent_create(&app->agent, &cfg);
	if (ret < 0)
		return ret;
	/* every domain; pending until connect brings the protocol up */
	ret = scmi_event_notifier_register(scmi_agent_notify(app->agent),
					   SCMI_PROTOCOL_POWER,
					   SCMI_EVENT_POWER_STATE_CHANGED,
					   NULL, &app->power_nb);
	if (!ret)
		ret = scmi_agent_connect(app->agent, path);
	if (ret < 0)
		goto out;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		ret = -errno;
		goto out;
	}
	printf("connected as agent %u; waiting for power state changes\n",
	       scmi_agent_id(app->agent));
	fflush(stdout);

	while (!app->lost && (!app->count || app->events < app->count)) {
		struct pollfd p[2] = {
			{ .fd = scmi_agent_get_fd(app->agent), .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
		};

		if (poll(p, 2, timeout_ms(app->agent)) < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		if (p[1].revents)
			break; /* SIGINT or SIGTERM */
		ret = scmi_agent_dispatch(app->agent);
		if (ret < 0)
			break;
		ret = 0;
	}
	close(sfd);
	scmi_event_notifier_unregister(scmi_agent_notify(app->agent),
				       SCMI_PROTOCOL_POWER,
				       SCMI_EVENT_POWER_STATE_CHANGED, NULL,
				       &app->power_nb);
out:
	scmi_agent_destroy(app->agent);
	return ret < 0 ? ret : app->lost ? -ECONNRESET : 0;
}

int main(int argc, char **argv)
{
	struct app app = { .power_nb.cb = on_power };
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
	ret = run(&app, path);
	if (ret < 0) {
		fprintf(stderr, "loop-poll: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
