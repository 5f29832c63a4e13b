/* SPDX-License-Identifier: MIT */
/*
 * The clock protocol (0x14) end to end: the agent's driver against the
 * real simulator. Discovery against the default topology, every command
 * and its errors, CLOCK_RATE_CHANGED and CLOCK_RATE_CHANGE_REQUESTED
 * caused by another agent and by the control socket, unsubscribe, two
 * agents, a notifier registered before connect, and clocks that cannot
 * notify.
 *
 * Default topology (sim-platform/topology.c):
 *   0 cpu-pll   list 400/800/1200/1600 MHz, at 800 MHz, enabled, latency 10,
 *               both events
 *   1 ddr-pll   list 533/800/1066 MHz, at 1066 MHz, enabled, latency 20,
 *               CLOCK_RATE_CHANGED only
 *   2 uart-clk  range 1..100 MHz step 1 MHz, at 24 MHz, disabled,
 *               latency 0 (unknown), both events
 *   3 ref-clk   list 25 MHz, at 25 MHz, enabled, latency 0, no events
 */
#include <errno.h>
#include <string.h>

#include <scmi/clock.h>
#include <scmi/wire.h>

#include "fixture.h"

#define WAIT_MS 2000    /* bound of every wait for an event */
#define QUIET_MS 100    /* how long "nothing arrives" is watched */
#define SETTLE_MS 50    /* for a disable sent by the worker after unregister */

#define MHZ 1000000ull

#define CLOCK_ATTRIBUTES 0x3
#define CLOCK_DESCRIBE_RATES 0x4
#define CLOCK_RATE_SET 0x5
#define CLOCK_RATE_GET 0x6
#define CLOCK_CONFIG_SET 0x7
#define CLOCK_NAME_GET 0x8
#define CLOCK_RATE_NOTIFY 0x9
#define CLOCK_RATE_CHANGE_REQUESTED_NOTIFY 0xA

#define EVT_CHANGED SCMI_EVENT_CLOCK_RATE_CHANGED
#define EVT_REQUESTED SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED

/* A raw clock command: (a, msg_id, tx, tx_sz, rx, rx_cap, n). */
#define raw(a, ...) scmi_agent_xfer(a, SCMI_PROTOCOL_CLOCK, __VA_ARGS__)

static int raw_rate_set(struct scmi_agent *a, uint32_t flags, uint32_t id,
			uint64_t rate)
{
	uint8_t tx[16];

	scmi_put_le32(tx, flags);
	scmi_put_le32(tx + 4, id);
	scmi_put_le64(tx + 8, rate);
	return raw(a, CLOCK_RATE_SET, tx, sizeof(tx), NULL, 0, NULL);
}

static int raw_notify(struct scmi_agent *a, uint8_t msg_id, uint32_t id,
		      uint32_t enable)
{
	const uint32_t w[2] = { id, enable };

	return fx_raw(a, SCMI_PROTOCOL_CLOCK, msg_id, w, 2, NULL, 0, NULL);
}

static uint64_t rate_of(struct scmi_agent *a, uint32_t id)
{
	uint64_t rate = 0;

	assert_int_equal(scmi_clock_rate_get(a, id, &rate), 0);
	return rate;
}

/* Assert every field of the @i-th report @l received. */
static void check_seen(struct fx_recorder *l, unsigned int i, uint8_t evt_id,
		       uint32_t agent_id, uint32_t clock_id, uint64_t rate,
		       uint64_t t0, uint64_t t1)
{
	struct fx_event e = fx_rec_get(l, i);

	assert_int_equal(e.evt_id, evt_id);
	assert_int_equal(e.r.clock.agent_id, agent_id);
	assert_int_equal(e.r.clock.clock_id, clock_id);
	assert_int_equal(e.r.clock.rate, rate);
	fx_assert_time(e.r.clock.timestamp, t0, t1);
}

/* ---- discovery ------------------------------------------------------- */

static void check_list(const struct scmi_clock_info *ci, const char *name,
		       bool enabled, bool changed, bool requested,
		       uint32_t latency, unsigned int n, const uint64_t *rates)
{
	assert_string_equal(ci->name, name);
	assert_int_equal(ci->enabled, enabled);
	assert_int_equal(ci->notify_rate_changed, changed);
	assert_int_equal(ci->notify_rate_change_requested, requested);
	assert_int_equal(ci->enable_latency_us, latency);
	assert_true(ci->rate_discrete);
	assert_int_equal(ci->list.num_rates, n);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(ci->list.rates[i], rates[i]);
}

/*
 * CLOCK_DESCRIBE_RATES refused: an index at or beyond the number of rates
 * (a range: any index but 0) is OUT_OF_RANGE; a clock that is not there,
 * NOT_FOUND.
 */
static const struct {
	uint32_t clock, index;
	int ret;
} bad_describe[] = {
	{ 0, 4, -ERANGE },              /* four rates */
	{ 0, UINT32_MAX, -ERANGE },
	{ 3, 1, -ERANGE },              /* one rate */
	{ 2, 1, -ERANGE },              /* a range */
	{ 2, 3, -ERANGE },
	{ 9, 0, -ENOENT },
};

static void test_discovery(void **state)
{
	static const uint64_t cpu[] = { 400 * MHZ, 800 * MHZ, 1200 * MHZ,
					1600 * MHZ };
	static const uint64_t ddr[] = { 533 * MHZ, 800 * MHZ, 1066 * MHZ };
	static const uint64_t ref[] = { 25 * MHZ };
	struct fx *fx = *state;
	struct scmi_agent *idle = fx_agent_new(fx, 1);
	struct scmi_agent *a;
	struct scmi_clock_protocol_info pi;
	struct scmi_clock_info ci;
	uint8_t tx[8], rx[128];
	size_t n = 0;

	/* not connected yet */
	assert_int_equal(scmi_clock_count(idle), -ENOTCONN);
	assert_int_equal(scmi_clock_protocol_info_get(idle, &pi), -ENOTCONN);
	assert_int_equal(scmi_clock_info_get(idle, 0, &ci), -ENOTCONN);
	assert_int_equal(scmi_clock_rate_set(idle, 0, MHZ, 0), -ENOTCONN);
	assert_int_equal(scmi_clock_count(NULL), -EINVAL);

	a = fx_agent_connected(fx, 0);
	assert_int_equal(scmi_clock_count(a), 4);
	assert_int_equal(scmi_clock_protocol_info_get(a, &pi), 0);
	assert_int_equal(pi.num_clocks, 4);
	assert_int_equal(pi.max_async_req, 4); /* rate sets are asynchronous */
	assert_true(SCMI_VERSION_MAJOR(pi.version) >= 2);
	assert_int_equal(scmi_clock_protocol_info_get(a, NULL), -EINVAL);
	assert_int_equal(scmi_clock_protocol_info_get(NULL, &pi), -EINVAL);

	memset(&ci, 0xAA, sizeof(ci));
	assert_int_equal(scmi_clock_info_get(a, 0, &ci), 0);
	check_list(&ci, "cpu-pll", true, true, true, 10, 4, cpu);
	memset(&ci, 0xAA, sizeof(ci));
	assert_int_equal(scmi_clock_info_get(a, 1, &ci), 0);
	check_list(&ci, "ddr-pll", true, true, false, 20, 3, ddr);
	memset(&ci, 0xAA, sizeof(ci));
	assert_int_equal(scmi_clock_info_get(a, 2, &ci), 0);
	assert_string_equal(ci.name, "uart-clk");
	assert_false(ci.enabled);
	assert_true(ci.notify_rate_changed);
	assert_true(ci.notify_rate_change_requested);
	assert_int_equal(ci.enable_latency_us, SCMI_CLOCK_LATENCY_UNKNOWN);
	assert_false(ci.rate_discrete);
	assert_int_equal(ci.range.min_rate, 1 * MHZ);
	assert_int_equal(ci.range.max_rate, 100 * MHZ);
	assert_int_equal(ci.range.step_size, 1 * MHZ);
	memset(&ci, 0xAA, sizeof(ci));
	assert_int_equal(scmi_clock_info_get(a, 3, &ci), 0);
	check_list(&ci, "ref-clk", true, false, false,
		   SCMI_CLOCK_LATENCY_UNKNOWN, 1, ref);

	/* unknown clock, NULL output */
	assert_int_equal(scmi_clock_info_get(a, 4, &ci), -EINVAL);
	assert_int_equal(scmi_clock_info_get(a, UINT32_MAX, &ci), -EINVAL);
	assert_int_equal(scmi_clock_info_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_clock_info_get(NULL, 0, &ci), -EINVAL);

	/* the wire: version, attributes, message attributes */
	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, NULL, 0, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0x20000);
	assert_int_equal(raw(a, SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx,
			     sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 4 | 4 << 16);
	for (uint32_t m = 0; m <= 0xA; m++) {
		scmi_put_le32(tx, m);
		assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, tx, 4,
				     rx, sizeof(rx), &n), 0);
		assert_int_equal(n, 4);
		assert_int_equal(scmi_get_le32(rx), 0);
	}
	scmi_put_le32(tx, 0xB);
	assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, tx, 4, rx,
			     sizeof(rx), &n), -ENOENT);
	assert_int_equal(raw(a, 0xB, NULL, 0, NULL, 0, NULL), -ENOENT);
	assert_int_equal(raw(a, 0x55, NULL, 0, NULL, 0, NULL), -ENOENT);

	/* CLOCK_ATTRIBUTES: bit 0 enabled, 31/30 events, 29 extended name */
	scmi_put_le32(tx, 0);
	assert_int_equal(raw(a, CLOCK_ATTRIBUTES, tx, 4, rx, sizeof(rx), &n), 0);
	assert_int_equal(n, 24);
	assert_int_equal(scmi_get_le32(rx), 0xE0000001u);
	assert_string_equal((char *)rx + 4, "cpu-pll");
	assert_int_equal(scmi_get_le32(rx + 20), 10);
	scmi_put_le32(tx, 3);
	assert_int_equal(raw(a, CLOCK_ATTRIBUTES, tx, 4, rx, sizeof(rx), &n), 0);
	assert_int_equal(scmi_get_le32(rx), 0x20000001u);
	scmi_put_le32(tx, 4);
	assert_int_equal(raw(a, CLOCK_ATTRIBUTES, tx, 4, rx, sizeof(rx), &n),
			 -ENOENT);
	assert_int_equal(raw(a, CLOCK_ATTRIBUTES, tx, 2, rx, sizeof(rx), &n),
			 -EPROTO);

	/* CLOCK_NAME_GET: flags 0, the 64-byte name */
	scmi_put_le32(tx, 2);
	assert_int_equal(raw(a, CLOCK_NAME_GET, tx, 4, rx, sizeof(rx), &n), 0);
	assert_int_equal(n, 68);
	assert_int_equal(scmi_get_le32(rx), 0);
	assert_string_equal((char *)rx + 4, "uart-clk");
	scmi_put_le32(tx, 4);
	assert_int_equal(raw(a, CLOCK_NAME_GET, tx, 4, rx, sizeof(rx), &n),
			 -ENOENT);

	/* CLOCK_DESCRIBE_RATES: a list from an index, a range, bad_describe */
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 1);
	assert_int_equal(raw(a, CLOCK_DESCRIBE_RATES, tx, 8, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 4 + 3 * 8);
	assert_int_equal(scmi_get_le32(rx), 3); /* 3 returned, 0 remaining, list */
	assert_int_equal(scmi_get_le64(rx + 4), 800 * MHZ);
	assert_int_equal(scmi_get_le64(rx + 20), 1600 * MHZ);
	scmi_put_le32(tx + 4, 3);
	assert_int_equal(raw(a, CLOCK_DESCRIBE_RATES, tx, 8, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(scmi_get_le32(rx), 1);
	scmi_put_le32(tx, 2);
	scmi_put_le32(tx + 4, 0);
	assert_int_equal(raw(a, CLOCK_DESCRIBE_RATES, tx, 8, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 4 + 3 * 8);
	assert_int_equal(scmi_get_le32(rx), 3 | 1u << 12);
	assert_int_equal(scmi_get_le64(rx + 4), 1 * MHZ);
	assert_int_equal(scmi_get_le64(rx + 12), 100 * MHZ);
	assert_int_equal(scmi_get_le64(rx + 20), 1 * MHZ);
	for (size_t i = 0; i < sizeof(bad_describe) / sizeof(bad_describe[0]);
	     i++) {
		scmi_put_le32(tx, bad_describe[i].clock);
		scmi_put_le32(tx + 4, bad_describe[i].index);
		assert_int_equal(raw(a, CLOCK_DESCRIBE_RATES, tx, 8, rx,
				     sizeof(rx), &n), bad_describe[i].ret);
	}
	assert_int_equal(raw(a, CLOCK_DESCRIBE_RATES, tx, 4, rx, sizeof(rx),
			     &n), -EPROTO);
}

/* ---- commands -------------------------------------------------------- */

static void test_rates(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint64_t before, rate;

	assert_int_equal(rate_of(a, 0), 800 * MHZ);
	assert_int_equal(rate_of(a, 1), 1066 * MHZ);
	assert_int_equal(rate_of(a, 2), 24 * MHZ);
	assert_int_equal(rate_of(a, 3), 25 * MHZ);

	/* a list: exact, then rounded down (default), up, auto */
	assert_int_equal(scmi_clock_rate_set(a, 0, 1200 * MHZ, 0), 0);
	assert_int_equal(rate_of(a, 0), 1200 * MHZ);
	assert_int_equal(scmi_clock_rate_set(a, 0, 1000 * MHZ,
					     SCMI_CLOCK_ROUND_DOWN), 0);
	assert_int_equal(rate_of(a, 0), 800 * MHZ);
	assert_int_equal(scmi_clock_rate_set(a, 0, 1000 * MHZ,
					     SCMI_CLOCK_ROUND_UP), 0);
	assert_int_equal(rate_of(a, 0), 1200 * MHZ);
	assert_int_equal(scmi_clock_rate_set(a, 0, 500 * MHZ,
					     SCMI_CLOCK_ROUND_AUTO), 0);
	assert_int_equal(rate_of(a, 0), 400 * MHZ);
	assert_int_equal(scmi_clock_rate_set(a, 0, 1500 * MHZ,
					     SCMI_CLOCK_ROUND_AUTO), 0);
	assert_int_equal(rate_of(a, 0), 1600 * MHZ);
	assert_int_equal(scmi_clock_rate_set(a, 1, 600 * MHZ,
					     SCMI_CLOCK_ROUND_UP), 0);
	assert_int_equal(rate_of(a, 1), 800 * MHZ);
	/*
	 * the bounds are in; beyond them, whatever the rounding, a rate the
	 * clock cannot take: INVALID_PARAMETERS
	 */
	assert_int_equal(scmi_clock_rate_set(a, 0, 1600 * MHZ,
					     SCMI_CLOCK_ROUND_UP), 0);
	assert_int_equal(scmi_clock_rate_set(a, 0, 400 * MHZ, 0), 0);
	assert_int_equal(scmi_clock_rate_set(a, 0, 1601 * MHZ,
					     SCMI_CLOCK_ROUND_DOWN), -EINVAL);
	assert_int_equal(scmi_clock_rate_set(a, 0, 399 * MHZ,
					     SCMI_CLOCK_ROUND_UP), -EINVAL);
	assert_int_equal(scmi_clock_rate_set(a, 3, 26 * MHZ, 0), -EINVAL);
	assert_int_equal(scmi_clock_rate_set(a, 3, 25 * MHZ, 0), 0);
	assert_int_equal(rate_of(a, 0), 400 * MHZ);

	/* a range: on the grid, rounded down, up, auto; out of range */
	assert_int_equal(scmi_clock_rate_set(a, 2, 48 * MHZ, 0), 0);
	assert_int_equal(rate_of(a, 2), 48 * MHZ);
	assert_int_equal(scmi_clock_rate_set(a, 2, 48 * MHZ + 700000, 0), 0);
	assert_int_equal(rate_of(a, 2), 48 * MHZ);
	assert_int_equal(scmi_clock_rate_set(a, 2, 48 * MHZ + 300000,
					     SCMI_CLOCK_ROUND_UP), 0);
	assert_int_equal(rate_of(a, 2), 49 * MHZ);
	assert_int_equal(scmi_clock_rate_set(a, 2, 48 * MHZ + 700000,
					     SCMI_CLOCK_ROUND_AUTO), 0);
	assert_int_equal(rate_of(a, 2), 49 * MHZ);
	assert_int_equal(scmi_clock_rate_set(a, 2, 48 * MHZ + 300000,
					     SCMI_CLOCK_ROUND_AUTO), 0);
	assert_int_equal(rate_of(a, 2), 48 * MHZ);
	assert_int_equal(scmi_clock_rate_set(a, 2, 100 * MHZ, 0), 0);
	assert_int_equal(rate_of(a, 2), 100 * MHZ);
	assert_int_equal(scmi_clock_rate_set(a, 2, 100 * MHZ + 1,
					     SCMI_CLOCK_ROUND_DOWN), -EINVAL);
	assert_int_equal(scmi_clock_rate_set(a, 2, 999999, SCMI_CLOCK_ROUND_UP),
			 -EINVAL);
	assert_int_equal(scmi_clock_rate_set(a, 2, 0, 0), -EINVAL);
	assert_int_equal(rate_of(a, 2), 100 * MHZ);

	/* refused before anything is sent */
	before = fx_commands(a);
	assert_int_equal(scmi_clock_rate_set(a, 4, MHZ, 0), -EINVAL);
	assert_int_equal(scmi_clock_rate_set(a, 0, 800 * MHZ, 1u << 0), -EINVAL);
	assert_int_equal(scmi_clock_rate_set(a, 0, 800 * MHZ, 1u << 4), -EINVAL);
	assert_int_equal(scmi_clock_rate_set(NULL, 0, 800 * MHZ, 0), -EINVAL);
	assert_int_equal(scmi_clock_rate_get(a, 4, &rate), -EINVAL);
	assert_int_equal(scmi_clock_rate_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_clock_rate_get(NULL, 0, &rate), -EINVAL);
	assert_int_equal(scmi_clock_enable(a, 4), -EINVAL);
	assert_int_equal(scmi_clock_disable(a, 4), -EINVAL);
	assert_int_equal(scmi_clock_enable(NULL, 0), -EINVAL);
	assert_int_equal(fx_commands(a), before);

	/* the platform's answers to what the driver never sends */
	assert_int_equal(raw_rate_set(a, 1u << 4, 0, 800 * MHZ), -EINVAL);
	assert_int_equal(raw_rate_set(a, 0, 4, 800 * MHZ), -ENOENT);
	assert_int_equal(raw(a, CLOCK_RATE_SET, "12345678", 8, NULL, 0, NULL),
			 -EPROTO);
	{
		uint8_t tx[4], rx[8];
		size_t n = 0;

		scmi_put_le32(tx, 4);
		assert_int_equal(raw(a, CLOCK_RATE_GET, tx, 4, rx, sizeof(rx),
				     &n), -ENOENT);
		scmi_put_le32(tx, 0);
		assert_int_equal(raw(a, CLOCK_RATE_GET, tx, 4, rx, sizeof(rx),
				     &n), 0);
		assert_int_equal(n, 8);
		assert_int_equal(scmi_get_le64(rx), 400 * MHZ);
	}
}

static void test_config(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct scmi_clock_info ci;
	uint8_t tx[8], rx[24];
	size_t n = 0;

	assert_int_equal(scmi_clock_enable(a, 2), 0);
	assert_int_equal(scmi_clock_info_get(a, 2, &ci), 0);
	assert_true(ci.enabled);
	/* the platform's state: a new agent sees it enabled */
	scmi_put_le32(tx, 2);
	assert_int_equal(raw(b, CLOCK_ATTRIBUTES, tx, 4, rx, sizeof(rx), &n), 0);
	assert_int_equal(scmi_get_le32(rx) & 1, 1);

	assert_int_equal(scmi_clock_disable(a, 2), 0);
	assert_int_equal(scmi_clock_info_get(a, 2, &ci), 0);
	assert_false(ci.enabled);
	assert_int_equal(raw(b, CLOCK_ATTRIBUTES, tx, 4, rx, sizeof(rx), &n), 0);
	assert_int_equal(scmi_get_le32(rx) & 1, 0);

	assert_int_equal(scmi_clock_disable(a, 0), 0);
	assert_int_equal(scmi_clock_info_get(a, 0, &ci), 0);
	assert_false(ci.enabled);
	assert_int_equal(scmi_clock_enable(a, 0), 0);
	assert_int_equal(scmi_clock_info_get(a, 0, &ci), 0);
	assert_true(ci.enabled);

	/* reserved attribute bits, unknown clock, short payload */
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 3);
	assert_int_equal(raw(a, CLOCK_CONFIG_SET, tx, 8, NULL, 0, NULL),
			 -EINVAL);
	scmi_put_le32(tx, 4);
	scmi_put_le32(tx + 4, 1);
	assert_int_equal(raw(a, CLOCK_CONFIG_SET, tx, 8, NULL, 0, NULL),
			 -ENOENT);
	assert_int_equal(raw(a, CLOCK_CONFIG_SET, tx, 4, NULL, 0, NULL),
			 -EPROTO);
}

/* ---- events ---------------------------------------------------------- */

static void test_rate_events(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	const uint32_t clk0 = 0;
	struct fx_recorder l;
	uint64_t t0, t1, got;
	unsigned int c;

	fx_rec_init(&l, SCMI_PROTOCOL_CLOCK);
	/* CLOCK_RATE_CHANGE_REQUESTED of clock 0 */
	assert_int_equal(fx_rec_register(&l, a, EVT_REQUESTED, &clk0), 0);

	/* another agent's request: the rate asked for, then the new rate */
	t0 = sim_now_ns();
	assert_int_equal(scmi_clock_rate_set(b, 0, 1000 * MHZ,
					     SCMI_CLOCK_ROUND_UP), 0);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_seen(&l, 0, EVT_REQUESTED, scmi_agent_id(b), 0, 1000 * MHZ, t0,
		   t1);

	/* the same listener cannot be on two tuples: use another for CHANGED */
	{
		struct fx_recorder lc;

		fx_rec_init(&lc, SCMI_PROTOCOL_CLOCK);
		assert_int_equal(fx_rec_register(&l, a, EVT_CHANGED, &clk0),
				 -EBUSY);
		assert_int_equal(fx_rec_register(&lc, a, EVT_CHANGED, &clk0),
				 0);

		t0 = sim_now_ns();
		assert_int_equal(scmi_clock_rate_set(b, 0, 400 * MHZ, 0), 0);
		assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
		assert_int_equal(fx_rec_wait(&lc, 1, WAIT_MS), 1);
		t1 = sim_now_ns();
		check_seen(&l, 1, EVT_REQUESTED, scmi_agent_id(b), 0,
			   400 * MHZ, t0, t1);
		check_seen(&lc, 0, EVT_CHANGED, scmi_agent_id(b), 0, 400 * MHZ,
			   t0, t1);

		/* the agent's own request reaches it too, rounded for CHANGED */
		t0 = sim_now_ns();
		assert_int_equal(scmi_clock_rate_set(a, 0, 1300 * MHZ,
						     SCMI_CLOCK_ROUND_AUTO), 0);
		assert_int_equal(fx_rec_wait(&l, 3, WAIT_MS), 3);
		assert_int_equal(fx_rec_wait(&lc, 2, WAIT_MS), 2);
		t1 = sim_now_ns();
		check_seen(&l, 2, EVT_REQUESTED, scmi_agent_id(a), 0,
			   1300 * MHZ, t0, t1);
		check_seen(&lc, 1, EVT_CHANGED, scmi_agent_id(a), 0,
			   1200 * MHZ, t0, t1);
		assert_int_equal(rate_of(a, 0), 1200 * MHZ);

		/* the same rate again: requested, but nothing changed */
		assert_int_equal(scmi_clock_rate_set(b, 0, 1200 * MHZ, 0), 0);
		assert_int_equal(fx_rec_wait(&l, 4, WAIT_MS), 4);
		assert_int_equal(fx_rec_count_after(&lc, QUIET_MS), 2);

		/* the platform's own change, through the control socket */
		t0 = sim_now_ns();
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "clock rate 0 %llu",
					 1600 * MHZ), 0);
		assert_int_equal(fx_rec_wait(&l, 5, WAIT_MS), 5);
		assert_int_equal(fx_rec_wait(&lc, 3, WAIT_MS), 3);
		t1 = sim_now_ns();
		check_seen(&l, 4, EVT_REQUESTED, 0, 0, 1600 * MHZ, t0, t1);
		check_seen(&lc, 2, EVT_CHANGED, 0, 0, 1600 * MHZ, t0, t1);
		assert_int_equal(rate_of(b, 0), 1600 * MHZ);

		/* other clocks are other sources: not delivered here */
		assert_int_equal(scmi_clock_rate_set(b, 1, 800 * MHZ, 0), 0);
		assert_int_equal(scmi_clock_rate_set(b, 2, 10 * MHZ, 0), 0);
		/* a failed request changes nothing and tells nobody */
		assert_int_equal(scmi_clock_rate_set(b, 0, 2000 * MHZ, 0),
				 -EINVAL);
		assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 5);
		assert_int_equal(fx_rec_count(&lc), 3);
		assert_int_equal(fx_notifications(a), 8);
		assert_int_equal(fx_notifications(b), 0);

		/* unsubscribed: CLOCK_RATE_NOTIFY(0); nothing more arrives */
		assert_int_equal(fx_rec_unregister(&lc, a, EVT_CHANGED, &clk0),
				 0);
		assert_int_equal(fx_rec_unregister(&lc, a, EVT_CHANGED, &clk0),
				 -ENOENT);
		sim_sleep_ms(SETTLE_MS);
		assert_int_equal(scmi_clock_rate_set(b, 0, 800 * MHZ, 0), 0);
		assert_int_equal(fx_rec_wait(&l, 6, WAIT_MS), 6);
		check_seen(&l, 5, EVT_REQUESTED, scmi_agent_id(b), 0, 800 * MHZ,
			   0, sim_now_ns());
		assert_int_equal(fx_rec_count_after(&lc, QUIET_MS), 3);
		/* exactly the one REQUESTED: the platform sent no CHANGED */
		assert_int_equal(fx_notifications(a), 9);
		fx_rec_fini(&lc);
	}

	assert_int_equal(fx_rec_unregister(&l, a, EVT_REQUESTED, &clk0), 0);
	c = fx_rec_count_after(&l, SETTLE_MS);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "clock rate 0 %llu",
				 400 * MHZ), 0);
	assert_int_equal(scmi_clock_rate_set(b, 0, 1200 * MHZ, 0), 0);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), c);
	assert_int_equal(fx_notifications(a), 9);
	assert_int_equal(scmi_clock_rate_get(a, 0, &got), 0);
	assert_int_equal(got, 1200 * MHZ);
	fx_rec_fini(&l);
}

/* Every source at once (src_id NULL): each clock that can, and only those. */
static void test_all_sources(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct fx_recorder l;
	uint64_t t0, t1;

	fx_rec_init(&l, SCMI_PROTOCOL_CLOCK);
	assert_int_equal(fx_rec_register(&l, a, EVT_CHANGED, NULL), 0);

	t0 = sim_now_ns();
	assert_int_equal(scmi_clock_rate_set(b, 2, 33 * MHZ, 0), 0);
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	assert_int_equal(scmi_clock_rate_set(b, 1, 533 * MHZ, 0), 0);
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "clock rate 0 %llu",
				 400 * MHZ), 0);
	assert_int_equal(fx_rec_wait(&l, 3, WAIT_MS), 3);
	t1 = sim_now_ns();
	check_seen(&l, 0, EVT_CHANGED, scmi_agent_id(b), 2, 33 * MHZ, t0, t1);
	check_seen(&l, 1, EVT_CHANGED, scmi_agent_id(b), 1, 533 * MHZ, t0, t1);
	check_seen(&l, 2, EVT_CHANGED, 0, 0, 400 * MHZ, t0, t1);

	/* clock 3 cannot notify: the platform was never asked, sends nothing */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "clock rate 3 %llu",
				 25 * MHZ), 0);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 3);
	assert_int_equal(fx_notifications(a), 3);

	assert_int_equal(fx_rec_unregister(&l, a, EVT_CHANGED, NULL), 0);
	sim_sleep_ms(SETTLE_MS);
	assert_int_equal(scmi_clock_rate_set(b, 2, 34 * MHZ, 0), 0);
	assert_int_equal(scmi_clock_rate_set(b, 1, 800 * MHZ, 0), 0);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 3);
	assert_int_equal(fx_notifications(a), 3);
	fx_rec_fini(&l);
}

/* Two agents, one subscribed: only that one hears of the change. */
static void test_two_agents(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	const uint32_t clk2 = 2;
	struct fx_recorder la, lb;
	uint64_t t0, t1;

	fx_rec_init(&la, SCMI_PROTOCOL_CLOCK);
	fx_rec_init(&lb, SCMI_PROTOCOL_CLOCK);
	assert_int_equal(fx_rec_register(&la, a, EVT_CHANGED, &clk2), 0);

	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "clock rate 2 %llu",
				 50 * MHZ), 0);
	assert_int_equal(fx_rec_wait(&la, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_seen(&la, 0, EVT_CHANGED, 0, 2, 50 * MHZ, t0, t1);
	assert_int_equal(fx_rec_count_after(&lb, QUIET_MS), 0);
	assert_int_equal(fx_notifications(b), 0);

	/* now b too: both hear it */
	assert_int_equal(fx_rec_register(&lb, b, EVT_CHANGED, &clk2), 0);
	t0 = sim_now_ns();
	assert_int_equal(scmi_clock_rate_set(a, 2, 51 * MHZ, 0), 0);
	assert_int_equal(fx_rec_wait(&la, 2, WAIT_MS), 2);
	assert_int_equal(fx_rec_wait(&lb, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_seen(&la, 1, EVT_CHANGED, scmi_agent_id(a), 2, 51 * MHZ, t0, t1);
	check_seen(&lb, 0, EVT_CHANGED, scmi_agent_id(a), 2, 51 * MHZ, t0, t1);

	/* a leaves; b still hears */
	assert_int_equal(fx_rec_unregister(&la, a, EVT_CHANGED, &clk2), 0);
	sim_sleep_ms(SETTLE_MS);
	assert_int_equal(scmi_clock_rate_set(a, 2, 52 * MHZ, 0), 0);
	assert_int_equal(fx_rec_wait(&lb, 2, WAIT_MS), 2);
	check_seen(&lb, 1, EVT_CHANGED, scmi_agent_id(a), 2, 52 * MHZ, 0,
		   sim_now_ns());
	assert_int_equal(fx_rec_count_after(&la, QUIET_MS), 2);

	assert_int_equal(fx_rec_unregister(&lb, b, EVT_CHANGED, &clk2), 0);
	fx_rec_fini(&la);
	fx_rec_fini(&lb);
}

/* Registered before connect: pending, bound and enabled at connect. */
static void test_pending(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	const uint32_t clk1 = 1;
	struct fx_recorder l;
	uint64_t t0, t1;
	unsigned int seen;

	fx_rec_init(&l, SCMI_PROTOCOL_CLOCK);
	assert_int_equal(fx_rec_register(&l, a, EVT_CHANGED, &clk1), 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	/*
	 * The worker binds the pending handler and enables the event on its
	 * own time: change the rate until a change comes back.
	 */
	for (int i = 0; i < 200 && !fx_rec_count(&l); i++) {
		assert_int_equal(scmi_clock_rate_set(b, 1, i % 2 ? 533 * MHZ :
							       800 * MHZ, 0), 0);
		fx_rec_wait(&l, 1, 20);
	}
	seen = fx_rec_wait(&l, 1, WAIT_MS);
	assert_true(seen >= 1);
	seen = fx_rec_count_after(&l, QUIET_MS);

	t0 = sim_now_ns();
	assert_int_equal(scmi_clock_rate_set(b, 1, 1066 * MHZ, 0), 0);
	assert_int_equal(fx_rec_wait(&l, seen + 1, WAIT_MS), seen + 1);
	t1 = sim_now_ns();
	check_seen(&l, seen, EVT_CHANGED, scmi_agent_id(b), 1, 1066 * MHZ, t0,
		   t1);

	/* after a reconnect, bound again */
	scmi_agent_disconnect(a);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	seen = fx_rec_count(&l);
	for (int i = 0; i < 200 && fx_rec_count(&l) == seen; i++) {
		assert_int_equal(scmi_clock_rate_set(b, 1, i % 2 ? 1066 * MHZ :
							       800 * MHZ, 0), 0);
		fx_rec_wait(&l, seen + 1, 20);
	}
	assert_true(fx_rec_wait(&l, seen + 1, WAIT_MS) >= seen + 1);

	assert_int_equal(fx_rec_unregister(&l, a, EVT_CHANGED, &clk1), 0);
	fx_rec_fini(&l);
}

/* Clocks whose attributes say they cannot notify. */
static void test_not_supported(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	const uint32_t clk1 = 1, clk3 = 3, clk4 = 4;
	struct fx_recorder l;
	uint64_t before;

	fx_rec_init(&l, SCMI_PROTOCOL_CLOCK);
	before = fx_commands(a);
	assert_int_equal(fx_rec_register(&l, a, EVT_CHANGED, &clk3),
			 -EOPNOTSUPP);
	assert_int_equal(fx_rec_register(&l, a, EVT_REQUESTED, &clk3),
			 -EOPNOTSUPP);
	assert_int_equal(fx_rec_register(&l, a, EVT_REQUESTED, &clk1),
			 -EOPNOTSUPP);
	assert_int_equal(fx_rec_register(&l, a, EVT_CHANGED, &clk4), -EINVAL);
	assert_int_equal(fx_rec_register(&l, a, 2, &clk1), -EINVAL);
	assert_int_equal(fx_commands(a), before);

	/* the platform says so too */
	assert_int_equal(raw_notify(a, CLOCK_RATE_NOTIFY, 3, 1), -EOPNOTSUPP);
	assert_int_equal(raw_notify(a, CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, 1, 1),
			 -EOPNOTSUPP);
	assert_int_equal(raw_notify(a, CLOCK_RATE_NOTIFY, 4, 1), -ENOENT);
	assert_int_equal(raw_notify(a, CLOCK_RATE_NOTIFY, 0, 2), -EINVAL);
	assert_int_equal(raw(a, CLOCK_RATE_NOTIFY, "1234", 4, NULL, 0, NULL),
			 -EPROTO);

	/* what clock 1 can do works */
	assert_int_equal(fx_rec_register(&l, a, EVT_CHANGED, &clk1), 0);
	assert_int_equal(fx_commands(a), before + 6);
	assert_int_equal(fx_rec_unregister(&l, a, EVT_CHANGED, &clk1), 0);
	fx_rec_fini(&l);
}

static void test_control(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	char reply[256];

	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "clock rate 2 %llu", 99 * MHZ), 0);
	assert_int_equal(rate_of(a, 2), 99 * MHZ);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "clock rate 4 %llu", 99 * MHZ), -ENOENT);
	/* not one of the clock's rates */
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "clock rate 0 %llu", 1000 * MHZ), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "clock rate 2 %llu", 99 * MHZ + 1), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "clock rate 2 %llu", 101 * MHZ), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "clock rate x 1"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "clock rate 0 -5"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "clock rate 0"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "clock warp 0 1"), -EOPNOTSUPP);
	assert_int_equal(rate_of(a, 0), 800 * MHZ);
	assert_int_equal(rate_of(a, 2), 99 * MHZ);
}

/*
 * Every message id, as the reference platform answers: those Clock 2.0
 * defines are all implemented; from 0xB on, NOT_FOUND.
 */
static void test_message_ids(void **state)
{
	static const struct fx_msg_ids ids = { SCMI_PROTOCOL_CLOCK, 0xA, NULL, 0 };
	struct scmi_agent *a = fx_agent_connected(*state, 0);

	assert_int_equal(fx_msg_ids_mismatches(a, &ids), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_discovery),
		FX_TEST(test_message_ids),
		FX_TEST(test_rates),
		FX_TEST(test_config),
		FX_TEST(test_rate_events),
		FX_TEST(test_all_sources),
		FX_TEST(test_two_agents),
		FX_TEST(test_pending),
		FX_TEST(test_not_supported),
		FX_TEST(test_control),
	};

	return fx_run_tests(tests);
}
