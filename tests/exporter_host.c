// SPDX-License-Identifier: GPL-2.0
/*
 * What `ptscope stats --json` says the exported tracking series must be
 * (one table: stats key -> series), and the round trip with the host's
 * Prometheus (tests/prom/prom_host.py), which needs no clock shared with
 * the host, only order:
 *
 *   S1 = stats --json; exporter started on 0.0.0.0:9477; Prometheus
 *   scrapes it (through QEMU's forward; the exporter logs each request
 *   from 10.0.2.2) at least 3 times; exporter stopped; S2 = stats --json
 *
 * so every sample Prometheus stored was taken between S1 and S2: each
 * counter within [S1, S2], each gauge of the static workload equal to what
 * the kernel says before and after.  The same bounds are checked here
 * against a text and an OpenMetrics scrape and a `ptscope metrics` file
 * of the same window, then printed with them for the host.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exporter.h"

static const struct {
	const char *obj, *key;	/* in stats --json */
	const char *name, *label;
} counter_map[] = {
	{ "tlb", "flush_full", "ptscope_tlb_flush_requests_total", "scope=\"full\"" },
	{ "tlb", "flush_ranged", "ptscope_tlb_flush_requests_total", "scope=\"ranged\"" },
	{ "tlb", "flush_pages", "ptscope_tlb_flush_pages_total", NULL },
	{ "tlb", "shootdowns", "ptscope_tlb_shootdowns_sent_total", NULL },
	{ "tlb", "shootdown_cpus", "ptscope_tlb_shootdown_cpus_total", NULL },
	{ "tlb", "received", "ptscope_tlb_shootdowns_received_total", NULL },
	{ "faults", "total", "ptscope_faults_total", NULL },
	{ "faults", "minor", "ptscope_faults_result_total", "result=\"minor\"" },
	{ "faults", "major", "ptscope_faults_result_total", "result=\"major\"" },
	{ "faults", "retries", "ptscope_faults_result_total", "result=\"retry\"" },
	{ "faults", "errors", "ptscope_faults_result_total", "result=\"error\"" },
	{ "faults", "read", "ptscope_faults_access_total", "access=\"read\"" },
	{ "faults", "write", "ptscope_faults_access_total", "access=\"write\"" },
	{ "faults", "exec", "ptscope_faults_access_total", "access=\"exec\"" },
	{ "faults", "not_present", "ptscope_faults_cause_total", "cause=\"not_present\"" },
	{ "faults", "protection", "ptscope_faults_cause_total", "cause=\"protection\"" },
	{ "faults", "gup", "ptscope_faults_cause_total", "cause=\"gup\"" },
	{ "faults", "cause_unknown", "ptscope_faults_cause_total", "cause=\"unknown\"" },
	{ "faults", "anon", "ptscope_faults_backing_total", "backing=\"anon\"" },
	{ "faults", "file", "ptscope_faults_backing_total", "backing=\"file\"" },
	{ "faults", "shmem", "ptscope_faults_backing_total", "backing=\"shmem\"" },
	{ "faults", "swapins", "ptscope_swapins_total", NULL },
	{ "latency", "missed", "ptscope_fault_latency_missed_total", NULL },
};

#define HIST	"ptscope_fault_latency_seconds"
#define NR_LAT	32	/* bucket i: [2^(i-1), 2^i) ns, bucket 0: 0 ns, the last open */

#define WHY(...) do { snprintf(why, len, __VA_ARGS__); goto out; } while (0)

static bool obj_u64(struct json_object *doc, const char *obj, const char *key, uint64_t *v)
{
	struct json_object *o;

	return json_object_object_get_ex(doc, obj, &o) && json_get_u64(o, key, v);
}

static bool hist(struct json_object *doc, uint64_t h[NR_LAT], uint64_t *sum_ns)
{
	struct json_object *lat, *arr;

	if (!json_object_object_get_ex(doc, "latency", &lat) ||
	    !json_object_object_get_ex(lat, "hist", &arr) ||
	    json_object_array_length(arr) != NR_LAT || !json_get_u64(lat, "sum_ns", sum_ns))
		return false;
	for (int i = 0; i < NR_LAT; i++)
		h[i] = json_object_get_uint64(json_object_array_get_idx(arr, i));
	return true;
}

static void series(char *buf, size_t len, const char *name, pid_t pid, const char *label)
{
	snprintf(buf, len, "%s{pid=\"%d\"%s%s}", name, (int)pid, label ? "," : "",
		 label ? label : "");
}

static void u64s(char *buf, uint64_t v)
{
	sprintf(buf, "%llu", (unsigned long long)v);
}

/* ns as exact decimal seconds */
static void secs(char *buf, uint64_t ns)
{
	sprintf(buf, "%llu.%09llu", (unsigned long long)(ns / 1000000000),
		(unsigned long long)(ns % 1000000000));
}

/*
 * The cumulative bucket an "le" ends: le must lie in [2^i - 1, 2^i) ns for
 * the module's buckets (integer ns) to be split exactly; -1 if it does not.
 */
static int le_bucket(const char *le)
{
	double ns = strtod(le, NULL) * 1e9;

	for (int i = 0; i < NR_LAT - 1; i++) {
		double top = (double)(1ULL << i);

		if (ns >= top - 1 - 1e-6 && ns < top)
			return i;
	}
	return -1;
}

int expect_counters(struct prom_expects *x, pid_t pid, const char *s1, const char *s2,
		    const struct prom_doc *doc, char *why, size_t len)
{
	struct json_object *a = json_doc(s1, why, len), *b = json_doc(s2, why, len);
	uint64_t h1[NR_LAT], h2[NR_LAT], n1 = 0, n2 = 0, sum1, sum2, v1, v2;
	char s[256], lo[32], hi[32];
	bool have1, have2;
	int rc = -1, nb = 0;

	if (!a || !b)
		goto out;
	for (size_t i = 0; i < sizeof(counter_map) / sizeof(counter_map[0]); i++) {
		series(s, sizeof(s), counter_map[i].name, pid, counter_map[i].label);
		have1 = obj_u64(a, counter_map[i].obj, counter_map[i].key, &v1);
		have2 = obj_u64(b, counter_map[i].obj, counter_map[i].key, &v2);
		if (have1 != have2)
			WHY("%s.%s in one stats document only", counter_map[i].obj,
			    counter_map[i].key);
		if (have1 && v1 > v2)
			WHY("%s.%s went down in stats: %llu then %llu", counter_map[i].obj,
			    counter_map[i].key, (unsigned long long)v1, (unsigned long long)v2);
		u64s(lo, have1 ? v1 : 0);
		u64s(hi, have1 ? v2 : 0);
		prom_expect_add(x, have1 ? PROM_RANGE : PROM_ABSENT, s, lo, hi);
	}
	if (!json_get_u64(a, "track_ns", &v1) || !json_get_u64(b, "track_ns", &v2))
		WHY("no track_ns in stats");
	series(s, sizeof(s), "ptscope_tracked_seconds", pid, NULL);
	secs(lo, v1);
	secs(hi, v2);
	prom_expect_add(x, PROM_RANGE, s, lo, hi);

	have1 = hist(a, h1, &sum1);
	if (have1 != hist(b, h2, &sum2))
		WHY("latency histogram in one stats document only");
	if (!have1) {	/* no return probe: nothing timed, nothing exported */
		series(s, sizeof(s), HIST "_count", pid, NULL);
		prom_expect_add(x, PROM_ABSENT, s, NULL, NULL);
		series(s, sizeof(s), HIST "_bucket", pid, NULL);
		prom_expect_add(x, PROM_ABSENT, s, NULL, NULL);
		rc = 0;
		goto out;
	}
	for (int i = 0; i < NR_LAT; i++) {
		n1 += h1[i];
		n2 += h2[i];
	}
	series(s, sizeof(s), HIST "_count", pid, NULL);
	u64s(lo, n1);
	u64s(hi, n2);
	prom_expect_add(x, PROM_RANGE, s, lo, hi);
	series(s, sizeof(s), HIST "_sum", pid, NULL);
	secs(lo, sum1);
	secs(hi, sum2);
	prom_expect_add(x, PROM_RANGE, s, lo, hi);
	/* The buckets the exporter chose: each must end on a module bucket. */
	for (size_t j = 0; j < doc->n; j++) {
		const struct prom_sample *p = &doc->s[j];
		const char *le = NULL, *pidv = NULL;
		uint64_t c1 = 0, c2 = 0;
		char l[80];
		int top;

		if (strcmp(p->name, HIST "_bucket"))
			continue;
		for (int k = 0; k < p->nlabels; k++) {
			if (!strcmp(p->key[k], "le"))
				le = p->val[k];
			if (!strcmp(p->key[k], "pid"))
				pidv = p->val[k];
		}
		if (!le || !pidv || atoi(pidv) != pid)
			continue;
		top = strcmp(le, "+Inf") ? le_bucket(le) : NR_LAT - 1;
		if (top < 0)
			WHY(HIST "_bucket le=\"%s\" splits a module bucket (power-of-two ns)", le);
		for (int i = 0; i <= top; i++) {
			c1 += h1[i];
			c2 += h2[i];
		}
		snprintf(l, sizeof(l), "le=\"%.60s\"", le);
		series(s, sizeof(s), HIST "_bucket", pid, l);
		u64s(lo, c1);
		u64s(hi, c2);
		prom_expect_add(x, PROM_RANGE, s, lo, hi);
		nb++;
	}
	if (nb < 2)
		WHY("%d " HIST "_bucket samples for pid %d", nb, (int)pid);
	rc = 0;
out:
	if (a)
		json_object_put(a);
	if (b)
		json_object_put(b);
	return rc;
}

/* ---- the round trip ----------------------------------------------------- */

static void block(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void block(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("=== PTSCOPE-PROM BEGIN %s ===\n", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("=== PTSCOPE-PROM END %s ===\n", name);
	fflush(stdout);
}

static char *get(uint16_t port, const char *accept)
{
	struct http_resp r;
	char *body = NULL;

	if (http_get(port, "/metrics", accept, &r))
		return NULL;
	if (r.status == 200)
		body = strdup(r.body);
	http_free(&r);
	return body;
}

#define OM_ACCEPT "application/openmetrics-text;version=1.0.0"
#define FROM_HOST "GET /metrics from 10.0.2.2: 200"
#define MIN_SCRAPES 3

/* Equal expectations for the walked gauges of @pid: the kernel's views,
 * and the page-table levels as @d has them (checked against VmPTE). */
static int expect_gauges(struct prom_expects *x, struct wl_env *env, const struct oracle *o,
			 const struct lib_counts *lib, const struct prom_doc *d,
			 char *why, size_t len)
{
	static const char *const lv[] = { "pgd", "p4d", "pud", "pmd", "pte" };
	pid_t pid = env->w.pid;
	uint64_t tables = 0;
	char s[256], v[32];
	double t;

	series(s, sizeof(s), "ptscope_resident_bytes", pid, NULL);
	u64s(v, o->rss_kb * 1024 + lib->special * PAGE_SZ);
	prom_expect_add(x, PROM_EQUAL, s, v, NULL);
	series(s, sizeof(s), "ptscope_swapped_bytes", pid, NULL);
	u64s(v, o->swap_kb * 1024);
	prom_expect_add(x, PROM_EQUAL, s, v, NULL);
	series(s, sizeof(s), "ptscope_vmas", pid, NULL);
	u64s(v, o->vmas);
	prom_expect_add(x, PROM_EQUAL, s, v, NULL);
	series(s, sizeof(s), "ptscope_huge_bytes", pid, "size=\"2M\"");
	u64s(v, (o->anon_huge_kb + o->pmd_mapped_kb) * 1024);
	prom_expect_add(x, PROM_EQUAL, s, v, NULL);
	series(s, sizeof(s), "ptscope_dirty_bytes", pid, NULL);
	u64s(v, lib->dirty * PAGE_SZ);
	prom_expect_add(x, PROM_EQUAL, s, v, NULL);
	prom_expect_add(x, PROM_EQUAL, "ptscope_up", "1", NULL);
	for (int i = 0; i < 5; i++) {
		char l[32];

		snprintf(l, sizeof(l), "level=\"%s\"", lv[i]);
		series(s, sizeof(s), "ptscope_page_table_bytes", pid, l);
		if (!prom_value(d, s, &t)) {
			if (i == 1 && env->info.pgtable_levels == 4)
				continue;
			snprintf(why, len, "no %s", s);
			return -1;
		}
		tables += i >= 2 ? (uint64_t)t : 0;
		u64s(v, (uint64_t)t);
		prom_expect_add(x, PROM_EQUAL, s, v, NULL);
	}
	if (tables != o->vmpte_kb * 1024 - o->anon_huge_kb / 2048 * PAGE_SZ) {
		snprintf(why, len, "PUD+PMD+PTE bytes %llu, VmPTE %llu kB, %llu THP",
			 (unsigned long long)tables, (unsigned long long)o->vmpte_kb,
			 (unsigned long long)(o->anon_huge_kb / 2048));
		return -1;
	}
	return 0;
}

int host_round_trip(struct wl_env *env, struct exporter *x, const char *dir,
		    char *why, size_t len)
{
	char *s1 = NULL, *s2 = NULL, *w1 = NULL, *w2 = NULL, *text = NULL, *om = NULL;
	char *tf = NULL, path[128], msg[1024];
	struct prom_doc dt = { 0 }, dom = { 0 }, dtf = { 0 };
	struct prom_expects ex = { 0 };
	struct oracle o1, o2;
	struct churn ch = { .pid = -1 };
	struct lib_counts lib;
	pid_t w = env->w.pid;
	int rc = -1, n = 0, st;

	why[0] = '\0';
	/* With the return hook: the fault results and the latency histogram
	 * go through Prometheus too (exporter_test checks both ways itself). */
	if (churn_start(&ch) || cli_quiet("track stop --all") ||
	    write_file(LATENCY_PARAM, "Y") || cli_quiet("track start %d", w) ||
	    cli_quiet("track start %d", ch.pid))
		WHY("churn workload not started, or not tracked with fault_latency=Y");
	usleep(300 * 1000);
	pageout(w, env->w.start[WL_R_ANON] + 8 * PAGE_SZ, 16 * PAGE_SZ);
	if (oracle_read(w, &o1) || library_counts(env->c, w, &lib) ||
	    lib.special < WL_ZERO_PAGES)
		WHY("workload's views unreadable, or fewer than %d zero-page PTEs",
		    WL_ZERO_PAGES);
	if (stats_json(ch.pid, &s1) || stats_json(w, &w1))
		WHY("stats --json (S1) failed");
	if (exp_start(x, "0.0.0.0", 9477, "--min-interval 1 --pid %d,%d", ch.pid, w))
		WHY("exporter on 0.0.0.0:9477 did not start");
	printf("# exporter on 0.0.0.0:9477, waiting for %d scrapes from the host\n", MIN_SCRAPES);
	fflush(stdout);
	for (int i = 0; i < 1800 && (n = exp_log_count(x, FROM_HOST)) < MIN_SCRAPES; i++)
		usleep(100 * 1000);
	text = get(x->port, NULL);
	om = get(x->port, OM_ACCEPT);
	snprintf(path, sizeof(path), "%s/ptscope.prom", dir);
	if (!cli_quiet("metrics --pid %d,%d --output %s", ch.pid, w, path))
		tf = slurp(path, NULL);
	if ((st = exp_stop(x)) != 0)
		WHY("exporter exited with %d on SIGTERM", st);
	if (stats_json(ch.pid, &s2) || stats_json(w, &w2))
		WHY("stats --json (S2) failed");
	if (n < MIN_SCRAPES)
		WHY("the host scraped %d times in 180 s (want %d)", n, MIN_SCRAPES);
	if (!text || !om || !tf)
		WHY("a scrape or `ptscope metrics` failed");
	if (prom_parse(text, false, &dt) || prom_parse(om, true, &dom) ||
	    prom_parse(tf, false, &dtf))
		WHY("unparsable: %s%s%s", dt.err, dom.err, dtf.err);
	if (oracle_read(w, &o2) || memcmp(&o1, &o2, sizeof(o1)))
		WHY("the static workload changed during the test");
	if (expect_counters(&ex, ch.pid, s1, s2, &dt, why, len) ||
	    expect_counters(&ex, w, w1, w2, &dt, why, len) ||
	    expect_gauges(&ex, env, &o1, &lib, &dt, why, len))
		goto out;

	/* The same bounds hold for what the VM saw itself. */
	if (prom_expects_check(&ex, &dt, msg, sizeof(msg)) ||
	    prom_expects_check(&ex, &dom, msg, sizeof(msg)) ||
	    prom_expects_check(&ex, &dtf, msg, sizeof(msg)))
		snprintf(why, len, "in the VM: %s", msg);
	else
		rc = 0;
	block("s1", "%s\n%s", s1, w1);
	block("s2", "%s\n%s", s2, w2);
	printf("=== PTSCOPE-PROM BEGIN expect ===\n");
	prom_expects_print(&ex);
	printf("=== PTSCOPE-PROM END expect ===\n");
	block("text", "%s", text);
	block("openmetrics", "%s", om);
	block("textfile", "%s", tf);
	printf("=== PTSCOPE-PROM DONE ===\n");
	fflush(stdout);
out:
	exp_stop(x);
	churn_stop(&ch);
	prom_expects_free(&ex);
	prom_free(&dt);
	prom_free(&dom);
	prom_free(&dtf);
	free(s1);
	free(s2);
	free(w1);
	free(w2);
	free(text);
	free(om);
	free(tf);
	return rc;
}
