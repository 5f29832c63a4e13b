/* SPDX-License-Identifier: MIT */
/*
 * The Sensor management protocol (0x15), version 3.0, over the sensors of
 * the topology. See SCMI-REFERENCE.md 6.6.
 *
 * What the platform says about its sensors:
 *   - asynchronous reads where the topology says async (descriptor bit 31;
 *     PROTOCOL_ATTRIBUTES max pending async reads = the number of such
 *     sensors, each may have one read pending). SENSOR_READING_GET with
 *     flags bit 0: NOT_SUPPORTED on another sensor; BUSY while a read of
 *     that sensor is pending, or when the agent is owed
 *     SIM_MAX_ASYNC_PER_AGENT delayed responses; else SUCCESS at once with
 *     no return values, and --async-delay later (delayed.h) the delayed
 *     response: type 2, message id 0x6, the command's token; payload
 *     status, sensor_id, then the reading as a synchronous read returns
 *     it (one 16-byte reading, as the sensors have no axes), read then;
 *   - 28-byte descriptors: no extended attributes, no axes;
 *     SENSOR_AXIS_DESCRIPTION_GET and SENSOR_AXIS_NAME_GET are
 *     NOT_SUPPORTED;
 *   - every sensor has the extended-name bit and answers SENSOR_NAME_GET
 *     (the descriptor carries the first 15 characters) when a 68-byte
 *     reply fits max_msg_size; otherwise no sensor has the bit and
 *     SENSOR_NAME_GET is NOT_SUPPORTED;
 *   - SENSOR_DESCRIPTION_GET returns as many descriptors as fit
 *     max_msg_size; any other reply that would not fit is NOT_SUPPORTED
 *     (never cut short), as the other protocols answer;
 *   - timestamps are supported, in ns (exponent -9), and sent only while
 *     the sensor's config has timestamping on (bit 1); a timestamp is the
 *     CLOCK_MONOTONIC time of the last change of the value (0 if it never
 *     changed);
 *   - update intervals: one segmented triplet {10 ms, 60 s, 10 ms};
 *     SENSOR_CONFIG_SET takes an interval of 0 (none) or one in that
 *     range on a step, else OUT_OF_RANGE.
 *
 * Periodic drift: a sensor with an update interval (update_ms in the
 * topology, or set by SENSOR_CONFIG_SET) that is enabled changes by
 * +DRIFT_STEP, then -DRIFT_STEP, alternately, every interval (an ev_timer on
 * the simulator's loop), with the events of any other change. Intervals
 * from the topology start ticking at the first sensor command or control
 * request.
 *
 * Events, emitted when the value changes ("sensor set", the only way it
 * changes; agent_id 0, the platform) and only while the sensor is enabled
 * (config bit 0):
 *   - SENSOR_TRIP_POINT_EVENT (12 bytes), one per enabled trip point the
 *     change crossed in a direction it watches, in trip id order: upwards
 *     when old < threshold <= new, downwards when new < threshold <= old.
 *     trip_point_desc = trip id (bits 7:0) | bit 16 when upwards (the
 *     reference marks this layout unverified).
 *   - then SENSOR_UPDATE (8 + 16 bytes: the new reading).
 * Each goes to the agents that enabled it for that sensor, and no other.
 * Trip points are the platform's: SENSOR_TRIP_POINT_CONFIG from any agent
 * changes them for all.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ev.h>

#include <scmi/wire.h>

#include "../delayed.h"
#include "../emit.h"
#include "../log.h"
#include "../protocols.h"
#include "../topology.h"
#include "common.h"

#define SENSOR_VERSION SCMI_VERSION(3, 0)
#define SHORT_NAME_SZ 16
#define DESC_SZ 28
#define READING_SZ 16

#define SENSOR_TRIP_POINT_EVENT 0x0
#define SENSOR_UPDATE 0x1

/* descriptor attributes_low */
#define ATTRL_ASYNC (1u << 31)
#define ATTRL_UPDATE_NOTIFY (1u << 30)
#define ATTRL_EXT_NAME (1u << 29)
#define ATTRL_TSTAMP_EXP_SHIFT 10
#define ATTRL_TSTAMP (1u << 9)
#define TSTAMP_EXP (-9)                     /* ns */
/* descriptor attributes_high */
#define ATTRH_SCALE_SHIFT 11

/* SENSOR_TRIP_POINT_CONFIG trip_point_ev_ctrl */
#define TRIP_DIR_MASK 0x3u
#define TRIP_ID_SHIFT 4
#define TRIP_ID_MASK 0xFFu
#define TRIP_CTRL_RESERVED (~((TRIP_ID_MASK << TRIP_ID_SHIFT) | TRIP_DIR_MASK))
#define TRIP_DESC_UP (1u << 16)

/* sensor_config */
#define CFG_ENABLE (1u << 0)
#define CFG_TSTAMP (1u << 1)
#define CFG_RESERVED 0x000001FCu            /* bits 8:2 */
#define CFG_ROUND(c) (((c) >> 9) & 0x3u)
#define CFG_EXP(c) (((c) >> 11) & 0x1Fu)
#define CFG_SECS(c) ((c) >> 16)

/* update intervals: {low, high, step}, 10^-3 s units */
#define INTERVAL_WORD(secs, exp) ((uint32_t)(secs) << 5 | ((uint32_t)(exp) & 0x1Fu))
#define INTERVAL_MIN_US 10000ull
#define INTERVAL_MAX_US 60000000ull
#define INTERVAL_STEP_US 10000ull
#define INTERVALS_SEGMENTED (1u << 12)

enum sensor_cmd {
	SENSOR_DESCRIPTION_GET = 0x3,
	SENSOR_TRIP_POINT_NOTIFY = 0x4,
	SENSOR_TRIP_POINT_CONFIG = 0x5,
	SENSOR_READING_GET = 0x6,
	SENSOR_AXIS_DESCRIPTION_GET = 0x7,
	SENSOR_LIST_UPDATE_INTERVALS = 0x8,
	SENSOR_CONFIG_GET = 0x9,
	SENSOR_CONFIG_SET = 0xA,
	SENSOR_CONTINUOUS_UPDATE_NOTIFY = 0xB,
	SENSOR_NAME_GET = 0xC,
	SENSOR_AXIS_NAME_GET = 0xD,
};

#define DRIFT_STEP 100                      /* in the value's own units */

#define READING_ASYNC (1u << 0)             /* SENSOR_READING_GET flags */

/* An asynchronous SENSOR_READING_GET accepted and not answered yet. */
struct pending_read {
	struct sim_delayed d;
	uint32_t sensor_id;
};

static struct pending_read pending[SIM_MAX_DOMAINS];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The sensor @id names, or NULL. */
static struct sim_sensor *sensor_get(uint32_t id)
{
	struct sim_topology *t = sim_topo();

	return id < t->num_sensors ? &t->sensors[id] : NULL;
}

/* The trip points the platform advertises (and accepts): none when the
 * sensor cannot notify them. */
static uint32_t num_trips(const struct sim_sensor *s)
{
	if (!s->notify_trip)
		return 0;
	return s->num_trips < SIM_MAX_TRIPS ? s->num_trips : SIM_MAX_TRIPS;
}

static bool trips_supported(const struct sim_sensor *s)
{
	return num_trips(s) > 0;
}

/* One reading: value, then the timestamp if the sensor's config wants it. */
static void put_reading(uint8_t *p, const struct sim_sensor *s)
{
	scmi_put_le64(p, (uint64_t)s->value);
	scmi_put_le64(p + 8, (s->config & CFG_TSTAMP) ? s->timestamp_ns : 0);
}

/* An async read's time has come: read the sensor now, send it. */
static void on_pending(struct sim_delayed *d)
{
	struct pending_read *pr = sim_delayed_owner(d, struct pending_read, d);
	uint8_t ret[4 + READING_SZ];

	scmi_put_le32(ret, pr->sensor_id);
	put_reading(ret + 4, sensor_get(pr->sensor_id));
	sim_delayed_send(d, SCMI_SUCCESS, ret, sizeof(ret));
}

/* ---- the commands ---------------------------------------------------- */
/*
 * Each gets a payload of exactly its size, max_msg_size bytes of room (32
 * or more), and the id of a sensor that exists where its row says SIM_DOM_W*
 * (the dispatch checked it).
 */

/* num_sensors, max pending async reads, no shared register area. */
static int32_t sensor_attributes(struct sim_agent *a, const uint8_t *req,
				 uint8_t *resp, size_t *resp_len)
{
	const struct sim_topology *t = sim_topo();
	uint32_t num_async = 0;

	for (unsigned int i = 0; i < t->num_sensors; i++)
		num_async += t->sensors[i].async;
	scmi_put_le32(resp, (t->num_sensors & 0xFFFFu) |
			    (num_async > 0xFF ? 0xFF : num_async) << 16);
	scmi_put_le32(resp + 4, 0);
	scmi_put_le32(resp + 8, 0);
	scmi_put_le32(resp + 12, 0);
	*resp_len = 16;
	return SCMI_SUCCESS;
}

/* Paged: as many 28-byte descriptors as fit the room, from desc_index. */
static int32_t sensor_description_get(struct sim_agent *a, const uint8_t *req,
				      uint8_t *resp, size_t *resp_len)
{
	struct sim_topology *t = sim_topo();
	uint32_t index = scmi_get_le32(req);
	size_t per_page = (*resp_len - 4) / DESC_SZ;
	uint32_t num;

	if (index > t->num_sensors)
		return SCMI_ERR_PARAMS;
	num = t->num_sensors - index;
	if (num > per_page)
		num = (uint32_t)per_page;
	if (num > 0xFFFu)
		num = 0xFFFu;
	scmi_put_le32(resp, num | (t->num_sensors - index - num) << 16);
	for (uint32_t i = 0; i < num; i++) {
		const struct sim_sensor *s = &t->sensors[index + i];
		uint8_t *d = resp + 4 + DESC_SZ * i;
		uint32_t lo, hi;

		lo = ATTRL_TSTAMP |
		     ((uint32_t)TSTAMP_EXP & 0x1Fu) << ATTRL_TSTAMP_EXP_SHIFT |
		     num_trips(s);
		if (sim_ext_names())
			lo |= ATTRL_EXT_NAME;
		if (s->notify_update)
			lo |= ATTRL_UPDATE_NOTIFY;
		if (s->async)
			lo |= ATTRL_ASYNC;
		hi = ((uint32_t)s->scale & 0x1Fu) << ATTRH_SCALE_SHIFT | s->type;
		scmi_put_le32(d, index + i);
		scmi_put_le32(d + 4, lo);
		scmi_put_le32(d + 8, hi);
		sim_put_name(d + 12, SHORT_NAME_SZ, s->name);
	}
	*resp_len = 4 + DESC_SZ * (size_t)num;
	return SCMI_SUCCESS;
}

static int32_t sensor_trip_point_notify(struct sim_agent *a, const uint8_t *req,
					uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req);
	struct sim_sensor *s = sensor_get(id);

	return sim_notify_cmd(a, SCMI_PROTOCOL_SENSOR, SENSOR_TRIP_POINT_EVENT,
			      id, scmi_get_le32(req + 4), trips_supported(s),
			      resp_len);
}

static int32_t sensor_trip_point_config(struct sim_agent *a, const uint8_t *req,
					uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req), ctrl = scmi_get_le32(req + 4);
	struct sim_sensor *s = sensor_get(id);
	uint32_t trip = (ctrl >> TRIP_ID_SHIFT) & TRIP_ID_MASK;
	struct sim_trip_point *tp;

	if ((ctrl & TRIP_CTRL_RESERVED) || trip >= num_trips(s))
		return SCMI_ERR_PARAMS;
	tp = &s->trips[trip];
	tp->direction = ctrl & TRIP_DIR_MASK;
	tp->enabled = tp->direction != 0;
	tp->value = (int64_t)scmi_get_le64(req + 8);
	sim_log(SIM_LOG_INFO, "agent %u: sensor %u trip %u: direction %u, %" PRId64,
		sim_agent_id(a), id, trip, tp->direction, tp->value);
	*resp_len = 0;
	return SCMI_SUCCESS;
}

static int32_t sensor_reading_get(struct sim_agent *a, const uint8_t *req,
				  uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req), flags = scmi_get_le32(req + 4);
	struct sim_sensor *s = sensor_get(id);
	struct pending_read *pr;

	if (flags & ~READING_ASYNC)
		return SCMI_ERR_PARAMS;
	if (!(flags & READING_ASYNC)) {
		put_reading(resp, s);
		*resp_len = READING_SZ;
		return SCMI_SUCCESS;
	}
	if (!s->async)
		return SCMI_ERR_SUPPORT;
	/* read from a timer: the response goes out first */
	pr = &pending[id];
	if (sim_delayed_begin(a, &pr->d) < 0)
		return SCMI_ERR_BUSY; /* one at a time per sensor, 16 per agent */
	pr->sensor_id = id;
	sim_delayed_start(&pr->d, 0, on_pending);
	*resp_len = 0;
	return SCMI_SUCCESS;
}

/* One segmented triplet: {low, high, step}. */
static int32_t sensor_list_update_intervals(struct sim_agent *a,
					    const uint8_t *req, uint8_t *resp,
					    size_t *resp_len)
{
	if (scmi_get_le32(req + 4) != 0)
		return SCMI_ERR_PARAMS;
	scmi_put_le32(resp, 3 | INTERVALS_SEGMENTED); /* 0 remaining */
	scmi_put_le32(resp + 4, INTERVAL_WORD(INTERVAL_MIN_US / 1000, -3));
	scmi_put_le32(resp + 8, INTERVAL_WORD(INTERVAL_MAX_US / 1000, -3));
	scmi_put_le32(resp + 12, INTERVAL_WORD(INTERVAL_STEP_US / 1000, -3));
	*resp_len = 16;
	return SCMI_SUCCESS;
}

static int32_t sensor_config_get(struct sim_agent *a, const uint8_t *req,
				 uint8_t *resp, size_t *resp_len)
{
	struct sim_sensor *s = sensor_get(scmi_get_le32(req));

	scmi_put_le32(resp, s->config);
	*resp_len = 4;
	return SCMI_SUCCESS;
}

/*
 * The update interval of a config word in microseconds (0: none), or -1
 * when it is not one the platform can use.
 */
static long long config_interval_us(uint32_t cfg)
{
	uint64_t secs = CFG_SECS(cfg);
	int exp = (int)CFG_EXP(cfg);
	uint64_t us = secs;

	if (exp & 0x10)
		exp -= 32;
	if (!secs)
		return 0;
	/* us = secs x 10^(exp + 6), exactly */
	for (int e = exp + 6; e > 0; e--) {
		us *= 10;
		if (us > INTERVAL_MAX_US)
			return -1;
	}
	for (int e = exp + 6; e < 0; e++) {
		if (us % 10)
			return -1;
		us /= 10;
	}
	if (us < INTERVAL_MIN_US || us > INTERVAL_MAX_US ||
	    (us - INTERVAL_MIN_US) % INTERVAL_STEP_US)
		return -1;
	return (long long)us;
}

static void drift_update(uint32_t id);
static void drift_arm_all_once(void);

static int32_t sensor_config_set(struct sim_agent *a, const uint8_t *req,
				 uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req), cfg = scmi_get_le32(req + 4);
	struct sim_sensor *s = sensor_get(id);
	long long us;

	if ((cfg & CFG_RESERVED) || CFG_ROUND(cfg) == 3)
		return SCMI_ERR_PARAMS;
	us = config_interval_us(cfg);
	if (us < 0)
		return SCMI_ERR_RANGE;
	s->config = cfg;
	s->update_ms = (uint32_t)(us / 1000);
	drift_update(id);
	sim_log(SIM_LOG_INFO, "agent %u: sensor %u config 0x%08x",
		sim_agent_id(a), id, cfg);
	*resp_len = 0;
	return SCMI_SUCCESS;
}

static int32_t sensor_update_notify(struct sim_agent *a, const uint8_t *req,
				    uint8_t *resp, size_t *resp_len)
{
	uint32_t id = scmi_get_le32(req);
	struct sim_sensor *s = sensor_get(id);

	return sim_notify_cmd(a, SCMI_PROTOCOL_SENSOR, SENSOR_UPDATE, id,
			      scmi_get_le32(req + 4), s->notify_update, resp_len);
}

static int32_t sensor_name_get(struct sim_agent *a, const uint8_t *req,
			       uint8_t *resp, size_t *resp_len)
{
	struct sim_sensor *s = sensor_get(scmi_get_le32(req));

	return sim_name_get(s->name, resp, resp_len);
}

static const struct sim_msg sensor_msgs[] = {
	{ SENSOR_DESCRIPTION_GET, 4, sensor_description_get, 4 + DESC_SZ, 0 },
	{ SENSOR_TRIP_POINT_NOTIFY, 8, sensor_trip_point_notify, 0,
	  SIM_DOM_W0 },
	{ SENSOR_TRIP_POINT_CONFIG, 16, sensor_trip_point_config, 0,
	  SIM_DOM_W0 },
	{ SENSOR_READING_GET, 8, sensor_reading_get, READING_SZ, SIM_DOM_W0 },
	{ .id = SENSOR_AXIS_DESCRIPTION_GET }, /* no axes: NOT_SUPPORTED */
	{ SENSOR_LIST_UPDATE_INTERVALS, 8, sensor_list_update_intervals, 16,
	  SIM_DOM_W0 },
	{ SENSOR_CONFIG_GET, 4, sensor_config_get, 4, SIM_DOM_W0 },
	{ SENSOR_CONFIG_SET, 8, sensor_config_set, 0, SIM_DOM_W0 },
	{ SENSOR_CONTINUOUS_UPDATE_NOTIFY, 8, sensor_update_notify, 0,
	  SIM_DOM_W0 },
	{ SENSOR_NAME_GET, 4, sensor_name_get, 0, SIM_DOM_W0 },
	{ .id = SENSOR_AXIS_NAME_GET },
};

SIM_PROTO(sensor, SENSOR_VERSION, SIM_NUM(num_sensors), sensor_attributes,
	  sensor_msgs, NULL);

int32_t sim_sensor_handle(struct sim_agent *a, uint8_t msg_id,
			  const uint8_t *req, size_t req_len, uint8_t *resp,
			  size_t *resp_len)
{
	drift_arm_all_once();
	return sim_proto_dispatch(&sensor_proto, a, msg_id, req, req_len, resp,
				  resp_len);
}

/* ---- state changes and their events ---------------------------------- */

static void emit_trip(uint32_t id, uint32_t desc)
{
	uint8_t payld[12];

	scmi_put_le32(payld, 0); /* the platform */
	scmi_put_le32(payld + 4, id);
	scmi_put_le32(payld + 8, desc);
	sim_emit(SCMI_PROTOCOL_SENSOR, SENSOR_TRIP_POINT_EVENT, id, payld,
		 sizeof(payld));
}

/* Set sensor @id to @value and emit what follows. */
static void sensor_set_value(uint32_t id, int64_t value)
{
	struct sim_sensor *s = sensor_get(id);
	int64_t old = s->value;

	if (value == old)
		return;
	s->value = value;
	s->timestamp_ns = now_ns();
	if (!(s->config & CFG_ENABLE))
		return; /* a disabled sensor reports nothing */

	if (trips_supported(s)) {
		for (uint32_t i = 0; i < num_trips(s); i++) {
			const struct sim_trip_point *tp = &s->trips[i];
			bool up = old < tp->value && tp->value <= value;
			bool down = value < tp->value && tp->value <= old;

			if (!tp->enabled)
				continue;
			if (up && (tp->direction & 1u))
				emit_trip(id, i | TRIP_DESC_UP);
			else if (down && (tp->direction & 2u))
				emit_trip(id, i);
		}
	}
	if (s->notify_update) {
		uint8_t payld[8 + READING_SZ];

		scmi_put_le32(payld, 0); /* the platform */
		scmi_put_le32(payld + 4, id);
		put_reading(payld + 8, s);
		sim_emit(SCMI_PROTOCOL_SENSOR, SENSOR_UPDATE, id, payld,
			 sizeof(payld));
	}
}

/* ---- periodic drift ---------------------------------------------------- */

static struct drift {
	ev_timer w;            /* first: the callback gets back its drift */
	bool init;
	bool up;               /* the last step went up */
} drifts[SIM_MAX_DOMAINS];

static void on_drift(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct drift *d = (struct drift *)(void *)w;
	uint32_t id = (uint32_t)(d - drifts);
	struct sim_sensor *s = sensor_get(id);

	if (!s) {
		ev_timer_stop(loop, w);
		return;
	}
	d->up = !d->up;
	sensor_set_value(id, d->up ? s->value + DRIFT_STEP :
				     s->value - DRIFT_STEP);
}

/* (Re)arm or stop the drift of sensor @id after its config changed. */
static void drift_update(uint32_t id)
{
	struct ev_loop *loop = ev_default_loop(0);
	struct sim_sensor *s = sensor_get(id);
	struct drift *d = &drifts[id];

	if (!loop || !s)
		return;
	if (!d->init) {
		ev_timer_init(&d->w, on_drift, 0., 0.);
		d->init = true;
	}
	ev_timer_stop(loop, &d->w);
	if (s->update_ms && (s->config & CFG_ENABLE)) {
		double t = s->update_ms / 1000.;

		ev_timer_set(&d->w, t, t);
		ev_timer_start(loop, &d->w);
	}
}

/* The topology's intervals start ticking at the first request. */
static void drift_arm_all_once(void)
{
	static bool armed;

	if (armed)
		return;
	armed = true;
	for (uint32_t id = 0; id < sim_topo()->num_sensors; id++)
		if (sensor_get(id)->update_ms)
			drift_update(id);
}

/* ---- control --------------------------------------------------------- */

/*
 * "set <sensor> <value>": the sensor reads @value (x 10^scale) from now
 * on; the trip point and update events that follow are emitted.
 * "get <sensor>": reply "<value>".
 */
int sim_sensor_control(int argc, char **argv, char *out, size_t out_sz)
{
	uint32_t id;
	int64_t value;

	drift_arm_all_once();
	if (!strcmp(argv[0], "set")) {
		if (argc != 3 || sim_parse_u32(argv[1], &id) ||
		    sim_parse_signed(argv[2], INT64_MIN, INT64_MAX, &value)) {
			snprintf(out, out_sz, "usage: sensor set <sensor> <value>");
			return -EINVAL;
		}
		if (!sensor_get(id)) {
			snprintf(out, out_sz, "no sensor %u", id);
			return -ENOENT;
		}
		sensor_set_value(id, value);
		return 0;
	}
	if (!strcmp(argv[0], "get")) {
		if (argc != 2 || sim_parse_u32(argv[1], &id)) {
			snprintf(out, out_sz, "usage: sensor get <sensor>");
			return -EINVAL;
		}
		if (!sensor_get(id)) {
			snprintf(out, out_sz, "no sensor %u", id);
			return -ENOENT;
		}
		snprintf(out, out_sz, "%" PRId64, sensor_get(id)->value);
		return 0;
	}
	snprintf(out, out_sz, "sensor: no verb '%.32s' (set, get)", argv[0]);
	return -EOPNOTSUPP;
}
