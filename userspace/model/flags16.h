/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compact blocks in a recording (version 2): a block's per-page flags words
 * (PTSCOPE_PF_*, 16 bits each, little-endian) as one base64 string (RFC
 * 4648, standard alphabet, with padding): 2.67 characters per page, where
 * one JSON object per run of one page is ~100.  Base64 rather than hex: a
 * third less to write, parse and keep, and one table lookup per 12 bits.
 */
#ifndef PTSCOPE_FLAGS16_H
#define PTSCOPE_FLAGS16_H

#include <stddef.h>
#include <stdint.h>

/* Characters of the base64 text of @nr_pages words (no quotes, no NUL). */
static inline size_t flags16_b64_len(size_t nr_pages)
{
	return (2 * nr_pages + 2) / 3 * 4;
}

/* Encode @nr_pages little-endian words at @words; returns the end of @out. */
char *flags16_to_b64(char *out, const unsigned char *words, size_t nr_pages);

/*
 * Decode @len characters of base64 into little-endian words at @out (room
 * for len / 4 * 3 bytes).  The number of words in *@nr_pages; -1 if @text is
 * not base64 of whole 16-bit words (bad character, padding, odd length).
 */
int flags16_from_b64(const char *text, size_t len, unsigned char *out,
		     size_t *nr_pages);

#endif /* PTSCOPE_FLAGS16_H */
