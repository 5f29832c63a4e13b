/* SPDX-License-Identifier: MIT */
/*
 * A burst the platform can hold is never dropped by the agent: when a
 * protocol's queue is full, the notification stays in the P2A area (not
 * acked) and the platform keeps what follows in its own queue, until the
 * dispatcher made room (channel.h, CHANNEL_HOLD). Against the real
 * simulator, whose "fault stall" piles a burst up in its queue (64) to be
 * posted as fast as the agent takes it, to an agent whose sensor queue
 * holds QUEUE_RECORDS.
 *
 * And where holding would hold up what follows, it stops:
 *  - threaded: a dispatcher that makes no room within
 *    CHANNEL_HOLD_MAX_MS (a callback that blocks) has the rx thread drop
 *    the notification, and hold none until the dispatcher moves again, so
 *    that a delayed response behind a burst is late once, by that much;
 *  - event loop: a command waiting for its delayed response from a
 *    callback takes what comes before it, dropping what has no room (the
 *    only thread that could make room is the one that waits).
 * Every notification is accounted for: received = queued + dropped.
 *
 * Default topology: sensor 0 sends update notifications; reset domain 0
 * resets asynchronously (--async-delay below).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/reset.h>
#include <scmi/sensor.h>
#include <scmi/wire.h>

#include "fixture.h"

#define SENSOR 0u
#define BASE_VALUE 100000
#define WAIT_MS 10000
/*
 * Bytes of the agent's queues: the least the sensor protocol takes (its
 * largest event, 128 payload bytes, and a header), a few sensor updates.
 */
#define QUEUE_SZ 256u
/* More than the agent's queue, less than the platform's (64). */
#define BURST 50u
#define DELAYED_TIMEOUT_MS 2000
/*
 * The platform's delay of a delayed response: long enough that the whole
 * burst is posted before it, however loaded the machine.
 */
#define ASYNC_DELAY_MS "200"

static const char *const async_args[] = { "--async-delay", ASYNC_DELAY_MS,
					   NULL };

static int setup_async(void **state)
{
	return fx_start(state, async_args);
}

static struct scmi_agent *agent(struct fx *fx, bool loop)
{
	struct scmi_agent_config cfg = {
		.timeout_ms = FX_TIMEOUT_MS,
		.delayed_timeout_ms = DELAYED_TIMEOUT_MS,
		.queue_sz = QUEUE_SZ,
		.event_loop = loop,
	};
	struct scmi_agent *a = NULL;

	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	fx->agents[0] = a;
	return a;
}

static void register_nb(struct scmi_agent *a, struct scmi_notifier *nb)
{
	uint32_t src = SENSOR;

	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
						      SCMI_PROTOCOL_SENSOR,
						      SCMI_EVENT_SENSOR_UPDATE,
						      &src, nb), 0);
}

/* @n sensor updates piled up at the platform, then posted in a burst. */
static void burst(struct fx_ctlc *c, struct scmi_agent *a, unsigned int n)
{
	fx_ctlc_req(c, "fault stall %u on", scmi_agent_id(a));
	for (unsigned int i = 1; i <= n; i++)
		fx_ctlc_req(c, "sensor set %u %u", SENSOR, BASE_VALUE + i);
	fx_ctlc_req(c, "fault stall %u off", scmi_agent_id(a));
}

/*
 * Until @count reaches @n (or WAIT_MS), dispatching in event-loop mode:
 * @count then (one dispatch may take it past @n).
 */
static unsigned int wait_count(struct scmi_agent *a, bool loop,
			       atomic_uint *count, unsigned int n)
{
	uint64_t t0 = sim_now_ns();

	while (atomic_load(count) < n && fx_ms_since(t0) < WAIT_MS) {
		if (loop)
			assert_true(fx_loop_turn(a, 10) >= 0);
		else
			sim_sleep_ms(2);
	}
	return atomic_load(count);
}

static struct scmi_notify_stats sensor_stats(struct scmi_agent *a)
{
	struct scmi_notify_stats st;

	assert_int_equal(scmi_notify_get_stats(scmi_agent_notify(a),
					       SCMI_PROTOCOL_SENSOR, &st), 0);
	assert_true(st.received == st.queued + st.dropped_full +
					   st.dropped_invalid);
	return st;
}

/* ---- a burst, held -------------------------------------------------------- */

/*
 * A slow dispatcher (a millisecond per callback) and a burst of BURST,
 * more than its queue holds: every one is delivered, in order; the agent
 * drops none and neither does the platform.
 */
static void burst_held(struct fx *fx, bool loop)
{
	struct scmi_agent *a = agent(fx, loop);
	static struct fx_counter cnt;
	static struct fx_ctlc c;
	struct scmi_notify_stats st;
	struct fx_sim_counts sc;

	fx_counter_init(&cnt, SENSOR, 1000);
	register_nb(a, &cnt.nb);
	fx_connect(fx, a);
	fx_ctlc_open(fx, &c);
	burst(&c, a, BURST);
	assert_int_equal(wait_count(a, loop, &cnt.count, BURST), BURST);
	assert_int_equal(atomic_load(&cnt.out_of_order), 0);
	assert_true(atomic_load(&cnt.first) == BASE_VALUE + 1);
	assert_true(atomic_load(&cnt.last) == BASE_VALUE + BURST);
	st = sensor_stats(a);
	assert_true(st.dropped_full == 0);
	assert_true(st.received == BURST);
	sc = fx_sim_agent_counts(&c, scmi_agent_id(a));
	assert_true(sc.dropped == 0);
	assert_true(sc.sent == BURST);
	fx_ctlc_close(&c);
}

static void test_burst_held_threaded(void **state)
{
	burst_held(*state, false);
}

static void test_burst_held_loop(void **state)
{
	burst_held(*state, true);
}

/*
 * Event loop: commands sent from the loop's thread between its dispatches
 * take what the platform posts meanwhile until the queue is full, and
 * leave the rest posted (their waits hold); the next dispatch takes the
 * held one once it made room. The burst arrives whole.
 */
static void test_burst_held_across_commands_loop(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, true);
	static struct fx_counter cnt;
	static struct fx_ctlc c;
	uint64_t taken_in_waits;

	fx_counter_init(&cnt, SENSOR, 0);
	register_nb(a, &cnt.nb);
	fx_connect(fx, a);
	fx_ctlc_open(fx, &c);
	burst(&c, a, BURST);
	for (int i = 0; i < 30; i++)
		assert_int_equal(fx_raw(a, SCMI_PROTOCOL_BASE, 0, NULL, 0,
					NULL, 0, NULL), 0);
	/* the waits took some, and no callback ran in them */
	taken_in_waits = sensor_stats(a).received;
	assert_true(taken_in_waits > 0);
	assert_int_equal(atomic_load(&cnt.count), 0);
	assert_int_equal(wait_count(a, true, &cnt.count, BURST), BURST);
	assert_int_equal(atomic_load(&cnt.out_of_order), 0);
	assert_true(sensor_stats(a).dropped_full == 0);
	assert_true(fx_sim_agent_counts(&c, scmi_agent_id(a)).dropped == 0);
	fx_ctlc_close(&c);
}

/* ---- threaded: a dispatcher that makes no room ------------------------- */

/*
 * A notifier whose first callback blocks until released (or WAIT_MS); the
 * others take a millisecond each (a slow dispatcher, which holding keeps
 * up with).
 */
struct blocker {
	struct scmi_notifier nb;        /* first: the callback's cast */
	atomic_uint count;
	atomic_bool blocking;           /* its first callback has not returned */
	atomic_bool release;
};

static int blocker_cb(struct scmi_notifier *nb, uint8_t evt_id,
		      const void *report)
{
	struct blocker *b = (struct blocker *)nb;
	uint64_t t0 = sim_now_ns();

	if (atomic_fetch_add(&b->count, 1) == 0) {
		atomic_store(&b->blocking, true);
		while (!atomic_load(&b->release) && fx_ms_since(t0) < WAIT_MS)
			sim_sleep_ms(1);
		atomic_store(&b->blocking, false);
	} else {
		sim_sleep_ms(1);
	}
	return SCMI_NOTIFY_OK;
}

/*
 * The worker blocks in its first callback; a burst of BURST fills the
 * queue and the rest waits: the rx thread holds one for
 * CHANNEL_HOLD_MAX_MS, then drops what has no room without holding each,
 * so that an asynchronous command behind them completes while the
 * callback still blocks (held without bound, the command would wait for
 * the callback, which waits for the command: -ETIMEDOUT), and the whole
 * burst is taken, queued or dropped, while it still blocks (held
 * CHANNEL_HOLD_MAX_MS each, the 40-odd without room would take two
 * seconds). Once the worker moves, what was queued is delivered, and
 * the agent holds again: a burst then loses nothing.
 */
static void test_stuck_dispatcher_holds_once(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, false);
	static struct blocker b;
	static struct fx_ctlc c;
	struct scmi_notify_stats st;
	uint64_t t0;

	memset(&b, 0, sizeof(b));
	b.nb.cb = blocker_cb;
	register_nb(a, &b.nb);
	fx_connect(fx, a);
	fx_ctlc_open(fx, &c);
	burst(&c, a, BURST);
	assert_int_equal(wait_count(a, false, &b.count, 1), 1);
	t0 = sim_now_ns();
	assert_int_equal(scmi_reset_domain_reset(a, 0), 0);
	assert_true(fx_ms_since(t0) < DELAYED_TIMEOUT_MS / 2);
	while (sensor_stats(a).received < BURST && fx_ms_since(t0) < 1000)
		sim_sleep_ms(2);
	assert_true(atomic_load(&b.blocking));
	atomic_store(&b.release, true);

	st = sensor_stats(a);
	assert_true(st.received == BURST);
	assert_true(st.dropped_full > 0);
	assert_true(st.queued < BURST);
	/* what was queued is delivered once the worker moves */
	assert_int_equal(wait_count(a, false, &b.count, st.queued),
			 st.queued);
	/* and the worker moving, the agent holds again: nothing dropped */
	burst(&c, a, BURST / 2);
	assert_int_equal(wait_count(a, false, &b.count, st.queued + BURST / 2),
			 st.queued + BURST / 2);
	assert_true(sensor_stats(a).dropped_full == st.dropped_full);
	fx_ctlc_close(&c);
}

/* ---- event loop: a wait for a delayed response ------------------------- */

/* A notifier whose first callback resets domain 0 and waits for it. */
struct resetter {
	struct scmi_notifier nb;        /* first: the callback's cast */
	struct scmi_agent *a;
	atomic_uint count;
	int reset_ret;
};

static int resetter_cb(struct scmi_notifier *nb, uint8_t evt_id,
		       const void *report)
{
	struct resetter *r = (struct resetter *)nb;

	if (atomic_fetch_add(&r->count, 1) == 0)
		r->reset_ret = scmi_reset_domain_reset(r->a, 0);
	return SCMI_NOTIFY_OK;
}

/*
 * From the first callback of a burst, a reset whose delayed response
 * comes behind the rest of it: the wait takes the burst's notifications,
 * drops those the full queue has no room for (held, they would keep the
 * delayed response out until the wait timed out), and the reset succeeds.
 */
static void test_loop_delayed_wait_behind_burst(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, true);
	static struct resetter r;
	static struct fx_ctlc c;
	struct scmi_notify_stats st;

	memset(&r, 0, sizeof(r));
	r.nb.cb = resetter_cb;
	r.a = a;
	r.reset_ret = 1;
	register_nb(a, &r.nb);
	fx_connect(fx, a);
	fx_ctlc_open(fx, &c);
	burst(&c, a, BURST);
	assert_true(wait_count(a, true, &r.count, 1) >= 1);
	assert_int_equal(r.reset_ret, 0);
	st = sensor_stats(a);
	assert_true(st.dropped_full > 0);
	/* the rest of the burst: delivered or dropped, every one counted */
	for (uint64_t t0 = sim_now_ns();
	     sensor_stats(a).received < BURST && fx_ms_since(t0) < WAIT_MS;)
		assert_true(fx_loop_turn(a, 10) >= 0);
	st = sensor_stats(a);
	assert_true(st.received == BURST);
	assert_int_equal(wait_count(a, true, &r.count, st.queued), st.queued);
	fx_ctlc_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_burst_held_threaded),
		FX_TEST(test_burst_held_loop),
		FX_TEST(test_burst_held_across_commands_loop),
		FX_TEST_SETUP(test_stuck_dispatcher_holds_once, setup_async),
		FX_TEST_SETUP(test_loop_delayed_wait_behind_burst,
			      setup_async),
	};

	return fx_run_tests(tests);
}
