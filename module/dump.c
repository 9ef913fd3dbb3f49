// SPDX-License-Identifier: GPL-2.0
/*
 * What the get-vmas, get-pages and get-tables dumps share: request
 * parsing, the cursor kept between messages, and taking the target's
 * mmap_lock per batch.
 */
#include <linux/atomic.h>
#include <linux/maple_tree.h>
#include <linux/mmap_lock.h>
#include <linux/moduleparam.h>
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

/*
 * Read-only: whether dumps that only read page tables (get-pages) hold a
 * per-VMA lock instead of mmap_lock on this kernel (see compat.h).
 */
static bool vma_lock_walks = PTSCOPE_VMA_LOCKS;
module_param(vma_lock_walks, bool, 0444);
MODULE_PARM_DESC(vma_lock_walks,
		 "get-pages walks hold per-VMA locks, not mmap_lock (read-only: whether this kernel allows it)");

/*
 * What a dump keeps in cb->ctx: its state, or the error its .start found
 * when that error must be reported by the first .dumpit (see compat.h).
 */
struct ptscope_dump_ctx {
	struct ptscope_dump_cursor *cur;
	int err;
	const char *msg;
};

static struct ptscope_dump_ctx *dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct ptscope_dump_ctx) > sizeof(cb->ctx));
	return (struct ptscope_dump_ctx *)cb->ctx;
}

struct ptscope_dump_cursor *ptscope_dump_cursor(struct netlink_callback *cb)
{
	return dump_ctx(cb)->cur;
}

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

static void dump_free(struct ptscope_dump_cursor *c)
{
	if (c->ops->fini)
		c->ops->fini(c);
	ptscope_walker_destroy(&c->walker);
	if (c->mm)
		mmdrop(c->mm);
	kfree(c);
}

static int dump_begin(struct netlink_callback *cb,
		      const struct ptscope_dump_ops *ops,
		      struct netlink_ext_ack *extack)
{
	struct nlattr **attrs = ptscope_dump_attrs(cb);
	struct ptscope_dump_cursor *c;
	struct ptscope_target t;
	u32 flags;
	int err;

	err = ptscope_get_flags(attrs, ops->allowed_flags, extack, &flags);
	if (err)
		return err;
	err = ptscope_target_get(cb->skb, attrs, extack, &t);
	if (err)
		return err;

	c = kzalloc(ops->size, GFP_KERNEL);
	if (!c) {
		err = -ENOMEM;
		goto out_target;
	}
	c->ops = ops;
	c->cb = cb;
	err = ptscope_parse_range(attrs, t.mm, extack, &c->start, &c->end);
	if (err)
		goto out_free;
	err = ptscope_walker_init(&c->walker);
	if (err)
		goto out_free;

	c->vma_locks = ops->vma_locks && vma_lock_walks;
	c->nr = t.nr;
	c->privileged = t.privileged;
	c->flags = flags;
	c->next = c->start;
	err = ops->init(cb, c, extack);
	if (err)
		goto out_free;

	mmgrab(t.mm);
	c->mm = t.mm;
	/* Never 0: a first message would not be compared with anything. */
	cb->seq = 1;
	dump_ctx(cb)->cur = c;
	atomic_inc(&ptscope_live_dumps);
	ptscope_target_put(&t);
	return 0;

out_free:
	dump_free(c);
out_target:
	ptscope_target_put(&t);
	return err;
}

int ptscope_dump_begin(struct netlink_callback *cb,
		       const struct ptscope_dump_ops *ops)
{
	struct netlink_ext_ack deferred = {};
	struct ptscope_dump_ctx *ctx = dump_ctx(cb);
	int err;

	if (!PTSCOPE_DEFER_START_ERRORS)
		return dump_begin(cb, ops, cb->extack);

	err = dump_begin(cb, ops, &deferred);
	if (err) {
		ctx->err = err;
		ctx->msg = deferred._msg;
	}
	return 0;
}

int ptscope_dump_deferred_err(struct netlink_callback *cb)
{
	struct ptscope_dump_ctx *ctx = dump_ctx(cb);

	if (ctx->err && cb->extack)
		cb->extack->_msg = ctx->msg;
	return ctx->err;
}

int ptscope_dump_done(struct netlink_callback *cb)
{
	struct ptscope_dump_cursor *c = ptscope_dump_cursor(cb);

	if (c) {
		dump_free(c);
		atomic_dec(&ptscope_live_dumps);
	}
	return 0;
}

void *ptscope_dump_msg_put(struct sk_buff *skb, struct ptscope_dump_cursor *c,
			   u8 cmd)
{
	struct netlink_callback *cb = c->cb;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ptscope_family, NLM_F_MULTI, cmd);
	if (!hdr)
		return NULL;
	if (nla_put_u32(skb, PTSCOPE_A_PID, c->nr)) {
		genlmsg_cancel(skb, hdr);
		return NULL;
	}
	/*
	 * Compares cb->seq with the previous message's; a change noted by a
	 * later hold is flagged on the next message, or on NLMSG_DONE.
	 */
	genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/*
 * If the VMA tree changed since the last hold, the dump is no longer one
 * picture of it, and its next message says so.  Called at the start of
 * each mmap_lock hold; with per-VMA locks, at both ends of each hold, as
 * writers may change other VMAs during one (an odd seqcount, a writer at
 * work, differs from the even one its unlock leaves).
 */
static void vma_seq_note(struct ptscope_dump_cursor *c)
{
	unsigned int seq = ptscope_vma_seq(c->mm);

	if (c->vma_seq_known && seq != c->vma_seq)
		c->cb->seq = c->cb->seq + 1 ?: 1;
	c->vma_seq = seq;
	c->vma_seq_known = true;
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

/* Takes mmap_lock for a hold of the walk; drops the mm reference if not. */
static int dump_hold(struct ptscope_dump_cursor *c)
{
	if (dump_read_lock(c->mm, &c->lock_t0)) {
		mmput(c->mm);
		return -EINTR;
	}
	c->mmap_held = true;
	vma_seq_note(c);
	ptscope_walker_hold(&c->walker, PTSCOPE_WALK_BUDGET);
	return 0;
}

/* Ends the hold, of mmap_lock or of a VMA, if any; keeps the mm. */
static void dump_put_hold(struct ptscope_dump_cursor *c)
{
	if (c->vma) {
		ptscope_vma_read_unlock(c->vma);
		c->vma = NULL;
		c->walker.locked_vma = NULL;
		/*
		 * No mmap_lock orders the VMA tree's changes with this hold:
		 * look at the count again at each end of one.
		 */
		vma_seq_note(c);
	}
	if (c->mmap_held) {
		ptscope_mmap_read_unlock(c->mm, c->lock_t0);
		c->mmap_held = false;
	}
}

int ptscope_dump_lock(struct ptscope_dump_cursor *c,
		      struct netlink_ext_ack *extack)
{
	if (!mmget_not_zero(c->mm)) {
		NL_SET_ERR_MSG(extack, "process exited during the dump");
		return -ESRCH;
	}
	/* Per-VMA: each VMA is locked when ptscope_dump_find_vma() finds it. */
	if (c->vma_locks)
		return 0;
	return dump_hold(c);
}

int ptscope_dump_relock(struct ptscope_dump_cursor *c)
{
	dump_put_hold(c);
	if (c->vma_locks) {
		/* A writer waiting for the VMA got it; the next find waits. */
		if (fatal_signal_pending(current)) {
			mmput(c->mm);
			return -EINTR;
		}
		return 0;
	}
	return dump_hold(c);
}

int ptscope_dump_let_writers_in(struct ptscope_dump_cursor *c)
{
	int ret;

	if (!c->mmap_held || !ptscope_mmap_lock_wanted(c->mm))
		return 0;
	ret = ptscope_dump_relock(c);
	return ret ?: 1;
}

void ptscope_dump_unlock(struct ptscope_dump_cursor *c)
{
	dump_put_hold(c);
	mmput(c->mm);
}

/* lock_vma_under_rcu() fails while a writer holds the VMA: retry, then wait. */
#define PTSCOPE_VMA_LOCK_TRIES	3

/*
 * The first VMA ending after @addr, per-VMA read-locked; NULL if there is
 * none, ERR_PTR(-EAGAIN) if it kept being changed under us.
 *
 * The maple tree is read under RCU (as lock_vma_under_rcu() does; VMAs
 * are SLAB_TYPESAFE_BY_RCU, so a stale one is still a VMA), which gives
 * a candidate address; the VMA there is locked; and the tree is read
 * again to check that no VMA appeared between @addr and it meanwhile, so
 * no VMA is skipped that was there throughout.
 */
static struct vm_area_struct *vma_lock_next(struct mm_struct *mm,
					    unsigned long addr)
{
	int tries;

	for (tries = 0; tries < PTSCOPE_VMA_LOCK_TRIES; tries++) {
		struct vm_area_struct *vma, *first;
		unsigned long index = addr, at;

		rcu_read_lock();
		vma = mt_find(&mm->mm_mt, &index, ULONG_MAX);
		at = vma ? max(addr, READ_ONCE(vma->vm_start)) : 0;
		rcu_read_unlock();
		if (!vma)
			return NULL;
		vma = ptscope_vma_read_lock(mm, at);
		if (!vma)
			continue;
		index = addr;
		rcu_read_lock();
		first = mt_find(&mm->mm_mt, &index, ULONG_MAX);
		rcu_read_unlock();
		if (first == vma)
			return vma;
		ptscope_vma_read_unlock(vma);
	}
	return ERR_PTR(-EAGAIN);
}

struct vm_area_struct *ptscope_dump_find_vma(struct ptscope_dump_cursor *c,
					     unsigned long addr)
{
	struct vm_area_struct *vma;

	if (c->mmap_held && !c->vma_locks)
		return find_vma(c->mm, addr);
	if (c->vma && addr >= c->vma->vm_start && addr < c->vma->vm_end)
		return c->vma;
	dump_put_hold(c);

	vma = vma_lock_next(c->mm, addr);
	if (!IS_ERR(vma)) {
		if (vma) {
			c->vma = vma;
			vma_seq_note(c);
			/* Nothing cached from another VMA's hold is valid. */
			ptscope_walker_hold(&c->walker, PTSCOPE_WALK_BUDGET);
			c->walker.locked_vma = vma;
		}
		return vma;
	}
	/*
	 * A writer holds the VMA (or keeps replacing it): wait for it on
	 * mmap_lock like any reader, and walk that VMA under mmap_lock.
	 */
	if (dump_hold(c))
		return ERR_PTR(-EINTR);
	return find_vma(c->mm, addr);
}

void *ptscope_dump_msg_begin(struct sk_buff *skb, struct ptscope_dump_cursor *c,
			     u8 cmd, int *err)
{
	void *hdr = ptscope_dump_msg_put(skb, c, cmd);

	if (!hdr) {
		*err = -EMSGSIZE;
		return NULL;
	}
	*err = ptscope_dump_lock(c, c->cb->extack);
	if (*err) {
		genlmsg_cancel(skb, hdr);
		return NULL;
	}
	return hdr;
}

int ptscope_dump_vma_loop(struct ptscope_dump_cursor *c,
			  const struct ptscope_vma_loop *loop,
			  unsigned long *addr)
{
	int ret = 0;

	while (*addr < c->end) {
		struct vm_area_struct *vma = ptscope_dump_find_vma(c, *addr);

		if (IS_ERR(vma))
			return PTR_ERR(vma);	/* released */
		ret = loop->enter(c, vma, addr);
		if (ret)
			break;
		if (!vma || vma->vm_start >= c->end) {
			*addr = c->end;
			break;
		}
		ret = loop->walk(c, vma, max(*addr, vma->vm_start),
				 min(vma->vm_end, c->end), addr);
		if (ret == PTSCOPE_WALK_YIELD) {
			if (loop->yield)
				loop->yield(c);
			ret = ptscope_dump_relock(c);
			if (ret)
				return ret;		/* released */
			continue;
		}
		if (ret)
			break;
	}
	ptscope_dump_unlock(c);
	return ret;
}
