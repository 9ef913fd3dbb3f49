/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON reader for recordings (`ptscope maps --input`): the whole
 * document becomes a tree.  No external dependency, strict RFC 8259 syntax,
 * nesting limited so a hostile file cannot exhaust the stack.  Numbers keep
 * their text, so 64-bit counts convert exactly.
 */
#ifndef PTSCOPE_JSONR_H
#define PTSCOPE_JSONR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSONR_MAX_DEPTH	64

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	bool b;
	char *s;		/* J_STR: decoded UTF-8; J_NUM: the literal */
	size_t n;		/* J_ARR, J_OBJ: number of members */
	struct jval *v;		/* members */
	char **keys;		/* J_OBJ: key of each member */
};

/*
 * Parse @len bytes.  NULL on error with "LINE:COL: what" in @err.  The
 * document must be one value with only whitespace around it.
 */
struct jval *jsonr_parse(const char *text, size_t len, char *err, size_t errlen);
void jsonr_free(struct jval *v);

/* Member @key of an object, NULL if absent or @obj is not an object. */
const struct jval *jsonr_get(const struct jval *obj, const char *key);
/* The string, or NULL if @v is not a string. */
const char *jsonr_str(const struct jval *v);
/*
 * An unsigned 64-bit value: a non-negative integer literal, or a string
 * "0x..." (how ptscope writes addresses).  0 or -EINVAL/-ERANGE.
 */
int jsonr_u64(const struct jval *v, uint64_t *out);

#endif /* PTSCOPE_JSONR_H */
