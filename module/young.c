// SPDX-License-Identifier: GPL-2.0
/*
 * Clearing accessed bits, for sample-access (cmd_access.c).
 *
 * The bits are cleared under the page-table lock of each entry, as the
 * kernel's own clearers do (clear_refs, DAMON, idle page tracking, MGLRU):
 * whoever changes an entry under that lock never writes back a value read
 * before our clear.  Since walk_page_range() and pte_offset_map_lock() are
 * not exported, the PTE table is locked the way __pte_offset_map_lock()
 * does it: under rcu_read_lock() (a table khugepaged retracts is freed
 * through RCU, its lock with it), the PMD is re-read under the table's
 * lock and must still point at the table.
 *
 * A cleared bit is only seen again once no CPU caches the translation:
 * ptscope_young_flush() (tlb_flush.c) runs before the
 * walk lets go of the target and at the end of each message.
 */
#include <linux/mm.h>
#include <linux/page_idle.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>

#include "compat.h"
#include "tlb_flush.h"
#include "young.h"

void ptscope_young_enter_vma(struct ptscope_young *y,
			     struct vm_area_struct *vma)
{
	/*
	 * Raw PFNs, I/O and DAX memory have no folio that reclaim ages;
	 * hugetlb folios are never reclaimed.
	 */
	y->mark = IS_ENABLED(CONFIG_PAGE_IDLE_FLAG) &&
		  !(vma->vm_flags & (VM_PFNMAP | VM_IO | VM_MIXEDMAP)) &&
		  !is_vm_hugetlb_page(vma) && !vma_is_dax(vma);
}

/*
 * The accessed bit just cleared was reclaim's only sign that the folio was
 * used since it last looked: leave it one (folio_referenced() tests and
 * clears PG_young).  The entry's lock keeps the folio mapped, so alive.
 */
static void mark_young(struct ptscope_young *y, unsigned long pfn)
{
	struct folio *folio;

	if (!y->mark || !pfn_valid(pfn) || is_zero_pfn(pfn))
		return;
	folio = page_folio(pfn_to_page(pfn));
	/*
	 * Still young from an earlier sample (reclaim has not looked since):
	 * skip the atomic write, most of a busy sample's cost under TCG.
	 */
	if (folio_test_young(folio))
		return;
	folio_set_young(folio);
	y->marked++;
}

static void cleared(struct ptscope_young *y)
{
	y->cleared++;
	y->pending++;
}

bool ptscope_young_read_ptes(struct ptscope_young *y, struct mm_struct *mm,
			     pmd_t *pmdp, pmd_t pmdval, unsigned long addr,
			     unsigned int nr, pte_t *out)
{
	spinlock_t *ptl;	/* the table's, as pte_offset_map_lock() takes it */
	pte_t *table;
	unsigned int i;

	rcu_read_lock();
	if (!pmd_same(ptscope_pmdp_get_lockless(pmdp), pmdval))
		goto changed;
	ptl = pte_lockptr(mm, &pmdval);
	spin_lock(ptl);
	if (!pmd_same(ptscope_pmdp_get_lockless(pmdp), pmdval)) {
		spin_unlock(ptl);
		goto changed;
	}
	table = pte_offset_kernel(&pmdval, addr);
	for (i = 0; i < nr; i++) {
		pte_t pte = ptep_get(table + i);

		out[i] = pte;
		if (!pte_present(pte) || !pte_young(pte))
			continue;
		ptscope_pte_clear_young(table + i);
		cleared(y);
		if (!pte_special(pte))
			mark_young(y, pte_pfn(pte));
	}
	spin_unlock(ptl);
	rcu_read_unlock();
	return true;

changed:
	rcu_read_unlock();
	return false;
}

void ptscope_young_clear_pmd(struct ptscope_young *y, struct mm_struct *mm,
			     pmd_t *pmdp, pmd_t seen)
{
	spinlock_t *ptl = pmd_lockptr(mm, pmdp);
	pmd_t pmd;

	spin_lock(ptl);
	pmd = ptscope_pmdp_get_lockless(pmdp);
	/* Still the leaf reported, whatever the CPU did to its A/D bits? */
	if (pmd_present(pmd) && pmd_leaf(pmd) &&
	    pmd_pfn(pmd) == pmd_pfn(seen) && pmd_young(pmd)) {
		ptscope_pmd_clear_young(pmdp);
		cleared(y);
		mark_young(y, pmd_pfn(pmd));
	}
	spin_unlock(ptl);
}

void ptscope_young_clear_pud(struct ptscope_young *y, struct mm_struct *mm,
			     pud_t *pudp, pud_t seen)
{
	spinlock_t *ptl = pud_lockptr(mm, pudp);
	pud_t pud;

	spin_lock(ptl);
	pud = ptscope_pudp_get(pudp);
	/* PUD leaves are hugetlb or DAX: no folio to mark. */
	if (pud_present(pud) && pud_leaf(pud) &&
	    pud_pfn(pud) == pud_pfn(seen) && pud_young(pud)) {
		ptscope_pud_clear_young(pudp);
		cleared(y);
	}
	spin_unlock(ptl);
}

void ptscope_young_flush(struct ptscope_young *y, struct mm_struct *mm)
{
	if (!y->pending)
		return;
	y->flush_cpus += ptscope_flush_mm_tlbs(mm);
	y->flushes++;
	y->pending = 0;
}
