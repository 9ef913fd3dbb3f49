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
