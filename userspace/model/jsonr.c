// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "jsonr.h"

struct parser {
	const char *p, *start, *end;
	char *err;
	size_t errlen;
	bool failed;
};

static void fail(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct parser *ps, const char *fmt, ...)
{
	const char *q;
	unsigned int line = 1, col = 1;
	size_t used;
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	if (!ps->errlen)
		return;
	for (q = ps->start; q < ps->p; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(ps->err, ps->errlen, "%u:%u: ", line, col);
	used = strlen(ps->err);
	va_start(ap, fmt);
	vsnprintf(ps->err + used, ps->errlen - used, fmt, ap);
	va_end(ap);
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static bool literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return false;
	ps->p += n;
	return true;
}

static void put_utf8(char **o, uint32_t cp)
{
	char *q = *o;

	if (cp < 0x80) {
		*q++ = (char)cp;
	} else if (cp < 0x800) {
		*q++ = (char)(0xc0 | cp >> 6);
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*q++ = (char)(0xe0 | cp >> 12);
		*q++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*q++ = (char)(0xf0 | cp >> 18);
		*q++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*q++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	}
	*o = q;
}

static int hex4(struct parser *ps, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	if (ps->end - ps->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = ps->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	ps->p += 4;
	*out = v;
	return 0;
}

/* At the opening quote.  The decoded text is never longer than the source. */
static char *parse_string(struct parser *ps)
{
	const char *q;
	char *buf, *o;

	ps->p++;
	for (q = ps->p; q < ps->end && *q != '"'; q++)
		if (*q == '\\' && q + 1 < ps->end)
			q++;
	buf = malloc((size_t)(q - ps->p) + 1);
	if (!buf) {
		fail(ps, "out of memory");
		return NULL;
	}
	o = buf;
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;
		uint32_t cp, lo;

		if (c < 0x20) {
			fail(ps, "control character in string");
			goto bad;
		}
		if (c != '\\') {
			*o++ = (char)c;
			ps->p++;
			continue;
		}
		if (++ps->p >= ps->end)
			break;
		switch (*ps->p++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (hex4(ps, &cp)) {
				fail(ps, "bad \\u escape");
				goto bad;
			}
			/* A surrogate pair is 12 source bytes for 4 output bytes. */
			if (cp >= 0xd800 && cp < 0xdc00 && ps->end - ps->p >= 6 &&
			    ps->p[0] == '\\' && ps->p[1] == 'u') {
				ps->p += 2;
				if (hex4(ps, &lo) || lo < 0xdc00 || lo >= 0xe000) {
					fail(ps, "bad surrogate pair");
					goto bad;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd;
			}
			/* \u0000 would cut the C string: write U+FFFD. */
			put_utf8(&o, cp ? cp : 0xfffd);
			break;
		default:
			ps->p--;
			fail(ps, "bad escape");
			goto bad;
		}
	}
	if (ps->p >= ps->end) {
		fail(ps, "unterminated string");
		goto bad;
	}
	ps->p++;
	*o = '\0';
	return buf;
bad:
	free(buf);
	return NULL;
}

static void free_members(struct jval *v);

static int parse_value(struct parser *ps, struct jval *v, int depth);

static int grow(struct parser *ps, struct jval *v, size_t *cap, bool keys)
{
	if (v->n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 8;
	{
		struct jval *nv = realloc(v->v, *cap * sizeof(*nv));

		if (!nv)
			goto oom;
		v->v = nv;
	}
	if (keys) {
		char **nk = realloc(v->keys, *cap * sizeof(*nk));

		if (!nk)
			goto oom;
		v->keys = nk;
	}
	return 0;
oom:
	fail(ps, "out of memory");
	return -1;
}

static int parse_container(struct parser *ps, struct jval *v, int depth, bool obj)
{
	char close = obj ? '}' : ']';
	size_t cap = 0;

	v->type = obj ? J_OBJ : J_ARR;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return 0;
	}
	for (;;) {
		char *key = NULL;

		skip_ws(ps);
		if (obj) {
			if (ps->p >= ps->end || *ps->p != '"') {
				fail(ps, "expected a key");
				return -1;
			}
			key = parse_string(ps);
			if (!key)
				return -1;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				fail(ps, "expected ':'");
				return -1;
			}
			ps->p++;
		}
		if (grow(ps, v, &cap, obj)) {
			free(key);
			return -1;
		}
		if (obj)
			v->keys[v->n] = key;
		memset(&v->v[v->n], 0, sizeof(v->v[0]));
		v->n++;
		if (parse_value(ps, &v->v[v->n - 1], depth + 1))
			return -1;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return 0;
		}
		fail(ps, "expected ',' or '%c'", close);
		return -1;
	}
}

static int parse_number(struct parser *ps, struct jval *v)
{
	const char *s = ps->p;
	size_t n;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
		fail(ps, "unexpected character");
		return -1;
	}
	while (ps->p < ps->end && strchr("0123456789.eE+-", *ps->p))
		ps->p++;
	n = (size_t)(ps->p - s);
	v->type = J_NUM;
	v->s = malloc(n + 1);
	if (!v->s) {
		fail(ps, "out of memory");
		return -1;
	}
	memcpy(v->s, s, n);
	v->s[n] = '\0';
	return 0;
}

static int parse_value(struct parser *ps, struct jval *v, int depth)
{
	if (depth > JSONR_MAX_DEPTH) {
		fail(ps, "nested too deeply");
		return -1;
	}
	skip_ws(ps);
	if (ps->p >= ps->end) {
		fail(ps, "unexpected end of input");
		return -1;
	}
	switch (*ps->p) {
	case '{':
		return parse_container(ps, v, depth, true);
	case '[':
		return parse_container(ps, v, depth, false);
	case '"':
		v->type = J_STR;
		v->s = parse_string(ps);
		return v->s ? 0 : -1;
	case 't':
	case 'f':
	case 'n':
		if (literal(ps, "true")) {
			v->type = J_BOOL;
			v->b = true;
		} else if (literal(ps, "false")) {
			v->type = J_BOOL;
		} else if (literal(ps, "null")) {
			v->type = J_NULL;
		} else {
			fail(ps, "unexpected word");
			return -1;
		}
		return 0;
	default:
		return parse_number(ps, v);
	}
}

static void free_members(struct jval *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free_members(&v->v[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->v);
	free(v->keys);
	free(v->s);
}

struct jval *jsonr_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct parser ps = { text, text, text + len, err, errlen, false };
	struct jval *v = calloc(1, sizeof(*v));

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!parse_value(&ps, v, 0)) {
		skip_ws(&ps);
		if (ps.p < ps.end)
			fail(&ps, "trailing data after the document");
	}
	if (ps.failed) {
		jsonr_free(v);
		return NULL;
	}
	return v;
}

void jsonr_free(struct jval *v)
{
	if (!v)
		return;
	free_members(v);
	free(v);
}

const struct jval *jsonr_get(const struct jval *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != J_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return &obj->v[i];
	return NULL;
}

const char *jsonr_str(const struct jval *v)
{
	return v && v->type == J_STR ? v->s : NULL;
}

int jsonr_u64(const struct jval *v, uint64_t *out)
{
	uint64_t r = 0;
	const char *s;

	if (!v)
		return -EINVAL;
	if (v->type == J_STR)
		return strncmp(v->s, "0x", 2) ? -EINVAL : parse_hex(v->s, out);
	if (v->type != J_NUM)
		return -EINVAL;
	for (s = v->s; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (r > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		r = r * 10 + (uint64_t)(*s - '0');
	}
	*out = r;
	return 0;
}
