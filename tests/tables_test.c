// SPDX-License-Identifier: GPL-2.0
/*
 * PTSCOPE_CMD_GET_TABLES: the page tables themselves.
 *
 *  - The kernel accounts page-table memory in /proc/PID/status VmPTE:
 *    PUD, PMD and PTE tables, plus one PTE table deposited for every
 *    anonymous PMD-mapped THP (pgtable_trans_huge_deposit()); P4D and PGD
 *    tables are not in it.  So for every process, exactly:
 *      VmPTE = 4 KiB * (PUD + PMD + PTE tables + anonymous PMD leaves).
 *    Checked for the workload (which has a THP), PID 1 and this test.
 *  - In a 1 GiB-aligned window where the test touches known pages, the
 *    PMD and PTE tables, their entries and leaves are exact, and the tree
 *    lists each table before the tables below it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"

#define GIB		(1UL << 30)
#define NR_CHUNKS	8

static long vm_pte_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPTE: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* PMD leaves of anonymous VMAs: each has a deposited PTE table. */
static int anon_pmd_leaves(struct ptscope_client *c, pid_t pid, uint64_t *n)
{
	struct vma_list vl = {};
	int err = collect_vmas(c, pid, 0, 0, 0, &vl);

	*n = 0;
	for (size_t i = 0; !err && i < vl.n; i++)
		if (vl.v[i].kind != PTSCOPE_VMA_KIND_FILE &&
		    vl.v[i].kind != PTSCOPE_VMA_KIND_SHMEM)
			*n += vl.v[i].nr_huge_pmd / 512;
	vma_list_free(&vl);
	return err;
}

static uint64_t accounted_tables(const struct ptscope_tables *t)
{
	uint64_t n = 0;

	for (int i = 0; i < t->nr_levels; i++)
		if (t->levels[i].level >= PTSCOPE_LEVEL_PUD)
			n += t->levels[i].tables;
	return n;
}

/* The VmPTE identity, retried while the process changes under us. */
static void check_vmpte(struct __test_metadata *_metadata,
			struct ptscope_client *c, pid_t pid)
{
	for (int tries = 0; tries < 5; tries++) {
		struct ptscope_tables t;
		uint64_t thp;
		long before = vm_pte_kb(pid), after;

		ASSERT_LE(0, before);
		ASSERT_EQ(0, ptscope_get_tables(c, pid, 0, 0, -1, NULL, NULL, &t))
			TH_LOG("%s", ptscope_errmsg(c));
		ASSERT_EQ(0, anon_pmd_leaves(c, pid, &thp));
		after = vm_pte_kb(pid);
		if (before != after)
			continue;
		ASSERT_EQ(5, t.nr_levels);
		EXPECT_EQ((uint64_t)after, 4 * (accounted_tables(&t) + thp))
			TH_LOG("pid %d: %llu PUD+PMD+PTE tables, %llu THP deposits",
			       (int)pid, (unsigned long long)accounted_tables(&t),
			       (unsigned long long)thp);
		for (int i = 0; i < t.nr_levels; i++) {
			EXPECT_EQ((uint32_t)i, t.levels[i].level);
			EXPECT_EQ(t.levels[i].tables * PAGE_SZ, t.levels[i].bytes);
			EXPECT_LE(t.levels[i].leaves, t.levels[i].entries);
			EXPECT_LE(t.levels[i].entries, t.levels[i].tables * 512);
		}
		return;
	}
	ASSERT_TRUE(false) TH_LOG("pid %d kept changing its page tables", (int)pid);
}

FIXTURE(tables) {
	struct wl_env env;
	unsigned char *raw;
	uint64_t base;
};

FIXTURE_SETUP(tables)
{
	int err = wl_env_init(&self->env);

	self->raw = MAP_FAILED;
	if (err == -ENOENT) {
		wl_env_fini(&self->env);
		SKIP(return, "ptscope module not loaded");
	}
	ASSERT_EQ(0, err);

	/* A 1 GiB-aligned window: its PMD table maps nothing else. */
	self->raw = mmap(NULL, 2 * GIB, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, self->raw);
	self->base = ((uint64_t)(uintptr_t)self->raw + GIB - 1) & ~(GIB - 1);
	ASSERT_EQ(0, mprotect((void *)(uintptr_t)self->base, GIB,
			      PROT_READ | PROT_WRITE));
	ASSERT_EQ(0, madvise((void *)(uintptr_t)self->base, GIB, MADV_NOHUGEPAGE));
	/* chunk 0: pages 0, 1, 2; chunks 1..7: page 0 */
	for (int k = 0; k < NR_CHUNKS; k++)
		for (int p = 0; p < (k ? 1 : 3); p++)
			*(volatile char *)(uintptr_t)(self->base + k * WL_PMD +
						      p * PAGE_SZ) = 1;
}

FIXTURE_TEARDOWN(tables)
{
	if (self->raw != MAP_FAILED)
		munmap(self->raw, 2 * GIB);
	wl_env_fini(&self->env);
}

TEST_F(tables, vmpte_workload)
{
	check_vmpte(_metadata, self->env.c, self->env.w.pid);
}

TEST_F(tables, vmpte_pid1)
{
	check_vmpte(_metadata, self->env.c, 1);
}

TEST_F(tables, vmpte_self)
{
	check_vmpte(_metadata, self->env.c, getpid());
}

static int collect(const struct ptscope_table *t, void *arg)
{
	struct { struct ptscope_table v[64]; int n; } *l = arg;

	if (l->n == 64)
		return -ENOSPC;
	l->v[l->n++] = *t;
	return 0;
}

/* The window's tables, exactly. */
TEST_F(tables, window_exact)
{
	struct { struct ptscope_table v[64]; int n; } l = { .n = 0 };
	struct ptscope_tables t;
	int levels = self->env.info.pgtable_levels;

	ASSERT_EQ(0, ptscope_get_tables(self->env.c, getpid(), self->base,
					 self->base + GIB, PTSCOPE_LEVEL_PTE,
					 collect, &l, &t))
		TH_LOG("%s", ptscope_errmsg(self->env.c));
	ASSERT_EQ(5, t.nr_levels);
	EXPECT_EQ(levels == 4, t.levels[PTSCOPE_LEVEL_P4D].folded);
	EXPECT_EQ(levels == 4 ? 0 : 1, t.levels[PTSCOPE_LEVEL_P4D].tables);
	EXPECT_EQ(1, t.levels[PTSCOPE_LEVEL_PGD].tables);
	EXPECT_EQ(1, t.levels[PTSCOPE_LEVEL_PUD].tables);
	/* one PMD table maps exactly the window: 8 PTE tables below it */
	EXPECT_EQ(1, t.levels[PTSCOPE_LEVEL_PMD].tables);
	EXPECT_EQ(NR_CHUNKS, t.levels[PTSCOPE_LEVEL_PMD].entries);
	EXPECT_EQ(0, t.levels[PTSCOPE_LEVEL_PMD].leaves);
	EXPECT_EQ(NR_CHUNKS, t.levels[PTSCOPE_LEVEL_PTE].tables);
	EXPECT_EQ(NR_CHUNKS + 2, t.levels[PTSCOPE_LEVEL_PTE].entries);
	EXPECT_EQ(NR_CHUNKS + 2, t.levels[PTSCOPE_LEVEL_PTE].leaves);

	/* the tree: PGD, (P4D), PUD, PMD at the base, then the 8 PTE tables */
	ASSERT_EQ((levels == 5) + 3 + NR_CHUNKS, l.n);
	for (int i = 0, pte = 0; i < l.n; i++) {
		const struct ptscope_table *e = &l.v[i];

		if (i > 0)
			EXPECT_LE(l.v[i - 1].level, e->level) TH_LOG("table %d", i);
		if (e->level == PTSCOPE_LEVEL_PMD) {
			EXPECT_EQ(self->base, e->addr);
			EXPECT_EQ(NR_CHUNKS, e->entries);
		} else if (e->level == PTSCOPE_LEVEL_PTE) {
			EXPECT_EQ(self->base + pte * WL_PMD, e->addr);
			EXPECT_EQ(pte ? 1u : 3u, e->entries);
			EXPECT_EQ(e->entries, e->leaves);
			pte++;
		}
	}
}

/* Fewer tables listed with a shallower depth; same totals. */
TEST_F(tables, depth_limits_the_list)
{
	struct { struct ptscope_table v[64]; int n; } l = { .n = 0 };
	struct ptscope_tables t;

	ASSERT_EQ(0, ptscope_get_tables(self->env.c, getpid(), self->base,
					 self->base + GIB, PTSCOPE_LEVEL_PMD,
					 collect, &l, &t));
	for (int i = 0; i < l.n; i++)
		EXPECT_LE(l.v[i].level, PTSCOPE_LEVEL_PMD);
	EXPECT_EQ(NR_CHUNKS, t.levels[PTSCOPE_LEVEL_PTE].tables);
}

/* The policy rejects a depth below the PTE level: ERANGE, with a message. */
TEST_F(tables, bad_depth)
{
	struct ptscope_tables t;
	struct { struct ptscope_table v[64]; int n; } l = { .n = 0 };
	int err = ptscope_get_tables(self->env.c, getpid(), 0, 0,
				     PTSCOPE_LEVEL_PTE + 1, collect, &l, &t);

	EXPECT_EQ(-ERANGE, err);
	EXPECT_STRNE("", ptscope_errmsg(self->env.c));
}

TEST_HARNESS_MAIN
