// SPDX-License-Identifier: GPL-2.0
/*
 * Each region of the workload (layout.h), one fixture variant a region,
 * as ptscope reports it: per-VMA counts, per-page run flags, PFNs against
 * /proc/PID/pagemap, resident pages against /proc/PID/smaps, and the
 * VMA's kind, name, flags and file.  pages_wl_test checks the workload as
 * a whole: bounds, copy-on-write after fork(), clear_refs.
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

/* ---- one workload region per variant ----------------------------------- */

FIXTURE(region) {
	struct wl_env env;
	uint32_t want[512];
	uint64_t start, end;
	size_t n;
};

FIXTURE_VARIANT(region) {
	int r;
};

FIXTURE_VARIANT_ADD(region, anon) { .r = WL_R_ANON };
FIXTURE_VARIANT_ADD(region, mprot_rw) { .r = WL_R_MPROT_RW };
FIXTURE_VARIANT_ADD(region, mprot_ro) { .r = WL_R_MPROT_RO };
FIXTURE_VARIANT_ADD(region, dontneed) { .r = WL_R_DONTNEED };
FIXTURE_VARIANT_ADD(region, populate) { .r = WL_R_POPULATE };
FIXTURE_VARIANT_ADD(region, file) { .r = WL_R_FILE };
FIXTURE_VARIANT_ADD(region, shared) { .r = WL_R_SHARED };
FIXTURE_VARIANT_ADD(region, cow) { .r = WL_R_COW };
FIXTURE_VARIANT_ADD(region, protnone) { .r = WL_R_PROTNONE };
FIXTURE_VARIANT_ADD(region, thp) { .r = WL_R_THP };

FIXTURE_SETUP(region)
{
	int err = wl_env_init(&self->env);

	if (err == -ENOENT) {
		wl_env_fini(&self->env);
		SKIP(return, "ptscope module not loaded");
	}
	ASSERT_EQ(0, err);
	ASSERT_EQ(PAGE_SZ, self->env.info.page_size);
	if (variant->r == WL_R_THP && !self->env.e.thp) {
		char mode[16];

		snprintf(mode, sizeof(mode), "%s", self->env.w.thp_mode);
		wl_env_fini(&self->env);
		SKIP(return, "no THP (mode %s): smaps AnonHugePages != 2048 kB", mode);
	}
	self->start = self->env.w.start[variant->r];
	self->end = self->env.w.end[variant->r];
	self->n = wl_region_pages[variant->r];
	expected_region(variant->r, &self->env.e, self->want);
}

FIXTURE_TEARDOWN(region)
{
	wl_env_fini(&self->env);
}

/* The region is exactly one VMA, and its counts are those of the model. */
TEST_F(region, vma_counts)
{
	struct vma_list vl = {};

	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.pid, self->start,
				  self->end, 0, &vl));
	/* Only VMAs overlapping the range: exactly the region. */
	ASSERT_EQ(1, vl.n);
	EXPECT_EQ(self->start, vl.v[0].start);
	EXPECT_EQ(self->end, vl.v[0].end);
	check_vma_counts(_metadata, &vl.v[0], self->want, self->n);
	vma_list_free(&vl);
}

/* A query of one page inside the VMA still reports the whole VMA. */
TEST_F(region, vma_counts_cover_whole_vma)
{
	struct vma_list vl = {};
	uint64_t mid = self->start + (self->n / 2) * PAGE_SZ;

	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.pid, mid,
				  mid + PAGE_SZ, 0, &vl));
	ASSERT_EQ(1, vl.n);
	EXPECT_EQ(self->start, vl.v[0].start);
	EXPECT_EQ(self->end, vl.v[0].end);
	check_vma_counts(_metadata, &vl.v[0], self->want, self->n);
	vma_list_free(&vl);
}

/* PTSCOPE_VMAS_F_NO_COUNTS: same VMA, no counts. */
TEST_F(region, vma_no_counts)
{
	struct vma_list vl = {};

	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.pid, self->start,
				  self->end, PTSCOPE_VMAS_F_NO_COUNTS, &vl));
	ASSERT_EQ(1, vl.n);
	EXPECT_EQ(self->start, vl.v[0].start);
	EXPECT_FALSE(vl.v[0].has_counts);
	EXPECT_EQ(0, vl.v[0].nr_present);
	vma_list_free(&vl);
}

/* Every page's flags from the runs equal the model, bit for bit. */
TEST_F(region, run_flags)
{
	struct page_view pv;

	ASSERT_EQ(0, region_view(&self->env, self->env.w.pid, variant->r, 0, &pv));
	EXPECT_EQ(0, diff_pages(_metadata, wl_region_names[variant->r], &pv,
				self->want));
	page_view_free(&pv);
}

/* PFN runs: same flags; every present page has the PFN pagemap shows, and
 * pagemap's present/swap/soft-dirty bits agree with the flags. */
TEST_F(region, pfn_runs_match_pagemap)
{
	const struct ptscope_vma *v;
	struct vma_list vl = {};
	struct page_view pv;
	uint64_t pm[512];
	bool vma_sd;

	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.pid, self->start,
				  self->end, PTSCOPE_VMAS_F_NO_COUNTS, &vl));
	ASSERT_EQ(1, vl.n);
	v = &vl.v[0];
	vma_sd = v->flags & PTSCOPE_VMA_F_SOFTDIRTY;
	ASSERT_EQ(0, region_view(&self->env, self->env.w.pid, variant->r,
				 PTSCOPE_PAGES_F_PFN_RUNS, &pv));
	EXPECT_EQ(0, diff_pages(_metadata, wl_region_names[variant->r], &pv,
				self->want));
	ASSERT_EQ(0, pagemap_read(self->env.w.pid, self->start, self->n, pm));
	for (size_t i = 0; i < self->n; i++) {
		bool present = pv.flags[i] & PTSCOPE_PF_PRESENT;

		EXPECT_EQ(present, !!(pm[i] & PM_PRESENT)) TH_LOG("page %zu", i);
		EXPECT_EQ(!!(pv.flags[i] & (PTSCOPE_PF_SWAP | PTSCOPE_PF_MIGRATION |
					    PTSCOPE_PF_MARKER)),
			  !!(pm[i] & PM_SWAP)) TH_LOG("page %zu", i);
		/* pagemap ORs in the VMA's VM_SOFTDIRTY */
		EXPECT_EQ(!!(pv.flags[i] & PTSCOPE_PF_SOFT_DIRTY) || vma_sd,
			  !!(pm[i] & PM_SOFT_DIRTY)) TH_LOG("page %zu", i);
		if (present) {
			EXPECT_NE(~0ULL, pv.pfn[i]) TH_LOG("page %zu has no PFN", i);
			EXPECT_EQ(pm[i] & PM_PFN_MASK, pv.pfn[i]) TH_LOG("page %zu", i);
		} else {
			EXPECT_EQ(~0ULL, pv.pfn[i]) TH_LOG("page %zu", i);
		}
	}
	page_view_free(&pv);
	vma_list_free(&vl);
}

/* smaps Rss counts present pages except the zero page (vm_normal_page()
 * is NULL for pte_special entries). */
TEST_F(region, smaps_rss)
{
	const struct smaps_vma *s = smaps_find(&self->env.sm, self->start);
	struct vma_list vl = {};
	struct page_view pv;
	struct counts want, got;

	ASSERT_NE(NULL, s);
	EXPECT_EQ(self->end, s->end);
	count_flags(self->want, self->n, &want);
	EXPECT_EQ(want.present - want.special, s->rss_kb / 4);

	ASSERT_EQ(0, region_view(&self->env, self->env.w.pid, variant->r, 0, &pv));
	count_flags(pv.flags, pv.n, &got);
	EXPECT_EQ(s->rss_kb / 4, got.present - got.special);
	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.pid, self->start,
				  self->end, 0, &vl));
	ASSERT_EQ(1, vl.n);
	EXPECT_EQ(s->rss_kb / 4, vl.v[0].nr_present - got.special);
	EXPECT_EQ(s->anon_huge_kb / 4, vl.v[0].nr_huge_pmd);
	page_view_free(&pv);
	vma_list_free(&vl);
}

/* Kind, name, flags (against smaps VmFlags) and file identity. */
TEST_F(region, vma_attributes)
{
	const struct smaps_vma *s = smaps_find(&self->env.sm, self->start);
	struct vma_list vl = {};
	const struct ptscope_vma *v;
	uint32_t kind;

	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.pid, self->start,
				  self->end, 0, &vl));
	ASSERT_EQ(1, vl.n);
	v = &vl.v[0];
	ASSERT_TRUE(s->has_vmflags);
	EXPECT_EQ(s->vmflags, v->flags) {
		char a[256], b[256];

		ptscope_vma_flags_str(v->flags, a, sizeof(a));
		ptscope_vma_flags_str(s->vmflags, b, sizeof(b));
		TH_LOG("ptscope [%s] smaps [%s]", a, b);
	}
	switch (variant->r) {
	case WL_R_FILE:
		kind = PTSCOPE_VMA_KIND_FILE;
		EXPECT_STREQ(self->env.w.file, v->name);
		EXPECT_EQ(s->inode, v->inode);
		EXPECT_NE(0, v->inode);
		EXPECT_EQ(0, v->pgoff);
		break;
	case WL_R_SHARED:
		kind = PTSCOPE_VMA_KIND_SHMEM;
		break;
	default:
		kind = self->env.w.named ? PTSCOPE_VMA_KIND_ANON_NAMED :
					   PTSCOPE_VMA_KIND_ANON;
		if (self->env.w.named) {
			char name[64];

			snprintf(name, sizeof(name), "wl_%s",
				 wl_region_names[variant->r]);
			EXPECT_NE(NULL, strstr(v->name, name));
		} else {
			EXPECT_STREQ("", v->name);
		}
		EXPECT_EQ(0, v->inode);
		break;
	}
	EXPECT_EQ(kind, v->kind);
	/* Region-specific flags the workload asked for. */
	if (variant->r == WL_R_THP) {
		EXPECT_TRUE(v->flags & PTSCOPE_VMA_F_HUGEPAGE);
	}
	if (variant->r == WL_R_SHARED) {
		EXPECT_TRUE(v->flags & PTSCOPE_VMA_F_SHARED);
	}
	if (variant->r == WL_R_MPROT_RO || variant->r == WL_R_FILE ||
	    variant->r == WL_R_PROTNONE) {
		EXPECT_FALSE(v->flags & PTSCOPE_VMA_F_WRITE);
	}
	if (self->env.e.soft_dirty) {
		EXPECT_TRUE(v->flags & PTSCOPE_VMA_F_SOFTDIRTY);
	}
	vma_list_free(&vl);
}

TEST_HARNESS_MAIN
