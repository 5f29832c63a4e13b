/* SPDX-License-Identifier: MIT */
/*
 * A C struct as a JSON object, by a table of its keys (see json-table.h):
 * read with every value checked and defaults for the keys left out,
 * written back, described. Errors go through json-doc.h, which names
 * the line:col and path of the bad value. A row's default is JSON text,
 * read by the strict parser (json-parse.h) as a file is: out of memory
 * there is -ENOMEM, as anywhere in a load.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-parse.h"
#include "json-table.h"

/* ---- reading ------------------------------------------------------------- */

const char *jt_path(char *buf, const char *path, const char *fmt, ...)
{
	size_t n = strnlen(path, JT_PATH_SZ - 1);
	va_list ap;

	memmove(buf, path, n);
	va_start(ap, fmt);
	vsnprintf(buf + n, JT_PATH_SZ - n, fmt, ap);
	va_end(ap);
	return buf;
}

/* An integer of @size bytes (1, 4 or 8; of 8, at most INT64_MAX) at @p. */
static void put_int(void *p, size_t size, int64_t v)
{
	switch (size) {
	case 1: *(uint8_t *)p = (uint8_t)v; break;
	case 4: *(uint32_t *)p = (uint32_t)v; break;
	default: *(uint64_t *)p = (uint64_t)v; break;
	}
}

static int64_t load_int(const void *p, size_t size, bool sign)
{
	switch (size) {
	case 1: return sign ? *(const int8_t *)p : (int64_t)*(const uint8_t *)p;
	case 4: return sign ? *(const int32_t *)p : (int64_t)*(const uint32_t *)p;
	default: return *(const int64_t *)p;
	}
}

bool jt_has(struct json_object *obj, const char *key)
{
	return json_object_object_get_ex(obj, key, NULL);
}

/* An integer whose default is null, which stands for f->null. */
static bool nullable(const struct jt_field *f)
{
	return f->def && !strcmp(f->def, "null");
}

/* An integer in [min, max] at @path. */
static int get_int(struct jt_ctx *ctx, struct json_object *v, const char *path,
		   int64_t min, int64_t max, int64_t *out)
{
	int64_t x;

	if (!json_object_is_type(v, json_type_int))
		return JT_FAIL(ctx, path, "expected an integer, not %s",
			       sim_json_kind(v));
	x = json_object_get_int64(v);
	if ((x == INT64_MAX && json_object_get_uint64(v) > INT64_MAX) ||
	    x < min || x > max)
		return JT_FAIL(ctx, path, "%s is out of range (%" PRId64 "..%" PRId64 ")",
			       json_object_to_json_string(v), min, max);
	*out = x;
	return 0;
}

static int get_bool(struct jt_ctx *ctx, struct json_object *v, const char *path,
		    bool *out)
{
	if (!json_object_is_type(v, json_type_boolean))
		return JT_FAIL(ctx, path, "expected true or false, not %s",
			       sim_json_kind(v));
	*out = json_object_get_boolean(v);
	return 0;
}

/* The elements of array @v at @path: @min..@max of them, else an error. */
static int get_array(struct jt_ctx *ctx, struct json_object *v,
		     const char *path, size_t min, size_t max, const char *what,
		     size_t *n)
{
	if (!json_object_is_type(v, json_type_array))
		return JT_FAIL(ctx, path, "expected an array, not %s",
			       sim_json_kind(v));
	*n = json_object_array_length(v);
	if (*n > max)
		return JT_FAIL(ctx, path, "too many %s: %zu (at most %zu)", what, *n,
			       max);
	if (*n < min)
		return JT_FAIL(ctx, path, "at least %zu %s needed", min, what);
	return 0;
}

static int get_name(struct jt_ctx *ctx, struct json_object *v,
		    const char *path, char *out, size_t size)
{
	const char *s;
	size_t n;

	if (!json_object_is_type(v, json_type_string))
		return JT_FAIL(ctx, path, "expected a string, not %s",
			       sim_json_kind(v));
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (n == 0 || n >= size)
		return JT_FAIL(ctx, path, "a name has 1 to %zu characters, not %zu",
			       size - 1, n);
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7E)
			return JT_FAIL(ctx, path,
				       "a name is printable ASCII (character %zu is not)",
				       i + 1);
	/* the whole buffer: what a default name left there goes */
	memcpy(out, s, n);
	memset(out + n, 0, size - n);
	return 0;
}

static int get_word(struct jt_ctx *ctx, struct json_object *v,
		    const char *path, const struct jt_word *words, uint32_t *out)
{
	bool str = json_object_is_type(v, json_type_string);
	char list[128];
	size_t used = 0;

	for (const struct jt_word *w = words; str && w->name; w++) {
		if (!strcmp(w->name, json_object_get_string(v))) {
			*out = w->value;
			return 0;
		}
	}
	list[0] = '\0';
	for (const struct jt_word *w = words; w->name; w++)
		used += (size_t)snprintf(list + used,
					 used < sizeof(list) ? sizeof(list) - used : 0,
					 "%s\"%s\"", w == words ? "" : ", ", w->name);
	return JT_FAIL(ctx, path, "expected one of %s, not %s", list,
		       str ? json_object_to_json_string(v) : sim_json_kind(v));
}

static int set_defaults(struct jt_ctx *ctx, const struct jt_field *fields,
			size_t n, void *item, const char *noun, unsigned int idx,
			const char *path);

static int parse_values(struct jt_ctx *ctx, struct json_object *v, char *item,
			const char *path, const struct jt_values *vs, bool range)
{
	struct jt_range rg = { 0, 0, 0 };
	char sub[JT_PATH_SZ];
	int64_t x[JT_MAX_VALUES];
	size_t n = 3;
	int r;

	assert(vs->max <= JT_MAX_VALUES);
	if (!range) {
		r = get_array(ctx, v, path, 1, vs->max, vs->nouns, &n);
		for (size_t i = 0; !r && i < n; i++) {
			r = get_int(ctx, json_object_array_get_idx(v, i),
				    jt_path(sub, path, "[%zu]", i), vs->range[0].min,
				    vs->range[0].max, &x[i]);
			if (!r && i && x[i] <= x[i - 1])
				return JT_FAIL(ctx, sub,
					       "%" PRId64 "%s is not above the %s before it: %s ascend",
					       x[i], vs->unit, vs->noun, vs->nouns);
		}
	} else {
		r = jt_read(ctx, v, vs->range, 3, &rg, path);
		if (!r && (!jt_has(v, vs->range[0].key) ||
			   !jt_has(v, vs->range[1].key)))
			return JT_FAIL(ctx, path, "a range needs \"%s\" and \"%s\"",
				       vs->range[0].key, vs->range[1].key);
		if (!r && rg.high < rg.low)
			return JT_FAIL(ctx, jt_path(sub, path, ".%s", vs->range[1].key),
				       "%" PRId64 " is below %s (%" PRId64 ")",
				       rg.high, vs->range[0].key, rg.low);
		if (!r && rg.high > rg.low && !rg.step)
			return JT_FAIL(ctx, jt_path(sub, path, ".%s", vs->range[2].key),
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

static int parse_objects(struct jt_ctx *ctx, struct json_object *v,
			 char *item, const char *path, const struct jt_objects *o)
{
	char *base = item + o->arr_off, sub[JT_PATH_SZ], key[JT_PATH_SZ];
	size_t n;
	int r;

	if (o->around && json_object_is_type(v, json_type_object))
		return jt_read(ctx, v, o->around, o->num_around, item, path);
	r = get_array(ctx, v, path, o->min, o->max, o->nouns, &n);
	if (r)
		return r;
	memset(base, 0, o->max * o->size);
	*(unsigned int *)(item + o->num_off) = (unsigned int)n;
	for (size_t i = 0; i < n; i++) {
		struct json_object *obj = json_object_array_get_idx(v, i);
		char *elem = base + i * o->size;
		const struct jt_field *f = o->fields;

		jt_path(sub, path, "[%zu]", i);
		r = set_defaults(ctx, o->fields, o->num_fields, elem, o->noun,
				 (unsigned int)i, sub);
		if (!r)
			r = jt_read(ctx, obj, o->fields, o->num_fields, elem, sub);
		if (r)
			return r;
		if (o->required && !jt_has(obj, o->required))
			return JT_FAIL(ctx, sub, "a %s needs its \"%s\" value", o->noun,
				       o->required);
		while (o->ascending && strcmp(f->key, o->ascending))
			f++;
		if (o->ascending && i && *(uint32_t *)(elem + f->off) <=
					 *(uint32_t *)(elem - o->size + f->off))
			return JT_FAIL(ctx, jt_path(key, sub, ".%s", f->key),
				       "%u is not above the %s before it (%u): %s ascend",
				       *(uint32_t *)(elem + f->off), o->noun,
				       *(uint32_t *)(elem - o->size + f->off), o->nouns);
		r = o->check ? o->check(ctx, obj, elem, sub, (unsigned int)i) : 0;
		if (r)
			return r;
	}
	return 0;
}

static int parse_field(struct jt_ctx *ctx, const struct jt_field *f,
		       struct json_object *v, void *item, const char *path)
{
	const struct jt_objects *o = f->aux;
	char *p = (char *)item + f->off;
	int64_t x;
	bool on;
	int r;

	switch (f->type) {
	case JT_BOOL:
		return get_bool(ctx, v, path, (bool *)p);
	case JT_UINT:
	case JT_SINT:
		x = f->null;
		r = nullable(f) && !v ? 0 : get_int(ctx, v, path, f->min, f->max, &x);
		if (!r)
			put_int(p, f->size, x);
		return r;
	case JT_NAME:
		return get_name(ctx, v, path, p, f->size);
	case JT_ENUM:
		return get_word(ctx, v, path, f->aux, (uint32_t *)p);
	case JT_BIT:
		r = get_bool(ctx, v, path, &on);
		if (!r)
			*(uint32_t *)p = on ? *(uint32_t *)p | f->bit :
					      *(uint32_t *)p & ~f->bit;
		return r;
	case JT_LIST:
	case JT_RANGE:
		return parse_values(ctx, v, item, path, f->aux, f->type == JT_RANGE);
	case JT_OBJECTS:
		return parse_objects(ctx, v, item, path, o);
	case JT_OBJECT:
		r = set_defaults(ctx, o->fields, o->num_fields, p, o->noun, 0,
				 path);
		if (!r)
			r = jt_read(ctx, v, o->fields, o->num_fields, p, path);
		return r ? r : o->check ? o->check(ctx, v, p, path, 0) : 0;
	}
	return -EINVAL;
}

int jt_read(struct jt_ctx *ctx, struct json_object *obj,
	    const struct jt_field *fields, size_t n, void *item,
	    const char *path)
{
	const char *dot = path[0] ? "." : "";
	char sub[JT_PATH_SZ], list[512] = "";
	size_t i, used = 0;
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return JT_FAIL(ctx, path, "expected an object, not %s",
			       sim_json_kind(obj));
	json_object_object_foreach(obj, key, val) {
		(void)val;
		for (i = 0; i < n && strcmp(fields[i].key, key); i++)
			;
		for (size_t k = 0; i == n && k < n && used < sizeof(list); k++)
			used += (size_t)snprintf(list + used, sizeof(list) - used,
						 "%s%s", k ? ", " : "", fields[k].key);
		if (i == n)
			return JT_FAIL(ctx, jt_path(sub, path, "%s%s", dot, key),
				       "unknown key (expected %s)", list);
	}
	for (i = 0; i < n; i++) {
		struct json_object *v;

		if (!json_object_object_get_ex(obj, fields[i].key, &v))
			continue;
		r = parse_field(ctx, &fields[i], v, item,
				jt_path(sub, path, "%s%s", dot, fields[i].key));
		if (r)
			return r;
	}
	return 0;
}

/*
 * The default of row @f, parsed: 0 with the value in *@v (NULL: null) and
 * its keys in *@keys (free them after putting *@v), or -ENOMEM. A default
 * that is not JSON is a bug of the table.
 */
static int parse_default(const struct jt_field *f, struct json_object **v,
			 char **keys)
{
	struct sim_json_fault fault;
	int r = sim_json_build(f->def, strlen(f->def), v, keys, &fault);

	assert(r != -EINVAL);
	return r;
}

/*
 * Every key of @item (the object at @path) at its default, read as a
 * file's value is; a name "<noun><idx>". 0, or -ENOMEM with "out of
 * memory" at @path in ctx->err. A default the row cannot read is a bug of
 * the table.
 */
static int set_defaults(struct jt_ctx *ctx, const struct jt_field *fields,
			size_t n, void *item, const char *noun, unsigned int idx,
			const char *path)
{
	static const struct sim_json_doc doc = { .name = "(a default)" };
	char err[256];
	struct jt_ctx dctx = { .doc = &doc, .err = err, .err_sz = sizeof(err) };

	for (const struct jt_field *f = fields; f < fields + n; f++) {
		struct json_object *v = NULL;
		char *keys = NULL;
		int r = 0;

		if (f->type == JT_NAME) {
			memset((char *)item + f->off, 0, f->size);
			snprintf((char *)item + f->off, f->size, "%s%u", noun, idx);
		} else if (f->def) {
			r = parse_default(f, &v, &keys);
			if (!r)
				r = parse_field(&dctx, f, v, item, f->key);
		}
		json_object_put(v);
		free(keys);
		if (r == -ENOMEM) {
			sim_json_error(ctx->doc, path, ctx->err, ctx->err_sz,
				       "out of memory");
			return r;
		}
		assert(!r);
	}
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

/* 1 with *out set (NULL: null), 0 to leave the key out, -ENOMEM. */
static int write_field(const struct jt_field *f, const char *item,
		       struct json_object **out)
{
	const char *p = item + f->off;
	const struct jt_objects *o = f->aux;
	const struct jt_values *vs = f->aux;
	unsigned int n;
	int64_t x;

	switch (f->type) {
	case JT_BOOL:
		*out = json_object_new_boolean(*(const bool *)p);
		return 1;
	case JT_UINT:
	case JT_SINT:
		x = load_int(p, f->size, f->type == JT_SINT);
		*out = nullable(f) && x == f->null ? NULL :
		       f->type == JT_UINT ? json_object_new_uint64((uint64_t)x) :
					    json_object_new_int64(x);
		return 1;
	case JT_NAME:
		*out = json_object_new_string(p);
		return 1;
	case JT_ENUM:
		for (const struct jt_word *w = f->aux; w->name; w++) {
			if (w->value == *(const uint32_t *)p) {
				*out = json_object_new_string(w->name);
				return 1;
			}
		}
		*out = json_object_new_uint64(*(const uint32_t *)p);
		return 1;
	case JT_BIT:
		*out = json_object_new_boolean(*(const uint32_t *)p & f->bit);
		return 1;
	case JT_LIST:
	case JT_RANGE:
		if (*(const bool *)(item + vs->range_off) != (f->type == JT_RANGE))
			return 0;
		if (f->type == JT_RANGE) {
			struct jt_range rg = {
				load_int(item + vs->arr_off, vs->size, true),
				load_int(item + vs->arr_off + vs->size, vs->size, true),
				load_int(item + vs->arr_off + 2 * vs->size, vs->size, true),
			};

			*out = jt_write(vs->range, 3, &rg);
			return 1;
		}
		*out = json_object_new_array();
		n = *(const unsigned int *)(item + vs->num_off);
		for (unsigned int i = 0; *out && i < n; i++)
			json_object_array_add(*out, json_object_new_int64(load_int(
				item + vs->arr_off + i * vs->size, vs->size, true)));
		return 1;
	case JT_OBJECTS:
	case JT_OBJECT:
		if (f->type == JT_OBJECT || o->around) {
			*out = f->type == JT_OBJECT ?
				jt_write(o->fields, o->num_fields, p) :
				jt_write(o->around, o->num_around, item);
			return 1;
		}
		*out = json_object_new_array();
		n = *(const unsigned int *)(item + o->num_off);
		for (unsigned int i = 0; *out && i < n; i++) {
			struct json_object *e = jt_write(o->fields, o->num_fields,
				item + o->arr_off + i * o->size);

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

struct json_object *jt_write(const struct jt_field *fields, size_t n,
			     const void *item)
{
	struct json_object *obj = json_object_new_object();

	for (size_t i = 0; obj && i < n; i++) {
		struct json_object *v = NULL;
		int r = write_field(&fields[i], item, &v);

		if (r < 0 || (r && json_object_object_add(obj, fields[i].key, v))) {
			json_object_put(v);
			json_object_put(obj);
			return NULL;
		}
	}
	return obj;
}

struct json_object *jt_write_value(const struct jt_field *f, const void *item)
{
	struct json_object *v = NULL;

	return write_field(f, item, &v) > 0 ? v : NULL;
}

/* A row's default as a value of its own (keys copied); NULL: null, or none. */
static struct json_object *schema_default(const struct jt_field *f)
{
	struct json_object *v, *copy = NULL;
	char *keys;

	if (parse_default(f, &v, &keys))
		return NULL;
	if (v && json_object_deep_copy(v, &copy, NULL))
		copy = NULL;
	json_object_put(v);
	free(keys);
	return copy;
}

struct json_object *jt_schema(const struct jt_field *fields, size_t n)
{
	static const char *const types[] = {
		"boolean", "integer", "integer", "name", "enum", "boolean",
		"list", "range", "array", "object",
	};
	struct json_object *all = json_object_new_object();

	for (const struct jt_field *f = fields; all && f < fields + n; f++) {
		const struct jt_objects *o = f->aux;
		const struct jt_values *vs = f->aux;
		struct json_object *k = json_object_new_object(), *a;

		json_object_object_add(all, f->key, k);
		json_object_object_add(k, "type", json_object_new_string(types[f->type]));
		if (f->type == JT_UINT || f->type == JT_SINT) {
			json_object_object_add(k, "min", json_object_new_int64(f->min));
			json_object_object_add(k, "max", json_object_new_int64(f->max));
		} else if (f->type == JT_ENUM) {
			a = json_object_new_array();
			for (const struct jt_word *w = f->aux; a && w->name; w++)
				json_object_array_add(a, json_object_new_string(w->name));
			json_object_object_add(k, "values", a);
		} else if (f->type == JT_LIST || f->type == JT_OBJECTS) {
			bool l = f->type == JT_LIST;

			json_object_object_add(k, "min_items",
					       json_object_new_int(l ? 1 : (int)o->min));
			json_object_object_add(k, "max_items",
					       json_object_new_int(l ? (int)vs->max : (int)o->max));
		}
		if (f->type == JT_RANGE)
			json_object_object_add(k, "keys", jt_schema(vs->range, 3));
		if ((f->type == JT_OBJECTS || f->type == JT_OBJECT) && o->around)
			json_object_object_add(k, "or", jt_schema(o->around,
								  o->num_around));
		if (f->type == JT_OBJECTS || f->type == JT_OBJECT)
			json_object_object_add(k, "keys", jt_schema(o->fields,
								    o->num_fields));
		if (f->def)
			json_object_object_add(k, "default", schema_default(f));
	}
	return all;
}

/* ---- checks ---------------------------------------------------------------- */

int jt_check_values(struct jt_ctx *ctx, struct json_object *obj, void *it,
		    const char *path, const struct jt_values *vs)
{
	char *item = it, *arr = item + vs->arr_off, *value = item + vs->value_off;
	bool list = jt_has(obj, vs->keys[0]), range = jt_has(obj, vs->keys[1]);
	bool is_range = *(bool *)(item + vs->range_off), ok = false;
	unsigned int n = *(unsigned int *)(item + vs->num_off);
	char sub[JT_PATH_SZ];
	int64_t v, low, step;

	if (list && range)
		return JT_FAIL(ctx, jt_path(sub, path, ".%s", vs->keys[1]),
			       "a %s has \"%s\" or a \"%s\", not both", vs->owner,
			       vs->keys[0], vs->keys[1]);
	if (!list && !range && jt_has(obj, vs->keys[2])) {
		memcpy(arr, value, vs->size);    /* a fixed value: the one given */
		*(unsigned int *)(item + vs->num_off) = n = 1;
	}
	if (!jt_has(obj, vs->keys[2]))
		memcpy(value, arr, vs->size);
	v = load_int(value, vs->size, true);
	low = load_int(arr, vs->size, true);
	step = load_int(arr + 2 * vs->size, vs->size, true);
	if (is_range)
		ok = v >= low && v <= load_int(arr + vs->size, vs->size, true) &&
		     (step ? (v - low) % step == 0 : v == low);
	for (unsigned int i = 0; !is_range && i < n; i++)
		ok |= load_int(arr + i * vs->size, vs->size, true) == v;
	if (!ok)
		return JT_FAIL(ctx, jt_path(sub, path, ".%s", vs->keys[2]),
			       "%" PRId64 "%s %s", v, vs->unit,
			       is_range ? vs->not_in_range : vs->not_in_list);
	return 0;
}
