/* SPDX-License-Identifier: MIT */
/*
 * Topology files (see topology-file.h): JSON text in, struct sim_topology
 * out, and back.
 *
 * Each kind of domain is described once, by a table of its keys (struct
 * field): the type, where the value lives in the struct, its range. The
 * same table reads a file (parse_object()) and writes one (dump_object()),
 * so the two cannot drift apart; keys whose value is not a plain number
 * or flag (perf levels, clock rates, sensor trip points...) have their
 * own parse and dump functions in the table. What a table cannot say --
 * defaults that depend on other keys, checks across keys -- is each
 * kind's check function, run after its keys are read.
 *
 * The text is read and parsed as a JSON document (json-doc.h), whose
 * errors name their line:col and path.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/wire.h>

#include "topology-file.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PATH_SZ 160

/* ---- the tables ---------------------------------------------------------- */

struct loader {
	const struct sim_json_doc *doc;
	char *err;
	size_t err_sz;
	const struct sim_topology *t;     /* counts are set before items */
};

#define FAIL(ld, path, ...) \
	sim_json_error((ld)->doc, (path), (ld)->err, (ld)->err_sz, __VA_ARGS__)

enum ftype {
	FT_BOOL,
	FT_UINT,        /* unsigned integer of 1, 4 or 8 bytes, in [min, max] */
	FT_SINT,        /* signed integer of 1, 4 or 8 bytes, in [min, max] */
	FT_NAME,        /* char[SIM_NAME_MAX]: printable ASCII, 1..63 characters */
	FT_ENUM,        /* uint32_t, written as one of names[] */
	FT_CUSTOM,      /* parse() and dump() */
};

struct enum_name {
	const char *name;
	uint32_t value;
};

struct field {
	const char *key;
	enum ftype type;
	size_t off, size;
	int64_t min, max;
	const struct enum_name *names;           /* FT_ENUM: NULL-terminated */
	int (*parse)(struct loader *ld, struct json_object *v, void *item,
		     const char *path);
	/* 1 with *out set (NULL: null), or 0 to leave the key out */
	int (*dump)(const void *item, struct json_object **out);
};

#define MEMBER_SZ(T, m) sizeof(((T *)0)->m)
#define F_BOOL(T, m) { #m, FT_BOOL, offsetof(T, m), MEMBER_SZ(T, m), 0, 1, NULL, NULL, NULL }
#define F_UINT(T, m, lo, hi) \
	{ #m, FT_UINT, offsetof(T, m), MEMBER_SZ(T, m), lo, hi, NULL, NULL, NULL }
#define F_SINT(T, m, lo, hi) \
	{ #m, FT_SINT, offsetof(T, m), MEMBER_SZ(T, m), lo, hi, NULL, NULL, NULL }
#define F_NAME(T) { "name", FT_NAME, offsetof(T, name), SIM_NAME_MAX, 0, 0, NULL, NULL, NULL }
#define F_ENUM(T, key, m, names) \
	{ key, FT_ENUM, offsetof(T, m), MEMBER_SZ(T, m), 0, 0, names, NULL, NULL }
#define F_CUSTOM(key, parse, dump) { key, FT_CUSTOM, 0, 0, 0, 0, NULL, parse, dump }

static const char *keys_of(const struct field *fields, size_t n, char *buf,
			   size_t sz)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < sz; i++)
		used += (size_t)snprintf(buf + used, sz - used, "%s%s",
					 i ? ", " : "", fields[i].key);
	return buf;
}

static void put_uint(void *p, size_t size, uint64_t v)
{
	switch (size) {
	case 1: *(uint8_t *)p = (uint8_t)v; break;
	case 4: *(uint32_t *)p = (uint32_t)v; break;
	default: *(uint64_t *)p = v; break;
	}
}

static uint64_t get_uint(const void *p, size_t size)
{
	switch (size) {
	case 1: return *(const uint8_t *)p;
	case 4: return *(const uint32_t *)p;
	default: return *(const uint64_t *)p;
	}
}

static void put_sint(void *p, size_t size, int64_t v)
{
	switch (size) {
	case 1: *(int8_t *)p = (int8_t)v; break;
	case 4: *(int32_t *)p = (int32_t)v; break;
	default: *(int64_t *)p = v; break;
	}
}

static int64_t get_sint(const void *p, size_t size)
{
	switch (size) {
	case 1: return *(const int8_t *)p;
	case 4: return *(const int32_t *)p;
	default: return *(const int64_t *)p;
	}
}

/* An integer in [min, max] at @path. */
static int get_int(struct loader *ld, struct json_object *v, const char *path,
		   int64_t min, int64_t max, int64_t *out)
{
	int64_t x;

	if (!json_object_is_type(v, json_type_int))
		return FAIL(ld, path, "expected an integer, not %s",
			    sim_json_kind(v));
	x = json_object_get_int64(v);
	if ((x == INT64_MAX && json_object_get_uint64(v) > INT64_MAX) ||
	    x < min || x > max)
		return FAIL(ld, path, "%s is out of range (%" PRId64 "..%" PRId64 ")",
			    json_object_to_json_string(v), min, max);
	*out = x;
	return 0;
}

static int get_bool(struct loader *ld, struct json_object *v, const char *path,
		    bool *out)
{
	if (!json_object_is_type(v, json_type_boolean))
		return FAIL(ld, path, "expected true or false, not %s",
			    sim_json_kind(v));
	*out = json_object_get_boolean(v);
	return 0;
}

static int parse_field(struct loader *ld, const struct field *f,
		       struct json_object *v, void *item, const char *path)
{
	char *p = (char *)item + f->off;
	int64_t x;
	int r;

	switch (f->type) {
	case FT_BOOL:
		return get_bool(ld, v, path, (bool *)p);
	case FT_UINT:
	case FT_SINT:
		r = get_int(ld, v, path, f->min, f->max, &x);
		if (r)
			return r;
		if (f->type == FT_UINT)
			put_uint(p, f->size, (uint64_t)x);
		else
			put_sint(p, f->size, x);
		return 0;
	case FT_NAME: {
		const char *s;
		size_t n;

		if (!json_object_is_type(v, json_type_string))
			return FAIL(ld, path, "expected a string, not %s",
				    sim_json_kind(v));
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		if (n == 0 || n >= SIM_NAME_MAX)
			return FAIL(ld, path, "a name has 1 to %d characters, not %zu",
				    SIM_NAME_MAX - 1, n);
		for (size_t i = 0; i < n; i++)
			if (s[i] < 0x20 || s[i] > 0x7E)
				return FAIL(ld, path,
					    "a name is printable ASCII (character %zu is not)",
					    i + 1);
		memcpy(p, s, n + 1);
		return 0;
	}
	case FT_ENUM: {
		char list[128];
		size_t used = 0;

		if (json_object_is_type(v, json_type_string)) {
			for (const struct enum_name *e = f->names; e->name; e++) {
				if (!strcmp(e->name, json_object_get_string(v))) {
					*(uint32_t *)p = e->value;
					return 0;
				}
			}
		}
		list[0] = '\0';
		for (const struct enum_name *e = f->names; e->name; e++)
			used += (size_t)snprintf(list + used,
						 used < sizeof(list) ? sizeof(list) - used : 0,
						 "%s\"%s\"", e == f->names ? "" : ", ",
						 e->name);
		return FAIL(ld, path, "expected one of %s, not %s", list,
			    json_object_is_type(v, json_type_string) ?
				    json_object_to_json_string(v) :
				    sim_json_kind(v));
	}
	case FT_CUSTOM:
		return f->parse(ld, v, item, path);
	}
	return -EINVAL;
}

static int dump_field(const struct field *f, const void *item,
		      struct json_object **out)
{
	const char *p = (const char *)item + f->off;

	switch (f->type) {
	case FT_BOOL:
		*out = json_object_new_boolean(*(const bool *)p);
		return 1;
	case FT_UINT:
		*out = json_object_new_uint64(get_uint(p, f->size));
		return 1;
	case FT_SINT:
		*out = json_object_new_int64(get_sint(p, f->size));
		return 1;
	case FT_NAME:
		*out = json_object_new_string(p);
		return 1;
	case FT_ENUM:
		for (const struct enum_name *e = f->names; e->name; e++) {
			if (e->value == *(const uint32_t *)p) {
				*out = json_object_new_string(e->name);
				return 1;
			}
		}
		*out = json_object_new_uint64(*(const uint32_t *)p);
		return 1;
	case FT_CUSTOM:
		return f->dump(item, out);
	}
	return 0;
}

static bool has_key(struct json_object *obj, const char *key)
{
	return json_object_object_get_ex(obj, key, NULL);
}

/*
 * The keys of the object @obj (at @path) into @item, as @fields say; an
 * unknown key is an error. Keys left out keep what @item had.
 */
static int parse_object(struct loader *ld, struct json_object *obj,
			const struct field *fields, size_t n, void *item,
			const char *path)
{
	char sub[PATH_SZ];
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return FAIL(ld, path, "expected an object, not %s",
			    sim_json_kind(obj));
	json_object_object_foreach(obj, key, val) {
		size_t i;

		(void)val;
		for (i = 0; i < n && strcmp(fields[i].key, key); i++)
			;
		if (i == n) {
			char list[512];

			snprintf(sub, sizeof(sub), "%s%s%s", path,
				 path[0] ? "." : "", key);
			return FAIL(ld, sub, "unknown key (expected %s)",
				    keys_of(fields, n, list, sizeof(list)));
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *v;

		if (!json_object_object_get_ex(obj, fields[i].key, &v))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "",
			 fields[i].key);
		r = parse_field(ld, &fields[i], v, item, sub);
		if (r)
			return r;
	}
	return 0;
}

static struct json_object *dump_object(const struct field *fields, size_t n,
				       const void *item)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = NULL;

		if (!dump_field(&fields[i], item, &v))
			continue;
		if (json_object_object_add(obj, fields[i].key, v) < 0) {
			json_object_put(v);
			json_object_put(obj);
			return NULL;
		}
	}
	return obj;
}

/* The elements of array @v at @path: 0..@max of them, else an error. */
static int get_array(struct loader *ld, struct json_object *v,
		     const char *path, size_t min, size_t max, const char *what,
		     size_t *n)
{
	if (!json_object_is_type(v, json_type_array))
		return FAIL(ld, path, "expected an array, not %s",
			    sim_json_kind(v));
	*n = json_object_array_length(v);
	if (*n > max)
		return FAIL(ld, path, "too many %s: %zu (at most %zu)", what, *n,
			    max);
	if (*n < min)
		return FAIL(ld, path, "at least %zu %s needed", min, what);
	return 0;
}

/* ---- power --------------------------------------------------------------- */

#define POWER_ON 0x00000000u
#define POWER_OFF 0x40000000u

static const struct enum_name power_states[] = {
	{ "on", POWER_ON }, { "off", POWER_OFF }, { NULL, 0 },
};

static const struct field power_fields[] = {
	F_NAME(struct sim_power_domain),
	F_BOOL(struct sim_power_domain, notify),
	F_BOOL(struct sim_power_domain, async),
	F_ENUM(struct sim_power_domain, "state", state, power_states),
};

static const struct sim_power_domain power_defaults = {
	.notify = true, .async = false, .state = POWER_ON,
};

/* ---- system -------------------------------------------------------------- */

static const struct enum_name system_states[] = {
	{ "shutdown", 0 }, { "cold-reset", 1 }, { "warm-reset", 2 },
	{ "power-up", 3 }, { "suspend", 4 }, { NULL, 0 },
};

static const struct field system_fields[] = {
	F_BOOL(struct sim_system, notify),
	F_BOOL(struct sim_system, warm_reset),
	F_BOOL(struct sim_system, suspend),
	F_ENUM(struct sim_system, "state", state, system_states),
	F_UINT(struct sim_system, timeout_ms, 0, UINT32_MAX),
};

static const struct sim_system system_defaults = {
	.notify = true, .warm_reset = true, .suspend = false, .state = 3,
	.timeout_ms = 1000,
};

/* ---- perf ---------------------------------------------------------------- */

static const struct field level_fields[] = {
	F_UINT(struct sim_perf_level, perf, 0, UINT32_MAX),
	F_UINT(struct sim_perf_level, power, 0, UINT32_MAX),
	F_UINT(struct sim_perf_level, latency_us, 0, 0xFFFF),
};

static int parse_levels(struct loader *ld, struct json_object *v, void *item,
			const char *path)
{
	struct sim_perf_domain *d = item;
	char sub[PATH_SZ];
	size_t n;
	int r;

	r = get_array(ld, v, path, 1, SIM_MAX_LEVELS, "levels", &n);
	if (r)
		return r;
	for (size_t i = 0; i < n; i++) {
		struct sim_perf_level *l = &d->levels[i];

		memset(l, 0, sizeof(*l));
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		r = parse_object(ld, json_object_array_get_idx(v, i),
				 level_fields, ARRAY_SIZE(level_fields), l, sub);
		if (r)
			return r;
		if (!has_key(json_object_array_get_idx(v, i), "perf"))
			return FAIL(ld, sub, "a level needs its \"perf\" value");
		if (i && l->perf <= d->levels[i - 1].perf) {
			snprintf(sub, sizeof(sub), "%s[%zu].perf", path, i);
			return FAIL(ld, sub,
				    "%u is not above the level before it (%u): levels ascend",
				    l->perf, d->levels[i - 1].perf);
		}
	}
	d->num_levels = (unsigned int)n;
	return 0;
}

static int dump_levels(const void *item, struct json_object **out)
{
	const struct sim_perf_domain *d = item;
	struct json_object *a = json_object_new_array();

	for (unsigned int i = 0; a && i < d->num_levels; i++)
		json_object_array_add(a, dump_object(level_fields,
						     ARRAY_SIZE(level_fields),
						     &d->levels[i]));
	*out = a;
	return 1;
}

static const struct field perf_fields[] = {
	F_NAME(struct sim_perf_domain),
	F_BOOL(struct sim_perf_domain, set_limits),
	F_BOOL(struct sim_perf_domain, set_level),
	F_BOOL(struct sim_perf_domain, notify_limits),
	F_BOOL(struct sim_perf_domain, notify_level),
	F_UINT(struct sim_perf_domain, rate_limit_us, 0, 0xFFFFF),
	F_UINT(struct sim_perf_domain, sustained_freq_khz, 0, UINT32_MAX),
	F_UINT(struct sim_perf_domain, sustained_perf, 0, UINT32_MAX),
	F_CUSTOM("levels", parse_levels, dump_levels),
	F_UINT(struct sim_perf_domain, level, 0, UINT32_MAX),
	F_UINT(struct sim_perf_domain, range_min, 0, UINT32_MAX),
	F_UINT(struct sim_perf_domain, range_max, 0, UINT32_MAX),
};

static const struct sim_perf_domain perf_defaults = {
	.set_limits = true, .set_level = true, .notify_limits = true,
	.notify_level = true, .num_levels = 1, .levels = { { 1000, 0, 0 } },
};

static int check_perf(struct loader *ld, struct json_object *obj, void *item,
		      const char *path, unsigned int idx)
{
	struct sim_perf_domain *d = item;
	uint32_t lowest = d->levels[0].perf;
	uint32_t highest = d->levels[d->num_levels - 1].perf;
	char sub[PATH_SZ];
	bool is_level = false, inside = false;

	if (!has_key(obj, "level"))
		d->level = highest;
	if (!has_key(obj, "range_min"))
		d->range_min = lowest;
	if (!has_key(obj, "range_max"))
		d->range_max = highest;
	if (!has_key(obj, "sustained_perf"))
		d->sustained_perf = highest;
	if (!has_key(obj, "sustained_freq_khz"))
		d->sustained_freq_khz = d->sustained_perf > UINT32_MAX / 1000 ?
						UINT32_MAX : d->sustained_perf * 1000;

	for (unsigned int i = 0; i < d->num_levels; i++) {
		is_level |= d->levels[i].perf == d->level;
		inside |= d->levels[i].perf >= d->range_min &&
			  d->levels[i].perf <= d->range_max;
	}
	snprintf(sub, sizeof(sub), "%s.range_min", path);
	if (d->range_min < lowest)
		return FAIL(ld, sub, "%u is below the lowest level (%u)",
			    d->range_min, lowest);
	snprintf(sub, sizeof(sub), "%s.range_max", path);
	if (d->range_max > highest)
		return FAIL(ld, sub, "%u is above the highest level (%u)",
			    d->range_max, highest);
	if (d->range_max < d->range_min)
		return FAIL(ld, sub, "%u is below range_min (%u)", d->range_max,
			    d->range_min);
	if (!inside)
		return FAIL(ld, sub, "no level lies within [%u, %u]",
			    d->range_min, d->range_max);
	snprintf(sub, sizeof(sub), "%s.level", path);
	if (!is_level)
		return FAIL(ld, sub, "%u is not one of the domain's levels",
			    d->level);
	if (d->level < d->range_min || d->level > d->range_max)
		return FAIL(ld, sub, "%u is outside the limits [%u, %u]",
			    d->level, d->range_min, d->range_max);
	return 0;
}

/* ---- clock --------------------------------------------------------------- */

static int parse_rates(struct loader *ld, struct json_object *v, void *item,
		       const char *path)
{
	struct sim_clock *c = item;
	char sub[PATH_SZ];
	size_t n;
	int r;

	r = get_array(ld, v, path, 1, SIM_MAX_RATES, "rates", &n);
	if (r)
		return r;
	for (size_t i = 0; i < n; i++) {
		int64_t x;

		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		r = get_int(ld, json_object_array_get_idx(v, i), sub, 1,
			    INT64_MAX, &x);
		if (r)
			return r;
		if (i && (uint64_t)x <= c->rates[i - 1])
			return FAIL(ld, sub,
				    "%" PRId64 " Hz is not above the rate before it: rates ascend",
				    x);
		c->rates[i] = (uint64_t)x;
	}
	c->num_rates = (unsigned int)n;
	c->is_range = false;
	return 0;
}

static int dump_rates(const void *item, struct json_object **out)
{
	const struct sim_clock *c = item;
	struct json_object *a;

	if (c->is_range)
		return 0;
	a = json_object_new_array();
	for (unsigned int i = 0; a && i < c->num_rates; i++)
		json_object_array_add(a, json_object_new_uint64(c->rates[i]));
	*out = a;
	return 1;
}

struct u64_range {
	uint64_t min, max, step;
};

static const struct field clock_range_fields[] = {
	F_UINT(struct u64_range, min, 1, INT64_MAX),
	F_UINT(struct u64_range, max, 1, INT64_MAX),
	F_UINT(struct u64_range, step, 0, INT64_MAX),
};

static int parse_clock_range(struct loader *ld, struct json_object *v,
			     void *item, const char *path)
{
	struct sim_clock *c = item;
	struct u64_range rg = { 0, 0, 0 };
	char sub[PATH_SZ];
	int r;

	r = parse_object(ld, v, clock_range_fields,
			 ARRAY_SIZE(clock_range_fields), &rg, path);
	if (r)
		return r;
	if (!has_key(v, "min") || !has_key(v, "max"))
		return FAIL(ld, path, "a range needs \"min\" and \"max\"");
	snprintf(sub, sizeof(sub), "%s.max", path);
	if (rg.max < rg.min)
		return FAIL(ld, sub, "%" PRIu64 " is below min (%" PRIu64 ")",
			    rg.max, rg.min);
	snprintf(sub, sizeof(sub), "%s.step", path);
	if (rg.max > rg.min && !rg.step)
		return FAIL(ld, sub, "a range wider than one rate needs a step");
	c->rates[0] = rg.min;
	c->rates[1] = rg.max;
	c->rates[2] = rg.step;
	c->num_rates = 3;
	c->is_range = true;
	return 0;
}

static int dump_clock_range(const void *item, struct json_object **out)
{
	const struct sim_clock *c = item;
	struct u64_range rg;

	if (!c->is_range)
		return 0;
	rg.min = c->rates[0];
	rg.max = c->rates[1];
	rg.step = c->rates[2];
	*out = dump_object(clock_range_fields, ARRAY_SIZE(clock_range_fields),
			   &rg);
	return 1;
}

static const struct field clock_fields[] = {
	F_NAME(struct sim_clock),
	F_BOOL(struct sim_clock, notify_changed),
	F_BOOL(struct sim_clock, notify_requested),
	F_BOOL(struct sim_clock, enabled),
	F_CUSTOM("rates", parse_rates, dump_rates),
	F_CUSTOM("range", parse_clock_range, dump_clock_range),
	F_UINT(struct sim_clock, rate, 1, INT64_MAX),
	F_UINT(struct sim_clock, enable_latency_us, 0, UINT32_MAX),
};

/* "clock": { "max_async_req": N, "clocks": [ ... ] } (see struct kind) */
static int parse_skip(struct loader *ld, struct json_object *v, void *item,
		      const char *path)
{
	return 0;
}

static int dump_skip(const void *item, struct json_object **out)
{
	return 0;
}

static const struct field clock_proto_fields[] = {
	F_UINT(struct sim_clock_protocol, max_async_req, 0, 0xFF),
	F_CUSTOM("clocks", parse_skip, dump_skip), /* the array: by the caller */
};

static const struct sim_clock clock_defaults = {
	.notify_changed = true, .notify_requested = true, .enabled = true,
	.num_rates = 1, .rates = { 100000000 },
};

static int check_clock(struct loader *ld, struct json_object *obj, void *item,
		       const char *path, unsigned int idx)
{
	struct sim_clock *c = item;
	bool rates = has_key(obj, "rates"), range = has_key(obj, "range");
	char sub[PATH_SZ];

	snprintf(sub, sizeof(sub), "%s.range", path);
	if (rates && range)
		return FAIL(ld, sub, "a clock has \"rates\" or a \"range\", not both");
	if (!rates && !range && has_key(obj, "rate")) {
		c->rates[0] = c->rate;   /* a fixed clock */
		c->num_rates = 1;
	}
	if (!has_key(obj, "rate"))
		c->rate = c->rates[0];
	snprintf(sub, sizeof(sub), "%s.rate", path);
	if (c->is_range) {
		if (c->rate < c->rates[0] || c->rate > c->rates[1] ||
		    (c->rates[2] && (c->rate - c->rates[0]) % c->rates[2]))
			return FAIL(ld, sub,
				    "%" PRIu64 " Hz is not a rate of the range",
				    c->rate);
	} else {
		bool found = false;

		for (unsigned int i = 0; i < c->num_rates; i++)
			found |= c->rates[i] == c->rate;
		if (!found)
			return FAIL(ld, sub,
				    "%" PRIu64 " Hz is not one of the clock's rates",
				    c->rate);
	}
	return 0;
}

/* ---- sensor -------------------------------------------------------------- */

#define SENSOR_CFG_ENABLE (1u << 0)
#define SENSOR_CFG_TSTAMP (1u << 1)
#define SENSOR_CFG_EXP_MS (0x1Du << 11)      /* update interval exponent -3 */
#define SENSOR_CFG_SECS_SHIFT 16
#define SENSOR_INTERVAL_MIN_MS 10            /* as protocols/sensor.c offers */
#define SENSOR_INTERVAL_MAX_MS 60000
#define SENSOR_INTERVAL_STEP_MS 10

static const struct enum_name trip_directions[] = {
	{ "none", 0 }, { "up", 1 }, { "down", 2 }, { "both", 3 }, { NULL, 0 },
};

static const struct field trip_fields[] = {
	F_ENUM(struct sim_trip_point, "direction", direction, trip_directions),
	F_SINT(struct sim_trip_point, value, INT64_MIN, INT64_MAX),
};

static int parse_trips(struct loader *ld, struct json_object *v, void *item,
		       const char *path)
{
	struct sim_sensor *s = item;
	char sub[PATH_SZ];
	size_t n;
	int r;

	r = get_array(ld, v, path, 0, SIM_MAX_TRIPS, "trip points", &n);
	if (r)
		return r;
	memset(s->trips, 0, sizeof(s->trips));
	for (size_t i = 0; i < n; i++) {
		struct sim_trip_point *tp = &s->trips[i];

		tp->direction = 1;   /* up */
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		r = parse_object(ld, json_object_array_get_idx(v, i),
				 trip_fields, ARRAY_SIZE(trip_fields), tp, sub);
		if (r)
			return r;
		/* as SENSOR_TRIP_POINT_CONFIG: a direction enables it */
		tp->enabled = tp->direction != 0;
	}
	s->num_trips = (unsigned int)n;
	return 0;
}

static int dump_trips(const void *item, struct json_object **out)
{
	const struct sim_sensor *s = item;
	struct json_object *a = json_object_new_array();

	for (unsigned int i = 0; a && i < s->num_trips; i++) {
		struct sim_trip_point tp = s->trips[i];

		if (!tp.enabled)
			tp.direction = 0;
		json_object_array_add(a, dump_object(trip_fields,
						     ARRAY_SIZE(trip_fields),
						     &tp));
	}
	*out = a;
	return 1;
}

static int parse_cfg_bit(struct loader *ld, struct json_object *v, void *item,
			 const char *path, uint32_t bit)
{
	struct sim_sensor *s = item;
	bool on;
	int r = get_bool(ld, v, path, &on);

	if (r)
		return r;
	s->config = on ? s->config | bit : s->config & ~bit;
	return 0;
}

static int parse_enabled(struct loader *ld, struct json_object *v, void *item,
			 const char *path)
{
	return parse_cfg_bit(ld, v, item, path, SENSOR_CFG_ENABLE);
}

static int parse_timestamps(struct loader *ld, struct json_object *v,
			    void *item, const char *path)
{
	return parse_cfg_bit(ld, v, item, path, SENSOR_CFG_TSTAMP);
}

static int dump_enabled(const void *item, struct json_object **out)
{
	*out = json_object_new_boolean(((const struct sim_sensor *)item)->config &
				       SENSOR_CFG_ENABLE);
	return 1;
}

static int dump_timestamps(const void *item, struct json_object **out)
{
	*out = json_object_new_boolean(((const struct sim_sensor *)item)->config &
				       SENSOR_CFG_TSTAMP);
	return 1;
}

static const struct field sensor_fields[] = {
	F_NAME(struct sim_sensor),
	F_UINT(struct sim_sensor, type, 0, 0xFF),
	F_SINT(struct sim_sensor, scale, -16, 15),
	F_BOOL(struct sim_sensor, notify_trip),
	F_BOOL(struct sim_sensor, notify_update),
	F_BOOL(struct sim_sensor, async),
	F_CUSTOM("trips", parse_trips, dump_trips),
	F_SINT(struct sim_sensor, value, INT64_MIN, INT64_MAX),
	F_CUSTOM("enabled", parse_enabled, dump_enabled),
	F_CUSTOM("timestamps", parse_timestamps, dump_timestamps),
	F_UINT(struct sim_sensor, update_ms, 0, SENSOR_INTERVAL_MAX_MS),
};

static const struct sim_sensor sensor_defaults = {
	.type = 0x02 /* degrees C */, .notify_trip = true,
	.notify_update = true, .config = SENSOR_CFG_ENABLE,
};

static int check_sensor(struct loader *ld, struct json_object *obj,
			void *item, const char *path, unsigned int idx)
{
	struct sim_sensor *s = item;
	char sub[PATH_SZ];

	snprintf(sub, sizeof(sub), "%s.update_ms", path);
	if (s->update_ms && (s->update_ms < SENSOR_INTERVAL_MIN_MS ||
			     s->update_ms % SENSOR_INTERVAL_STEP_MS))
		return FAIL(ld, sub,
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

/* ---- reset --------------------------------------------------------------- */

static const struct field reset_fields[] = {
	F_NAME(struct sim_reset_domain),
	F_BOOL(struct sim_reset_domain, notify),
	F_BOOL(struct sim_reset_domain, async),
	F_UINT(struct sim_reset_domain, latency_us, 0, UINT32_MAX),
	F_BOOL(struct sim_reset_domain, asserted),
};

static const struct sim_reset_domain reset_defaults = {
	.notify = true,
};

/* ---- voltage ------------------------------------------------------------- */

#define VOLT_CONFIG_OFF 0x0u
#define VOLT_CONFIG_ON 0x7u

static const struct enum_name volt_configs[] = {
	{ "on", VOLT_CONFIG_ON }, { "off", VOLT_CONFIG_OFF }, { NULL, 0 },
};

static int parse_volt_levels(struct loader *ld, struct json_object *v,
			     void *item, const char *path)
{
	struct sim_voltage_domain *d = item;
	char sub[PATH_SZ];
	size_t n;
	int r;

	r = get_array(ld, v, path, 1, SIM_MAX_LEVELS, "levels", &n);
	if (r)
		return r;
	for (size_t i = 0; i < n; i++) {
		int64_t x;

		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		r = get_int(ld, json_object_array_get_idx(v, i), sub,
			    INT32_MIN, INT32_MAX, &x);
		if (r)
			return r;
		if (i && x <= d->levels_uv[i - 1])
			return FAIL(ld, sub,
				    "%" PRId64 " uV is not above the level before it: levels ascend",
				    x);
		d->levels_uv[i] = (int32_t)x;
	}
	d->num_levels = (unsigned int)n;
	d->is_range = false;
	return 0;
}

static int dump_volt_levels(const void *item, struct json_object **out)
{
	const struct sim_voltage_domain *d = item;
	struct json_object *a;

	if (d->is_range)
		return 0;
	a = json_object_new_array();
	for (unsigned int i = 0; a && i < d->num_levels; i++)
		json_object_array_add(a, json_object_new_int(d->levels_uv[i]));
	*out = a;
	return 1;
}

struct s32_range {
	int32_t low, high, step;
};

static const struct field volt_range_fields[] = {
	F_SINT(struct s32_range, low, INT32_MIN, INT32_MAX),
	F_SINT(struct s32_range, high, INT32_MIN, INT32_MAX),
	F_SINT(struct s32_range, step, 0, INT32_MAX),
};

static int parse_volt_range(struct loader *ld, struct json_object *v,
			    void *item, const char *path)
{
	struct sim_voltage_domain *d = item;
	struct s32_range rg = { 0, 0, 0 };
	char sub[PATH_SZ];
	int r;

	r = parse_object(ld, v, volt_range_fields,
			 ARRAY_SIZE(volt_range_fields), &rg, path);
	if (r)
		return r;
	if (!has_key(v, "low") || !has_key(v, "high"))
		return FAIL(ld, path, "a range needs \"low\" and \"high\"");
	snprintf(sub, sizeof(sub), "%s.high", path);
	if (rg.high < rg.low)
		return FAIL(ld, sub, "%d is below low (%d)", rg.high, rg.low);
	snprintf(sub, sizeof(sub), "%s.step", path);
	if (rg.high > rg.low && !rg.step)
		return FAIL(ld, sub, "a range wider than one level needs a step");
	d->levels_uv[0] = rg.low;
	d->levels_uv[1] = rg.high;
	d->levels_uv[2] = rg.step;
	d->num_levels = 3;
	d->is_range = true;
	return 0;
}

static int dump_volt_range(const void *item, struct json_object **out)
{
	const struct sim_voltage_domain *d = item;
	struct s32_range rg;

	if (!d->is_range)
		return 0;
	rg.low = d->levels_uv[0];
	rg.high = d->levels_uv[1];
	rg.step = d->levels_uv[2];
	*out = dump_object(volt_range_fields, ARRAY_SIZE(volt_range_fields),
			   &rg);
	return 1;
}

static const struct field voltage_fields[] = {
	F_NAME(struct sim_voltage_domain),
	F_BOOL(struct sim_voltage_domain, async),
	F_CUSTOM("levels_uv", parse_volt_levels, dump_volt_levels),
	F_CUSTOM("range_uv", parse_volt_range, dump_volt_range),
	F_SINT(struct sim_voltage_domain, level_uv, INT32_MIN, INT32_MAX),
	F_ENUM(struct sim_voltage_domain, "config", config, volt_configs),
};

static const struct sim_voltage_domain voltage_defaults = {
	.num_levels = 1, .levels_uv = { 1000000 }, .config = VOLT_CONFIG_ON,
};

static int check_voltage(struct loader *ld, struct json_object *obj,
			 void *item, const char *path, unsigned int idx)
{
	struct sim_voltage_domain *d = item;
	bool levels = has_key(obj, "levels_uv"), range = has_key(obj, "range_uv");
	char sub[PATH_SZ];
	bool ok = false;

	snprintf(sub, sizeof(sub), "%s.range_uv", path);
	if (levels && range)
		return FAIL(ld, sub,
			    "a domain has \"levels_uv\" or a \"range_uv\", not both");
	if (!levels && !range && has_key(obj, "level_uv")) {
		d->levels_uv[0] = d->level_uv;   /* a fixed supply */
		d->num_levels = 1;
	}
	if (!has_key(obj, "level_uv"))
		d->level_uv = d->levels_uv[0];
	if (d->is_range) {
		int64_t low = d->levels_uv[0], step = d->levels_uv[2];

		ok = d->level_uv >= low && d->level_uv <= d->levels_uv[1] &&
		     (step ? (d->level_uv - low) % step == 0 : d->level_uv == low);
	} else {
		for (unsigned int i = 0; i < d->num_levels; i++)
			ok |= d->levels_uv[i] == d->level_uv;
	}
	snprintf(sub, sizeof(sub), "%s.level_uv", path);
	if (!ok)
		return FAIL(ld, sub, "%d uV is not one of the domain's levels",
			    d->level_uv);
	return 0;
}

/* ---- powercap ------------------------------------------------------------ */

#define POWERCAP_ROOT 0xFFFFFFFFu

static int parse_parent(struct loader *ld, struct json_object *v, void *item,
			const char *path)
{
	struct sim_powercap_domain *d = item;
	int64_t x;
	int r;

	if (!v) {   /* null: a root domain */
		d->parent_id = POWERCAP_ROOT;
		return 0;
	}
	r = get_int(ld, v, path, 0, SIM_MAX_DOMAINS - 1, &x);
	if (r)
		return r;
	d->parent_id = (uint32_t)x;
	return 0;
}

static int dump_parent(const void *item, struct json_object **out)
{
	const struct sim_powercap_domain *d = item;

	*out = d->parent_id == POWERCAP_ROOT ? NULL :
					       json_object_new_uint64(d->parent_id);
	return 1;
}

static const struct field powercap_fields[] = {
	F_NAME(struct sim_powercap_domain),
	F_BOOL(struct sim_powercap_domain, notify_cap),
	F_BOOL(struct sim_powercap_domain, notify_meas),
	F_BOOL(struct sim_powercap_domain, async_cap),
	F_BOOL(struct sim_powercap_domain, cap_config),
	F_BOOL(struct sim_powercap_domain, pai_config),
	F_UINT(struct sim_powercap_domain, min_pai, 0, UINT32_MAX),
	F_UINT(struct sim_powercap_domain, max_pai, 0, UINT32_MAX),
	F_UINT(struct sim_powercap_domain, pai_step, 0, UINT32_MAX),
	F_UINT(struct sim_powercap_domain, min_cap, 0, UINT32_MAX),
	F_UINT(struct sim_powercap_domain, max_cap, 0, UINT32_MAX),
	F_UINT(struct sim_powercap_domain, cap_step, 0, UINT32_MAX),
	F_UINT(struct sim_powercap_domain, sustainable_power, 0, UINT32_MAX),
	F_UINT(struct sim_powercap_domain, accuracy, 0, UINT32_MAX),
	F_CUSTOM("parent", parse_parent, dump_parent),
	F_UINT(struct sim_powercap_domain, cap, 0, UINT32_MAX),
	F_UINT(struct sim_powercap_domain, pai, 0, UINT32_MAX),
	F_UINT(struct sim_powercap_domain, power, 0, UINT32_MAX),
};

static const struct sim_powercap_domain powercap_defaults = {
	.notify_cap = true, .notify_meas = true, .async_cap = false,
	.cap_config = true, .pai_config = false,
	.min_pai = 1000, .max_pai = 1000, .pai_step = 0,
	.min_cap = 1000, .max_cap = 10000, .cap_step = 100,
	.sustainable_power = 5000, .accuracy = 95,
	.parent_id = POWERCAP_ROOT,
};

/* @v in [min, max] on a step from min (a step of 0: only min). */
static bool in_range(uint32_t v, uint32_t min, uint32_t max, uint32_t step)
{
	if (v < min || v > max)
		return false;
	return step ? (v - min) % step == 0 : v == min;
}

static int check_powercap(struct loader *ld, struct json_object *obj,
			  void *item, const char *path, unsigned int idx)
{
	struct sim_powercap_domain *d = item;
	char sub[PATH_SZ];

	if (!has_key(obj, "cap"))
		d->cap = d->max_cap;
	if (!has_key(obj, "pai"))
		d->pai = d->min_pai;
	snprintf(sub, sizeof(sub), "%s.max_cap", path);
	if (d->max_cap < d->min_cap)
		return FAIL(ld, sub, "%u is below min_cap (%u)", d->max_cap,
			    d->min_cap);
	snprintf(sub, sizeof(sub), "%s.max_pai", path);
	if (d->max_pai < d->min_pai)
		return FAIL(ld, sub, "%u is below min_pai (%u)", d->max_pai,
			    d->min_pai);
	snprintf(sub, sizeof(sub), "%s.cap", path);
	if (d->cap && !in_range(d->cap, d->min_cap, d->max_cap, d->cap_step))
		return FAIL(ld, sub,
			    "%u is outside %u..%u in steps of %u (0 disables the cap)",
			    d->cap, d->min_cap, d->max_cap, d->cap_step);
	snprintf(sub, sizeof(sub), "%s.pai", path);
	if (!in_range(d->pai, d->min_pai, d->max_pai, d->pai_step))
		return FAIL(ld, sub, "%u is outside %u..%u in steps of %u",
			    d->pai, d->min_pai, d->max_pai, d->pai_step);
	snprintf(sub, sizeof(sub), "%s.parent", path);
	if (d->parent_id != POWERCAP_ROOT) {
		uint32_t p = d->parent_id;

		if (p >= ld->t->num_powercap)
			return FAIL(ld, sub, "no powercap domain %u (there are %u)",
				    p, ld->t->num_powercap);
		if (p == idx)
			return FAIL(ld, sub, "a domain is not its own parent");
	}
	return 0;
}

/* Parents form a tree: checked once every domain is read. */
static int check_powercap_tree(struct loader *ld, const struct sim_topology *t)
{
	for (unsigned int i = 0; i < t->num_powercap; i++) {
		uint32_t p = t->powercap[i].parent_id;

		for (unsigned int hops = 0; p != POWERCAP_ROOT; hops++) {
			char sub[PATH_SZ];

			if (hops > t->num_powercap) {
				snprintf(sub, sizeof(sub), "powercap[%u].parent",
					 i);
				return FAIL(ld, sub, "the parents form a cycle");
			}
			p = t->powercap[p].parent_id;
		}
	}
	return 0;
}

/* ---- the protocols --------------------------------------------------------- */

struct kind {
	const char *key;              /* top-level key; default names "<key><id>" */
	uint8_t proto_id;
	bool is_array;                /* false: one object (system) */
	size_t item_sz;
	size_t items_off;             /* in struct sim_topology */
	size_t count_off;             /* unsigned int, if is_array */
	const void *defaults;
	const struct field *fields;
	size_t num_fields;
	/* after the keys: defaults that depend on others, checks across keys */
	int (*check)(struct loader *ld, struct json_object *obj, void *item,
		     const char *path, unsigned int idx);
	/*
	 * A protocol with keys of its own (not of a domain): its value may be
	 * the array of domains alone (those keys then 0), or an object of
	 * those keys and the array under @items_key, which is how it is
	 * written. @proto_fields lists @items_key too, as a key to skip.
	 */
	const char *items_key;
	size_t proto_off;             /* in struct sim_topology */
	const struct field *proto_fields;
	size_t num_proto_fields;
};

#define KIND(k, id, T, member, count, defs, flds, chk)                     \
	{ k, id, true, sizeof(T), offsetof(struct sim_topology, member),    \
	  offsetof(struct sim_topology, count), &defs, flds,                 \
	  ARRAY_SIZE(flds), chk, NULL, 0, NULL, 0 }

static const struct kind kinds[] = {
	KIND("power", SCMI_PROTOCOL_POWER, struct sim_power_domain, power,
	     num_power, power_defaults, power_fields, NULL),
	{ "system", SCMI_PROTOCOL_SYSTEM, false, sizeof(struct sim_system),
	  offsetof(struct sim_topology, system), 0, &system_defaults,
	  system_fields, ARRAY_SIZE(system_fields), NULL, NULL, 0, NULL, 0 },
	KIND("perf", SCMI_PROTOCOL_PERF, struct sim_perf_domain, perf,
	     num_perf, perf_defaults, perf_fields, check_perf),
	{ "clock", SCMI_PROTOCOL_CLOCK, true, sizeof(struct sim_clock),
	  offsetof(struct sim_topology, clocks),
	  offsetof(struct sim_topology, num_clocks), &clock_defaults,
	  clock_fields, ARRAY_SIZE(clock_fields), check_clock, "clocks",
	  offsetof(struct sim_topology, clock_proto), clock_proto_fields,
	  ARRAY_SIZE(clock_proto_fields) },
	KIND("sensor", SCMI_PROTOCOL_SENSOR, struct sim_sensor, sensors,
	     num_sensors, sensor_defaults, sensor_fields, check_sensor),
	KIND("reset", SCMI_PROTOCOL_RESET, struct sim_reset_domain, reset,
	     num_reset, reset_defaults, reset_fields, NULL),
	KIND("voltage", SCMI_PROTOCOL_VOLTAGE, struct sim_voltage_domain,
	     voltage, num_voltage, voltage_defaults, voltage_fields,
	     check_voltage),
	KIND("powercap", SCMI_PROTOCOL_POWERCAP, struct sim_powercap_domain,
	     powercap, num_powercap, powercap_defaults, powercap_fields,
	     check_powercap),
};

static int parse_item(struct loader *ld, const struct kind *k,
		      struct json_object *obj, void *item, const char *path,
		      unsigned int idx)
{
	int r;

	memcpy(item, k->defaults, k->item_sz);
	r = parse_object(ld, obj, k->fields, k->num_fields, item, path);
	if (r)
		return r;
	if (k->fields[0].type == FT_NAME && !has_key(obj, "name"))
		snprintf((char *)item + k->fields[0].off, SIM_NAME_MAX, "%s%u",
			 k->key, idx);
	return k->check ? k->check(ld, obj, item, path, idx) : 0;
}

int topology_from_json(const struct sim_json_doc *doc, struct sim_topology *t,
		       char *err, size_t err_sz)
{
	struct loader ld = { .doc = doc, .err = err, .err_sz = err_sz, .t = t };
	struct json_object *root = doc->root;
	int r;

	memset(t, 0, sizeof(*t));
	t->offered[SCMI_PROTOCOL_BASE] = true;
	if (!json_object_is_type(root, json_type_object))
		return FAIL(&ld, "", "a topology is an object, not %s",
			    sim_json_kind(root));
	json_object_object_foreach(root, key, val) {
		size_t i;

		(void)val;
		for (i = 0; i < ARRAY_SIZE(kinds) && strcmp(kinds[i].key, key); i++)
			;
		if (i == ARRAY_SIZE(kinds))
			return FAIL(&ld, key,
				    "unknown key (expected power, system, perf, clock, sensor, reset, voltage, powercap)");
	}
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		const struct kind *k = &kinds[i];
		char *items = (char *)t + k->items_off;
		struct json_object *v;
		char path[PATH_SZ], array_path[64];
		size_t n;

		if (!json_object_object_get_ex(root, k->key, &v))
			continue;
		t->offered[k->proto_id] = true;
		if (!k->is_array) {
			r = parse_item(&ld, k, v, items, k->key, 0);
			if (r)
				return r;
			continue;
		}
		snprintf(array_path, sizeof(array_path), "%s", k->key);
		if (k->items_key && json_object_is_type(v, json_type_object)) {
			/* { <the protocol's keys>, "<items_key>": [...] } */
			r = parse_object(&ld, v, k->proto_fields,
					 k->num_proto_fields,
					 (char *)t + k->proto_off, k->key);
			if (r)
				return r;
			snprintf(array_path, sizeof(array_path), "%s.%s",
				 k->key, k->items_key);
			if (!json_object_object_get_ex(v, k->items_key, &v))
				continue; /* no domains */
		}
		r = get_array(&ld, v, array_path, 0, SIM_MAX_DOMAINS, "domains",
			      &n);
		if (r)
			return r;
		*(unsigned int *)((char *)t + k->count_off) = (unsigned int)n;
		for (size_t d = 0; d < n; d++) {
			snprintf(path, sizeof(path), "%s[%zu]", array_path, d);
			r = parse_item(&ld, k, json_object_array_get_idx(v, d),
				       items + d * k->item_sz, path,
				       (unsigned int)d);
			if (r)
				return r;
		}
	}
	return check_powercap_tree(&ld, t);
}

struct json_object *topology_to_json(const struct sim_topology *t)
{
	struct json_object *root = json_object_new_object();

	for (size_t i = 0; root && i < ARRAY_SIZE(kinds); i++) {
		const struct kind *k = &kinds[i];
		const char *items = (const char *)t + k->items_off;
		struct json_object *v;

		if (!t->offered[k->proto_id])
			continue;
		if (k->is_array) {
			unsigned int n = *(const unsigned int *)
				((const char *)t + k->count_off);

			v = json_object_new_array();
			for (unsigned int d = 0; v && d < n; d++) {
				struct json_object *o = dump_object(
					k->fields, k->num_fields,
					items + d * k->item_sz);

				if (!o || json_object_array_add(v, o) < 0) {
					json_object_put(o);
					json_object_put(v);
					v = NULL;
				}
			}
			if (v && k->items_key) {
				/* with the protocol's own keys around it */
				struct json_object *p = dump_object(
					k->proto_fields, k->num_proto_fields,
					(const char *)t + k->proto_off);

				if (!p || json_object_object_add(p, k->items_key,
								 v) < 0) {
					json_object_put(p);
					json_object_put(v);
				}
				v = p;
			}
		} else {
			v = dump_object(k->fields, k->num_fields, items);
		}
		if (!v || json_object_object_add(root, k->key, v) < 0) {
			json_object_put(v);
			json_object_put(root);
			return NULL;
		}
	}
	return root;
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

int topology_file_dump(const struct sim_topology *t, FILE *f)
{
	struct json_object *root = topology_to_json(t);
	char *text = root ? sim_json_format(root) : NULL;
	int r = 0;

	json_object_put(root);
	if (!text)
		return -ENOMEM;
	if (fputs(text, f) == EOF || fflush(f) == EOF)
		r = -EIO;
	free(text);
	return r;
}
