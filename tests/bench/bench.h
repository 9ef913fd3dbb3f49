/* SPDX-License-Identifier: GPL-2.0 */
/* What ptbench's files share: see ptbench.c for what it measures. */
#ifndef PTBENCH_BENCH_H
#define PTBENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptscope_client.h"	/* struct ptscope_access_stats */

/* PAGEMAP_SCAN (Linux 6.7+): the host's headers may predate it. */
#include <linux/fs.h>
#ifndef PAGEMAP_SCAN
struct page_region {
	__u64 start;
	__u64 end;
	__u64 categories;
};

struct pm_scan_arg {
	__u64 size;
	__u64 flags;
	__u64 start;
	__u64 end;
	__u64 walk_end;
	__u64 vec;
	__u64 vec_len;
	__u64 max_pages;
	__u64 category_inverted;
	__u64 category_mask;
	__u64 category_anyof_mask;
	__u64 return_mask;
};

#define PROCFS_IOCTL_MAGIC	'f'
#define PAGEMAP_SCAN		_IOWR(PROCFS_IOCTL_MAGIC, 16, struct pm_scan_arg)
#endif
#define PM_ALL_CATEGORIES	0xffULL	/* PAGE_IS_WPALLOWED .. SOFT_DIRTY */

#define KiB		1024ULL
#define MiB		(1024 * KiB)
#define GiB		(1024 * MiB)
#define TiB		(1024 * GiB)
#define PAGE		4096ULL
#define MAX_REPS	32
#define NR_HELD_DUMPS	16
#define PM_CHUNK	65536	/* pagemap entries per read() */
#define SCAN_VEC	4096	/* page_regions per PAGEMAP_SCAN call */

/* The command line (ptbench.c) */
extern int reps, reps_big, loop_ms;
extern const char *cli, *cli_dyn;
extern bool have_cli_dyn;
extern int ncpus;

void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double now_ms(void);
void pin(int cpu);

/* ------------------------------------------------------------------ */
/* Series of measurements */

struct series {
	int n;
	double v[MAX_REPS];
};

void add(struct series *s, double v);
double s_min(const struct series *s);
double s_med(const struct series *s);

/* ------------------------------------------------------------------ */
/* Workloads (run in the target child) */

struct workload {
	const char *name;
	const char *desc;
	void (*build)(const struct workload *w);
	uint64_t size, span;
	bool big;		/* fewer repetitions */
	bool no_pagemap;	/* pagemap read would be 8 B x reserved pages */
};

#define NR_WL	7
extern const struct workload workloads[NR_WL];

struct target {
	pid_t pid;
	int cmd, rsp;		/* pipes: to and from the target */
};

void target_start(struct target *t, const struct workload *w);
void target_stop(struct target *t);
uint64_t target_retouch(struct target *t);

/* ------------------------------------------------------------------ */
/* Raw dumps through libptscope's transport */

/*
 * What one request brought back, counted without expanding compact blocks
 * or merging runs, so that the wire figures are the module's.  The
 * transport (socket options, sequence checks, draining, errors) is
 * libptscope's (ptscope_priv.h): what the CLI itself runs on.
 */
struct dump {
	uint64_t bytes, msgs;
	uint64_t runs, blocks, pages, present;
	uint64_t vmas, vma_pages, vma_present, vma_thp;
};

struct ptscope_client;
struct fnl;
int get_pages(struct ptscope_client *c, pid_t pid, uint32_t flags, struct dump *d);
int get_vmas(struct ptscope_client *c, pid_t pid, uint32_t flags, struct dump *d);
void start_held_dump(struct fnl *s, pid_t pid, uint32_t flags);

/* ------------------------------------------------------------------ */
/* The kernel's own interfaces */

struct vma_range {
	uint64_t start, end;
};

int read_vmas(pid_t pid, struct vma_range **out);
uint64_t read_pagemap(pid_t pid, uint64_t *buf);
size_t read_whole(pid_t pid, const char *file, char *buf, size_t len);
long proc_kb(pid_t pid, const char *file, const char *key);
long meminfo_kb(const char *key);
long pagemap_scan(pid_t pid, struct page_region *vec);
long mem_used_kb(void);

/* The CLI (cli.c) */
int run_cli(const char *prog, const char *cmd, pid_t pid);
int run_cli_metrics(const char *prog, pid_t pid);
const char *linkage(const char *path);

/* ------------------------------------------------------------------ */
/* Per workload */

struct result {
	const struct workload *w;
	bool ran;
	int reps;
	struct series cli_full;		/* `ptscope --json record`: the full walk */
	struct series cli_pages, cli_maps;
	struct series cli_metrics;	/* `ptscope metrics --pid`: one scrape */
	struct series cli_start;	/* `ptscope --json info`: start-up cost */
	struct series cli_start_dyn;	/* the same, dynamic build */
	/* full walk: get-vmas without counts + get-pages, as the CLI does */
	struct series raw_vmas_nc, raw_pages, raw_full;
	struct series raw_vmas;		/* get-vmas with counts */
	struct series pagemap, smaps, rollup, scan;
	uint64_t pages_bytes, vmas_bytes, runs, blocks, pages, present;
	uint64_t vmas_counts_bytes;	/* get-vmas with counts */
	uint64_t vmas, vma_pages, thp_pages;
	uint64_t pm_present;
	long scan_regions;
	long vm_pte_kb, rss_kb;
	bool has_lock;
	double lock_max_us, lock_avg_us;
	uint64_t lock_holds;
	double dump_mem_kb;
	uint32_t held_live;
	double churn_idle, churn_walked, churn_ratio, churn_busy;
	int walk_errors;
	/* sample-access (access.c): after a retouch, at once again, get-pages */
	struct series acc_touched, acc_idle, acc_pages, acc_discard;
	struct ptscope_access_stats acc_st_touched, acc_st_idle, acc_st_discard;
	uint64_t acc_retouched, acc_seen_touched, acc_seen_idle;
};

/* What measure() learnt of the module, for the report's header */
extern bool compact_ok;
extern char module_version[64];
extern bool lock_reset_ok;

void measure(struct ptscope_client *c, struct result *res);
void measure_access(struct ptscope_client *c, struct target *t,
		    struct result *res, uint32_t pages_flags);

extern struct result results[NR_WL];
void report(void);

#endif
