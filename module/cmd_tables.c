// SPDX-License-Identifier: GPL-2.0
/*
 * PTSCOPE_CMD_GET_TABLES: the page tables themselves, per level.
 *
 * The walk visits every table under the VMAs in the range; the table hook
 * counts each table once (the walk is in address order, so a table seen
 * again is always the last one seen at its level), reading all its
 * entries: entries in use and present leaves.  Tables of levels down to
 * the requested depth are also listed one by one, for a tree view.  Only
 * virtual addresses leave the kernel, never a table's own address.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "compat.h"
#include "dump.h"
#include "netlink.h"

#define PTSCOPE_MSG_FULL	2

#define PTSCOPE_NR_LEVELS	(PTSCOPE_LEVEL_PTE + 1)

struct ptscope_level_stats {
	u64 tables, entries, leaves;
};

struct tables_dump {
	struct ptscope_dump_cursor cur;
	u32 depth;			/* list tables of levels <= depth */
	bool list_tables;
	bool stats_sent;
	struct sk_buff *skb;		/* the message being filled */
	unsigned int nr_nests;
	/* tables counted so far, and the last one per level */
	const void *last_table[PTSCOPE_NR_LEVELS];
	struct ptscope_level_stats level_stats[PTSCOPE_NR_LEVELS];
};

/* Entries of a user address space in the top-level table. */
static unsigned int pgd_user_entries(const struct mm_struct *mm)
{
	return pgd_index(mm->task_size - 1) + 1;
}

static void count_entries(u32 level, const void *entries, unsigned int nr,
			  u32 *used, u32 *leaves)
{
	unsigned int i;

	*used = 0;
	*leaves = 0;
	for (i = 0; i < nr; i++) {
		switch (level) {
		case PTSCOPE_LEVEL_PGD: {
			pgd_t e = READ_ONCE(((const pgd_t *)entries)[i]);

			*used += !!pgd_val(e);
			break;
		}
		case PTSCOPE_LEVEL_P4D: {
			p4d_t e = READ_ONCE(((const p4d_t *)entries)[i]);

			*used += !p4d_none(e);
			break;
		}
		case PTSCOPE_LEVEL_PUD: {
			pud_t e = READ_ONCE(((const pud_t *)entries)[i]);

			*used += !pud_none(e);
			*leaves += pud_present(e) && pud_leaf(e);
			break;
		}
		case PTSCOPE_LEVEL_PMD: {
			pmd_t e = ptscope_pmdp_get_lockless((pmd_t *)entries + i);

			*used += !pmd_none(e);
			*leaves += pmd_present(e) && pmd_leaf(e);
			break;
		}
		default: {
			pte_t e = ((const pte_t *)entries)[i];	/* a snapshot */

			*used += !pte_none(e);
			*leaves += !!pte_present(e);	/* flag bits, not 0/1 */
			break;
		}
		}
	}
}

static int table_put(struct tables_dump *d, u32 level, unsigned long addr,
		     u32 used, u32 leaves)
{
	struct nlattr *nest = nla_nest_start(d->skb, PTSCOPE_A_TABLE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(d->skb, PTSCOPE_TABLE_A_LEVEL, level) ||
	    nla_put_u64_64bit(d->skb, PTSCOPE_TABLE_A_ADDR, addr,
			      PTSCOPE_TABLE_A_PAD) ||
	    nla_put_u32(d->skb, PTSCOPE_TABLE_A_ENTRIES, used) ||
	    nla_put_u32(d->skb, PTSCOPE_TABLE_A_LEAVES, leaves)) {
		nla_nest_cancel(d->skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(d->skb, nest);
	d->nr_nests++;
	return 0;
}

static int table_seen(void *arg, u32 level, unsigned long addr,
		      const void *id, const void *entries)
{
	struct tables_dump *d = arg;
	unsigned int nr = level == PTSCOPE_LEVEL_PGD ?
			  pgd_user_entries(d->cur.mm) : PTRS_PER_PTE;
	u32 used, leaves;

	if (d->last_table[level] == id)
		return 0;
	count_entries(level, entries, nr, &used, &leaves);
	/* Not counted until listed: the next message walks here again. */
	if (d->list_tables && level <= d->depth &&
	    table_put(d, level, addr, used, leaves))
		return PTSCOPE_MSG_FULL;
	d->last_table[level] = id;
	d->level_stats[level].tables++;
	d->level_stats[level].entries += used;
	d->level_stats[level].leaves += leaves;
	return 0;
}

static int ignore_span(const struct ptscope_span *s, void *arg)
{
	return 0;
}

static int tables_init(struct netlink_callback *cb,
		       struct ptscope_dump_cursor *c,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *depth = ptscope_dump_attrs(cb)[PTSCOPE_A_DEPTH];
	struct tables_dump *d = container_of(c, struct tables_dump, cur);

	if (depth) {
		d->list_tables = true;
		d->depth = nla_get_u32(depth);
	}
	c->walker.fn = ignore_span;
	c->walker.table_fn = table_seen;
	c->walker.arg = d;
	return 0;
}

static const struct ptscope_dump_ops tables_ops = {
	.size		= sizeof(struct tables_dump),
	.allowed_flags	= 0,
	.init		= tables_init,
};

int ptscope_tables_start(struct netlink_callback *cb)
{
	return ptscope_dump_begin(cb, &tables_ops);
}

static bool level_folded(u32 level)
{
	return level == PTSCOPE_LEVEL_P4D && ptscope_p4d_folded();
}

static int stats_put(struct sk_buff *skb, struct tables_dump *d)
{
	u32 level;

	for (level = 0; level < PTSCOPE_NR_LEVELS; level++) {
		const struct ptscope_level_stats *st = &d->level_stats[level];
		struct nlattr *nest = nla_nest_start(skb, PTSCOPE_A_LEVEL_STATS);

		if (!nest ||
		    nla_put_u32(skb, PTSCOPE_LSTATS_A_LEVEL, level) ||
		    nla_put_u64_64bit(skb, PTSCOPE_LSTATS_A_TABLES, st->tables,
				      PTSCOPE_LSTATS_A_PAD) ||
		    nla_put_u64_64bit(skb, PTSCOPE_LSTATS_A_ENTRIES, st->entries,
				      PTSCOPE_LSTATS_A_PAD) ||
		    nla_put_u64_64bit(skb, PTSCOPE_LSTATS_A_LEAVES, st->leaves,
				      PTSCOPE_LSTATS_A_PAD) ||
		    nla_put_u64_64bit(skb, PTSCOPE_LSTATS_A_BYTES,
				      st->tables * PAGE_SIZE,
				      PTSCOPE_LSTATS_A_PAD) ||
		    (level_folded(level) &&
		     nla_put_flag(skb, PTSCOPE_LSTATS_A_FOLDED)))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

int ptscope_tables_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ptscope_dump_cursor *c;
	struct tables_dump *d;
	bool stats_now = false;
	unsigned long addr;
	void *hdr;
	int ret = ptscope_dump_deferred_err(cb);

	if (ret)
		return ret;
	d = ptscope_dump_state(cb, struct tables_dump);
	c = &d->cur;
	if (d->stats_sent)
		return 0;
	d->nr_nests = 0;

	hdr = ptscope_dump_msg_put(skb, c, PTSCOPE_CMD_GET_TABLES);
	if (!hdr)
		return -EMSGSIZE;

	addr = c->next;
	if (addr < c->end) {
		ret = ptscope_dump_lock(c, cb->extack);
		if (ret) {
			genlmsg_cancel(skb, hdr);
			return ret;
		}
		d->skb = skb;
		while (addr < c->end) {
			struct vm_area_struct *vma = find_vma(c->mm, addr);

			if (!vma || vma->vm_start >= c->end) {
				addr = c->end;
				break;
			}
			addr = max(addr, vma->vm_start);
			ret = ptscope_walk_range(&c->walker, vma, addr,
						 min(vma->vm_end, c->end));
			if (ret == PTSCOPE_WALK_YIELD) {
				addr = c->walker.next;
				ret = ptscope_dump_relock(c);
				if (ret)
					goto out_unlocked;
				continue;
			}
			if (ret) {
				addr = c->walker.next;
				break;
			}
			addr = min(vma->vm_end, c->end);
		}
		ptscope_dump_unlock(c);
	}

out_unlocked:
	c->next = addr;
	if (ret < 0) {
		if (ret == -EAGAIN)
			NL_SET_ERR_MSG(cb->extack,
				       "page tables kept changing under the walk");
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	/* The totals go last, once the walk is complete and they fit. */
	if (addr >= c->end) {
		unsigned char *mark = skb_tail_pointer(skb);

		if (stats_put(skb, d))
			nlmsg_trim(skb, mark);
		else
			stats_now = true;
	}
	d->stats_sent = stats_now;
	if (!d->nr_nests && !stats_now) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;	/* cannot be: an empty message fits */
	}
	genlmsg_end(skb, hdr);
	return skb->len;
}
