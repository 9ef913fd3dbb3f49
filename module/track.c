// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of tracked processes: start, stop, and the end of tracking
 * when the mm goes away.
 *
 * Probes look objects up under RCU; every removal unhashes under the
 * mutex, waits for a grace period and only then frees, so a probe that
 * found an object can finish with it.  A tracked mm whose last user is
 * gone (exit, or execve of a new image) is reaped by a periodic work item
 * that runs only while something is tracked, and by every registry call.
 */
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

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

static DEFINE_MUTEX(ptscope_track_mutex);
static DEFINE_HASHTABLE(ptscope_tracked_hash, 6);
static unsigned int ptscope_nr_tracked;		/* under the mutex */
/*
 * Whether the probes are registered, under the mutex.  Kept apart from
 * ptscope_nr_tracked: that count drops to 0 as soon as dead entries are
 * unhashed, while the probes stay registered until finish_removals().
 */
static bool ptscope_probes_armed;
static atomic_t ptscope_track_objects = ATOMIC_INIT(0);

static void reap_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(reap_work, reap_work_fn);

struct ptscope_tracked *ptscope_tracked_find(const struct mm_struct *mm)
{
	struct ptscope_tracked *t;

	hash_for_each_possible_rcu(ptscope_tracked_hash, t, node,
				   (unsigned long)mm,
				   lockdep_is_held(&ptscope_track_mutex))
		if (t->mm == mm)
			return t;
	return NULL;
}

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

void ptscope_tracked_task_faults(struct ptscope_tracked *t, u64 *min_flt,
				 u64 *maj_flt)
{
	task_fault_totals(t->tgid, min_flt, maj_flt);
}

static void tracked_free(struct ptscope_tracked *t)
{
	free_percpu(t->pcpu);
	put_pid(t->tgid);
	mmdrop(t->mm);
	kfree(t);
	atomic_dec(&ptscope_track_objects);
}

/*
 * Unhash @t; the caller frees the objects on @dead after
 * finish_removals().  Called with the mutex held.
 */
static void tracked_unhash(struct ptscope_tracked *t, struct list_head *dead)
{
	hash_del_rcu(&t->node);
	list_add(&t->reap, dead);
	ptscope_nr_tracked--;
}

static void finish_removals(struct list_head *dead)
{
	struct ptscope_tracked *t, *tmp;

	lockdep_assert_held(&ptscope_track_mutex);
	if (list_empty(dead))
		return;
	if (!ptscope_nr_tracked && ptscope_probes_armed) {
		/* Waits for every running probe handler to return. */
		ptscope_probes_unregister();
		ptscope_probes_armed = false;
		cancel_delayed_work(&reap_work);
	} else {
		synchronize_rcu();
	}
	list_for_each_entry_safe(t, tmp, dead, reap)
		tracked_free(t);
}

/* Unhash every tracked mm that has no users left.  Mutex held. */
static void reap_dead(struct list_head *dead)
{
	struct ptscope_tracked *t;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(ptscope_tracked_hash, bkt, tmp, t, node)
		if (!atomic_read(&t->mm->mm_users))
			tracked_unhash(t, dead);
}

static void reap_work_fn(struct work_struct *work)
{
	LIST_HEAD(dead);

	mutex_lock(&ptscope_track_mutex);
	reap_dead(&dead);
	finish_removals(&dead);
	if (ptscope_nr_tracked)
		schedule_delayed_work(&reap_work, REAP_INTERVAL);
	mutex_unlock(&ptscope_track_mutex);
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

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->pcpu = alloc_percpu(struct ptscope_track_pcpu);
	if (!t->pcpu) {
		kfree(t);
		return -ENOMEM;
	}
	atomic_inc(&ptscope_track_objects);
	mmgrab(mm);
	t->mm = mm;
	t->tgid = get_pid(tgid);

	mutex_lock(&ptscope_track_mutex);
	reap_dead(&dead);
	if (ptscope_tracked_find(mm)) {
		NL_SET_ERR_MSG(extack, "process is already tracked");
		err = -EALREADY;
		goto fail;
	}
	if (ptscope_nr_tracked >= READ_ONCE(ptscope_max_tracked)) {
		NL_SET_ERR_MSG(extack,
			       "tracking limit reached: stop tracking a process or raise the max_tracked module parameter");
		err = -ENOSPC;
		goto fail;
	}
	if (!ptscope_probes_armed) {
		/*
		 * Register before the snapshot, so the tracepoint counters
		 * the snapshot reads are the ones that keep counting.
		 */
		ptscope_probes_register();
		ptscope_probes_armed = true;
		schedule_delayed_work(&reap_work, REAP_INTERVAL);
	}
	snapshot_system_counters(t);
	task_fault_totals(tgid, &t->min_flt_start, &t->maj_flt_start);
	t->start_ns = ktime_get_ns();
	hash_add_rcu(ptscope_tracked_hash, &t->node, (unsigned long)mm);
	ptscope_nr_tracked++;
	finish_removals(&dead);
	mutex_unlock(&ptscope_track_mutex);
	return 0;

fail:
	finish_removals(&dead);
	mutex_unlock(&ptscope_track_mutex);
	tracked_free(t);
	return err;
}

int ptscope_track_stop(struct mm_struct *mm, struct netlink_ext_ack *extack)
{
	struct ptscope_tracked *t;
	LIST_HEAD(dead);
	int err = 0;

	mutex_lock(&ptscope_track_mutex);
	t = ptscope_tracked_find(mm);
	if (t) {
		tracked_unhash(t, &dead);
	} else {
		NL_SET_ERR_MSG(extack, "process is not tracked");
		err = -ENOENT;
	}
	reap_dead(&dead);
	finish_removals(&dead);
	mutex_unlock(&ptscope_track_mutex);
	return err;
}

u32 ptscope_track_stop_all(bool (*may_stop)(struct ptscope_tracked *t,
					    void *arg), void *arg)
{
	struct ptscope_tracked *t;
	struct hlist_node *tmp;
	LIST_HEAD(dead);
	u32 n = 0;
	int bkt;

	mutex_lock(&ptscope_track_mutex);
	reap_dead(&dead);
	hash_for_each_safe(ptscope_tracked_hash, bkt, tmp, t, node) {
		if (may_stop && !may_stop(t, arg))
			continue;
		tracked_unhash(t, &dead);
		n++;
	}
	finish_removals(&dead);
	mutex_unlock(&ptscope_track_mutex);
	return n;
}

void ptscope_track_counts(u32 *tracked, u32 *objects)
{
	*tracked = READ_ONCE(ptscope_nr_tracked);
	*objects = atomic_read(&ptscope_track_objects);
}

void ptscope_track_lock(void)
{
	LIST_HEAD(dead);

	mutex_lock(&ptscope_track_mutex);
	reap_dead(&dead);
	finish_removals(&dead);
}

void ptscope_track_unlock(void)
{
	mutex_unlock(&ptscope_track_mutex);
}

struct ptscope_tracked *ptscope_tracked_get_nth(unsigned long n)
{
	struct ptscope_tracked *t;
	int bkt;

	lockdep_assert_held(&ptscope_track_mutex);
	hash_for_each(ptscope_tracked_hash, bkt, t, node)
		if (!n--)
			return t;
	return NULL;
}

struct ptscope_tracked *ptscope_tracked_find_locked(const struct mm_struct *mm)
{
	lockdep_assert_held(&ptscope_track_mutex);
	return ptscope_tracked_find(mm);
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
