/* SPDX-License-Identifier: MIT */
/*
 * The strict JSON check of topology and scenario files (json-check.h):
 * a recursive walk over text json-c accepted, defensive all the same
 * (every step checks its bounds). Each object's keys, decoded, go into a
 * json-c object used as a set, so a key twice is found however it is
 * written and however many keys the object has. The same walk, told a
 * path, stops at the value there: where a value is in the text.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json-check.h"

#define PATH_SZ 160
#define MAX_DEPTH 64            /* json-c stops at 32 already */
#define SHOWN 40                /* bytes of a key or number in a message */

struct jc {
	const char *name;
	const char *s;
	size_t len, pos;
	char *err;
	size_t err_sz;
	char path[PATH_SZ];     /* of the value being checked: "a[1].b" */
	const char *target;     /* sim_json_find(): the path looked for */
};

#define FOUND 1                 /* check_value() at the target: pos is there */

void sim_json_line_col(const char *text, size_t off, unsigned int *line,
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

/*
 * The error at offset @off: "NAME:LINE:COL: syntax error: ..." when
 * @syntax, else "NAME:LINE:COL: PATH: ...". -EINVAL.
 */
static int fail(struct jc *c, size_t off, bool syntax, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct jc *c, size_t off, bool syntax, const char *fmt, ...)
{
	unsigned int line, col;
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sim_json_line_col(c->s, off, &line, &col);
	if (syntax)
		snprintf(c->err, c->err_sz, "%s:%u:%u: syntax error: %s", c->name,
			 line, col, msg);
	else
		snprintf(c->err, c->err_sz, "%s:%u:%u: %s%s%s", c->name, line,
			 col, c->path, c->path[0] ? ": " : "", msg);
	return -EINVAL;
}

/* @n bytes of @p for a message: at most SHOWN, control bytes as '?'. */
static void shown(char out[SHOWN + 1], const char *p, size_t n)
{
	if (n > SHOWN)
		n = SHOWN;
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)p[i] < 0x20 || p[i] == 0x7f ? '?' : p[i];
	out[n] = '\0';
}

static void skip_ws(struct jc *c)
{
	while (c->pos < c->len && c->s[c->pos] &&
	       strchr(" \t\r\n", c->s[c->pos]))
		c->pos++;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Where a number or a literal must end. */
static bool is_delim(const struct jc *c, size_t p)
{
	return p >= c->len || (c->s[p] && strchr(" \t\r\n,]}", c->s[p]));
}

/* ---- strings ------------------------------------------------------------ */

/* Four hex digits at @p (of @n bytes): their value, or -1. */
static long hex4(const char *p, size_t n)
{
	long v = 0;

	if (n < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char h = p[i];
		int d = is_digit(h) ? h - '0' :
			h >= 'a' && h <= 'f' ? h - 'a' + 10 :
			h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* @cp as UTF-8 at @out (if not NULL); its length. */
static size_t put_utf8(char *out, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (out)
		memcpy(out, b, n);
	return n;
}

/*
 * Decode a string's @n raw bytes into @out (may be NULL: check only). Its
 * decoded length, or -1 with the offset of the fault in *@bad and what
 * it is in *@why.
 */
static long decode(const char *r, size_t n, char *out, size_t *bad,
		   const char **why)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t i = 0, o = 0;

	while (i < n) {
		unsigned char b = (unsigned char)r[i];
		const char *e;
		long cp, lo;

		if (b < 0x20) {
			*bad = i;
			*why = "a control character in a string (escape it)";
			return -1;
		}
		if (b != '\\') {
			if (out)
				out[o] = (char)b;
			o++;
			i++;
			continue;
		}
		*bad = i;
		*why = "a bad escape in a string";
		if (i + 1 >= n || !r[i + 1])
			return -1;
		e = strchr(from, r[i + 1]);
		if (e) {
			if (out)
				out[o] = to[e - from];
			o++;
			i += 2;
			continue;
		}
		if (r[i + 1] != 'u' || (cp = hex4(r + i + 2, n - i - 2)) < 0)
			return -1;
		i += 6;
		if (cp >= 0xD800 && cp <= 0xDFFF) {
			/* a high surrogate, then a low one: one code point */
			*why = "a lone UTF-16 surrogate in a string";
			if (cp >= 0xDC00 || i + 1 >= n || r[i] != '\\' ||
			    r[i + 1] != 'u')
				return -1;
			lo = hex4(r + i + 2, n - i - 2);
			if (lo < 0xDC00 || lo > 0xDFFF)
				return -1;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			i += 6;
		}
		o += put_utf8(out ? out + o : NULL, (uint32_t)cp);
	}
	if (out)
		out[o] = '\0';
	return (long)o;
}

long sim_json_unescape(const char *raw, size_t raw_len, char *out)
{
	const char *why;
	size_t bad;

	return decode(raw, raw_len, out, &bad, &why);
}

/* The string at pos, checked: its raw bytes; pos after it. */
static int check_string(struct jc *c, const char **raw, size_t *n)
{
	size_t start = c->pos, end, bad;
	const char *why;

	if (c->pos >= c->len || c->s[c->pos] != '"')
		return fail(c, c->pos, true, c->pos < c->len && c->s[c->pos] == '\'' ?
			    "strings are in double quotes, not single ones" :
			    "a string expected");
	for (end = start + 1; end < c->len && c->s[end] != '"';
	     end += c->s[end] == '\\' ? 2 : 1)
		;
	if (end >= c->len)
		return fail(c, start, true, "a string without its end");
	*raw = c->s + start + 1;
	*n = end - start - 1;
	if (decode(*raw, *n, NULL, &bad, &why) < 0)
		return fail(c, start + 1 + bad, true, "%s", why);
	c->pos = end + 1;
	return 0;
}

/* ---- numbers and literals ----------------------------------------------- */

/* Whether the @n digits at @d are at most the number @limit (digits too). */
static bool digits_le(const char *d, size_t n, const char *limit)
{
	size_t ln = strlen(limit);

	return n < ln || (n == ln && memcmp(d, limit, n) <= 0);
}

static int check_number(struct jc *c)
{
	const char *s = c->s;
	size_t start = c->pos, p = start, digits;
	bool neg = false, integer = true;
	char show[SHOWN + 1];

	if (p < c->len && s[p] == '-') {
		neg = true;
		p++;
	}
	digits = p;
	if (p >= c->len || !is_digit(s[p]))
		return fail(c, start, true, "a number expected");
	if (s[p] == '0' && p + 1 < c->len && is_digit(s[p + 1]))
		return fail(c, start, true, "a number with a leading zero");
	while (p < c->len && is_digit(s[p]))
		p++;
	digits = p - digits;
	if (p < c->len && s[p] == '.') {
		integer = false;
		if (++p >= c->len || !is_digit(s[p]))
			return fail(c, start, true, "digits after the decimal point expected");
		while (p < c->len && is_digit(s[p]))
			p++;
	}
	if (p < c->len && (s[p] == 'e' || s[p] == 'E')) {
		integer = false;
		if (++p < c->len && (s[p] == '+' || s[p] == '-'))
			p++;
		if (p >= c->len || !is_digit(s[p]))
			return fail(c, start, true, "digits of the exponent expected");
		while (p < c->len && is_digit(s[p]))
			p++;
	}
	if (!is_delim(c, p))
		return fail(c, start, true, "a number expected");
	shown(show, s + start, p - start);
	if (integer) {
		/* json-c would clamp it to INT64_MIN or UINT64_MAX */
		if (!digits_le(s + start + neg, digits,
			       neg ? "9223372036854775808" : "18446744073709551615"))
			return fail(c, start, false,
				    "%s is out of range (integers are of 64 bits)",
				    show);
	} else {
		char *copy = strndup(s + start, p - start);
		double d;

		if (!copy) {
			snprintf(c->err, c->err_sz, "%s: out of memory", c->name);
			return -ENOMEM;
		}
		d = strtod(copy, NULL);
		free(copy);
		if (isinf(d))
			return fail(c, start, false, "%s is out of range", show);
	}
	c->pos = p;
	return 0;
}

static int check_literal(struct jc *c)
{
	static const char *const words[] = { "true", "false", "null" };

	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if (c->len - c->pos >= n && !memcmp(c->s + c->pos, words[i], n) &&
		    is_delim(c, c->pos + n)) {
			c->pos += n;
			return 0;
		}
	}
	return fail(c, c->pos, true,
		    "not a JSON value (NaN, Infinity and the like are not JSON)");
}

/* ---- objects and arrays ------------------------------------------------- */

static int check_value(struct jc *c, int depth);

/* Append @fmt to the path of the value being checked (cut short if need be). */
static void path_push(struct jc *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void path_push(struct jc *c, const char *fmt, ...)
{
	size_t plen = strlen(c->path);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->path + plen, sizeof(c->path) - plen, fmt, ap);
	va_end(ap);
}

/* After a member or an element: ',' and more, or @close. 1 more, 0 done. */
static int next_or_end(struct jc *c, char close)
{
	skip_ws(c);
	if (c->pos < c->len && c->s[c->pos] == ',') {
		c->pos++;
		return 1;
	}
	if (c->pos < c->len && c->s[c->pos] == close) {
		c->pos++;
		return 0;
	}
	return fail(c, c->pos, true, "',' or '%c' expected", close);
}

/* One member: its key (refused if @seen has it), ':', its value. */
static int check_member(struct jc *c, struct json_object *seen, int depth,
			size_t plen)
{
	size_t key_pos, n;
	char show[SHOWN + 1];
	const char *raw;
	char *key;
	long klen;
	int r;

	skip_ws(c);
	key_pos = c->pos;
	r = check_string(c, &raw, &n);
	if (r)
		return r;
	key = malloc(n + 1);
	if (!key) {
		snprintf(c->err, c->err_sz, "%s: out of memory", c->name);
		return -ENOMEM;
	}
	klen = sim_json_unescape(raw, n, key);
	shown(show, key, klen < 0 ? 0 : (size_t)klen);
	if (klen < 0 || strlen(key) != (size_t)klen)
		r = fail(c, key_pos, false, "a key holds a NUL character");
	else if (json_object_object_get_ex(seen, key, NULL))
		r = fail(c, key_pos, false, "duplicate key '%s'", show);
	else if (json_object_object_add(seen, key, NULL))
		r = -ENOMEM;
	if (r) {
		if (r == -ENOMEM)
			snprintf(c->err, c->err_sz, "%s: out of memory", c->name);
		free(key);
		return r;
	}
	skip_ws(c);
	if (c->pos >= c->len || c->s[c->pos] != ':') {
		free(key);
		return fail(c, c->pos, true, "':' expected");
	}
	c->pos++;
	path_push(c, "%s%s", plen ? "." : "", key);
	free(key);
	r = check_value(c, depth + 1);
	c->path[plen] = '\0';
	return r;
}

static int check_object(struct jc *c, int depth)
{
	struct json_object *seen = json_object_new_object();
	size_t plen = strlen(c->path);
	int r = 0;

	if (!seen) {
		snprintf(c->err, c->err_sz, "%s: out of memory", c->name);
		return -ENOMEM;
	}
	c->pos++;
	skip_ws(c);
	if (c->pos < c->len && c->s[c->pos] == '}') {
		c->pos++;
	} else {
		do {
			r = check_member(c, seen, depth, plen);
		} while (!r && (r = next_or_end(c, '}')) == 1);
	}
	json_object_put(seen);
	return r;
}

static int check_array(struct jc *c, int depth)
{
	size_t plen = strlen(c->path);
	unsigned long i = 0;
	int r;

	c->pos++;
	skip_ws(c);
	if (c->pos < c->len && c->s[c->pos] == ']') {
		c->pos++;
		return 0;
	}
	do {
		path_push(c, "[%lu]", i++);
		r = check_value(c, depth + 1);
		c->path[plen] = '\0';
	} while (!r && (r = next_or_end(c, ']')) == 1);
	return r;
}

static int check_value(struct jc *c, int depth)
{
	const char *raw;
	size_t n;
	char ch;

	if (depth > MAX_DEPTH)
		return fail(c, c->pos, true, "nested more than %d deep", MAX_DEPTH);
	skip_ws(c);
	if (c->pos >= c->len)
		return fail(c, c->pos, true, "unexpected end of file");
	if (c->target && !strcmp(c->path, c->target))
		return FOUND;
	ch = c->s[c->pos];
	if (ch == '{')
		return check_object(c, depth);
	if (ch == '[')
		return check_array(c, depth);
	if (ch == '"' || ch == '\'')
		return check_string(c, &raw, &n);
	if (ch == '-' || is_digit(ch))
		return check_number(c);
	return check_literal(c);
}

int sim_json_check(const char *name, const char *text, size_t len, char *err,
		   size_t err_sz)
{
	struct jc c = { .name = name, .s = text, .len = len, .err = err,
			.err_sz = err_sz };
	int r = check_value(&c, 0);

	if (r)
		return r;
	skip_ws(&c);
	if (c.pos != c.len)
		return fail(&c, c.pos, true, "more after the value");
	return 0;
}

int sim_json_find(const char *text, size_t len, const char *path, size_t *off)
{
	char err[64];
	struct jc c = { .name = "", .s = text, .len = len, .err = err,
			.err_sz = sizeof(err), .target = path };

	if (check_value(&c, 0) != FOUND)
		return -ENOENT;
	*off = c.pos;
	return 0;
}
