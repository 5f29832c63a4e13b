/* SPDX-License-Identifier: MIT */
/*
 * The strict JSON parser of topology and scenario files (json-parse.h):
 * recursive descent over the text, building json-c objects as it goes.
 * Every decoded string goes into one buffer of len + 1 bytes: a string's
 * decoded bytes and its NUL are never more than its quoted text, and
 * strings do not overlap, so the buffer never runs out.
 *
 * sim_json_find() walks accepted text the same way, making the same
 * paths, and builds nothing: a key is decoded into a buffer of its own
 * only long enough to be added to the path.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-parse.h"

#define SHOWN 40                /* bytes of a key or number in a message */

struct parser {
	const char *s;
	size_t len, pos;
	char *store;            /* decoded strings, keys among them */
	size_t used;
	struct sim_json_fault *f;
};

/* Refuse at @off: -EINVAL. @syntax: else a value's fault, at f->path. */
static int fail(struct parser *p, size_t off, bool syntax, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

static int fail(struct parser *p, size_t off, bool syntax, const char *fmt,
		...)
{
	va_list ap;

	p->f->off = off;
	p->f->syntax = syntax;
	va_start(ap, fmt);
	vsnprintf(p->f->what, sizeof(p->f->what), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* @n bytes of @s for a message: at most SHOWN, control bytes as '?'. */
static const char *shown(char out[SHOWN + 1], const char *s, size_t n)
{
	if (n > SHOWN)
		n = SHOWN;
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[n] = '\0';
	return out;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && p->s[p->pos] &&
	       strchr(" \t\r\n", p->s[p->pos]))
		p->pos++;
}

static char peek(const struct parser *p)
{
	return p->pos < p->len ? p->s[p->pos] : '\0';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Where a number or a literal must end. */
static bool is_delim(const struct parser *p, size_t at)
{
	return at >= p->len || strchr(" \t\r\n,]}", p->s[at]);
}

/* Append to f->path (cut short if need be); returns its old length. */
static size_t path_push(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static size_t path_push(struct parser *p, const char *fmt, ...)
{
	size_t plen = strlen(p->f->path);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->f->path + plen, sizeof(p->f->path) - plen, fmt, ap);
	va_end(ap);
	return plen;
}

/* ---- strings ------------------------------------------------------------- */

static long hex4(const char *h, size_t n)
{
	long v = 0;

	if (n < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int d = is_digit(h[i]) ? h[i] - '0' :
			h[i] >= 'a' && h[i] <= 'f' ? h[i] - 'a' + 10 :
			h[i] >= 'A' && h[i] <= 'F' ? h[i] - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The length of the UTF-8 sequence at @s (of @n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	cp = s[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return len;
}

/*
 * The string at pos, decoded into the store: its bytes in *@out, its
 * length in *@n (it may hold NULs); pos after it.
 */
static int parse_string(struct parser *p, const char **out, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t start = p->pos, i = start + 1;
	char *o = p->store + p->used, *o0 = o;

	if (peek(p) != '"')
		return fail(p, p->pos, true, peek(p) == '\'' ?
			    "strings are in double quotes, not single ones" :
			    "a string expected");
	for (;;) {
		unsigned char b;
		const char *e;
		long cp, lo;
		size_t u;

		if (i >= p->len)
			return fail(p, start, true, "a string without its end");
		b = (unsigned char)p->s[i];
		if (b == '"')
			break;
		if (b < 0x20)
			return fail(p, i, true,
				    "a control character in a string (escape it)");
		if (b != '\\') {
			u = utf8_len((const unsigned char *)p->s + i,
				     p->len - i);
			if (!u)
				return fail(p, i, true,
					    "invalid UTF-8 in a string");
			memcpy(o, p->s + i, u);
			o += u;
			i += u;
			continue;
		}
		if (i + 1 < p->len && p->s[i + 1] &&
		    (e = strchr(from, p->s[i + 1]))) {
			*o++ = to[e - from];
			i += 2;
			continue;
		}
		if (i + 1 >= p->len || p->s[i + 1] != 'u' ||
		    (cp = hex4(p->s + i + 2, p->len - i - 2)) < 0)
			return fail(p, i, true, "a bad escape in a string");
		if (cp >= 0xD800 && cp <= 0xDFFF) {
			/* a high surrogate, then a low one: one code point */
			if (cp >= 0xDC00 || i + 7 >= p->len ||
			    p->s[i + 6] != '\\' || p->s[i + 7] != 'u' ||
			    (lo = hex4(p->s + i + 8, p->len - i - 8)) < 0xDC00 ||
			    lo > 0xDFFF)
				return fail(p, i, true,
					    "a lone UTF-16 surrogate in a string");
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			i += 6;
		}
		i += 6;
		o += put_utf8(o, (uint32_t)cp);
	}
	*o++ = '\0';
	*out = o0;
	*n = (size_t)(o - o0) - 1;
	p->used += (size_t)(o - o0);
	p->pos = i + 1;
	return 0;
}

/* ---- numbers and literals ----------------------------------------------- */

/* Whether the @n digits at @d are at most the number @limit (digits too). */
static bool digits_le(const char *d, size_t n, const char *limit)
{
	size_t ln = strlen(limit);

	return n < ln || (n == ln && memcmp(d, limit, n) <= 0);
}

static int parse_number(struct parser *p, struct json_object **out)
{
	const char *s = p->s;
	size_t start = p->pos, at = start, digits;
	bool neg = false, integer = true;
	char show[SHOWN + 1];

	if (s[at] == '-') {
		neg = true;
		at++;
	}
	digits = at;
	if (at >= p->len || !is_digit(s[at]))
		return fail(p, start, true, "a number expected");
	if (s[at] == '0' && at + 1 < p->len && is_digit(s[at + 1]))
		return fail(p, start, true, "a number with a leading zero");
	while (at < p->len && is_digit(s[at]))
		at++;
	digits = at - digits;
	if (at < p->len && s[at] == '.') {
		integer = false;
		if (++at >= p->len || !is_digit(s[at]))
			return fail(p, start, true,
				    "digits after the decimal point expected");
		while (at < p->len && is_digit(s[at]))
			at++;
	}
	if (at < p->len && (s[at] == 'e' || s[at] == 'E')) {
		integer = false;
		if (++at < p->len && (s[at] == '+' || s[at] == '-'))
			at++;
		if (at >= p->len || !is_digit(s[at]))
			return fail(p, start, true,
				    "digits of the exponent expected");
		while (at < p->len && is_digit(s[at]))
			at++;
	}
	if (!is_delim(p, at))
		return fail(p, start, true, "a number expected");
	shown(show, s + start, at - start);
	if (integer) {
		/* within 64 bits: json-c would clamp it and say nothing */
		if (!digits_le(s + start + neg, digits,
			       neg ? "9223372036854775808" :
				     "18446744073709551615"))
			return fail(p, start, false,
				    "%s is out of range (integers are of 64 bits)",
				    show);
		if (neg)
			*out = json_object_new_int64(strtoll(s + start, NULL, 10));
		else {
			uint64_t v = strtoull(s + start, NULL, 10);

			*out = v <= INT64_MAX ?
				       json_object_new_int64((int64_t)v) :
				       json_object_new_uint64(v);
		}
	} else {
		/* the text ends at a delimiter (or its NUL): strtod stops there */
		double d = strtod(s + start, NULL);

		if (isinf(d))
			return fail(p, start, false, "%s is out of range", show);
		*out = json_object_new_double(d);
	}
	p->pos = at;
	return *out ? 0 : -ENOMEM;
}

static int parse_literal(struct parser *p, struct json_object **out)
{
	static const char *const words[] = { "true", "false", "null" };

	for (int i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if (p->len - p->pos < n || memcmp(p->s + p->pos, words[i], n) ||
		    !is_delim(p, p->pos + n))
			continue;
		p->pos += n;
		if (i == 2) {
			*out = NULL;
			return 0;
		}
		*out = json_object_new_boolean(i == 0);
		return *out ? 0 : -ENOMEM;
	}
	return fail(p, p->pos, true,
		    "not a JSON value (NaN, Infinity and the like are not JSON)");
}

/* ---- objects and arrays ------------------------------------------------- */

static int parse_value(struct parser *p, int depth, struct json_object **out);

/* After a member or an element: ',' and more (1), or @close (0). */
static int next_or_end(struct parser *p, char close)
{
	skip_ws(p);
	if (peek(p) == ',') {
		p->pos++;
		return 1;
	}
	if (peek(p) == close) {
		p->pos++;
		return 0;
	}
	if (p->pos >= p->len)
		return fail(p, p->len, true, "unexpected end of file");
	return fail(p, p->pos, true, "',' or '%c' expected", close);
}

static int parse_object(struct parser *p, int depth, struct json_object **out)
{
	struct json_object *obj = json_object_new_object();
	int r;

	if (!obj)
		return -ENOMEM;
	p->pos++;
	skip_ws(p);
	if (peek(p) == '}') {
		p->pos++;
		*out = obj;
		return 0;
	}
	do {
		struct json_object *val;
		char show[SHOWN + 1];
		const char *key;
		size_t key_pos, n, plen;

		skip_ws(p);
		key_pos = p->pos;
		if (p->pos >= p->len) {
			r = fail(p, p->len, true, "unexpected end of file");
			break;
		}
		r = parse_string(p, &key, &n);
		if (r)
			break;
		shown(show, key, n);
		if (strlen(key) != n) {
			r = fail(p, key_pos, false, "a key holds a NUL character");
			break;
		}
		if (json_object_object_get_ex(obj, key, NULL)) {
			r = fail(p, key_pos, false, "duplicate key '%s'", show);
			break;
		}
		skip_ws(p);
		if (peek(p) != ':') {
			r = p->pos >= p->len ?
				    fail(p, p->len, true, "unexpected end of file") :
				    fail(p, p->pos, true, "':' expected");
			break;
		}
		p->pos++;
		plen = path_push(p, "%s%s", p->f->path[0] ? "." : "", key);
		r = parse_value(p, depth + 1, &val);
		if (r)
			break;
		p->f->path[plen] = '\0';
		/* the key is the store's, which outlives the tree */
		if (json_object_object_add_ex(obj, key, val,
					      JSON_C_OBJECT_ADD_KEY_IS_NEW |
					      JSON_C_OBJECT_ADD_CONSTANT_KEY)) {
			json_object_put(val);
			r = -ENOMEM;
			break;
		}
		r = next_or_end(p, '}');
	} while (r == 1);
	if (r < 0) {
		json_object_put(obj);
		return r;
	}
	*out = obj;
	return 0;
}

static int parse_array(struct parser *p, int depth, struct json_object **out)
{
	struct json_object *arr = json_object_new_array();
	size_t i = 0;
	int r;

	if (!arr)
		return -ENOMEM;
	p->pos++;
	skip_ws(p);
	if (peek(p) == ']') {
		p->pos++;
		*out = arr;
		return 0;
	}
	do {
		struct json_object *val;
		size_t plen = path_push(p, "[%zu]", i++);

		r = parse_value(p, depth + 1, &val);
		if (r)
			break;
		p->f->path[plen] = '\0';
		if (json_object_array_add(arr, val)) {
			json_object_put(val);
			r = -ENOMEM;
			break;
		}
		r = next_or_end(p, ']');
	} while (r == 1);
	if (r < 0) {
		json_object_put(arr);
		return r;
	}
	*out = arr;
	return 0;
}

static int parse_value(struct parser *p, int depth, struct json_object **out)
{
	const char *str;
	size_t n;
	char c;
	int r;

	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, p->len, true, "unexpected end of file");
	c = peek(p);
	if ((c == '{' || c == '[') && depth >= SIM_JSON_MAX_DEPTH)
		return fail(p, p->pos, true, "nesting too deep (at most %d)",
			    SIM_JSON_MAX_DEPTH);
	if (c == '{')
		return parse_object(p, depth, out);
	if (c == '[')
		return parse_array(p, depth, out);
	if (c == '"' || c == '\'') {
		r = parse_string(p, &str, &n);
		if (r)
			return r;
		*out = json_object_new_string_len(str, (int)n);
		return *out ? 0 : -ENOMEM;
	}
	if (c == '-' || is_digit(c))
		return parse_number(p, out);
	return parse_literal(p, out);
}

int sim_json_build(const char *text, size_t len, struct json_object **root,
		   char **keys, struct sim_json_fault *fault)
{
	struct parser p = { .s = text, .len = len, .f = fault };
	struct json_object *v = NULL;
	int r;

	memset(fault, 0, sizeof(*fault));
	*root = NULL;
	*keys = NULL;
	if (len > INT32_MAX)
		return fail(&p, 0, true, "too large");
	p.store = malloc(len + 1);
	if (!p.store)
		return -ENOMEM;
	r = parse_value(&p, 0, &v);
	if (!r) {
		skip_ws(&p);
		if (p.pos < len) {
			json_object_put(v);
			r = fail(&p, p.pos, true,
				 "more after the value (one value per file)");
		}
	}
	if (r) {
		free(p.store);
		return r;
	}
	*root = v;
	*keys = p.store;
	return 0;
}

/* ---- where a value is ----------------------------------------------------- */

#define FOUND 1                 /* find_value(): pos is at the value */

struct finder {
	struct parser p;        /* p.f->path: the path of the value at pos */
	const char *target;
	unsigned int lost;      /* keys above pos that the path could not hold */
};

static int find_value(struct finder *fd, int depth);

/* The string at pos, not decoded; pos after it. */
static int skip_string(struct parser *p)
{
	size_t i = p->pos + 1;

	if (peek(p) != '"')
		return fail(p, p->pos, true, "a string expected");
	while (i < p->len && p->s[i] != '"')
		i += p->s[i] == '\\' ? 2 : 1;
	if (i >= p->len)
		return fail(p, p->pos, true, "a string without its end");
	p->pos = i + 1;
	return 0;
}

/*
 * The key at pos, added to the path (or counted in fd->lost when it is
 * too long to decode here or for the path to hold: nothing below it can
 * then be found, rather than found at a path cut short); pos after it.
 */
static int find_key(struct finder *fd, size_t *plen)
{
	struct parser *p = &fd->p;
	char buf[256];
	struct sim_json_fault f;
	struct parser k = { .s = p->s + p->pos, .store = buf, .f = &f };
	const char *key;
	size_t n, room;
	int r;

	*plen = strlen(p->f->path);
	r = skip_string(p);
	if (r)
		return r;
	k.len = (size_t)(p->s + p->pos - k.s);
	room = sizeof(p->f->path) - *plen - (*plen ? 1 : 0);
	/* decoded, a key is never longer than its quoted text */
	if (k.len >= sizeof(buf) || parse_string(&k, &key, &n) ||
	    strlen(key) != n || n >= room) {
		fd->lost++;
		return 0;
	}
	path_push(p, "%s%s", *plen ? "." : "", key);
	return 0;
}

/* The members or elements of the object or array at pos. */
static int find_in(struct finder *fd, int depth)
{
	struct parser *p = &fd->p;
	char close = peek(p) == '{' ? '}' : ']';
	size_t i = 0;
	int r;

	p->pos++;
	skip_ws(p);
	if (peek(p) == close) {
		p->pos++;
		return 0;
	}
	do {
		unsigned int lost = fd->lost;
		size_t plen;

		skip_ws(p);
		if (close == '}') {
			r = find_key(fd, &plen);
			if (r)
				return r;
			skip_ws(p);
			if (peek(p) != ':')
				return fail(p, p->pos, true, "':' expected");
			p->pos++;
		} else {
			char idx[24];
			int w = snprintf(idx, sizeof(idx), "[%zu]", i++);

			plen = strlen(p->f->path);
			if ((size_t)w < sizeof(p->f->path) - plen)
				path_push(p, "%s", idx);
			else
				fd->lost++;
		}
		r = find_value(fd, depth + 1);
		p->f->path[plen] = '\0';
		fd->lost = lost;
		if (r)
			return r;
		r = next_or_end(p, close);
	} while (r == 1);
	return r;
}

static int find_value(struct finder *fd, int depth)
{
	struct parser *p = &fd->p;
	char c;

	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, p->len, true, "unexpected end of file");
	if (!fd->lost && !strcmp(p->f->path, fd->target))
		return FOUND;
	c = peek(p);
	if (c == '{' || c == '[')
		return depth < SIM_JSON_MAX_DEPTH ? find_in(fd, depth) :
			fail(p, p->pos, true, "nesting too deep");
	if (c == '"')
		return skip_string(p);
	/* a number or a literal, as sim_json_build() accepted it */
	while (!is_delim(p, p->pos))
		p->pos++;
	return 0;
}

int sim_json_find(const char *text, size_t len, const char *path,
		  size_t *off)
{
	struct sim_json_fault f = { 0 };
	struct finder fd = {
		.p = { .s = text, .len = len, .f = &f },
		.target = path,
	};

	if (find_value(&fd, 0) != FOUND)
		return -ENOENT;
	*off = fd.p.pos;
	return 0;
}
