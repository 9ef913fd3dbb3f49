// SPDX-License-Identifier: GPL-2.0
/*
 * Compact get-pages (PTSCOPE_PAGES_F_COMPACT): blocks of per-page flags
 * where attributes change every few pages.
 *
 * A target maps a large region whose pages alternate between written and read
 * (a private page, then the zero page), a uniform region, runs of every
 * length from 1 to 40 pages, and three adjacent VMAs whose pages on either
 * side of each boundary have equal flags.  Then:
 *  - the library's (compact) runs equal the runs-only dump's, run by run;
 *  - the module's raw compact dump, read with a small buffer so that it
 *    spans many messages and lock yields: items in order, covering the
 *    VMAs exactly, no block crossing a VMA, two items of one VMA never
 *    meeting with equal flags (what lets the client expand blocks alone),
 *    and at most 8 bytes per page on the alternating region, 2 on the
 *    uniform one; with PFN runs as well, runs only;
 *  - `ptscope --json pages` and `ptscope pages` print the same bytes with
 *    and without --no-compact (run without CAP_SYS_ADMIN, so that
 *    the runs-only dump has no PFNs either);
 *  - mmap_lock hold statistics count the walks (max <= total).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "kselftest_harness.h"
#include "common.h"
#include "fuzz_nl.h"

#define CAP_SYS_ADMIN	21
#define ALLOW_SAME_USER	"/sys/module/ptscope/parameters/allow_same_user"

#define ALT_PAGES	16384UL	/* 64 MiB: more than one walk budget */
#define UNI_PAGES	1024UL
#define LEN_RUNS	80	/* runs of 1..40 pages, twice */
#define ADJ_PAGES	24UL

enum { R_ALT, R_UNI, R_LEN, R_ADJ, NR_R };

struct layout {
	uint64_t start[NR_R], end[NR_R];
};

static void *map(size_t pages)
{
	void *p = mmap(NULL, pages * PAGE_SZ, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, pages * PAGE_SZ, MADV_NOHUGEPAGE);
	return p;
}

static void touch(volatile char *p, bool write)
{
	if (write)
		*p = 1;
	else
		(void)*p;
}

static int build(void *arg)
{
	struct layout *l = arg;
	volatile char *p;
	unsigned long i, j, n;

	/* Written and zero-page pages, alternating. */
	p = map(ALT_PAGES);
	if (!p)
		return -1;
	for (i = 0; i < ALT_PAGES; i++)
		touch(p + i * PAGE_SZ, i & 1);
	l->start[R_ALT] = (uintptr_t)p;
	l->end[R_ALT] = (uintptr_t)p + ALT_PAGES * PAGE_SZ;

	p = map(UNI_PAGES);
	if (!p)
		return -1;
	for (i = 0; i < UNI_PAGES; i++)
		touch(p + i * PAGE_SZ, true);
	l->start[R_UNI] = (uintptr_t)p;
	l->end[R_UNI] = (uintptr_t)p + UNI_PAGES * PAGE_SZ;

	/* Runs of 1, 2, ... 40 pages, written and read in turn. */
	for (n = 0, j = 0; j < LEN_RUNS; j++)
		n += j % 40 + 1;
	p = map(n);
	if (!p)
		return -1;
	l->start[R_LEN] = (uintptr_t)p;
	l->end[R_LEN] = (uintptr_t)p + n * PAGE_SZ;
	for (i = 0, j = 0; j < LEN_RUNS; j++) {
		unsigned long k;

		for (k = 0; k < j % 40 + 1; k++, i++)
			touch(p + i * PAGE_SZ, j & 1);
	}

	/*
	 * Three VMAs, [0, 8) rw, [8, 16) r, [16, 24) rw: even pages read,
	 * and 7 and 15 too, so each boundary has zero pages on both sides.
	 */
	p = map(ADJ_PAGES);
	if (!p)
		return -1;
	for (i = 0; i < ADJ_PAGES; i++)
		if (!(i & 1) || i == 7 || i == 15)
			touch(p + i * PAGE_SZ, false);
	if (mprotect((char *)p + 8 * PAGE_SZ, 8 * PAGE_SZ, PROT_READ))
		return -1;
	l->start[R_ADJ] = (uintptr_t)p;
	l->end[R_ADJ] = (uintptr_t)p + ADJ_PAGES * PAGE_SZ;
	return 0;
}

/* ---- the module's raw dump -------------------------------------------- */

struct item {
	uint64_t start, nr_pages;
	bool block, wide;		/* wide: a flags32 block */
	uint32_t flags, first, last;	/* run flags; block's edge flags */
	uint32_t *f;			/* block: per-page flags */
};

struct raw {
	struct item *it;
	size_t n, cap;
	size_t bytes;			/* message bytes, DONE included */
	unsigned int msgs;
};

static void raw_free(struct raw *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->it[i].f);
	free(r->it);
	memset(r, 0, sizeof(*r));
}

static int raw_add(struct raw *r, const struct nlattr *a)
{
	struct item it = { .block = nla_type(a) == PTSCOPE_A_BLOCK };
	struct nlattr *b;
	int rem;

	nla_for_each_nested(b, a, rem) {
		int t = nla_type(b);

		if (t == PTSCOPE_RUN_A_START && !it.block)
			it.start = nla_get_u64(b);
		else if (t == PTSCOPE_RUN_A_NR_PAGES && !it.block)
			it.nr_pages = nla_get_u64(b);
		else if (t == PTSCOPE_RUN_A_FLAGS && !it.block)
			it.flags = it.first = it.last = nla_get_u32(b);
		else if (t == PTSCOPE_BLOCK_A_START && it.block)
			it.start = nla_get_u64(b);
		else if ((t == PTSCOPE_BLOCK_A_FLAGS16 ||
			  t == PTSCOPE_BLOCK_A_FLAGS32) && it.block && !it.f) {
			size_t w = t == PTSCOPE_BLOCK_A_FLAGS32 ? 4 : 2, k;
			const unsigned char *d = nla_data(b);

			it.wide = w == 4;
			it.nr_pages = nla_len(b) / w;
			if (!it.nr_pages || nla_len(b) % w)
				return -EPROTO;
			it.f = malloc(it.nr_pages * sizeof(*it.f));
			if (!it.f)
				return -ENOMEM;
			for (k = 0; k < it.nr_pages; k++) {
				uint16_t f16;

				if (it.wide) {
					memcpy(&it.f[k], d + 4 * k, 4);
				} else {
					memcpy(&f16, d + 2 * k, 2);
					it.f[k] = f16;
				}
			}
			it.first = it.f[0];
			it.last = it.f[it.nr_pages - 1];
		}
	}
	if (!it.nr_pages)
		return -EPROTO;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 1024;
		void *p = realloc(r->it, cap * sizeof(*r->it));

		if (!p) {
			free(it.f);
			return -ENOMEM;
		}
		r->it = p;
		r->cap = cap;
	}
	r->it[r->n++] = it;
	return 0;
}

static int add_item(const struct nlattr *a, void *raw)
{
	if (nla_type(a) != PTSCOPE_A_RUN && nla_type(a) != PTSCOPE_A_BLOCK)
		return 0;
	return raw_add(raw, a);
}

/*
 * GET_PAGES read with a @bufsize receive buffer (the module sizes its
 * messages after it).  Returns the dump's error, 0 on success.
 */
static int raw_pages(pid_t pid, uint64_t start, uint64_t end, uint32_t flags,
		     size_t bufsize, struct raw *out)
{
	struct fnl_req r;
	int err = fnl_pages_req(&r, pid, start, end, flags);

	memset(out, 0, sizeof(*out));
	return err ? err : fnl_dump(&r, bufsize, add_item, out, &out->bytes, &out->msgs);
}

/* The runs a client makes of the items: blocks expanded on their own. */
static int raw_expand(const struct raw *r, struct run_list *out)
{
	size_t i;

	out->n = 0;
	for (i = 0; i < r->n; i++) {
		const struct item *it = &r->it[i];
		uint64_t k = 0, j;

		while (k < it->nr_pages) {
			struct ptscope_run run = {
				.start = it->start + k * PAGE_SZ,
				.flags = it->block ? it->f[k] : it->flags,
			};

			for (j = k + 1; j < it->nr_pages &&
			     it->block && it->f[j] == it->f[k]; j++)
				;
			run.nr_pages = it->block ? j - k : it->nr_pages;
			k += run.nr_pages;
			if (run_list_add(&run, out))
				return -ENOMEM;
		}
	}
	return 0;
}

/* ---- helpers ---------------------------------------------------------- */

/* Same pages, same flags, run by run; compact runs carry no locations. */
static bool same_runs(struct __test_metadata *_metadata,
		      const struct run_list *a, const struct run_list *b)
{
	size_t i;

	if (a->n != b->n) {
		TH_LOG("%zu runs vs %zu", a->n, b->n);
		return false;
	}
	for (i = 0; i < a->n; i++) {
		if (a->r[i].start != b->r[i].start ||
		    a->r[i].nr_pages != b->r[i].nr_pages ||
		    a->r[i].flags != b->r[i].flags) {
			TH_LOG("run %zu: %llx+%llu 0x%x vs %llx+%llu 0x%x", i,
			       (unsigned long long)a->r[i].start,
			       (unsigned long long)a->r[i].nr_pages, a->r[i].flags,
			       (unsigned long long)b->r[i].start,
			       (unsigned long long)b->r[i].nr_pages, b->r[i].flags);
			return false;
		}
	}
	return true;
}

static int collect_runs_mode(struct ptscope_client *c, pid_t pid,
			     bool compact, struct run_list *out)
{
	int err;

	ptscope_set_compact(c, compact);
	err = collect_runs(c, pid, 0, 0, 0, out);
	ptscope_set_compact(c, true);
	return err;
}

/* In the CLI's child: without CAP_SYS_ADMIN. */
static int drop_sys_admin(void *unused)
{
	(void)unused;
	return prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0) ? -1 : 0;
}

/*
 * Runs the CLI without CAP_SYS_ADMIN (still uid 0, the target's, for
 * allow_same_user): no PFNs either way.  Its stdout in *out (malloc'ed).
 * Returns its exit status.
 */
static int cli_unprivileged(bool compact, char *const argv[], char **out)
{
	char *args[16];
	int n = 0;

	while (argv[n] && n < 14) {
		args[n] = argv[n];
		n++;
	}
	if (!compact)
		args[n++] = "--no-compact";
	args[n] = NULL;
	return run_capture_with(args, out, drop_sys_admin, NULL);
}

/* ---- tests ------------------------------------------------------------ */

FIXTURE(compact) {
	struct ptscope_client *c;
	struct layout l;
	pid_t pid;
	struct vma_list vmas;
};

FIXTURE_SETUP(compact)
{
	int err = ptscope_open(&self->c);

	if (err == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, err);
	self->pid = spawn_target(build, &self->l, sizeof(self->l));
	ASSERT_LT(0, self->pid);
	/* Stopped: its pages keep their state between the walks. */
	ASSERT_EQ(0, kill(self->pid, SIGSTOP));
	ASSERT_EQ(0, collect_vmas(self->c, self->pid, 0, 0,
				  PTSCOPE_VMAS_F_NO_COUNTS, &self->vmas));
}

FIXTURE_TEARDOWN(compact)
{
	kill_wait(self->pid);
	vma_list_free(&self->vmas);
	ptscope_close(self->c);
}

TEST_F_TIMEOUT(compact, library_runs_equal_runs_only, 300)
{
	struct run_list a = {}, b = {};
	size_t i;

	ASSERT_EQ(0, collect_runs_mode(self->c, self->pid, true, &a));
	ASSERT_EQ(0, collect_runs_mode(self->c, self->pid, false, &b));
	EXPECT_TRUE(same_runs(_metadata, &a, &b));
	for (i = 0; i < a.n; i++)
		if (a.r[i].has_pfn || a.r[i].has_swap)
			break;
	EXPECT_EQ(a.n, i);	/* compact: no physical locations */
	/* the alternating region: one run per page */
	for (i = 0; i < a.n && a.r[i].start != self->l.start[R_ALT]; i++)
		;
	ASSERT_LT(i + ALT_PAGES, a.n);
	EXPECT_EQ(1, a.r[i].nr_pages);
	EXPECT_EQ(1, a.r[i + ALT_PAGES - 1].nr_pages);
	EXPECT_EQ(self->l.end[R_ALT] - PAGE_SZ, a.r[i + ALT_PAGES - 1].start);
	run_list_free(&a);
	run_list_free(&b);
}

/* The page flags the module has (get-info); 0 if it cannot say. */
static uint32_t module_page_flags(struct ptscope_client *c)
{
	struct ptscope_info in;

	return ptscope_get_info(c, &in) ? 0 : in.page_flags;
}

/*
 * Checks the raw items against the VMAs; returns the number of blocks.
 * @flags32: what the request asked for (blocks of 32-bit words);
 * @page_flags: the only bits a block's word may carry.
 */
static size_t check_items(struct __test_metadata *_metadata,
			  const struct raw *r, const struct vma_list *vmas,
			  bool flags32, uint32_t page_flags)
{
	size_t i, v = 0, blocks = 0;
	uint64_t next = r->n ? r->it[0].start : 0;	/* a range may start mid-VMA */

	for (i = 0; i < r->n; i++) {
		const struct item *it = &r->it[i];
		uint64_t end = it->start + it->nr_pages * PAGE_SZ;

		blocks += it->block;
		while (v < vmas->n && vmas->v[v].end <= it->start)
			v++;
		ASSERT_LT(v, vmas->n);
		/* inside one VMA, no gap inside a VMA, no overlap */
		ASSERT_LE(vmas->v[v].start, it->start);
		ASSERT_GE(vmas->v[v].end, end);
		if (it->start != vmas->v[v].start)
			ASSERT_EQ(next, it->start);
		/* two items of one VMA meet where flags differ */
		if (i && it->start != vmas->v[v].start)
			ASSERT_NE(r->it[i - 1].last, it->first);
		/*
		 * a block holds whole runs: none of 16 pages or more (8 in
		 * 32-bit words), and only the words asked for (16-bit ones
		 * cannot hold arm64's pxn and cont)
		 */
		if (it->block) {
			uint64_t k, len = 1;

			ASSERT_EQ(flags32, it->wide);
			for (k = 1; k <= it->nr_pages; k++, len++) {
				if (k < it->nr_pages && it->f[k] == it->f[k - 1])
					continue;
				ASSERT_GT(it->wide ? 8 : 16, len);
				ASSERT_EQ(0, it->f[k - 1] & ~page_flags);
				len = 0;
			}
		}
		next = end;
	}
	return blocks;
}

TEST_F_TIMEOUT(compact, raw_blocks_cover_vmas, 300)
{
	static const size_t bufs[] = { 4096, 32768 };
	struct run_list ref = {}, got = {};
	struct raw r;
	size_t i, k;

	/* Past every VMA: arm64 maps up to 2^48, x86 below 2^47. */
	uint64_t end = self->vmas.v[self->vmas.n - 1].end;

	if (end < 0x7ffffffff000ULL)
		end = 0x7ffffffff000ULL;
	ASSERT_EQ(0, collect_runs_mode(self->c, self->pid, false, &ref));
	/* 16-bit words, then 32-bit ones: both wherever the module is */
	for (k = 0; k < 4; k++) {
		uint32_t wide = k >= 2 ? PTSCOPE_PAGES_F_FLAGS32 : 0;

		i = k % 2;
		ASSERT_EQ(0, raw_pages(self->pid, 0, end,
				       PTSCOPE_PAGES_F_COMPACT | wide, bufs[i], &r));
		TH_LOG("buffer %zu%s: %zu items in %u messages, %zu bytes",
		       bufs[i], wide ? ", flags32" : "", r.n, r.msgs, r.bytes);
		EXPECT_LT(bufs[i] < 8192 ? 4 : 1, r.msgs);
		/* arm64 without flags32: its present pages all come as runs */
		EXPECT_LT(0, check_items(_metadata, &r, &self->vmas, wide,
					 module_page_flags(self->c)));
		ASSERT_EQ(0, raw_expand(&r, &got));
		EXPECT_TRUE(same_runs(_metadata, &got, &ref));
		raw_free(&r);
	}
	/* PFN runs: the flag is ignored, runs only */
	ASSERT_EQ(0, raw_pages(self->pid, self->l.start[R_ALT],
			       self->l.end[R_ALT],
			       PTSCOPE_PAGES_F_COMPACT | PTSCOPE_PAGES_F_PFN_RUNS,
			       32768, &r));
	EXPECT_EQ(0, check_items(_metadata, &r, &self->vmas, false,
				 module_page_flags(self->c)));
	EXPECT_EQ(ALT_PAGES, r.n);
	raw_free(&r);
	run_list_free(&ref);
	run_list_free(&got);
}

/* flags32 where the module has page flags above bit 15 (arm64), as the CLI */
static uint32_t wide_flag(struct ptscope_client *c)
{
	return module_page_flags(c) > 0xffff ? PTSCOPE_PAGES_F_FLAGS32 : 0;
}

TEST_F_TIMEOUT(compact, bytes_per_page, 300)
{
	uint32_t wide = wide_flag(self->c);
	struct raw r;
	double bpp;

	ASSERT_EQ(0, raw_pages(self->pid, self->l.start[R_ALT],
			       self->l.end[R_ALT], PTSCOPE_PAGES_F_COMPACT | wide,
			       32768, &r));
	bpp = (double)r.bytes / ALT_PAGES;
	TH_LOG("alternating: %zu bytes, %u messages: %.2f B/page",
	       r.bytes, r.msgs, bpp);
	EXPECT_GE(8.0, bpp);
	raw_free(&r);

	ASSERT_EQ(0, raw_pages(self->pid, self->l.start[R_UNI],
			       self->l.end[R_UNI], PTSCOPE_PAGES_F_COMPACT | wide,
			       32768, &r));
	bpp = (double)r.bytes / UNI_PAGES;
	TH_LOG("uniform: %zu bytes: %.3f B/page", r.bytes, bpp);
	EXPECT_GE(2.0, bpp);
	EXPECT_EQ(1, r.n);
	raw_free(&r);

	/* runs only, for comparison */
	ASSERT_EQ(0, raw_pages(self->pid, self->l.start[R_ALT],
			       self->l.end[R_ALT], 0, 32768, &r));
	TH_LOG("alternating without COMPACT: %.2f B/page",
	       (double)r.bytes / ALT_PAGES);
	raw_free(&r);
}

TEST_F_TIMEOUT(compact, cli_output_identical, 300)
{
	char pid[16], *a = NULL, *b = NULL;
	char *json[] = { (char *)cli_path(), "--json", "pages", pid, NULL };
	char *text[] = { (char *)cli_path(), "pages", pid, NULL };

	snprintf(pid, sizeof(pid), "%d", self->pid);
	ASSERT_EQ(0, write_file(ALLOW_SAME_USER, "1"));
	EXPECT_EQ(0, cli_unprivileged(true, json, &a));
	EXPECT_EQ(0, cli_unprivileged(false, json, &b));
	ASSERT_TRUE(a && b);
	EXPECT_LT(ALT_PAGES * 40, strlen(a));
	EXPECT_EQ(0, strcmp(a, b));
	free(a);
	free(b);
	EXPECT_EQ(0, cli_unprivileged(true, text, &a));
	EXPECT_EQ(0, cli_unprivileged(false, text, &b));
	ASSERT_TRUE(a && b);
	EXPECT_EQ(0, strcmp(a, b));
	free(a);
	free(b);
	write_file(ALLOW_SAME_USER, "0");
}

/*
 * Whether the module walks get-pages under per-VMA locks here; and
 * whether the kernel exports lock_vma_under_rcu() (its ksymtab entry is
 * in kallsyms), so that the module's own feature test is checked too.
 */
static bool vma_lock_walks(void)
{
	char buf[8];

	return !read_file("/sys/module/ptscope/parameters/vma_lock_walks",
			  buf, sizeof(buf)) && buf[0] == 'Y';
}

static bool kernel_exports_lock_vma_under_rcu(void)
{
	return kallsyms_has("__ksymtab_lock_vma_under_rcu");
}

TEST_F_TIMEOUT(compact, lock_hold_stats, 300)
{
	bool vma_locks = vma_lock_walks();
	struct ptscope_info info;
	struct vma_list vl = {};
	struct run_list rl = {};

	TH_LOG("vma_lock_walks %d, lock_vma_under_rcu exported %d", vma_locks,
	       kernel_exports_lock_vma_under_rcu());
	if (kernel_exports_lock_vma_under_rcu())
		EXPECT_TRUE(vma_locks);
	ASSERT_EQ(0, ptscope_get_info_flags(self->c,
					    PTSCOPE_INFO_F_RESET_LOCK_STATS,
					    &info));
	ASSERT_EQ(0, collect_runs(self->c, self->pid, 0, 0, 0, &rl));
	ASSERT_EQ(0, ptscope_get_info(self->c, &info));
	TH_LOG("after one get-pages: %llu holds, max %llu ns, total %llu ns",
	       (unsigned long long)info.lock_holds,
	       (unsigned long long)info.lock_hold_max_ns,
	       (unsigned long long)info.lock_hold_total_ns);
	run_list_free(&rl);
	if (vma_locks) {
		/* The (stopped) target's VMAs are all lockable: no mmap_lock. */
		EXPECT_EQ(0, info.lock_holds);
		/* get-vmas with counts still walks under mmap_lock. */
		ASSERT_EQ(0, collect_vmas(self->c, self->pid, 0, 0, 0, &vl));
		vma_list_free(&vl);
		ASSERT_EQ(0, ptscope_get_info(self->c, &info));
		TH_LOG("after one get-vmas: %llu holds",
		       (unsigned long long)info.lock_holds);
	}
	/* 64 MiB of PTEs: more than one walk budget, so several holds */
	EXPECT_LT(1, info.lock_holds);
	EXPECT_LT(0, info.lock_hold_max_ns);
	EXPECT_GE(info.lock_hold_total_ns, info.lock_hold_max_ns);

	ASSERT_EQ(0, ptscope_get_info_flags(self->c,
					    PTSCOPE_INFO_F_RESET_LOCK_STATS,
					    &info));
	ASSERT_EQ(0, ptscope_get_info(self->c, &info));
	EXPECT_EQ(0, info.lock_holds);
	EXPECT_EQ(0, info.lock_hold_total_ns);
}

TEST_HARNESS_MAIN
