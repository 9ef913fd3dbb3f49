/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal streaming JSON writer: compact output, commas placed by the
 * writer, strings always valid UTF-8.  Keys are NULL inside arrays and at
 * the top level.
 */
#ifndef PTSCOPE_JSON_H
#define PTSCOPE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
/*
 * "key": [names of the set bits of flags], as bit_name() names them; a bit
 * it does not know (a kernel newer than this CLI) appears as "0x...".
 */
void json_flag_names(struct json *j, const char *key, uint64_t flags,
		     const char *(*bit_name)(unsigned int bit));
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
/* Addresses exceed 2^53, which many JSON readers cannot hold: "0x..". */
void json_hex(struct json *j, const char *key, uint64_t val);

/*
 * For hot loops (`pages --json`: an object per run): format a value in
 * memory with the json_fmt_*() helpers and write it with one json_raw().
 * @val must be valid JSON; the writer only adds the comma and the key.
 */
void json_raw(struct json *j, const char *key, const char *val, size_t len);
/* Room json_fmt_u64() and json_fmt_hex() may use. */
#define JSON_FMT_MAX	24
/* Decimal, as json_u64(); returns the end.  Not NUL-terminated. */
char *json_fmt_u64(char *p, uint64_t v);
/* "0x..." with its quotes, as json_hex(); returns the end. */
char *json_fmt_hex(char *p, uint64_t v);

/*
 * Write @s as a JSON string with quotes.  Bytes that are not valid UTF-8
 * (file names are arbitrary bytes) become U+FFFD, so the document always
 * parses.
 */
void json_write_string(FILE *f, const char *s);

#endif /* PTSCOPE_JSON_H */
