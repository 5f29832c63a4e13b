// SPDX-License-Identifier: MIT
//
// The public headers from C++, as a user's program: every function-like
// macro expanded (check-headers.sh makes sure none is missing) and its
// value checked, scmi_container_of() on a notifier, and the deprecated
// event aliases equal to the kernel's names. Built with -Wall -Wextra
// -Wold-style-cast -pedantic as errors, linked against the library (and
// calls a few of its functions, names.h's and the *_sized() ones through
// their inline wrappers among them), and
// run: exit status 0 when every check holds, 1 (with the failed checks on
// stderr) otherwise. Every public struct is value-initialised by its bare
// name (`scmi_sensor_info info{};`): no function of the same name hides it
// (check-headers.sh makes sure none is missing).
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include <cstring>

#include <scmi/agent.h>
#include <scmi/clock.h>
#include <scmi/names.h>
#include <scmi/notify.h>
#include <scmi/paths.h>
#include <scmi/perf.h>
#include <scmi/power.h>
#include <scmi/powercap.h>
#include <scmi/protocols.h>
#include <scmi/raw.h>
#include <scmi/reset.h>
#include <scmi/sensor.h>
#include <scmi/system.h>
#include <scmi/transport.h>
#include <scmi/util.h>
#include <scmi/voltage.h>
#include <scmi/wire.h>

static_assert(SCMI_EVENT_BASE_ERROR == SCMI_EVENT_BASE_ERROR_EVENT,
	      "deprecated alias");
static_assert(SCMI_EVENT_SENSOR_TRIP_POINT == SCMI_EVENT_SENSOR_TRIP_POINT_EVENT,
	      "deprecated alias");
static_assert(SCMI_EVENT_PERF_LIMITS_CHANGED == SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED,
	      "deprecated alias");
static_assert(SCMI_EVENT_PERF_LEVEL_CHANGED == SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED,
	      "deprecated alias");

namespace {

int failures;

void check(bool ok, const char *what)
{
	if (!ok) {
		std::fprintf(stderr, "test-cxx: FAIL: %s\n", what);
		failures++;
	}
}

#define CHECK(expr) check((expr), #expr)

bool all_zero(const void *p, std::size_t n)
{
	const unsigned char *b = static_cast<const unsigned char *>(p);

	for (std::size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

struct watcher {
	int before;
	struct scmi_notifier nb;
	unsigned int seen;
};

int on_event(struct scmi_notifier *nb, uint8_t, const void *)
{
	struct watcher *w = scmi_container_of(nb, struct watcher, nb);

	w->seen++;
	return SCMI_NOTIFY_OK;
}

} // namespace

int main()
{
	struct watcher w{};
	uint8_t buf[8];
	struct scmi_msg_hdr h{};

	// every public struct by its bare name, value-initialised: zeroed
	{
		scmi_agent_config agent_config{};
		scmi_agent_stats agent_stats{};
		scmi_base_error_report base_error_report{};
		scmi_base_info base_info{};
		scmi_clock_info clock_info{};
		scmi_clock_protocol_info clock_protocol_info{};
		scmi_clock_rate_notif_report clock_rate_notif_report{};
		scmi_event event{};
		scmi_event_ops event_ops{};
		scmi_hello hello{};
		scmi_msg_hdr msg_hdr{};
		scmi_notifier notifier{};
		scmi_notify_config notify_config{};
		scmi_notify_stats notify_stats{};
		scmi_perf_domain_info perf_domain_info{};
		scmi_perf_level perf_level{};
		scmi_perf_level_report perf_level_report{};
		scmi_perf_limits_report perf_limits_report{};
		scmi_perf_protocol_info perf_protocol_info{};
		scmi_power_domain_info power_domain_info{};
		scmi_power_protocol_info power_protocol_info{};
		scmi_power_state_changed_report power_state_changed_report{};
		scmi_powercap_cap_changed_report powercap_cap_changed_report{};
		scmi_powercap_info powercap_info{};
		scmi_powercap_meas_changed_report powercap_meas_changed_report{};
		scmi_protocol_events protocol_events{};
		scmi_raw_cmd raw_cmd{};
		scmi_raw_msg raw_msg{};
		scmi_raw_reply raw_reply{};
		scmi_raw_stats raw_stats{};
		scmi_reset_domain_info reset_domain_info{};
		scmi_reset_issued_report reset_issued_report{};
		scmi_reset_protocol_info reset_protocol_info{};
		scmi_sensor_info sensor_info{};
		scmi_sensor_reading sensor_reading{};
		scmi_sensor_trip_point_report sensor_trip_point_report{};
		scmi_sensor_update_report sensor_update_report{};
		scmi_system_power_info system_power_info{};
		scmi_system_power_state_notifier_report system_power_state_notifier_report{};
		scmi_voltage_domain_info voltage_domain_info{};
		scmi_voltage_protocol_info voltage_protocol_info{};

		CHECK(all_zero(&agent_config, sizeof(agent_config)));
		CHECK(all_zero(&agent_stats, sizeof(agent_stats)));
		CHECK(all_zero(&base_error_report, sizeof(base_error_report)));
		CHECK(all_zero(&base_info, sizeof(base_info)));
		CHECK(all_zero(&clock_info, sizeof(clock_info)));
		CHECK(all_zero(&clock_protocol_info, sizeof(clock_protocol_info)));
		CHECK(all_zero(&clock_rate_notif_report, sizeof(clock_rate_notif_report)));
		CHECK(all_zero(&event, sizeof(event)));
		CHECK(all_zero(&event_ops, sizeof(event_ops)));
		CHECK(all_zero(&hello, sizeof(hello)));
		CHECK(all_zero(&msg_hdr, sizeof(msg_hdr)));
		CHECK(all_zero(&notifier, sizeof(notifier)));
		CHECK(all_zero(&notify_config, sizeof(notify_config)));
		CHECK(all_zero(&notify_stats, sizeof(notify_stats)));
		CHECK(all_zero(&perf_domain_info, sizeof(perf_domain_info)));
		CHECK(all_zero(&perf_level, sizeof(perf_level)));
		CHECK(all_zero(&perf_level_report, sizeof(perf_level_report)));
		CHECK(all_zero(&perf_limits_report, sizeof(perf_limits_report)));
		CHECK(all_zero(&perf_protocol_info, sizeof(perf_protocol_info)));
		CHECK(all_zero(&power_domain_info, sizeof(power_domain_info)));
		CHECK(all_zero(&power_protocol_info, sizeof(power_protocol_info)));
		CHECK(all_zero(&power_state_changed_report, sizeof(power_state_changed_report)));
		CHECK(all_zero(&powercap_cap_changed_report, sizeof(powercap_cap_changed_report)));
		CHECK(all_zero(&powercap_info, sizeof(powercap_info)));
		CHECK(all_zero(&powercap_meas_changed_report, sizeof(powercap_meas_changed_report)));
		CHECK(all_zero(&protocol_events, sizeof(protocol_events)));
		CHECK(all_zero(&raw_cmd, sizeof(raw_cmd)));
		CHECK(all_zero(&raw_msg, sizeof(raw_msg)));
		CHECK(all_zero(&raw_reply, sizeof(raw_reply)));
		CHECK(all_zero(&raw_stats, sizeof(raw_stats)));
		CHECK(all_zero(&reset_domain_info, sizeof(reset_domain_info)));
		CHECK(all_zero(&reset_issued_report, sizeof(reset_issued_report)));
		CHECK(all_zero(&reset_protocol_info, sizeof(reset_protocol_info)));
		CHECK(all_zero(&sensor_info, sizeof(sensor_info)));
		CHECK(all_zero(&sensor_reading, sizeof(sensor_reading)));
		CHECK(all_zero(&sensor_trip_point_report, sizeof(sensor_trip_point_report)));
		CHECK(all_zero(&sensor_update_report, sizeof(sensor_update_report)));
		CHECK(all_zero(&system_power_info, sizeof(system_power_info)));
		CHECK(all_zero(&system_power_state_notifier_report, sizeof(system_power_state_notifier_report)));
		CHECK(all_zero(&voltage_domain_info, sizeof(voltage_domain_info)));
		CHECK(all_zero(&voltage_protocol_info, sizeof(voltage_protocol_info)));
	}

	// scmi_container_of() finds the struct around the notifier
	w.nb.cb = on_event;
	CHECK(w.nb.cb(&w.nb, 0, nullptr) == SCMI_NOTIFY_OK);
	CHECK(w.seen == 1);
	CHECK(scmi_container_of(&w.nb, struct watcher, nb) == &w);

	// wire.h
	CHECK(SCMI_CAST(uint8_t, 0x1234u) == 0x34);
	CHECK(SCMI_VERSION(3, 1) == 0x30001u);
	CHECK(SCMI_VERSION_MAJOR(0x30001u) == 3);
	CHECK(SCMI_VERSION_MINOR(0x30001u) == 1);
	CHECK(scmi_hdr_unpack(scmi_hdr_pack(7, SCMI_MSG_TYPE_NOTIFICATION,
					    SCMI_PROTOCOL_SENSOR, 1023), &h) == 0);
	CHECK(h.msg_id == 7 && h.type == SCMI_MSG_TYPE_NOTIFICATION &&
	      h.proto_id == SCMI_PROTOCOL_SENSOR && h.token == 1023);
	scmi_put_le64(buf, UINT64_C(0x0102030405060708));
	CHECK(buf[0] == 0x08 && buf[7] == 0x01);
	CHECK(scmi_get_le64(buf) == UINT64_C(0x0102030405060708));
	CHECK(scmi_status_to_errno(SCMI_ERR_ACCESS) == -EACCES);
	CHECK(scmi_status_to_errno(-100) == -EIO);

	// sensor.h
	CHECK(SCMI_SENSOR_TRIP_DESC_ID(0x10003u) == 3);
	CHECK(SCMI_SENSOR_INTERVAL_SECS(5u << 5 | 0x1Fu) == 5);
	CHECK(SCMI_SENSOR_INTERVAL_EXP(0x1Fu) == -1);
	CHECK(SCMI_SENSOR_INTERVAL_EXP(0x03u) == 3);
	CHECK(SCMI_SENSOR_CONFIG(1, -3, SCMI_SENSOR_CONFIG_ENABLE) ==
	      (1u << 16 | 0x1Du << 11 | 1u));

	// system.h
	CHECK(SCMI_SYSPOWER_IS_REQUEST_GRACEFUL(SCMI_SYSTEM_GRACEFUL));
	CHECK(!SCMI_SYSPOWER_IS_REQUEST_GRACEFUL(0u));

	// and the library links from C++
	CHECK(scmi_agent_notify(nullptr) == nullptr);
	// through the inline wrappers of the *_sized() functions
	{
		scmi_agent_config cfg{};
		scmi_agent_stats stats{};
		scmi_sensor_info info{};
		struct scmi_agent *agent = nullptr;

		cfg.timeout_ms = 5;
		CHECK(scmi_agent_create(&agent, &cfg) == 0);
		CHECK(scmi_agent_get_state(agent) == SCMI_AGENT_DISCONNECTED);
		CHECK(scmi_agent_get_stats(agent, &stats) == 0);
		CHECK(stats.commands == 0);
		CHECK(scmi_sensor_info_get(agent, 0, &info) == -ENOTCONN);
		CHECK(scmi_sensor_info_get(agent, 0, nullptr) == -EINVAL);
		scmi_agent_destroy(agent);
	}
	CHECK(std::strcmp(scmi_event_name(SCMI_PROTOCOL_SENSOR,
					  SCMI_EVENT_SENSOR_TRIP_POINT_EVENT),
			  "SENSOR_TRIP_POINT_EVENT") == 0);
	{
		char text[32];

		CHECK(scmi_sensor_reading_format(72000, -3,
						 SCMI_SENSOR_TYPE_TEMPERATURE_C,
						 text, sizeof(text)) == 10);
		CHECK(std::strcmp(text, "72.000 \u00b0C") == 0);
	}

	return failures ? 1 : 0;
}
