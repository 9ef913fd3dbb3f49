// SPDX-License-Identifier: GPL-2.0
/*
 * Walks racing with a target that rewrites its page tables as fast as it
 * can: two threads mmap and munmap regions, fault in THPs, split them
 * (partial mprotect and munmap), collapse them again (MADV_COLLAPSE, which
 * since 6.5 frees PTE tables under RCU; khugepaged is set to scan without
 * pause meanwhile), zap them (MADV_DONTNEED, MADV_FREE), push them to swap
 * (MADV_PAGEOUT, when the VM has zram), move and grow them (mremap), and
 * fork children that exit at once.  Another storm walks targets that exit
 * while they are being walked.  Samples of accessed bits (sample-access),
 * which clear the bits under the page-table locks and flush the target's
 * TLB entries, race with the same storm, with a get-pages walker and with
 * a second sampler.
 *
 * Every walk must succeed or fail only with the documented transient
 * errno (EAGAIN), and what it returns must be well formed: runs in address
 * order, non-overlapping, each inside one VMA of the same walk's view, with
 * flags that make sense together.  The VM harness fails the run on any
 * kernel splat, so a use-after-free or a bad page-table read shows there.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

#ifndef MADV_FREE
#define MADV_FREE	8
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

#define ROUNDS		1000
#define EXIT_ROUNDS	50	/* building a victim is slow under TCG */
#define REGION		(8UL << 20)

static void churn(unsigned int seed)
{
	for (;;) {
		unsigned char *raw = mmap(NULL, REGION + WL_PMD, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned char *p;
		unsigned long off;

		if (raw == MAP_FAILED)
			continue;
		p = (unsigned char *)(((uintptr_t)raw + WL_PMD - 1) & ~(WL_PMD - 1));
		madvise(p, REGION, MADV_HUGEPAGE);
		for (off = 0; off < REGION; off += PAGE_SZ)
			p[off] = (unsigned char)seed;
		seed = seed * 1103515245 + 12345;
		/* split a PMD, collapse it back, zap a range, punch a hole */
		mprotect(p + (seed % 4) * WL_PMD + PAGE_SZ, PAGE_SZ, PROT_READ);
		madvise(p, 2 * WL_PMD, MADV_COLLAPSE);
		madvise(p + WL_PMD, WL_PMD / 2, MADV_DONTNEED);
		madvise(p + 2 * WL_PMD, WL_PMD / 4, MADV_FREE);
		madvise(p + 2 * WL_PMD + WL_PMD / 2, WL_PMD / 4, MADV_PAGEOUT);
		munmap(p + 3 * WL_PMD + 5 * PAGE_SZ, 3 * PAGE_SZ);
		for (off = 0; off < REGION; off += 7 * PAGE_SZ)
			(void)*(volatile unsigned char *)(p + off);
		/* a child copies the page tables and exits at once */
		if (seed % 8 == 0) {
			pid_t child = fork();

			if (child == 0)
				_exit(0);
			if (child > 0)
				waitpid(child, NULL, 0);
		}
		/*
		 * Move a PMD of our own region (it cannot grow in place: the
		 * next one is ours too): its tables move with the pages.
		 * Last, as the pages are gone from p afterwards.
		 */
		{
			unsigned char *q = mremap(p + 2 * WL_PMD, WL_PMD,
						  2 * WL_PMD, MREMAP_MAYMOVE);

			if (q != MAP_FAILED)
				munmap(q, 2 * WL_PMD);
		}
		munmap(raw, REGION + WL_PMD);
	}
}

static void *churn_thread(void *arg)
{
	churn((unsigned int)(uintptr_t)arg);
	return NULL;
}

FIXTURE(race) {
	struct ptscope_client *c;
	pid_t target;
	char scan_sleep[32], alloc_sleep[32];
};

#define KHUGEPAGED	"/sys/kernel/mm/transparent_hugepage/khugepaged/"

/* Swap a sysfs value, keeping the old one (empty if there is none). */
static void sysfs_swap(const char *path, const char *val, char *old, size_t len)
{
	FILE *f = fopen(path, "r");

	old[0] = '\0';
	if (f) {
		if (!fgets(old, (int)len, f))
			old[0] = '\0';
		fclose(f);
	}
	f = fopen(path, "w");
	if (f) {
		fputs(val, f);
		fclose(f);
	}
}

FIXTURE_SETUP(race)
{
	int err;

	self->target = -1;
	/* khugepaged collapses whatever it can, without pause */
	sysfs_swap(KHUGEPAGED "scan_sleep_millisecs", "0", self->scan_sleep,
		   sizeof(self->scan_sleep));
	sysfs_swap(KHUGEPAGED "alloc_sleep_millisecs", "0", self->alloc_sleep,
		   sizeof(self->alloc_sleep));
	err = ptscope_open(&self->c);
	if (err == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, err);

	self->target = fork();
	ASSERT_LE(0, self->target);
	if (!self->target) {
		pthread_t t;

		pthread_create(&t, NULL, churn_thread, (void *)1);
		churn(2);
		_exit(0);
	}
	usleep(100000);	/* let it build some state */
}

FIXTURE_TEARDOWN(race)
{
	char unused[32];

	kill_wait(self->target);
	ptscope_close(self->c);
	if (self->scan_sleep[0])
		sysfs_swap(KHUGEPAGED "scan_sleep_millisecs", self->scan_sleep,
			   unused, sizeof(unused));
	if (self->alloc_sleep[0])
		sysfs_swap(KHUGEPAGED "alloc_sleep_millisecs", self->alloc_sleep,
			   unused, sizeof(unused));
}

/* Runs well formed: ordered, disjoint, page aligned, sane flags. */
static int check_runs(const struct run_list *rl, const char **why)
{
	uint64_t prev_end = 0;

	for (size_t i = 0; i < rl->n; i++) {
		const struct ptscope_run *r = &rl->r[i];
		uint32_t f = r->flags;

		if (!r->nr_pages || r->start % PAGE_SZ)
			return *why = "empty or unaligned run", -1;
		if (r->start < prev_end)
			return *why = "runs out of order or overlapping", -1;
		prev_end = r->start + r->nr_pages * PAGE_SZ;
		if ((f & PTSCOPE_PF_PRESENT) &&
		    (f & (PTSCOPE_PF_SWAP | PTSCOPE_PF_MIGRATION | PTSCOPE_PF_MARKER)))
			return *why = "present and a swap-type entry at once", -1;
		if ((f & PTSCOPE_PF_HUGE_PMD) && (f & PTSCOPE_PF_HUGE_PUD))
			return *why = "PMD and PUD leaf at once", -1;
		if (!(f & PTSCOPE_PF_PRESENT) &&
		    (f & (PTSCOPE_PF_WRITE | PTSCOPE_PF_ACCESSED | PTSCOPE_PF_DIRTY)))
			return *why = "hardware bits on a non-present entry", -1;
	}
	return 0;
}

TEST_F_TIMEOUT(race, walks_during_churn, 600)
{
	unsigned int ok_pages = 0, ok_vmas = 0, ok_xlate = 0, eagain = 0;

	for (int round = 0; round < ROUNDS; round++) {
		struct run_list rl = {};
		struct vma_list vl = {};
		struct ptscope_xlate x;
		const char *why = NULL;
		int err;

		err = collect_runs(self->c, self->target, 0, 0,
				   round & 1 ? PTSCOPE_PAGES_F_PFN_RUNS : 0, &rl);
		if (err == -EAGAIN) {
			eagain++;
		} else {
			ASSERT_EQ(0, err) TH_LOG("get-pages round %d: %s", round,
						 ptscope_errmsg(self->c));
			ASSERT_EQ(0, check_runs(&rl, &why)) TH_LOG("round %d: %s", round, why);
			ok_pages++;
		}

		err = collect_vmas(self->c, self->target, 0, 0, 0, &vl);
		if (err == -EAGAIN) {
			eagain++;
		} else {
			ASSERT_EQ(0, err) TH_LOG("get-vmas round %d: %s", round,
						 ptscope_errmsg(self->c));
			for (size_t i = 0; i < vl.n; i++) {
				const struct ptscope_vma *v = &vl.v[i];
				uint64_t pages = (v->end - v->start) / PAGE_SZ;

				ASSERT_LE(v->nr_present + v->nr_swap + v->nr_migration, pages);
				ASSERT_LE(v->nr_huge_pmd, v->nr_present);
				ASSERT_LE(v->nr_dirty, v->nr_present);
			}
			ok_vmas++;
		}

		/* translate inside whatever VMA the last view showed */
		if (vl.n) {
			const struct ptscope_vma *v = &vl.v[round % vl.n];

			err = ptscope_translate(self->c, self->target,
						v->start + ((v->end - v->start) / 2 & ~(PAGE_SZ - 1)),
						&x);
			if (err == -EAGAIN)
				eagain++;
			else {
				ASSERT_EQ(0, err) TH_LOG("translate round %d: %s", round,
							 ptscope_errmsg(self->c));
				ASSERT_LE(x.stop_level, PTSCOPE_LEVEL_PTE);
				ok_xlate++;
			}
		}
		run_list_free(&rl);
		vma_list_free(&vl);
	}
	TH_LOG("%u get-pages, %u get-vmas, %u translate walks; %u EAGAIN",
	       ok_pages, ok_vmas, ok_xlate, eagain);
	EXPECT_GT(ok_pages, ROUNDS / 2);
	EXPECT_GT(ok_vmas, ROUNDS / 2);
}

/* Two walkers on one churning target at once. */
/* What one sample-access brought, checked as it comes. */
struct access_check {
	uint64_t prev_end, present, accessed;
	const char *why;
};

static int check_access_block(const struct ptscope_access_block *b, void *arg)
{
	struct access_check *a = arg;

	if (!b->nr_pages || b->start % PAGE_SZ)
		return a->why = "empty or unaligned block", -EPROTO;
	if (b->start < a->prev_end)
		return a->why = "blocks out of order or overlapping", -EPROTO;
	a->prev_end = b->start + b->nr_pages * PAGE_SZ;
	for (uint64_t i = 0; i < b->nr_pages; i++) {
		unsigned int st = ptscope_access_state(b, i);

		if ((st & PTSCOPE_ACCESS_ACCESSED) && !(st & PTSCOPE_ACCESS_PRESENT))
			return a->why = "accessed but not present", -EPROTO;
		a->present += !!(st & PTSCOPE_ACCESS_PRESENT);
		a->accessed += !!(st & PTSCOPE_ACCESS_ACCESSED);
	}
	return 0;
}

/* One sample of the whole target, checked: 0, EAGAIN, or -EPROTO (why). */
static int sample_checked(struct ptscope_client *c, pid_t pid, uint32_t flags,
			  const char **why)
{
	struct ptscope_access_stats st;
	struct access_check a = {};
	int err = ptscope_sample_access(c, pid, 0, 0, flags, check_access_block,
					&a, &st);

	*why = a.why;
	if (err)
		return err;
	if (!flags && (a.present != st.present || a.accessed != st.accessed))
		*why = "access-stats differ from the blocks";
	else if (st.accessed > st.present)
		*why = "more pages accessed than present";
	else if (st.cleared && !st.flushes)
		*why = "bits cleared but no TLB flush";
	return *why ? -EPROTO : 0;
}

/*
 * A second process walking @target ROUNDS / 3 times at once with this
 * one: get-pages, or with @sample sample-access.  It exits 0 when every
 * walk succeeded or met EAGAIN, well formed.
 */
static pid_t walker_fork(pid_t target, bool sample)
{
	pid_t pid = fork();
	struct ptscope_client *c;
	int bad = 0;

	if (pid)
		return pid;
	if (ptscope_open(&c))
		_exit(2);
	for (int i = 0; i < ROUNDS / 3; i++) {
		struct run_list rl = {};
		const char *why = NULL;
		int err;

		if (sample) {
			err = sample_checked(c, target, 0, &why);
		} else {
			err = collect_runs(c, target, 0, 0, 0, &rl);
			if (!err && check_runs(&rl, &why))
				err = -EPROTO;
			run_list_free(&rl);
		}
		if (err && err != -EAGAIN && !bad++)
			printf("# other walker: %d %s %s\n", err, why ? why : "",
			       ptscope_errmsg(c));
	}
	ptscope_close(c);
	_exit(bad ? 1 : 0);
}

/* The walker's exit status (-1: killed). */
static int walker_wait(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F_TIMEOUT(race, two_walkers, 600)
{
	pid_t other = walker_fork(self->target, false);

	ASSERT_LE(0, other);
	for (int i = 0; i < ROUNDS / 3; i++) {
		struct vma_list vl = {};
		int err = collect_vmas(self->c, self->target, 0, 0, 0, &vl);

		ASSERT_TRUE(!err || err == -EAGAIN) TH_LOG("%s", ptscope_errmsg(self->c));
		vma_list_free(&vl);
	}
	EXPECT_EQ(0, walker_wait(other));
}

/*
 * Two samplers clearing the churning target's bits at once, and a get-vmas
 * walker: each sample succeeds or fails with EAGAIN, well formed, its
 * access-stats those of its blocks, a flush for any bit it cleared.
 */
TEST_F_TIMEOUT(race, two_samplers, 600)
{
	pid_t other = walker_fork(self->target, true);

	ASSERT_LE(0, other);
	for (int i = 0; i < ROUNDS / 3; i++) {
		struct vma_list vl = {};
		const char *why;
		int err = sample_checked(self->c, self->target,
					 i % 5 ? 0 : PTSCOPE_ACCESS_F_DISCARD, &why);

		ASSERT_TRUE(!err || err == -EAGAIN)
			TH_LOG("%d %s %s", err, why ? why : "", ptscope_errmsg(self->c));
		err = collect_vmas(self->c, self->target, 0, 0, 0, &vl);
		ASSERT_TRUE(!err || err == -EAGAIN) TH_LOG("%s", ptscope_errmsg(self->c));
		vma_list_free(&vl);
	}
	EXPECT_EQ(0, walker_wait(other));
}

/*
 * Samples of the churning target while a second process walks it with
 * get-pages: every sample succeeds or fails with EAGAIN, its blocks are
 * well formed, and its access-stats agree with the blocks it sent.
 */
TEST_F_TIMEOUT(race, samples_during_churn, 600)
{
	unsigned int ok = 0, eagain = 0;
	pid_t walker = walker_fork(self->target, false);

	ASSERT_LE(0, walker);
	for (int round = 0; round < ROUNDS / 2; round++) {
		struct ptscope_access_stats st;
		struct access_check a = {};
		uint32_t flags = round % 4 ? 0 : PTSCOPE_ACCESS_F_DISCARD;
		int err = ptscope_sample_access(self->c, self->target, 0, 0, flags,
						check_access_block, &a, &st);

		if (err == -EAGAIN) {
			eagain++;
			continue;
		}
		ASSERT_EQ(0, err) TH_LOG("round %d: %s", round,
					 a.why ?: ptscope_errmsg(self->c));
		ASSERT_LE(st.accessed, st.present);
		if (!flags) {
			ASSERT_EQ(a.present, st.present);
			ASSERT_EQ(a.accessed, st.accessed);
		}
		if (st.cleared)
			ASSERT_LE(1, st.flushes);
		ok++;
	}
	EXPECT_EQ(0, walker_wait(walker));
	TH_LOG("%u samples, %u EAGAIN", ok, eagain);
	EXPECT_GT(ok, ROUNDS / 4);
}

/* A target with thousands of VMAs: its dump spans many messages. */
static pid_t spawn_many_vmas(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		size_t n = 2048;
		char *p = mmap(NULL, n * PAGE_SZ, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (p != MAP_FAILED)
			for (size_t i = 0; i < n; i += 2) {
				p[i * PAGE_SZ] = 1;
				mprotect(p + i * PAGE_SZ, PAGE_SZ, PROT_READ);
			}
		kill(getpid(), SIGSTOP);	/* ready */
		for (;;)
			pause();
	}
	return pid;
}

/*
 * Targets that exit while being walked: each round builds a target with
 * thousands of VMAs and kills it at a varying point of a dump of it (a
 * get-pages walk, or a sample of its accessed bits every other round);
 * the dump must end either complete or with ESRCH, never anything else.
 */
TEST_F_TIMEOUT(race, targets_exiting_mid_walk, 600)
{
	unsigned int complete = 0, esrch = 0;

	for (int round = 0; round < EXIT_ROUNDS; round++) {
		struct run_list rl = {};
		pid_t victim = spawn_many_vmas(), killer;
		int err, st;

		ASSERT_LE(0, victim);
		ASSERT_EQ(victim, waitpid(victim, &st, WUNTRACED));	/* built */
		kill(victim, SIGCONT);
		killer = fork();
		ASSERT_LE(0, killer);
		if (!killer) {
			usleep((useconds_t)(round % 10) * 1000);
			kill(victim, SIGKILL);
			_exit(0);
		}
		if (round % 2) {
			struct access_check a = {};

			err = ptscope_sample_access(self->c, victim, 0, 0, 0,
						    check_access_block, &a, NULL);
		} else {
			err = collect_runs(self->c, victim, 0, 0, 0, &rl);
		}
		if (err == -ESRCH)
			esrch++;
		else if (!err)
			complete++;
		else
			ASSERT_EQ(0, err) TH_LOG("round %d: %s", round,
						 ptscope_errmsg(self->c));
		waitpid(killer, NULL, 0);
		waitpid(victim, NULL, 0);
		run_list_free(&rl);
	}
	TH_LOG("%u dumps complete, %u ended with ESRCH", complete, esrch);
	EXPECT_EQ(EXIT_ROUNDS, complete + esrch);
}

TEST_HARNESS_MAIN
