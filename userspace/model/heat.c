// SPDX-License-Identifier: GPL-2.0
/*
 * The heat model (heat.h): idle ages, working sets, histogram and map rows
 * from a series of sample-access intervals.
 *
 * Each interval visits every page of every chunk exactly once, in address
 * order: the pages of the kernel's blocks as they come, and the pages
 * between blocks (not present, so not accessed) as the pass goes by them.
 * Chunks are rebuilt in that same pass (old ones carried over, new ones
 * made where a page is present for the first time), so an interval is one
 * pass, O(pages present or once present), never O(virtual size).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "heat.h"
#include "heat_sample.h"

struct heat_chunk {
	uint64_t base;				/* aligned to its span */
	uint8_t age[HEAT_CHUNK_PAGES];		/* saturating at HEAT_AGE_MAX */
	uint8_t present[HEAT_CHUNK_PAGES / 8];	/* as of the last interval */
};


int heat_init(struct heat *h, unsigned int page_shift, uint64_t range_start,
	      uint64_t range_end, unsigned int ncols, size_t ring, bool keep_all)
{
	memset(h, 0, sizeof(*h));
	h->page_shift = page_shift;
	h->range_start = range_start;
	h->range_end = range_end;
	h->layout.ncols = ncols ? ncols : 1;
	h->keep_all = keep_all;
	h->ring_cap = keep_all ? 0 : (ring ? ring : 1);
	h->col_present = calloc(h->layout.ncols, sizeof(uint64_t));
	h->col_acc = calloc(h->layout.ncols, sizeof(uint64_t));
	h->layout.hole = calloc(h->layout.ncols, sizeof(bool));
	if (!keep_all) {
		h->rows = malloc(h->ring_cap * h->layout.ncols);
		h->rows_cap = h->ring_cap;
	}
	if (!h->col_present || !h->col_acc || !h->layout.hole || (!keep_all && !h->rows)) {
		heat_free(h);
		return -ENOMEM;
	}
	return 0;
}

void heat_free(struct heat *h)
{
	size_t i;

	for (i = 0; i < h->nchunks; i++)
		free(h->chunks[i]);
	free(h->chunks);
	free(h->next);
	free(h->cv);
	for (i = 0; i < h->nvs; i++)
		free(h->vs[i].name);
	free(h->vs);
	free(h->layout.ext);
	free(h->layout.hole);
	free(h->col_present);
	free(h->col_acc);
	free(h->tot);
	free(h->rows);
	memset(h, 0, sizeof(*h));
}

const char *heat_end_name(enum heat_end e)
{
	switch (e) {
	case HEAT_END_COUNT:		return "count";
	case HEAT_END_INTERRUPTED:	return "interrupted";
	case HEAT_END_EXITED:		return "exited";
	default:			return "running";
	}
}

/* Index of the vstat with @start, or where it would go. */
static size_t vs_find(const struct heat *h, uint64_t start)
{
	size_t lo = 0, hi = h->nvs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->vs[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int vs_update(struct heat *h, const struct heat_vma_in *v)
{
	size_t i = vs_find(h, v->start);
	struct heat_vstat *s;

	if (i == h->nvs || h->vs[i].start != v->start) {
		if (heat_reserve(&h->vs, &h->capvs, h->nvs + 1, sizeof(*h->vs)))
			return -ENOMEM;
		memmove(&h->vs[i + 1], &h->vs[i], (h->nvs - i) * sizeof(*h->vs));
		h->nvs++;
		memset(&h->vs[i], 0, sizeof(h->vs[i]));
		h->vs[i].start = v->start;
		h->vs[i].axis = h->have_layout ? heat_layout_find(&h->layout, v->start) : -1;
	}
	s = &h->vs[i];
	s->end = v->end;
	s->seen = true;
	s->cur = 0;
	if (!s->name || strcmp(s->name, v->name)) {
		char *name = strdup(v->name);

		if (!name)
			return -ENOMEM;
		free(s->name);
		s->name = name;
	}
	return 0;
}

static uint64_t chunk_span(const struct heat *h)
{
	return (uint64_t)HEAT_CHUNK_PAGES << h->page_shift;
}

static uint8_t init_age(const struct heat *h)
{
	return h->intervals < HEAT_AGE_MAX ? (uint8_t)h->intervals : HEAT_AGE_MAX;
}

/* Chunks no VMA overlaps any more are dropped: their pages are gone. */
static void drop_chunks(struct heat *h)
{
	size_t i, j = 0, k = 0;

	for (i = 0; i < h->nchunks; i++) {
		struct heat_chunk *c = h->chunks[i];

		while (j < h->ncv && h->cv[j].end <= c->base)
			j++;
		if (j < h->ncv && h->cv[j].start < c->base + chunk_span(h))
			h->chunks[k++] = c;
		else
			free(c);
	}
	h->nchunks = k;
}

int heat_begin(struct heat *h, const struct heat_vma_in *v, size_t n)
{
	struct heat_vma_in *c = calloc(n ? n : 1, sizeof(*c));
	size_t i, k = 0;
	int err = 0;

	if (!c)
		return -ENOMEM;
	/* Only what --range covers counts, everywhere. */
	for (i = 0; i < n; i++) {
		uint64_t a = v[i].start, b = v[i].end;

		if (h->range_end && (b <= h->range_start || a >= h->range_end))
			continue;
		if (h->range_end) {
			a = a > h->range_start ? a : h->range_start;
			b = b < h->range_end ? b : h->range_end;
		}
		if (a >= b)
			continue;
		c[k] = v[i];
		c[k].start = a;
		c[k++].end = b;
	}
	/*
	 * The axis is fixed at the first interval, so that rows compare; but
	 * an axis without a VMA (nothing mapped in --range yet) shows nothing
	 * ever, and is made again from the first VMAs that appear.
	 */
	if (!h->have_layout || (!h->layout.n && k)) {
		h->have_layout = true;
		err = heat_layout_build(&h->layout, h->page_shift, c, k);
		for (i = 0; i < h->nvs; i++)
			h->vs[i].axis = heat_layout_find(&h->layout, h->vs[i].start);
	}
	for (i = 0; i < h->nvs; i++)
		h->vs[i].seen = false;
	for (i = 0; !err && i < k; i++)
		err = vs_update(h, &c[i]);
	if (!err)
		err = heat_reserve(&h->cv, &h->capcv, k, sizeof(*h->cv));
	for (i = 0; !err && i < k; i++)
		h->cv[i] = (struct heat_cvma){ c[i].start, c[i].end, vs_find(h, c[i].start) };
	free(c);
	if (err)
		return err;
	h->ncv = k;
	drop_chunks(h);
	memset(h->col_present, 0, h->layout.ncols * sizeof(uint64_t));
	memset(h->col_acc, 0, h->layout.ncols * sizeof(uint64_t));
	memset(h->age_count, 0, sizeof(h->age_count));
	memset(&h->now, 0, sizeof(h->now));
	h->nnext = h->cur_chunk = h->cur_ext = h->cur_vma = 0;
	h->open = NULL;
	h->open_page = 0;
	return 0;
}

/* Bucket of a present page: 0 for age 0, else 1 + floor(log2(age)). */
static unsigned int age_bucket(unsigned int age)
{
	unsigned int b = age ? 32 - (unsigned int)__builtin_clz(age) : 0;

	return b > HEAT_HIST ? HEAT_HIST : b;
}

static void visit(struct heat *h, struct heat_chunk *c, unsigned int i, unsigned int state)
{
	if (state & PTSCOPE_ACCESS_ACCESSED)
		c->age[i] = 0;
	else if (c->age[i] < HEAT_AGE_MAX)
		c->age[i]++;
	if (state & PTSCOPE_ACCESS_PRESENT) {
		c->present[i / 8] |= (uint8_t)(1u << (i % 8));
		h->age_count[age_bucket(c->age[i])]++;
	} else {
		c->present[i / 8] &= (uint8_t)~(1u << (i % 8));
	}
}

/* The open chunk's pages up to @to: in no block, so not present. */
static void absent_to(struct heat *h, unsigned int to)
{
	for (; h->open_page < to; h->open_page++)
		visit(h, h->open, h->open_page, 0);
}

static void close_open(struct heat *h)
{
	if (h->open)
		absent_to(h, HEAT_CHUNK_PAGES);
	h->open = NULL;
}

/* Make @c the open chunk, last of this interval's list. */
static void open_chunk(struct heat *h, struct heat_chunk *c)
{
	h->next[h->nnext++] = c;
	h->open = c;
	h->open_page = 0;
}

/*
 * The pass reaches @base: old chunks before it are passed (all absent),
 * and the chunk at @base is opened: the old one, or with @create a new
 * one.  0, or -ENOMEM (the page then counts in the totals only).
 */
static int reach(struct heat *h, uint64_t base, bool create)
{
	struct heat_chunk *c;

	if (h->open && h->open->base == base)
		return 0;
	close_open(h);
	/* Every old chunk and this one fit: nnext <= cur_chunk + new ones. */
	if (heat_reserve(&h->next, &h->capnext, h->nnext + h->nchunks - h->cur_chunk + 1,
			 sizeof(*h->next)))
		return -ENOMEM;
	while (h->cur_chunk < h->nchunks && h->chunks[h->cur_chunk]->base < base) {
		open_chunk(h, h->chunks[h->cur_chunk++]);
		close_open(h);
	}
	if (h->cur_chunk < h->nchunks && h->chunks[h->cur_chunk]->base == base) {
		open_chunk(h, h->chunks[h->cur_chunk++]);
		return 0;
	}
	if (!create)
		return 0;
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->base = base;
	memset(c->age, init_age(h), sizeof(c->age));
	memset(c->present, 0, sizeof(c->present));
	open_chunk(h, c);
	return 0;
}

static void count_column(struct heat *h, uint64_t addr, bool acc)
{
	const struct heat_layout *l = &h->layout;
	unsigned int col;

	while (h->cur_ext < l->n && l->ext[h->cur_ext].end <= addr)
		h->cur_ext++;
	if (h->cur_ext == l->n || l->ext[h->cur_ext].start > addr) {
		h->now.off_map += acc;
		return;
	}
	col = heat_layout_column(l, &l->ext[h->cur_ext], addr, h->page_shift);
	h->col_present[col]++;
	h->col_acc[col] += acc;
}

static void count_vma(struct heat *h, uint64_t addr)
{
	while (h->cur_vma < h->ncv && h->cv[h->cur_vma].end <= addr)
		h->cur_vma++;
	if (h->cur_vma < h->ncv && h->cv[h->cur_vma].start <= addr)
		h->vs[h->cv[h->cur_vma].vs].cur++;
}

void heat_block(struct heat *h, const struct ptscope_access_block *b)
{
	uint64_t mask = chunk_span(h) - 1;

	for (uint64_t i = 0; i < b->nr_pages; i++) {
		uint64_t addr = b->start + (i << h->page_shift);
		unsigned int st = ptscope_access_state(b, i);
		bool acc = st & PTSCOPE_ACCESS_ACCESSED;

		/* Whatever the kernel sent, only the range exists here. */
		if (h->range_end && (addr < h->range_start || addr >= h->range_end))
			continue;
		if (!reach(h, addr & ~mask, st & PTSCOPE_ACCESS_PRESENT) && h->open &&
		    h->open->base == (addr & ~mask)) {
			unsigned int p = (unsigned int)((addr & mask) >> h->page_shift);

			/* Never backwards, even if blocks overlapped. */
			if (p >= h->open_page) {
				absent_to(h, p);
				visit(h, h->open, p, st);
				h->open_page = p + 1;
			}
		}
		if (acc) {
			h->now.wss++;
			count_vma(h, addr);
		}
		if (st & PTSCOPE_ACCESS_PRESENT) {
			h->now.present++;
			count_column(h, addr, acc);
		}
	}
}

static uint8_t *row_slot(struct heat *h, uint64_t i)
{
	unsigned int W = h->layout.ncols;

	if (!h->keep_all)
		return h->rows + (i % h->ring_cap) * W;
	if (i >= h->rows_cap) {
		size_t cap = h->rows_cap ? 2 * h->rows_cap : 64;
		uint8_t *r = realloc(h->rows, cap * W);

		if (!r)
			return NULL;
		h->rows = r;
		h->rows_cap = cap;
	}
	return h->rows + i * W;
}

/* heat->bounded: drop the figures of VMAs gone (unmapped) by now. */
static void forget_gone_vmas(struct heat *h)
{
	size_t i, w = 0;

	for (i = 0; i < h->nvs; i++) {
		if (!h->vs[i].live) {
			free(h->vs[i].name);
			continue;
		}
		h->vs[w++] = h->vs[i];
	}
	h->nvs = w;
}

int heat_end(struct heat *h, uint64_t time_ns, const struct ptscope_access_stats *stats)
{
	uint64_t cum = 0;
	uint8_t *row;
	size_t i, slot;
	int k;

	close_open(h);
	if (heat_reserve(&h->next, &h->capnext, h->nnext + h->nchunks - h->cur_chunk,
			 sizeof(*h->next)))
		return -ENOMEM;
	while (h->cur_chunk < h->nchunks) {
		open_chunk(h, h->chunks[h->cur_chunk++]);
		close_open(h);
	}
	{
		/* This interval's list is the chunks now; the old array is reused. */
		struct heat_chunk **t = h->chunks;
		size_t cap = h->capchunks;

		h->chunks = h->next;
		h->capchunks = h->capnext;
		h->nchunks = h->nnext;
		h->next = t;
		h->capnext = cap;
		h->nnext = 0;
	}
	/* hist[k]: present and idle for >= 2^k intervals = buckets above k. */
	for (k = HEAT_HIST - 1; k >= 0; k--) {
		cum += h->age_count[k + 1];
		h->hist[k] = heat_bytes(h, cum);
	}
	for (i = 0; i < h->nvs; i++) {
		struct heat_vstat *s = &h->vs[i];

		s->live = s->seen;
		if (!s->live)
			continue;
		s->last = s->cur;
		if (!s->intervals || s->last < s->min)
			s->min = s->last;
		if (s->last > s->max)
			s->max = s->last;
		s->sum += s->last;
		s->intervals++;
	}
	if (h->bounded)
		forget_gone_vmas(h);
	slot = h->bounded ? 0 : h->intervals;
	if (heat_reserve(&h->tot, &h->captot, slot + 1, sizeof(*h->tot)))
		return -ENOMEM;
	h->now.time_ns = time_ns;
	if (stats)
		h->now.stats = *stats;
	row = row_slot(h, h->intervals);
	if (!row)
		return -ENOMEM;
	h->tot[slot] = h->now;
	/* Percent accessed, rounded up: any access at all shows. */
	for (i = 0; i < h->layout.ncols; i++)
		row[i] = h->col_present[i] ? (uint8_t)((h->col_acc[i] * 100 + h->col_present[i] - 1) /
						       h->col_present[i]) : HEAT_CELL_EMPTY;
	h->intervals++;
	return 0;
}

int heat_add_sample(struct heat *h, const struct heat_sample *s)
{
	int err = heat_begin(h, s->vmas, s->nr_vmas);

	if (err)
		return err;
	for (size_t i = 0; i < s->nr_blocks; i++)
		heat_block(h, &s->blocks[i]);
	return heat_end(h, s->time_ns, &s->stats);
}

const uint8_t *heat_row(const struct heat *h, uint64_t i)
{
	if (i >= h->intervals)
		return NULL;
	if (h->keep_all)
		return h->rows + i * h->layout.ncols;
	if (h->intervals - i > h->ring_cap)
		return NULL;
	return h->rows + (i % h->ring_cap) * h->layout.ncols;
}

static bool present_bit(const struct heat_chunk *c, unsigned int i)
{
	return c->present[i / 8] & (1u << (i % 8));
}

int heat_page_age(const struct heat *h, uint64_t addr, bool *present)
{
	uint64_t base = addr & ~(chunk_span(h) - 1);
	size_t lo = 0, hi = h->nchunks, i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->chunks[mid]->base < base)
			lo = mid + 1;
		else
			hi = mid;
	}
	*present = false;
	if (lo < h->nchunks && h->chunks[lo]->base == base) {
		unsigned int p = (unsigned int)((addr - base) >> h->page_shift);

		*present = present_bit(h->chunks[lo], p);
		return h->chunks[lo]->age[p];
	}
	/* In no chunk: never present, idle for every interval observed. */
	for (i = 0; i < h->ncv; i++)
		if (addr >= h->cv[i].start && addr < h->cv[i].end)
			return init_age(h);
	return -1;
}

void heat_idle_runs(const struct heat *h,
		    int (*cb)(uint64_t start, uint64_t pages, unsigned int age, void *arg),
		    void *arg)
{
	uint64_t start = 0, n = 0;
	unsigned int age = 0;

	/* Runs continue across chunk edges: a chunk is storage, not a boundary. */
	for (size_t i = 0; i < h->nchunks; i++) {
		const struct heat_chunk *c = h->chunks[i];

		for (unsigned int p = 0; p < HEAT_CHUNK_PAGES; p++) {
			uint64_t addr = c->base + ((uint64_t)p << h->page_shift);

			if (!present_bit(c, p))
				continue;
			if (n && addr == start + (n << h->page_shift) && c->age[p] == age) {
				n++;
				continue;
			}
			if (n && cb(start, n, age, arg))
				return;
			start = addr;
			n = 1;
			age = c->age[p];
		}
	}
	if (n)
		cb(start, n, age, arg);
}
