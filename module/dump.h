/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PTSCOPE_DUMP_H
#define PTSCOPE_DUMP_H

#include <linux/mm_types.h>
#include <net/genetlink.h>

#include "vma.h"
#include "walk.h"

/*
 * Page-table entries visited per mmap_lock hold.  The lock is dropped and
 * retaken between batches (not only between messages), so a dump never
 * stalls the target's mmap()/munmap() or page faults for long.
 */
#define PTSCOPE_WALK_BUDGET	16384L

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

	/* get-pages: the run being built and the message it goes into */
	struct sk_buff *skb;
	unsigned int nr_runs;
	struct ptscope_run run;
};

static inline struct ptscope_dump *ptscope_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct ptscope_dump *) > sizeof(cb->ctx));
	return *(struct ptscope_dump **)cb->ctx;
}

int ptscope_dump_begin(struct netlink_callback *cb, u32 allowed_flags,
		       bool want_path_buf);
int ptscope_dump_lock(struct ptscope_dump *d, struct netlink_ext_ack *extack);
int ptscope_dump_relock(struct ptscope_dump *d);
void ptscope_dump_unlock(struct ptscope_dump *d);

int ptscope_parse_range(struct nlattr **attrs, struct mm_struct *mm,
			struct netlink_ext_ack *extack,
			unsigned long *start, unsigned long *end);

#endif /* PTSCOPE_DUMP_H */
