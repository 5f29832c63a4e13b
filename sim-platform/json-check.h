/* SPDX-License-Identifier: MIT */
/*
 * Strict JSON for topology and scenario files: what json-c lets by.
 *
 * json-c 0.16, even with JSON_TOKENER_STRICT (and VALIDATE_UTF8), takes
 * strings in single quotes, NaN and Infinity, "1.", raw control
 * characters in strings and lone UTF-16 surrogates; it clamps integers
 * out of range (setting errno to ERANGE, with no error) and keeps the
 * last of two equal keys, escaped or not ("n\u0061me" is "name"). A walk
 * over the text json-c has accepted refuses each of these, naming the
 * place, so that a file means what RFC 8259 says it means.
 */
#ifndef SIM_JSON_CHECK_H
#define SIM_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Check @len bytes of @text, which json-c parsed: 0, or -EINVAL with
 * "NAME:LINE:COL: syntax error: ..." or "NAME:LINE:COL: PATH: ..."
 * (a key twice, an integer out of range) in @err; -ENOMEM.
 */
int sim_json_check(const char *name, const char *text, size_t len, char *err,
		   size_t err_sz);

/*
 * The @raw_len bytes between a string's double quotes, with its escapes
 * decoded (UTF-8), into @out (room for @raw_len + 1 bytes: never longer),
 * NUL-terminated. Its length, or -1 if @raw is not a valid JSON string.
 */
long sim_json_unescape(const char *raw, size_t raw_len, char *out);

/*
 * Where the value at @path ("a[1].b", "[3].steps[0]"; "" the root; keys
 * as decoded) starts in @len bytes of @text, which sim_json_check()
 * accepted: 0 with its offset in *@off, or -ENOENT.
 */
int sim_json_find(const char *text, size_t len, const char *path,
		  size_t *off);

/* The 1-based line and column of byte @off of @text. */
void sim_json_line_col(const char *text, size_t off, unsigned int *line,
		       unsigned int *col);

#endif /* SIM_JSON_CHECK_H */
