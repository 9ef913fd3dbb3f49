/* SPDX-License-Identifier: GPL-2.0 */
/* What `stats`, `watch` and `track` share: naming ranges, times, errors. */
#ifndef PTSCOPE_TRACKING_H
#define PTSCOPE_TRACKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "cli.h"
#include "json.h"

/* The current VMAs of a process, to name fault ranges. */
struct vma_name {
	uint64_t start, end;
	char *name;		/* display form: path, [heap], [anon:X], "" */
};

struct vma_names {
	struct vma_name *v;
	size_t n, cap;
	bool ok;		/* loaded: a range without a VMA is gone */
};

/* Fetch the VMAs (no page counts); on failure the list stays empty. */
int vma_names_load(struct ptscope_client *c, pid_t pid, struct vma_names *vn);
void vma_names_free(struct vma_names *vn);
/*
 * Name of the first VMA overlapping [start, end); NULL if none (gone);
 * "" for every range if the VMAs could not be loaded.
 */
const char *vma_names_find(const struct vma_names *vn, uint64_t start,
			   uint64_t end);

/* "850 ns", "1.2 µs" (us without UTF-8), "3.4 ms", "1.5 s". */
void fmt_ns(uint64_t ns, bool utf8, char *buf, size_t len);
/* "850 ms", "12.5 s", "5m 03s", "2h 05m", "3d 04h". */
void fmt_duration(uint64_t ns, char *buf, size_t len);
/* Human text for a probe the kernel lacks: "flush_tlb_multi()". */
const char *probe_human(uint64_t probe);
/* Why fault minor/major and latency are absent where the hook exists. */
const char *fault_return_hint(void);

/*
 * Report a failed tracking request about @pid: the kernel's message, and
 * for ENOENT (not tracked) the hint to `ptscope track start PID`.
 * Returns EXIT_FAILED.
 */
int tracking_failed(const struct ptscope_client *c, int err, pid_t pid);

/* Latency percentile @q (0..1) estimated from the log2 buckets, in ns. */
uint64_t lat_percentile(const uint64_t *hist, double q);
uint64_t lat_count(const uint64_t *hist);

/* --top N: 1..1000 (default @def); usage error otherwise. */
int arg_top(const char *s, int def, int *top);

/* watch's wall clock for its timestamps (time(); the tests fix it). */
extern time_t (*watch_now)(time_t *);

/* "key": number with one decimal, for rates. */
void json_rate(struct json *j, const char *key, double v);

#endif /* PTSCOPE_TRACKING_H */
