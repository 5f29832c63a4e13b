/* SPDX-License-Identifier: MIT */
/*
 * include/scmi/names.h: every protocol and event of the drivers has its
 * name, the lookups by name find them back (in any case) and refuse what
 * is not there; agent, system and sensor type names and units against the
 * specification's table; power states and sensor readings formatted,
 * exactly, with every refusal (NULL, a zero size, a buffer too small,
 * where the text is cut but still NUL-terminated).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/names.h>
#include <scmi/protocols.h>

#include "protocols/protocols.h"

/* ---- protocols and events -------------------------------------------- */

static void test_protocol_names(void **state)
{
	static const struct {
		uint8_t id;
		const char *name;
		int num_events;
	} want[] = {
		{ SCMI_PROTOCOL_BASE, "base", 1 },
		{ SCMI_PROTOCOL_POWER, "power", 1 },
		{ SCMI_PROTOCOL_SYSTEM, "system", 1 },
		{ SCMI_PROTOCOL_PERF, "perf", 2 },
		{ SCMI_PROTOCOL_CLOCK, "clock", 2 },
		{ SCMI_PROTOCOL_SENSOR, "sensor", 2 },
		{ SCMI_PROTOCOL_RESET, "reset", 1 },
		{ SCMI_PROTOCOL_VOLTAGE, "voltage", 0 },
		{ SCMI_PROTOCOL_POWERCAP, "powercap", 2 },
	};

	assert_int_equal(scmi_proto_num_drivers, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_string_equal(scmi_protocol_name(want[i].id), want[i].name);
		assert_int_equal(scmi_protocol_by_name(want[i].name), want[i].id);
		assert_int_equal(scmi_protocol_num_events(want[i].id),
				 want[i].num_events);
	}
	assert_int_equal(scmi_protocol_by_name("PowerCap"), SCMI_PROTOCOL_POWERCAP);
	assert_int_equal(scmi_protocol_by_name("SENSOR"), SCMI_PROTOCOL_SENSOR);
}

static void test_protocol_unknown(void **state)
{
	assert_null(scmi_protocol_name(0x00));
	assert_null(scmi_protocol_name(0x19));
	assert_null(scmi_protocol_name(SCMI_PROTOCOL_VENDOR_FIRST));
	assert_null(scmi_protocol_name(0xFF));
	assert_int_equal(scmi_protocol_num_events(0x19), -ENOENT);
	assert_int_equal(scmi_protocol_by_name(NULL), -EINVAL);
	assert_int_equal(scmi_protocol_by_name(""), -ENOENT);
	assert_int_equal(scmi_protocol_by_name("pow"), -ENOENT);
	assert_int_equal(scmi_protocol_by_name("powerx"), -ENOENT);
}

static void test_event_names(void **state)
{
	static const struct {
		uint8_t proto_id, evt_id;
		const char *name;
	} want[] = {
		{ SCMI_PROTOCOL_BASE, SCMI_EVENT_BASE_ERROR_EVENT, "BASE_ERROR_EVENT" },
		{ SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGED,
		  "POWER_STATE_CHANGED" },
		{ SCMI_PROTOCOL_SYSTEM, SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER,
		  "SYSTEM_POWER_STATE_NOTIFIER" },
		{ SCMI_PROTOCOL_PERF, SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED,
		  "PERFORMANCE_LIMITS_CHANGED" },
		{ SCMI_PROTOCOL_PERF, SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED,
		  "PERFORMANCE_LEVEL_CHANGED" },
		{ SCMI_PROTOCOL_CLOCK, SCMI_EVENT_CLOCK_RATE_CHANGED,
		  "CLOCK_RATE_CHANGED" },
		{ SCMI_PROTOCOL_CLOCK, SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED,
		  "CLOCK_RATE_CHANGE_REQUESTED" },
		{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_TRIP_POINT_EVENT,
		  "SENSOR_TRIP_POINT_EVENT" },
		{ SCMI_PROTOCOL_SENSOR, SCMI_EVENT_SENSOR_UPDATE, "SENSOR_UPDATE" },
		{ SCMI_PROTOCOL_RESET, SCMI_EVENT_RESET_ISSUED, "RESET_ISSUED" },
		{ SCMI_PROTOCOL_POWERCAP, SCMI_EVENT_POWERCAP_CAP_CHANGED,
		  "POWERCAP_CAP_CHANGED" },
		{ SCMI_PROTOCOL_POWERCAP, SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED,
		  "POWERCAP_MEASUREMENTS_CHANGED" },
	};
	unsigned int total = 0;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint8_t proto = 0;

		assert_string_equal(scmi_event_name(want[i].proto_id, want[i].evt_id),
				    want[i].name);
		assert_int_equal(scmi_event_by_name(want[i].name, &proto),
				 want[i].evt_id);
		assert_int_equal(proto, want[i].proto_id);
	}
	/* the table above is all of them */
	for (unsigned int i = 0; i < scmi_proto_num_drivers; i++)
		total += (unsigned int)scmi_protocol_num_events(
			scmi_proto_drivers[i]->proto_id);
	assert_int_equal(total, sizeof(want) / sizeof(want[0]));
	/* any case; proto_id may be NULL */
	assert_int_equal(scmi_event_by_name("sensor_update", NULL),
			 SCMI_EVENT_SENSOR_UPDATE);
	assert_int_equal(scmi_event_by_name("Performance_Level_Changed", NULL),
			 SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED);
}

static void test_event_unknown(void **state)
{
	uint8_t proto = 0x42;

	assert_null(scmi_event_name(SCMI_PROTOCOL_POWER, 1));
	assert_null(scmi_event_name(SCMI_PROTOCOL_PERF, 2));
	assert_null(scmi_event_name(SCMI_PROTOCOL_VOLTAGE, 0));
	assert_null(scmi_event_name(0x19, 0));
	assert_null(scmi_event_name(SCMI_PROTOCOL_SENSOR, 0xFF));
	assert_int_equal(scmi_event_by_name(NULL, &proto), -EINVAL);
	assert_int_equal(scmi_event_by_name("SENSOR_TRIP_POINT", &proto), -ENOENT);
	assert_int_equal(scmi_event_by_name("", &proto), -ENOENT);
	assert_int_equal(proto, 0x42); /* untouched on error */
}

/* Every driver names each of its events, densely by id. */
static void test_drivers_name_every_event(void **state)
{
	for (unsigned int i = 0; i < scmi_proto_num_drivers; i++) {
		const struct scmi_proto_driver *d = scmi_proto_drivers[i];

		assert_non_null(d->name);
		if (!d->events) {
			assert_null(d->event_names);
			continue;
		}
		assert_non_null(d->event_names);
		for (unsigned int e = 0; e < d->events->num_events; e++) {
			assert_true(d->events->evts[e].id < d->events->num_events);
			assert_non_null(d->event_names[d->events->evts[e].id]);
		}
	}
}

/* ---- states and sensor types ----------------------------------------- */

static void test_agent_state_names(void **state)
{
	assert_string_equal(scmi_agent_state_name(SCMI_AGENT_DISCONNECTED),
			    "disconnected");
	assert_string_equal(scmi_agent_state_name(SCMI_AGENT_CONNECTED), "connected");
	assert_string_equal(scmi_agent_state_name(SCMI_AGENT_RECONNECTING),
			    "reconnecting");
	assert_null(scmi_agent_state_name(3));
	assert_null(scmi_agent_state_name(-EINVAL));
}

static void test_system_state_names(void **state)
{
	assert_string_equal(scmi_system_state_name(SCMI_SYSTEM_SHUTDOWN), "shutdown");
	assert_string_equal(scmi_system_state_name(SCMI_SYSTEM_COLDRESET),
			    "cold-reset");
	assert_string_equal(scmi_system_state_name(SCMI_SYSTEM_WARMRESET),
			    "warm-reset");
	assert_string_equal(scmi_system_state_name(SCMI_SYSTEM_POWERUP), "power-up");
	assert_string_equal(scmi_system_state_name(SCMI_SYSTEM_SUSPEND), "suspend");
	assert_string_equal(scmi_system_state_name(5), "reserved");
	assert_string_equal(scmi_system_state_name(0x7FFFFFFF), "reserved");
	assert_string_equal(scmi_system_state_name(0x80000000), "vendor");
	assert_string_equal(scmi_system_state_name(0xFFFFFFFF), "vendor");
}

static void test_sensor_types(void **state)
{
	static const struct {
		uint8_t type;
		const char *name, *unit;
	} want[] = {
		{ SCMI_SENSOR_TYPE_NONE, "none", "" },
		{ SCMI_SENSOR_TYPE_UNSPEC, "unspec", "" },
		{ SCMI_SENSOR_TYPE_TEMPERATURE_C, "temperature_c", "°C" },
		{ SCMI_SENSOR_TYPE_TEMPERATURE_F, "temperature_f", "°F" },
		{ SCMI_SENSOR_TYPE_TEMPERATURE_K, "temperature_k", "K" },
		{ SCMI_SENSOR_TYPE_VOLTAGE, "voltage", "V" },
		{ SCMI_SENSOR_TYPE_CURRENT, "current", "A" },
		{ SCMI_SENSOR_TYPE_POWER, "power", "W" },
		{ SCMI_SENSOR_TYPE_ENERGY, "energy", "J" },
		{ SCMI_SENSOR_TYPE_RPM, "rpm", "RPM" },
		{ SCMI_SENSOR_TYPE_HZ, "hertz", "Hz" },
		{ SCMI_SENSOR_TYPE_PERCENTAGE, "percentage", "%" },
		{ SCMI_SENSOR_TYPE_OEM, "oem_unit", "" },
		/* others of the table, by number */
		{ 0x0F, "kpa", "kPa" },
		{ 0x31, "ohms", "Ω" },
		{ 0x3B, "color_temp_k", "K" },
		{ 0x44, "grams", "g" },
		{ 0x5D, "radians_sec_squared", "rad/s²" },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_string_equal(scmi_sensor_type_name(want[i].type), want[i].name);
		assert_string_equal(scmi_sensor_unit(want[i].type), want[i].unit);
	}
	/* every defined type has a name; reserved ones have none, nor a unit */
	for (unsigned int t = 0; t <= 0x5D; t++)
		assert_non_null(scmi_sensor_type_name((uint8_t)t));
	for (unsigned int t = 0x5E; t < 0xFF; t++) {
		assert_null(scmi_sensor_type_name((uint8_t)t));
		assert_string_equal(scmi_sensor_unit((uint8_t)t), "");
	}
}

/* ---- formatting ------------------------------------------------------ */

static void expect_power(uint32_t st, const char *want)
{
	char buf[64];

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(scmi_power_state_format(st, buf, sizeof(buf)),
			 (int)strlen(want));
	assert_string_equal(buf, want);
}

static void test_power_state_format(void **state)
{
	char buf[8];

	expect_power(SCMI_POWER_STATE_ON, "on");
	expect_power(SCMI_POWER_STATE_OFF, "off");
	expect_power(0x00000005, "operational,id=0x5");
	expect_power(0x40000003, "off/ret,id=0x3");
	expect_power(0x0FFFFFFF, "operational,id=0xfffffff");
	expect_power(0x80000000, "operational,id=0x0,reserved");
	expect_power(0x70000001, "off/ret,id=0x1,reserved");

	assert_int_equal(scmi_power_state_format(0, NULL, 8), -EINVAL);
	assert_int_equal(scmi_power_state_format(0, buf, 0), -EINVAL);
	/* "off" needs 4 bytes: 3 are too few, cut and terminated */
	assert_int_equal(scmi_power_state_format(SCMI_POWER_STATE_OFF, buf, 4), 3);
	assert_int_equal(scmi_power_state_format(SCMI_POWER_STATE_OFF, buf, 3),
			 -ENOSPC);
	assert_string_equal(buf, "of");
	assert_int_equal(scmi_power_state_format(0x40000003, buf, sizeof(buf)),
			 -ENOSPC);
	assert_string_equal(buf, "off/ret");
}

static void expect_reading(int64_t value, int8_t scale, uint8_t type,
			   const char *want)
{
	char buf[300];

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(scmi_sensor_reading_format(value, scale, type, buf,
						     sizeof(buf)),
			 (int)strlen(want));
	assert_string_equal(buf, want);
}

static void test_reading_format(void **state)
{
	expect_reading(72000, -3, SCMI_SENSOR_TYPE_TEMPERATURE_C, "72.000 °C");
	expect_reading(-5, -3, SCMI_SENSOR_TYPE_TEMPERATURE_C, "-0.005 °C");
	expect_reading(5, 2, SCMI_SENSOR_TYPE_RPM, "500 RPM");
	expect_reading(0, 3, SCMI_SENSOR_TYPE_RPM, "0 RPM");
	expect_reading(0, -2, SCMI_SENSOR_TYPE_VOLTAGE, "0.00 V");
	expect_reading(1234, 0, SCMI_SENSOR_TYPE_POWER, "1234 W");
	expect_reading(1234, -4, SCMI_SENSOR_TYPE_NONE, "0.1234");
	expect_reading(1234, -1, SCMI_SENSOR_TYPE_OEM, "123.4");
	expect_reading(-1234, -2, 0x80, "-12.34");
	expect_reading(45, 0, SCMI_SENSOR_TYPE_PERCENTAGE, "45 %");
	expect_reading(INT64_MAX, -18, SCMI_SENSOR_TYPE_NONE,
		       "9.223372036854775807");
	expect_reading(INT64_MIN, -19, SCMI_SENSOR_TYPE_NONE,
		       "-0.9223372036854775808");
	expect_reading(INT64_MIN, 0, SCMI_SENSOR_TYPE_NONE,
		       "-9223372036854775808");
	expect_reading(-1, 5, SCMI_SENSOR_TYPE_NONE, "-100000");
	/* the whole range of an int8_t: 1e-128 and 1e127 */
	{
		char want[200];

		memset(want, '0', sizeof(want));
		want[1] = '.';
		want[129] = '1';	/* "0." and 127 zeros before it */
		want[130] = '\0';
		expect_reading(1, -128, SCMI_SENSOR_TYPE_NONE, want);
		memset(want, '0', sizeof(want));
		want[0] = '1';
		want[128] = '\0';
		expect_reading(1, 127, SCMI_SENSOR_TYPE_NONE, want);
	}
}

static void test_reading_format_refusals(void **state)
{
	char buf[16];

	assert_int_equal(scmi_sensor_reading_format(1, 0, 0, NULL, 4), -EINVAL);
	assert_int_equal(scmi_sensor_reading_format(1, 0, 0, buf, 0), -EINVAL);
	/* "72.000 °C" is 10 bytes (° is two) and its NUL */
	assert_int_equal(scmi_sensor_reading_format(72000, -3,
						    SCMI_SENSOR_TYPE_TEMPERATURE_C,
						    buf, 11), 10);
	assert_int_equal(scmi_sensor_reading_format(72000, -3,
						    SCMI_SENSOR_TYPE_TEMPERATURE_C,
						    buf, 10), -ENOSPC);
	assert_int_equal(strlen(buf), 9);
	assert_memory_equal(buf, "72.000 \xC2\xB0", 9);
	assert_int_equal(scmi_sensor_reading_format(-123456, -3, 0, buf, 5),
			 -ENOSPC);
	assert_string_equal(buf, "-123");
	assert_int_equal(scmi_sensor_reading_format(1, 100, 0, buf, sizeof(buf)),
			 -ENOSPC);
	assert_string_equal(buf, "100000000000000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocol_names),
		cmocka_unit_test(test_protocol_unknown),
		cmocka_unit_test(test_event_names),
		cmocka_unit_test(test_event_unknown),
		cmocka_unit_test(test_drivers_name_every_event),
		cmocka_unit_test(test_agent_state_names),
		cmocka_unit_test(test_system_state_names),
		cmocka_unit_test(test_sensor_types),
		cmocka_unit_test(test_power_state_format),
		cmocka_unit_test(test_reading_format),
		cmocka_unit_test(test_reading_format_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
