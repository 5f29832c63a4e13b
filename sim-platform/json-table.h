/* SPDX-License-Identifier: MIT */
/*
 * A C struct as a JSON object, described by a table: one row (struct
 * jt_field) per key, with its type, where its value lives in the struct,
 * its range and its default (as JSON text). The same rows read an object
 * (jt_read(): unknown keys refused, every value checked, errors with the
 * place and path of the bad value, json-doc.h), set the defaults of the
 * keys left out, write the struct back (jt_write()) and describe the
 * format (jt_schema()). topology-file.c describes the topology file so.
 *
 * A key of a plain type -- a flag, an integer, a name, one of a few words
 * -- is one row (JF_BOOL() ...). A list of values or their range, and an
 * array of objects, are rows with a descriptor (struct jt_values, struct
 * jt_objects); checks across keys are the objects' check function.
 */
#ifndef SIM_JSON_TABLE_H
#define SIM_JSON_TABLE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "json-doc.h"

#define JT_PATH_SZ 160          /* a value's path: "perf[1].levels[3].perf" */
#define JT_MAX_VALUES 16        /* in a list */

enum jt_type {
	JT_BOOL,        /* bool */
	JT_UINT,        /* unsigned integer of 1, 4 or 8 bytes, in [min, max] */
	JT_SINT,        /* signed integer of 1, 4 or 8 bytes, in [min, max] */
	JT_NAME,        /* char[size]: printable ASCII, 1..size-1 characters */
	JT_ENUM,        /* uint32_t, written as one of the words of aux */
	JT_BIT,         /* a bit of a uint32_t, written as true or false */
	JT_LIST,        /* ascending values (aux: struct jt_values) */
	JT_RANGE,       /* the same values as {low, high, step} */
	JT_OBJECTS,     /* an array of objects (aux: struct jt_objects) */
	JT_OBJECT,      /* one object (aux: struct jt_objects) */
};

struct jt_word {
	const char *name;
	uint32_t value;
};

struct jt_field {
	const char *key;
	enum jt_type type;
	size_t off, size;               /* the value in its struct */
	int64_t min, max;               /* integers */
	const char *def;                /* JSON; NULL: none (set by a check) */
	int64_t null;                   /* with a default of null: what null is */
	uint32_t bit;                   /* JT_BIT */
	const void *aux;
};

/* A list of values or their range, and the value chosen among them. */
struct jt_values {
	size_t arr_off, num_off, range_off;  /* values, how many, bool: range */
	size_t size;                    /* of a value: 4 (int32_t), 8 (uint64_t) */
	unsigned int max;               /* values in a list, JT_MAX_VALUES at most */
	const struct jt_field *range;   /* a range's three keys (struct jt_range) */
	const char *noun, *nouns, *unit; /* "rate", "rates", " Hz" */
	/* jt_check_values(): the keys of the list, the range, the value */
	const char *keys[3];
	size_t value_off;
	const char *owner;              /* "a clock has rates or a range" */
	const char *not_in_list, *not_in_range;
};

struct jt_range {
	int64_t low, high, step;
};

/* What a table is read with: where the errors go. */
struct jt_ctx {
	const struct sim_json_doc *doc;
	char *err;
	size_t err_sz;
	const void *root;               /* what the whole document is read into */
};

/* An array of objects, or one object. */
struct jt_objects {
	size_t arr_off, num_off, size;  /* in the parent; each object's size */
	unsigned int min, max;          /* how many */
	const struct jt_field *fields;
	size_t num_fields;
	const char *noun, *nouns;       /* messages; "<noun><id>": a default name */
	const char *required;           /* a key each must have */
	const char *ascending;          /* a uint32_t key they ascend by */
	const struct jt_field *around;  /* or an object of these keys around them */
	size_t num_around;
	unsigned int tag;               /* the user's (topology: the protocol a key offers) */
	/* after an object's keys: defaults from others, checks across keys */
	int (*check)(struct jt_ctx *ctx, struct json_object *obj, void *item,
		     const char *path, unsigned int idx);
};

/* Rows. @d is the default, as JSON (a list or objects: without commas). */
#define JT_MEMBER_SZ(T, m) sizeof(((T *)0)->m)
#define JT_ROWX(k, ty, T, m, lo, hi, d, ...)                                   \
	{ .key = k, .type = ty, .off = offsetof(T, m),                         \
	  .size = JT_MEMBER_SZ(T, m), .min = lo, .max = hi, .def = d, __VA_ARGS__ }
#define JT_ROW(k, ty, T, m, lo, hi, d) JT_ROWX(k, ty, T, m, lo, hi, d, .aux = NULL)
#define JF_BOOL(T, m, d) JT_ROW(#m, JT_BOOL, T, m, 0, 1, #d)
#define JF_UINT(T, m, lo, hi, d) JT_ROW(#m, JT_UINT, T, m, lo, hi, #d)
#define JF_SINT(T, m, lo, hi, d) JT_ROW(#m, JT_SINT, T, m, lo, hi, #d)
#define JF_NONE(ty, T, m, lo, hi) JT_ROW(#m, ty, T, m, lo, hi, NULL)
#define JF_NAME(T) JT_ROW("name", JT_NAME, T, name, 0, 0, NULL)
#define JF_ENUM(T, m, words, d) \
	JT_ROWX(#m, JT_ENUM, T, m, 0, 0, "\"" #d "\"", .aux = words)
#define JF_BIT(T, k, m, b, d) JT_ROWX(k, JT_BIT, T, m, 0, 1, #d, .bit = b)
#define JF_LIST(k, vs, d) { .key = k, .type = JT_LIST, .def = #d, .aux = &vs }
#define JF_RANGE(k, vs) { .key = k, .type = JT_RANGE, .aux = &vs }
#define JF_OBJECTS(k, objs, d) \
	{ .key = k, .type = JT_OBJECTS, .def = #d, .aux = &objs }

/*
 * sim_json_error() at @path: -EINVAL, as a constant the compiler sees, so
 * that it knows a read that failed has not set its value.
 */
#define JT_FAIL(ctx, path, ...) \
	(sim_json_error((ctx)->doc, (path), (ctx)->err, (ctx)->err_sz,       \
			__VA_ARGS__), -EINVAL)

/*
 * The keys of the object @obj (at @path) into @item, as @fields say: 0,
 * or -EINVAL with the error in ctx->err. An unknown key is an error; keys
 * left out keep what @item had (the objects of arrays start at their
 * defaults).
 */
int jt_read(struct jt_ctx *ctx, struct json_object *obj,
	    const struct jt_field *fields, size_t n, void *item,
	    const char *path);

/* @item as an object of @fields; one key's value. NULL if out of memory. */
struct json_object *jt_write(const struct jt_field *fields, size_t n,
			     const void *item);
struct json_object *jt_write_value(const struct jt_field *f, const void *item);

/*
 * The keys of @fields, each {"type": ..., its "min", "max", "values",
 * "max_items", "default" and "keys" (of an object; "or": of the object
 * that may stand around an array)}.
 */
struct json_object *jt_schema(const struct jt_field *fields, size_t n);

/*
 * A check for struct jt_values: a list or a range, not both; the value
 * chosen, by default the first, and one of them.
 */
int jt_check_values(struct jt_ctx *ctx, struct json_object *obj, void *item,
		    const char *path, const struct jt_values *vs);

/* @path followed by what @fmt says, in @buf of JT_PATH_SZ bytes (cut short). */
const char *jt_path(char *buf, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Whether @obj has @key (null or not). */
bool jt_has(struct json_object *obj, const char *key);

#endif /* SIM_JSON_TABLE_H */
