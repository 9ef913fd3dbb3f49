/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The density bar of `ptscope maps` and the heat bands of the pictures: a
 * VMA (or a group of VMAs) cut into equal cells, each counting how many of
 * its bytes are present, accessed, dirty, huge or swapped.  Runs are added
 * as address ranges, so the cost is per run (times the cells it touches),
 * never per page.
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
	/* Bytes per cell.  huge: present through a PMD or PUD leaf. */
	uint64_t present[DENSITY_MAX_CELLS];
	uint64_t accessed[DENSITY_MAX_CELLS];
	uint64_t dirty[DENSITY_MAX_CELLS];
	uint64_t huge[DENSITY_MAX_CELLS];
	uint64_t swap[DENSITY_MAX_CELLS];
};

/*
 * What a cell mostly is, for the state bar.  Order matters: a cell is the
 * first of these that holds (see density_state()).
 */
enum cell_state {
	CELL_NONE,	/* nothing present, nothing swapped */
	CELL_SWAP,	/* more swapped than present */
	CELL_SPARSE,	/* present, but under a quarter of the cell */
	CELL_HUGE,	/* at least half of the present bytes in huge leaves */
	CELL_DIRTY,	/* at least half of the present bytes dirty */
	CELL_CLEAN,	/* present, mostly clean */
	NR_CELL_STATES
};

void density_init(struct density *d, uint64_t start, uint64_t end,
		  unsigned int ncells);
/* Cell @i covers [density_cell_start(i), density_cell_start(i + 1)). */
uint64_t density_cell_start(const struct density *d, unsigned int i);
/* Count [start, start + bytes) as present; parts outside the VMA are cut. */
void density_add(struct density *d, uint64_t start, uint64_t bytes);
/* The same for a run with PTSCOPE_PF_* @flags (present, accessed, ...). */
void density_add_run(struct density *d, uint64_t start, uint64_t bytes,
		     uint32_t flags);
/* Bytes of cell @i. */
uint64_t density_cell_len(const struct density *d, unsigned int i);
enum cell_state density_state(const struct density *d, unsigned int cell);
/*
 * 0 for an empty cell, DENSITY_LEVELS - 1 only for a full one, and any
 * presence at all shows as at least 1.
 */
unsigned int density_level(const struct density *d, unsigned int cell);
/* The bar as text: " ░▒▓█" with @utf8, else " .:#@".  NUL-terminated. */
void density_render(const struct density *d, bool utf8, char *buf, size_t len);

#endif /* PTSCOPE_DENSITY_H */
