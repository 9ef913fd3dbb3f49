/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exporter_test's helpers (exporter_util.c, exporter_host.c): the exporter
 * and other programs run, the kernel's views of the workload, the module
 * unloaded and loaded, and the expectations `ptscope stats --json` sets
 * for the exported counters.
 */
#ifndef PTSCOPE_TESTS_EXPORTER_H
#define PTSCOPE_TESTS_EXPORTER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common.h"
#include "prom.h"

/* Zero-page PTEs of the workload: the anon pages it only read
 * (layout.h).  Special PTEs (these, and PFN maps such as [vvar] once
 * touched) are present to a walk but not in smaps Rss, nor in pagemap. */
#define WL_ZERO_PAGES	16

/* Y: tracking started from nothing tracked hooks handle_mm_fault()'s
 * return too (fault results and latency). */
#define LATENCY_PARAM	"/sys/module/ptscope/parameters/fault_latency"

/* `ptscope ARGS` (printf-style, split at spaces), output discarded. */
int cli_quiet(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct exporter {
	pid_t pid;		/* -1: not running */
	uint16_t port;
	char log[128];		/* its stderr (--log-requests lines) */
};

/*
 * `ptscope exporter --listen ADDR:PORT --log-requests ARGS` (port 0: a
 * free one), stderr to a file; returns once it accepts connections.
 * 0, or -1 (it exited or never listened; its stderr is printed).
 */
int exp_start(struct exporter *x, const char *addr, uint16_t port,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* SIGTERM, then wait: its exit status, -1 if it had to be killed. */
int exp_stop(struct exporter *x);
/* Lines of its log containing @needle. */
int exp_log_count(const struct exporter *x, const char *needle);

/* The kernel's views of a process. */
struct oracle {
	uint64_t rss_kb, swap_kb, anon_huge_kb, pmd_mapped_kb;	/* smaps_rollup */
	uint64_t vmas;		/* /proc/PID/maps lines, less [vsyscall] */
	uint64_t vmpte_kb;	/* /proc/PID/status */
};
int oracle_read(pid_t pid, struct oracle *o);
/* process_madvise(MADV_PAGEOUT) of [addr, addr + len) of @pid. */
int pageout(pid_t pid, uint64_t addr, size_t len);
/* Pages of @pid as libptscope reports them: dirty (the VMAs' nr_dirty)
 * and present special ones (runs with PTSCOPE_PF_SPECIAL). */
struct lib_counts {
	uint64_t dirty, special;
};
int library_counts(struct ptscope_client *c, pid_t pid, struct lib_counts *n);
/* Entries of @dir other than . and ..; the last one's name into @name. */
int dir_entries(const char *dir, char *name, size_t len);
void rm_rf(const char *dir);

/* The module, from $PTSCOPE_KO (scripts/vm-init.sh). */
bool module_reloadable(void);
int module_unload(void);
int module_load(void);
void module_ensure_loaded(void);

/* `workload --churn`: TLB shootdowns and faults, all the time. */
struct churn {
	pid_t pid;
};
int churn_start(struct churn *ch);
void churn_stop(struct churn *ch);

/* `ptscope stats PID --json` into *out (malloc'ed). */
int stats_json(pid_t pid, char **out);

/*
 * What every tracking series of @pid must be when exported between the
 * stats documents @s1 and @s2: counters within [s1, s2], the histogram's
 * buckets (the "le" boundaries of @doc, which must fall between the
 * module's power-of-two buckets), _count and _sum from the same buckets,
 * absent where stats has no key (probe off).  0, or -1 with @why.
 */
int expect_counters(struct prom_expects *x, pid_t pid, const char *s1, const char *s2,
		    const struct prom_doc *doc, char *why, size_t len);

/* The round trip with the host's Prometheus (exporter_host.c). */
int host_round_trip(struct wl_env *env, struct exporter *x, const char *dir,
		    char *why, size_t len);

#endif
