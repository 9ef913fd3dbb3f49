/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal JSON reader for the ptscope CLI's output: parses a document into
 * a tree of nodes.  Numbers are kept as text and converted on demand
 * (integers up to 64 bits exactly).  String escapes: \" \\ \/ \b \f \n \r
 * \t and \uXXXX (ASCII only; others become '?').
 */
#ifndef PTSCOPE_TESTS_JSON_H
#define PTSCOPE_TESTS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
		 JSON_OBJECT };

struct json {
	enum json_type type;
	char *key;		/* member name inside an object */
	char *str;		/* string value, or number text */
	bool boolean;
	struct json *child;	/* first element / member */
	struct json *next;	/* next sibling */
};

/* Returns NULL on a syntax error (with *err set to the offset). */
struct json *json_parse(const char *text, size_t *err);
void json_free(struct json *j);
const struct json *json_get(const struct json *obj, const char *key);
size_t json_len(const struct json *arr);
/* Integer value of a number node, or of a "0x..." / decimal string. */
bool json_u64(const struct json *j, uint64_t *out);
/* obj.key as an integer; false if missing or not a number. */
bool json_get_u64(const struct json *obj, const char *key, uint64_t *out);

#endif
