// SPDX-License-Identifier: GPL-2.0
/*
 * Tracking: TLB shootdowns and page faults counted per process.
 *
 * A "puppet" child does one memory operation at a time on command, so the
 * test knows exactly which faults it takes while tracked.  After fork the
 * puppet faults in its own code, stack and libc pages lazily; it runs
 * every command once on scratch memory before tracking starts, and the
 * exact checks look at the per-range counts of the region an operation
 * touched.  Whole-process totals are compared with the kernel's own
 * min_flt/maj_flt deltas, which count the same events.
 *
 * The shootdown test runs a two-threaded child with one thread on each
 * CPU (the VM has two) next to an idle bystander, both tracked, and
 * compares the shootdowns received with the /proc/interrupts TLB delta.
 *
 * Flush requests (flush_tlb_mm_range() on x86, the mmu notifier on arm64
 * 6.6+) are checked against what the kernel's mmu_gather does for one
 * munmap() or mprotect(): one ranged flush over exactly the pages that
 * were mapped, and a fork() flushes the parent's whole mm once.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"
#include "puppet.h"

#define MAX_TRACKED_PARAM "/sys/module/ptscope/parameters/max_tracked"
#define FAULT_LATENCY_PARAM "/sys/module/ptscope/parameters/fault_latency"
#ifdef __aarch64__
/*
 * arm64: no shootdown IPIs (broadcast TLBI), TLB flushes inline, and the
 * fault's cause from do_page_fault() instead of a tracepoint.
 */
#define ALL_PROBES	(PTSCOPE_PROBE_HANDLE_MM_FAULT | \
			 PTSCOPE_PROBE_DO_SWAP_PAGE | \
			 PTSCOPE_PROBE_FAULT_SYNDROME | \
			 (kernel_at_least(6, 6) ? PTSCOPE_PROBE_MMU_NOTIFIER_TLB : 0))
/* Counted by broadcast TLBIs; flush_tlb_multi()/flush_tlb_func() never. */
#define SHOOTDOWN_PROBES	0
#else
#define ALL_PROBES	(PTSCOPE_PROBE_TLB_FLUSH_TP | \
			 PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE | \
			 PTSCOPE_PROBE_FLUSH_TLB_MULTI | \
			 PTSCOPE_PROBE_FLUSH_TLB_FUNC | \
			 PTSCOPE_PROBE_HANDLE_MM_FAULT | \
			 PTSCOPE_PROBE_DO_SWAP_PAGE | \
			 PTSCOPE_PROBE_PAGE_FAULT_TP | \
			 PTSCOPE_PROBE_IRQ_TLB_COUNT)
#define SHOOTDOWN_PROBES	(PTSCOPE_PROBE_FLUSH_TLB_MULTI | \
				 PTSCOPE_PROBE_FLUSH_TLB_FUNC)
#endif
#define FLUSH_SOURCES	(PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE | \
			 PTSCOPE_PROBE_MMU_NOTIFIER_TLB)
/* What counts flush requests here: arm64's flushes call the notifier from 6.6. */
#ifdef __aarch64__
#define FLUSH_SOURCE	(kernel_at_least(6, 6) ? PTSCOPE_PROBE_MMU_NOTIFIER_TLB : 0)
#else
#define FLUSH_SOURCE	PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE
#endif
/*
 * arm64's __flush_tlb_range_limit_excess(): without FEAT_TLBIRANGE a range
 * of MAX_DVM_OPS (PTRS_PER_PTE) pages or more becomes a flush_tlb_mm().
 */
#define MAX_DVM_OPS	512

/* Faults the puppet may take outside the region it works on, after its
 * warm-up: none expected, a few tolerated (a libc page first written). */
#define SLACK		4

/* ---- helpers --------------------------------------------------------- */

/* Whether the running kernel is at least @maj.@min. */
static bool kernel_at_least(int maj, int min)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return false;
	return major > maj || (major == maj && minor >= min);
}

static const struct ptscope_range_stats *
range_of(const struct ptscope_stats *s, uint64_t addr)
{
	int i;

	for (i = 0; i < s->nr_ranges; i++)
		if (s->ranges[i].start <= addr && addr < s->ranges[i].end)
			return &s->ranges[i];
	return NULL;
}

static uint64_t range_faults(const struct ptscope_stats *s, uint64_t addr)
{
	const struct ptscope_range_stats *r = range_of(s, addr);

	return r ? r->faults : 0;
}

static uint64_t task_delta(const struct ptscope_stats *s)
{
	return s->task_min_flt - s->task_min_flt_start +
	       s->task_maj_flt - s->task_maj_flt_start;
}

static bool swap_active(void)
{
	char buf[256] = "";
	FILE *f = fopen("/proc/swaps", "r");
	int lines = 0;

	if (!f)
		return false;
	while (fgets(buf, sizeof(buf), f))
		lines++;
	fclose(f);
	return lines > 1;
}

/* ---- fixture ----------------------------------------------------------- */

FIXTURE(track) {
	struct ptscope_client *c;
	struct ptscope_info info;
	struct puppet pp;
	struct ptscope_stats st;
	bool at_return;		/* handle_mm_fault()'s return is hooked */
};

/*
 * Every test runs with the module's default (faults counted at entry) and
 * with fault_latency=1 (the return hook: fprobe on fgraph from 6.14, a
 * kretprobe before).
 */
FIXTURE_VARIANT(track) {
	const char *fault_latency;
};

FIXTURE_VARIANT_ADD(track, by_default) {
	.fault_latency = "N",
};

FIXTURE_VARIANT_ADD(track, fault_latency) {
	.fault_latency = "Y",
};

/* Whether this kernel has fprobe (CONFIG_FPROBE) on fgraph (6.14+). */
static bool kernel_has_fgraph_fprobe(void)
{
	return kernel_at_least(6, 14) && kallsyms_has("register_fprobe");
}

FIXTURE_SETUP(track)
{
	int ret = ptscope_open(&self->c);

	memset(&self->st, 0, sizeof(self->st));
	memset(&self->pp, 0, sizeof(self->pp));
	if (ret == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, ptscope_get_info(self->c, &self->info));
	if (!(self->info.probes & PTSCOPE_PROBE_HANDLE_MM_FAULT))
		SKIP(return, "kernel lacks the handle_mm_fault probe");
	/* Read when tracking starts from nothing tracked. */
	ptscope_track_stop(self->c, 0, NULL);
	ASSERT_EQ(0, write_file(FAULT_LATENCY_PARAM, variant->fault_latency));
	self->at_return = *variant->fault_latency == 'Y';
	ASSERT_EQ(0, puppet_start(&self->pp));
}

FIXTURE_TEARDOWN(track)
{
	ptscope_stats_free(&self->st);
	if (self->c)
		ptscope_track_stop(self->c, 0, NULL);
	write_file(FAULT_LATENCY_PARAM, "N");
	puppet_stop(&self->pp);
	if (self->c)
		ptscope_close(self->c);
}

/*
 * What the return side reports must be there exactly when it is hooked:
 * absent, not 0, when faults are counted at entry only.
 */
static void expect_return_side(struct __test_metadata *_metadata,
			       bool at_return, const struct ptscope_stats *s)
{
	uint64_t timed = 0;
	int i;

	EXPECT_TRUE(s->have & PTSCOPE_PROBE_HANDLE_MM_FAULT);
	EXPECT_EQ(at_return, !!(s->have & PTSCOPE_PROBE_FAULT_RETURN));
	for (i = 0; i < PTSCOPE_LAT_BUCKETS; i++)
		timed += s->lat_hist[i];
	if (at_return) {
		/* Every fault is timed, retried attempts and errors too. */
		EXPECT_EQ(s->minor + s->major + s->retries + s->errors, timed);
	} else {
		EXPECT_EQ(0, timed + s->minor + s->major + s->retries);
	}
}

static int stats_of(struct ptscope_client *c, pid_t pid,
		    struct ptscope_stats *st)
{
	ptscope_stats_free(st);
	memset(st, 0, sizeof(*st));
	return ptscope_get_stats(c, pid, st);
}

/* The kernels this suite runs on have every hook; none is armed idle. */
TEST_F(track, probes_available_and_idle_cost_zero)
{
	EXPECT_EQ(ALL_PROBES, self->info.probes & ALL_PROBES)
		TH_LOG("probes 0x%llx", (unsigned long long)self->info.probes);
	EXPECT_EQ(0, self->info.tracked);
	EXPECT_EQ(0, self->info.probes_active);
	/* Some return hook exists everywhere; fgraph's from 6.14. */
	EXPECT_TRUE(self->info.probes & PTSCOPE_PROBE_FAULT_RETURN);
	EXPECT_EQ(kernel_has_fgraph_fprobe(),
		  !!(self->info.probes & PTSCOPE_PROBE_FAULT_FGRAPH));

	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	ASSERT_EQ(0, ptscope_get_info(self->c, &self->info));
	EXPECT_EQ(1, self->info.tracked);
	EXPECT_EQ(ALL_PROBES, self->info.probes_active & ALL_PROBES);
	EXPECT_EQ(self->at_return,
		  !!(self->info.probes_active & PTSCOPE_PROBE_FAULT_RETURN));
	EXPECT_EQ(self->at_return && kernel_has_fgraph_fprobe(),
		  !!(self->info.probes_active & PTSCOPE_PROBE_FAULT_FGRAPH));

	ASSERT_EQ(0, ptscope_track_stop(self->c, self->pp.pid, NULL));
	ASSERT_EQ(0, ptscope_get_info(self->c, &self->info));
	EXPECT_EQ(0, self->info.tracked);
	EXPECT_EQ(0, self->info.probes_active);
}

TEST_F(track, errors_carry_messages)
{
	uint32_t n = 0;
	char old[16] = "";
	pid_t extra[2] = { -1, -1 };
	int i, ret;

	EXPECT_EQ(-ENOENT, stats_of(self->c, self->pp.pid, &self->st));
	EXPECT_NE(NULL, strstr(ptscope_errmsg(self->c), "not tracked"));
	EXPECT_EQ(-ENOENT, ptscope_track_stop(self->c, self->pp.pid, NULL));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(-ESRCH, ptscope_track_start(self->c, 999999));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(-EINVAL, ptscope_track_start(self->c, 2)); /* kthreadd */
	EXPECT_STRNE("", ptscope_errmsg(self->c));

	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	EXPECT_EQ(-EALREADY, ptscope_track_start(self->c, self->pp.pid));
	EXPECT_NE(NULL, strstr(ptscope_errmsg(self->c), "already"));

	/* The cap: two tracked at most, the third is refused with a hint. */
	ASSERT_EQ(0, read_file(MAX_TRACKED_PARAM, old, sizeof(old)));
	ASSERT_EQ(0, write_file(MAX_TRACKED_PARAM, "2"));
	for (i = 0; i < 2; i++) {
		extra[i] = fork();
		if (!extra[i]) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
	}
	EXPECT_EQ(0, ptscope_track_start(self->c, extra[0]));
	ret = ptscope_track_start(self->c, extra[1]);
	EXPECT_EQ(-ENOSPC, ret);
	EXPECT_NE(NULL, strstr(ptscope_errmsg(self->c), "max_tracked"));
	EXPECT_NE(0, write_file(MAX_TRACKED_PARAM, "0"));
	write_file(MAX_TRACKED_PARAM, old);

	EXPECT_EQ(0, ptscope_track_stop(self->c, 0, &n));
	EXPECT_EQ(2, n);
	for (i = 0; i < 2; i++) {
		kill_wait(extra[i]);
	}
}

/* N fresh anonymous pages written: N write faults in that range. */
TEST_F(track, fresh_anon_pages_fault_once_each)
{
	const unsigned long n = 1000;
	uint64_t region, total;

	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_MAP, 0, n));
	region = self->pp.ctl->addr;
	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_WRITE, region, n));
	ASSERT_EQ(0, stats_of(self->c, self->pp.pid, &self->st));

	total = self->st.faults;
	EXPECT_EQ(n, range_faults(&self->st, region));
	expect_return_side(_metadata, self->at_return, &self->st);
	if (self->at_return) {
		EXPECT_EQ(self->st.minor + self->st.major, total);
	}
	EXPECT_EQ(task_delta(&self->st), total);
	EXPECT_LE(n, self->st.write);
	EXPECT_LE(n, self->st.anon);
	EXPECT_LE(n, self->st.not_present);
	EXPECT_EQ(0, self->st.errors);
	EXPECT_GE(n + SLACK, total);
	TH_LOG("%lu pages: %llu faults (range %llu), min_flt+maj_flt delta %llu",
	       n, (unsigned long long)total,
	       (unsigned long long)range_faults(&self->st, region),
	       (unsigned long long)task_delta(&self->st));
}

/* A write to a page shared copy-on-write with a child is a protection fault. */
TEST_F(track, cow_write_is_protection_fault)
{
	uint64_t page, prot0;

	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_MAP, 0, 1));
	page = self->pp.ctl->addr;
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_WRITE, page, 1));
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_FORK, 0, 0));
	self->pp.grandchild = self->pp.ctl->addr;
	ASSERT_LT(0, self->pp.grandchild);
	/* The fork made the stack copy-on-write too: fault it back now. */
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_READ, page, 1));

	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	ASSERT_EQ(0, stats_of(self->c, self->pp.pid, &self->st));
	prot0 = self->st.protection;
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_WRITE, page, 1));
	ASSERT_EQ(0, stats_of(self->c, self->pp.pid, &self->st));

	EXPECT_EQ(1, range_faults(&self->st, page));
	EXPECT_LE(prot0 + 1, self->st.protection);
	EXPECT_GE(prot0 + 1 + SLACK, self->st.protection);
	EXPECT_EQ(task_delta(&self->st), self->st.faults);
}

/* A page of a file read after drop_caches is a major fault. */
TEST_F(track, file_read_after_drop_caches_is_major)
{
	const unsigned long n = 64;
	char dev[64], idx[16] = "", buf[4096];
	uint64_t map;
	int fd, i;

	if (read_file("/sys/class/zram-control/hot_add", idx, sizeof(idx)))
		SKIP(return, "no zram hot_add: no block device to read from");
	idx[strcspn(idx, "\n")] = '\0';
	snprintf(dev, sizeof(dev), "/sys/block/zram%s/disksize", idx);
	ASSERT_EQ(0, write_file(dev, "4M"));
	snprintf(dev, sizeof(dev), "/dev/zram%s", idx);
	fd = open(dev, O_WRONLY);
	ASSERT_LE(0, fd);
	memset(buf, 'z', sizeof(buf));
	for (i = 0; i < (int)n; i++)
		ASSERT_EQ((ssize_t)sizeof(buf), write(fd, buf, sizeof(buf)));
	ASSERT_EQ(0, fsync(fd));
	close(fd);

	strcpy(self->pp.ctl->path, dev);
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_MAP_FILE, 0, n));
	map = self->pp.ctl->addr;
	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	sync();
	ASSERT_EQ(0, write_file("/proc/sys/vm/drop_caches", "3"));
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_READ, map, n));
	ASSERT_EQ(0, stats_of(self->c, self->pp.pid, &self->st));

	expect_return_side(_metadata, self->at_return, &self->st);
	if (self->at_return) {
		EXPECT_LE(1, self->st.major);
		EXPECT_LE(1, range_of(&self->st, map) ?
			     range_of(&self->st, map)->major : 0);
		EXPECT_EQ(self->st.task_maj_flt - self->st.task_maj_flt_start,
			  self->st.major);
	}
	EXPECT_LE(1, self->st.file);
	/* At entry too: a retried fault enters once without FAULT_FLAG_TRIED. */
	EXPECT_EQ(task_delta(&self->st), self->st.faults);
	TH_LOG("%lu pages read: %llu major, %llu minor", n,
	       (unsigned long long)self->st.major,
	       (unsigned long long)self->st.minor);
}

/* Pages pushed to swap and read back: one swap-in each. */
TEST_F(track, swapins_counted)
{
	const unsigned long n = 64;
	uint64_t region, pm[64];
	unsigned long i, swapped = 0;

	if (!swap_active())
		SKIP(return, "no swap device");
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_MAP, 0, n));
	region = self->pp.ctl->addr;
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_WRITE, region, n));
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_PAGEOUT, region, n));
	ASSERT_EQ(0, pagemap_read(self->pp.pid, region, n, pm));
	for (i = 0; i < n; i++)
		swapped += !!(pm[i] & PM_SWAP);
	if (!swapped)
		SKIP(return, "MADV_PAGEOUT swapped nothing out");

	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_READ, region, n));
	ASSERT_EQ(0, stats_of(self->c, self->pp.pid, &self->st));
	EXPECT_EQ(swapped, self->st.swapins);
	EXPECT_LE(swapped, range_faults(&self->st, region));
	EXPECT_EQ(task_delta(&self->st), self->st.faults);
}

/*
 * Faults another process causes in the tracked mm (process_vm_readv pins
 * the pages with get_user_pages) belong to the tracked mm, even though
 * the kernel charges them to the reader's min_flt.
 */
TEST_F(track, gup_faults_attributed_to_target_mm)
{
	const unsigned long n = 32;
	char *buf = malloc(n * PAGE_SZ);
	struct iovec local = { buf, n * PAGE_SZ }, remote;
	uint64_t region;

	ASSERT_NE(NULL, buf);
	memset(buf, 0, n * PAGE_SZ);
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_MAP, 0, n));
	region = self->pp.ctl->addr;
	remote.iov_base = (void *)(uintptr_t)region;
	remote.iov_len = n * PAGE_SZ;
	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	ASSERT_EQ((ssize_t)(n * PAGE_SZ),
		  process_vm_readv(self->pp.pid, &local, 1, &remote, 1, 0));
	free(buf);
	ASSERT_EQ(0, stats_of(self->c, self->pp.pid, &self->st));

	EXPECT_EQ(n, self->st.gup);
	EXPECT_EQ(n, range_faults(&self->st, region));
	/* The puppet itself did nothing: its own counters did not move. */
	EXPECT_EQ(0, task_delta(&self->st));
}

/* An instruction fetch from a fresh shmem page: exec, shmem. */
TEST_F(track, exec_fault_on_shmem)
{
	uint64_t code;

	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_MAP_EXEC, 0, 1));
	code = self->pp.ctl->addr;
	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_CALL, code, 0));
	ASSERT_EQ(0, stats_of(self->c, self->pp.pid, &self->st));

	EXPECT_EQ(1, range_faults(&self->st, code));
	EXPECT_LE(1, self->st.exec);
	EXPECT_LE(1, self->st.shmem);
}

/* ---- flush requests ---------------------------------------------------- */

struct flush_counts {
	uint64_t full, ranged, pages;
};

static struct flush_counts flushes_of(const struct ptscope_stats *s)
{
	return (struct flush_counts){ s->tlb_flush_full, s->tlb_flush_ranged,
				      s->tlb_flush_pages };
}

/*
 * Skips where no probe counts flush requests (arm64 before 6.6); checks
 * there that the counters are absent, not 0, and that arm64 never reports
 * shootdowns (it has no shootdown interrupts).
 */
static bool flushes_counted(struct __test_metadata *_metadata,
			    const struct ptscope_stats *s)
{
	EXPECT_EQ(SHOOTDOWN_PROBES, s->have & (PTSCOPE_PROBE_FLUSH_TLB_MULTI |
					       PTSCOPE_PROBE_FLUSH_TLB_FUNC));
	EXPECT_EQ(FLUSH_SOURCE, s->have & FLUSH_SOURCES);
	return s->have & FLUSH_SOURCES;
}

/*
 * munmap() of n touched pages in the middle of a mapping: mmu_gather
 * collects exactly those n PTEs, the neighbours keep the page table, and
 * tlb_finish_mmu() makes one ranged flush of n pages.  On arm64 a range
 * of MAX_DVM_OPS pages or more is a full flush unless the CPU has
 * FEAT_TLBIRANGE: @either accepts one full flush instead.
 */
static void check_munmap(struct __test_metadata *_metadata,
			 struct ptscope_client *c, struct puppet *pp,
			 struct ptscope_stats *st, unsigned long n, bool either)
{
	struct flush_counts a, b;
	uint64_t map;

	ASSERT_EQ(0, puppet_cmd(pp, OP_MAP, 0, n + 2));
	map = pp->ctl->addr;
	ASSERT_EQ(0, puppet_cmd(pp, OP_WRITE, map, n + 2));
	ASSERT_EQ(0, ptscope_track_start(c, pp->pid));
	ASSERT_EQ(0, stats_of(c, pp->pid, st));
	if (!flushes_counted(_metadata, st))
		SKIP(return, "no probe counts flush requests here");
	a = flushes_of(st);
	ASSERT_EQ(0, puppet_cmd(pp, OP_MUNMAP, map + PAGE_SZ, n));
	ASSERT_EQ(0, stats_of(c, pp->pid, st));
	b = flushes_of(st);
	TH_LOG("munmap of %lu pages: full +%llu, ranged +%llu, pages +%llu", n,
	       (unsigned long long)(b.full - a.full),
	       (unsigned long long)(b.ranged - a.ranged),
	       (unsigned long long)(b.pages - a.pages));
	if (either && b.full - a.full == 1) {
		EXPECT_EQ(a.ranged, b.ranged);
		EXPECT_EQ(a.pages, b.pages);
		return;
	}
	EXPECT_EQ(a.full, b.full);
	EXPECT_EQ(a.ranged + 1, b.ranged);
	EXPECT_EQ(a.pages + n, b.pages);
}

TEST_F(track, munmap_is_one_ranged_flush)
{
	check_munmap(_metadata, self->c, &self->pp, &self->st, 16, false);
}

/* MAX_DVM_OPS pages: ranged with FEAT_TLBIRANGE (or on x86), else full. */
TEST_F(track, munmap_at_dvm_limit)
{
	bool arm64 = self->info.probes & PTSCOPE_PROBE_MMU_NOTIFIER_TLB;

	check_munmap(_metadata, self->c, &self->pp, &self->st, MAX_DVM_OPS,
		     arm64);
}

/* mprotect() read-only of n written pages: one ranged flush of n pages. */
TEST_F(track, mprotect_is_one_ranged_flush)
{
	const unsigned long n = 32;
	struct flush_counts a, b;
	uint64_t map;

	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_MAP, 0, n + 2));
	map = self->pp.ctl->addr;
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_WRITE, map, n + 2));
	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	ASSERT_EQ(0, stats_of(self->c, self->pp.pid, &self->st));
	if (!flushes_counted(_metadata, &self->st))
		SKIP(return, "no probe counts flush requests here");
	a = flushes_of(&self->st);
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_MPROTECT_RO, map + PAGE_SZ, n));
	ASSERT_EQ(0, stats_of(self->c, self->pp.pid, &self->st));
	b = flushes_of(&self->st);
	EXPECT_EQ(a.full, b.full);
	EXPECT_EQ(a.ranged + 1, b.ranged);
	EXPECT_EQ(a.pages + n, b.pages);
}

/*
 * fork() write-protects the parent's private pages and flushes its whole
 * mm once (dup_mmap(): flush_tlb_mm(oldmm)).  The parent's writes after
 * it are copy-on-write faults that flush single pages: ranged, not full.
 */
TEST_F(track, fork_flushes_parent_mm_once)
{
	struct flush_counts a, b;

	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	ASSERT_EQ(0, stats_of(self->c, self->pp.pid, &self->st));
	if (!flushes_counted(_metadata, &self->st))
		SKIP(return, "no probe counts flush requests here");
	a = flushes_of(&self->st);
	ASSERT_EQ(0, puppet_cmd(&self->pp, OP_FORK, 0, 0));
	self->pp.grandchild = self->pp.ctl->addr;
	ASSERT_EQ(0, stats_of(self->c, self->pp.pid, &self->st));
	b = flushes_of(&self->st);
	EXPECT_EQ(a.full + 1, b.full);
	/*
	 * Every ranged flush after it is a page (COW), none bigger: the
	 * pages the puppet writes to answer (its stack and data, seen +1
	 * and +2), never the pages of its mappings.
	 */
	EXPECT_EQ(b.ranged - a.ranged, b.pages - a.pages);
	EXPECT_GE(4, b.ranged - a.ranged);
	TH_LOG("fork: full +%llu, ranged +%llu (pages +%llu)",
	       (unsigned long long)(b.full - a.full),
	       (unsigned long long)(b.ranged - a.ranged),
	       (unsigned long long)(b.pages - a.pages));
}

/* The process goes away: its tracking state goes with it. */
TEST_F(track, exit_frees_state)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	uint32_t base;
	int i;

	ASSERT_EQ(0, ptscope_get_info(self->c, &self->info));
	base = self->info.track_objects;
	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	ASSERT_EQ(0, ptscope_get_info(self->c, &self->info));
	EXPECT_EQ(base + 1, self->info.track_objects);

	kill_wait(self->pp.pid);
	self->pp.pid = 0;
	for (i = 0; i < 50; i++) {
		ASSERT_EQ(0, ptscope_get_info(self->c, &self->info));
		if (self->info.track_objects == base)
			break;
		nanosleep(&ts, NULL);
	}
	EXPECT_EQ(base, self->info.track_objects);
	EXPECT_EQ(0, self->info.tracked);
	EXPECT_EQ(0, self->info.probes_active);
	TH_LOG("state freed %d ms after exit", i * 100);
}

TEST_HARNESS_MAIN
