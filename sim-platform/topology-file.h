/* SPDX-License-Identifier: MIT */
/*
 * Topology files: the simulated platform as JSON (read and written with
 * json-c), and the JSON helpers that scenario files share with them.
 *
 * A topology file is one object with a key per protocol the platform
 * offers; a protocol without its key is not offered (Base always is):
 *
 *   {
 *     "power":    [ { "name": "gpu", "state": "off" }, ... ],
 *     "system":   { "suspend": true },
 *     "perf":     [ { "levels": [ { "perf": 600 }, { "perf": 1200 } ] } ],
 *     "clock":    [ { "rates": [ 24000000 ] }, { "range": { ... } } ],
 *                 (or { "max_async_req": 4, "clocks": [ ... ] }: a
 *                 protocol's own keys around its array, see struct kind)
 *     "sensor":   [ { "value": 45000, "trips": [ { "value": 70000 } ] } ],
 *     "reset":    [ {} ],
 *     "voltage":  [ { "levels_uv": [ 900000 ] } ],
 *     "powercap": [ {} ]
 *   }
 *
 * Ids are the array positions. Every key of an object may be left out
 * (its default, see topology-file.c and scmi-sim(1)); a key the format
 * does not know is an error, to catch typos. `scmi-sim --dump-topology`
 * writes every key, so that what it writes reads back the same.
 *
 * Errors name the file, the place and the problem, as
 * "FILE:LINE:COL: PATH: problem", PATH as in perf[1].levels[3].perf.
 * json-c gives the offset of a syntax error; the line of any other place
 * is found by walking the text along its path (sim_json_where()).
 */
#ifndef SIM_TOPOLOGY_FILE_H
#define SIM_TOPOLOGY_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "topology.h"

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
 * Where the value at @path ("a[1].b", "[3].steps[0]"; "" the root) starts
 * in the text: 1-based line and column. false if it cannot be found.
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

/* ---- topologies ------------------------------------------------------ */

/* Fill @t from the topology document @doc. 0, or -EINVAL with @err set. */
int topology_from_json(const struct sim_json_doc *doc, struct sim_topology *t,
		       char *err, size_t err_sz);

/* @t as a topology document (every key written); NULL when out of memory. */
struct json_object *topology_to_json(const struct sim_topology *t);

/*
 * Load the file @path into the running topology (sim_topo()). 0, or a
 * negative errno with the message in @err; the running topology is then
 * unchanged.
 */
int topology_file_load(const char *path, char *err, size_t err_sz);

/* Write @t to @f in the file format. 0 or a negative errno. */
int topology_file_dump(const struct sim_topology *t, FILE *f);

#endif /* SIM_TOPOLOGY_FILE_H */
