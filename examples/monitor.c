/* SPDX-License-Identifier: MIT */
/*
 * scmi-monitor: subscribe to the notifications of an SCMI platform and
 * print one line per event, readable or JSON (see scmi-monitor.1).
 *
 * Theory of operation
 * -------------------
 * What is printed comes from constant tables: protos[] has one row per
 * protocol (its id, what its sources are called, how many there are)
 * pointing to its events, and each event has a table of the fields of its
 * report struct (member name, text label, offset, type, optional decoder).
 * The names of protocols and events, power and system states come from
 * the library (include/scmi/names.h). The two printers, text and JSON,
 * walk those tables; nothing below switches on a protocol id. A new
 * protocol is a new row and its tables.
 *
 * Threads:
 *   - main: options, connect, one notifier per (protocol, event, source)
 *     that the filters keep, then a poll() on a signalfd (SIGINT, SIGTERM;
 *     blocked in every thread before the agent starts any), on an eventfd
 *     that on_event() and on_state() write when the monitor must stop
 *     (--count reached, output failed, the platform went away), and on
 *     stdout for its reader's end (a closed pipe: POLLERR). Then it stops
 *     the agent and prints the summary (not when stdout was closed: the
 *     reader wanted no more, as head(1) does; that is no error, exit 0).
 *   - the notify core's worker: on_event(), one callback at a time (the
 *     core serializes dispatch), formats a line and writes it to stdout,
 *     flushed at once so that a pipe reader sees every event when it
 *     happens.
 *   - the agent's supervisor: on_state(), the agent's state_fn, which
 *     tells that the platform hung up (DISCONNECTED with an error).
 *
 * Lock: mon.out_mtx protects the line buffer, the stop state (stopping,
 * reason, out_errno, gone_err) and the counters (printed, counts[][]); the
 * main thread takes it to stop the output, and reads the counters after
 * the agent is destroyed (no callback runs any more).
 */
#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <scmi/agent.h>
#include <scmi/names.h>
#include <scmi/notify.h>
#include <scmi/paths.h>
#include <scmi/protocols.h>
#include <scmi/util.h>
#include <scmi/wire.h>

#include "cli.h"
#include "connect-error.h"

#ifndef SCMI_MONITOR_VERSION
#define SCMI_MONITOR_VERSION "0.1.0"
#endif

#define PROG "scmi-monitor"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NSEC_PER_SEC UINT64_C(1000000000)
#define DEFAULT_TIMEOUT_MS 1000u    /* command timeout: a tool, not a kernel */
#define MAX_SOURCE_FILTERS 64
#define MAX_EVENTS 2                /* most events of one protocol below */
/* Room for the longest line: a BASE_ERROR_EVENT of 1024 entries. */
#define LINE_SZ (4096 + 24 * SCMI_BASE_MAX_CMD_ERR_COUNT)

/* The exit status table of scmi-sim, scmi-sim-ctl and scmi-monitor. */
enum {
	EXIT_STATUS_OK = 0,
	EXIT_STATUS_ERROR = 1,       /* output, nothing to monitor */
	EXIT_STATUS_USAGE = 2,
	EXIT_STATUS_UNREACHABLE = 3, /* no platform at the socket */
	EXIT_STATUS_GONE = 4,        /* the platform went away */
};

/* ---------------------------------------------------------------- */
/* the tables                                                       */

enum field_type {
	FT_U32,       /* decimal */
	FT_HEX32,     /* 0x%08x in text; a number in JSON */
	FT_U64,
	FT_BOOL,      /* yes/no in text; true/false in JSON */
	FT_U64_LIST,  /* uint64_t[count]; the count is the u32 at count_off */
	FT_READINGS,  /* struct scmi_sensor_reading[count], likewise */
};

struct field {
	const char *key;   /* JSON key: the report member's name */
	const char *label; /* text label; NULL: JSON only (time stamp, source) */
	size_t off;
	enum field_type type;
	/* text: a decoded meaning printed as "(...)" after the value, or NULL */
	const char *(*note)(uint64_t v, char *buf, size_t sz);
	size_t count_off;  /* lists: offset of the u32 entry count */
	uint32_t max;      /* lists: most entries the report can hold */
};

struct event_desc {
	uint8_t id;        /* its name: scmi_event_name() */
	const struct field *fields;
	unsigned int num_fields;
};

struct proto_desc {
	uint8_t id;            /* its name: scmi_protocol_name() */
	const char *src_label; /* what a source is: "domain", "clock", ... */
	/* number of sources (ids 0..n-1), or a negative errno */
	int (*num_sources)(struct scmi_agent *agent);
	const struct event_desc *events;
	unsigned int num_events;
};

/* -- decoders (text only) -- */

static const char *note_power_state(uint64_t v, char *buf, size_t sz)
{
	/* the longest text fits the buffer: it cannot be cut */
	scmi_power_state_format((uint32_t)v, buf, sz);
	return buf;
}

static const char *note_sys_flags(uint64_t v, char *buf, size_t sz)
{
	return SCMI_SYSPOWER_IS_REQUEST_GRACEFUL(v) ? "graceful" : "forceful";
}

static const char *note_sys_state(uint64_t v, char *buf, size_t sz)
{
	return scmi_system_state_name((uint32_t)v);
}

static const char *note_trip_desc(uint64_t v, char *buf, size_t sz)
{
	snprintf(buf, sz, "trip=%" PRIu32 ",%s", SCMI_SENSOR_TRIP_DESC_ID(v),
		 v & SCMI_SENSOR_TRIP_DESC_UP ? "up" : "down");
	return buf;
}

static const char *note_reset_state(uint64_t v, char *buf, size_t sz)
{
	if (v == SCMI_RESET_STATE_COLD)
		return "cold";
	snprintf(buf, sz, "%s,id=0x%" PRIx64,
		 v & SCMI_RESET_STATE_IMPL_DEFINED ? "impl" : "arch",
		 v & ~(uint64_t)SCMI_RESET_STATE_IMPL_DEFINED);
	return buf;
}

static const char *note_cap(uint64_t v, char *buf, size_t sz)
{
	return v ? NULL : "disabled";
}

/* -- fields -- */

#define F(s, m, lbl, t, n) { #m, lbl, offsetof(s, m), t, n, 0, 0 }
#define LIST(s, m, lbl, t, cnt, mx) \
	{ #m, lbl, offsetof(s, m), t, NULL, offsetof(s, cnt), mx }

static const struct field base_error_fields[] = {
	F(struct scmi_base_error_report, timestamp, NULL, FT_U64, NULL),
	F(struct scmi_base_error_report, agent_id, "agent", FT_U32, NULL),
	F(struct scmi_base_error_report, fatal, "fatal", FT_BOOL, NULL),
	F(struct scmi_base_error_report, cmd_count, "count", FT_U32, NULL),
	LIST(struct scmi_base_error_report, reports, "reports", FT_U64_LIST,
	     cmd_count, SCMI_BASE_MAX_CMD_ERR_COUNT),
};

static const struct field power_state_fields[] = {
	F(struct scmi_power_state_changed_report, timestamp, NULL, FT_U64, NULL),
	F(struct scmi_power_state_changed_report, agent_id, "agent", FT_U32, NULL),
	F(struct scmi_power_state_changed_report, domain_id, NULL, FT_U32, NULL),
	F(struct scmi_power_state_changed_report, power_state, "state", FT_HEX32,
	  note_power_state),
};

static const struct field system_fields[] = {
	F(struct scmi_system_power_state_notifier_report, timestamp, NULL, FT_U64, NULL),
	F(struct scmi_system_power_state_notifier_report, agent_id, "agent", FT_U32, NULL),
	F(struct scmi_system_power_state_notifier_report, flags, "flags", FT_HEX32,
	  note_sys_flags),
	F(struct scmi_system_power_state_notifier_report, system_state, "state",
	  FT_U32, note_sys_state),
	F(struct scmi_system_power_state_notifier_report, timeout, "timeout",
	  FT_U32, NULL),
};

static const struct field perf_limits_fields[] = {
	F(struct scmi_perf_limits_report, timestamp, NULL, FT_U64, NULL),
	F(struct scmi_perf_limits_report, agent_id, "agent", FT_U32, NULL),
	F(struct scmi_perf_limits_report, domain_id, NULL, FT_U32, NULL),
	F(struct scmi_perf_limits_report, range_max, "max", FT_U32, NULL),
	F(struct scmi_perf_limits_report, range_min, "min", FT_U32, NULL),
};

static const struct field perf_level_fields[] = {
	F(struct scmi_perf_level_report, timestamp, NULL, FT_U64, NULL),
	F(struct scmi_perf_level_report, agent_id, "agent", FT_U32, NULL),
	F(struct scmi_perf_level_report, domain_id, NULL, FT_U32, NULL),
	F(struct scmi_perf_level_report, performance_level, "level", FT_U32, NULL),
};

static const struct field clock_rate_fields[] = {
	F(struct scmi_clock_rate_notif_report, timestamp, NULL, FT_U64, NULL),
	F(struct scmi_clock_rate_notif_report, agent_id, "agent", FT_U32, NULL),
	F(struct scmi_clock_rate_notif_report, clock_id, NULL, FT_U32, NULL),
	F(struct scmi_clock_rate_notif_report, rate, "rate", FT_U64, NULL),
};

static const struct field sensor_trip_fields[] = {
	F(struct scmi_sensor_trip_point_report, timestamp, NULL, FT_U64, NULL),
	F(struct scmi_sensor_trip_point_report, agent_id, "agent", FT_U32, NULL),
	F(struct scmi_sensor_trip_point_report, sensor_id, NULL, FT_U32, NULL),
	F(struct scmi_sensor_trip_point_report, trip_point_desc, "desc", FT_HEX32,
	  note_trip_desc),
};

static const struct field sensor_update_fields[] = {
	F(struct scmi_sensor_update_report, timestamp, NULL, FT_U64, NULL),
	F(struct scmi_sensor_update_report, agent_id, "agent", FT_U32, NULL),
	F(struct scmi_sensor_update_report, sensor_id, NULL, FT_U32, NULL),
	F(struct scmi_sensor_update_report, readings_count, "count", FT_U32, NULL),
	LIST(struct scmi_sensor_update_report, readings, "readings", FT_READINGS,
	     readings_count, SCMI_SENSOR_MAX_READINGS),
};

static const struct field reset_fields[] = {
	F(struct scmi_reset_issued_report, timestamp, NULL, FT_U64, NULL),
	F(struct scmi_reset_issued_report, agent_id, "agent", FT_U32, NULL),
	F(struct scmi_reset_issued_report, domain_id, NULL, FT_U32, NULL),
	F(struct scmi_reset_issued_report, reset_state, "state", FT_HEX32,
	  note_reset_state),
};

static const struct field powercap_cap_fields[] = {
	F(struct scmi_powercap_cap_changed_report, timestamp, NULL, FT_U64, NULL),
	F(struct scmi_powercap_cap_changed_report, agent_id, "agent", FT_U32, NULL),
	F(struct scmi_powercap_cap_changed_report, domain_id, NULL, FT_U32, NULL),
	F(struct scmi_powercap_cap_changed_report, power_cap, "cap", FT_U32, note_cap),
	F(struct scmi_powercap_cap_changed_report, pai, "pai", FT_U32, NULL),
};

static const struct field powercap_meas_fields[] = {
	F(struct scmi_powercap_meas_changed_report, timestamp, NULL, FT_U64, NULL),
	F(struct scmi_powercap_meas_changed_report, agent_id, "agent", FT_U32, NULL),
	F(struct scmi_powercap_meas_changed_report, domain_id, NULL, FT_U32, NULL),
	F(struct scmi_powercap_meas_changed_report, power, "power", FT_U32, NULL),
};

#undef F
#undef LIST

/* -- events -- */

#define EVT(i, f) { i, f, ARRAY_SIZE(f) }

static const struct event_desc base_events[] = {
	EVT(SCMI_EVENT_BASE_ERROR_EVENT, base_error_fields),
};
static const struct event_desc power_events[] = {
	EVT(SCMI_EVENT_POWER_STATE_CHANGED, power_state_fields),
};
static const struct event_desc system_events[] = {
	EVT(SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER, system_fields),
};
static const struct event_desc perf_events[] = {
	EVT(SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED, perf_limits_fields),
	EVT(SCMI_EVENT_PERFORMANCE_LEVEL_CHANGED, perf_level_fields),
};
static const struct event_desc clock_events[] = {
	EVT(SCMI_EVENT_CLOCK_RATE_CHANGED, clock_rate_fields),
	EVT(SCMI_EVENT_CLOCK_RATE_CHANGE_REQUESTED, clock_rate_fields),
};
static const struct event_desc sensor_events[] = {
	EVT(SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, sensor_trip_fields),
	EVT(SCMI_EVENT_SENSOR_UPDATE, sensor_update_fields),
};
static const struct event_desc reset_events[] = {
	EVT(SCMI_EVENT_RESET_ISSUED, reset_fields),
};
static const struct event_desc powercap_events[] = {
	EVT(SCMI_EVENT_POWERCAP_CAP_CHANGED, powercap_cap_fields),
	EVT(SCMI_EVENT_POWERCAP_MEASUREMENTS_CHANGED, powercap_meas_fields),
};

#undef EVT

/* -- sources -- */

static int one_source(struct scmi_agent *agent)
{
	return 1;
}

static int system_sources(struct scmi_agent *agent)
{
	struct scmi_system_power_info info;
	int r = scmi_system_power_info_get(agent, &info);

	return r < 0 ? r : 1;
}

/* -- protocols, in the order they are subscribed -- */

#define PROTO(i, l, f, e) { i, l, f, e, ARRAY_SIZE(e) }

static const struct proto_desc protos[] = {
	PROTO(SCMI_PROTOCOL_BASE, "src", one_source, base_events),
	PROTO(SCMI_PROTOCOL_POWER, "domain", scmi_power_domain_count,
	      power_events),
	PROTO(SCMI_PROTOCOL_SYSTEM, "src", system_sources, system_events),
	PROTO(SCMI_PROTOCOL_PERF, "domain", scmi_perf_domain_count, perf_events),
	PROTO(SCMI_PROTOCOL_CLOCK, "clock", scmi_clock_count, clock_events),
	PROTO(SCMI_PROTOCOL_SENSOR, "sensor", scmi_sensor_count, sensor_events),
	PROTO(SCMI_PROTOCOL_RESET, "domain", scmi_reset_domain_count,
	      reset_events),
	/* no events: a row so that --protocol voltage is understood */
	{ SCMI_PROTOCOL_VOLTAGE, "domain", scmi_voltage_domain_count, NULL, 0 },
	PROTO(SCMI_PROTOCOL_POWERCAP, "domain", scmi_powercap_count,
	      powercap_events),
};

#undef PROTO

#define NUM_PROTOS ARRAY_SIZE(protos)

/* The library's names for a row of protos[] and of its events. */
static const char *proto_name(unsigned int pi)
{
	return scmi_protocol_name(protos[pi].id);
}

static const char *event_name(unsigned int pi, unsigned int ei)
{
	return scmi_event_name(protos[pi].id, protos[pi].events[ei].id);
}

/* ---------------------------------------------------------------- */
/* options                                                          */

struct options {
	const char *socket;
	bool json, wall;
	uint64_t count;                    /* 0: no limit */
	uint32_t timeout_ms;
	int verbose;
	/* filters: an empty one keeps everything */
	bool proto_filter, event_filter;
	bool proto_named[NUM_PROTOS];
	bool event_named[NUM_PROTOS][MAX_EVENTS];
	bool event_id[256];
	unsigned int num_sources;
	uint32_t sources[MAX_SOURCE_FILTERS];
};

/* ---------------------------------------------------------------- */
/* the monitor                                                      */

enum stop_reason {
	STOP_NONE,
	STOP_SIGNAL,
	STOP_COUNT,
	STOP_GONE,
	STOP_OUTPUT,
	STOP_CLOSED,    /* stdout's reader went away: no error, no summary */
	STOP_ERROR,
};

struct monitor {
	/* set before the first notifier registers; read-only after */
	bool json, wall;
	uint64_t max_count;
	uint64_t start_ns;            /* CLOCK_MONOTONIC at start */
	uint64_t start_real_ns;       /* CLOCK_REALTIME at the same moment */
	int wake_fd;                  /* eventfd: the callbacks ask main to stop */
	bool subscribed[NUM_PROTOS][MAX_EVENTS];
	unsigned int num_subs;

	pthread_mutex_t out_mtx;      /* protects everything below */
	bool stopping;                /* print nothing more */
	enum stop_reason reason;
	int signo;                    /* STOP_SIGNAL: which */
	int out_errno;                /* STOP_OUTPUT: why */
	int gone_err;                 /* STOP_GONE: state_fn's error */
	uint64_t printed;
	uint64_t counts[NUM_PROTOS][MAX_EVENTS];
	char line[LINE_SZ];
};

/* One notifier per (protocol, event, source). */
struct sub {
	struct scmi_notifier nb;
	struct monitor *mon;
	unsigned int pi, ei;          /* rows of protos[] and its events[] */
	uint32_t src;
	struct sub *next;
};

/* ---------------------------------------------------------------- */
/* formatting                                                       */

/* A bounded string builder: len keeps counting past the end. */
struct out {
	char *buf;
	size_t sz;
	size_t len;
};

static void __attribute__((format(printf, 2, 3)))
out_printf(struct out *o, const char *fmt, ...)
{
	size_t room = o->len < o->sz ? o->sz - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* End the line; a line too long (it cannot be) is cut, but still a line. */
static size_t out_end_line(struct out *o)
{
	out_printf(o, "\n");
	if (o->len >= o->sz) {
		o->len = o->sz - 1;
		o->buf[o->len - 1] = '\n';
		o->buf[o->len] = '\0';
	}
	return o->len;
}

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static uint32_t get_u32(const void *report, size_t off)
{
	uint32_t v;

	memcpy(&v, (const char *)report + off, sizeof(v));
	return v;
}

static uint64_t get_u64(const void *report, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)report + off, sizeof(v));
	return v;
}

static uint64_t field_value(const struct field *f, const void *report)
{
	switch (f->type) {
	case FT_U64:
		return get_u64(report, f->off);
	case FT_BOOL: {
		bool b;

		memcpy(&b, (const char *)report + f->off, sizeof(b));
		return b;
	}
	default:
		return get_u32(report, f->off);
	}
}

static uint32_t list_count(const struct field *f, const void *report)
{
	uint32_t n = get_u32(report, f->count_off);

	return n < f->max ? n : f->max;
}

/*
 * The event's time: seconds.micro since start, or with --wall the wall
 * clock (text: local ISO 8601; JSON: seconds since the epoch).
 */
static void put_time(struct out *o, const struct monitor *m, uint64_t ts)
{
	uint64_t d = ts > m->start_ns ? ts - m->start_ns : 0;
	uint64_t t = m->wall ? m->start_real_ns + d : d;
	char date[32], zone[8];
	struct tm tm;
	time_t secs;

	if (!m->wall || m->json) {
		out_printf(o, "%" PRIu64 ".%06" PRIu64, t / NSEC_PER_SEC,
			   t % NSEC_PER_SEC / 1000);
		return;
	}
	secs = (time_t)(t / NSEC_PER_SEC);
	localtime_r(&secs, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	out_printf(o, "%s.%06" PRIu64 "%s", date, t % NSEC_PER_SEC / 1000,
		   zone);
}

static void put_text_field(struct out *o, const struct field *f,
			   const void *report)
{
	char buf[64];
	const char *note;
	uint64_t v;

	out_printf(o, " %s=", f->label);
	switch (f->type) {
	case FT_U64_LIST:
		for (uint32_t i = 0, n = list_count(f, report); i < n; i++)
			out_printf(o, "%s0x%016" PRIx64, i ? "," : "",
				   get_u64(report, f->off + i * sizeof(uint64_t)));
		return;
	case FT_READINGS:
		for (uint32_t i = 0, n = list_count(f, report); i < n; i++) {
			struct scmi_sensor_reading r;

			memcpy(&r, (const char *)report + f->off + i * sizeof(r),
			       sizeof(r));
			out_printf(o, "%s%" PRId64 "@%" PRIu64, i ? "," : "",
				   r.value, r.timestamp);
		}
		return;
	case FT_BOOL:
		out_printf(o, "%s", field_value(f, report) ? "yes" : "no");
		return;
	case FT_HEX32:
		v = field_value(f, report);
		out_printf(o, "0x%08" PRIx64, v);
		break;
	default:
		v = field_value(f, report);
		out_printf(o, "%" PRIu64, v);
		break;
	}
	if (f->note && (note = f->note(v, buf, sizeof(buf))))
		out_printf(o, "(%s)", note);
}

static void put_json_field(struct out *o, const struct field *f,
			   const void *report)
{
	out_printf(o, ",\"%s\":", f->key);
	switch (f->type) {
	case FT_U64_LIST:
		out_printf(o, "[");
		for (uint32_t i = 0, n = list_count(f, report); i < n; i++)
			out_printf(o, "%s%" PRIu64, i ? "," : "",
				   get_u64(report, f->off + i * sizeof(uint64_t)));
		out_printf(o, "]");
		return;
	case FT_READINGS:
		out_printf(o, "[");
		for (uint32_t i = 0, n = list_count(f, report); i < n; i++) {
			struct scmi_sensor_reading r;

			memcpy(&r, (const char *)report + f->off + i * sizeof(r),
			       sizeof(r));
			out_printf(o, "%s{\"value\":%" PRId64 ",\"timestamp\":%" PRIu64 "}",
				   i ? "," : "", r.value, r.timestamp);
		}
		out_printf(o, "]");
		return;
	case FT_BOOL:
		out_printf(o, "%s", field_value(f, report) ? "true" : "false");
		return;
	default:
		out_printf(o, "%" PRIu64, field_value(f, report));
		return;
	}
}

/*
 * text: 12.345678 power POWER_STATE_CHANGED domain=2 agent=1 state=0x40000000(off)
 * JSON: {"t":12.345678,"protocol":"power","event":"POWER_STATE_CHANGED",
 *        "src":2,"timestamp":...,"agent_id":1,"domain_id":2,"power_state":1073741824}
 */
static size_t format_event(struct out *o, const struct monitor *m,
			   const struct sub *s, const void *report)
{
	const struct proto_desc *p = &protos[s->pi];
	const struct event_desc *e = &p->events[s->ei];
	uint64_t ts = get_u64(report, 0); /* every report starts with it */

	if (m->json) {
		out_printf(o, "{\"t\":");
		put_time(o, m, ts);
		out_printf(o, ",\"protocol\":\"%s\",\"event\":\"%s\",\"src\":%" PRIu32,
			   proto_name(s->pi), event_name(s->pi, s->ei), s->src);
		for (unsigned int i = 0; i < e->num_fields; i++)
			put_json_field(o, &e->fields[i], report);
		out_printf(o, "}");
	} else {
		put_time(o, m, ts);
		out_printf(o, " %s %s %s=%" PRIu32, proto_name(s->pi),
			   event_name(s->pi, s->ei), p->src_label, s->src);
		for (unsigned int i = 0; i < e->num_fields; i++)
			if (e->fields[i].label)
				put_text_field(o, &e->fields[i], report);
	}
	return out_end_line(o);
}

/* ---------------------------------------------------------------- */
/* the callback (the notify core's worker thread)                   */

/* out_mtx held. The first reason to stop wins; wakes the main thread. */
static void stop_locked(struct monitor *m, enum stop_reason why)
{
	uint64_t one = 1;

	if (m->stopping)
		return;
	m->stopping = true;
	m->reason = why;
	if (write(m->wake_fd, &one, sizeof(one)) < 0) {
		/* an eventfd at 2^64-2 cannot happen: nothing to do */
	}
}

static int on_event(struct scmi_notifier *nb, uint8_t evt_id,
		    const void *report)
{
	struct sub *s = scmi_container_of(nb, struct sub, nb);
	struct monitor *m = s->mon;

	pthread_mutex_lock(&m->out_mtx);
	if (!m->stopping) {
		struct out o = { m->line, sizeof(m->line), 0 };
		size_t len = format_event(&o, m, s, report);

		/* line-buffered, flushed: a failed write may show only in ferror() */
		errno = 0;
		if (fwrite(m->line, 1, len, stdout) != len ||
		    fflush(stdout) == EOF || ferror(stdout)) {
			m->out_errno = errno ? errno : EIO;
			stop_locked(m, m->out_errno == EPIPE ? STOP_CLOSED :
							       STOP_OUTPUT);
		} else {
			m->printed++;
			m->counts[s->pi][s->ei]++;
			if (m->max_count && m->printed >= m->max_count)
				stop_locked(m, STOP_COUNT);
		}
	}
	pthread_mutex_unlock(&m->out_mtx);
	return SCMI_NOTIFY_OK;
}

/*
 * The agent's state_fn (the supervisor thread, or the caller's of connect
 * and destroy). The platform hung up (-ECONNRESET) or broke the transport
 * (-EPROTO): the agent does not reconnect (no .reconnect), so the monitor
 * stops. Changes without an error (connect, destroy) are ours.
 */
static void on_state(void *userdata, enum scmi_agent_state state, int err)
{
	struct monitor *m = userdata;

	if (state == SCMI_AGENT_CONNECTED || !err)
		return;
	pthread_mutex_lock(&m->out_mtx);
	if (!m->stopping)
		m->gone_err = err;
	stop_locked(m, STOP_GONE);
	pthread_mutex_unlock(&m->out_mtx);
}

/* ---------------------------------------------------------------- */
/* subscribing                                                      */

static bool proto_offered(const struct scmi_base_info *info, uint8_t id)
{
	if (id == SCMI_PROTOCOL_BASE)
		return true;
	for (uint32_t i = 0; i < info->num_protocols &&
			     i < ARRAY_SIZE(info->protocols); i++)
		if (info->protocols[i] == id)
			return true;
	return false;
}

static bool event_kept(const struct options *opt, unsigned int pi,
		       unsigned int ei)
{
	if (opt->proto_filter && !opt->proto_named[pi])
		return false;
	return !opt->event_filter || opt->event_named[pi][ei] ||
	       opt->event_id[protos[pi].events[ei].id];
}

static bool source_kept(const struct options *opt, uint32_t src)
{
	if (!opt->num_sources)
		return true;
	for (unsigned int i = 0; i < opt->num_sources; i++)
		if (opt->sources[i] == src)
			return true;
	return false;
}

/*
 * One notifier per (protocol, event, source) the filters keep, in table
 * order. Sources that cannot emit an event (-EOPNOTSUPP) are skipped
 * quietly; other refusals are reported and skipped.
 * Returns 0, or -ECONNRESET when the platform went away meanwhile.
 */
static int subscribe(struct monitor *m, struct scmi_agent *agent,
		     const struct options *opt, struct sub **list)
{
	struct scmi_notify *ni = scmi_agent_notify(agent);
	struct scmi_base_info info;
	int r;

	r = scmi_agent_base_info(agent, &info);
	if (r < 0)
		return r;
	for (unsigned int pi = 0; pi < NUM_PROTOS; pi++) {
		const struct proto_desc *p = &protos[pi];
		bool named = opt->proto_filter && opt->proto_named[pi];
		bool any = false;
		int n;

		assert(p->num_events <= MAX_EVENTS);
		for (unsigned int ei = 0; ei < p->num_events; ei++)
			any |= event_kept(opt, pi, ei);
		if (!any) {
			if (named)
				fprintf(stderr, PROG ": %s: %s\n", proto_name(pi),
					p->num_events ? "--event keeps none of its events" :
							"the protocol has no events");
			continue;
		}
		if (!proto_offered(&info, p->id)) {
			if (named)
				fprintf(stderr, PROG ": %s: the platform does not offer the protocol\n",
					proto_name(pi));
			continue;
		}
		n = p->num_sources(agent);
		if (n < 0) {
			if (n == -ECONNRESET)
				return n;
			if (named || n != -EOPNOTSUPP)
				fprintf(stderr, PROG ": %s: %s\n", proto_name(pi),
					strerror(-n));
			continue;
		}
		for (unsigned int ei = 0; ei < p->num_events; ei++) {
			if (!event_kept(opt, pi, ei))
				continue;
			for (uint32_t src = 0; src < (uint32_t)n; src++) {
				struct sub *s;

				if (!source_kept(opt, src))
					continue;
				s = calloc(1, sizeof(*s));
				if (!s)
					return -ENOMEM;
				s->nb.cb = on_event;
				s->mon = m;
				s->pi = pi;
				s->ei = ei;
				s->src = src;
				r = scmi_event_notifier_register(ni, p->id,
								 p->events[ei].id,
								 &src, &s->nb);
				if (r < 0) {
					free(s);
					if (r == -ECONNRESET)
						return r;
					if (r != -EOPNOTSUPP)
						fprintf(stderr, PROG ": %s %s %s %u: %s\n",
							proto_name(pi), event_name(pi, ei),
							p->src_label, src, strerror(-r));
					continue;
				}
				s->next = *list;
				*list = s;
				m->subscribed[pi][ei] = true;
				m->num_subs++;
			}
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* the summary                                                      */

static const char *reason_name(const struct monitor *m)
{
	static const char *const names[] = {
		[STOP_NONE] = "none",
		[STOP_SIGNAL] = "signal",
		[STOP_COUNT] = "count",
		[STOP_GONE] = "platform-gone",
		[STOP_OUTPUT] = "output-error",
		[STOP_CLOSED] = "output-closed",
		[STOP_ERROR] = "error",
	};

	return names[m->reason];
}

static const char *signal_name(int signo)
{
	return signo == SIGINT ? "SIGINT" : signo == SIGTERM ? "SIGTERM" : "signal";
}

/* To stderr, once no callback runs any more. */
static void print_summary(const struct monitor *m, uint64_t dropped)
{
	if (m->json) {
		bool first_p = true;

		fprintf(stderr, "{\"summary\":{\"reason\":\"%s\"", reason_name(m));
		if (m->reason == STOP_SIGNAL)
			fprintf(stderr, ",\"signal\":\"%s\"", signal_name(m->signo));
		fprintf(stderr, ",\"events\":%" PRIu64 ",\"dropped\":%" PRIu64
			",\"subscriptions\":%u,\"counts\":{",
			m->printed, dropped, m->num_subs);
		for (unsigned int pi = 0; pi < NUM_PROTOS; pi++) {
			bool first_e = true;

			for (unsigned int ei = 0; ei < protos[pi].num_events; ei++) {
				if (!m->subscribed[pi][ei])
					continue;
				if (first_e)
					fprintf(stderr, "%s\"%s\":{", first_p ? "" : ",",
						proto_name(pi));
				fprintf(stderr, "%s\"%s\":%" PRIu64,
					first_e ? "" : ",", event_name(pi, ei),
					m->counts[pi][ei]);
				first_e = first_p = false;
			}
			if (!first_e)
				fprintf(stderr, "}");
		}
		fprintf(stderr, "}}}\n");
	} else {
		fprintf(stderr, PROG ": %" PRIu64 " event%s", m->printed,
			m->printed == 1 ? "" : "s");
		switch (m->reason) {
		case STOP_SIGNAL:
			fprintf(stderr, " (stopped by %s)\n", signal_name(m->signo));
			break;
		case STOP_COUNT:
			fprintf(stderr, " (count reached)\n");
			break;
		case STOP_GONE:
			fprintf(stderr, " (the platform went away)\n");
			break;
		case STOP_OUTPUT:
			fprintf(stderr, " (the output failed)\n");
			break;
		default:
			fprintf(stderr, " (%s)\n", reason_name(m));
			break;
		}
		for (unsigned int pi = 0; pi < NUM_PROTOS; pi++)
			for (unsigned int ei = 0; ei < protos[pi].num_events; ei++)
				if (m->subscribed[pi][ei])
					fprintf(stderr, "  %-8s %-30s %" PRIu64 "\n",
						proto_name(pi),
						event_name(pi, ei),
						m->counts[pi][ei]);
		if (dropped)
			fprintf(stderr, "  %" PRIu64 " event%s dropped (queue full or malformed)\n",
				dropped, dropped == 1 ? "" : "s");
	}
	fflush(stderr);
}

/* Events the core received for the subscribed protocols but did not deliver. */
static uint64_t count_dropped(const struct monitor *m, struct scmi_agent *agent)
{
	struct scmi_notify *ni = scmi_agent_notify(agent);
	uint64_t dropped = 0;

	for (unsigned int pi = 0; pi < NUM_PROTOS; pi++) {
		struct scmi_notify_stats st;
		bool any = false;

		for (unsigned int ei = 0; ei < protos[pi].num_events; ei++)
			any |= m->subscribed[pi][ei];
		if (any && scmi_notify_get_stats(ni, protos[pi].id, &st) == 0)
			dropped += st.dropped_invalid + st.dropped_full +
				   st.dropped_report;
	}
	return dropped;
}

/* ---------------------------------------------------------------- */
/* the main loop                                                    */

/*
 * Wait for a signal, a wake-up from a callback (on_event(), on_state()),
 * or stdout's reader to go away (a pipe's write end polls POLLERR then).
 */
static void run(struct monitor *m, int sig_fd)
{
	struct pollfd pfd[3] = {
		{ .fd = sig_fd, .events = POLLIN },
		{ .fd = m->wake_fd, .events = POLLIN },
		{ .fd = STDOUT_FILENO, .events = 0 },
	};
	enum stop_reason why = STOP_NONE;
	int signo = 0;

	while (why == STOP_NONE) {
		if (poll(pfd, ARRAY_SIZE(pfd), -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
			why = STOP_ERROR;
		} else if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				why = STOP_SIGNAL;
				signo = (int)si.ssi_signo;
			}
		} else if (pfd[1].revents & POLLIN) {
			break; /* a callback stopped and set the reason */
		} else if (pfd[2].revents & (POLLERR | POLLHUP)) {
			why = STOP_CLOSED;
		} else if (pfd[2].revents & POLLNVAL) {
			pfd[2].fd = -1; /* no stdout at all: writes fail, and say so */
		}
	}
	pthread_mutex_lock(&m->out_mtx);
	if (!m->stopping && why != STOP_NONE) {
		stop_locked(m, why);
		m->signo = signo;
	}
	pthread_mutex_unlock(&m->out_mtx);
}

/* The library names every protocol and event of the tables. */
static void check_names(void)
{
	for (unsigned int pi = 0; pi < NUM_PROTOS; pi++) {
		assert(proto_name(pi));
		for (unsigned int ei = 0; ei < protos[pi].num_events; ei++)
			assert(event_name(pi, ei));
	}
}

/* ---------------------------------------------------------------- */
/* options                                                          */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [OPTION]...\n"
		"Print the notifications of an Arm SCMI platform, one line per event.\n"
		"\n"
		"  -s, --socket PATH       the platform's socket (default $XDG_RUNTIME_DIR/"
		SCMI_DEFAULT_SOCKET_NAME ",\n"
		"                          else /tmp/scmi-sim-$UID/" SCMI_DEFAULT_SOCKET_NAME ")\n"
		"  -p, --protocol NAME|ID  only this protocol (repeatable)\n"
		"  -e, --event NAME|ID     only this event (repeatable)\n"
		"  -S, --source N          only this source: domain, clock, sensor (repeatable)\n"
		"  -c, --count N           exit after N events\n"
		"  -j, --json              JSON lines instead of text\n"
		"  -w, --wall              wall-clock times instead of seconds since start\n"
		"  -t, --timeout MS        command timeout (default %u)\n"
		"  -v, --verbose           log more of the library (repeatable)\n"
		"  -h, --help              show this help\n"
		"  -V, --version           show the version\n"
		"\n"
		"Protocols and their events (name, id):\n",
		DEFAULT_TIMEOUT_MS);
	for (unsigned int pi = 0; pi < NUM_PROTOS; pi++) {
		fprintf(f, "  %-8s 0x%02x", proto_name(pi), protos[pi].id);
		if (!protos[pi].num_events)
			fprintf(f, "  (no events)\n");
		for (unsigned int ei = 0; ei < protos[pi].num_events; ei++)
			fprintf(f, "%*s%s %u\n", ei ? 17 : 2, "",
				event_name(pi, ei),
				protos[pi].events[ei].id);
	}
	fprintf(f,
		"\nExit status: 0 stopped by SIGINT, SIGTERM or --count, or the output's\n"
		"reader went away; 1 error (output, nothing to monitor); 2 bad usage;\n"
		"3 the platform cannot be reached; 4 the platform went away.\n");
}

static bool opt_protocol(struct options *opt, const char *arg)
{
	int r = cli_protocol(arg);

	for (unsigned int pi = 0; pi < NUM_PROTOS; pi++) {
		if (r >= 0 && protos[pi].id == r) {
			opt->proto_filter = true;
			opt->proto_named[pi] = true;
			return true;
		}
	}
	fprintf(stderr, PROG ": --protocol: no protocol '%s' (see --help)\n", arg);
	return false;
}

static bool opt_event(struct options *opt, const char *arg)
{
	uint64_t id;
	uint8_t proto_id;
	int evt_id;

	if (cli_parse_u64(arg, 0xFF, &id)) {
		opt->event_filter = true;
		opt->event_id[id] = true;
		return true;
	}
	evt_id = scmi_event_by_name(arg, &proto_id);
	for (unsigned int pi = 0; evt_id >= 0 && pi < NUM_PROTOS; pi++) {
		if (protos[pi].id != proto_id)
			continue;
		for (unsigned int ei = 0; ei < protos[pi].num_events; ei++) {
			if (protos[pi].events[ei].id == evt_id) {
				opt->event_filter = true;
				opt->event_named[pi][ei] = true;
				return true;
			}
		}
	}
	fprintf(stderr, PROG ": --event: no event '%s' (see --help)\n", arg);
	return false;
}

/* Returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "protocol", required_argument, NULL, 'p' },
		{ "event", required_argument, NULL, 'e' },
		{ "source", required_argument, NULL, 'S' },
		{ "count", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "wall", no_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "s:p:e:S:c:jwt:vhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 's':
			if (!optarg[0]) {
				fprintf(stderr, PROG ": --socket: empty path\n");
				return EXIT_STATUS_USAGE;
			}
			opt->socket = optarg;
			break;
		case 'p':
			if (!opt_protocol(opt, optarg))
				return EXIT_STATUS_USAGE;
			break;
		case 'e':
			if (!opt_event(opt, optarg))
				return EXIT_STATUS_USAGE;
			break;
		case 'S':
			if (!cli_parse_u64(optarg, SCMI_MAX_SRC_ID, &v)) {
				fprintf(stderr, PROG ": --source: '%s' is not a source id (0..%u)\n",
					optarg, SCMI_MAX_SRC_ID);
				return EXIT_STATUS_USAGE;
			}
			if (opt->num_sources == MAX_SOURCE_FILTERS) {
				fprintf(stderr, PROG ": --source: at most %d\n",
					MAX_SOURCE_FILTERS);
				return EXIT_STATUS_USAGE;
			}
			opt->sources[opt->num_sources++] = (uint32_t)v;
			break;
		case 'c':
			if (!cli_parse_u64(optarg, UINT64_MAX, &v) || !v) {
				fprintf(stderr, PROG ": --count: '%s' is not a positive number\n",
					optarg);
				return EXIT_STATUS_USAGE;
			}
			opt->count = v;
			break;
		case 'j':
			opt->json = true;
			break;
		case 'w':
			opt->wall = true;
			break;
		case 't':
			if (!cli_parse_u64(optarg, 3600000, &v) || !v) {
				fprintf(stderr, PROG ": --timeout: '%s' is not a number of ms (1..3600000)\n",
					optarg);
				return EXIT_STATUS_USAGE;
			}
			opt->timeout_ms = (uint32_t)v;
			break;
		case 'v':
			opt->verbose++;
			break;
		case 'h':
			usage(stdout);
			return EXIT_STATUS_OK;
		case 'V':
			printf(PROG " " SCMI_MONITOR_VERSION "\n");
			return EXIT_STATUS_OK;
		default:
			fprintf(stderr, "Try '" PROG " --help'.\n");
			return EXIT_STATUS_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\nTry '" PROG " --help'.\n",
			argv[optind]);
		return EXIT_STATUS_USAGE;
	}
	return -1;
}

static void log_line(void *userdata, enum scmi_log_level level, const char *msg)
{
	fprintf(stderr, PROG ": %s\n", msg);
}

/* ---------------------------------------------------------------- */

int main(int argc, char **argv)
{
	static struct monitor mon; /* the line buffer is large */
	struct options opt = { .timeout_ms = DEFAULT_TIMEOUT_MS };
	static const enum scmi_log_level levels[] = {
		SCMI_LOG_ERR, SCMI_LOG_WARNING, SCMI_LOG_INFO, SCMI_LOG_DEBUG,
	};
	struct scmi_agent_config cfg = {
		.log_fn = log_line,
		.state_fn = on_state,
		.state_userdata = &mon,
	};
	struct scmi_agent *agent = NULL;
	struct sub *subs = NULL;
	char sock[4096];
	uint64_t dropped = 0;
	sigset_t sigs;
	int sig_fd = -1, status, r;

	check_names();
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* a closed pipe: fwrite fails, EPIPE (--help and --version too) */
	signal(SIGPIPE, SIG_IGN);
	status = parse_options(argc, argv, &opt);
	if (status >= 0)
		return status;
	if (opt.socket) {
		snprintf(sock, sizeof(sock), "%s", opt.socket);
	} else if (scmi_default_socket_path(sock, sizeof(sock)) < 0) {
		fprintf(stderr, PROG ": the default socket path ($XDG_RUNTIME_DIR/"
			SCMI_DEFAULT_SOCKET_NAME ") is too long\n");
		return EXIT_STATUS_UNREACHABLE;
	}

	mon.json = opt.json;
	mon.wall = opt.wall;
	mon.max_count = opt.count;
	mon.start_ns = now_ns(CLOCK_MONOTONIC);
	mon.start_real_ns = now_ns(CLOCK_REALTIME);
	pthread_mutex_init(&mon.out_mtx, NULL);

	/* before any thread starts, so that only the signalfd sees them */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	mon.wake_fd = eventfd(0, EFD_CLOEXEC);
	if (sig_fd < 0 || mon.wake_fd < 0) {
		fprintf(stderr, PROG ": %s: %s\n", sig_fd < 0 ? "signalfd" : "eventfd",
			strerror(errno));
		status = EXIT_STATUS_ERROR;
		goto out;
	}

	cfg.timeout_ms = opt.timeout_ms;
	cfg.log_level = levels[opt.verbose < 3 ? opt.verbose : 3];
	r = scmi_agent_create(&agent, &cfg);
	if (r < 0) {
		fprintf(stderr, PROG ": %s\n", strerror(-r));
		status = EXIT_STATUS_ERROR;
		goto out;
	}
	r = scmi_agent_connect(agent, sock);
	if (r < 0) {
		connect_error(PROG, sock, r, opt.timeout_ms);
		status = EXIT_STATUS_UNREACHABLE;
		goto out;
	}

	r = subscribe(&mon, agent, &opt, &subs);
	if (r == -ECONNRESET) {
		pthread_mutex_lock(&mon.out_mtx);
		stop_locked(&mon, STOP_GONE);
		pthread_mutex_unlock(&mon.out_mtx);
	} else if (r < 0) {
		fprintf(stderr, PROG ": %s\n", strerror(-r));
		status = EXIT_STATUS_ERROR;
		goto out;
	} else if (!mon.num_subs) {
		fprintf(stderr, PROG ": nothing to monitor on %s\n", sock);
		status = EXIT_STATUS_ERROR;
		goto out;
	} else {
		run(&mon, sig_fd);
	}

	dropped = count_dropped(&mon, agent);
	scmi_agent_destroy(agent); /* no callback runs after this */
	agent = NULL;

	switch (mon.reason) {
	case STOP_GONE:
		if (mon.gone_err && mon.gone_err != -ECONNRESET)
			fprintf(stderr, PROG ": the platform at %s went away: %s\n",
				sock, strerror(-mon.gone_err));
		else
			fprintf(stderr, PROG ": the platform at %s went away\n",
				sock);
		status = EXIT_STATUS_GONE;
		break;
	case STOP_CLOSED:
		status = EXIT_STATUS_OK; /* quietly: no summary either */
		goto out;
	case STOP_OUTPUT:
		fprintf(stderr, PROG ": write: %s\n", strerror(mon.out_errno));
		status = EXIT_STATUS_ERROR;
		break;
	case STOP_ERROR:
		status = EXIT_STATUS_ERROR;
		break;
	default:
		status = EXIT_STATUS_OK;
		break;
	}
	print_summary(&mon, dropped);

out:
	scmi_agent_destroy(agent);
	while (subs) {
		struct sub *next = subs->next;

		free(subs);
		subs = next;
	}
	if (sig_fd >= 0)
		close(sig_fd);
	if (mon.wake_fd >= 0)
		close(mon.wake_fd);
	pthread_mutex_destroy(&mon.out_mtx);
	return status;
}
