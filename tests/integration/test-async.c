/* SPDX-License-Identifier: MIT */
/*
 * Asynchronous commands end to end, against the real simulator: each
 * driver that Linux makes asynchronous (reset, clock rate, sensor read,
 * voltage level, powercap cap) sends the async flag where the platform
 * offers it and returns once the delayed response is in, even when the
 * platform takes far longer than the synchronous timeout; a lost delayed
 * response is a timeout; a platform that dies meanwhile is -ECONNRESET
 * at once; other commands go on while one waits; a stalled P2A channel
 * delays a delayed response but never drops it, whatever the policy.
 *
 * The default topology: reset domain 0, sensor 1, voltage domain 1 and
 * powercap domain 0 are asynchronous, clocks allow 4 pending changes;
 * reset domain 1, sensor 0 and voltage domain 0 are synchronous.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <scmi/voltage.h>

#include "fixture.h"

/* The simulator takes this long to finish an asynchronous command. */
#define DELAY_MS 300
/* ... far longer than the agents' synchronous timeout. */
#define SYNC_TIMEOUT_MS 100

static const char *const delay_args[] = { "--async-delay", "300", NULL };
static const char *const long_args[] = { "--async-delay", "3000", NULL };
static const char *const drop_args[] = { "--async-delay", "300",
					 "--notify-policy", "drop", NULL };

static int setup_delay(void **state)
{
	return fx_start(state, delay_args);
}

static int setup_long(void **state)
{
	return fx_start(state, long_args);
}

static int setup_drop(void **state)
{
	return fx_start(state, drop_args);
}

/*
 * A connected agent in @slot with the short synchronous timeout and
 * @delayed_ms for delayed responses.
 */
static struct scmi_agent *agent(struct fx *fx, size_t slot,
				uint32_t delayed_ms)
{
	struct scmi_agent_config cfg = {
		.timeout_ms = SYNC_TIMEOUT_MS,
		.delayed_timeout_ms = delayed_ms,
	};
	struct scmi_agent *a = NULL;

	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	fx->agents[slot] = a;
	return fx_connect(fx, a);
}

/* Reset: the async domain waits for RESET_COMPLETE; the other does not. */
static void test_reset(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, 0, 5000);
	struct scmi_reset_domain_info di;
	struct fx_recorder rec;
	uint32_t dom = 0;
	uint64_t t0;

	assert_int_equal(scmi_reset_domain_info_get(a, 0, &di), 0);
	assert_true(di.async);
	assert_int_equal(scmi_reset_domain_info_get(a, 1, &di), 0);
	assert_false(di.async);
	fx_rec_init(&rec, SCMI_PROTOCOL_RESET);
	assert_int_equal(fx_rec_register(&rec, a, SCMI_EVENT_RESET_ISSUED,
					 &dom), 0);

	t0 = sim_now_ns();
	assert_int_equal(scmi_reset_domain_reset(a, 0), 0);
	assert_true(fx_ms_since(t0) >= DELAY_MS); /* returned when done, not before */
	assert_true(fx_stats(a).delayed_responses == 1);
	assert_true(fx_stats(a).timeouts == 0);
	/* the reset happened: its notification is on its way, or here */
	assert_int_equal(fx_rec_wait(&rec, 1, 5000), 1);
	assert_int_equal(fx_rec_get(&rec, 0).r.reset.domain_id, 0);

	assert_int_equal(scmi_reset_domain_reset(a, 1), 0);
	assert_true(fx_stats(a).delayed_responses == 1); /* synchronous */
	/* assert and de-assert are synchronous even where async is offered */
	assert_int_equal(scmi_reset_domain_assert(a, 0), 0);
	assert_int_equal(scmi_reset_domain_deassert(a, 0), 0);
	assert_true(fx_stats(a).delayed_responses == 1);
	assert_true(fx_stats(a).notify_refused == 0);

	assert_int_equal(fx_rec_unregister(&rec, a, SCMI_EVENT_RESET_ISSUED,
					   &dom), 0);
	fx_rec_fini(&rec);
}

/* Clock rates: asynchronous (max_async_req 4), done when it returns. */
static void test_clock_rate(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, 0, 5000);
	struct scmi_clock_info ci;
	uint64_t rate, want;

	assert_int_equal(scmi_clock_info_get(a, 0, &ci), 0);
	assert_true(ci.rate_discrete && ci.list.num_rates >= 2);
	assert_int_equal(scmi_clock_rate_get(a, 0, &rate), 0);
	want = rate == ci.list.rates[0] ? ci.list.rates[1] : ci.list.rates[0];

	assert_int_equal(scmi_clock_rate_set(a, 0, want, 0), 0);
	assert_true(fx_stats(a).delayed_responses == 1);
	assert_int_equal(scmi_clock_rate_get(a, 0, &rate), 0);
	assert_true(rate == want);
	/* a rate the clock refuses is refused at once, no delayed response */
	assert_int_equal(scmi_clock_rate_set(a, 0, ci.list.rates[0] / 2, 0),
			 -EINVAL);
	assert_true(fx_stats(a).delayed_responses == 1);
}

/* Sensor reads: the async sensor's value arrives in the delayed response. */
static void test_sensor_read(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, 0, 5000);
	struct scmi_sensor_info si;
	int64_t v = 0;
	uint64_t t0;

	assert_int_equal(scmi_sensor_info_get(a, 1, &si), 0);
	assert_true(si.async_read);
	assert_int_equal(scmi_sensor_info_get(a, 0, &si), 0);
	assert_false(si.async_read);

	fx_ctl(fx, "sensor set 1 41234");
	t0 = sim_now_ns();
	assert_int_equal(scmi_sensor_reading_get(a, 1, &v, NULL), 0);
	assert_true(fx_ms_since(t0) >= DELAY_MS);
	assert_true(v == 41234);
	assert_true(fx_stats(a).delayed_responses == 1);

	fx_ctl(fx, "sensor set 0 30000");
	assert_int_equal(scmi_sensor_reading_get(a, 0, &v, NULL), 0);
	assert_true(v == 30000);
	assert_true(fx_stats(a).delayed_responses == 1);
}

/* Voltage: the async domain's level is set when the call returns. */
static void test_voltage_level(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, 0, 5000);
	struct scmi_voltage_domain_info vd;
	int32_t level, again;

	assert_int_equal(scmi_voltage_domain_info_get(a, 1, &vd), 0);
	assert_true(vd.async_level_set);
	assert_int_equal(scmi_voltage_level_get(a, 1, &level), 0);
	assert_int_equal(scmi_voltage_level_set(a, 1, level), 0);
	assert_true(fx_stats(a).delayed_responses == 1);
	assert_int_equal(scmi_voltage_level_get(a, 1, &again), 0);
	assert_int_equal(again, level);
	/* off the domain's levels: refused at once */
	assert_int_equal(scmi_voltage_level_set(a, 1, level + 1), -EINVAL);
	assert_true(fx_stats(a).delayed_responses == 1);
}

/* Powercap: cap_set waits; enabling capping asks for no delayed response. */
static void test_powercap_cap(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, 0, 5000);
	uint32_t cap;

	assert_int_equal(scmi_powercap_cap_set(a, 0, 10000), 0);
	assert_true(fx_stats(a).delayed_responses == 1);
	assert_int_equal(scmi_powercap_cap_get(a, 0, &cap), 0);
	assert_int_equal(cap, 10000);
	assert_int_equal(scmi_powercap_cap_enable_set(a, 0, true), 0);
	assert_true(fx_stats(a).delayed_responses == 1);
	assert_true(fx_stats(a).notify_refused == 0);
}

/* The platform loses the delayed response: a timeout, then all is well. */
static void test_lost_delayed_response(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, 0, DELAY_MS + 200);
	struct fx_sim_counts sc;
	struct fx_ctlc c;
	uint64_t t0;

	fx_ctlc_open(fx, &c);
	fx_ctlc_req(&c, "fault drop-delayed %u", scmi_agent_id(a));
	t0 = sim_now_ns();
	assert_int_equal(scmi_reset_domain_reset(a, 0), -ETIMEDOUT);
	assert_true(fx_ms_since(t0) >= DELAY_MS + 200);
	assert_true(fx_stats(a).timeouts == 1);
	assert_true(fx_stats(a).delayed_responses == 0);
	sc = fx_sim_agent_counts(&c, scmi_agent_id(a));
	assert_true(sc.delayed_lost == 1);
	assert_true(sc.delayed_sent == 0);

	assert_int_equal(scmi_reset_domain_reset(a, 0), 0);
	assert_true(fx_stats(a).delayed_responses == 1);
	sc = fx_sim_agent_counts(&c, scmi_agent_id(a));
	assert_true(sc.delayed_sent == 1);
	fx_ctlc_close(&c);
}

struct bg {
	struct scmi_agent *a;
	pthread_t th;
	atomic_int ret;          /* 1 until the command returns */
	uint64_t done_ns;        /* read after the join */
};

static void *bg_reset(void *arg)
{
	struct bg *b = arg;

	int ret = scmi_reset_domain_reset(b->a, 0);

	b->done_ns = sim_now_ns();
	atomic_store(&b->ret, ret);
	return NULL;
}

/* Wait (bounded) until @a has sent more than @n commands. */
static void wait_commands(struct scmi_agent *a, uint64_t n)
{
	for (int i = 0; i < 5000 && fx_stats(a).commands <= n; i++)
		sim_sleep_ms(1);
	assert_true(fx_stats(a).commands > n);
}

/*
 * While one waits for its delayed response (3 s: time enough for twenty
 * round trips under valgrind), other commands complete.
 */
static void test_commands_go_on_while_one_waits(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, 0, 5000);
	struct bg b = { .a = a, .ret = 1 };
	uint64_t n = fx_stats(a).commands;
	uint64_t last = 0;
	uint32_t st;

	assert_int_equal(pthread_create(&b.th, NULL, bg_reset, &b), 0);
	wait_commands(a, n); /* the reset is out */
	for (int i = 0; i < 20; i++) {
		assert_int_equal(scmi_power_state_get(a, 0, &st), 0);
		last = sim_now_ns();
	}
	pthread_join(b.th, NULL);
	assert_int_equal(b.ret, 0);
	/* the twenty answers all came while the reset was still pending */
	assert_true(last < b.done_ns);
	assert_true(fx_stats(a).delayed_responses == 1);
	assert_true(fx_stats(a).timeouts == 0);
}

static void *bg_crash(void *arg)
{
	struct fx *fx = arg;

	sim_sleep_ms(50);
	sim_crash(&fx->sim);
	return NULL;
}

/* The platform dies while a command waits: -ECONNRESET at once. */
static void test_platform_dies_while_waiting(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, 0, 10000);
	pthread_t th;
	uint64_t t0;

	assert_int_equal(pthread_create(&th, NULL, bg_crash, fx), 0);
	t0 = sim_now_ns();
	assert_int_equal(scmi_reset_domain_reset(a, 0), -ECONNRESET);
	pthread_join(th, NULL);
	assert_true(fx_ms_since(t0) < 5000); /* not the 10 s delayed timeout */
	assert_int_equal(scmi_reset_domain_reset(a, 0), -ECONNRESET);
}

/*
 * A P2A channel that the platform cannot post on (stall) under the drop
 * policy: the notifications meanwhile are dropped, the delayed response
 * waits, and arrives when the channel is back.
 */
static void test_stalled_channel_keeps_delayed_response(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, 0, 10000);
	struct bg b = { .a = a, .ret = 1 };
	struct fx_sim_counts sc;
	struct fx_recorder rec;
	uint32_t dom = 0;
	uint64_t n = fx_stats(a).commands;
	struct fx_ctlc c;

	fx_rec_init(&rec, SCMI_PROTOCOL_POWER);
	assert_int_equal(fx_rec_register(&rec, a,
					 SCMI_EVENT_POWER_STATE_CHANGED, &dom),
			 0);
	fx_ctlc_open(fx, &c);
	fx_ctlc_req(&c, "fault stall %u on", scmi_agent_id(a));
	assert_int_equal(pthread_create(&b.th, NULL, bg_reset, &b), 0);
	wait_commands(a, n);
	fx_ctlc_req(&c, "power set 0 0x40000000"); /* off */
	fx_ctlc_req(&c, "power set 0 0");          /* on */
	sim_sleep_ms(DELAY_MS + 200); /* the reset is done at the platform */
	sc = fx_sim_agent_counts(&c, scmi_agent_id(a));
	assert_true(sc.dropped == 2);      /* the notifications: policy drop */
	assert_true(sc.delayed_sent == 0); /* the delayed response: kept */
	assert_true(sc.delayed_lost == 0);
	assert_true(atomic_load(&b.ret) == 1); /* still waiting */

	fx_ctlc_req(&c, "fault stall %u off", scmi_agent_id(a));
	pthread_join(b.th, NULL);
	assert_int_equal(b.ret, 0);
	sc = fx_sim_agent_counts(&c, scmi_agent_id(a));
	assert_true(sc.delayed_sent == 1);
	assert_int_equal(fx_rec_count(&rec), 0);
	fx_ctlc_close(&c);
	assert_int_equal(fx_rec_unregister(&rec, a,
					   SCMI_EVENT_POWER_STATE_CHANGED, &dom),
			 0);
	fx_rec_fini(&rec);
}

/* Two agents: each gets its own delayed responses, never the other's. */
static void test_two_agents(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = agent(fx, 0, 5000);
	struct scmi_agent *b = agent(fx, 1, 5000);
	struct bg ba = { .a = a, .ret = 1 };
	int64_t v;

	/* one reset of domain 0 at a time: the second agent reads a sensor */
	assert_int_equal(pthread_create(&ba.th, NULL, bg_reset, &ba), 0);
	assert_int_equal(scmi_sensor_reading_get(b, 1, &v, NULL), 0);
	pthread_join(ba.th, NULL);
	assert_int_equal(ba.ret, 0);
	assert_true(fx_stats(a).delayed_responses == 1);
	assert_true(fx_stats(b).delayed_responses == 1);
	assert_true(fx_stats(a).notify_refused == 0);
	assert_true(fx_stats(b).notify_refused == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST_SETUP(test_reset, setup_delay),
		FX_TEST_SETUP(test_clock_rate, setup_delay),
		FX_TEST_SETUP(test_sensor_read, setup_delay),
		FX_TEST_SETUP(test_voltage_level, setup_delay),
		FX_TEST_SETUP(test_powercap_cap, setup_delay),
		FX_TEST_SETUP(test_lost_delayed_response, setup_delay),
		FX_TEST_SETUP(test_commands_go_on_while_one_waits, setup_long),
		cmocka_unit_test_setup_teardown(test_platform_dies_while_waiting,
						setup_delay, fx_teardown_crash),
		FX_TEST_SETUP(test_stalled_channel_keeps_delayed_response,
			      setup_drop),
		FX_TEST_SETUP(test_two_agents, setup_delay),
	};

	return fx_run_tests(tests);
}
