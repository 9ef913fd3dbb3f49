/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The checks pages_test and pages_wl_test share.  They log and fail
 * through the harness (TH_LOG, EXPECT_*), which only a test's own file
 * can include: so they are static functions here, included after
 * kselftest_harness.h.
 */
#ifndef PTSCOPE_TESTS_PAGES_CHECK_H
#define PTSCOPE_TESTS_PAGES_CHECK_H

/* Compares per-page flags of [start, start + n pages) with want[]; logs the
 * first few differences and returns how many pages differ. */
static int diff_pages(struct __test_metadata *_metadata, const char *what,
		      const struct page_view *pv, const uint32_t *want)
{
	int bad = 0;

	for (size_t i = 0; i < pv->n; i++) {
		if (pv->covered[i] && pv->flags[i] == want[i])
			continue;
		if (bad++ < 8) {
			char got_s[256], want_s[256];

			ptscope_page_flags_str(pv->flags[i], got_s, sizeof(got_s));
			ptscope_page_flags_str(want[i], want_s, sizeof(want_s));
			TH_LOG("%s page %zu (0x%llx): got %s0x%x [%s], want 0x%x [%s]",
			       what, i, (unsigned long long)(pv->start + i * PAGE_SZ),
			       pv->covered[i] ? "" : "(not covered) ",
			       pv->flags[i], got_s, want[i], want_s);
		}
	}
	return bad;
}

static int check_vma_counts(struct __test_metadata *_metadata,
			    const struct ptscope_vma *v, const uint32_t *want,
			    size_t n)
{
	struct counts c;

	count_flags(want, n, &c);
	EXPECT_TRUE(v->has_counts);
	EXPECT_EQ(c.present, v->nr_present);
	EXPECT_EQ(c.accessed, v->nr_accessed);
	EXPECT_EQ(c.dirty, v->nr_dirty);
	EXPECT_EQ(c.writable, v->nr_writable);
	EXPECT_EQ(c.swap, v->nr_swap);
	EXPECT_EQ(c.soft_dirty, v->nr_soft_dirty);
	EXPECT_EQ(c.huge_pmd, v->nr_huge_pmd);
	EXPECT_EQ(c.huge_pud, v->nr_huge_pud);
	EXPECT_EQ(c.migration, v->nr_migration);
	EXPECT_EQ(c.protnone, v->nr_protnone);
	return 0;
}

#endif
