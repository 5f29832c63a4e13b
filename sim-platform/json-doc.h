/* SPDX-License-Identifier: MIT */
/*
 * JSON documents, as topology and scenario files are: strict JSON
 * (RFC 8259, no key twice), parsed by json-parse.c into json-c objects,
 * whose errors name the file, the place and the problem, as
 * "FILE:LINE:COL: PATH: problem", PATH as in perf[1].levels[3].perf.
 * The parser gives the offset of what it refuses; the line of any other
 * place is found by walking the text to its path (sim_json_where()).
 */
#ifndef SIM_JSON_DOC_H
#define SIM_JSON_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#define SIM_JSON_MAX_FILE (1024 * 1024)   /* bytes of a topology or scenario */

/* A JSON document and its text, for messages that name places in it. */
struct sim_json_doc {
	const char *name;             /* the file name, as given */
	char *text;                   /* NUL-terminated */
	size_t len;
	struct json_object *root;     /* owned */
	char *keys;                   /* the keys of root's objects (json-parse.h) */
};

/*
 * Read @path and parse it as strict JSON (RFC 8259: no comments, no
 * trailing commas), with no duplicate keys. 0, or -errno with the reason
 * ("FILE:LINE:COL: syntax error: ...", "FILE: out of memory") in @err;
 * @doc is then empty.
 */
int sim_json_read(const char *path, struct sim_json_doc *doc, char *err,
		  size_t err_sz);
/* The same for @len bytes of @text, named @name in messages. */
int sim_json_parse(const char *name, const char *text, size_t len,
		   struct sim_json_doc *doc, char *err, size_t err_sz);
void sim_json_free(struct sim_json_doc *doc);

/*
 * Where the value at @path ("a[1].b", "[3].steps[0]"; "" the root; keys
 * as decoded, whatever they hold) starts in the text: 1-based line and
 * column. false if it cannot be found.
 */
bool sim_json_where(const struct sim_json_doc *doc, const char *path,
		    unsigned int *line, unsigned int *col);

/*
 * Write "FILE:LINE:COL: PATH: <fmt...>" (or "FILE: PATH: ..." when the
 * place is not found) into @err. Returns -EINVAL, for `return` chaining.
 */
int sim_json_error(const struct sim_json_doc *doc, const char *path,
		   char *err, size_t err_sz, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* "an integer", "a string", ...: the kind of @v, for messages. */
const char *sim_json_kind(struct json_object *v);

/*
 * @v as indented JSON text, objects and arrays of plain values on one
 * line when short: a malloc'd string, or NULL when out of memory.
 */
char *sim_json_format(struct json_object *v);

#endif /* SIM_JSON_DOC_H */
