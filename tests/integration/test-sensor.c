/* SPDX-License-Identifier: MIT */
/*
 * The Sensor management protocol end to end: the agent's discovery and
 * commands against the real simulator (scmi-sim) and its default topology,
 * the simulator's status codes for bad requests, and both events
 * (SENSOR_TRIP_POINT_EVENT, SENSOR_UPDATE) from a control request to the
 * report a callback receives.
 *
 * Each test starts its own simulator in its setup and kills it in its
 * teardown (which runs even when the test fails).
 */
#include <errno.h>
#include <string.h>

#include <scmi/sensor.h>
#include <scmi/wire.h>

#include "fixture.h"

#define WAIT_MS 2000          /* bound of every wait for an event */
#define QUIET_MS 100          /* how long "nothing arrives" is watched */

#define EVT_TRIP SCMI_EVENT_SENSOR_TRIP_POINT_EVENT
#define EVT_UPDATE SCMI_EVENT_SENSOR_UPDATE

/* wire ids the tests use raw */
#define SENSOR_DESCRIPTION_GET 0x3
#define SENSOR_TRIP_POINT_NOTIFY 0x4
#define SENSOR_TRIP_POINT_CONFIG 0x5
#define SENSOR_READING_GET 0x6
#define SENSOR_AXIS_DESCRIPTION_GET 0x7
#define SENSOR_LIST_UPDATE_INTERVALS 0x8
#define SENSOR_CONFIG_GET 0x9
#define SENSOR_CONFIG_SET 0xA
#define SENSOR_CONTINUOUS_UPDATE_NOTIFY 0xB
#define SENSOR_NAME_GET 0xC
#define SENSOR_AXIS_NAME_GET 0xD

static int setup_small_msgs(void **state)
{
	static const char *const args[] = { "--max-msg-size", "40", NULL };

	return fx_start(state, args);
}

/* Every field of a trip point report. */
static void check_trip(struct fx_recorder *l, unsigned int i, uint32_t sensor,
		       uint32_t desc, uint64_t t0, uint64_t t1)
{
	struct fx_event e = fx_rec_get(l, i);

	assert_int_equal(e.evt_id, EVT_TRIP);
	fx_assert_time(e.r.sensor_trip.timestamp, t0, t1);
	assert_int_equal(e.r.sensor_trip.agent_id, 0); /* the platform */
	assert_int_equal(e.r.sensor_trip.sensor_id, sensor);
	assert_int_equal(e.r.sensor_trip.trip_point_desc, desc);
}

/* Every field of an update report; @ts_lo..@ts_hi bounds the reading's stamp. */
static void check_update(struct fx_recorder *l, unsigned int i,
			 uint32_t sensor, int64_t value, uint64_t t0,
			 uint64_t t1, uint64_t ts_lo, uint64_t ts_hi)
{
	struct fx_event e = fx_rec_get(l, i);
	const struct scmi_sensor_update_report *u = &e.r.sensor_update;

	assert_int_equal(e.evt_id, EVT_UPDATE);
	fx_assert_time(u->timestamp, t0, t1);
	assert_int_equal(u->agent_id, 0);
	assert_int_equal(u->sensor_id, sensor);
	assert_int_equal(u->readings_count, 1);
	assert_int_equal(u->readings[0].value, value);
	assert_true(u->readings[0].timestamp >= ts_lo &&
		    u->readings[0].timestamp <= ts_hi);
}

/* ---- discovery ------------------------------------------------------- */

struct want_sensor {
	const char *name;
	uint8_t type;
	int8_t scale;
	uint32_t trips;
	bool update;
};

static const struct want_sensor want[] = {
	{ "soc-temp", SCMI_SENSOR_TYPE_TEMPERATURE_C, -3, 2, true },
	{ "gpu-temp", SCMI_SENSOR_TYPE_TEMPERATURE_C, -3, 1, true },
	{ "vdd-cpu", SCMI_SENSOR_TYPE_VOLTAGE, -6, 2, false },
	{ "board-power", SCMI_SENSOR_TYPE_POWER, -3, 0, false },
};
static const int64_t want_value[] = { 45000, 40000, 900000, 5000 };

static void test_discovery(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_sensor_info si;
	uint8_t tx[8], rx[128];
	size_t n;

	assert_int_equal(scmi_sensor_count(a), 4);
	for (uint32_t i = 0; i < 4; i++) {
		uint32_t lo, hi;

		memset(&si, 0xAA, sizeof(si));
		assert_int_equal(scmi_sensor_info_get(a, i, &si), 0);
		assert_int_equal(si.id, i);
		assert_string_equal(si.name, want[i].name);
		assert_int_equal(si.type, want[i].type);
		assert_int_equal(si.scale, want[i].scale);
		assert_int_equal(si.num_trip_points, want[i].trips);
		assert_int_equal(si.async_read, i == 1);
		assert_int_equal(si.update_notify, want[i].update);
		assert_true(si.timestamped);
		assert_int_equal(si.tstamp_scale, -9);
		assert_int_equal(si.num_axes, 0);
		lo = (1u << 29) | (1u << 9) | (0x17u << 10) | want[i].trips |
		     (want[i].update ? 1u << 30 : 0) | (i == 1 ? 1u << 31 : 0);
		hi = ((uint32_t)want[i].scale & 0x1F) << 11 | want[i].type;
		assert_int_equal(si.attributes_low, lo);
		assert_int_equal(si.attributes_high, hi);
		/* one segmented triplet: 10 ms .. 60 s, step 10 ms */
		assert_true(si.intervals_segmented);
		assert_int_equal(si.num_intervals, 3);
		assert_int_equal(SCMI_SENSOR_INTERVAL_SECS(si.intervals[0]), 10);
		assert_int_equal(SCMI_SENSOR_INTERVAL_EXP(si.intervals[0]), -3);
		assert_int_equal(SCMI_SENSOR_INTERVAL_SECS(si.intervals[1]), 60000);
		assert_int_equal(SCMI_SENSOR_INTERVAL_EXP(si.intervals[1]), -3);
		assert_int_equal(SCMI_SENSOR_INTERVAL_SECS(si.intervals[2]), 10);
		assert_int_equal(SCMI_SENSOR_INTERVAL_EXP(si.intervals[2]), -3);
	}
	assert_int_equal(scmi_sensor_info_get(a, 4, &si), -EINVAL);
	assert_int_equal(scmi_sensor_info_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_sensor_info_get(NULL, 0, &si), -EINVAL);
	assert_int_equal(scmi_sensor_count(NULL), -EINVAL);

	/* the wire: version, attributes, one page of 4 descriptors */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SCMI_PROTOCOL_VERSION, NULL, 0, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0x30000);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SCMI_PROTOCOL_ATTRIBUTES, NULL, 0, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 16);
	assert_int_equal(scmi_get_le32(rx), 4 | 1 << 16);
	assert_int_equal(scmi_get_le32(rx + 4), 0);
	assert_int_equal(scmi_get_le32(rx + 8), 0);
	assert_int_equal(scmi_get_le32(rx + 12), 0);
	scmi_put_le32(tx, 0);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_DESCRIPTION_GET, tx, 4, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 4 + 4 * 28);
	assert_int_equal(scmi_get_le32(rx), 4); /* 4 returned, 0 remaining */
	assert_int_equal(scmi_get_le32(rx + 4 + 28 * 3), 3);
	assert_string_equal((const char *)rx + 4 + 28 * 3 + 12, "board-power");
	scmi_put_le32(tx, 3);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_DESCRIPTION_GET, tx, 4, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 4 + 28);
	assert_int_equal(scmi_get_le32(rx), 1);
	scmi_put_le32(tx, 4);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_DESCRIPTION_GET, tx, 4, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0);
	scmi_put_le32(tx, 5);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_DESCRIPTION_GET, tx, 4, rx,
					 sizeof(rx), &n), -EINVAL);
	/* extended name */
	scmi_put_le32(tx, 1);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_NAME_GET, tx, 4, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 68);
	assert_int_equal(scmi_get_le32(rx), 0);
	assert_string_equal((const char *)rx + 4, "gpu-temp");
	scmi_put_le32(tx, 4);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_NAME_GET, tx, 4, rx,
					 sizeof(rx), &n), -ENOENT);
	/* update intervals: a segmented triplet */
	scmi_put_le32(tx, 2);
	scmi_put_le32(tx + 4, 0);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_LIST_UPDATE_INTERVALS, tx, 8,
					 rx, sizeof(rx), &n), 0);
	assert_int_equal(n, 16);
	assert_int_equal(scmi_get_le32(rx), 3 | 1u << 12);
	scmi_put_le32(tx + 4, 1);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_LIST_UPDATE_INTERVALS, tx, 8,
					 rx, sizeof(rx), &n), -EINVAL);

	/* message attributes: implemented, and not */
	scmi_put_le32(tx, SENSOR_CONFIG_SET);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, tx,
					 4, rx, sizeof(rx), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(scmi_get_le32(rx), 0);
	scmi_put_le32(tx, SENSOR_AXIS_DESCRIPTION_GET);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, tx,
					 4, rx, sizeof(rx), &n), -ENOENT);
	/* no axes: the axis commands are not supported; 0x55 not defined */
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 0);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_AXIS_DESCRIPTION_GET, tx, 8,
					 rx, sizeof(rx), &n), -EOPNOTSUPP);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_AXIS_NAME_GET, tx, 8, rx,
					 sizeof(rx), &n), -EOPNOTSUPP);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR, 0x55, NULL,
					 0, NULL, 0, NULL), -ENOENT);
	/* a payload of the wrong size: PROTOCOL_ERROR */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_READING_GET, tx, 4, rx,
					 sizeof(rx), &n), -EPROTO);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SCMI_PROTOCOL_VERSION, tx, 4, rx,
					 sizeof(rx), &n), -EPROTO);

	/* not connected: -ENOTCONN */
	scmi_agent_disconnect(a);
	assert_int_equal(scmi_sensor_count(a), -ENOTCONN);
	assert_int_equal(scmi_sensor_info_get(a, 0, &si), -ENOTCONN);
	assert_int_equal(scmi_sensor_reading_get(a, 0, NULL, NULL), -ENOTCONN);
}

/*
 * max_msg_size 40: one 28-byte descriptor a page, and no room for the
 * 68-byte SENSOR_NAME_GET: the platform offers no extended names (bit 29
 * clear, the command NOT_SUPPORTED) and the short names stay. The rest
 * fits and works as with the default size.
 */
static void test_discovery_small_msgs(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_sensor_info si;
	uint8_t tx[8], rx[40];
	int64_t v;
	size_t n;

	assert_int_equal(scmi_sensor_count(a), 4);
	for (uint32_t i = 0; i < 4; i++) {
		uint32_t lo = (1u << 9) | (0x17u << 10) | want[i].trips |
			      (want[i].update ? 1u << 30 : 0) | (i == 1 ? 1u << 31 : 0);

		memset(&si, 0xAA, sizeof(si));
		assert_int_equal(scmi_sensor_info_get(a, i, &si), 0);
		assert_int_equal(si.id, i);
		assert_string_equal(si.name, want[i].name);
		assert_int_equal(si.type, want[i].type);
		assert_int_equal(si.attributes_low, lo); /* no bit 29 */
		assert_true(si.intervals_segmented);
		assert_int_equal(si.num_intervals, 3);
		v = -1;
		assert_int_equal(scmi_sensor_reading_get(a, i, &v, NULL), 0);
		assert_int_equal(v, want_value[i]);
	}

	/* the wire: a page holds one descriptor */
	for (uint32_t i = 0; i < 4; i++) {
		scmi_put_le32(tx, i);
		assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
						 SENSOR_DESCRIPTION_GET, tx, 4,
						 rx, sizeof(rx), &n), 0);
		assert_int_equal(n, 4 + 28);
		assert_int_equal(scmi_get_le32(rx), 1 | (3 - i) << 16);
		assert_int_equal(scmi_get_le32(rx + 4), i);
		assert_string_equal((const char *)rx + 4 + 12, want[i].name);
	}
	/* no room for an extended name: NOT_SUPPORTED, nothing cut short */
	scmi_put_le32(tx, 1);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_NAME_GET, tx, 4, rx,
					 sizeof(rx), &n), -EOPNOTSUPP);
	/* an unknown sensor is still NOT_FOUND */
	scmi_put_le32(tx, 4);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_NAME_GET, tx, 4, rx,
					 sizeof(rx), &n), -ENOENT);
	/* the 16-byte update intervals fit */
	scmi_put_le32(tx, 2);
	scmi_put_le32(tx + 4, 0);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_LIST_UPDATE_INTERVALS, tx, 8,
					 rx, sizeof(rx), &n), 0);
	assert_int_equal(n, 16);
}

/* ---- commands -------------------------------------------------------- */

static void test_reading_and_config(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint8_t tx[8], rx[32];
	uint64_t ts, t0, t1, before;
	uint32_t cfg;
	int64_t v;
	size_t n;

	for (uint32_t i = 0; i < 4; i++) {
		v = -1;
		ts = 1;
		assert_int_equal(scmi_sensor_reading_get(a, i, &v, &ts), 0);
		assert_int_equal(v, want_value[i]);
		assert_int_equal(ts, 0); /* timestamping is off */
		assert_int_equal(scmi_sensor_config_get(a, i, &cfg), 0);
		assert_int_equal(cfg, SCMI_SENSOR_CONFIG_ENABLE);
	}
	assert_int_equal(scmi_sensor_reading_get(a, 0, NULL, NULL), 0);

	/* a change, then the reading; with timestamps once they are on */
	fx_ctl(fx, "sensor set 3 -1234");
	assert_int_equal(scmi_sensor_reading_get(a, 3, &v, &ts), 0);
	assert_int_equal(v, -1234);
	assert_int_equal(ts, 0);
	assert_int_equal(scmi_sensor_config_set(a, 3, SCMI_SENSOR_CONFIG_ENABLE |
						     SCMI_SENSOR_CONFIG_TIMESTAMP),
			 0);
	assert_int_equal(scmi_sensor_config_get(a, 3, &cfg), 0);
	assert_int_equal(cfg, 3);
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 3 7000000000");
	t1 = sim_now_ns();
	assert_int_equal(scmi_sensor_reading_get(a, 3, &v, &ts), 0);
	assert_true(v == 7000000000LL);
	assert_true(ts >= t0 && ts <= t1);

	/* config: an interval of 100 ms, rounding up; bad words */
	cfg = SCMI_SENSOR_CONFIG(100, -3, SCMI_SENSOR_CONFIG_ENABLE |
				 1u << SCMI_SENSOR_CONFIG_ROUND_SHIFT);
	assert_int_equal(scmi_sensor_config_set(a, 1, cfg), 0);
	assert_int_equal(scmi_sensor_config_get(a, 1, &cfg), 0);
	assert_int_equal(cfg, SCMI_SENSOR_CONFIG(100, -3, 0x201));
	assert_int_equal(scmi_sensor_config_set(a, 1, SCMI_SENSOR_CONFIG(2, 0, 1)), 0);
	assert_int_equal(scmi_sensor_config_set(a, 1, 1u << 4), -EINVAL);
	assert_int_equal(scmi_sensor_config_set(a, 1, 3u << 9 | 1), -EINVAL);
	assert_int_equal(scmi_sensor_config_set(a, 1, SCMI_SENSOR_CONFIG(5, -3, 1)),
			 -ERANGE); /* 5 ms: below 10 ms */
	assert_int_equal(scmi_sensor_config_set(a, 1, SCMI_SENSOR_CONFIG(61, 0, 1)),
			 -ERANGE); /* 61 s: above 60 s */
	assert_int_equal(scmi_sensor_config_set(a, 1, SCMI_SENSOR_CONFIG(15, -3, 1)),
			 -ERANGE); /* 15 ms: off the 10 ms step */
	assert_int_equal(scmi_sensor_config_get(a, 1, &cfg), 0);
	assert_int_equal(cfg, SCMI_SENSOR_CONFIG(2, 0, 1));

	/* unknown ids and NULLs: -EINVAL, nothing sent */
	before = fx_commands(a);
	assert_int_equal(scmi_sensor_reading_get(a, 4, &v, &ts), -EINVAL);
	assert_int_equal(scmi_sensor_config_get(a, 4, &cfg), -EINVAL);
	assert_int_equal(scmi_sensor_config_get(a, 0, NULL), -EINVAL);
	assert_int_equal(scmi_sensor_config_set(a, 4, 1), -EINVAL);
	assert_int_equal(scmi_sensor_trip_point_config(a, 4, 0,
						       SCMI_SENSOR_TRIP_UP, 1),
			 -EINVAL);
	assert_int_equal(scmi_sensor_reading_get(NULL, 0, &v, &ts), -EINVAL);
	assert_true(fx_commands(a) == before);

	/* the simulator's answers to bad requests */
	scmi_put_le32(tx, 9);
	scmi_put_le32(tx + 4, 0);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_READING_GET, tx, 8, rx,
					 sizeof(rx), &n), -ENOENT);
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 1); /* async: no async reads */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_READING_GET, tx, 8, rx,
					 sizeof(rx), &n), -EOPNOTSUPP);
	scmi_put_le32(tx + 4, 4); /* reserved flag */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_READING_GET, tx, 8, rx,
					 sizeof(rx), &n), -EINVAL);
	scmi_put_le32(tx + 4, 0); /* the v3 reading: 16 bytes */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_READING_GET, tx, 8, rx,
					 sizeof(rx), &n), 0);
	assert_int_equal(n, 16);
	assert_true((int64_t)scmi_get_le64(rx) == 45000);
	assert_true(scmi_get_le64(rx + 8) == 0);
	scmi_put_le32(tx, 9);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_CONFIG_GET, tx, 4, rx,
					 sizeof(rx), &n), -ENOENT);
	scmi_put_le32(tx + 4, 1);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_CONFIG_SET, tx, 8, NULL, 0,
					 NULL), -ENOENT);
}

static void test_trip_point_config(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	uint8_t tx[16];
	uint64_t before;

	assert_int_equal(scmi_sensor_trip_point_config(a, 0, 1,
						       SCMI_SENSOR_TRIP_BOTH,
						       -5000), 0);
	assert_int_equal(scmi_sensor_trip_point_config(a, 2, 1,
						       SCMI_SENSOR_TRIP_DISABLE,
						       0), 0);
	/* checked before sending: trip ids, directions */
	before = fx_commands(a);
	assert_int_equal(scmi_sensor_trip_point_config(a, 0, 2,
						       SCMI_SENSOR_TRIP_UP, 1),
			 -EINVAL);
	assert_int_equal(scmi_sensor_trip_point_config(a, 3, 0,
						       SCMI_SENSOR_TRIP_UP, 1),
			 -EINVAL);
	assert_int_equal(scmi_sensor_trip_point_config(
				 a, 0, 0, (enum scmi_sensor_trip_dir)4, 1),
			 -EINVAL);
	assert_true(fx_commands(a) == before);

	/* the simulator's answers */
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 2u << 4 | 1); /* trip 2 of 2 */
	scmi_put_le64(tx + 8, 1);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_TRIP_POINT_CONFIG, tx, 16,
					 NULL, 0, NULL), -EINVAL);
	scmi_put_le32(tx, 3);
	scmi_put_le32(tx + 4, 0u << 4 | 1); /* sensor 3 has none */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_TRIP_POINT_CONFIG, tx, 16,
					 NULL, 0, NULL), -EINVAL);
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 1u << 2 | 1); /* reserved bit */
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_TRIP_POINT_CONFIG, tx, 16,
					 NULL, 0, NULL), -EINVAL);
	scmi_put_le32(tx, 4);
	scmi_put_le32(tx + 4, 1);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_TRIP_POINT_CONFIG, tx, 16,
					 NULL, 0, NULL), -ENOENT);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_TRIP_POINT_CONFIG, tx, 12,
					 NULL, 0, NULL), -EPROTO);
	/* notify commands: bad ids, bad bits, unsupported sensors */
	scmi_put_le32(tx, 4);
	scmi_put_le32(tx + 4, 1);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_TRIP_POINT_NOTIFY, tx, 8,
					 NULL, 0, NULL), -ENOENT);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_CONTINUOUS_UPDATE_NOTIFY, tx, 8,
					 NULL, 0, NULL), -ENOENT);
	scmi_put_le32(tx, 3);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_TRIP_POINT_NOTIFY, tx, 8,
					 NULL, 0, NULL), -EOPNOTSUPP);
	scmi_put_le32(tx, 2);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_CONTINUOUS_UPDATE_NOTIFY, tx, 8,
					 NULL, 0, NULL), -EOPNOTSUPP);
	scmi_put_le32(tx, 0);
	scmi_put_le32(tx + 4, 2);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_TRIP_POINT_NOTIFY, tx, 8,
					 NULL, 0, NULL), -EINVAL);
	assert_int_equal(scmi_agent_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_CONTINUOUS_UPDATE_NOTIFY, tx, 8,
					 NULL, 0, NULL), -EINVAL);
}

static void test_control_errors(void **state)
{
	struct fx *fx = *state;
	char reply[128];

	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply), "sensor get 2"), 0);
	assert_string_equal(reply, "ok 900000");
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "sensor set 4 1"), -ENOENT);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "sensor set 1"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "sensor set 1 12x"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "sensor set -1 12"), -EINVAL);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "sensor frob 1"), -EOPNOTSUPP);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply),
				 "sensor set 1 -77"), 0);
	assert_int_equal(sim_ctl(&fx->sim, reply, sizeof(reply), "sensor get 1"), 0);
	assert_string_equal(reply, "ok -77");
}

/* ---- events ---------------------------------------------------------- */

static void test_trip_events(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct fx_recorder l;
	const uint32_t s0 = 0, s1 = 1;
	uint64_t t0, t1;

	fx_rec_init(&l, SCMI_PROTOCOL_SENSOR);
	assert_int_equal(fx_rec_register(&l, a, EVT_TRIP, &s0), 0);

	/* sensor 0: trips at 70000 and 90000, upwards only */
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 0 75000");
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_trip(&l, 0, 0, 0 | SCMI_SENSOR_TRIP_DESC_UP, t0, t1);
	/* both at once, in trip order */
	fx_ctl(fx, "sensor set 0 60000");   /* down: not watched */
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 0 95000");
	assert_int_equal(fx_rec_wait(&l, 3, WAIT_MS), 3);
	t1 = sim_now_ns();
	check_trip(&l, 1, 0, 0 | SCMI_SENSOR_TRIP_DESC_UP, t0, t1);
	check_trip(&l, 2, 0, 1 | SCMI_SENSOR_TRIP_DESC_UP, t0, t1);
	/* no crossing: nothing */
	fx_ctl(fx, "sensor set 0 99000");
	/* an agent moves trip 1 to both directions at 97000 */
	assert_int_equal(scmi_sensor_trip_point_config(a, 0, 1,
						       SCMI_SENSOR_TRIP_BOTH,
						       97000), 0);
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 0 96000");
	assert_int_equal(fx_rec_wait(&l, 4, WAIT_MS), 4);
	check_trip(&l, 3, 0, 1, t0, sim_now_ns());
	/* trip 1 disabled: only trip 0 remains, and it watches upwards */
	assert_int_equal(scmi_sensor_trip_point_config(a, 0, 1,
						       SCMI_SENSOR_TRIP_DISABLE,
						       97000), 0);
	fx_ctl(fx, "sensor set 0 98000");
	fx_ctl(fx, "sensor set 0 10000");
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 4);

	/* sensor 1: one trip at 80000, both directions; sensor 2: 700000 down */
	assert_int_equal(fx_rec_register(&l, a, EVT_TRIP, &s1),
			 -EBUSY); /* one tuple per notifier */
	assert_int_equal(fx_rec_unregister(&l, a, EVT_TRIP, &s0), 0);
	assert_int_equal(fx_rec_register(&l, a, EVT_TRIP, NULL), 0);
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 1 85000");
	assert_int_equal(fx_rec_wait(&l, 5, WAIT_MS), 5);
	check_trip(&l, 4, 1, 0 | SCMI_SENSOR_TRIP_DESC_UP, t0, sim_now_ns());
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 1 80000");   /* at the threshold: still above */
	fx_ctl(fx, "sensor set 1 79999");
	assert_int_equal(fx_rec_wait(&l, 6, WAIT_MS), 6);
	check_trip(&l, 5, 1, 0, t0, sim_now_ns());
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 2 600000");
	assert_int_equal(fx_rec_wait(&l, 7, WAIT_MS), 7);
	check_trip(&l, 6, 2, 0, t0, sim_now_ns());
	fx_ctl(fx, "sensor set 2 800000");  /* upwards: not watched */
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 7);

	assert_int_equal(fx_rec_unregister(&l, a, EVT_TRIP, NULL), 0);
	fx_rec_fini(&l);
}

static void test_update_events(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct fx_recorder l;
	const uint32_t s0 = 0;
	uint64_t t0, t1, seen;

	fx_rec_init(&l, SCMI_PROTOCOL_SENSOR);
	assert_int_equal(fx_rec_register(&l, a, EVT_UPDATE, &s0), 0);

	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 0 46000");
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	t1 = sim_now_ns();
	check_update(&l, 0, 0, 46000, t0, t1, 0, 0);
	/* the same value is no change */
	fx_ctl(fx, "sensor set 0 46000");
	/* timestamps on: the reading carries the time of the change */
	assert_int_equal(scmi_sensor_config_set(a, 0, SCMI_SENSOR_CONFIG_ENABLE |
						     SCMI_SENSOR_CONFIG_TIMESTAMP),
			 0);
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 0 -20");
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	t1 = sim_now_ns();
	check_update(&l, 1, 0, -20, t0, t1, t0, t1);
	/* other sensors: not subscribed */
	fx_ctl(fx, "sensor set 1 41000");
	/* a disabled sensor reports nothing */
	assert_int_equal(scmi_sensor_config_set(a, 0, 0), 0);
	fx_ctl(fx, "sensor set 0 47000");
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 2);
	assert_int_equal(scmi_sensor_config_set(a, 0, SCMI_SENSOR_CONFIG_ENABLE), 0);
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 0 48000");
	assert_int_equal(fx_rec_wait(&l, 3, WAIT_MS), 3);
	check_update(&l, 2, 0, 48000, t0, sim_now_ns(), 0, 0);

	/*
	 * Unsubscribed: the platform is told (the disable may be sent by the
	 * dispatcher just after unregister returns: settle first), and
	 * sends no more.
	 */
	assert_int_equal(fx_rec_unregister(&l, a, EVT_UPDATE, &s0), 0);
	sim_sleep_ms(QUIET_MS);
	seen = fx_notifications(a);
	assert_true(seen == 3);
	fx_ctl(fx, "sensor set 0 49000");
	fx_ctl(fx, "sensor set 0 99000"); /* and trips: nobody asked */
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), 3);
	assert_true(fx_notifications(a) == seen);
	fx_rec_fini(&l);
}

/* An update interval makes the simulated value drift: +100, -100, ... */
static void test_periodic_drift(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct fx_recorder l;
	const uint32_t s1 = 1;
	unsigned int n;

	fx_rec_init(&l, SCMI_PROTOCOL_SENSOR);
	assert_int_equal(fx_rec_register(&l, a, EVT_UPDATE, &s1), 0);
	/* every 20 ms, with timestamps */
	assert_int_equal(scmi_sensor_config_set(
				 a, 1, SCMI_SENSOR_CONFIG(20, -3,
					SCMI_SENSOR_CONFIG_ENABLE |
					SCMI_SENSOR_CONFIG_TIMESTAMP)), 0);
	assert_int_equal(fx_rec_wait(&l, 3, WAIT_MS), 3);
	for (unsigned int i = 0; i < 3; i++) {
		struct scmi_sensor_update_report u =
			fx_rec_get(&l, i).r.sensor_update;

		assert_int_equal(u.sensor_id, 1);
		assert_int_equal(u.agent_id, 0);
		assert_int_equal(u.readings_count, 1);
		assert_int_equal(u.readings[0].value, i % 2 ? 40000 : 40100);
		assert_true(u.readings[0].timestamp > 0);
		assert_true(u.readings[0].timestamp <= u.timestamp);
	}
	/* no interval: no drift */
	assert_int_equal(scmi_sensor_config_set(a, 1, SCMI_SENSOR_CONFIG_ENABLE),
			 0);
	n = fx_rec_count_after(&l, QUIET_MS);
	assert_int_equal(fx_rec_count_after(&l, QUIET_MS), n);
	assert_int_equal(fx_rec_unregister(&l, a, EVT_UPDATE, &s1), 0);
	fx_rec_fini(&l);
}

static void test_two_agents(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct scmi_agent *b = fx_agent_connected(fx, 1);
	struct fx_recorder l;
	uint64_t t0;

	fx_rec_init(&l, SCMI_PROTOCOL_SENSOR);
	/* every sensor that can: 0 and 1 */
	assert_int_equal(fx_rec_register(&l, a, EVT_UPDATE, NULL), 0);
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 1 50000");
	assert_int_equal(fx_rec_wait(&l, 1, WAIT_MS), 1);
	check_update(&l, 0, 1, 50000, t0, sim_now_ns(), 0, 0);
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 0 50000");
	assert_int_equal(fx_rec_wait(&l, 2, WAIT_MS), 2);
	check_update(&l, 1, 0, 50000, t0, sim_now_ns(), 0, 0);
	/* b never subscribed: it received nothing */
	sim_sleep_ms(QUIET_MS);
	assert_true(fx_notifications(b) == 0);
	assert_true(fx_notifications(a) == 2);
	assert_int_equal(fx_rec_unregister(&l, a, EVT_UPDATE, NULL), 0);
	fx_rec_fini(&l);
}

static void test_pending_before_connect(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_new(fx, 0);
	struct fx_recorder l;
	const uint32_t s1 = 1;
	int64_t v = 60000;
	unsigned int seen;
	uint64_t t0;

	fx_rec_init(&l, SCMI_PROTOCOL_SENSOR);
	assert_int_equal(fx_rec_register(&l, a, EVT_UPDATE, &s1), 0);
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	/* the worker binds the handler and enables on its own time */
	for (int i = 0; i < 100 && !fx_rec_count(&l); i++) {
		fx_ctl(fx, "sensor set 1 %lld", (long long)++v);
		fx_rec_wait(&l, 1, 20);
	}
	seen = fx_rec_wait(&l, 1, WAIT_MS);
	assert_true(seen >= 1);
	t0 = sim_now_ns();
	fx_ctl(fx, "sensor set 1 -3");
	assert_int_equal(fx_rec_wait(&l, seen + 1, WAIT_MS), seen + 1);
	check_update(&l, seen, 1, -3, t0, sim_now_ns(), 0, 0);
	assert_int_equal(fx_rec_unregister(&l, a, EVT_UPDATE, &s1), 0);
	fx_rec_fini(&l);
}

static void test_unsupported_sources(void **state)
{
	struct fx *fx = *state;
	struct scmi_agent *a = fx_agent_connected(fx, 0);
	struct fx_recorder l;
	const uint32_t s2 = 2, s3 = 3, s4 = 4;
	uint64_t before;

	fx_rec_init(&l, SCMI_PROTOCOL_SENSOR);
	before = fx_commands(a);
	/* sensor 3: no trip points, no updates; sensor 2: no updates */
	assert_int_equal(fx_rec_register(&l, a, EVT_TRIP, &s3), -EOPNOTSUPP);
	assert_int_equal(fx_rec_register(&l, a, EVT_UPDATE, &s3), -EOPNOTSUPP);
	assert_int_equal(fx_rec_register(&l, a, EVT_UPDATE, &s2), -EOPNOTSUPP);
	/* no such sensor, no such event */
	assert_int_equal(fx_rec_register(&l, a, EVT_UPDATE, &s4), -EINVAL);
	assert_int_equal(fx_rec_register(&l, a, 2, NULL), -EINVAL);
	assert_true(fx_commands(a) == before);
	/* sensor 2 can trip */
	assert_int_equal(fx_rec_register(&l, a, EVT_TRIP, &s2), 0);
	assert_true(fx_commands(a) == before + 1);
	assert_int_equal(fx_rec_unregister(&l, a, EVT_TRIP, &s2), 0);
	fx_rec_fini(&l);
}

/*
 * Every message id, as the reference platform answers: those Sensor 3.0
 * defines are implemented but the two of axes (0x7, 0xD),
 * which are NOT_SUPPORTED; from 0xE on, NOT_FOUND.
 */
static void test_message_ids(void **state)
{
	static const uint8_t unimpl[] = { 0x7, 0xD };
	static const struct fx_msg_ids ids = {
		SCMI_PROTOCOL_SENSOR, 0xD, unimpl, sizeof(unimpl),
	};
	struct scmi_agent *a = fx_agent_connected(*state, 0);

	assert_int_equal(fx_msg_ids_mismatches(a, &ids), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_discovery),
		FX_TEST(test_message_ids),
		FX_TEST_SETUP(test_discovery_small_msgs, setup_small_msgs),
		FX_TEST(test_reading_and_config),
		FX_TEST(test_trip_point_config),
		FX_TEST(test_control_errors),
		FX_TEST(test_trip_events),
		FX_TEST(test_update_events),
		FX_TEST(test_periodic_drift),
		FX_TEST(test_two_agents),
		FX_TEST(test_pending_before_connect),
		FX_TEST(test_unsupported_sources),
	};

	return fx_run_tests(tests);
}
