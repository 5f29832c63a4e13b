/* SPDX-License-Identifier: MIT */
/*
 * Topology files: the simulated platform as JSON (read and written with
 * json-c, through json-doc.h).
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
 *                 protocol's own keys around its array)
 *     "sensor":   [ { "value": 45000, "trips": [ { "value": 70000 } ] } ],
 *     "reset":    [ {} ],
 *     "voltage":  [ { "levels_uv": [ 900000 ] } ],
 *     "powercap": [ {} ]
 *   }
 *
 * Ids are the array positions. Every key of an object may be left out
 * (its default, see topology-file.c and scmi-sim(1)); a key the format
 * does not know is an error, to catch typos. `scmi-sim --dump-topology`
 * writes every key, so that what it writes reads back the same;
 * `scmi-sim --topology-schema` describes every key.
 *
 * Errors name the file, the place and the problem, as
 * "FILE:LINE:COL: PATH: problem", PATH as in perf[1].levels[3].perf
 * (json-doc.h).
 */
#ifndef SIM_TOPOLOGY_FILE_H
#define SIM_TOPOLOGY_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "json-doc.h"
#include "topology.h"

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

/*
 * The format itself, from the table that reads and writes it: for each
 * key, its type ("boolean", "integer", "name", "enum", "list", "range",
 * "array", "object"), its range ("min", "max"; "max_items"), its words
 * ("values"), its default ("default", absent when it follows from other
 * keys), and the keys of an object ("keys"; "or": the keys of the object
 * that may stand around an array). NULL when out of memory.
 */
struct json_object *topology_schema(void);
/* topology_schema() written to @f, indented. 0 or a negative errno. */
int topology_schema_dump(FILE *f);

#endif /* SIM_TOPOLOGY_FILE_H */
