/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PTSCOPE_WALK_H
#define PTSCOPE_WALK_H

#include <linux/mm_types.h>
#include <linux/mmap_lock.h>
#include <linux/osq_lock.h>
#include <linux/pgtable.h>
#include <linux/types.h>

/*
 * A span is what the walker reports: nr_pages consecutive base pages with
 * the same flags: one upper-level entry (none, or a PMD/PUD leaf), or
 * consecutive PTEs of one table.  pfn and swap_* describe the first page of
 * the span; contiguous says whether they advance page by page across it
 * (always true for a single entry).
 */
struct ptscope_span {
	unsigned long addr;
	unsigned long nr_pages;
	u32 flags;			/* PTSCOPE_PF_* */
	bool contiguous;
	u64 pfn;			/* if PTSCOPE_PF_PRESENT */
	u32 swap_type;			/* if PTSCOPE_PF_SWAP or _MIGRATION */
	u64 swap_offset;
};

/*
 * Return 0 to continue, anything else to stop the walk; the walk then
 * returns that value and ->next is the span's address (not consumed).
 */
typedef int (*ptscope_span_fn)(const struct ptscope_span *span, void *arg);

/*
 * Called when the walk enters a page table, before it visits the entries
 * in range: @id identifies the table (never leaves the kernel), @addr is
 * the first address the table maps, @entries its PTRS_PER_* entries (for
 * PTE tables a snapshot; upper-level tables are read in place).  A table
 * the walk enters again (next VMA, next batch) is passed again.  Return
 * non-zero to stop the walk at the current address, as for spans.
 */
typedef int (*ptscope_table_fn)(void *arg, u32 level, unsigned long addr,
				 const void *id, const void *entries);

/*
 * Optional, instead of spans for the PTE level: @nr consecutive PTEs of
 * one snapshot mapping the pages from @addr, at most PTSCOPE_YIELD_CHECK
 * of them, never crossing a multiple of it.  For a caller that wants only
 * each page's flags: where attributes change at every page, building a
 * span per page costs more than everything else.  Return non-zero to stop
 * the walk; what was consumed is for the caller to know (->next is @addr).
 */
typedef int (*ptscope_ptes_fn)(void *arg, unsigned long addr,
			       const pte_t *ptes, unsigned int nr);

/*
 * The walk stopped because ->budget ran out or a writer wants mmap_lock;
 * continue from ->next.
 */
#define PTSCOPE_WALK_YIELD	1

/*
 * PTEs walked, at most, between two looks for a writer wanting mmap_lock;
 * and spans emitted, at most: a look costs about as much as a span.
 */
#define PTSCOPE_YIELD_CHECK		64
#define PTSCOPE_YIELD_CHECK_SPANS	8

/*
 * Does a writer want @mm's mmap_lock?  A writer that finds the lock held
 * by readers first spins on it for about 10 us (rwsem_optimistic_spin(),
 * holding the rwsem's OSQ), and only then sleeps on its wait list.  A
 * reader that lets it in while it spins spares it the sleep and wake-up,
 * which is most of what a contended mmap()/munmap() costs; so look at
 * both.  Only writers spin on an rwsem, so a locked OSQ means a writer.
 */
static inline bool ptscope_mmap_lock_wanted(struct mm_struct *mm)
{
#ifdef CONFIG_RWSEM_SPIN_ON_OWNER
	if (osq_is_locked(&mm->mmap_lock.osq))
		return true;
#endif
	return mmap_lock_is_contended(mm);
}

struct ptscope_young;

/*
 * Optional: checked before each PMD entry; non-zero stops the walk there
 * (->next is its address), before the entry is read or anything cleared.
 */
typedef int (*ptscope_room_fn)(void *arg);

struct ptscope_walker {
	ptscope_span_fn fn;
	ptscope_table_fn table_fn;	/* optional */
	ptscope_ptes_fn ptes_fn;	/* optional, without table_fn */
	ptscope_room_fn room_fn;	/* optional */
	/*
	 * Optional, with ptes_fn and without table_fn: clear the accessed
	 * bits the walk reports (young.h).  PTEs are cleared as they are
	 * snapshotted, so ptes_fn must take every piece of a snapshot; a
	 * huge leaf is cleared once its span was taken (fn returned 0).
	 */
	struct ptscope_young *young;
	void *arg;
	bool split_discontig;	/* PTEs of one span are contiguous */
	long budget;		/* entries left before PTSCOPE_WALK_YIELD */
	/*
	 * Entries walked since the caller took mmap_lock (it zeroes this
	 * with ->budget).  Once one is done, the walk also yields as soon
	 * as a writer wants the lock (checked every PTSCOPE_YIELD_CHECK
	 * PTEs): a target's mmap/munmap waits for a few microseconds, not
	 * for a batch or a whole PTE table.
	 */
	unsigned long held;
	/*
	 * The PMD entry the walk last went through, and the 2 MiB it maps:
	 * a range inside it (the next small VMA, usually) is walked from
	 * there instead of from the PGD.  Valid only while the caller holds
	 * mmap_lock since its last ptscope_walker_hold(): the PMD table
	 * maps a VMA that cannot go away meanwhile.
	 */
	pmd_t *last_pmdp;
	unsigned long last_pmd_addr;
	/*
	 * The VMA whose per-VMA read lock the caller holds instead of
	 * mmap_lock, or NULL: which writer the walk makes way for.
	 */
	struct vm_area_struct *locked_vma;
	struct mm_struct *mm;	/* set by ptscope_walk_range() */
	unsigned long next;	/* where to continue after a stop */
	pte_t *ptes;		/* PTRS_PER_PTE snapshot buffer */
};

int ptscope_walker_init(struct ptscope_walker *w);

/* The caller (re)took mmap_lock: a new budget, nothing cached. */
static inline void ptscope_walker_hold(struct ptscope_walker *w, long budget)
{
	w->budget = budget;
	w->held = 0;
	w->last_pmdp = NULL;
}

void ptscope_walker_destroy(struct ptscope_walker *w);

/*
 * Walk [start, end) of @vma's page tables.  The caller holds mmap_lock for
 * read, or @vma's per-VMA read lock (->locked_vma), and the range lies
 * inside @vma.  Upper-level tables covering a live VMA are freed only by
 * free_pgtables() after the VMA is unmapped, which takes mmap_lock for
 * write and write-locks the VMA (vma_start_write()) first: either read
 * lock keeps them, as it does for the page-fault path.  PTE tables may go
 * under both (khugepaged's retract_page_tables() takes neither lock, and
 * frees through pte_free_defer()); ptscope_read_ptes() copes.  An
 * anonymous collapse replaces a PTE table only under mmap_lock for write
 * and vma_start_write(), which either lock excludes.
 */
int ptscope_walk_range(struct ptscope_walker *w, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end);

/* Decoders shared with the translate command. */
void ptscope_decode_pte(pte_t pte, struct ptscope_span *s);
void ptscope_decode_pmd_leaf(pmd_t pmd, struct ptscope_span *s);
void ptscope_decode_pud_leaf(pud_t pud, struct ptscope_span *s);

/*
 * Snapshot @nr PTEs of the table @pmdval points to, starting at @addr,
 * safely against the table being freed.  Returns false if *@pmdp no
 * longer holds @pmdval (the caller re-reads the PMD and retries).
 */
bool ptscope_read_ptes(pmd_t *pmdp, pmd_t pmdval, unsigned long addr,
		       unsigned int nr, pte_t *out);

#endif /* PTSCOPE_WALK_H */
