/* SPDX-License-Identifier: MIT */
/*
 * The agent's life cycle under allocation failure (tests/oom/oom.h),
 * against the real simulator: scmi_agent_create(), scmi_agent_connect()
 * with a notifier registered (pending) before it, and a reconnect after
 * the simulator was killed and started again, each in threaded and in
 * event-loop mode. For every k, until a run no longer reaches it, the
 * k-th allocation fails (transient), then the k-th and every later one
 * (persistent), and:
 *
 *  - the call fails with an error agent.h documents for it: -ENOMEM, or
 *    -EAGAIN where it starts a thread (pthread_create() fails so when its
 *    own allocation does); a reconnect attempt that fails leaves the agent
 *    RECONNECTING, and retrying;
 *  - the state is as before: no agent made (create), DISCONNECTED or
 *    RECONNECTING, no agent id, the notifier still pending, and neither a
 *    descriptor nor a thread more in the process than before the call;
 *    no CONNECTED reported for it;
 *  - the same call made again, with memory, succeeds: CONNECTED reported
 *    once, every protocol the platform lists up, the notifier bound, and a
 *    state change made through the simulator's control socket (power
 *    domain 2 on, then off) reaches it exactly once each, in order;
 *  - once the agent is destroyed, the heap holds what it held before
 *    (oom.c's count of blocks; ASan's bytes) and memcheck finds nothing.
 *
 * What is counted. The simulator is another process: nothing it does is
 * counted or failed (and a process forked while armed is never failed).
 * Only the call's window is armed (oom.c), and in it the test's own
 * thread allocates nothing but through the call: it waits with atomics,
 * nanosleep() and poll(), and makes the socket path appear with
 * symlink(). In the plain and valgrind builds every thread's allocations
 * count: the agent's supervisor (which makes the reconnect attempt), its
 * rx thread and the notify worker as well as the caller's. Each of those
 * threads allocates on the call's behalf or not at all, in an order the
 * call fixes, so the count is the same each run: calibrate() asserts it
 * before the k loop (a thread allocating on its own clock would fail
 * that, and would make k mean different allocations from run to run).
 * Under GCC's ASan, whose runtime aborts when the start of a new thread
 * cannot allocate (oom.h), the paths that start threads from the
 * caller's thread count the caller's allocations only, and the threaded
 * reconnect, whose attempt starts the rx thread from the supervisor, is
 * skipped there (the plain build counts its blocks, valgrind checks it).
 *
 * Making a reconnect attempt happen when the test wants it: the agent
 * connects to a symlink to the simulator's socket, not to the socket
 * itself. With the link gone, each attempt fails at connect() with
 * -ENOENT, allocating nothing; call() makes the link, and the next attempt
 * reaches the simulator. The agent logs each failed attempt (its debug
 * line "reconnect to ...: attempt N failed: err"): the log callback, on
 * the thread that made the attempt, removes the link at once when the
 * attempt reached the platform, so no second attempt can follow before
 * the check of the state it left.
 *
 * The simulator runs without $SCMI_SIM_WRAPPER here: what runs under
 * valgrind is this program, the library in it; the reconnect path
 * restarts the simulator once per step, which valgrind would make last
 * a second each.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scmi/power.h>

#include "fixture.h"
#include "notify-priv.h"
#include "oom.h"
#include "protocols/protocols.h"

#define WAIT_MS 10000         /* bound of every wait (valgrind included) */
#define INTERVAL_MS 2         /* the reconnect interval */
#define DOM 2                 /* the power domain the notifier watches */
#define EVT SCMI_EVENT_POWER_STATE_CHANGED
#define CALIBRATION_RUNS 4    /* the first one warms up; the rest agree */

/* One test's context: the fixture, the agent, what its callbacks saw. */
struct oc {
	struct fx *fx;
	bool loop;                /* event-loop mode */
	bool reconnect;           /* path (c): the agent reconnects */
	struct scmi_agent *a;     /* also in fx->agents[0], for a failed test */
	struct fx_recorder rec;   /* power domain DOM's state changes */
	char link[sizeof(((struct fx *)0)->sim.sock)];

	atomic_uint connected;    /* CONNECTED reports */
	atomic_int state;         /* the last state reported */
	atomic_uint failed;       /* reconnect attempts that reached the platform */
	atomic_int failed_err;    /* ... the last one's error */

	/* the state before the call */
	unsigned int fds0, threads0, connected0;

	/* which step of oom_run() runs, for the messages (where()) */
	const char *name;
	bool this_thread_only;
	unsigned int step;        /* setups so far */
	unsigned long mark;       /* oom_allocations() when a setup ended */
	unsigned long allocs;     /* of the counting run: every thread's */
};

/*
 * The step running, as oom_run() orders them: two runs without failure,
 * then k = 1, 2, ... transient until a run no longer reaches k (the
 * call's allocations + 1 steps), then persistent.
 */
static const char *where(const struct oc *o)
{
	static char buf[256];
	unsigned long t = o->step > 2 ? o->step - 2 : 0, n = o->allocs + 1;

	if (!t)
		snprintf(buf, sizeof(buf), "%s, no allocation failed", o->name);
	else
		snprintf(buf, sizeof(buf), "%s, allocation %s%lu failed (%s)",
			 o->name, o->this_thread_only ? "about " : "",
			 t <= n ? t : t - n, t <= n ? "transient" : "persistent");
	return buf;
}

/* Assertions in the hooks, saying which k failed them. */
#define want(o, cond)                                                      \
	do {                                                               \
		if (!(cond))                                               \
			fail_msg("%s: not %s", where(o), #cond);           \
	} while (0)
#define want_eq(o, x, y)                                                   \
	do {                                                               \
		long long x_ = (long long)(x), y_ = (long long)(y);        \
		if (x_ != y_)                                              \
			fail_msg("%s: %s is %lld, not %lld", where(o), #x, \
				 x_, y_);                                  \
	} while (0)
#define want_ne(o, x, y) want(o, (x) != (y))
#define want_null(o, x) want(o, (x) == NULL)
#define want_nonnull(o, x) want(o, (x) != NULL)

/* ---- the agent's callbacks (they must not allocate: they run armed) ---- */

static void on_state(void *userdata, enum scmi_agent_state st, int err)
{
	struct oc *o = userdata;

	(void)err;
	atomic_store(&o->state, (int)st);
	if (st == SCMI_AGENT_CONNECTED)
		atomic_fetch_add(&o->connected, 1);
}

/*
 * A reconnect attempt that reached the platform and failed: remove the
 * link before the agent can try again, and say so. Attempts that find no
 * socket (-ENOENT) or no listener (-ECONNREFUSED) reached nothing.
 */
static void on_log(void *userdata, enum scmi_log_level level, const char *msg)
{
	struct oc *o = userdata;
	const char *p;
	int err;

	(void)level;
	if (strncmp(msg, "reconnect to ", 13) || !(p = strstr(msg, " failed: ")))
		return;
	err = (int)strtol(p + 9, NULL, 10);
	if (err == -ENOENT || err == -ECONNREFUSED)
		return;
	unlink(o->link);
	atomic_store(&o->failed_err, err);
	atomic_fetch_add(&o->failed, 1);
}

/* ---- the process ------------------------------------------------------ */

/*
 * The process's descriptors, the fewest of a few looks: a reconnect
 * attempt that meets no socket (every INTERVAL_MS, on the supervisor)
 * holds two for a moment; a descriptor leaked stays in every look.
 */
static unsigned int count_fds(void)
{
	unsigned int n = UINT_MAX;

	for (int i = 0; i < 5; i++) {
		unsigned int m = fx_count_dir("/proc/self/fd");

		if (m < n)
			n = m;
		usleep(300);
	}
	return n;
}

/*
 * The process's threads, once those that ended are gone: a joined thread
 * may stay listed a moment after pthread_join() returned.
 */
static unsigned int count_threads(unsigned int want)
{
	uint64_t deadline = sim_now_ns() + 1000 * 1000000ull;
	unsigned int n;

	while ((n = fx_count_dir("/proc/self/task")) > want &&
	       sim_now_ns() < deadline)
		sim_sleep_ms(1);
	return n;
}

/* ---- the agent -------------------------------------------------------- */

static struct scmi_agent_config config(struct oc *o)
{
	return (struct scmi_agent_config){
		.timeout_ms = FX_TIMEOUT_MS,
		.event_loop = o->loop,
		.reconnect = o->reconnect,
		.reconnect_interval_ms = INTERVAL_MS,
		.state_fn = on_state,
		.state_userdata = o,
		.log_fn = on_log,
		.log_userdata = o,
		.log_level = SCMI_LOG_DEBUG,
	};
}

static void agent_new(struct oc *o)
{
	struct scmi_agent_config cfg = config(o);

	assert_int_equal(scmi_agent_create(&o->a, &cfg), 0);
	o->fx->agents[0] = o->a;
}

static void agent_gone(struct oc *o)
{
	scmi_agent_destroy(o->a);
	o->a = NULL;
	o->fx->agents[0] = NULL;
}

/* The notifier, pending until the power protocol comes up. */
static void notifier_on(struct oc *o)
{
	const uint32_t dom = DOM;

	assert_int_equal(fx_rec_register(&o->rec, o->a, EVT, &dom), 0);
}

static void assert_handlers(struct oc *o, unsigned int bound,
			    unsigned int pending)
{
	unsigned int b, p;

	notify_count_handlers(scmi_agent_notify(o->a), &b, &p);
	want_eq(o, b, bound);
	want_eq(o, p, pending);
}

/* One turn of the event loop, or a millisecond's sleep (threaded). */
static void turn(struct oc *o)
{
	if (o->loop)
		want(o, fx_loop_turn(o->a, 1) >= 0);
	else
		sim_sleep_ms(1);
}

/* Turn until the agent reports @st (asserted within WAIT_MS). */
static void wait_state(struct oc *o, int st)
{
	uint64_t deadline = sim_now_ns() + WAIT_MS * 1000000ull;

	while (scmi_agent_get_state(o->a) != st) {
		if (sim_now_ns() > deadline)
			fail_msg("state %d, not %d, after %u ms",
				 scmi_agent_get_state(o->a), st, WAIT_MS);
		turn(o);
	}
}

/*
 * The agent is connected and whole: CONNECTED reported once since the
 * call began, every protocol the platform lists up, the notifier bound,
 * and domain DOM turned on then off reaches it exactly once each, in
 * that order.
 */
static void assert_connected(struct oc *o)
{
	struct scmi_base_info bi;
	uint64_t deadline;
	unsigned int n;

	want_eq(o, scmi_agent_get_state(o->a), SCMI_AGENT_CONNECTED);
	want_eq(o, atomic_load(&o->connected), o->connected0 + 1);
	want_ne(o, scmi_agent_id(o->a), 0);
	want_eq(o, scmi_agent_base_info(o->a, &bi), 0);
	want(o, bi.num_protocols > 0);
	for (uint32_t i = 0; i < bi.num_protocols; i++)
		if (!scmi_agent_proto_priv(o->a, bi.protocols[i]))
			fail_msg("%s: connected, but protocol 0x%x, which the platform lists, is down",
				 where(o), bi.protocols[i]);
	assert_handlers(o, 1, 0);

	fx_rec_reset(&o->rec);
	fx_ctl(o->fx, "power set %u %u", DOM, SCMI_POWER_STATE_ON);
	fx_ctl(o->fx, "power set %u %u", DOM, SCMI_POWER_STATE_OFF);
	deadline = sim_now_ns() + WAIT_MS * 1000000ull;
	while ((n = fx_rec_count(&o->rec)) < 2 && sim_now_ns() < deadline) {
		if (o->loop)
			want(o, fx_loop_turn(o->a, 10) >= 0);
		else
			fx_rec_wait(&o->rec, 2, 10);
	}
	if (o->loop)
		/* whatever else is queued, dispatched too */
		want(o, fx_loop_turn(o->a, 0) >= 0);
	want_eq(o, fx_rec_count(&o->rec), 2);
	want_eq(o, fx_rec_get(&o->rec, 0).r.power.domain_id, DOM);
	want_eq(o, fx_rec_get(&o->rec, 0).r.power.power_state,
			 SCMI_POWER_STATE_ON);
	want_eq(o, fx_rec_get(&o->rec, 1).r.power.domain_id, DOM);
	want_eq(o, fx_rec_get(&o->rec, 1).r.power.power_state,
			 SCMI_POWER_STATE_OFF);
}

/* ---- the hooks -------------------------------------------------------- */

/* Every setup begins so. */
static void step(struct oc *o)
{
	o->step++;
}

/* Every setup ends so: the state the call starts from. */
static void snapshot(struct oc *o)
{
	o->mark = oom_allocations();
	o->fds0 = count_fds();
	o->threads0 = fx_count_dir("/proc/self/task");
	o->connected0 = atomic_load(&o->connected);
}

static void setup_create(void *ctx)
{
	struct oc *o = ctx;

	step(o);
	o->a = NULL;
	snapshot(o);
}

static void setup_connect(void *ctx)
{
	struct oc *o = ctx;

	step(o);
	agent_new(o);
	notifier_on(o);
	snapshot(o);
}

/*
 * Connected through the link, the notifier bound; the simulator killed
 * and started again with the link gone: the agent RECONNECTING, its
 * attempts failing at connect().
 */
static void setup_reconnect(void *ctx)
{
	struct oc *o = ctx;
	struct fx *fx = o->fx;

	step(o);
	agent_new(o);
	notifier_on(o);
	assert_int_equal(symlink(fx->sim.sock, o->link), 0);
	assert_int_equal(scmi_agent_connect(o->a, o->link), 0);
	assert_handlers(o, 1, 0);
	sim_crash(&fx->sim);
	assert_int_equal(unlink(o->link), 0);
	wait_state(o, SCMI_AGENT_RECONNECTING);
	assert_int_equal(sim_restart(&fx->sim, NULL), 0);
	/* an attempt or two meet no socket */
	for (int i = 0; i < 3; i++) {
		if (o->loop)
			assert_true(fx_loop_turn(o->a, INTERVAL_MS + 1) >= 0);
		else
			sim_sleep_ms(INTERVAL_MS + 1);
	}
	assert_int_equal(scmi_agent_get_state(o->a), SCMI_AGENT_RECONNECTING);
	assert_handlers(o, 0, 1);
	snapshot(o);
}

static int call_create(void *ctx)
{
	struct oc *o = ctx;
	struct scmi_agent_config cfg = config(o);
	int ret = scmi_agent_create(&o->a, &cfg);

	o->fx->agents[0] = o->a;
	return ret;
}

static int call_connect(void *ctx)
{
	struct oc *o = ctx;

	return scmi_agent_connect(o->a, o->fx->sim.sock);
}

/*
 * Let the next attempt reach the simulator, and wait for its end: 0 when
 * the agent reported CONNECTED, else the error the attempt failed with
 * (-ETIME, not one it may fail with, when none ended in time).
 */
static int call_reconnect(void *ctx)
{
	struct oc *o = ctx;
	unsigned int c0 = atomic_load(&o->connected);
	unsigned int f0 = atomic_load(&o->failed);
	uint64_t deadline = sim_now_ns() + WAIT_MS * 1000000ull;

	if (symlink(o->fx->sim.sock, o->link) < 0 && errno != EEXIST)
		return -errno;
	while (atomic_load(&o->connected) == c0 &&
	       atomic_load(&o->failed) == f0) {
		if (sim_now_ns() > deadline)
			return -ETIME;
		turn(o);
	}
	return atomic_load(&o->connected) != c0 ? 0 :
						  atomic_load(&o->failed_err);
}

static void check_failed_create(void *ctx, int err)
{
	struct oc *o = ctx;

	(void)err;
	want_null(o, o->a);
	want_eq(o, count_fds(), o->fds0);
	want(o, count_threads(o->threads0) <= o->threads0);
}

static void check_failed_connect(void *ctx, int err)
{
	struct oc *o = ctx;

	(void)err;
	want_eq(o, scmi_agent_get_state(o->a), o->reconnect ?
				 SCMI_AGENT_RECONNECTING :
				 SCMI_AGENT_DISCONNECTED);
	want_eq(o, atomic_load(&o->connected), o->connected0);
	want_eq(o, scmi_agent_id(o->a), 0);
	assert_handlers(o, 0, 1);
	want_eq(o, count_fds(), o->fds0);
	want(o, count_threads(o->threads0) <= o->threads0);
}

/* At the start of check_done: the counting run's allocations. */
static void counted(struct oc *o)
{
	if (o->step == 2)
		o->allocs = oom_allocations() - o->mark;
}

static void check_done_create(void *ctx)
{
	struct oc *o = ctx;

	counted(o);
	want_nonnull(o, o->a);
	want_eq(o, scmi_agent_get_state(o->a), SCMI_AGENT_DISCONNECTED);
	notifier_on(o);
	assert_handlers(o, 0, 1);
	o->connected0 = atomic_load(&o->connected);
	want_eq(o, scmi_agent_connect(o->a, o->fx->sim.sock), 0);
	assert_connected(o);
}

static void check_done_connect(void *ctx)
{
	counted(ctx);
	assert_connected(ctx);
}

static void teardown(void *ctx)
{
	struct oc *o = ctx;

	agent_gone(o);
	unlink(o->link); /* the reconnect path's, when it is there */
	fx_rec_reset(&o->rec);
}

/* ---- running a path ------------------------------------------------- */

/*
 * The call's allocations, counted over every thread, are the same from
 * one run to the next (the first run warms up: a thread stack cache).
 */
static void calibrate(const struct oom_path *p)
{
	unsigned long n[CALIBRATION_RUNS];

	for (int i = 0; i < CALIBRATION_RUNS; i++) {
		unsigned long before;

		p->setup(p->ctx);
		before = oom_allocations();
		assert_int_equal(p->call(p->ctx), 0);
		n[i] = oom_allocations() - before;
		p->check_done(p->ctx);
		p->teardown(p->ctx);
		if (i > 1 && n[i] != n[1])
			fail_msg("%s: %lu allocations in one run, %lu in another: k would not be the same allocation each run",
				 p->name, n[1], n[i]);
	}
}

enum path { CREATE, CONNECT, RECONNECT };

static void run_path(struct fx *fx, enum path path, bool loop)
{
	static const int errs[] = { -ENOMEM, -EAGAIN, 0 };
	static const char *const names[3][2] = {
		{ "scmi_agent_create, threaded", "scmi_agent_create, event loop" },
		{ "scmi_agent_connect with a pending notifier, threaded",
		  "scmi_agent_connect with a pending notifier, event loop" },
		{ "reconnect after a restart of the platform, threaded",
		  "reconnect after a restart of the platform, event loop" },
	};
	/*
	 * Static: a failed assertion leaves the test with the agent still in
	 * the fixture, whose teardown destroys it, its callbacks called
	 */
	static struct oc o;
	struct oom_path p = {
		.name = names[path][loop],
		.ctx = &o,
		.setup = path == CREATE ? setup_create :
			 path == CONNECT ? setup_connect : setup_reconnect,
		.call = path == CREATE ? call_create :
			path == CONNECT ? call_connect : call_reconnect,
		.check_failed = path == CREATE ? check_failed_create :
						 check_failed_connect,
		.check_done = path == CREATE ? check_done_create :
					       check_done_connect,
		.teardown = teardown,
		.errors = errs,
	};
	struct oom_result res;

	memset(&o, 0, sizeof(o));
	o.fx = fx;
	o.loop = loop;
	o.reconnect = path == RECONNECT;
	oom_require();
#ifdef OOM_UNDER_SANITIZER
	/* the threads the call starts from this thread are not counted */
	p.this_thread_only = !loop;
	if (path == RECONNECT && !loop)
		skip(); /* the supervisor starts the rx thread: see the top */
#endif
	snprintf(o.link, sizeof(o.link), "%s/link.sock", fx->sim.dir);
	atomic_init(&o.connected, 0);
	atomic_init(&o.state, SCMI_AGENT_DISCONNECTED);
	atomic_init(&o.failed, 0);
	atomic_init(&o.failed_err, 0);
	fx_rec_init(&o.rec, SCMI_PROTOCOL_POWER);

	o.name = p.name;
	o.this_thread_only = p.this_thread_only;
	if (!p.this_thread_only)
		calibrate(&p);
	o.step = 0;
	oom_assert_path(&p, &res, __FILE__, __LINE__);
	/* the path was walked: it allocates */
	assert_true(res.allocs > 0);
	fx_rec_fini(&o.rec);
}

static void test_create_threaded(void **state)
{
	run_path(*state, CREATE, false);
}

static void test_create_loop(void **state)
{
	run_path(*state, CREATE, true);
}

static void test_connect_threaded(void **state)
{
	run_path(*state, CONNECT, false);
}

static void test_connect_loop(void **state)
{
	run_path(*state, CONNECT, true);
}

static void test_reconnect_threaded(void **state)
{
	run_path(*state, RECONNECT, false);
}

static void test_reconnect_loop(void **state)
{
	run_path(*state, RECONNECT, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_create_threaded),
		FX_TEST(test_create_loop),
		FX_TEST(test_connect_threaded),
		FX_TEST(test_connect_loop),
		FX_TEST(test_reconnect_threaded),
		FX_TEST(test_reconnect_loop),
	};

	/* the simulator natively, also under valgrind: see the top */
	unsetenv("SCMI_SIM_WRAPPER");
	return fx_run_tests(tests);
}
