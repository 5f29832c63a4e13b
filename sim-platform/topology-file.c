/* SPDX-License-Identifier: MIT */
/*
 * Topology files (see topology-file.h): JSON text in, struct sim_topology
 * out, and back.
 *
 * The format is described once, by the tables below: a row per key, with
 * its type, where its value lives in struct sim_topology, its range and
 * its default (json-table.h). The same rows read a file, set the
 * defaults of the keys left out, write a file, word the errors and
 * describe the format (topology_schema(), `scmi-sim --topology-schema`,
 * against which a test checks the man page's list of keys). What a row
 * cannot say -- defaults that follow from other keys, checks across
 * keys -- is a domain's check function, first in this file.
 *
 * The text is read and parsed as a JSON document (json-doc.h), whose
 * errors name their line:col and path.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/wire.h>

#include "json-table.h"
#include "topology-file.h"
#include "topology-roles.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- checks across keys ---------------------------------------------------- */

static int check_perf(struct jt_ctx *ctx, struct json_object *obj, void *item,
		      const char *path, unsigned int idx)
{
	struct sim_perf_domain *d = item;
	uint32_t lowest = d->levels[0].perf;
	uint32_t highest = d->levels[d->num_levels - 1].perf;
	bool is_level = false, inside = false;
	char sub[JT_PATH_SZ];

	if (!jt_has(obj, "level"))
		d->level = highest;
	if (!jt_has(obj, "range_min"))
		d->range_min = lowest;
	if (!jt_has(obj, "range_max"))
		d->range_max = highest;
	if (!jt_has(obj, "sustained_perf"))
		d->sustained_perf = highest;
	if (!jt_has(obj, "sustained_freq_khz"))
		d->sustained_freq_khz = d->sustained_perf > UINT32_MAX / 1000 ?
						UINT32_MAX : d->sustained_perf * 1000;
	for (unsigned int i = 0; i < d->num_levels; i++) {
		is_level |= d->levels[i].perf == d->level;
		inside |= d->levels[i].perf >= d->range_min &&
			  d->levels[i].perf <= d->range_max;
	}
	if (d->range_min < lowest)
		return JT_FAIL(ctx, jt_path(sub, path, ".range_min"),
			       "%u is below the lowest level (%u)", d->range_min,
			       lowest);
	jt_path(sub, path, ".range_max");
	if (d->range_max > highest)
		return JT_FAIL(ctx, sub, "%u is above the highest level (%u)",
			       d->range_max, highest);
	if (d->range_max < d->range_min)
		return JT_FAIL(ctx, sub, "%u is below range_min (%u)", d->range_max,
			       d->range_min);
	if (!inside)
		return JT_FAIL(ctx, sub, "no level lies within [%u, %u]",
			       d->range_min, d->range_max);
	jt_path(sub, path, ".level");
	if (!is_level)
		return JT_FAIL(ctx, sub, "%u is not one of the domain's levels",
			       d->level);
	if (d->level < d->range_min || d->level > d->range_max)
		return JT_FAIL(ctx, sub, "%u is outside the limits [%u, %u]",
			       d->level, d->range_min, d->range_max);
	return 0;
}

static const struct jt_values clock_rates, voltage_levels;

static int check_clock(struct jt_ctx *ctx, struct json_object *obj, void *item,
		       const char *path, unsigned int idx)
{
	return jt_check_values(ctx, obj, item, path, &clock_rates);
}

static int check_voltage(struct jt_ctx *ctx, struct json_object *obj,
			 void *item, const char *path, unsigned int idx)
{
	return jt_check_values(ctx, obj, item, path, &voltage_levels);
}

#define SENSOR_CFG_ENABLE (1u << 0)
#define SENSOR_CFG_TSTAMP (1u << 1)
#define SENSOR_CFG_EXP_MS (0x1Du << 11)      /* update interval exponent -3 */
#define SENSOR_CFG_SECS_SHIFT 16
#define SENSOR_INTERVAL_MIN_MS 10            /* as protocols/sensor.c offers */
#define SENSOR_INTERVAL_MAX_MS 60000
#define SENSOR_INTERVAL_STEP_MS 10

static int check_sensor(struct jt_ctx *ctx, struct json_object *obj,
			void *item, const char *path, unsigned int idx)
{
	struct sim_sensor *s = item;
	char sub[JT_PATH_SZ];

	/* as SENSOR_TRIP_POINT_CONFIG: a direction enables a trip point */
	for (unsigned int i = 0; i < s->num_trips; i++)
		s->trips[i].enabled = s->trips[i].direction != 0;
	if (s->update_ms && (s->update_ms < SENSOR_INTERVAL_MIN_MS ||
			     s->update_ms % SENSOR_INTERVAL_STEP_MS))
		return JT_FAIL(ctx, jt_path(sub, path, ".update_ms"),
			       "%u is not an update interval (0, or %u..%u ms in steps of %u)",
			       s->update_ms, SENSOR_INTERVAL_MIN_MS,
			       SENSOR_INTERVAL_MAX_MS, SENSOR_INTERVAL_STEP_MS);
	/* the config word SENSOR_CONFIG_GET reports: the interval in ms */
	s->config &= SENSOR_CFG_ENABLE | SENSOR_CFG_TSTAMP;
	if (s->update_ms)
		s->config |= SENSOR_CFG_EXP_MS |
			     s->update_ms << SENSOR_CFG_SECS_SHIFT;
	return 0;
}

#define POWERCAP_ROOT 0xFFFFFFFFu

/* @v in [min, max] on a step from min (a step of 0: only min). */
static bool in_range(uint32_t v, uint32_t min, uint32_t max, uint32_t step)
{
	if (v < min || v > max)
		return false;
	return step ? (v - min) % step == 0 : v == min;
}

static int check_powercap(struct jt_ctx *ctx, struct json_object *obj,
			  void *item, const char *path, unsigned int idx)
{
	const struct sim_topology *t = ctx->root; /* counts are set before domains */
	struct sim_powercap_domain *d = item;
	char sub[JT_PATH_SZ];

	if (!jt_has(obj, "cap"))
		d->cap = d->max_cap;
	if (!jt_has(obj, "pai"))
		d->pai = d->min_pai;
	if (d->max_cap < d->min_cap)
		return JT_FAIL(ctx, jt_path(sub, path, ".max_cap"),
			       "%u is below min_cap (%u)", d->max_cap, d->min_cap);
	if (d->max_pai < d->min_pai)
		return JT_FAIL(ctx, jt_path(sub, path, ".max_pai"),
			       "%u is below min_pai (%u)", d->max_pai, d->min_pai);
	if (d->cap && !in_range(d->cap, d->min_cap, d->max_cap, d->cap_step))
		return JT_FAIL(ctx, jt_path(sub, path, ".cap"),
			       "%u is outside %u..%u in steps of %u (0 disables the cap)",
			       d->cap, d->min_cap, d->max_cap, d->cap_step);
	if (!in_range(d->pai, d->min_pai, d->max_pai, d->pai_step))
		return JT_FAIL(ctx, jt_path(sub, path, ".pai"),
			       "%u is outside %u..%u in steps of %u",
			       d->pai, d->min_pai, d->max_pai, d->pai_step);
	jt_path(sub, path, ".parent");
	if (d->parent_id != POWERCAP_ROOT && d->parent_id >= t->num_powercap)
		return JT_FAIL(ctx, sub, "no powercap domain %u (there are %u)",
			       d->parent_id, t->num_powercap);
	if (d->parent_id == idx)
		return JT_FAIL(ctx, sub, "a domain is not its own parent");
	return 0;
}

/* Parents form a tree: checked once every domain is read. */
static int check_powercap_tree(struct jt_ctx *ctx, const struct sim_topology *t)
{
	for (unsigned int i = 0; i < t->num_powercap; i++) {
		uint32_t p = t->powercap[i].parent_id;
		char sub[JT_PATH_SZ];

		for (unsigned int hops = 0; p != POWERCAP_ROOT; hops++) {
			if (hops > t->num_powercap)
				return JT_FAIL(ctx, jt_path(sub, "powercap", "[%u].parent", i),
					       "the parents form a cycle");
			p = t->powercap[p].parent_id;
		}
	}
	return 0;
}

/* ---- the format: a row per key ------------------------------------------------ */

static const struct jt_word power_states[] = {
	{ "on", 0x00000000 }, { "off", 0x40000000 }, { NULL, 0 },
};
static const struct jt_word system_states[] = {
	{ "shutdown", 0 }, { "cold-reset", 1 }, { "warm-reset", 2 },
	{ "power-up", 3 }, { "suspend", 4 }, { NULL, 0 },
};
static const struct jt_word system_views[] = {
	{ "ospm", SIM_SYSTEM_VIEW_OSPM }, { "full", SIM_SYSTEM_VIEW_FULL },
	{ NULL, 0 },
};
static const struct jt_word trip_directions[] = {
	{ "none", 0 }, { "up", 1 }, { "down", 2 }, { "both", 3 }, { NULL, 0 },
};
static const struct jt_word volt_configs[] = {
	{ "on", 0x7 }, { "off", 0x0 }, { NULL, 0 },
};

static const struct jt_field power_fields[] = {
	JF_NAME(struct sim_power_domain),
	JF_BOOL(struct sim_power_domain, notify, true),
	JF_BOOL(struct sim_power_domain, async, false),
	JF_ENUM(struct sim_power_domain, state, power_states, on),
};

static const struct jt_field system_fields[] = {
	JF_BOOL(struct sim_system, notify, true),
	JF_BOOL(struct sim_system, warm_reset, true),
	JF_BOOL(struct sim_system, suspend, false),
	JF_ENUM(struct sim_system, state, system_states, power-up),
	JF_UINT(struct sim_system, timeout_ms, 0, UINT32_MAX, 1000),
	JF_ENUM(struct sim_system, view, system_views, ospm),
};

static const struct jt_field level_fields[] = {
	JF_UINT(struct sim_perf_level, perf, 0, UINT32_MAX, 1000),
	JF_UINT(struct sim_perf_level, power, 0, UINT32_MAX, 0),
	JF_UINT(struct sim_perf_level, latency_us, 0, 0xFFFF, 0),
};

static const struct jt_objects perf_levels = {
	.arr_off = offsetof(struct sim_perf_domain, levels),
	.num_off = offsetof(struct sim_perf_domain, num_levels),
	.size = sizeof(struct sim_perf_level), .min = 1, .max = SIM_MAX_LEVELS,
	.fields = level_fields, .num_fields = ARRAY_SIZE(level_fields),
	.noun = "level", .nouns = "levels", .required = "perf",
	.ascending = "perf",
};

static const struct jt_field perf_fields[] = {
	JF_NAME(struct sim_perf_domain),
	JF_BOOL(struct sim_perf_domain, set_limits, true),
	JF_BOOL(struct sim_perf_domain, set_level, true),
	JF_BOOL(struct sim_perf_domain, notify_limits, true),
	JF_BOOL(struct sim_perf_domain, notify_level, true),
	JF_BOOL(struct sim_perf_domain, fast_channels, false),
	JF_UINT(struct sim_perf_domain, rate_limit_us, 0, 0xFFFFF, 0),
	JF_NONE(JT_UINT, struct sim_perf_domain, sustained_freq_khz, 0, UINT32_MAX),
	JF_NONE(JT_UINT, struct sim_perf_domain, sustained_perf, 0, UINT32_MAX),
	JF_OBJECTS("levels", perf_levels, [ { "perf": 1000 } ]),
	JF_NONE(JT_UINT, struct sim_perf_domain, level, 0, UINT32_MAX),
	JF_NONE(JT_UINT, struct sim_perf_domain, range_min, 0, UINT32_MAX),
	JF_NONE(JT_UINT, struct sim_perf_domain, range_max, 0, UINT32_MAX),
};

static const struct jt_field clock_range[] = {
	JT_ROW("min", JT_SINT, struct jt_range, low, 1, INT64_MAX, NULL),
	JT_ROW("max", JT_SINT, struct jt_range, high, 1, INT64_MAX, NULL),
	JT_ROW("step", JT_SINT, struct jt_range, step, 0, INT64_MAX, "0"),
};

static const struct jt_values clock_rates = {
	.arr_off = offsetof(struct sim_clock, rates),
	.num_off = offsetof(struct sim_clock, num_rates),
	.range_off = offsetof(struct sim_clock, is_range),
	.size = sizeof(uint64_t), .max = SIM_MAX_RATES, .range = clock_range,
	.noun = "rate", .nouns = "rates", .unit = " Hz",
	.keys = { "rates", "range", "rate" },
	.value_off = offsetof(struct sim_clock, rate), .owner = "clock",
	.not_in_list = "is not one of the clock's rates",
	.not_in_range = "is not a rate of the range",
};

static const struct jt_field clock_fields[] = {
	JF_NAME(struct sim_clock),
	JF_BOOL(struct sim_clock, notify_changed, true),
	JF_BOOL(struct sim_clock, notify_requested, true),
	JF_BOOL(struct sim_clock, enabled, true),
	JF_LIST("rates", clock_rates, [ 100000000 ]),
	JF_RANGE("range", clock_rates),
	JF_NONE(JT_UINT, struct sim_clock, rate, 1, INT64_MAX),
	JF_UINT(struct sim_clock, enable_latency_us, 0, UINT32_MAX, 0),
};

static const struct jt_field trip_fields[] = {
	JF_ENUM(struct sim_trip_point, direction, trip_directions, up),
	JF_SINT(struct sim_trip_point, value, INT64_MIN, INT64_MAX, 0),
};

static const struct jt_objects sensor_trips = {
	.arr_off = offsetof(struct sim_sensor, trips),
	.num_off = offsetof(struct sim_sensor, num_trips),
	.size = sizeof(struct sim_trip_point), .max = SIM_MAX_TRIPS,
	.fields = trip_fields, .num_fields = ARRAY_SIZE(trip_fields),
	.noun = "trip point", .nouns = "trip points",
};

static const struct jt_field sensor_fields[] = {
	JF_NAME(struct sim_sensor),
	JF_UINT(struct sim_sensor, type, 0, 0xFF, 2 /* degrees C */),
	JF_SINT(struct sim_sensor, scale, -16, 15, 0),
	JF_BOOL(struct sim_sensor, notify_trip, true),
	JF_BOOL(struct sim_sensor, notify_update, true),
	JF_BOOL(struct sim_sensor, async, false),
	JF_OBJECTS("trips", sensor_trips, []),
	JF_SINT(struct sim_sensor, value, INT64_MIN, INT64_MAX, 0),
	JF_BIT(struct sim_sensor, "enabled", config, SENSOR_CFG_ENABLE, true),
	JF_BIT(struct sim_sensor, "timestamps", config, SENSOR_CFG_TSTAMP, false),
	JF_UINT(struct sim_sensor, update_ms, 0, SENSOR_INTERVAL_MAX_MS, 0),
};

static const struct jt_field reset_fields[] = {
	JF_NAME(struct sim_reset_domain),
	JF_BOOL(struct sim_reset_domain, notify, true),
	JF_BOOL(struct sim_reset_domain, async, false),
	JF_UINT(struct sim_reset_domain, latency_us, 0, UINT32_MAX, 0),
	JF_BOOL(struct sim_reset_domain, asserted, false),
};

static const struct jt_field voltage_range[] = {
	JT_ROW("low", JT_SINT, struct jt_range, low, INT32_MIN, INT32_MAX, NULL),
	JT_ROW("high", JT_SINT, struct jt_range, high, INT32_MIN, INT32_MAX, NULL),
	JT_ROW("step", JT_SINT, struct jt_range, step, 0, INT32_MAX, "0"),
};

static const struct jt_values voltage_levels = {
	.arr_off = offsetof(struct sim_voltage_domain, levels_uv),
	.num_off = offsetof(struct sim_voltage_domain, num_levels),
	.range_off = offsetof(struct sim_voltage_domain, is_range),
	.size = sizeof(int32_t), .max = SIM_MAX_LEVELS, .range = voltage_range,
	.noun = "level", .nouns = "levels", .unit = " uV",
	.keys = { "levels_uv", "range_uv", "level_uv" },
	.value_off = offsetof(struct sim_voltage_domain, level_uv),
	.owner = "domain",
	.not_in_list = "is not one of the domain's levels",
	.not_in_range = "is not one of the domain's levels",
};

static const struct jt_field voltage_fields[] = {
	JF_NAME(struct sim_voltage_domain),
	JF_BOOL(struct sim_voltage_domain, async, false),
	JF_LIST("levels_uv", voltage_levels, [ 1000000 ]),
	JF_RANGE("range_uv", voltage_levels),
	JF_NONE(JT_SINT, struct sim_voltage_domain, level_uv, INT32_MIN, INT32_MAX),
	JF_ENUM(struct sim_voltage_domain, config, volt_configs, on),
};

static const struct jt_field powercap_fields[] = {
	JF_NAME(struct sim_powercap_domain),
	JF_BOOL(struct sim_powercap_domain, notify_cap, true),
	JF_BOOL(struct sim_powercap_domain, notify_meas, true),
	JF_BOOL(struct sim_powercap_domain, async_cap, false),
	JF_BOOL(struct sim_powercap_domain, cap_config, true),
	JF_BOOL(struct sim_powercap_domain, pai_config, false),
	JF_UINT(struct sim_powercap_domain, min_pai, 0, UINT32_MAX, 1000),
	JF_UINT(struct sim_powercap_domain, max_pai, 0, UINT32_MAX, 1000),
	JF_UINT(struct sim_powercap_domain, pai_step, 0, UINT32_MAX, 0),
	JF_UINT(struct sim_powercap_domain, min_cap, 0, UINT32_MAX, 1000),
	JF_UINT(struct sim_powercap_domain, max_cap, 0, UINT32_MAX, 10000),
	JF_UINT(struct sim_powercap_domain, cap_step, 0, UINT32_MAX, 100),
	JF_UINT(struct sim_powercap_domain, sustainable_power, 0, UINT32_MAX, 5000),
	JF_UINT(struct sim_powercap_domain, accuracy, 0, UINT32_MAX, 95),
	JT_ROWX("parent", JT_UINT, struct sim_powercap_domain, parent_id, 0,
		SIM_MAX_DOMAINS - 1, "null", .null = POWERCAP_ROOT),
	JF_NONE(JT_UINT, struct sim_powercap_domain, cap, 0, UINT32_MAX),
	JF_NONE(JT_UINT, struct sim_powercap_domain, pai, 0, UINT32_MAX),
	JF_UINT(struct sim_powercap_domain, power, 0, UINT32_MAX, 0),
};

/* A protocol's domains, "<key>": [ ... ], their ids their positions. */
#define DOMAINS(key, proto, T, arr, num, flds, ...)                         \
	{ .arr_off = offsetof(struct sim_topology, arr),                      \
	  .num_off = offsetof(struct sim_topology, num), .size = sizeof(T),   \
	  .max = SIM_MAX_DOMAINS, .fields = flds, .num_fields = ARRAY_SIZE(flds), \
	  .noun = key, .nouns = "domains", .tag = proto, __VA_ARGS__ }

static const struct jt_objects clocks = DOMAINS("clock", SCMI_PROTOCOL_CLOCK,
	struct sim_clock, clocks, num_clocks, clock_fields, .check = check_clock);
/* "clock": the clocks alone, or the protocol's own keys around them */
static const struct jt_field clock_proto_fields[] = {
	JT_ROW("max_async_req", JT_UINT, struct sim_topology,
	       clock_proto.max_async_req, 0, 0xFF, "0"),
	JF_OBJECTS("clocks", clocks, []),
};

static const struct jt_objects domains[] = {
	DOMAINS("power", SCMI_PROTOCOL_POWER, struct sim_power_domain, power,
		num_power, power_fields, .check = NULL),
	{ .size = sizeof(struct sim_system), .fields = system_fields,
	  .num_fields = ARRAY_SIZE(system_fields), .noun = "system",
	  .tag = SCMI_PROTOCOL_SYSTEM },
	DOMAINS("perf", SCMI_PROTOCOL_PERF, struct sim_perf_domain, perf,
		num_perf, perf_fields, .check = check_perf),
	DOMAINS("clock", SCMI_PROTOCOL_CLOCK, struct sim_clock, clocks,
		num_clocks, clock_fields, .check = check_clock,
		.around = clock_proto_fields,
		.num_around = ARRAY_SIZE(clock_proto_fields)),
	DOMAINS("sensor", SCMI_PROTOCOL_SENSOR, struct sim_sensor, sensors,
		num_sensors, sensor_fields, .check = check_sensor),
	DOMAINS("reset", SCMI_PROTOCOL_RESET, struct sim_reset_domain, reset,
		num_reset, reset_fields, .check = NULL),
	DOMAINS("voltage", SCMI_PROTOCOL_VOLTAGE, struct sim_voltage_domain,
		voltage, num_voltage, voltage_fields, .check = check_voltage),
	DOMAINS("powercap", SCMI_PROTOCOL_POWERCAP, struct sim_powercap_domain,
		powercap, num_powercap, powercap_fields, .check = check_powercap),
};

/* A topology: a key per protocol offered (none by default). */
#define PROTOCOL(k, i) { .key = k, .type = JT_OBJECTS, .aux = &domains[i] }
static const struct jt_field topology_fields[] = {
	PROTOCOL("power", 0),
	{ .key = "system", .type = JT_OBJECT,
	  .off = offsetof(struct sim_topology, system), .aux = &domains[1] },
	PROTOCOL("perf", 2),
	PROTOCOL("clock", 3),
	PROTOCOL("sensor", 4),
	PROTOCOL("reset", 5),
	PROTOCOL("voltage", 6),
	PROTOCOL("powercap", 7),
	{ .key = "agents", .type = JT_OBJECTS, .aux = &topology_roles },
};

/* ---- topologies --------------------------------------------------------------- */

int topology_from_json(const struct sim_json_doc *doc, struct sim_topology *t,
		       char *err, size_t err_sz)
{
	struct jt_ctx ctx = { .doc = doc, .err = err, .err_sz = err_sz,
			      .root = t };
	struct json_object *root = doc->root;
	int r;

	memset(t, 0, sizeof(*t));
	t->offered[SCMI_PROTOCOL_BASE] = true;
	if (!json_object_is_type(root, json_type_object))
		return JT_FAIL(&ctx, "", "a topology is an object, not %s",
			       sim_json_kind(root));
	for (size_t i = 0; i < ARRAY_SIZE(domains); i++)
		t->offered[domains[i].tag] = jt_has(root, domains[i].noun);
	r = jt_read(&ctx, root, topology_fields, ARRAY_SIZE(topology_fields), t,
		    "");
	return r ? r : check_powercap_tree(&ctx, t);
}

/* Every key but those of the protocols not offered. */
struct json_object *topology_to_json(const struct sim_topology *t)
{
	struct json_object *root = json_object_new_object();

	for (size_t i = 0; root && i < ARRAY_SIZE(topology_fields); i++) {
		const struct jt_objects *o = topology_fields[i].aux;
		struct json_object *v;

		if (o->tag && !t->offered[o->tag])
			continue;        /* a protocol not offered */
		v = jt_write_value(&topology_fields[i], t);
		if (!v || json_object_object_add(root, topology_fields[i].key, v)) {
			json_object_put(v);
			json_object_put(root);
			return NULL;
		}
	}
	return root;
}

struct json_object *topology_schema(void)
{
	return jt_schema(topology_fields, ARRAY_SIZE(topology_fields));
}

int topology_file_load(const char *path, char *err, size_t err_sz)
{
	struct sim_json_doc doc;
	struct sim_topology *t;
	int r;

	r = sim_json_read(path, &doc, err, err_sz);
	if (r)
		return r;
	t = malloc(sizeof(*t));
	if (!t) {
		sim_json_free(&doc);
		snprintf(err, err_sz, "%s: out of memory", path);
		return -ENOMEM;
	}
	r = topology_from_json(&doc, t, err, err_sz);
	if (!r)
		memcpy(sim_topo(), t, sizeof(*t));
	free(t);
	sim_json_free(&doc);
	return r;
}

/* @root, which it puts, to @f: 0, -ENOMEM, or write's -errno (-EPIPE...). */
static int write_json(struct json_object *root, FILE *f)
{
	char *text = root ? sim_json_format(root) : NULL;
	int r = 0;

	json_object_put(root);
	if (!text)
		return -ENOMEM;
	errno = 0;
	if (fputs(text, f) == EOF || fflush(f) == EOF)
		r = errno ? -errno : -EIO;
	free(text);
	return r;
}

int topology_file_dump(const struct sim_topology *t, FILE *f)
{
	return write_json(topology_to_json(t), f);
}

int topology_schema_dump(FILE *f)
{
	return write_json(topology_schema(), f);
}
