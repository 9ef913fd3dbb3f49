// SPDX-License-Identifier: GPL-2.0
/*
 * Swap entries: pages of the test's own anonymous region are pushed to the
 * VM's zram swap with MADV_PAGEOUT.  For every page, ptscope's runs (with
 * PTSCOPE_PAGES_F_PFN_RUNS, so every swap run carries its location) must
 * agree with /proc/self/pagemap: present, swapped, and the swap type and
 * offset (pagemap bits 0-4 and 5-54).  The VMA's nr_swap must equal the
 * number of swapped pages, translate must stop at the PTE with reason
 * "swap" and the same location, and a page read back must be present again.
 *
 * Skips when no swap is active (the VM harness sets up zram; a real box may
 * have none).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

#define NR_PAGES	64
#define PM_SWAP_TYPE(e)		((e) & 0x1f)
#define PM_SWAP_OFFSET(e)	(((e) & PM_PFN_MASK) >> 5)

static bool swap_active(void)
{
	char line[256];
	FILE *f = fopen("/proc/swaps", "r");
	int n = 0;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n > 1;	/* a header line, then one per device */
}

FIXTURE(swap) {
	struct ptscope_client *c;
	unsigned char *buf;
	uint64_t start;
	uint64_t pm[NR_PAGES];
	size_t nr_swapped;
};

FIXTURE_SETUP(swap)
{
	int err, tries;

	self->c = NULL;
	self->buf = MAP_FAILED;
	if (!swap_active())
		SKIP(return, "no active swap device");
	err = ptscope_open(&self->c);
	if (err == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, err);

	/* Guard pages on both sides keep the region its own VMA. */
	self->buf = mmap(NULL, (NR_PAGES + 2) * PAGE_SZ, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->buf);
	self->start = (uint64_t)(uintptr_t)self->buf + PAGE_SZ;
	ASSERT_EQ(0, mprotect((void *)(uintptr_t)self->start, NR_PAGES * PAGE_SZ,
			      PROT_READ | PROT_WRITE));
	for (int i = 0; i < NR_PAGES; i++)
		memset((void *)(uintptr_t)(self->start + i * PAGE_SZ), i + 1, PAGE_SZ);

	/*
	 * Freshly written pages may still sit in a per-CPU LRU batch, where
	 * MADV_PAGEOUT cannot isolate them: ask again until they are out.
	 */
	for (tries = 0; tries < 20; tries++) {
		ASSERT_EQ(0, madvise((void *)(uintptr_t)self->start,
				     NR_PAGES * PAGE_SZ, MADV_PAGEOUT));
		ASSERT_EQ(0, pagemap_read(getpid(), self->start, NR_PAGES, self->pm));
		self->nr_swapped = 0;
		for (int i = 0; i < NR_PAGES; i++)
			self->nr_swapped += !!(self->pm[i] & PM_SWAP);
		if (self->nr_swapped == NR_PAGES)
			break;
		usleep(20000);
	}
	if (!self->nr_swapped)
		SKIP(return, "MADV_PAGEOUT moved no page to swap");
	TH_LOG("%zu of %d pages swapped out", self->nr_swapped, NR_PAGES);
}

FIXTURE_TEARDOWN(swap)
{
	if (self->buf != MAP_FAILED)
		munmap(self->buf, (NR_PAGES + 2) * PAGE_SZ);
	ptscope_close(self->c);
}

/* Every page: ptscope's swap flag and location equal pagemap's. */
TEST_F(swap, runs_match_pagemap)
{
	struct run_list rl = {};
	size_t page = 0, swapped = 0;

	ASSERT_EQ(0, collect_runs(self->c, getpid(), self->start,
				  self->start + NR_PAGES * PAGE_SZ,
				  PTSCOPE_PAGES_F_PFN_RUNS, &rl));
	for (size_t r = 0; r < rl.n; r++) {
		const struct ptscope_run *run = &rl.r[r];

		ASSERT_EQ(self->start + page * PAGE_SZ, run->start);
		for (uint64_t i = 0; i < run->nr_pages; i++, page++) {
			uint64_t pm = self->pm[page];
			bool swap = run->flags & PTSCOPE_PF_SWAP;

			ASSERT_LT(page, NR_PAGES);
			EXPECT_EQ(!!(pm & PM_SWAP), swap) TH_LOG("page %zu", page);
			EXPECT_EQ(!!(pm & PM_PRESENT),
				  !!(run->flags & PTSCOPE_PF_PRESENT)) TH_LOG("page %zu", page);
			if (!swap)
				continue;
			swapped++;
			/* PFN runs split at every discontinuity: always located */
			ASSERT_TRUE(run->has_swap);
			EXPECT_EQ(PM_SWAP_TYPE(pm), run->swap_type) TH_LOG("page %zu", page);
			EXPECT_EQ(PM_SWAP_OFFSET(pm), run->swap_offset + i)
				TH_LOG("page %zu", page);
		}
	}
	EXPECT_EQ(NR_PAGES, page);
	EXPECT_EQ(self->nr_swapped, swapped);
	run_list_free(&rl);
}

/* The VMA's counts: swapped pages are neither present nor counted twice. */
TEST_F(swap, vma_counts)
{
	struct vma_list vl = {};
	const struct ptscope_vma *v;

	ASSERT_EQ(0, collect_vmas(self->c, getpid(), self->start,
				  self->start + PAGE_SZ, 0, &vl));
	v = vma_find(&vl, self->start);
	ASSERT_NE(NULL, v);
	EXPECT_EQ(self->start + NR_PAGES * PAGE_SZ, v->end);
	EXPECT_EQ(self->nr_swapped, v->nr_swap);
	EXPECT_EQ(NR_PAGES - self->nr_swapped, v->nr_present);
	vma_list_free(&vl);
}

/* translate of a swapped page stops at the PTE, with pagemap's location. */
TEST_F(swap, translate_swapped_page)
{
	struct ptscope_xlate x;
	int i;

	for (i = 0; i < NR_PAGES && !(self->pm[i] & PM_SWAP); i++)
		;
	ASSERT_LT(i, NR_PAGES);
	ASSERT_EQ(0, ptscope_translate(self->c, getpid(),
				       self->start + i * PAGE_SZ + 123, &x));
	EXPECT_EQ(PTSCOPE_LEVEL_PTE, x.stop_level);
	EXPECT_EQ(PTSCOPE_STOP_SWAP, x.stop_reason);
	EXPECT_TRUE(x.flags & PTSCOPE_PF_SWAP);
	EXPECT_FALSE(x.flags & PTSCOPE_PF_PRESENT);
	EXPECT_FALSE(x.has_phys);
	ASSERT_TRUE(x.has_swap);
	EXPECT_EQ(PM_SWAP_TYPE(self->pm[i]), x.swap_type);
	EXPECT_EQ(PM_SWAP_OFFSET(self->pm[i]), x.swap_offset);
}

/* Reading a swapped page brings it back: present, no longer a swap entry. */
TEST_F(swap, swap_in_makes_present)
{
	volatile unsigned char *p;
	struct run_list rl = {};
	uint64_t pm;
	int i;

	for (i = 0; i < NR_PAGES && !(self->pm[i] & PM_SWAP); i++)
		;
	ASSERT_LT(i, NR_PAGES);
	p = (volatile unsigned char *)(uintptr_t)(self->start + i * PAGE_SZ);
	ASSERT_EQ(i + 1, p[0]);		/* the data survived the round trip */

	ASSERT_EQ(0, pagemap_read(getpid(), (uint64_t)(uintptr_t)p, 1, &pm));
	EXPECT_TRUE(pm & PM_PRESENT);
	ASSERT_EQ(0, collect_runs(self->c, getpid(), (uint64_t)(uintptr_t)p,
				  (uint64_t)(uintptr_t)p + PAGE_SZ, 0, &rl));
	ASSERT_EQ(1, rl.n);
	EXPECT_TRUE(rl.r[0].flags & PTSCOPE_PF_PRESENT);
	EXPECT_FALSE(rl.r[0].flags & PTSCOPE_PF_SWAP);
	run_list_free(&rl);
}

TEST_HARNESS_MAIN
