/* SPDX-License-Identifier: MIT */
/*
 * Subscriptions before traffic (DESIGN 3.4): a notifier registered before
 * connect has its events enabled at the platform by the time
 * scmi_agent_connect() returns, so that an event the platform emits right
 * after reaches it; after a platform restart, by the time CONNECTED is
 * reported. In both modes, many rounds, not one event lost.
 *
 * The events: power domain 2 of the default topology (gpu) changed state,
 * and powercap domain 0 (soc-cap) changed its cap, each set through the
 * control socket once per round, alternating. Powercap is the last
 * protocol the agent brings up: its handlers were the ones a late bind
 * left unbound when connect returned.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/power.h>
#include <scmi/wire.h>

#include "fixture.h"

#define DOM 2u
#define EVT SCMI_EVENT_POWER_STATE_CHANGED
#define CAP_DOM 0u
#define CAP_EVT SCMI_EVENT_POWERCAP_CAP_CHANGED
#define WAIT_MS 3000
/* a round whose event is lost waits WAIT_MS: stop after a few */
#define MAX_LOST 5

static bool under_valgrind(void)
{
	const char *w = getenv("SCMI_SIM_WRAPPER");

	return w && strstr(w, "valgrind");
}

/* The agent of one round, in threaded or event-loop mode. */
static struct scmi_agent *round_agent(bool loop, bool reconnect,
				      scmi_agent_state_fn state_fn, void *ud)
{
	struct scmi_agent_config cfg = {
		.timeout_ms = FX_TIMEOUT_MS,
		.event_loop = loop,
		.reconnect = reconnect,
		.reconnect_interval_ms = 10,
		.state_fn = state_fn,
		.state_userdata = ud,
	};
	struct scmi_agent *a = NULL;

	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	return a;
}

/*
 * Wait until @rec has @n reports: on the agent's threads, or by polling
 * its fd and dispatching (event-loop mode). The count then.
 */
static unsigned int wait_reports(struct scmi_agent *a, bool loop,
				 struct fx_recorder *rec, unsigned int n)
{
	uint64_t t0 = sim_now_ns();

	if (!loop)
		return fx_rec_wait(rec, n, WAIT_MS);
	while (fx_rec_count(rec) < n && fx_ms_since(t0) < WAIT_MS) {
		struct pollfd p = { .fd = scmi_agent_get_fd(a),
				    .events = POLLIN };

		poll(&p, 1, 10);
		assert_true(scmi_agent_dispatch(a) >= 0);
	}
	return fx_rec_count(rec);
}

static void first_event_after_connect(struct fx *fx, bool loop)
{
	const unsigned int rounds = under_valgrind() ? 30 : 300;
	static struct fx_ctlc ctl;
	struct fx_recorder rec, cap;
	uint32_t dom = DOM, cap_dom = CAP_DOM;
	unsigned int lost = 0, r;

	fx_ctlc_open(fx, &ctl);
	for (r = 0; r < rounds && lost < MAX_LOST; r++) {
		struct scmi_agent *a = round_agent(loop, false, NULL, NULL);

		fx_rec_init(&rec, SCMI_PROTOCOL_POWER);
		fx_rec_init(&cap, SCMI_PROTOCOL_POWERCAP);
		/* pending: the protocols are not up before connect */
		assert_int_equal(fx_rec_register(&rec, a, EVT, &dom), 0);
		assert_int_equal(fx_rec_register(&cap, a, CAP_EVT, &cap_dom), 0);
		assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
		fx_ctlc_req(&ctl, "powercap cap %u %u", CAP_DOM,
			    r % 2 ? 12000 : 11000);
		fx_ctlc_req(&ctl, "power set %u %u", DOM,
			    r % 2 ? SCMI_POWER_STATE_OFF : SCMI_POWER_STATE_ON);
		lost += wait_reports(a, loop, &cap, 1) != 1;
		lost += wait_reports(a, loop, &rec, 1) != 1;
		scmi_agent_destroy(a);
		fx_rec_fini(&rec);
		fx_rec_fini(&cap);
	}
	fx_ctlc_close(&ctl);
	print_message("%s: %u rounds, %u events lost\n",
		      loop ? "event loop" : "threaded", r, lost);
	assert_int_equal(lost, 0);
}

static void test_first_event_after_connect_threaded(void **state)
{
	first_event_after_connect(*state, false);
}

static void test_first_event_after_connect_loop(void **state)
{
	first_event_after_connect(*state, true);
}

/* How many CONNECTED the agent reported. */
static void count_connected(void *ud, enum scmi_agent_state st, int err)
{
	if (st == SCMI_AGENT_CONNECTED)
		atomic_fetch_add((atomic_uint *)ud, 1);
}

/*
 * After each restart of the platform, as soon as CONNECTED is reported
 * (by the supervisor, or in the dispatch), the event is emitted: it must
 * arrive.
 */
static void first_event_after_reconnect(struct fx *fx, bool loop)
{
	const unsigned int rounds = under_valgrind() ? 5 : 30;
	struct fx_recorder rec;
	atomic_uint connected;
	uint32_t dom = DOM;
	unsigned int lost = 0;
	struct scmi_agent *a;

	atomic_init(&connected, 0);
	a = round_agent(loop, true, count_connected, &connected);
	fx->agents[0] = a;
	fx_rec_init(&rec, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&rec, a, EVT, &dom), 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	for (unsigned int r = 1; r <= rounds && lost < MAX_LOST; r++) {
		uint64_t t0;

		sim_crash(&fx->sim);
		assert_int_equal(sim_restart(&fx->sim, NULL), 0);
		t0 = sim_now_ns();
		while (atomic_load(&connected) < r + 1 &&
		       fx_ms_since(t0) < WAIT_MS) {
			if (loop) {
				struct pollfd p = { .fd = scmi_agent_get_fd(a),
						    .events = POLLIN };

				poll(&p, 1, 5);
				assert_true(scmi_agent_dispatch(a) >= 0);
			} else {
				sim_sleep_ms(1);
			}
		}
		assert_int_equal(atomic_load(&connected), r + 1);
		fx_rec_reset(&rec);
		/* a restarted platform starts from its topology: gpu is off */
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set %u %u",
					 DOM, SCMI_POWER_STATE_ON), 0);
		if (wait_reports(a, loop, &rec, 1) != 1)
			lost++;
	}
	print_message("%s: %u restarts, %u events lost\n",
		      loop ? "event loop" : "threaded", rounds, lost);
	assert_int_equal(lost, 0);
	assert_int_equal(fx_rec_unregister(&rec, a, EVT, &dom), 0);
	fx_agent_destroy(fx, 0);
	fx_rec_fini(&rec);
}

static void test_first_event_after_reconnect_threaded(void **state)
{
	first_event_after_reconnect(*state, false);
}

static void test_first_event_after_reconnect_loop(void **state)
{
	first_event_after_reconnect(*state, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_first_event_after_connect_threaded),
		FX_TEST(test_first_event_after_connect_loop),
		FX_TEST(test_first_event_after_reconnect_threaded),
		FX_TEST(test_first_event_after_reconnect_loop),
	};

	return fx_run_tests(tests);
}
