/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracked-process object and the set of them.
 *
 * A tracked process is a tracked mm: the probes see the mm a flush or a
 * fault is for, not the task that happens to run.  The set is a hash of
 * mm pointers that the probes read under RCU, and an rbtree by the same
 * key that only holders of the set's mutex use, so a dump can resume
 * after the last key it sent.  Every tracked mm is pinned with mmgrab()
 * so its address cannot be reused by another process while it is tracked.
 */
#ifndef PTSCOPE_TRACKED_H
#define PTSCOPE_TRACKED_H

#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mmu_notifier.h>
#include <linux/pid.h>
#include <linux/rbtree.h>
#include <linux/types.h>
#include <linux/ptscope.h>

#include "compat.h"

/* Per-CPU table of fault counts by VMA range; see range_count(). */
#define PTSCOPE_RANGE_SLOTS	64
#define PTSCOPE_RANGE_PROBES	8

struct ptscope_range_slot {
	unsigned long start;
	unsigned long end;	/* 0: free; written last, read first */
	u64 faults, major;
};

/* tlb_flush tracepoint reasons counted system-wide, for context */
enum ptscope_tp_reason {
	PTSCOPE_TP_REMOTE,
	PTSCOPE_TP_LOCAL,
	PTSCOPE_TP_TASK_SWITCH,
	PTSCOPE_TP_SEND_IPI,
	PTSCOPE_TP_NR
};

/*
 * Counters of one tracked mm on one CPU.  Each field is written by one
 * context only (a probe with preemption disabled on this CPU, or the mmu
 * notifier's this_cpu ops) and read racily by get-stats, which is fine
 * for monotonic u64 counters.  Only u64 members: get-stats sums them as
 * an array.
 */
struct ptscope_track_counters {
	/*
	 * flush_tlb_mm_range() (x86), the mmu notifier (arm64): requests
	 * for this mm
	 */
	u64 flush_full, flush_ranged, flush_pages;
	/* flush_tlb_multi(): shootdowns sent for this mm */
	u64 shootdowns, shootdown_cpus;
	/* flush_tlb_func() on a CPU other than the initiator */
	u64 received;
	/* handle_mm_fault(): at its return, or entered when counted at entry */
	u64 minor, major, retries, errors, entered;
	u64 read, write, exec;
	u64 not_present, protection, gup, cause_unknown;
	u64 anon, file, shmem;
	u64 lat_hist[PTSCOPE_LAT_BUCKETS];
	u64 lat_sum_ns;
	u64 ranges_dropped;
	/* do_swap_page() on a swap entry */
	u64 swapins;
};

struct ptscope_track_pcpu {
	struct ptscope_track_counters c;
	/* System-wide counters of this CPU when tracking started */
	u64 irq_tlb_start;
	u64 tp_start[PTSCOPE_TP_NR];
	struct ptscope_range_slot ranges[PTSCOPE_RANGE_SLOTS];
};

struct ptscope_tracked {
	struct hlist_node node;		/* the set's hash, by mm */
	struct rb_node rb;		/* the set's rbtree, by mm */
	struct mm_struct *mm;		/* mmgrab() reference */
	struct pid *tgid;		/* reference; reporting, task counters */
	u64 start_ns;			/* ktime_get_ns() */
	u64 min_flt_start, maj_flt_start;
	struct ptscope_track_pcpu __percpu *pcpu;
	struct list_head reap;		/* on a local list while being freed */
#ifdef PTSCOPE_TLB_NOTIFIER
	struct mmu_notifier tlb_mn;	/* tlb_notifier.c; ops NULL: none */
#endif
};

/* The key of the set's order: dumps resume after the last key sent. */
static inline unsigned long ptscope_tracked_key(const struct ptscope_tracked *t)
{
	return (unsigned long)t->mm;
}

/*
 * The tracked object of @mm, or NULL.  Under rcu_read_lock() (probes):
 * the object stays valid until rcu_read_unlock(); or with the set locked.
 */
struct ptscope_tracked *ptscope_tracked_find(const struct mm_struct *mm);

/* Everything below: with the set locked. */
void ptscope_tracked_lock(void);
void ptscope_tracked_unlock(void);

void ptscope_tracked_add(struct ptscope_tracked *t);
/* Unhashed for new lookups; RCU readers may still hold it. */
void ptscope_tracked_del(struct ptscope_tracked *t);
unsigned int ptscope_tracked_count(void);
/* The tracked object with the smallest key above @key (0: the first). */
struct ptscope_tracked *ptscope_tracked_after(unsigned long key);
/* The one with the next key above @t's, or NULL. */
struct ptscope_tracked *ptscope_tracked_next(struct ptscope_tracked *t);
/*
 * Changes with every add and delete, never 0: a dump of the set that saw
 * it change between two messages tells its client so.
 */
u32 ptscope_tracked_generation(void);

#endif /* PTSCOPE_TRACKED_H */
