/* SPDX-License-Identifier: MIT */
/*
 * Platform restart (agent.h): the simulator is killed (sim_crash()) and
 * started again on the same socket (sim_restart()). The agent reports the
 * loss (state_fn, -ECONNRESET on commands), reconnects when configured to,
 * and the notifiers registered before the crash, or while the platform
 * was gone, receive events again without being registered again. Without
 * reconnect it stays disconnected; disconnect and destroy while it
 * reconnects return promptly.
 *
 * Default topology: power domain 1 (cpu-cluster1, on) and 2 (gpu, off)
 * both notify POWER_STATE_CHANGED.
 */
#include <errno.h>
#include <string.h>

#include <scmi/power.h>
#include <scmi/wire.h>

#include "fixture.h"

#define WAIT_MS 3000          /* bound of every wait */
#define INTERVAL_MS 20        /* the agents' reconnect interval */
#define PROMPT_MS 500         /* what "returns promptly" means */

#define ON SCMI_POWER_STATE_ON
#define OFF SCMI_POWER_STATE_OFF
#define EVT SCMI_EVENT_POWER_STATE_CHANGED

/* ---- the state recorder ------------------------------------------------ */

#define MAX_STATES 32

struct states {
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	unsigned int n;
	int state[MAX_STATES];
	int err[MAX_STATES];
};

static void states_fn(void *userdata, enum scmi_agent_state state, int err)
{
	struct states *s = userdata;

	pthread_mutex_lock(&s->mtx);
	if (s->n < MAX_STATES) {
		s->state[s->n] = (int)state;
		s->err[s->n] = err;
	}
	s->n++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->mtx);
}

static void states_init(struct states *s)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->mtx, NULL);
	pthread_cond_init(&s->cond, NULL);
}

static void states_fini(struct states *s)
{
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->mtx);
}

/*
 * Wait until a report of @state (with @err) at or after index *@from
 * arrives; *@from is then the index after it. Whether it came.
 */
static bool states_wait(struct states *s, unsigned int *from, int state,
			int err)
{
	uint64_t deadline = sim_now_ns() + WAIT_MS * 1000000ull;
	bool found = false;

	for (;;) {
		pthread_mutex_lock(&s->mtx);
		for (unsigned int i = *from; i < s->n && i < MAX_STATES; i++) {
			if (s->state[i] == state && s->err[i] == err) {
				*from = i + 1;
				found = true;
				break;
			}
		}
		pthread_mutex_unlock(&s->mtx);
		if (found || sim_now_ns() > deadline)
			return found;
		sim_sleep_ms(2);
	}
}

static unsigned int states_count(struct states *s)
{
	unsigned int n;

	pthread_mutex_lock(&s->mtx);
	n = s->n;
	pthread_mutex_unlock(&s->mtx);
	return n;
}

/* ---- helpers -------------------------------------------------------- */

/* An agent with @reconnect and the state recorder, in slot @slot. */
static struct scmi_agent *agent_new(struct fx *fx, size_t slot,
				    bool reconnect, struct states *st)
{
	struct scmi_agent_config cfg = {
		.timeout_ms = FX_TIMEOUT_MS,
		.reconnect = reconnect,
		.reconnect_interval_ms = INTERVAL_MS,
		.state_fn = states_fn,
		.state_userdata = st,
	};
	struct scmi_agent *a = NULL;

	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	fx->agents[slot] = a;
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_DISCONNECTED);
	return a;
}

/*
 * Change power domain @dom until @rec has one more report than @seen (the
 * core binds and enables on its worker's time). Asserts it comes.
 */
static void event_arrives(struct fx *fx, struct fx_recorder *rec,
			  uint32_t dom, unsigned int seen)
{
	uint32_t to = ON;

	for (int i = 0; i < 200 && fx_rec_count(rec) <= seen; i++) {
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "power set %u %u",
					 dom, to), 0);
		to = to == ON ? OFF : ON;
		fx_rec_wait(rec, seen + 1, 10);
	}
	assert_true(fx_rec_wait(rec, seen + 1, WAIT_MS) >= seen + 1);
	assert_int_equal(fx_rec_last(rec).r.power.domain_id, dom);
	assert_int_equal(fx_rec_last(rec).r.power.agent_id, 0);
}

static uint32_t ms_since(uint64_t t0)
{
	return (uint32_t)((sim_now_ns() - t0) / 1000000ull);
}

/* ---- tests ------------------------------------------------------------ */

/*
 * Crash, restart on the same socket: the loss is reported, commands fail
 * with -ECONNRESET, and after the reconnect both the notifier registered
 * before the crash and the one registered while the platform was gone
 * receive events, neither registered again. Twice, for good measure.
 */
static void test_reconnect_keeps_notifiers(void **state)
{
	struct fx *fx = *state;
	struct states st;
	struct scmi_agent *a;
	struct fx_recorder before, during;
	const uint32_t d1 = 1, d2 = 2;
	struct scmi_base_info bi;
	unsigned int at = 0;
	uint32_t ps;

	states_init(&st);
	a = agent_new(fx, 0, true, &st);
	fx_rec_init(&before, SCMI_PROTOCOL_POWER);
	fx_rec_init(&during, SCMI_PROTOCOL_POWER);

	fx_connect(fx, a);
	assert_true(states_wait(&st, &at, SCMI_AGENT_CONNECTED, 0));
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_CONNECTED);
	assert_int_equal(fx_rec_register(&before, a, EVT, &d2), 0);
	event_arrives(fx, &before, 2, 0);

	for (int round = 0; round < 2; round++) {
		unsigned int nb = fx_rec_count(&before);
		unsigned int nd = fx_rec_count(&during);

		sim_crash(&fx->sim);
		assert_true(states_wait(&st, &at, SCMI_AGENT_DISCONNECTED,
					-ECONNRESET));
		assert_true(states_wait(&st, &at, SCMI_AGENT_RECONNECTING,
					-ECONNRESET));
		assert_int_equal(scmi_power_state_get(a, 2, &ps), -ECONNRESET);
		assert_int_equal(fx_raw(a, SCMI_PROTOCOL_BASE, 0, NULL, 0,
					NULL, 0, NULL), -ECONNRESET);
		assert_int_equal(scmi_agent_id(a), 0);
		assert_int_equal(scmi_agent_base_info(a, &bi), -ENOTCONN);
		if (!round)
			/* pending while the platform is gone */
			assert_int_equal(fx_rec_register(&during, a, EVT, &d1),
					 0);

		assert_int_equal(sim_restart(&fx->sim, NULL), 0);
		assert_true(states_wait(&st, &at, SCMI_AGENT_CONNECTED, 0));
		assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_CONNECTED);
		assert_true(scmi_agent_id(a) >= 1);
		assert_int_equal(scmi_agent_base_info(a, &bi), 0);
		assert_true(bi.num_protocols > 0);
		assert_int_equal(scmi_power_state_get(a, 1, &ps), 0);

		event_arrives(fx, &before, 2, nb);
		event_arrives(fx, &during, 1, nd);
	}

	assert_int_equal(fx_rec_unregister(&before, a, EVT, &d2), 0);
	assert_int_equal(fx_rec_unregister(&during, a, EVT, &d1), 0);
	fx_agent_destroy(fx, 0);
	/* disconnect reported DISCONNECTED, err 0, on the destroying thread */
	assert_true(states_wait(&st, &at, SCMI_AGENT_DISCONNECTED, 0));
	fx_rec_fini(&before);
	fx_rec_fini(&during);
	states_fini(&st);
}

/* Reconnect off: the agent stays disconnected, -ECONNRESET, until
 * scmi_agent_disconnect(); then it connects again as new. */
static void test_no_reconnect(void **state)
{
	struct fx *fx = *state;
	struct states st;
	struct scmi_agent *a;
	struct fx_recorder rec;
	const uint32_t d2 = 2;
	unsigned int at = 0, n;
	uint32_t ps;

	states_init(&st);
	a = agent_new(fx, 0, false, &st);
	fx_rec_init(&rec, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&rec, a, EVT, &d2), 0);
	fx_connect(fx, a);
	assert_true(states_wait(&st, &at, SCMI_AGENT_CONNECTED, 0));
	event_arrives(fx, &rec, 2, 0);

	sim_crash(&fx->sim);
	assert_true(states_wait(&st, &at, SCMI_AGENT_DISCONNECTED,
				-ECONNRESET));
	assert_int_equal(sim_restart(&fx->sim, NULL), 0);
	sim_sleep_ms(10 * INTERVAL_MS);
	n = states_count(&st);
	assert_int_equal(n, at); /* nothing more: no RECONNECTING */
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_DISCONNECTED);
	assert_int_equal(scmi_power_state_get(a, 2, &ps), -ECONNRESET);
	assert_int_equal(fx_raw(a, SCMI_PROTOCOL_BASE, 0, NULL, 0, NULL, 0,
				NULL), -ECONNRESET);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), -EISCONN);

	/* disconnect: nothing more to report; then -ENOTCONN */
	scmi_agent_disconnect(a);
	assert_int_equal(states_count(&st), n);
	assert_int_equal(scmi_power_state_get(a, 2, &ps), -ENOTCONN);

	/* and a new connect binds the notifier again */
	n = fx_rec_count(&rec);
	fx_connect(fx, a);
	assert_true(states_wait(&st, &at, SCMI_AGENT_CONNECTED, 0));
	event_arrives(fx, &rec, 2, n);

	assert_int_equal(fx_rec_unregister(&rec, a, EVT, &d2), 0);
	fx_agent_destroy(fx, 0);
	fx_rec_fini(&rec);
	states_fini(&st);
}

/* Disconnect and destroy while the agent tries to reconnect. */
static void test_stop_while_reconnecting(void **state)
{
	struct fx *fx = *state;
	struct states st, st2;
	struct scmi_agent *a, *b;
	unsigned int at = 0, at2 = 0;
	uint64_t t0;
	uint32_t ps;

	states_init(&st);
	states_init(&st2);
	a = agent_new(fx, 0, true, &st);
	b = agent_new(fx, 1, true, &st2);
	fx_connect(fx, a);
	fx_connect(fx, b);

	sim_crash(&fx->sim);
	assert_true(states_wait(&st, &at, SCMI_AGENT_RECONNECTING,
				-ECONNRESET));
	assert_true(states_wait(&st2, &at2, SCMI_AGENT_RECONNECTING,
				-ECONNRESET));
	sim_sleep_ms(3 * INTERVAL_MS); /* a few attempts fail */
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_RECONNECTING);

	t0 = sim_now_ns();
	scmi_agent_disconnect(a);
	assert_true(ms_since(t0) < PROMPT_MS);
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_DISCONNECTED);
	assert_true(states_wait(&st, &at, SCMI_AGENT_DISCONNECTED, 0));
	assert_int_equal(scmi_power_state_get(a, 2, &ps), -ENOTCONN);

	t0 = sim_now_ns();
	fx_agent_destroy(fx, 1);
	assert_true(ms_since(t0) < PROMPT_MS);

	/* the disconnected one stays so after the platform is back */
	assert_int_equal(sim_restart(&fx->sim, NULL), 0);
	sim_sleep_ms(5 * INTERVAL_MS);
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_DISCONNECTED);
	fx_connect(fx, a);
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_CONNECTED);
	fx_agent_destroy(fx, 0);
	states_fini(&st);
	states_fini(&st2);
}

/* Commands racing the crash and the reconnect: each fails or succeeds,
 * none hangs, and the agent ends connected. */
static void *hammer(void *arg)
{
	struct scmi_agent *a = arg;
	uint32_t ps;
	int bad = 0;

	for (int i = 0; i < 400; i++) {
		int ret = scmi_power_state_get(a, 1, &ps);

		if (ret && ret != -ECONNRESET && ret != -ENOTCONN &&
		    ret != -EOPNOTSUPP)
			bad++;
		if (ret)
			sim_sleep_ms(1);
	}
	return (void *)(intptr_t)bad;
}

static void test_commands_during_restart(void **state)
{
	struct fx *fx = *state;
	struct states st;
	struct scmi_agent *a;
	unsigned int at = 0;
	pthread_t t[2];
	void *bad;
	uint32_t ps;

	states_init(&st);
	a = agent_new(fx, 0, true, &st);
	fx_connect(fx, a);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer, a), 0);
	sim_sleep_ms(5);
	sim_crash(&fx->sim);
	assert_true(states_wait(&st, &at, SCMI_AGENT_RECONNECTING,
				-ECONNRESET));
	assert_int_equal(sim_restart(&fx->sim, NULL), 0);
	assert_true(states_wait(&st, &at, SCMI_AGENT_CONNECTED, 0));
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(t[i], &bad), 0);
		assert_null(bad);
	}
	assert_int_equal(scmi_power_state_get(a, 1, &ps), 0);
	fx_agent_destroy(fx, 0);
	states_fini(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_reconnect_keeps_notifiers),
		FX_TEST(test_no_reconnect),
		FX_TEST(test_stop_while_reconnecting),
		FX_TEST(test_commands_during_restart),
	};

	return fx_run_tests(tests);
}
