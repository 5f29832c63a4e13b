/* SPDX-License-Identifier: MIT */
/*
 * Topology files (see topology-file.h): JSON text in, struct sim_topology
 * out, and back.
 *
 * The format is described once, by the tables at the end of this file:
 * one row (struct field) per key, with its type, where its value lives in
 * the struct, its range and its default (as JSON). The same rows read a
 * file (parse_object()), give the defaults (set_defaults()), write a
 * file (dump_object()), word the errors, and describe the format to
 * others (topology_schema(): `scmi-sim --topology-schema`, against which
 * a test checks the man page's list of keys). A key of a plain type --
 * a flag, an integer, a name, one of a few words -- is one row; a list
 * of values or their range, and an array of objects, are rows with a
 * small descriptor (struct values, struct objects). What a row cannot
 * say -- defaults that follow from other keys, checks across keys -- is
 * the check function of the objects' descriptor, run once an object's
 * keys are read.
 *
 * The text is read and parsed as a JSON document (json-doc.h), whose
 * errors name their line:col and path.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/wire.h>

#include "topology-file.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PATH_SZ 160

struct loader {
	const struct sim_json_doc *doc;
	char *err;
	size_t err_sz;
	const struct sim_topology *t;     /* counts are set before items */
};

#define FAIL(ld, path, ...) \
	sim_json_error((ld)->doc, (path), (ld)->err, (ld)->err_sz, __VA_ARGS__)

/* ---- what a row says ----------------------------------------------------- */

enum ftype {
	FT_BOOL,        /* bool */
	FT_UINT,        /* unsigned integer of 1, 4 or 8 bytes, in [min, max] */
	FT_SINT,        /* signed integer of 1, 4 or 8 bytes, in [min, max] */
	FT_NAME,        /* char[SIM_NAME_MAX]: printable ASCII, 1..63 characters */
	FT_ENUM,        /* uint32_t, written as one of the words of aux */
	FT_BIT,         /* a bit of a uint32_t, written as true or false */
	FT_LIST,        /* ascending values (aux: struct values) */
	FT_RANGE,       /* the same values as {low, high, step} */
	FT_OBJECTS,     /* an array of objects (aux: struct objects) */
	FT_OBJECT,      /* one object (aux: struct objects) */
};

struct word {
	const char *name;
	uint32_t value;
};

struct field {
	const char *key;
	enum ftype type;
	size_t off, size;               /* the value in its struct */
	int64_t min, max;               /* integers */
	const char *def;                /* JSON; NULL: from other keys (check) */
	int64_t null;                   /* with a default of null: what null is */
	uint32_t bit;                   /* FT_BIT */
	const void *aux;
};

/* A list of values or their range, and the value chosen among them. */
struct values {
	size_t arr_off, num_off, range_off;  /* values, how many, bool: range */
	size_t size;                    /* of a value: 4 (int32_t), 8 (uint64_t) */
	unsigned int max;               /* values in a list */
	const struct field *range;      /* a range's three keys (struct range) */
	const char *noun, *nouns, *unit; /* "rate", "rates", " Hz" */
	const char *keys[3];            /* of the list, the range, the value */
	size_t value_off;
	const char *owner;              /* "a clock has rates or a range" */
	const char *not_in_list, *not_in_range;
};

struct range {
	int64_t low, high, step;
};

/* An array of objects, or one object. */
struct objects {
	size_t arr_off, num_off, size;  /* in the parent; each object's size */
	unsigned int min, max;          /* how many */
	const struct field *fields;
	size_t num_fields;
	const char *noun, *nouns;       /* messages; "<noun><id>": a default name */
	const char *required;           /* a key each must have */
	const char *ascending;          /* a uint32_t key they ascend by */
	uint8_t proto_id;               /* the protocol a topology key offers */
	const struct field *around;     /* or an object of these keys around them */
	size_t num_around;
	/* after an object's keys: defaults from others, checks across keys */
	int (*check)(struct loader *ld, struct json_object *obj, void *item,
		     const char *path, unsigned int idx);
};

#define MEMBER_SZ(T, m) sizeof(((T *)0)->m)
#define ROWX(k, ty, T, m, lo, hi, d, ...)                                   \
	{ .key = k, .type = ty, .off = offsetof(T, m), .size = MEMBER_SZ(T, m), \
	  .min = lo, .max = hi, .def = d, __VA_ARGS__ }
#define ROW(k, ty, T, m, lo, hi, d) ROWX(k, ty, T, m, lo, hi, d, .aux = NULL)
#define F_BOOL(T, m, d) ROW(#m, FT_BOOL, T, m, 0, 1, #d)
#define F_UINT(T, m, lo, hi, d) ROW(#m, FT_UINT, T, m, lo, hi, #d)
#define F_SINT(T, m, lo, hi, d) ROW(#m, FT_SINT, T, m, lo, hi, #d)
#define F_DERIVED(ty, T, m, lo, hi) ROW(#m, ty, T, m, lo, hi, NULL)
#define F_NAME(T) ROW("name", FT_NAME, T, name, 0, 0, NULL)
#define F_ENUM(T, m, words, d) ROWX(#m, FT_ENUM, T, m, 0, 0, "\"" #d "\"", .aux = words)
#define F_BIT(T, k, m, b, d) ROWX(k, FT_BIT, T, m, 0, 1, #d, .bit = b)
#define F_LIST(k, vs, d) { .key = k, .type = FT_LIST, .def = #d, .aux = &vs }
#define F_RANGE(k, vs) { .key = k, .type = FT_RANGE, .aux = &vs }
#define F_OBJECTS(k, objs, d) { .key = k, .type = FT_OBJECTS, .def = #d, .aux = &objs }

/* ---- reading ------------------------------------------------------------- */

/* @path followed by what @fmt says, in @buf of PATH_SZ bytes (cut short). */
static const char *at(char *buf, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static const char *at(char *buf, const char *path, const char *fmt, ...)
{
	size_t n = strnlen(path, PATH_SZ - 1);
	va_list ap;

	memcpy(buf, path, n);
	va_start(ap, fmt);
	vsnprintf(buf + n, PATH_SZ - n, fmt, ap);
	va_end(ap);
	return buf;
}

static void put_int(void *p, size_t size, int64_t v)
{
	switch (size) {
	case 1: *(uint8_t *)p = (uint8_t)v; break;
	case 4: *(uint32_t *)p = (uint32_t)v; break;
	default: *(uint64_t *)p = (uint64_t)v; break;
	}
}

static int64_t get_int_at(const void *p, size_t size, bool sign)
{
	switch (size) {
	case 1: return sign ? *(const int8_t *)p : (int64_t)*(const uint8_t *)p;
	case 4: return sign ? *(const int32_t *)p : (int64_t)*(const uint32_t *)p;
	default: return *(const int64_t *)p;
	}
}

static bool has_key(struct json_object *obj, const char *key)
{
	return json_object_object_get_ex(obj, key, NULL);
}

/* An integer whose default is null, which stands for f->null. */
static bool nullable(const struct field *f)
{
	return f->def && !strcmp(f->def, "null");
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

/* The elements of array @v at @path: @min..@max of them, else an error. */
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

static int get_name(struct loader *ld, struct json_object *v,
		    const char *path, char *out)
{
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
	memcpy(out, s, n + 1);
	return 0;
}

static int get_word(struct loader *ld, struct json_object *v,
		    const char *path, const struct word *words, uint32_t *out)
{
	bool str = json_object_is_type(v, json_type_string);
	char list[128];
	size_t used = 0;

	for (const struct word *w = words; str && w->name; w++) {
		if (!strcmp(w->name, json_object_get_string(v))) {
			*out = w->value;
			return 0;
		}
	}
	list[0] = '\0';
	for (const struct word *w = words; w->name; w++)
		used += (size_t)snprintf(list + used,
					 used < sizeof(list) ? sizeof(list) - used : 0,
					 "%s\"%s\"", w == words ? "" : ", ", w->name);
	return FAIL(ld, path, "expected one of %s, not %s", list,
		    str ? json_object_to_json_string(v) : sim_json_kind(v));
}

static int parse_object(struct loader *ld, struct json_object *obj,
			const struct field *fields, size_t n, void *item,
			const char *path);
static void set_defaults(const struct field *fields, size_t n, void *item,
			 const char *noun, unsigned int idx);

static int parse_values(struct loader *ld, struct json_object *v, char *item,
			const char *path, const struct values *vs, bool range)
{
	struct range rg = { 0, 0, 0 };
	char sub[PATH_SZ];
	int64_t x[SIM_MAX_LEVELS > SIM_MAX_RATES ? SIM_MAX_LEVELS : SIM_MAX_RATES];
	size_t n = 3;
	int r;

	if (!range) {
		r = get_array(ld, v, path, 1, vs->max, vs->nouns, &n);
		for (size_t i = 0; !r && i < n; i++) {
			r = get_int(ld, json_object_array_get_idx(v, i),
				    at(sub, path, "[%zu]", i), vs->range[0].min,
				    vs->range[0].max, &x[i]);
			if (!r && i && x[i] <= x[i - 1])
				return FAIL(ld, sub,
					    "%" PRId64 "%s is not above the %s before it: %s ascend",
					    x[i], vs->unit, vs->noun, vs->nouns);
		}
	} else {
		r = parse_object(ld, v, vs->range, 3, &rg, path);
		if (!r && (!has_key(v, vs->range[0].key) ||
			   !has_key(v, vs->range[1].key)))
			return FAIL(ld, path, "a range needs \"%s\" and \"%s\"",
				    vs->range[0].key, vs->range[1].key);
		if (!r && rg.high < rg.low)
			return FAIL(ld, at(sub, path, ".%s", vs->range[1].key),
				    "%" PRId64 " is below %s (%" PRId64 ")",
				    rg.high, vs->range[0].key, rg.low);
		if (!r && rg.high > rg.low && !rg.step)
			return FAIL(ld, at(sub, path, ".%s", vs->range[2].key),
				    "a range wider than one %s needs a step",
				    vs->noun);
		x[0] = rg.low, x[1] = rg.high, x[2] = rg.step;
	}
	if (r)
		return r;
	for (size_t i = 0; i < n; i++)
		put_int(item + vs->arr_off + i * vs->size, vs->size, x[i]);
	*(unsigned int *)(item + vs->num_off) = (unsigned int)n;
	*(bool *)(item + vs->range_off) = range;
	return 0;
}

static int parse_objects(struct loader *ld, struct json_object *v,
			 char *item, const char *path, const struct objects *o)
{
	char *base = item + o->arr_off, sub[PATH_SZ], key[PATH_SZ];
	size_t n;
	int r;

	if (o->around && json_object_is_type(v, json_type_object))
		return parse_object(ld, v, o->around, o->num_around, item, path);
	r = get_array(ld, v, path, o->min, o->max, o->nouns, &n);
	if (r)
		return r;
	memset(base, 0, o->max * o->size);
	*(unsigned int *)(item + o->num_off) = (unsigned int)n;
	for (size_t i = 0; i < n; i++) {
		struct json_object *obj = json_object_array_get_idx(v, i);
		char *elem = base + i * o->size;
		const struct field *f = o->fields;

		at(sub, path, "[%zu]", i);
		set_defaults(o->fields, o->num_fields, elem, o->noun, (unsigned int)i);
		r = parse_object(ld, obj, o->fields, o->num_fields, elem, sub);
		if (r)
			return r;
		if (o->required && !has_key(obj, o->required))
			return FAIL(ld, sub, "a %s needs its \"%s\" value", o->noun,
				    o->required);
		while (o->ascending && strcmp(f->key, o->ascending))
			f++;
		if (o->ascending && i && *(uint32_t *)(elem + f->off) <=
					 *(uint32_t *)(elem - o->size + f->off))
			return FAIL(ld, at(key, sub, ".%s", f->key),
				    "%u is not above the %s before it (%u): %s ascend",
				    *(uint32_t *)(elem + f->off), o->noun,
				    *(uint32_t *)(elem - o->size + f->off), o->nouns);
		r = o->check ? o->check(ld, obj, elem, sub, (unsigned int)i) : 0;
		if (r)
			return r;
	}
	return 0;
}

static int parse_field(struct loader *ld, const struct field *f,
		       struct json_object *v, void *item, const char *path)
{
	const struct objects *o = f->aux;
	char *p = (char *)item + f->off;
	int64_t x;
	bool on;
	int r;

	switch (f->type) {
	case FT_BOOL:
		return get_bool(ld, v, path, (bool *)p);
	case FT_UINT:
	case FT_SINT:
		x = f->null;
		r = nullable(f) && !v ? 0 : get_int(ld, v, path, f->min, f->max, &x);
		if (!r)
			put_int(p, f->size, x);
		return r;
	case FT_NAME:
		return get_name(ld, v, path, p);
	case FT_ENUM:
		return get_word(ld, v, path, f->aux, (uint32_t *)p);
	case FT_BIT:
		r = get_bool(ld, v, path, &on);
		if (!r)
			*(uint32_t *)p = on ? *(uint32_t *)p | f->bit :
					      *(uint32_t *)p & ~f->bit;
		return r;
	case FT_LIST:
	case FT_RANGE:
		return parse_values(ld, v, item, path, f->aux, f->type == FT_RANGE);
	case FT_OBJECTS:
		return parse_objects(ld, v, item, path, o);
	case FT_OBJECT:
		set_defaults(o->fields, o->num_fields, p, o->noun, 0);
		r = parse_object(ld, v, o->fields, o->num_fields, p, path);
		return r ? r : o->check ? o->check(ld, v, p, path, 0) : 0;
	}
	return -EINVAL;
}

/*
 * The keys of the object @obj (at @path) into @item, as @fields say; an
 * unknown key is an error. Keys left out keep what @item had.
 */
static int parse_object(struct loader *ld, struct json_object *obj,
			const struct field *fields, size_t n, void *item,
			const char *path)
{
	const char *dot = path[0] ? "." : "";
	char sub[PATH_SZ], list[512];
	size_t i, used = 0;
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return FAIL(ld, path, "expected an object, not %s",
			    sim_json_kind(obj));
	json_object_object_foreach(obj, key, val) {
		(void)val;
		for (i = 0; i < n && strcmp(fields[i].key, key); i++)
			;
		for (size_t k = 0; i == n && k < n && used < sizeof(list); k++)
			used += (size_t)snprintf(list + used, sizeof(list) - used,
						 "%s%s", k ? ", " : "", fields[k].key);
		if (i == n)
			return FAIL(ld, at(sub, path, "%s%s", dot, key),
				    "unknown key (expected %s)", list);
	}
	for (i = 0; i < n; i++) {
		struct json_object *v;

		if (!json_object_object_get_ex(obj, fields[i].key, &v))
			continue;
		r = parse_field(ld, &fields[i], v, item,
				at(sub, path, "%s%s", dot, fields[i].key));
		if (r)
			return r;
	}
	return 0;
}

/*
 * Every key of @item at its default, read as a file's value is; a name
 * "<noun><idx>". A default the row cannot read is a bug of the table.
 */
static void set_defaults(const struct field *fields, size_t n, void *item,
			 const char *noun, unsigned int idx)
{
	static const struct sim_json_doc doc = { .name = "(a default)" };
	char err[256];
	struct loader ld = { .doc = &doc, .err = err, .err_sz = sizeof(err) };

	for (const struct field *f = fields; f < fields + n; f++) {
		struct json_object *v = f->def ? json_tokener_parse(f->def) : NULL;
		int r = 0;

		if (f->type == FT_NAME)
			snprintf((char *)item + f->off, SIM_NAME_MAX, "%s%u", noun,
				 idx);
		else if (f->def)
			r = parse_field(&ld, f, v, item, f->key);
		json_object_put(v);
		assert(!r);
		(void)r;
	}
}

/* ---- writing ------------------------------------------------------------- */

static struct json_object *dump_object(const struct field *fields, size_t n,
				       const void *item,
				       const struct sim_topology *t);

/* 1 with *out set (NULL: null), 0 to leave the key out, -ENOMEM. */
static int dump_field(const struct field *f, const char *item,
		      const struct sim_topology *t, struct json_object **out)
{
	const char *p = item + f->off;
	const struct objects *o = f->aux;
	const struct values *vs = f->aux;
	unsigned int n;
	int64_t x;

	switch (f->type) {
	case FT_BOOL:
		*out = json_object_new_boolean(*(const bool *)p);
		return 1;
	case FT_UINT:
	case FT_SINT:
		x = get_int_at(p, f->size, f->type == FT_SINT);
		*out = nullable(f) && x == f->null ? NULL :
		       f->type == FT_UINT ? json_object_new_uint64((uint64_t)x) :
					    json_object_new_int64(x);
		return 1;
	case FT_NAME:
		*out = json_object_new_string(p);
		return 1;
	case FT_ENUM:
		for (const struct word *w = f->aux; w->name; w++) {
			if (w->value == *(const uint32_t *)p) {
				*out = json_object_new_string(w->name);
				return 1;
			}
		}
		*out = json_object_new_uint64(*(const uint32_t *)p);
		return 1;
	case FT_BIT:
		*out = json_object_new_boolean(*(const uint32_t *)p & f->bit);
		return 1;
	case FT_LIST:
	case FT_RANGE:
		if (*(const bool *)(item + vs->range_off) != (f->type == FT_RANGE))
			return 0;
		if (f->type == FT_RANGE) {
			struct range rg = {
				get_int_at(item + vs->arr_off, vs->size, true),
				get_int_at(item + vs->arr_off + vs->size, vs->size, true),
				get_int_at(item + vs->arr_off + 2 * vs->size, vs->size, true),
			};

			*out = dump_object(vs->range, 3, &rg, t);
			return 1;
		}
		*out = json_object_new_array();
		n = *(const unsigned int *)(item + vs->num_off);
		for (unsigned int i = 0; *out && i < n; i++)
			json_object_array_add(*out, json_object_new_int64(get_int_at(
				item + vs->arr_off + i * vs->size, vs->size, true)));
		return 1;
	case FT_OBJECTS:
	case FT_OBJECT:
		if (o->proto_id && !t->offered[o->proto_id])
			return 0;
		if (f->type == FT_OBJECT || o->around) {
			*out = f->type == FT_OBJECT ?
				dump_object(o->fields, o->num_fields, p, t) :
				dump_object(o->around, o->num_around, item, t);
			return 1;
		}
		*out = json_object_new_array();
		n = *(const unsigned int *)(item + o->num_off);
		for (unsigned int i = 0; *out && i < n; i++) {
			struct json_object *e = dump_object(o->fields, o->num_fields,
				item + o->arr_off + i * o->size, t);

			if (!e || json_object_array_add(*out, e) < 0) {
				json_object_put(e);
				json_object_put(*out);
				return -ENOMEM;
			}
		}
		return 1;
	}
	return 0;
}

static struct json_object *dump_object(const struct field *fields, size_t n,
				       const void *item,
				       const struct sim_topology *t)
{
	struct json_object *obj = json_object_new_object();

	for (size_t i = 0; obj && i < n; i++) {
		struct json_object *v = NULL;
		int r = dump_field(&fields[i], item, t, &v);

		if (r < 0 || (r && json_object_object_add(obj, fields[i].key, v))) {
			json_object_put(v);
			json_object_put(obj);
			return NULL;
		}
	}
	return obj;
}

/* The format itself: see topology_schema() in topology-file.h. */
static struct json_object *schema_of(const struct field *fields, size_t n)
{
	static const char *const types[] = {
		"boolean", "integer", "integer", "name", "enum", "boolean",
		"list", "range", "array", "object",
	};
	struct json_object *all = json_object_new_object();

	for (const struct field *f = fields; all && f < fields + n; f++) {
		const struct objects *o = f->aux;
		const struct values *vs = f->aux;
		struct json_object *k = json_object_new_object(), *a;

		json_object_object_add(all, f->key, k);
		json_object_object_add(k, "type", json_object_new_string(types[f->type]));
		if (f->type == FT_UINT || f->type == FT_SINT) {
			json_object_object_add(k, "min", json_object_new_int64(f->min));
			json_object_object_add(k, "max", json_object_new_int64(f->max));
		} else if (f->type == FT_ENUM) {
			a = json_object_new_array();
			for (const struct word *w = f->aux; a && w->name; w++)
				json_object_array_add(a, json_object_new_string(w->name));
			json_object_object_add(k, "values", a);
		} else if (f->type == FT_LIST || f->type == FT_OBJECTS) {
			json_object_object_add(k, "max_items", json_object_new_int(
				f->type == FT_LIST ? (int)vs->max : (int)o->max));
		}
		if (f->type == FT_RANGE)
			json_object_object_add(k, "keys", schema_of(vs->range, 3));
		if ((f->type == FT_OBJECTS || f->type == FT_OBJECT) && o->around)
			json_object_object_add(k, "or", schema_of(o->around,
								  o->num_around));
		if (f->type == FT_OBJECTS || f->type == FT_OBJECT)
			json_object_object_add(k, "keys", schema_of(o->fields,
								    o->num_fields));
		if (f->def)
			json_object_object_add(k, "default", json_tokener_parse(f->def));
	}
	return all;
}

/* ---- checks across keys ---------------------------------------------------- */

/* A list or a range, not both; the value among them, by default the first. */
static int check_values(struct loader *ld, struct json_object *obj,
			char *item, const char *path, const struct values *vs)
{
	bool list = has_key(obj, vs->keys[0]), range = has_key(obj, vs->keys[1]);
	unsigned int n = *(unsigned int *)(item + vs->num_off);
	char *arr = item + vs->arr_off, *value = item + vs->value_off;
	char sub[PATH_SZ];
	int64_t v, low;
	bool ok = false;

	if (list && range)
		return FAIL(ld, at(sub, path, ".%s", vs->keys[1]),
			    "a %s has \"%s\" or a \"%s\", not both", vs->owner,
			    vs->keys[0], vs->keys[1]);
	if (!list && !range && has_key(obj, vs->keys[2])) {
		memcpy(arr, value, vs->size);    /* a fixed value: the one given */
		*(unsigned int *)(item + vs->num_off) = n = 1;
	}
	if (!has_key(obj, vs->keys[2]))
		memcpy(value, arr, vs->size);
	v = get_int_at(value, vs->size, true);
	low = get_int_at(arr, vs->size, true);
	if (*(bool *)(item + vs->range_off)) {
		int64_t step = get_int_at(arr + 2 * vs->size, vs->size, true);

		ok = v >= low && v <= get_int_at(arr + vs->size, vs->size, true) &&
		     (step ? (v - low) % step == 0 : v == low);
	}
	for (unsigned int i = 0; !*(bool *)(item + vs->range_off) && i < n; i++)
		ok |= get_int_at(arr + i * vs->size, vs->size, true) == v;
	if (!ok)
		return FAIL(ld, at(sub, path, ".%s", vs->keys[2]),
			    "%" PRId64 "%s %s", v, vs->unit,
			    *(bool *)(item + vs->range_off) ? vs->not_in_range :
							      vs->not_in_list);
	return 0;
}

static int check_perf(struct loader *ld, struct json_object *obj, void *item,
		      const char *path, unsigned int idx)
{
	struct sim_perf_domain *d = item;
	uint32_t lowest = d->levels[0].perf;
	uint32_t highest = d->levels[d->num_levels - 1].perf;
	bool is_level = false, inside = false;
	char sub[PATH_SZ];

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
	if (d->range_min < lowest)
		return FAIL(ld, at(sub, path, ".range_min"),
			    "%u is below the lowest level (%u)", d->range_min,
			    lowest);
	at(sub, path, ".range_max");
	if (d->range_max > highest)
		return FAIL(ld, sub, "%u is above the highest level (%u)",
			    d->range_max, highest);
	if (d->range_max < d->range_min)
		return FAIL(ld, sub, "%u is below range_min (%u)", d->range_max,
			    d->range_min);
	if (!inside)
		return FAIL(ld, sub, "no level lies within [%u, %u]",
			    d->range_min, d->range_max);
	at(sub, path, ".level");
	if (!is_level)
		return FAIL(ld, sub, "%u is not one of the domain's levels",
			    d->level);
	if (d->level < d->range_min || d->level > d->range_max)
		return FAIL(ld, sub, "%u is outside the limits [%u, %u]",
			    d->level, d->range_min, d->range_max);
	return 0;
}

static const struct values clock_rates, voltage_levels;

static int check_clock(struct loader *ld, struct json_object *obj, void *item,
		       const char *path, unsigned int idx)
{
	return check_values(ld, obj, item, path, &clock_rates);
}

static int check_voltage(struct loader *ld, struct json_object *obj,
			 void *item, const char *path, unsigned int idx)
{
	return check_values(ld, obj, item, path, &voltage_levels);
}

#define SENSOR_CFG_ENABLE (1u << 0)
#define SENSOR_CFG_TSTAMP (1u << 1)
#define SENSOR_CFG_EXP_MS (0x1Du << 11)      /* update interval exponent -3 */
#define SENSOR_CFG_SECS_SHIFT 16
#define SENSOR_INTERVAL_MIN_MS 10            /* as protocols/sensor.c offers */
#define SENSOR_INTERVAL_MAX_MS 60000
#define SENSOR_INTERVAL_STEP_MS 10

static int check_sensor(struct loader *ld, struct json_object *obj,
			void *item, const char *path, unsigned int idx)
{
	struct sim_sensor *s = item;
	char sub[PATH_SZ];

	/* as SENSOR_TRIP_POINT_CONFIG: a direction enables a trip point */
	for (unsigned int i = 0; i < s->num_trips; i++)
		s->trips[i].enabled = s->trips[i].direction != 0;
	if (s->update_ms && (s->update_ms < SENSOR_INTERVAL_MIN_MS ||
			     s->update_ms % SENSOR_INTERVAL_STEP_MS))
		return FAIL(ld, at(sub, path, ".update_ms"),
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

static int check_powercap(struct loader *ld, struct json_object *obj,
			  void *item, const char *path, unsigned int idx)
{
	struct sim_powercap_domain *d = item;
	char sub[PATH_SZ];

	if (!has_key(obj, "cap"))
		d->cap = d->max_cap;
	if (!has_key(obj, "pai"))
		d->pai = d->min_pai;
	if (d->max_cap < d->min_cap)
		return FAIL(ld, at(sub, path, ".max_cap"),
			    "%u is below min_cap (%u)", d->max_cap, d->min_cap);
	if (d->max_pai < d->min_pai)
		return FAIL(ld, at(sub, path, ".max_pai"),
			    "%u is below min_pai (%u)", d->max_pai, d->min_pai);
	if (d->cap && !in_range(d->cap, d->min_cap, d->max_cap, d->cap_step))
		return FAIL(ld, at(sub, path, ".cap"),
			    "%u is outside %u..%u in steps of %u (0 disables the cap)",
			    d->cap, d->min_cap, d->max_cap, d->cap_step);
	if (!in_range(d->pai, d->min_pai, d->max_pai, d->pai_step))
		return FAIL(ld, at(sub, path, ".pai"),
			    "%u is outside %u..%u in steps of %u",
			    d->pai, d->min_pai, d->max_pai, d->pai_step);
	at(sub, path, ".parent");
	if (d->parent_id != POWERCAP_ROOT && d->parent_id >= ld->t->num_powercap)
		return FAIL(ld, sub, "no powercap domain %u (there are %u)",
			    d->parent_id, ld->t->num_powercap);
	if (d->parent_id == idx)
		return FAIL(ld, sub, "a domain is not its own parent");
	return 0;
}

/* Parents form a tree: checked once every domain is read. */
static int check_powercap_tree(struct loader *ld, const struct sim_topology *t)
{
	for (unsigned int i = 0; i < t->num_powercap; i++) {
		uint32_t p = t->powercap[i].parent_id;
		char sub[PATH_SZ];

		for (unsigned int hops = 0; p != POWERCAP_ROOT; hops++) {
			if (hops > t->num_powercap)
				return FAIL(ld, at(sub, "powercap", "[%u].parent", i),
					    "the parents form a cycle");
			p = t->powercap[p].parent_id;
		}
	}
	return 0;
}

/* ---- the format: a row per key ------------------------------------------------ */

static const struct word power_states[] = {
	{ "on", 0x00000000 }, { "off", 0x40000000 }, { NULL, 0 },
};
static const struct word system_states[] = {
	{ "shutdown", 0 }, { "cold-reset", 1 }, { "warm-reset", 2 },
	{ "power-up", 3 }, { "suspend", 4 }, { NULL, 0 },
};
static const struct word trip_directions[] = {
	{ "none", 0 }, { "up", 1 }, { "down", 2 }, { "both", 3 }, { NULL, 0 },
};
static const struct word volt_configs[] = {
	{ "on", 0x7 }, { "off", 0x0 }, { NULL, 0 },
};

static const struct field power_fields[] = {
	F_NAME(struct sim_power_domain),
	F_BOOL(struct sim_power_domain, notify, true),
	F_BOOL(struct sim_power_domain, async, false),
	F_ENUM(struct sim_power_domain, state, power_states, on),
};

static const struct field system_fields[] = {
	F_BOOL(struct sim_system, notify, true),
	F_BOOL(struct sim_system, warm_reset, true),
	F_BOOL(struct sim_system, suspend, false),
	F_ENUM(struct sim_system, state, system_states, power-up),
	F_UINT(struct sim_system, timeout_ms, 0, UINT32_MAX, 1000),
};

static const struct field level_fields[] = {
	F_UINT(struct sim_perf_level, perf, 0, UINT32_MAX, 1000),
	F_UINT(struct sim_perf_level, power, 0, UINT32_MAX, 0),
	F_UINT(struct sim_perf_level, latency_us, 0, 0xFFFF, 0),
};

static const struct objects perf_levels = {
	.arr_off = offsetof(struct sim_perf_domain, levels),
	.num_off = offsetof(struct sim_perf_domain, num_levels),
	.size = sizeof(struct sim_perf_level), .min = 1, .max = SIM_MAX_LEVELS,
	.fields = level_fields, .num_fields = ARRAY_SIZE(level_fields),
	.noun = "level", .nouns = "levels", .required = "perf",
	.ascending = "perf",
};

static const struct field perf_fields[] = {
	F_NAME(struct sim_perf_domain),
	F_BOOL(struct sim_perf_domain, set_limits, true),
	F_BOOL(struct sim_perf_domain, set_level, true),
	F_BOOL(struct sim_perf_domain, notify_limits, true),
	F_BOOL(struct sim_perf_domain, notify_level, true),
	F_UINT(struct sim_perf_domain, rate_limit_us, 0, 0xFFFFF, 0),
	F_DERIVED(FT_UINT, struct sim_perf_domain, sustained_freq_khz, 0, UINT32_MAX),
	F_DERIVED(FT_UINT, struct sim_perf_domain, sustained_perf, 0, UINT32_MAX),
	F_OBJECTS("levels", perf_levels, [ { "perf": 1000 } ]),
	F_DERIVED(FT_UINT, struct sim_perf_domain, level, 0, UINT32_MAX),
	F_DERIVED(FT_UINT, struct sim_perf_domain, range_min, 0, UINT32_MAX),
	F_DERIVED(FT_UINT, struct sim_perf_domain, range_max, 0, UINT32_MAX),
};

static const struct field clock_range[] = {
	ROW("min", FT_SINT, struct range, low, 1, INT64_MAX, NULL),
	ROW("max", FT_SINT, struct range, high, 1, INT64_MAX, NULL),
	ROW("step", FT_SINT, struct range, step, 0, INT64_MAX, "0"),
};

static const struct values clock_rates = {
	offsetof(struct sim_clock, rates), offsetof(struct sim_clock, num_rates),
	offsetof(struct sim_clock, is_range), sizeof(uint64_t), SIM_MAX_RATES,
	clock_range, "rate", "rates", " Hz", { "rates", "range", "rate" },
	offsetof(struct sim_clock, rate), "clock",
	"is not one of the clock's rates", "is not a rate of the range",
};

static const struct field clock_fields[] = {
	F_NAME(struct sim_clock),
	F_BOOL(struct sim_clock, notify_changed, true),
	F_BOOL(struct sim_clock, notify_requested, true),
	F_BOOL(struct sim_clock, enabled, true),
	F_LIST("rates", clock_rates, [ 100000000 ]),
	F_RANGE("range", clock_rates),
	F_DERIVED(FT_UINT, struct sim_clock, rate, 1, INT64_MAX),
	F_UINT(struct sim_clock, enable_latency_us, 0, UINT32_MAX, 0),
};

static const struct field trip_fields[] = {
	F_ENUM(struct sim_trip_point, direction, trip_directions, up),
	F_SINT(struct sim_trip_point, value, INT64_MIN, INT64_MAX, 0),
};

static const struct objects sensor_trips = {
	.arr_off = offsetof(struct sim_sensor, trips),
	.num_off = offsetof(struct sim_sensor, num_trips),
	.size = sizeof(struct sim_trip_point), .max = SIM_MAX_TRIPS,
	.fields = trip_fields, .num_fields = ARRAY_SIZE(trip_fields),
	.noun = "trip point", .nouns = "trip points",
};

static const struct field sensor_fields[] = {
	F_NAME(struct sim_sensor),
	F_UINT(struct sim_sensor, type, 0, 0xFF, 2 /* degrees C */),
	F_SINT(struct sim_sensor, scale, -16, 15, 0),
	F_BOOL(struct sim_sensor, notify_trip, true),
	F_BOOL(struct sim_sensor, notify_update, true),
	F_BOOL(struct sim_sensor, async, false),
	F_OBJECTS("trips", sensor_trips, []),
	F_SINT(struct sim_sensor, value, INT64_MIN, INT64_MAX, 0),
	F_BIT(struct sim_sensor, "enabled", config, SENSOR_CFG_ENABLE, true),
	F_BIT(struct sim_sensor, "timestamps", config, SENSOR_CFG_TSTAMP, false),
	F_UINT(struct sim_sensor, update_ms, 0, SENSOR_INTERVAL_MAX_MS, 0),
};

static const struct field reset_fields[] = {
	F_NAME(struct sim_reset_domain),
	F_BOOL(struct sim_reset_domain, notify, true),
	F_BOOL(struct sim_reset_domain, async, false),
	F_UINT(struct sim_reset_domain, latency_us, 0, UINT32_MAX, 0),
	F_BOOL(struct sim_reset_domain, asserted, false),
};

static const struct field voltage_range[] = {
	ROW("low", FT_SINT, struct range, low, INT32_MIN, INT32_MAX, NULL),
	ROW("high", FT_SINT, struct range, high, INT32_MIN, INT32_MAX, NULL),
	ROW("step", FT_SINT, struct range, step, 0, INT32_MAX, "0"),
};

static const struct values voltage_levels = {
	offsetof(struct sim_voltage_domain, levels_uv),
	offsetof(struct sim_voltage_domain, num_levels),
	offsetof(struct sim_voltage_domain, is_range), sizeof(int32_t),
	SIM_MAX_LEVELS, voltage_range, "level", "levels", " uV",
	{ "levels_uv", "range_uv", "level_uv" },
	offsetof(struct sim_voltage_domain, level_uv), "domain",
	"is not one of the domain's levels", "is not one of the domain's levels",
};

static const struct field voltage_fields[] = {
	F_NAME(struct sim_voltage_domain),
	F_BOOL(struct sim_voltage_domain, async, false),
	F_LIST("levels_uv", voltage_levels, [ 1000000 ]),
	F_RANGE("range_uv", voltage_levels),
	F_DERIVED(FT_SINT, struct sim_voltage_domain, level_uv, INT32_MIN, INT32_MAX),
	F_ENUM(struct sim_voltage_domain, config, volt_configs, on),
};

static const struct field powercap_fields[] = {
	F_NAME(struct sim_powercap_domain),
	F_BOOL(struct sim_powercap_domain, notify_cap, true),
	F_BOOL(struct sim_powercap_domain, notify_meas, true),
	F_BOOL(struct sim_powercap_domain, async_cap, false),
	F_BOOL(struct sim_powercap_domain, cap_config, true),
	F_BOOL(struct sim_powercap_domain, pai_config, false),
	F_UINT(struct sim_powercap_domain, min_pai, 0, UINT32_MAX, 1000),
	F_UINT(struct sim_powercap_domain, max_pai, 0, UINT32_MAX, 1000),
	F_UINT(struct sim_powercap_domain, pai_step, 0, UINT32_MAX, 0),
	F_UINT(struct sim_powercap_domain, min_cap, 0, UINT32_MAX, 1000),
	F_UINT(struct sim_powercap_domain, max_cap, 0, UINT32_MAX, 10000),
	F_UINT(struct sim_powercap_domain, cap_step, 0, UINT32_MAX, 100),
	F_UINT(struct sim_powercap_domain, sustainable_power, 0, UINT32_MAX, 5000),
	F_UINT(struct sim_powercap_domain, accuracy, 0, UINT32_MAX, 95),
	ROWX("parent", FT_UINT, struct sim_powercap_domain, parent_id, 0,
	     SIM_MAX_DOMAINS - 1, "null", .null = POWERCAP_ROOT),
	F_DERIVED(FT_UINT, struct sim_powercap_domain, cap, 0, UINT32_MAX),
	F_DERIVED(FT_UINT, struct sim_powercap_domain, pai, 0, UINT32_MAX),
	F_UINT(struct sim_powercap_domain, power, 0, UINT32_MAX, 0),
};

/* A protocol's domains, "<key>": [ ... ], their ids their positions. */
#define DOMAINS(key, proto, T, arr, num, flds, chk, ...)                  \
	{ offsetof(struct sim_topology, arr), offsetof(struct sim_topology, num), \
	  sizeof(T), 0, SIM_MAX_DOMAINS, flds, ARRAY_SIZE(flds), key,       \
	  "domains", .proto_id = proto, .check = chk, __VA_ARGS__ }

static const struct objects clock_list = DOMAINS("clock", SCMI_PROTOCOL_CLOCK,
	struct sim_clock, clocks, num_clocks, clock_fields, check_clock, .around = NULL);
/* "clock": the clocks alone, or the protocol's own keys around them */
static const struct field clock_proto_fields[] = {
	ROW("max_async_req", FT_UINT, struct sim_topology,
	    clock_proto.max_async_req, 0, 0xFF, "0"),
	F_OBJECTS("clocks", clock_list, []),
};

static const struct objects domains[] = {
	DOMAINS("power", SCMI_PROTOCOL_POWER, struct sim_power_domain, power,
		num_power, power_fields, NULL, .around = NULL),
	{ .size = sizeof(struct sim_system), .fields = system_fields,
	  .num_fields = ARRAY_SIZE(system_fields), .noun = "system",
	  .proto_id = SCMI_PROTOCOL_SYSTEM },
	DOMAINS("perf", SCMI_PROTOCOL_PERF, struct sim_perf_domain, perf,
		num_perf, perf_fields, check_perf, .around = NULL),
	DOMAINS("clock", SCMI_PROTOCOL_CLOCK, struct sim_clock, clocks,
		num_clocks, clock_fields, check_clock,
		.around = clock_proto_fields,
		.num_around = ARRAY_SIZE(clock_proto_fields)),
	DOMAINS("sensor", SCMI_PROTOCOL_SENSOR, struct sim_sensor, sensors,
		num_sensors, sensor_fields, check_sensor, .around = NULL),
	DOMAINS("reset", SCMI_PROTOCOL_RESET, struct sim_reset_domain, reset,
		num_reset, reset_fields, NULL, .around = NULL),
	DOMAINS("voltage", SCMI_PROTOCOL_VOLTAGE, struct sim_voltage_domain,
		voltage, num_voltage, voltage_fields, check_voltage, .around = NULL),
	DOMAINS("powercap", SCMI_PROTOCOL_POWERCAP, struct sim_powercap_domain,
		powercap, num_powercap, powercap_fields, check_powercap,
		.around = NULL),
};

/* A topology: a key per protocol offered. */
static const struct field topology_fields[] = {
	F_OBJECTS("power", domains[0], []),
	{ .key = "system", .type = FT_OBJECT,
	  .off = offsetof(struct sim_topology, system), .aux = &domains[1] },
	F_OBJECTS("perf", domains[2], []),
	F_OBJECTS("clock", domains[3], []),
	F_OBJECTS("sensor", domains[4], []),
	F_OBJECTS("reset", domains[5], []),
	F_OBJECTS("voltage", domains[6], []),
	F_OBJECTS("powercap", domains[7], []),
};

/* ---- topologies --------------------------------------------------------------- */

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
	for (size_t i = 0; i < ARRAY_SIZE(domains); i++)
		t->offered[domains[i].proto_id] = has_key(root, domains[i].noun);
	r = parse_object(&ld, root, topology_fields,
			 ARRAY_SIZE(topology_fields), t, "");
	return r ? r : check_powercap_tree(&ld, t);
}

struct json_object *topology_to_json(const struct sim_topology *t)
{
	return dump_object(topology_fields, ARRAY_SIZE(topology_fields), t, t);
}

struct json_object *topology_schema(void)
{
	return schema_of(topology_fields, ARRAY_SIZE(topology_fields));
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

/* @root, which it puts, to @f: 0, -ENOMEM or -EIO. */
static int write_json(struct json_object *root, FILE *f)
{
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

int topology_file_dump(const struct sim_topology *t, FILE *f)
{
	return write_json(topology_to_json(t), f);
}

int topology_schema_dump(FILE *f)
{
	return write_json(topology_schema(), f);
}
