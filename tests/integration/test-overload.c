/* SPDX-License-Identifier: MIT */
/*
 * Overload: nothing is lost unaccounted.
 *
 * A platform floods one agent (SENSOR_UPDATE of sensor 0, one event per
 * "sensor set", sent over one persistent control connection) whose
 * callback is slow, with a small agent queue and a small simulator
 * --queue-len, under each simulator policy. Part of the flood happens
 * while the agent's P2A channel is stalled ("fault stall"), so that the
 * simulator's own queue overflows as well. Once it settles:
 *
 *   emitted (changes caused)  = sim sent + sim dropped + sim waiting (0)
 *   sim sent                  = agent notifications + agent notify_refused
 *   agent notifications       = core received
 *   core received             = queued + dropped_invalid + dropped_full
 *   core queued               = delivered + dropped_report + discarded
 *   delivered                 = callback calls
 *   emitted = callback calls + sim dropped
 *             + dropped_full + dropped_invalid + notify_refused
 *             + dropped_report
 *
 * and the values delivered are strictly increasing (a drop never
 * reorders). The agent drops none itself: a notification its queue has
 * no room for stays in the P2A area until the slow callback made room,
 * and the simulator keeps, or drops by its policy, what follows. Meanwhile a second agent sends PROTOCOL_VERSION every
 * millisecond from a thread: none times out or fails.
 *
 * Without overload (fast callback, default sizes, a sender that keeps
 * fewer than FLOW_WINDOW events in flight), SCMI_TEST_EVENTS events
 * (default 100000; 3000 under valgrind) all arrive, in order.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <scmi/sensor.h>
#include <scmi/wire.h>

#include "fixture.h"

#define SENSOR 0u
#define EVT_UPDATE SCMI_EVENT_SENSOR_UPDATE
#define SIM_QUEUE_LEN 8
#define SIM_QUEUE_LEN_STR "8"
#define AGENT_QUEUE_SZ 256     /* one 128-byte payload + header, no more */
#define SLOW_CB_US 200
#define STALLED_EVENTS 100     /* sent while the P2A channel is stalled */
#define FLOOD_EVENTS 3000      /* then, as fast as the control socket goes */
#define SETTLE_MS 20000
#define FLOW_WINDOW 32
#define BASE_VALUE 100000

static bool under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p && strstr(p, "vgpreload");
}

/* ---- overload, per policy --------------------------------------------- */

static void overload(void **state, const char *policy)
{
	struct fx *fx = *state;
	struct scmi_agent_config cfg = {
		.timeout_ms = FX_TIMEOUT_MS,
		.queue_sz = AGENT_QUEUE_SZ,
	};
	struct scmi_agent_stats as, bs;
	struct scmi_notify_stats ns;
	struct fx_sim_counts sc;
	struct fx_pinger pg = { 0 };
	static struct fx_ctlc ctl;
	struct fx_counter cnt;
	struct scmi_agent *a, *b;
	uint32_t src = SENSOR, id;
	uint64_t emitted = 0, deadline, agent_dropped, cb;
	int64_t v = BASE_VALUE;

	fx_counter_init(&cnt, SENSOR, SLOW_CB_US);
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	fx->agents[0] = a;
	fx_connect(fx, a);
	id = scmi_agent_id(a);
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
						      SCMI_PROTOCOL_SENSOR,
						      EVT_UPDATE, &src,
						      &cnt.nb), 0);
	b = fx_agent_connected(fx, 1);
	pg.a = b;
	assert_int_equal(pthread_create(&pg.th, NULL, fx_pinger_main, &pg), 0);

	fx_ctlc_open(fx, &ctl);

	/* 1: the agent's P2A channel stalled: the simulator's queue overflows */
	fx_ctlc_req(&ctl, "fault stall %u on", id);
	for (unsigned int i = 0; i < STALLED_EVENTS; i++, emitted++)
		fx_ctlc_req(&ctl, "sensor set %u %" PRId64, SENSOR, ++v);
	sc = fx_sim_agent_counts(&ctl, id);
	assert_int_equal(sc.sent, 0);
	fx_ctlc_req(&ctl, "fault stall %u off", id);

	/* 2: as fast as the control socket goes, into a slow callback */
	for (unsigned int i = 0; i < FLOOD_EVENTS; i++, emitted++)
		fx_ctlc_req(&ctl, "sensor set %u %" PRId64, SENSOR, ++v);

	/* settle: nothing waits at the simulator or in the agent's queue */
	deadline = sim_now_ns() + SETTLE_MS * 1000000ull;
	for (;;) {
		uint64_t in_queue;

		sc = fx_sim_agent_counts(&ctl, id);
		assert_int_equal(scmi_notify_get_stats(scmi_agent_notify(a),
						       SCMI_PROTOCOL_SENSOR,
						       &ns), 0);
		assert_int_equal(scmi_agent_get_stats(a, &as), 0);
		in_queue = ns.queued - ns.delivered - ns.dropped_report -
			   ns.discarded;
		if (sc.waiting == 0 && in_queue == 0 &&
		    as.notifications + as.notify_refused == (uint64_t)sc.sent &&
		    atomic_load(&cnt.count) == ns.delivered)
			break;
		if (sim_now_ns() > deadline)
			fail_msg("not settled: sim waiting %" PRId64
				 ", agent queue %" PRIu64, sc.waiting, in_queue);
		sim_sleep_ms(20);
	}
	/* and stays settled */
	sim_sleep_ms(100);
	sc = fx_sim_agent_counts(&ctl, id);
	assert_int_equal(scmi_notify_get_stats(scmi_agent_notify(a),
					       SCMI_PROTOCOL_SENSOR, &ns), 0);
	assert_int_equal(scmi_agent_get_stats(a, &as), 0);
	cb = atomic_load(&cnt.count);

	atomic_store(&pg.stop, true);
	pthread_join(pg.th, NULL);
	assert_int_equal(scmi_agent_get_stats(b, &bs), 0);

	agent_dropped = ns.dropped_full + ns.dropped_invalid + as.notify_refused +
			ns.dropped_report;
	printf("policy %-11s emitted %" PRIu64 " = delivered %" PRIu64
	       " + dropped at sim %" PRId64 " + dropped at agent %" PRIu64
	       " (full %" PRIu64 ", invalid %" PRIu64 ", refused %" PRIu64
	       ", report %" PRIu64 "); sim sent %" PRId64 " queued %" PRId64
	       "; first value %" PRId64 "\n",
	       policy, emitted, cb, sc.dropped, agent_dropped, ns.dropped_full,
	       ns.dropped_invalid, as.notify_refused, ns.dropped_report,
	       sc.sent, sc.queued, atomic_load(&cnt.first) - BASE_VALUE);
	printf("policy %-11s second agent: %u commands, %u timeouts, %u errors, max round trip %.3f ms\n",
	       policy, pg.sent, pg.timeouts, pg.errors, pg.max_rtt_ns / 1e6);

	/* the simulator's side */
	assert_int_equal(sc.waiting, 0);
	assert_int_equal((uint64_t)(sc.sent + sc.dropped), emitted);
	/* the transport's side */
	assert_int_equal(as.notifications + as.notify_refused, (uint64_t)sc.sent);
	assert_int_equal(as.notifications, ns.received);
	/* the core's laws */
	assert_int_equal(ns.received,
			 ns.queued + ns.dropped_invalid + ns.dropped_full);
	assert_int_equal(ns.queued,
			 ns.delivered + ns.dropped_report + ns.discarded);
	assert_int_equal(ns.delivered, cb);
	/* the whole */
	assert_int_equal(emitted, cb + (uint64_t)sc.dropped + agent_dropped);
	/*
	 * it was an overload at the simulator; the agent, whose dispatcher
	 * kept moving, dropped none: it left what its queue had no room for
	 * in the P2A area, for the platform to keep (CHANNEL_HOLD)
	 */
	assert_true(sc.dropped >= STALLED_EVENTS - SIM_QUEUE_LEN);
	assert_int_equal(ns.dropped_full, 0);
	assert_int_equal(ns.dropped_invalid, 0);
	assert_int_equal(as.notify_refused, 0);
	assert_int_equal(ns.dropped_report, 0);
	/* in order, and the right ones kept while stalled */
	assert_int_equal(atomic_load(&cnt.out_of_order), 0);
	if (!strcmp(policy, "queue"))
		assert_int_equal(atomic_load(&cnt.first), BASE_VALUE + 1);
	else if (!strcmp(policy, "drop-oldest"))
		assert_int_equal(atomic_load(&cnt.first),
				 BASE_VALUE + STALLED_EVENTS - SIM_QUEUE_LEN + 1);
	else
		assert_true(atomic_load(&cnt.first) > BASE_VALUE + STALLED_EVENTS);
	if (!strcmp(policy, "drop"))
		assert_true(sc.dropped >= STALLED_EVENTS);
	/* (the last change may be dropped: the agent's queue drops the newest) */
	assert_true(atomic_load(&cnt.last) <= v);

	/* the second agent was not held up */
	assert_true(pg.sent > 0);
	assert_int_equal(pg.timeouts, 0);
	assert_int_equal(pg.errors, 0);
	assert_int_equal(bs.timeouts, 0);

	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(a),
							SCMI_PROTOCOL_SENSOR,
							EVT_UPDATE, &src,
							&cnt.nb), 0);
	fx_ctlc_close(&ctl);
}

static int setup_queue(void **state)
{
	static const char *const args[] = { "--notify-policy", "queue",
		"--queue-len", SIM_QUEUE_LEN_STR, NULL };

	return fx_start(state, args);
}

static int setup_drop_oldest(void **state)
{
	static const char *const args[] = { "--notify-policy", "drop-oldest",
		"--queue-len", SIM_QUEUE_LEN_STR, NULL };

	return fx_start(state, args);
}

static int setup_drop(void **state)
{
	static const char *const args[] = { "--notify-policy", "drop",
		"--queue-len", SIM_QUEUE_LEN_STR, NULL };

	return fx_start(state, args);
}

static void test_overload_queue(void **state)
{
	overload(state, "queue");
}

static void test_overload_drop_oldest(void **state)
{
	overload(state, "drop-oldest");
}

static void test_overload_drop(void **state)
{
	overload(state, "drop");
}

/* ---- no overload: everything arrives, in order ------------------------ */

static void test_no_overload_all_in_order(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	const char *env = getenv("SCMI_TEST_EVENTS");
	unsigned long n = under_valgrind() ? 3000 : 100000;
	struct scmi_agent_stats as;
	struct scmi_notify_stats ns;
	static struct fx_ctlc ctl;
	struct fx_sim_counts sc;
	struct fx_counter cnt;
	uint32_t src = SENSOR;
	uint64_t t0, deadline;

	if (env && *env)
		n = strtoul(env, NULL, 0);
	assert_true(n > 0);
	fx_counter_init(&cnt, SENSOR, 0);
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
						      SCMI_PROTOCOL_SENSOR,
						      EVT_UPDATE, &src,
						      &cnt.nb), 0);
	fx_ctlc_open(fx, &ctl);
	t0 = sim_now_ns();
	for (unsigned long i = 1; i <= n; i++) {
		/* no more than FLOW_WINDOW in flight: no queue can fill */
		if (i - 1 - atomic_load(&cnt.count) >= FLOW_WINDOW) {
			deadline = sim_now_ns() + 5000000000ull;
			while (i - 1 - atomic_load(&cnt.count) >= FLOW_WINDOW) {
				if (sim_now_ns() > deadline)
					fail_msg("event %lu: only %u delivered", i,
						 atomic_load(&cnt.count));
				usleep(20);
			}
		}
		fx_ctlc_req(&ctl, "sensor set %u %lu", SENSOR, BASE_VALUE + i);
	}
	deadline = sim_now_ns() + 10000000000ull;
	while (atomic_load(&cnt.count) < n && sim_now_ns() < deadline)
		sim_sleep_ms(1);
	printf("%lu events in %.2f s: %u delivered\n", n,
	       (sim_now_ns() - t0) / 1e9, atomic_load(&cnt.count));
	sc = fx_sim_agent_counts(&ctl, scmi_agent_id(a));
	assert_int_equal(scmi_notify_get_stats(scmi_agent_notify(a),
					       SCMI_PROTOCOL_SENSOR, &ns), 0);
	assert_int_equal(scmi_agent_get_stats(a, &as), 0);

	assert_int_equal(atomic_load(&cnt.count), n);
	assert_int_equal(atomic_load(&cnt.out_of_order), 0);
	assert_int_equal(atomic_load(&cnt.first), BASE_VALUE + 1);
	assert_int_equal(atomic_load(&cnt.last), (int64_t)(BASE_VALUE + n));
	assert_int_equal(sc.sent, (int64_t)n);
	assert_int_equal(sc.dropped, 0);
	assert_int_equal(sc.waiting, 0);
	assert_int_equal(ns.received, n);
	assert_int_equal(ns.delivered, n);
	assert_int_equal(ns.dropped_full, 0);
	assert_int_equal(ns.dropped_invalid, 0);
	assert_int_equal(as.notify_refused, 0);

	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(a),
							SCMI_PROTOCOL_SENSOR,
							EVT_UPDATE, &src,
							&cnt.nb), 0);
	fx_ctlc_close(&ctl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST_SETUP(test_overload_queue, setup_queue),
		FX_TEST_SETUP(test_overload_drop_oldest, setup_drop_oldest),
		FX_TEST_SETUP(test_overload_drop, setup_drop),
		FX_TEST(test_no_overload_all_in_order),
	};

	return fx_run_tests(tests);
}
