/* SPDX-License-Identifier: MIT */
/*
 * The drivers' *_async() calls, against the real simulator: each call
 * (one row of the table below), in threaded mode and in event-loop mode:
 *  - completes: it returns once the platform accepted the command, long
 *    before the delayed response (--async-delay), and its callback runs
 *    exactly once with 0 and what the command returns, on the supervisor
 *    thread (threaded) or in scmi_agent_dispatch() on the loop's thread,
 *    never inside the call; the platform's state is then what it asked;
 *  - synchronous: on a domain, clock or sensor the platform does
 *    synchronously (a topology of its own, below) the call is done when
 *    it returns, and its callback comes all the same, later;
 *  - times out: the platform drops the delayed response (fault
 *    drop-delayed): the callback says -ETIMEDOUT once delayed_timeout_ms
 *    passed;
 *  - cut short: scmi_agent_disconnect() while it waits runs the callback
 *    with -ECONNRESET before it returns; what was done synchronously is
 *    not cut short: its callback runs with 0 before the disconnect
 *    returns;
 *  - refused: what is refused at once (a bad argument, no connection, the
 *    platform's BUSY while the same domain has a change pending) returns
 *    the error, and no callback ever runs for it.
 * And for the two calls with state of their own: clock rate changes go
 * asynchronous only while this agent's changes in flight stay below
 * max_async_req, and their completions count them out again; a cap set
 * while capping is disabled is only remembered, and completes all the
 * same.
 *
 * The default topology: reset domain 0, clock 0 (max_async_req 4),
 * sensor 1, voltage domain 1 and powercap domain 0 are asynchronous.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/clock.h>
#include <scmi/powercap.h>
#include <scmi/reset.h>
#include <scmi/sensor.h>
#include <scmi/voltage.h>

#include "fixture.h"
#include "oom.h"

/* The platform finishes an asynchronous command this long after. */
#define DELAY_MS 200
/* The agents' delayed_timeout_ms. */
#define DELAYED_TIMEOUT_MS 600
/* The longest any wait of the test may take. */
#define WAIT_MS 5000

static const char *const delay_args[] = { "--async-delay", "200", NULL };

/* Every domain, clock and sensor synchronous, id 0 each. */
static const char sync_topology[] =
	"{\n"
	"  \"clock\": { \"max_async_req\": 1,\n"
	"             \"clocks\": [ { \"name\": \"pll\",\n"
	"                             \"rates\": [ 400000000, 800000000 ],\n"
	"                             \"rate\": 800000000 } ] },\n"
	"  \"reset\": [ { \"name\": \"rst\", \"async\": false } ],\n"
	"  \"sensor\": [ { \"name\": \"temp\", \"type\": 2, \"scale\": -3,\n"
	"                \"value\": 30000 } ],\n"
	"  \"voltage\": [ { \"name\": \"vdd\", \"levels_uv\": [ 700000, 800000 ],\n"
	"                 \"level_uv\": 800000 } ],\n"
	"  \"powercap\": [ { \"name\": \"cap\", \"async_cap\": false,\n"
	"                  \"cap_config\": true, \"min_pai\": 1000,\n"
	"                  \"max_pai\": 1000, \"pai_step\": 0,\n"
	"                  \"min_cap\": 1000, \"max_cap\": 15000,\n"
	"                  \"cap_step\": 500, \"cap\": 12000, \"pai\": 1000,\n"
	"                  \"power\": 6000 } ]\n"
	"}\n";

/* ---- what a completion brought ------------------------------------- */

static pthread_t main_thread;
static atomic_bool in_call;      /* a *_async() call runs on the main thread */
static atomic_bool in_dispatch;  /* the main thread runs its loop */

/*
 * One call's completion, as its callback saw it: the fields are written
 * before calls goes up, and read after it did.
 */
struct done {
	atomic_uint calls;
	int result;
	bool on_main;          /* it ran on the test's thread */
	bool inside_call;      /* ... while it was in a *_async() call */
	bool inside_dispatch;  /* ... inside scmi_agent_dispatch() */
	uint64_t at_ns;        /* when (sim_now_ns()) */
	int64_t want;          /* what the call asked for (the row's) */
	uint64_t t0, t1;       /* the row's: when it set the sensor */
	struct scmi_sensor_reading reading; /* a read's first */
	uint32_t readings_count;
};

static void record(struct done *d, int result)
{
	d->result = result;
	d->at_ns = sim_now_ns();
	d->on_main = pthread_equal(pthread_self(), main_thread);
	d->inside_call = atomic_load(&in_call);
	d->inside_dispatch = atomic_load(&in_dispatch);
	atomic_fetch_add(&d->calls, 1);
}

static void on_result(void *userdata, int result)
{
	record(userdata, result);
}

static void on_reading(void *userdata, int result,
		       const struct scmi_sensor_reading *readings,
		       uint32_t readings_count)
{
	struct done *d = userdata;

	if (readings_count)
		d->reading = readings[0];
	d->readings_count = readings_count;
	record(d, result);
}

/* ---- the calls -------------------------------------------------------- */

/*
 * One *_async() call. @prepare chooses what the call asks @id for, into
 * @d->want (so that the call changes something), and readies the
 * platform (NULL: nothing to do); @call is the bare call on @id with
 * @want, without a callback when @d is NULL. After a completion with 0,
 * @read gives what the platform has then, to be @d->want (NULL: nothing
 * to read), and @check what the callback brought (NULL: nothing).
 */
struct variant {
	const char *name;
	uint32_t async_id;    /* in the default topology */
	void (*prepare)(struct fx *fx, struct scmi_agent *a, uint32_t id,
			struct done *d);
	int (*call)(struct scmi_agent *a, uint32_t id, int64_t want,
		    struct done *d);
	int (*read)(struct scmi_agent *a, uint32_t id, int64_t *value);
	void (*check)(const struct done *d);
};

static int reset_call(struct scmi_agent *a, uint32_t id, int64_t want,
		      struct done *d)
{
	return scmi_reset_domain_reset_async(a, id, d ? on_result : NULL, d);
}

static int clock_read(struct scmi_agent *a, uint32_t id, int64_t *value)
{
	uint64_t rate;
	int ret = scmi_clock_rate_get(a, id, &rate);

	*value = (int64_t)rate;
	return ret;
}

/* Of two rates @id has, the one it is not at. */
static void clock_prepare(struct fx *fx, struct scmi_agent *a, uint32_t id,
			  struct done *d)
{
	struct scmi_clock_info ci;
	int64_t rate, lo, hi;

	if (scmi_clock_info_get(a, id, &ci))
		return; /* no such clock */
	assert_int_equal(clock_read(a, id, &rate), 0);
	lo = (int64_t)(ci.rate_discrete ? ci.list.rates[0] : ci.range.min_rate);
	hi = (int64_t)(ci.rate_discrete ?
			       ci.list.rates[ci.list.num_rates - 1] :
			       ci.range.max_rate);
	d->want = rate == lo ? hi : lo;
}

static int clock_call(struct scmi_agent *a, uint32_t id, int64_t want,
		      struct done *d)
{
	return scmi_clock_rate_set_async(a, id, (uint64_t)want, 0,
					 d ? on_result : NULL, d);
}

/*
 * Sensor @id timestamps its readings, and the platform sets its value to
 * d->want, another each time (a reading's timestamp is its value's last
 * change), between d->t0 and d->t1.
 */
static void sensor_prepare(struct fx *fx, struct scmi_agent *a, uint32_t id,
			   struct done *d)
{
	static int64_t next = 41234;

	if (scmi_sensor_config_set(a, id, SCMI_SENSOR_CONFIG_ENABLE |
						  SCMI_SENSOR_CONFIG_TIMESTAMP))
		return; /* no such sensor */
	d->want = next++;
	d->t0 = sim_now_ns();
	fx_ctl(fx, "sensor set %u %d", id, (int)d->want);
	d->t1 = sim_now_ns();
}

static int sensor_call(struct scmi_agent *a, uint32_t id, int64_t want,
		       struct done *d)
{
	return scmi_sensor_reading_get_async(a, id, d ? on_reading : NULL, d);
}

static void sensor_check(const struct done *d)
{
	assert_int_equal(d->readings_count, 1);
	assert_true(d->reading.value == d->want);
	fx_assert_time(d->reading.timestamp, d->t0, d->t1);
}

static int voltage_read(struct scmi_agent *a, uint32_t id, int64_t *value)
{
	int32_t level;
	int ret = scmi_voltage_level_get(a, id, &level);

	*value = level;
	return ret;
}

/* Of @id's first two level values (a segment's low and high), the other. */
static void voltage_prepare(struct fx *fx, struct scmi_agent *a, uint32_t id,
			    struct done *d)
{
	int32_t lv[2];
	int64_t cur;

	if (scmi_voltage_domain_levels(a, id, lv, 2) < 2)
		return; /* no such domain */
	assert_int_equal(voltage_read(a, id, &cur), 0);
	d->want = cur == lv[0] ? lv[1] : lv[0];
}

static int voltage_call(struct scmi_agent *a, uint32_t id, int64_t want,
			struct done *d)
{
	return scmi_voltage_level_set_async(a, id, (int32_t)want,
					    d ? on_result : NULL, d);
}

static int powercap_read(struct scmi_agent *a, uint32_t id, int64_t *value)
{
	uint32_t cap = 0;
	int ret = scmi_powercap_cap_get(a, id, &cap);

	*value = cap;
	return ret;
}

/* Of two caps in range on the step, the one @id does not have. */
static void powercap_prepare(struct fx *fx, struct scmi_agent *a, uint32_t id,
			     struct done *d)
{
	int64_t cap = 0;

	/* an id the platform has not (test_refused) reads as 0 */
	powercap_read(a, id, &cap);
	d->want = cap == 10000 ? 11000 : 10000;
}

static int powercap_call(struct scmi_agent *a, uint32_t id, int64_t want,
			 struct done *d)
{
	return scmi_powercap_cap_set_async(a, id, (uint32_t)want,
					   d ? on_result : NULL, d);
}

static const struct variant variants[] = {
	{ "reset", 0, NULL, reset_call, NULL, NULL },
	{ "clock", 0, clock_prepare, clock_call, clock_read, NULL },
	{ "sensor", 1, sensor_prepare, sensor_call, NULL, sensor_check },
	{ "voltage", 1, voltage_prepare, voltage_call, voltage_read, NULL },
	{ "powercap", 0, powercap_prepare, powercap_call, powercap_read, NULL },
};

#define NUM_VARIANTS (sizeof(variants) / sizeof(variants[0]))

/* ---- one test case: a call, a mode, a simulator ----------------------- */

/*
 * A test's completions live here, not on its stack: a test that fails
 * leaves the callbacks still due to the teardown's destroy.
 */
#define DONES 5

struct tcase {
	const struct variant *v;
	bool loop;             /* event-loop mode, else threaded */
	struct fx *fx;
	struct fx_dir dir;     /* the synchronous topology's, if made */
	bool have_dir;
	struct done d[DONES];
};

static int start(struct tcase *tc, const char *const *args)
{
	void *fx = NULL;

	memset(tc->d, 0, sizeof(tc->d));
	if (fx_start(&fx, args))
		return -1;
	tc->fx = fx;
	return 0;
}

static int setup_default(void **state)
{
	return start(*state, delay_args);
}

static int setup_sync(void **state)
{
	struct tcase *tc = *state;
	char path[128];

	fx_dir_make(&tc->dir, "async-cb");
	tc->have_dir = true;
	fx_dir_file(&tc->dir, "sync.json", path, sizeof(path));
	fx_write_file(path, sync_topology);
	return start(tc, (const char *const[]){ "--topology", path,
						"--async-delay", "200",
						NULL });
}

static int teardown(void **state)
{
	struct tcase *tc = *state;
	void *fx = tc->fx;
	int ret = fx_teardown(&fx);

	if (tc->have_dir)
		fx_dir_remove(&tc->dir);
	tc->have_dir = false;
	return ret;
}

/* A connected agent of the case's mode in slot 0. */
static struct scmi_agent *agent(struct tcase *tc)
{
	struct scmi_agent_config cfg = {
		.timeout_ms = FX_TIMEOUT_MS,
		.delayed_timeout_ms = DELAYED_TIMEOUT_MS,
		.event_loop = tc->loop,
	};
	struct scmi_agent *a = NULL;

	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	tc->fx->agents[0] = a;
	return fx_connect(tc->fx, a);
}

/* The row's bare call on @id, marked as running. */
static int bare_call(struct tcase *tc, struct scmi_agent *a, uint32_t id,
		     struct done *d)
{
	int ret;

	atomic_store(&in_call, true);
	ret = tc->v->call(a, id, d ? d->want : 0, d);
	atomic_store(&in_call, false);
	return ret;
}

/* The row's call on @id, prepared. */
static int call(struct tcase *tc, struct scmi_agent *a, uint32_t id,
		struct done *d)
{
	if (d && tc->v->prepare)
		tc->v->prepare(tc->fx, a, id, d);
	return bare_call(tc, a, id, d);
}

/* Let up to @ms pass, dispatching in event-loop mode, until @d ran @n times. */
static unsigned int wait_calls(struct tcase *tc, struct scmi_agent *a,
			       const struct done *d, unsigned int n,
			       unsigned int ms)
{
	uint64_t t0 = sim_now_ns();

	while (atomic_load(&d->calls) < n && fx_ms_since(t0) < ms) {
		if (tc->loop) {
			atomic_store(&in_dispatch, true);
			assert_true(fx_loop_turn(a, 10) >= 0);
			atomic_store(&in_dispatch, false);
		} else {
			sim_sleep_ms(2);
		}
	}
	return atomic_load(&d->calls);
}

/* Wait for @d's one completion, then make sure no second one follows. */
static void wait_once(struct tcase *tc, struct scmi_agent *a,
		      const struct done *d)
{
	assert_int_equal(wait_calls(tc, a, d, 1, WAIT_MS), 1);
	assert_int_equal(wait_calls(tc, a, d, 2, 50), 1);
}

/*
 * Where a completion must have run: on the supervisor thread (which may
 * be while the call has not returned yet), or in a dispatch of the
 * loop's thread, never inside the call.
 */
static void assert_where(const struct tcase *tc, const struct done *d)
{
	if (tc->loop) {
		assert_true(d->on_main);
		assert_true(d->inside_dispatch);
		assert_false(d->inside_call);
	} else {
		assert_false(d->on_main);
	}
}

/* What the call of @v on @id asked for is what it brought and what @id has. */
static void assert_state(const struct variant *v, struct scmi_agent *a,
			 uint32_t id, const struct done *d)
{
	int64_t value;

	if (v && v->read) {
		assert_int_equal(v->read(a, id, &value), 0);
		assert_true(value == d->want);
	}
	if (v && v->check)
		v->check(d);
}

/*
 * @d's one completion came with 0, where the mode says, and the platform
 * has what the row's call on @id asked for (an extra test checks that
 * itself).
 */
static void assert_completed(struct tcase *tc, struct scmi_agent *a,
			     uint32_t id, const struct done *d)
{
	wait_once(tc, a, d);
	assert_int_equal(d->result, 0);
	assert_where(tc, d);
	assert_state(tc->v, a, id, d);
}

/* ---- the tests ------------------------------------------------------- */

static void test_completes(void **state)
{
	struct tcase *tc = *state;
	struct scmi_agent *a = agent(tc);
	uint64_t delayed = fx_stats(a).delayed_responses;
	struct done *d = &tc->d[0];
	uint64_t t0 = sim_now_ns();

	assert_int_equal(call(tc, a, tc->v->async_id, d), 0);
	assert_true(fx_ms_since(t0) < DELAY_MS);
	assert_int_equal(atomic_load(&d->calls), 0);
	assert_completed(tc, a, tc->v->async_id, d);
	assert_true(d->at_ns - t0 >= DELAY_MS * 1000000ull);
	assert_true(fx_stats(a).delayed_responses == delayed + 1);
	assert_true(fx_stats(a).notify_refused == 0);
}

static void test_synchronous(void **state)
{
	struct tcase *tc = *state;
	struct scmi_agent *a = agent(tc);
	struct done *d = &tc->d[0];
	uint64_t t0 = sim_now_ns();

	assert_int_equal(call(tc, a, 0, d), 0);
	/* done; its callback waits for the next dispatch */
	if (tc->loop)
		assert_int_equal(atomic_load(&d->calls), 0);
	assert_completed(tc, a, 0, d);
	assert_true(d->at_ns - t0 < DELAY_MS * 1000000ull);
	assert_true(fx_stats(a).delayed_responses == 0);
}

static void test_times_out(void **state)
{
	struct tcase *tc = *state;
	struct scmi_agent *a = agent(tc);
	struct done *d = &tc->d[0];
	uint64_t timeouts = fx_stats(a).timeouts;
	uint64_t t0;

	fx_ctl(tc->fx, "fault drop-delayed %u", scmi_agent_id(a));
	t0 = sim_now_ns();
	assert_int_equal(call(tc, a, tc->v->async_id, d), 0);
	assert_int_equal(wait_calls(tc, a, d, 1, DELAYED_TIMEOUT_MS / 2), 0);
	wait_once(tc, a, d);
	assert_int_equal(d->result, -ETIMEDOUT);
	assert_true(fx_ms_since(t0) >= DELAYED_TIMEOUT_MS);
	assert_where(tc, d);
	/* counted as every command's timeout is */
	assert_true(fx_stats(a).timeouts == timeouts + 1);
}

static void test_cut_short(void **state)
{
	struct tcase *tc = *state;
	struct scmi_agent *a = agent(tc);
	struct done *d = &tc->d[0];

	assert_int_equal(call(tc, a, tc->v->async_id, d), 0);
	assert_int_equal(atomic_load(&d->calls), 0);
	scmi_agent_disconnect(a);
	/*
	 * run before the disconnect returned: by the disconnect, or by the
	 * supervisor woken by the same end of the connection, whose pass the
	 * disconnect waits for
	 */
	assert_int_equal(atomic_load(&d->calls), 1);
	wait_once(tc, a, d);
	assert_int_equal(d->result, -ECONNRESET);
}

/*
 * What the platform did synchronously is done: a disconnect before its
 * callback ran does not cut it short; it runs, with 0 and what the
 * command returned, before the disconnect returns.
 */
static void test_synchronous_disconnect(void **state)
{
	struct tcase *tc = *state;
	struct scmi_agent *a = agent(tc);
	struct done *d = &tc->d[0];

	assert_int_equal(call(tc, a, 0, d), 0);
	if (tc->loop)
		assert_int_equal(atomic_load(&d->calls), 0);
	scmi_agent_disconnect(a);
	assert_int_equal(atomic_load(&d->calls), 1);
	assert_int_equal(d->result, 0);
	if (tc->v->check)
		tc->v->check(d);
	wait_once(tc, a, d);
}

static void test_refused(void **state)
{
	struct tcase *tc = *state;
	struct scmi_agent *a = agent(tc);
	struct done *d = &tc->d[0], *busy = &tc->d[1], *none = &tc->d[2];
	uint32_t id = tc->v->async_id;

	assert_int_equal(call(tc, a, id, NULL), -EINVAL);
	/* the platform's BUSY: the same one has a change pending */
	assert_int_equal(call(tc, a, id, d), 0);
	assert_int_equal(call(tc, a, id, busy), -EBUSY);
	/* no such domain, clock or sensor: nothing sent */
	assert_int_equal(call(tc, a, 1000, none), -EINVAL);
	wait_once(tc, a, d);
	assert_int_equal(d->result, 0);
	/* not connected */
	scmi_agent_disconnect(a);
	assert_int_equal(call(tc, a, id, none), -ENOTCONN);
	assert_int_equal(wait_calls(tc, a, busy, 1, 50), 0);
	assert_int_equal(atomic_load(&none->calls), 0);
}

/*
 * Allocation failure (tests/oom): each allocation the call makes on the
 * calling thread, failed in turn, makes it return -ENOMEM, and then no
 * callback ever runs; with memory the same call completes; nothing leaks.
 */
struct oom_case {
	struct tcase *tc;
	struct scmi_agent *a;
	uint32_t id;
};

static void oom_setup(void *ctx)
{
	struct oom_case *o = ctx;
	struct done *d = &o->tc->d[0];

	memset(d, 0, sizeof(*d));
	if (o->tc->v->prepare)
		o->tc->v->prepare(o->tc->fx, o->a, o->id, d);
}

static int oom_call(void *ctx)
{
	struct oom_case *o = ctx;

	return bare_call(o->tc, o->a, o->id, &o->tc->d[0]);
}

static void oom_check_failed(void *ctx, int err)
{
	struct oom_case *o = ctx;

	assert_int_equal(wait_calls(o->tc, o->a, &o->tc->d[0], 1, 20), 0);
}

static void oom_check_done(void *ctx)
{
	struct oom_case *o = ctx;

	assert_completed(o->tc, o->a, o->id, &o->tc->d[0]);
}

static void no_memory(struct tcase *tc, uint32_t id, const char *name)
{
	struct oom_case o = { .tc = tc, .a = agent(tc), .id = id };
	const struct oom_path p = {
		.name = name,
		.ctx = &o,
		.setup = oom_setup,
		.call = oom_call,
		.check_failed = oom_check_failed,
		.check_done = oom_check_done,
		/* the agent's own threads allocate on their own clock */
		.this_thread_only = true,
	};

	assert_oom_path(&p);
}

static void test_no_memory(void **state)
{
	struct tcase *tc = *state;

	no_memory(tc, tc->v->async_id, tc->v->name);
}

static void test_no_memory_synchronous(void **state)
{
	struct tcase *tc = *state;

	no_memory(tc, 0, tc->v->name);
}

/*
 * Clock rate changes (max_async_req 4: this agent may have 3 in flight):
 * three asynchronous ones, a fourth that must be synchronous and
 * completes first, and once their callbacks counted them out, an
 * asynchronous one again.
 */
static void test_clock_in_flight(void **state)
{
	struct tcase *tc = *state;
	struct scmi_agent *a = agent(tc);
	struct done *d = tc->d;
	uint64_t t0 = sim_now_ns();
	uint64_t rate;
	int64_t now;

	for (uint32_t id = 0; id < 3; id++) {
		clock_prepare(tc->fx, a, id, &d[id]);
		assert_int_equal(clock_call(a, id, d[id].want, &d[id]), 0);
	}
	/* clock 3 has one rate: it is set, synchronously */
	assert_int_equal(scmi_clock_rate_get(a, 3, &rate), 0);
	assert_int_equal(scmi_clock_rate_set_async(a, 3, rate, 0, on_result,
						   &d[3]), 0);
	assert_int_equal(wait_calls(tc, a, &d[3], 1, WAIT_MS), 1);
	assert_int_equal(d[3].result, 0);
	assert_true(fx_ms_since(t0) < DELAY_MS);
	for (int i = 0; i < 3; i++)
		assert_int_equal(atomic_load(&d[i].calls), 0);
	/* the blocking call counts the same: synchronous too */
	assert_int_equal(scmi_clock_rate_set(a, 3, rate, 0), 0);
	assert_true(fx_stats(a).delayed_responses == 0);

	for (int i = 0; i < 3; i++) {
		assert_int_equal(wait_calls(tc, a, &d[i], 1, WAIT_MS), 1);
		assert_int_equal(d[i].result, 0);
		assert_int_equal(clock_read(a, (uint32_t)i, &now), 0);
		assert_true(now == d[i].want);
	}
	assert_true(fx_stats(a).delayed_responses == 3);
	/* all counted out: asynchronous again */
	clock_prepare(tc->fx, a, 0, &d[4]);
	assert_int_equal(clock_call(a, 0, d[4].want, &d[4]), 0);
	wait_once(tc, a, &d[4]);
	assert_int_equal(d[4].result, 0);
	assert_true(fx_stats(a).delayed_responses == 4);
}

/*
 * A cap set while capping is disabled is only remembered (nothing is
 * sent), completes all the same, and is the cap the next enable sends.
 */
static void test_powercap_remembered(void **state)
{
	struct tcase *tc = *state;
	struct scmi_agent *a = agent(tc);
	struct done *d = tc->d;
	uint64_t commands;
	uint32_t cap;

	assert_int_equal(scmi_powercap_cap_enable_set(a, 0, false), 0);
	commands = fx_commands(a);
	assert_int_equal(scmi_powercap_cap_set_async(a, 0, 10000, on_result,
						     d), 0);
	assert_true(fx_commands(a) == commands);
	assert_completed(tc, a, 0, d);
	assert_int_equal(scmi_powercap_cap_get(a, 0, &cap), 0);
	assert_int_equal(cap, 0);
	assert_int_equal(scmi_powercap_cap_enable_set(a, 0, true), 0);
	assert_int_equal(scmi_powercap_cap_get(a, 0, &cap), 0);
	assert_int_equal(cap, 10000);
}

/*
 * Reads of three synchronous sensors from three threads at once, each
 * sensor with its own value: every callback gets the reading of its own
 * sensor, however the completions interleave.
 */
#define READERS 3
#define READS 40

struct reader {
	struct scmi_agent *a;
	uint32_t sensor;
	pthread_t th;
	int err;                    /* the first unexpected error */
	struct done d[READS];
};

static struct reader readers[READERS];

static void *reader_main(void *arg)
{
	struct reader *r = arg;

	for (int k = 0; k < READS && !r->err; k++) {
		/*
		 * a synchronous read's completion holds none of the agent's
		 * 16 slots of asynchronous commands: never -EBUSY, however
		 * many wait for their dispatch
		 */
		r->err = scmi_sensor_reading_get_async(r->a, r->sensor,
						       on_reading, &r->d[k]);
	}
	return NULL;
}

static void test_sensor_concurrent_reads(void **state)
{
	static const uint32_t sensors[READERS] = { 0, 2, 3 };
	struct tcase *tc = *state;
	struct scmi_agent *a = agent(tc);

	memset(readers, 0, sizeof(readers));
	for (int i = 0; i < READERS; i++) {
		fx_ctl(tc->fx, "sensor set %u %u", sensors[i], 1000 * (i + 1));
		readers[i].a = a;
		readers[i].sensor = sensors[i];
	}
	for (int i = 0; i < READERS; i++)
		assert_int_equal(pthread_create(&readers[i].th, NULL,
						reader_main, &readers[i]), 0);
	for (int i = 0; i < READERS; i++)
		for (int k = 0; k < READS; k++)
			assert_int_equal(wait_calls(tc, a, &readers[i].d[k], 1,
						    WAIT_MS), 1);
	for (int i = 0; i < READERS; i++) {
		pthread_join(readers[i].th, NULL);
		assert_int_equal(readers[i].err, 0);
		for (int k = 0; k < READS; k++) {
			const struct done *d = &readers[i].d[k];

			assert_int_equal(d->result, 0);
			assert_int_equal(d->readings_count, 1);
			assert_true(d->reading.value == 1000 * (i + 1));
			assert_where(tc, d);
		}
	}
	assert_true(fx_stats(a).delayed_responses == 0);
}

/* ---- the table of cases ---------------------------------------------- */

struct kind {
	const char *name;
	CMUnitTestFunction fn;
	CMFixtureFunction setup;
};

/* Each run for each call of variants[], in both modes. */
static const struct kind kinds[] = {
	{ "completes", test_completes, setup_default },
	{ "synchronous", test_synchronous, setup_sync },
	{ "times out", test_times_out, setup_default },
	{ "cut short", test_cut_short, setup_default },
	{ "synchronous, then disconnect", test_synchronous_disconnect,
	  setup_sync },
	{ "refused", test_refused, setup_default },
	{ "no memory", test_no_memory, setup_default },
	{ "no memory, synchronous", test_no_memory_synchronous, setup_sync },
};

/* The tests of one call's own behaviour, each in both modes too. */
static const struct kind extras[] = {
	{ "clock: changes in flight", test_clock_in_flight, setup_default },
	{ "powercap: remembered while capping is off",
	  test_powercap_remembered, setup_default },
	{ "sensor: concurrent reads of synchronous sensors",
	  test_sensor_concurrent_reads, setup_default },
};

#define NUM_KINDS (sizeof(kinds) / sizeof(kinds[0]))
#define NUM_EXTRAS (sizeof(extras) / sizeof(extras[0]))
#define NUM_CASES ((NUM_VARIANTS * NUM_KINDS + NUM_EXTRAS) * 2)

static struct tcase cases[NUM_CASES];
static char names[NUM_CASES][80];
static struct CMUnitTest tests[NUM_CASES];
static size_t num_tests;

/* Test @k of call @v (NULL: an extra), in both modes. */
static void add(const struct kind *k, const struct variant *v)
{
	for (int loop = 0; loop <= 1; loop++) {
		size_t n = num_tests++;

		cases[n] = (struct tcase){ .v = v, .loop = loop };
		snprintf(names[n], sizeof(names[n]), "%s%s%s (%s)",
			 v ? v->name : "", v ? ": " : "", k->name,
			 loop ? "event loop" : "threaded");
		tests[n] = (struct CMUnitTest){
			.name = names[n],
			.test_func = k->fn,
			.setup_func = k->setup,
			.teardown_func = teardown,
			.initial_state = &cases[n],
		};
	}
}

int main(void)
{
	main_thread = pthread_self();
	for (size_t v = 0; v < NUM_VARIANTS; v++)
		for (size_t k = 0; k < NUM_KINDS; k++)
			add(&kinds[k], &variants[v]);
	for (size_t e = 0; e < NUM_EXTRAS; e++)
		add(&extras[e], NULL);
	return fx_run_tests(tests);
}
