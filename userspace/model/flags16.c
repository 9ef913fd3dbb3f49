// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <string.h>

#include "flags16.h"

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*
 * Two characters per 12 bits: the encoder's loop does two lookups per 3
 * bytes instead of four.  8 KiB, filled on first use (cheaper than a
 * static initialiser in the binary, which every start-up would map).
 */
static char pairs[4096][2];
static bool pairs_ready;

static void fill_pairs(void)
{
	unsigned int i;

	for (i = 0; i < 4096; i++) {
		pairs[i][0] = b64[i >> 6];
		pairs[i][1] = b64[i & 63];
	}
	pairs_ready = true;
}

char *flags16_to_b64(char *out, const unsigned char *w, size_t nr_pages)
{
	size_t n = 2 * nr_pages, i;

	if (!pairs_ready)
		fill_pairs();
	/*
	 * 6 bytes (4 pairs) per step from one 8-byte load, byte-swapped so the
	 * first byte is on top: half the instructions of the 3-byte loop below,
	 * which finishes the last 2-7 bytes.
	 */
	for (i = 0; i + 8 <= n; i += 6) {
		uint64_t v;

		memcpy(&v, w + i, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		v = __builtin_bswap64(v);
#endif
		memcpy(out, pairs[v >> 52], 2);
		memcpy(out + 2, pairs[v >> 40 & 0xfff], 2);
		memcpy(out + 4, pairs[v >> 28 & 0xfff], 2);
		memcpy(out + 6, pairs[v >> 16 & 0xfff], 2);
		out += 8;
	}
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)w[i] << 16 | (uint32_t)w[i + 1] << 8 | w[i + 2];

		memcpy(out, pairs[v >> 12], 2);
		memcpy(out + 2, pairs[v & 0xfff], 2);
		out += 4;
	}
	if (n - i == 1) {
		out[0] = b64[w[i] >> 2];
		out[1] = b64[(w[i] & 3) << 4];
		out[2] = out[3] = '=';
		out += 4;
	} else if (n - i == 2) {
		out[0] = b64[w[i] >> 2];
		out[1] = b64[(w[i] & 3) << 4 | w[i + 1] >> 4];
		out[2] = b64[(w[i + 1] & 15) << 2];
		out[3] = '=';
		out += 4;
	}
	return out;
}

/* 0-63, or -1 for anything else ('=' included: the caller strips it). */
static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int flags16_from_b64(const char *text, size_t len, unsigned char *out,
		     size_t *nr_pages)
{
	size_t i, n = 0, pad = 0;

	if (len % 4)
		return -1;
	if (len && text[len - 1] == '=')
		pad = len >= 2 && text[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len; i += 4) {
		bool last = i + 4 == len;
		int a = b64_value(text[i]), b = b64_value(text[i + 1]);
		int c = last && pad == 2 ? 0 : b64_value(text[i + 2]);
		int d = last && pad ? 0 : b64_value(text[i + 3]);
		uint32_t v;

		if (a < 0 || b < 0 || c < 0 || d < 0)
			return -1;
		v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
		out[n++] = (unsigned char)(v >> 16);
		if (!(last && pad == 2))
			out[n++] = (unsigned char)(v >> 8);
		if (!(last && pad))
			out[n++] = (unsigned char)v;
	}
	if (n % 2)
		return -1;
	*nr_pages = n / 2;
	return 0;
}
