// SPDX-License-Identifier: GPL-2.0
/*
 * A snapshot from a recording.  The recording reuses the documents the
 * commands print (see README.md, "Recordings"), so names of flags and kinds
 * are mapped back to their bits here with the same tables (names.c) that
 * wrote them; numbers a newer writer used ("0x10000", "7") are accepted too.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flags16.h"
#include "fmt.h"
#include "jsonr.h"
#include "ptscope_priv.h"
#include "snapshot.h"

struct loader {
	struct snapshot *s;
	char *err;
	size_t errlen;
};

static int bad(struct loader *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct loader *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->err, l->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 1 << 16, n = 0;
	char *b;

	if (!f)
		return -errno;
	b = malloc(cap);
	while (b) {
		size_t got = fread(b + n, 1, cap - n, f);

		n += got;
		if (n < cap)
			break;
		cap *= 2;
		{
			char *nb = realloc(b, cap);

			if (!nb) {
				free(b);
				b = NULL;
			}
			b = nb;
		}
	}
	if (!b || ferror(f)) {
		int err = b ? EIO : ENOMEM;

		free(b);
		if (f != stdin)
			fclose(f);
		return -err;
	}
	if (f != stdin)
		fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

/* A name from names.c back to its bit; "0x..." for bits it did not know. */
static int flag_value(const char *name, const char *(*bit_name)(unsigned int),
		      uint64_t *out)
{
	unsigned int bit;

	if (!name)
		return -EINVAL;
	for (bit = 0; bit < 64; bit++) {
		const char *b = bit_name(bit);

		if (b && !strcmp(b, name)) {
			*out = 1ULL << bit;
			return 0;
		}
	}
	return strncmp(name, "0x", 2) || parse_hex(name, out) ? -EINVAL : 0;
}

/* An array of flag names to their bits. */
static int flag_bits(const struct json_object *arr, const char *(*bit_name)(unsigned int),
		     uint64_t *out)
{
	size_t i;

	*out = 0;
	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return -EINVAL;
	for (i = 0; i < json_object_array_length(arr); i++) {
		uint64_t v;

		if (flag_value(jsonr_str(json_object_array_get_idx(arr, i)), bit_name, &v))
			return -EINVAL;
		*out |= v;
	}
	return 0;
}

static int kind_value(const char *name, uint32_t *out)
{
	uint32_t k;
	char *end;
	unsigned long v;

	if (!name)
		return -EINVAL;
	for (k = 0; k < 64; k++) {
		if (!strcmp(ptscope_vma_kind_name(k), name)) {
			*out = k;
			return 0;
		}
	}
	v = strtoul(name, &end, 10);
	if (*end || end == name)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static uint32_t dev_value(const char *s)
{
	unsigned int major = 0, minor = 0;

	if (!s || sscanf(s, "%u:%u", &major, &minor) != 2)
		return 0;
	/* new_encode_dev(), the inverse of fmt_dev(). */
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

/* Optional unsigned member: absent is 0, present must be valid. */
static int opt_u64(const struct json_object *obj, const char *key, uint64_t *out)
{
	const struct json_object *v = jsonr_get(obj, key);

	*out = 0;
	return v ? jsonr_u64(v, out) : 0;
}

static int load_counts(const struct json_object *p, struct counts *n)
{
	return opt_u64(p, "total", &n->total)
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) || opt_u64(p, #name, &n->name)
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
		;
}

static int load_vma(struct loader *l, const struct json_object *o, size_t i)
{
	struct snap_vma v = { 0 };
	const char *name = jsonr_str(jsonr_get(o, "name"));
	uint64_t dummy;

	if (jsonr_u64(jsonr_get(o, "start"), &v.start) ||
	    jsonr_u64(jsonr_get(o, "end"), &v.end) || v.end < v.start)
		return bad(l, "vmas[%zu]: needs \"start\" and \"end\" (\"0x..\", start <= end)", i);
	if (i && v.start < l->s->vmas[i - 1].end)
		return bad(l, "vmas[%zu]: not in address order or overlapping", i);
	if (kind_value(jsonr_str(jsonr_get(o, "kind")), &v.kind))
		return bad(l, "vmas[%zu]: needs a \"kind\"", i);
	if (flag_bits(jsonr_get(o, "flags"), ptscope_vma_flag_bit_name, &v.flags))
		return bad(l, "vmas[%zu]: bad \"flags\"", i);
	if (opt_u64(o, "offset", &v.pgoff) || opt_u64(o, "inode", &v.inode) ||
	    opt_u64(o, "size", &dummy))
		return bad(l, "vmas[%zu]: bad number", i);
	v.dev = dev_value(jsonr_str(jsonr_get(o, "dev")));
	if (load_counts(jsonr_get(o, "pages"), &v.n))
		return bad(l, "vmas[%zu]: bad \"pages\" counts", i);
	v.n.total = (v.end - v.start) >> l->s->page_shift;
	if (snapshot_add_vma(l->s, &v, name))
		return bad(l, "out of memory");
	return 0;
}

static int load_run(struct loader *l, const struct json_object *o, size_t i)
{
	struct snap_run r = { 0 };
	uint64_t flags;

	if (jsonr_u64(jsonr_get(o, "start"), &r.start) ||
	    jsonr_u64(jsonr_get(o, "pages"), &r.nr_pages))
		return bad(l, "runs[%zu]: needs \"start\" and \"pages\"", i);
	if (flag_bits(jsonr_get(o, "flags"), ptscope_page_flag_bit_name, &flags) ||
	    flags > UINT32_MAX)
		return bad(l, "runs[%zu]: bad \"flags\"", i);
	r.flags = (uint32_t)flags;
	if (i && r.start < l->s->runs[i - 1].start)
		return bad(l, "runs[%zu]: not in address order", i);
	if (snapshot_add_run(l->s, &r))
		return bad(l, "out of memory");
	return 0;
}

/*
 * Version 2: "blocks" hold the pages not in "runs", each block's flags
 * words in base64, bit i of a word named by "page_flag_bits"[i].  Expanded
 * here into the runs they hold (maximal inside a block, as the kernel
 * sends them) and merged with "runs" in address order: the renderers see
 * the same runs as from a version 1 recording or the live process.
 */

/*
 * Flags word to PTSCOPE_PF_* through the names: a byte at a time.  Words
 * are 16 bits (flags16) or 32 (flags32, version 3), "page_flag_bits"
 * naming as many bits; @bits is how many it named.
 */
struct word_map {
	uint32_t byte[4][256];
	unsigned int bits;
};

static int load_word_map(struct loader *l, const struct json_object *names,
			 struct word_map *m)
{
	uint32_t bits[32] = { 0 };
	unsigned int i, k, v, n = 32;

	if (names) {
		if (!json_object_is_type(names, json_type_array) ||
		    (json_object_array_length(names) != 16 &&
		     json_object_array_length(names) != 32))
			return bad(l, "\"page_flag_bits\" must be an array of 16 or 32 names");
		n = (unsigned int)json_object_array_length(names);
	}
	for (i = 0; i < n; i++) {
		uint64_t f;

		if (!names) {			/* absent: this build's numbering */
			bits[i] = 1U << i;
			continue;
		}
		if (flag_value(jsonr_str(json_object_array_get_idx(names, i)),
			       ptscope_page_flag_bit_name, &f) || f > UINT32_MAX)
			return bad(l, "page_flag_bits[%u]: unknown flag", i);
		bits[i] = (uint32_t)f;
	}
	m->bits = n;
	for (k = 0; k < 4; k++)
		for (v = 0; v < 256; v++) {
			m->byte[k][v] = 0;
			for (i = 0; i < 8; i++)
				if (v & 1U << i)
					m->byte[k][v] |= bits[8 * k + i];
		}
	return 0;
}

/* A block's runs appended to @out; @words are little-endian, @size bytes each. */
static int expand_block(struct loader *l, const struct word_map *m, uint64_t start,
			const unsigned char *words, size_t n, unsigned int size,
			struct snapshot *out)
{
	size_t i = 0, j;

	while (i < n) {
		const unsigned char *w = words + size * i;
		struct snap_run r = { .start = start + ((uint64_t)i << l->s->page_shift) };

		for (j = i + 1; j < n && !memcmp(words + size * j, w, size); j++)
			;
		r.nr_pages = j - i;
		r.flags = m->byte[0][w[0]] | m->byte[1][w[1]];
		if (size == 4)
			r.flags |= m->byte[2][w[2]] | m->byte[3][w[3]];
		if (snapshot_add_run(out, &r))
			return bad(l, "out of memory");
		i = j;
	}
	return 0;
}

static int load_block(struct loader *l, const struct word_map *m,
		      const struct json_object *o, size_t i, struct snapshot *out)
{
	const struct json_object *t16 = jsonr_get(o, "flags16"), *t32 = jsonr_get(o, "flags32");
	const struct json_object *text = t16 ? t16 : t32;
	const char *key = t16 ? "flags16" : "flags32";
	unsigned int size = t16 ? 2 : 4;
	uint64_t start, pages;
	unsigned char *words;
	size_t n, len;
	int rc;

	if (jsonr_u64(jsonr_get(o, "start"), &start) ||
	    jsonr_u64(jsonr_get(o, "pages"), &pages))
		return bad(l, "blocks[%zu]: needs \"start\" and \"pages\"", i);
	if ((t16 && t32) || !json_object_is_type(text, json_type_string))
		return bad(l, "blocks[%zu]: needs \"flags16\" or \"flags32\"", i);
	if (size == 4 && m->bits != 32)
		return bad(l, "blocks[%zu]: \"flags32\" needs 32 \"page_flag_bits\"", i);
	if (out->nr_runs && start < out->runs[out->nr_runs - 1].start)
		return bad(l, "blocks[%zu]: not in address order", i);
	len = (size_t)json_object_get_string_len(text);
	words = malloc(len / 4 * 3 + 1);
	if (!words)
		return bad(l, "out of memory");
	/* the codec counts 16-bit words: a 32-bit one is two */
	if (flags16_from_b64(json_object_get_string((struct json_object *)text), len,
			     words, &n) || n % (size / 2) || n / (size / 2) != pages) {
		free(words);
		return bad(l, "blocks[%zu]: \"%s\" is not base64 of \"pages\" %u-bit words",
			   i, key, 8 * size);
	}
	rc = expand_block(l, m, start, words, n / (size / 2), size, out);
	free(words);
	return rc;
}

/* Two address-ordered lists of runs into one. */
static int merge_runs(struct loader *l, struct snapshot *blk)
{
	struct snapshot *s = l->s;
	size_t a = 0, b = 0, n = s->nr_runs + blk->nr_runs, k;
	struct snap_run *all = malloc((n ? n : 1) * sizeof(*all));

	if (!all)
		return bad(l, "out of memory");
	for (k = 0; k < n; k++) {
		bool from_runs = b == blk->nr_runs ||
			(a < s->nr_runs && s->runs[a].start < blk->runs[b].start);

		all[k] = from_runs ? s->runs[a++] : blk->runs[b++];
	}
	free(s->runs);
	s->runs = all;
	s->nr_runs = s->cap_runs = n;
	return 0;
}

static int load_blocks(struct loader *l, const struct json_object *doc)
{
	const struct json_object *blocks = jsonr_get(doc, "blocks");
	struct snapshot blk;
	struct word_map m = { .bits = 0 };
	size_t i;
	int rc = 0;

	if (!blocks)
		return 0;
	if (!json_object_is_type(blocks, json_type_array))
		return bad(l, "\"blocks\" is not an array");
	if (load_word_map(l, jsonr_get(doc, "page_flag_bits"), &m))
		return -1;
	snapshot_init(&blk, l->s->page_shift);
	for (i = 0; !rc && i < json_object_array_length(blocks); i++)
		rc = load_block(l, &m, json_object_array_get_idx(blocks, i), i, &blk);
	if (!rc)
		rc = merge_runs(l, &blk);
	snapshot_free(&blk);
	l->s->has_runs = true;
	return rc;
}

static void load_info(struct snapshot *s, const struct json_object *o)
{
	struct ptscope_info *in = &s->info;
	const char *str;
	uint64_t v;

	if (!json_object_is_type(o, json_type_object))
		return;
	s->has_info = true;
	if ((str = jsonr_str(jsonr_get(o, "module_version"))))
		snprintf(in->module_version, sizeof(in->module_version), "%s", str);
	if ((str = jsonr_str(jsonr_get(o, "kernel_release"))))
		snprintf(in->kernel_release, sizeof(in->kernel_release), "%s", str);
	if (!opt_u64(o, "proto_version", &v))
		in->proto_version = (uint32_t)v;
	if (!opt_u64(o, "page_size", &v))
		in->page_size = (uint32_t)v;
	if (!opt_u64(o, "pgtable_levels", &v))
		in->pgtable_levels = (uint32_t)v;
	if (!opt_u64(o, "live_dumps", &v))
		in->live_dumps = (uint32_t)v;
	opt_u64(o, "user_va_end", &in->user_va_end);
	flag_bits(jsonr_get(o, "features"), ptscope_feature_bit_name, &in->features);
	if ((str = jsonr_str(jsonr_get(o, "arch"))))
		snprintf(in->arch, sizeof(in->arch), "%s", str);
	if (jsonr_get(o, "page_flags") &&
	    !flag_bits(jsonr_get(o, "page_flags"), ptscope_page_flag_bit_name, &v) &&
	    v <= UINT32_MAX) {
		in->page_flags = (uint32_t)v;
		in->has_page_flags = true;
	}
	in->privileged = json_object_get_boolean(jsonr_get(o, "privileged"));
	in->allow_same_user = json_object_get_boolean(jsonr_get(o, "allow_same_user"));
}

static int load_doc(struct loader *l, const struct json_object *doc)
{
	const struct json_object *vmas = jsonr_get(doc, "vmas"), *runs = jsonr_get(doc, "runs");
	const char *format = jsonr_str(jsonr_get(doc, "format"));
	uint64_t v;
	size_t i;

	if (!json_object_is_type(doc, json_type_object))
		return bad(l, "not a ptscope recording (expected an object)");
	if (format && strcmp(format, RECORD_FORMAT))
		return bad(l, "unknown format \"%s\"", format);
	if (!opt_u64(doc, "version", &v) && v > RECORD_VERSION)
		return bad(l, "recording version %llu is newer than this ptscope (%d)",
			   (unsigned long long)v, RECORD_VERSION);
	if (!json_object_is_type(vmas, json_type_array))
		return bad(l, "not a ptscope recording (no \"vmas\" array)");
	if (!opt_u64(doc, "page_size", &v) && v) {
		if (v & (v - 1))
			return bad(l, "page_size %llu is not a power of two",
				   (unsigned long long)v);
		l->s->page_shift = (unsigned int)__builtin_ctzll(v);
	}
	if (!opt_u64(doc, "pid", &v))
		l->s->pid = (pid_t)v;
	load_info(l->s, jsonr_get(doc, "info"));
	for (i = 0; i < json_object_array_length(vmas); i++)
		if (load_vma(l, json_object_array_get_idx(vmas, i), i))
			return -1;
	if (runs) {
		if (!json_object_is_type(runs, json_type_array))
			return bad(l, "\"runs\" is not an array");
		for (i = 0; i < json_object_array_length(runs); i++)
			if (load_run(l, json_object_array_get_idx(runs, i), i))
				return -1;
		l->s->has_runs = true;
	}
	return load_blocks(l, doc);
}

int snapshot_load(struct snapshot *s, const char *path, char *err, size_t errlen)
{
	struct loader l = { s, err, errlen };
	char perr[256];
	struct json_object *doc;
	size_t len = 0;
	char *buf = NULL;
	int rc;

	rc = read_file(path, &buf, &len);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return -1;
	}
	doc = jsonr_parse(buf, len, perr, sizeof(perr));
	free(buf);
	if (!doc) {
		snprintf(err, errlen, "%s:%s", path, perr);
		return -1;
	}
	rc = load_doc(&l, doc);
	json_object_put(doc);
	if (rc) {
		/* Prefix the file name without a second buffer. */
		size_t n = strlen(path) + 2;
		size_t m = strlen(err);

		if (n + m < errlen) {
			memmove(err + n, err, m + 1);
			memcpy(err, path, n - 2);
			memcpy(err + n - 2, ": ", 2);
		}
		return -1;
	}
	return 0;
}
