// SPDX-License-Identifier: GPL-2.0
/*
 * arm64's TLB flush requests, counted per tracked mm.
 *
 * flush_tlb_mm(), __flush_tlb_range() and the page flushes are inline on
 * arm64: each issues broadcast TLBI ... IS instructions, which every CPU
 * acts on in hardware, with no interrupt.  No function can be hooked for
 * them; but since 6.6 each ends with
 * mmu_notifier_arch_invalidate_secondary_tlbs(mm, start, end), which calls
 * the arch_invalidate_secondary_tlbs op of every mmu notifier registered
 * on that mm (for secondary TLBs: an SMMU sharing the process's tables).
 * Tracking registers one such notifier on each tracked mm, and only
 * there: an untracked process pays nothing, and no global hook exists.
 *
 * What it sees, and so what the counters count: one call per broadcast
 * invalidation the kernel issued for the mm.  flush_tlb_mm() says 0 to
 * -1UL (full); a range flush says its range rounded to its stride, or
 * becomes a flush_tlb_mm() when it exceeds what TLBI can do by range
 * (__flush_tlb_range_limit_excess(): MAX_DVM_OPS pages without
 * FEAT_TLBIRANGE, MAX_TLBI_RANGE_PAGES with it); a page flush, or each
 * page a batched reclaim flush adds (6.12; a range from 7.x), says one
 * page.  7.x's local-only flushes (TLBF_NOBROADCAST, with TLBF_NONOTIFY)
 * and fullmm teardown with no tables freed call no notifier: not counted.
 *
 * Lifetime: the notifier lives in the tracked object.  Registration takes
 * an mm_count reference of its own; unregistering (when the object is
 * freed, process gone or not) waits for every running op (SRCU), so no
 * op runs after the object, or the module, is gone.  When the process
 * exits first, exit_mmap() unhooks the notifier (no release op needed)
 * and unregistering then only waits and drops that reference.
 */
#include <linux/mmu_notifier.h>
#include <linux/percpu.h>

#include "tlb_notifier.h"

#ifdef PTSCOPE_TLB_NOTIFIER

/*
 * Called with the page-table lock held, maybe preemptible: this_cpu ops
 * count on whichever CPU it runs, and cannot tear.
 */
static void tlb_mn_invalidate(struct mmu_notifier *mn, struct mm_struct *mm,
			      unsigned long start, unsigned long end)
{
	struct ptscope_tracked *t = container_of(mn, struct ptscope_tracked,
						 tlb_mn);

	if (!start && end == PTSCOPE_TLB_FLUSH_ALL) {
		this_cpu_inc(t->pcpu->c.flush_full);
	} else {
		this_cpu_inc(t->pcpu->c.flush_ranged);
		this_cpu_add(t->pcpu->c.flush_pages, (end - start) >> PAGE_SHIFT);
	}
}

static const struct mmu_notifier_ops tlb_mn_ops = {
	.arch_invalidate_secondary_tlbs = tlb_mn_invalidate,
};

int ptscope_tlb_notifier_register(struct ptscope_tracked *t,
				  struct netlink_ext_ack *extack)
{
	int err;

	t->tlb_mn.ops = &tlb_mn_ops;
	/* Takes mmap_lock for write and every VMA's locks, once. */
	err = mmu_notifier_register(&t->tlb_mn, t->mm);
	if (err) {
		t->tlb_mn.ops = NULL;
		NL_SET_ERR_MSG(extack,
			       "cannot register the mmu notifier that counts TLB flushes");
	}
	return err;
}

void ptscope_tlb_notifier_unregister(struct ptscope_tracked *t)
{
	if (!t->tlb_mn.ops)
		return;
	mmu_notifier_unregister(&t->tlb_mn, t->mm);
	t->tlb_mn.ops = NULL;
}

#endif /* PTSCOPE_TLB_NOTIFIER */
