/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a renderer draws: the snapshot's VMAs after --anon/--file/--name/
 * --range, optionally grouped (consecutive VMAs of one kind and name become
 * one item with a count) and sorted, each item with its density cells.
 * Renderers (render_*.c) read a view and nothing else of the command line.
 */
#ifndef PTSCOPE_VIEW_H
#define PTSCOPE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "density.h"
#include "snapshot.h"

enum sort_key { SORT_ADDR, SORT_SIZE, SORT_RSS, SORT_DIRTY, SORT_SWAP };

enum group_mode {
	GROUP_NONE,
	GROUP_NAME,	/* consecutive VMAs of the same kind and name */
	GROUP_KIND,	/* consecutive VMAs of the same kind */
	GROUP_CHUNK,	/* runs of view_opts.chunk consecutive VMAs, any kind */
};

/* What a VMA is, as the pictures colour it. */
enum vma_cat {
	CAT_CODE,	/* executable file mapping */
	CAT_DATA,	/* writable private file mapping */
	CAT_FILE,	/* other file mapping (read-only data, fonts, ...) */
	CAT_HEAP,
	CAT_STACK,
	CAT_ANON,	/* anonymous, named or not */
	CAT_SHARED,	/* shmem, or any VM_MAYSHARE mapping */
	CAT_SPECIAL,	/* [vdso], [vvar], [vsyscall], ... */
	NR_CATS
};

struct view_opts {
	enum sort_key sort;
	bool anon, file;		/* keep only these (both: no filter) */
	const char *name;		/* glob (substring if no * ? [) or NULL */
	bool has_range;
	uint64_t range_start, range_end;
	enum group_mode group;
	size_t chunk;			/* GROUP_CHUNK: VMAs per item */
	unsigned int ncells;
};

struct view_item {
	size_t first, count;		/* VMAs first .. first + count - 1 */
	uint64_t start, end;		/* span, holes inside a group included */
	uint64_t size;			/* bytes of the VMAs themselves */
	struct counts n;		/* summed */
	uint64_t flags;			/* of the first VMA */
	bool mixed_perms;
	uint32_t kind;
	enum vma_cat cat;		/* of the largest VMA */
	const char *name;		/* of the first VMA (owned by the snapshot) */
	const struct density *d;	/* in view.cells */
};

struct view {
	const struct snapshot *snap;
	struct view_item *v;
	size_t nr;
	size_t nr_vmas;			/* selected VMAs */
	bool filtered;			/* a filter dropped or could drop VMAs */
	enum sort_key sort;
	struct density *cells;		/* one per item, or one for all (no runs) */
};

/* 0 or -ENOMEM. */
int view_build(struct view *v, const struct snapshot *s, const struct view_opts *o);
void view_free(struct view *v);

enum vma_cat vma_category(const struct snap_vma *v);
const char *cat_name(enum vma_cat c);		/* "code", "data", ... */
const char *sort_key_name(enum sort_key k);
int sort_key_parse(const char *s);		/* -1 if unknown */
/* Sum of @n into @t. */
void counts_add(struct counts *t, const struct counts *n);
/* Present, accessed, dirty, swapped bytes: the counts times the page size. */
uint64_t pages_bytes(const struct view *v, uint64_t pages);

#endif /* PTSCOPE_VIEW_H */
