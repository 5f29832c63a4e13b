/* SPDX-License-Identifier: MIT */
/*
 * A small strict JSON reader (RFC 8259) for the integration tests, which
 * check the simulator's JSON replies (written with json-c) with a parser
 * of their own: a reply that parses here is JSON, not just what json-c
 * reads back.
 *
 *   struct mj *v;
 *   if (mj_parse(text, &v) == 0) {
 *           const struct mj *n = mj_get(v, "agents.0.notifications_queued");
 *           ... n->type == MJ_NUM, n->num ...
 *           mj_free(v);
 *   }
 *
 * A path is member names and array indexes separated by '.'. Numbers are
 * kept as a double and, when they are integers, exactly as an int64.
 * Header-only: each test program includes it once.
 */
#ifndef MINI_JSON_H
#define MINI_JSON_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MJ_MAX_DEPTH 64

enum mj_type { MJ_NULL, MJ_BOOL, MJ_NUM, MJ_STR, MJ_ARR, MJ_OBJ };

struct mj {
	enum mj_type type;
	char *key;              /* the member's name, inside an object */
	bool b;
	double num;
	bool is_int;            /* num is an integer that fits int64 */
	int64_t i;
	char *str;              /* NUL-terminated, UTF-8 */
	struct mj *kids;        /* elements or members */
	size_t n;
};

struct mj_parser {
	const char *p;
	int depth;
};

static inline void mj_free_kids(struct mj *v)
{
	for (size_t k = 0; k < v->n; k++) {
		mj_free_kids(&v->kids[k]);
		free(v->kids[k].key);
		free(v->kids[k].str);
	}
	free(v->kids);
}

static inline void mj_free(struct mj *v)
{
	if (!v)
		return;
	mj_free_kids(v);
	free(v->key);
	free(v->str);
	free(v);
}

static inline void mj_ws(struct mj_parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
	       *ps->p == '\r')
		ps->p++;
}

static inline int mj_hex4(const char *s, unsigned int *u)
{
	*u = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];

		*u <<= 4;
		if (c >= '0' && c <= '9')
			*u |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*u |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*u |= (unsigned int)(c - 'A' + 10);
		else
			return -EINVAL;
	}
	return 0;
}

static inline size_t mj_utf8(unsigned int cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* A string at ps->p (on its opening quote) into a new buffer. */
static inline int mj_string(struct mj_parser *ps, char **out)
{
	const char *s = ps->p + 1;
	size_t cap = strlen(s) + 1, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		unsigned char c = (unsigned char)*s;

		if (c == '"')
			break;
		if (c < 0x20) { /* a control character, or the end */
			free(buf);
			return -EINVAL;
		}
		if (c != '\\') {
			buf[len++] = (char)c;
			s++;
			continue;
		}
		s++;
		switch (*s) {
		case '"': buf[len++] = '"'; break;
		case '\\': buf[len++] = '\\'; break;
		case '/': buf[len++] = '/'; break;
		case 'b': buf[len++] = '\b'; break;
		case 'f': buf[len++] = '\f'; break;
		case 'n': buf[len++] = '\n'; break;
		case 'r': buf[len++] = '\r'; break;
		case 't': buf[len++] = '\t'; break;
		case 'u': {
			unsigned int cp, lo;

			if (mj_hex4(s + 1, &cp)) {
				free(buf);
				return -EINVAL;
			}
			s += 4;
			if (cp >= 0xD800 && cp < 0xDC00) {
				if (s[1] != '\\' || s[2] != 'u' ||
				    mj_hex4(s + 3, &lo) || lo < 0xDC00 ||
				    lo > 0xDFFF) {
					free(buf);
					return -EINVAL;
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				s += 6;
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				free(buf);
				return -EINVAL;
			}
			/* 6 bytes of input hold at least 4 of output */
			len += mj_utf8(cp, buf + len);
			break;
		}
		default:
			free(buf);
			return -EINVAL;
		}
		s++;
	}
	buf[len] = '\0';
	ps->p = s + 1;
	*out = buf;
	return 0;
}

static inline int mj_number(struct mj_parser *ps, struct mj *v)
{
	const char *s = ps->p, *start = s;
	bool frac = false;
	char *end;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return -EINVAL;
	if (*s == '.') {
		frac = true;
		s++;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		frac = true;
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	v->type = MJ_NUM;
	v->num = strtod(start, NULL);
	if (!frac) {
		errno = 0;
		v->i = strtoll(start, &end, 10);
		v->is_int = !errno && end == s;
	}
	ps->p = s;
	return 0;
}

static inline int mj_value(struct mj_parser *ps, struct mj *v);

static inline int mj_push(struct mj *v, struct mj **kid)
{
	struct mj *k = realloc(v->kids, (v->n + 1) * sizeof(*k));

	if (!k)
		return -ENOMEM;
	v->kids = k;
	*kid = &k[v->n++];
	memset(*kid, 0, sizeof(**kid));
	return 0;
}

static inline int mj_container(struct mj_parser *ps, struct mj *v, bool obj)
{
	char close = obj ? '}' : ']';
	int r;

	v->type = obj ? MJ_OBJ : MJ_ARR;
	if (++ps->depth > MJ_MAX_DEPTH)
		return -EINVAL;
	ps->p++;
	mj_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		ps->depth--;
		return 0;
	}
	for (;;) {
		struct mj *k;
		char *key = NULL;

		if (obj) {
			if (*ps->p != '"')
				return -EINVAL;
			r = mj_string(ps, &key);
			if (r)
				return r;
			mj_ws(ps);
			if (*ps->p != ':') {
				free(key);
				return -EINVAL;
			}
			ps->p++;
		}
		r = mj_push(v, &k);
		if (r) {
			free(key);
			return r;
		}
		k->key = key;
		r = mj_value(ps, k);
		if (r)
			return r;
		mj_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			mj_ws(ps);
			continue;
		}
		if (*ps->p != close)
			return -EINVAL;
		ps->p++;
		ps->depth--;
		return 0;
	}
}

static inline int mj_value(struct mj_parser *ps, struct mj *v)
{
	mj_ws(ps);
	switch (*ps->p) {
	case '{':
		return mj_container(ps, v, true);
	case '[':
		return mj_container(ps, v, false);
	case '"':
		v->type = MJ_STR;
		return mj_string(ps, &v->str);
	case 't':
		if (strncmp(ps->p, "true", 4))
			return -EINVAL;
		v->type = MJ_BOOL;
		v->b = true;
		ps->p += 4;
		return 0;
	case 'f':
		if (strncmp(ps->p, "false", 5))
			return -EINVAL;
		v->type = MJ_BOOL;
		ps->p += 5;
		return 0;
	case 'n':
		if (strncmp(ps->p, "null", 4))
			return -EINVAL;
		v->type = MJ_NULL;
		ps->p += 4;
		return 0;
	default:
		return mj_number(ps, v);
	}
}

/* Parse @text, which must be exactly one JSON value. 0, -EINVAL or -ENOMEM. */
static inline int mj_parse(const char *text, struct mj **out)
{
	struct mj_parser ps = { .p = text };
	struct mj *v = calloc(1, sizeof(*v));
	int r;

	if (!v)
		return -ENOMEM;
	r = mj_value(&ps, v);
	if (!r) {
		mj_ws(&ps);
		if (*ps.p)
			r = -EINVAL;
	}
	if (r) {
		mj_free(v);
		return r;
	}
	*out = v;
	return 0;
}

/* The value at @path under @v, or NULL. */
static inline const struct mj *mj_get(const struct mj *v, const char *path)
{
	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);
		const struct mj *next = NULL;

		if (v->type == MJ_OBJ) {
			for (size_t k = 0; k < v->n && !next; k++)
				if (strlen(v->kids[k].key) == len &&
				    !strncmp(v->kids[k].key, path, len))
					next = &v->kids[k];
		} else if (v->type == MJ_ARR) {
			char *end;
			unsigned long idx = strtoul(path, &end, 10);

			if (end == path + len && idx < v->n)
				next = &v->kids[idx];
		}
		v = next;
		path += len + (dot ? 1 : 0);
	}
	return v;
}

#endif /* MINI_JSON_H */
