// SPDX-License-Identifier: MIT
//
// The public headers from C++, as a user's program: every function-like
// macro expanded (check-headers.sh makes sure none is missing) and its
// value checked, scmi_container_of() on a notifier, and the deprecated
// event aliases equal to the kernel's names. Built with -Wall -Wextra
// -Wold-style-cast -pedantic as errors, linked against the library (and
// calls a few of its functions, names.h's among them), and
// run: exit status 0 when every check holds, 1 (with the failed checks on
// stderr) otherwise.
#include <cstdint>
#include <cstdio>

#include <cstring>

#include <scmi/agent.h>
#include <scmi/names.h>
#include <scmi/notify.h>
#include <scmi/protocols.h>
#include <scmi/util.h>
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
