/* SPDX-License-Identifier: MIT */
/*
 * Fault injection end to end (sim-platform/faults.h): each "fault"
 * control request against a real agent (libscmi-notify) talking to the
 * real simulator, and what the agent makes of it:
 *   delay           a response within the agent's timeout arrives late but
 *                   fine; one beyond it gives -ETIMEDOUT, the loop keeps
 *                   serving others meanwhile, and the next command works;
 *   drop            -ETIMEDOUT (the command was carried out), then recovery;
 *   error           -ECOMM, then recovery;
 *   corrupt-length  -EPROTO (refused), then recovery;
 *   stall           notifications wait in the agent's queue and are dropped
 *                   by its policy (queue, drop-oldest, drop), the counters
 *                   of "agents --json" say exactly how many, and after
 *                   "stall off" the waiting ones arrive in order;
 * and that each is one-shot (but stall), counted, listed by "faults",
 * replaced, cleared, per agent, and refused with the right errno when the
 * request is wrong.
 *
 * Each test starts its own simulator and kills it in its teardown.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/notify.h>
#include <scmi/power.h>
#include <scmi/protocols.h>
#include <scmi/sensor.h>
#include <scmi/wire.h>

#include "fixture.h"
#include "mini-json.h"

#define TIMEOUT_MS 300        /* the agents' command timeout */
#define WAIT_MS 2000          /* bound of every wait for an event */
#define QUIET_MS 150          /* how long "nothing arrives" is watched */
#define QUEUE_LEN 4           /* --queue-len of the stall tests */
#define NUM_EVENTS 7          /* events sent while stalled: more than QUEUE_LEN */

#define ON SCMI_POWER_STATE_ON
#define OFF SCMI_POWER_STATE_OFF
#define GPU 2                 /* power domain 2, "gpu": off at start */

static int setup_queue(void **state)
{
	static const char *const args[] = { "--notify-policy", "queue",
					    "--queue-len", "4", NULL };

	return fx_start(state, args);
}

static int setup_drop_oldest(void **state)
{
	static const char *const args[] = { "--notify-policy", "drop-oldest",
					    "--queue-len", "4", NULL };

	return fx_start(state, args);
}

static int setup_drop(void **state)
{
	static const char *const args[] = { "--notify-policy", "drop", NULL };

	return fx_start(state, args);
}

static struct scmi_agent *agent_connected(struct fx *fx, size_t slot)
{
	return fx_connect(fx, fx_agent(fx, slot, TIMEOUT_MS));
}

/* A cheap command that must work: the gpu's state, which must be @want. */
static void get_works(struct scmi_agent *a, uint32_t want)
{
	uint32_t st = 0xdead;

	assert_int_equal(scmi_power_state_get(a, GPU, &st), 0);
	assert_int_equal(st, want);
}

/* ---- the control socket, for replies longer than sim_ctl() takes -------- */

/*
 * Send @req to the simulator's control socket; 0 and the reply's text
 * (after "ok", malloc'd) in *@text, or the errno of its "error".
 */
static int ctl_text(struct fx *fx, const char *req, char **text)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 5 };
	char *buf = NULL;
	ssize_t n;
	int fd, ret = 0;

	*text = NULL;
	n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s.ctl", fx->sim.sock);
	assert_true(n > 0 && (size_t)n < sizeof(sa.sun_path));
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(send(fd, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
	n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	assert_true(n > 0);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(recv(fd, buf, (size_t)n, 0), n);
	buf[n] = '\0';
	close(fd);
	if (!strcmp(buf, "ok")) {
		buf[0] = '\0';
		*text = buf;
	} else if (!strncmp(buf, "ok ", 3)) {
		memmove(buf, buf + 3, (size_t)n - 2);
		*text = buf;
	} else {
		if (sscanf(buf, "error %d", &ret) != 1 || ret >= 0)
			fail_msg("control reply '%s'", buf);
		free(buf);
	}
	return ret;
}

/* The JSON reply of @req ("--json" added), parsed; the request must succeed. */
static struct mj *ctl_json(struct fx *fx, const char *req)
{
	char full[256], *text;
	struct mj *v = NULL;

	snprintf(full, sizeof(full), "%s --json", req);
	assert_int_equal(ctl_text(fx, full, &text), 0);
	if (mj_parse(text, &v))
		fail_msg("'%s': not JSON: %s", full, text);
	free(text);
	return v;
}

/* An integer at @path of @v, which must be there. */
static int64_t jint(const struct mj *v, const char *path)
{
	const struct mj *n = mj_get(v, path);

	if (!n || n->type != MJ_NUM || !n->is_int)
		fail_msg("no integer at '%s'", path);
	return n->i;
}

static bool jbool(const struct mj *v, const char *path)
{
	const struct mj *n = mj_get(v, path);

	if (!n || n->type != MJ_BOOL)
		fail_msg("no boolean at '%s'", path);
	return n->b;
}

/* The index of agent @id in "agents --json"'s array. */
static const struct mj *agent_entry(const struct mj *v, uint32_t id)
{
	const struct mj *arr = mj_get(v, "agents");

	assert_non_null(arr);
	assert_int_equal(arr->type, MJ_ARR);
	for (size_t i = 0; i < arr->n; i++)
		if (jint(&arr->kids[i], "id") == id)
			return &arr->kids[i];
	fail_msg("agent %u not in \"agents\"", id);
	return NULL;
}

/* How many times fault @name took effect for agent @id. */
static int64_t fired(struct fx *fx, uint32_t id, const char *name)
{
	struct mj *v = ctl_json(fx, "agents");
	char path[64];
	int64_t n;

	snprintf(path, sizeof(path), "faults.%s", name);
	n = jint(agent_entry(v, id), path);
	mj_free(v);
	return n;
}

/* How many faults "faults --json" lists. */
static size_t num_faults(struct fx *fx)
{
	struct mj *v = ctl_json(fx, "faults");
	const struct mj *arr = mj_get(v, "faults");
	size_t n;

	assert_non_null(arr);
	assert_int_equal(arr->type, MJ_ARR);
	n = arr->n;
	mj_free(v);
	return n;
}

/* A control request (printf-style) that must succeed. */
static void arm(struct fx *fx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void arm(struct fx *fx, const char *fmt, ...)
{
	char req[128], *text;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	assert_int_equal(ctl_text(fx, req, &text), 0);
	free(text);
}

/* ---- delay ----------------------------------------------------------- */

/* A delay within the timeout: the response is late, and right. */
static void test_delay_within_timeout(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a);
	uint64_t t0;

	arm(fx, "fault delay %u 100", id);
	assert_int_equal(num_faults(fx), 1);
	t0 = sim_now_ns();
	get_works(a, OFF);
	assert_true(fx_ms_since(t0) >= 100);
	assert_int_equal(fired(fx, id, "delay"), 1);
	assert_int_equal(num_faults(fx), 0);
	assert_int_equal(fx_stats(a).timeouts, 0);
}

/*
 * A delay beyond the timeout: -ETIMEDOUT; while the response is held the
 * simulator serves another agent and the control socket at once (the loop
 * is not blocked), "faults" shows the response in flight; once it is
 * written the agent's next command works.
 */
static void test_delay_beyond_timeout(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_agent *b = agent_connected(fx, 1);
	uint32_t id = scmi_agent_id(a);
	const unsigned int delay_ms = 2 * TIMEOUT_MS;
	uint32_t st;
	struct mj *v;
	uint64_t t0, took;

	arm(fx, "fault delay %u 600", id);
	t0 = sim_now_ns();
	assert_int_equal(scmi_power_state_get(a, GPU, &st), -ETIMEDOUT);
	took = fx_ms_since(t0);
	assert_true(took >= TIMEOUT_MS);
	assert_int_equal(fx_stats(a).timeouts, 1);

	if (took + 100 < delay_ms) {
		/* still held: the other agent and the control socket are served */
		uint64_t t1 = sim_now_ns();

		get_works(b, OFF);
		v = ctl_json(fx, "faults");
		assert_true(fx_ms_since(t1) < 100);
		assert_string_equal(mj_get(v, "faults.0.fault")->str, "delay");
		assert_string_equal(mj_get(v, "faults.0.state")->str, "in-flight");
		assert_int_equal(jint(v, "faults.0.agent"), id);
		assert_true(jint(v, "faults.0.due_ms") <= delay_ms);
		mj_free(v);
	}

	/* wait for the held response to be written, then work on */
	while (fx_ms_since(t0) < delay_ms + 50)
		sim_sleep_ms(10);
	assert_int_equal(num_faults(fx), 0);
	get_works(a, OFF);
	get_works(a, OFF);
	assert_int_equal(fx_stats(a).timeouts, 1);
	assert_int_equal(fired(fx, id, "delay"), 1);
}

/* ---- drop, error, corrupt-length -------------------------------------- */

/* Drop: the command is carried out, the agent hears nothing; then all is well. */
static void test_drop(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a);
	uint64_t t0;

	arm(fx, "fault drop %u", id);
	t0 = sim_now_ns();
	assert_int_equal(scmi_power_state_set(a, GPU, ON), -ETIMEDOUT);
	assert_true(fx_ms_since(t0) >= TIMEOUT_MS);
	assert_int_equal(fx_stats(a).timeouts, 1);
	/* recovery, and the dropped command's effect */
	get_works(a, ON);
	assert_int_equal(scmi_power_state_set(a, GPU, OFF), 0);
	get_works(a, OFF);
	assert_int_equal(fx_stats(a).timeouts, 1);
	assert_int_equal(fired(fx, id, "drop"), 1);
}

static void test_error(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a);
	uint32_t st;
	uint64_t t0;

	arm(fx, "fault error %u", id);
	t0 = sim_now_ns();
	assert_int_equal(scmi_power_state_get(a, GPU, &st), -ECOMM);
	assert_true(fx_ms_since(t0) < TIMEOUT_MS); /* an answer, not a timeout */
	get_works(a, OFF);
	assert_int_equal(fx_stats(a).timeouts, 0);
	assert_int_equal(fired(fx, id, "error"), 1);
}

static void test_corrupt_length(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a);
	uint64_t refused = fx_stats(a).proto_errors;
	uint32_t st;

	arm(fx, "fault corrupt-length %u", id);
	assert_int_equal(scmi_power_state_get(a, GPU, &st), -EPROTO);
	assert_int_equal(fx_stats(a).proto_errors, refused + 1);
	get_works(a, OFF);
	get_works(a, OFF);
	assert_int_equal(fx_stats(a).proto_errors, refused + 1);
	assert_int_equal(fired(fx, id, "corrupt-length"), 1);
}

/* ---- one-shot, replaced, cleared, per agent --------------------------- */

static void test_one_shot_and_counted(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a);
	uint32_t st;
	struct mj *v;

	arm(fx, "fault error %u", id);
	v = ctl_json(fx, "faults");
	assert_int_equal(jint(v, "faults.0.agent"), id);
	assert_string_equal(mj_get(v, "faults.0.fault")->str, "error");
	assert_string_equal(mj_get(v, "faults.0.state")->str, "armed");
	mj_free(v);

	assert_int_equal(scmi_power_state_get(a, GPU, &st), -ECOMM);
	for (int i = 0; i < 5; i++)
		get_works(a, OFF);
	assert_int_equal(num_faults(fx), 0);

	/* armed again: counted again */
	arm(fx, "fault error %u", id);
	assert_int_equal(scmi_power_state_get(a, GPU, &st), -ECOMM);
	get_works(a, OFF);
	v = ctl_json(fx, "agents");
	assert_int_equal(jint(agent_entry(v, id), "faults.error"), 2);
	assert_int_equal(jint(agent_entry(v, id), "faults.drop"), 0);
	assert_int_equal(jint(agent_entry(v, id), "faults.delay"), 0);
	assert_int_equal(jint(agent_entry(v, id), "faults.corrupt-length"), 0);
	assert_int_equal(jint(agent_entry(v, id), "faults.stall"), 0);
	mj_free(v);
}

/* Arming a response fault replaces the one armed. */
static void test_replace(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a);
	char req[64], *text;
	uint32_t st;

	arm(fx, "fault drop %u", id);
	snprintf(req, sizeof(req), "fault error %u", id);
	assert_int_equal(ctl_text(fx, req, &text), 0);
	assert_non_null(strstr(text, "replaces drop"));
	free(text);
	assert_int_equal(num_faults(fx), 1);
	assert_int_equal(scmi_power_state_get(a, GPU, &st), -ECOMM);
	get_works(a, OFF);
	assert_int_equal(fired(fx, id, "drop"), 0);
	assert_int_equal(fired(fx, id, "error"), 1);
}

static void test_clear(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a);
	char req[64], *text;

	arm(fx, "fault drop %u", id);
	arm(fx, "fault stall %u on", id);
	assert_int_equal(num_faults(fx), 2);
	snprintf(req, sizeof(req), "fault clear %u", id);
	assert_int_equal(ctl_text(fx, req, &text), 0);
	assert_non_null(strstr(text, "drop"));
	assert_non_null(strstr(text, "stall"));
	free(text);
	assert_int_equal(num_faults(fx), 0);
	get_works(a, OFF);
	assert_int_equal(fx_stats(a).timeouts, 0);
	assert_int_equal(fired(fx, id, "drop"), 0);
	/* clearing nothing is fine */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault clear %u", id), 0);
}

/* A fault is the agent's alone. */
static void test_per_agent(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	struct scmi_agent *b = agent_connected(fx, 1);
	uint32_t st;

	arm(fx, "fault error %u", scmi_agent_id(b));
	get_works(a, OFF);
	get_works(a, OFF);
	assert_int_equal(scmi_power_state_get(b, GPU, &st), -ECOMM);
	get_works(b, OFF);
	assert_int_equal(fired(fx, scmi_agent_id(a), "error"), 0);
	assert_int_equal(fired(fx, scmi_agent_id(b), "error"), 1);
}

/* Faults end with the session: a new agent under the same id has none. */
static void test_fault_ends_with_session(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a);

	arm(fx, "fault error %u", id);
	arm(fx, "fault stall %u on", id);
	scmi_agent_destroy(a);
	fx->agents[0] = NULL;
	/* the simulator notices the hang-up on its loop: wait for it */
	for (int i = 0; i < 200 && num_faults(fx); i++)
		sim_sleep_ms(5);
	assert_int_equal(num_faults(fx), 0);
	a = agent_connected(fx, 0);
	assert_int_equal(scmi_agent_id(a), id);
	get_works(a, OFF);
	assert_int_equal(fired(fx, id, "error"), 0);
}

static void test_bad_requests(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a);
	char reply[256];

	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault frob %u", id),
			 -EOPNOTSUPP);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault delay %u", id),
			 -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault delay %u x", id),
			 -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault delay %u -5", id),
			 -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault delay %u 600001", id),
			 -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault drop %u 1", id),
			 -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault drop"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault drop x"), -EINVAL);
	/* not connected: -ENOENT; an id no agent can have: -ERANGE */
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply), "fault drop 8"),
			 -ENOENT);
	assert_non_null(strstr(reply, "no agent 8"));
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply), "fault drop 9"),
			 -ERANGE);
	assert_non_null(strstr(reply, "no agent 9"));
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault drop 0"), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault stall %u", id),
			 -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "fault stall %u maybe", id),
			 -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "faults 1"), -EINVAL);
	/* nothing was armed by any of them */
	assert_int_equal(num_faults(fx), 0);
	get_works(a, OFF);
}

/* ---- stall ------------------------------------------------------------- */

#define MAX_SEEN 16

struct listener {
	struct scmi_notifier nb;
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	unsigned int count;
	int64_t values[MAX_SEEN];
};

static int on_update(struct scmi_notifier *nb, uint8_t evt_id,
		     const void *report)
{
	struct listener *l = (struct listener *)(void *)((char *)nb -
					  offsetof(struct listener, nb));
	const struct scmi_sensor_update_report *r = report;

	pthread_mutex_lock(&l->mtx);
	if (l->count < MAX_SEEN)
		l->values[l->count] = r->readings_count ? r->readings[0].value : -1;
	l->count++;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->mtx);
	return SCMI_NOTIFY_OK;
}

static void listener_init(struct listener *l)
{
	memset(l, 0, sizeof(*l));
	l->nb.cb = on_update;
	pthread_mutex_init(&l->mtx, NULL);
	pthread_cond_init(&l->cond, NULL);
}

static void listener_fini(struct listener *l)
{
	pthread_mutex_destroy(&l->mtx);
	pthread_cond_destroy(&l->cond);
}

/* Wait until the listener has seen @n events or @ms passed; the count. */
static unsigned int listener_wait(struct listener *l, unsigned int n,
				  unsigned int ms)
{
	uint64_t deadline = sim_now_ns() + (uint64_t)ms * 1000000ull;
	unsigned int count;

	pthread_mutex_lock(&l->mtx);
	while (l->count < n && sim_now_ns() < deadline) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&l->cond, &l->mtx, &ts);
	}
	count = l->count;
	pthread_mutex_unlock(&l->mtx);
	return count;
}

/* The sensor 0 value of event @i: 46000, 47000, ... (all below its trips). */
static int64_t value_of(unsigned int i)
{
	return 46000 + 1000 * (int64_t)i;
}

struct stall_expect {
	uint64_t queued, dropped;       /* counters after the stalled burst */
	unsigned int first, count;      /* events delivered after stall off */
};

/*
 * Subscribe an agent to sensor 0's SENSOR_UPDATE, stall its P2A channel,
 * send NUM_EVENTS events, check that none arrives and that the counters
 * say exactly @e, turn stall off and check that the ones kept arrive, in
 * order, and no other.
 */
static void stall_run(struct fx *fx, const struct stall_expect *e,
		      uint64_t waiting)
{
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a), s0 = 0;
	const struct mj *ag;
	struct listener l;
	struct mj *v;

	listener_init(&l);
	assert_int_equal(scmi_event_notifier_register(scmi_agent_notify(a),
			 SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, &s0,
			 &l.nb), 0);

	arm(fx, "fault stall %u on", id);
	for (unsigned int i = 0; i < NUM_EVENTS; i++)
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "sensor set 0 %lld",
					 (long long)value_of(i)), 0);
	assert_int_equal(listener_wait(&l, 1, QUIET_MS), 0);
	/* commands still work while P2A is stalled */
	get_works(a, OFF);

	v = ctl_json(fx, "agents");
	ag = agent_entry(v, id);
	assert_int_equal(jint(ag, "notifications_sent"), 0);
	assert_int_equal(jint(ag, "notifications_queued"), e->queued);
	assert_int_equal(jint(ag, "notifications_dropped"), e->dropped);
	assert_int_equal(jint(ag, "protocols.sensor.notifications_queued"),
			 e->queued);
	assert_int_equal(jint(ag, "protocols.sensor.notifications_dropped"),
			 e->dropped);
	assert_int_equal(jint(ag, "waiting"), waiting);
	assert_true(jbool(ag, "stalled"));
	assert_int_equal(jint(ag, "faults.stall"), 1);
	assert_int_equal(jint(ag, "subscriptions"), 1);
	mj_free(v);
	v = ctl_json(fx, "faults");
	assert_string_equal(mj_get(v, "faults.0.fault")->str, "stall");
	assert_int_equal(jint(v, "faults.0.waiting"), waiting);
	mj_free(v);

	arm(fx, "fault stall %u off", id);
	assert_int_equal(listener_wait(&l, e->count, WAIT_MS), e->count);
	/* and no more */
	assert_int_equal(listener_wait(&l, e->count + 1, QUIET_MS), e->count);
	pthread_mutex_lock(&l.mtx);
	for (unsigned int i = 0; i < e->count; i++)
		assert_int_equal(l.values[i], value_of(e->first + i));
	pthread_mutex_unlock(&l.mtx);

	v = ctl_json(fx, "agents");
	ag = agent_entry(v, id);
	assert_int_equal(jint(ag, "notifications_sent"), e->count);
	assert_int_equal(jint(ag, "notifications_queued"), e->queued);
	assert_int_equal(jint(ag, "notifications_dropped"), e->dropped);
	assert_int_equal(jint(ag, "waiting"), 0);
	assert_false(jbool(ag, "stalled"));
	mj_free(v);
	assert_int_equal(num_faults(fx), 0);

	/* unstalled: an event goes straight through */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "sensor set 0 %lld",
				 (long long)value_of(NUM_EVENTS)), 0);
	assert_int_equal(listener_wait(&l, e->count + 1, WAIT_MS), e->count + 1);
	pthread_mutex_lock(&l.mtx);
	assert_int_equal(l.values[e->count], value_of(NUM_EVENTS));
	pthread_mutex_unlock(&l.mtx);

	assert_int_equal(scmi_event_notifier_unregister(scmi_agent_notify(a),
			 SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, &s0,
			 &l.nb), 0);
	listener_fini(&l);
}

/* queue: the first QUEUE_LEN wait, the newest ones are dropped. */
static void test_stall_queue(void **state)
{
	const struct stall_expect e = {
		.queued = QUEUE_LEN, .dropped = NUM_EVENTS - QUEUE_LEN,
		.first = 0, .count = QUEUE_LEN,
	};

	stall_run(*state, &e, QUEUE_LEN);
}

/* drop-oldest: every one is queued, the oldest are dropped: the last QUEUE_LEN arrive. */
static void test_stall_drop_oldest(void **state)
{
	const struct stall_expect e = {
		.queued = NUM_EVENTS, .dropped = NUM_EVENTS - QUEUE_LEN,
		.first = NUM_EVENTS - QUEUE_LEN, .count = QUEUE_LEN,
	};

	stall_run(*state, &e, QUEUE_LEN);
}

/* drop: no queue: all dropped, none arrives. */
static void test_stall_drop(void **state)
{
	const struct stall_expect e = {
		.queued = 0, .dropped = NUM_EVENTS, .first = 0, .count = 0,
	};

	stall_run(*state, &e, 0);
}

/* Stall twice on counts once; off when not stalled is fine. */
static void test_stall_switch(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent_connected(fx, 0);
	uint32_t id = scmi_agent_id(a);

	arm(fx, "fault stall %u off", id);
	arm(fx, "fault stall %u on", id);
	arm(fx, "fault stall %u on", id);
	assert_int_equal(num_faults(fx), 1);
	assert_int_equal(fired(fx, id, "stall"), 1);
	arm(fx, "fault stall %u off", id);
	assert_int_equal(num_faults(fx), 0);
	get_works(a, OFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_delay_within_timeout, fx_setup, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_delay_beyond_timeout, fx_setup, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_drop, fx_setup, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_error, fx_setup, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_corrupt_length, fx_setup, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_one_shot_and_counted, fx_setup, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_replace, fx_setup, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_clear, fx_setup, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_per_agent, fx_setup, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_fault_ends_with_session, fx_setup, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_bad_requests, fx_setup, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_stall_queue, setup_queue, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_stall_drop_oldest, setup_drop_oldest, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_stall_drop, setup_drop, fx_teardown_crash),
		cmocka_unit_test_setup_teardown(test_stall_switch, fx_setup, fx_teardown_crash),
	};

	if (!sim_exe()) {
		fprintf(stderr, "no simulator: set SCMI_SIM\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
