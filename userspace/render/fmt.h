/* SPDX-License-Identifier: GPL-2.0 */
/* Parsing of command-line values and formatting for people. */
#ifndef PTSCOPE_FMT_H
#define PTSCOPE_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Decimal PID, 1..INT_MAX, nothing else around it.  0 or -EINVAL. */
int parse_pid(const char *s, pid_t *out);
/* Hex number with or without 0x, up to 64 bits.  0 or -EINVAL/-ERANGE. */
int parse_hex(const char *s, uint64_t *out);
/* "START-END", both hex as in parse_hex(). */
int parse_range(const char *s, uint64_t *start, uint64_t *end);

/* 0, 512B, 4K, 1.5M, 128T: binary units, rounded to nearest, one decimal
 * below 10 (dropped when it is 0). */
void fmt_size(uint64_t bytes, char *buf, size_t len);
/* "rw-p" like /proc/PID/maps, from PTSCOPE_VMA_F_* bits. */
void fmt_perms(uint64_t vma_flags, char out[5]);
/* "MAJ:MIN" in decimal from a new_encode_dev() value. */
void fmt_dev(uint32_t dev, char *buf, size_t len);
/* Hex digits needed for @v (at least 1). */
int hex_digits(uint64_t v);
/*
 * Write @s for a terminal: control bytes and DEL become \ooo, as
 * /proc/PID/maps does for newlines, so a file name cannot move the cursor
 * or change colours.
 */
void fput_sanitized(const char *s, FILE *f);

/*
 * Length of the valid UTF-8 sequence at @s (NUL-terminated), 0 if it is
 * not one: overlong forms, surrogates and beyond U+10FFFF are not UTF-8.
 */
int utf8_seq_len(const unsigned char *s);

#endif /* PTSCOPE_FMT_H */
