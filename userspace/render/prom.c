// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text format 0.0.4 and OpenMetrics 1.0.0 of a metrics
 * snapshot.  Both want every family's samples together, so the writer
 * goes family by family and, inside one, process by process.  The two
 * differ in three places only: OpenMetrics names a counter family
 * without its "_total" (its samples keep it), declares units, and ends
 * with "# EOF".
 *
 * Label values must be valid UTF-8 or Prometheus rejects the whole
 * scrape; comm, cgroup paths and file names are bytes, so invalid
 * sequences are written as U+FFFD.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>

#include "fmt.h"
#include "prom.h"
#include "ptscope_priv.h"

#ifndef PTSCOPE_VERSION
#define PTSCOPE_VERSION "unknown"
#endif

struct out {
	FILE *f;
	const struct prom_opts *o;
	const struct metrics_snapshot *s;
};

static void label_value(FILE *f, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	while (*p) {
		size_t len = (size_t)utf8_seq_len(p);

		if (!len) {
			fputs("\xef\xbf\xbd", f);
			p++;
			continue;
		}
		if (*p == '\\' || *p == '"')
			fputc('\\', f);
		if (*p == '\n')
			fputs("\\n", f);
		else
			fwrite(p, 1, len, f);
		p += len;
	}
}

enum unit { NONE, BYTES, SECONDS };

static const char *const unit_names[] = { [BYTES] = "bytes", [SECONDS] = "seconds" };

/* HELP and TYPE (and UNIT in OpenMetrics) of the family @name. */
static void family(struct out *o, const char *name, const char *type, enum unit unit,
		   const char *help)
{
	size_t n = strlen(name);

	if (o->o->openmetrics && !strcmp(type, "counter") && n > 6 &&
	    !strcmp(name + n - 6, "_total"))
		n -= 6;
	if (o->o->openmetrics && !strcmp(name, "ptscope_info")) {
		/* OpenMetrics' own type for it: the sample is still ptscope_info. */
		n -= 5;
		type = "info";
	}
	fprintf(o->f, "# HELP %.*s %s\n# TYPE %.*s %s\n", (int)n, name, help, (int)n, name, type);
	if (o->o->openmetrics && unit)
		fprintf(o->f, "# UNIT %.*s %s\n", (int)n, name, unit_names[unit]);
}

/* name{pid="1",comm="x"[,cgroup="/"][,extra]} */
static void labels(struct out *o, const char *name, const struct metrics_proc *p,
		   const char *extra)
{
	fputs(name, o->f);
	if (!p && !extra)
		return;
	fputc('{', o->f);
	if (p) {
		fprintf(o->f, "pid=\"%d\",comm=\"", (int)p->pid);
		label_value(o->f, p->comm);
		fputc('"', o->f);
		if (o->o->cgroup_label) {
			fputs(",cgroup=\"", o->f);
			label_value(o->f, p->cgroup);
			fputc('"', o->f);
		}
	}
	if (extra)
		fprintf(o->f, "%s%s", p ? "," : "", extra);
	fputc('}', o->f);
}

static void u64(struct out *o, const char *name, const struct metrics_proc *p,
		const char *extra, uint64_t v)
{
	labels(o, name, p, extra);
	fprintf(o->f, " %llu\n", (unsigned long long)v);
}

/* Nanoseconds as exact seconds: sums keep every ns however large they grow. */
static void ns_seconds(struct out *o, const char *name, const struct metrics_proc *p,
		       const char *extra, uint64_t ns)
{
	labels(o, name, p, extra);
	fprintf(o->f, " %llu.%09llu\n", (unsigned long long)(ns / 1000000000ULL),
		(unsigned long long)(ns % 1000000000ULL));
}

static void dbl(struct out *o, const char *name, const struct metrics_proc *p,
		const char *extra, double v)
{
	labels(o, name, p, extra);
	fprintf(o->f, " %.9g\n", v);
}

/* --- the exporter and the module ------------------------------------------ */

static void write_global(struct out *o)
{
	const struct metrics_snapshot *s = o->s;
	FILE *f = o->f;

	family(o, "ptscope_up", "gauge", NONE,
	       "1 if the ptscope module answered this collection, 0 if not");
	u64(o, "ptscope_up", NULL, NULL, s->up);
	if (s->up) {
		family(o, "ptscope_info", "gauge", NONE,
		       "Versions of the CLI and the module, the kernel, its paging levels");
		fprintf(f, "ptscope_info{version=\"");
		label_value(f, PTSCOPE_VERSION);
		fprintf(f, "\",module_version=\"");
		label_value(f, s->info.module_version);
		fprintf(f, "\",kernel=\"");
		label_value(f, s->info.kernel_release);
		fprintf(f, "\",paging_levels=\"%u\"} 1\n", s->info.pgtable_levels);
	}
	family(o, "ptscope_module_reconnects_total", "counter", NONE,
	       "Times the module was lost (unloaded) and found again");
	u64(o, "ptscope_module_reconnects_total", NULL, NULL, s->reconnects_total);
	family(o, "ptscope_scrape_duration_seconds", "gauge", SECONDS,
	       "How long the collection behind this output took");
	dbl(o, "ptscope_scrape_duration_seconds", NULL, NULL, s->duration);
	family(o, "ptscope_scrape_errors_total", "counter", NONE,
	       "Collections, or processes in one, that failed other than by the process exiting");
	u64(o, "ptscope_scrape_errors_total", NULL, NULL, s->errors_total);
	family(o, "ptscope_collection_age_seconds", "gauge", SECONDS,
	       "Age of the collection served (concurrent scrapes share one)");
	dbl(o, "ptscope_collection_age_seconds", NULL, NULL,
	    o->o->now > s->taken_at ? o->o->now - s->taken_at : 0);
	family(o, "ptscope_walks_total", "counter", NONE,
	       "Processes walked since the exporter started");
	u64(o, "ptscope_walks_total", NULL, NULL, s->walks_total);
	if (!s->up)
		return;
	family(o, "ptscope_tracked_processes", "gauge", NONE, "Processes the module tracks");
	u64(o, "ptscope_tracked_processes", NULL, NULL, s->info.tracked);
	family(o, "ptscope_selected_processes", "gauge", NONE,
	       "Processes the selectors matched at this collection");
	u64(o, "ptscope_selected_processes", NULL, NULL, s->selected);
}

/* --- tracking counters ------------------------------------------------------ */

/*
 * A series read from a process's counters (TRACKED: struct ptscope_stats)
 * or its walk (WALKED: struct metrics_walk).  Rows of one family are
 * consecutive; the first carries the help.
 */
enum source { TRACKED, WALKED };

struct series_def {
	const char *family;
	const char *label;	/* extra label, or NULL */
	size_t off;		/* of the uint64_t in the source struct */
	const char *help;
	uint64_t probe;		/* TRACKED: the PTSCOPE_PROBE_* that counts it */
	enum unit unit;		/* WALKED */
	unsigned int needs;	/* WALKED: NEEDS_* the walk must have */
};

enum {
	NEEDS_HEAT = 1,		/* --heat, once it has an interval */
	NEEDS_COLD = 2,		/* and once its samples span --cold-after */
};

#define TLBR	PTSCOPE_TLB_FLUSH_SOURCES
#define TLBM	PTSCOPE_PROBE_FLUSH_TLB_MULTI
#define TLBF	PTSCOPE_PROBE_FLUSH_TLB_FUNC
#define MM	PTSCOPE_PROBE_HANDLE_MM_FAULT
#define RET	PTSCOPE_PROBE_FAULT_RETURN
#define TP	PTSCOPE_PROBE_PAGE_FAULT_TP
#define SWAP	PTSCOPE_PROBE_DO_SWAP_PAGE
#define AT(field) offsetof(struct ptscope_stats, field)

static const struct series_def counters[] = {
	{ "ptscope_tlb_flush_requests_total", "scope=\"full\"", AT(tlb_flush_full),
	  "TLB flushes of the process's mm the kernel asked for (flush_tlb_mm_range; arm64: broadcast TLBIs)", TLBR, NONE, 0 },
	{ "ptscope_tlb_flush_requests_total", "scope=\"ranged\"", AT(tlb_flush_ranged), NULL, TLBR, NONE, 0 },
	{ "ptscope_tlb_flush_pages_total", NULL, AT(tlb_flush_pages),
	  "Pages the ranged TLB flush requests covered", TLBR, NONE, 0 },
	{ "ptscope_tlb_shootdowns_sent_total", NULL, AT(tlb_shootdowns),
	  "TLB flushes that interrupted other CPUs", TLBM, NONE, 0 },
	{ "ptscope_tlb_shootdown_cpus_total", NULL, AT(tlb_shootdown_cpus),
	  "CPUs the TLB shootdowns interrupted, summed", TLBM, NONE, 0 },
	{ "ptscope_tlb_shootdowns_received_total", NULL, AT(tlb_received),
	  "TLB shootdown IPIs for this mm that CPUs handled", TLBF, NONE, 0 },
	{ "ptscope_faults_total", NULL, AT(faults),
	  "Page faults handled for the process (handle_mm_fault)", MM, NONE, 0 },
	{ "ptscope_faults_result_total", "result=\"minor\"", AT(minor),
	  "Page faults by what they ended as", RET, NONE, 0 },
	{ "ptscope_faults_result_total", "result=\"major\"", AT(major), NULL, RET, NONE, 0 },
	{ "ptscope_faults_result_total", "result=\"retry\"", AT(retries), NULL, RET, NONE, 0 },
	{ "ptscope_faults_result_total", "result=\"error\"", AT(errors), NULL, RET, NONE, 0 },
	{ "ptscope_faults_access_total", "access=\"read\"", AT(read),
	  "Page faults by the access that faulted", MM, NONE, 0 },
	{ "ptscope_faults_access_total", "access=\"write\"", AT(write), NULL, MM, NONE, 0 },
	{ "ptscope_faults_access_total", "access=\"exec\"", AT(exec), NULL, MM, NONE, 0 },
	{ "ptscope_faults_cause_total", "cause=\"not_present\"", AT(not_present),
	  "Page faults by why they happened", TP, NONE, 0 },
	{ "ptscope_faults_cause_total", "cause=\"protection\"", AT(protection), NULL, TP, NONE, 0 },
	{ "ptscope_faults_cause_total", "cause=\"gup\"", AT(gup), NULL, TP, NONE, 0 },
	{ "ptscope_faults_cause_total", "cause=\"unknown\"", AT(cause_unknown), NULL, TP, NONE, 0 },
	{ "ptscope_faults_backing_total", "backing=\"anon\"", AT(anon),
	  "Page faults by the memory behind them", MM, NONE, 0 },
	{ "ptscope_faults_backing_total", "backing=\"file\"", AT(file), NULL, MM, NONE, 0 },
	{ "ptscope_faults_backing_total", "backing=\"shmem\"", AT(shmem), NULL, MM, NONE, 0 },
	{ "ptscope_swapins_total", NULL, AT(swapins),
	  "Pages read back from swap", SWAP, NONE, 0 },
	{ "ptscope_fault_latency_missed_total", NULL, AT(lat_missed),
	  "Page faults not timed", RET, NONE, 0 },
};

static bool row_has(const struct metrics_proc *p, const struct series_def *d, enum source src)
{
	if (src == TRACKED)
		return p->tracked && (p->stats.have & d->probe);
	return p->walked && (!(d->needs & NEEDS_HEAT) || p->walk.has_heat) &&
	       (!(d->needs & NEEDS_COLD) || p->walk.has_cold);
}

static bool any_row(const struct metrics_snapshot *s, const struct series_def *d,
		    enum source src)
{
	for (size_t i = 0; i < s->nr_procs; i++)
		if (row_has(&s->procs[i], d, src))
			return true;
	return false;
}

/* Every family of @defs that some process has, process by process. */
static void write_rows(struct out *o, const struct series_def *defs, size_t n,
		       enum source src)
{
	const struct metrics_snapshot *s = o->s;

	for (size_t r = 0; r < n; ) {
		size_t end = r + 1;

		while (end < n && !strcmp(defs[end].family, defs[r].family))
			end++;
		if (any_row(s, &defs[r], src))
			family(o, defs[r].family, src == TRACKED ? "counter" : "gauge",
			       defs[r].unit, defs[r].help);
		for (size_t i = 0; i < s->nr_procs; i++) {
			const struct metrics_proc *p = &s->procs[i];
			const char *base = src == TRACKED ? (const char *)&p->stats :
							    (const char *)&p->walk;

			if (!row_has(p, &defs[r], src))
				continue;
			for (size_t k = r; k < end; k++) {
				uint64_t v;

				memcpy(&v, base + defs[k].off, sizeof(v));
				u64(o, defs[k].family, p, defs[k].label, v);
			}
		}
		r = end;
	}
}

/* The module's latency buckets: i holds [2^(i-1), 2^i) ns, 0 holds 0 ns. */
#define LE_FIRST	8	/* le = 2^8 - 1 = 255 ns */
#define LE_STEP		2

static void write_histogram(struct out *o)
{
	const struct metrics_snapshot *s = o->s;
	const char *name = "ptscope_fault_latency_seconds";

	static const struct series_def latency = { .probe = RET };

	if (!any_row(s, &latency, TRACKED))
		return;
	family(o, name, "histogram", SECONDS,
	       "Time page faults took in handle_mm_fault (exact power-of-two ns buckets)");
	for (size_t i = 0; i < s->nr_procs; i++) {
		const struct metrics_proc *p = &s->procs[i];
		uint64_t cum = 0, ns;
		char le[48];
		int b = 0;

		if (!p->tracked || !(p->stats.have & RET))
			continue;
		for (int top = LE_FIRST; top < PTSCOPE_LAT_BUCKETS; top += LE_STEP) {
			while (b <= top)
				cum += p->stats.lat_hist[b++];
			/* Buckets 0..top: below 2^top ns, i.e. at most 2^top - 1 (integral ns). */
			ns = (1ULL << top) - 1;
			snprintf(le, sizeof(le), "le=\"%llu.%09llu\"", ns / 1000000000ULL,
				 ns % 1000000000ULL);
			u64(o, "ptscope_fault_latency_seconds_bucket", p, le, cum);
		}
		while (b < PTSCOPE_LAT_BUCKETS)
			cum += p->stats.lat_hist[b++];
		u64(o, "ptscope_fault_latency_seconds_bucket", p, "le=\"+Inf\"", cum);
		ns_seconds(o, "ptscope_fault_latency_seconds_sum", p, NULL, p->stats.lat_sum_ns);
		u64(o, "ptscope_fault_latency_seconds_count", p, NULL, cum);
	}
}

static void write_counters(struct out *o)
{
	const struct metrics_snapshot *s = o->s;
	static const struct series_def tracked = { .probe = ~0ULL };

	if (any_row(s, &tracked, TRACKED)) {
		family(o, "ptscope_tracked_seconds", "gauge", SECONDS,
		       "How long the process has been tracked");
		for (size_t i = 0; i < s->nr_procs; i++)
			if (s->procs[i].tracked)
				ns_seconds(o, "ptscope_tracked_seconds", &s->procs[i], NULL,
					   s->procs[i].stats.track_ns);
	}
	write_rows(o, counters, sizeof(counters) / sizeof(counters[0]), TRACKED);
	write_histogram(o);
}

/* --- walked gauges ------------------------------------------------------------ */

#define W(field) offsetof(struct metrics_walk, field)

static const struct series_def gauges[] = {
	{ "ptscope_resident_bytes", NULL, W(resident),
	  "Memory mapped by present page-table entries", 0, BYTES, 0 },
	{ "ptscope_dirty_bytes", NULL, W(dirty),
	  "Memory mapped by present entries with the dirty bit", 0, BYTES, 0 },
	{ "ptscope_swapped_bytes", NULL, W(swapped),
	  "Memory in swap (swap entries)", 0, BYTES, 0 },
	{ "ptscope_huge_bytes", "size=\"2M\"", W(huge_pmd),
	  "Memory mapped by huge leaves (PMD: 2M, PUD: 1G)", 0, BYTES, 0 },
	{ "ptscope_huge_bytes", "size=\"1G\"", W(huge_pud), NULL, 0, BYTES, 0 },
	{ "ptscope_vmas", NULL, W(vmas), "Mappings (VMAs)", 0, NONE, 0 },
	{ "ptscope_working_set_bytes", NULL, W(wss),
	  "Memory accessed during the last sample interval", 0, BYTES, NEEDS_HEAT },
	{ "ptscope_cold_bytes", NULL, W(cold),
	  "Present memory not accessed for --cold-after seconds", 0, BYTES,
	  NEEDS_HEAT | NEEDS_COLD },
};

static void write_tables(struct out *o)
{
	const struct metrics_snapshot *s = o->s;

	family(o, "ptscope_page_table_bytes", "gauge", BYTES,
	       "Page-table memory per paging level");
	for (size_t i = 0; i < s->nr_procs; i++) {
		const struct metrics_proc *p = &s->procs[i];
		const struct ptscope_tables *t = &p->walk.tables;
		char label[32];

		if (!p->walked)
			continue;
		for (int l = 0; l < t->nr_levels; l++) {
			if (t->levels[l].folded)
				continue;
			snprintf(label, sizeof(label), "level=\"%s\"",
				 ptscope_level_name(t->levels[l].level));
			u64(o, "ptscope_page_table_bytes", p, label, t->levels[l].bytes);
		}
	}
}

static void write_vmas(struct out *o)
{
	const struct metrics_snapshot *s = o->s;
	char extra[1200];

	family(o, "ptscope_vma_resident_bytes", "gauge", BYTES,
	       "Resident memory of the mappings of one kind and name (--per-vma: the largest, "
	       "up to --max-vma-series)");
	for (size_t i = 0; i < s->nr_procs; i++) {
		const struct metrics_proc *p = &s->procs[i];

		for (size_t k = 0; p->walked && k < p->walk.nr_top; k++) {
			const struct metrics_vma *v = &p->walk.top[k];
			FILE *m = fmemopen(extra, sizeof(extra), "w");

			if (!m)
				continue;
			fprintf(m, "kind=\"%s\",name=\"", ptscope_vma_kind_name(v->kind));
			label_value(m, v->name);
			fputc('"', m);
			fputc('\0', m);
			fclose(m);
			u64(o, "ptscope_vma_resident_bytes", p, extra, v->resident);
		}
	}
	family(o, "ptscope_vma_series_dropped", "gauge", NONE,
	       "Mapping groups over --max-vma-series, not exported");
	for (size_t i = 0; i < s->nr_procs; i++)
		if (s->procs[i].walked)
			u64(o, "ptscope_vma_series_dropped", &s->procs[i], NULL,
			    s->procs[i].walk.vmas_dropped);
}

static bool any_per_vma(const struct metrics_snapshot *s)
{
	for (size_t i = 0; i < s->nr_procs; i++)
		if (s->procs[i].walked && (s->procs[i].walk.nr_top || s->procs[i].walk.vmas_dropped))
			return true;
	return false;
}

static void write_walked(struct out *o)
{
	const struct metrics_snapshot *s = o->s;
	static const struct series_def walked = { 0 }, heat = { .needs = NEEDS_HEAT };

	if (!any_row(s, &walked, WALKED))
		return;
	write_rows(o, gauges, sizeof(gauges) / sizeof(gauges[0]), WALKED);
	write_tables(o);
	if (any_row(s, &heat, WALKED)) {
		family(o, "ptscope_heat_interval_seconds", "gauge", SECONDS,
		       "The interval the working set is over");
		for (size_t i = 0; i < s->nr_procs; i++)
			if (s->procs[i].walked && s->procs[i].walk.has_heat)
				dbl(o, "ptscope_heat_interval_seconds", &s->procs[i], NULL,
				    s->procs[i].walk.heat_interval);
	}
	family(o, "ptscope_walk_age_seconds", "gauge", SECONDS,
	       "Age of the walk the gauges come from (--min-interval)");
	for (size_t i = 0; i < s->nr_procs; i++) {
		const struct metrics_proc *p = &s->procs[i];

		if (p->walked)
			dbl(o, "ptscope_walk_age_seconds", p, NULL,
			    o->o->now > p->walk.walked_at ? o->o->now - p->walk.walked_at : 0);
	}
	family(o, "ptscope_walk_duration_seconds", "gauge", SECONDS, "What that walk took");
	for (size_t i = 0; i < s->nr_procs; i++)
		if (s->procs[i].walked)
			dbl(o, "ptscope_walk_duration_seconds", &s->procs[i], NULL,
			    s->procs[i].walk.duration);
	if (any_per_vma(s))
		write_vmas(o);
}

int prom_write(FILE *f, const struct metrics_snapshot *s, const struct prom_opts *po)
{
	struct out o = { .f = f, .o = po, .s = s };

	write_global(&o);
	write_counters(&o);
	write_walked(&o);
	if (po->openmetrics)
		fputs("# EOF\n", f);
	return ferror(f) ? -EIO : 0;
}

/* The q of a media range's parameters ("; q=0.5"); 1 if none. */
static double media_q(const char *params, size_t len)
{
	const char *p = params, *end = params + len;

	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));

		p = semi ? semi + 1 : end;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
			return strtod(p + 2, NULL);
	}
	return 1;
}

bool prom_accepts_openmetrics(const char *accept)
{
	double om = 0, text = 0;
	const char *p = accept;

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		size_t tlen;
		double q;

		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		tlen = strcspn(p, ";,");
		if (tlen > len)
			tlen = len;
		while (tlen && (p[tlen - 1] == ' ' || p[tlen - 1] == '\t'))
			tlen--;
		q = media_q(p + tlen, len - tlen);
		if (tlen == 28 && !strncasecmp(p, "application/openmetrics-text", 28))
			om = q > om ? q : om;
		else if (tlen == 10 && !strncasecmp(p, "text/plain", 10))
			text = q > text ? q : text;
		p = comma ? comma + 1 : NULL;
	}
	return om > 0 && om >= text;
}
