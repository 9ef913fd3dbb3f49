// SPDX-License-Identifier: GPL-2.0
/*
 * PTSCOPE_CMD_GET_VMAS: one message per VMA, with its page counts.
 *
 * Counting a large VMA may take several mmap_lock holds; the partial
 * counts are kept in the dump state with the VMA's bounds, and restarted
 * if the VMA found after retaking the lock is not the same one.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "compat.h"
#include "dump.h"
#include "netlink.h"

static int count_span(const struct ptscope_span *s, void *arg)
{
	struct ptscope_dump *d = arg;

	ptscope_vma_count_span(&d->counts, s);
	return 0;
}

static int vmas_check(struct netlink_callback *cb, struct ptscope_dump *d,
		      struct netlink_ext_ack *extack)
{
	d->walker.fn = count_span;
	d->walker.arg = d;
	/* One VMA message carries a path of up to PATH_MAX bytes. */
	cb->min_dump_alloc = max_t(u32, cb->min_dump_alloc, PATH_MAX + 1024);
	return 0;
}

int ptscope_vmas_start(struct netlink_callback *cb)
{
	return ptscope_dump_begin(cb, PTSCOPE_VMAS_F_MASK, true, vmas_check);
}

/* Count the pages of @vma, possibly across lock drops. */
static int vma_count(struct ptscope_dump *d, struct vm_area_struct **vmap)
{
	struct vm_area_struct *vma = *vmap;
	int ret;

	if (d->vma_start != vma->vm_start || d->vma_end != vma->vm_end) {
		memset(&d->counts, 0, sizeof(d->counts));
		d->vma_start = vma->vm_start;
		d->vma_end = vma->vm_end;
		d->count_next = vma->vm_start;
	}
	while (d->count_next < vma->vm_end) {
		ret = ptscope_walk_range(&d->walker, vma, d->count_next,
					 vma->vm_end);
		if (!ret)
			/* Counted: a full message must not count it again. */
			d->count_next = vma->vm_end;
		if (ret != PTSCOPE_WALK_YIELD)
			return ret;
		d->count_next = d->walker.next;
		ret = ptscope_dump_relock(d);
		if (ret)
			return ret;
		vma = find_vma(d->mm, d->vma_start);
		if (!vma || vma->vm_start != d->vma_start ||
		    vma->vm_end != d->vma_end)
			return -EAGAIN;	/* changed while unlocked: recount */
		*vmap = vma;
	}
	return 0;
}

static int vma_msg_put(struct sk_buff *skb, struct netlink_callback *cb,
		       struct ptscope_dump *d, struct vm_area_struct *vma)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ptscope_family, NLM_F_MULTI, PTSCOPE_CMD_GET_VMAS);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PTSCOPE_A_PID, d->nr))
		goto cancel;
	nest = nla_nest_start(skb, PTSCOPE_A_VMA);
	if (!nest || ptscope_vma_put(skb, vma, d->path_buf))
		goto cancel;
	if (!(d->flags & PTSCOPE_VMAS_F_NO_COUNTS) &&
	    ptscope_vma_counts_put(skb, &d->counts))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int ptscope_vmas_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ptscope_dump *d = ptscope_dump_ctx(cb);
	unsigned int nr_msgs = 0, restarts = 0;
	int ret = ptscope_dump_deferred_err(cb);

	if (ret)
		return ret;
	if (d->next >= d->end)
		return 0;
	ret = ptscope_dump_lock(d, cb->extack);
	if (ret)
		return ret;

	while (d->next < d->end) {
		struct vm_area_struct *vma = find_vma(d->mm, d->next);

		if (!vma || vma->vm_start >= d->end) {
			d->next = d->end;
			break;
		}
		if (!(d->flags & PTSCOPE_VMAS_F_NO_COUNTS)) {
			ret = vma_count(d, &vma);
			if (ret == -EAGAIN && ++restarts < 64) {
				/* The VMA changed while unlocked: start over. */
				d->next = d->vma_start;
				d->vma_start = 0;
				d->vma_end = 0;
				continue;
			}
			if (ret == -EINTR)
				return ret;	/* relock failed: nothing held */
			if (ret)
				goto out_unlock;
		}
		ret = vma_msg_put(skb, cb, d, vma);
		if (ret)
			break;		/* full: counts are kept for next time */
		nr_msgs++;
		d->next = vma->vm_end;
		d->vma_start = 0;
		d->vma_end = 0;
	}
	ret = 0;
out_unlock:
	ptscope_dump_unlock(d);
	if (ret == -EAGAIN)
		NL_SET_ERR_MSG(cb->extack,
			       "page tables kept changing under the walk");
	if (ret)
		return ret;
	if (!nr_msgs && d->next < d->end)
		return -EMSGSIZE;	/* one VMA larger than a whole message */
	return nr_msgs ? skb->len : 0;
}
