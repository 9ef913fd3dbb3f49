// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "docs.h"
#include "flags16.h"
#include "fmt.h"
#include "ptscope_priv.h"

void json_info(struct json *j, const char *key, const struct ptscope_info *in)
{
	json_obj_begin(j, key);
	json_info_fields(j, in);
	json_obj_end(j);
}

void json_info_fields(struct json *j, const struct ptscope_info *in)
{
	json_str(j, "module_version", in->module_version);
	json_u64(j, "proto_version", in->proto_version);
	json_str(j, "kernel_release", in->kernel_release);
	json_u64(j, "page_size", in->page_size);
	json_u64(j, "pgtable_levels", in->pgtable_levels);
	json_hex(j, "user_va_end", in->user_va_end);
	json_flag_names(j, "features", in->features, ptscope_feature_bit_name);
	json_bool(j, "privileged", in->privileged);
	json_bool(j, "allow_same_user", in->allow_same_user);
	json_u64(j, "live_dumps", in->live_dumps);
	/* Only what the module said: recordings of older ones stay as they were. */
	if (in->arch[0])
		json_str(j, "arch", in->arch);
	if (in->has_page_flags) {
		json_flag_names(j, "page_flags", in->page_flags,
				ptscope_page_flag_bit_name);
		json_flag_names(j, "page_flags_absent",
				ptscope_known_page_flags() & ~in->page_flags,
				ptscope_page_flag_bit_name);
	}
}

/*
 * One write for all the counts instead of one call each: with 10,000 VMAs
 * the calls into stdio, not the formatting, were what this cost.
 */
void json_counts(struct json *j, const struct counts *n, uint32_t page_flags)
{
	static const char *const keys[] = {
		"\"total\":",
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) "\"" #name "\":",
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
	};
	static const uint32_t masks[] = {
		0,
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) mask,
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
	};
	const uint64_t vals[] = {
		n->total,
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) n->name,
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
	};
	char buf[sizeof(keys) / sizeof(keys[0]) * (16 + JSON_FMT_MAX) + 2], *p = buf;
	size_t i;

	*p++ = '{';
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t len = strlen(keys[i]);

		/* Pages with a flag the kernel does not have: absent, not 0. */
		if (masks[i] & ~page_flags)
			continue;
		if (i)
			*p++ = ',';
		memcpy(p, keys[i], len);
		p = json_fmt_u64(p + len, vals[i]);
	}
	*p++ = '}';
	json_raw(j, "pages", buf, (size_t)(p - buf));
}

void json_vma(struct json *j, const struct snap_vma *v, uint32_t page_flags)
{
	char perms[5], dev[24];

	fmt_perms(v->flags, perms);
	fmt_dev(v->dev, dev, sizeof(dev));
	json_obj_begin(j, NULL);
	json_hex(j, "start", v->start);
	json_hex(j, "end", v->end);
	json_u64(j, "size", v->end - v->start);
	json_str(j, "perms", perms);
	json_flag_names(j, "flags", v->flags, ptscope_vma_flag_bit_name);
	json_str(j, "kind", ptscope_vma_kind_name(v->kind));
	json_str(j, "name", v->name);
	json_u64(j, "offset", v->pgoff);
	json_u64(j, "inode", v->inode);
	json_str(j, "dev", dev);
	json_counts(j, &v->n, page_flags);
	json_obj_end(j);
}

void json_run(struct json *j, const struct snapshot *s, const struct snap_run *r)
{
	json_obj_begin(j, NULL);
	json_hex(j, "start", r->start);
	json_hex(j, "end", snap_run_end(s, r));
	json_u64(j, "pages", r->nr_pages);
	json_flag_names(j, "flags", r->flags, ptscope_page_flag_bit_name);
	json_obj_end(j);
}

void json_page_flag_bits(struct json *j, const char *key, unsigned int bits)
{
	unsigned int bit;

	json_arr_begin(j, key);
	for (bit = 0; bit < bits; bit++) {
		const char *name = ptscope_page_flag_bit_name(bit);
		char hex[JSON_FMT_MAX];

		if (name) {
			json_str(j, NULL, name);
		} else {
			/* as json_flag_names() writes a bit it does not know */
			json_raw(j, NULL, hex, (size_t)(json_fmt_hex(hex, 1ULL << bit) - hex));
		}
	}
	json_arr_end(j);
}

void json_block(struct json *j, const struct snapshot *s, const struct snap_block *b)
{
	/* 6144 bytes, a multiple of 3: no padding but at the end */
	enum { CHUNK_BYTES = 6144 };
	struct snap_run r = { .start = b->start, .nr_pages = b->nr_pages };
	const unsigned int size = s->block_word;
	const uint64_t chunk = CHUNK_BYTES / size;
	char text[CHUNK_BYTES / 3 * 4];
	uint64_t i;

	json_obj_begin(j, NULL);
	json_hex(j, "start", b->start);
	json_hex(j, "end", snap_run_end(s, &r));
	json_u64(j, "pages", b->nr_pages);
	json_raw(j, size == 4 ? "flags32" : "flags16", "\"", 1);
	/* Encoded a piece at a time on the stack: nothing to allocate or fail. */
	for (i = 0; i < b->nr_pages; i += chunk) {
		uint64_t n = b->nr_pages - i < chunk ? b->nr_pages - i : chunk;
		/* the codec counts 16-bit words: a 32-bit one is two */
		char *end = flags16_to_b64(text, s->block_words + size * (b->first + i),
					   n * size / 2);

		fwrite(text, 1, (size_t)(end - text), j->f);
	}
	putc('"', j->f);
	json_obj_end(j);
}

void json_access_stats(struct json *j, const char *key, const struct ptscope_access_stats *s)
{
	json_obj_begin(j, key);
	json_u64(j, "entries", s->entries);
	json_u64(j, "present", s->present);
	json_u64(j, "accessed", s->accessed);
	json_u64(j, "cleared", s->cleared);
	json_u64(j, "young_marked", s->young_marked);
	json_u64(j, "flushes", s->flushes);
	json_u64(j, "flush_cpus", s->flush_cpus);
	json_obj_end(j);
}
