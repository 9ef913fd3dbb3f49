// SPDX-License-Identifier: GPL-2.0
/*
 * What the get-vmas and get-pages dumps share: request parsing, the state
 * kept between messages, and taking the target's mmap_lock per batch.
 */
#include <linux/atomic.h>
#include <linux/limits.h>
#include <linux/mmap_lock.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/ptscope.h>

#include "compat.h"
#include "dump.h"
#include "lock_stats.h"
#include "netlink.h"
#include "target.h"

int ptscope_parse_range(struct nlattr **attrs, struct mm_struct *mm,
			struct netlink_ext_ack *extack,
			unsigned long *start, unsigned long *end)
{
	u64 s = 0, e = mm->task_size;

	if (attrs[PTSCOPE_A_START])
		s = nla_get_u64(attrs[PTSCOPE_A_START]);
	if (attrs[PTSCOPE_A_END])
		e = nla_get_u64(attrs[PTSCOPE_A_END]);

	if (!PAGE_ALIGNED(s) || !PAGE_ALIGNED(e)) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[PTSCOPE_A_START] ?: attrs[PTSCOPE_A_END],
				    "range must be page aligned");
		return -EINVAL;
	}
	if (s >= e) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[PTSCOPE_A_START],
				    "range start must be below its end");
		return -EINVAL;
	}
	if (e > mm->task_size) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[PTSCOPE_A_END],
				    "range ends beyond the user address space");
		return -ERANGE;
	}
	*start = s;
	*end = e;
	return 0;
}

static void dump_free(struct ptscope_dump *d)
{
	ptscope_walker_destroy(&d->walker);
	kfree(d->path_buf);
	if (d->mm)
		mmdrop(d->mm);
	kfree(d);
}

static int dump_begin(struct netlink_callback *cb, u32 allowed_flags,
		      bool want_path_buf,
		      int (*check)(struct netlink_callback *cb,
				   struct ptscope_dump *d,
				   struct netlink_ext_ack *extack),
		      struct netlink_ext_ack *extack)
{
	struct nlattr **attrs = ptscope_dump_attrs(cb);
	struct ptscope_target t;
	struct ptscope_dump *d;
	u32 flags;
	int err;

	err = ptscope_get_flags(attrs, allowed_flags, extack, &flags);
	if (err)
		return err;
	err = ptscope_target_get(cb->skb, attrs, extack, &t);
	if (err)
		return err;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		err = -ENOMEM;
		goto out_target;
	}
	err = ptscope_parse_range(attrs, t.mm, extack, &d->start, &d->end);
	if (err)
		goto out_free;
	err = ptscope_walker_init(&d->walker);
	if (err)
		goto out_free;
	if (want_path_buf) {
		d->path_buf = kmalloc(PATH_MAX, GFP_KERNEL);
		if (!d->path_buf) {
			err = -ENOMEM;
			goto out_free;
		}
	}

	d->nr = t.nr;
	d->privileged = t.privileged;
	d->flags = flags;
	d->next = d->start;
	if (check) {
		err = check(cb, d, extack);
		if (err)
			goto out_free;
	}

	mmgrab(t.mm);
	d->mm = t.mm;
	ptscope_cb_ctx(cb)->d = d;
	atomic_inc(&ptscope_live_dumps);
	ptscope_target_put(&t);
	return 0;

out_free:
	dump_free(d);
out_target:
	ptscope_target_put(&t);
	return err;
}

int ptscope_dump_begin(struct netlink_callback *cb, u32 allowed_flags,
		       bool want_path_buf,
		       int (*check)(struct netlink_callback *cb,
				    struct ptscope_dump *d,
				    struct netlink_ext_ack *extack))
{
	struct netlink_ext_ack deferred = {};
	struct ptscope_dump_ctx *ctx = ptscope_cb_ctx(cb);
	int err;

	if (!PTSCOPE_DEFER_START_ERRORS)
		return dump_begin(cb, allowed_flags, want_path_buf, check,
				  cb->extack);

	err = dump_begin(cb, allowed_flags, want_path_buf, check, &deferred);
	if (err) {
		ctx->err = err;
		ctx->msg = deferred._msg;
	}
	return 0;
}

int ptscope_dump_deferred_err(struct netlink_callback *cb)
{
	struct ptscope_dump_ctx *ctx = ptscope_cb_ctx(cb);

	if (ctx->err && cb->extack)
		cb->extack->_msg = ctx->msg;
	return ctx->err;
}

int ptscope_dump_done(struct netlink_callback *cb)
{
	struct ptscope_dump *d = ptscope_dump_ctx(cb);

	if (d) {
		dump_free(d);
		atomic_dec(&ptscope_live_dumps);
	}
	return 0;
}

/*
 * Take @mm's mmap_lock for read after letting in a writer that wants it.
 *
 * A reader may take an rwsem that only readers held even while a writer
 * spins or sleeps on it (reader lock stealing), and the writer needs
 * longer to notice than we need to come back: a walk that simply
 * retook the lock would make the target's mmap()/munmap() wait until the
 * rwsem's handoff timeout (a jiffy) forces the lock to it.  So while a
 * writer wants the lock, and while one holds it, poll with trylock
 * (which fails while anyone is queued) instead of sleeping on the lock:
 * a sleeping reader would also make the writer pay for waking it up.
 * After PTSCOPE_WRITER_WAIT_NS, sleep on the lock like anyone else.
 */
#define PTSCOPE_WRITER_WAIT_NS	(2 * NSEC_PER_MSEC)

static int dump_read_lock(struct mm_struct *mm, u64 *t0)
{
	u64 deadline;

	if (!ptscope_mmap_lock_wanted(mm) && ptscope_mmap_read_trylock(mm, t0))
		return 0;
	deadline = local_clock() + PTSCOPE_WRITER_WAIT_NS;
	do {
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
		cpu_relax();
		if (!ptscope_mmap_lock_wanted(mm) &&
		    ptscope_mmap_read_trylock(mm, t0))
			return 0;
	} while (local_clock() < deadline);
	return ptscope_mmap_read_lock(mm, t0);
}

int ptscope_dump_lock(struct ptscope_dump *d, struct netlink_ext_ack *extack)
{
	if (!mmget_not_zero(d->mm)) {
		NL_SET_ERR_MSG(extack, "process exited during the dump");
		return -ESRCH;
	}
	if (dump_read_lock(d->mm, &d->lock_t0)) {
		mmput(d->mm);
		return -EINTR;
	}
	ptscope_walker_hold(&d->walker, PTSCOPE_WALK_BUDGET);
	return 0;
}

int ptscope_dump_relock(struct ptscope_dump *d)
{
	ptscope_mmap_read_unlock(d->mm, d->lock_t0);
	if (dump_read_lock(d->mm, &d->lock_t0)) {
		mmput(d->mm);
		return -EINTR;
	}
	ptscope_walker_hold(&d->walker, PTSCOPE_WALK_BUDGET);
	return 0;
}

void ptscope_dump_unlock(struct ptscope_dump *d)
{
	ptscope_mmap_read_unlock(d->mm, d->lock_t0);
	mmput(d->mm);
}
