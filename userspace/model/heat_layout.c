// SPDX-License-Identifier: GPL-2.0
/*
 * The heat map's address axis (heat.h, struct heat_layout): the VMAs of
 * the first interval laid over a fixed number of columns the way the SVG
 * map lays out address space, holes compressed to one column each, so
 * that 41 TiB of nothing takes no room and a 4 KiB VMA still shows.
 */
#include <errno.h>
#include <stdlib.h>

#include "heat.h"

#define FRAC_SHIFT	16	/* heat_extent x0/x1: 1/65536 column */

char heat_axis_label(size_t i)
{
	static const char labels[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	return i < sizeof(labels) - 1 ? labels[i] : '*';
}

/* 1 + floor(log2(pages)): the SVG map's width rule, in whole steps. */
static uint64_t weight(uint64_t pages)
{
	return pages ? 64 - (uint64_t)__builtin_clzll(pages) : 1;
}

int heat_layout_build(struct heat_layout *l, unsigned int page_shift,
		      const struct heat_vma_in *v, size_t n)
{
	uint64_t W = l->ncols, holes = 0, sumw = 0, x = 0, cum = 0;
	size_t i;

	if (!n)
		return 0;
	l->ext = calloc(n, sizeof(*l->ext));
	if (!l->ext)
		return -ENOMEM;
	l->n = n;
	for (i = 0; i < n; i++) {
		l->ext[i].start = v[i].start;
		l->ext[i].end = v[i].end;
		sumw += weight((v[i].end - v[i].start) >> page_shift);
		holes += i && v[i - 1].end < v[i].start;
	}
	if (n + holes > W) {
		/* Too many VMAs to give each a column: extents share them. */
		for (i = 0; i < n; i++) {
			uint64_t w = weight((v[i].end - v[i].start) >> page_shift);

			l->ext[i].x0 = (uint64_t)(((unsigned __int128)cum * W << FRAC_SHIFT) / sumw);
			cum += w;
			l->ext[i].x1 = (uint64_t)(((unsigned __int128)cum * W << FRAC_SHIFT) / sumw);
		}
		return 0;
	}
	{
		/* A column each, the rest by weight, largest remainder first. */
		uint64_t extra = W - holes - n, given = 0, *cols, *rem;

		cols = calloc(n, sizeof(*cols));
		rem = calloc(n, sizeof(*rem));
		if (!cols || !rem) {
			free(cols);
			free(rem);
			return -ENOMEM;
		}
		for (i = 0; i < n; i++) {
			uint64_t w = weight((v[i].end - v[i].start) >> page_shift);

			cols[i] = 1 + extra * w / sumw;
			rem[i] = extra * w % sumw;
			given += cols[i] - 1;
		}
		while (given < extra) {
			size_t best = 0;

			for (i = 1; i < n; i++)
				if (rem[i] > rem[best])
					best = i;
			cols[best]++;
			rem[best] = 0;
			given++;
		}
		for (i = 0; i < n; i++) {
			if (i && v[i - 1].end < v[i].start)
				l->hole[x++] = true;
			l->ext[i].x0 = x << FRAC_SHIFT;
			x += cols[i];
			l->ext[i].x1 = x << FRAC_SHIFT;
		}
		free(cols);
		free(rem);
	}
	return 0;
}

int heat_layout_find(const struct heat_layout *l, uint64_t start)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ext[i].start == start)
			return (int)i;
	return -1;
}

unsigned int heat_layout_column(const struct heat_layout *l, const struct heat_extent *e,
				uint64_t addr, unsigned int page_shift)
{
	uint64_t idx = (addr - e->start) >> page_shift, n = (e->end - e->start) >> page_shift;
	uint64_t col = (uint64_t)((e->x0 + (unsigned __int128)(e->x1 - e->x0) * idx / n) >>
				  FRAC_SHIFT);

	return col >= l->ncols ? l->ncols - 1 : (unsigned int)col;
}
