/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading recordings (`ptscope maps --input`): json-c parses, these helpers
 * add what the snapshot loader needs on top of it: an error that says where
 * (LINE:COL), and u64 values that are exact (json-c's own getters clamp
 * negatives and doubles silently).
 *
 * Known json-c limit: a decimal integer above 2^64-1 reads as 2^64-1 (its
 * tokener saturates).  Addresses are written as "0x..." strings, which are
 * parsed here and do report overflow.
 */
#ifndef PTSCOPE_JSONR_H
#define PTSCOPE_JSONR_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* json-c keeps its own stack, so this only bounds memory, not recursion. */
#define JSONR_MAX_DEPTH	64

/*
 * Parse @len bytes (strict JSON, one value, whitespace around it).  NULL on
 * error with "LINE:COL: what" in @err.  Free with json_object_put().
 */
struct json_object *jsonr_parse(const char *text, size_t len, char *err, size_t errlen);

/* Member @key of an object, NULL if absent or @obj is not an object. */
struct json_object *jsonr_get(const struct json_object *obj, const char *key);
/* The string, or NULL if @v is not a string. */
const char *jsonr_str(const struct json_object *v);
/*
 * An unsigned 64-bit value: a non-negative integer, or a string "0x..."
 * (how ptscope writes addresses).  0, or -EINVAL (wrong type, negative,
 * fraction) / -ERANGE (hex overflow).
 */
int jsonr_u64(const struct json_object *v, uint64_t *out);

#endif /* PTSCOPE_JSONR_H */
