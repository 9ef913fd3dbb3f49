// SPDX-License-Identifier: GPL-2.0
/* Density-bar binning from synthetic runs. */
#include <string.h>

#include "density.h"
#include "tap.h"

#define K 4096ULL

void test_density(void)
{
	struct density d;
	char bar[DENSITY_MAX_CELLS * 4 + 1];
	unsigned int i;
	bool all;

	/* 16 pages, 16 cells: one page per cell. */
	density_init(&d, 0x10000, 0x10000 + 16 * K, 16);
	density_render(&d, false, bar, sizeof(bar));
	is_str(bar, "                ", "empty VMA: blank bar");
	density_add(&d, 0x10000, 16 * K);
	density_render(&d, false, bar, sizeof(bar));
	is_str(bar, "@@@@@@@@@@@@@@@@", "fully present VMA: full bar");

	density_init(&d, 0x10000, 0x10000 + 16 * K, 16);
	density_add(&d, 0x10000 + 4 * K, 4 * K);
	density_render(&d, false, bar, sizeof(bar));
	is_str(bar, "    @@@@        ", "one run in the middle");

	/* Two pages per cell: half a cell shows a middle shade. */
	density_init(&d, 0, 32 * K, 16);
	density_add(&d, 0, K);
	density_add(&d, 30 * K, 2 * K);
	is_num(density_level(&d, 0), 2, "half-present cell: level 2");
	is_num(density_level(&d, 15), 4, "full cell: level 4");
	is_num(density_level(&d, 7), 0, "empty cell: level 0");
	density_render(&d, true, bar, sizeof(bar));
	is_str(bar, "\u2592              \u2588", "UTF-8 shades");

	/* A sliver still shows. */
	density_init(&d, 0, 1024 * K, 16);	/* 64 pages per cell */
	density_add(&d, 0, K);
	is_num(density_level(&d, 0), 1, "one page in 64 shows as the lightest shade");
	density_add(&d, 64 * K, 63 * K);
	is_num(density_level(&d, 1), 3, "63 of 64 pages: darkest partial shade, not full");

	/* Runs are clipped to the VMA. */
	density_init(&d, 0x100000, 0x100000 + 16 * K, 16);
	density_add(&d, 0, 0x100000 + 2 * K);
	density_add(&d, 0x100000 + 15 * K, 100 * K);
	density_add(&d, 0x200000, K);
	density_render(&d, false, bar, sizeof(bar));
	is_str(bar, "@@             @", "runs clipped at both ends, outside ignored");
	density_add(&d, UINT64_MAX - K, UINT64_MAX);
	ok(1, "range ending beyond 2^64 does not wrap");

	/* A huge VMA with a huge run: per-cell arithmetic, not per page. */
	density_init(&d, 0, 1ULL << 47, 16);
	density_add(&d, 0, 1ULL << 47);
	density_render(&d, false, bar, sizeof(bar));
	is_str(bar, "@@@@@@@@@@@@@@@@", "128T run over a 128T VMA");
	density_init(&d, 0x1000, 0x00fffffffffff000ULL, 16);
	density_add(&d, 0x00fffffffffff000ULL - K, K);
	is_num(density_level(&d, 15), 1, "last page of a 5-level address space");

	/* Cells partition the VMA exactly, also when it does not divide. */
	density_init(&d, 0x1000, 0x1000 + 17 * K, 16);
	all = density_cell_start(&d, 0) == 0x1000 &&
	      density_cell_start(&d, 16) == 0x1000 + 17 * K;
	for (i = 0; i < 16; i++)
		all &= density_cell_start(&d, i) < density_cell_start(&d, i + 1);
	ok(all, "cells cover the VMA in increasing order");
	density_add(&d, 0x1000, 17 * K);
	all = true;
	for (i = 0; i < 16; i++)
		all &= density_level(&d, i) == 4;
	ok(all, "uneven cells all full when the VMA is");

	/* One-page VMA: every cell is a part of that page. */
	density_init(&d, 0x5000, 0x6000, 16);
	density_add(&d, 0x5000, K);
	density_render(&d, false, bar, sizeof(bar));
	is_str(bar, "@@@@@@@@@@@@@@@@", "one-page VMA");

	/* The render buffer bounds the output. */
	density_init(&d, 0, 16 * K, 16);
	density_add(&d, 0, 16 * K);
	density_render(&d, true, bar, 7);
	is_str(bar, "\u2588\u2588", "render stops before overflowing the buffer");
}
