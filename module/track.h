/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-process tracking of TLB flushes and page faults.
 *
 * A tracked process is a tracked mm: the probes see the mm a flush or a
 * fault is for, not the task that happens to run.  The registry is a hash
 * of mm pointers read under RCU by the probes and changed under
 * ptscope_track_mutex; every tracked mm is pinned with mmgrab() so its
 * address cannot be reused by another process while it is tracked.
 */
#ifndef PTSCOPE_TRACK_H
#define PTSCOPE_TRACK_H

#include <linux/hashtable.h>
#include <linux/mm_types.h>
#include <linux/netlink.h>
#include <linux/pid.h>
#include <linux/ptscope.h>

/* Per-CPU table of fault counts by VMA range; see track_range_count(). */
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
 * context only (a probe with preemption disabled on this CPU) and read
 * racily by get-stats, which is fine for monotonic u64 counters.  Only
 * u64 members: get-stats sums them as an array.
 */
struct ptscope_track_counters {
	/* flush_tlb_mm_range(): requests for this mm */
	u64 flush_full, flush_ranged, flush_pages;
	/* flush_tlb_multi(): shootdowns sent for this mm */
	u64 shootdowns, shootdown_cpus;
	/* flush_tlb_func() on a CPU other than the initiator */
	u64 received;
	/* handle_mm_fault() */
	u64 minor, major, retries, errors;
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
	struct hlist_node node;		/* ptscope_tracked_hash, by mm */
	struct mm_struct *mm;		/* mmgrab() reference */
	struct pid *tgid;		/* reference; reporting, task counters */
	u64 start_ns;			/* ktime_get_ns() */
	u64 min_flt_start, maj_flt_start;
	struct ptscope_track_pcpu __percpu *pcpu;
	struct list_head reap;		/* on a local list while being freed */
};

/* Probe side (probes.c) */
extern u64 ptscope_probes_available;	/* PTSCOPE_PROBE_*, set at init */
extern u64 ptscope_probes_active;	/* registered now */
int ptscope_probes_init(void);
void ptscope_probes_exit(void);
/* Called with ptscope_track_mutex held, on the first and last tracked. */
void ptscope_probes_register(void);
void ptscope_probes_unregister(void);
/* The tlb_flush tracepoint's system-wide count of @reason on @cpu. */
u64 ptscope_probes_tp_count(int cpu, enum ptscope_tp_reason reason);
u64 ptscope_probes_irq_tlb(int cpu);
/* Return-probe slots that were busy: faults not seen, system-wide. */
u64 ptscope_probes_fault_missed(void);

/* Registry (track.c) */
extern unsigned int ptscope_max_tracked;
struct ptscope_tracked *ptscope_tracked_find(const struct mm_struct *mm);

int ptscope_track_init(void);
void ptscope_track_exit(void);

int ptscope_track_start(struct mm_struct *mm, struct pid *tgid,
			struct netlink_ext_ack *extack);
int ptscope_track_stop(struct mm_struct *mm, struct netlink_ext_ack *extack);
/* Stop every tracked process @may_stop() accepts; returns how many. */
u32 ptscope_track_stop_all(bool (*may_stop)(struct ptscope_tracked *t,
					    void *arg), void *arg);

void ptscope_track_counts(u32 *tracked, u32 *objects);

struct ptscope_tracked *ptscope_tracked_find_locked(const struct mm_struct *mm);
/* The /proc/PID/stat fault totals of @t's thread group, all threads. */
void ptscope_tracked_task_faults(struct ptscope_tracked *t, u64 *min_flt,
				 u64 *maj_flt);

/*
 * Hold the registry (no tracked object is freed while held) for get-stats.
 * ptscope_tracked_get_nth() returns the n-th tracked object in hash order.
 */
void ptscope_track_lock(void);
void ptscope_track_unlock(void);
struct ptscope_tracked *ptscope_tracked_get_nth(unsigned long n);

#endif /* PTSCOPE_TRACK_H */
