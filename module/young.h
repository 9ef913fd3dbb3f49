/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading and clearing accessed bits for sample-access: what the walker
 * does instead of only reading when a dump asks for it.
 */
#ifndef PTSCOPE_YOUNG_H
#define PTSCOPE_YOUNG_H

#include <linux/mm_types.h>
#include <linux/pgtable.h>
#include <linux/types.h>

struct ptscope_young {
	/*
	 * Mark the folios whose bit is cleared young (PG_young), as DAMON
	 * and idle page tracking do, so that reclaim's folio_referenced()
	 * still counts them referenced: set per VMA, for VMAs of ordinary
	 * pages only (ptscope_young_enter_vma()).
	 */
	bool mark;
	unsigned long pending;	/* bits cleared since the last TLB flush */
	u64 cleared;		/* entries whose accessed bit was cleared */
	u64 marked;		/* folios marked young */
	u64 flushes;		/* TLB flush rounds */
	u64 flush_cpus;		/* CPUs interrupted, summed */
};

/* The walk enters @vma. */
void ptscope_young_enter_vma(struct ptscope_young *y,
			     struct vm_area_struct *vma);

/*
 * As ptscope_read_ptes(), and under the table's lock: snapshot @nr PTEs
 * from @addr into @out as they were, and clear the accessed bit of each
 * present one that had it.  False if the PMD no longer points to the
 * table (the caller re-reads it).
 */
bool ptscope_young_read_ptes(struct ptscope_young *y, struct mm_struct *mm,
			     pmd_t *pmdp, pmd_t pmdval, unsigned long addr,
			     unsigned int nr, pte_t *out);

/*
 * Clear the accessed bit of the huge leaf at *@pmdp / *@pudp that was
 * read as @seen and reported, if it still maps the same memory.
 */
void ptscope_young_clear_pmd(struct ptscope_young *y, struct mm_struct *mm,
			     pmd_t *pmdp, pmd_t seen);
void ptscope_young_clear_pud(struct ptscope_young *y, struct mm_struct *mm,
			     pud_t *pudp, pud_t seen);

/* Flush @mm's TLB entries if a bit was cleared since the last flush. */
void ptscope_young_flush(struct ptscope_young *y, struct mm_struct *mm);

#endif /* PTSCOPE_YOUNG_H */
