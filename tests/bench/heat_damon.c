// SPDX-License-Identifier: GPL-2.0
/*
 * heat_damon: ptscope's working set (sample-access) against DAMON's
 * estimate on a workload whose working set is known exactly (issue 13).
 * Run as root in a VM whose kernel has DAMON_SYSFS and DAMON_VADDR, module
 * loaded (scripts/bench-heat.sh):
 *
 *   heat_damon [-s INTERVALS_PER_PHASE] [MODE]...
 *
 * MODE: ptscope (sample-access alone), damon (DAMON alone), both (both at
 * once: each clears accessed bits the other reads).  Default: all three.
 *
 * The target maps R = 64 MiB of anonymous memory (MADV_NOHUGEPAGE) and
 * writes all of it.  Time is cut into 1 s intervals, -s (5) per phase; in
 * every interval of a phase the target reads the phase's set of pages of R
 * over and over (one byte per page, pinned to the last CPU) and nothing
 * else of R: the true working set.  Phases: 25 % of R (its first quarter),
 * 50 % (the middle half), 12.5 % (7/8 to end), 100 %, 25 % scattered (every
 * 4th page), 0 %.  At the end of each interval the sampler (CPU 0) stops
 * the target (the target acknowledges that it stopped touching) and, in
 * ptscope modes, takes one sample-access of the whole process: its WSS in R
 * and the pages of R where it differs from the truth (missed, extra).
 *
 * DAMON (sysfs, /sys/kernel/mm/damon/admin): one kdamond, vaddr operations,
 * the target's pid, sampling 5 ms, aggregation 1 s, regions 10..1000, one
 * scheme with action "stat" matching every region.  A thread writes
 * update_schemes_tried_regions after every aggregation and reads the
 * regions (start, end, nr_accesses, age).  DAMON's WSS is the bytes of
 * regions with nr_accesses > 0 (within R, and in the whole process);
 * snapshots whose aggregation window crosses a phase boundary are not used.
 *
 * Output per mode and phase: the truth, ptscope's WSS (median over the
 * phase's intervals but the first) with its total of missed and extra
 * pages, DAMON's WSS in R and whole-process (medians of the snapshots
 * inside the phase), the number of snapshots and DAMON's region count.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "ptscope_client.h"

#define R_LEN		(64 * MiB)
#define R_PAGES		(R_LEN / PAGE)
#define NR_PHASES	6
#define MAX_SNAPS	256
#define INTERVAL_MS	1000
#define DAMON		"/sys/kernel/mm/damon/admin/kdamonds"

static int per_phase = 5;

static const struct phase {
	const char *name;
	uint64_t first, count, stride;	/* pages of R */
} phases[NR_PHASES] = {
	{ "25% (first quarter)", 0, R_PAGES / 4, 1 },
	{ "50% (middle half)", R_PAGES / 4, R_PAGES / 2, 1 },
	{ "12.5% (last eighth)", R_PAGES * 7 / 8, R_PAGES / 8, 1 },
	{ "100%", 0, R_PAGES, 1 },
	{ "25% (every 4th page)", 0, R_PAGES / 4, 4 },
	{ "0%", 0, 0, 1 },
};

static bool in_phase(const struct phase *p, uint64_t page)
{
	if (page < p->first)
		return false;
	page -= p->first;
	return page % p->stride == 0 && page / p->stride < p->count;
}

static int put(const char *dir, const char *file, const char *fmt, ...)
{
	char path[512], val[64];
	va_list ap;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	return write_file(path, val);
}

static uint64_t get_u64(const char *dir, const char *file)
{
	char path[512], buf[64];

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path) ||
	    read_file(path, buf, sizeof(buf)))
		return 0;
	return strtoull(buf, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* The target: commands on a pipe, one byte each */

static void target_main(int cmd, int rsp)
{
	volatile char *r = mmap(NULL, R_LEN, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct pollfd pfd = { .fd = cmd, .events = POLLIN };
	const struct phase *p = NULL;
	uintptr_t addr = (uintptr_t)r;
	char sink = 0, c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pin((int)sysconf(_SC_NPROCESSORS_ONLN) - 1);
	if (r == MAP_FAILED)
		_exit(1);
	madvise((void *)r, R_LEN, MADV_NOHUGEPAGE);
	for (uint64_t i = 0; i < R_PAGES; i++)
		r[i * PAGE] = 1;
	if (write(rsp, &addr, sizeof(addr)) != sizeof(addr))
		_exit(1);
	for (;;) {
		/* Touch the phase's set while no command is waiting. */
		if (p && p->count) {
			for (uint64_t k = 0; k < p->count; k++)
				sink += r[(p->first + k * p->stride) * PAGE];
			if (poll(&pfd, 1, 0) <= 0)
				continue;
		}
		if (read(cmd, &c, 1) != 1)
			_exit(0);
		if (c == 's')
			p = NULL;	/* stop: ack once nothing more is read */
		else
			p = &phases[c - '0'];
		if (write(rsp, &c, 1) != 1)
			_exit(1);
	}
	(void)sink;
}

/* ------------------------------------------------------------------ */
/* DAMON */

struct snap {
	double t;		/* when the regions were read (ms) */
	uint64_t wss_r, wss_all, nr_regions;
};

static struct snap snaps[MAX_SNAPS];
static volatile int nr_snaps, damon_stop;
static uint64_t r_start;

static void damon_setup(pid_t pid)
{
	static const struct {
		const char *file, *fmt;
		uint64_t v;
	} cfg[] = {
		{ "contexts/nr_contexts", "%" PRIu64, 1 },
		{ "contexts/0/monitoring_attrs/intervals/sample_us", "%" PRIu64, 5000 },
		{ "contexts/0/monitoring_attrs/intervals/aggr_us", "%" PRIu64, 1000000 },
		{ "contexts/0/monitoring_attrs/intervals/update_us", "%" PRIu64, 1000000 },
		{ "contexts/0/monitoring_attrs/nr_regions/min", "%" PRIu64, 10 },
		{ "contexts/0/monitoring_attrs/nr_regions/max", "%" PRIu64, 1000 },
		{ "contexts/0/targets/nr_targets", "%" PRIu64, 1 },
		{ "contexts/0/schemes/nr_schemes", "%" PRIu64, 1 },
		{ "contexts/0/schemes/0/access_pattern/sz/min", "%" PRIu64, 0 },
		{ "contexts/0/schemes/0/access_pattern/sz/max", "%" PRIu64, UINT64_MAX },
		{ "contexts/0/schemes/0/access_pattern/nr_accesses/min", "%" PRIu64, 0 },
		{ "contexts/0/schemes/0/access_pattern/nr_accesses/max", "%" PRIu64, UINT32_MAX },
		{ "contexts/0/schemes/0/access_pattern/age/min", "%" PRIu64, 0 },
		{ "contexts/0/schemes/0/access_pattern/age/max", "%" PRIu64, UINT32_MAX },
	};
	const char *k = DAMON "/0";

	if (put(DAMON, "nr_kdamonds", "1"))
		die("DAMON sysfs: %s", strerror(errno));
	if (put(k, "contexts/nr_contexts", "1") ||
	    put(k, "contexts/0/operations", "vaddr"))
		die("DAMON: vaddr operations: %s", strerror(errno));
	for (size_t i = 0; i < sizeof(cfg) / sizeof(cfg[0]); i++)
		if (put(k, cfg[i].file, cfg[i].fmt, cfg[i].v))
			die("DAMON: %s: %s", cfg[i].file, strerror(errno));
	if (put(k, "contexts/0/targets/0/pid_target", "%d", pid) ||
	    put(k, "contexts/0/schemes/0/action", "stat") ||
	    put(k, "state", "on"))
		die("DAMON: turning on: %s", strerror(errno));
}

static void *damon_reader(void *arg)
{
	const char *k = DAMON "/0";
	char dir[512];

	(void)arg;
	pin(0);
	while (!damon_stop && nr_snaps < MAX_SNAPS) {
		struct snap s = { 0 };

		/* Returns once kdamond has applied the scheme: an aggregation end. */
		if (put(k, "state", "update_schemes_tried_regions"))
			break;
		s.t = now_ms();
		for (int i = 0;; i++) {
			uint64_t start, end, lo, hi;

			snprintf(dir, sizeof(dir), "%s/contexts/0/schemes/0/"
				 "tried_regions/%d", k, i);
			if (access(dir, F_OK))
				break;
			s.nr_regions++;
			if (!get_u64(dir, "nr_accesses"))
				continue;
			start = get_u64(dir, "start");
			end = get_u64(dir, "end");
			s.wss_all += end - start;
			lo = start > r_start ? start : r_start;
			hi = end < r_start + R_LEN ? end : r_start + R_LEN;
			if (hi > lo)
				s.wss_r += hi - lo;
		}
		snaps[nr_snaps++] = s;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* ptscope: one sample, compared with the truth page for page */

struct cmp {
	const struct phase *p;
	uint64_t in_r, all, missed, extra;
};

static int cmp_cb(const struct ptscope_access_block *b, void *arg)
{
	struct cmp *c = arg;

	for (uint64_t i = 0; i < b->nr_pages; i++) {
		uint64_t addr = b->start + i * PAGE;
		bool acc = ptscope_access_state(b, i) & PTSCOPE_ACCESS_ACCESSED;

		c->all += acc;
		if (addr < r_start || addr >= r_start + R_LEN)
			continue;
		c->in_r += acc;
		if (acc && !in_phase(c->p, (addr - r_start) / PAGE))
			c->extra++;
	}
	return 0;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_dbl);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void fmt_mib(char *b, size_t l, double bytes)
{
	if (isnan(bytes))
		snprintf(b, l, "n/a");
	else
		snprintf(b, l, "%.2f", bytes / MiB);
}

static void run(struct ptscope_client *c, const char *mode)
{
	bool use_pt = strcmp(mode, "damon") != 0;
	bool use_damon = strcmp(mode, "ptscope") != 0;
	double pt_wss[NR_PHASES][32], pt_all[NR_PHASES][32];
	uint64_t missed[NR_PHASES] = { 0 }, extra[NR_PHASES] = { 0 };
	double phase_t[NR_PHASES + 1];
	int pt_n[NR_PHASES] = { 0 };
	int cmd[2], rsp[2];
	pthread_t reader;
	uintptr_t addr;
	pid_t pid;
	char ch;

	if (pipe(cmd) || pipe(rsp))
		die("pipe");
	pid = fork();
	if (!pid) {
		close(cmd[1]);
		close(rsp[0]);
		target_main(cmd[0], rsp[1]);
	}
	close(cmd[0]);
	close(rsp[1]);
	if (read(rsp[0], &addr, sizeof(addr)) != sizeof(addr))
		die("target failed");
	r_start = addr;
	nr_snaps = 0;
	damon_stop = 0;
	if (use_pt)
		ptscope_sample_access(c, pid, 0, 0, PTSCOPE_ACCESS_F_DISCARD,
				      NULL, NULL, NULL);
	if (use_damon) {
		damon_setup(pid);
		if (pthread_create(&reader, NULL, damon_reader, NULL))
			die("pthread_create");
	}
	double t = now_ms();

	for (int ph = 0; ph < NR_PHASES; ph++) {
		phase_t[ph] = now_ms();
		for (int i = 0; i < per_phase; i++) {
			struct cmp cm = { .p = &phases[ph] };
			struct ptscope_access_stats st;
			int err;

			ch = (char)('0' + ph);
			if (write(cmd[1], &ch, 1) != 1 || read(rsp[0], &ch, 1) != 1)
				die("target");
			t += INTERVAL_MS;
			while (now_ms() < t)
				usleep((useconds_t)((t - now_ms()) * 1e3));
			ch = 's';
			if (write(cmd[1], &ch, 1) != 1 || read(rsp[0], &ch, 1) != 1)
				die("target");
			if (!use_pt)
				continue;
			err = ptscope_sample_access(c, pid, 0, 0, 0, cmp_cb, &cm, &st);
			if (err)
				die("sample-access: %s", strerror(-err));
			/* Missed: pages of the set not reported accessed. */
			cm.missed = phases[ph].count - (cm.in_r - cm.extra);
			if (i == 0)
				continue;	/* the phase's first interval */
			missed[ph] += cm.missed;
			extra[ph] += cm.extra;
			pt_wss[ph][pt_n[ph]] = (double)cm.in_r * PAGE;
			pt_all[ph][pt_n[ph]++] = (double)cm.all * PAGE;
		}
	}
	phase_t[NR_PHASES] = now_ms();
	if (use_damon) {
		damon_stop = 1;
		pthread_join(reader, NULL);
		put(DAMON "/0", "state", "off");
	}
	close(cmd[1]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);

	printf("\n--- mode %s ---\n", mode);
	printf("%-22s %9s %9s %9s %7s %9s %9s %9s %5s %7s\n", "phase",
	       "true MiB", "pt MiB", "pt proc", "pt miss", "pt extra",
	       "DAMON R", "DAMON all", "snaps", "regions");
	for (int ph = 0; ph < NR_PHASES; ph++) {
		double d_r[MAX_SNAPS], d_all[MAX_SNAPS], d_reg[MAX_SNAPS];
		int n = 0;
		char a[32], b[32], e[32], f[32], mi[32] = "n/a", ex[32] = "n/a";

		for (int i = 0; i < nr_snaps; i++) {
			/* The aggregation window: [t - 1 s, t], a little slack. */
			if (snaps[i].t - INTERVAL_MS - 50 < phase_t[ph] ||
			    snaps[i].t > phase_t[ph + 1])
				continue;
			d_r[n] = (double)snaps[i].wss_r;
			d_all[n] = (double)snaps[i].wss_all;
			d_reg[n++] = (double)snaps[i].nr_regions;
		}
		fmt_mib(a, sizeof(a), median(pt_wss[ph], pt_n[ph]));
		fmt_mib(b, sizeof(b), median(pt_all[ph], pt_n[ph]));
		fmt_mib(e, sizeof(e), use_damon ? median(d_r, n) : NAN);
		fmt_mib(f, sizeof(f), use_damon ? median(d_all, n) : NAN);
		if (use_pt) {
			snprintf(mi, sizeof(mi), "%" PRIu64, missed[ph]);
			snprintf(ex, sizeof(ex), "%" PRIu64, extra[ph]);
		}
		snprintf(f + 16, sizeof(f) - 16, "%.0f", median(d_reg, n));
		printf("%-22s %9.2f %9s %9s %7s %9s %9s %9s %5d %7s\n",
		       phases[ph].name, (double)phases[ph].count * PAGE / MiB,
		       a, b, mi, ex, e, f, n, use_damon ? f + 16 : "n/a");
	}
}

int main(int argc, char **argv)
{
	static const char *const all[] = { "ptscope", "damon", "both" };
	struct ptscope_client *c;
	char buf[128] = "?";
	int opt, fd;

	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt != 's') {
			fprintf(stderr, "usage: heat_damon [-s INTERVALS_PER_PHASE] "
				"[ptscope|damon|both]...\n");
			return 2;
		}
		per_phase = atoi(optarg);
	}
	if (per_phase < 2 || per_phase > 32)
		die("-s: 2..32");
	pin(0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ptscope_open(&c))
		die("cannot reach the ptscope family (module loaded?)");
	fd = open("/proc/sys/kernel/osrelease", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		close(fd);
	}
	printf("=== heat_damon: kernel %s; R = 64 MiB, intervals of %d ms, %d "
	       "per phase (the first not counted); DAMON sample 5 ms, "
	       "aggregation 1 s, regions 10..1000 ===\n", buf, INTERVAL_MS,
	       per_phase);
	printf("pt: ptscope WSS in R (median); pt proc: whole process; "
	       "pt miss/extra: pages of R, summed over the counted intervals\n");
	for (int i = optind; i < argc; i++)
		run(c, argv[i]);
	if (optind >= argc)
		for (int i = 0; i < 3; i++)
			run(c, all[i]);
	printf("=== heat_damon: end ===\n");
	ptscope_close(c);
	return 0;
}
