/* SPDX-License-Identifier: MIT */
/*
 * The Performance domain protocol (0x13) end to end: the agent's driver
 * against the real simulator. Discovery against the default topology
 * (also paged, with a small max_msg_size), the level and limits commands
 * and their errors, raw commands and the platform's status codes, and the
 * two events: every report field, unsubscribe, one of two agents
 * subscribed, a notifier registered before connect, unsupported sources,
 * and changes made by the platform itself (control requests).
 *
 * Each test starts its own simulator in its setup and kills it in its
 * teardown (which runs even when the test fails).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <scmi/perf.h>
#include <scmi/wire.h>

#include "fixture.h"

#define WAIT_MS 5000      /* bound of every wait for an expected event */
#define QUIET_MS 100      /* how long "nothing arrives" is watched */
#define SETTLE_MS 50      /* a late disable after unregister */

enum perf_cmd {
	PERF_DOMAIN_ATTRIBUTES = 0x3,
	PERF_DESCRIBE_LEVELS = 0x4,
	PERF_LIMITS_SET = 0x5,
	PERF_LIMITS_GET = 0x6,
	PERF_LEVEL_SET = 0x7,
	PERF_LEVEL_GET = 0x8,
	PERF_NOTIFY_LIMITS = 0x9,
	PERF_NOTIFY_LEVEL = 0xA,
	PERF_DESCRIBE_FASTCHANNEL = 0xB,
	PERF_DOMAIN_NAME_GET = 0xC,
};

/* ---- the default topology's perf domains ------------------------------ */

struct want_dom {
	const char *name;
	bool set_limits, set_level, notify_limits, notify_level;
	uint32_t rate_limit_us, sustained_freq_khz, sustained_perf;
	uint32_t num_levels;
	struct scmi_perf_level levels[5];
	uint32_t level, max, min;
};

static const struct want_dom want[] = {
	{ "cpu-little", true, true, true, true, 1000, 1800000, 1800, 4,
	  { { 600, 100, 50 }, { 1000, 200, 50 }, { 1400, 350, 60 },
	    { 1800, 500, 80 } }, 1000, 1800, 600 },
	{ "cpu-big", true, true, true, true, 1000, 2400000, 2400, 5,
	  { { 800, 300, 60 }, { 1200, 500, 60 }, { 1600, 800, 70 },
	    { 2000, 1200, 80 }, { 2400, 1700, 100 } }, 1600, 2400, 800 },
	{ "memory-controller", false, false, false, false, 0, 800000, 800, 4,
	  { { 200, 50, 20 }, { 400, 80, 20 }, { 600, 120, 20 },
	    { 800, 160, 20 } }, 800, 800, 200 },
};
#define NUM_DOMS 3u

/* ---- fixture ---------------------------------------------------------- */

static int setup_small_msgs(void **state)
{
	static const char *const args[] = { "--max-msg-size", "40", NULL };

	return fx_start(state, args);
}

/* A raw command: the mapped status, and the return bytes in rx. */
#define raw(a, ...) fx_raw(a, SCMI_PROTOCOL_PERF, __VA_ARGS__)

/* ---- events ----------------------------------------------------------- */

static void check_level(struct fx_recorder *rec, unsigned int i,
			uint32_t agent_id, uint32_t dom, uint32_t level,
			uint64_t t0, uint64_t t1)
{
	struct fx_event e = fx_rec_get(rec, i);

	assert_int_equal(e.evt_id, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED);
	assert_int_equal(e.r.perf_level.agent_id, agent_id);
	assert_int_equal(e.r.perf_level.domain_id, dom);
	assert_int_equal(e.r.perf_level.performance_level, level);
	fx_assert_time(e.r.perf_level.timestamp, t0, t1);
}

static void check_limits(struct fx_recorder *rec, unsigned int i,
			 uint32_t agent_id, uint32_t dom, uint32_t max,
			 uint32_t min, uint64_t t0, uint64_t t1)
{
	struct fx_event e = fx_rec_get(rec, i);

	assert_int_equal(e.evt_id, SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED);
	assert_int_equal(e.r.perf_limits.agent_id, agent_id);
	assert_int_equal(e.r.perf_limits.domain_id, dom);
	assert_int_equal(e.r.perf_limits.range_max, max);
	assert_int_equal(e.r.perf_limits.range_min, min);
	fx_assert_time(e.r.perf_limits.timestamp, t0, t1);
}

/* @rec on (@evt, domain @src) of @a's notify instance, and off. */
static int reg(struct scmi_agent *a, uint8_t evt, uint32_t src,
	       struct fx_recorder *rec)
{
	return fx_rec_register(rec, a, evt, &src);
}

static int unreg(struct scmi_agent *a, uint8_t evt, uint32_t src,
		 struct fx_recorder *rec)
{
	return fx_rec_unregister(rec, a, evt, &src);
}

/* ---- discovery -------------------------------------------------------- */

static void check_domains(struct scmi_agent *a, bool ext_names)
{
	struct scmi_perf_domain_info d;
	struct scmi_perf_protocol_info info;

	memset(&info, 0xAA, sizeof(info));
	assert_int_equal(scmi_perf_protocol_info_get(a, &info), 0);
	assert_int_equal(info.version, 0x30000);
	assert_int_equal(info.num_domains, NUM_DOMS);
	assert_int_equal(info.power_scale, SCMI_PERF_POWER_MILLIWATTS);
	assert_true(info.stats_addr == 0);
	assert_int_equal(info.stats_size, 0);
	assert_int_equal(scmi_perf_domain_count(a), NUM_DOMS);

	for (uint32_t i = 0; i < NUM_DOMS; i++) {
		const struct want_dom *w = &want[i];
		char short_name[16];

		memset(&d, 0xAA, sizeof(d));
		assert_int_equal(scmi_perf_domain_info_get(a, i, &d), 0);
		assert_int_equal(d.id, i);
		snprintf(short_name, sizeof(short_name), "%s", w->name);
		assert_string_equal(d.name, ext_names ? w->name : short_name);
		assert_int_equal(d.extended_name, ext_names);
		assert_int_equal(d.set_limits, w->set_limits);
		assert_int_equal(d.set_level, w->set_level);
		assert_int_equal(d.notify_limits, w->notify_limits);
		assert_int_equal(d.notify_level, w->notify_level);
		assert_int_equal(d.rate_limit_us, w->rate_limit_us);
		assert_int_equal(d.sustained_freq_khz, w->sustained_freq_khz);
		assert_int_equal(d.sustained_perf_level, w->sustained_perf);
		assert_true(d.mult_factor ==
			    (uint64_t)w->sustained_freq_khz * 1000 /
				    w->sustained_perf);
		assert_int_equal(d.num_levels, w->num_levels);
		for (uint32_t l = 0; l < w->num_levels; l++) {
			assert_int_equal(d.levels[l].perf, w->levels[l].perf);
			assert_int_equal(d.levels[l].power, w->levels[l].power);
			assert_int_equal(d.levels[l].trans_latency_us,
					 w->levels[l].trans_latency_us);
		}
	}
	assert_int_equal(scmi_perf_domain_info_get(a, NUM_DOMS, &d), -EINVAL);
	assert_int_equal(scmi_perf_domain_info_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_perf_protocol_info_get(a, NULL), -EINVAL);
}

static void test_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint8_t rx[128];
	size_t n = 0;

	check_domains(a, true);

	/* the current state, as the topology says */
	for (uint32_t i = 0; i < NUM_DOMS; i++) {
		uint32_t level = 0, max = 0, min = 0;

		assert_int_equal(scmi_perf_level_get(a, i, &level), 0);
		assert_int_equal(level, want[i].level);
		assert_int_equal(scmi_perf_limits_get(a, i, &max, &min), 0);
		assert_int_equal(max, want[i].max);
		assert_int_equal(min, want[i].min);
	}

	/* the raw replies: full size, bits as the reference says */
	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, NULL, 0, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0x30000);
	assert_int_equal(raw(a, SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx,
			     sizeof(rx), &n), 0);
	assert_int_equal(n, 16);
	assert_int_equal(scmi_get_le32(rx), NUM_DOMS | (1u << 16));
	{
		uint32_t w = 2;

		assert_int_equal(raw(a, PERF_DOMAIN_ATTRIBUTES, &w, 1, rx,
				     sizeof(rx), &n), 0);
		assert_int_equal(n, 32);
		/* no rights, no events, no fast channels, extended name */
		assert_int_equal(scmi_get_le32(rx), 1u << 26);
		assert_int_equal(scmi_get_le32(rx + 4), 0);
		assert_int_equal(scmi_get_le32(rx + 8), 800000);
		assert_int_equal(scmi_get_le32(rx + 12), 800);
		assert_memory_equal(rx + 16, "memory-controll", 16);
		w = 0;
		assert_int_equal(raw(a, PERF_DOMAIN_ATTRIBUTES, &w, 1, rx,
				     sizeof(rx), &n), 0);
		assert_int_equal(scmi_get_le32(rx), 0xF4000000u);
		w = 2;
		assert_int_equal(raw(a, PERF_DOMAIN_NAME_GET, &w, 1, rx,
				     sizeof(rx), &n), 0);
		assert_int_equal(n, 68);
		assert_int_equal(scmi_get_le32(rx), 0);
		assert_string_equal((const char *)rx + 4, "memory-controller");
	}
	{
		/* levels from index 3 of domain 1: two, none remaining */
		uint32_t w[2] = { 1, 3 };

		assert_int_equal(raw(a, PERF_DESCRIBE_LEVELS, w, 2, rx,
				     sizeof(rx), &n), 0);
		assert_int_equal(n, 4 + 2 * 12);
		assert_int_equal(scmi_get_le32(rx), 2);
		assert_int_equal(scmi_get_le32(rx + 4), 2000);
		assert_int_equal(scmi_get_le32(rx + 8), 1200);
		assert_int_equal(scmi_get_le32(rx + 12), 80);
		assert_int_equal(scmi_get_le32(rx + 16), 2400);
		/*
		 * at or beyond the number of levels: INVALID_PARAMETERS
		 * (clock and voltage: OUT_OF_RANGE)
		 */
		w[1] = 5;
		assert_int_equal(raw(a, PERF_DESCRIBE_LEVELS, w, 2, rx,
				     sizeof(rx), &n), -EINVAL);
		w[1] = 6;
		assert_int_equal(raw(a, PERF_DESCRIBE_LEVELS, w, 2, rx,
				     sizeof(rx), &n), -EINVAL);
		w[1] = UINT32_MAX;
		assert_int_equal(raw(a, PERF_DESCRIBE_LEVELS, w, 2, rx,
				     sizeof(rx), &n), -EINVAL);
	}
}

/* max_msg_size 40: three levels a page, and no room for extended names. */
static void test_discovery_paged(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t w[2] = { 1, 0 };
	uint8_t rx[40];
	size_t n = 0;

	assert_int_equal(raw(a, PERF_DESCRIBE_LEVELS, w, 2, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 4 + 3 * 12);
	assert_int_equal(scmi_get_le32(rx), 3 | 2u << 16);
	w[1] = 3;
	assert_int_equal(raw(a, PERF_DESCRIBE_LEVELS, w, 2, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(scmi_get_le32(rx), 2);
	w[0] = 2;
	assert_int_equal(raw(a, PERF_DOMAIN_NAME_GET, w, 1, rx, sizeof(rx),
			     &n), -EOPNOTSUPP);

	check_domains(a, false);
}

/* ---- commands --------------------------------------------------------- */

static void test_level(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t level = 0;
	uint64_t sent;

	assert_int_equal(scmi_perf_level_set(a, 0, 1400), 0);
	assert_int_equal(scmi_perf_level_get(a, 0, &level), 0);
	assert_int_equal(level, 1400);
	/* the same level again: fine */
	assert_int_equal(scmi_perf_level_set(a, 0, 1400), 0);
	assert_int_equal(scmi_perf_level_set(a, 1, 2400), 0);
	assert_int_equal(scmi_perf_level_get(a, 1, &level), 0);
	assert_int_equal(level, 2400);

	/* not a level of the domain */
	assert_int_equal(scmi_perf_level_set(a, 0, 1200), -ERANGE);
	assert_int_equal(scmi_perf_level_set(a, 0, 0), -ERANGE);
	assert_int_equal(scmi_perf_level_set(a, 0, 5000), -ERANGE);
	/* a level, but outside the limits */
	assert_int_equal(scmi_perf_limits_set(a, 0, 1400, 1000), 0);
	assert_int_equal(scmi_perf_level_set(a, 0, 1800), -ERANGE);
	assert_int_equal(scmi_perf_level_set(a, 0, 600), -ERANGE);
	assert_int_equal(scmi_perf_level_get(a, 0, &level), 0);
	assert_int_equal(level, 1400);
	/* agents may not set domain 2's level */
	assert_int_equal(scmi_perf_level_set(a, 2, 400), -EACCES);
	assert_int_equal(scmi_perf_level_get(a, 2, &level), 0);
	assert_int_equal(level, 800);

	/* unknown domain, NULL output: refused before anything is sent */
	sent = fx_commands(a);
	assert_int_equal(scmi_perf_level_set(a, NUM_DOMS, 600), -EINVAL);
	assert_int_equal(scmi_perf_level_get(a, NUM_DOMS, &level), -EINVAL);
	assert_int_equal(scmi_perf_level_get(a, 0xFFFFFFFFu, &level), -EINVAL);
	assert_int_equal(scmi_perf_level_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_perf_level_get(NULL, 0, &level), -EINVAL);
	assert_int_equal(scmi_perf_level_set(NULL, 0, 600), -EINVAL);
	assert_true(fx_commands(a) == sent);
}

static void test_limits(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t max = 0, min = 0, level = 0;
	uint64_t sent;

	/* limits around the level: the level stays */
	assert_int_equal(scmi_perf_limits_set(a, 1, 2000, 1200), 0);
	assert_int_equal(scmi_perf_limits_get(a, 1, &max, &min), 0);
	assert_int_equal(max, 2000);
	assert_int_equal(min, 1200);
	assert_int_equal(scmi_perf_level_get(a, 1, &level), 0);
	assert_int_equal(level, 1600);
	/* limits below the level: it moves to the highest level <= max */
	assert_int_equal(scmi_perf_limits_set(a, 1, 1500, 800), 0);
	assert_int_equal(scmi_perf_level_get(a, 1, &level), 0);
	assert_int_equal(level, 1200);
	/* limits above the level: it moves to the lowest level >= min */
	assert_int_equal(scmi_perf_limits_set(a, 1, 2400, 1700), 0);
	assert_int_equal(scmi_perf_level_get(a, 1, &level), 0);
	assert_int_equal(level, 2000);
	/* limits need not be levels themselves */
	assert_int_equal(scmi_perf_limits_set(a, 0, 1500, 900), 0);
	assert_int_equal(scmi_perf_limits_get(a, 0, &max, &min), 0);
	assert_int_equal(max, 1500);
	assert_int_equal(min, 900);
	assert_int_equal(scmi_perf_level_get(a, 0, &level), 0);
	assert_int_equal(level, 1000);

	/* out of range: outside the table, max < min, no level between */
	assert_int_equal(scmi_perf_limits_set(a, 0, 1900, 600), -ERANGE);
	assert_int_equal(scmi_perf_limits_set(a, 0, 1800, 500), -ERANGE);
	assert_int_equal(scmi_perf_limits_set(a, 0, 1000, 1400), -ERANGE);
	assert_int_equal(scmi_perf_limits_set(a, 0, 1300, 1100), -ERANGE);
	assert_int_equal(scmi_perf_limits_get(a, 0, &max, &min), 0);
	assert_int_equal(max, 1500);
	assert_int_equal(min, 900);
	/* agents may not set domain 2's limits */
	assert_int_equal(scmi_perf_limits_set(a, 2, 600, 200), -EACCES);
	assert_int_equal(scmi_perf_limits_get(a, 2, &max, &min), 0);
	assert_int_equal(max, 800);
	assert_int_equal(min, 200);

	/* refused locally: unknown domain, (0, 0), NULL outputs */
	sent = fx_commands(a);
	assert_int_equal(scmi_perf_limits_set(a, NUM_DOMS, 1800, 600), -EINVAL);
	assert_int_equal(scmi_perf_limits_set(a, 0, 0, 0), -EINVAL);
	assert_int_equal(scmi_perf_limits_get(a, NUM_DOMS, &max, &min), -EINVAL);
	assert_int_equal(scmi_perf_limits_get(a, 0, NULL, &min), -EINVAL);
	assert_int_equal(scmi_perf_limits_get(a, 0, &max, NULL), -EINVAL);
	assert_int_equal(scmi_perf_limits_set(NULL, 0, 1800, 600), -EINVAL);
	assert_true(fx_commands(a) == sent);
	/* (0, 0) sent raw: OUT_OF_RANGE */
	{
		uint32_t w[3] = { 0, 0, 0 };

		assert_int_equal(raw(a, PERF_LIMITS_SET, w, 3, NULL, 0, NULL),
				 -ERANGE);
	}
}

static void test_raw_errors(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint8_t rx[128];
	uint32_t w[3] = { 0, 0, 0 };
	size_t n = 0;

	/* PROTOCOL_MESSAGE_ATTRIBUTES: 0 for each command, NOT_FOUND else */
	for (uint32_t id = 0; id <= PERF_DOMAIN_NAME_GET; id++) {
		w[0] = id;
		assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, w, 1,
				     rx, sizeof(rx), &n), 0);
		assert_int_equal(n, 4);
		assert_int_equal(scmi_get_le32(rx), 0);
	}
	w[0] = PERF_DOMAIN_NAME_GET + 1;
	assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, w, 1, rx,
			     sizeof(rx), &n), -ENOENT);
	/* messages the protocol does not define: NOT_FOUND */
	assert_int_equal(raw(a, 0x0D, NULL, 0, NULL, 0, NULL), -ENOENT);
	assert_int_equal(raw(a, 0x55, NULL, 0, NULL, 0, NULL), -ENOENT);
	/* payloads of the wrong size: PROTOCOL_ERROR */
	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, w, 1, rx, sizeof(rx),
			     &n), -EPROTO);
	assert_int_equal(raw(a, PERF_LEVEL_GET, NULL, 0, rx, sizeof(rx), &n),
			 -EPROTO);
	assert_int_equal(raw(a, PERF_LEVEL_SET, w, 1, NULL, 0, NULL), -EPROTO);
	assert_int_equal(raw(a, PERF_LIMITS_SET, w, 2, NULL, 0, NULL), -EPROTO);
	assert_int_equal(raw(a, PERF_DESCRIBE_LEVELS, w, 3, NULL, 0, NULL),
			 -EPROTO);
	/* unknown domain: NOT_FOUND, for every command that names one */
	w[0] = NUM_DOMS;
	w[1] = 1;
	w[2] = 600;
	assert_int_equal(raw(a, PERF_DOMAIN_ATTRIBUTES, w, 1, rx, sizeof(rx),
			     &n), -ENOENT);
	assert_int_equal(raw(a, PERF_DESCRIBE_LEVELS, w, 2, rx, sizeof(rx),
			     &n), -ENOENT);
	assert_int_equal(raw(a, PERF_LIMITS_SET, w, 3, NULL, 0, NULL), -ENOENT);
	assert_int_equal(raw(a, PERF_LIMITS_GET, w, 1, rx, sizeof(rx), &n),
			 -ENOENT);
	assert_int_equal(raw(a, PERF_LEVEL_SET, w, 2, NULL, 0, NULL), -ENOENT);
	assert_int_equal(raw(a, PERF_LEVEL_GET, w, 1, rx, sizeof(rx), &n),
			 -ENOENT);
	assert_int_equal(raw(a, PERF_NOTIFY_LIMITS, w, 2, NULL, 0, NULL),
			 -ENOENT);
	assert_int_equal(raw(a, PERF_NOTIFY_LEVEL, w, 2, NULL, 0, NULL),
			 -ENOENT);
	assert_int_equal(raw(a, PERF_DESCRIBE_FASTCHANNEL, w, 2, rx,
			     sizeof(rx), &n), -ENOENT);
	assert_int_equal(raw(a, PERF_DOMAIN_NAME_GET, w, 1, rx, sizeof(rx),
			     &n), -ENOENT);
	/* no fast channels */
	w[0] = 0;
	w[1] = PERF_LEVEL_SET;
	assert_int_equal(raw(a, PERF_DESCRIBE_FASTCHANNEL, w, 2, rx,
			     sizeof(rx), &n), -EOPNOTSUPP);
	/* notify: a reserved bit; a domain that cannot notify */
	w[0] = 0;
	w[1] = 2;
	assert_int_equal(raw(a, PERF_NOTIFY_LEVEL, w, 2, NULL, 0, NULL),
			 -EINVAL);
	assert_int_equal(raw(a, PERF_NOTIFY_LIMITS, w, 2, NULL, 0, NULL),
			 -EINVAL);
	w[0] = 2;
	w[1] = 1;
	assert_int_equal(raw(a, PERF_NOTIFY_LEVEL, w, 2, NULL, 0, NULL),
			 -EOPNOTSUPP);
	assert_int_equal(raw(a, PERF_NOTIFY_LIMITS, w, 2, NULL, 0, NULL),
			 -EOPNOTSUPP);
	w[1] = 0;
	assert_int_equal(raw(a, PERF_NOTIFY_LEVEL, w, 2, NULL, 0, NULL),
			 -EOPNOTSUPP);
	/* an enable and a disable on a domain that can */
	w[0] = 1;
	w[1] = 1;
	assert_int_equal(raw(a, PERF_NOTIFY_LEVEL, w, 2, NULL, 0, NULL), 0);
	w[1] = 0;
	assert_int_equal(raw(a, PERF_NOTIFY_LEVEL, w, 2, NULL, 0, NULL), 0);
}

/* ---- events ----------------------------------------------------------- */

/*
 * Agent A subscribes to domain 0's level; agent B changes it: A's report
 * carries B's id. Then A unsubscribes: the platform sends it nothing more
 * (B, still subscribed, proves the change happened).
 */
static void test_level_event(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct fx_recorder ra, rb;
	uint64_t t0, t1, in_a;

	fx_rec_init(&ra, SCMI_PROTOCOL_PERF);
	fx_rec_init(&rb, SCMI_PROTOCOL_PERF);
	assert_int_equal(reg(a, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 0, &ra), 0);
	assert_int_equal(reg(b, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 0, &rb), 0);

	t0 = sim_now_ns();
	assert_int_equal(scmi_perf_level_set(b, 0, 1800), 0);
	assert_int_equal(fx_rec_wait(&ra, 1, WAIT_MS), 1);
	assert_int_equal(fx_rec_wait(&rb, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_level(&ra, 0, scmi_agent_id(b), 0, 1800, t0, t1);
	check_level(&rb, 0, scmi_agent_id(b), 0, 1800, t0, t1);

	/* the same level again is no change: no event */
	assert_int_equal(scmi_perf_level_set(a, 0, 1800), 0);
	/* A's own change */
	t0 = sim_now_ns();
	assert_int_equal(scmi_perf_level_set(a, 0, 600), 0);
	assert_int_equal(fx_rec_wait(&ra, 2, WAIT_MS), 2);
	t1 = sim_now_ns();
	check_level(&ra, 1, scmi_agent_id(a), 0, 600, t0, t1);
	/* another domain's change: not to a domain-0 notifier */
	assert_int_equal(scmi_perf_level_set(a, 1, 800), 0);

	/* unsubscribe A */
	assert_int_equal(unreg(a, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 0, &ra), 0);
	assert_int_equal(unreg(a, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 0, &ra),
			 -ENOENT);
	sim_sleep_ms(SETTLE_MS);
	in_a = fx_notifications(a);
	assert_int_equal(scmi_perf_level_set(b, 0, 1000), 0);
	assert_int_equal(fx_rec_wait(&rb, 3, WAIT_MS), 3);
	check_level(&rb, 2, scmi_agent_id(b), 0, 1000, t0, sim_now_ns());
	assert_int_equal(fx_rec_count_after(&ra, QUIET_MS), 2);
	assert_true(fx_notifications(a) == in_a);
	assert_int_equal(fx_rec_count(&rb), 3);

	assert_int_equal(unreg(b, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 0, &rb), 0);
	fx_rec_fini(&ra);
	fx_rec_fini(&rb);
}

/*
 * Limits that move the level: PERFORMANCE_LIMITS_CHANGED, then
 * PERFORMANCE_LEVEL_CHANGED, to a notifier of each; the platform's own
 * changes (control) carry agent id 0.
 */
static void test_limits_event(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct fx_recorder rl, rv;
	char reply[128];
	uint64_t t0, t1, in_a;

	fx_rec_init(&rl, SCMI_PROTOCOL_PERF);
	fx_rec_init(&rv, SCMI_PROTOCOL_PERF);
	assert_int_equal(reg(a, SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED, 1, &rl), 0);
	assert_int_equal(reg(a, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 1, &rv), 0);

	t0 = sim_now_ns();
	assert_int_equal(scmi_perf_limits_set(b, 1, 1200, 800), 0);
	assert_int_equal(fx_rec_wait(&rl, 1, WAIT_MS), 1);
	assert_int_equal(fx_rec_wait(&rv, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_limits(&rl, 0, scmi_agent_id(b), 1, 1200, 800, t0, t1);
	check_level(&rv, 0, scmi_agent_id(b), 1, 1200, t0, t1);
	/* the limits were reported before the level */
	assert_true(fx_rec_get(&rl, 0).r.perf_limits.timestamp <=
		    fx_rec_get(&rv, 0).r.perf_level.timestamp);

	/* limits that keep the level: only the limits event */
	t0 = sim_now_ns();
	assert_int_equal(scmi_perf_limits_set(b, 1, 2400, 1200), 0);
	assert_int_equal(fx_rec_wait(&rl, 2, WAIT_MS), 2);
	t1 = sim_now_ns();
	check_limits(&rl, 1, scmi_agent_id(b), 1, 2400, 1200, t0, t1);

	/* the platform's own changes */
	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf limits 1 2000 1600"), 0);
	assert_int_equal(fx_rec_wait(&rl, 3, WAIT_MS), 3);
	assert_int_equal(fx_rec_wait(&rv, 2, WAIT_MS), 2);
	t1 = sim_now_ns();
	check_limits(&rl, 2, 0, 1, 2000, 1600, t0, t1);
	check_level(&rv, 1, 0, 1, 1600, t0, t1);
	t0 = sim_now_ns();
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf level 1 2000"), 0);
	assert_string_equal(reply, "ok level 2000 max 2000 min 1600");
	assert_int_equal(fx_rec_wait(&rv, 3, WAIT_MS), 3);
	t1 = sim_now_ns();
	check_level(&rv, 2, 0, 1, 2000, t0, t1);

	/* unsubscribe the limits: no more limits events, levels still */
	assert_int_equal(unreg(a, SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED, 1, &rl), 0);
	sim_sleep_ms(SETTLE_MS);
	assert_int_equal(scmi_perf_limits_set(b, 1, 1600, 800), 0);
	assert_int_equal(fx_rec_wait(&rv, 4, WAIT_MS), 4);
	check_level(&rv, 3, scmi_agent_id(b), 1, 1600, t0, sim_now_ns());
	assert_int_equal(fx_rec_count_after(&rl, QUIET_MS), 3);
	/* and the level: nothing at all reaches A any more */
	assert_int_equal(unreg(a, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 1, &rv), 0);
	sim_sleep_ms(SETTLE_MS);
	in_a = fx_notifications(a);
	assert_int_equal(scmi_perf_limits_set(b, 1, 1200, 800), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "perf level 1 800"), 0);
	assert_int_equal(fx_rec_count_after(&rl, QUIET_MS), 3);
	assert_int_equal(fx_rec_count(&rv), 4);
	assert_true(fx_notifications(a) == in_a);
	fx_rec_fini(&rl);
	fx_rec_fini(&rv);
}

/* Two agents, only one subscribed: only that one receives anything. */
static void test_only_subscriber(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct fx_recorder ra, rb;
	uint64_t t0, t1, in_b = fx_notifications(b);

	fx_rec_init(&ra, SCMI_PROTOCOL_PERF);
	fx_rec_init(&rb, SCMI_PROTOCOL_PERF);
	/* B listens on another domain, so its notify core is live */
	assert_int_equal(reg(a, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 0, &ra), 0);
	assert_int_equal(reg(b, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 1, &rb), 0);

	t0 = sim_now_ns();
	assert_int_equal(scmi_perf_level_set(b, 0, 1400), 0);
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "perf level 0 600"), 0);
	assert_int_equal(fx_rec_wait(&ra, 2, WAIT_MS), 2);
	t1 = sim_now_ns();
	check_level(&ra, 0, scmi_agent_id(b), 0, 1400, t0, t1);
	check_level(&ra, 1, 0, 0, 600, t0, t1);
	assert_int_equal(fx_rec_count_after(&ra, QUIET_MS), 2);
	assert_int_equal(fx_rec_count(&rb), 0);
	assert_true(fx_notifications(b) == in_b);

	assert_int_equal(unreg(a, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 0, &ra), 0);
	assert_int_equal(unreg(b, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 1, &rb), 0);
	fx_rec_fini(&ra);
	fx_rec_fini(&rb);
}

/* Registered before connect: pending, bound and enabled at connect. */
static void test_register_before_connect(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct fx_recorder rec, all;
	struct fx_event first;
	uint64_t t0, t1;

	fx_rec_init(&rec, SCMI_PROTOCOL_PERF);
	fx_rec_init(&all, SCMI_PROTOCOL_PERF);
	assert_int_equal(reg(a, SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED, 0, &rec), 0);
	/* all sources: domains 0 and 1 can, 2 cannot */
	assert_int_equal(fx_rec_register(&all, a,
					 SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, NULL),
			 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);

	/*
	 * The core's worker binds the pending notifiers and sends the enables
	 * after connect: change until each source was heard from.
	 */
	t0 = sim_now_ns();
	for (unsigned int i = 0; i < WAIT_MS / 20; i++) {
		bool lim = false, lvl0 = false, lvl1 = false;

		for (unsigned int e = 0, n = fx_rec_count(&all);
		     e < n && e < FX_REC_MAX; e++) {
			uint32_t d = fx_rec_get(&all, e).r.perf_level.domain_id;

			lvl0 |= d == 0;
			lvl1 |= d == 1;
		}
		lim = fx_rec_count(&rec) > 0;
		if (lim && lvl0 && lvl1)
			break;
		/* limits 0: 1400/600 then 1800/600, level 1000 inside */
		if (!lim)
			assert_int_equal(scmi_perf_limits_set(b, 0,
							      1800 - 400 * (i % 2 == 0),
							      600), 0);
		if (!lvl0)
			assert_int_equal(scmi_perf_level_set(b, 0,
							     i % 2 ? 1000 : 600), 0);
		if (!lvl1)
			assert_int_equal(scmi_perf_level_set(b, 1,
							     i % 2 ? 1600 : 1200), 0);
		sim_sleep_ms(20);
	}
	t1 = sim_now_ns();
	assert_true(fx_rec_count(&rec) >= 1);
	/* the first change heard: to 1400 or back to 1800 */
	first = fx_rec_get(&rec, 0);
	assert_int_equal(first.evt_id, SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED);
	assert_int_equal(first.r.perf_limits.agent_id, scmi_agent_id(b));
	assert_int_equal(first.r.perf_limits.domain_id, 0);
	assert_true(first.r.perf_limits.range_max == 1400 ||
		    first.r.perf_limits.range_max == 1800);
	assert_int_equal(first.r.perf_limits.range_min, 600);
	fx_assert_time(first.r.perf_limits.timestamp, t0, t1);
	assert_true(fx_rec_count(&all) >= 2);

	/* from now on, every change of domain 0 or 1 is heard, 2 never */
	{
		unsigned int n0 = fx_rec_count(&all);

		t0 = sim_now_ns();
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "perf level 1 2400"), 0);
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "perf level 0 1400"), 0);
		/* domain 2 cannot notify: its change reaches nobody */
		assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "perf level 2 200"), 0);
		assert_true(fx_rec_wait(&all, n0 + 2, WAIT_MS) >= n0 + 2);
		t1 = sim_now_ns();
		assert_int_equal(fx_rec_count_after(&all, QUIET_MS), n0 + 2);
		check_level(&all, n0, 0, 1, 2400, t0, t1);
		check_level(&all, n0 + 1, 0, 0, 1400, t0, t1);
	}

	assert_int_equal(unreg(a, SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED, 0, &rec), 0);
	assert_int_equal(fx_rec_unregister(&all, a,
					   SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, NULL),
			 0);
	fx_rec_fini(&rec);
	fx_rec_fini(&all);
}

/* Sources that cannot notify, sources that do not exist. */
static void test_unsupported_sources(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_notify_stats ns;
	struct fx_recorder rec;
	uint64_t sent;

	fx_rec_init(&rec, SCMI_PROTOCOL_PERF);
	sent = fx_commands(a);
	assert_int_equal(reg(a, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 2, &rec),
			 -EOPNOTSUPP);
	assert_int_equal(reg(a, SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED, 2, &rec),
			 -EOPNOTSUPP);
	assert_true(fx_commands(a) == sent);
	/* beyond the domains; an event the protocol does not have */
	assert_int_equal(reg(a, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, NUM_DOMS, &rec),
			 -EINVAL);
	assert_int_equal(reg(a, 2, 0, &rec), -EINVAL);
	assert_true(fx_commands(a) == sent);
	/* nothing was left behind: the notifier registers elsewhere */
	assert_int_equal(reg(a, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 1, &rec), 0);
	assert_true(fx_commands(a) == sent + 1);
	assert_int_equal(unreg(a, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, 1, &rec), 0);
	assert_true(fx_commands(a) == sent + 2);

	/* the platform's changes to domain 2 reach nobody */
	assert_int_equal(sim_ctl(&fx->sim, NULL, 0, "perf level 2 400"), 0);
	sim_sleep_ms(QUIET_MS);
	assert_int_equal(scmi_notify_get_stats(scmi_agent_notify(a),
					       SCMI_PROTOCOL_PERF, &ns), 0);
	assert_true(ns.received == 0);
	fx_rec_fini(&rec);
}

/* ---- control and the agent's state ------------------------------------ */

static void test_control(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t level = 0, max = 0, min = 0;
	char reply[160];

	/* the platform may change a domain agents may not */
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf limits 2 600 400"), 0);
	assert_string_equal(reply, "ok level 600 max 600 min 400");
	assert_int_equal(scmi_perf_limits_get(a, 2, &max, &min), 0);
	assert_int_equal(max, 600);
	assert_int_equal(min, 400);
	assert_int_equal(scmi_perf_level_get(a, 2, &level), 0);
	assert_int_equal(level, 600);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf level 2 400"), 0);
	assert_int_equal(scmi_perf_level_get(a, 2, &level), 0);
	assert_int_equal(level, 400);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply), "perf get 2"),
			 0);
	assert_string_equal(reply, "ok level 400 max 600 min 400");

	/* the platform's rules hold for it too */
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf level 2 800"), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf level 2 300"), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf limits 2 100 400"), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf limits 2 900 200"), -ERANGE);
	/* bad requests */
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf level 3 400"), -ENOENT);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf level 2"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf level x 400"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf level 2 -400"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf limits 2 600"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "perf frobnicate 2"), -EOPNOTSUPP);
	assert_int_equal(scmi_perf_level_get(a, 2, &level), 0);
	assert_int_equal(level, 400);
}

static void test_not_connected(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	struct scmi_perf_domain_info d;
	struct scmi_perf_protocol_info info;
	uint32_t v, w;

	assert_int_equal(scmi_perf_domain_count(a), -ENOTCONN);
	assert_int_equal(scmi_perf_protocol_info_get(a, &info), -ENOTCONN);
	assert_int_equal(scmi_perf_domain_info_get(a, 0, &d), -ENOTCONN);
	assert_int_equal(scmi_perf_level_get(a, 0, &v), -ENOTCONN);
	assert_int_equal(scmi_perf_level_set(a, 0, 600), -ENOTCONN);
	assert_int_equal(scmi_perf_limits_get(a, 0, &v, &w), -ENOTCONN);
	assert_int_equal(scmi_perf_limits_set(a, 0, 1800, 600), -ENOTCONN);
	assert_int_equal(scmi_perf_domain_count(NULL), -EINVAL);
	assert_int_equal(scmi_perf_protocol_info_get(NULL, &info), -EINVAL);
	assert_int_equal(scmi_perf_domain_info_get(NULL, 0, &d), -EINVAL);

	/* connected, then disconnected: the state is gone */
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_perf_domain_count(a), NUM_DOMS);
	scmi_agent_disconnect(a);
	assert_int_equal(scmi_perf_domain_count(a), -ENOTCONN);
	assert_int_equal(scmi_perf_level_get(a, 0, &v), -ENOTCONN);
	/* and back */
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_perf_level_get(a, 0, &v), 0);
	assert_int_equal(v, 1000);
}

/*
 * Every message id, as the reference platform answers: those Performance 3.0
 * defines are all implemented; from 0xD on, NOT_FOUND.
 */
static void test_message_ids(void **state)
{
	static const struct fx_msg_ids ids = { SCMI_PROTOCOL_PERF, 0xC, NULL, 0 };
	struct scmi_agent *a = fx_agent_connected(*state, 0);

	assert_int_equal(fx_msg_ids_mismatches(a, &ids), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_discovery),
		FX_TEST(test_message_ids),
		FX_TEST_SETUP(test_discovery_paged, setup_small_msgs),
		FX_TEST(test_level),
		FX_TEST(test_limits),
		FX_TEST(test_raw_errors),
		FX_TEST(test_level_event),
		FX_TEST(test_limits_event),
		FX_TEST(test_only_subscriber),
		FX_TEST(test_register_before_connect),
		FX_TEST(test_unsupported_sources),
		FX_TEST(test_control),
		FX_TEST(test_not_connected),
	};

	return fx_run_tests(tests);
}
