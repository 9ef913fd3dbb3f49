// SPDX-License-Identifier: GPL-2.0
/*
 * workload: a process whose page states are known exactly (see layout.h).
 *
 *   workload          build the layout, report it on stdout, then serve
 *                     commands from stdin until EOF (or "q"):
 *                       r HEXADDR N   read one byte of N pages from HEXADDR
 *                       w HEXADDR N   write one byte of N pages
 *                       cw            the child writes cow pages [0,4)
 *                     each answered by "ok" (or "err ...").
 *   workload --demo   build the layout, print it for humans and sleep until
 *                     killed (used by `make demo`).
 *   workload --churn  no layout: one thread on CPU 1 keeps the address
 *                     space loaded, one on CPU 0 rewrites page tables
 *                     (write, mprotect, MADV_DONTNEED) about 1000 times a
 *                     second until killed, so every change is a TLB
 *                     shootdown (`make demo` tracks it).
 *   workload --heat   no layout: 64 MiB of anonymous memory, touched in a
 *                     known pattern until killed (`make demo` samples it
 *                     with `ptscope heat`): the first 4 MiB every 100 ms
 *                     (hot), one 4 MiB slice of the next 32 MiB per second,
 *                     moving up a slice a second (a wave), and the last
 *                     28 MiB only once, at start (cold).
 *
 * Report format (one item per line, then "ready"):
 *   pid=N  child=N  named=0|1  thp_mode=always|madvise|never|none
 *   file=PATH
 *   region NAME 0xSTART 0xEND
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "layout.h"

#ifndef PR_SET_VMA
#define PR_SET_VMA		0x53564d41
#define PR_SET_VMA_ANON_NAME	0
#endif

#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"

static char *region_start[WL_NR_REGIONS];
static char file_path[64];
static pid_t child = -1;
static int named = 1;
static char thp_mode[16] = "none";
static int to_child = -1, from_child = -1;

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	if (file_path[0])
		unlink(file_path);
	if (child > 0)
		kill(child, SIGKILL);
	exit(1);
}

static size_t region_len(int r)
{
	return wl_region_pages[r] * WL_PAGE;
}

static void touch_read(char *p, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		(void)*(volatile char *)(p + i * WL_PAGE);
}

static void touch_write(char *p, int region, unsigned long first,
			unsigned long n)
{
	for (unsigned long i = first; i < first + n; i++)
		*(volatile unsigned char *)(p + i * WL_PAGE) = wl_fill(region, i);
}

static void map_anon(int r, int prot, int extra)
{
	void *p = mmap(region_start[r], region_len(r), prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | extra, -1, 0);

	if (p != region_start[r])
		die(wl_region_names[r]);
}

static void name_region(int r)
{
	char name[32];

	snprintf(name, sizeof(name), "wl_%s", wl_region_names[r]);
	if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)region_start[r],
		  region_len(r), (unsigned long)name))
		named = 0;
}

/* THP must not be "never" for the thp region; SKIP in the tests otherwise. */
static void thp_setup(void)
{
	char buf[128] = "";
	int fd = open(THP_ENABLED, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	if (strstr(buf, "[never]")) {
		fd = open(THP_ENABLED, O_WRONLY);
		if (fd >= 0) {
			if (write(fd, "madvise", 7) == 7)
				strcpy(buf, "[madvise]");
			close(fd);
		}
	}
	if (strstr(buf, "[always]"))
		strcpy(thp_mode, "always");
	else if (strstr(buf, "[madvise]"))
		strcpy(thp_mode, "madvise");
	else if (strstr(buf, "[never]"))
		strcpy(thp_mode, "never");
}

static void child_main(void)
{
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	touch_write(region_start[WL_R_SHARED], WL_R_SHARED,
		    WL_SHARED_CHILD_FIRST,
		    WL_SHARED_CHILD_END - WL_SHARED_CHILD_FIRST);
	if (write(from_child, "r", 1) != 1)
		_exit(1);
	while (read(to_child, &c, 1) == 1) {
		if (c == 'c')
			touch_write(region_start[WL_R_COW], WL_R_COW, 0,
				    WL_COW_CHILD_WRITES);
		if (write(from_child, "k", 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static void build(void)
{
	size_t resv_len = 12UL << 20;
	char *resv, *base, *cur;
	int p2c[2], c2p[2], fd;
	char c;

	/* [base, base + 8 MiB) stays reserved PROT_NONE around the regions. */
	resv = mmap(NULL, resv_len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (resv == MAP_FAILED)
		die("reserve");
	base = (char *)(((uintptr_t)resv + WL_PMD - 1) & ~(WL_PMD - 1));
	if (base > resv)
		munmap(resv, base - resv);
	munmap(base + (8UL << 20), resv + resv_len - (base + (8UL << 20)));

	region_start[WL_R_THP] = base + WL_PMD;
	cur = base + 2 * WL_PMD + WL_PAGE;
	for (int r = 0; r < WL_NR_REGIONS; r++) {
		if (r == WL_R_THP)
			continue;
		region_start[r] = cur;
		cur += region_len(r);
		/* mprot_rw and mprot_ro are one mapping split by mprotect() */
		if (r != WL_R_MPROT_RW)
			cur += WL_PAGE;
	}

	/* Shared and cow regions first, then the child. */
	if (mmap(region_start[WL_R_SHARED], region_len(WL_R_SHARED),
		 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) != region_start[WL_R_SHARED])
		die("shared");
	touch_write(region_start[WL_R_SHARED], WL_R_SHARED, 0,
		    WL_SHARED_PARENT_END);
	map_anon(WL_R_COW, PROT_READ | PROT_WRITE, 0);
	touch_write(region_start[WL_R_COW], WL_R_COW, 0,
		    wl_region_pages[WL_R_COW]);

	if (pipe(p2c) || pipe(c2p))
		die("pipe");
	fflush(NULL);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		close(p2c[1]);
		close(c2p[0]);
		to_child = p2c[0];
		from_child = c2p[1];
		child_main();
	}
	close(p2c[0]);
	close(c2p[1]);
	to_child = p2c[1];
	from_child = c2p[0];
	if (read(from_child, &c, 1) != 1 || c != 'r')
		die("child");

	/* anon */
	map_anon(WL_R_ANON, PROT_READ | PROT_WRITE, 0);
	for (unsigned long i = 0; i < wl_region_pages[WL_R_ANON]; i++) {
		char *p = region_start[WL_R_ANON] + i * WL_PAGE;

		if (wl_anon_state(i) == WL_READ && *(volatile char *)p != 0)
			die("zero page is not zero");
		else if (wl_anon_state(i) == WL_WRITE)
			touch_write(region_start[WL_R_ANON], WL_R_ANON, i, 1);
	}

	/* mprot: one 16-page mapping, all written, second half read-only */
	if (mmap(region_start[WL_R_MPROT_RW], 2 * region_len(WL_R_MPROT_RW),
		 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) != region_start[WL_R_MPROT_RW])
		die("mprot");
	touch_write(region_start[WL_R_MPROT_RW], WL_R_MPROT_RW, 0, 16);
	if (mprotect(region_start[WL_R_MPROT_RO], region_len(WL_R_MPROT_RO),
		     PROT_READ))
		die("mprotect");

	/* dontneed */
	map_anon(WL_R_DONTNEED, PROT_READ | PROT_WRITE, 0);
	touch_write(region_start[WL_R_DONTNEED], WL_R_DONTNEED, 0,
		    wl_region_pages[WL_R_DONTNEED]);
	if (madvise(region_start[WL_R_DONTNEED] + WL_DONTNEED_FIRST * WL_PAGE,
		    (WL_DONTNEED_END - WL_DONTNEED_FIRST) * WL_PAGE,
		    MADV_DONTNEED))
		die("MADV_DONTNEED");

	/* populate */
	map_anon(WL_R_POPULATE, PROT_READ | PROT_WRITE, MAP_POPULATE);

	/* file: sparse, data only in the even pages, which are all read */
	snprintf(file_path, sizeof(file_path), "/tmp/ptscope-wl.XXXXXX");
	fd = mkstemp(file_path);
	if (fd < 0)
		die("mkstemp");
	if (ftruncate(fd, region_len(WL_R_FILE)))
		die("ftruncate");
	for (unsigned long i = 0; i < wl_region_pages[WL_R_FILE]; i += 2) {
		char page[WL_PAGE];

		memset(page, wl_fill(WL_R_FILE, i), sizeof(page));
		if (pwrite(fd, page, sizeof(page), i * WL_PAGE) != sizeof(page))
			die("pwrite");
	}
	if (mmap(region_start[WL_R_FILE], region_len(WL_R_FILE), PROT_READ,
		 MAP_PRIVATE | MAP_FIXED, fd, 0) != region_start[WL_R_FILE])
		die("file mmap");
	close(fd);
	for (unsigned long i = 0; i < wl_region_pages[WL_R_FILE]; i += 2)
		if (*(volatile unsigned char *)(region_start[WL_R_FILE] + i * WL_PAGE) !=
		    wl_fill(WL_R_FILE, i))
			die("file content");

	/* protnone */
	map_anon(WL_R_PROTNONE, PROT_READ | PROT_WRITE, 0);
	touch_write(region_start[WL_R_PROTNONE], WL_R_PROTNONE, 0,
		    WL_PROTNONE_WRITTEN);
	if (mprotect(region_start[WL_R_PROTNONE], region_len(WL_R_PROTNONE),
		     PROT_NONE))
		die("mprotect none");

	/* thp */
	thp_setup();
	map_anon(WL_R_THP, PROT_READ | PROT_WRITE, 0);
	madvise(region_start[WL_R_THP], region_len(WL_R_THP), MADV_HUGEPAGE);
	touch_write(region_start[WL_R_THP], WL_R_THP, 0,
		    wl_region_pages[WL_R_THP]);

	/* Names are optional (CONFIG_ANON_VMA_NAME); private anon only. */
	for (int r = 0; r < WL_NR_REGIONS; r++)
		if (r != WL_R_FILE && r != WL_R_SHARED)
			name_region(r);
}

static void report(FILE *f)
{
	fprintf(f, "pid=%d\nchild=%d\nnamed=%d\nthp_mode=%s\nfile=%s\n",
		(int)getpid(), (int)child, named, thp_mode, file_path);
	for (int r = 0; r < WL_NR_REGIONS; r++)
		fprintf(f, "region %s %p %p\n", wl_region_names[r],
			(void *)region_start[r],
			(void *)(region_start[r] + region_len(r)));
	fprintf(f, "ready\n");
	fflush(f);
}

static void demo(void)
{
	printf("workload: pid %d (child %d, shares 'shared' and 'cow')\n",
	       (int)getpid(), (int)child);
	for (int r = 0; r < WL_NR_REGIONS; r++)
		printf("  %-9s %p-%p %4lu pages\n", wl_region_names[r],
		       (void *)region_start[r],
		       (void *)(region_start[r] + region_len(r)),
		       wl_region_pages[r]);
	printf("  anon: [0,8) read (zero page), [8,24) written, [24,32) untouched,\n"
	       "        [32,48) odd read / even written, [48,64) untouched\n"
	       "  mprot_ro: written, then mprotect(PROT_READ); dontneed: [4,12) dropped\n"
	       "  file: %s, even pages read; thp: MADV_HUGEPAGE (THP %s)\n",
	       file_path, thp_mode);
	printf("try: ptscope maps %d; ptscope pages %d; ptscope vtop %d %p\n",
	       (int)getpid(), (int)getpid(), (int)getpid(),
	       (void *)region_start[WL_R_THP]);
	fflush(stdout);
	/* The file is still mapped; its name can go. */
	unlink(file_path);
	for (;;)
		pause();
}

static int serve(void)
{
	char line[256];

	while (fgets(line, sizeof(line), stdin)) {
		unsigned long addr, n;
		char op[8];
		char c;

		if (sscanf(line, "%7s", op) != 1)
			continue;
		if (!strcmp(op, "q"))
			break;
		if (!strcmp(op, "cw")) {
			if (write(to_child, "c", 1) != 1 ||
			    read(from_child, &c, 1) != 1 || c != 'k') {
				printf("err child\n");
			} else {
				printf("ok\n");
			}
		} else if ((!strcmp(op, "r") || !strcmp(op, "w")) &&
			   sscanf(line, "%*s %lx %lu", &addr, &n) == 2) {
			if (op[0] == 'r')
				touch_read((char *)addr, n);
			else
				for (unsigned long i = 0; i < n; i++)
					*(volatile char *)(addr + i * WL_PAGE) = 0x5a;
			printf("ok\n");
		} else {
			printf("err unknown command\n");
		}
		fflush(stdout);
	}
	return 0;
}

#define CHURN_PAGES	64

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *churn_spinner(void *mem)
{
	pin_to(1);
	for (;;)
		(void)*(volatile char *)mem;
	return NULL;
}

static int churn(void)
{
	const size_t len = CHURN_PAGES * WL_PAGE;
	struct timespec pause = { 0, 1000 * 1000 };
	pthread_t th;
	char *mem;

	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	memset(mem, 1, len);
	pin_to(0);
	if (pthread_create(&th, NULL, churn_spinner, mem))
		return 1;
	printf("pid=%d churning\n", getpid());
	fflush(stdout);
	for (unsigned long i = 0;; i++) {
		memset(mem, (int)i, len);
		if (i & 1) {
			madvise(mem, len, MADV_DONTNEED);
		} else {
			mprotect(mem, len, PROT_READ);
			mprotect(mem, len, PROT_READ | PROT_WRITE);
		}
		nanosleep(&pause, NULL);
	}
}

#define HEAT_MIB	(1UL << 20)
#define HEAT_LEN	(64 * HEAT_MIB)
#define HEAT_HOT	(4 * HEAT_MIB)
#define HEAT_SLICE	(4 * HEAT_MIB)
#define HEAT_WAVE	(32 * HEAT_MIB)

static void heat_touch(char *p, size_t len)
{
	for (size_t off = 0; off < len; off += WL_PAGE)
		p[off]++;
}

static int heat(void)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	char *mem = mmap(NULL, HEAT_LEN, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED)
		return 1;
	heat_touch(mem, HEAT_LEN);
	printf("pid=%d heat 0x%lx-0x%lx: hot 4 MiB, a 4 MiB wave over 32 MiB, 28 MiB cold\n",
	       getpid(), (unsigned long)mem, (unsigned long)mem + HEAT_LEN);
	fflush(stdout);
	for (unsigned long t = 0;; t++) {
		heat_touch(mem, HEAT_HOT);
		if (t % 10 == 0)
			heat_touch(mem + HEAT_HOT +
				   (t / 10) % (HEAT_WAVE / HEAT_SLICE) * HEAT_SLICE,
				   HEAT_SLICE);
		nanosleep(&tick, NULL);
	}
}

int main(int argc, char **argv)
{
	int is_demo = argc > 1 && !strcmp(argv[1], "--demo");

	if (argc > 1 && !strcmp(argv[1], "--churn"))
		return churn();
	if (argc > 1 && !strcmp(argv[1], "--heat"))
		return heat();

	build();
	if (is_demo)
		demo();
	report(stdout);
	serve();
	unlink(file_path);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 0;
}
