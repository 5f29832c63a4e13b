/* SPDX-License-Identifier: MIT */
/*
 * Names for the values of the API (include/scmi/names.h): protocols and
 * their events, from the protocol drivers' own table (protocols/drivers.c,
 * each driver naming its events), and constant tables for agent states,
 * system states and sensor types with their units.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <strings.h>

#include <scmi/agent.h>
#include <scmi/names.h>
#include <scmi/sensor.h>
#include <scmi/system.h>

#include "protocols/protocols.h"
#include "symbols.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct scmi_proto_driver *driver_of(uint8_t proto_id)
{
	for (unsigned int i = 0; i < scmi_proto_num_drivers; i++)
		if (scmi_proto_drivers[i]->proto_id == proto_id)
			return scmi_proto_drivers[i];
	return NULL;
}

static unsigned int num_events(const struct scmi_proto_driver *d)
{
	return d->events && d->event_names ? d->events->num_events : 0;
}

SCMI_EXPORT const char *scmi_protocol_name(uint8_t proto_id)
{
	const struct scmi_proto_driver *d = driver_of(proto_id);

	return d ? d->name : NULL;
}

SCMI_EXPORT int scmi_protocol_by_name(const char *name)
{
	if (!name)
		return -EINVAL;
	for (unsigned int i = 0; i < scmi_proto_num_drivers; i++)
		if (!strcasecmp(name, scmi_proto_drivers[i]->name))
			return scmi_proto_drivers[i]->proto_id;
	return -ENOENT;
}

SCMI_EXPORT int scmi_protocol_num_events(uint8_t proto_id)
{
	const struct scmi_proto_driver *d = driver_of(proto_id);

	return d ? (int)num_events(d) : -ENOENT;
}

SCMI_EXPORT const char *scmi_event_name(uint8_t proto_id, uint8_t evt_id)
{
	const struct scmi_proto_driver *d = driver_of(proto_id);

	if (!d || evt_id >= num_events(d))
		return NULL;
	return d->event_names[evt_id];
}

SCMI_EXPORT int scmi_event_by_name(const char *name, uint8_t *proto_id)
{
	if (!name)
		return -EINVAL;
	for (unsigned int i = 0; i < scmi_proto_num_drivers; i++) {
		const struct scmi_proto_driver *d = scmi_proto_drivers[i];

		for (unsigned int e = 0; e < num_events(d); e++) {
			if (strcasecmp(name, d->event_names[e]))
				continue;
			if (proto_id)
				*proto_id = d->proto_id;
			return (int)e;
		}
	}
	return -ENOENT;
}

SCMI_EXPORT const char *scmi_agent_state_name(int state)
{
	switch (state) {
	case SCMI_AGENT_DISCONNECTED:
		return "disconnected";
	case SCMI_AGENT_CONNECTED:
		return "connected";
	case SCMI_AGENT_RECONNECTING:
		return "reconnecting";
	}
	return NULL;
}

SCMI_EXPORT const char *scmi_system_state_name(uint32_t state)
{
	static const char *const names[] = {
		[SCMI_SYSTEM_SHUTDOWN] = "shutdown",
		[SCMI_SYSTEM_COLDRESET] = "cold-reset",
		[SCMI_SYSTEM_WARMRESET] = "warm-reset",
		[SCMI_SYSTEM_POWERUP] = "power-up",
		[SCMI_SYSTEM_SUSPEND] = "suspend",
	};

	if (state < ARRAY_SIZE(names))
		return names[state];
	return state & 0x80000000u ? "vendor" : "reserved";
}

/*
 * The SCMI specification's sensor types and units (DEN0056, "Sensor Type
 * and Unit"), named as the kernel's enum scmi_sensor_class; 0x5E to 0xFE
 * are reserved.
 */
static const struct {
	const char *name;
	const char *unit;
} sensor_types[] = {
	[0x00] = { "none", "" },
	[0x01] = { "unspec", "" },
	[0x02] = { "temperature_c", "°C" },
	[0x03] = { "temperature_f", "°F" },
	[0x04] = { "temperature_k", "K" },
	[0x05] = { "voltage", "V" },
	[0x06] = { "current", "A" },
	[0x07] = { "power", "W" },
	[0x08] = { "energy", "J" },
	[0x09] = { "charge", "C" },
	[0x0A] = { "voltampere", "VA" },
	[0x0B] = { "nits", "nit" },
	[0x0C] = { "lumens", "lm" },
	[0x0D] = { "lux", "lx" },
	[0x0E] = { "candelas", "cd" },
	[0x0F] = { "kpa", "kPa" },
	[0x10] = { "psi", "psi" },
	[0x11] = { "newton", "N" },
	[0x12] = { "cfm", "CFM" },
	[0x13] = { "rpm", "RPM" },
	[0x14] = { "hertz", "Hz" },
	[0x15] = { "secs", "s" },
	[0x16] = { "mins", "min" },
	[0x17] = { "hours", "h" },
	[0x18] = { "days", "d" },
	[0x19] = { "weeks", "wk" },
	[0x1A] = { "mils", "mil" },
	[0x1B] = { "inches", "in" },
	[0x1C] = { "feet", "ft" },
	[0x1D] = { "cubic_inches", "in³" },
	[0x1E] = { "cubic_feet", "ft³" },
	[0x1F] = { "meters", "m" },
	[0x20] = { "cubic_cm", "cm³" },
	[0x21] = { "cubic_meters", "m³" },
	[0x22] = { "liters", "L" },
	[0x23] = { "fluid_ounces", "fl oz" },
	[0x24] = { "radians", "rad" },
	[0x25] = { "steradians", "sr" },
	[0x26] = { "revolutions", "rev" },
	[0x27] = { "cycles", "cycles" },
	[0x28] = { "gravities", "G" },
	[0x29] = { "ounces", "oz" },
	[0x2A] = { "pounds", "lb" },
	[0x2B] = { "foot_pounds", "ft·lb" },
	[0x2C] = { "ounce_inches", "oz·in" },
	[0x2D] = { "gauss", "Gs" },
	[0x2E] = { "gilberts", "Gb" },
	[0x2F] = { "henries", "H" },
	[0x30] = { "farads", "F" },
	[0x31] = { "ohms", "Ω" },
	[0x32] = { "siemens", "S" },
	[0x33] = { "moles", "mol" },
	[0x34] = { "becquerels", "Bq" },
	[0x35] = { "ppm", "ppm" },
	[0x36] = { "decibels", "dB" },
	[0x37] = { "dba", "dBA" },
	[0x38] = { "dbc", "dBC" },
	[0x39] = { "grays", "Gy" },
	[0x3A] = { "sieverts", "Sv" },
	[0x3B] = { "color_temp_k", "K" },
	[0x3C] = { "bits", "bit" },
	[0x3D] = { "bytes", "B" },
	[0x3E] = { "words", "words" },
	[0x3F] = { "dwords", "dwords" },
	[0x40] = { "qwords", "qwords" },
	[0x41] = { "percentage", "%" },
	[0x42] = { "pascals", "Pa" },
	[0x43] = { "counts", "counts" },
	[0x44] = { "grams", "g" },
	[0x45] = { "newton_meters", "N·m" },
	[0x46] = { "hits", "hits" },
	[0x47] = { "misses", "misses" },
	[0x48] = { "retries", "retries" },
	[0x49] = { "overruns", "overruns" },
	[0x4A] = { "underruns", "underruns" },
	[0x4B] = { "collisions", "collisions" },
	[0x4C] = { "packets", "packets" },
	[0x4D] = { "messages", "messages" },
	[0x4E] = { "chars", "chars" },
	[0x4F] = { "errors", "errors" },
	[0x50] = { "corrected_errs", "errors" },
	[0x51] = { "uncorrectable_errs", "errors" },
	[0x52] = { "sq_mils", "mil²" },
	[0x53] = { "sq_inches", "in²" },
	[0x54] = { "sq_feet", "ft²" },
	[0x55] = { "sq_cm", "cm²" },
	[0x56] = { "sq_meters", "m²" },
	[0x57] = { "radians_sec", "rad/s" },
	[0x58] = { "bpm", "bpm" },
	[0x59] = { "meters_sec_squared", "m/s²" },
	[0x5A] = { "meters_sec", "m/s" },
	[0x5B] = { "cubic_meters_sec", "m³/s" },
	[0x5C] = { "mm_mercury", "mmHg" },
	[0x5D] = { "radians_sec_squared", "rad/s²" },
};

SCMI_EXPORT const char *scmi_sensor_type_name(uint8_t type)
{
	if (type == SCMI_SENSOR_TYPE_OEM)
		return "oem_unit";
	return type < ARRAY_SIZE(sensor_types) ? sensor_types[type].name : NULL;
}

SCMI_EXPORT const char *scmi_sensor_unit(uint8_t type)
{
	return type < ARRAY_SIZE(sensor_types) ? sensor_types[type].unit : "";
}
