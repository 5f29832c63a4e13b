/* SPDX-License-Identifier: MIT */
/*
 * The Sensor management protocol (0x15): discovery at connect, the
 * commands of include/scmi/sensor.h, and SENSOR_TRIP_POINT_EVENT and
 * SENSOR_UPDATE for the notify core. See SCMI-REFERENCE.md 6.6.
 *
 * Discovery, with the checks Linux 6.6 makes and a few more (a reply is
 * refused, -EPROTO, when it is shorter than what it announces):
 *   PROTOCOL_VERSION, PROTOCOL_ATTRIBUTES (16 bytes) must succeed;
 *   SENSOR_DESCRIPTION_GET, paged, must describe every sensor, in id order
 *   (ids are positions, as 6.6 indexes them); each descriptor is 28 bytes,
 *   plus 4 (extended attributes, with axes) or 24 (extended attributes,
 *   no axes), as 6.6 reads them;
 *   v3 and later: SENSOR_NAME_GET for sensors with the extended-name bit,
 *   SENSOR_LIST_UPDATE_INTERVALS (paged, or one segmented triplet) for
 *   every sensor. The platform may refuse either (the short name stays,
 *   the list stays empty), as 6.6 tolerates; a transport error fails.
 *
 * Reads of a sensor that offers asynchronous reads (attributes_low bit
 * 31) are asynchronous, as Linux makes them: scmi_sensor_reading_get()
 * waits for the delayed response (sensor_id, then the readings in the
 * synchronous reply's format), whose sensor must be the one asked for
 * (-EPROTO); scmi_sensor_reading_get_async() decodes it the same way
 * when it comes (common.h), or the synchronous reply of another sensor,
 * and hands the readings to its callback.
 *
 * Public calls reach this protocol's state through scmi_agent_proto_priv()
 * (common.c): init and fini run on the connecting/disconnecting thread,
 * never concurrently with other calls on the same agent
 * (include/scmi/agent.h). After discovery the state is read-only, so the
 * public calls need no lock.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/agent.h>
#include <scmi/protocols.h>
#include <scmi/sensor.h>
#include <scmi/wire.h>

#include "common.h"
#include "log.h"
#include "protocols.h"
#include "symbols.h"

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
};

/* descriptor attributes_low */
#define ATTRL_ASYNC (1u << 31)
#define READING_ASYNC (1u << 0)  /* SENSOR_READING_GET flags */
#define ATTRL_UPDATE_NOTIFY (1u << 30)
#define ATTRL_EXT_NAME (1u << 29)
#define ATTRL_TSTAMP_EXP(w) (((w) >> 10) & 0x1Fu)
#define ATTRL_TSTAMP (1u << 9)
#define ATTRL_EXT_ATTRS (1u << 8)
#define ATTRL_NUM_TRIPS(w) ((w) & 0xFFu)
/* descriptor attributes_high */
#define ATTRH_NUM_AXES(w) (((w) >> 16) & 0x3Fu)
#define ATTRH_SCALE(w) (((w) >> 11) & 0x1Fu)
#define ATTRH_AXES (1u << 8)
#define ATTRH_TYPE(w) ((w) & 0xFFu)

#define DESC_BASE_SZ 28
#define DESC_EXT_AXES_SZ 4       /* power only */
#define DESC_EXT_NOAXES_SZ 24    /* power, resolution, min and max range */
#define SHORT_NAME_SZ 16
#define READING_SZ 16            /* value low, high, timestamp low, high */
#define MAX_AXES 63              /* SCMI_MAX_NUM_SENSOR_AXIS */
#define INTERVALS_SEGMENTED (1u << 12)
#define TRIP_EVT_PAYLD_SZ 12
#define UPDATE_EVT_HDR_SZ 8

/* A reply buffer for the paged commands: the simulator's largest message. */
#define PAGE_BUF_SZ 65536

struct sensor_priv {
	struct scmi_agent *agent;
	uint32_t version;
	uint32_t num_sensors;
	uint32_t max_async;
	struct scmi_sensor_info *sensors; /* num_sensors, by id */
};

/* The ids discovery found: 0..count-1 (common.h). */
#define SENSOR_COUNT_OFF offsetof(struct sensor_priv, num_sensors)

/*
 * The state of @a's sensor protocol with @sensor_id a discovered sensor,
 * or NULL with *ret: -EINVAL (NULL @a, unknown sensor), -ENOTCONN or
 * -EOPNOTSUPP.
 */
static struct sensor_priv *get_priv_id(struct scmi_agent *a,
				       uint32_t sensor_id, int *ret)
{
	return scmi_proto_lookup_id(a, SCMI_PROTOCOL_SENSOR, SENSOR_COUNT_OFF,
				    sensor_id, ret);
}

/* Sign-extend a 5-bit field. */
static int8_t sext5(uint32_t v)
{
	v &= 0x1Fu;
	return (int8_t)(v & 0x10u ? (int)v - 32 : (int)v);
}

/* ---------------------------------------------------------------- */
/* discovery                                                        */

/*
 * A command whose failure discovery tolerates: 0 with the reply, 1 when
 * the platform refused it, or a transport error.
 */
static int optional_xfer(struct scmi_agent *a, uint8_t msg_id, const void *tx,
			 size_t tx_sz, void *rx, size_t rx_cap, size_t *rx_sz)
{
	int32_t status;
	int ret;

	ret = scmi_agent_do_xfer(a, SCMI_PROTOCOL_SENSOR, msg_id, tx, tx_sz,
				 rx, rx_cap, rx_sz, &status);
	if (ret)
		return ret;
	if (status != SCMI_SUCCESS) {
		scmi_info(scmi_agent_log(a), "sensor command 0x%x: %s", msg_id,
			  scmi_status_name(status));
		return 1;
	}
	return 0;
}

/* Decode one descriptor at @d (@avail bytes); its size in *sz or -EPROTO. */
static int parse_descriptor(struct sensor_priv *p, uint32_t index,
			    const uint8_t *d, size_t avail, size_t *sz)
{
	const struct scmi_log *log = scmi_agent_log(p->agent);
	struct scmi_sensor_info *s = &p->sensors[index];
	uint32_t id, lo, hi;
	size_t need = DESC_BASE_SZ;

	if (avail < DESC_BASE_SZ) {
		scmi_err(log, "SENSOR_DESCRIPTION_GET: descriptor %u cut short",
			 index);
		return -EPROTO;
	}
	id = scmi_get_le32(d);
	lo = scmi_get_le32(d + 4);
	hi = scmi_get_le32(d + 8);
	if (id != index) {
		scmi_err(log, "SENSOR_DESCRIPTION_GET: descriptor %u has id %u",
			 index, id);
		return -EPROTO;
	}
	if (lo & ATTRL_EXT_ATTRS)
		need += (hi & ATTRH_AXES) ? DESC_EXT_AXES_SZ : DESC_EXT_NOAXES_SZ;
	if (avail < need) {
		scmi_err(log, "SENSOR_DESCRIPTION_GET: descriptor %u cut short",
			 index);
		return -EPROTO;
	}

	memset(s, 0, sizeof(*s));
	s->id = id;
	s->attributes_low = lo;
	s->attributes_high = hi;
	s->type = (uint8_t)ATTRH_TYPE(hi);
	s->scale = sext5(ATTRH_SCALE(hi));
	s->num_trip_points = ATTRL_NUM_TRIPS(lo);
	s->async_read = lo & ATTRL_ASYNC;
	s->update_notify = lo & ATTRL_UPDATE_NOTIFY;
	s->timestamped = lo & ATTRL_TSTAMP;
	s->tstamp_scale = sext5(ATTRL_TSTAMP_EXP(lo));
	if (hi & ATTRH_AXES) {
		s->num_axes = ATTRH_NUM_AXES(hi);
		if (s->num_axes > MAX_AXES)
			s->num_axes = MAX_AXES;
	}
	scmi_proto_copy_name(s->name, sizeof(s->name), d + 12,
			     SHORT_NAME_SZ - 1);
	*sz = need;
	return 0;
}

/* SENSOR_DESCRIPTION_GET, paged, until every sensor is described. */
static int describe_sensors(struct sensor_priv *p, uint8_t *rx)
{
	struct scmi_agent *a = p->agent;
	const struct scmi_log *log = scmi_agent_log(a);
	uint32_t index = 0;

	while (index < p->num_sensors) {
		uint32_t w, returned, remaining, left = p->num_sensors - index;
		size_t n = 0, off = 4;
		int32_t status;
		uint8_t tx[4];
		int ret;

		scmi_put_le32(tx, index);
		ret = scmi_agent_do_xfer(a, SCMI_PROTOCOL_SENSOR,
					 SENSOR_DESCRIPTION_GET, tx, sizeof(tx),
					 rx, PAGE_BUF_SZ, &n, &status);
		if (ret)
			return ret;
		if (status != SCMI_SUCCESS) {
			scmi_err(log, "SENSOR_DESCRIPTION_GET(%u): %s", index,
				 scmi_status_name(status));
			return scmi_status_to_errno(status);
		}
		if (n < 4 || n > PAGE_BUF_SZ) {
			scmi_err(log, "SENSOR_DESCRIPTION_GET(%u): %zu return bytes",
				 index, n);
			return -EPROTO;
		}
		/* 6.6 reads two u16: bits 15:12 must be clear */
		w = scmi_get_le32(rx);
		returned = w & 0xFFFFu;
		remaining = w >> 16;
		if (returned > 0xFFFu || !returned || returned > left ||
		    remaining != left - returned) {
			scmi_err(log,
				 "SENSOR_DESCRIPTION_GET(%u): %u returned, %u remaining, of %u sensors",
				 index, returned, remaining, p->num_sensors);
			return -EPROTO;
		}
		for (uint32_t i = 0; i < returned; i++) {
			size_t sz;

			ret = parse_descriptor(p, index + i, rx + off, n - off,
					       &sz);
			if (ret)
				return ret;
			off += sz;
		}
		index += returned;
	}
	return 0;
}

/*
 * SENSOR_LIST_UPDATE_INTERVALS (v3): a segmented triplet, or a paged list
 * kept up to SCMI_SENSOR_MAX_INTERVALS. Refused or malformed: no list.
 */
static int sensor_intervals(struct sensor_priv *p, struct scmi_sensor_info *s,
			    uint8_t *rx)
{
	const struct scmi_log *log = scmi_agent_log(p->agent);
	uint32_t index = 0;

	for (;;) {
		uint32_t w, returned, remaining;
		uint8_t tx[8];
		size_t n = 0;
		int ret;

		scmi_put_le32(tx, s->id);
		scmi_put_le32(tx + 4, index);
		ret = optional_xfer(p->agent, SENSOR_LIST_UPDATE_INTERVALS, tx,
				    sizeof(tx), rx, PAGE_BUF_SZ, &n);
		if (ret < 0)
			return ret;
		if (ret)
			break;
		if (n < 4 || n > PAGE_BUF_SZ)
			goto malformed;
		w = scmi_get_le32(rx);
		returned = w & 0xFFFu;
		remaining = w >> 16;
		if (n < 4 + 4 * (size_t)returned)
			goto malformed;
		if (w & INTERVALS_SEGMENTED) {
			if (index || returned != 3 || remaining)
				goto malformed;
			s->intervals_segmented = true;
		} else if (s->intervals_segmented) {
			goto malformed;
		}
		for (uint32_t i = 0; i < returned; i++)
			if (s->num_intervals < SCMI_SENSOR_MAX_INTERVALS)
				s->intervals[s->num_intervals++] =
					scmi_get_le32(rx + 4 + 4 * i);
		index += returned;
		if (!returned || !remaining ||
		    s->num_intervals == SCMI_SENSOR_MAX_INTERVALS)
			break;
	}
	return 0;

malformed:
	scmi_warn(log, "SENSOR_LIST_UPDATE_INTERVALS(%u): malformed reply, list dropped",
		  s->id);
	s->num_intervals = 0;
	s->intervals_segmented = false;
	return 0;
}

static void sensor_free(struct sensor_priv *p)
{
	if (!p)
		return;
	free(p->sensors);
	free(p);
}

static int sensor_init(struct scmi_agent *a, void **priv)
{
	const struct scmi_log *log = scmi_agent_log(a);
	struct sensor_priv *p;
	uint8_t rx[16], *page = NULL;
	uint32_t attr;
	int ret;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->agent = a;

	ret = scmi_proto_version_attrs(a, SCMI_PROTOCOL_SENSOR, &p->version,
				       rx, sizeof(rx));
	if (ret)
		goto fail;
	attr = scmi_get_le32(rx);
	p->num_sensors = attr & 0xFFFFu;
	p->max_async = (attr >> 16) & 0xFFu;

	p->sensors = calloc(p->num_sensors ? p->num_sensors : 1,
			    sizeof(*p->sensors));
	page = malloc(PAGE_BUF_SZ);
	if (!p->sensors || !page) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = describe_sensors(p, page);
	if (ret)
		goto fail;

	if (SCMI_VERSION_MAJOR(p->version) >= 3) {
		for (uint32_t i = 0; i < p->num_sensors; i++) {
			struct scmi_sensor_info *s = &p->sensors[i];

			/* SENSOR_NAME_GET: refused, the short name stays */
			if (s->attributes_low & ATTRL_EXT_NAME) {
				ret = scmi_proto_ext_name_get(
					a, SCMI_PROTOCOL_SENSOR,
					SENSOR_NAME_GET, "sensor", s->id,
					s->name, sizeof(s->name));
				if (ret)
					goto fail;
			}
			ret = sensor_intervals(p, s, page);
			if (ret)
				goto fail;
		}
	}
	free(page);

	scmi_info(log, "Sensor v%u.%u: %u sensors, %u async reads",
		  SCMI_VERSION_MAJOR(p->version),
		  SCMI_VERSION_MINOR(p->version), p->num_sensors,
		  p->max_async);
	*priv = p;
	return 0;

fail:
	free(page);
	sensor_free(p);
	return ret;
}

static void sensor_fini(struct scmi_agent *a, void *priv)
{
	sensor_free(priv);
}

/* How many readings a reply or an update of sensor @s carries. */
static uint32_t num_readings(const struct scmi_sensor_info *s)
{
	return s->num_axes ? s->num_axes : 1;
}

/* ---------------------------------------------------------------- */
/* public calls                                                     */

SCMI_EXPORT int scmi_sensor_count(struct scmi_agent *a)
{
	return scmi_proto_count(a, SCMI_PROTOCOL_SENSOR, SENSOR_COUNT_OFF);
}

int scmi_sensor_info_get_full(struct scmi_agent *a, uint32_t sensor_id,
			      struct scmi_sensor_info *out)
{
	struct sensor_priv *p;
	int ret;

	if (!out)
		return -EINVAL;
	p = get_priv_id(a, sensor_id, &ret);
	if (!p)
		return ret;
	*out = p->sensors[sensor_id];
	return 0;
}

/*
 * SENSOR_READING_GET of sensor @sensor_id into @tx: asynchronous where
 * the sensor offers it, as Linux reads it. *@sz: the bytes of its
 * readings (the reply, or what follows the sensor id in the delayed
 * response): from v3 one 16-byte reading per axis, before that the
 * 8-byte value. Returns the sensor, or NULL with *@ret as get_priv_id().
 */
static const struct scmi_sensor_info *reading_tx(struct scmi_agent *a,
						 uint32_t sensor_id,
						 uint8_t tx[8], size_t *sz,
						 int *ret)
{
	const struct scmi_sensor_info *s;
	struct sensor_priv *p;

	p = get_priv_id(a, sensor_id, ret);
	if (!p)
		return NULL;
	s = &p->sensors[sensor_id];
	scmi_put_le32(tx, sensor_id);
	scmi_put_le32(tx + 4, s->async_read ? READING_ASYNC : 0);
	*sz = SCMI_VERSION_MAJOR(p->version) >= 3 ?
		      READING_SZ * num_readings(s) : 8;
	return s;
}

/*
 * The readings of @sz bytes at @rx (reading_tx()'s size) into @r (room
 * for MAX_AXES): how many. Before v3, one without timestamp.
 */
static uint32_t decode_readings(const uint8_t *rx, size_t sz,
				struct scmi_sensor_reading *r)
{
	uint32_t n;

	if (sz < READING_SZ) {
		r[0].value = (int64_t)scmi_get_le64(rx);
		r[0].timestamp = 0;
		return 1;
	}
	n = (uint32_t)(sz / READING_SZ);
	for (uint32_t i = 0; i < n; i++) {
		r[i].value = (int64_t)scmi_get_le64(rx + READING_SZ * i);
		r[i].timestamp = scmi_get_le64(rx + READING_SZ * i + 8);
	}
	return n;
}

SCMI_EXPORT int scmi_sensor_reading_get(struct scmi_agent *a,
					uint32_t sensor_id, int64_t *value,
					uint64_t *timestamp)
{
	uint8_t tx[8], rx[READING_SZ * MAX_AXES];
	struct scmi_sensor_reading r[MAX_AXES];
	const struct scmi_sensor_info *s;
	size_t rx_sz;
	int ret;

	s = reading_tx(a, sensor_id, tx, &rx_sz, &ret);
	if (!s)
		return ret;
	if (s->async_read)
		ret = scmi_proto_xfer_async_id(a, SCMI_PROTOCOL_SENSOR,
					       SENSOR_READING_GET, tx,
					       sizeof(tx), sensor_id, rx,
					       rx_sz);
	else
		ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_SENSOR,
					    SENSOR_READING_GET, tx, sizeof(tx),
					    rx, rx_sz);
	if (ret)
		return ret;
	decode_readings(rx, rx_sz, r);
	if (value)
		*value = r[0].value;
	if (timestamp)
		*timestamp = r[0].timestamp;
	return 0;
}

/* A scmi_sensor_reading_get_async() accepted (scmi_proto_async_call()). */
struct reading_ctx {
	scmi_sensor_reading_async_fn fn;
	void *userdata;
	size_t sz;                     /* reading_tx()'s */
};

static void reading_done(void *ctx, int result, const uint8_t *ret)
{
	const struct reading_ctx *c = ctx;
	struct scmi_sensor_reading r[MAX_AXES];
	uint32_t n = result ? 0 : decode_readings(ret, c->sz, r);

	c->fn(c->userdata, result, n ? r : NULL, n);
}

SCMI_EXPORT int scmi_sensor_reading_get_async(
	struct scmi_agent *a, uint32_t sensor_id,
	scmi_sensor_reading_async_fn done, void *userdata)
{
	uint8_t tx[8];
	struct scmi_proto_async_cmd cmd = {
		.proto_id = SCMI_PROTOCOL_SENSOR,
		.msg_id = SENSOR_READING_GET,
		.tx = tx,
		.tx_sz = sizeof(tx),
		.id = sensor_id,
	};
	struct reading_ctx c = { .fn = done, .userdata = userdata };
	const struct scmi_sensor_info *s;
	int ret;

	if (!done)
		return -EINVAL;
	s = reading_tx(a, sensor_id, tx, &c.sz, &ret);
	if (!s)
		return ret;
	cmd.async = s->async_read;
	cmd.ret_sz = cmd.sync_ret_sz = c.sz;
	return scmi_proto_async_call(a, &cmd, reading_done, &c, sizeof(c));
}

SCMI_EXPORT int scmi_sensor_trip_point_config(struct scmi_agent *a,
					      uint32_t sensor_id,
					      uint32_t trip_id,
					      enum scmi_sensor_trip_dir direction,
					      int64_t value)
{
	struct sensor_priv *p;
	uint8_t tx[16];
	int ret;

	p = get_priv_id(a, sensor_id, &ret);
	if (!p)
		return ret;
	if (trip_id >= p->sensors[sensor_id].num_trip_points ||
	    (uint32_t)direction > SCMI_SENSOR_TRIP_BOTH)
		return -EINVAL;
	scmi_put_le32(tx, sensor_id);
	scmi_put_le32(tx + 4, (trip_id & 0xFFu) << 4 | (uint32_t)direction);
	scmi_put_le64(tx + 8, (uint64_t)value);
	return scmi_agent_xfer_exact(a, SCMI_PROTOCOL_SENSOR,
				     SENSOR_TRIP_POINT_CONFIG, tx, sizeof(tx),
				     NULL, 0);
}

SCMI_EXPORT int scmi_sensor_config_get(struct scmi_agent *a,
				       uint32_t sensor_id, uint32_t *config)
{
	struct sensor_priv *p;
	uint8_t tx[4], rx[4];
	int ret;

	if (!config)
		return -EINVAL;
	p = get_priv_id(a, sensor_id, &ret);
	if (!p)
		return ret;
	if (SCMI_VERSION_MAJOR(p->version) < 3)
		return -EOPNOTSUPP;
	scmi_put_le32(tx, sensor_id);
	ret = scmi_agent_xfer_exact(a, SCMI_PROTOCOL_SENSOR, SENSOR_CONFIG_GET,
				    tx, sizeof(tx), rx, sizeof(rx));
	if (!ret)
		*config = scmi_get_le32(rx);
	return ret;
}

SCMI_EXPORT int scmi_sensor_config_set(struct scmi_agent *a,
				       uint32_t sensor_id, uint32_t config)
{
	struct sensor_priv *p;
	uint8_t tx[8];
	int ret;

	p = get_priv_id(a, sensor_id, &ret);
	if (!p)
		return ret;
	if (SCMI_VERSION_MAJOR(p->version) < 3)
		return -EOPNOTSUPP;
	scmi_put_le32(tx, sensor_id);
	scmi_put_le32(tx + 4, config);
	return scmi_agent_xfer_exact(a, SCMI_PROTOCOL_SENSOR, SENSOR_CONFIG_SET,
				     tx, sizeof(tx), NULL, 0);
}

/* ---------------------------------------------------------------- */
/* events                                                           */

static int sensor_get_num_sources(void *priv)
{
	struct sensor_priv *p = priv;

	return (int)p->num_sensors;
}

static bool sensor_is_notify_supported(void *priv, uint8_t evt_id,
				       uint32_t src_id)
{
	struct sensor_priv *p = priv;

	if (src_id >= p->num_sensors)
		return false;
	switch (evt_id) {
	case SCMI_EVENT_SENSOR_TRIP_POINT_EVENT:
		return p->sensors[src_id].num_trip_points > 0;
	case SCMI_EVENT_SENSOR_UPDATE:
		return SCMI_VERSION_MAJOR(p->version) >= 3 &&
		       p->sensors[src_id].update_notify;
	default:
		return false;
	}
}

static int sensor_set_notify_enabled(void *priv, uint8_t evt_id,
				     uint32_t src_id, bool enable)
{
	struct sensor_priv *p = priv;
	uint8_t tx[8], msg_id;
	int ret;

	switch (evt_id) {
	case SCMI_EVENT_SENSOR_TRIP_POINT_EVENT:
		msg_id = SENSOR_TRIP_POINT_NOTIFY;
		break;
	case SCMI_EVENT_SENSOR_UPDATE:
		msg_id = SENSOR_CONTINUOUS_UPDATE_NOTIFY;
		break;
	default:
		return -EINVAL;
	}
	if (src_id >= p->num_sensors)
		return -EINVAL;
	scmi_put_le32(tx, src_id);
	scmi_put_le32(tx + 4, enable ? 1 : 0);
	ret = scmi_agent_xfer_exact(p->agent, SCMI_PROTOCOL_SENSOR, msg_id, tx,
				    sizeof(tx), NULL, 0);
	return scmi_proto_notify_result(enable, ret);
}

/*
 * SENSOR_TRIP_POINT_EVENT: +0 agent_id, +4 sensor_id, +8 trip_point_desc,
 * exactly 12 bytes. SENSOR_UPDATE: +0 agent_id, +4 sensor_id, +8 one
 * 16-byte reading per axis (one without axes), exactly that many. Refused:
 * another size, a sensor id out of range, more readings than a report holds.
 */
static void *sensor_fill_custom_report(void *priv, uint8_t evt_id,
				       uint64_t timestamp_ns,
				       const void *payld, size_t payld_sz,
				       void *report, uint32_t *src_id)
{
	struct sensor_priv *p = priv;
	const uint8_t *b = payld;
	uint32_t sensor_id;

	if (payld_sz < UPDATE_EVT_HDR_SZ)
		return NULL;
	sensor_id = scmi_get_le32(b + 4);
	if (sensor_id >= p->num_sensors)
		return NULL;

	switch (evt_id) {
	case SCMI_EVENT_SENSOR_TRIP_POINT_EVENT: {
		struct scmi_sensor_trip_point_report *r = report;

		if (payld_sz != TRIP_EVT_PAYLD_SZ)
			return NULL;
		r->timestamp = timestamp_ns;
		r->agent_id = scmi_get_le32(b);
		r->sensor_id = sensor_id;
		r->trip_point_desc = scmi_get_le32(b + 8);
		*src_id = sensor_id;
		return r;
	}
	case SCMI_EVENT_SENSOR_UPDATE: {
		struct scmi_sensor_update_report *r = report;
		uint32_t count = num_readings(&p->sensors[sensor_id]);

		if (count > SCMI_SENSOR_MAX_READINGS ||
		    payld_sz != UPDATE_EVT_HDR_SZ + READING_SZ * (size_t)count)
			return NULL;
		memset(r, 0, sizeof(*r));
		r->timestamp = timestamp_ns;
		r->agent_id = scmi_get_le32(b);
		r->sensor_id = sensor_id;
		r->readings_count = count;
		for (uint32_t i = 0; i < count; i++) {
			const uint8_t *rd = b + UPDATE_EVT_HDR_SZ + READING_SZ * i;

			r->readings[i].value = (int64_t)scmi_get_le64(rd);
			r->readings[i].timestamp = scmi_get_le64(rd + 8);
		}
		*src_id = sensor_id;
		return r;
	}
	default:
		return NULL;
	}
}

static const struct scmi_event sensor_events[] = {
	{
		.id = SCMI_EVENT_SENSOR_TRIP_POINT_EVENT,
		.max_payld_sz = TRIP_EVT_PAYLD_SZ,
		.max_report_sz = sizeof(struct scmi_sensor_trip_point_report),
	},
	{
		.id = SCMI_EVENT_SENSOR_UPDATE,
		.max_payld_sz = UPDATE_EVT_HDR_SZ +
				READING_SZ * SCMI_SENSOR_MAX_READINGS,
		.max_report_sz = sizeof(struct scmi_sensor_update_report),
	},
};

static const struct scmi_event_ops sensor_event_ops = {
	.get_num_sources = sensor_get_num_sources,
	.set_notify_enabled = sensor_set_notify_enabled,
	.fill_custom_report = sensor_fill_custom_report,
	.is_notify_supported = sensor_is_notify_supported,
};

static const struct scmi_protocol_events sensor_protocol_events = {
	.ops = &sensor_event_ops,
	.evts = sensor_events,
	.num_events = sizeof(sensor_events) / sizeof(sensor_events[0]),
};

/* The SCMI specification's names of the events, by id (names.h). */
static const char *const sensor_event_names[] = {
	[SCMI_EVENT_SENSOR_TRIP_POINT_EVENT] = "SENSOR_TRIP_POINT_EVENT",
	[SCMI_EVENT_SENSOR_UPDATE] = "SENSOR_UPDATE",
};

const struct scmi_proto_driver scmi_sensor_driver = {
	.proto_id = SCMI_PROTOCOL_SENSOR,
	.name = "sensor",
	.init = sensor_init,
	.fini = sensor_fini,
	.events = &sensor_protocol_events,
	.event_names = sensor_event_names,
};
