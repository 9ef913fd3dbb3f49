/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PTSCOPE_DUMP_H
#define PTSCOPE_DUMP_H

#include <linux/mm_types.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "vma.h"
#include "walk.h"

/*
 * Page-table entries visited per mmap_lock hold.  The lock is dropped and
 * retaken between batches (not only between messages), so a dump never
 * stalls the target's mmap()/munmap() or page faults for long.  4096
 * entries (8 PTE tables) hold it for about 1-2 ms in a QEMU TCG guest,
 * tens of microseconds on hardware; 16384 held it up to 9 ms under TCG.
 */
#define PTSCOPE_WALK_BUDGET	4096L

#define PTSCOPE_NR_LEVELS	(PTSCOPE_LEVEL_PTE + 1)

/* A run of pages being accumulated for get-pages. */
struct ptscope_run {
	unsigned long start;
	unsigned long nr_pages;
	u32 flags;
	bool contiguous;	/* pfn / swap offset advance page by page */
	u64 pfn;
	u32 swap_type;
	u64 swap_offset;
};

/*
 * State of one dump between messages.  It holds an mmgrab() reference:
 * the mm_struct stays valid, but the address space is re-taken with
 * mmget_not_zero() for each message, which fails once the target exited.
 */
struct ptscope_dump {
	struct mm_struct *mm;
	pid_t nr;
	bool privileged;
	u32 flags;
	unsigned long start, end;	/* requested range */
	unsigned long next;		/* where the next message resumes */
	struct ptscope_walker walker;

	/* get-vmas: counts of the VMA [vma_start, vma_end) up to count_next */
	char *path_buf;
	struct ptscope_vma_counts counts;
	unsigned long vma_start, vma_end, count_next;

	/* get-tables: tables counted so far, and the last one per level */
	u32 depth;			/* list tables of levels <= depth */
	bool list_tables;
	bool stats_sent;
	const void *last_table[PTSCOPE_NR_LEVELS];
	struct ptscope_level_stats {
		u64 tables, entries, leaves;
	} level_stats[PTSCOPE_NR_LEVELS];

	/* get-pages: the run being built and the message it goes into */
	struct sk_buff *skb;
	unsigned int nr_nests;
	struct ptscope_run run;
	/* compact get-pages: the block open in skb, and where it ends */
	struct nlattr *blk_nest, *blk_flags;
	unsigned long blk_end;

	u64 lock_t0;			/* when mmap_lock was taken */
};

/*
 * What a dump keeps in cb->ctx: its state, or the error its .start found
 * when that error must be reported by the first .dumpit (see compat.h).
 */
struct ptscope_dump_ctx {
	struct ptscope_dump *d;
	int err;
	const char *msg;
};

static inline struct ptscope_dump_ctx *ptscope_cb_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct ptscope_dump_ctx) > sizeof(cb->ctx));
	return (struct ptscope_dump_ctx *)cb->ctx;
}

static inline struct ptscope_dump *ptscope_dump_ctx(struct netlink_callback *cb)
{
	return ptscope_cb_ctx(cb)->d;
}

/* The error .start deferred, reported with its message; 0 if none. */
int ptscope_dump_deferred_err(struct netlink_callback *cb);

int ptscope_dump_begin(struct netlink_callback *cb, u32 allowed_flags,
		       bool want_path_buf,
		       int (*check)(struct netlink_callback *cb,
				    struct ptscope_dump *d,
				    struct netlink_ext_ack *extack));
int ptscope_dump_lock(struct ptscope_dump *d, struct netlink_ext_ack *extack);
int ptscope_dump_relock(struct ptscope_dump *d);
void ptscope_dump_unlock(struct ptscope_dump *d);

int ptscope_parse_range(struct nlattr **attrs, struct mm_struct *mm,
			struct netlink_ext_ack *extack,
			unsigned long *start, unsigned long *end);

#endif /* PTSCOPE_DUMP_H */
