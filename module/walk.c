// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table walker.
 *
 * walk_page_range() is not exported, and since 6.5 neither is
 * __pte_offset_map(), so ptscope walks the tables itself, the way the
 * kernel's lockless readers (GUP-fast, /proc/PID/pagemap's helpers) do:
 * every entry is read once into a local copy and decoded from that copy
 * with the kernel's own helpers; the PTE level is snapshotted under
 * rcu_read_lock() after checking that the PMD still points to the table.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/ptscope.h>

#include "compat.h"
#include "walk.h"
#include "young.h"

/* A PMD that keeps changing under us is reported after this many tries. */
#define PTSCOPE_PMD_RETRIES	64

int ptscope_walker_init(struct ptscope_walker *w)
{
	w->ptes = kmalloc_array(PTRS_PER_PTE, sizeof(pte_t), GFP_KERNEL);
	return w->ptes ? 0 : -ENOMEM;
}

void ptscope_walker_destroy(struct ptscope_walker *w)
{
	kfree(w->ptes);
	w->ptes = NULL;
}

/* Swap, migration and marker entries, shared by every level. */
static void decode_leaf(const struct ptscope_leaf *l, struct ptscope_span *s)
{
	switch (l->kind) {
	case PTSCOPE_LEAF_SWAP:
		s->flags |= PTSCOPE_PF_SWAP;
		s->swap_type = l->type;
		s->swap_offset = l->offset;
		break;
	case PTSCOPE_LEAF_MIGRATION:
		s->flags |= PTSCOPE_PF_MIGRATION;
		s->swap_type = l->type;
		s->swap_offset = l->offset;
		break;
	case PTSCOPE_LEAF_UFFD_WP_MARKER:
		s->flags |= PTSCOPE_PF_UFFD_WP;
		fallthrough;
	case PTSCOPE_LEAF_MARKER:
		s->flags |= PTSCOPE_PF_MARKER;
		break;
	case PTSCOPE_LEAF_OTHER:
		break;
	}
}

void ptscope_decode_pte(pte_t pte, struct ptscope_span *s)
{
	s->flags = 0;
	if (pte_none(pte))
		return;

	if (!pte_present(pte)) {
		struct ptscope_leaf leaf;

		/* The kernel's decoder undoes the L1TF inversion for us. */
		s->flags |= ptscope_arch_pte_swp_flags(pte);
		if (ptscope_pte_swp_uffd(pte))
			s->flags |= PTSCOPE_PF_UFFD_WP;
		ptscope_leaf_from_pte(pte, &leaf);
		decode_leaf(&leaf, s);
		return;
	}

	s->flags = PTSCOPE_PF_PRESENT;
	s->pfn = pte_pfn(pte);
	s->flags |= ptscope_arch_pte_flags(pte);
	if (pte_write(pte))
		s->flags |= PTSCOPE_PF_WRITE;
	if (pte_young(pte))
		s->flags |= PTSCOPE_PF_ACCESSED;
	if (pte_dirty(pte))
		s->flags |= PTSCOPE_PF_DIRTY;
	if (ptscope_pte_uffd(pte))
		s->flags |= PTSCOPE_PF_UFFD_WP;
	if (ptscope_pte_protnone(pte))
		s->flags |= PTSCOPE_PF_PROTNONE;
	if (pte_special(pte))
		s->flags |= PTSCOPE_PF_SPECIAL;
}

void ptscope_decode_pmd_leaf(pmd_t pmd, struct ptscope_span *s)
{
	s->flags = PTSCOPE_PF_HUGE_PMD;
	if (!pmd_present(pmd)) {
		struct ptscope_leaf leaf;

		s->flags |= ptscope_arch_pmd_swp_flags(pmd);
		if (ptscope_pmd_swp_uffd(pmd))
			s->flags |= PTSCOPE_PF_UFFD_WP;
		ptscope_leaf_from_pmd(pmd, &leaf);
		decode_leaf(&leaf, s);
		return;
	}

	s->flags |= PTSCOPE_PF_PRESENT;
	s->pfn = pmd_pfn(pmd);
	s->flags |= ptscope_arch_pmd_flags(pmd);
	if (pmd_write(pmd))
		s->flags |= PTSCOPE_PF_WRITE;
	if (pmd_young(pmd))
		s->flags |= PTSCOPE_PF_ACCESSED;
	if (pmd_dirty(pmd))
		s->flags |= PTSCOPE_PF_DIRTY;
	if (ptscope_pmd_uffd(pmd))
		s->flags |= PTSCOPE_PF_UFFD_WP;
	if (ptscope_pmd_protnone(pmd))
		s->flags |= PTSCOPE_PF_PROTNONE;
}

void ptscope_decode_pud_leaf(pud_t pud, struct ptscope_span *s)
{
	s->flags = PTSCOPE_PF_HUGE_PUD;
	if (!pud_present(pud)) {
		/* Only hugetlb has non-present PUDs; it encodes them as PTEs. */
		pte_t pte = __pte(pud_val(pud));
		struct ptscope_leaf leaf;

		s->flags |= ptscope_arch_pte_swp_flags(pte);
		ptscope_leaf_from_pte(pte, &leaf);
		decode_leaf(&leaf, s);
		return;
	}

	s->flags |= PTSCOPE_PF_PRESENT;
	s->pfn = pud_pfn(pud);
	s->flags |= ptscope_arch_pud_flags(pud);
	if (pud_write(pud))
		s->flags |= PTSCOPE_PF_WRITE;
	if (pud_young(pud))
		s->flags |= PTSCOPE_PF_ACCESSED;
	if (ptscope_pud_dirty(pud))
		s->flags |= PTSCOPE_PF_DIRTY;
}

bool ptscope_read_ptes(pmd_t *pmdp, pmd_t pmdval, unsigned long addr,
		       unsigned int nr, pte_t *out)
{
	pte_t *table;
	unsigned int i;
	bool same;

	rcu_read_lock();
	/*
	 * Once the PMD is seen pointing at the table inside the RCU read
	 * section, pte_free_defer() cannot free the table before we leave.
	 */
	if (!pmd_same(ptscope_pmdp_get_lockless(pmdp), pmdval)) {
		rcu_read_unlock();
		return false;
	}
	table = pte_offset_kernel(&pmdval, addr);
	for (i = 0; i < nr; i++)
		out[i] = ptep_get_lockless(table + i);
	/* A table retracted meanwhile may hold stale entries: retry. */
	same = pmd_same(ptscope_pmdp_get_lockless(pmdp), pmdval);
	rcu_read_unlock();
	return same;
}

static int emit(struct ptscope_walker *w, struct ptscope_span *s)
{
	int ret = w->fn(s, w->arg);

	if (ret)
		w->next = s->addr;
	return ret;
}

/* A span of pages with no entry, or an entry the walker does not map. */
static int emit_none(struct ptscope_walker *w, unsigned long addr,
		     unsigned long end)
{
	struct ptscope_span s = {
		.addr = addr,
		.nr_pages = (end - addr) >> PAGE_SHIFT,
		.contiguous = true,
	};

	return emit(w, &s);
}

/* Emit a leaf covering [addr, end), adjusting pfn/offset to addr. */
static int emit_leaf(struct ptscope_walker *w, struct ptscope_span *s,
		     unsigned long addr, unsigned long end, unsigned long mask)
{
	unsigned long skip = (addr & ~mask) >> PAGE_SHIFT;

	s->addr = addr;
	s->nr_pages = (end - addr) >> PAGE_SHIFT;
	s->contiguous = true;
	if (s->flags & PTSCOPE_PF_PRESENT)
		s->pfn += skip;
	else if (s->flags & (PTSCOPE_PF_SWAP | PTSCOPE_PF_MIGRATION))
		s->swap_offset += skip;
	return emit(w, s);
}

/* Does a writer want the lock the walk holds: its VMA's, or mmap_lock? */
static inline bool walk_lock_wanted(struct ptscope_walker *w)
{
	if (w->locked_vma)
		return ptscope_vma_lock_wanted(w->locked_vma);
	return ptscope_mmap_lock_wanted(w->mm);
}

/*
 * Every PTSCOPE_YIELD_CHECK PTEs (counted from the start of the snapshot),
 * does a writer want mmap_lock?  Then the span ends there, and the walk
 * yields before the next one.
 */
static inline bool writer_waits_at(struct ptscope_walker *w, unsigned int j)
{
	return !(j % PTSCOPE_YIELD_CHECK) && walk_lock_wanted(w);
}

/*
 * The PTEs of [i, nr) that extend the span @s starting at ptes[i]: same
 * flags and, unless @split, any physical (or swap) sequence.  Present PTEs
 * with the same flag bits decode to the same flags, so the common case
 * compares raw values and never decodes.  Returns the end index.
 */
static unsigned int span_extent(struct ptscope_walker *w, const pte_t *ptes,
				unsigned int i, unsigned int nr,
				struct ptscope_span *s, bool split)
{
	pteval_t first = pte_val(ptes[i]);
	unsigned int j = i + 1;

	if (!first) {
		while (j < nr && !pte_val(ptes[j]) && !writer_waits_at(w, j))
			j++;
		return j;
	}
	if (s->flags & PTSCOPE_PF_PRESENT) {
		pteval_t fl = first & PTSCOPE_PTE_FLAGS_MASK;

		for (; j < nr && !writer_waits_at(w, j); j++) {
			pte_t pte = ptes[j];

			if ((pte_val(pte) & PTSCOPE_PTE_FLAGS_MASK) != fl)
				break;
			if (pte_pfn(pte) != s->pfn + (j - i)) {
				if (split)
					break;
				s->contiguous = false;
			}
		}
		return j;
	}
	for (; j < nr && !writer_waits_at(w, j); j++) {
		struct ptscope_span t = {};

		if (pte_none(ptes[j]))
			break;
		ptscope_decode_pte(ptes[j], &t);
		if (t.flags != s->flags)
			break;
		if ((s->flags & (PTSCOPE_PF_SWAP | PTSCOPE_PF_MIGRATION)) &&
		    (t.swap_type != s->swap_type ||
		     t.swap_offset != s->swap_offset + (j - i))) {
			if (split)
				break;
			s->contiguous = false;
		}
	}
	return j;
}

/*
 * Hand a snapshot to ->ptes_fn in pieces that end where the span loop
 * would look for a writer wanting the lock held, and look there too.
 */
static int walk_pte_batches(struct ptscope_walker *w, const pte_t *ptes,
			    unsigned long addr, unsigned int nr)
{
	unsigned int i, n;
	int ret;

	for (i = 0; i < nr; i += n) {
		unsigned long a = addr + ((unsigned long)i << PAGE_SHIFT);

		/* A cleared snapshot is consumed whole: its bits are gone. */
		if (!w->young && w->held && walk_lock_wanted(w)) {
			w->next = a;
			return PTSCOPE_WALK_YIELD;
		}
		n = min(nr - i, PTSCOPE_YIELD_CHECK - i % PTSCOPE_YIELD_CHECK);
		ret = w->ptes_fn(w->arg, a, ptes + i, n);
		if (ret) {
			w->next = a;
			return ret;
		}
		w->held += n;
	}
	return 0;
}

static int walk_ptes(struct ptscope_walker *w, pmd_t *pmdp, pmd_t pmdval,
		     unsigned long addr, unsigned long end)
{
	unsigned int nr = (end - addr) >> PAGE_SHIFT, i, j, check, spans;
	const pte_t *ptes = w->ptes;
	int ret;

	if (w->table_fn) {
		/* One snapshot of the whole table serves the hook and the walk. */
		if (!ptscope_read_ptes(pmdp, pmdval, addr & PMD_MASK,
				       PTRS_PER_PTE, w->ptes))
			return -EAGAIN;
		ret = w->table_fn(w->arg, PTSCOPE_LEVEL_PTE, addr & PMD_MASK,
				  pte_offset_kernel(&pmdval, 0), w->ptes);
		if (ret) {
			w->next = addr;
			return ret;
		}
		ptes += pte_index(addr);
	} else if (w->young) {
		if (!ptscope_young_read_ptes(w->young, w->mm, pmdp, pmdval,
					     addr, nr, w->ptes))
			return -EAGAIN;
	} else if (!ptscope_read_ptes(pmdp, pmdval, addr, nr, w->ptes)) {
		return -EAGAIN;
	}

	w->budget -= nr;
	if (w->ptes_fn)
		return walk_pte_batches(w, ptes, addr, nr);
	for (i = 0, check = 0, spans = 0; i < nr; i = j) {
		struct ptscope_span s = {
			.addr = addr + ((unsigned long)i << PAGE_SHIFT),
			.contiguous = true,
		};

		/*
		 * Look every PTSCOPE_YIELD_CHECK PTEs, or every few spans
		 * where each costs (attributes changing page by page).
		 */
		if (i >= check || ++spans >= PTSCOPE_YIELD_CHECK_SPANS) {
			if (w->held && walk_lock_wanted(w)) {
				w->next = s.addr;
				return PTSCOPE_WALK_YIELD;
			}
			check = rounddown(i, PTSCOPE_YIELD_CHECK) +
				PTSCOPE_YIELD_CHECK;
			spans = 0;
		}
		ptscope_decode_pte(ptes[i], &s);
		j = span_extent(w, ptes, i, nr, &s, w->split_discontig);
		s.nr_pages = j - i;
		w->held += s.nr_pages;
		ret = emit(w, &s);
		if (ret)
			return ret;
	}
	return 0;
}

/* Tell the table hook, if any, that the walk enters a table at @addr. */
static int enter_table(struct ptscope_walker *w, u32 level, unsigned long addr,
		       unsigned long mask, const void *entry, unsigned int index,
		       size_t entry_size)
{
	const void *table = (const char *)entry - (size_t)index * entry_size;
	int ret;

	if (!w->table_fn)
		return 0;
	ret = w->table_fn(w->arg, level, addr & mask, table, table);
	if (ret)
		w->next = addr;
	return ret;
}

static int walk_pmd_entry(struct ptscope_walker *w, pmd_t *pmdp,
			  unsigned long addr, unsigned long end)
{
	int tries, ret = -EAGAIN;

	for (tries = 0; ret == -EAGAIN && tries < PTSCOPE_PMD_RETRIES; tries++) {
		pmd_t pmd = ptscope_pmdp_get_lockless(pmdp);
		struct ptscope_span s = {};

		if (pmd_none(pmd))
			return emit_none(w, addr, end);
		/* pmd_present() also holds for a PMD being split. */
		if (!pmd_present(pmd) || pmd_leaf(pmd)) {
			ptscope_decode_pmd_leaf(pmd, &s);
			ret = emit_leaf(w, &s, addr, end, PMD_MASK);
			if (!ret && w->young && pmd_present(pmd) && pmd_young(pmd))
				ptscope_young_clear_pmd(w->young, w->mm, pmdp, pmd);
			return ret;
		}
		if (pmd_bad(pmd))
			return emit_none(w, addr, end);
		ret = walk_ptes(w, pmdp, pmd, addr, end);
	}
	return ret;
}

/* Walk the part [addr, end) of the 2 MiB that *pmdp maps. */
static int walk_pmd(struct ptscope_walker *w, pmd_t *pmdp, unsigned long addr,
		    unsigned long end)
{
	int ret;

	if (w->budget <= 0 || (w->held && walk_lock_wanted(w))) {
		w->next = addr;
		return PTSCOPE_WALK_YIELD;
	}
	if (w->room_fn) {
		ret = w->room_fn(w->arg);
		if (ret) {
			w->next = addr;
			return ret;
		}
	}
	w->budget--;
	w->held++;
	/* Tables reached from the PGD must be passed to the table hook. */
	if (!w->table_fn) {
		w->last_pmdp = pmdp;
		w->last_pmd_addr = addr & PMD_MASK;
	}
	return walk_pmd_entry(w, pmdp, addr, end);
}

static int walk_pmds(struct ptscope_walker *w, pud_t *pudp, pud_t pud,
		     unsigned long addr, unsigned long end)
{
	pmd_t *pmdp = pmd_offset_lockless(pudp, pud, addr);
	unsigned long next;
	int ret;

	ret = enter_table(w, PTSCOPE_LEVEL_PMD, addr, PUD_MASK, pmdp,
			  pmd_index(addr), sizeof(*pmdp));
	if (ret)
		return ret;
	do {
		next = pmd_addr_end(addr, end);
		ret = walk_pmd(w, pmdp, addr, next);
		if (ret)
			return ret;
	} while (pmdp++, addr = next, addr != end);
	return 0;
}

static int walk_puds(struct ptscope_walker *w, p4d_t *p4dp, p4d_t p4d,
		     unsigned long addr, unsigned long end)
{
	pud_t *pudp = pud_offset_lockless(p4dp, p4d, addr);
	unsigned long next;
	int ret;

	ret = enter_table(w, PTSCOPE_LEVEL_PUD, addr, P4D_MASK, pudp,
			  pud_index(addr), sizeof(*pudp));
	if (ret)
		return ret;
	do {
		pud_t pud = ptscope_pudp_get(pudp);

		next = pud_addr_end(addr, end);
		w->budget--;
		if (pud_none(pud)) {
			ret = emit_none(w, addr, next);
		} else if (!pud_present(pud) || pud_leaf(pud)) {
			struct ptscope_span s = {};

			ptscope_decode_pud_leaf(pud, &s);
			ret = emit_leaf(w, &s, addr, next, PUD_MASK);
			if (!ret && w->young && pud_present(pud) && pud_young(pud))
				ptscope_young_clear_pud(w->young, w->mm, pudp, pud);
		} else if (pud_bad(pud)) {
			ret = emit_none(w, addr, next);
		} else {
			ret = walk_pmds(w, pudp, pud, addr, next);
		}
		if (ret)
			return ret;
	} while (pudp++, addr = next, addr != end);
	return 0;
}

static int walk_p4ds(struct ptscope_walker *w, pgd_t *pgdp, pgd_t pgd,
		     unsigned long addr, unsigned long end)
{
	p4d_t *p4dp = p4d_offset_lockless(pgdp, pgd, addr);
	unsigned long next;
	int ret;

	/* With 4-level paging the P4D is folded into the PGD: no table. */
	if (!ptscope_p4d_folded()) {
		ret = enter_table(w, PTSCOPE_LEVEL_P4D, addr, PGDIR_MASK, p4dp,
				  ptscope_p4d_index(addr), sizeof(*p4dp));
		if (ret)
			return ret;
	}
	do {
		p4d_t p4d = ptscope_p4dp_get(p4dp);

		next = p4d_addr_end(addr, end);
		w->budget--;
		if (p4d_none(p4d) || p4d_bad(p4d))
			ret = emit_none(w, addr, next);
		else
			ret = walk_puds(w, p4dp, p4d, addr, next);
		if (ret)
			return ret;
	} while (p4dp++, addr = next, addr != end);
	return 0;
}

int ptscope_walk_range(struct ptscope_walker *w, struct vm_area_struct *vma,
		       unsigned long addr, unsigned long end)
{
	pgd_t *pgdp = pgd_offset(vma->vm_mm, addr);
	unsigned long next;
	int ret;

	w->mm = vma->vm_mm;
	if (w->last_pmdp && (addr & PMD_MASK) == w->last_pmd_addr &&
	    end - 1 <= (addr | ~PMD_MASK))
		return walk_pmd(w, w->last_pmdp, addr, end);
	ret = enter_table(w, PTSCOPE_LEVEL_PGD, addr, 0, pgdp, pgd_index(addr),
			  sizeof(*pgdp));
	if (ret)
		return ret;
	do {
		pgd_t pgd = ptscope_pgdp_get(pgdp);

		next = pgd_addr_end(addr, end);
		w->budget--;
		if (pgd_none(pgd) || pgd_bad(pgd))
			ret = emit_none(w, addr, next);
		else
			ret = walk_p4ds(w, pgdp, pgd, addr, next);
		if (ret)
			return ret;
	} while (pgdp++, addr = next, addr != end);
	return 0;
}
