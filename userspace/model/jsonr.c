// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "jsonr.h"

/* json-c reports a byte offset; people fix files by line and column. */
static void where(const char *text, size_t off, unsigned int *line, unsigned int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

struct json_object *jsonr_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct json_tokener *tok = json_tokener_new_ex(JSONR_MAX_DEPTH);
	enum json_tokener_error e;
	struct json_object *doc;
	unsigned int line, col;
	size_t off;

	if (len > INT_MAX) {
		/* json_tokener_parse_ex() takes an int length. */
		snprintf(err, errlen, "larger than %d bytes", INT_MAX);
		json_tokener_free(tok);
		return NULL;
	}
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	doc = json_tokener_parse_ex(tok, text, (int)len);
	off = json_tokener_get_parse_end(tok);
	/*
	 * A number at the very end ("7") is not finished until the tokener
	 * sees what follows it: say the input ended.
	 */
	if (!doc && json_tokener_get_error(tok) == json_tokener_continue) {
		doc = json_tokener_parse_ex(tok, "", 1);
		off = len;
	}
	e = json_tokener_get_error(tok);
	if (doc && e == json_tokener_success && off < len) {
		/* A second value after the first: strict mode still stops there. */
		while (off < len && strchr(" \t\r\n", text[off]))
			off++;
		if (off < len) {
			json_object_put(doc);
			doc = NULL;
			where(text, off, &line, &col);
			snprintf(err, errlen, "%u:%u: trailing data after the document",
				 line, col);
		}
	} else if (!doc && e == json_tokener_success) {
		/* json-c's null is a NULL object: no recording either. */
		snprintf(err, errlen, "1:1: the document is null");
	} else if (!doc) {
		if (off > len)
			off = len;
		where(text, off, &line, &col);
		snprintf(err, errlen, "%u:%u: %s", line, col,
			 e == json_tokener_error_depth ? "nested too deeply" :
			 json_tokener_error_desc(e));
		/* json-c does not say which character; the reader wants it. */
		if (off < len && text[off] > ' ' && text[off] < 0x7f) {
			size_t used = strlen(err);

			snprintf(err + used, errlen - used, " ('%c')", text[off]);
		}
	}
	json_tokener_free(tok);
	return doc;
}

struct json_object *jsonr_get(const struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

const char *jsonr_str(const struct json_object *v)
{
	/* json-c's getters take a non-const object but do not change it. */
	return json_object_is_type(v, json_type_string) ?
		json_object_get_string((struct json_object *)v) : NULL;
}

int jsonr_u64(const struct json_object *v, uint64_t *out)
{
	const char *s = jsonr_str(v);

	if (s)
		return strncmp(s, "0x", 2) ? -EINVAL : parse_hex(s, out);
	if (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0)
		return -EINVAL;
	*out = json_object_get_uint64(v);
	return 0;
}
