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
#include <linux/slab.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "compat.h"
#include "dump.h"
#include "netlink.h"
#include "vma.h"

struct vmas_dump {
	struct ptscope_dump_cursor cur;
	/* counts of the VMA [vma_start, vma_end) up to count_next */
	struct ptscope_vma_counts counts;
	unsigned long vma_start, vma_end, count_next;
	bool relocked;			/* vma_count() dropped mmap_lock */
	struct ptscope_vma_enc enc;
};

static int count_span(const struct ptscope_span *s, void *arg)
{
	struct vmas_dump *d = arg;

	ptscope_vma_count_span(&d->counts, s);
	return 0;
}

static int vmas_init(struct netlink_callback *cb,
		     struct ptscope_dump_cursor *c,
		     struct netlink_ext_ack *extack)
{
	struct vmas_dump *d = container_of(c, struct vmas_dump, cur);

	d->enc.path_buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!d->enc.path_buf)
		return -ENOMEM;
	c->walker.fn = count_span;
	c->walker.arg = d;
	/* One VMA message carries a path of up to PATH_MAX bytes. */
	cb->min_dump_alloc = max_t(u32, cb->min_dump_alloc, PATH_MAX + 1024);
	return 0;
}

static void vmas_fini(struct ptscope_dump_cursor *c)
{
	kfree(container_of(c, struct vmas_dump, cur)->enc.path_buf);
}

static const struct ptscope_dump_ops vmas_ops = {
	.size		= sizeof(struct vmas_dump),
	.allowed_flags	= PTSCOPE_VMAS_F_MASK,
	.init		= vmas_init,
	.fini		= vmas_fini,
};

int ptscope_vmas_start(struct netlink_callback *cb)
{
	return ptscope_dump_begin(cb, &vmas_ops);
}

/* Count the pages of @vma, possibly across lock drops. */
static int vma_count(struct vmas_dump *d, struct vm_area_struct **vmap)
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
		ret = ptscope_walk_range(&d->cur.walker, vma, d->count_next,
					 vma->vm_end);
		if (!ret)
			/* Counted: a full message must not count it again. */
			d->count_next = vma->vm_end;
		if (ret != PTSCOPE_WALK_YIELD)
			return ret;
		d->count_next = d->cur.walker.next;
		ret = ptscope_dump_relock(&d->cur);
		d->relocked = true;
		if (ret)
			return ret;
		vma = find_vma(d->cur.mm, d->vma_start);
		if (!vma || vma->vm_start != d->vma_start ||
		    vma->vm_end != d->vma_end)
			return -EAGAIN;	/* changed while unlocked: recount */
		*vmap = vma;
	}
	return 0;
}

static int vma_msg_put(struct sk_buff *skb, struct vmas_dump *d,
		       struct vm_area_struct *vma)
{
	struct nlattr *nest;
	void *hdr;

	hdr = ptscope_dump_msg_put(skb, &d->cur, PTSCOPE_CMD_GET_VMAS);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, PTSCOPE_A_VMA);
	if (!nest || ptscope_vma_put(skb, vma, &d->enc))
		goto cancel;
	if (!(d->cur.flags & PTSCOPE_VMAS_F_NO_COUNTS) &&
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
	unsigned int nr_msgs = 0, restarts = 0;
	struct ptscope_dump_cursor *c;
	struct vma_iterator vmi = {};
	struct vmas_dump *d;
	int ret = ptscope_dump_deferred_err(cb);

	if (ret)
		return ret;
	d = ptscope_dump_state(cb, struct vmas_dump);
	c = &d->cur;
	if (c->next >= c->end)
		return 0;
	ret = ptscope_dump_lock(c, cb->extack);
	if (ret)
		return ret;

	/*
	 * The next VMA from where the last one was found, not from the root
	 * of the tree: while mmap_lock is held, the tree does not change.
	 */
	vma_iter_init(&vmi, c->mm, c->next);
	while (c->next < c->end) {
		struct vm_area_struct *vma = vma_find(&vmi, c->end - 1);

		if (!vma) {
			c->next = c->end;
			break;
		}
		if (!(c->flags & PTSCOPE_VMAS_F_NO_COUNTS)) {
			d->relocked = false;
			ret = vma_count(d, &vma);
			if (ret == -EAGAIN && ++restarts < 64) {
				/* The VMA changed while unlocked: start over. */
				c->next = d->vma_start;
				d->vma_start = 0;
				d->vma_end = 0;
				mas_set(&vmi.mas, c->next);
				continue;
			}
			if (ret == -EINTR)
				return ret;	/* relock failed: nothing held */
			if (ret)
				goto out_unlock;
			/* The tree may have changed while unlocked. */
			if (d->relocked)
				mas_set(&vmi.mas, vma->vm_end);
		}
		ret = vma_msg_put(skb, d, vma);
		if (ret)
			break;		/* full: counts are kept for next time */
		nr_msgs++;
		c->next = vma->vm_end;
		d->vma_start = 0;
		d->vma_end = 0;
		/* A message per VMA: thousands may fill one skb. */
		ret = ptscope_dump_let_writers_in(c);
		if (ret < 0)
			return ret;	/* relock failed: nothing held */
		/* The tree may have changed while unlocked. */
		if (ret)
			mas_set(&vmi.mas, c->next);
	}
	ret = 0;
out_unlock:
	ptscope_dump_unlock(c);
	if (ret == -EAGAIN)
		NL_SET_ERR_MSG(cb->extack,
			       "page tables kept changing under the walk");
	if (ret)
		return ret;
	if (!nr_msgs && c->next < c->end)
		return -EMSGSIZE;	/* one VMA larger than a whole message */
	return nr_msgs ? skb->len : 0;
}
