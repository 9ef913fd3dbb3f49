// SPDX-License-Identifier: GPL-2.0
/*
 * PTSCOPE_CMD_TRANSLATE: the walk of one address, level by level.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "compat.h"
#include "lock_stats.h"
#include "netlink.h"
#include "target.h"
#include "walk.h"

#define XLATE_RETRIES	64

struct xlate {
	struct sk_buff *msg;
	bool privileged;
	unsigned long addr;
};

static int level_put(struct xlate *x, u32 level, u32 index, u64 raw,
		     u32 flags, bool folded, bool leaf)
{
	struct nlattr *nest = nla_nest_start(x->msg, PTSCOPE_XLATE_A_LEVEL);

	if (!nest ||
	    nla_put_u32(x->msg, PTSCOPE_LEVEL_A_LEVEL, level) ||
	    nla_put_u32(x->msg, PTSCOPE_LEVEL_A_INDEX, index) ||
	    nla_put_u32(x->msg, PTSCOPE_LEVEL_A_FLAGS, flags))
		return -EMSGSIZE;
	/* A folded level has no entry of its own; raw entries hold PFNs. */
	if (!folded && x->privileged &&
	    nla_put_u64_64bit(x->msg, PTSCOPE_LEVEL_A_ENTRY, raw,
			      PTSCOPE_LEVEL_A_PAD))
		return -EMSGSIZE;
	if ((folded && nla_put_flag(x->msg, PTSCOPE_LEVEL_A_FOLDED)) ||
	    (leaf && nla_put_flag(x->msg, PTSCOPE_LEVEL_A_LEAF)))
		return -EMSGSIZE;
	nla_nest_end(x->msg, nest);
	return 0;
}

static u32 stop_reason(u32 flags)
{
	if (flags & PTSCOPE_PF_PRESENT)
		return PTSCOPE_STOP_MAPPED;
	if (flags & PTSCOPE_PF_SWAP)
		return PTSCOPE_STOP_SWAP;
	if (flags & PTSCOPE_PF_MIGRATION)
		return PTSCOPE_STOP_MIGRATION;
	if (flags & PTSCOPE_PF_MARKER)
		return PTSCOPE_STOP_MARKER;
	return PTSCOPE_STOP_OTHER;
}

static int result_put(struct xlate *x, u32 level, u32 reason,
		      const struct ptscope_span *s, unsigned long size)
{
	unsigned long idx = (x->addr & (size - 1)) >> PAGE_SHIFT;

	if (nla_put_u32(x->msg, PTSCOPE_XLATE_A_STOP_LEVEL, level) ||
	    nla_put_u32(x->msg, PTSCOPE_XLATE_A_STOP_REASON, reason) ||
	    nla_put_u32(x->msg, PTSCOPE_XLATE_A_FLAGS, s->flags) ||
	    nla_put_u64_64bit(x->msg, PTSCOPE_XLATE_A_PAGE_SIZE, size,
			      PTSCOPE_XLATE_A_PAD))
		return -EMSGSIZE;
	if (!x->privileged)
		return 0;
	if ((s->flags & PTSCOPE_PF_PRESENT) &&
	    nla_put_u64_64bit(x->msg, PTSCOPE_XLATE_A_PHYS_ADDR,
			      ((u64)s->pfn << PAGE_SHIFT) + (x->addr & (size - 1)),
			      PTSCOPE_XLATE_A_PAD))
		return -EMSGSIZE;
	if ((s->flags & (PTSCOPE_PF_SWAP | PTSCOPE_PF_MIGRATION)) &&
	    (nla_put_u32(x->msg, PTSCOPE_XLATE_A_SWAP_TYPE, s->swap_type) ||
	     nla_put_u64_64bit(x->msg, PTSCOPE_XLATE_A_SWAP_OFFSET,
			       s->swap_offset + idx, PTSCOPE_XLATE_A_PAD)))
		return -EMSGSIZE;
	return 0;
}

/* An empty entry ends the walk at @level. */
static int none_put(struct xlate *x, u32 level, unsigned long size)
{
	struct ptscope_span s = {};

	return result_put(x, level, PTSCOPE_STOP_NONE, &s, size);
}

static int leaf_put(struct xlate *x, u32 level, u32 index, u64 raw,
		    const struct ptscope_span *s, unsigned long size)
{
	return level_put(x, level, index, raw, s->flags, false, true) ?:
	       result_put(x, level, stop_reason(s->flags), s, size);
}

static int xlate_pte(struct xlate *x, pmd_t *pmdp, pmd_t pmd)
{
	struct ptscope_span s = {};
	pte_t pte;

	if (!ptscope_read_ptes(pmdp, pmd, x->addr, 1, &pte))
		return -EAGAIN;
	ptscope_decode_pte(pte, &s);
	if (pte_none(pte))
		return level_put(x, PTSCOPE_LEVEL_PTE, pte_index(x->addr),
				 pte_val(pte), 0, false, false) ?:
		       none_put(x, PTSCOPE_LEVEL_PTE, PAGE_SIZE);
	return leaf_put(x, PTSCOPE_LEVEL_PTE, pte_index(x->addr), pte_val(pte),
			&s, PAGE_SIZE);
}

/* Returns -EAGAIN when the PMD changed under us; the caller restarts. */
static int xlate_walk(struct xlate *x, struct mm_struct *mm)
{
	unsigned long addr = x->addr;
	pgd_t *pgdp = pgd_offset(mm, addr), pgd;
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	struct ptscope_span s = {};
	bool folded;
	int err;

	pgd = ptscope_pgdp_get(pgdp);
	err = level_put(x, PTSCOPE_LEVEL_PGD, pgd_index(addr), pgd_val(pgd),
			ptscope_table_entry_flags(pgd_val(pgd)), false, false);
	if (err)
		return err;
	if (pgd_none(pgd) || pgd_bad(pgd))
		return none_put(x, PTSCOPE_LEVEL_PGD, PAGE_SIZE);

	p4dp = p4d_offset_lockless(pgdp, pgd, addr);
	p4d = ptscope_p4dp_get(p4dp);
	folded = ptscope_p4d_folded();
	err = level_put(x, PTSCOPE_LEVEL_P4D, folded ? 0 : ptscope_p4d_index(addr),
			p4d_val(p4d), ptscope_table_entry_flags(p4d_val(p4d)),
			folded, false);
	if (err)
		return err;
	if (p4d_none(p4d) || p4d_bad(p4d))
		return none_put(x, PTSCOPE_LEVEL_P4D, PAGE_SIZE);

	pudp = pud_offset_lockless(p4dp, p4d, addr);
	pud = ptscope_pudp_get(pudp);
	if (pud_none(pud))
		return level_put(x, PTSCOPE_LEVEL_PUD, pud_index(addr), 0, 0,
				 false, false) ?:
		       none_put(x, PTSCOPE_LEVEL_PUD, PAGE_SIZE);
	if (!pud_present(pud) || pud_leaf(pud)) {
		ptscope_decode_pud_leaf(pud, &s);
		return leaf_put(x, PTSCOPE_LEVEL_PUD, pud_index(addr),
				pud_val(pud), &s, PUD_SIZE);
	}
	err = level_put(x, PTSCOPE_LEVEL_PUD, pud_index(addr), pud_val(pud),
			ptscope_table_entry_flags(pud_val(pud)), false, false);
	if (err)
		return err;

	pmdp = pmd_offset_lockless(pudp, pud, addr);
	pmd = ptscope_pmdp_get_lockless(pmdp);
	if (pmd_none(pmd))
		return level_put(x, PTSCOPE_LEVEL_PMD, pmd_index(addr), 0, 0,
				 false, false) ?:
		       none_put(x, PTSCOPE_LEVEL_PMD, PAGE_SIZE);
	if (!pmd_present(pmd) || pmd_leaf(pmd)) {
		ptscope_decode_pmd_leaf(pmd, &s);
		return leaf_put(x, PTSCOPE_LEVEL_PMD, pmd_index(addr),
				pmd_val(pmd), &s, PMD_SIZE);
	}
	err = level_put(x, PTSCOPE_LEVEL_PMD, pmd_index(addr), pmd_val(pmd),
			ptscope_table_entry_flags(pmd_val(pmd)), false, false);
	if (err)
		return err;
	if (pmd_bad(pmd))
		return result_put(x, PTSCOPE_LEVEL_PMD, PTSCOPE_STOP_OTHER, &s,
				  PAGE_SIZE);
	return xlate_pte(x, pmdp, pmd);
}

/* Put the XLATE nest; on -EAGAIN the nest is cancelled for a retry. */
static int xlate_put(struct xlate *x, struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	struct nlattr *nest;
	int err;

	nest = nla_nest_start(x->msg, PTSCOPE_A_XLATE);
	if (!nest)
		return -EMSGSIZE;
	/*
	 * Tables outside every VMA may be freed by a concurrent munmap()
	 * holding mmap_lock only for read: never walk there.
	 */
	vma = vma_lookup(mm, x->addr);
	if (!vma) {
		struct ptscope_span s = {};

		err = result_put(x, PTSCOPE_LEVEL_PGD, PTSCOPE_STOP_NO_VMA, &s,
				 PAGE_SIZE);
	} else {
		err = nla_put_u64_64bit(x->msg, PTSCOPE_XLATE_A_VMA_START,
					vma->vm_start, PTSCOPE_XLATE_A_PAD) ||
		      nla_put_u64_64bit(x->msg, PTSCOPE_XLATE_A_VMA_END,
					vma->vm_end, PTSCOPE_XLATE_A_PAD);
		err = err ? -EMSGSIZE : xlate_walk(x, mm);
	}
	if (err) {
		nla_nest_cancel(x->msg, nest);
		return err;
	}
	nla_nest_end(x->msg, nest);
	return 0;
}

int ptscope_translate_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct ptscope_target t;
	struct xlate x = {};
	void *hdr;
	u64 t0;
	int err, tries;

	if (!info->attrs[PTSCOPE_A_ADDR]) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, PTSCOPE_A_ADDR);
		NL_SET_ERR_MSG(extack, "missing attribute: ADDR");
		return -EINVAL;
	}
	err = ptscope_target_get(skb, info->attrs, extack, &t);
	if (err)
		return err;

	x.addr = nla_get_u64(info->attrs[PTSCOPE_A_ADDR]);
	x.privileged = t.privileged;
	if (x.addr >= t.mm->task_size) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[PTSCOPE_A_ADDR],
				    "address is beyond the user address space");
		err = -ERANGE;
		goto out_target;
	}

	x.msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!x.msg) {
		err = -ENOMEM;
		goto out_target;
	}
	hdr = genlmsg_put_reply(x.msg, info, &ptscope_family, 0,
				PTSCOPE_CMD_TRANSLATE);
	if (!hdr ||
	    nla_put_u32(x.msg, PTSCOPE_A_PID, t.nr) ||
	    nla_put_u64_64bit(x.msg, PTSCOPE_A_ADDR, x.addr, PTSCOPE_A_PAD)) {
		err = -EMSGSIZE;
		goto out_msg;
	}

	err = ptscope_mmap_read_lock(t.mm, &t0);
	if (err)
		goto out_msg;
	for (tries = 0; tries < XLATE_RETRIES; tries++) {
		err = xlate_put(&x, t.mm);
		if (err != -EAGAIN)
			break;
	}
	ptscope_mmap_read_unlock(t.mm, t0);
	if (err == -EAGAIN)
		NL_SET_ERR_MSG(extack, "page tables kept changing under the walk");
	if (err)
		goto out_msg;

	genlmsg_end(x.msg, hdr);
	ptscope_target_put(&t);
	return genlmsg_reply(x.msg, info);

out_msg:
	nlmsg_free(x.msg);
out_target:
	ptscope_target_put(&t);
	return err;
}
