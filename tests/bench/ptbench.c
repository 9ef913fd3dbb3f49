// SPDX-License-Identifier: GPL-2.0
/*
 * ptbench: ptscope against /proc/PID/pagemap, smaps and PAGEMAP_SCAN on the
 * workloads of issue 5.  Runs as root inside the bench VM (bench-vm.sh),
 * with the module loaded, the CLI at /bin/ptscope (bench.sh builds it
 * static) and the default dynamic build at /bin/ptscope-dyn.
 *
 *   ptbench [-r REPS] [-R REPS_4G] [-t LOOP_MS] [-c CLI] [-d DYNAMIC_CLI]
 *           [WORKLOAD]...
 *
 * Workloads (default: all, in this order):
 *   a1  1 GiB anonymous, every 4 KiB page written, MADV_NOHUGEPAGE
 *   a4  the same, 4 GiB
 *   b   64 GiB reserved (MAP_NORESERVE), one page written every 2 MiB
 *   bx  4 TiB reserved, the same pages as b written (same page tables)
 *   c   10,000 one-page VMAs (alternately rw written and r read)
 *   d   1 GiB with MADV_HUGEPAGE, written (2 MiB THPs)
 *   e   1 GiB, even pages written, odd pages read (zero page): attributes
 *       alternate page by page
 *
 * Each workload is a forked child (the target), pinned to the last CPU;
 * this process pins itself to CPU 0 and measures, REPS times each:
 *   the CLI end to end, stdout to /dev/null: the full walk "ptscope
 *   --json record PID" (get-info, get-vmas, get-pages in one process and
 *   one document), and "pages PID", "maps PID" and "info" (start-up) on
 *   their own, "info" also with the dynamic build; the raw dumps through
 *   libptscope's transport, counting every netlink byte received: the full
 *   walk as the CLI does it (get-vmas with PTSCOPE_VMAS_F_NO_COUNTS, and
 *   get-pages, PTSCOPE_PAGES_F_COMPACT if the module takes it), and
 *   get-vmas with counts; /proc/PID/pagemap read over every VMA (64 Ki
 *   entries per read); smaps and smaps_rollup read whole; PAGEMAP_SCAN
 *   over the VMAs (if the kernel has it).
 * Then sample-access (access.c): one interval of `ptscope heat` over the
 * whole address space, after the target read all its pages again, beside
 * the raw get-pages walk of the same state.
 * Then the module's mmap_lock statistics (get-info, reset first), the
 * kernel memory held per dump (16 dumps started and left unread), and the
 * target's mmap/munmap loop rate with and without walks running.
 *
 * Output: one table (min/median of each time, medians for ratios) and
 * the targets, each "met" or "NOT MET"; "n/a" where this kernel
 * or module does not provide the figure.  Exit status 0 unless a
 * measurement failed outright (targets do not affect it).
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "ptscope_client.h"

int reps = 5, reps_big = 3, loop_ms = 2000;
const char *cli = "/bin/ptscope";
const char *cli_dyn = "/bin/ptscope-dyn";
bool have_cli_dyn;
int ncpus = 1;

void add(struct series *s, double v)
{
	if (s->n < MAX_REPS)
		s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double s_min(const struct series *s)
{
	double m = NAN;

	for (int i = 0; i < s->n; i++)
		if (isnan(m) || s->v[i] < m)
			m = s->v[i];
	return m;
}

double s_med(const struct series *s)
{
	double v[MAX_REPS];

	if (!s->n)
		return NAN;
	memcpy(v, s->v, s->n * sizeof(v[0]));
	qsort(v, s->n, sizeof(v[0]), cmp_double);
	return s->n % 2 ? v[s->n / 2] : (v[s->n / 2 - 1] + v[s->n / 2]) / 2;
}

int main(int argc, char **argv)
{
	struct ptscope_client *c;
	int opt;

	while ((opt = getopt(argc, argv, "r:R:t:c:d:")) != -1) {
		switch (opt) {
		case 'r':
			reps = atoi(optarg);
			break;
		case 'R':
			reps_big = atoi(optarg);
			break;
		case 't':
			loop_ms = atoi(optarg);
			break;
		case 'c':
			cli = optarg;
			break;
		case 'd':
			cli_dyn = optarg;
			break;
		default:
			fprintf(stderr, "usage: ptbench [-r REPS] [-R REPS_4G] "
				"[-t LOOP_MS] [-c CLI] [-d DYNAMIC_CLI] "
				"[WORKLOAD]...\n");
			return 2;
		}
	}
	/* Without a dynamic build beside it, its start-up row says n/a. */
	have_cli_dyn = !access(cli_dyn, X_OK);
	if (reps < 1 || reps > MAX_REPS || reps_big < 1 || reps_big > MAX_REPS ||
	    loop_ms < 10)
		die("bad -r/-R/-t");
	ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpus < 1)
		ncpus = 1;
	pin(0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ptscope_open(&c))
		die("cannot reach the ptscope family (module loaded?)");

	for (int i = 0; i < NR_WL; i++) {
		bool want = optind >= argc;

		results[i].w = &workloads[i];
		for (int k = optind; k < argc; k++)
			if (!strcmp(argv[k], workloads[i].name))
				want = true;
		if (want)
			measure(c, &results[i]);
	}
	report();
	ptscope_close(c);
	return 0;
}
