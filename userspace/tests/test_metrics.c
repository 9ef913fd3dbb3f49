// SPDX-License-Identifier: GPL-2.0
/*
 * `ptscope metrics` / `exporter` without a kernel: the exposition formats
 * of a snapshot built here (exact lines, promtool's verdict when it is
 * installed), the Accept negotiation, and the selectors over a fake /proc.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "metrics.h"
#include "prom.h"
#include "tap.h"

static bool has(const char *s, const char *needle)
{
	bool found = s && strstr(s, needle);

	if (!found)
		fprintf(stderr, "# missing: %s\n", needle);
	return found;
}

static bool lacks(const char *s, const char *needle)
{
	return s && !strstr(s, needle);
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static char *render(const struct metrics_snapshot *s, bool om, bool cgroup)
{
	struct prom_opts po = { .openmetrics = om, .cgroup_label = cgroup, .now = 110.0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f || prom_write(f, s, &po))
		return NULL;
	fclose(f);
	return buf;
}

/* pid 7: walked only; pid 42: tracked and walked, a comm to escape. */
static void build(struct metrics_snapshot *s, struct metrics_proc *p, struct metrics_vma *top)
{
	memset(s, 0, sizeof(*s));
	memset(p, 0, 2 * sizeof(*p));
	s->up = true;
	snprintf(s->info.module_version, sizeof(s->info.module_version), "0.1.0");
	snprintf(s->info.kernel_release, sizeof(s->info.kernel_release), "7.3.4+deb13-cloud-amd64");
	s->info.pgtable_levels = 5;
	s->info.tracked = 1;
	s->procs = p;
	s->nr_procs = 2;
	s->selected = 2;
	s->taken_at = 100.0;
	s->duration = 0.25;
	s->walks_total = 9;
	s->errors_total = 1;
	s->reconnects_total = 2;

	p[0].pid = 7;
	snprintf(p[0].comm, sizeof(p[0].comm), "bash");
	snprintf(p[0].cgroup, sizeof(p[0].cgroup), "/user.slice");
	p[0].walked = true;
	p[0].walk.resident = 40960;
	p[0].walk.dirty = 8192;
	p[0].walk.swapped = 4096;
	p[0].walk.huge_pmd = 2 << 20;
	p[0].walk.vmas = 3;
	p[0].walk.walked_at = 95.5;
	p[0].walk.duration = 0.001;
	p[0].walk.tables.nr_levels = 5;
	for (int l = 0; l < 5; l++) {
		p[0].walk.tables.levels[l].level = (uint32_t)l;
		p[0].walk.tables.levels[l].bytes = 4096u * (uint64_t)(l + 1);
	}
	p[0].walk.tables.levels[PTSCOPE_LEVEL_P4D].folded = true;
	p[0].walk.top = top;
	p[0].walk.nr_top = 1;
	p[0].walk.vmas_dropped = 2;
	top->resident = 32768;
	top->kind = 0;
	top->count = 3;
	snprintf(top->name, sizeof(top->name), "/usr/lib/x\"y");

	p[1].pid = 42;
	/* A quote, a backslash, a newline and a byte that is not UTF-8. */
	snprintf(p[1].comm, sizeof(p[1].comm), "a\"b\\c\nd\xff");
	p[1].tracked = true;
	p[1].stats.have = ~0ULL;
	p[1].stats.track_ns = 3500000000ULL;
	p[1].stats.tlb_flush_full = 11;
	p[1].stats.tlb_flush_ranged = 12;
	p[1].stats.tlb_shootdowns = 13;
	p[1].stats.tlb_received = 14;
	p[1].stats.faults = 100;
	p[1].stats.major = 4;
	p[1].stats.lat_hist[0] = 3;	/* 0 ns */
	p[1].stats.lat_hist[9] = 5;	/* [256, 512) ns */
	p[1].stats.lat_hist[20] = 7;	/* [0.52, 1.05) ms */
	p[1].stats.lat_hist[31] = 1;	/* >= 1.07 s */
	p[1].stats.lat_sum_ns = 1500000000ULL;
	p[1].walked = true;
	p[1].walk.resident = 4096;
	p[1].walk.walked_at = 100.0;
	p[1].walk.has_heat = true;
	p[1].walk.has_cold = true;
	p[1].walk.wss = 8192;
	p[1].walk.cold = 12288;
	p[1].walk.heat_interval = 15;
}

static void test_text(void)
{
	struct metrics_snapshot s;
	struct metrics_proc p[2];
	struct metrics_vma top;
	char *t;

	build(&s, p, &top);
	t = render(&s, false, false);
	ok(t && has(t, "ptscope_up 1\n") &&
	   has(t, "ptscope_info{version=\"") &&
	   has(t, "\",module_version=\"0.1.0\",kernel=\"7.3.4+deb13-cloud-amd64\","
		  "paging_levels=\"5\"} 1\n"),
	   "metrics: up and info");
	ok(has(t, "# TYPE ptscope_walks_total counter\nptscope_walks_total 9\n") &&
	   has(t, "ptscope_scrape_errors_total 1\n") &&
	   has(t, "ptscope_module_reconnects_total 2\n") &&
	   has(t, "ptscope_collection_age_seconds 10\n") &&
	   has(t, "ptscope_selected_processes 2\n"),
	   "metrics: the exporter's own counters, the age relative to now");
	ok(has(t, "ptscope_tlb_flush_requests_total{pid=\"42\",comm=\"a\\\"b\\\\c\\nd\xef\xbf\xbd\","
		  "scope=\"full\"} 11\n"),
	   "metrics: comm escaped (quote, backslash, newline), invalid UTF-8 as U+FFFD");
	ok(has(t, "scope=\"ranged\"} 12\n") &&
	   has(t, "ptscope_tlb_shootdowns_sent_total{pid=\"42\"") &&
	   has(t, "result=\"major\"} 4\n") &&
	   has(t, "ptscope_tracked_seconds{pid=\"42\"") &&
	   lacks(t, "ptscope_tlb_flush_requests_total{pid=\"7\""),
	   "metrics: counters for the tracked process only");
	ok(has(t, "le=\"0.000000255\"} 3\n") && has(t, "le=\"0.000001023\"} 8\n") &&
	   has(t, "le=\"0.000262143\"} 8\n") && has(t, "le=\"0.001048575\"} 15\n") &&
	   has(t, "le=\"1.073741823\"} 15\n") && has(t, "le=\"+Inf\"} 16\n") &&
	   has(t, "\nptscope_fault_latency_seconds_sum{pid=\"42\",comm=\"a\\\"b\\\\c\\nd\xef\xbf\xbd\"} "
		  "1.500000000\nptscope_fault_latency_seconds_count{pid=\"42\",comm=\"a\\\"b\\\\c\\nd"
		  "\xef\xbf\xbd\"} 16\n") &&
	   count(t, "ptscope_fault_latency_seconds_bucket{") == 13 &&
	   strstr(t, "le=\"0.000000255\"") < strstr(t, "le=\"0.000001023\"") &&
	   strstr(t, "le=\"1.073741823\"") < strstr(t, "le=\"+Inf\""),
	   "metrics: the latency histogram's cumulative buckets from the module's log2 ones, "
	   "in order, then the exact sum and the count");
	ok(has(t, "ptscope_tracked_seconds{pid=\"42\",comm=\"a\\\"b\\\\c\\nd\xef\xbf\xbd\"} 3.500000000\n"),
	   "metrics: seconds from nanoseconds, exact");
	ok(has(t, "ptscope_resident_bytes{pid=\"7\",comm=\"bash\"} 40960\n") &&
	   has(t, "ptscope_resident_bytes{pid=\"42\"") &&
	   has(t, "ptscope_huge_bytes{pid=\"7\",comm=\"bash\",size=\"2M\"} 2097152\n") &&
	   has(t, "ptscope_page_table_bytes{pid=\"7\",comm=\"bash\",level=\"pte\"} 20480\n") &&
	   lacks(t, "level=\"p4d\"") &&
	   has(t, "ptscope_walk_age_seconds{pid=\"7\",comm=\"bash\"} 14.5\n"),
	   "metrics: walked gauges; a folded level has no series");
	ok(has(t, "ptscope_working_set_bytes{pid=\"42\"") && lacks(t, "ptscope_working_set_bytes{pid=\"7\"") &&
	   has(t, "ptscope_cold_bytes{pid=\"42\"") &&
	   has(t, "ptscope_heat_interval_seconds{pid=\"42\""),
	   "metrics: heat gauges only where sampled");
	ok(has(t, "ptscope_vma_resident_bytes{pid=\"7\",comm=\"bash\","
		  "kind=\"anon\",name=\"/usr/lib/x\\\"y\"} 32768\n") && lacks(t, "0x7f") &&
	   has(t, "ptscope_vma_series_dropped{pid=\"7\",comm=\"bash\"} 2\n"),
	   "metrics: per-VMA series by kind and name (no addresses) and what the cap dropped");
	ok(lacks(t, "# EOF") && lacks(t, "# UNIT"), "metrics: no OpenMetrics lines in the text format");
	free(t);

	t = render(&s, false, true);
	ok(t && has(t, "ptscope_resident_bytes{pid=\"7\",comm=\"bash\",cgroup=\"/user.slice\"} 40960\n"),
	   "metrics: --cgroup-label");
	free(t);

	/* Samples not yet spanning --cold-after: cold is unknown, not 0. */
	p[1].walk.has_cold = false;
	t = render(&s, false, false);
	ok(t && has(t, "ptscope_working_set_bytes{pid=\"42\"") && lacks(t, "ptscope_cold_bytes"),
	   "metrics: no cold series before the samples span --cold-after");
	free(t);
	p[1].walk.has_cold = true;

	/* Without the probes, no series (absent means not counted, not 0). */
	p[1].stats.have = PTSCOPE_PROBE_HANDLE_MM_FAULT;
	t = render(&s, false, false);
	ok(t && has(t, "ptscope_faults_total{") && lacks(t, "ptscope_tlb_") &&
	   lacks(t, "ptscope_fault_latency_seconds") && lacks(t, "result=\"major\""),
	   "metrics: counters of absent probes are left out");
	free(t);
}

static void test_openmetrics(void)
{
	struct metrics_snapshot s;
	struct metrics_proc p[2];
	struct metrics_vma top;
	char *t;

	build(&s, p, &top);
	t = render(&s, true, false);
	ok(t && has(t, "# TYPE ptscope_walks counter\nptscope_walks_total 9\n") &&
	   has(t, "# TYPE ptscope_tlb_flush_requests counter\n") &&
	   has(t, "# TYPE ptscope info\n") &&
	   has(t, "# UNIT ptscope_resident_bytes bytes\n") &&
	   has(t, "# UNIT ptscope_fault_latency_seconds seconds\n"),
	   "openmetrics: counter families without _total, info type, units");
	ok(t && strlen(t) > 6 && !strcmp(t + strlen(t) - 6, "# EOF\n") && count(t, "# EOF") == 1,
	   "openmetrics: ends with one # EOF");
	free(t);

	s.up = false;
	s.nr_procs = 0;
	t = render(&s, true, false);
	ok(t && has(t, "ptscope_up 0\n") && lacks(t, "ptscope_info") && has(t, "# EOF\n"),
	   "openmetrics: module absent: up 0, no info");
	free(t);
}

/* promtool's parser and linter on the text output, when installed. */
static void test_promtool(void)
{
	struct metrics_snapshot s;
	struct metrics_proc p[2];
	struct metrics_vma top;
	char path[] = "/tmp/ptscope-prom-XXXXXX", cmd[128];
	char *t;
	int fd, rc;

	if (access("/usr/bin/promtool", X_OK)) {
		ok(true, "promtool check metrics # SKIP promtool not installed");
		return;
	}
	build(&s, p, &top);
	t = render(&s, false, true);
	fd = mkstemp(path);
	if (fd < 0 || !t || write(fd, t, strlen(t)) != (ssize_t)strlen(t)) {
		ok(false, "promtool check metrics: temporary file");
		free(t);
		return;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s >&2", path);
	rc = system(cmd);
	ok(rc == 0, "promtool check metrics passes on every family (status %d)", rc);
	unlink(path);
	free(t);
}

static void test_accept(void)
{
	static const struct { const char *accept; bool om; } cases[] = {
		{ NULL, false },
		{ "", false },
		{ "*/*", false },
		{ "text/plain;version=0.0.4", false },
		/* Prometheus 2.42's own header. */
		{ "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
		  "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", true },
		{ "text/plain;q=0.9, application/openmetrics-text;q=0.5", false },
		{ "Application/OpenMetrics-Text", true },
		{ "application/openmetrics-text;q=0", false },
		{ "application/openmetrics-textx", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(prom_accepts_openmetrics(cases[i].accept) == cases[i].om,
		   "accept: '%s' -> %s", cases[i].accept ? cases[i].accept : "(none)",
		   cases[i].om ? "openmetrics" : "text");
}

static void write_file(const char *dir, int pid, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d", dir, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/%s", dir, pid, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void fake_proc(const char *dir, int pid, const char *comm, const char *cgroup,
		      bool kthread)
{
	char stat[256];

	write_file(dir, pid, "comm", comm);
	write_file(dir, pid, "cgroup", cgroup);
	/* A comm with ") (" in it: the parser must find the last ')'. */
	snprintf(stat, sizeof(stat), "%d (x) (y) S 1 1 1 0 -1 %u 0 0 0 0 0 0 0 0 20 0 1 0 %d 0\n",
		 pid, kthread ? 0x00200040u : 0x00400100u, 1000 + pid);
	write_file(dir, pid, "stat", stat);
}

static void test_select(void)
{
	char dir[] = "/tmp/ptscope-proc-XXXXXX", cmd[64];
	struct metrics_opts o = { 0 };
	pid_t pids[] = { 30, 10 }, *v = NULL;
	unsigned long long st = 0;
	regex_t re;
	size_t n = 0;
	char buf[64];

	if (!mkdtemp(dir)) {
		ok(false, "select: temporary directory");
		return;
	}
	fake_proc(dir, 10, "nginx\n", "0::/system.slice/nginx.service\n", false);
	fake_proc(dir, 11, "nginx-worker\n", "12:cpu:/x\n0::/system.slice/nginx.service/w\n", false);
	fake_proc(dir, 12, "bash\n", "0::/system.slice/nginx.servicex\n", false);
	fake_proc(dir, 13, "nginx\n", "0::/\n", true);
	ok(metrics_read_starttime(dir, 10, &st) && st == 1010, "select: starttime past a comm with ') ('");
	ok(metrics_read_cgroup(dir, 11, buf, sizeof(buf)) &&
	   !strcmp(buf, "/system.slice/nginx.service/w"), "select: the v2 line of /proc/PID/cgroup");
	ok(metrics_cgroup_within("/a/b", "/a/b") && metrics_cgroup_within("/a/b/c", "/a/b") &&
	   !metrics_cgroup_within("/a/bc", "/a/b") && metrics_cgroup_within("/a", "/"),
	   "select: cgroup containment at path boundaries");

	regcomp(&re, "^nginx$", REG_EXTENDED | REG_NOSUB);
	o.comm = &re;
	ok(!metrics_select(dir, &o, &v, &n) && n == 1 && v[0] == 10,
	   "select: --comm '^nginx$' (the kernel thread called nginx is not selected)");
	free(v);
	o.comm = NULL;
	o.cgroup = "/system.slice/nginx.service";
	o.pids = pids;
	o.nr_pids = 2;
	ok(!metrics_select(dir, &o, &v, &n) && n == 3 && v[0] == 10 && v[1] == 11 && v[2] == 30,
	   "select: --cgroup and its children, not a sibling with the same prefix; "
	   "with --pid: sorted, once each");
	free(v);
	regfree(&re);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "# could not remove %s\n", dir);
}

void test_metrics(void)
{
	test_text();
	test_openmetrics();
	test_promtool();
	test_accept();
	test_select();
}
