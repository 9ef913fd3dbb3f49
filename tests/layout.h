/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload's memory layout: shared by tests/workload.c (which builds it)
 * and the tests (which derive their expectations from the same definitions).
 *
 * Every region is its own VMA: regions sit inside one PROT_NONE reservation
 * with a PROT_NONE guard page after each, so no two regions can merge.
 *
 *   region    pages  how it is built                      state per page
 *   --------  -----  -----------------------------------  -------------------
 *   anon         64  private anon rw, wl_anon_state()     READ: zero page
 *                                                         WRITE: own page
 *                                                         NONE: no entry
 *   mprot_rw      8  first half of 16 written pages       written, rw
 *   mprot_ro      8  second half, then mprotect(PROT_READ) written, not rw
 *   dontneed     16  all written, [4,12) MADV_DONTNEED    [4,12) no entry
 *   populate     16  MAP_POPULATE private anon rw         all written
 *   file         16  MAP_PRIVATE PROT_READ of a sparse    even pages: page
 *                    file (data only in even pages),      cache pages, r/o;
 *                    every even page read                 odd pages: none
 *   shared       16  MAP_SHARED|MAP_ANONYMOUS; parent     parent maps [0,4),
 *                    writes [0,4), child writes [8,12)    child maps [8,12)
 *   cow           8  private anon written, then fork()    both: r/o, same PFN
 *                    "cw" command: child writes [0,4)     child [0,4): own
 *                                                         page, rw, new PFN
 *   protnone      8  [0,4) written, then mprotect(NONE)   [0,4) PROT_NONE
 *   thp         512  2 MiB aligned, MADV_HUGEPAGE, every  one PMD leaf if THP
 *                    page written                         was available
 *
 * Shared anonymous memory (shmem) is mapped only into the page tables of a
 * process that touched a page: fork() does not copy the PTEs of shared
 * mappings (vma_needs_copy() is false), so the parent's PTEs show exactly
 * the pages it wrote, and the child's exactly the pages it wrote.
 *
 * The child is forked before any other region exists, so fork() write-
 * protects nothing the tests look at except the cow region.
 */
#ifndef PTSCOPE_TESTS_LAYOUT_H
#define PTSCOPE_TESTS_LAYOUT_H

#define WL_PAGE		4096UL
#define WL_PMD		(2UL << 20)

enum wl_state { WL_NONE, WL_READ, WL_WRITE };

enum wl_region {
	WL_R_ANON,
	WL_R_MPROT_RW,
	WL_R_MPROT_RO,
	WL_R_DONTNEED,
	WL_R_POPULATE,
	WL_R_FILE,
	WL_R_SHARED,
	WL_R_COW,
	WL_R_PROTNONE,
	WL_R_THP,
	WL_NR_REGIONS
};

static const char *const wl_region_names[WL_NR_REGIONS] = {
	"anon", "mprot_rw", "mprot_ro", "dontneed", "populate",
	"file", "shared", "cow", "protnone", "thp",
};

static const unsigned long wl_region_pages[WL_NR_REGIONS] = {
	64, 8, 8, 16, 16, 16, 16, 8, 8, 512,
};

/* anon: [0,8) read, [8,24) written, [24,32) none, [32,48) odd read /
 * even written, [48,64) none: 16 read, 24 written, 24 untouched. */
static inline enum wl_state wl_anon_state(unsigned long i)
{
	if (i < 8)
		return WL_READ;
	if (i < 24)
		return WL_WRITE;
	if (i < 32)
		return WL_NONE;
	if (i < 48)
		return (i & 1) ? WL_READ : WL_WRITE;
	return WL_NONE;
}

#define WL_DONTNEED_FIRST	4	/* [4,12) dropped */
#define WL_DONTNEED_END		12
#define WL_SHARED_PARENT_END	4	/* parent writes [0,4) */
#define WL_SHARED_CHILD_FIRST	8	/* child writes [8,12) */
#define WL_SHARED_CHILD_END	12
#define WL_COW_CHILD_WRITES	4	/* "cw": child writes [0,4) */
#define WL_PROTNONE_WRITTEN	4	/* [0,4) written before PROT_NONE */

/* Byte value written to page i of a region (never 0: pages are not zero). */
static inline unsigned char wl_fill(int region, unsigned long i)
{
	return (unsigned char)(0x40 + region * 7 + (i % 61) + 1);
}

#endif
