/* SPDX-License-Identifier: MIT */
/*
 * The Voltage domain protocol (0x17) end to end: the agent's driver
 * against the real simulator. Discovery against the default topology (a
 * discrete domain and a segmented one; also with a small max_msg_size,
 * where extended names do not fit), the config and level commands and
 * their errors, raw commands and the platform's status codes (the async
 * flag included), the control verbs, and the protocol's lack of events.
 *
 * Each test starts its own simulator in its setup and kills it in its
 * teardown (which runs even when the test fails).
 */
#include <errno.h>
#include <string.h>

#include <scmi/voltage.h>
#include <scmi/wire.h>

#include "fixture.h"

enum voltage_cmd {
	VOLTAGE_DOMAIN_ATTRIBUTES = 0x3,
	VOLTAGE_DESCRIBE_LEVELS = 0x4,
	VOLTAGE_CONFIG_SET = 0x5,
	VOLTAGE_CONFIG_GET = 0x6,
	VOLTAGE_LEVEL_SET = 0x7,
	VOLTAGE_LEVEL_GET = 0x8,
	VOLTAGE_DOMAIN_NAME_GET = 0x9,
};

/* The default topology: a list and a segment. */
#define NUM_DOMS 2u
static const int32_t cpu_levels[] = { 700000, 800000, 900000, 1000000 };
static const int32_t io_segment[] = { 1800000, 3300000, 100000 };

static int setup_small_msgs(void **state)
{
	static const char *const args[] = { "--max-msg-size", "32", NULL };

	return fx_start(state, args);
}

/* A raw voltage command: (a, msg_id, words, n, rx, rx_cap, rx_sz). */
#define raw(a, ...) fx_raw(a, SCMI_PROTOCOL_VOLTAGE, __VA_ARGS__)

/* ---- discovery -------------------------------------------------------- */

static void check_domains(struct scmi_agent *a, bool ext_names)
{
	struct scmi_voltage_domain_info d;
	struct scmi_voltage_protocol_info info;
	int32_t lv[8];

	memset(&info, 0xAA, sizeof(info));
	assert_int_equal(scmi_voltage_protocol_info_get(a, &info), 0);
	assert_int_equal(info.version, 0x20000);
	assert_int_equal(info.num_domains, NUM_DOMS);
	assert_int_equal(scmi_voltage_domain_count(a), NUM_DOMS);

	memset(&d, 0xAA, sizeof(d));
	assert_int_equal(scmi_voltage_domain_info_get(a, 0, &d), 0);
	assert_int_equal(d.id, 0);
	assert_string_equal(d.name, "vdd-cpu");
	assert_false(d.async_level_set);
	assert_int_equal(d.extended_name, ext_names);
	assert_false(d.segmented);
	assert_false(d.negative_volts_allowed);
	assert_int_equal(d.num_levels, 4);
	memset(lv, 0, sizeof(lv));
	assert_int_equal(scmi_voltage_domain_levels(a, 0, lv, 8), 4);
	assert_memory_equal(lv, cpu_levels, sizeof(cpu_levels));
	/* a short buffer gets the first ones, and the count */
	memset(lv, 0, sizeof(lv));
	assert_int_equal(scmi_voltage_domain_levels(a, 0, lv, 2), 4);
	assert_int_equal(lv[0], 700000);
	assert_int_equal(lv[1], 800000);
	assert_int_equal(lv[2], 0);
	assert_int_equal(scmi_voltage_domain_levels(a, 0, NULL, 0), 4);

	memset(&d, 0xAA, sizeof(d));
	assert_int_equal(scmi_voltage_domain_info_get(a, 1, &d), 0);
	assert_int_equal(d.id, 1);
	assert_string_equal(d.name, "vdd-io");
	assert_true(d.async_level_set);
	assert_int_equal(d.extended_name, ext_names);
	assert_true(d.segmented);
	assert_false(d.negative_volts_allowed);
	assert_int_equal(d.num_levels, 3);
	memset(lv, 0, sizeof(lv));
	assert_int_equal(scmi_voltage_domain_levels(a, 1, lv, 8), 3);
	assert_int_equal(lv[SCMI_VOLTAGE_SEG_LOW], io_segment[0]);
	assert_int_equal(lv[SCMI_VOLTAGE_SEG_HIGH], io_segment[1]);
	assert_int_equal(lv[SCMI_VOLTAGE_SEG_STEP], io_segment[2]);

	/* bad arguments */
	assert_int_equal(scmi_voltage_domain_info_get(a, NUM_DOMS, &d), -EINVAL);
	assert_int_equal(scmi_voltage_domain_info_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_voltage_domain_levels(a, NUM_DOMS, lv, 8), -EINVAL);
	assert_int_equal(scmi_voltage_domain_levels(a, 0, NULL, 8), -EINVAL);
	assert_int_equal(scmi_voltage_protocol_info_get(a, NULL), -EINVAL);
}

static void test_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t w[2] = { 0, 0 };
	uint8_t rx[128];
	int32_t uv = 0;
	uint32_t config = 0;
	size_t n = 0;

	check_domains(a, true);

	/* the current state, as the topology says */
	assert_int_equal(scmi_voltage_level_get(a, 0, &uv), 0);
	assert_int_equal(uv, 900000);
	assert_int_equal(scmi_voltage_level_get(a, 1, &uv), 0);
	assert_int_equal(uv, 3300000);
	assert_int_equal(scmi_voltage_config_get(a, 0, &config), 0);
	assert_int_equal(config, SCMI_VOLTAGE_CONFIG_ON);
	assert_int_equal(scmi_voltage_config_get(a, 1, &config), 0);
	assert_int_equal(config, SCMI_VOLTAGE_CONFIG_ON);

	/* the raw replies */
	assert_int_equal(raw(a, SCMI_PROTOCOL_VERSION, NULL, 0, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0x20000);
	assert_int_equal(raw(a, SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx,
			     sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), NUM_DOMS);
	w[0] = 1;
	assert_int_equal(raw(a, VOLTAGE_DOMAIN_ATTRIBUTES, w, 1, rx,
			     sizeof(rx), &n), 0);
	assert_int_equal(n, 20);
	assert_int_equal(scmi_get_le32(rx), 1u << 30 | 1u << 31);
	assert_memory_equal(rx + 4, "vdd-io\0\0\0\0\0\0\0\0\0\0", 16);
	assert_int_equal(raw(a, VOLTAGE_DOMAIN_NAME_GET, w, 1, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 68);
	assert_int_equal(scmi_get_le32(rx), 0);
	assert_string_equal((const char *)rx + 4, "vdd-io");
	/* the segment: 3 values, bit 12, none remaining */
	w[0] = 1;
	w[1] = 0;
	assert_int_equal(raw(a, VOLTAGE_DESCRIBE_LEVELS, w, 2, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 16);
	assert_int_equal(scmi_get_le32(rx), 3 | 1u << 12);
	assert_int_equal((int32_t)scmi_get_le32(rx + 4), 1800000);
	assert_int_equal((int32_t)scmi_get_le32(rx + 8), 3300000);
	assert_int_equal((int32_t)scmi_get_le32(rx + 12), 100000);
	/* beyond what a domain describes: OUT_OF_RANGE */
	w[1] = 1;
	assert_int_equal(raw(a, VOLTAGE_DESCRIBE_LEVELS, w, 2, rx, sizeof(rx),
			     &n), -ERANGE);
	w[1] = 3;
	assert_int_equal(raw(a, VOLTAGE_DESCRIBE_LEVELS, w, 2, rx, sizeof(rx),
			     &n), -ERANGE);
	/* the list from index 2: two values, none remaining */
	w[0] = 0;
	w[1] = 2;
	assert_int_equal(raw(a, VOLTAGE_DESCRIBE_LEVELS, w, 2, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(n, 12);
	assert_int_equal(scmi_get_le32(rx), 2);
	assert_int_equal((int32_t)scmi_get_le32(rx + 4), 900000);
	assert_int_equal((int32_t)scmi_get_le32(rx + 8), 1000000);
	w[1] = 3;
	assert_int_equal(raw(a, VOLTAGE_DESCRIBE_LEVELS, w, 2, rx, sizeof(rx),
			     &n), 0);
	assert_int_equal(scmi_get_le32(rx), 1);
	w[1] = 4;
	assert_int_equal(raw(a, VOLTAGE_DESCRIBE_LEVELS, w, 2, rx, sizeof(rx),
			     &n), -ERANGE);
	w[1] = UINT32_MAX;
	assert_int_equal(raw(a, VOLTAGE_DESCRIBE_LEVELS, w, 2, rx, sizeof(rx),
			     &n), -ERANGE);
}

/* max_msg_size 32: seven values a page, no room for extended names. */
static void test_discovery_small(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t w[2] = { 0, 0 };
	uint8_t rx[32];
	size_t n = 0;

	assert_int_equal(raw(a, VOLTAGE_DOMAIN_NAME_GET, w, 1, rx, sizeof(rx),
			     &n), -EOPNOTSUPP);
	assert_int_equal(raw(a, VOLTAGE_DOMAIN_ATTRIBUTES, w, 1, rx,
			     sizeof(rx), &n), 0);
	assert_int_equal(scmi_get_le32(rx), 0);
	check_domains(a, false);
}

/* ---- commands --------------------------------------------------------- */

static void test_level(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	int32_t uv = 0;
	uint64_t sent;

	/* the list: each level, and what is not one (INVALID_PARAMETERS) */
	for (size_t i = 0; i < sizeof(cpu_levels) / sizeof(cpu_levels[0]); i++) {
		assert_int_equal(scmi_voltage_level_set(a, 0, cpu_levels[i]), 0);
		assert_int_equal(scmi_voltage_level_get(a, 0, &uv), 0);
		assert_int_equal(uv, cpu_levels[i]);
	}
	sent = fx_commands(a);
	assert_int_equal(scmi_voltage_level_set(a, 0, 850000), -EINVAL);
	assert_int_equal(scmi_voltage_level_set(a, 0, 0), -EINVAL);
	assert_int_equal(scmi_voltage_level_set(a, 0, -700000), -EINVAL);
	assert_true(fx_commands(a) == sent + 3); /* the platform's answers */
	assert_int_equal(scmi_voltage_level_get(a, 0, &uv), 0);
	assert_int_equal(uv, 1000000);
	/* another agent sees the same platform */
	assert_int_equal(scmi_voltage_level_get(b, 0, &uv), 0);
	assert_int_equal(uv, 1000000);

	/* the segment: its ends, a step between, off the step, outside */
	assert_int_equal(scmi_voltage_level_set(a, 1, 1800000), 0);
	assert_int_equal(scmi_voltage_level_get(a, 1, &uv), 0);
	assert_int_equal(uv, 1800000);
	assert_int_equal(scmi_voltage_level_set(a, 1, 2500000), 0);
	assert_int_equal(scmi_voltage_level_get(a, 1, &uv), 0);
	assert_int_equal(uv, 2500000);
	assert_int_equal(scmi_voltage_level_set(a, 1, 3300000), 0);
	assert_int_equal(scmi_voltage_level_set(a, 1, 2550000), -EINVAL);
	assert_int_equal(scmi_voltage_level_set(a, 1, 1700000), -EINVAL);
	assert_int_equal(scmi_voltage_level_set(a, 1, 3400000), -EINVAL);
	assert_int_equal(scmi_voltage_level_set(a, 1, INT32_MIN), -EINVAL);
	assert_int_equal(scmi_voltage_level_get(a, 1, &uv), 0);
	assert_int_equal(uv, 3300000);

	/* refused before anything is sent */
	sent = fx_commands(a);
	assert_int_equal(scmi_voltage_level_set(a, NUM_DOMS, 700000), -EINVAL);
	assert_int_equal(scmi_voltage_level_get(a, NUM_DOMS, &uv), -EINVAL);
	assert_int_equal(scmi_voltage_level_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_voltage_level_get(NULL, 0, &uv), -EINVAL);
	assert_int_equal(scmi_voltage_level_set(NULL, 0, 700000), -EINVAL);
	assert_true(fx_commands(a) == sent);
}

static void test_config(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t config = 0;
	uint64_t sent;

	assert_int_equal(scmi_voltage_config_set(a, 0, SCMI_VOLTAGE_CONFIG_OFF), 0);
	assert_int_equal(scmi_voltage_config_get(a, 0, &config), 0);
	assert_int_equal(config, SCMI_VOLTAGE_CONFIG_OFF);
	/* the other domain is untouched */
	assert_int_equal(scmi_voltage_config_get(a, 1, &config), 0);
	assert_int_equal(config, SCMI_VOLTAGE_CONFIG_ON);
	assert_int_equal(scmi_voltage_config_set(a, 0, SCMI_VOLTAGE_CONFIG_ON), 0);
	assert_int_equal(scmi_voltage_config_get(a, 0, &config), 0);
	assert_int_equal(config, SCMI_VOLTAGE_CONFIG_ON);
	/* implementation-defined modes are taken */
	assert_int_equal(scmi_voltage_config_set(a, 1, 0x8), 0);
	assert_int_equal(scmi_voltage_config_get(a, 1, &config), 0);
	assert_int_equal(config, 0x8);
	assert_int_equal(scmi_voltage_config_set(a, 1, 0xF), 0);
	/* reserved modes and bits: INVALID_PARAMETERS */
	assert_int_equal(scmi_voltage_config_set(a, 1, 0x1), -EINVAL);
	assert_int_equal(scmi_voltage_config_set(a, 1, 0x6), -EINVAL);
	assert_int_equal(scmi_voltage_config_set(a, 1, 0x17), -EINVAL);
	assert_int_equal(scmi_voltage_config_set(a, 1, 0x80000007u), -EINVAL);
	assert_int_equal(scmi_voltage_config_get(a, 1, &config), 0);
	assert_int_equal(config, 0xF);

	sent = fx_commands(a);
	assert_int_equal(scmi_voltage_config_set(a, NUM_DOMS, 0), -EINVAL);
	assert_int_equal(scmi_voltage_config_get(a, NUM_DOMS, &config), -EINVAL);
	assert_int_equal(scmi_voltage_config_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_voltage_config_set(NULL, 0, 0), -EINVAL);
	assert_true(fx_commands(a) == sent);
}

static void test_raw_errors(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t w[3] = { 0, 0, 0 };
	uint8_t rx[128];
	size_t n = 0;
	int32_t uv = 0;

	/* PROTOCOL_MESSAGE_ATTRIBUTES: 0 for each command, NOT_FOUND else */
	for (uint32_t id = 0; id <= VOLTAGE_DOMAIN_NAME_GET; id++) {
		w[0] = id;
		assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, w, 1,
				     rx, sizeof(rx), &n), 0);
		assert_int_equal(n, 4);
		assert_int_equal(scmi_get_le32(rx), 0);
	}
	w[0] = VOLTAGE_DOMAIN_NAME_GET + 1;
	assert_int_equal(raw(a, SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, w, 1, rx,
			     sizeof(rx), &n), -ENOENT);
	/* messages the protocol does not define: NOT_FOUND */
	assert_int_equal(raw(a, 0x0A, NULL, 0, NULL, 0, NULL), -ENOENT);
	assert_int_equal(raw(a, 0x80, NULL, 0, NULL, 0, NULL), -ENOENT);
	/* payloads of the wrong size */
	assert_int_equal(raw(a, SCMI_PROTOCOL_ATTRIBUTES, w, 1, rx, sizeof(rx),
			     &n), -EPROTO);
	assert_int_equal(raw(a, VOLTAGE_LEVEL_SET, w, 2, NULL, 0, NULL),
			 -EPROTO);
	assert_int_equal(raw(a, VOLTAGE_LEVEL_GET, w, 2, rx, sizeof(rx), &n),
			 -EPROTO);
	assert_int_equal(raw(a, VOLTAGE_DESCRIBE_LEVELS, w, 1, rx, sizeof(rx),
			     &n), -EPROTO);
	assert_int_equal(raw(a, VOLTAGE_CONFIG_SET, w, 1, NULL, 0, NULL),
			 -EPROTO);
	/* an unknown domain: NOT_FOUND for every command that names one */
	w[0] = NUM_DOMS;
	w[1] = 0;
	w[2] = 700000;
	assert_int_equal(raw(a, VOLTAGE_DOMAIN_ATTRIBUTES, w, 1, rx,
			     sizeof(rx), &n), -ENOENT);
	assert_int_equal(raw(a, VOLTAGE_DESCRIBE_LEVELS, w, 2, rx, sizeof(rx),
			     &n), -ENOENT);
	assert_int_equal(raw(a, VOLTAGE_CONFIG_SET, w, 2, NULL, 0, NULL),
			 -ENOENT);
	assert_int_equal(raw(a, VOLTAGE_CONFIG_GET, w, 1, rx, sizeof(rx), &n),
			 -ENOENT);
	assert_int_equal(raw(a, VOLTAGE_LEVEL_SET, w, 3, NULL, 0, NULL),
			 -ENOENT);
	assert_int_equal(raw(a, VOLTAGE_LEVEL_GET, w, 1, rx, sizeof(rx), &n),
			 -ENOENT);
	assert_int_equal(raw(a, VOLTAGE_DOMAIN_NAME_GET, w, 1, rx, sizeof(rx),
			     &n), -ENOENT);
	/* LEVEL_SET: the async flag is not offered; reserved flags */
	w[0] = 0;
	w[1] = 1;
	w[2] = 700000;
	assert_int_equal(raw(a, VOLTAGE_LEVEL_SET, w, 3, NULL, 0, NULL),
			 -EOPNOTSUPP);
	w[1] = 2;
	assert_int_equal(raw(a, VOLTAGE_LEVEL_SET, w, 3, NULL, 0, NULL),
			 -EINVAL);
	/* a level the domain cannot take: INVALID_PARAMETERS */
	w[1] = 0;
	w[2] = 750000;
	assert_int_equal(raw(a, VOLTAGE_LEVEL_SET, w, 3, NULL, 0, NULL),
			 -EINVAL);
	w[2] = 700000;
	assert_int_equal(scmi_voltage_level_get(a, 0, &uv), 0);
	assert_int_equal(uv, 900000);
	/* synchronous, raw: fine */
	w[1] = 0;
	assert_int_equal(raw(a, VOLTAGE_LEVEL_SET, w, 3, NULL, 0, NULL), 0);
	assert_int_equal(scmi_voltage_level_get(a, 0, &uv), 0);
	assert_int_equal(uv, 700000);
}

/* The protocol has no events: changes bring the agent nothing. */
static void test_no_events(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_notify_stats ns;

	assert_int_equal(scmi_voltage_level_set(a, 0, 800000), 0);
	assert_int_equal(scmi_voltage_config_set(a, 0, 0), 0);
	sim_sleep_ms(50);
	assert_int_equal(scmi_notify_get_stats(scmi_agent_notify(a),
					       SCMI_PROTOCOL_VOLTAGE, &ns), 0);
	assert_true(ns.received == 0);
}

/* ---- control ---------------------------------------------------------- */

static void test_control(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint32_t config = 0;
	int32_t uv = 0;
	char reply[160];

	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "voltage level 1 2000000"), 0);
	assert_string_equal(reply, "ok level 2000000 config 0x7");
	assert_int_equal(scmi_voltage_level_get(a, 1, &uv), 0);
	assert_int_equal(uv, 2000000);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "voltage config 0 0"), 0);
	assert_int_equal(scmi_voltage_config_get(a, 0, &config), 0);
	assert_int_equal(config, 0);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "voltage get 0"), 0);
	assert_string_equal(reply, "ok level 900000 config 0x0");

	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "voltage level 0 850000"), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "voltage level 1 2050000"), -ERANGE);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "voltage config 0 3"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "voltage level 2 700000"), -ENOENT);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "voltage level 0"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "voltage level 0 abc"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "voltage frobnicate 0"), -EOPNOTSUPP);
	assert_int_equal(scmi_voltage_level_get(a, 0, &uv), 0);
	assert_int_equal(uv, 900000);
}

static void test_not_connected(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	struct scmi_voltage_domain_info d;
	struct scmi_voltage_protocol_info info;
	uint32_t config;
	int32_t uv, lv[4];

	assert_int_equal(scmi_voltage_domain_count(a), -ENOTCONN);
	assert_int_equal(scmi_voltage_protocol_info_get(a, &info), -ENOTCONN);
	assert_int_equal(scmi_voltage_domain_info_get(a, 0, &d), -ENOTCONN);
	assert_int_equal(scmi_voltage_domain_levels(a, 0, lv, 4), -ENOTCONN);
	assert_int_equal(scmi_voltage_level_get(a, 0, &uv), -ENOTCONN);
	assert_int_equal(scmi_voltage_level_set(a, 0, 700000), -ENOTCONN);
	assert_int_equal(scmi_voltage_config_get(a, 0, &config), -ENOTCONN);
	assert_int_equal(scmi_voltage_config_set(a, 0, 0), -ENOTCONN);
	assert_int_equal(scmi_voltage_domain_count(NULL), -EINVAL);

	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_voltage_domain_count(a), NUM_DOMS);
	scmi_agent_disconnect(a);
	assert_int_equal(scmi_voltage_domain_count(a), -ENOTCONN);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	assert_int_equal(scmi_voltage_level_get(a, 1, &uv), 0);
	assert_int_equal(uv, 3300000);
}

/*
 * Every message id, as the reference platform answers: those Voltage 2.0
 * defines are all implemented; from 0xA on, NOT_FOUND.
 */
static void test_message_ids(void **state)
{
	static const struct fx_msg_ids ids = { SCMI_PROTOCOL_VOLTAGE, 0x9, NULL, 0 };
	struct scmi_agent *a = fx_agent_connected(*state, 0);

	assert_int_equal(fx_msg_ids_mismatches(a, &ids), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_discovery),
		FX_TEST(test_message_ids),
		FX_TEST_SETUP(test_discovery_small, setup_small_msgs),
		FX_TEST(test_level),
		FX_TEST(test_config),
		FX_TEST(test_raw_errors),
		FX_TEST(test_no_events),
		FX_TEST(test_control),
		FX_TEST(test_not_connected),
	};

	return fx_run_tests(tests);
}
