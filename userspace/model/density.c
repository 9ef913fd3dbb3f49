// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include <linux/ptscope.h>

#include "density.h"

void density_init(struct density *d, uint64_t start, uint64_t end,
		  unsigned int ncells)
{
	memset(d, 0, sizeof(*d));
	if (ncells < 1)
		ncells = 1;
	if (ncells > DENSITY_MAX_CELLS)
		ncells = DENSITY_MAX_CELLS;
	d->start = start;
	d->end = end > start ? end : start;
	d->ncells = ncells;
}

/* floor(size * i / ncells) without a 128-bit product. */
uint64_t density_cell_start(const struct density *d, unsigned int i)
{
	uint64_t size = d->end - d->start;

	if (i >= d->ncells)
		return d->end;
	return d->start + size / d->ncells * i + size % d->ncells * i / d->ncells;
}

void density_add(struct density *d, uint64_t start, uint64_t bytes)
{
	density_add_run(d, start, bytes, PTSCOPE_PF_PRESENT);
}

static void count(struct density *d, unsigned int i, uint64_t n, uint32_t flags)
{
	if (flags & PTSCOPE_PF_PRESENT) {
		d->present[i] += n;
		if (flags & PTSCOPE_PF_ACCESSED)
			d->accessed[i] += n;
		if (flags & PTSCOPE_PF_DIRTY)
			d->dirty[i] += n;
		if (flags & (PTSCOPE_PF_HUGE_PMD | PTSCOPE_PF_HUGE_PUD))
			d->huge[i] += n;
	} else if (flags & PTSCOPE_PF_SWAP) {
		d->swap[i] += n;
	}
}

void density_add_run(struct density *d, uint64_t start, uint64_t bytes,
		     uint32_t flags)
{
	uint64_t end, size = d->end - d->start;
	unsigned int i;

	end = bytes > UINT64_MAX - start ? UINT64_MAX : start + bytes;
	if (start < d->start)
		start = d->start;
	if (end > d->end)
		end = d->end;
	if (start >= end)
		return;

	/* Jump to the cell holding @start, then walk only the cells touched. */
	i = size / d->ncells ? (unsigned int)((start - d->start) / (size / d->ncells)) : 0;
	if (i >= d->ncells)
		i = d->ncells - 1;
	while (i > 0 && density_cell_start(d, i) > start)
		i--;
	while (i + 1 < d->ncells && density_cell_start(d, i + 1) <= start)
		i++;

	for (; i < d->ncells; i++) {
		uint64_t cs = density_cell_start(d, i);
		uint64_t ce = density_cell_start(d, i + 1);
		uint64_t a = start > cs ? start : cs;
		uint64_t b = end < ce ? end : ce;

		if (cs >= end)
			break;
		if (a < b)
			count(d, i, b - a, flags);
	}
}

unsigned int density_level(const struct density *d, unsigned int cell)
{
	uint64_t len, p;
	unsigned int level;

	if (cell >= d->ncells)
		return 0;
	len = density_cell_start(d, cell + 1) - density_cell_start(d, cell);
	p = d->present[cell];
	if (!p || !len)
		return 0;
	if (p >= len)
		return DENSITY_LEVELS - 1;
	level = 1 + (unsigned int)((double)p / (double)len * (DENSITY_LEVELS - 2));
	return level > DENSITY_LEVELS - 2 ? DENSITY_LEVELS - 2 : level;
}

void density_render(const struct density *d, bool utf8, char *buf, size_t len)
{
	static const char *const shades_utf8[DENSITY_LEVELS] = {
		" ", "\u2591", "\u2592", "\u2593", "\u2588",
	};
	static const char shades_ascii[DENSITY_LEVELS] = { ' ', '.', ':', '#', '@' };
	size_t used = 0;
	unsigned int i;

	if (!len)
		return;
	for (i = 0; i < d->ncells; i++) {
		unsigned int l = density_level(d, i);
		const char *s = utf8 ? shades_utf8[l] : (const char[]){ shades_ascii[l], '\0' };
		size_t n = strlen(s);

		if (used + n + 1 > len)
			break;
		memcpy(buf + used, s, n);
		used += n;
	}
	buf[used] = '\0';
}

uint64_t density_cell_len(const struct density *d, unsigned int i)
{
	return density_cell_start(d, i + 1) - density_cell_start(d, i);
}

enum cell_state density_state(const struct density *d, unsigned int cell)
{
	uint64_t p, len;

	if (cell >= d->ncells)
		return CELL_NONE;
	p = d->present[cell];
	len = density_cell_len(d, cell);
	if (!p && !d->swap[cell])
		return CELL_NONE;
	if (d->swap[cell] > p)
		return CELL_SWAP;
	if (p < len / 4)
		return CELL_SPARSE;
	if (d->huge[cell] * 2 >= p)
		return CELL_HUGE;
	if (d->dirty[cell] * 2 >= p)
		return CELL_DIRTY;
	return CELL_CLEAN;
}
