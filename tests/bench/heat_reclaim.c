// SPDX-License-Identifier: GPL-2.0
/*
 * heat_reclaim: what sampling a process's accessed bits (sample-access,
 * issue 13) does to reclaim of that process.  Run as root in a VM with
 * swap (scripts/bench-heat.sh; the VM's /init puts swap on zram), module
 * loaded:
 *
 *   heat_reclaim [-t SECS] [-H MiB] [-C MiB] [-m MiB] [-p MS] [-c MiB/s]
 *                [-i MS] [-r ROUNDS] [MODE]...
 *
 * MODE: none (no sampling), sample (sample-access of the whole target every
 * -i ms, the module as it is: cleared bits leave PG_young), nomark (the
 * same with the module's young_mark parameter set to N, which only a local
 * experimental build of the module has; "n/a" otherwise).  Default: all
 * three, -r rounds of them interleaved.
 *
 * The target, in a memory cgroup (v2) of its own with memory.max -m MiB
 * (96), has two threads:
 *   - hot, pinned to the last CPU: H MiB (32) of anonymous memory, written
 *     once, then read page by page in sweeps of -p ms (1000; a tenth of H
 *     every -p/10 ms): every hot page is used once per -p ms;
 *   - cold, pinned to CPU 0: C MiB (192), written page by page at -c MiB/s
 *     (32), pass after pass: each page touched once and not again for
 *     C / rate seconds (6), H + C > memory.max, so reclaim runs the whole
 *     time, and a hot page should never look colder than a cold one.
 * The sampler (this process) is pinned to CPU 0.  After the cold thread's
 * first pass (warm-up), the measurement lasts -t s; reported per mode:
 *   - hot majflt: major faults of the hot thread (/proc/PID/task/TID/stat),
 *     i.e. hot pages read back from swap; cold majflt likewise;
 *   - H resident: the fraction of H present (pagemap), mean of one reading
 *     a second, and the lowest;
 *   - the cgroup's memory.stat deltas: workingset_refault_anon,
 *     workingset_activate_anon, pgscan, pgsteal;
 *   - hot sweeps done (a slowed-down hot thread does fewer), samples taken,
 *     their mean time, folios marked young, flush rounds per sample.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "ptscope_client.h"

#define CG_ROOT	"/sys/fs/cgroup"
#define MARK_PARAM "/sys/module/ptscope/parameters/young_mark"

static int secs = 20, hot_mib = 32, cold_mib = 192, max_mib = 96;
static int sweep_ms = 1000, interval_ms = 100, rounds = 1, cold_rate = 32;
static int ncpus;

/* ------------------------------------------------------------------ */
/* The target (a forked child) */

struct shared {			/* MAP_SHARED between target and sampler */
	volatile int stop;
	volatile int warm;	/* the cold thread finished its first pass */
	volatile pid_t hot_tid, cold_tid;
	volatile uint64_t hot_sweeps, cold_passes;
	uint64_t hot_start;	/* address of H */
};

static struct shared *sh;
static volatile char *hot, *cold;

static void *hot_thread(void *arg)
{
	uint64_t pages = hot_mib * MiB / PAGE, chunk = (pages + 9) / 10;
	char sink = 0;

	(void)arg;
	sh->hot_tid = (pid_t)syscall(SYS_gettid);
	while (!sh->stop) {
		double t0 = now_ms();

		for (int k = 0; k < 10; k++) {
			for (uint64_t i = k * chunk; i < (k + 1) * chunk && i < pages; i++)
				sink += hot[i * PAGE];
			sleep_until(t0 + (k + 1) * sweep_ms / 10.0);
		}
		sh->hot_sweeps++;
	}
	(void)sink;
	return NULL;
}

static void *cold_thread(void *arg)
{
	uint64_t pages = cold_mib * MiB / PAGE;
	/* 256 pages (1 MiB) at a time, at cold_rate MiB/s */
	double t = now_ms(), step = 1e3 / cold_rate;

	(void)arg;
	pin(0);
	sh->cold_tid = (pid_t)syscall(SYS_gettid);
	for (uint64_t pass = 1; !sh->stop; pass++) {
		for (uint64_t i = 0; i < pages && !sh->stop; i++) {
			cold[i * PAGE] = (char)pass;
			if (i % 256 == 255) {
				t += step;
				sleep_until(t);
			}
		}
		sh->cold_passes = pass;
		sh->warm = 1;
	}
	return NULL;
}

static void *map(uint64_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

static void target_main(const char *cg)
{
	char path[256], pid[32];
	pthread_t h, c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (write_file(path, pid))
		die("joining %s", cg);
	pin(ncpus - 1);
	hot = map(hot_mib * MiB);
	cold = map(cold_mib * MiB);
	for (uint64_t off = 0; off < hot_mib * MiB; off += PAGE)
		hot[off] = 1;
	sh->hot_start = (uintptr_t)hot;
	if (pthread_create(&h, NULL, hot_thread, NULL) ||
	    pthread_create(&c, NULL, cold_thread, NULL))
		die("pthread_create");
	pthread_join(h, NULL);
	pthread_join(c, NULL);
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* What the sampler reads */

static uint64_t task_majflt(pid_t pid, pid_t tid)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if (read_file(path, buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')');	/* comm may hold spaces */
	/* after ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %llu", &v) != 1)
		return 0;
	return v;
}

static long long memstat(const char *cg, const char *key)
{
	char path[256], buf[8192], *p;
	size_t kl = strlen(key);

	snprintf(path, sizeof(path), "%s/memory.stat", cg);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == ' ')
			return atoll(p + kl + 1);
	return -1;
}

/* Present pages of [start, start + len) from /proc/PID/pagemap. */
static double resident(pid_t pid, uint64_t start, uint64_t len)
{
	static uint64_t buf[65536];
	uint64_t pages = len / PAGE, present = 0;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	for (uint64_t i = 0; i < pages; i += 65536) {
		uint64_t n = pages - i < 65536 ? pages - i : 65536;
		ssize_t got = pread(fd, buf, n * 8, (start / PAGE + i) * 8);

		for (ssize_t k = 0; k < got / 8; k++)
			present += buf[k] >> 63;
	}
	close(fd);
	return (double)present / pages;
}

/* ------------------------------------------------------------------ */

struct outcome {
	const char *mode;
	bool ran;
	uint64_t hot_maj, cold_maj, sweeps, passes;
	double res_mean, res_min;
	long long refault, activate, pgscan, pgsteal;
	uint64_t samples, marked, flushes, accessed;
	double sample_ms;
};

static int count_cb(const struct ptscope_access_block *b, void *arg)
{
	uint64_t *acc = arg;

	for (uint64_t i = 0; i < b->nr_pages; i++)
		if (ptscope_access_state(b, i) & PTSCOPE_ACCESS_ACCESSED)
			(*acc)++;
	return 0;
}

static void run(struct ptscope_client *c, const char *mode, struct outcome *o)
{
	bool sampling = strcmp(mode, "none") != 0;
	bool nomark = !strcmp(mode, "nomark");
	char cg[128], val[64];
	const char *keys[] = { "workingset_refault_anon",
			       "workingset_activate_anon", "pgscan", "pgsteal" };
	long long before[4];
	double res_sum = 0, t_end, next_res, next_sample;
	int res_n = 0, err;
	uint64_t maj0h, maj0c, sw0, pa0;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	o->mode = mode;
	o->res_min = 1;
	if (nomark && write_file(MARK_PARAM, "N")) {
		printf("# %s: n/a: the module has no young_mark parameter\n", mode);
		return;
	}
	snprintf(cg, sizeof(cg), CG_ROOT "/heat-%s", mode);
	rmdir(cg);
	if (mkdir(cg, 0755) && errno != EEXIST)
		die("mkdir %s: %s", cg, strerror(errno));
	snprintf(val, sizeof(val), "%lu", max_mib * MiB);
	snprintf(cg + strlen(cg), sizeof(cg) - strlen(cg), "/memory.max");
	err = write_file(cg, val);
	if (err)
		die("%s: %s", cg, strerror(-err));
	*strrchr(cg, '/') = '\0';

	memset(sh, 0, sizeof(*sh));
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid)
		target_main(cg);
	while (!sh->warm)
		usleep(100000);
	/* Warm: H written and swept, C's first pass pushed memory.max. */
	if (sampling)
		ptscope_sample_access(c, pid, 0, 0, PTSCOPE_ACCESS_F_DISCARD,
				      NULL, NULL, NULL);
	for (int i = 0; i < 4; i++)
		before[i] = memstat(cg, keys[i]);
	maj0h = task_majflt(pid, sh->hot_tid);
	maj0c = task_majflt(pid, sh->cold_tid);
	sw0 = sh->hot_sweeps;
	pa0 = sh->cold_passes;
	next_res = next_sample = now_ms();
	t_end = next_res + secs * 1e3;
	while (now_ms() < t_end) {
		if (now_ms() >= next_res) {
			double r = resident(pid, sh->hot_start, hot_mib * MiB);

			res_sum += r;
			res_n++;
			if (r < o->res_min)
				o->res_min = r;
			next_res += 1000;
		}
		if (sampling && now_ms() >= next_sample) {
			struct ptscope_access_stats st;
			uint64_t acc = 0;
			double a = now_ms();
			int err = ptscope_sample_access(c, pid, 0, 0, 0, count_cb,
							&acc, &st);

			if (err)
				die("sample-access: %s", strerror(-err));
			o->sample_ms += now_ms() - a;
			o->samples++;
			o->marked += st.young_marked;
			o->flushes += st.flushes;
			o->accessed += acc;
			next_sample += interval_ms;
		}
		sleep_until(sampling && next_sample < next_res ? next_sample : next_res);
	}
	o->hot_maj = task_majflt(pid, sh->hot_tid) - maj0h;
	o->cold_maj = task_majflt(pid, sh->cold_tid) - maj0c;
	o->sweeps = sh->hot_sweeps - sw0;
	o->passes = sh->cold_passes - pa0;
	o->res_mean = res_n ? res_sum / res_n : 0;
	o->refault = memstat(cg, keys[0]) - before[0];
	o->activate = memstat(cg, keys[1]) - before[1];
	o->pgscan = memstat(cg, keys[2]) - before[2];
	o->pgsteal = memstat(cg, keys[3]) - before[3];
	o->ran = true;
	sh->stop = 1;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	rmdir(cg);
	if (nomark)
		write_file(MARK_PARAM, "Y");
}

static void print(const struct outcome *o)
{
	if (!o->ran)
		return;
	printf("%-7s %9" PRIu64 " %9" PRIu64 " %7.1f%% %6.1f%% %9lld %9lld %9lld"
	       " %9lld %6" PRIu64 " %5" PRIu64, o->mode, o->hot_maj, o->cold_maj,
	       100 * o->res_mean, 100 * o->res_min, o->refault, o->activate,
	       o->pgscan, o->pgsteal, o->sweeps, o->passes);
	if (o->samples)
		printf(" %7" PRIu64 " %6.1f %9.0f %6.2f %9.0f\n", o->samples,
		       o->sample_ms / o->samples,
		       (double)o->marked / o->samples,
		       (double)o->flushes / o->samples,
		       (double)o->accessed / o->samples);
	else
		printf(" %7s %6s %9s %6s %9s\n", "-", "-", "-", "-", "-");
}

int main(int argc, char **argv)
{
	static const char *const all[] = { "none", "sample", "nomark" };
	const char *modes[16];
	struct ptscope_client *c;
	char buf[256], lru[64] = "n/a";
	int nmodes = 0, opt;

	while ((opt = getopt(argc, argv, "t:H:C:m:p:c:i:r:")) != -1) {
		int v = atoi(optarg);

		switch (opt) {
		case 't': secs = v; break;
		case 'H': hot_mib = v; break;
		case 'C': cold_mib = v; break;
		case 'm': max_mib = v; break;
		case 'p': sweep_ms = v; break;
		case 'c': cold_rate = v; break;
		case 'i': interval_ms = v; break;
		case 'r': rounds = v; break;
		default:
			fprintf(stderr, "usage: heat_reclaim [-t SECS] [-H MiB] "
				"[-C MiB] [-m MiB] [-p MS] [-c MiB/s] [-i MS] [-r ROUNDS] "
				"[none|sample|nomark]...\n");
			return 2;
		}
	}
	for (int i = optind; i < argc && nmodes < 16; i++)
		modes[nmodes++] = argv[i];
	if (!nmodes)
		for (int i = 0; i < 3; i++)
			modes[nmodes++] = all[i];
	ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	pin(0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	if (ptscope_open(&c))
		die("cannot reach the ptscope family (module loaded?)");
	/* cgroup v2 with the memory controller for children of the root. */
	if (access(CG_ROOT "/cgroup.controllers", F_OK))
		mount("none", CG_ROOT, "cgroup2", 0, NULL);
	opt = write_file(CG_ROOT "/cgroup.subtree_control", "+memory");
	if (opt)
		die("cgroup v2 memory controller: %s", strerror(-opt));
	if (!read_file("/sys/kernel/mm/lru_gen/enabled", lru, sizeof(lru)))
		lru[strcspn(lru, "\n")] = '\0';
	if (read_file("/proc/sys/kernel/osrelease", buf, sizeof(buf)))
		strcpy(buf, "?\n");
	buf[strcspn(buf, "\n")] = '\0';
	printf("=== heat_reclaim: kernel %s, lru_gen %s (%s), %d CPUs; H %d MiB "
	       "swept every %d ms, C %d MiB streamed at %d MiB/s, memory.max "
	       "%d MiB, %d s per run, sampling every %d ms, %d round(s) ===\n",
	       buf, lru, strcmp(lru, "n/a") && strtoul(lru, NULL, 0) ?
	       "MGLRU" : "classic LRU", ncpus, hot_mib, sweep_ms, cold_mib,
	       cold_rate, max_mib, secs, interval_ms, rounds);
	printf("%-7s %9s %9s %8s %7s %9s %9s %9s %9s %6s %5s %7s %6s %9s %6s %9s\n",
	       "mode", "hot_majf", "cold_majf", "H_res", "H_min", "refault",
	       "activate", "pgscan", "pgsteal", "sweeps", "passes", "samples",
	       "ms/smp", "young/smp", "fl/smp", "acc/smp");
	for (int r = 0; r < rounds; r++)
		for (int m = 0; m < nmodes; m++) {
			struct outcome o;

			fprintf(stderr, "heat_reclaim: round %d, %s\n", r + 1, modes[m]);
			run(c, modes[m], &o);
			print(&o);
		}
	printf("=== heat_reclaim: end ===\n");
	ptscope_close(c);
	return 0;
}
