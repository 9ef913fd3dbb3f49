// SPDX-License-Identifier: GPL-2.0
/* One interval of `ptscope heat`, buffered (heat_sample.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heat_sample.h"

void heat_sbuf_reset_blocks(struct heat_sbuf *b)
{
	b->nr_blocks = b->nr_states = 0;
}

void heat_sbuf_reset(struct heat_sbuf *b)
{
	for (size_t i = 0; i < b->nr_vmas; i++)
		free(b->names[i]);
	b->nr_vmas = 0;
	heat_sbuf_reset_blocks(b);
}

void heat_sbuf_free(struct heat_sbuf *b)
{
	heat_sbuf_reset(b);
	free(b->vmas);
	free(b->names);
	free(b->blocks);
	free(b->offs);
	free(b->states);
	memset(b, 0, sizeof(*b));
}

int heat_reserve(void *pp, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 64;
	void *p, *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	/* The caller's pointer is read and written as bytes: any type's. */
	memcpy(&p, pp, sizeof(p));
	q = realloc(p, c * size);
	if (!q)
		return -ENOMEM;
	memcpy(pp, &q, sizeof(q));
	*cap = c;
	return 0;
}

int heat_sbuf_add_vma(struct heat_sbuf *b, uint64_t start, uint64_t end, const char *name)
{
	size_t cap = b->cap_vmas;
	char *copy;

	/* Two arrays, one capacity: it moves only once both have grown. */
	if (heat_reserve(&b->vmas, &cap, b->nr_vmas + 1, sizeof(*b->vmas)))
		return -ENOMEM;
	cap = b->cap_vmas;
	if (heat_reserve(&b->names, &cap, b->nr_vmas + 1, sizeof(*b->names)))
		return -ENOMEM;
	b->cap_vmas = cap;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	b->names[b->nr_vmas] = copy;
	b->vmas[b->nr_vmas++] = (struct heat_vma_in){ start, end, copy };
	return 0;
}

int heat_sbuf_add_ptscope_vma(struct heat_sbuf *b, const struct ptscope_vma *v)
{
	char name[sizeof(v->name) + 8];

	/* As maps (and /proc/PID/maps) shows it: an unnamed anonymous VMA is "". */
	if (v->kind == PTSCOPE_VMA_KIND_ANON_NAMED)
		snprintf(name, sizeof(name), "[anon:%s]", v->name);
	else
		snprintf(name, sizeof(name), "%s", v->name);
	return heat_sbuf_add_vma(b, v->start, v->end, name);
}

int heat_sbuf_add_block(struct heat_sbuf *b, const struct ptscope_access_block *blk)
{
	size_t cap = b->cap_blocks, n = blk->states ? (blk->nr_pages + 3) / 4 : 0;

	if (heat_reserve(&b->blocks, &cap, b->nr_blocks + 1, sizeof(*b->blocks)))
		return -ENOMEM;
	cap = b->cap_blocks;
	if (heat_reserve(&b->offs, &cap, b->nr_blocks + 1, sizeof(*b->offs)))
		return -ENOMEM;
	b->cap_blocks = cap;
	if (heat_reserve(&b->states, &b->cap_states, b->nr_states + n, 1))
		return -ENOMEM;
	b->blocks[b->nr_blocks] = *blk;
	b->offs[b->nr_blocks] = blk->states ? b->nr_states : (size_t)-1;
	if (n)
		memcpy(b->states + b->nr_states, blk->states, n);
	b->nr_states += n;
	b->nr_blocks++;
	return 0;
}

void heat_sbuf_sample(struct heat_sbuf *b, struct heat_sample *s)
{
	/* The states moved as the buffer grew: point the blocks at them now. */
	for (size_t i = 0; i < b->nr_blocks; i++)
		b->blocks[i].states = b->offs[i] == (size_t)-1 ? NULL : b->states + b->offs[i];
	s->vmas = b->vmas;
	s->nr_vmas = b->nr_vmas;
	s->blocks = b->blocks;
	s->nr_blocks = b->nr_blocks;
}
