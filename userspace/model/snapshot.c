// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ptscope_priv.h"
#include "snapshot.h"

void snapshot_init(struct snapshot *s, unsigned int page_shift)
{
	memset(s, 0, sizeof(*s));
	s->page_shift = page_shift;
}

void snapshot_free(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->nr_vmas; i++)
		free(s->vmas[i].name);
	free(s->vmas);
	free(s->runs);
	free(s->blocks);
	free(s->block_words);
	memset(s, 0, sizeof(*s));
}

static int grow(void **v, size_t *cap, size_t nr, size_t size)
{
	size_t ncap;
	void *nv;

	if (nr < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

int snapshot_add_vma(struct snapshot *s, const struct snap_vma *v, const char *name)
{
	struct snap_vma *d;

	if (grow((void **)&s->vmas, &s->cap_vmas, s->nr_vmas, sizeof(*v)))
		return -ENOMEM;
	d = &s->vmas[s->nr_vmas];
	*d = *v;
	d->name = strdup(name ? name : "");
	if (!d->name)
		return -ENOMEM;
	s->nr_vmas++;
	return 0;
}

int snapshot_add_run(struct snapshot *s, const struct snap_run *r)
{
	if (grow((void **)&s->runs, &s->cap_runs, s->nr_runs, sizeof(*r)))
		return -ENOMEM;
	s->runs[s->nr_runs++] = *r;
	return 0;
}

int snapshot_add_block(struct snapshot *s, uint64_t start, const void *words,
		       size_t nr_pages, unsigned int size)
{
	const unsigned char *src = words;
	unsigned char *dst;

	if ((size != 2 && size != 4) || (s->block_word && s->block_word != size))
		return -EINVAL;
	if (grow((void **)&s->blocks, &s->cap_blocks, s->nr_blocks, sizeof(*s->blocks)))
		return -ENOMEM;
	while (s->cap_block_words - s->nr_block_words < nr_pages) {
		size_t cap = s->cap_block_words ? 2 * s->cap_block_words : 1 << 16;
		unsigned char *w = realloc(s->block_words, size * cap);

		if (!w)
			return -ENOMEM;
		s->block_words = w;
		s->cap_block_words = cap;
	}
	s->block_word = size;
	dst = s->block_words + size * s->nr_block_words;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(dst, src, size * nr_pages);
#else
	for (size_t i = 0; i < nr_pages; i++) {
		uint32_t w;
		uint16_t w16;

		if (size == 2) {
			memcpy(&w16, src + 2 * i, 2);
			w = w16;
		} else {
			memcpy(&w, src + 4 * i, 4);
		}
		for (unsigned int k = 0; k < size; k++)
			dst[size * i + k] = (unsigned char)(w >> 8 * k);
	}
#endif
	s->blocks[s->nr_blocks++] = (struct snap_block){
		.start = start, .nr_pages = nr_pages, .first = s->nr_block_words,
	};
	s->nr_block_words += nr_pages;
	return 0;
}

uint32_t snapshot_page_flags(const struct snapshot *s)
{
	if (s->has_info && s->info.has_page_flags)
		return s->info.page_flags;
	return ptscope_known_page_flags();
}

uint64_t snap_run_end(const struct snapshot *s, const struct snap_run *r)
{
	uint64_t bytes = r->nr_pages > (UINT64_MAX >> s->page_shift) ?
		UINT64_MAX : r->nr_pages << s->page_shift;

	return bytes > UINT64_MAX - r->start ? UINT64_MAX : r->start + bytes;
}

/* The pages of @flags a VMA's counts take in, as module/vma.c counts them. */
static void count_pages(struct counts *n, uint32_t flags, uint64_t pages)
{
	/* The module's counting rule, from the same list. */
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) \
	if ((flags & (mask)) == (mask))		   \
		n->name += pages;
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
}

/*
 * Pages of each flags word in the blocks of one VMA: a block holds a few
 * distinct words over thousands of pages, so the counters are applied once
 * per distinct word (count_pages()), not once per page.  Of 32-bit words
 * only the low 16 bits count: every counter's flags are there.
 */
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) | (mask)
_Static_assert((0
#include "../../module/vma_counters.def"
	       ) <= 0xffff, "a VMA counter's flags beyond a 16-bit word");
#undef PTSCOPE_VMA_COUNTER

struct word_hist {
	uint64_t *pages;		/* by flags word: 65536 */
	uint16_t *seen;			/* the words with pages, in any order */
	size_t nr_seen;
};

static void hist_put(struct word_hist *h, uint16_t f, uint64_t pages)
{
	if (!pages)
		return;
	if (!h->pages[f])
		h->seen[h->nr_seen++] = f;
	h->pages[f] += pages;
}

/*
 * The two words seen last are counted in registers: where attributes
 * alternate page by page (the case blocks are for) every page hits them,
 * and the histogram, whose read-modify-write of the same few entries
 * chains each page to the one before, is touched only when a third word
 * comes (callgrind, 262,144 alternating pages: 11 -> 8.5 instructions a
 * page, and no chain through memory).
 */
static void hist_add(struct word_hist *h, const struct snapshot *s,
		     const struct snap_block *b, uint64_t from, uint64_t to)
{
	const unsigned int size = s->block_word;
	const unsigned char *w = s->block_words + size * (b->first + from);
	uint64_t i, n0 = 0, n1 = 0;
	uint16_t c0 = 0, c1 = 0;

	for (i = from; i < to; i++, w += size) {
		uint16_t f = (uint16_t)(w[0] | w[1] << 8);	/* the low half */

		if (f == c0) {
			n0++;
		} else if (f == c1) {
			n1++;
		} else {
			hist_put(h, c1, n1);
			c1 = c0;
			n1 = n0;
			c0 = f;
			n0 = 1;
		}
	}
	hist_put(h, c0, n0);
	hist_put(h, c1, n1);
}

static void hist_flush(struct word_hist *h, struct counts *n)
{
	while (h->nr_seen) {
		uint16_t f = h->seen[--h->nr_seen];

		count_pages(n, f, h->pages[f]);
		h->pages[f] = 0;
	}
}

/* [*a, *b): the part of [start, end) inside @v, in pages from @start. */
static bool clip(const struct snapshot *s, const struct snap_vma *v,
		 uint64_t start, uint64_t end, uint64_t *a, uint64_t *b)
{
	uint64_t lo = start > v->start ? start : v->start;
	uint64_t hi = end < v->end ? end : v->end;

	if (lo >= hi)
		return false;
	*a = (lo - start) >> s->page_shift;
	*b = (hi - start) >> s->page_shift;
	return true;
}

static uint64_t snap_block_end(const struct snapshot *s, const struct snap_block *b)
{
	struct snap_run r = { .start = b->start, .nr_pages = b->nr_pages };

	return snap_run_end(s, &r);
}

int snapshot_count_runs(struct snapshot *s)
{
	struct word_hist h = { 0 };
	size_t i, first = 0, first_block = 0;

	if (s->nr_blocks) {
		/* calloc: only the pages of the words seen are ever touched */
		h.pages = calloc(1 << 16, sizeof(*h.pages));
		h.seen = malloc((1 << 16) * sizeof(*h.seen));
		if (!h.pages || !h.seen) {
			free(h.pages);
			free(h.seen);
			return -ENOMEM;
		}
	}
	for (i = 0; i < s->nr_vmas; i++) {
		struct snap_vma *v = &s->vmas[i];
		size_t k;

		memset(&v->n, 0, sizeof(v->n));
		v->n.total = (v->end - v->start) >> s->page_shift;
		while (first < s->nr_runs &&
		       snap_run_end(s, &s->runs[first]) <= v->start)
			first++;
		/*
		 * Only the part of a run inside the VMA counts: the VMAs were
		 * listed before the runs were walked, and a VMA that changed
		 * in between must not gain pages it does not span.
		 */
		for (k = first; k < s->nr_runs && s->runs[k].start < v->end; k++) {
			const struct snap_run *r = &s->runs[k];
			uint64_t a, b;

			if (clip(s, v, r->start, snap_run_end(s, r), &a, &b))
				count_pages(&v->n, r->flags, b - a);
		}
		while (first_block < s->nr_blocks &&
		       snap_block_end(s, &s->blocks[first_block]) <= v->start)
			first_block++;
		for (k = first_block; k < s->nr_blocks && s->blocks[k].start < v->end; k++) {
			const struct snap_block *bl = &s->blocks[k];
			uint64_t a, b;

			if (clip(s, v, bl->start, snap_block_end(s, bl), &a, &b))
				hist_add(&h, s, bl, a, b);
		}
		hist_flush(&h, &v->n);
	}
	free(h.pages);
	free(h.seen);
	return 0;
}
