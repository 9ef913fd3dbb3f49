// SPDX-License-Identifier: GPL-2.0
/*
 * PTSCOPE_CMD_SAMPLE_ACCESS: which pages were accessed since the last
 * sample, clearing the accessed bits as they are read (young.c).
 *
 * Clearing is destructive, so nothing the walk has read may be dropped and
 * re-walked as get-pages does with a run that does not fit: every page
 * walked goes into the message.  The walker asks room_access() before each
 * PMD entry, and stops there unless the message still has room for a
 * whole PTE table's states (ACCESS_ROOM); a huge leaf that does not fit is
 * refused before its bit is cleared.
 *
 * Pages go into blocks written straight into the message: two bits per
 * page (states), or one state for a stretch of huge leaves (fill).  A
 * block ends at a VMA's end, at a stretch with no page table, or where
 * the message ends.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "attr.h"
#include "compat.h"
#include "dump.h"
#include "netlink.h"
#include "young.h"

/* Returned through the walker when the message is full. */
#define ACCESS_MSG_FULL		2

/* A block's nest, START and NR_PAGES, and the STATES or FILL header. */
#define BLOCK_HDR_SIZE	(NLA_HDRLEN + nla_total_size(sizeof(u64)) + \
			 nla_total_size(sizeof(u32)) + NLA_HDRLEN)
#define FILL_BLOCK_SIZE	(BLOCK_HDR_SIZE - NLA_HDRLEN + \
			 nla_total_size(sizeof(u32)))
/* The access-stats nest of the last message. */
#define STATS_SIZE	(NLA_HDRLEN + 7 * nla_total_size(sizeof(u64)))
/*
 * Room kept free before each PMD entry: a PTE table's states, the padding
 * of the block it ends and the header of one it opens, and the stats.
 */
#define ACCESS_ROOM	(PTRS_PER_PTE / 4 + NLA_ALIGNTO + BLOCK_HDR_SIZE + \
			 FILL_BLOCK_SIZE + STATS_SIZE)
/* STATES is at most this long (its nla_len is a u16). */
#define BLOCK_MAX_PAGES	(32768 * 4)

struct access_dump {
	struct ptscope_dump_cursor cur;
	struct ptscope_young young;
	struct sk_buff *skb;
	unsigned int nr_nests;
	/* The block open in skb: where its page count and states go. */
	struct nlattr *blk_nest, *blk_states;
	u32 *blk_nr;
	u32 blk_pages;
	u32 blk_fill;		/* a fill block's state */
	unsigned long blk_end;	/* the address after its last page */
	/* Totals of the dump, for access-stats. */
	u64 entries, present, accessed;
};

static inline u32 pte_state(pte_t pte)
{
	if (!pte_present(pte))
		return 0;
	return PTSCOPE_ACCESS_PRESENT |
	       (pte_young(pte) ? PTSCOPE_ACCESS_ACCESSED : 0);
}

static void block_close(struct access_dump *d)
{
	if (!d->blk_nest)
		return;
	*d->blk_nr = d->blk_pages;
	if (d->blk_states) {
		unsigned int len = d->blk_states->nla_len - NLA_HDRLEN;

		if (nla_padlen(len))
			skb_put_zero(d->skb, nla_padlen(len));
	}
	nla_nest_end(d->skb, d->blk_nest);
	d->blk_nest = NULL;
	d->nr_nests++;
}

/* Open a block at @addr; the caller made sure it fits. */
static void block_open(struct access_dump *d, unsigned long addr, bool fill,
		       u32 state)
{
	struct nlattr *nest, *nr;
	void *pos;

	nest = __skb_put(d->skb, fill ? FILL_BLOCK_SIZE : BLOCK_HDR_SIZE);
	nest->nla_type = NLA_F_NESTED | PTSCOPE_A_ACCESS;
	pos = ptscope_attr_put_u64(nest + 1, PTSCOPE_ACCESS_A_START, addr);
	nr = pos;
	pos = ptscope_attr_put_u32(pos, PTSCOPE_ACCESS_A_NR_PAGES, 0);
	d->blk_nr = nla_data(nr);
	if (fill) {
		ptscope_attr_put_u32(pos, PTSCOPE_ACCESS_A_FILL, state);
		d->blk_states = NULL;
	} else {
		d->blk_states = pos;
		d->blk_states->nla_type = PTSCOPE_ACCESS_A_STATES;
		d->blk_states->nla_len = NLA_HDRLEN;
	}
	d->blk_nest = nest;
	d->blk_pages = 0;
	d->blk_fill = state;
	d->blk_end = addr;
}

static void count(struct access_dump *d, u32 state, unsigned long nr)
{
	if (state & PTSCOPE_ACCESS_PRESENT)
		d->present += nr;
	if (state & PTSCOPE_ACCESS_ACCESSED)
		d->accessed += nr;
}

/*
 * PTEs from the walker's snapshot, as they were before their bits were
 * cleared.  Never refused: room_access() kept room for a whole table.
 */
static int access_ptes(void *arg, unsigned long addr, const pte_t *ptes,
		       unsigned int nr)
{
	struct access_dump *d = arg;
	unsigned int i = 0;
	u8 *last = NULL;

	d->entries += nr;
	if (d->cur.flags & PTSCOPE_ACCESS_F_DISCARD) {
		for (; i < nr; i++)
			count(d, pte_state(ptes[i]), 1);
		return 0;
	}
	if (d->blk_nest && (!d->blk_states || d->blk_end != addr ||
			    d->blk_pages + nr > BLOCK_MAX_PAGES))
		block_close(d);
	if (!d->blk_nest) {
		/* Leading empty entries need no block. */
		while (i < nr && !pte_val(ptes[i]))
			i++;
		if (i == nr)
			return 0;
		block_open(d, addr + ((unsigned long)i << PAGE_SHIFT), false, 0);
	}
	if (d->blk_pages % 4)
		last = skb_tail_pointer(d->skb) - 1;
	for (; i < nr; i++) {
		u32 st = pte_state(ptes[i]);

		if (!(d->blk_pages % 4)) {
			last = __skb_put_zero(d->skb, 1);
			d->blk_states->nla_len++;
		}
		*last |= st << (2 * (d->blk_pages % 4));
		d->blk_pages++;
		count(d, st, 1);
	}
	d->blk_end = addr + ((unsigned long)nr << PAGE_SHIFT);
	return 0;
}

/* A stretch with no PTE table: nothing present, or a huge leaf. */
static int access_span(const struct ptscope_span *s, void *arg)
{
	struct access_dump *d = arg;
	u32 st = 0;

	if (s->flags & PTSCOPE_PF_PRESENT)
		st = PTSCOPE_ACCESS_PRESENT |
		     (s->flags & PTSCOPE_PF_ACCESSED ? PTSCOPE_ACCESS_ACCESSED : 0);
	if (s->flags & (PTSCOPE_PF_HUGE_PMD | PTSCOPE_PF_HUGE_PUD))
		d->entries++;
	if (d->cur.flags & PTSCOPE_ACCESS_F_DISCARD) {
		count(d, st, s->nr_pages);
		return 0;
	}
	if (!st) {
		block_close(d);
		return 0;
	}
	if (d->blk_nest && !d->blk_states && d->blk_fill == st &&
	    d->blk_end == s->addr && d->blk_pages <= U32_MAX - s->nr_pages) {
		d->blk_pages += s->nr_pages;
	} else {
		block_close(d);
		if (skb_tailroom(d->skb) < FILL_BLOCK_SIZE + STATS_SIZE)
			return ACCESS_MSG_FULL;
		block_open(d, s->addr, true, st);
		d->blk_pages = s->nr_pages;
	}
	d->blk_end = s->addr + (s->nr_pages << PAGE_SHIFT);
	count(d, st, s->nr_pages);
	return 0;
}

static int room_access(void *arg)
{
	struct access_dump *d = arg;

	return skb_tailroom(d->skb) < ACCESS_ROOM ? ACCESS_MSG_FULL : 0;
}

static int access_init(struct netlink_callback *cb,
		       struct ptscope_dump_cursor *c,
		       struct netlink_ext_ack *extack)
{
	struct access_dump *d = container_of(c, struct access_dump, cur);

	/* allow_same_user lets owners read their processes, not write them. */
	if (!c->privileged) {
		NL_SET_ERR_MSG(extack,
			       "permission denied: sampling accesses clears the target's accessed bits and needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	c->walker.fn = access_span;
	c->walker.ptes_fn = access_ptes;
	c->walker.young = &d->young;
	if (!(c->flags & PTSCOPE_ACCESS_F_DISCARD))
		c->walker.room_fn = room_access;
	c->walker.arg = d;
	return 0;
}

static const struct ptscope_dump_ops access_ops = {
	.size		= sizeof(struct access_dump),
	.allowed_flags	= PTSCOPE_ACCESS_F_MASK,
	/* Clearing happens under the page-table locks; a VMA lock keeps them. */
	.vma_locks	= true,
	.init		= access_init,
};

int ptscope_access_start(struct netlink_callback *cb)
{
	return ptscope_dump_begin(cb, &access_ops);
}

static int stats_put(struct access_dump *d)
{
	const struct ptscope_young *y = &d->young;
	struct sk_buff *skb = d->skb;
	struct nlattr *nest;

	nest = nla_nest_start(skb, PTSCOPE_A_ACCESS_STATS);
	if (!nest ||
	    nla_put_u64_64bit(skb, PTSCOPE_ACCESS_STATS_A_ENTRIES, d->entries,
			      PTSCOPE_ACCESS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, PTSCOPE_ACCESS_STATS_A_PRESENT, d->present,
			      PTSCOPE_ACCESS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, PTSCOPE_ACCESS_STATS_A_ACCESSED, d->accessed,
			      PTSCOPE_ACCESS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, PTSCOPE_ACCESS_STATS_A_CLEARED, y->cleared,
			      PTSCOPE_ACCESS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, PTSCOPE_ACCESS_STATS_A_YOUNG_MARKED,
			      y->marked, PTSCOPE_ACCESS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, PTSCOPE_ACCESS_STATS_A_FLUSHES, y->flushes,
			      PTSCOPE_ACCESS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, PTSCOPE_ACCESS_STATS_A_FLUSH_CPUS,
			      y->flush_cpus, PTSCOPE_ACCESS_STATS_A_PAD)) {
		if (nest)
			nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	d->nr_nests++;
	return 0;
}

/* Walk [addr, end) of one VMA; *next is where the dump goes on. */
static int access_walk_vma(struct ptscope_dump_cursor *c,
			   struct vm_area_struct *vma, unsigned long addr,
			   unsigned long end, unsigned long *next)
{
	struct access_dump *d = container_of(c, struct access_dump, cur);
	int ret;

	ptscope_young_enter_vma(&d->young, vma);
	ret = ptscope_walk_range(&c->walker, vma, addr, end);
	if (!ret) {
		*next = end;
		block_close(d);
	} else if (ret == PTSCOPE_WALK_YIELD || ret == ACCESS_MSG_FULL) {
		*next = d->cur.walker.next;
	}
	return ret;
}

/* A block open across a lock release ends: a VMA may end there. */
static int access_enter(struct ptscope_dump_cursor *c,
			struct vm_area_struct *vma, unsigned long *addr)
{
	block_close(container_of(c, struct access_dump, cur));
	return 0;
}

/* What was cleared is seen again from here on. */
static void access_yield(struct ptscope_dump_cursor *c)
{
	ptscope_young_flush(&container_of(c, struct access_dump, cur)->young,
			    c->mm);
}

static const struct ptscope_vma_loop access_loop = {
	.enter	= access_enter,
	.walk	= access_walk_vma,
	.yield	= access_yield,
};

int ptscope_access_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ptscope_dump_cursor *c;
	struct access_dump *d;
	unsigned long addr;
	void *hdr;
	int ret = ptscope_dump_deferred_err(cb);

	if (ret)
		return ret;
	d = ptscope_dump_state(cb, struct access_dump);
	c = &d->cur;
	addr = c->next;
	if (addr > c->end)
		return 0;

	hdr = ptscope_dump_msg_begin(skb, c, PTSCOPE_CMD_SAMPLE_ACCESS, &ret);
	if (!hdr)
		return ret;
	d->skb = skb;
	d->nr_nests = 0;
	d->blk_nest = NULL;

	ret = ptscope_dump_vma_loop(c, &access_loop, &addr);
	ptscope_young_flush(&d->young, c->mm);
	c->next = addr;
	if (ret < 0) {
		d->blk_nest = NULL;
		if (ret == -EAGAIN)
			NL_SET_ERR_MSG(cb->extack,
				       "page tables kept changing under the walk");
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	block_close(d);
	/*
	 * ACCESS_ROOM kept room for the stats; should they not fit, they
	 * go alone in the next message: the blocks here cannot be re-read.
	 */
	if (addr >= c->end && !stats_put(d))
		c->next = c->end + 1;
	if (!d->nr_nests) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return skb->len;
}
