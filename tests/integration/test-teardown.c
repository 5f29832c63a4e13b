/* SPDX-License-Identifier: MIT */
/*
 * Tearing an agent down from inside one of its own callbacks (agent.h):
 * scmi_agent_disconnect() and scmi_agent_destroy() called from a notifier
 * callback, from state_fn, or from a completion callback return at once
 * and are carried out once the callback returned: by the supervisor in
 * threaded mode, at the end of scmi_agent_dispatch() in event-loop mode.
 * Nothing that runs the callback is freed under it (ASan and valgrind
 * watch these tests), the agent ends DISCONNECTED or gone, no callback
 * runs after a destroy, and a disconnected agent connects again. A
 * disconnect from another thread waits for a completion callback the
 * supervisor runs.
 * scmi_agent_connect() from a callback is -EDEADLK.
 *
 * Default topology: power domain 2 (gpu, off) notifies
 * POWER_STATE_CHANGED; reset domain 0 resets asynchronously (its delayed
 * response after --async-delay).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/power.h>
#include <scmi/reset.h>
#include <scmi/wire.h>

#include "fixture.h"

#define DOM 2u
#define EVT SCMI_EVENT_POWER_STATE_CHANGED
#define WAIT_MS 3000

enum action { DO_NOTHING, DO_DISCONNECT, DO_DESTROY, DO_CONNECT, DO_SLEEP };

/* How long DO_SLEEP keeps its callback running. */
#define SLEEP_MS 300

/*
 * What the callbacks of one agent see and do. It outlives the agent (a
 * destroyed agent is gone; this is the test's).
 */
struct probe {
	struct scmi_notifier nb;        /* first: the callback's cast */
	struct scmi_agent *a;
	const char *sock;
	/*
	 * enum action, each done once: set by the test, taken by a callback
	 * (ordered through the simulator, which ThreadSanitizer cannot see:
	 * atomics)
	 */
	atomic_int on_event;            /* in the notifier callback */
	atomic_int on_connected;        /* in state_fn, at CONNECTED */
	atomic_int on_done;             /* in the completion callback */
	atomic_uint events;             /* notifier callbacks */
	atomic_uint events_after;       /* ... after the teardown asked */
	atomic_bool asked;              /* a teardown was asked for */
	atomic_int connect_ret;         /* of a connect from a callback */
	atomic_uint disconnected;       /* DISCONNECTED reports, err 0 */
	atomic_uint completions;
	atomic_uint completions_returned;
	atomic_int last_result;
};

/* Take the action of @slot (once) and do it. */
static void act(struct probe *p, atomic_int *slot)
{
	switch ((enum action)atomic_exchange(slot, DO_NOTHING)) {
	case DO_DISCONNECT:
		atomic_store(&p->asked, true);
		scmi_agent_disconnect(p->a);
		break;
	case DO_DESTROY:
		atomic_store(&p->asked, true);
		scmi_agent_destroy(p->a);
		break;
	case DO_CONNECT:
		atomic_store(&p->connect_ret,
			     scmi_agent_connect(p->a, p->sock));
		break;
	case DO_SLEEP:
		sim_sleep_ms(SLEEP_MS);
		break;
	default:
		break;
	}
}

static int on_event(struct scmi_notifier *nb, uint8_t evt_id,
		    const void *report)
{
	struct probe *p = (struct probe *)nb;

	if (atomic_load(&p->asked))
		atomic_fetch_add(&p->events_after, 1);
	atomic_fetch_add(&p->events, 1);
	act(p, &p->on_event);
	return SCMI_NOTIFY_OK;
}

static void on_state(void *ud, enum scmi_agent_state st, int err)
{
	struct probe *p = ud;

	if (st == SCMI_AGENT_DISCONNECTED && !err)
		atomic_fetch_add(&p->disconnected, 1);
	if (st == SCMI_AGENT_CONNECTED)
		act(p, &p->on_connected);
}

static void on_done(void *ud, int result, const void *ret, size_t ret_sz)
{
	struct probe *p = ud;

	atomic_store(&p->last_result, result);
	atomic_fetch_add(&p->completions, 1);
	act(p, &p->on_done);
	atomic_fetch_add(&p->completions_returned, 1);
}

static struct scmi_agent *probe_agent(struct fx *fx, struct probe *p,
				      bool loop)
{
	struct scmi_agent_config cfg = {
		.timeout_ms = FX_TIMEOUT_MS,
		.event_loop = loop,
		.state_fn = on_state,
		.state_userdata = p,
	};
	uint32_t dom = DOM;

	memset(p, 0, sizeof(*p));
	p->nb.cb = on_event;
	p->sock = fx->sim.sock;
	atomic_init(&p->connect_ret, 1);
	assert_int_equal(scmi_agent_create(&p->a, &cfg), 0);
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(p->a),
						      SCMI_PROTOCOL_POWER, EVT,
						      &dom, &p->nb), 0);
	return p->a;
}

/* One round of an event loop: wait for the agent's fd, dispatch. */
static void loop_once(struct scmi_agent *a)
{
	struct pollfd pf = { .fd = scmi_agent_get_fd(a), .events = POLLIN };

	poll(&pf, 1, 5);
	assert_true(scmi_agent_dispatch(a) >= 0);
}

/*
 * Run the agent's work until @cond(@p) holds or WAIT_MS passed: its own
 * threads, or (@loop, unless it is @gone) poll and dispatch.
 */
static bool run_until(struct probe *p, bool loop, bool gone,
		      bool (*cond)(struct probe *p))
{
	uint64_t t0 = sim_now_ns();

	while (!cond(p) && fx_ms_since(t0) < WAIT_MS) {
		if (loop && !gone)
			loop_once(p->a);
		else
			sim_sleep_ms(2);
	}
	return cond(p);
}

/*
 * Event loop: dispatch until a callback asked for the destroy; the
 * dispatch that ran it carried it out before it returned.
 */
static bool loop_until_destroyed(struct probe *p)
{
	uint64_t t0 = sim_now_ns();

	while (!atomic_load(&p->asked) && fx_ms_since(t0) < WAIT_MS)
		loop_once(p->a);
	return atomic_load(&p->asked);
}

static bool got_event(struct probe *p)
{
	return atomic_load(&p->events) > 0;
}

static bool got_two_events(struct probe *p)
{
	return atomic_load(&p->events) >= 2;
}

static bool got_disconnected(struct probe *p)
{
	return atomic_load(&p->disconnected) > 0;
}

static bool got_completion(struct probe *p)
{
	return atomic_load(&p->completions) > 0;
}

static void emit(struct fx *fx, unsigned int n)
{
	fx_ctl(fx, "power set %u %u", DOM,
	       n % 2 ? SCMI_POWER_STATE_ON : SCMI_POWER_STATE_OFF);
}

/* ---- disconnect --------------------------------------------------------- */

static void disconnect_from_notifier(struct fx *fx, bool loop)
{
	struct probe p;
	struct scmi_agent *a = probe_agent(fx, &p, loop);
	bool gone = false;

	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	atomic_store(&p.on_event, DO_DISCONNECT);
	emit(fx, 1);
	assert_true(run_until(&p, loop, gone, got_disconnected));
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_DISCONNECTED);
	assert_int_equal(scmi_agent_id(a), 0);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_BASE, 0, NULL, 0,
					 NULL, 0, NULL), -ENOTCONN);
	/* and it connects again: the notifier, back to pending, binds */
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	emit(fx, 2);
	assert_true(run_until(&p, loop, gone, got_two_events));
	assert_int_equal(atomic_load(&p.events), 2);
	scmi_agent_destroy(a);
}

static void test_disconnect_from_notifier_threaded(void **state)
{
	disconnect_from_notifier(*state, false);
}

static void test_disconnect_from_notifier_loop(void **state)
{
	disconnect_from_notifier(*state, true);
}

static void disconnect_from_state_fn(struct fx *fx, bool loop)
{
	struct probe p;
	struct scmi_agent *a = probe_agent(fx, &p, loop);
	bool gone = false;

	atomic_store(&p.on_connected, DO_DISCONNECT);
	/* CONNECTED is reported on this thread: the disconnect waits */
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_true(run_until(&p, loop, gone, got_disconnected));
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_DISCONNECTED);
	scmi_agent_destroy(a);
}

static void test_disconnect_from_state_fn_threaded(void **state)
{
	disconnect_from_state_fn(*state, false);
}

static void test_disconnect_from_state_fn_loop(void **state)
{
	disconnect_from_state_fn(*state, true);
}

/* ---- destroy ------------------------------------------------------------ */

/*
 * The agent destroys itself from a callback: the test sees it go through
 * what it reports (DISCONNECTED, err 0), then no callback any more.
 */
static void destroy_from_notifier(struct fx *fx, bool loop)
{
	struct probe p;
	struct scmi_agent *a = probe_agent(fx, &p, loop);
	bool gone = false;
	unsigned int seen;

	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	atomic_store(&p.on_event, DO_DESTROY);
	emit(fx, 1);
	if (loop) {
		gone = loop_until_destroyed(&p);
		assert_true(gone);
	}
	assert_true(run_until(&p, loop, gone, got_disconnected));
	seen = atomic_load(&p.events);
	/* no callback after: another state change reaches nobody */
	emit(fx, 2);
	sim_sleep_ms(100);
	assert_int_equal(atomic_load(&p.events), seen);
	assert_int_equal(atomic_load(&p.events_after), 0);
}

static void test_destroy_from_notifier_threaded(void **state)
{
	destroy_from_notifier(*state, false);
}

static void test_destroy_from_notifier_loop(void **state)
{
	destroy_from_notifier(*state, true);
}

static void destroy_from_state_fn(struct fx *fx, bool loop)
{
	struct probe p;
	struct scmi_agent *a = probe_agent(fx, &p, loop);
	bool gone = false;

	atomic_store(&p.on_connected, DO_DESTROY);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	if (loop) {
		/* carried out by the next dispatch */
		assert_true(scmi_agent_dispatch(a) >= 0);
		gone = true;
	}
	assert_true(run_until(&p, loop, gone, got_disconnected));
}

static void test_destroy_from_state_fn_threaded(void **state)
{
	destroy_from_state_fn(*state, false);
}

static void test_destroy_from_state_fn_loop(void **state)
{
	destroy_from_state_fn(*state, true);
}

/* From a completion callback: an asynchronous reset of domain 0. */
static void destroy_from_completion(struct fx *fx, bool loop)
{
	struct probe p;
	struct scmi_agent *a = probe_agent(fx, &p, loop);
	uint8_t tx[12];
	bool gone = false;

	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	/* RESET: domain 0, flags async | autonomous, state 0 */
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 0x5);
	scmi_put_le32(tx + 8, 0);
	atomic_store(&p.on_done, DO_DESTROY);
	assert_int_equal(scmi_agent_xfer_async_cb(a, SCMI_PROTOCOL_RESET, 0x4,
						  tx, sizeof(tx), on_done, &p),
			 0);
	if (loop)
		gone = loop_until_destroyed(&p);
	assert_true(run_until(&p, loop, gone, got_completion));
	assert_int_equal(atomic_load(&p.last_result), 0);
	assert_true(run_until(&p, loop, gone, got_disconnected));
}

static void test_destroy_from_completion_threaded(void **state)
{
	destroy_from_completion(*state, false);
}

static void test_destroy_from_completion_loop(void **state)
{
	destroy_from_completion(*state, true);
}

/*
 * A disconnect from another thread while the supervisor runs a completion
 * callback returns only once that callback returned: after it, none runs,
 * and the caller may free what the callbacks use.
 */
static void test_disconnect_waits_for_running_completion(void **state)
{
	struct fx *fx = *state;
	struct probe p;
	struct scmi_agent *a = probe_agent(fx, &p, false);
	uint8_t tx[12];

	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 0x5);
	scmi_put_le32(tx + 8, 0);
	atomic_store(&p.on_done, DO_SLEEP);
	assert_int_equal(scmi_agent_xfer_async_cb(a, SCMI_PROTOCOL_RESET, 0x4,
						  tx, sizeof(tx), on_done, &p),
			 0);
	assert_true(run_until(&p, false, false, got_completion));
	assert_int_equal(atomic_load(&p.completions_returned), 0);
	scmi_agent_disconnect(a);
	assert_int_equal(atomic_load(&p.completions_returned), 1);
	assert_int_equal(atomic_load(&p.last_result), 0);
	scmi_agent_destroy(a);
}

/* ---- connect from a callback -------------------------------------------- */

static void test_connect_from_callback_is_edeadlk(void **state)
{
	struct fx *fx = *state;
	struct probe p;
	struct scmi_agent *a = probe_agent(fx, &p, false);
	bool gone = false;

	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	atomic_store(&p.on_event, DO_CONNECT);
	emit(fx, 1);
	assert_true(run_until(&p, false, gone, got_event));
	while (atomic_load(&p.connect_ret) == 1)
		sim_sleep_ms(1);
	assert_int_equal(atomic_load(&p.connect_ret), -EDEADLK);
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_CONNECTED);
	scmi_agent_destroy(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_disconnect_from_notifier_threaded),
		FX_TEST(test_disconnect_from_notifier_loop),
		FX_TEST(test_disconnect_from_state_fn_threaded),
		FX_TEST(test_disconnect_from_state_fn_loop),
		FX_TEST(test_destroy_from_notifier_threaded),
		FX_TEST(test_destroy_from_notifier_loop),
		FX_TEST(test_destroy_from_state_fn_threaded),
		FX_TEST(test_destroy_from_state_fn_loop),
		FX_TEST(test_destroy_from_completion_threaded),
		FX_TEST(test_destroy_from_completion_loop),
		FX_TEST(test_disconnect_waits_for_running_completion),
		FX_TEST(test_connect_from_callback_is_edeadlk),
	};

	return fx_run_tests(tests);
}
