// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope stats PID: what tracking counted for one process since
 * `ptscope track start PID`: TLB flush requests, shootdowns sent and
 * received (next to the system-wide /proc/interrupts TLB counts), page
 * faults by kind, faults per VMA, and the fault latency histogram.
 * Counters of a probe the kernel lacks say "n/a (kernel lacks X)", never 0.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli.h"
#include "fmt.h"
#include "json.h"
#include "ptscope_priv.h"
#include "tracking.h"
#include "term.h"

struct stats_opts {
	const char *top;	/* --top N: ranges shown */
};

static const struct cli_option stats_options[] = {
	CLI_OPT_ARG(struct stats_opts, top, "--top", "N",
		    "ranges shown (1 to 1000, default 10)"),
	{ NULL }
};

#define DEFAULT_TOP	10
#define BAR_WIDTH	16

/* ------------------------------------------------------------------ */
/* Human output */

/* "2-4 µs", "512 ns-1 µs", ">= 1 s": powers of two, 1 µs = 1024 ns. */
static void bucket_label(int i, bool utf8, char *buf, size_t len)
{
	static const char *const units[] = { "ns", NULL, "ms", "s" };
	const char *us = utf8 ? "\u00b5s" : "us";
	int lo_e = i - 1, hi_e = i;
	int lu, hu;

	if (i == 0) {
		snprintf(buf, len, "0 ns");
		return;
	}
	lu = lo_e / 10 > 3 ? 3 : lo_e / 10;
	hu = hi_e / 10 > 3 ? 3 : hi_e / 10;
	if (i == PTSCOPE_LAT_BUCKETS - 1) {
		snprintf(buf, len, "%s %llu %s", utf8 ? "\u2265" : ">=",
			 1ULL << (lo_e - 10 * lu), units[lu] ? units[lu] : us);
		return;
	}
	if (lu == hu)
		snprintf(buf, len, "%llu-%llu %s", 1ULL << (lo_e - 10 * lu),
			 1ULL << (hi_e - 10 * hu), units[hu] ? units[hu] : us);
	else
		snprintf(buf, len, "%llu %s-%llu %s", 1ULL << (lo_e - 10 * lu),
			 units[lu] ? units[lu] : us, 1ULL << (hi_e - 10 * hu),
			 units[hu] ? units[hu] : us);
}

/* @pad: fill to @width (a column follows) */
static void bar(FILE *f, bool utf8, uint64_t v, uint64_t max, int width, bool pad)
{
	int n = max ? (int)((v * (uint64_t)width + max - 1) / max) : 0;

	for (int i = 0; i < n; i++)
		fputs(utf8 ? "\u2588" : "#", f);
	for (int i = n; pad && i < width; i++)
		putc(' ', f);
}

static void na(FILE *f, uint64_t probe)
{
	if (probe == PTSCOPE_PROBE_FAULT_RETURN)
		fprintf(f, "n/a (%s)\n", fault_return_hint());
	else
		fprintf(f, "n/a (kernel lacks %s)\n", probe_human(probe));
}

static const char *pct(uint64_t part, uint64_t whole, char *buf, size_t len)
{
	if (!whole)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", 100.0 * (double)part / (double)whole);
	return buf;
}

#define U(x) ((unsigned long long)(x))

/*
 * Whether TLBs are invalidated by broadcast here (arm64: TLBI ... IS), with
 * no shootdown interrupts: the mmu notifier counts only there, and a
 * kernel without it (arm64 6.1) is told by the machine it runs on.
 */
static bool tlb_broadcast(const struct ptscope_stats *s)
{
	struct utsname u;

	if (s->have & PTSCOPE_PROBE_MMU_NOTIFIER_TLB)
		return true;
	return !uname(&u) && !strcmp(u.machine, "aarch64");
}

static const char *const no_ipis =
	"n/a: arm64 invalidates TLBs by broadcast (TLBI), no per-CPU shootdown interrupts";

static void print_tlb(struct cli *cli, const struct ptscope_stats *s)
{
	FILE *f = cli->out;
	const char *b = sgr(cli, SGR_BOLD), *r = sgr(cli, SGR_RESET);
	uint64_t recv = 0, irq = 0;
	bool any_irq = false, any_tp = false;
	bool broadcast = tlb_broadcast(s);
	char p[16];

	fprintf(f, "\n%sTLB%s\n", b, r);
	fprintf(f, "  %-22s", "flush requests");
	if (s->have & PTSCOPE_TLB_FLUSH_SOURCES)
		fprintf(f, "%llu (full %llu, ranged %llu covering %llu pages)%s\n",
			U(s->tlb_flush_full + s->tlb_flush_ranged), U(s->tlb_flush_full),
			U(s->tlb_flush_ranged), U(s->tlb_flush_pages),
			s->have & PTSCOPE_PROBE_MMU_NOTIFIER_TLB ?
			", each a broadcast invalidation" : "");
	else if (broadcast)
		fprintf(f, "n/a (kernel lacks %s)\n",
			probe_human(PTSCOPE_PROBE_MMU_NOTIFIER_TLB));
	else
		na(f, PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE);
	if (broadcast && !(s->have & (PTSCOPE_PROBE_FLUSH_TLB_MULTI |
				      PTSCOPE_PROBE_FLUSH_TLB_FUNC))) {
		fprintf(f, "  %-22s%s\n", "shootdowns sent", no_ipis);
		fprintf(f, "  %-22s%s\n", "shootdowns received", no_ipis);
		return;
	}
	fprintf(f, "  %-22s", "shootdowns sent");
	if (s->have & PTSCOPE_PROBE_FLUSH_TLB_MULTI) {
		fprintf(f, "%llu, targeting %llu CPUs", U(s->tlb_shootdowns),
			U(s->tlb_shootdown_cpus));
		if (s->tlb_shootdowns)
			fprintf(f, " (%.1f per shootdown)",
				(double)s->tlb_shootdown_cpus / (double)s->tlb_shootdowns);
		fputc('\n', f);
	} else {
		na(f, PTSCOPE_PROBE_FLUSH_TLB_MULTI);
	}
	fprintf(f, "  %-22s", "shootdowns received");
	if (s->have & PTSCOPE_PROBE_FLUSH_TLB_FUNC)
		fprintf(f, "%llu\n", U(s->tlb_received));
	else
		na(f, PTSCOPE_PROBE_FLUSH_TLB_FUNC);

	if (!s->nr_cpus) {
		fprintf(f, "  no CPU reported TLB activity\n");
		return;
	}
	fprintf(f, "\n  %-4s %9s %9s %7s %10s %9s %9s %9s\n", "CPU", "RECEIVED",
		"IRQ TLB", "SHARE", "TP REMOTE", "TP LOCAL", "TP SWITCH", "TP IPI");
	for (int i = 0; i < s->nr_cpus; i++) {
		const struct ptscope_cpu_stats *c = &s->cpus[i];

		fprintf(f, "  %-4u ", c->cpu);
		if (s->have & PTSCOPE_PROBE_FLUSH_TLB_FUNC)
			fprintf(f, "%9llu ", U(c->tlb_received));
		else
			fprintf(f, "%9s ", "n/a");
		if (c->has_irq_tlb)
			fprintf(f, "%9llu %7s ", U(c->irq_tlb),
				s->have & PTSCOPE_PROBE_FLUSH_TLB_FUNC ?
				pct(c->tlb_received, c->irq_tlb, p, sizeof(p)) : "n/a");
		else
			fprintf(f, "%9s %7s ", "n/a", "n/a");
		if (c->has_tp)
			fprintf(f, "%10llu %9llu %9llu %9llu\n", U(c->tp_remote),
				U(c->tp_local), U(c->tp_task_switch), U(c->tp_send_ipi));
		else
			fprintf(f, "%10s %9s %9s %9s\n", "n/a", "n/a", "n/a", "n/a");
		recv += c->tlb_received;
		irq += c->irq_tlb;
		any_irq |= c->has_irq_tlb;
		any_tp |= c->has_tp;
	}
	if (s->nr_cpus > 1 && any_irq && (s->have & PTSCOPE_PROBE_FLUSH_TLB_FUNC))
		fprintf(f, "  %-4s %9llu %9llu %7s\n", "all", U(recv), U(irq),
			pct(recv, irq, p, sizeof(p)));
	fprintf(f, "  IRQ TLB: TLB shootdown interrupts of all processes since tracking "
		"started\n  (/proc/interrupts); SHARE: the part this process received.\n");
	if (any_tp)
		fprintf(f, "  TP: tlb_flush tracepoint by reason, all processes, for context.\n");
	if (!any_irq)
		fprintf(f, "  IRQ TLB: n/a (kernel lacks %s)\n",
			probe_human(PTSCOPE_PROBE_IRQ_TLB_COUNT));
	if (!any_tp)
		fprintf(f, "  TP: n/a (kernel lacks %s)\n", probe_human(PTSCOPE_PROBE_TLB_FLUSH_TP));
}

static void print_faults(struct cli *cli, const struct ptscope_stats *s)
{
	FILE *f = cli->out;
	const char *b = sgr(cli, SGR_BOLD), *r = sgr(cli, SGR_RESET);
	uint64_t dmin = s->task_min_flt - s->task_min_flt_start;
	uint64_t dmaj = s->task_maj_flt - s->task_maj_flt_start;
	bool mm = s->have & PTSCOPE_PROBE_HANDLE_MM_FAULT;
	bool ret = s->have & PTSCOPE_PROBE_FAULT_RETURN;
	char p[16];

	fprintf(f, "\n%sPage faults%s\n", b, r);
	fprintf(f, "  %-22s", "faults");
	if (ret)
		fprintf(f, "%llu (minor %llu, major %llu)\n", U(s->faults), U(s->minor),
			U(s->major));
	else if (mm)
		fprintf(f, "%llu entered\n", U(s->faults));
	else
		na(f, PTSCOPE_PROBE_HANDLE_MM_FAULT);
	if (mm && !ret) {
		fprintf(f, "  %-22s", "minor/major, errors");
		na(f, PTSCOPE_PROBE_FAULT_RETURN);
	}
	if (ret) {
		fprintf(f, "  %-22s%llu\n", "retried attempts", U(s->retries));
		fprintf(f, "  %-22s%llu\n", "errors", U(s->errors));
	}
	if (mm)
		fprintf(f, "  %-22sread %llu, write %llu, exec %llu\n", "by access",
			U(s->read), U(s->write), U(s->exec));
	fprintf(f, "  %-22s", "by cause");
	if (s->have & PTSCOPE_PROBE_PAGE_FAULT_TP)
		fprintf(f, "not present %llu, protection %llu, gup %llu, unknown %llu\n",
			U(s->not_present), U(s->protection), U(s->gup), U(s->cause_unknown));
	else
		na(f, mm ? PTSCOPE_PROBE_PAGE_FAULT_TP : PTSCOPE_PROBE_HANDLE_MM_FAULT);
	if (mm)
		fprintf(f, "  %-22sanon %llu, file %llu, shmem %llu\n", "by backing",
			U(s->anon), U(s->file), U(s->shmem));
	fprintf(f, "  %-22s", "swap-ins");
	if (s->have & PTSCOPE_PROBE_DO_SWAP_PAGE)
		fprintf(f, "%llu\n", U(s->swapins));
	else
		na(f, PTSCOPE_PROBE_DO_SWAP_PAGE);
	fprintf(f, "  %-22s%llu (minor %llu, major %llu): /proc/PID/stat since tracking started\n",
		"task delta", U(dmin + dmaj), U(dmin), U(dmaj));
	if (ret)
		fprintf(f, "  %-22s%llu of %llu (%s)\n", "ptscope vs task",
			U(s->faults), U(dmin + dmaj), pct(s->faults, dmin + dmaj, p, sizeof(p)));
}

static int cmp_range_faults(const void *a, const void *b)
{
	const struct ptscope_range_stats *x = a, *y = b;

	if (x->faults != y->faults)
		return x->faults < y->faults ? 1 : -1;
	return (x->start > y->start) - (x->start < y->start);
}

/* The ranges by faults, most first; NULL (and *n 0) if none. */
static struct ptscope_range_stats *ranges_by_faults(const struct ptscope_stats *s)
{
	struct ptscope_range_stats *v;

	if (!s->nr_ranges)
		return NULL;
	v = malloc((size_t)s->nr_ranges * sizeof(*v));
	if (!v)
		return NULL;
	memcpy(v, s->ranges, (size_t)s->nr_ranges * sizeof(*v));
	qsort(v, (size_t)s->nr_ranges, sizeof(*v), cmp_range_faults);
	return v;
}

static void print_ranges(struct cli *cli, const struct ptscope_stats *s,
			 const struct vma_names *vn, int top)
{
	FILE *f = cli->out;
	const char *b = sgr(cli, SGR_BOLD), *r = sgr(cli, SGR_RESET);
	struct ptscope_range_stats *v;
	int n;

	if (!(s->have & PTSCOPE_PROBE_HANDLE_MM_FAULT))
		return;
	fprintf(f, "\n%sFaults by VMA%s", b, r);
	if (!s->nr_ranges) {
		fprintf(f, ": none\n");
		return;
	}
	n = s->nr_ranges < top ? s->nr_ranges : top;
	fprintf(f, " (top %d of %d ranges", n, s->nr_ranges);
	if (s->ranges_dropped)
		fprintf(f, "; %llu faults in ranges not kept", U(s->ranges_dropped));
	fprintf(f, ")\n");
	v = ranges_by_faults(s);
	if (!v)
		return;
	fprintf(f, "  %-25s %9s %7s  %-*s  %s\n", "START-END", "FAULTS", "MAJOR",
		BAR_WIDTH, "HEAT", "NAME");
	for (int i = 0; i < n; i++) {
		const char *name = vma_names_find(vn, v[i].start, v[i].end);

		fprintf(f, "  %012llx-%012llx %9llu ", U(v[i].start), U(v[i].end),
			U(v[i].faults));
		if (s->have & PTSCOPE_PROBE_FAULT_RETURN)
			fprintf(f, "%7llu  ", U(v[i].major));
		else
			fprintf(f, "%7s  ", "n/a");
		bar(f, cli->utf8, v[i].faults, v[0].faults, BAR_WIDTH, true);
		fputs("  ", f);
		if (name)
			fput_sanitized(name, f);
		else
			fputs("(gone)", f);
		fputc('\n', f);
	}
	free(v);
}

static void print_latency(struct cli *cli, const struct ptscope_stats *s)
{
	FILE *f = cli->out;
	const char *b = sgr(cli, SGR_BOLD), *r = sgr(cli, SGR_RESET);
	uint64_t n = lat_count(s->lat_hist), max = 0;
	int first = -1, last = -1;
	char t1[24], t2[24], t3[24], label[64];

	fprintf(f, "\n%sFault latency%s (handle_mm_fault)", b, r);
	if (!(s->have & PTSCOPE_PROBE_FAULT_RETURN)) {
		fprintf(f, ": ");
		na(f, PTSCOPE_PROBE_FAULT_RETURN);
		return;
	}
	if (!n) {
		fprintf(f, ": nothing timed\n");
		return;
	}
	fmt_ns(s->lat_sum_ns / n, cli->utf8, t1, sizeof(t1));
	fmt_ns(lat_percentile(s->lat_hist, 0.5), cli->utf8, t2, sizeof(t2));
	fmt_ns(lat_percentile(s->lat_hist, 0.99), cli->utf8, t3, sizeof(t3));
	fprintf(f, ": %llu timed, mean %s, p50 ~%s, p99 ~%s", U(n), t1, t2, t3);
	if (s->lat_missed)
		fprintf(f, "; %llu not timed", U(s->lat_missed));
	fputc('\n', f);
	for (int i = 0; i < PTSCOPE_LAT_BUCKETS; i++) {
		if (!s->lat_hist[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
		if (s->lat_hist[i] > max)
			max = s->lat_hist[i];
	}
	for (int i = first; i <= last; i++) {
		bucket_label(i, cli->utf8, label, sizeof(label));
		fprintf(f, "  %-14s %9llu%s", label, U(s->lat_hist[i]),
			s->lat_hist[i] ? "  " : "");
		bar(f, cli->utf8, s->lat_hist[i], max, 32, false);
		fputc('\n', f);
	}
}

static void print_human(struct cli *cli, const struct ptscope_stats *s,
			const struct vma_names *vn, int top)
{
	const char *b = sgr(cli, SGR_BOLD), *r = sgr(cli, SGR_RESET);
	char dur[32];

	fmt_duration(s->track_ns, dur, sizeof(dur));
	fprintf(cli->out, "%spid %d (", b, (int)s->pid);
	fput_sanitized(s->comm, cli->out);
	fprintf(cli->out, "), tracked for %s%s\n", dur, r);
	print_tlb(cli, s);
	print_faults(cli, s);
	print_ranges(cli, s, vn, top);
	print_latency(cli, s);
}

/* ------------------------------------------------------------------ */
/* JSON */

static void json_probe_u64(struct json *j, const struct ptscope_stats *s,
			   uint64_t probe, const char *key, uint64_t v)
{
	if (s->have & probe)
		json_u64(j, key, v);
}

static void print_json(struct cli *cli, const struct ptscope_stats *s,
		       const struct vma_names *vn)
{
	struct ptscope_range_stats *v = ranges_by_faults(s);
	const uint64_t TLBR = PTSCOPE_TLB_FLUSH_SOURCES,
		       TLBM = PTSCOPE_PROBE_FLUSH_TLB_MULTI,
		       TLBF = PTSCOPE_PROBE_FLUSH_TLB_FUNC,
		       MM = PTSCOPE_PROBE_HANDLE_MM_FAULT,
		       RET = PTSCOPE_PROBE_FAULT_RETURN,
		       TP = PTSCOPE_PROBE_PAGE_FAULT_TP;
	struct json j;

	json_init(&j, cli->out);
	json_obj_begin(&j, NULL);
	json_u64(&j, "pid", (uint64_t)s->pid);
	json_str(&j, "comm", s->comm);
	json_u64(&j, "track_ns", s->track_ns);
	json_flag_names(&j, "probes", s->have, ptscope_probe_bit_name);

	json_obj_begin(&j, "tlb");
	/* The flush counters' source is among the probes above. */
	/* arm64: no shootdown interrupts, so no shootdown counters */
	if (tlb_broadcast(s))
		json_bool(&j, "broadcast", true);
	json_probe_u64(&j, s, TLBR, "flush_full", s->tlb_flush_full);
	json_probe_u64(&j, s, TLBR, "flush_ranged", s->tlb_flush_ranged);
	json_probe_u64(&j, s, TLBR, "flush_pages", s->tlb_flush_pages);
	json_probe_u64(&j, s, TLBM, "shootdowns", s->tlb_shootdowns);
	json_probe_u64(&j, s, TLBM, "shootdown_cpus", s->tlb_shootdown_cpus);
	json_probe_u64(&j, s, TLBF, "received", s->tlb_received);
	json_arr_begin(&j, "cpus");
	for (int i = 0; i < s->nr_cpus; i++) {
		const struct ptscope_cpu_stats *c = &s->cpus[i];

		json_obj_begin(&j, NULL);
		json_u64(&j, "cpu", c->cpu);
		json_probe_u64(&j, s, TLBF, "received", c->tlb_received);
		if (c->has_irq_tlb) {
			json_u64(&j, "irq_tlb", c->irq_tlb);
			json_u64(&j, "irq_tlb_total", c->irq_tlb_total);
		}
		if (c->has_tp) {
			json_u64(&j, "tp_remote", c->tp_remote);
			json_u64(&j, "tp_local", c->tp_local);
			json_u64(&j, "tp_task_switch", c->tp_task_switch);
			json_u64(&j, "tp_send_ipi", c->tp_send_ipi);
		}
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);

	json_obj_begin(&j, "faults");
	json_probe_u64(&j, s, MM, "total", s->faults);
	json_probe_u64(&j, s, RET, "minor", s->minor);
	json_probe_u64(&j, s, RET, "major", s->major);
	json_probe_u64(&j, s, RET, "retries", s->retries);
	json_probe_u64(&j, s, RET, "errors", s->errors);
	json_probe_u64(&j, s, MM, "read", s->read);
	json_probe_u64(&j, s, MM, "write", s->write);
	json_probe_u64(&j, s, MM, "exec", s->exec);
	json_probe_u64(&j, s, TP, "not_present", s->not_present);
	json_probe_u64(&j, s, TP, "protection", s->protection);
	json_probe_u64(&j, s, TP, "gup", s->gup);
	json_probe_u64(&j, s, TP, "cause_unknown", s->cause_unknown);
	json_probe_u64(&j, s, MM, "anon", s->anon);
	json_probe_u64(&j, s, MM, "file", s->file);
	json_probe_u64(&j, s, MM, "shmem", s->shmem);
	json_probe_u64(&j, s, PTSCOPE_PROBE_DO_SWAP_PAGE, "swapins", s->swapins);
	json_obj_end(&j);

	json_obj_begin(&j, "task");
	json_u64(&j, "min_flt", s->task_min_flt);
	json_u64(&j, "maj_flt", s->task_maj_flt);
	json_u64(&j, "min_flt_start", s->task_min_flt_start);
	json_u64(&j, "maj_flt_start", s->task_maj_flt_start);
	json_obj_end(&j);

	if (s->have & RET) {
		uint64_t n = lat_count(s->lat_hist);

		json_obj_begin(&j, "latency");
		json_arr_begin(&j, "hist");
		for (int i = 0; i < PTSCOPE_LAT_BUCKETS; i++)
			json_u64(&j, NULL, s->lat_hist[i]);
		json_arr_end(&j);
		json_u64(&j, "sum_ns", s->lat_sum_ns);
		json_u64(&j, "missed", s->lat_missed);
		json_u64(&j, "mean_ns", n ? s->lat_sum_ns / n : 0);
		json_u64(&j, "p50_ns", lat_percentile(s->lat_hist, 0.5));
		json_u64(&j, "p99_ns", lat_percentile(s->lat_hist, 0.99));
		json_obj_end(&j);
	}
	if (s->have & MM) {
		json_arr_begin(&j, "ranges");
		for (int i = 0; v && i < s->nr_ranges; i++) {
			const char *name = vma_names_find(vn, v[i].start, v[i].end);

			json_obj_begin(&j, NULL);
			json_hex(&j, "start", v[i].start);
			json_hex(&j, "end", v[i].end);
			json_u64(&j, "faults", v[i].faults);
			json_probe_u64(&j, s, RET, "major", v[i].major);
			json_str(&j, "name", name ? name : "");
			json_bool(&j, "gone", !name);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_u64(&j, "ranges_dropped", s->ranges_dropped);
	}
	json_obj_end(&j);
	fputc('\n', cli->out);
	free(v);
}

static int cmd_stats(struct cli *cli, int argc, char **argv)
{
	const struct stats_opts *o = cli->opts;
	struct vma_names vn = { 0 };
	struct ptscope_client *c;
	struct ptscope_stats s;
	int rc, err, top;
	pid_t pid;

	if (argc != 1)
		return usage_error("usage: ptscope stats PID [--top N] [--json]");
	rc = arg_pid(argv[0], &pid);
	if (!rc)
		rc = arg_top(o->top, DEFAULT_TOP, &top);
	if (rc)
		return rc;
	rc = cli_open(&c);
	if (rc)
		return rc;
	err = ptscope_get_stats(c, pid, &s);
	if (err) {
		rc = tracking_failed(c, err, pid);
		ptscope_close(c);
		return rc;
	}
	/* Names only: a process that exited right now keeps its numbers. */
	if (s.nr_ranges)
		vma_names_load(c, pid, &vn);
	ptscope_close(c);
	if (cli->json)
		print_json(cli, &s, &vn);
	else
		print_human(cli, &s, &vn, top);
	vma_names_free(&vn);
	ptscope_stats_free(&s);
	return EXIT_OK;
}

const struct cli_command stats_command = {
	.name = "stats",
	.args = "PID",
	.help = "what tracking counted: TLB flushes and shootdowns per CPU,\n"
		"faults by kind, per VMA, latency histogram",
	.options = stats_options,
	.opts_size = sizeof(struct stats_opts),
	.run = cmd_stats,
};
