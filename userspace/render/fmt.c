// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <linux/ptscope.h>

#include "fmt.h"

int parse_pid(const char *s, pid_t *out)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > INT_MAX)
			return -ERANGE;
	}
	if (v == 0)
		return -EINVAL;
	*out = (pid_t)v;
	return 0;
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses hex from @s up to @stop (exclusive); strtoull would accept signs
 * and spaces we do not want. */
static int parse_hex_n(const char *s, const char *stop, uint64_t *out)
{
	uint64_t v = 0;

	if (stop - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (s == stop)
		return -EINVAL;
	for (; s < stop; s++) {
		int d = hex_val(*s);

		if (d < 0)
			return -EINVAL;
		if (v > (UINT64_MAX >> 4))
			return -ERANGE;
		v = (v << 4) | (uint64_t)d;
	}
	*out = v;
	return 0;
}

int parse_hex(const char *s, uint64_t *out)
{
	if (!s)
		return -EINVAL;
	return parse_hex_n(s, s + strlen(s), out);
}

int parse_range(const char *s, uint64_t *start, uint64_t *end)
{
	const char *dash;
	uint64_t a, b;
	int err;

	if (!s)
		return -EINVAL;
	dash = strchr(s, '-');
	if (!dash || strchr(dash + 1, '-'))
		return -EINVAL;
	err = parse_hex_n(s, dash, &a);
	if (!err)
		err = parse_hex(dash + 1, &b);
	if (err)
		return err;
	*start = a;
	*end = b;
	return 0;
}

void fmt_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v;
	int i = 0;

	if (bytes == 0) {
		snprintf(buf, len, "0");
		return;
	}
	if (bytes < 1024) {
		snprintf(buf, len, "%lluB", (unsigned long long)bytes);
		return;
	}
	v = (double)bytes / 1024;
	/* Move up when rounding would print 1024 of a unit. */
	while (i < 5 && v >= 1023.5) {
		v /= 1024;
		i++;
	}
	if (v < 9.95) {
		long tenths = lround(v * 10);

		if (tenths % 10)
			snprintf(buf, len, "%ld.%ld%c", tenths / 10, tenths % 10, units[i]);
		else
			snprintf(buf, len, "%ld%c", tenths / 10, units[i]);
	} else {
		snprintf(buf, len, "%.0f%c", v, units[i]);
	}
}

void fmt_perms(uint64_t f, char out[5])
{
	out[0] = f & PTSCOPE_VMA_F_READ ? 'r' : '-';
	out[1] = f & PTSCOPE_VMA_F_WRITE ? 'w' : '-';
	out[2] = f & PTSCOPE_VMA_F_EXEC ? 'x' : '-';
	/* maps shows MAYSHARE, not SHARED: a read-only shared file is 's'. */
	out[3] = f & PTSCOPE_VMA_F_MAYSHARE ? 's' : 'p';
	out[4] = '\0';
}

void fmt_dev(uint32_t dev, char *buf, size_t len)
{
	/* new_decode_dev() */
	unsigned int major = (dev & 0xfff00) >> 8;
	unsigned int minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	snprintf(buf, len, "%u:%u", major, minor);
}

int hex_digits(uint64_t v)
{
	int n = 1;

	while (v >>= 4)
		n++;
	return n;
}

void fput_sanitized(const char *s, FILE *f)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || c == '\\')
			fprintf(f, "\\%03o", c);
		else
			putc(c, f);
	}
}

int utf8_seq_len(const unsigned char *s)
{
	uint32_t cp;
	int n, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp < 0xe000) || cp > 0x10ffff)
		return 0;
	return n;
}
