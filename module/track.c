// SPDX-License-Identifier: GPL-2.0
/*
 * Tracking's lifecycle: start, stop, and the end of tracking when the mm
 * goes away; the probes are registered while anything is tracked.  And
 * its read side: a tracked process's per-CPU counters, summed.
 *
 * Probes look objects up under RCU; every removal unhashes with the set
 * locked, waits for a grace period and only then frees, so a probe that
 * found an object can finish with it.  A tracked mm whose last user is
 * gone (exit, or execve of a new image) is reaped by a periodic work item
 * that runs only while something is tracked, and by every registry call.
 */
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/workqueue.h>

#include "probes.h"
#include "tlb_notifier.h"
#include "track.h"

unsigned int ptscope_max_tracked = 64;

static int max_tracked_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int err = kstrtouint(val, 0, &n);

	if (err)
		return err;
	if (n < 1 || n > 4096)
		return -ERANGE;
	WRITE_ONCE(ptscope_max_tracked, n);
	return 0;
}

static const struct kernel_param_ops max_tracked_ops = {
	.set	= max_tracked_set,
	.get	= param_get_uint,
};

module_param_cb(max_tracked, &max_tracked_ops, &ptscope_max_tracked, 0644);
MODULE_PARM_DESC(max_tracked,
		 "Most processes tracked at once (1-4096, default 64); each costs about 2.5 KiB per possible CPU");

#define REAP_INTERVAL	HZ

/*
 * Whether the probes are registered, with the set locked.  Not the same
 * as "something is tracked": the count drops to 0 as soon as dead entries
 * are unhashed, while the probes stay registered until finish_removals().
 */
static bool probes_armed;
static atomic_t track_objects = ATOMIC_INIT(0);

static void reap_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(reap_work, reap_work_fn);

/* The /proc/PID/stat fault totals of a thread group, all threads. */
static void task_fault_totals(struct pid *tgid, u64 *min_flt, u64 *maj_flt)
{
	struct task_struct *task, *thread;

	*min_flt = 0;
	*maj_flt = 0;
	rcu_read_lock();
	task = pid_task(tgid, PIDTYPE_TGID);
	if (task) {
		/* Threads that exited already were folded into signal. */
		*min_flt = READ_ONCE(task->signal->min_flt);
		*maj_flt = READ_ONCE(task->signal->maj_flt);
		for_each_thread(task, thread) {
			*min_flt += READ_ONCE(thread->min_flt);
			*maj_flt += READ_ONCE(thread->maj_flt);
		}
	}
	rcu_read_unlock();
}

void ptscope_track_task_faults(struct ptscope_tracked *t, u64 *min_flt,
			       u64 *maj_flt)
{
	task_fault_totals(t->tgid, min_flt, maj_flt);
}

static void tracked_free(struct ptscope_tracked *t)
{
	/* Waits for its running calls: none touches @t once it returns. */
	ptscope_tlb_notifier_unregister(t);
	free_percpu(t->pcpu);
	put_pid(t->tgid);
	mmdrop(t->mm);
	kfree(t);
	atomic_dec(&track_objects);
}

/* Take @t out of the set; freed by finish_removals(@dead). */
static void tracked_remove(struct ptscope_tracked *t, struct list_head *dead)
{
	ptscope_tracked_del(t);
	list_add(&t->reap, dead);
}

/*
 * Free what was removed, once no probe can still hold it, and leave
 * @dead empty for the caller to use again.  Set locked.
 */
static void finish_removals(struct list_head *dead)
{
	struct ptscope_tracked *t, *tmp;

	if (list_empty(dead))
		return;
	if (!ptscope_tracked_count() && probes_armed) {
		/* Waits for every running probe handler to return. */
		ptscope_probes_unregister();
		probes_armed = false;
		cancel_delayed_work(&reap_work);
	} else {
		synchronize_rcu();
	}
	list_for_each_entry_safe(t, tmp, dead, reap) {
		list_del(&t->reap);
		tracked_free(t);
	}
}

/* Remove every tracked mm that has no users left.  Set locked. */
static void reap_dead(struct list_head *dead)
{
	struct ptscope_tracked *t, *next;

	for (t = ptscope_tracked_after(0); t; t = next) {
		/* Taken before @t leaves the tree: erasing keeps the others. */
		next = ptscope_tracked_next(t);
		if (!atomic_read(&t->mm->mm_users))
			tracked_remove(t, dead);
	}
}

static void reap_work_fn(struct work_struct *work)
{
	LIST_HEAD(dead);

	ptscope_tracked_lock();
	reap_dead(&dead);
	finish_removals(&dead);
	if (probes_armed)
		schedule_delayed_work(&reap_work, REAP_INTERVAL);
	ptscope_tracked_unlock();
}

static void snapshot_system_counters(struct ptscope_tracked *t)
{
	int cpu, r;

	for_each_possible_cpu(cpu) {
		struct ptscope_track_pcpu *p = per_cpu_ptr(t->pcpu, cpu);

		p->irq_tlb_start = ptscope_probes_irq_tlb(cpu);
		for (r = 0; r < PTSCOPE_TP_NR; r++)
			p->tp_start[r] = ptscope_probes_tp_count(cpu, r);
	}
}

/* Why @mm cannot be tracked now, or 0.  Set locked, dead ones reaped. */
static int track_refused(struct mm_struct *mm, struct netlink_ext_ack *extack)
{
	if (ptscope_tracked_find(mm)) {
		NL_SET_ERR_MSG(extack, "process is already tracked");
		return -EALREADY;
	}
	if (ptscope_tracked_count() >= READ_ONCE(ptscope_max_tracked)) {
		NL_SET_ERR_MSG(extack,
			       "tracking limit reached: stop tracking a process or raise the max_tracked module parameter");
		return -ENOSPC;
	}
	return 0;
}

int ptscope_track_start(struct mm_struct *mm, struct pid *tgid,
			struct netlink_ext_ack *extack)
{
	struct ptscope_tracked *t;
	LIST_HEAD(dead);
	int err;

	if (!ptscope_probes_available) {
		NL_SET_ERR_MSG(extack,
			       "tracking unavailable: this kernel has none of the functions and tracepoints ptscope probes");
		return -EOPNOTSUPP;
	}

	/*
	 * Refuse first what would be refused below: registering the flush
	 * notifier takes the target's mmap_lock and all its VMA locks.  What
	 * this reaps is freed once @t is in the set, so that reaping the
	 * last tracked process does not unregister the probes only to
	 * register them again.
	 */
	ptscope_tracked_lock();
	reap_dead(&dead);
	err = track_refused(mm, extack);
	ptscope_tracked_unlock();
	if (err)
		goto drop_reaped;

	err = -ENOMEM;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		goto drop_reaped;
	t->pcpu = alloc_percpu(struct ptscope_track_pcpu);
	if (!t->pcpu) {
		kfree(t);
		goto drop_reaped;
	}
	atomic_inc(&track_objects);
	mmgrab(mm);
	t->mm = mm;
	t->tgid = get_pid(tgid);
	/*
	 * Before the set's lock, which is never held under mmap_lock; the
	 * notifier counts into @t only, so nothing else sees it early.
	 */
	err = ptscope_tlb_notifier_register(t, extack);
	if (err) {
		tracked_free(t);
		goto drop_reaped;
	}

	ptscope_tracked_lock();
	reap_dead(&dead);
	err = track_refused(mm, extack);	/* again: a racing start may have won */
	if (err)
		goto fail;
	if (!probes_armed) {
		/*
		 * Register before the snapshot, so the tracepoint counters
		 * the snapshot reads are the ones that keep counting.
		 */
		ptscope_probes_register();
		probes_armed = true;
		schedule_delayed_work(&reap_work, REAP_INTERVAL);
	}
	snapshot_system_counters(t);
	task_fault_totals(tgid, &t->min_flt_start, &t->maj_flt_start);
	t->start_ns = ktime_get_ns();
	ptscope_tracked_add(t);
	finish_removals(&dead);
	ptscope_tracked_unlock();
	return 0;

fail:
	finish_removals(&dead);
	ptscope_tracked_unlock();
	tracked_free(t);
	return err;

drop_reaped:
	ptscope_tracked_lock();
	finish_removals(&dead);
	ptscope_tracked_unlock();
	return err;
}

int ptscope_track_stop(struct mm_struct *mm, struct netlink_ext_ack *extack)
{
	struct ptscope_tracked *t;
	LIST_HEAD(dead);
	int err = 0;

	ptscope_tracked_lock();
	t = ptscope_tracked_find(mm);
	if (t) {
		tracked_remove(t, &dead);
	} else {
		NL_SET_ERR_MSG(extack, "process is not tracked");
		err = -ENOENT;
	}
	reap_dead(&dead);
	finish_removals(&dead);
	ptscope_tracked_unlock();
	return err;
}

u32 ptscope_track_stop_all(bool (*may_stop)(struct ptscope_tracked *t,
					    void *arg), void *arg)
{
	struct ptscope_tracked *t, *next;
	LIST_HEAD(dead);
	u32 n = 0;

	ptscope_tracked_lock();
	reap_dead(&dead);
	for (t = ptscope_tracked_after(0); t; t = next) {
		/* Taken before @t leaves the tree: erasing keeps the others. */
		next = ptscope_tracked_next(t);
		if (may_stop && !may_stop(t, arg))
			continue;
		tracked_remove(t, &dead);
		n++;
	}
	finish_removals(&dead);
	ptscope_tracked_unlock();
	return n;
}

void ptscope_track_counts(u32 *tracked, u32 *objects)
{
	*tracked = ptscope_tracked_count();
	*objects = atomic_read(&track_objects);
}

void ptscope_track_lock(void)
{
	LIST_HEAD(dead);

	ptscope_tracked_lock();
	reap_dead(&dead);
	finish_removals(&dead);
}

void ptscope_track_unlock(void)
{
	ptscope_tracked_unlock();
}

int ptscope_track_init(void)
{
	return ptscope_probes_init();
}

void ptscope_track_exit(void)
{
	ptscope_track_stop_all(NULL, NULL);
	cancel_delayed_work_sync(&reap_work);
	ptscope_probes_exit();
}

/* -- Per-CPU aggregation ------------------------------------------------ */

void ptscope_track_sum(struct ptscope_tracked *t,
		       struct ptscope_track_counters *sum)
{
	const size_t n = sizeof(*sum) / sizeof(u64);
	u64 *out = (u64 *)sum;
	int cpu;
	size_t i;

	BUILD_BUG_ON(sizeof(*sum) % sizeof(u64));
	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const u64 *in = (const u64 *)&per_cpu_ptr(t->pcpu, cpu)->c;

		for (i = 0; i < n; i++)
			out[i] += READ_ONCE(in[i]);
	}
}

static void ranges_add(struct ptscope_stats_ranges *rs, unsigned long start,
		       unsigned long end, u64 faults, u64 major)
{
	unsigned int i;

	for (i = 0; i < rs->nr; i++) {
		if (rs->r[i].start == start && rs->r[i].end == end) {
			rs->r[i].faults += faults;
			rs->r[i].major += major;
			return;
		}
	}
	if (rs->nr == PTSCOPE_MAX_REPORT_RANGES) {
		rs->dropped += faults;
		return;
	}
	rs->r[rs->nr++] = (struct ptscope_stats_range){ start, end, faults,
							major };
}

static int range_cmp(const void *a, const void *b)
{
	const struct ptscope_stats_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

void ptscope_track_ranges(struct ptscope_tracked *t,
			  struct ptscope_stats_ranges *rs)
{
	const struct ptscope_range_slot *s;
	unsigned long end;
	int cpu, i;

	for_each_possible_cpu(cpu) {
		const struct ptscope_track_pcpu *p = per_cpu_ptr(t->pcpu, cpu);

		for (i = 0; i < PTSCOPE_RANGE_SLOTS; i++) {
			s = &p->ranges[i];
			/* Pairs with range_count(): the slot is complete. */
			end = smp_load_acquire(&s->end);
			if (end)
				ranges_add(rs, READ_ONCE(s->start), end,
					   READ_ONCE(s->faults),
					   READ_ONCE(s->major));
		}
	}
	sort(rs->r, rs->nr, sizeof(*rs->r), range_cmp, NULL);
}

void ptscope_track_cpu_line(struct ptscope_tracked *t, int cpu,
			    struct ptscope_cpu_line *l)
{
	const struct ptscope_track_pcpu *p = per_cpu_ptr(t->pcpu, cpu);
	int r;

	l->received = READ_ONCE(p->c.received);
	l->irq_tlb_total = ptscope_probes_irq_tlb(cpu);
	/* irq_tlb_count is an unsigned int: deltas wrap at 2^32. */
	l->irq_tlb = (u32)(l->irq_tlb_total - p->irq_tlb_start);
	for (r = 0; r < PTSCOPE_TP_NR; r++)
		l->tp[r] = ptscope_probes_tp_count(cpu, r) - p->tp_start[r];
}

bool ptscope_cpu_line_empty(const struct ptscope_cpu_line *l)
{
	int r;

	if (l->received || l->irq_tlb)
		return false;
	for (r = 0; r < PTSCOPE_TP_NR; r++)
		if (l->tp[r])
			return false;
	return true;
}
