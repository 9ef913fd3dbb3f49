// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps that need many messages, and dumps that end early:
 *
 *  - "many": 10,000 one-page VMAs alternating rw / r-- (mprotect of every
 *    odd page of a 10,000 page mapping between two PROT_NONE guards); page
 *    i was written before the mprotect iff i % 3 == 0.
 *  - "sparse": a 64 TiB MAP_NORESERVE rw mapping (halved until mmap
 *    succeeds, at least 1 TiB), MADV_NOHUGEPAGE, with SPARSE_TOUCHED
 *    pages written, each in its own PMD.
 *  - the target exits in the middle of a dump: the dump fails with -ESRCH;
 *  - a dump abandoned by the caller; live_dumps returns to 0 after all;
 *  - the target maps a page between two messages of a 10,000-VMA dump:
 *    the dump says so with NLM_F_DUMP_INTR (raw netlink, so the flag is
 *    seen on the message that carries it).
 * The get-stats dump over many messages: stats_dump_test.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "kselftest_harness.h"
#include "common.h"
#include "fuzz_nl.h"

#define MANY		10000UL
#define SPARSE_TOUCHED	1500UL

struct target {
	pid_t pid;
	uint64_t start, end;	/* the mapping under test */
	uint64_t stride;	/* sparse: distance between touched pages */
};

/* arm64: every user page is PXN (asm/pgtable-prot.h) */
#ifdef __aarch64__
#define DUMP_PXN	PTSCOPE_PF_PXN
#else
#define DUMP_PXN	0
#endif

static uint32_t many_flags(unsigned long i, bool sd)
{
	uint32_t f = PTSCOPE_PF_PRESENT | PTSCOPE_PF_USER | PTSCOPE_PF_ACCESSED |
		     PTSCOPE_PF_NX | PTSCOPE_PF_DIRTY | DUMP_PXN |
		     (sd ? PTSCOPE_PF_SOFT_DIRTY : 0);

	if (i % 3)
		return 0;
	return i % 2 ? f : f | PTSCOPE_PF_WRITE;
}

static int build_many(void *arg)
{
	struct target *t = arg;
	char *g = mmap(NULL, (MANY + 2) * PAGE_SZ, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *p = g + PAGE_SZ;

	if (g == MAP_FAILED ||
	    mmap(p, MANY * PAGE_SZ, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p)
		return -1;
	madvise(p, MANY * PAGE_SZ, MADV_NOHUGEPAGE);
	for (unsigned long i = 0; i < MANY; i += 3)
		p[i * PAGE_SZ] = 1;
	for (unsigned long i = 1; i < MANY; i += 2)
		if (mprotect(p + i * PAGE_SZ, PAGE_SZ, PROT_READ))
			return -1;
	t->start = (uintptr_t)p;
	t->end = t->start + MANY * PAGE_SZ;
	return 0;
}

static int build_sparse(void *arg)
{
	struct target *t = arg;
	uint64_t size = 64ULL << 40;
	char *p = MAP_FAILED;

	for (; size >= (1ULL << 40); size >>= 1) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p != MAP_FAILED)
			break;
	}
	if (p == MAP_FAILED)
		return -1;
	if (madvise(p, size, MADV_NOHUGEPAGE))
		return -1;
	t->start = (uintptr_t)p;
	t->end = t->start + size;
	/* a page-aligned stride; the last touched page is the last page */
	t->stride = (size / SPARSE_TOUCHED) & ~(PAGE_SZ - 1);
	for (unsigned long k = 0; k < SPARSE_TOUCHED; k++)
		p[size - PAGE_SZ - k * t->stride] = 1;
	return 0;
}

/* The target runs build() and sleeps; what it built comes back in *t. */
static int target_start(struct target *t, int (*build)(void *))
{
	t->pid = spawn_target(build, t, sizeof(*t));
	return t->pid > 0 ? 0 : -EIO;
}

static void target_stop(struct target *t)
{
	kill_wait(t->pid);
	t->pid = -1;
}

FIXTURE(dump) {
	struct ptscope_client *c;
	struct ptscope_info info;
	struct target t;
	bool sd;
};

FIXTURE_VARIANT(dump) {
	int (*build)(void *);
};

FIXTURE_VARIANT_ADD(dump, many) { .build = build_many };
FIXTURE_VARIANT_ADD(dump, sparse) { .build = build_sparse };

FIXTURE_SETUP(dump)
{
	int err = ptscope_open(&self->c);

	self->t.pid = -1;
	if (err == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, ptscope_get_info(self->c, &self->info));
	self->sd = self->info.features & PTSCOPE_FEAT_SOFT_DIRTY;
	ASSERT_EQ(0, target_start(&self->t, variant->build));
}

FIXTURE_TEARDOWN(dump)
{
	target_stop(&self->t);
	if (self->c)
		ptscope_close(self->c);
}

static bool is_many(const FIXTURE_VARIANT(dump) *variant)
{
	return variant->build == build_many;
}

/* Expected flags of the page at addr. */
static uint32_t target_flags(const struct target *t, bool many, bool sd,
			     uint64_t addr)
{
	unsigned long i = (addr - t->start) / PAGE_SZ;
	uint64_t from_end = t->end - PAGE_SZ - addr;

	if (many)
		return many_flags(i, sd);
	if (from_end % t->stride == 0 && from_end / t->stride < SPARSE_TOUCHED)
		return many_flags(0, sd);	/* written, rw */
	return 0;
}

static int count_cb(const struct ptscope_vma *v, void *arg)
{
	(void)v;
	++*(unsigned long *)arg;
	return 0;
}

/* Per-VMA counts: exact for every VMA; totals exact across messages. */
TEST_F_TIMEOUT(dump, vma_counts, 300)
{
	struct vma_list vl = {};
	uint64_t present = 0, writable = 0, dirty = 0, pages = 0;
	unsigned long i = 0, bad = 0;

	ASSERT_EQ(0, collect_vmas(self->c, self->t.pid, self->t.start,
				  self->t.end, 0, &vl));
	ASSERT_EQ(is_many(variant) ? MANY : 1, vl.n);
	for (size_t k = 0; k < vl.n; k++) {
		const struct ptscope_vma *v = &vl.v[k];

		pages += (v->end - v->start) / PAGE_SZ;
		present += v->nr_present;
		writable += v->nr_writable;
		dirty += v->nr_dirty;
		if (is_many(variant)) {
			uint32_t f = many_flags(k, self->sd);
			bool ok = v->start == self->t.start + k * PAGE_SZ &&
				  v->end == v->start + PAGE_SZ &&
				  v->nr_present == !!(f & PTSCOPE_PF_PRESENT) &&
				  v->nr_writable == !!(f & PTSCOPE_PF_WRITE) &&
				  v->nr_dirty == !!(f & PTSCOPE_PF_DIRTY) &&
				  v->nr_accessed == !!(f & PTSCOPE_PF_ACCESSED) &&
				  v->nr_soft_dirty == !!(f & PTSCOPE_PF_SOFT_DIRTY) &&
				  (!(v->flags & PTSCOPE_VMA_F_WRITE)) == (k % 2 == 1);

			if (!ok && bad++ < 8)
				TH_LOG("VMA %zu 0x%llx-0x%llx: present %llu writable %llu dirty %llu accessed %llu soft_dirty %llu, want flags 0x%x",
				       k, (unsigned long long)v->start,
				       (unsigned long long)v->end,
				       (unsigned long long)v->nr_present,
				       (unsigned long long)v->nr_writable,
				       (unsigned long long)v->nr_dirty,
				       (unsigned long long)v->nr_accessed,
				       (unsigned long long)v->nr_soft_dirty, f);
		} else {
			EXPECT_EQ(self->t.start, v->start);
			EXPECT_EQ(self->t.end, v->end);
			EXPECT_EQ(SPARSE_TOUCHED, v->nr_accessed);
			EXPECT_EQ(self->sd ? SPARSE_TOUCHED : 0, v->nr_soft_dirty);
			EXPECT_EQ(0, v->nr_huge_pmd);
		}
	}
	EXPECT_EQ(0, bad) TH_LOG("%lu VMAs with wrong counts", bad);
	for (unsigned long p = 0; p < MANY; p += 3)
		i++;
	EXPECT_EQ((self->t.end - self->t.start) / PAGE_SZ, pages);
	EXPECT_EQ(is_many(variant) ? i : SPARSE_TOUCHED, present);
	EXPECT_EQ(is_many(variant) ? (MANY + 5) / 6 : SPARSE_TOUCHED, writable);
	EXPECT_EQ(present, dirty);
	vma_list_free(&vl);
}

/* Runs: every page's flags exact, the page total exact, no run crossing a
 * VMA boundary (many: every VMA is one page, so every run is one page). */
TEST_F_TIMEOUT(dump, page_runs, 300)
{
	struct run_list rl = {};
	uint64_t pages = 0, present = 0, next = self->t.start;
	bool many = is_many(variant);
	int bad = 0;

	ASSERT_EQ(0, collect_runs(self->c, self->t.pid, self->t.start,
				  self->t.end, 0, &rl));
	for (size_t k = 0; k < rl.n; k++) {
		const struct ptscope_run *r = &rl.r[k];

		ASSERT_EQ(next, r->start);
		next += r->nr_pages * PAGE_SZ;
		pages += r->nr_pages;
		if (many) {
			EXPECT_EQ(1, r->nr_pages) TH_LOG("run at 0x%llx crosses VMAs",
							(unsigned long long)r->start);
		}
		if (r->flags & PTSCOPE_PF_PRESENT) {
			present += r->nr_pages;
			/* 4K pages with distinct PFNs never form one run */
			EXPECT_EQ(1, r->nr_pages);
		}
		if (r->nr_pages <= 16) {
			for (uint64_t p = 0; p < r->nr_pages; p++) {
				uint64_t a = r->start + p * PAGE_SZ;

				if (target_flags(&self->t, many, self->sd, a) != r->flags &&
				    bad++ < 8)
					TH_LOG("page 0x%llx: flags 0x%x want 0x%x",
					       (unsigned long long)a, r->flags,
					       target_flags(&self->t, many, self->sd, a));
			}
		} else if (r->flags != 0 && bad++ < 8) {
			TH_LOG("long run at 0x%llx flags 0x%x", (unsigned long long)r->start,
			       r->flags);
		}
		if (bad > 8)
			break;
	}
	EXPECT_EQ(0, bad);
	EXPECT_EQ(self->t.end, next);
	EXPECT_EQ((self->t.end - self->t.start) / PAGE_SZ, pages);
	EXPECT_EQ(many ? (MANY + 2) / 3 : SPARSE_TOUCHED, present);
	if (many) {
		EXPECT_EQ(MANY, rl.n);
	}
	else	/* touched, hole, touched, ..., hole, touched(last page) */
		EXPECT_EQ(2 * SPARSE_TOUCHED, rl.n);
	run_list_free(&rl);
}

static int add_run(const struct nlattr *a, void *runs)
{
	struct ptscope_run r = {};
	struct nlattr *b;
	int rem;

	if (nla_type(a) != PTSCOPE_A_RUN)
		return 0;
	nla_for_each_nested(b, a, rem) {
		if (nla_type(b) == PTSCOPE_RUN_A_START)
			r.start = nla_get_u64(b);
		else if (nla_type(b) == PTSCOPE_RUN_A_NR_PAGES)
			r.nr_pages = nla_get_u64(b);
		else if (nla_type(b) == PTSCOPE_RUN_A_FLAGS)
			r.flags = nla_get_u32(b);
	}
	return run_list_add(&r, runs);
}

/*
 * GET_PAGES without the library: the runs exactly as the module sent them
 * (the library merges adjacent runs with equal flags).  Returns the dump's
 * final error (0 on success); *nmsgs counts the messages with runs.
 */
static int raw_pages(pid_t pid, uint64_t start, uint64_t end,
		     struct run_list *out, unsigned int *nmsgs)
{
	struct fnl_req r;
	size_t bytes;
	int err = fnl_pages_req(&r, pid, start, end, 0);

	out->n = 0;
	*nmsgs = 0;
	return err ? err : fnl_dump(&r, 1 << 17, add_run, out, &bytes, nmsgs);
}

/* What the module itself sends: runs in order, none crossing a VMA (every
 * VMA of "many" is one page), page total exact, several messages. */
TEST_F_TIMEOUT(dump, raw_runs_from_module, 300)
{
	struct run_list rl = {};
	uint64_t next = self->t.start, pages = 0;
	unsigned int nmsgs, crossing = 0;
	bool many = is_many(variant);

	ASSERT_EQ(0, raw_pages(self->t.pid, self->t.start, self->t.end, &rl, &nmsgs));
	for (size_t k = 0; k < rl.n; k++) {
		ASSERT_EQ(next, rl.r[k].start);
		next += rl.r[k].nr_pages * PAGE_SZ;
		pages += rl.r[k].nr_pages;
		if (many && rl.r[k].nr_pages != 1 && crossing++ < 4)
			TH_LOG("run 0x%llx +%llu pages crosses a VMA boundary",
			       (unsigned long long)rl.r[k].start,
			       (unsigned long long)rl.r[k].nr_pages);
		if (many) {
			EXPECT_EQ(many_flags((rl.r[k].start - self->t.start) / PAGE_SZ,
					     self->sd), rl.r[k].flags);
		}
	}
	EXPECT_EQ(0, crossing);
	EXPECT_EQ(self->t.end, next);
	EXPECT_EQ((self->t.end - self->t.start) / PAGE_SZ, pages);
	if (many) {
		EXPECT_EQ(MANY, rl.n);
		EXPECT_GT(nmsgs, 1);
	}
	TH_LOG("%zu runs in %u messages", rl.n, nmsgs);
	run_list_free(&rl);
}

/* PFN runs over the target agree with pagemap for every touched page. */
TEST_F_TIMEOUT(dump, pfn_runs_match_pagemap, 300)
{
	struct run_list rl = {};
	size_t checked = 0;

	ASSERT_EQ(0, collect_runs(self->c, self->t.pid, self->t.start,
				  self->t.end, PTSCOPE_PAGES_F_PFN_RUNS, &rl));
	for (size_t k = 0; k < rl.n; k++) {
		const struct ptscope_run *r = &rl.r[k];
		uint64_t pm;

		if (!(r->flags & PTSCOPE_PF_PRESENT))
			continue;
		ASSERT_TRUE(r->has_pfn);
		ASSERT_EQ(0, pagemap_read(self->t.pid, r->start, 1, &pm));
		ASSERT_TRUE(pm & PM_PRESENT);
		EXPECT_EQ(pm & PM_PFN_MASK, r->pfn);
		checked++;
	}
	EXPECT_EQ(is_many(variant) ? (MANY + 2) / 3 : SPARSE_TOUCHED, checked);
	run_list_free(&rl);
}

/* The target dies after the first VMA arrives: the dump ends with -ESRCH. */
struct killer {
	pid_t pid;
	unsigned long calls;
};

static int kill_on_first_vma(const struct ptscope_vma *v, void *arg)
{
	struct killer *k = arg;

	(void)v;
	if (k->calls++ == 0)
		kill_wait(k->pid);
	return 0;
}

static int kill_on_first_run(const struct ptscope_run *r, void *arg)
{
	struct killer *k = arg;

	(void)r;
	if (k->calls++ == 0)
		kill_wait(k->pid);
	return 0;
}

/* The "many" target is killed by the callback of a dump of it. */
FIXTURE(exiting) {
	struct ptscope_client *c;
	struct target t;
};

FIXTURE_SETUP(exiting)
{
	int err = ptscope_open(&self->c);

	self->t.pid = -1;
	if (err == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, target_start(&self->t, build_many));
}

FIXTURE_TEARDOWN(exiting)
{
	target_stop(&self->t);
	if (self->c)
		ptscope_close(self->c);
}

TEST_F_TIMEOUT(exiting, mid_vmas_dump, 300)
{
	struct killer k = { .pid = self->t.pid };
	struct ptscope_info info;

	EXPECT_EQ(-ESRCH, ptscope_get_vmas(self->c, self->t.pid, 0, 0, 0,
					   kill_on_first_vma, &k));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	self->t.pid = -1;
	EXPECT_GE(k.calls, 1);
	EXPECT_LT(k.calls, MANY);
	ASSERT_EQ(0, ptscope_get_info(self->c, &info));
	EXPECT_EQ(0, info.live_dumps);
}

TEST_F_TIMEOUT(exiting, mid_pages_dump, 300)
{
	struct killer k = { .pid = self->t.pid };
	struct ptscope_info info;

	EXPECT_EQ(-ESRCH, ptscope_get_pages(self->c, self->t.pid, 0, 0, 0,
					    kill_on_first_run, &k));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	self->t.pid = -1;
	EXPECT_GE(k.calls, 1);
	EXPECT_LT(k.calls, MANY);
	ASSERT_EQ(0, ptscope_get_info(self->c, &info));
	EXPECT_EQ(0, info.live_dumps);
}

static int abort_vma(const struct ptscope_vma *v, void *arg)
{
	(void)v;
	++*(unsigned long *)arg;
	return -ECANCELED;
}

/* The caller stops a dump after one VMA: the callback's error comes back,
 * no dump stays alive, and the same client works normally afterwards. */
TEST_F_TIMEOUT(dump, abandoned_dump, 300)
{
	struct ptscope_info info;
	unsigned long calls = 0;

	EXPECT_EQ(-ECANCELED, ptscope_get_vmas(self->c, self->t.pid, self->t.start,
					       self->t.end, 0, abort_vma, &calls));
	EXPECT_EQ(1, calls);
	ASSERT_EQ(0, ptscope_get_info(self->c, &info));
	EXPECT_EQ(0, info.live_dumps);
	calls = 0;
	ASSERT_EQ(0, ptscope_get_vmas(self->c, self->t.pid, self->t.start,
				      self->t.end, PTSCOPE_VMAS_F_NO_COUNTS,
				      count_cb, &calls));
	EXPECT_EQ(is_many(variant) ? MANY : 1, calls);
}

/* Closing a client in the middle of a dump releases it. */
TEST_F_TIMEOUT(dump, closed_mid_dump, 300)
{
	struct ptscope_client *c2;
	struct ptscope_info info;
	unsigned long calls = 0;

	ASSERT_EQ(0, ptscope_open(&c2));
	EXPECT_EQ(-ECANCELED, ptscope_get_vmas(c2, self->t.pid, self->t.start,
					       self->t.end, 0, abort_vma, &calls));
	ptscope_close(c2);
	ASSERT_EQ(0, ptscope_get_info(self->c, &info));
	EXPECT_EQ(0, info.live_dumps);
}

/* Kernels with a sequence of the VMA tree (module/compat.h): 6.4 on. */
static bool have_vma_seq(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return true;
	return major > 6 || (major == 6 && minor >= 4);
}

/* Sends get-vmas for [start, end) of @pid (no counts: many per message). */
static int intr_dump_send(struct fnl *s, pid_t pid, const struct target *t,
			  uint32_t *seq)
{
	struct fnl_req r;

	*seq = s->seq++;
	fnl_req_init(&r, s->fam, NLM_F_REQUEST | NLM_F_DUMP, *seq,
		     PTSCOPE_CMD_GET_VMAS, PTSCOPE_GENL_VERSION);
	fnl_put_u32(&r, PTSCOPE_A_PID, pid);
	fnl_put_u64(&r, PTSCOPE_A_START, t->start);
	fnl_put_u64(&r, PTSCOPE_A_END, t->end);
	fnl_put_u32(&r, PTSCOPE_A_FLAGS, PTSCOPE_VMAS_F_NO_COUNTS);
	return fnl_send(s, &r);
}

/*
 * This process is the target, so what it does between two reads is
 * between two messages: the kernel builds the next one when it reads.
 * Untouched, the dump is not interrupted; with one mmap() after its first
 * message, a later message or NLMSG_DONE carries NLM_F_DUMP_INTR.
 */
TEST(vmas_dump_intr_when_target_maps)
{
	struct fnl_result first, rest;
	struct target t = {};
	struct fnl s;
	uint32_t seq;
	void *extra;
	int err = fnl_open(&s, 60000);

	if (err == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, build_many(&t));

	ASSERT_EQ(0, intr_dump_send(&s, getpid(), &t, &seq));
	ASSERT_EQ(0, fnl_recv(&s, seq, false, 0, &rest));
	ASSERT_TRUE(rest.is_done);
	ASSERT_EQ(0, rest.error) TH_LOG("%s", rest.msg);
	EXPECT_FALSE(rest.intr) TH_LOG("nothing changed, yet NLM_F_DUMP_INTR");
	EXPECT_LT(10, rest.nmsgs);

	ASSERT_EQ(0, intr_dump_send(&s, getpid(), &t, &seq));
	ASSERT_EQ(0, fnl_recv(&s, seq, false, 1, &first));
	ASSERT_EQ(1, first.nmsgs);
	EXPECT_FALSE(first.intr);
	extra = mmap(NULL, PAGE_SZ, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, extra);
	ASSERT_EQ(0, fnl_recv(&s, seq, false, 0, &rest));
	ASSERT_TRUE(rest.is_done);
	ASSERT_EQ(0, rest.error) TH_LOG("%s", rest.msg);
	EXPECT_LT(10, rest.nmsgs);
	if (have_vma_seq()) {
		EXPECT_TRUE(rest.intr) TH_LOG("the target mapped a page mid-dump");
	} else {
		TH_LOG("before 6.4 the kernel has no VMA sequence: not checked");
	}
	munmap(extra, PAGE_SZ);
	fnl_close(&s);
}

/* After everything above: no dump is left behind. */
TEST(live_dumps_zero_at_end)
{
	struct ptscope_client *c;
	struct ptscope_info info;
	int err = ptscope_open(&c);

	if (err == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, ptscope_get_info(c, &info));
	EXPECT_EQ(0, info.live_dumps);
	ptscope_close(c);
}

TEST_HARNESS_MAIN
