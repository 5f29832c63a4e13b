/* SPDX-License-Identifier: MIT */
/*
 * The Sensor management protocol (SCMI_PROTOCOL_SENSOR, 0x15): what the
 * agent discovered about each sensor, the commands a user needs, the two
 * events and their reports (the kernel's scmi_sensor_trip_point_report and
 * scmi_sensor_update_report).
 *
 * Discovery runs at scmi_agent_connect(): PROTOCOL_VERSION,
 * PROTOCOL_ATTRIBUTES, SENSOR_DESCRIPTION_GET (paged), and for protocol
 * version 3 and later SENSOR_NAME_GET (when a sensor has an extended name)
 * and SENSOR_LIST_UPDATE_INTERVALS per sensor. Sensor ids are dense,
 * 0..count-1; a function given an id the discovery did not find fails
 * with -EINVAL and sends nothing.
 *
 * Every function below that talks to the platform can also fail with the
 * command errors listed at the top of <scmi/agent.h> (-ENOTCONN,
 * -ECONNRESET, -ETIMEDOUT, -EPROTO, and the platform's status mapped by
 * scmi_status_to_errno()). Each one returns -ENOTCONN when the agent is not
 * connected and -EOPNOTSUPP when it is, but the platform does not offer
 * the sensor protocol (or its discovery failed).
 *
 * Events (register on scmi_agent_notify(agent)):
 *
 *   SCMI_EVENT_SENSOR_TRIP_POINT_EVENT  enabled with
 *                                       SENSOR_TRIP_POINT_NOTIFY; only
 *                                       sensors with trip points can emit
 *                                       it (else registering: -EOPNOTSUPP)
 *   SCMI_EVENT_SENSOR_UPDATE            enabled with
 *                                       SENSOR_CONTINUOUS_UPDATE_NOTIFY;
 *                                       only sensors whose attributes say so
 *
 * The source id of both is the sensor id.
 *
 * trip_point_desc (the reference marks its layout unverified): bits 7:0
 * are the id of the trip point crossed, bit 16 is set when it was crossed
 * upwards (the value went from below the threshold to at or above it) and
 * clear when it was crossed downwards (from at or above to below). This is
 * the layout scmi-sim emits; the report passes the word through raw.
 */
#ifndef SCMI_SENSOR_H
#define SCMI_SENSOR_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/agent.h>
#include <scmi/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- events ---------------------------------------------------------- */

/** SENSOR_TRIP_POINT_EVENT: a trip point of the sensor was crossed. */
#define SCMI_EVENT_SENSOR_TRIP_POINT_EVENT 0x0
/** SENSOR_UPDATE: the sensor has new readings (protocol v3). */
#define SCMI_EVENT_SENSOR_UPDATE 0x1

/**
 * Deprecated: the name before 0.2, kept as an alias until 1.0. Use
 * SCMI_EVENT_SENSOR_TRIP_POINT_EVENT, the Linux kernel's name.
 */
#define SCMI_EVENT_SENSOR_TRIP_POINT SCMI_EVENT_SENSOR_TRIP_POINT_EVENT

/** trip_point_desc: the id of the trip point crossed. */
#define SCMI_SENSOR_TRIP_DESC_ID(desc) (SCMI_CAST(uint32_t, desc) & 0xFFu)
/** trip_point_desc: set when the trip point was crossed upwards. */
#define SCMI_SENSOR_TRIP_DESC_UP (1u << 16)

/**
 * Most readings a SENSOR_UPDATE can carry in a message of 128 payload
 * bytes: (128 - 8) / 16.
 */
#define SCMI_SENSOR_MAX_READINGS 7u

/** Report of SCMI_EVENT_SENSOR_TRIP_POINT_EVENT (scmi_sensor_trip_point_report). */
struct scmi_sensor_trip_point_report {
	uint64_t timestamp;       /**< ns, CLOCK_MONOTONIC, when received */
	uint32_t agent_id;        /**< the agent that caused it (0: the platform) */
	uint32_t sensor_id;
	uint32_t trip_point_desc; /**< raw; see SCMI_SENSOR_TRIP_DESC_* */
};

/** One reading: a value (x 10^scale) and the platform's timestamp of it. */
struct scmi_sensor_reading {
	int64_t value;
	uint64_t timestamp;       /**< 0 when the sensor does not timestamp */
};

/** Report of SCMI_EVENT_SENSOR_UPDATE (scmi_sensor_update_report). */
struct scmi_sensor_update_report {
	uint64_t timestamp;       /**< ns, CLOCK_MONOTONIC, when received */
	uint32_t agent_id;        /**< the agent that caused it (0: the platform) */
	uint32_t sensor_id;
	uint32_t readings_count;  /**< one per axis, 1 for a sensor without axes */
	struct scmi_sensor_reading readings[SCMI_SENSOR_MAX_READINGS];
};

/* ---- discovery ------------------------------------------------------- */

/** Sensor types (attributes_high bits 7:0), the common ones. */
enum scmi_sensor_type {
	SCMI_SENSOR_TYPE_NONE = 0x00,
	SCMI_SENSOR_TYPE_UNSPEC = 0x01,
	SCMI_SENSOR_TYPE_TEMPERATURE_C = 0x02,
	SCMI_SENSOR_TYPE_TEMPERATURE_F = 0x03,
	SCMI_SENSOR_TYPE_TEMPERATURE_K = 0x04,
	SCMI_SENSOR_TYPE_VOLTAGE = 0x05,
	SCMI_SENSOR_TYPE_CURRENT = 0x06,
	SCMI_SENSOR_TYPE_POWER = 0x07,
	SCMI_SENSOR_TYPE_ENERGY = 0x08,
	SCMI_SENSOR_TYPE_RPM = 0x13,
	SCMI_SENSOR_TYPE_HZ = 0x14,
	SCMI_SENSOR_TYPE_PERCENTAGE = 0x41,
	SCMI_SENSOR_TYPE_OEM = 0xFF,
};

/** Most update intervals kept per sensor (a longer list is cut). */
#define SCMI_SENSOR_MAX_INTERVALS 16u

/**
 * An update interval word of SENSOR_LIST_UPDATE_INTERVALS: bits 20:5
 * seconds multiplier, bits 4:0 signed power-of-ten exponent (the config
 * word below has its own layout).
 */
#define SCMI_SENSOR_INTERVAL_SECS(w) ((SCMI_CAST(uint32_t, w) >> 5) & 0xFFFFu)
#define SCMI_SENSOR_INTERVAL_EXP(w)                                            \
	(SCMI_CAST(int, SCMI_CAST(uint32_t, w) & 0x1Fu) -                      \
	 ((SCMI_CAST(uint32_t, w) & 0x10u) ? 32 : 0))

/** The sensor_config word of SENSOR_CONFIG_GET / SENSOR_CONFIG_SET. */
#define SCMI_SENSOR_CONFIG_ENABLE (1u << 0)
#define SCMI_SENSOR_CONFIG_TIMESTAMP (1u << 1)
#define SCMI_SENSOR_CONFIG_ROUND_SHIFT 9     /* bits 10:9: 0 down, 1 up, 2 auto */
#define SCMI_SENSOR_CONFIG_EXP_SHIFT 11      /* bits 15:11: signed exponent */
#define SCMI_SENSOR_CONFIG_SECS_SHIFT 16     /* bits 31:16: seconds multiplier */
/** A config word: an update interval of @secs x 10^@exp s, and @flags. */
#define SCMI_SENSOR_CONFIG(secs, exp, flags)                                   \
	((SCMI_CAST(uint32_t, secs) << SCMI_SENSOR_CONFIG_SECS_SHIFT) |        \
	 ((SCMI_CAST(uint32_t, exp) & 0x1Fu) << SCMI_SENSOR_CONFIG_EXP_SHIFT) | \
	 SCMI_CAST(uint32_t, flags))

/** What discovery learned about one sensor. */
struct scmi_sensor_info {
	uint32_t id;
	char name[64];             /**< NUL-terminated; the extended name if any */
	uint8_t type;              /**< enum scmi_sensor_type */
	int8_t scale;              /**< value exponent: value x 10^scale */
	uint32_t num_trip_points;  /**< 0: no SCMI_EVENT_SENSOR_TRIP_POINT_EVENT */
	bool async_read;           /**< asynchronous reads supported (then used) */
	bool update_notify;        /**< SCMI_EVENT_SENSOR_UPDATE supported */
	bool timestamped;          /**< readings carry timestamps */
	int8_t tstamp_scale;       /**< timestamp unit: 10^tstamp_scale s */
	uint32_t num_axes;         /**< 0: a sensor of one value */
	uint32_t attributes_low;   /**< the raw descriptor words */
	uint32_t attributes_high;
	bool intervals_segmented;  /**< intervals[] is {low, high, step} */
	uint32_t num_intervals;    /**< 0: the list was not available */
	uint32_t intervals[SCMI_SENSOR_MAX_INTERVALS]; /**< interval words */
};

/**
 * The number of sensors the platform has (0 or more), or a negative errno.
 * Errors: -EINVAL NULL @agent; -ENOTCONN; -EOPNOTSUPP (see the top).
 */
int scmi_sensor_count(struct scmi_agent *agent);

/**
 * scmi_sensor_info_get() for a struct of @size bytes, as the caller was
 * built with (see "Structs that grow" in <scmi/agent.h>): it writes at most
 * @size bytes into *@info (an older, smaller struct gets the members it
 * has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_sensor_info_get(); -EINVAL @size below the size of
 * the struct's first release.
 */
int scmi_sensor_info_get_sized(struct scmi_agent *agent, uint32_t id,
			       struct scmi_sensor_info *info, size_t size);

/**
 * Copy what discovery learned about sensor @sensor_id into *@info.
 * Errors: -EINVAL NULL argument or unknown @sensor_id; -ENOTCONN;
 * -EOPNOTSUPP.
 */
static inline int scmi_sensor_info_get(struct scmi_agent *agent,
				       uint32_t sensor_id,
				       struct scmi_sensor_info *info)
{
	return scmi_sensor_info_get_sized(agent, sensor_id,
					  info, sizeof(*info));
}

/* ---- commands -------------------------------------------------------- */

/**
 * SENSOR_READING_GET: the current value (x 10^scale) of sensor @sensor_id
 * and, with protocol v3, its timestamp (0 before v3 or when the sensor
 * does not timestamp). Either output may be NULL. For a sensor with axes,
 * the first axis. On a sensor with async_read the read is asynchronous,
 * as Linux makes it: the call waits for the platform's delayed response
 * (scmi_agent_xfer_async()).
 * Errors: -EINVAL NULL @agent or unknown @sensor_id; -EPROTO a reply (or
 * delayed response) of the wrong size or for another sensor; -EBUSY the
 * platform has a read of the sensor pending; -ENOTCONN; -EOPNOTSUPP; and
 * every command error, and those of scmi_agent_xfer_async().
 */
int scmi_sensor_reading_get(struct scmi_agent *agent, uint32_t sensor_id,
			    int64_t *value, uint64_t *timestamp);

/**
 * The completion of scmi_sensor_reading_get_async(), called exactly once,
 * never from inside that call: on the agent's supervisor thread in
 * threaded mode (which may be before the call returned), in a later
 * scmi_agent_dispatch() in event-loop mode, or by scmi_agent_disconnect()
 * or scmi_agent_destroy() for a read they cut short.
 * @result 0: @readings holds @readings_count readings, valid during the
 * call: one per axis (one for a sensor without axes), the first of them
 * what scmi_sensor_reading_get() gives (the value, x 10^scale, and its
 * timestamp, 0 before protocol v3 or when the sensor does not timestamp).
 * Else @readings is NULL, @readings_count 0 and @result the errno of the
 * delayed response's status (scmi_status_to_errno()), -EPROTO a delayed
 * response for another sensor or of the wrong size, -ETIMEDOUT none
 * within delayed_timeout_ms, or -ECONNRESET the platform went away, or
 * the agent disconnected, first.
 */
typedef void (*scmi_sensor_reading_async_fn)(
	void *userdata, int result, const struct scmi_sensor_reading *readings,
	uint32_t readings_count);

/**
 * SENSOR_READING_GET as scmi_sensor_reading_get() sends it, but returns
 * once the platform accepted it: @done(@userdata, result, readings,
 * count) brings the readings (scmi_sensor_reading_async_fn). A sensor
 * without async_read is read synchronously (the reply is in when the
 * call returns) and @done is called all the same, later. The agent keeps
 * what it needs: the caller keeps nothing alive but what @userdata
 * points to.
 * Returns 0, and @done will be called exactly once; or a negative errno,
 * and @done is never called: -EINVAL NULL @agent or @done, or unknown
 * @sensor_id (nothing sent); -ENOTCONN; -EOPNOTSUPP; -ENOMEM; -EBUSY the
 * platform has a read of the sensor pending, or 16 asynchronous commands
 * of the agent wait already; -EPROTO a synchronous reply of the wrong
 * size; and every command error of the command itself.
 */
int scmi_sensor_reading_get_async(struct scmi_agent *agent, uint32_t sensor_id,
				  scmi_sensor_reading_async_fn done,
				  void *userdata);

/** Trip point directions for scmi_sensor_trip_point_config(). */
enum scmi_sensor_trip_dir {
	SCMI_SENSOR_TRIP_DISABLE = 0,
	SCMI_SENSOR_TRIP_UP = 1,        /**< crossed upwards */
	SCMI_SENSOR_TRIP_DOWN = 2,      /**< crossed downwards */
	SCMI_SENSOR_TRIP_BOTH = 3,
};

/**
 * SENSOR_TRIP_POINT_CONFIG: set trip point @trip_id of sensor @sensor_id
 * to @value (same scale as readings), crossed in @direction (DISABLE
 * turns it off).
 * Errors: -EINVAL NULL @agent, unknown @sensor_id, @trip_id at or beyond
 * the sensor's number of trip points (nothing sent), @direction above 3;
 * -ENOTCONN; -EOPNOTSUPP; and every command error (-EINVAL: the platform
 * refused the parameters).
 */
int scmi_sensor_trip_point_config(struct scmi_agent *agent, uint32_t sensor_id,
				  uint32_t trip_id,
				  enum scmi_sensor_trip_dir direction,
				  int64_t value);

/**
 * SENSOR_CONFIG_GET (protocol v3): the sensor_config word of
 * @sensor_id (SCMI_SENSOR_CONFIG_*).
 * Errors: -EINVAL NULL argument or unknown @sensor_id; -EOPNOTSUPP the
 * protocol is older than v3 (nothing sent), or see the top; -EPROTO a
 * reply of the wrong size; -ENOTCONN; and every command error.
 */
int scmi_sensor_config_get(struct scmi_agent *agent, uint32_t sensor_id,
			   uint32_t *config);

/**
 * SENSOR_CONFIG_SET (protocol v3): set the sensor_config word of
 * @sensor_id (enable, timestamping, update interval, rounding).
 * Errors: -EINVAL NULL @agent or unknown @sensor_id (nothing sent), or the
 * platform's INVALID_PARAMETERS (reserved bits, bad rounding); -ERANGE the
 * platform cannot use the update interval; -EOPNOTSUPP the protocol is
 * older than v3 (nothing sent), or see the top; -ENOTCONN; and every
 * command error.
 */
int scmi_sensor_config_set(struct scmi_agent *agent, uint32_t sensor_id,
			   uint32_t config);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_SENSOR_H */
