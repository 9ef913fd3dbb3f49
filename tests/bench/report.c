// SPDX-License-Identifier: GPL-2.0
/* ptbench's output: the table of results and the targets. */
#include <math.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

struct result results[NR_WL];

#define LABEL_W	34
#define CELL_W	16

static void fmt_ms(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (v >= 100)
		snprintf(buf, len, "%.0f", v);
	else if (v >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

static void row_times(const char *label, size_t off)
{
	printf("%-*s", LABEL_W, label);
	for (int i = 0; i < NR_WL; i++) {
		const struct series *s;
		char a[32], b[32], cell[80];

		if (!results[i].ran)
			continue;
		s = (const struct series *)((const char *)&results[i] + off);
		if (!s->n) {
			printf("%*s", CELL_W, "n/a");
			continue;
		}
		fmt_ms(a, sizeof(a), s_min(s));
		fmt_ms(b, sizeof(b), s_med(s));
		snprintf(cell, sizeof(cell), "%s/%s", a, b);
		printf("%*s", CELL_W, cell);
	}
	putchar('\n');
}

typedef void (*cell_fn)(const struct result *r, char *buf, size_t len);

static void row(const char *label, cell_fn fn)
{
	printf("%-*s", LABEL_W, label);
	for (int i = 0; i < NR_WL; i++) {
		char cell[64];

		if (!results[i].ran)
			continue;
		fn(&results[i], cell, sizeof(cell));
		printf("%*s", CELL_W, cell);
	}
	putchar('\n');
}

static double ratio(const struct series *a, const struct series *b)
{
	if (!a->n || !b->n)
		return NAN;
	return s_med(a) / s_med(b);
}

static void fmt_ratio(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%.2fx", v);
}

static void c_vmas(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64, r->vmas);
}

static void c_present(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64, r->present);
}

static void c_thp(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64, r->thp_pages);
}

static void c_vmpte(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%ld", r->vm_pte_kb);
}

static void c_runs(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64 "/%" PRIu64, r->runs, r->blocks);
}

static void c_pmcheck(const struct result *r, char *b, size_t l)
{
	if (r->w->no_pagemap)
		snprintf(b, l, "n/a");
	else if (r->pm_present == r->present)
		snprintf(b, l, "same");
	else
		snprintf(b, l, "%+" PRId64, (int64_t)(r->pm_present - r->present));
}

static void c_scanreg(const struct result *r, char *b, size_t l)
{
	if (r->scan.n)
		snprintf(b, l, "%ld", r->scan_regions);
	else
		snprintf(b, l, "n/a");
}

static void c_wire(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64, r->pages_bytes + r->vmas_bytes);
}

static void c_wire_counts(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64, r->vmas_counts_bytes);
}

static double bpp(const struct result *r)
{
	return r->present ? (double)(r->pages_bytes + r->vmas_bytes) /
			    r->present : NAN;
}

static void c_bpp(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%.3f", bpp(r));
}

static void c_pmbpp(const struct result *r, char *b, size_t l)
{
	if (r->w->no_pagemap || !r->present)
		snprintf(b, l, "n/a");
	else
		snprintf(b, l, "%.1f", 8.0 * r->vma_pages / r->present);
}

static void c_rate(const struct result *r, char *b, size_t l)
{
	double ms = s_med(&r->raw_pages);

	snprintf(b, l, "%.3g", r->present / (ms / 1e3));
}

static void c_vrate(const struct result *r, char *b, size_t l)
{
	double ms = s_med(&r->raw_pages);

	snprintf(b, l, "%.3g", r->vma_pages / (ms / 1e3));
}

static void c_lock(const struct result *r, char *b, size_t l)
{
	if (!r->has_lock)
		snprintf(b, l, "n/a");
	else
		snprintf(b, l, "%.0f", r->lock_max_us);
}

static void c_lockavg(const struct result *r, char *b, size_t l)
{
	if (!r->has_lock)
		snprintf(b, l, "n/a");
	else
		snprintf(b, l, "%.0f/%" PRIu64, r->lock_avg_us, r->lock_holds);
}

static void c_dumpmem(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%.0f (%u)", r->dump_mem_kb, r->held_live);
}

static void c_churn(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%.0f/%.0f", r->churn_idle, r->churn_walked);
}

static void c_churn_busy(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%.0f%%", 100 * r->churn_busy / r->churn_idle);
}

static void c_walkerr(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%d", r->walk_errors);
}

static void c_churn_ratio(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%.0f%%", 100 * r->churn_ratio);
}

static void c_acc_seen(const struct result *r, char *b, size_t l)
{
	if (!r->acc_touched.n)
		snprintf(b, l, "n/a");
	else
		snprintf(b, l, "%" PRIu64 "/%" PRIu64, r->acc_retouched,
			 r->acc_seen_touched);
}

/* "a/b" of two access-stats fields of the touched sample */
#define ACC_PAIR_CELL(fn, a, b)						\
static void fn(const struct result *r, char *buf, size_t l)		\
{									\
	if (!r->acc_touched.n)						\
		snprintf(buf, l, "n/a");				\
	else								\
		snprintf(buf, l, "%" PRIu64 "/%" PRIu64,		\
			 r->acc_st_touched.a, r->acc_st_touched.b);	\
}
ACC_PAIR_CELL(c_acc_cleared, cleared, young_marked)
ACC_PAIR_CELL(c_acc_flush, flushes, flush_cpus)

static void c_acc_flush_idle(const struct result *r, char *b, size_t l)
{
	if (!r->acc_idle.n)
		snprintf(b, l, "n/a");
	else
		snprintf(b, l, "%" PRIu64 "/%" PRIu64 " (%" PRIu64 ")",
			 r->acc_st_idle.flushes, r->acc_st_idle.flush_cpus,
			 r->acc_seen_idle);
}

#define RATIO_CELL(fn, a, b)						\
static void fn(const struct result *r, char *buf, size_t l)		\
{									\
	fmt_ratio(buf, l, ratio(&r->a, &r->b));				\
}
RATIO_CELL(c_cli_pm, cli_full, pagemap)
RATIO_CELL(c_raw_pm, raw_full, pagemap)
RATIO_CELL(c_scan_pm, scan, pagemap)
RATIO_CELL(c_rawp_scan, raw_pages, scan)
RATIO_CELL(c_rawv_smaps, raw_vmas, smaps)
RATIO_CELL(c_cliv_smaps, cli_maps, smaps)
RATIO_CELL(c_rawv_rollup, raw_vmas, rollup)
RATIO_CELL(c_metrics_smaps, cli_metrics, smaps)
RATIO_CELL(c_metrics_maps, cli_metrics, cli_maps)
RATIO_CELL(c_acc_ratio, acc_touched, acc_pages)
RATIO_CELL(c_acc_ratio_idle, acc_idle, acc_pages)
RATIO_CELL(c_acc_ratio_discard, acc_discard, acc_pages)

static const struct result *find(const char *name)
{
	for (int i = 0; i < NR_WL; i++)
		if (results[i].ran && !strcmp(results[i].w->name, name))
			return &results[i];
	return NULL;
}

static void target(const char *what, const char *wl, const char *measured,
		   int met)	/* 1 met, 0 not met, -1 n/a */
{
	printf("  %-52s %-3s %-22s %s\n", what, wl, measured,
	       met < 0 ? "n/a" : met ? "met" : "NOT MET");
}

static void targets(void)
{
	static const char *const full_wl[] = { "a1", "a4", "b", "d" };
	static const char *const vmas_wl[] = { "a1", "a4", "c" };
	static const char *const bpp_wl[] = { "a1", "a4", "d" };
	const struct result *r, *r2;
	char m[64];

	printf("\ntargets (ratios of medians; \"full walk\" = ptscope --json "
	       "record end to end)\n");
	for (size_t i = 0; i < sizeof(full_wl) / sizeof(full_wl[0]); i++) {
		r = find(full_wl[i]);
		if (!r)
			continue;
		double v = ratio(&r->cli_full, &r->pagemap);

		fmt_ratio(m, sizeof(m), v);
		target("full walk <= 0.5x pagemap read", r->w->name, m,
		       isnan(v) ? -1 : v <= 0.5);
	}
	r = find("e");
	if (r) {
		double v = ratio(&r->cli_full, &r->pagemap);

		fmt_ratio(m, sizeof(m), v);
		target("full walk <= 1x pagemap read (alternating)", "e", m,
		       isnan(v) ? -1 : v <= 1.0);
	}
	for (size_t i = 0; i < sizeof(vmas_wl) / sizeof(vmas_wl[0]); i++) {
		r = find(vmas_wl[i]);
		if (!r)
			continue;
		double v = ratio(&r->raw_vmas, &r->smaps);

		fmt_ratio(m, sizeof(m), v);
		target("get-vmas with counts <= 0.5x smaps read", r->w->name,
		       m, isnan(v) ? -1 : v <= 0.5);
	}
	for (size_t i = 0; i < sizeof(vmas_wl) / sizeof(vmas_wl[0]); i++) {
		r = find(vmas_wl[i]);
		if (!r)
			continue;
		double v = ratio(&r->cli_maps, &r->smaps);

		fmt_ratio(m, sizeof(m), v);
		target("  (same, CLI maps --json end to end)", r->w->name, m,
		       isnan(v) ? -1 : v <= 0.5);
	}
	for (size_t i = 0; i < sizeof(bpp_wl) / sizeof(bpp_wl[0]); i++) {
		r = find(bpp_wl[i]);
		if (!r)
			continue;
		snprintf(m, sizeof(m), "%.3f B/page", bpp(r));
		target("<= 2 B/page on the wire", r->w->name, m, bpp(r) <= 2);
	}
	r = find("e");
	if (r) {
		snprintf(m, sizeof(m), "%.3f B/page", bpp(r));
		target("<= 8 B/page on the wire (alternating)", "e", m,
		       bpp(r) <= 8);
	}
	r = find("b");
	r2 = find("bx");
	if (r && r2) {
		double v = ratio(&r2->raw_full, &r->raw_full);

		snprintf(m, sizeof(m), "bx/b %.2fx (64x resv)", v);
		target("(b) cost follows page tables, not reservation", "bx",
		       m, v <= 1.5);
	}
	r = find("a1");
	if (r) {
		double base = r->dump_mem_kb, worst = base;
		const char *worst_wl = "a1";

		for (int i = 0; i < NR_WL; i++)
			if (results[i].ran && results[i].dump_mem_kb > worst) {
				worst = results[i].dump_mem_kb;
				worst_wl = results[i].w->name;
			}
		snprintf(m, sizeof(m), "%.0f KiB (%s) vs %.0f (a1)", worst,
			 worst_wl, base);
		target("per-dump module memory O(1) (max <= a1 + 16 KiB)",
		       "all", m, worst <= base + 16);
	}
	for (int i = 0; i < NR_WL; i++) {
		r = &results[i];
		if (!r->ran)
			continue;
		double v = ratio(&r->acc_touched, &r->acc_pages);

		fmt_ratio(m, sizeof(m), v);
		target("one interval <= 2x a get-pages walk (sample-access)",
		       r->w->name, m, isnan(v) ? -1 : v <= 2.0);
	}
	for (int i = 0; i < NR_WL; i++) {
		r = &results[i];
		if (!r->ran)
			continue;
		snprintf(m, sizeof(m), "%.0f%%", 100 * r->churn_ratio);
		target("mmap/munmap loop keeps >= 90% of unwalked rate",
		       r->w->name, m, r->churn_ratio >= 0.9);
	}
}

void report(void)
{
	char host[256] = "?";
	FILE *f = fopen("/proc/sys/kernel/osrelease", "r");

	if (f) {
		if (fgets(host, sizeof(host), f))
			host[strcspn(host, "\n")] = '\0';
		fclose(f);
	}
	printf("\n=== ptbench: kernel %s, module %s, %d CPUs, MemTotal %ld kB ===\n",
	       host, module_version, ncpus, meminfo_kb("MemTotal"));
	printf("get-pages requested compact blocks: %s; lock-stat reset: %s; "
	       "repetitions %d (4 GiB: %d); loop %d ms\n",
	       compact_ok ? "yes (accepted)" : "no (module rejected the flag)",
	       lock_reset_ok ? "yes" : "no", reps, reps_big, loop_ms);
	printf("CLI %s (%s), dynamic build %s (%s)\n", cli, linkage(cli),
	       cli_dyn, have_cli_dyn ? linkage(cli_dyn) : "not run");
	printf("times in ms, min/median\n\n");
	printf("%-*s", LABEL_W, "workload");
	for (int i = 0; i < NR_WL; i++)
		if (results[i].ran)
			printf("%*s", CELL_W, results[i].w->name);
	putchar('\n');
	printf("%-*s", LABEL_W, "");
	for (int i = 0; i < NR_WL; i++)
		if (results[i].ran)
			printf("%*s", CELL_W, results[i].w->desc);
	putchar('\n');
	row("VMAs", c_vmas);
	row("present pages", c_present);
	row("  of them in PMD leaves (THP)", c_thp);
	row("VmPTE kB", c_vmpte);
	row("runs/blocks in get-pages", c_runs);
	row("pagemap present pages - ptscope", c_pmcheck);
#define T(label, field) row_times(label, offsetof(struct result, field))
	T("CLI full walk (record --json)", cli_full);
	T("  CLI pages --json", cli_pages);
	T("  CLI maps --json", cli_maps);
	T("  CLI metrics --pid (a scrape)", cli_metrics);
	T("  CLI start-up (--json info)", cli_start);
	T("  CLI start-up, dynamic build", cli_start_dyn);
	T("raw dump, full walk", raw_full);
	T("  raw get-vmas, no counts", raw_vmas_nc);
	T("  raw get-pages", raw_pages);
	T("raw get-vmas with counts", raw_vmas);
	T("read /proc/PID/pagemap (all VMAs)", pagemap);
	T("read /proc/PID/smaps", smaps);
	T("read /proc/PID/smaps_rollup", rollup);
	T("PAGEMAP_SCAN (all VMAs)", scan);
	T("sample-access, all pages re-read", acc_touched);
	T("  sample-access again at once", acc_idle);
	T("  raw get-pages, same state", acc_pages);
	T("  re-read, sample with F_DISCARD", acc_discard);
#undef T
	row("  PAGEMAP_SCAN regions", c_scanreg);
	row("wire bytes, full walk", c_wire);
	row("  get-vmas with counts alone", c_wire_counts);
	row("wire B/present page", c_bpp);
	row("  pagemap B/present page", c_pmbpp);
	row("present pages/s (raw get-pages)", c_rate);
	row("VMA pages/s (raw get-pages)", c_vrate);
	row("max mmap_lock hold, us", c_lock);
	row("  mean hold us / holds", c_lockavg);
	row("kernel kB per open dump (live)", c_dumpmem);
	row("mmap+munmap/s unwalked/walked", c_churn);
	row("  walked/unwalked", c_churn_ratio);
	row("  control: CPU 0 spinning/unwalked", c_churn_busy);
	row("  walks failed meanwhile (EAGAIN...)", c_walkerr);
	row("ratio CLI full / pagemap", c_cli_pm);
	row("ratio raw full / pagemap", c_raw_pm);
	row("ratio PAGEMAP_SCAN / pagemap", c_scan_pm);
	row("ratio raw get-pages / PM_SCAN", c_rawp_scan);
	row("ratio raw get-vmas / smaps", c_rawv_smaps);
	row("ratio CLI maps / smaps", c_cliv_smaps);
	row("ratio raw get-vmas / rollup", c_rawv_rollup);
	row("ratio CLI metrics / smaps", c_metrics_smaps);
	row("ratio CLI metrics / CLI maps", c_metrics_maps);
	row("ratio sample-access / raw get-pages", c_acc_ratio);
	row("  same, nothing accessed since", c_acc_ratio_idle);
	row("  same, F_DISCARD (no blocks)", c_acc_ratio_discard);
	row("sample: pages re-read/accessed", c_acc_seen);
	row("  accessed bits cleared/young", c_acc_cleared);
	row("  flush rounds/CPUs flushed", c_acc_flush);
	row("  again: rounds/CPUs (accessed)", c_acc_flush_idle);
	targets();
	printf("=== ptbench: end ===\n");
}
