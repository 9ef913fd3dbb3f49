// SPDX-License-Identifier: GPL-2.0
/*
 * A snapshot from the kernel.  The VMAs are collected first and the runs
 * afterwards: one socket runs one dump at a time.
 *
 * Counting a VMA's pages is a page-table walk in the kernel, and so is
 * get-pages.  When the runs of every VMA are fetched anyway, the VMAs come
 * without counts (PTSCOPE_VMAS_F_NO_COUNTS) and the counts are derived
 * from the runs: one walk instead of two.  With a range, runs cover only
 * part of the VMAs at its edges while counts cover whole VMAs, so there
 * (and when no runs are wanted) the kernel still counts.
 */
#include <errno.h>

#include "snapshot.h"

static int add_vma(const struct ptscope_vma *vma, void *arg)
{
	struct snapshot *s = arg;
	struct snap_vma v = {
		.start = vma->start, .end = vma->end, .pgoff = vma->pgoff,
		.flags = vma->flags, .inode = vma->inode, .kind = vma->kind,
		.dev = vma->dev,
		.n = {
			.total = (vma->end - vma->start) >> s->page_shift,
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) .name = vma->nr_##name,
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
		},
	};

	return snapshot_add_vma(s, &v, vma->name);
}

static int add_run(const struct ptscope_run *run, void *arg)
{
	struct snap_run r = { run->start, run->nr_pages, run->flags };

	return snapshot_add_run(arg, &r);
}

/*
 * Blocks are kept as they came: one dump has one word size (flags32 is
 * chosen once per client), so snapshot_add_block()'s -EINVAL for a mixed
 * size is a broken reply.
 */
static int add_block(const struct ptscope_block *b, void *arg)
{
	int err = snapshot_add_block(arg, b->start,
				     b->flags16 ? (const void *)b->flags16 : (const void *)b->flags32,
				     b->nr_pages, b->flags16 ? 2 : 4);

	return err == -EINVAL ? -EPROTO : err;
}

static int live(struct snapshot *s, struct ptscope_client *c, pid_t pid,
		uint64_t start, uint64_t end, bool want_runs, bool want_info,
		bool keep_blocks)
{
	bool counts_from_runs = want_runs && !start && !end;
	int err;

	s->pid = pid;
	/* Optional context for captions: an old module without it still maps. */
	if (want_info)
		s->has_info = !ptscope_get_info(c, &s->info);
	err = ptscope_get_vmas(c, pid, start, end,
			       counts_from_runs ? PTSCOPE_VMAS_F_NO_COUNTS : 0,
			       add_vma, s);
	if (!err && want_runs && s->nr_vmas) {
		uint64_t a = s->vmas[0].start, b = s->vmas[s->nr_vmas - 1].end;

		/* Only what was asked for, even where a VMA reaches beyond. */
		if (start > a)
			a = start;
		if (end && end < b)
			b = end;
		err = ptscope_get_pages_blocks(c, pid, a, b, 0, add_run,
					       keep_blocks ? add_block : NULL, s);
	}
	s->has_runs = want_runs && !err;
	if (s->has_runs && counts_from_runs)
		err = snapshot_count_runs(s);
	return err;
}

int snapshot_live(struct snapshot *s, struct ptscope_client *c, pid_t pid,
		  uint64_t start, uint64_t end, bool want_runs, bool want_info)
{
	return live(s, c, pid, start, end, want_runs, want_info, false);
}

int snapshot_live_blocks(struct snapshot *s, struct ptscope_client *c, pid_t pid,
			 uint64_t start, uint64_t end, bool want_info)
{
	return live(s, c, pid, start, end, true, want_info, true);
}
