/* SPDX-License-Identifier: MIT */
/*
 * JSON text to json-c objects, for topology and scenario files: a strict
 * RFC 8259 parser in place of json-c's tokener, which does not survive an
 * allocation failure (json-c 0.16 adds an object member under a key whose
 * strdup() failed: strlen(NULL)), and which lets by what is not JSON
 * (single quotes, NaN, "1.", raw control characters, lone surrogates,
 * integers it clamps, a key twice).
 *
 * Every allocation is checked: out of memory is -ENOMEM with nothing
 * left allocated. Object keys are not copied by json-c
 * (JSON_C_OBJECT_ADD_CONSTANT_KEY): they live, decoded, in one buffer
 * that the caller frees after the tree (json-c cannot add a member
 * without leaking its copy of the key when the object's table cannot
 * grow).
 *
 * Values are what json-c's tokener makes of them: an integer is an int64
 * (a uint64 above INT64_MAX), a number with a fraction or an exponent a
 * double, null a NULL object.
 *
 * The same descent, building nothing, finds where a value named by its
 * path is in the text (sim_json_find()), for messages that give a line.
 */
#ifndef SIM_JSON_PARSE_H
#define SIM_JSON_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#define SIM_JSON_MAX_DEPTH 32     /* arrays and objects within each other */

/* Why a text was refused. */
struct sim_json_fault {
	size_t off;           /* where in the text */
	bool syntax;          /* a syntax error; else a value's, at @path */
	char path[160];       /* of the object or value: "a[1].b", "" the root */
	char what[192];
};

/*
 * Parse @len bytes of @text (NUL-terminated at @len, with no NUL before)
 * into *@root, its keys in *@keys (free() it after json_object_put() of
 * the root). 0; -EINVAL with *@fault set; or -ENOMEM. On error nothing
 * is left to free.
 */
int sim_json_build(const char *text, size_t len, struct json_object **root,
		   char **keys, struct sim_json_fault *fault);

/*
 * Where the value at @path ("a[1].b", "[3].steps[0]"; "" the root; keys
 * whole and decoded, whatever they hold, as in sim_json_fault.path)
 * starts in @len bytes of @text, which sim_json_build() accepted: 0 with
 * its offset in *@off, or -ENOENT. No allocation: a value below a key of
 * 255 bytes or more, or at a path longer than sim_json_fault.path holds,
 * is not found.
 */
int sim_json_find(const char *text, size_t len, const char *path,
		  size_t *off);

#endif /* SIM_JSON_PARSE_H */
