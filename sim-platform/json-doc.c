/* SPDX-License-Identifier: MIT */
/*
 * JSON documents (see json-doc.h): read a file and parse it as strict
 * JSON (json-parse.c), find where a value is in the text, word an error
 * with its place, and write JSON out indented. Topology and scenario
 * files both use it.
 *
 * Places in the text (line:col of a value named by its path) come from
 * json-parse.c's own descent over the text it accepted (sim_json_find()),
 * which allocates nothing: an error says where it is even out of memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "json-doc.h"
#include "json-parse.h"

#define LINE_WIDTH 78           /* short objects and arrays go on one line */

/* The 1-based line and column of byte @off of @text. */
static void line_col(const char *text, size_t off, unsigned int *line,
		     unsigned int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* ---- reading and parsing ----------------------------------------------- */

/* "NAME:LINE:COL: syntax error: WHAT", or "NAME:LINE:COL: PATH: WHAT". */
static int fault_error(const char *name, const char *text,
		       const struct sim_json_fault *f, char *err, size_t err_sz)
{
	unsigned int line, col;

	line_col(text, f->off, &line, &col);
	if (f->syntax)
		snprintf(err, err_sz, "%s:%u:%u: syntax error: %s", name, line,
			 col, f->what);
	else
		snprintf(err, err_sz, "%s:%u:%u: %s%s%s", name, line, col,
			 f->path, f->path[0] ? ": " : "", f->what);
	return -EINVAL;
}

int sim_json_parse(const char *name, const char *text, size_t len,
		   struct sim_json_doc *doc, char *err, size_t err_sz)
{
	struct sim_json_fault f = { .syntax = true };
	int r;

	memset(doc, 0, sizeof(*doc));
	doc->name = name;
	if (len > SIM_JSON_MAX_FILE) {
		snprintf(err, err_sz, "%s: larger than %d bytes", name,
			 SIM_JSON_MAX_FILE);
		return -EFBIG;
	}
	if (memchr(text, '\0', len)) {
		f.off = strlen(text);
		snprintf(f.what, sizeof(f.what), "a NUL byte in the text");
		return fault_error(name, text, &f, err, err_sz);
	}
	doc->text = malloc(len + 1);
	if (!doc->text) {
		snprintf(err, err_sz, "%s: out of memory", name);
		return -ENOMEM;
	}
	memcpy(doc->text, text, len);
	doc->text[len] = '\0';
	doc->len = len;

	r = sim_json_build(doc->text, len, &doc->root, &doc->keys, &f);
	if (r == -ENOMEM)
		snprintf(err, err_sz, "%s: out of memory", name);
	else if (r)
		fault_error(name, doc->text, &f, err, err_sz);
	if (r)
		sim_json_free(doc);
	return r;
}

int sim_json_read(const char *path, struct sim_json_doc *doc, char *err,
		  size_t err_sz)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, r;

	memset(doc, 0, sizeof(*doc));
	doc->name = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		snprintf(err, err_sz, "%s: %s", path, strerror(-r));
		return r;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nbuf;

			if (cap > SIM_JSON_MAX_FILE) {
				snprintf(err, err_sz, "%s: larger than %d bytes",
					 path, SIM_JSON_MAX_FILE);
				r = -EFBIG;
				goto out;
			}
			cap = cap ? cap * 2 : 4096;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				snprintf(err, err_sz, "%s: out of memory", path);
				r = -ENOMEM;
				goto out;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			snprintf(err, err_sz, "%s: %s", path, strerror(-r));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	r = sim_json_parse(path, buf ? buf : "", len, doc, err, err_sz);
out:
	free(buf);
	close(fd);
	return r;
}

void sim_json_free(struct sim_json_doc *doc)
{
	json_object_put(doc->root);
	free(doc->keys);
	free(doc->text);
	doc->root = NULL;
	doc->keys = NULL;
	doc->text = NULL;
	doc->len = 0;
}

/* ---- places in the text ------------------------------------------------ */

bool sim_json_where(const struct sim_json_doc *doc, const char *path,
		    unsigned int *line, unsigned int *col)
{
	size_t off;

	if (!doc->text || sim_json_find(doc->text, doc->len, path, &off) < 0)
		return false;
	line_col(doc->text, off, line, col);
	return true;
}

int sim_json_error(const struct sim_json_doc *doc, const char *path,
		   char *err, size_t err_sz, const char *fmt, ...)
{
	unsigned int line, col;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sim_json_where(doc, path, &line, &col))
		snprintf(err, err_sz, "%s:%u:%u: %s%s%s", doc->name, line, col,
			 path, path[0] ? ": " : "", msg);
	else
		snprintf(err, err_sz, "%s: %s%s%s", doc->name, path,
			 path[0] ? ": " : "", msg);
	return -EINVAL;
}

const char *sim_json_kind(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double: return "a floating-point number";
	case json_type_int: return "an integer";
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	case json_type_string: return "a string";
	}
	return "a value";
}

/* ---- writing ------------------------------------------------------------ */

#define FMT_FLAGS (JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

static bool is_container(struct json_object *v)
{
	return json_object_is_type(v, json_type_object) ||
	       json_object_is_type(v, json_type_array);
}

/* Whether @v holds only plain values (so it may go on one line). */
static bool is_flat(struct json_object *v)
{
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (is_container(json_object_array_get_idx(v, i)))
				return false;
	} else {
		json_object_object_foreach(v, key, val) {
			(void)key;
			if (is_container(val))
				return false;
		}
	}
	return true;
}

static void format(FILE *f, struct json_object *v, int indent, int col)
{
	const char *one = json_object_to_json_string_ext(v, FMT_FLAGS);
	bool array;
	size_t n = 0;

	array = json_object_is_type(v, json_type_array);
	if (is_container(v) && (array ? json_object_array_length(v) == 0 :
					json_object_object_length(v) == 0)) {
		fputs(array ? "[]" : "{}", f);
		return;
	}
	if (!is_container(v) ||
	    (is_flat(v) && col + (int)strlen(one) <= LINE_WIDTH)) {
		fputs(one, f);
		return;
	}
	fputs(array ? "[\n" : "{\n", f);
	if (array) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			fprintf(f, "%s%*s", i ? ",\n" : "", indent + 2, "");
			format(f, json_object_array_get_idx(v, i), indent + 2,
			       indent + 2);
		}
	} else {
		json_object_object_foreach(v, key, val) {
			struct json_object *k = json_object_new_string(key);
			const char *ks = json_object_to_json_string_ext(k,
								FMT_FLAGS);

			fprintf(f, "%s%*s%s: ", n++ ? ",\n" : "", indent + 2, "",
				ks);
			format(f, val, indent + 2, indent + 4 + (int)strlen(ks));
			json_object_put(k);
		}
	}
	fprintf(f, "\n%*s%c", indent, "", array ? ']' : '}');
}

char *sim_json_format(struct json_object *v)
{
	char *buf = NULL;
	size_t sz = 0;
	FILE *f = open_memstream(&buf, &sz);

	if (!f)
		return NULL;
	format(f, v, 0, 0);
	fputc('\n', f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
