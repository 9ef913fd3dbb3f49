/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `ptscope heat`: what a series of sample-access intervals says about a
 * process.  Fed one interval at a time (heat_begin(), heat_block() for each
 * access block, heat_end()), from the kernel or from a recording, so both
 * render alike.
 *
 * Memory is O(pages), not O(pages x intervals): per page one byte of idle
 * age (saturating at HEAT_AGE_MAX) and one bit of presence, kept in chunks
 * of HEAT_CHUNK_PAGES allocated only where a page has been present (a
 * 128 TiB reservation with three pages touched costs one chunk), and
 * dropped when no VMA overlaps them any more; per interval a small totals
 * record; per VMA ever seen its running WSS figures; and the heat map
 * rows (one byte per column), in a ring of the last few for a live
 * screen, or all of them only when a picture asks (columns x intervals).
 *
 * A page in no chunk has never been present since the series began, so
 * its idle age is the number of intervals observed: a chunk starts with
 * that age in every page.
 */
#ifndef PTSCOPE_HEAT_H
#define PTSCOPE_HEAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptscope_client.h"

/* Idle ages saturate here: "255 or more intervals". */
#define HEAT_AGE_MAX	255
/* Histogram buckets: idle for >= 1, 2, 4, ... 128 intervals. */
#define HEAT_HIST	8
/* A row cell with no present page in its column. */
#define HEAT_CELL_EMPTY	255

/* Why a series ended, for people and scripts. */
enum heat_end {
	HEAT_END_RUNNING,	/* not yet */
	HEAT_END_COUNT,		/* --count intervals taken */
	HEAT_END_INTERRUPTED,	/* q, SIGINT, SIGTERM */
	HEAT_END_EXITED,	/* the process exited (or exec'd) */
};

/* "count", "interrupted", "exited" ("running" before the end). */
const char *heat_end_name(enum heat_end e);

/* A VMA as an interval starts, with the name people know it by. */
struct heat_vma_in {
	uint64_t start, end;
	const char *name;	/* as maps shows it: path, [heap], [anon:X], "" */
};

/* Running working-set figures of one VMA (keyed by its start). */
struct heat_vstat {
	uint64_t start, end;
	char *name;
	uint64_t last;		/* pages accessed in the last interval */
	uint64_t cur;		/* being counted */
	bool seen;		/* in the current interval's VMAs */
	uint64_t min, max, sum;	/* over the intervals it existed in */
	uint64_t intervals;
	bool live;		/* exists in the last interval */
	int axis;		/* extent on the map's axis, or -1 */
};

/*
 * The map's address axis, fixed at the first interval that has a VMA: one
 * extent per VMA then, in address order, over columns [x0, x1) in 1/65536
 * column units.  With room, every extent has whole columns (at least one, the
 * rest shared by log2 of its size, as the SVG map sizes VMAs) and every
 * hole between two VMAs is exactly one column, whatever its size; with
 * more VMAs than columns, holes take none and extents share columns.
 */
struct heat_extent {
	uint64_t start, end;
	uint64_t x0, x1;
};

struct heat_layout {
	unsigned int ncols;
	struct heat_extent *ext;
	size_t n;
	bool *hole;		/* per column: an unmapped hole */
};

/* What one interval came to. */
struct heat_totals {
	uint64_t time_ns;	/* since the priming sample */
	uint64_t wss;		/* pages accessed in the interval */
	uint64_t present;	/* pages present at its end */
	uint64_t off_map;	/* accessed pages outside the map's extents */
	struct ptscope_access_stats stats;
};

/* Pages per chunk of ages (2 MiB of 4 KiB pages): 512 + 64 bytes each. */
#define HEAT_CHUNK_PAGES	512

struct heat_chunk;		/* private to heat.c */

/* A VMA of the current interval, clipped to the range. */
struct heat_cvma {
	uint64_t start, end;
	size_t vs;		/* its heat_vstat */
};

struct heat {
	unsigned int page_shift;
	uint64_t range_start, range_end;	/* 0, 0: everything */
	struct heat_chunk **chunks;		/* by address */
	size_t nchunks, capchunks;
	struct heat_cvma *cv;			/* this interval's VMAs */
	size_t ncv, capcv;
	struct heat_vstat *vs;			/* by start address */
	size_t nvs, capvs;
	struct heat_layout layout;
	bool have_layout;
	uint64_t *col_present, *col_acc;	/* of the current interval */
	/* The interval's pass in address order (heat.c, heat_block()). */
	struct heat_chunk **next;		/* chunks as they are passed */
	size_t nnext, capnext, cur_chunk, cur_ext, cur_vma;
	struct heat_chunk *open;		/* last of next, being visited */
	unsigned int open_page;			/* its pages before this visited */
	struct heat_totals now;			/* being counted */
	uint64_t age_count[HEAT_HIST + 1];	/* present pages by log2 age */
	/* Results */
	uint64_t intervals;			/* completed */
	struct heat_totals *tot;
	size_t captot;
	uint64_t hist[HEAT_HIST];		/* bytes, as of the last interval */
	/* Rows: the last ring_cap (0 with keep_all: every row). */
	uint8_t *rows;
	size_t ring_cap, rows_cap;
	bool keep_all;
	/*
	 * For a process watched indefinitely (`ptscope exporter --heat`):
	 * tot holds only the last interval (tot[0]) and the per-VMA figures
	 * only VMAs that still exist, so memory stays O(pages + VMAs).
	 */
	bool bounded;
};

/*
 * @ncols: columns of the map (at least 1); @ring: rows kept for a live
 * screen; @keep_all: every row (for a picture), then @ring is ignored.
 * 0 or -ENOMEM.
 */
int heat_init(struct heat *h, unsigned int page_shift, uint64_t range_start,
	      uint64_t range_end, unsigned int ncols, size_t ring, bool keep_all);
void heat_free(struct heat *h);

/* An interval: the VMAs as it ends (address order), then its blocks. */
int heat_begin(struct heat *h, const struct heat_vma_in *v, size_t n);
/* Blocks in address order (sample-access's contract). */
void heat_block(struct heat *h, const struct ptscope_access_block *b);
/* @time_ns since the priming sample; @stats may be NULL.  0 or -ENOMEM. */
int heat_end(struct heat *h, uint64_t time_ns,
	     const struct ptscope_access_stats *stats);

/* Row of interval @i (0-based), ncols cells; NULL if no longer kept. */
const uint8_t *heat_row(const struct heat *h, uint64_t i);
/*
 * One interval, whole: the VMAs as it ended, the blocks sample-access sent
 * (address order), its time since the priming sample and the kernel's
 * access-stats.  Live sampling buffers an interval into one of these
 * (heat_sample.h) so that an interval the kernel did not finish (the
 * target exited mid-dump) changes nothing; a recording reads back into
 * the same.
 */
struct heat_sample {
	const struct heat_vma_in *vmas;
	size_t nr_vmas;
	const struct ptscope_access_block *blocks;
	size_t nr_blocks;
	uint64_t time_ns;
	struct ptscope_access_stats stats;
};

/* heat_begin(), heat_block() for each block, heat_end(). */
int heat_add_sample(struct heat *h, const struct heat_sample *s);

/* Idle age of the page at @addr and whether it is present; -1 if unknown. */
int heat_page_age(const struct heat *h, uint64_t addr, bool *present);

/*
 * Runs of present pages of equal idle age, in address order; @cb returns
 * non-zero to stop.
 */
void heat_idle_runs(const struct heat *h,
		    int (*cb)(uint64_t start, uint64_t pages, unsigned int age,
			      void *arg), void *arg);

/* The axis letter of extent @i: A-Z a-z 0-9, then '*'. */
char heat_axis_label(size_t i);

/* heat_layout.c: the axis of @n VMAs over @l->ncols columns.  0 or -ENOMEM. */
int heat_layout_build(struct heat_layout *l, unsigned int page_shift,
		      const struct heat_vma_in *v, size_t n);
/* Index of the extent starting at @start, or -1. */
int heat_layout_find(const struct heat_layout *l, uint64_t start);
/* The column of the page at @addr, inside extent @e. */
unsigned int heat_layout_column(const struct heat_layout *l, const struct heat_extent *e,
				uint64_t addr, unsigned int page_shift);

static inline uint64_t heat_bytes(const struct heat *h, uint64_t pages)
{
	return pages << h->page_shift;
}

#endif /* PTSCOPE_HEAT_H */
