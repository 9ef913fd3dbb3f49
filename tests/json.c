// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct parser {
	const char *s;
	size_t pos;
	int depth;
};

static void skip_ws(struct parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
	       p->s[p->pos] == '\n' || p->s[p->pos] == '\r')
		p->pos++;
}

static char *parse_string(struct parser *p)
{
	size_t cap = 16, len = 0;
	char *out;

	if (p->s[p->pos] != '"')
		return NULL;
	p->pos++;
	out = malloc(cap);
	if (!out)
		return NULL;
	for (;;) {
		char c = p->s[p->pos++];

		if (c == '\0' || (unsigned char)c < 0x20)
			goto fail;
		if (c == '"')
			break;
		if (c == '\\') {
			c = p->s[p->pos++];
			switch (c) {
			case '"': case '\\': case '/': break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u': {
				unsigned int v = 0;

				for (int i = 0; i < 4; i++) {
					char h = p->s[p->pos++];

					v <<= 4;
					if (h >= '0' && h <= '9')
						v |= h - '0';
					else if (h >= 'a' && h <= 'f')
						v |= h - 'a' + 10;
					else if (h >= 'A' && h <= 'F')
						v |= h - 'A' + 10;
					else
						goto fail;
				}
				c = v < 0x80 ? (char)v : '?';
				break;
			}
			default:
				goto fail;
			}
		}
		if (len + 2 > cap) {
			char *n = realloc(out, cap *= 2);

			if (!n)
				goto fail;
			out = n;
		}
		out[len++] = c;
	}
	out[len] = '\0';
	return out;
fail:
	free(out);
	return NULL;
}

static struct json *parse_value(struct parser *p);

static struct json *parse_container(struct parser *p, bool object)
{
	struct json *j = calloc(1, sizeof(*j)), **tail;
	char close = object ? '}' : ']';

	if (!j || ++p->depth > 64)
		goto fail;
	j->type = object ? JSON_OBJECT : JSON_ARRAY;
	tail = &j->child;
	p->pos++;
	skip_ws(p);
	if (p->s[p->pos] == close) {
		p->pos++;
		p->depth--;
		return j;
	}
	for (;;) {
		char *key = NULL;
		struct json *v;

		skip_ws(p);
		if (object) {
			key = parse_string(p);
			if (!key)
				goto fail;
			skip_ws(p);
			if (p->s[p->pos++] != ':') {
				free(key);
				goto fail;
			}
		}
		v = parse_value(p);
		if (!v) {
			free(key);
			goto fail;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		skip_ws(p);
		if (p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->s[p->pos] == close) {
			p->pos++;
			p->depth--;
			return j;
		}
		goto fail;
	}
fail:
	json_free(j);
	return NULL;
}

static struct json *parse_value(struct parser *p)
{
	struct json *j;
	const char *s;
	size_t start;

	skip_ws(p);
	s = p->s + p->pos;
	if (*s == '{' || *s == '[')
		return parse_container(p, *s == '{');
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	if (*s == '"') {
		j->type = JSON_STRING;
		j->str = parse_string(p);
		if (!j->str)
			goto fail;
		return j;
	}
	if (!strncmp(s, "true", 4) || !strncmp(s, "false", 5)) {
		j->type = JSON_BOOL;
		j->boolean = *s == 't';
		p->pos += j->boolean ? 4 : 5;
		return j;
	}
	if (!strncmp(s, "null", 4)) {
		j->type = JSON_NULL;
		p->pos += 4;
		return j;
	}
	start = p->pos;
	if (p->s[p->pos] == '-')
		p->pos++;
	while (strchr("0123456789.eE+-", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
	if (p->pos == start)
		goto fail;
	j->type = JSON_NUMBER;
	j->str = strndup(p->s + start, p->pos - start);
	if (!j->str)
		goto fail;
	return j;
fail:
	free(j);
	return NULL;
}

struct json *json_parse(const char *text, size_t *err)
{
	struct parser p = { .s = text };
	struct json *j = parse_value(&p);

	if (j) {
		skip_ws(&p);
		if (p.s[p.pos] == '\0')
			return j;
		json_free(j);
	}
	if (err)
		*err = p.pos;
	return NULL;
}

void json_free(struct json *j)
{
	while (j) {
		struct json *next = j->next;

		json_free(j->child);
		free(j->key);
		free(j->str);
		free(j);
		j = next;
	}
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (const struct json *c = obj->child; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}

size_t json_len(const struct json *arr)
{
	size_t n = 0;

	if (arr && (arr->type == JSON_ARRAY || arr->type == JSON_OBJECT))
		for (const struct json *c = arr->child; c; c = c->next)
			n++;
	return n;
}

bool json_u64(const struct json *j, uint64_t *out)
{
	char *end;

	if (!j || (j->type != JSON_NUMBER && j->type != JSON_STRING) ||
	    !j->str[0] || j->str[0] == '-')
		return false;
	errno = 0;
	*out = strtoull(j->str, &end, j->type == JSON_STRING ? 0 : 10);
	return !errno && *end == '\0';
}

bool json_get_u64(const struct json *obj, const char *key, uint64_t *out)
{
	return json_u64(json_get(obj, key), out);
}
