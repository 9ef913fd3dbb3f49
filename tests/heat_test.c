// SPDX-License-Identifier: GPL-2.0
/*
 * sample-access, exact: a target touches exactly a known, changing set of
 * pages per interval and every sample must report exactly that set, page
 * for page (issue 13).
 *
 * The target and a peer are children of this test, each pinned to a CPU
 * (the target to another CPU than the sampler where there are two, so its
 * TLB entries outlive the interval unless the sample flushes them) and
 * driven over pipes, or for the TLB checks also through a spinning flag in
 * shared memory (no system call between two touches).  The target maps,
 * inside a PROT_NONE reservation with guard pages between them:
 *
 *   thp     2 MiB, 2 MiB aligned, MADV_HUGEPAGE: one PMD leaf where THP
 *           is available (all 512 pages accessed iff any byte was touched),
 *           else 512 pages checked one by one
 *   anon    64 pages, MADV_NOHUGEPAGE; every eighth page not faulted in
 *           until touched; some zapped (MADV_DONTNEED) now and then; an
 *           absent page read maps the zero page (present, in no Rss)
 *   file    64 pages of a file in /tmp, MAP_PRIVATE, all read in, every
 *           fourth written (copied); later writes copy the others
 *   shared  64 pages of a memfd, MAP_SHARED, all written by both the target
 *           and the peer, which touch them independently and are sampled
 *           separately
 *
 * Everything is faulted in before the first (DISCARD) sample, so no
 * fault-around maps a neighbour young during the series.  Touches happen
 * only in the touch phase and only in these ranges; the test process never
 * maps them.  Per interval: the expected present/accessed state of every
 * page of the reservation, compared with the blocks (which must lie in
 * order inside the range and never cross a mapping's boundary), with the
 * access-stats totals, and with the present bits of /proc/PID/pagemap.
 *
 * Also: samples spanning many messages, a hugetlb page, an idle target,
 * and the errors (ESRCH, EOPNOTSUPP, EINVAL, ERANGE, EPERM).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A spin-wait hint: PAUSE on x86, YIELD on arm64. */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

#include "kselftest_harness.h"
#include "common.h"
#include "fuzz_nl.h"

#define ALLOW_SAME_USER	"/sys/module/ptscope/parameters/allow_same_user"
#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"
#define NOBODY		65534

#define THP_SZ		(2UL << 20)
#define THP_PAGES	(THP_SZ / PAGE_SZ)
#define ANON_PAGES	64
#define FILE_PAGES	64
#define SHARED_PAGES	64
#define INTERVALS	12
#define MAX_LOGGED	20

enum region { R_THP, R_ANON, R_FILE, R_SHARED, R_NR };

static const char *const region_name[R_NR] = { "thp", "anon", "file", "shared" };
static const unsigned long region_pages[R_NR] = {
	THP_PAGES, ANON_PAGES, FILE_PAGES, SHARED_PAGES,
};

/* OP_ZAP: MADV_DONTNEED, no access (anon pages only: no fault-around) */
enum op { OP_NONE, OP_READ, OP_WRITE, OP_ZAP };

/* Shared with one child (MAP_SHARED before fork), outside what is sampled. */
struct ctl {
	uint64_t lo, hi;		/* the reservation: the sampled range */
	uint64_t start[R_NR];		/* 0: not mapped in this child */
	int err;			/* errno of the child's setup */
	uint8_t op[R_NR][THP_PAGES];	/* this interval's touches */
	uint32_t seq, ack;		/* spin mode */
};

/* A child driven over two pipes, with memory shared with it. */
struct child {
	pid_t pid;
	int cmd, ack;
	void *shm;
	size_t shm_size;
	struct ctl *ctl;	/* shm, for child_main() */
};

/* A child's body: @shm shared, @cmd to read commands, @ack to answer. */
typedef void (*child_fn)(void *shm, int cmd, int ack, const void *arg);

/* Forks @fn and waits for its first byte on @ack; 0 or a negative errno. */
static int child_spawn(struct child *ch, size_t size, child_fn fn,
		       const void *arg)
{
	int cmd[2], ack[2];
	char c;

	memset(ch, 0, sizeof(*ch));
	ch->pid = ch->cmd = ch->ack = -1;
	ch->shm = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ch->shm == MAP_FAILED) {
		ch->shm = NULL;
		return -errno;
	}
	ch->shm_size = size;
	if (pipe2(cmd, O_CLOEXEC) || pipe2(ack, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	ch->pid = fork();
	if (ch->pid < 0)
		return -errno;
	if (!ch->pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(cmd[1]);
		close(ack[0]);
		fn(ch->shm, cmd[0], ack[1], arg);
		_exit(1);
	}
	close(cmd[0]);
	close(ack[1]);
	ch->cmd = cmd[1];
	ch->ack = ack[0];
	return read(ch->ack, &c, 1) == 1 ? 0 : -EIO;
}

/* ---- the children ----------------------------------------------------- */

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int nr_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set);
}

/* Only the pages ctl->op names, each once, nothing else in the ranges. */
static void touch(struct ctl *ctl, uint8_t val)
{
	for (int r = 0; r < R_NR; r++) {
		if (!ctl->start[r])
			continue;
		for (unsigned long i = 0; i < region_pages[r]; i++) {
			volatile char *p = (volatile char *)(uintptr_t)
				(ctl->start[r] + i * PAGE_SZ + (i * 64) % PAGE_SZ);

			if (ctl->op[r][i] == OP_READ)
				(void)*p;
			else if (ctl->op[r][i] == OP_WRITE)
				*p = val;
			else if (ctl->op[r][i] == OP_ZAP)
				madvise((void *)((uintptr_t)p & ~(PAGE_SZ - 1)),
					PAGE_SZ, MADV_DONTNEED);
		}
	}
}

static int map_fixed(uint64_t at, unsigned long pages, int prot, int flags,
		     int fd)
{
	void *m = mmap((void *)(uintptr_t)at, pages * PAGE_SZ, prot,
		       flags | MAP_FIXED, fd, 0);

	return m == MAP_FAILED ? -errno : 0;
}

/*
 * The child's mappings, in a reservation of its own: thp, a guard page,
 * anon, guard, file, guard, shared.  @file_fd < 0: no file mapping;
 * @thp: map the thp and anon regions too (the target; the peer maps only
 * the shared one).
 */
static int child_setup(struct ctl *ctl, bool thp, int file_fd, int shm_fd)
{
	size_t resv = 2 * THP_SZ + 4 * THP_SZ;
	char *m = mmap(NULL, resv, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint64_t base, at;
	unsigned long i;
	volatile char *p;

	if (m == MAP_FAILED)
		return errno;
	base = ((uintptr_t)m + THP_SZ - 1) & ~(THP_SZ - 1);
	ctl->lo = base;
	at = base;
	if (thp) {
		if (map_fixed(at, THP_PAGES, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1))
			return errno;
		madvise((void *)(uintptr_t)at, THP_SZ, MADV_HUGEPAGE);
		ctl->start[R_THP] = at;
		for (i = 0, p = (char *)(uintptr_t)at; i < THP_PAGES; i++)
			p[i * PAGE_SZ] = 1;
		at += THP_SZ + PAGE_SZ;

		if (map_fixed(at, ANON_PAGES, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1))
			return errno;
		if (madvise((void *)(uintptr_t)at, ANON_PAGES * PAGE_SZ,
			    MADV_NOHUGEPAGE))
			return errno;
		ctl->start[R_ANON] = at;
		for (i = 0, p = (char *)(uintptr_t)at; i < ANON_PAGES; i++)
			if (i % 8 != 7)
				p[i * PAGE_SZ] = 1;
		at += (ANON_PAGES + 1) * PAGE_SZ;
	}
	if (file_fd >= 0) {
		if (map_fixed(at, FILE_PAGES, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE, file_fd))
			return errno;
		ctl->start[R_FILE] = at;
		for (i = 0, p = (char *)(uintptr_t)at; i < FILE_PAGES; i++) {
			(void)p[i * PAGE_SZ];
			if (i % 4 == 0)
				p[i * PAGE_SZ] = 2;
		}
		at += (FILE_PAGES + 1) * PAGE_SZ;
	}
	if (map_fixed(at, SHARED_PAGES, PROT_READ | PROT_WRITE, MAP_SHARED,
		      shm_fd))
		return errno;
	ctl->start[R_SHARED] = at;
	for (i = 0, p = (char *)(uintptr_t)at; i < SHARED_PAGES; i++)
		p[i * PAGE_SZ] = 3;
	at += SHARED_PAGES * PAGE_SZ;
	ctl->hi = at;
	return 0;
}

/*
 * Commands, one byte each, acknowledged with one byte: 't' touch ctl->op,
 * 's' spin: touch each time ctl->seq moves, set ctl->ack to it, until seq
 * is 0 again; 'x' exit.
 */
struct target_args {
	int cpu;
	bool thp;
	int file_fd, shm_fd;
};

static void child_main(void *shm, int cmd, int ack, const void *arg)
{
	const struct target_args *a = arg;
	struct ctl *ctl = shm;
	uint8_t val = 0;
	char c = 'r';

	pin(a->cpu);
	ctl->err = child_setup(ctl, a->thp, a->file_fd, a->shm_fd);
	if (write(ack, &c, 1) != 1 || ctl->err)
		_exit(1);
	while (read(cmd, &c, 1) == 1) {
		switch (c) {
		case 't':
			touch(ctl, ++val);
			break;
		case 's': {
			uint32_t last = 0, s;

			for (;;) {
				s = __atomic_load_n(&ctl->seq, __ATOMIC_ACQUIRE);
				if (s == last) {
					cpu_relax();
					continue;
				}
				if (!s)
					break;
				touch(ctl, ++val);
				last = s;
				__atomic_store_n(&ctl->ack, s, __ATOMIC_RELEASE);
			}
			break;
		}
		case 'x':
			_exit(0);
		}
		if (write(ack, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static int child_start(struct child *ch, int cpu, bool thp, int file_fd,
		       int shm_fd)
{
	struct target_args a = { cpu, thp, file_fd, shm_fd };
	int e = child_spawn(ch, sizeof(struct ctl), child_main, &a);

	ch->ctl = ch->shm;
	if (e && ch->ctl && ch->ctl->err)
		return -ch->ctl->err;
	return e;
}

static int child_cmd(struct child *ch, char c)
{
	if (write(ch->cmd, &c, 1) != 1 || read(ch->ack, &c, 1) != 1)
		return -EIO;
	return 0;
}

/* Spin mode: one touch round without a system call in the child. */
static int child_spin_round(struct child *ch, uint32_t seq)
{
	__atomic_store_n(&ch->ctl->seq, seq, __ATOMIC_RELEASE);
	for (int i = 0; i < 200000; i++) {
		if (__atomic_load_n(&ch->ctl->ack, __ATOMIC_ACQUIRE) == seq)
			return 0;
		usleep(50);
	}
	return -ETIMEDOUT;
}

static void child_stop(struct child *ch)
{
	if (ch->pid > 0)
		kill_wait(ch->pid);
	ch->pid = -1;
	if (ch->cmd > 0)
		close(ch->cmd);
	if (ch->ack > 0)
		close(ch->ack);
	ch->cmd = ch->ack = -1;
	if (ch->shm)
		munmap(ch->shm, ch->shm_size);
	ch->shm = NULL;
	ch->ctl = NULL;
}

/* ---- what a sample reported ------------------------------------------ */

struct sample {
	uint64_t lo, hi;	/* the range sampled: blocks must lie inside */
	uint64_t base;		/* the address of state[0] */
	size_t n;
	uint8_t *state;		/* PTSCOPE_ACCESS_* per page from base */
	uint64_t *bounds;	/* mapping boundaries no block may cross */
	size_t nbounds;
	uint64_t next;		/* blocks come in order: first page not yet seen */
	bool page_vmas;		/* every page is a VMA: one-page blocks */
	unsigned int blocks;
	char why[256];		/* first malformed block */
};

static int sample_cb(const struct ptscope_access_block *b, void *arg)
{
	struct sample *s = arg;
	uint64_t end = b->start + b->nr_pages * PAGE_SZ;

	s->blocks++;
	if (s->why[0])
		return 0;
	if (b->start & (PAGE_SZ - 1) || b->start < s->lo || end > s->hi ||
	    b->start < s->next) {
		snprintf(s->why, sizeof(s->why),
			 "block %#llx + %llu pages outside [%#llx, %#llx) or before %#llx",
			 (unsigned long long)b->start,
			 (unsigned long long)b->nr_pages,
			 (unsigned long long)s->lo, (unsigned long long)s->hi,
			 (unsigned long long)s->next);
		return 0;
	}
	if (s->page_vmas && b->nr_pages != 1) {
		snprintf(s->why, sizeof(s->why),
			 "block %#llx + %llu pages crosses one-page VMAs",
			 (unsigned long long)b->start,
			 (unsigned long long)b->nr_pages);
		return 0;
	}
	for (size_t k = 0; k < s->nbounds; k++)
		if (b->start < s->bounds[k] && s->bounds[k] < end) {
			snprintf(s->why, sizeof(s->why),
				 "block %#llx + %llu pages crosses the mapping boundary %#llx",
				 (unsigned long long)b->start,
				 (unsigned long long)b->nr_pages,
				 (unsigned long long)s->bounds[k]);
			return 0;
		}
	for (uint64_t i = 0; i < b->nr_pages; i++)
		s->state[(b->start - s->base) / PAGE_SZ + i] =
			ptscope_access_state(b, i);
	s->next = end;
	return 0;
}

/* Boundaries of @ctl's mappings (starts and ends) into @s. */
static void sample_init(struct sample *s, const struct ctl *ctl)
{
	memset(s, 0, sizeof(*s));
	s->base = s->lo = ctl->lo;
	s->hi = ctl->hi;
	s->n = (s->hi - s->lo) / PAGE_SZ;
	s->state = calloc(s->n, 1);
	s->bounds = calloc(2 * R_NR, sizeof(*s->bounds));
	for (int r = 0; r < R_NR; r++) {
		if (!ctl->start[r])
			continue;
		s->bounds[s->nbounds++] = ctl->start[r];
		s->bounds[s->nbounds++] = ctl->start[r] + region_pages[r] * PAGE_SZ;
	}
}

static void sample_reset(struct sample *s)
{
	memset(s->state, 0, s->n);
	s->next = s->lo;
	s->blocks = 0;
	s->why[0] = '\0';
}

static void sample_free(struct sample *s)
{
	free(s->state);
	free(s->bounds);
}

/* ---- what the test expects ---------------------------------------------- */

/* Expected state per page of one child's reservation. */
struct model {
	const struct ctl *ctl;
	size_t n;
	bool *present;		/* what setup and the touches so far mapped */
	bool *zero;		/* mapped to the zero page (read while absent) */
	uint8_t *want;		/* this interval's expected states */
	bool thp_leaf;		/* the thp region is one PMD leaf */
};

static size_t page_of(const struct model *m, int r, unsigned long i)
{
	return (m->ctl->start[r] - m->ctl->lo) / PAGE_SZ + i;
}

static void model_init(struct model *m, const struct ctl *ctl, bool thp_leaf)
{
	m->ctl = ctl;
	m->n = (ctl->hi - ctl->lo) / PAGE_SZ;
	m->present = calloc(m->n, sizeof(bool));
	m->zero = calloc(m->n, sizeof(bool));
	m->want = calloc(m->n, 1);
	m->thp_leaf = thp_leaf;
	for (int r = 0; r < R_NR; r++) {
		if (!ctl->start[r])
			continue;
		for (unsigned long i = 0; i < region_pages[r]; i++)
			m->present[page_of(m, r, i)] = r != R_ANON || i % 8 != 7;
	}
}

static void model_free(struct model *m)
{
	free(m->present);
	free(m->zero);
	free(m->want);
}

/* After ctl->op was carried out: m->want for the sample that follows. */
static void model_apply(struct model *m)
{
	const struct ctl *ctl = m->ctl;
	bool thp_touched = false;

	for (int r = 0; r < R_NR; r++) {
		if (!ctl->start[r])
			continue;
		for (unsigned long i = 0; i < region_pages[r]; i++) {
			size_t k = page_of(m, r, i);

			switch (ctl->op[r][i]) {
			case OP_READ:
				/* an absent anonymous page reads as the zero page */
				if (!m->present[k])
					m->zero[k] = true;
				m->present[k] = true;
				break;
			case OP_WRITE:
				m->zero[k] = false;
				m->present[k] = true;
				break;
			case OP_ZAP:
				m->zero[k] = m->present[k] = false;
				break;
			}
			if (r == R_THP && ctl->op[r][i])
				thp_touched = true;
			m->want[k] = (m->present[k] ? PTSCOPE_ACCESS_PRESENT : 0) |
				     (ctl->op[r][i] == OP_READ || ctl->op[r][i] == OP_WRITE ?
				      PTSCOPE_ACCESS_ACCESSED : 0);
		}
	}
	if (m->thp_leaf && ctl->start[R_THP])
		for (unsigned long i = 0; i < THP_PAGES; i++)
			m->want[page_of(m, R_THP, i)] = PTSCOPE_ACCESS_PRESENT |
				(thp_touched ? PTSCOPE_ACCESS_ACCESSED : 0);
}

/* Leaves whose accessed bit was set: what access-stats' cleared must reach. */
static uint64_t model_accessed_leaves(const struct model *m)
{
	uint64_t n = 0;

	for (size_t k = 0; k < m->n; k++)
		if (m->want[k] & PTSCOPE_ACCESS_ACCESSED)
			n++;
	if (m->thp_leaf && m->ctl->start[R_THP] &&
	    (m->want[page_of(m, R_THP, 0)] & PTSCOPE_ACCESS_ACCESSED))
		n -= THP_PAGES - 1;
	return n;
}

/* Region and page index of page k of the reservation, for messages. */
static const char *where(const struct model *m, size_t k, unsigned long *idx)
{
	uint64_t a = m->ctl->lo + k * PAGE_SZ;

	for (int r = 0; r < R_NR; r++)
		if (m->ctl->start[r] && a >= m->ctl->start[r] &&
		    a < m->ctl->start[r] + region_pages[r] * PAGE_SZ) {
			*idx = (a - m->ctl->start[r]) / PAGE_SZ;
			return region_name[r];
		}
	*idx = k;
	return "guard";
}

/* ---- touch sets ----------------------------------------------------------- */

static uint64_t xs(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/*
 * Interval @iv's touches for a child, from @seed: about 40 % of the pages
 * of each region, reads and writes (an absent anon page read maps the
 * zero page, written a page of its own); every fourth interval zaps a few
 * anon pages instead (absent until touched again); the thp region
 * untouched, touched in one page or in many by turns; interval 3 touches
 * nothing at all.
 */
static void pick_touches(struct ctl *ctl, uint64_t seed, int iv)
{
	uint64_t s = seed ^ (0x9E3779B97F4A7C15ULL * (iv + 1));

	memset(ctl->op, 0, sizeof(ctl->op));
	if (iv == 3)
		return;
	for (int r = 0; r < R_NR; r++) {
		if (!ctl->start[r])
			continue;
		for (unsigned long i = 0; i < region_pages[r]; i++) {
			uint64_t x = xs(&s);

			if (r == R_THP)
				continue;
			if (x % 100 >= 40)
				continue;
			ctl->op[r][i] = (x >> 32) & 1 ? OP_WRITE : OP_READ;
		}
	}
	if (ctl->start[R_ANON] && iv % 4 == 2)
		for (int z = 0; z < 4; z++)
			ctl->op[R_ANON][xs(&s) % ANON_PAGES] = OP_ZAP;
	if (ctl->start[R_THP]) {
		switch (iv % 3) {
		case 1:
			ctl->op[R_THP][xs(&s) % THP_PAGES] = OP_READ;
			break;
		case 2:
			for (unsigned long i = 0; i < THP_PAGES; i++)
				if (xs(&s) % 100 < 30)
					ctl->op[R_THP][i] = i & 1 ? OP_READ : OP_WRITE;
			break;
		}
	}
}

/* ---- checking one sample ------------------------------------------------- */

static bool thp_is_leaf(struct ptscope_client *c, pid_t pid, uint64_t start)
{
	struct run_list rl = {};
	bool leaf;

	if (collect_runs(c, pid, start, start + THP_SZ, 0, &rl) || !rl.n)
		return false;
	leaf = true;
	for (size_t i = 0; i < rl.n; i++)
		leaf &= !!(rl.r[i].flags & PTSCOPE_PF_HUGE_PMD);
	run_list_free(&rl);
	return leaf;
}

/* THP may be off ("never"): MADV_HUGEPAGE needs at least "madvise". */
static void thp_allow(void)
{
	char buf[128] = "";

	if (!read_file(THP_ENABLED, buf, sizeof(buf)) && strstr(buf, "[never]"))
		write_file(THP_ENABLED, "madvise");
}

/*
 * Samples @pid's reservation and compares it with @m (and pagemap);
 * returns the number of pages that differ (logged), or -1 on a failed
 * or malformed sample.  @st: the access-stats.
 */
static long check_sample(struct __test_metadata *_metadata,
			 struct ptscope_client *c, pid_t pid, const char *who,
			 int iv, struct sample *s, const struct model *m,
			 struct ptscope_access_stats *st)
{
	uint64_t *pm = calloc(s->n, sizeof(*pm));
	uint64_t present = 0, accessed = 0;
	long bad = 0;
	int e;

	sample_reset(s);
	e = ptscope_sample_access(c, pid, s->lo, s->hi, 0, sample_cb, s, st);
	if (e) {
		TH_LOG("%s interval %d: sample-access: %d (%s)", who, iv, e,
		       ptscope_errmsg(c));
		free(pm);
		return -1;
	}
	if (s->why[0]) {
		TH_LOG("%s interval %d: %s", who, iv, s->why);
		free(pm);
		return -1;
	}
	if (pagemap_read(pid, s->lo, s->n, pm)) {
		TH_LOG("%s: pagemap unreadable", who);
		free(pm);
		return -1;
	}
	for (size_t k = 0; k < s->n; k++) {
		unsigned int got = s->state[k];
		bool pm_present = !!(pm[k] & PM_PRESENT);
		unsigned long idx;
		const char *rn = where(m, k, &idx);

		present += !!(got & PTSCOPE_ACCESS_PRESENT);
		accessed += !!(got & PTSCOPE_ACCESS_ACCESSED);
		if (got != m->want[k] ||
		    pm_present != !!(got & PTSCOPE_ACCESS_PRESENT)) {
			if (bad++ < MAX_LOGGED)
				TH_LOG("%s interval %d: %s page %lu (%#llx): reported %s%s, expected %s%s, pagemap %s",
				       who, iv, rn, idx,
				       (unsigned long long)(s->lo + k * PAGE_SZ),
				       got & PTSCOPE_ACCESS_PRESENT ? "present" : "absent",
				       got & PTSCOPE_ACCESS_ACCESSED ? "+accessed" : "",
				       m->want[k] & PTSCOPE_ACCESS_PRESENT ? "present" : "absent",
				       m->want[k] & PTSCOPE_ACCESS_ACCESSED ? "+accessed" : "",
				       pm_present ? "present" : "absent");
		}
	}
	free(pm);
	/* access-stats: the totals of what was sent */
	EXPECT_EQ(present, st->present) TH_LOG("%s interval %d", who, iv);
	EXPECT_EQ(accessed, st->accessed) TH_LOG("%s interval %d", who, iv);
	EXPECT_GE(st->cleared, model_accessed_leaves(m))
		TH_LOG("%s interval %d", who, iv);
	if (st->cleared) {
		EXPECT_GE(st->flushes, 1) TH_LOG("%s interval %d", who, iv);
	} else {
		EXPECT_EQ(0, st->flushes) TH_LOG("%s interval %d", who, iv);
	}
	/* a huge leaf is one entry for all its pages */
	EXPECT_GE(st->entries, present - (m->thp_leaf && m->ctl->start[R_THP] ?
					  THP_PAGES - 1 : 0))
		TH_LOG("%s interval %d", who, iv);
	return bad;
}

static int count_cb(const struct ptscope_access_block *b, void *arg)
{
	(void)b;
	++*(int *)arg;
	return 0;
}

/* Rss of each mapping in smaps = its present pages. */
static void check_rss(struct __test_metadata *_metadata, pid_t pid,
		      const struct model *m)
{
	struct smaps sm = {};

	ASSERT_EQ(0, smaps_read(pid, &sm));
	for (int r = 0; r < R_NR; r++) {
		const struct smaps_vma *v;
		uint64_t present = 0;

		if (!m->ctl->start[r])
			continue;
		v = smaps_find(&sm, m->ctl->start[r]);
		ASSERT_NE(NULL, v) TH_LOG("%s not in smaps", region_name[r]);
		/* the zero page is in no Rss */
		for (unsigned long i = 0; i < region_pages[r]; i++)
			present += m->present[page_of(m, r, i)] &&
				   !m->zero[page_of(m, r, i)];
		EXPECT_EQ(present * 4, v->rss_kb) TH_LOG("%s Rss", region_name[r]);
	}
	smaps_free(&sm);
}

/* ---- fixture --------------------------------------------------------------- */

FIXTURE(heat) {
	struct ptscope_client *c;
	struct child target, peer;
	int file_fd, shm_fd;
	char file[64];
	int cpus;
	bool thp_leaf, exact;
	uint64_t seed;
};

FIXTURE_SETUP(heat)
{
	char buf[PAGE_SZ];
	struct ptscope_info info;
	int e = ptscope_open(&self->c);

	self->file_fd = self->shm_fd = -1;
	self->target.pid = self->peer.pid = -1;
	if (e == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, e);
	ASSERT_EQ(0, ptscope_get_info(self->c, &info));
	ASSERT_TRUE(info.privileged) TH_LOG("run the tests as root");
	self->exact = !!(info.features & PTSCOPE_FEAT_ACCESS_EXACT);

	/* the sampler on CPU 0, the target alone on the other */
	self->cpus = nr_cpus();
	pin(0);
	thp_allow();

	/* written, never mapped, by this process */
	snprintf(self->file, sizeof(self->file), "/tmp/ptscope-heat.XXXXXX");
	self->file_fd = mkstemp(self->file);
	ASSERT_LE(0, self->file_fd);
	for (int i = 0; i < FILE_PAGES; i++) {
		memset(buf, 'a' + i % 26, sizeof(buf));
		ASSERT_EQ((ssize_t)sizeof(buf), write(self->file_fd, buf, sizeof(buf)));
	}
	self->shm_fd = memfd_create("ptscope-heat", 0);
	ASSERT_LE(0, self->shm_fd);
	ASSERT_EQ(0, ftruncate(self->shm_fd, SHARED_PAGES * PAGE_SZ));

	ASSERT_EQ(0, child_start(&self->target, self->cpus > 1 ? 1 : 0, true,
				 self->file_fd, self->shm_fd));
	ASSERT_EQ(0, child_start(&self->peer, 0, false, -1, self->shm_fd));
	self->thp_leaf = thp_is_leaf(self->c, self->target.pid,
				     self->target.ctl->start[R_THP]);
	{
		const char *env = getenv("HEAT_SEED");

		self->seed = env ? strtoull(env, NULL, 0) : 0x6865617430303031ULL;
	}
	TH_LOG("target %d on CPU %d, peer %d on CPU 0; thp %s; seed %#llx (HEAT_SEED)",
	       self->target.pid, self->cpus > 1 ? 1 : 0, self->peer.pid,
	       self->thp_leaf ? "one PMD leaf" : "not PMD-mapped: page by page",
	       (unsigned long long)self->seed);
}

FIXTURE_TEARDOWN(heat)
{
	child_stop(&self->target);
	child_stop(&self->peer);
	if (self->file_fd >= 0) {
		close(self->file_fd);
		unlink(self->file);
	}
	if (self->shm_fd >= 0)
		close(self->shm_fd);
	ptscope_close(self->c);
}

/* DISCARD first: no blocks, and the bits it cleared are gone after. */
static void prime(struct __test_metadata *_metadata, struct ptscope_client *c,
		  const struct ctl *ctl, pid_t pid)
{
	struct ptscope_access_stats st;
	int calls = 0;

	ASSERT_EQ(0, ptscope_sample_access(c, pid, ctl->lo, ctl->hi,
					   PTSCOPE_ACCESS_F_DISCARD, count_cb,
					   &calls, &st));
	EXPECT_EQ(0, calls) TH_LOG("DISCARD sent blocks");
	EXPECT_GT(st.present, 0);
}

/*
 * The series: per interval the target and the peer touch their sets, then
 * each is sampled and compared.  @thp_only: touch only the thp region.
 */
static void series(struct __test_metadata *_metadata, FIXTURE_DATA(heat) *self,
		   int intervals, bool thp_only)
{
	struct model mt, mp;
	struct sample st_, sp;
	struct ptscope_access_stats as;
	long bad = 0, r1, r2;

	if (!self->exact)
		SKIP(return, "the module cannot flush this CPU's cached translations (no access-exact feature)");
	model_init(&mt, self->target.ctl, self->thp_leaf);
	model_init(&mp, self->peer.ctl, false);
	sample_init(&st_, self->target.ctl);
	sample_init(&sp, self->peer.ctl);
	prime(_metadata, self->c, self->target.ctl, self->target.pid);
	prime(_metadata, self->c, self->peer.ctl, self->peer.pid);

	for (int iv = 0; iv < intervals; iv++) {
		pick_touches(self->target.ctl, self->seed, iv);
		pick_touches(self->peer.ctl, self->seed ^ 0x7065657200000000ULL, iv);
		if (thp_only) {
			memset(self->target.ctl->op[R_ANON], 0, THP_PAGES);
			memset(self->target.ctl->op[R_FILE], 0, THP_PAGES);
			memset(self->target.ctl->op[R_SHARED], 0, THP_PAGES);
			memset(self->peer.ctl->op, 0, sizeof(self->peer.ctl->op));
		}
		ASSERT_EQ(0, child_cmd(&self->target, 't'));
		ASSERT_EQ(0, child_cmd(&self->peer, 't'));
		model_apply(&mt);
		model_apply(&mp);
		r1 = check_sample(_metadata, self->c, self->target.pid, "target",
				  iv, &st_, &mt, &as);
		r2 = check_sample(_metadata, self->c, self->peer.pid, "peer",
				  iv, &sp, &mp, &as);
		ASSERT_LE(0, r1);
		ASSERT_LE(0, r2);
		bad += r1 + r2;
	}
	EXPECT_EQ(0, bad) TH_LOG("%ld pages reported other than touched", bad);
	if (!thp_only) {
		check_rss(_metadata, self->target.pid, &mt);
		check_rss(_metadata, self->peer.pid, &mp);
	}
	if (self->thp_leaf)
		EXPECT_TRUE(thp_is_leaf(self->c, self->target.pid,
					self->target.ctl->start[R_THP]))
			TH_LOG("the THP was split during the series");
	sample_free(&st_);
	sample_free(&sp);
	model_free(&mt);
	model_free(&mp);
}

/* Every page of every kind, INTERVALS intervals. */
TEST_F_TIMEOUT(heat, exact_sets, 300)
{
	series(_metadata, self, INTERVALS, false);
}

/* The THP alone: the whole leaf accessed iff any of its bytes was. */
TEST_F_TIMEOUT(heat, thp_leaf, 300)
{
	if (!self->thp_leaf)
		SKIP(return, "THP unavailable: the 2 MiB region is not one PMD leaf (%s)",
		     THP_ENABLED);
	series(_metadata, self, 9, true);
}

/*
 * The TLB: the same page, and only it, touched in consecutive intervals.
 * Its translation is cached after the first touch; unless the sample
 * flushed it, the second touch hits the TLB, which (on real CPUs and on
 * TCG) does not set the accessed bit again.  Once with the target asleep
 * on a pipe between touches (its CPU idle, lazily keeping its mm), once
 * spinning on a flag in shared memory (no system call, no switch).
 */
static void same_page(struct __test_metadata *_metadata,
		      FIXTURE_DATA(heat) *self, bool spin)
{
	static const struct { int r; unsigned long i; } pages[] = {
		{ R_ANON, 5 }, { R_THP, 17 }, { R_FILE, 9 }, { R_FILE, 8 },
		{ R_SHARED, 33 },
	};
	struct ctl *ctl = self->target.ctl;
	struct model m;
	struct sample s;
	struct ptscope_access_stats as;
	long bad = 0, r;
	uint32_t seq = 0;

	if (!self->exact)
		SKIP(return, "the module cannot flush this CPU's cached translations (no access-exact feature)");
	model_init(&m, ctl, self->thp_leaf);
	sample_init(&s, ctl);
	prime(_metadata, self->c, ctl, self->target.pid);
	if (spin)
		ASSERT_EQ(0, write(self->target.cmd, "s", 1) == 1 ? 0 : -EIO);
	for (size_t p = 0; p < sizeof(pages) / sizeof(pages[0]); p++) {
		for (int rep = 0; rep < 4; rep++) {
			memset(ctl->op, 0, sizeof(ctl->op));
			ctl->op[pages[p].r][pages[p].i] = rep & 1 ? OP_WRITE : OP_READ;
			if (spin) {
				ASSERT_EQ(0, child_spin_round(&self->target, ++seq));
			} else {
				ASSERT_EQ(0, child_cmd(&self->target, 't'));
			}
			model_apply(&m);
			r = check_sample(_metadata, self->c, self->target.pid,
					 spin ? "spinning target" : "target",
					 (int)(p * 4 + rep), &s, &m, &as);
			ASSERT_LE(0, r);
			bad += r;
			if (r)
				TH_LOG("%s page %lu touched again: rep %d",
				       region_name[pages[p].r], pages[p].i, rep);
		}
	}
	if (spin) {
		char c;

		__atomic_store_n(&ctl->seq, 0, __ATOMIC_RELEASE);
		ASSERT_EQ(1, read(self->target.ack, &c, 1));
	}
	EXPECT_EQ(0, bad);
	sample_free(&s);
	model_free(&m);
}

TEST_F_TIMEOUT(heat, same_page_again_sleeping, 300)
{
	same_page(_metadata, self, false);
}

TEST_F_TIMEOUT(heat, same_page_again_spinning, 300)
{
	same_page(_metadata, self, true);
}

/*
 * Ranges that cut mappings and the THP: blocks clipped to the range, each
 * 4K page's state exact in the chunk that holds it.  A huge leaf has one
 * accessed bit: the first chunk that reaches into the THP reads and clears
 * it for the whole leaf, so a later chunk of the same leaf reads it clear
 * (logged, not asserted: the spec says visited leaves are cleared).
 */
TEST_F(heat, chunked_ranges)
{
	struct ctl *ctl = self->target.ctl;
	struct ptscope_access_stats st;
	struct model m;
	struct sample s;
	long bad = 0;
	uint64_t cuts[] = {
		ctl->lo,
		ctl->start[R_THP] + 100 * PAGE_SZ,	/* inside the THP */
		ctl->start[R_THP] + 300 * PAGE_SZ,
		ctl->start[R_ANON] + 3 * PAGE_SZ,	/* across guard and anon */
		ctl->start[R_FILE] - PAGE_SZ,		/* the guard page alone */
		ctl->start[R_FILE],
		ctl->start[R_FILE] + 33 * PAGE_SZ,
		ctl->start[R_SHARED] + 7 * PAGE_SZ,
		ctl->hi,
	};

	if (!self->exact)
		SKIP(return, "the module cannot flush this CPU's cached translations (no access-exact feature)");
	model_init(&m, ctl, self->thp_leaf);
	sample_init(&s, ctl);
	prime(_metadata, self->c, ctl, self->target.pid);
	for (int iv = 0; iv < 4; iv++) {
		bool thp_seen = false;

		pick_touches(ctl, self->seed ^ 0xc4u, iv);
		/* the THP touched at its start: the first chunk sees it */
		if (iv % 2 == 0)
			ctl->op[R_THP][5] = OP_READ;
		ASSERT_EQ(0, child_cmd(&self->target, 't'));
		model_apply(&m);
		sample_reset(&s);
		for (size_t k = 0; k + 1 < sizeof(cuts) / sizeof(cuts[0]); k++) {
			uint64_t lo = cuts[k], hi = cuts[k + 1];

			/* blocks must fall inside each chunk */
			s.lo = lo;
			s.hi = hi;
			s.next = lo;
			ASSERT_EQ(0, ptscope_sample_access(self->c, self->target.pid,
							   lo, hi, 0, sample_cb, &s,
							   &st));
			ASSERT_STREQ("", s.why) TH_LOG("chunk %zu", k);
		}
		s.lo = ctl->lo;
		s.hi = ctl->hi;
		for (size_t k = 0; k < s.n; k++) {
			unsigned long idx;
			const char *rn = where(&m, k, &idx);
			unsigned int want = m.want[k];

			if (!strcmp(rn, "thp") && m.thp_leaf && idx >= 100) {
				/* a later chunk of the leaf: cleared by the first */
				if (s.state[k] != want && !thp_seen) {
					TH_LOG("interval %d: THP pages from %lu read %u after the first chunk read %u",
					       iv, idx, s.state[k],
					       s.state[(ctl->start[R_THP] - ctl->lo) / PAGE_SZ]);
					thp_seen = true;
				}
				continue;
			}
			if (s.state[k] != want && bad++ < MAX_LOGGED)
				TH_LOG("interval %d: %s page %lu: reported %u, expected %u",
				       iv, rn, idx, s.state[k], want);
		}
	}
	EXPECT_EQ(0, bad);
	sample_free(&s);
	model_free(&m);
}

/* Nothing touched: nothing accessed, nothing cleared, nothing flushed. */
TEST_F(heat, idle_target)
{
	const struct ctl *ctl = self->target.ctl;
	struct ptscope_access_stats st;
	struct sample s;
	uint64_t present = 0;

	sample_init(&s, ctl);
	prime(_metadata, self->c, ctl, self->target.pid);
	for (int i = 0; i < 3; i++) {
		sample_reset(&s);
		ASSERT_EQ(0, ptscope_sample_access(self->c, self->target.pid,
						   s.lo, s.hi, 0, sample_cb, &s,
						   &st));
		EXPECT_STREQ("", s.why);
		present = 0;
		for (size_t k = 0; k < s.n; k++) {
			EXPECT_EQ(0, s.state[k] & PTSCOPE_ACCESS_ACCESSED);
			present += !!(s.state[k] & PTSCOPE_ACCESS_PRESENT);
		}
		EXPECT_EQ(0, st.accessed);
		EXPECT_EQ(0, st.cleared);
		EXPECT_EQ(0, st.flushes);
		EXPECT_EQ(0, st.flush_cpus);
		EXPECT_EQ(present, st.present);
	}
	/* thp + anon less its never-faulted eighth + file + shared */
	EXPECT_EQ(THP_PAGES + ANON_PAGES - ANON_PAGES / 8 + FILE_PAGES +
		  SHARED_PAGES, present);
	sample_free(&s);
}

/* ---- a sample over many messages ---------------------------------------- */

#define MANY		4096	/* one-page VMAs: a block each */
#define BIG		32768	/* one VMA: 8 KiB of states */

struct mctl {
	uint64_t start;
	uint8_t op[BIG];
};

struct many_args {
	int cpu;
	unsigned long n;
	bool split, hugetlb;
};

/* n pages; split: every odd one made read-only, one-page VMAs. */
static void many_main(void *shm, int cmd, int ack, const void *arg)
{
	const struct many_args *a = arg;
	struct mctl *ctl = shm;
	const unsigned long n = a->n;
	char c = 'r', val = 0;
	volatile char *p;

	pin(a->cpu);
	p = mmap(NULL, n * PAGE_SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		 MAP_ANONYMOUS | (a->hugetlb ? MAP_HUGETLB : 0), -1, 0);
	if (p == MAP_FAILED && a->hugetlb) {
		ctl->start = 0;		/* no huge page: the test skips */
		if (write(ack, &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	if (p == MAP_FAILED ||
	    (!a->hugetlb && madvise((void *)p, n * PAGE_SZ, MADV_NOHUGEPAGE)))
		_exit(1);
	for (unsigned long i = 0; i < n; i++)
		p[i * PAGE_SZ] = 1;
	for (unsigned long i = 1; a->split && i < n; i += 2)
		if (mprotect((void *)(p + i * PAGE_SZ), PAGE_SZ, PROT_READ))
			_exit(1);
	ctl->start = (uintptr_t)p;
	if (write(ack, &c, 1) != 1)
		_exit(1);
	while (read(cmd, &c, 1) == 1) {
		val++;
		for (unsigned long i = 0; i < n; i++) {
			if (ctl->op[i] == OP_READ)
				(void)p[i * PAGE_SZ];
			else if (ctl->op[i] == OP_WRITE)
				p[i * PAGE_SZ] = val;
		}
		if (write(ack, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static int mchild_start(struct child *ch, unsigned long n, bool split,
			bool hugetlb, int cpu)
{
	struct many_args a = { cpu, n, split, hugetlb };

	return child_spawn(ch, sizeof(struct mctl), many_main, &a);
}

struct raw_sample {
	struct sample *s;
	struct ptscope_access_stats st;
	unsigned int nstats;
};

/* fnl_dump()'s view of a sample-access reply: blocks and stats. */
static int raw_each(const struct nlattr *a, void *arg)
{
	struct raw_sample *rs = arg;
	int type = a->nla_type & NLA_TYPE_MASK;
	const struct nlattr *n = (const struct nlattr *)((const char *)a + NLA_HDRLEN);
	int rem = a->nla_len - NLA_HDRLEN;
	struct ptscope_access_block b = {};
	uint64_t *stat[PTSCOPE_ACCESS_STATS_A_MAX + 1] = {
		[PTSCOPE_ACCESS_STATS_A_ENTRIES] = &rs->st.entries,
		[PTSCOPE_ACCESS_STATS_A_PRESENT] = &rs->st.present,
		[PTSCOPE_ACCESS_STATS_A_ACCESSED] = &rs->st.accessed,
		[PTSCOPE_ACCESS_STATS_A_CLEARED] = &rs->st.cleared,
		[PTSCOPE_ACCESS_STATS_A_YOUNG_MARKED] = &rs->st.young_marked,
		[PTSCOPE_ACCESS_STATS_A_FLUSHES] = &rs->st.flushes,
		[PTSCOPE_ACCESS_STATS_A_FLUSH_CPUS] = &rs->st.flush_cpus,
	};

	if (type != PTSCOPE_A_ACCESS && type != PTSCOPE_A_ACCESS_STATS)
		return 0;
	rs->nstats += type == PTSCOPE_A_ACCESS_STATS;
	for (; rem >= NLA_HDRLEN && n->nla_len >= NLA_HDRLEN && n->nla_len <= rem;
	     rem -= NLA_ALIGN(n->nla_len),
	     n = (const struct nlattr *)((const char *)n + NLA_ALIGN(n->nla_len))) {
		const void *d = (const char *)n + NLA_HDRLEN;
		int t = n->nla_type & NLA_TYPE_MASK, len = n->nla_len - NLA_HDRLEN;

		if (type == PTSCOPE_A_ACCESS_STATS) {
			if (t <= PTSCOPE_ACCESS_STATS_A_MAX && stat[t] && len == 8)
				memcpy(stat[t], d, 8);
			continue;
		}
		if (t == PTSCOPE_ACCESS_A_START && len == 8)
			memcpy(&b.start, d, 8);
		else if (t == PTSCOPE_ACCESS_A_NR_PAGES && len == 4)
			b.nr_pages = *(const uint32_t *)d;
		else if (t == PTSCOPE_ACCESS_A_STATES)
			b.states = d;
		else if (t == PTSCOPE_ACCESS_A_FILL && len == 4)
			b.fill = *(const uint32_t *)d;
	}
	if (type == PTSCOPE_A_ACCESS)
		return sample_cb(&b, rs->s);
	return 0;
}

/*
 * Samples that span many messages (read through an 8 KiB buffer, so the
 * module fills 8 KiB at most): clearing while a message fills must not
 * lose a page's state at a message boundary.  @split: @n one-page VMAs,
 * a block each; else one VMA whose states need more than a message.
 * Intervals alternate the raw reader and libptscope.
 */
static void many(struct __test_metadata *_metadata, FIXTURE_DATA(heat) *self,
		 unsigned long n, bool split)
{
	struct ptscope_access_stats st;
	struct raw_sample rs;
	struct sample s = {};
	struct child mc;
	struct mctl *ctl;
	long bad = 0;
	pid_t pid;

	if (!self->exact)
		SKIP(return, "the module cannot flush this CPU's cached translations (no access-exact feature)");
	ASSERT_EQ(0, mchild_start(&mc, n, split, false, self->cpus > 1 ? 1 : 0));
	ctl = mc.shm;
	pid = mc.pid;

	s.base = s.lo = ctl->start;
	s.hi = ctl->start + n * PAGE_SZ;
	s.n = n;
	s.state = calloc(n, 1);
	s.page_vmas = split;
	ASSERT_EQ(0, ptscope_sample_access(self->c, pid, s.lo, s.hi,
					   PTSCOPE_ACCESS_F_DISCARD, NULL, NULL,
					   &st));
	for (int iv = 0; iv < 6; iv++) {
		uint64_t x = self->seed ^ (0x9E3779B97F4A7C15ULL * (iv + 1));
		uint64_t accessed = 0;
		unsigned int msgs = 0;

		for (unsigned long i = 0; i < n; i++) {
			uint64_t r = xs(&x);

			ctl->op[i] = r % 100 >= 40 ? OP_NONE :
				     (split && (i & 1)) || (r >> 32) % 2 ?
				     OP_READ : OP_WRITE;
			accessed += ctl->op[i] != OP_NONE;
		}
		ASSERT_EQ(0, child_cmd(&mc, 't'));
		sample_reset(&s);
		if (iv % 2 == 0) {
			struct fnl_req r;
			size_t bytes;

			memset(&rs, 0, sizeof(rs));
			rs.s = &s;
			ASSERT_EQ(0, fnl_pages_req(&r, pid, s.lo, s.hi, 0));
			((struct genlmsghdr *)(r.buf + NLMSG_HDRLEN))->cmd =
				PTSCOPE_CMD_SAMPLE_ACCESS;
			ASSERT_EQ(0, fnl_dump(&r, 8192, raw_each, &rs, &bytes, &msgs));
			EXPECT_EQ(1, rs.nstats);
			st = rs.st;
		} else {
			ASSERT_EQ(0, ptscope_sample_access(self->c, pid, s.lo, s.hi,
							   0, sample_cb, &s, &st));
		}
		EXPECT_STREQ("", s.why);
		if (split)
			EXPECT_EQ(n, s.blocks) TH_LOG("interval %d", iv);
		for (unsigned long i = 0; i < n; i++) {
			unsigned int want = PTSCOPE_ACCESS_PRESENT |
				(ctl->op[i] ? PTSCOPE_ACCESS_ACCESSED : 0);

			if (s.state[i] != want && bad++ < MAX_LOGGED)
				TH_LOG("interval %d: page %lu (%#llx): state %u, expected %u",
				       iv, i, (unsigned long long)(s.lo + i * PAGE_SZ),
				       s.state[i], want);
		}
		EXPECT_EQ(n, st.present);
		EXPECT_EQ(accessed, st.accessed);
		EXPECT_GE(st.cleared, accessed);
		EXPECT_GE(st.flushes, 1);
		if (iv % 2 == 0) {
			EXPECT_GE(msgs, split ? 4 : 2) TH_LOG("%u messages", msgs);
			TH_LOG("interval %d: %u blocks in %u messages", iv,
			       s.blocks, msgs);
		}
	}
	EXPECT_EQ(0, bad);
	child_stop(&mc);
	free(s.state);
}

TEST_F_TIMEOUT(heat, many_messages_many_vmas, 300)
{
	many(_metadata, self, MANY, true);
}

/* 128 MiB in one VMA, pages accessed or not at random: states blocks
 * of 2 bits a page, more than one message's worth. */
TEST_F_TIMEOUT(heat, many_messages_one_vma, 300)
{
	many(_metadata, self, BIG, false);
}

/*
 * A hugetlb page (2 MiB, a PMD leaf of a hugetlb VMA, locked and cleared
 * the hugetlb way): all its pages accessed iff any was touched.
 */
TEST_F_TIMEOUT(heat, hugetlb_leaf, 300)
{
	const char *nr_path = "/proc/sys/vm/nr_hugepages";
	struct ptscope_access_stats st;
	char saved[32] = "";
	struct sample s = {};
	struct child mc;
	struct mctl *ctl;
	long bad = 0;
	pid_t pid;

	if (!self->exact)
		SKIP(return, "the module cannot flush this CPU's cached translations (no access-exact feature)");
	if (read_file(nr_path, saved, sizeof(saved)))
		SKIP(return, "no hugetlb (%s)", nr_path);
	if (atoi(saved) < 1)
		write_file(nr_path, "1");
	ASSERT_EQ(0, mchild_start(&mc, THP_PAGES, false, true,
				  self->cpus > 1 ? 1 : 0));
	ctl = mc.shm;
	pid = mc.pid;
	if (!ctl->start) {
		child_stop(&mc);
		write_file(nr_path, saved);
		SKIP(return, "no 2 MiB hugetlb page could be had");
	}
	s.base = s.lo = ctl->start;
	s.hi = ctl->start + THP_SZ;
	s.n = THP_PAGES;
	s.state = calloc(THP_PAGES, 1);
	ASSERT_EQ(0, ptscope_sample_access(self->c, pid, s.lo, s.hi,
					   PTSCOPE_ACCESS_F_DISCARD, NULL, NULL,
					   &st));
	EXPECT_EQ(THP_PAGES, st.present);
	for (int iv = 0; iv < 9; iv++) {
		uint64_t x = self->seed ^ (0x9E3779B97F4A7C15ULL * (iv + 1));
		bool touched = false;

		memset(ctl->op, 0, THP_PAGES);
		if (iv % 3 == 1)
			ctl->op[xs(&x) % THP_PAGES] = OP_READ;
		else if (iv % 3 == 2)
			for (unsigned long i = 0; i < THP_PAGES; i++)
				if (xs(&x) % 100 < 30)
					ctl->op[i] = i & 1 ? OP_READ : OP_WRITE;
		for (unsigned long i = 0; i < THP_PAGES; i++)
			touched |= ctl->op[i] != OP_NONE;
		ASSERT_EQ(0, child_cmd(&mc, 't'));
		sample_reset(&s);
		ASSERT_EQ(0, ptscope_sample_access(self->c, pid, s.lo, s.hi, 0,
						   sample_cb, &s, &st));
		EXPECT_STREQ("", s.why);
		for (unsigned long i = 0; i < THP_PAGES; i++) {
			unsigned int want = PTSCOPE_ACCESS_PRESENT |
				(touched ? PTSCOPE_ACCESS_ACCESSED : 0);

			if (s.state[i] != want && bad++ < MAX_LOGGED)
				TH_LOG("interval %d: hugetlb page %lu: state %u, expected %u",
				       iv, i, s.state[i], want);
		}
		EXPECT_EQ(THP_PAGES, st.present);
		EXPECT_EQ(touched ? THP_PAGES : 0, st.accessed);
		EXPECT_EQ(touched ? 1 : 0, st.cleared) TH_LOG("interval %d", iv);
		EXPECT_EQ(touched ? 1 : 0, st.flushes) TH_LOG("interval %d", iv);
	}
	EXPECT_EQ(0, bad);
	child_stop(&mc);
	free(s.state);
	write_file(nr_path, saved);
}

/* ---- errors ----------------------------------------------------------------- */

/* The target exits between two samples: -ESRCH, as a zombie and reaped. */
TEST_F(heat, target_exits_between_samples)
{
	const struct ctl *ctl = self->target.ctl;
	uint64_t lo = ctl->lo, hi = ctl->hi;
	pid_t pid = self->target.pid;
	struct ptscope_access_stats st;
	int calls = 0;
	char c = 'x';

	ASSERT_EQ(0, ptscope_sample_access(self->c, pid, lo, hi, 0, count_cb,
					   &calls, &st));
	EXPECT_GT(calls, 0);
	ASSERT_EQ(1, write(self->target.cmd, &c, 1));
	ASSERT_EQ(0, wait_zombie(pid));
	calls = 0;
	EXPECT_EQ(-ESRCH, ptscope_sample_access(self->c, pid, lo, hi, 0,
						count_cb, &calls, &st));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	self->target.pid = -1;
	EXPECT_EQ(-ESRCH, ptscope_sample_access(self->c, pid, lo, hi, 0,
						count_cb, &calls, &st));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(-ESRCH, ptscope_sample_access(self->c, pid, lo, hi,
						PTSCOPE_ACCESS_F_DISCARD,
						NULL, NULL, &st));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(0, calls);
}

TEST_F(heat, bad_requests)
{
	const struct ctl *ctl = self->target.ctl;
	pid_t pid = self->target.pid;
	struct ptscope_access_stats st;
	struct ptscope_info info;
	int calls = 0;

	ASSERT_EQ(0, ptscope_get_info(self->c, &info));
	/* unknown flag bits */
	EXPECT_EQ(-EOPNOTSUPP, ptscope_sample_access(self->c, pid, ctl->lo, ctl->hi,
						     PTSCOPE_ACCESS_F_MASK << 1,
						     count_cb, &calls, &st));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(-EOPNOTSUPP, ptscope_sample_access(self->c, pid, ctl->lo, ctl->hi,
						     1u << 31, count_cb, &calls, &st));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	/* ranges, as for the other dumps */
	EXPECT_EQ(-EINVAL, ptscope_sample_access(self->c, pid, ctl->hi, ctl->lo, 0,
						 count_cb, &calls, &st));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(-EINVAL, ptscope_sample_access(self->c, pid, ctl->lo + 1, ctl->hi,
						 0, count_cb, &calls, &st));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(-ERANGE, ptscope_sample_access(self->c, pid, 0,
						 info.user_va_end + PAGE_SZ, 0,
						 count_cb, &calls, &st));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	/* kthreadd has no mm */
	EXPECT_EQ(-EINVAL, ptscope_sample_access(self->c, 2, 0, 0, 0, count_cb,
						 &calls, &st));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(0, calls);
	/* nothing mapped up there: no blocks, all counts zero */
	EXPECT_EQ(0, ptscope_sample_access(self->c, pid,
					   info.user_va_end - 16 * PAGE_SZ,
					   info.user_va_end, 0, count_cb,
					   &calls, &st));
	EXPECT_EQ(0, calls);
	EXPECT_EQ(0, st.present);
	EXPECT_EQ(0, st.cleared);
}

TEST(reaped_pid)
{
	struct ptscope_client *c;
	struct ptscope_access_stats st;
	int calls = 0, e = ptscope_open(&c);
	pid_t pid;

	if (e == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, e);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_EQ(-ESRCH, ptscope_sample_access(c, pid, 0, 0, 0, count_cb,
						&calls, &st));
	EXPECT_STRNE("", ptscope_errmsg(c));
	EXPECT_EQ(-ESRCH, ptscope_sample_access(c, pid, 0, 0,
						PTSCOPE_ACCESS_F_DISCARD,
						NULL, NULL, &st));
	EXPECT_STRNE("", ptscope_errmsg(c));
	EXPECT_EQ(0, calls);
	ptscope_close(c);
}

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	/* changing the euid made us non-dumpable (suid_dumpable) */
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/*
 * CAP_SYS_ADMIN only, whatever allow_same_user says: as nobody, neither
 * root's target nor its own process (which allow_same_user=1 lets it
 * read) may be sampled; -EPERM with a message, nothing sent.
 */
TEST(unprivileged_denied)
{
	char saved[8] = "";
	bool have_param = !read_file(ALLOW_SAME_USER, saved, sizeof(saved));
	struct ptscope_client *c;
	pid_t root_target, pid;
	int e = ptscope_open(&c), st = 0;

	if (e == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, e);
	ptscope_close(c);
	ASSERT_EQ(0, getuid()) TH_LOG("run the tests as root");
	ASSERT_TRUE(have_param);
	root_target = fork();
	ASSERT_LE(0, root_target);
	if (!root_target) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	for (int allow = 0; allow < 2; allow++) {
		ASSERT_EQ(0, write_file(ALLOW_SAME_USER, allow ? "1" : "0"));
		fflush(NULL);
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			struct ptscope_access_stats as;
			struct ptscope_client *uc;
			struct run_list rl = {};
			int calls = 0, fails = 0;

			if (drop_privileges() || ptscope_open(&uc))
				_exit(2);
			/* own process: readable with allow_same_user=1 ... */
			if (allow && collect_runs(uc, getpid(), 0, 0, 0, &rl))
				fails++;
			run_list_free(&rl);
			/* ... but not writable */
			if (ptscope_sample_access(uc, getpid(), 0, 0, 0, count_cb,
						  &calls, &as) != -EPERM ||
			    !ptscope_errmsg(uc)[0])
				fails++;
			if (ptscope_sample_access(uc, getpid(), 0, 0,
						  PTSCOPE_ACCESS_F_DISCARD,
						  NULL, NULL, &as) != -EPERM ||
			    !ptscope_errmsg(uc)[0])
				fails++;
			if (ptscope_sample_access(uc, root_target, 0, 0, 0,
						  count_cb, &calls, &as) != -EPERM ||
			    !ptscope_errmsg(uc)[0])
				fails++;
			if (calls)
				fails++;
			if (fails)
				printf("# allow_same_user=%d: %d checks failed, last message \"%s\"\n",
				       allow, fails, ptscope_errmsg(uc));
			ptscope_close(uc);
			_exit(fails ? 1 : 0);
		}
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
			TH_LOG("allow_same_user=%d: status 0x%x", allow, st);
	}
	write_file(ALLOW_SAME_USER, "0");
	kill_wait(root_target);
}

TEST_HARNESS_MAIN
