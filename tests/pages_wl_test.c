// SPDX-License-Identifier: GPL-2.0
/*
 * The workload (layout.h) as a whole, as ptscope reports it: every region
 * one VMA with the reported bounds, runs covering exactly the VMAs or a
 * range, copy-on-write after fork(), shared memory seen from the child,
 * and the accessed / soft-dirty bits after /proc/PID/clear_refs.
 * pages_test checks the regions one by one.
 *
 * Every expectation comes from wl_expected_flags(), which derives the PTE
 * bits from what the workload did (see the comments there and in layout.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "common.h"
#include "pages_check.h"

/* arm64: every user page is PXN (asm/pgtable-prot.h) */
#ifdef __aarch64__
#define WL_PXN_ALL	PTSCOPE_PF_PXN
#else
#define WL_PXN_ALL	0
#endif

/* ---- whole-workload scenarios -------------------------------------------- */

FIXTURE(wl) {
	struct wl_env env;
};

FIXTURE_SETUP(wl)
{
	int err = wl_env_init(&self->env);

	if (err == -ENOENT) {
		wl_env_fini(&self->env);
		SKIP(return, "ptscope module not loaded");
	}
	ASSERT_EQ(0, err);
}

FIXTURE_TEARDOWN(wl)
{
	wl_env_fini(&self->env);
}

/* Every region is exactly one VMA with the bounds the workload reported,
 * and the guard pages between them belong to no region. */
TEST_F(wl, region_bounds)
{
	struct vma_list vl = {};

	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.pid, 0, 0,
				  PTSCOPE_VMAS_F_NO_COUNTS, &vl));
	for (int r = 0; r < WL_NR_REGIONS; r++) {
		const struct ptscope_vma *v = vma_find(&vl, self->env.w.start[r]);

		EXPECT_NE(NULL, v) TH_LOG("no VMA starts at %s", wl_region_names[r]);
		if (v) {
			EXPECT_EQ(self->env.w.end[r], v->end)
				TH_LOG("region %s", wl_region_names[r]);
		}
	}
	/* VMAs are sorted and disjoint, and every one is page aligned. */
	for (size_t i = 0; i < vl.n; i++) {
		EXPECT_EQ(0, vl.v[i].start % PAGE_SZ);
		EXPECT_EQ(0, vl.v[i].end % PAGE_SZ);
		EXPECT_LT(vl.v[i].start, vl.v[i].end);
		if (i) {
			EXPECT_LE(vl.v[i - 1].end, vl.v[i].start);
		}
	}
	vma_list_free(&vl);
}

/* Whole-range query: the runs cover every page of every VMA exactly once
 * and nothing outside the VMAs. */
TEST_F(wl, runs_cover_exactly_the_vmas)
{
	struct vma_list vl = {};
	struct run_list runs = {};
	size_t k = 0;

	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.pid, 0, 0,
				  PTSCOPE_VMAS_F_NO_COUNTS, &vl));
	ASSERT_EQ(0, collect_runs(self->env.c, self->env.w.pid, 0, 0, 0, &runs));
	for (size_t i = 0; i < vl.n; i++) {
		uint64_t addr = vl.v[i].start;

		while (addr < vl.v[i].end && k < runs.n) {
			const struct ptscope_run *r = &runs.r[k++];

			ASSERT_EQ(addr, r->start)
				TH_LOG("VMA 0x%llx-0x%llx",
				       (unsigned long long)vl.v[i].start,
				       (unsigned long long)vl.v[i].end);
			addr += r->nr_pages * PAGE_SZ;
			ASSERT_LE(addr, vl.v[i].end) TH_LOG("run crosses a VMA end");
		}
		ASSERT_EQ(vl.v[i].end, addr);
	}
	EXPECT_EQ(runs.n, k) TH_LOG("runs beyond the last VMA");
	run_list_free(&runs);
	vma_list_free(&vl);
}

/* A range inside one VMA: the runs cover exactly that range. */
TEST_F(wl, runs_clip_to_range)
{
	struct run_list runs = {};
	struct page_view pv;
	const char *why = "";
	uint64_t s = wl_addr(&self->env.w, WL_R_ANON, 6);
	uint64_t e = wl_addr(&self->env.w, WL_R_ANON, 41);
	uint32_t want[64];

	ASSERT_EQ(0, collect_runs(self->env.c, self->env.w.pid, s, e, 0, &runs));
	ASSERT_GT(runs.n, 0);
	EXPECT_EQ(s, runs.r[0].start);
	EXPECT_EQ(e, runs.r[runs.n - 1].start + runs.r[runs.n - 1].nr_pages * PAGE_SZ);
	ASSERT_EQ(0, page_view_build(&pv, &runs, s, e, &why)) TH_LOG("%s", why);
	for (unsigned long i = 6; i < 41; i++)
		want[i - 6] = wl_expected_flags(WL_R_ANON, i, &self->env.e);
	EXPECT_EQ(0, diff_pages(_metadata, "anon[6,41)", &pv, want));
	page_view_free(&pv);
	run_list_free(&runs);
}

/* After fork(), parent and child map the same frames, both read-only; the
 * child's copies are old (pte_mkold in copy_present_pte). */
TEST_F(wl, cow_shared_frames)
{
	struct page_view par, chi;
	struct wl_expect ce = self->env.e;
	uint32_t want[8];
	struct vma_list vl = {};

	ce.child = true;
	ASSERT_GT(self->env.w.child, 0);
	ASSERT_EQ(0, region_view(&self->env, self->env.w.pid, WL_R_COW,
				 PTSCOPE_PAGES_F_PFN_RUNS, &par));
	ASSERT_EQ(0, region_view(&self->env, self->env.w.child, WL_R_COW,
				 PTSCOPE_PAGES_F_PFN_RUNS, &chi));
	expected_region(WL_R_COW, &ce, want);
	EXPECT_EQ(0, diff_pages(_metadata, "child cow", &chi, want));
	for (size_t i = 0; i < par.n; i++) {
		EXPECT_NE(~0ULL, par.pfn[i]);
		EXPECT_EQ(par.pfn[i], chi.pfn[i]) TH_LOG("page %zu", i);
	}
	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.child,
				  self->env.w.start[WL_R_COW],
				  self->env.w.end[WL_R_COW], 0, &vl));
	ASSERT_EQ(1, vl.n);
	check_vma_counts(_metadata, &vl.v[0], want, 8);
	vma_list_free(&vl);
	page_view_free(&par);
	page_view_free(&chi);
}

/* The child writes cow pages [0,4): it gets new frames, writable, dirty and
 * young; [4,8) still share the parent's frames; the parent is unchanged. */
TEST_F(wl, cow_after_child_write)
{
	struct page_view par, chi;
	struct wl_expect ce = self->env.e;
	uint32_t want[8], pwant[8];
	struct vma_list vl = {};
	uint64_t pm[8];

	ASSERT_GT(self->env.w.child, 0);
	ASSERT_EQ(0, wl_cmd(&self->env.w, "cw"));
	ce.child = true;
	ce.cow_written = true;
	expected_region(WL_R_COW, &ce, want);
	expected_region(WL_R_COW, &self->env.e, pwant);
	ASSERT_EQ(0, region_view(&self->env, self->env.w.pid, WL_R_COW,
				 PTSCOPE_PAGES_F_PFN_RUNS, &par));
	ASSERT_EQ(0, region_view(&self->env, self->env.w.child, WL_R_COW,
				 PTSCOPE_PAGES_F_PFN_RUNS, &chi));
	EXPECT_EQ(0, diff_pages(_metadata, "parent cow", &par, pwant));
	EXPECT_EQ(0, diff_pages(_metadata, "child cow", &chi, want));
	ASSERT_EQ(0, pagemap_read(self->env.w.child, self->env.w.start[WL_R_COW],
				  8, pm));
	for (size_t i = 0; i < 8; i++) {
		EXPECT_EQ(pm[i] & PM_PFN_MASK, chi.pfn[i]) TH_LOG("page %zu", i);
		if (i < WL_COW_CHILD_WRITES) {
			EXPECT_NE(par.pfn[i], chi.pfn[i]) TH_LOG("page %zu", i);
		} else {
			EXPECT_EQ(par.pfn[i], chi.pfn[i]) TH_LOG("page %zu", i);
		}
	}
	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.child,
				  self->env.w.start[WL_R_COW],
				  self->env.w.end[WL_R_COW], 0, &vl));
	ASSERT_EQ(1, vl.n);
	check_vma_counts(_metadata, &vl.v[0], want, 8);
	vma_list_free(&vl);
	page_view_free(&par);
	page_view_free(&chi);
}

/* Shared anonymous memory: each process maps only what it touched; the
 * child's PTEs were not copied at fork. */
TEST_F(wl, shared_child_view)
{
	struct wl_expect ce = self->env.e;
	struct page_view pv;
	uint32_t want[16];
	struct vma_list vl = {};
	struct smaps sm = {};
	const struct smaps_vma *s;

	ce.child = true;
	expected_region(WL_R_SHARED, &ce, want);
	ASSERT_EQ(0, region_view(&self->env, self->env.w.child, WL_R_SHARED, 0, &pv));
	EXPECT_EQ(0, diff_pages(_metadata, "child shared", &pv, want));
	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.child,
				  self->env.w.start[WL_R_SHARED],
				  self->env.w.end[WL_R_SHARED], 0, &vl));
	ASSERT_EQ(1, vl.n);
	check_vma_counts(_metadata, &vl.v[0], want, 16);
	EXPECT_EQ(PTSCOPE_VMA_KIND_SHMEM, vl.v[0].kind);
	ASSERT_EQ(0, smaps_read(self->env.w.child, &sm));
	s = smaps_find(&sm, self->env.w.start[WL_R_SHARED]);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(WL_SHARED_CHILD_END - WL_SHARED_CHILD_FIRST, s->rss_kb / 4);
	smaps_free(&sm);
	vma_list_free(&vl);
	page_view_free(&pv);
}

/* Expected flags of region r after clear_refs 1: young cleared on every
 * present PTE/PMD that maps a normal page; zero-page PTEs are skipped
 * (vm_normal_page() is NULL), so they stay young. */
static void want_after_clear_young(int r, const struct wl_expect *e,
				   uint32_t *want)
{
	expected_region(r, e, want);
	for (unsigned long i = 0; i < wl_region_pages[r]; i++)
		if (!(want[i] & PTSCOPE_PF_SPECIAL))
			want[i] &= ~PTSCOPE_PF_ACCESSED;
}

static void check_region(struct __test_metadata *_metadata,
			 struct wl_env *env, int r, const uint32_t *want)
{
	struct page_view pv;
	struct vma_list vl = {};

	ASSERT_EQ(0, region_view(env, env->w.pid, r, 0, &pv));
	EXPECT_EQ(0, diff_pages(_metadata, wl_region_names[r], &pv, want));
	ASSERT_EQ(0, collect_vmas(env->c, env->w.pid, env->w.start[r],
				  env->w.end[r], 0, &vl));
	ASSERT_EQ(1, vl.n);
	check_vma_counts(_metadata, &vl.v[0], want, wl_region_pages[r]);
	vma_list_free(&vl);
	page_view_free(&pv);
}

/* clear_refs 1: exactly the zero-page PTEs are still accessed. */
TEST_F(wl, accessed_cleared_by_clear_refs)
{
	int err = clear_refs(self->env.w.pid, 1);

	if (err == -ENOENT)
		SKIP(return, "no /proc/PID/clear_refs");
	ASSERT_EQ(0, err);
	for (int r = 0; r < WL_NR_REGIONS; r++) {
		uint32_t want[512];

		if (r == WL_R_THP && !self->env.e.thp)
			continue;
		want_after_clear_young(r, &self->env.e, want);
		check_region(_metadata, &self->env, r, want);
	}
}

/*
 * Accesses after clear_refs 1 set the young bit again, but only through a
 * page walk: clear_refs 1 does not flush the TLB (a young bit is a hint),
 * so a cached translation may skip it.  clear_refs 4 does flush_tlb_mm()
 * (and write-protects and cleans soft-dirty, leaving young alone).  After
 * 1 then 4, reading anon pages [8,12) (written) and file page 4 makes
 * exactly those pages accessed again, besides the zero-page PTEs.
 */
TEST_F(wl, accessed_after_clear_refs)
{
	int err;

	if (!self->env.e.soft_dirty)
		SKIP(return, "needs clear_refs 4 (CONFIG_MEM_SOFT_DIRTY) to flush the TLB");
	err = clear_refs(self->env.w.pid, 1);
	if (err == -ENOENT)
		SKIP(return, "no /proc/PID/clear_refs");
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, clear_refs(self->env.w.pid, 4));
	ASSERT_EQ(0, wl_cmd(&self->env.w, "r %llx 4",
			    (unsigned long long)wl_addr(&self->env.w, WL_R_ANON, 8)));
	ASSERT_EQ(0, wl_cmd(&self->env.w, "r %llx 1",
			    (unsigned long long)wl_addr(&self->env.w, WL_R_FILE, 4)));

	for (int r = 0; r < WL_NR_REGIONS; r++) {
		uint32_t want[512];

		if (r == WL_R_THP && !self->env.e.thp)
			continue;
		want_after_clear_young(r, &self->env.e, want);
		for (unsigned long i = 0; i < wl_region_pages[r]; i++) {
			if ((r == WL_R_ANON && i >= 8 && i < 12) ||
			    (r == WL_R_FILE && i == 4))
				want[i] |= PTSCOPE_PF_ACCESSED;
			/* clear_refs 4 */
			want[i] &= ~(PTSCOPE_PF_SOFT_DIRTY | PTSCOPE_PF_WRITE);
		}
		check_region(_metadata, &self->env, r, want);
	}
}

/*
 * clear_refs 4 write-protects every present PTE/PMD and clears its
 * soft-dirty bit and every VMA's VM_SOFTDIRTY.  Then writes to anon [8,11)
 * (write-protect fault, page reused), anon [24,26) (new pages), shared page
 * 1 and thp page 5 make exactly those pages soft-dirty and writable again.
 */
TEST_F(wl, soft_dirty_after_clear_refs)
{
	int err;

	if (!self->env.e.soft_dirty)
		SKIP(return, "kernel without CONFIG_MEM_SOFT_DIRTY");
	err = clear_refs(self->env.w.pid, 4);
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, wl_cmd(&self->env.w, "w %llx 3",
			    (unsigned long long)wl_addr(&self->env.w, WL_R_ANON, 8)));
	ASSERT_EQ(0, wl_cmd(&self->env.w, "w %llx 2",
			    (unsigned long long)wl_addr(&self->env.w, WL_R_ANON, 24)));
	ASSERT_EQ(0, wl_cmd(&self->env.w, "w %llx 1",
			    (unsigned long long)wl_addr(&self->env.w, WL_R_SHARED, 1)));
	ASSERT_EQ(0, wl_cmd(&self->env.w, "w %llx 1",
			    (unsigned long long)wl_addr(&self->env.w, WL_R_THP, 5)));

	for (int r = 0; r < WL_NR_REGIONS; r++) {
		uint32_t want[512];
		struct page_view pv;
		struct vma_list vl = {};
		uint64_t pm[512];

		expected_region(r, &self->env.e, want);
		for (unsigned long i = 0; i < wl_region_pages[r]; i++) {
			bool written = (r == WL_R_ANON && i >= 8 && i < 11) ||
				       (r == WL_R_ANON && i >= 24 && i < 26) ||
				       (r == WL_R_SHARED && i == 1) ||
				       (r == WL_R_THP && (i == 5 || self->env.e.thp));

			if (written)
				want[i] = PTSCOPE_PF_PRESENT | PTSCOPE_PF_USER |
					  PTSCOPE_PF_ACCESSED | PTSCOPE_PF_NX |
					  PTSCOPE_PF_WRITE | PTSCOPE_PF_DIRTY |
					  PTSCOPE_PF_SOFT_DIRTY | WL_PXN_ALL |
					  (want[i] & PTSCOPE_PF_HUGE_PMD);
			else
				want[i] &= ~(PTSCOPE_PF_SOFT_DIRTY | PTSCOPE_PF_WRITE);
		}
		ASSERT_EQ(0, region_view(&self->env, self->env.w.pid, r, 0, &pv));
		EXPECT_EQ(0, diff_pages(_metadata, wl_region_names[r], &pv, want));
		ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.pid,
					  self->env.w.start[r], self->env.w.end[r],
					  0, &vl));
		ASSERT_EQ(1, vl.n);
		check_vma_counts(_metadata, &vl.v[0], want, wl_region_pages[r]);
		EXPECT_FALSE(vl.v[0].flags & PTSCOPE_VMA_F_SOFTDIRTY)
			TH_LOG("%s still VM_SOFTDIRTY", wl_region_names[r]);
		/* With VM_SOFTDIRTY gone pagemap shows the PTE bit alone. */
		ASSERT_EQ(0, pagemap_read(self->env.w.pid, self->env.w.start[r],
					  wl_region_pages[r], pm));
		for (unsigned long i = 0; i < wl_region_pages[r]; i++) {
			EXPECT_EQ(!!(want[i] & PTSCOPE_PF_SOFT_DIRTY),
				  !!(pm[i] & PM_SOFT_DIRTY))
				TH_LOG("%s page %lu", wl_region_names[r], i);
		}
		vma_list_free(&vl);
		page_view_free(&pv);
	}
}

TEST_HARNESS_MAIN
