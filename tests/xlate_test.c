// SPDX-License-Identifier: GPL-2.0
/*
 * PTSCOPE_CMD_TRANSLATE on the workload: the levels walked (PGD, P4D folded
 * on 4-level paging, PUD, PMD, PTE), their indices derived from the address,
 * the leaf, and the physical address cross-checked with /proc/PID/pagemap.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "common.h"

#ifdef __aarch64__
/* Output address bits 12..49 (with LPA2, 50..51 sit in bits 8..9: no VM here has them) */
#define ENTRY_PFN_4K	0x0003fffffffff000ULL
#define ENTRY_PFN_2M	0x0003ffffffe00000ULL
#define TABLE_XN	PTSCOPE_PF_PXN
#define USER_PXN	PTSCOPE_PF_PXN	/* every user leaf (pgtable-prot.h) */
#else
#define TABLE_XN	0
#define USER_PXN	0
#define ENTRY_PFN_4K	0x000ffffffffff000ULL	/* bits 12..51 */
#define ENTRY_PFN_2M	0x000fffffffe00000ULL	/* bits 21..51 (12 is PAT) */
#endif

FIXTURE(xlate) {
	struct wl_env env;
	int levels;
};

FIXTURE_SETUP(xlate)
{
	int err = wl_env_init(&self->env);

	if (err == -ENOENT) {
		wl_env_fini(&self->env);
		SKIP(return, "ptscope module not loaded");
	}
	ASSERT_EQ(0, err);
	self->levels = self->env.info.pgtable_levels;
	ASSERT_TRUE(self->levels == 4 || self->levels == 5);
}

FIXTURE_TEARDOWN(xlate)
{
	wl_env_fini(&self->env);
}

static uint32_t level_index(int levels, uint32_t level, uint64_t addr)
{
	switch (level) {
	case PTSCOPE_LEVEL_PGD:
		return (addr >> (levels == 5 ? 48 : 39)) & 511;
	case PTSCOPE_LEVEL_P4D:
		return levels == 5 ? (addr >> 39) & 511 : 0;
	case PTSCOPE_LEVEL_PUD:
		return (addr >> 30) & 511;
	case PTSCOPE_LEVEL_PMD:
		return (addr >> 21) & 511;
	default:
		return (addr >> 12) & 511;
	}
}

/* The walk down to (and including) leaf_level: levels in order, indices,
 * folding, table entries present+user+write, only the last one a leaf. */
static void check_path(struct __test_metadata *_metadata, int levels,
		       const struct ptscope_xlate *x, uint32_t last_level,
		       bool leaf)
{
	int non_folded = 0;

	ASSERT_EQ((int)last_level + 1, x->nr_levels);
	for (int i = 0; i < x->nr_levels; i++) {
		const struct ptscope_xlate_level *l = &x->levels[i];
		bool folded = l->level == PTSCOPE_LEVEL_P4D && levels == 4;

		EXPECT_EQ((uint32_t)i, l->level);
		EXPECT_EQ(level_index(levels, l->level, x->addr), l->index)
			TH_LOG("level %s", ptscope_level_name(l->level));
		EXPECT_EQ(folded, l->folded) TH_LOG("level %s", ptscope_level_name(l->level));
		non_folded += !l->folded;
		/* root sees raw entries of every real level */
		EXPECT_EQ(!folded, l->has_entry) TH_LOG("level %s", ptscope_level_name(l->level));
		if (i < x->nr_levels - 1) {
			EXPECT_FALSE(l->leaf);
			if (!folded) {
				uint32_t tbl = PTSCOPE_PF_PRESENT | PTSCOPE_PF_USER |
					       PTSCOPE_PF_WRITE;

				EXPECT_EQ(tbl, l->flags & tbl)
					TH_LOG("level %s flags 0x%x",
					       ptscope_level_name(l->level), l->flags);
				/*
				 * arm64 (asm/pgalloc.h): a user table entry has
				 * PXNTable, not UXNTable; x86 has neither flag.
				 */
				EXPECT_EQ(TABLE_XN, l->flags & (PTSCOPE_PF_NX |
						PTSCOPE_PF_PXN | PTSCOPE_PF_CONT))
					TH_LOG("level %s flags 0x%x",
					       ptscope_level_name(l->level), l->flags);
			}
		} else {
			EXPECT_EQ(leaf, l->leaf);
		}
	}
	/* 4 or 5 real levels for a 4K walk, one fewer for a PMD leaf */
	EXPECT_EQ(levels - (PTSCOPE_LEVEL_PTE - (int)last_level), non_folded);
	EXPECT_EQ(last_level, x->stop_level);
}

/* A written 4K anon page: a PTE leaf; phys = pagemap PFN * 4096 + offset. */
TEST_F(xlate, pte_leaf_written_page)
{
	uint64_t addr = wl_addr(&self->env.w, WL_R_ANON, 9) + 0x123, pm;
	struct ptscope_xlate x;

	ASSERT_EQ(0, ptscope_translate(self->env.c, self->env.w.pid, addr, &x));
	EXPECT_EQ(addr, x.addr);
	check_path(_metadata, self->levels, &x, PTSCOPE_LEVEL_PTE, true);
	EXPECT_EQ(PTSCOPE_STOP_MAPPED, x.stop_reason);
	EXPECT_EQ(PAGE_SZ, x.page_size);
	EXPECT_EQ(wl_expected_flags(WL_R_ANON, 9, &self->env.e), x.flags);
	EXPECT_EQ(x.flags, x.levels[x.nr_levels - 1].flags);
	ASSERT_TRUE(x.has_vma);
	EXPECT_EQ(self->env.w.start[WL_R_ANON], x.vma_start);
	EXPECT_EQ(self->env.w.end[WL_R_ANON], x.vma_end);
	ASSERT_EQ(0, pagemap_read(self->env.w.pid, addr & ~(PAGE_SZ - 1), 1, &pm));
	ASSERT_TRUE(pm & PM_PRESENT);
	ASSERT_TRUE(x.has_phys);
	EXPECT_EQ((pm & PM_PFN_MASK) * PAGE_SZ + 0x123, x.phys_addr);
	EXPECT_EQ((pm & PM_PFN_MASK) << 12,
		  x.levels[x.nr_levels - 1].entry & ENTRY_PFN_4K);
	EXPECT_FALSE(x.has_swap);
}

/* Read-faulted anon pages map the one zero page: special, read-only. */
TEST_F(xlate, zero_page)
{
	uint64_t pm[8];
	struct ptscope_xlate x;

	ASSERT_EQ(0, pagemap_read(self->env.w.pid,
				  wl_addr(&self->env.w, WL_R_ANON, 0), 8, pm));
	for (int i = 0; i < 8; i++) {
		uint64_t addr = wl_addr(&self->env.w, WL_R_ANON, i);

		ASSERT_EQ(0, ptscope_translate(self->env.c, self->env.w.pid,
					       addr, &x));
		check_path(_metadata, self->levels, &x, PTSCOPE_LEVEL_PTE, true);
		EXPECT_EQ(PTSCOPE_STOP_MAPPED, x.stop_reason);
		EXPECT_EQ(wl_expected_flags(WL_R_ANON, i, &self->env.e), x.flags);
		EXPECT_TRUE(x.flags & PTSCOPE_PF_SPECIAL);
		EXPECT_FALSE(x.flags & PTSCOPE_PF_WRITE);
		ASSERT_TRUE(x.has_phys);
		EXPECT_EQ((pm[i] & PM_PFN_MASK) * PAGE_SZ, x.phys_addr);
		/* the same frame for all of them */
		EXPECT_EQ(pm[0] & PM_PFN_MASK, pm[i] & PM_PFN_MASK);
	}
}

/* An untouched page next to mapped ones: the PTE table exists, the entry
 * is empty. */
TEST_F(xlate, untouched_page_stops_at_pte)
{
	uint64_t addr = wl_addr(&self->env.w, WL_R_ANON, 28);
	struct ptscope_xlate x;

	ASSERT_EQ(0, ptscope_translate(self->env.c, self->env.w.pid, addr, &x));
	/* the region is 64 pages inside one or two PTE tables; page 24..31
	 * share a table with written page 23 unless a 2 MiB line lies between */
	if ((addr >> 21) != (wl_addr(&self->env.w, WL_R_ANON, 23) >> 21))
		SKIP(return, "page 28 and page 23 are in different PTE tables");
	check_path(_metadata, self->levels, &x, PTSCOPE_LEVEL_PTE, false);
	EXPECT_EQ(PTSCOPE_STOP_NONE, x.stop_reason);
	EXPECT_EQ(0, x.flags);
	EXPECT_FALSE(x.has_phys);
	EXPECT_EQ(0, x.levels[x.nr_levels - 1].entry);
	ASSERT_TRUE(x.has_vma);
	EXPECT_EQ(self->env.w.start[WL_R_ANON], x.vma_start);
}

/* The THP region: a PMD leaf of 2 MiB; phys of page 7 + 0x10 matches
 * pagemap, which reports the subpage's PFN. */
TEST_F(xlate, pmd_leaf_thp)
{
	uint64_t addr = wl_addr(&self->env.w, WL_R_THP, 7) + 0x10, pm[2];
	struct ptscope_xlate x;

	if (!self->env.e.thp)
		SKIP(return, "no THP (mode %s)", self->env.w.thp_mode);
	ASSERT_EQ(0, ptscope_translate(self->env.c, self->env.w.pid, addr, &x));
	check_path(_metadata, self->levels, &x, PTSCOPE_LEVEL_PMD, true);
	EXPECT_EQ(PTSCOPE_STOP_MAPPED, x.stop_reason);
	EXPECT_EQ(WL_PMD, x.page_size);
	EXPECT_EQ(wl_expected_flags(WL_R_THP, 7, &self->env.e), x.flags);
	EXPECT_TRUE(x.flags & PTSCOPE_PF_HUGE_PMD);
	ASSERT_EQ(0, pagemap_read(self->env.w.pid, self->env.w.start[WL_R_THP], 1, &pm[0]));
	ASSERT_EQ(0, pagemap_read(self->env.w.pid, addr & ~(PAGE_SZ - 1), 1, &pm[1]));
	EXPECT_EQ((pm[0] & PM_PFN_MASK) + 7, pm[1] & PM_PFN_MASK);
	ASSERT_TRUE(x.has_phys);
	EXPECT_EQ((pm[1] & PM_PFN_MASK) * PAGE_SZ + 0x10, x.phys_addr);
	EXPECT_EQ((pm[0] & PM_PFN_MASK) << 12,
		  x.levels[x.nr_levels - 1].entry & ENTRY_PFN_2M);
	/* the head PFN is 2 MiB aligned */
	EXPECT_EQ(0, (pm[0] & PM_PFN_MASK) % 512);
}

/* A private file page: PTE leaf, read-only, not special. */
TEST_F(xlate, file_page)
{
	uint64_t addr = wl_addr(&self->env.w, WL_R_FILE, 2), pm;
	struct ptscope_xlate x;

	ASSERT_EQ(0, ptscope_translate(self->env.c, self->env.w.pid, addr, &x));
	check_path(_metadata, self->levels, &x, PTSCOPE_LEVEL_PTE, true);
	EXPECT_EQ(wl_expected_flags(WL_R_FILE, 2, &self->env.e), x.flags);
	ASSERT_EQ(0, pagemap_read(self->env.w.pid, addr, 1, &pm));
	EXPECT_TRUE(pm & PM_FILE);
	ASSERT_TRUE(x.has_phys);
	EXPECT_EQ((pm & PM_PFN_MASK) * PAGE_SZ, x.phys_addr);
}

/* PROT_NONE over a written page: still present (pte_present), protnone. */
TEST_F(xlate, protnone_page)
{
	uint64_t addr = wl_addr(&self->env.w, WL_R_PROTNONE, 1), pm;
	struct ptscope_xlate x;

	ASSERT_EQ(0, ptscope_translate(self->env.c, self->env.w.pid, addr, &x));
	check_path(_metadata, self->levels, &x, PTSCOPE_LEVEL_PTE, true);
	EXPECT_EQ(PTSCOPE_STOP_MAPPED, x.stop_reason);
	EXPECT_EQ(wl_expected_flags(WL_R_PROTNONE, 1, &self->env.e), x.flags);
	ASSERT_EQ(0, pagemap_read(self->env.w.pid, addr, 1, &pm));
	ASSERT_TRUE(pm & PM_PRESENT);
	EXPECT_EQ((pm & PM_PFN_MASK) * PAGE_SZ, x.phys_addr);
}

/* An address in no VMA at all (below mmap_min_addr): nothing is walked. */
TEST_F(xlate, no_vma)
{
	struct ptscope_xlate x;

	ASSERT_EQ(0, ptscope_translate(self->env.c, self->env.w.pid, 0x1000, &x));
	EXPECT_EQ(PTSCOPE_STOP_NO_VMA, x.stop_reason);
	EXPECT_FALSE(x.has_vma);
	EXPECT_FALSE(x.has_phys);
	EXPECT_EQ(0, x.flags);
}

/* Addresses at or beyond the end of the user address space: -ERANGE. */
TEST_F(xlate, beyond_user_va)
{
	struct ptscope_xlate x;

	EXPECT_EQ(-ERANGE, ptscope_translate(self->env.c, self->env.w.pid,
					     self->env.info.user_va_end, &x));
	EXPECT_STRNE("", ptscope_errmsg(self->env.c));
	EXPECT_EQ(-ERANGE, ptscope_translate(self->env.c, self->env.w.pid,
					     ~0ULL & ~(PAGE_SZ - 1), &x));
	EXPECT_STRNE("", ptscope_errmsg(self->env.c));
	/* the last user page is fine (no VMA there) */
	ASSERT_EQ(0, ptscope_translate(self->env.c, self->env.w.pid,
				       self->env.info.user_va_end - PAGE_SZ, &x));
}

/*
 * user_va_end matches the paging mode: on x86 2^47 or 2^56, less the guard
 * page x86 keeps below TASK_SIZE_MAX; on arm64 2^48 or, with LPA2's 5
 * levels, 2^52.
 */
TEST_F(xlate, user_va_end_matches_levels)
{
#ifdef __aarch64__
	uint64_t top = 1ULL << (self->levels == 5 ? 52 : 48);

	EXPECT_EQ(top, self->env.info.user_va_end);
#else
	uint64_t top = 1ULL << (self->levels == 5 ? 56 : 47);

	EXPECT_EQ(top - PAGE_SZ, self->env.info.user_va_end);
#endif
}

#define MTHP_64K	"/sys/kernel/mm/transparent_hugepage/hugepages-64kB/"
#define CONT_PAGES	16	/* 64K of 4K pages: one contiguous block */

/* The word in brackets of an mTHP "enabled" file, or "" */
static void mthp_mode(char *out, size_t len)
{
	char buf[128] = "", *a, *b;
	int fd = open(MTHP_64K "enabled", O_RDONLY);

	out[0] = '\0';
	if (fd < 0)
		return;
	if (read(fd, buf, sizeof(buf) - 1) > 0 && (a = strchr(buf, '[')) &&
	    (b = strchr(a, ']'))) {
		*b = '\0';
		snprintf(out, len, "%s", a + 1);
	}
	close(fd);
}

static int mthp_set(const char *mode)
{
	int fd = open(MTHP_64K "enabled", O_WRONLY), ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, mode, strlen(mode)) == (ssize_t)strlen(mode);
	close(fd);
	return ok ? 0 : -EIO;
}

static unsigned long long mthp_faults(void)
{
	char buf[32] = "";
	int fd = open(MTHP_64K "stats/anon_fault_alloc", O_RDONLY);

	if (fd < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return strtoull(buf, NULL, 10);
}

/* cont of each page of a 64K block of this process, and of the page after */
static void cont_of(struct __test_metadata *_metadata, struct ptscope_client *c,
		    const char *p, bool want)
{
	struct ptscope_xlate x;
	int i;

	for (i = 0; i <= CONT_PAGES; i++) {
		ASSERT_EQ(0, ptscope_translate(c, getpid(),
					       (uintptr_t)p + i * PAGE_SZ, &x));
		if (i == CONT_PAGES) {	/* never touched */
			EXPECT_EQ(PTSCOPE_STOP_NONE, x.stop_reason);
			EXPECT_EQ(0, x.flags);
			break;
		}
		EXPECT_EQ(PTSCOPE_STOP_MAPPED, x.stop_reason);
		EXPECT_EQ(want ? PTSCOPE_PF_CONT : 0, x.flags & PTSCOPE_PF_CONT)
			TH_LOG("page %d flags 0x%x", i, x.flags);
		EXPECT_EQ(USER_PXN, x.flags & PTSCOPE_PF_PXN)
			TH_LOG("page %d flags 0x%x", i, x.flags);
		EXPECT_EQ(want, !!(x.levels[x.nr_levels - 1].entry & (1ULL << 52)))
			TH_LOG("page %d entry 0x%llx", i,
			       (unsigned long long)x.levels[x.nr_levels - 1].entry);
	}
}

/*
 * arm64 CONTPTE (6.9+): with 64K mTHP on, one write fault maps a whole 64K
 * folio with 16 PTEs the kernel folds into one contiguous block (PTE_CONT,
 * bit 52): all 16 are cont, the next page is not mapped.  mprotect() of
 * one of them unfolds the block: none is cont any more.  The mTHP mode is
 * set for this test's own pages and restored.  x86: never cont or pxn.
 */
TEST_F(xlate, contiguous_ptes)
{
	char mode[32], *map, *p;
	unsigned long long faults;
	int err;

	map = mmap(NULL, 4 * CONT_PAGES * PAGE_SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	/* 64K aligned, with an untouched 64K after it, far from 2M */
	p = (char *)(((uintptr_t)map + CONT_PAGES * PAGE_SZ - 1) &
		     ~(uintptr_t)(CONT_PAGES * PAGE_SZ - 1));
#ifndef __aarch64__
	for (int i = 0; i < CONT_PAGES; i++)
		p[i * PAGE_SZ] = 1;
	cont_of(_metadata, self->env.c, p, false);
	munmap(map, 4 * CONT_PAGES * PAGE_SZ);
	return;
#endif
	mthp_mode(mode, sizeof(mode));
	if (!mode[0]) {
		munmap(map, 4 * CONT_PAGES * PAGE_SZ);
		SKIP(return, "no 64K mTHP (" MTHP_64K ")");
	}
	err = mthp_set("always");
	faults = mthp_faults();
	if (!err)
		p[0] = 1;
	if (strcmp(mode, "always"))
		mthp_set(mode);
	ASSERT_EQ(0, err);
	if (mthp_faults() == faults) {
		munmap(map, 4 * CONT_PAGES * PAGE_SZ);
		SKIP(return, "no 64K folio for the fault (mTHP stats unchanged)");
	}
	cont_of(_metadata, self->env.c, p, true);
	ASSERT_EQ(0, mprotect(p, PAGE_SZ, PROT_READ));
	cont_of(_metadata, self->env.c, p, false);
	munmap(map, 4 * CONT_PAGES * PAGE_SZ);
}

TEST_HARNESS_MAIN
