// SPDX-License-Identifier: GPL-2.0
/*
 * ptbench's workloads (the table in ptbench.c's comment) and the target
 * child that builds one, then runs the mmap/munmap loop on request.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

/*
 * What the build touched, for the retouch between two sample-access
 * measurements (access.c): each range read at @stride, so that every page
 * the build mapped is accessed again and no other page gets mapped (a read
 * of a hole of b's reservation would map the zero page there).
 */
struct touched {
	volatile char *p;
	uint64_t len, stride;
};

static struct touched *touched;
static size_t nr_touched, touched_cap;

static void note_touched(volatile char *p, uint64_t len, uint64_t stride)
{
	if (nr_touched == touched_cap) {
		touched_cap = touched_cap ? 2 * touched_cap : 64;
		touched = realloc(touched, touched_cap * sizeof(*touched));
		if (!touched)
			die("out of memory");
	}
	touched[nr_touched++] = (struct touched){ p, len, stride };
}

/* Read every page the build touched: sets each one's accessed bit. */
static uint64_t retouch(void)
{
	uint64_t pages = 0;
	char sink = 0;

	for (size_t i = 0; i < nr_touched; i++)
		for (uint64_t off = 0; off < touched[i].len;
		     off += touched[i].stride, pages++)
			sink += touched[i].p[off];
	(void)sink;
	return pages;
}

static void *map_anon(uint64_t len, int prot, int extra, int advice)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra,
		       -1, 0);

	if (p == MAP_FAILED)
		die("mmap %" PRIu64 " bytes: %s", len, strerror(errno));
	if (advice >= 0 && madvise(p, len, advice))
		die("madvise: %s", strerror(errno));
	return p;
}

static void build_anon(const struct workload *w)
{
	volatile char *p = map_anon(w->size, PROT_READ | PROT_WRITE, 0,
				    MADV_NOHUGEPAGE);

	for (uint64_t off = 0; off < w->size; off += PAGE)
		p[off] = 1;
	note_touched(p, w->size, PAGE);
}

static void build_sparse(const struct workload *w)
{
	volatile char *p = map_anon(w->size, PROT_READ | PROT_WRITE,
				    MAP_NORESERVE, MADV_NOHUGEPAGE);

	for (uint64_t off = 0; off < w->span; off += 2 * MiB)
		p[off] = 1;
	note_touched(p, w->span, 2 * MiB);
}

static void build_vmas(const struct workload *w)
{
	for (uint64_t i = 0; i < w->size; i++) {
		bool rw = i % 2 == 0;
		volatile char *p = map_anon(PAGE, rw ? PROT_READ | PROT_WRITE :
					    PROT_READ, 0, -1);

		if (rw)
			p[0] = 1;
		else
			(void)p[0];
		note_touched(p, PAGE, PAGE);
	}
}

static void build_thp(const struct workload *w)
{
	char *raw = map_anon(w->size + 2 * MiB, PROT_READ | PROT_WRITE, 0, -1);
	uintptr_t a = ((uintptr_t)raw + 2 * MiB - 1) & ~(uintptr_t)(2 * MiB - 1);
	volatile char *p = (char *)a;

	if (madvise((void *)a, w->size, MADV_HUGEPAGE))
		die("MADV_HUGEPAGE: %s", strerror(errno));
	for (uint64_t off = 0; off < w->size; off += PAGE)
		p[off] = 1;
	note_touched(p, w->size, PAGE);
}

static void build_alt(const struct workload *w)
{
	volatile char *p = map_anon(w->size, PROT_READ | PROT_WRITE, 0,
				    MADV_NOHUGEPAGE);
	char sink = 0;

	for (uint64_t off = 0; off < w->size; off += PAGE) {
		if ((off / PAGE) % 2 == 0)
			p[off] = 1;
		else
			sink += p[off];	/* maps the zero page read-only */
	}
	(void)sink;
	note_touched(p, w->size, PAGE);
}

const struct workload workloads[NR_WL] = {
	{ "a1", "1 GiB anon 4K", build_anon, 1 * GiB, 0, false, false },
	{ "a4", "4 GiB anon 4K", build_anon, 4 * GiB, 0, true, false },
	{ "b", "64G sparse", build_sparse, 64 * GiB, 64 * GiB, false, false },
	{ "bx", "4T sparse", build_sparse, 4 * TiB, 64 * GiB, false, true },
	{ "c", "10k VMAs", build_vmas, 10000, 0, false, false },
	{ "d", "1 GiB THP", build_thp, 1 * GiB, 0, false, false },
	{ "e", "1 GiB altern.", build_alt, 1 * GiB, 0, false, false },
};
_Static_assert(sizeof(workloads) / sizeof(workloads[0]) == NR_WL,
	       "NR_WL counts the workloads");

/* The mmap/munmap loop: one op = map a page, write it, unmap it. */
static uint64_t churn(int ms)
{
	double end = now_ms() + ms;
	uint64_t ops = 0;

	while (now_ms() < end) {
		for (int i = 0; i < 16; i++) {
			char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				die("churn mmap: %s", strerror(errno));
			p[0] = 1;
			munmap(p, PAGE);
			ops++;
		}
	}
	return ops;
}

static void target_main(const struct workload *w, int cmd, int rsp)
{
	char c = 'R';
	int ms;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pin(ncpus - 1);
	w->build(w);
	if (write(rsp, &c, 1) != 1)
		_exit(1);
	/* ms > 0: the mmap/munmap loop for ms; 0: retouch, pages read back. */
	while (read(cmd, &ms, sizeof(ms)) == sizeof(ms)) {
		uint64_t ops = ms ? churn(ms) : retouch();

		if (write(rsp, &ops, sizeof(ops)) != sizeof(ops))
			_exit(1);
	}
	_exit(0);
}

void target_start(struct target *t, const struct workload *w)
{
	int cmd[2], rsp[2];
	char c;

	if (pipe(cmd) || pipe(rsp))
		die("pipe: %s", strerror(errno));
	t->pid = fork();
	if (t->pid < 0)
		die("fork: %s", strerror(errno));
	if (t->pid == 0) {
		close(cmd[1]);
		close(rsp[0]);
		target_main(w, cmd[0], rsp[1]);
	}
	close(cmd[0]);
	close(rsp[1]);
	t->cmd = cmd[1];
	t->rsp = rsp[0];
	if (read(t->rsp, &c, 1) != 1 || c != 'R')
		die("workload %s failed to build", w->name);
}

void target_stop(struct target *t)
{
	close(t->cmd);
	close(t->rsp);
	kill(t->pid, SIGKILL);
	waitpid(t->pid, NULL, 0);
}

/* The target reads every page its build touched; returns how many. */
uint64_t target_retouch(struct target *t)
{
	int zero = 0;
	uint64_t pages;

	if (write(t->cmd, &zero, sizeof(zero)) != sizeof(zero) ||
	    read(t->rsp, &pages, sizeof(pages)) != sizeof(pages))
		die("target retouch");
	return pages;
}
