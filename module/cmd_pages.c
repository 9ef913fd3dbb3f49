// SPDX-License-Identifier: GPL-2.0
/*
 * PTSCOPE_CMD_GET_PAGES: runs of pages with identical attributes.
 *
 * A run is built from walker spans and put into the message when a span
 * does not extend it, or at the end of its VMA.  Runs are maximal: a run
 * survives a release of mmap_lock between batches when the walk resumes
 * strictly inside a VMA, and when the message is full the unsent run is
 * dropped and re-walked from its start in the next message.  Clients
 * therefore never see a run split by the dump mechanics.
 *
 * With PTSCOPE_PAGES_F_COMPACT, a completed run shorter than
 * PTSCOPE_BLOCK_RUN_MAX pages is appended to a block instead: one __u16 of
 * flags per page, written straight into the message (a run nest costs 36
 * bytes, a page in a block 2).  With PTSCOPE_PAGES_F_FLAGS32 too, a block
 * has one __u32 per page (flags32), for the flags above bit 15 (arm64's
 * pxn and cont), and takes runs half as long; without it a run with such
 * flags is always sent as a run.  A block only ever holds whole runs and
 * ends at a VMA's end, before a long run, or when the message is full, so
 * every boundary between two items of one VMA is a boundary between two
 * runs with different flags: the client expands each block into maximal
 * runs on its own and never merges across items.  Compact dumps carry no
 * physical locations (PFN runs are for those), so that a page reads the
 * same whether it ends up in a run or in a block.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "attr.h"
#include "compat.h"
#include "dump.h"
#include "netlink.h"

/* Returned by the span callback when the message is full. */
#define PTSCOPE_MSG_FULL	2

/* A run of pages being accumulated. */
struct ptscope_run {
	unsigned long start;
	unsigned long nr_pages;
	u32 flags;
	bool contiguous;	/* pfn / swap offset advance page by page */
	u64 pfn;
	u32 swap_type;
	u64 swap_offset;
};

struct pages_dump {
	struct ptscope_dump_cursor cur;
	/* the run being built and the message it goes into */
	struct sk_buff *skb;
	unsigned int nr_nests;
	struct ptscope_run run;
	/* compact: the block open in skb, and where it ends */
	struct nlattr *blk_nest, *blk_flags;
	unsigned long blk_end;
	/* compact: bytes per page in a block (2, or 4 with flags32) */
	unsigned int blk_word;
	/*
	 * compact: the flags of the last two PTE flag patterns decoded
	 * (present PTEs with the same flag bits have the same flags), so
	 * that alternating attributes decode no more than uniform ones.
	 */
	pteval_t pte_key[2];
	u32 pte_flags[2];
};

#define ADDRESS_FLAGS	(PTSCOPE_PF_PRESENT | PTSCOPE_PF_SWAP | PTSCOPE_PF_MIGRATION)

/* Runs shorter than this go into blocks in compact dumps. */
#define PTSCOPE_BLOCK_RUN_MAX	16
/* Bytes of flags per block: its nest length is a u16. */
#define PTSCOPE_BLOCK_MAX_BYTES	32768
/* A block's nest, START and FLAGS16/32 headers, and FLAGS16 padding. */
#define BLOCK_HDR_SIZE	(NLA_HDRLEN + nla_total_size(sizeof(u64)) + \
			 NLA_HDRLEN + NLA_ALIGNTO)

static int run_put(struct pages_dump *d)
{
	const struct ptscope_run *r = &d->run;
	struct sk_buff *skb = d->skb;
	struct nlattr *nest;

	nest = nla_nest_start(skb, PTSCOPE_A_RUN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, PTSCOPE_RUN_A_START, r->start,
			      PTSCOPE_RUN_A_PAD) ||
	    nla_put_u64_64bit(skb, PTSCOPE_RUN_A_NR_PAGES, r->nr_pages,
			      PTSCOPE_RUN_A_PAD) ||
	    nla_put_u32(skb, PTSCOPE_RUN_A_FLAGS, r->flags))
		goto cancel;

	/* Physical locations are for CAP_SYS_ADMIN only, as in pagemap. */
	if (d->cur.privileged && r->contiguous &&
	    !(d->cur.flags & PTSCOPE_PAGES_F_COMPACT)) {
		if ((r->flags & PTSCOPE_PF_PRESENT) &&
		    nla_put_u64_64bit(skb, PTSCOPE_RUN_A_PFN, r->pfn,
				      PTSCOPE_RUN_A_PAD))
			goto cancel;
		if ((r->flags & (PTSCOPE_PF_SWAP | PTSCOPE_PF_MIGRATION)) &&
		    (nla_put_u32(skb, PTSCOPE_RUN_A_SWAP_TYPE, r->swap_type) ||
		     nla_put_u64_64bit(skb, PTSCOPE_RUN_A_SWAP_OFFSET,
				       r->swap_offset, PTSCOPE_RUN_A_PAD)))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	d->nr_nests++;
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* End the open block, if any: pad its flags and close the nest. */
static void block_close(struct pages_dump *d)
{
	unsigned int len;

	if (!d->blk_nest)
		return;
	len = d->blk_flags->nla_len - NLA_HDRLEN;
	if (nla_padlen(len))
		skb_put_zero(d->skb, nla_padlen(len));
	nla_nest_end(d->skb, d->blk_nest);
	d->blk_nest = NULL;
	d->nr_nests++;
}

/* Write @n pages of @flags at @p, the end of the open block. */
static inline void block_fill(struct pages_dump *d, void *p, u32 flags,
			      unsigned int n)
{
	unsigned int i;

	if (d->blk_word == sizeof(u32)) {
		u32 *w = p;

		for (i = 0; i < n; i++)
			w[i] = flags;
	} else {
		u16 *w = p;

		for (i = 0; i < n; i++)
			w[i] = flags;
	}
	d->blk_flags->nla_len += n * d->blk_word;
	d->blk_end += (unsigned long)n << PAGE_SHIFT;
}

/*
 * Append the completed run to the open block or to a new one.  False if
 * the message has no room for it (the caller tries it as a run).
 */
static bool block_add(struct pages_dump *d, const struct ptscope_run *r)
{
	struct sk_buff *skb = d->skb;
	unsigned int len = r->nr_pages * d->blk_word;
	struct nlattr *nest;

	if (d->blk_nest &&
	    (d->blk_end != r->start ||
	     d->blk_flags->nla_len - NLA_HDRLEN + len > PTSCOPE_BLOCK_MAX_BYTES ||
	     skb_tailroom(skb) < len + NLA_ALIGNTO))
		block_close(d);
	if (!d->blk_nest) {
		if (skb_tailroom(skb) < BLOCK_HDR_SIZE + len)
			return false;
		/* The nest's length is set by block_close(). */
		nest = __skb_put(skb, BLOCK_HDR_SIZE - NLA_ALIGNTO);
		nest->nla_type = NLA_F_NESTED | PTSCOPE_A_BLOCK;
		d->blk_flags = ptscope_attr_put_u64(nest + 1,
						    PTSCOPE_BLOCK_A_START,
						    r->start);
		d->blk_flags->nla_type = d->blk_word == sizeof(u32) ?
					 PTSCOPE_BLOCK_A_FLAGS32 :
					 PTSCOPE_BLOCK_A_FLAGS16;
		d->blk_flags->nla_len = NLA_HDRLEN;
		d->blk_nest = nest;
		d->blk_end = r->start;
	}
	block_fill(d, skb_put(skb, len), r->flags, r->nr_pages);
	return true;
}

/*
 * The common case of block_add(): the run continues the open block, which
 * has room for it.  Inline, for where attributes change at every page.
 */
static inline bool block_append(struct pages_dump *d,
				const struct ptscope_run *r)
{
	unsigned int n = r->nr_pages, len = n * d->blk_word;

	if (!d->blk_nest || d->blk_end != r->start ||
	    d->blk_flags->nla_len - NLA_HDRLEN + len > PTSCOPE_BLOCK_MAX_BYTES ||
	    skb_tailroom(d->skb) < len + NLA_ALIGNTO)
		return false;
	block_fill(d, __skb_put(d->skb, len), r->flags, n);
	return true;
}

/*
 * Does the completed run go into a block?  Runs of fewer than
 * PTSCOPE_BLOCK_RUN_MAX pages with 16-bit words, of half as many with
 * 32-bit ones (a block's bytes for it stay under a run nest's), and only
 * with flags its words hold.
 */
static inline bool block_wanted(const struct pages_dump *d,
				const struct ptscope_run *r)
{
	return (d->cur.flags & PTSCOPE_PAGES_F_COMPACT) &&
	       r->nr_pages * d->blk_word < PTSCOPE_BLOCK_RUN_MAX * sizeof(u16) &&
	       (d->blk_word == sizeof(u32) || r->flags <= U16_MAX);
}

/*
 * The pending run is complete: put it, as a run or into a block.  Returns
 * PTSCOPE_MSG_FULL when it does not fit; it then stays pending.
 */
static int run_done(struct pages_dump *d)
{
	struct ptscope_run *r = &d->run;

	if (!r->nr_pages)
		return 0;
	if (block_wanted(d, r) && (block_append(d, r) || block_add(d, r))) {
		r->nr_pages = 0;
		return 0;
	}
	block_close(d);
	if (run_put(d))
		return PTSCOPE_MSG_FULL;
	r->nr_pages = 0;
	return 0;
}

/* Does @s continue the physical (or swap) sequence of the pending run? */
static bool span_continues(const struct ptscope_run *r,
			   const struct ptscope_span *s)
{
	if (s->flags & PTSCOPE_PF_PRESENT)
		return s->pfn == r->pfn + r->nr_pages;
	if (s->flags & (PTSCOPE_PF_SWAP | PTSCOPE_PF_MIGRATION))
		return s->swap_type == r->swap_type &&
		       s->swap_offset == r->swap_offset + r->nr_pages;
	return true;
}

static int run_span(const struct ptscope_span *s, void *arg)
{
	struct pages_dump *d = arg;
	struct ptscope_run *r = &d->run;

	if (r->nr_pages && s->flags == r->flags &&
	    s->addr == r->start + (r->nr_pages << PAGE_SHIFT)) {
		bool cont = s->contiguous && span_continues(r, s);

		if (cont || !(d->cur.flags & PTSCOPE_PAGES_F_PFN_RUNS)) {
			r->contiguous &= cont;
			r->nr_pages += s->nr_pages;
			return 0;
		}
	}
	if (run_done(d))
		return PTSCOPE_MSG_FULL;

	r->start = s->addr;
	r->nr_pages = s->nr_pages;
	r->flags = s->flags;
	r->contiguous = (s->flags & ADDRESS_FLAGS) && s->contiguous;
	r->pfn = s->pfn;
	r->swap_type = s->swap_type;
	r->swap_offset = s->swap_offset;
	return 0;
}

/* A PTE's flags as ptscope_decode_pte() has them, decoding once per pattern. */
static inline u32 pte_page_flags(struct pages_dump *d, pte_t pte)
{
	struct ptscope_span s;
	pteval_t key;

	if (pte_none(pte))
		return 0;
	if (!pte_present(pte)) {
		ptscope_decode_pte(pte, &s);
		return s.flags;
	}
	key = pte_val(pte) & PTSCOPE_PTE_FLAGS_MASK;
	if (key == d->pte_key[0])
		return d->pte_flags[0];
	if (key != d->pte_key[1]) {
		ptscope_decode_pte(pte, &s);
		d->pte_key[1] = key;
		d->pte_flags[1] = s.flags;
	}
	/* Most recent first. */
	swap(d->pte_key[0], d->pte_key[1]);
	swap(d->pte_flags[0], d->pte_flags[1]);
	return d->pte_flags[0];
}

/*
 * Compact dumps without physical locations: a run is only flags, so runs
 * are built from the walker's PTE snapshot directly, one piece at a time
 * (ptscope_ptes_fn), without a span per change of attributes.  Present
 * PTEs with the same flag bits as the first of a run extend it without
 * decoding (uniform memory), as do empty ones after an empty one (sparse
 * tables); otherwise each PTE is decoded once.
 */
static int run_ptes(void *arg, unsigned long addr, const pte_t *ptes,
		    unsigned int nr)
{
	struct pages_dump *d = arg;
	struct ptscope_run *r = &d->run;
	unsigned int i, j;
	u32 f, g = 0;

	for (i = 0, f = pte_page_flags(d, ptes[0]); i < nr; i = j, f = g) {
		pteval_t v = pte_val(ptes[i]), key = v & PTSCOPE_PTE_FLAGS_MASK;
		unsigned long a = addr + ((unsigned long)i << PAGE_SHIFT);

		j = i + 1;
		if (!v)
			while (j < nr && !pte_val(ptes[j]))
				j++;
		else if (pte_present(ptes[i]))
			while (j < nr &&
			       (pte_val(ptes[j]) & PTSCOPE_PTE_FLAGS_MASK) == key)
				j++;
		for (; j < nr; j++) {
			g = pte_page_flags(d, ptes[j]);
			if (g != f)
				break;
		}
		if (r->nr_pages && f == r->flags &&
		    a == r->start + (r->nr_pages << PAGE_SHIFT)) {
			r->nr_pages += j - i;
			continue;
		}
		if (run_done(d))
			return PTSCOPE_MSG_FULL;
		r->start = a;
		r->nr_pages = j - i;
		r->flags = f;
		r->contiguous = false;
	}
	return 0;
}

static int pages_init(struct netlink_callback *cb,
		      struct ptscope_dump_cursor *c,
		      struct netlink_ext_ack *extack)
{
	struct pages_dump *d = container_of(c, struct pages_dump, cur);

	if ((d->cur.flags & PTSCOPE_PAGES_F_PFN_RUNS) && !d->cur.privileged) {
		NL_SET_ERR_MSG_ATTR(extack, ptscope_dump_attrs(cb)[PTSCOPE_A_FLAGS],
				    "permission denied: PFN runs need CAP_SYS_ADMIN");
		return -EPERM;
	}
	if ((d->cur.flags & PTSCOPE_PAGES_F_FLAGS32) &&
	    !(d->cur.flags & PTSCOPE_PAGES_F_COMPACT)) {
		NL_SET_ERR_MSG_ATTR(extack, ptscope_dump_attrs(cb)[PTSCOPE_A_FLAGS],
				    "flags32 sizes compact blocks: it needs compact");
		return -EINVAL;
	}
	/* PFN runs are runs only; the walker keeps their spans contiguous. */
	if (d->cur.flags & PTSCOPE_PAGES_F_PFN_RUNS) {
		d->cur.flags &= ~PTSCOPE_PAGES_F_COMPACT;
		d->cur.walker.split_discontig = true;
	}
	d->blk_word = d->cur.flags & PTSCOPE_PAGES_F_FLAGS32 ?
		      sizeof(u32) : sizeof(u16);
	d->cur.walker.fn = run_span;
	d->cur.walker.arg = d;
	/* pte_key[] starts zeroed: no present PTE has flag bits 0. */
	if (d->cur.flags & PTSCOPE_PAGES_F_COMPACT)
		d->cur.walker.ptes_fn = run_ptes;
	return 0;
}

static const struct ptscope_dump_ops pages_ops = {
	.size		= sizeof(struct pages_dump),
	.allowed_flags	= PTSCOPE_PAGES_F_MASK,
	.vma_locks	= true,
	.init		= pages_init,
};

int ptscope_pages_start(struct netlink_callback *cb)
{
	return ptscope_dump_begin(cb, &pages_ops);
}

/*
 * Put the pending run and end the block (a VMA ends here); if the run does
 * not fit, resume at its start.
 */
static int run_flush(struct pages_dump *d, unsigned long *next)
{
	int ret = run_done(d);

	if (ret)
		*next = d->run.start;
	d->run.nr_pages = 0;
	block_close(d);
	return ret;
}

/*
 * Walk [addr, end) of one VMA.  Returns 0 (VMA done, run flushed),
 * PTSCOPE_WALK_YIELD (run kept pending) or PTSCOPE_MSG_FULL with *next set
 * to where the following walk resumes, or a negative errno.
 */
static int pages_walk_vma(struct ptscope_dump_cursor *c,
			  struct vm_area_struct *vma, unsigned long addr,
			  unsigned long end, unsigned long *next)
{
	struct pages_dump *d = container_of(c, struct pages_dump, cur);
	int ret = ptscope_walk_range(&c->walker, vma, addr, end);

	switch (ret) {
	case 0:
		*next = end;
		return run_flush(d, next);
	case PTSCOPE_WALK_YIELD:
		*next = d->cur.walker.next;
		return ret;
	case PTSCOPE_MSG_FULL:
		*next = d->run.start;
		d->run.nr_pages = 0;
		return ret;
	default:
		return ret;
	}
}

/*
 * A run kept across a lock release continues only if the walk resumes
 * inside a VMA: a boundary may have appeared meanwhile.
 */
static int pages_enter(struct ptscope_dump_cursor *c,
		       struct vm_area_struct *vma, unsigned long *addr)
{
	struct pages_dump *d = container_of(c, struct pages_dump, cur);

	if ((d->run.nr_pages || d->blk_nest) && (!vma || vma->vm_start >= *addr))
		return run_flush(d, addr);
	return 0;
}

static const struct ptscope_vma_loop pages_loop = {
	.enter	= pages_enter,
	.walk	= pages_walk_vma,
};

int ptscope_pages_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ptscope_dump_cursor *c;
	struct pages_dump *d;
	unsigned long addr;
	void *hdr;
	int ret = ptscope_dump_deferred_err(cb);

	if (ret)
		return ret;
	d = ptscope_dump_state(cb, struct pages_dump);
	c = &d->cur;
	addr = c->next;
	if (addr >= c->end)
		return 0;

	hdr = ptscope_dump_msg_begin(skb, c, PTSCOPE_CMD_GET_PAGES, &ret);
	if (!hdr)
		return ret;
	d->skb = skb;
	d->nr_nests = 0;
	d->blk_nest = NULL;

	ret = ptscope_dump_vma_loop(c, &pages_loop, &addr);
	d->run.nr_pages = 0;
	c->next = addr;
	if (ret < 0 && ret != -EMSGSIZE) {
		d->blk_nest = NULL;
		if (ret == -EAGAIN)
			NL_SET_ERR_MSG(cb->extack,
				       "page tables kept changing under the walk");
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	block_close(d);
	if (!d->nr_nests) {
		genlmsg_cancel(skb, hdr);
		/* Nothing fit: a run larger than a whole message cannot be. */
		return addr >= c->end ? 0 : -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return skb->len;
}
