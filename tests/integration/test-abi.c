/* SPDX-License-Identifier: MIT */
/*
 * Structs that grow (agent.h): the *_sized() functions against the
 * simulator. A config of the 0.1 layout (a local copy, its padding
 * garbage) gives an agent of 0.1's behaviour, the members it lacks at
 * their defaults; a larger config is refused with -E2BIG when its tail is
 * nonzero and accepted when it is zero; a size below the first release's
 * is -EINVAL; an info or stats struct gets at most its size written, the
 * bytes beyond those the library knows zeroed.
 */
#include <errno.h>
#include <string.h>

#include <scmi/sensor.h>

#include "abi.h"
#include "fixture.h"

#define GARBAGE 0xA5

/* struct scmi_agent_config as LIBSCMI_NOTIFY 0.1 released it. */
struct agent_config_0_1 {
	uint32_t timeout_ms;
	scmi_log_fn log_fn;
	void *log_userdata;
	enum scmi_log_level log_level;
	size_t queue_sz;
	bool manual_dispatch;
	bool reconnect;
	uint32_t reconnect_interval_ms;
	scmi_agent_state_fn state_fn;
	void *state_userdata;
	uint32_t delayed_timeout_ms;
};

/* A config of today with a member of a later release after it. */
struct agent_config_later {
	struct scmi_agent_config cfg;
	uint64_t later;
};

struct states {
	unsigned int n;
	int last;
};

static void states_fn(void *userdata, enum scmi_agent_state state, int err)
{
	struct states *st = userdata;

	st->n++;
	st->last = (int)state;
}

/*
 * A 0.1 config, every byte it does not set (its padding, the trailing
 * bytes where today's members are) garbage: the agent is of threaded mode,
 * no raw_only, with 0.1's members honoured.
 */
static void test_config_0_1(void **state)
{
	struct fx *fx = *state;
	struct agent_config_0_1 old;
	struct scmi_base_info bi;
	struct states st = { 0 };
	struct scmi_agent *a = NULL;

	memset(&old, GARBAGE, sizeof(old));
	old.timeout_ms = FX_TIMEOUT_MS;
	old.log_fn = NULL;
	old.log_userdata = NULL;
	old.log_level = SCMI_LOG_WARNING;
	old.queue_sz = 0;
	old.manual_dispatch = false;
	old.reconnect = false;
	old.reconnect_interval_ms = 0;
	old.state_fn = states_fn;
	old.state_userdata = &st;
	old.delayed_timeout_ms = 0;

	assert_int_equal(scmi_agent_create_sized(&a,
			(const struct scmi_agent_config *)(const void *)&old,
			sizeof(old)), 0);
	fx->agents[0] = a;
	/* event_loop, raw_*: beyond 0.1's members, their defaults */
	assert_int_equal(scmi_agent_get_fd(a), -EOPNOTSUPP);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	/* state_fn, the last pointer of 0.1, was read */
	assert_int_equal(st.n, 1);
	assert_int_equal(st.last, SCMI_AGENT_CONNECTED);
	/* not raw_only: discovery ran */
	assert_int_equal(scmi_agent_base_info(a, &bi), 0);
	assert_true(bi.num_protocols > 0);
	fx_agent_destroy(fx, 0);
}

/* A larger config: its tail must be zero. */
static void test_config_later(void **state)
{
	struct fx *fx = *state;
	struct agent_config_later big;
	struct scmi_agent *a = NULL;

	memset(&big, 0, sizeof(big));
	big.cfg.timeout_ms = FX_TIMEOUT_MS;
	big.later = 1;
	assert_int_equal(scmi_agent_create_sized(&a, &big.cfg, sizeof(big)),
			 -E2BIG);
	assert_null(a);

	big.later = 0;
	assert_int_equal(scmi_agent_create_sized(&a, &big.cfg, sizeof(big)),
			 0);
	assert_non_null(a);
	fx->agents[0] = a;
	fx_connect(fx, a);
	fx_agent_destroy(fx, 0);
}

/* Below the first release's size: -EINVAL, nothing created. */
static void test_config_too_small(void **state)
{
	struct scmi_agent_config cfg = { .timeout_ms = FX_TIMEOUT_MS };
	struct scmi_notify_config ncfg = { 0 };
	struct scmi_notify *ni = NULL;
	struct scmi_agent *a = NULL;

	(void)state;
	assert_int_equal(scmi_agent_create_sized(&a, &cfg,
			SCMI_AGENT_CONFIG_SIZE_VER0 - 1), -EINVAL);
	assert_null(a);
	assert_int_equal(scmi_notify_create_sized(&ni, &ncfg,
			SCMI_NOTIFY_CONFIG_SIZE_VER0 - 1), -EINVAL);
	assert_null(ni);
	/* NULL: all defaults, whatever the size */
	assert_int_equal(scmi_notify_create_sized(&ni, NULL, 0), 0);
	assert_int_equal(scmi_notify_destroy(ni), 0);
}

/* The notify config too: a zero tail accepted, a nonzero one refused. */
static void test_notify_config_later(void **state)
{
	struct {
		struct scmi_notify_config cfg;
		uint32_t later;
	} big;
	struct scmi_notify *ni = NULL;

	(void)state;
	memset(&big, 0, sizeof(big));
	big.cfg.manual_dispatch = true;
	big.later = 7;
	assert_int_equal(scmi_notify_create_sized(&ni, &big.cfg, sizeof(big)),
			 -E2BIG);
	assert_null(ni);
	big.later = 0;
	assert_int_equal(scmi_notify_create_sized(&ni, &big.cfg, sizeof(big)),
			 0);
	/* manual_dispatch was read: the instance has a descriptor */
	assert_true(scmi_notify_get_fd(ni) >= 0);
	assert_int_equal(scmi_notify_destroy(ni), 0);
}

/*
 * Info and stats: a larger struct gets today's bytes and a zeroed tail;
 * no byte beyond the size given is written; below the first release's
 * size is -EINVAL.
 */
static void test_info_sizes(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_sensor_info want;
	struct scmi_agent_stats stats;
	unsigned char buf[sizeof(struct scmi_sensor_info) + 32];
	const size_t sz = sizeof(struct scmi_sensor_info);

	assert_true(scmi_sensor_count(a) > 0);
	assert_int_equal(scmi_sensor_info_get(a, 0, &want), 0);

	memset(buf, GARBAGE, sizeof(buf));
	assert_int_equal(scmi_sensor_info_get_sized(a, 0,
			(struct scmi_sensor_info *)(void *)buf, sz + 16), 0);
	assert_memory_equal(buf, &want, sz);
	for (size_t i = sz; i < sz + 16; i++)
		assert_int_equal(buf[i], 0);
	for (size_t i = sz + 16; i < sizeof(buf); i++)
		assert_int_equal(buf[i], GARBAGE);

	memset(buf, GARBAGE, sizeof(buf));
	assert_int_equal(scmi_sensor_info_get_sized(a, 0,
			(struct scmi_sensor_info *)(void *)buf, sz), 0);
	assert_memory_equal(buf, &want, sz);
	for (size_t i = sz; i < sizeof(buf); i++)
		assert_int_equal(buf[i], GARBAGE);

	assert_int_equal(scmi_sensor_info_get_sized(a, 0,
			(struct scmi_sensor_info *)(void *)buf,
			SCMI_SENSOR_INFO_SIZE_VER0 - 1), -EINVAL);
	assert_int_equal(scmi_sensor_info_get_sized(a, 0, NULL, sz), -EINVAL);
	/* the function's own errors come through */
	assert_int_equal(scmi_sensor_info_get_sized(a, 0xFFFF,
			(struct scmi_sensor_info *)(void *)buf, sz), -EINVAL);

	memset(buf, GARBAGE, sizeof(buf));
	assert_int_equal(scmi_agent_get_stats_sized(a,
			(struct scmi_agent_stats *)(void *)buf,
			sizeof(stats) + 8), 0);
	assert_int_equal(scmi_agent_get_stats(a, &stats), 0);
	assert_true(((struct scmi_agent_stats *)(void *)buf)->commands > 0);
	for (size_t i = sizeof(stats); i < sizeof(stats) + 8; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[sizeof(stats) + 8], GARBAGE);
}

/*
 * A struct smaller than today's (as a later release's library sees one of
 * today): at most its size written (abi_copy_out(), which every info
 * function uses); a smaller config read only up to the release end within
 * its size (abi_copy_in()).
 */
static void test_copy_smaller(void **state)
{
	const unsigned char src[16] = { 1, 2, 3, 4, 5, 6, 7, 8,
					9, 10, 11, 12, 13, 14, 15, 16 };
	const size_t ends[] = { 6, 12, sizeof(src) };
	unsigned char dst[16];

	(void)state;
	memset(dst, GARBAGE, sizeof(dst));
	abi_copy_out(dst, 8, src, sizeof(src));
	assert_memory_equal(dst, src, 8);
	for (size_t i = 8; i < sizeof(dst); i++)
		assert_int_equal(dst[i], GARBAGE);

	/* 10 bytes: the release that ends at 6, its padding not read */
	memset(dst, GARBAGE, sizeof(dst));
	assert_int_equal(abi_copy_in(dst, sizeof(dst), src, 10, ends, 3), 0);
	assert_memory_equal(dst, src, 6);
	for (size_t i = 6; i < sizeof(dst); i++)
		assert_int_equal(dst[i], 0);
	assert_int_equal(abi_copy_in(dst, sizeof(dst), src, 5, ends, 3),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_config_0_1),
		FX_TEST(test_config_later),
		FX_TEST(test_config_too_small),
		FX_TEST(test_notify_config_later),
		FX_TEST(test_info_sizes),
		FX_TEST(test_copy_smaller),
	};

	return fx_run_tests(tests);
}
