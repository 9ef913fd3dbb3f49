/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracking's lifecycle and its read side: starting and stopping, the end
 * of tracking when the mm goes away, arming the probes while anything is
 * tracked, and summing a tracked process's per-CPU counters for get-stats.
 */
#ifndef PTSCOPE_TRACK_H
#define PTSCOPE_TRACK_H

#include <linux/netlink.h>
#include <linux/pid.h>
#include <linux/types.h>

#include "tracked.h"

/* Ranges reported per process; the rest count in ranges-dropped. */
#define PTSCOPE_MAX_REPORT_RANGES	256

extern unsigned int ptscope_max_tracked;

int ptscope_track_init(void);
void ptscope_track_exit(void);

int ptscope_track_start(struct mm_struct *mm, struct pid *tgid,
			struct netlink_ext_ack *extack);
int ptscope_track_stop(struct mm_struct *mm, struct netlink_ext_ack *extack);
/* Stop every tracked process @may_stop() accepts; returns how many. */
u32 ptscope_track_stop_all(bool (*may_stop)(struct ptscope_tracked *t,
					    void *arg), void *arg);

void ptscope_track_counts(u32 *tracked, u32 *objects);

/*
 * Lock the tracked set for reading it (tracked.h), after ending the
 * tracking of processes that are gone: no object is freed until unlock.
 */
void ptscope_track_lock(void);
void ptscope_track_unlock(void);

/* -- Per-CPU aggregation, with the set locked --------------------------- */

void ptscope_track_sum(struct ptscope_tracked *t,
		       struct ptscope_track_counters *sum);

struct ptscope_stats_range {
	unsigned long start, end;
	u64 faults, major;
};

struct ptscope_stats_ranges {
	struct ptscope_stats_range *r;	/* PTSCOPE_MAX_REPORT_RANGES */
	unsigned int nr;
	u64 dropped;		/* faults of ranges that did not fit */
};

/* Fault counts by VMA range, all CPUs merged, sorted by address. */
void ptscope_track_ranges(struct ptscope_tracked *t,
			  struct ptscope_stats_ranges *rs);

/* What one CPU saw since tracking started. */
struct ptscope_cpu_line {
	u64 received, irq_tlb, irq_tlb_total, tp[PTSCOPE_TP_NR];
};

void ptscope_track_cpu_line(struct ptscope_tracked *t, int cpu,
			    struct ptscope_cpu_line *l);
bool ptscope_cpu_line_empty(const struct ptscope_cpu_line *l);

/* The /proc/PID/stat fault totals of @t's thread group, all threads. */
void ptscope_track_task_faults(struct ptscope_tracked *t, u64 *min_flt,
			       u64 *maj_flt);

#endif /* PTSCOPE_TRACK_H */
