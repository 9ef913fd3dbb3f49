// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

void snapshot_count_runs(struct snapshot *s)
{
	size_t i, first = 0;

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
			uint64_t a = r->start > v->start ? r->start : v->start;
			uint64_t b = snap_run_end(s, r);

			if (b > v->end)
				b = v->end;
			count_pages(&v->n, r->flags, (b - a) >> s->page_shift);
		}
	}
}
