/* SPDX-License-Identifier: MIT */
/*
 * Text for the values the API gives: the names of protocols, events,
 * agent states, system states and sensor types, the unit of a sensor
 * type, and a power state word or a sensor reading (value x 10^scale)
 * formatted for people. What scmi-monitor prints comes from here.
 *
 * Names are constant strings owned by the library, valid for its life.
 * A protocol's name is the short one scmi-sim's control socket and
 * scmi-monitor use ("power", "perf"); an event's is the SCMI
 * specification's ("POWER_STATE_CHANGED", "SENSOR_TRIP_POINT_EVENT"),
 * which is also the tail of its SCMI_EVENT_* macro. Lookups by name
 * ignore case.
 *
 * The formatting functions write a NUL-terminated string into @buf of
 * @sz bytes and return its length (without the NUL), as snprintf() does
 * when the string fits; when it does not, @buf holds as much as fits,
 * NUL-terminated, and they return -ENOSPC. Text is UTF-8 (a unit may be
 * "°C" or "Ω").
 */
#ifndef SCMI_NAMES_H
#define SCMI_NAMES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The name of protocol @proto_id ("base", "power", "system", "perf",
 * "clock", "sensor", "reset", "voltage", "powercap"), or NULL for a
 * protocol the library does not implement.
 */
const char *scmi_protocol_name(uint8_t proto_id);

/**
 * The id of the protocol called @name (as scmi_protocol_name() gives it,
 * any case).
 * Returns the protocol id (0x10 and up).
 * Errors: -EINVAL NULL @name; -ENOENT no protocol has that name.
 */
int scmi_protocol_by_name(const char *name);

/**
 * How many events protocol @proto_id has (its event ids are 0..count-1);
 * 0 for a protocol without events (voltage).
 * Errors: -ENOENT a protocol the library does not implement.
 */
int scmi_protocol_num_events(uint8_t proto_id);

/**
 * The SCMI specification's name of event @evt_id of protocol @proto_id
 * ("PERFORMANCE_LEVEL_CHANGED"), or NULL when the library knows no such
 * event.
 */
const char *scmi_event_name(uint8_t proto_id, uint8_t evt_id);

/**
 * The event called @name (as scmi_event_name() gives it, any case):
 * event names are unique across protocols. Its protocol id goes to
 * *@proto_id (may be NULL).
 * Returns the event id (0 and up).
 * Errors: -EINVAL NULL @name; -ENOENT no event has that name.
 */
int scmi_event_by_name(const char *name, uint8_t *proto_id);

/**
 * The name of agent state @state (enum scmi_agent_state of
 * <scmi/agent.h>, as scmi_agent_get_state() and state_fn give it):
 * "disconnected", "connected" or "reconnecting"; NULL for another value.
 */
const char *scmi_agent_state_name(int state);

/**
 * The name of system state @state (enum scmi_system_state of
 * <scmi/system.h>, the system_state of a SYSTEM_POWER_STATE_NOTIFIER):
 * "shutdown", "cold-reset", "warm-reset", "power-up" or "suspend";
 * "vendor" for a vendor state (bit 31 set); "reserved" otherwise. Never
 * NULL.
 */
const char *scmi_system_state_name(uint32_t state);

/**
 * The name of sensor type @type (struct scmi_sensor_info's type, the
 * SCMI specification's table of sensor types and units, with the names
 * of the Linux kernel's enum scmi_sensor_class in lower case:
 * "temperature_c", "voltage", "rpm", "oem_unit"), or NULL for a
 * reserved value.
 */
const char *scmi_sensor_type_name(uint8_t type);

/**
 * The unit symbol of sensor type @type ("°C", "V", "A", "W", "J", "Hz",
 * "%"), "" when the type has none (none, unspecified, OEM, or a value the
 * specification reserves). Never NULL.
 */
const char *scmi_sensor_unit(uint8_t type);

/**
 * Format power state word @state (a POWER_STATE_CHANGED report's, or
 * scmi_power_state_get()'s) into @buf: "on" and "off" for the generic
 * states, else its type and id ("operational,id=0x5", "off/ret,id=0x3"),
 * with ",reserved" added when reserved bits are set.
 * Returns the length of the text.
 * Errors: -EINVAL NULL @buf or @sz 0; -ENOSPC @buf too small (see the
 * top of this file).
 */
int scmi_power_state_format(uint32_t state, char *buf, size_t sz);

/**
 * Format sensor reading @value x 10^@scale, exactly (no floating point),
 * followed by a blank and the unit of sensor type @type when it has one:
 * 72000, -3, SCMI_SENSOR_TYPE_TEMPERATURE_C gives "72.000 °C"; 5, 2,
 * SCMI_SENSOR_TYPE_RPM gives "500 RPM"; -5, -3, SCMI_SENSOR_TYPE_NONE
 * gives "-0.005". @scale is struct scmi_sensor_info's (-16..15 for a
 * sensor); any value of an int8_t is taken.
 * Returns the length of the text.
 * Errors: -EINVAL NULL @buf or @sz 0; -ENOSPC @buf too small (see the
 * top of this file).
 */
int scmi_sensor_reading_format(int64_t value, int8_t scale, uint8_t type,
			       char *buf, size_t sz);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_NAMES_H */
