// SPDX-License-Identifier: GPL-2.0
/*
 * Every call formats into a small buffer on the stack and hands it to
 * stdio in one fwrite(): `pages --json` writes a few hundred thousand
 * objects, and a putc() or printf() per character or field was most of
 * its time.  Nothing is held between calls, so callers may mix their own
 * writes to the FILE with these.
 *
 * Why not json-c's writer (json-c reads recordings, jsonr.c): it has no
 * streaming output, so a document must first be built as a tree of
 * json_objects (a hash table per object) and then printed.  Measured
 * 2026-12-06 on the build VM (2 shared cores, best of 7), the same
 * record-shaped document through docs.c's json_vma()/json_run() here and
 * through an equivalent json-c tree + json_object_to_json_string_length(),
 * byte-identical output, written to /dev/null:
 *   10,000 VMAs (3.7 MB):          this writer 7.3 ms, json-c 113-200 ms
 *   262,144 one-page runs (26 MB): this writer 56-60 ms, json-c 980-1460 ms
 * i.e. 15-25 times slower, and the tree holds the whole document in
 * memory; so this writer stays.
 */
#include <stddef.h>
#include <string.h>

#include "json.h"

/* Output of one call; flushed when full and at the end of the call. */
struct jbuf {
	FILE *f;
	size_t n;
	char b[512];
};

static void jb_flush(struct jbuf *b)
{
	if (b->n)
		fwrite(b->b, 1, b->n, b->f);
	b->n = 0;
}

/* Room for @k more bytes (k <= sizeof(b->b)). */
static char *jb_room(struct jbuf *b, size_t k)
{
	if (b->n + k > sizeof(b->b))
		jb_flush(b);
	return b->b + b->n;
}

static void jb_putc(struct jbuf *b, char c)
{
	*jb_room(b, 1) = c;
	b->n++;
}

static void jb_mem(struct jbuf *b, const void *s, size_t n)
{
	/* Long values (a block's base64) go to stdio as they are, not by 512. */
	if (n > sizeof(b->b)) {
		jb_flush(b);
		fwrite(s, 1, n, b->f);
		return;
	}
	while (n) {
		size_t k = sizeof(b->b) - b->n;

		if (!k) {
			jb_flush(b);
			k = sizeof(b->b);
		}
		if (k > n)
			k = n;
		memcpy(b->b + b->n, s, k);
		b->n += k;
		s = (const char *)s + k;
		n -= k;
	}
}

char *json_fmt_u64(char *p, uint64_t v)
{
	char tmp[20], *t = tmp + sizeof(tmp);
	size_t n;

	do {
		*--t = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	n = (size_t)(tmp + sizeof(tmp) - t);
	memcpy(p, t, n);
	return p + n;
}

/* Lowercase hex without leading zeros, as printf's %llx. */
static char *fmt_hex_digits(char *p, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int n = 1, i;

	while (n < 16 && v >> (4 * n))
		n++;
	for (i = n - 1; i >= 0; i--, v >>= 4)
		p[i] = digits[v & 0xf];
	return p + n;
}

char *json_fmt_hex(char *p, uint64_t v)
{
	*p++ = '"';
	*p++ = '0';
	*p++ = 'x';
	p = fmt_hex_digits(p, v);
	*p++ = '"';
	return p;
}

static void jb_u64(struct jbuf *b, uint64_t v)
{
	char *p = jb_room(b, JSON_FMT_MAX);

	b->n += (size_t)(json_fmt_u64(p, v) - p);
}

static void jb_hex(struct jbuf *b, uint64_t v)
{
	char *p = jb_room(b, JSON_FMT_MAX);

	b->n += (size_t)(json_fmt_hex(p, v) - p);
}

static void jb_string(struct jbuf *b, const char *s);

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
}

static void json_key(struct json *j, struct jbuf *b, const char *key)
{
	b->f = j->f;
	b->n = 0;
	if (!j->first[j->depth])
		jb_putc(b, ',');
	j->first[j->depth] = false;
	if (key) {
		jb_string(b, key);
		jb_putc(b, ':');
	}
}

static void json_open(struct json *j, const char *key, char c)
{
	struct jbuf b;

	json_key(j, &b, key);
	jb_putc(&b, c);
	jb_flush(&b);
	/* Deeper nesting is a programming error; keep output well formed. */
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void json_close(struct json *j, char c)
{
	putc(c, j->f);
	if (j->depth > 0)
		j->depth--;
}

void json_obj_begin(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_obj_end(struct json *j)
{
	json_close(j, '}');
}

void json_arr_begin(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void json_arr_end(struct json *j)
{
	json_close(j, ']');
}

void json_str(struct json *j, const char *key, const char *val)
{
	struct jbuf b;

	json_key(j, &b, key);
	jb_string(&b, val ? val : "");
	jb_flush(&b);
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	struct jbuf b;

	json_key(j, &b, key);
	jb_u64(&b, val);
	jb_flush(&b);
}

void json_raw(struct json *j, const char *key, const char *val, size_t len)
{
	struct jbuf b;

	json_key(j, &b, key);
	jb_mem(&b, val, len);
	jb_flush(&b);
}

void json_bool(struct json *j, const char *key, bool val)
{
	struct jbuf b;

	json_key(j, &b, key);
	if (val)
		jb_mem(&b, "true", 4);
	else
		jb_mem(&b, "false", 5);
	jb_flush(&b);
}

void json_hex(struct json *j, const char *key, uint64_t val)
{
	struct jbuf b;

	json_key(j, &b, key);
	jb_hex(&b, val);
	jb_flush(&b);
}

/* Length of the valid UTF-8 sequence at @s, or 0 (RFC 3629 table 4). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
		unsigned char hi = c == 0xed ? 0x9f : 0xbf;	/* no surrogates */

		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xf4 ? 0x8f : 0xbf;	/* <= U+10FFFF */

		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
		       (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/* Printable ASCII that JSON takes as it is. */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

static void jb_string(struct jbuf *b, const char *str)
{
	static const char hexd[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;

	jb_putc(b, '"');
	while (*s) {
		const unsigned char *run = s;
		char esc[6];
		size_t n;

		while (plain(*s))
			s++;
		if (s != run) {
			jb_mem(b, run, (size_t)(s - run));
			continue;
		}
		switch (*s) {
		case '"':  jb_mem(b, "\\\"", 2); s++; continue;
		case '\\': jb_mem(b, "\\\\", 2); s++; continue;
		case '\b': jb_mem(b, "\\b", 2); s++; continue;
		case '\f': jb_mem(b, "\\f", 2); s++; continue;
		case '\n': jb_mem(b, "\\n", 2); s++; continue;
		case '\r': jb_mem(b, "\\r", 2); s++; continue;
		case '\t': jb_mem(b, "\\t", 2); s++; continue;
		default:
			break;
		}
		if (*s < 0x20 || *s == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hexd[*s >> 4];
			esc[5] = hexd[*s & 0xf];
			jb_mem(b, esc, sizeof(esc));
			s++;
			continue;
		}
		/* A NUL continuation byte fails the checks: no overrun. */
		n = utf8_len(s);
		if (!n) {
			jb_mem(b, "\\ufffd", 6);
			s++;
			continue;
		}
		jb_mem(b, s, n);
		s += n;
	}
	jb_putc(b, '"');
}

void json_write_string(FILE *f, const char *str)
{
	struct jbuf b = { .f = f };

	jb_string(&b, str);
	jb_flush(&b);
}

void json_flag_names(struct json *j, const char *key, uint64_t flags,
		     const char *(*bit_name)(unsigned int bit))
{
	bool first = true;
	struct jbuf b;

	json_key(j, &b, key);
	jb_putc(&b, '[');
	/* lowest bit first, as the names are numbered */
	for (; flags; flags &= flags - 1) {
		unsigned int bit = (unsigned int)__builtin_ctzll(flags);
		const char *name = bit_name(bit);

		if (!first)
			jb_putc(&b, ',');
		first = false;
		if (name) {
			jb_string(&b, name);
		} else {
			jb_hex(&b, 1ULL << bit);
		}
	}
	jb_putc(&b, ']');
	jb_flush(&b);
}
