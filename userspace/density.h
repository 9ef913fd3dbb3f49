/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The density bar of `ptscope maps`: a VMA cut into equal cells, each
 * shaded by how much of it is present.  Runs are added as address ranges,
 * so the cost is per run (times the cells it touches), never per page.
 */
#ifndef PTSCOPE_DENSITY_H
#define PTSCOPE_DENSITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DENSITY_MAX_CELLS	32
#define DENSITY_LEVELS		5	/* empty, three shades, full */

struct density {
	uint64_t start, end;
	unsigned int ncells;
	uint64_t present[DENSITY_MAX_CELLS];	/* bytes per cell */
};

void density_init(struct density *d, uint64_t start, uint64_t end,
		  unsigned int ncells);
/* Cell @i covers [density_cell_start(i), density_cell_start(i + 1)). */
uint64_t density_cell_start(const struct density *d, unsigned int i);
/* Count [start, start + bytes) as present; parts outside the VMA are cut. */
void density_add(struct density *d, uint64_t start, uint64_t bytes);
/*
 * 0 for an empty cell, DENSITY_LEVELS - 1 only for a full one, and any
 * presence at all shows as at least 1.
 */
unsigned int density_level(const struct density *d, unsigned int cell);
/* The bar as text: " ░▒▓█" with @utf8, else " .:#@".  NUL-terminated. */
void density_render(const struct density *d, bool utf8, char *buf, size_t len);

#endif /* PTSCOPE_DENSITY_H */
