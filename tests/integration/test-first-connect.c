/* SPDX-License-Identifier: MIT */
/*
 * The first connect with reconnect on (agent.h): a daemon started before
 * its platform. scmi_agent_connect() to a socket nobody listens on yet
 * (-ENOENT: no socket file; -ECONNREFUSED: a socket nobody accepts on)
 * returns 0, the agent reports RECONNECTING with that error and retries
 * every reconnect_interval_ms; when the simulator starts it reports
 * CONNECTED and the notifier registered before connect receives events.
 * In threaded and event-loop modes. Without reconnect, the error as
 * before; a disconnect while it waits ends the retries.
 *
 * Each test's simulator is not started by the setup (fx_setup_unstarted):
 * the test starts it after the connect call, with sim_restart().
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <scmi/power.h>

#include "fixture.h"

#define WAIT_MS 3000          /* bound of every wait */
#define INTERVAL_MS 20        /* the agents' reconnect interval */
#define EVT SCMI_EVENT_POWER_STATE_CHANGED

/* ---- the state recorder (the thread of state_fn may be another) ------- */

#define MAX_STATES 32

struct states {
	pthread_mutex_t mtx;
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
	pthread_mutex_unlock(&s->mtx);
}

/* Report @i (state and error), or -1 states when there is none. */
static void states_get(struct states *s, unsigned int i, int *state,
		       int *err)
{
	pthread_mutex_lock(&s->mtx);
	*state = i < s->n && i < MAX_STATES ? s->state[i] : -1;
	*err = i < s->n && i < MAX_STATES ? s->err[i] : 0;
	pthread_mutex_unlock(&s->mtx);
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

static struct scmi_agent *agent_new(struct fx *fx, bool loop, bool reconnect,
				    struct states *st)
{
	struct scmi_agent_config cfg = {
		.timeout_ms = FX_TIMEOUT_MS,
		.reconnect = reconnect,
		.reconnect_interval_ms = INTERVAL_MS,
		.state_fn = states_fn,
		.state_userdata = st,
		.event_loop = loop,
	};
	struct scmi_agent *a = NULL;

	memset(st, 0, sizeof(*st));
	pthread_mutex_init(&st->mtx, NULL);
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	fx->agents[0] = a;
	return a;
}

/* Let the agent work for about @ms: loop turns, or a sleep (threaded). */
static void run_for(struct scmi_agent *a, bool loop, unsigned int ms)
{
	uint64_t t0 = sim_now_ns();

	if (!loop) {
		sim_sleep_ms(ms);
		return;
	}
	while (fx_ms_since(t0) < ms)
		assert_true(fx_loop_turn(a, 5) >= 0);
}

/* Run the agent until @n state reports came (bounded); the count. */
static unsigned int states_wait(struct scmi_agent *a, bool loop,
				struct states *st, unsigned int n)
{
	uint64_t t0 = sim_now_ns();

	while (states_count(st) < n && fx_ms_since(t0) < WAIT_MS)
		run_for(a, loop, 2);
	return states_count(st);
}

/* A socket bound at @path that accepts nobody: connect is -ECONNREFUSED. */
static int refusing_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/*
 * Connect before the platform is there (@refused: a socket that refuses,
 * else none at all), then start it: RECONNECTING (with the connect's
 * error) at once and while it is away, CONNECTED once it listens, and an
 * event to the notifier registered before connect.
 */
static void first_connect(void **state, bool loop, bool refused)
{
	struct fx *fx = *state;
	int want = refused ? -ECONNREFUSED : -ENOENT;
	struct fx_recorder rec;
	struct states st;
	struct scmi_agent *a = agent_new(fx, loop, true, &st);
	uint32_t dom = 2, ps;
	int fd = -1, s, err;

	fx_rec_init(&rec, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&rec, a, EVT, &dom), 0);
	if (refused)
		fd = refusing_socket(fx->sim.sock);
	/* the supervisor asleep, with no deadline: connect must wake it */
	run_for(a, loop, INTERVAL_MS);

	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_RECONNECTING);
	assert_int_equal(states_count(&st), 1);
	states_get(&st, 0, &s, &err);
	assert_int_equal(s, SCMI_AGENT_RECONNECTING);
	assert_int_equal(err, want);
	/* connected to nothing yet: commands say so, connect again is -EISCONN */
	assert_int_equal(scmi_power_state_get(a, 2, &ps), -ENOTCONN);
	assert_int_equal(scmi_agent_id(a), 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), -EISCONN);

	/* several attempts fail meanwhile, and are not reported */
	run_for(a, loop, 5 * INTERVAL_MS);
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_RECONNECTING);
	assert_int_equal(states_count(&st), 1);

	if (fd >= 0)
		close(fd); /* sim_restart() removes the socket file */
	assert_int_equal(sim_restart(&fx->sim, NULL), 0);
	assert_int_equal(states_wait(a, loop, &st, 2), 2);
	states_get(&st, 1, &s, &err);
	assert_int_equal(s, SCMI_AGENT_CONNECTED);
	assert_int_equal(err, 0);
	assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_CONNECTED);
	assert_true(scmi_agent_id(a) > 0);

	/* the notifier registered before connect is bound: an event comes */
	fx_ctl(fx, "power set 2 %u", SCMI_POWER_STATE_ON);
	if (loop) {
		uint64_t t0 = sim_now_ns();

		while (fx_rec_count(&rec) < 1 && fx_ms_since(t0) < WAIT_MS)
			assert_true(fx_loop_turn(a, 10) >= 0);
	} else {
		fx_rec_wait(&rec, 1, WAIT_MS);
	}
	assert_int_equal(fx_rec_count(&rec), 1);
	assert_int_equal(fx_rec_last(&rec).r.power.domain_id, 2);
	assert_int_equal(scmi_power_state_get(a, 2, &ps), 0);
	assert_int_equal(ps, SCMI_POWER_STATE_ON);
	assert_int_equal(states_count(&st), 2);

	assert_int_equal(fx_rec_unregister(&rec, a, EVT, &dom), 0);
	fx_agent_destroy(fx, 0);
	fx_rec_fini(&rec);
	pthread_mutex_destroy(&st.mtx);
}

/* ---- tests ------------------------------------------------------------ */

static void test_threaded_no_socket(void **state)
{
	first_connect(state, false, false);
}

static void test_threaded_refused(void **state)
{
	first_connect(state, false, true);
}

static void test_loop_no_socket(void **state)
{
	first_connect(state, true, false);
}

static void test_loop_refused(void **state)
{
	first_connect(state, true, true);
}

/* Without reconnect, connect fails as it always did, and stays so. */
static void test_no_reconnect_fails(void **state)
{
	struct fx *fx = *state;

	for (int loop = 0; loop < 2; loop++) {
		struct states st;
		struct scmi_agent *a = agent_new(fx, loop, false, &st);

		assert_int_equal(scmi_agent_connect(a, fx->sim.sock), -ENOENT);
		assert_int_equal(scmi_agent_get_state(a),
				 SCMI_AGENT_DISCONNECTED);
		assert_int_equal(states_count(&st), 0);
		fx_agent_destroy(fx, 0);
		pthread_mutex_destroy(&st.mtx);
	}
}

/*
 * A disconnect while the first connect is retried ends the retries: it
 * reports DISCONNECTED, and no CONNECTED follows once the platform is
 * there; the agent can connect again.
 */
static void test_disconnect_while_waiting(void **state)
{
	struct fx *fx = *state;

	for (int loop = 0; loop < 2; loop++) {
		struct states st;
		struct scmi_agent *a = agent_new(fx, loop, true, &st);
		int s, err;

		assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
		run_for(a, loop, 2 * INTERVAL_MS);
		scmi_agent_disconnect(a);
		assert_int_equal(states_count(&st), 2);
		states_get(&st, 1, &s, &err);
		assert_int_equal(s, SCMI_AGENT_DISCONNECTED);
		assert_int_equal(err, 0);

		assert_int_equal(sim_restart(&fx->sim, NULL), 0);
		run_for(a, loop, 5 * INTERVAL_MS);
		assert_int_equal(states_count(&st), 2);
		assert_int_equal(scmi_agent_get_state(a),
				 SCMI_AGENT_DISCONNECTED);
		assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
		assert_int_equal(scmi_agent_get_state(a), SCMI_AGENT_CONNECTED);

		fx_agent_destroy(fx, 0);
		pthread_mutex_destroy(&st.mtx);
		sim_crash(&fx->sim);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST_SETUP(test_threaded_no_socket, fx_setup_unstarted),
		FX_TEST_SETUP(test_threaded_refused, fx_setup_unstarted),
		FX_TEST_SETUP(test_loop_no_socket, fx_setup_unstarted),
		FX_TEST_SETUP(test_loop_refused, fx_setup_unstarted),
		FX_TEST_SETUP(test_no_reconnect_fails, fx_setup_unstarted),
		FX_TEST_SETUP(test_disconnect_while_waiting,
			      fx_setup_unstarted),
	};

	return fx_run_tests(tests);
}
