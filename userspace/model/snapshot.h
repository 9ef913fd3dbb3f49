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
#define RECORD_VERSION	1

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

struct snapshot {
	pid_t pid;
	unsigned int page_shift;
	bool has_info;
	struct ptscope_info info;
	struct snap_vma *vmas;		/* address order */
	size_t nr_vmas, cap_vmas;
	struct snap_run *runs;		/* address order */
	size_t nr_runs, cap_runs;
	bool has_runs;			/* false: counts only (maps --json) */
	bool dump_interrupted;		/* the process changed mid-dump */
};

void snapshot_init(struct snapshot *s, unsigned int page_shift);
void snapshot_free(struct snapshot *s);
/* Copies @name.  0 or -ENOMEM. */
int snapshot_add_vma(struct snapshot *s, const struct snap_vma *v, const char *name);
int snapshot_add_run(struct snapshot *s, const struct snap_run *r);
/* End of a run, saturating. */
uint64_t snap_run_end(const struct snapshot *s, const struct snap_run *r);

/*
 * Every VMA's counts from the runs inside it, exactly as the kernel counts
 * them in get-vmas (module/vma.c, ptscope_vma_count_span()), so that one
 * page-table walk (get-pages) serves both.  Replaces the counts in place;
 * the runs must cover the VMAs (a snapshot without a range).
 */
void snapshot_count_runs(struct snapshot *s);

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
 * From a file written by `ptscope record` (or a `maps --json` document,
 * which has no runs).  "-" is stdin.  0, or -1 with the reason in @err.
 */
int snapshot_load(struct snapshot *s, const char *path, char *err, size_t errlen);

#endif /* PTSCOPE_SNAPSHOT_H */
