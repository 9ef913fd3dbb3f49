/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `ptscope metrics` and `ptscope exporter` export (docs/metrics.md):
 * a collection is one snapshot of the module's state, the tracking
 * counters of every tracked process and the walked gauges of the
 * selected ones.  The collector keeps what must outlive a collection: the
 * netlink client (reopened after the module went away), the walks of
 * the last min_interval (a scrape never walks a process more often) and
 * the heat models of --heat.
 *
 * Not thread-safe: the exporter serialises collections (cmd_exporter.c).
 */
#ifndef PTSCOPE_METRICS_H
#define PTSCOPE_METRICS_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptscope_client.h"

struct metrics_opts {
	/* Selectors: a process is selected if any of them selects it. */
	const pid_t *pids;
	size_t nr_pids;
	const regex_t *comm;		/* NULL: none */
	const char *cgroup;		/* NULL: none; else "/a/b", no trailing '/' */
	bool tracked;			/* every tracked process */
	bool track;			/* start tracking the selected */
	bool cgroup_label;
	bool per_vma;
	unsigned int max_vma_series;
	bool heat;
	double cold_after;		/* seconds */
	double min_interval;		/* seconds between walks of a process */
};

/*
 * --per-vma: the mappings of one kind and name (a library, [heap], the
 * anonymous ones) with their resident bytes summed.  No addresses: they
 * would hand every scraper the process's ASLR layout, and a label that
 * moves with every mmap makes a new series each time.
 */
struct metrics_vma {
	uint64_t resident;		/* bytes */
	uint32_t kind;			/* enum ptscope_vma_kind */
	uint32_t count;			/* mappings summed */
	char name[256];
};

/* One walk of a process: the gauges. */
struct metrics_walk {
	uint64_t resident, dirty, swapped, huge_pmd, huge_pud;	/* bytes */
	uint64_t vmas;
	struct ptscope_tables tables;
	double started_at, walked_at;	/* metrics_clock() seconds */
	double duration;		/* seconds */
	struct metrics_vma *top;	/* --per-vma: the largest, by resident */
	size_t nr_top;
	uint64_t vmas_dropped;		/* --per-vma: mapping groups over the cap */
	bool has_heat;			/* --heat, from the second sample on */
	bool has_cold;			/* once the samples span cold_after */
	uint64_t wss, cold;		/* bytes */
	double heat_interval;		/* seconds the wss is over */
};

struct metrics_proc {
	pid_t pid;
	char comm[17];
	char cgroup[256];		/* "" unless --cgroup-label */
	bool tracked;
	struct ptscope_stats stats;	/* cpus and ranges not kept (NULL) */
	bool selected;			/* by the selectors */
	bool walked;			/* selected, and its walk succeeded */
	struct metrics_walk walk;	/* top: a copy owned by the snapshot */
};

struct metrics_snapshot {
	bool up;
	struct ptscope_info info;
	struct metrics_proc *procs;	/* by pid */
	size_t nr_procs;
	uint32_t selected;
	double taken_at;		/* metrics_clock() when it ended */
	double duration;		/* seconds the collection took */
	uint64_t walks_total, errors_total, reconnects_total;
};

struct metrics_cache_entry;

struct metrics_collector {
	struct metrics_opts opts;
	struct ptscope_client *client;
	bool lost;			/* the module was there, then not */
	struct metrics_cache_entry *cache;	/* by pid */
	size_t nr_cache;
	uint64_t walks_total, errors_total, reconnects_total;
	char proc_root[64];		/* "/proc"; the unit tests point it elsewhere */
};

/* Monotonic seconds; the unit tests replace it. */
extern double (*metrics_clock)(void);

void metrics_collector_init(struct metrics_collector *mc,
			    const struct metrics_opts *opts);
void metrics_collector_free(struct metrics_collector *mc);

/*
 * One collection into @out (release with metrics_snapshot_free()).  0 even
 * when the module is absent (out->up false); -ENOMEM only.  Processes that
 * exit meanwhile drop out; other per-process failures count in
 * errors_total and are said on stderr.
 */
int metrics_collect(struct metrics_collector *mc, struct metrics_snapshot *out);
void metrics_snapshot_free(struct metrics_snapshot *s);

/* Selection helpers (metrics_select.c), over @proc_root. */
bool metrics_read_comm(const char *proc_root, pid_t pid, char *buf, size_t len);
/* "0::/path" of /proc/PID/cgroup into @buf; false if none (cgroup v1 only). */
bool metrics_read_cgroup(const char *proc_root, pid_t pid, char *buf, size_t len);
/* Is @path @prefix or below it? */
bool metrics_cgroup_within(const char *path, const char *prefix);
/* Field 22 of /proc/PID/stat: tells a PID's reuse from its first owner. */
bool metrics_read_starttime(const char *proc_root, pid_t pid,
			    unsigned long long *out);
/*
 * The PIDs @opts selects beyond its tracked ones (--pid, --comm, --cgroup),
 * sorted, without duplicates, into *@out (malloc'd).  0 or -ENOMEM.
 */
int metrics_select(const char *proc_root, const struct metrics_opts *opts,
		   pid_t **out, size_t *n);

#endif /* PTSCOPE_METRICS_H */
