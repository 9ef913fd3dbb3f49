// SPDX-License-Identifier: GPL-2.0
/*
 * `ptscope exporter` and `ptscope metrics` (docs/metrics.md), run for real:
 * the exporter serves a tracked workload (tests/workload, known layout) and
 * this test is its HTTP client.
 *
 *  - text format 0.0.4 by default, OpenMetrics 1.0.0 when Accept asks:
 *    content types exact, every family with HELP and TYPE, each metric
 *    of the contract of its type, "# EOF" last, counters named right;
 *  - the walked gauges equal the kernel's views: resident = smaps Rss + the
 *    special PTEs (the zero page, at least the ones layout.h says there
 *    are, and PFN maps: Rss leaves them out, and pagemap does not walk PFN
 *    maps), swapped = smaps Swap (after MADV_PAGEOUT of known pages), huge
 *    2M = AnonHugePages, VMAs = /proc/PID/maps lines (less [vsyscall]),
 *    PUD + PMD + PTE table bytes = VmPTE less the THP's deposited table;
 *  - counters lie between `ptscope stats --json` taken before and after
 *    the scrape, and a series exists exactly when its stats key does;
 *  - --min-interval: no second walk within it, one walk after it, one
 *    walk for concurrent scrapes, the age of the walk served;
 *  - malformed requests (garbage, unknown method, POST, 1 MiB header or URL)
 *    get a 4xx and the exporter serves on; unknown paths get 404;
 *  - a selected process that exits drops out, no error counted;
 *  - rmmod: ptscope_up 0; insmod again: ptscope_up 1, one reconnect;
 *  - `ptscope metrics --output F` replaces F atomically.
 * Counters are checked with the module's fault_latency off (no result or
 * latency series) and on (the histogram too).
 * With a host peer (PTSCOPE_HOST_PEER=1, scripts/vm-run.sh -H): the
 * exporter listens on 0.0.0.0:9477 for the host's Prometheus, and what it
 * must have stored is printed for tests/prom/prom_host.py to check
 * (exporter_host.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"
#include "exporter.h"

#define TEXT_CT	"text/plain; version=0.0.4; charset=utf-8"
#define OM_CT	"application/openmetrics-text; version=1.0.0; charset=utf-8"
/* What Prometheus 2.42 sends. */
#define OM_ACCEPT "application/openmetrics-text;version=1.0.0,application/openmetrics-text;" \
	"version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

/* Every metric of the contract exported whatever the kernel's probes, and
 * its type (tracking counters depend on probes: counters_between_stats). */
static const struct { const char *sample, *type; } always[] = {
	{ "ptscope_up", "gauge" }, { "ptscope_info", "gauge" },
	{ "ptscope_module_reconnects_total", "counter" },
	{ "ptscope_scrape_duration_seconds", "gauge" },
	{ "ptscope_scrape_errors_total", "counter" },
	{ "ptscope_collection_age_seconds", "gauge" },
	{ "ptscope_walks_total", "counter" },
	{ "ptscope_tracked_processes", "gauge" },
	{ "ptscope_selected_processes", "gauge" },
	{ "ptscope_tracked_seconds", "gauge" },
	{ "ptscope_resident_bytes", "gauge" }, { "ptscope_dirty_bytes", "gauge" },
	{ "ptscope_swapped_bytes", "gauge" }, { "ptscope_huge_bytes", "gauge" },
	{ "ptscope_vmas", "gauge" }, { "ptscope_page_table_bytes", "gauge" },
	{ "ptscope_walk_age_seconds", "gauge" },
	{ "ptscope_walk_duration_seconds", "gauge" },
};

FIXTURE(exporter) {
	struct wl_env env;
	struct exporter x;
	char pids[64];		/* the workload and its child */
	char dir[64];
	char latency[8];	/* the module's fault_latency before the test */
};

FIXTURE_SETUP(exporter)
{
	int err;

	self->x.pid = -1;
	snprintf(self->dir, sizeof(self->dir), "/tmp/exporter.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	if (!cli_path())
		SKIP(return, "no ptscope CLI");
	err = wl_env_init(&self->env);
	if (err == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, read_file(LATENCY_PARAM, self->latency, sizeof(self->latency)));
	/* Only what this test tracks: tracked_processes is exact. */
	ASSERT_EQ(0, cli_quiet("track stop --all"));
	ASSERT_EQ(0, cli_quiet("track start %d", self->env.w.pid));
	snprintf(self->pids, sizeof(self->pids), "%d,%d", self->env.w.pid,
		 self->env.w.child);
}

FIXTURE_TEARDOWN(exporter)
{
	exp_stop(&self->x);
	module_ensure_loaded();
	cli_quiet("track stop --all");
	if (self->latency[0])
		write_file(LATENCY_PARAM, self->latency);
	wl_env_fini(&self->env);
	rm_rf(self->dir);
}

/* /metrics in text format, parsed; the raw text into *raw if wanted. */
static void scrape(struct __test_metadata *_metadata, uint16_t port, bool om,
		   struct prom_doc *d, char **raw)
{
	struct http_resp r;
	char ct[128] = "";

	ASSERT_EQ(0, http_get(port, "/metrics", om ? OM_ACCEPT : NULL, &r));
	ASSERT_EQ(200, r.status) TH_LOG("%s", r.head);
	http_header(&r, "Content-Type", ct, sizeof(ct));
	EXPECT_STREQ(om ? OM_CT : TEXT_CT, ct);
	EXPECT_EQ(0, prom_parse(r.body, om, d)) TH_LOG("%s", d->err);
	if (raw)
		*raw = strdup(r.body);
	http_free(&r);
}

static double value(struct __test_metadata *_metadata, const struct prom_doc *d,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static double value(struct __test_metadata *_metadata, const struct prom_doc *d,
		    const char *fmt, ...)
{
	char series[256];
	double v = NAN;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(series, sizeof(series), fmt, ap);
	va_end(ap);
	EXPECT_TRUE(prom_value(d, series, &v)) TH_LOG("no single sample %s", series);
	return v;
}

TEST_F(exporter, text_format_and_contract)
{
	struct prom_doc d;
	struct utsname u;
	pid_t pid = self->env.w.pid;
	char series[300];

	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0, "--min-interval 1000 --pid %s",
			       self->pids));
	scrape(_metadata, self->x.port, false, &d, NULL);
	for (size_t i = 0; i < sizeof(always) / sizeof(always[0]); i++) {
		size_t n = prom_count(&d, always[i].sample, NULL, NULL);

		EXPECT_LE(1, n) TH_LOG("%s missing", always[i].sample);
		for (size_t j = 0; j < d.n; j++)
			if (!strcmp(d.s[j].name, always[i].sample))
				EXPECT_STREQ(always[i].type, d.fam[d.s[j].family].type)
					TH_LOG("%s", always[i].sample);
	}
	/* Per-process series: pid and comm, for the two selected processes. */
	for (size_t j = 0; j < d.n; j++) {
		bool pidl = prom_count(&d, d.s[j].name, "pid", NULL) > 0;

		if (!pidl)
			continue;
		snprintf(series, sizeof(series), "%s{comm=\"workload\"}", d.s[j].name);
		EXPECT_EQ(prom_count(&d, d.s[j].name, "pid", NULL),
			  prom_count(&d, d.s[j].name, "comm", "workload"))
			TH_LOG("%s", prom_series(&d.s[j], series, sizeof(series)));
	}
	EXPECT_EQ(1, value(_metadata, &d, "ptscope_up"));
	EXPECT_EQ(1, value(_metadata, &d, "ptscope_tracked_processes"));
	EXPECT_EQ(2, value(_metadata, &d, "ptscope_selected_processes"));
	EXPECT_EQ(0, value(_metadata, &d, "ptscope_scrape_errors_total"));
	EXPECT_EQ(0, value(_metadata, &d, "ptscope_module_reconnects_total"));
	ASSERT_EQ(0, uname(&u));
	EXPECT_EQ(1, value(_metadata, &d, "ptscope_info{kernel=\"%s\",paging_levels=\"%u\"}",
			   u.release, self->env.info.pgtable_levels));
	/* tracking series only for the tracked one, walked for both */
	EXPECT_EQ(1, prom_count(&d, "ptscope_tracked_seconds", "pid", NULL));
	value(_metadata, &d, "ptscope_tracked_seconds{pid=\"%d\"}", pid);
	EXPECT_EQ(2, prom_count(&d, "ptscope_vmas", "pid", NULL));
	EXPECT_EQ(self->env.info.pgtable_levels == 5,
		  prom_count(&d, "ptscope_page_table_bytes", "level", "p4d") == 2);
	prom_free(&d);
}

TEST_F(exporter, walked_gauges_equal_the_kernel_views)
{
	struct oracle before, after;
	struct prom_doc d;
	pid_t pid = self->env.w.pid;
	struct lib_counts lib;
	uint64_t thp;

	/* Known pages to swap, so the swapped gauge is not just 0 == 0. */
	pageout(pid, self->env.w.start[WL_R_ANON] + 8 * PAGE_SZ, 16 * PAGE_SZ);
	ASSERT_EQ(0, oracle_read(pid, &before));
	ASSERT_EQ(0, library_counts(self->env.c, pid, &lib));
	ASSERT_LE(WL_ZERO_PAGES, lib.special);
	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0, "--min-interval 1000 --pid %s",
			       self->pids));
	scrape(_metadata, self->x.port, false, &d, NULL);
	ASSERT_EQ(0, oracle_read(pid, &after));
	ASSERT_EQ(0, memcmp(&before, &after, sizeof(before))) TH_LOG("the workload changed");

	thp = before.anon_huge_kb / 2048;
	TH_LOG("Rss %llu kB, %llu special, Swap %llu kB, %llu VMAs, VmPTE %llu kB, %llu THP",
	       (unsigned long long)before.rss_kb, (unsigned long long)lib.special,
	       (unsigned long long)before.swap_kb, (unsigned long long)before.vmas,
	       (unsigned long long)before.vmpte_kb, (unsigned long long)thp);
	EXPECT_EQ(before.rss_kb * 1024 + lib.special * PAGE_SZ,
		  value(_metadata, &d, "ptscope_resident_bytes{pid=\"%d\"}", pid));
	EXPECT_EQ(before.swap_kb * 1024,
		  value(_metadata, &d, "ptscope_swapped_bytes{pid=\"%d\"}", pid));
	EXPECT_EQ(before.vmas, value(_metadata, &d, "ptscope_vmas{pid=\"%d\"}", pid));
	EXPECT_EQ((before.anon_huge_kb + before.pmd_mapped_kb) * 1024,
		  value(_metadata, &d, "ptscope_huge_bytes{pid=\"%d\",size=\"2M\"}", pid));
	EXPECT_EQ(lib.dirty * PAGE_SZ,
		  value(_metadata, &d, "ptscope_dirty_bytes{pid=\"%d\"}", pid));
	/* VmPTE: PUD, PMD and PTE tables and one deposited table per THP. */
	EXPECT_EQ(before.vmpte_kb * 1024 - thp * PAGE_SZ,
		  value(_metadata, &d, "ptscope_page_table_bytes{pid=\"%d\",level=\"pud\"}", pid) +
		  value(_metadata, &d, "ptscope_page_table_bytes{pid=\"%d\",level=\"pmd\"}", pid) +
		  value(_metadata, &d, "ptscope_page_table_bytes{pid=\"%d\",level=\"pte\"}", pid));
	EXPECT_LT(0, value(_metadata, &d, "ptscope_page_table_bytes{pid=\"%d\",level=\"pgd\"}",
			   pid));
	prom_free(&d);
}

TEST_F(exporter, openmetrics_when_asked)
{
	struct prom_doc t, o;
	char *raw = NULL;
	size_t same = 0;

	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0, "--min-interval 1000 --pid %s",
			       self->pids));
	scrape(_metadata, self->x.port, false, &t, NULL);
	scrape(_metadata, self->x.port, true, &o, &raw);
	ASSERT_NE(NULL, raw);
	EXPECT_EQ(0, strcmp(raw + strlen(raw) - 6, "# EOF\n")) TH_LOG("ends: %s",
								   raw + strlen(raw) - 20);
	free(raw);
	/* Same series in both (less OpenMetrics' _created), same gauges:
	 * the second scrape is served from the first one's walk. */
	for (size_t i = 0; i < o.n; i++) {
		char s[512];
		double v;
		size_t len = strlen(o.s[i].name);

		if (len > 8 && !strcmp(o.s[i].name + len - 8, "_created"))
			continue;
		prom_series(&o.s[i], s, sizeof(s));
		EXPECT_TRUE(prom_value(&t, s, &v)) TH_LOG("only in OpenMetrics: %s", s);
		same++;
	}
	EXPECT_EQ(t.n, same);
	EXPECT_EQ(value(_metadata, &t, "ptscope_resident_bytes{pid=\"%d\"}", self->env.w.pid),
		  value(_metadata, &o, "ptscope_resident_bytes{pid=\"%d\"}", self->env.w.pid));
	prom_free(&t);
	prom_free(&o);
}

TEST_F_TIMEOUT(exporter, min_interval_caches_the_walk, 120)
{
	struct prom_doc a, b, c;

	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0, "--min-interval 1000 --pid %s",
			       self->pids));
	scrape(_metadata, self->x.port, false, &a, NULL);
	usleep(1200 * 1000);
	scrape(_metadata, self->x.port, false, &b, NULL);
	EXPECT_EQ(2, value(_metadata, &a, "ptscope_walks_total"));
	EXPECT_EQ(2, value(_metadata, &b, "ptscope_walks_total"));
	EXPECT_LE(1.0, value(_metadata, &b, "ptscope_walk_age_seconds{pid=\"%d\"}",
			     self->env.w.pid));
	EXPECT_GT(1000, value(_metadata, &b, "ptscope_walk_age_seconds{pid=\"%d\"}",
			      self->env.w.pid));
	prom_free(&a);
	prom_free(&b);

	/* Past the interval: walked again, once per process. */
	exp_stop(&self->x);
	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0, "--min-interval 1 --pid %s",
			       self->pids));
	scrape(_metadata, self->x.port, false, &a, NULL);
	usleep(1500 * 1000);
	scrape(_metadata, self->x.port, false, &c, NULL);
	EXPECT_EQ(2, value(_metadata, &a, "ptscope_walks_total"));
	EXPECT_EQ(4, value(_metadata, &c, "ptscope_walks_total"));
	EXPECT_GT(1.0, value(_metadata, &c, "ptscope_walk_age_seconds{pid=\"%d\"}",
			     self->env.w.pid));
	prom_free(&a);
	prom_free(&c);
}

/* Σ ptscope_vma_resident_bytes of @pid, and how many series it has. */
static double vma_sum(const struct prom_doc *d, pid_t pid, size_t *n)
{
	char p[16];
	double sum = 0;

	snprintf(p, sizeof(p), "%d", pid);
	*n = 0;
	for (size_t i = 0; i < d->n; i++) {
		const struct prom_sample *s = &d->s[i];
		bool mine = false;

		if (strcmp(s->name, "ptscope_vma_resident_bytes"))
			continue;
		for (int l = 0; l < s->nlabels; l++)
			mine |= !strcmp(s->key[l], "pid") && !strcmp(s->val[l], p);
		if (mine) {
			sum += s->value;
			(*n)++;
		}
	}
	return sum;
}

/*
 * --comm selects the workload and its child (not this test); --per-vma
 * groups add up to the resident bytes exactly, with no address label;
 * --heat: no working set before a second sample, then exactly 0 for a
 * process blocked in read() and at least the 16 pages it was told to
 * write; no cold series until the samples span --cold-after.
 */
TEST_F_TIMEOUT(exporter, comm_per_vma_heat, 120)
{
	pid_t wl = self->env.w.pid, child = self->env.w.child;
	struct prom_doc a, b, c;
	size_t n, groups;
	double wss;

	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0,
			       "--comm ^workload$ --per-vma --max-vma-series 10000 --heat "
			       "--min-interval 1 --cold-after 2 --cgroup-label"));
	scrape(_metadata, self->x.port, false, &a, NULL);
	EXPECT_EQ(2, value(_metadata, &a, "ptscope_selected_processes"));
	EXPECT_EQ(2, prom_count(&a, "ptscope_resident_bytes", NULL, NULL));
	EXPECT_EQ(0, prom_count(&a, "ptscope_working_set_bytes", NULL, NULL));
	EXPECT_EQ(0, prom_count(&a, "ptscope_vma_resident_bytes", "start", NULL));
	EXPECT_LT(0, prom_count(&a, "ptscope_resident_bytes", "cgroup", NULL));
	EXPECT_EQ(value(_metadata, &a, "ptscope_resident_bytes{pid=\"%d\"}", wl),
		  vma_sum(&a, wl, &groups));
	EXPECT_LT(3, groups);
	EXPECT_EQ(0, value(_metadata, &a, "ptscope_vma_series_dropped{pid=\"%d\"}", wl));
	EXPECT_EQ(value(_metadata, &a, "ptscope_resident_bytes{pid=\"%d\"}", child),
		  vma_sum(&a, child, &n));

	usleep(1200 * 1000);
	ASSERT_EQ(0, wl_cmd(&self->env.w, "w %lx 16", (unsigned long)wl_addr(&self->env.w,
								       WL_R_ANON, 8)));
	scrape(_metadata, self->x.port, false, &b, NULL);
	wss = value(_metadata, &b, "ptscope_working_set_bytes{pid=\"%d\"}", wl);
	/*
	 * The 16 pages, plus what reading, parsing and answering the command
	 * touched: stack, stdio buffers and the text pages of the code run
	 * (about 100 pages on 7.3).
	 */
	EXPECT_LE(16 * PAGE_SZ, wss);
	EXPECT_GT(16 * PAGE_SZ + 256 * PAGE_SZ, wss);
	EXPECT_EQ(0, value(_metadata, &b, "ptscope_working_set_bytes{pid=\"%d\"}", child));
	EXPECT_EQ(0, prom_count(&b, "ptscope_cold_bytes", NULL, NULL));

	usleep(1200 * 1000);
	scrape(_metadata, self->x.port, false, &c, NULL);
	EXPECT_EQ(0, value(_metadata, &c, "ptscope_working_set_bytes{pid=\"%d\"}", wl));
	EXPECT_EQ(2, prom_count(&c, "ptscope_cold_bytes", NULL, NULL));
	EXPECT_LT(0, value(_metadata, &c, "ptscope_cold_bytes{pid=\"%d\"}", child));
	EXPECT_GE(value(_metadata, &c, "ptscope_resident_bytes{pid=\"%d\"}", child),
		  value(_metadata, &c, "ptscope_cold_bytes{pid=\"%d\"}", child));
	EXPECT_EQ(6, value(_metadata, &c, "ptscope_walks_total"));
	EXPECT_EQ(0, value(_metadata, &c, "ptscope_scrape_errors_total"));

	/* The cap keeps the largest groups and says how many it dropped. */
	exp_stop(&self->x);
	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0,
			       "--pid %d --per-vma --max-vma-series 2", wl));
	prom_free(&b);
	scrape(_metadata, self->x.port, false, &b, NULL);
	vma_sum(&b, wl, &n);
	EXPECT_EQ(2, n);
	EXPECT_EQ(groups - 2, value(_metadata, &b, "ptscope_vma_series_dropped{pid=\"%d\"}", wl));
	prom_free(&a);
	prom_free(&b);
	prom_free(&c);
}

struct par { uint16_t port; pthread_barrier_t *bar; struct http_resp r; int err; };

static void *par_get(void *arg)
{
	struct par *p = arg;

	pthread_barrier_wait(p->bar);
	p->err = http_get(p->port, "/metrics", NULL, &p->r);
	return NULL;
}

/* The exporter accepts 8 connections per client address: fewer than that
 * (the probe of exp_start() may not be closed on its side yet). */
#define NR_PAR	6

TEST_F_TIMEOUT(exporter, concurrent_scrapes_share_one_walk, 120)
{
	struct par p[NR_PAR];
	pthread_t th[NR_PAR];
	pthread_barrier_t bar;
	struct prom_doc d;

	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0, "--min-interval 1000 --pid %s",
			       self->pids));
	pthread_barrier_init(&bar, NULL, NR_PAR);
	for (int i = 0; i < NR_PAR; i++) {
		p[i] = (struct par){ .port = self->x.port, .bar = &bar };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, par_get, &p[i]));
	}
	for (int i = 0; i < NR_PAR; i++) {
		pthread_join(th[i], NULL);
		ASSERT_EQ(0, p[i].err);
		EXPECT_EQ(200, p[i].r.status);
		EXPECT_EQ(0, prom_parse(p[i].r.body, false, &d)) TH_LOG("%s", d.err);
		/* every answer has the walks: the one walk of each process */
		EXPECT_EQ(2, value(_metadata, &d, "ptscope_walks_total"));
		prom_free(&d);
		http_free(&p[i].r);
	}
	pthread_barrier_destroy(&bar);
	scrape(_metadata, self->x.port, false, &d, NULL);
	EXPECT_EQ(2, value(_metadata, &d, "ptscope_walks_total"));
	prom_free(&d);
}

TEST_F_TIMEOUT(exporter, malformed_requests_get_4xx, 120)
{
	static const char *const small[] = {
		"\x01\x02\xff garbage\r\n\r\n",
		"BREW /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
		"Connection: close\r\n\r\nabc",
	};
	const size_t big = 1 << 20;
	char *req = malloc(big + 256);
	struct http_resp r;
	struct prom_doc d;
	int status;

	ASSERT_NE(NULL, req);
	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0, "--min-interval 1000 --pid %s",
			       self->pids));
	for (int i = 0; i < 5; i++) {
		size_t n;

		if (i < 3) {
			n = strlen(small[i]);
			memcpy(req, small[i], n);
		} else if (i == 3) {	/* a 1 MiB header */
			n = sprintf(req, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ");
			memset(req + n, 'a', big);
			n += big;
			n += sprintf(req + n, "\r\nConnection: close\r\n\r\n");
		} else {		/* a 1 MiB URL */
			n = sprintf(req, "GET /metrics?");
			memset(req + n, 'a', big);
			n += big;
			n += sprintf(req + n, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		}
		ASSERT_EQ(0, http_raw(self->x.port, req, n, &r)) TH_LOG("request %d", i);
		status = r.status;
		EXPECT_LE(400, status) TH_LOG("request %d: %.200s", i, r.head);
		EXPECT_GT(500, status) TH_LOG("request %d: %.200s", i, r.head);
		http_free(&r);
		/* and it still serves */
		ASSERT_EQ(0, waitpid(self->x.pid, NULL, WNOHANG));
		scrape(_metadata, self->x.port, false, &d, NULL);
		prom_free(&d);
	}
	free(req);
}

TEST_F(exporter, unknown_path_404)
{
	struct http_resp r;

	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0, "--pid %s", self->pids));
	ASSERT_EQ(0, http_get(self->x.port, "/nope", NULL, &r));
	EXPECT_EQ(404, r.status);
	http_free(&r);
	ASSERT_EQ(0, http_get(self->x.port, "/metrics/x", NULL, &r));
	EXPECT_EQ(404, r.status);
	http_free(&r);
}

static int sleeper(void *unused)
{
	(void)unused;
	return 0;
}

TEST_F(exporter, exited_process_drops_out)
{
	char buf[64];
	struct prom_doc a, b;
	pid_t t = spawn_target(sleeper, buf, sizeof(buf));

	ASSERT_LT(0, t);
	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0, "--min-interval 1000 --pid %s,%d",
			       self->pids, t));
	scrape(_metadata, self->x.port, false, &a, NULL);
	kill_wait(t);
	scrape(_metadata, self->x.port, false, &b, NULL);
	snprintf(buf, sizeof(buf), "%d", t);
	EXPECT_EQ(3, value(_metadata, &a, "ptscope_selected_processes"));
	EXPECT_EQ(1, prom_count(&a, "ptscope_vmas", "pid", buf));
	EXPECT_EQ(2, value(_metadata, &b, "ptscope_selected_processes"));
	for (size_t i = 0; i < b.n; i++) {
		const char *name = b.s[i].name;

		EXPECT_EQ(0, prom_count(&b, name, "pid", buf)) TH_LOG("%s", name);
	}
	EXPECT_EQ(0, value(_metadata, &b, "ptscope_scrape_errors_total"));
	prom_free(&a);
	prom_free(&b);
}

TEST_F_TIMEOUT(exporter, module_reload_reconnects, 120)
{
	struct prom_doc d;
	int err;

	if (!module_reloadable())
		SKIP(return, "PTSCOPE_KO unset, or a DKMS module (modprobe)");
	/*
	 * modprobe works here (the module is in /lib/modules, depmod ran): an
	 * exporter that resolved the family the usual way would load the
	 * module back through its alias and never report the loss.
	 */
	ASSERT_EQ(0, exp_start(&self->x, "127.0.0.1", 0, "--min-interval 0 --pid %s",
			       self->pids));
	scrape(_metadata, self->x.port, false, &d, NULL);
	EXPECT_EQ(1, value(_metadata, &d, "ptscope_up"));
	prom_free(&d);
	err = module_unload();
	ASSERT_EQ(0, err) TH_LOG("delete_module: %s", strerror(-err));

	scrape(_metadata, self->x.port, false, &d, NULL);
	EXPECT_EQ(0, value(_metadata, &d, "ptscope_up"));
	EXPECT_EQ(0, prom_count(&d, "ptscope_tracked_seconds", NULL, NULL));
	prom_free(&d);

	err = module_load();
	ASSERT_EQ(0, err) TH_LOG("finit_module: %s", strerror(-err));
	scrape(_metadata, self->x.port, false, &d, NULL);
	EXPECT_EQ(1, value(_metadata, &d, "ptscope_up"));
	EXPECT_EQ(1, value(_metadata, &d, "ptscope_module_reconnects_total"));
	prom_free(&d);
	EXPECT_EQ(0, waitpid(self->x.pid, NULL, WNOHANG));
}

TEST_F_TIMEOUT(exporter, metrics_output_is_atomic, 180)
{
	char path[128], stop[80], tmp[160];
	struct prom_doc d;
	size_t first_n;
	char *text;
	pid_t reader;
	int status;

	snprintf(path, sizeof(path), "%s/ptscope.prom", self->dir);
	snprintf(stop, sizeof(stop), "%s.stop", self->dir);
	ASSERT_EQ(0, cli_quiet("metrics --pid %s --output %s", self->pids, path));
	text = slurp(path, NULL);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, prom_parse(text, false, &d)) TH_LOG("%s", d.err);
	first_n = d.n;
	EXPECT_EQ(1, value(_metadata, &d, "ptscope_up"));
	prom_free(&d);
	free(text);

	/* A reader that must never see a partial file while it is rewritten. */
	reader = fork();
	ASSERT_LE(0, reader);
	if (reader == 0) {
		for (int i = 0; i < 100000; i++) {
			char *t = slurp(path, NULL);
			struct prom_doc r;
			bool whole = t && !prom_parse(t, false, &r) && r.n == first_n;

			if (!whole) {
				fprintf(stderr, "# read %d: %s\n", i, t ? r.err : "missing");
				_exit(1);
			}
			prom_free(&r);
			free(t);
			if (access(stop, F_OK) == 0)
				_exit(i > 0 ? 0 : 2);
		}
		_exit(0);
	}
	for (int i = 0; i < 10; i++)
		EXPECT_EQ(0, cli_quiet("metrics --pid %s --output %s", self->pids, path));
	close(open(stop, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	unlink(stop);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* nothing left beside it */
	EXPECT_EQ(1, dir_entries(self->dir, tmp, sizeof(tmp))) TH_LOG("also %s", tmp);
}

/* Tracking from nothing tracked, with or without the return hook (the
 * module reads fault_latency then): result, latency series only with it. */
static void track_fresh(struct __test_metadata *_metadata, bool latency, pid_t a, pid_t b)
{
	ASSERT_EQ(0, cli_quiet("track stop --all"));
	ASSERT_EQ(0, write_file(LATENCY_PARAM, latency ? "Y" : "N"));
	ASSERT_EQ(0, cli_quiet("track start %d", a));
	if (b > 0)
		ASSERT_EQ(0, cli_quiet("track start %d", b));
}

static void counters_round(struct __test_metadata *_metadata, struct exporter *ex,
			   bool latency)
{
	struct churn ch;
	struct prom_expects x = { 0 };
	struct prom_doc t, o;
	char *s1 = NULL, *s2 = NULL, why[1024];
	pid_t pid;

	ASSERT_EQ(0, churn_start(&ch));
	pid = ch.pid;
	track_fresh(_metadata, latency, pid, 0);
	usleep(300 * 1000);
	ASSERT_EQ(0, stats_json(pid, &s1));
	/* the return hook is there exactly when asked for */
	ASSERT_EQ(latency, strstr(s1, "\"latency\"") != NULL) TH_LOG("%s", s1);
	ASSERT_EQ(0, exp_start(ex, "127.0.0.1", 0, "--min-interval 0 --pid %d", pid));
	scrape(_metadata, ex->port, false, &t, NULL);
	scrape(_metadata, ex->port, true, &o, NULL);
	exp_stop(ex);
	ASSERT_EQ(0, stats_json(pid, &s2));
	churn_stop(&ch);

	ASSERT_EQ(0, expect_counters(&x, pid, s1, s2, &t, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_LT(10, x.n);
	EXPECT_EQ(0, prom_expects_check(&x, &t, why, sizeof(why))) TH_LOG("text: %s", why);
	EXPECT_EQ(0, prom_expects_check(&x, &o, why, sizeof(why))) TH_LOG("OpenMetrics: %s", why);
	TH_LOG("fault_latency=%d: %zu series bounded", latency, x.n);
	prom_expects_free(&x);
	prom_free(&t);
	prom_free(&o);
	free(s1);
	free(s2);
}

TEST_F_TIMEOUT(exporter, counters_between_stats, 180)
{
	counters_round(_metadata, &self->x, false);
	counters_round(_metadata, &self->x, true);
}

TEST_F_TIMEOUT(exporter, host_prometheus_round_trip, 400)
{
	const char *peer = getenv("PTSCOPE_HOST_PEER");
	char why[1024] = "";

	if (!peer || strcmp(peer, "1"))
		SKIP(return, "no host peer (scripts/vm-run.sh -H)");
	EXPECT_EQ(0, host_round_trip(&self->env, &self->x, self->dir, why, sizeof(why)))
		TH_LOG("%s", why);
}

TEST_HARNESS_MAIN
