/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `maps` and `record` know about a process: its VMAs with their page
 * counts and, for pictures, the runs of pages.  Filled either live from
 * libptscope (snapshot_live.c) or from a recording (snapshot_json.c); the
 * renderers only ever see this, so a recording renders exactly like the
 * process it was taken from.
 */
#ifndef PTSCOPE_SNAPSHOT_H
#define PTSCOPE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptscope_client.h"

#define RECORD_FORMAT	"ptscope-record"
/*
 * 1: runs only.  2: also "blocks" (per-page flags words, base64), which a
 * version 1 reader cannot read; the writer says 2 only when it wrote blocks.
 * 3: blocks of 32-bit words ("flags32", arm64's pxn and cont being bits
 * 16 and 17), which a version 2 reader cannot read: said only for those.
 */
#define RECORD_VERSION_RUNS	1
#define RECORD_VERSION_BLOCKS16	2
#define RECORD_VERSION		3

/* total, then the module's per-VMA counters (vma_counters.def). */
struct counts {
	uint64_t total;
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) uint64_t name;
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
};

/* A VMA without the PATH_MAX buffer: thousands of them are normal. */
struct snap_vma {
	uint64_t start, end, pgoff, flags, inode;
	uint32_t kind, dev;
	char *name;
	struct counts n;
};

struct snap_run {
	uint64_t start, nr_pages;
	uint32_t flags;			/* PTSCOPE_PF_* */
};

/*
 * Pages kept as the kernel's compact blocks (one 16-bit flags word per page,
 * or 32-bit where the module sends flags32) instead of one snap_run per
 * run: `record` writes them as they came.  The words are in
 * snapshot.block_words, little-endian (the recording's byte order), from
 * word @first.
 */
struct snap_block {
	uint64_t start, nr_pages;
	size_t first;
};

struct snapshot {
	pid_t pid;
	unsigned int page_shift;
	bool has_info;
	struct ptscope_info info;
	struct snap_vma *vmas;		/* address order */
	size_t nr_vmas, cap_vmas;
	struct snap_run *runs;		/* address order */
	size_t nr_runs, cap_runs;
	/*
	 * Only when asked for (snapshot_live(..., keep_blocks)): pages not in
	 * runs, address order, disjoint from the runs.  Renderers see runs only.
	 */
	struct snap_block *blocks;
	size_t nr_blocks, cap_blocks;
	unsigned char *block_words;	/* block_word bytes a page, little-endian */
	size_t nr_block_words, cap_block_words;
	unsigned int block_word;	/* 2, or 4 (flags32); 0 before a block */
	bool has_runs;			/* false: counts only (maps --json) */
	bool dump_interrupted;		/* the process changed mid-dump */
};

void snapshot_init(struct snapshot *s, unsigned int page_shift);
void snapshot_free(struct snapshot *s);
/* Copies @name.  0 or -ENOMEM. */
int snapshot_add_vma(struct snapshot *s, const struct snap_vma *v, const char *name);
int snapshot_add_run(struct snapshot *s, const struct snap_run *r);
/*
 * Copies @nr_pages host-order flags words of @size bytes (2 or 4) from
 * @words (unaligned).  Every block of a snapshot has one size: -EINVAL
 * for another.
 */
int snapshot_add_block(struct snapshot *s, uint64_t start, const void *words,
		       size_t nr_pages, unsigned int size);
/* Flags word @i of @b. */
static inline uint32_t snap_block_word(const struct snapshot *s,
				       const struct snap_block *b, uint64_t i)
{
	const unsigned char *w = s->block_words + s->block_word * (b->first + i);

	if (s->block_word == 2)
		return (uint32_t)(w[0] | w[1] << 8);
	return (uint32_t)w[0] | (uint32_t)w[1] << 8 | (uint32_t)w[2] << 16 |
	       (uint32_t)w[3] << 24;
}
/*
 * The page flags the snapshot's kernel has (get-info's page-flags), all
 * this build knows by name when it did not say: the others are absent.
 */
uint32_t snapshot_page_flags(const struct snapshot *s);
/* End of a run, saturating. */
uint64_t snap_run_end(const struct snapshot *s, const struct snap_run *r);

/*
 * Every VMA's counts from the runs (and blocks) inside it, exactly as the kernel counts
 * them in get-vmas (module/vma.c, ptscope_vma_count_span()), so that one
 * page-table walk (get-pages) serves both.  Replaces the counts in place;
 * the runs must cover the VMAs (a snapshot without a range).  0 or -ENOMEM.
 */
int snapshot_count_runs(struct snapshot *s);	/* 0 or -ENOMEM */

/*
 * Live: VMAs overlapping [start, end) (end 0: all), their runs when
 * @want_runs, and the module info when @want_info (failures of info are
 * not fatal).  With the runs of the whole process, the VMAs' counts are
 * derived from them (snapshot_count_runs(): one page-table walk, not
 * two); otherwise the kernel counts.  0 or a negative errno; the kernel's
 * message is in @c.
 */
int snapshot_live(struct snapshot *s, struct ptscope_client *c, pid_t pid,
		  uint64_t start, uint64_t end, bool want_runs, bool want_info);
/*
 * The same, the kernel's compact blocks kept as blocks (s->blocks) rather
 * than expanded into runs: for writing them out again (`record`), at 2
 * bytes per page instead of a snap_run (24 bytes) per run.
 */
int snapshot_live_blocks(struct snapshot *s, struct ptscope_client *c, pid_t pid,
			 uint64_t start, uint64_t end, bool want_info);

/*
 * From a file written by `ptscope record` (or a `maps --json` document,
 * which has no runs).  "-" is stdin.  0, or -1 with the reason in @err.
 */
int snapshot_load(struct snapshot *s, const char *path, char *err, size_t errlen);

#endif /* PTSCOPE_SNAPSHOT_H */
