// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

static const char *const cat_names[NR_CATS] = {
	[CAT_CODE] = "code", [CAT_DATA] = "data", [CAT_FILE] = "file",
	[CAT_HEAP] = "heap", [CAT_STACK] = "stack", [CAT_ANON] = "anon",
	[CAT_SHARED] = "shared", [CAT_SPECIAL] = "special",
};

static const char *const sort_names[] = {
	[SORT_ADDR] = "addr", [SORT_SIZE] = "size", [SORT_RSS] = "rss",
	[SORT_DIRTY] = "dirty", [SORT_SWAP] = "swap",
};

const char *cat_name(enum vma_cat c)
{
	return c < NR_CATS ? cat_names[c] : "?";
}

const char *sort_key_name(enum sort_key k)
{
	return sort_names[k];
}

int sort_key_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++)
		if (!strcmp(s, sort_names[i]))
			return (int)i;
	return -1;
}

enum vma_cat vma_category(const struct snap_vma *v)
{
	switch (v->kind) {
	case PTSCOPE_VMA_KIND_SPECIAL:
		return CAT_SPECIAL;
	case PTSCOPE_VMA_KIND_HEAP:
		return CAT_HEAP;
	case PTSCOPE_VMA_KIND_STACK:
		return CAT_STACK;
	case PTSCOPE_VMA_KIND_SHMEM:
		return CAT_SHARED;
	default:
		break;
	}
	if (v->flags & PTSCOPE_VMA_F_MAYSHARE)
		return CAT_SHARED;
	if (v->kind == PTSCOPE_VMA_KIND_FILE) {
		if (v->flags & PTSCOPE_VMA_F_EXEC)
			return CAT_CODE;
		return v->flags & PTSCOPE_VMA_F_WRITE ? CAT_DATA : CAT_FILE;
	}
	return CAT_ANON;
}

void counts_add(struct counts *t, const struct counts *n)
{
	t->total += n->total;
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) t->name += n->name;
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
}

uint64_t pages_bytes(const struct view *v, uint64_t pages)
{
	unsigned int shift = v->snap->page_shift;

	return pages > (UINT64_MAX >> shift) ? UINT64_MAX : pages << shift;
}

/* Anything not backed by a file (heap and stacks too) is "anon". */
static bool is_anon(const struct snap_vma *v)
{
	return v->kind == PTSCOPE_VMA_KIND_ANON || v->kind == PTSCOPE_VMA_KIND_ANON_NAMED ||
	       v->kind == PTSCOPE_VMA_KIND_HEAP || v->kind == PTSCOPE_VMA_KIND_STACK;
}

static bool selected(const struct snap_vma *v, const struct view_opts *o)
{
	if (o->anon != o->file) {
		bool file = v->kind == PTSCOPE_VMA_KIND_FILE || v->kind == PTSCOPE_VMA_KIND_SHMEM;

		if (o->anon && !is_anon(v))
			return false;
		if (o->file && !file)
			return false;
	}
	if (o->has_range && (v->end <= o->range_start || v->start >= o->range_end))
		return false;
	if (o->name) {
		if (strpbrk(o->name, "*?["))
			return !fnmatch(o->name, v->name, 0);
		return strstr(v->name, o->name) != NULL;
	}
	return true;
}

static bool same_group(const struct view_item *it, const struct snap_vma *prev,
		       const struct snap_vma *v, const struct view_opts *o)
{
	enum group_mode g = o->group;

	if (g == GROUP_NONE || v != prev + 1)
		return false;
	if (g == GROUP_CHUNK)
		return it->count < o->chunk;
	if (v->kind != it->kind)
		return false;
	return g == GROUP_KIND || !strcmp(v->name, it->name);
}

/* Items are in address order here, and cells[i] belongs to v->v[i]. */
static void bin_runs(struct view *v)
{
	const struct snapshot *s = v->snap;
	size_t cursor = 0, r, i;

	for (r = 0; r < s->nr_runs; r++) {
		const struct snap_run *run = &s->runs[r];
		uint64_t end = snap_run_end(s, run);

		if (!run->nr_pages)
			continue;
		/* Runs and items are both in address order: a cursor, no search. */
		while (cursor < v->nr && v->v[cursor].end <= run->start)
			cursor++;
		for (i = cursor; i < v->nr && v->v[i].start < end; i++)
			density_add_run(&v->cells[i], run->start, end - run->start, run->flags);
	}
}

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b;
}

static enum sort_key qsort_key;

static int cmp_items(const void *pa, const void *pb)
{
	const struct view_item *a = pa, *b = pb;
	int c = 0;

	switch (qsort_key) {
	case SORT_SIZE:
		c = cmp_u64_desc(a->size, b->size);
		break;
	case SORT_RSS:
		c = cmp_u64_desc(a->n.present, b->n.present);
		break;
	case SORT_DIRTY:
		c = cmp_u64_desc(a->n.dirty, b->n.dirty);
		break;
	case SORT_SWAP:
		c = cmp_u64_desc(a->n.swap, b->n.swap);
		break;
	case SORT_ADDR:
		break;
	}
	return c ? c : (a->start > b->start) - (a->start < b->start);
}

int view_build(struct view *v, const struct snapshot *s, const struct view_opts *o)
{
	bool with_runs = s->has_runs && s->nr_runs;
	uint64_t *largest = NULL;
	size_t i;

	memset(v, 0, sizeof(*v));
	v->snap = s;
	v->sort = o->sort;
	v->filtered = o->anon != o->file || o->name || o->has_range;
	v->v = calloc(s->nr_vmas ? s->nr_vmas : 1, sizeof(*v->v));
	largest = calloc(s->nr_vmas ? s->nr_vmas : 1, sizeof(*largest));
	if (!v->v || !largest) {
		free(largest);
		view_free(v);
		return -ENOMEM;
	}
	for (i = 0; i < s->nr_vmas; i++) {
		const struct snap_vma *m = &s->vmas[i];
		struct view_item *it = v->nr ? &v->v[v->nr - 1] : NULL;
		uint64_t size = m->end - m->start;

		if (!selected(m, o))
			continue;
		v->nr_vmas++;
		if (it && same_group(it, &s->vmas[it->first + it->count - 1], m, o)) {
			it->count++;
			it->end = m->end;
			it->size += size;
			counts_add(&it->n, &m->n);
			if ((m->flags ^ it->flags) & (PTSCOPE_VMA_F_READ | PTSCOPE_VMA_F_WRITE |
						       PTSCOPE_VMA_F_EXEC | PTSCOPE_VMA_F_MAYSHARE))
				it->mixed_perms = true;
			if (size > largest[v->nr - 1]) {
				largest[v->nr - 1] = size;
				it->cat = vma_category(m);
				/* A chunk mixes kinds: it is named after its biggest VMA. */
				if (o->group == GROUP_CHUNK) {
					it->kind = m->kind;
					it->name = m->name;
				}
			}
			continue;
		}
		it = &v->v[v->nr];
		largest[v->nr] = size;
		v->nr++;
		it->first = i;
		it->count = 1;
		it->start = m->start;
		it->end = m->end;
		it->size = size;
		it->n = m->n;
		it->flags = m->flags;
		it->kind = m->kind;
		it->cat = vma_category(m);
		it->name = m->name;
	}
	free(largest);
	/*
	 * Cells take 1.3 KB per item and only runs fill them: without runs
	 * (maps --json, or a maps --json document as input) all items share
	 * one empty set, and 10,000 VMAs do not cost 13 MB of zeroes.
	 */
	v->cells = malloc((with_runs && v->nr ? v->nr : 1) * sizeof(*v->cells));
	if (!v->cells) {
		view_free(v);
		return -ENOMEM;
	}
	density_init(&v->cells[0], 0, 0, o->ncells);
	for (i = 0; i < v->nr; i++) {
		if (with_runs)
			density_init(&v->cells[i], v->v[i].start, v->v[i].end, o->ncells);
		v->v[i].d = &v->cells[with_runs ? i : 0];
	}
	if (with_runs)
		bin_runs(v);
	if (o->sort != SORT_ADDR) {
		qsort_key = o->sort;
		qsort(v->v, v->nr, sizeof(*v->v), cmp_items);
	}
	return 0;
}

void view_free(struct view *v)
{
	free(v->v);
	free(v->cells);
	v->v = NULL;
	v->cells = NULL;
	v->nr = 0;
}
