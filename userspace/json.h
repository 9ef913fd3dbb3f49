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
 * Write @s as a JSON string with quotes.  Bytes that are not valid UTF-8
 * (file names are arbitrary bytes) become U+FFFD, so the document always
 * parses.
 */
void json_write_string(FILE *f, const char *s);

#endif /* PTSCOPE_JSON_H */
