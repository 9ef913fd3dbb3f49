// SPDX-License-Identifier: GPL-2.0
/*
 * `ptscope heat` and `record --heat` end to end against the fake kernel's
 * scripted process (tests/fake_access.c), with golden files for the text
 * map (fixed width, no colour), the JSON lines and the SVG, and every
 * figure worked out by hand below and checked on the parsed JSON.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "fake_access.h"
#include "fake_kernel.h"
#include "heat_series.h"
#include "tap.h"

#define FILE_K	PTSCOPE_VMA_KIND_FILE
#define HEAP_K	PTSCOPE_VMA_KIND_HEAP
#define ANON_K	PTSCOPE_VMA_KIND_ANON
#define NAMED_K	PTSCOPE_VMA_KIND_ANON_NAMED
#define V1	0x400000, 0x404000, "/usr/bin/app", FILE_K
#define V2	0x600000, 0x608000, "[heap]", HEAP_K
#define V3	0x7f0000000000ULL, 0x7f0000002000ULL, "", ANON_K
#define V4	0x7f1000000000ULL, 0x7f1000001000ULL, "cache", NAMED_K

/*
 * Ages at the end (0 = accessed in the last interval):
 *   app   2 1 3 3 (only page 0 present)    heap 1 2 2 2 3 3 3 0
 *   anon  1 3                              cache 0 (new in interval 3)
 * WSS 6, 4, 2 pages; present 13, 12, 12.
 */
static const struct fa_interval script[] = {
	{ { { V1, "AAp." }, { V2, "AAAApppp" }, { V3, "pp" } } },
	{ { { V1, "pA.." }, { V2, "AppppppA" }, { V3, "Ap" } } },
	{ { { V1, "p..." }, { V2, "pppppppA" }, { V3, "pp" }, { V4, "A" } } },
};

static uint64_t fake_clock(void)
{
	static uint64_t t;

	return t++ * 1000000000ULL;	/* every sample one second later */
}

static void heat_setup(void)
{
	setenv("COLUMNS", "40", 1);
	fk.respond_access = fake_access_respond;
	heat_clock_ns = fake_clock;
}

/* `ptscope ARGS...` in a child: 40 columns, fake kernel and clock. */
#define run(locale, stdout_path, ...) cli_runl(heat_setup, locale, stdout_path, __VA_ARGS__)

static bool has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

static void reset(void)
{
	memset(&fa, 0, sizeof(fa));
	fa.script = script;
	fa.nr = 3;
}

static void test_text(void)
{
	struct result r;

	reset();
	r = run("C", NULL, "heat", "42", "--interval", "0", "--count", "3", NULL);
	ok(r.rc == 0 && !r.err[0], "heat --count 3: exit 0, nothing on stderr");
	golden_text("heat.txt", r.out);
	/* Axis: 31 columns; app 10 [0,10), hole, heap 12 [11,23), hole, anon 7. */
	ok(has(r.out, "     VMA A         |B           |C      \n"
		   " ADDRESS 400000    |600000      |       \n"),
	   "axis: a letter at each VMA's first column, its address where it fits, | at holes");
	/* app pages 0-3 at columns 0 2 5 7; heap 8 pages at 11 12 14 15 17 18 20 21;
	 * anon 2 pages at 24 27 */
	ok(has(r.out, "    1.0s @ @  .    |@@ @@ .. .. |.  .   \n") &&
	   has(r.out, "    2.0s . @       |@. .. .. .@ |@  .   \n") &&
	   has(r.out, "    3.0s .         |.. .. .. .@ |.  .   \n"),
	   "rows: accessed @, present but not accessed ., absent blank");
	ok(has(r.out, "A    000000400000-000000404000    16K        0      0     4K     8K  /usr/bin/app\n") &&
	   has(r.out, "B    000000600000-000000608000    32K       4K     4K   9.3K    16K  [heap]\n") &&
	   has(r.out, "C    7f0000000000-7f0000002000     8K        0      0   1.3K     4K  \n") &&
	   has(r.out, "-    7f1000000000-7f1000001000     4K       4K     4K     4K     4K  [anon:cache]\n") &&
	   has(r.out, "total                             60K       8K     8K    16K    24K  3 intervals\n"),
	   "per-VMA WSS last/min/mean/max (heap: 4, 2, 1 pages: mean 9.3K)");
	ok(has(r.out, ">= 1                    1.0 s      40K       83.3%\n") &&
	   has(r.out, ">= 2                    2.0 s      32K       66.7%\n") &&
	   !has(r.out, ">= 4") && has(r.out, "present 48K;"),
	   "idle histogram: 10 of 12 present pages idle >= 1, 8 >= 2");
	ok(has(r.out, "1 page access (over all intervals) fell outside the map's VMAs"),
	   "the VMA mapped later: its access counted, said not drawn");
	done(&r);

	r = run("C.UTF-8", NULL, "heat", "42", "--interval", "0", "--count", "1",
		"--color=always", NULL);
	ok(r.rc == 0 && has(r.out, "\033[31m\u2588") && has(r.out, "\033[2m\u00b7") &&
	   has(r.out, "\u2502"), "UTF-8 and colour: blocks, dots, red for hot, a line for holes");
	done(&r);
}

static void test_heat_json(void)
{
	struct result r;

	reset();
	r = run("C", NULL, "heat", "42", "--interval", "0", "--count", "3", "--json", NULL);
	ok(r.rc == 0 && !r.err[0], "heat --json: exit 0");
	golden_text("heat.jsonl", r.out);
	json_lines_check(r.out, "len(L) == 4 and [x[\"wss_bytes\"] for x in L[:3]] == [24576, 16384, 8192] "
		   "and [x[\"present_pages\"] for x in L[:3]] == [13, 12, 12] and "
		   "[x[\"time_ns\"] for x in L[:3]] == [10**9, 2 * 10**9, 3 * 10**9] and "
		   "L[2][\"off_map_pages\"] == 1", "heat --json: per-interval WSS and present");
	json_lines_check(r.out, "L[0][\"access_stats\"] == {\"entries\": 14, \"present\": 13, "
		   "\"accessed\": 6, \"cleared\": 6, \"young_marked\": 0, \"flushes\": 1, "
		   "\"flush_cpus\": 2} and [v[\"wss_pages\"] for v in L[1][\"vmas\"]] == [1, 2, 1] "
		   "and L[0][\"cells\"][:3] == [100, None, 100]",
		   "heat --json: access-stats of each sample, per-VMA WSS, cells");
	json_lines_check(r.out, "S[\"type\"] == \"summary\" and S[\"end\"] == \"count\" and "
		   "S[\"intervals\"] == 3 and [b[\"bytes\"] for b in S[\"idle_hist\"]][:3] == "
		   "[40960, 32768, 0] and S[\"wss\"] == {\"last_bytes\": 8192, \"min_bytes\": 8192, "
		   "\"mean_bytes\": 16384, \"max_bytes\": 24576}",
		   "heat --json summary: histogram, WSS figures");
	json_lines_check(r.out, "[(int(x[\"start\"], 16), x[\"pages\"], x[\"age\"]) for x in "
		   "S[\"idle_runs\"]] == [(0x400000, 1, 2), (0x600000, 1, 1), (0x601000, 3, 2), "
		   "(0x604000, 3, 3), (0x607000, 1, 0), (0x7f0000000000, 1, 1), "
		   "(0x7f0000001000, 1, 3), (0x7f1000000000, 1, 0)] and "
		   "[(v.get(\"axis\"), v[\"wss_mean_bytes\"], v[\"wss_max_bytes\"]) for v in "
		   "S[\"vmas\"]] == [(\"A\", 4096, 8192), (\"B\", 9557, 16384), (\"C\", 1365, 4096), "
		   "(None, 4096, 4096)] and S[\"axis\"][\"holes\"] == [10, 23]",
		   "heat --json summary: idle ages as runs, per-VMA stats, axis");
	done(&r);
}

/* --range goes to the kernel in every request, whole pages. */
static void test_range(void)
{
	struct result r;
	char *l;

	reset();
	fa.log = tmpfile();
	r = run("C", NULL, "heat", "42", "--range", "600001-603fff", "--interval", "0",
		"--count", "1", "--json", NULL);
	l = slurp(fa.log);
	fclose(fa.log);
	fa.log = NULL;
	is_str(l, "sample-access 600000 604000 1\nget-vmas 600000 604000 1\n"
	       "sample-access 600000 604000 0\n",
	       "--range: priming sample (DISCARD), get-vmas (NO_COUNTS), sample, "
	       "all over whole pages of the range");
	/* This fake sends every page: only heap pages 0-3 (AAAA) count. */
	json_lines_check(r.out, "d[\"wss_pages\"] == 4 and d[\"present_pages\"] == 4 and "
			 "[v[\"start\"] for v in d[\"vmas\"]] == [\"0x600000\"] and "
			 "d[\"vmas\"][0][\"end\"] == \"0x604000\"",
			 "--range: only the range's pages and VMA part count");
	free(l);
	done(&r);
}

static void test_errors(void)
{
	struct result r;

	reset();
	fa.eperm = true;
	r = run("C", NULL, "heat", "42", "--interval", "0", "--count", "1", NULL);
	ok(r.rc == 1 && !r.out[0] &&
	   has(r.err, "ptscope: Operation not permitted: sample-access writes the target's "
	       "page tables: CAP_SYS_ADMIN only\n") && has(r.err, "it needs CAP_SYS_ADMIN"),
	   "EPERM: the kernel's message and why heat needs CAP_SYS_ADMIN");
	done(&r);

	reset();
	fa.exit_after = 2;
	r = run("C", NULL, "heat", "42", "--interval", "0", "--count", "5", "--json", NULL);
	ok(r.rc == 0 && has(r.err, "pid 42 is gone (exited or exec'd) after 2 intervals; "
			    "the series ends there"),
	   "process exits: the series ends cleanly, said on stderr");
	json_lines_check(r.out, "len(L) == 3 and S[\"end\"] == \"exited\" and S[\"intervals\"] == 2",
		   "process exits: the 2 intervals taken are kept");
	done(&r);

	reset();
	fa.exit_mid = 2;
	r = run("C", NULL, "heat", "42", "--interval", "0", "--count", "5", "--json", NULL);
	json_lines_check(r.out, "len(L) == 2 and S[\"intervals\"] == 1 and L[0][\"wss_pages\"] == 6",
		   "exit mid-dump: the unfinished interval is dropped whole");
	ok(r.rc == 0 && has(r.err, "after 1 interval;"), "exit mid-dump: exit 0, said");
	done(&r);

	reset();
	r = run("C", NULL, "heat", "--input", "x", "--count", "2", NULL);
	ok(r.rc == 2 && has(r.err, "fixed when the recording was made"),
	   "--input with --count: usage error");
	done(&r);
	r = run("C", NULL, "heat", "42", "--json", "--svg", "-", NULL);
	ok(r.rc == 2 && has(r.err, "give --svg/--html a file"), "--json with --svg to stdout: usage");
	done(&r);
	r = run("C", NULL, "heat", NULL);
	ok(r.rc == 2 && has(r.err, "usage: ptscope heat PID"), "heat without a PID: usage");
	done(&r);
	r = run("C", NULL, "heat", "42", "--interval", "-1", NULL);
	ok(r.rc == 2 && has(r.err, "invalid --interval"), "heat --interval -1: usage");
	done(&r);
	r = run("C", NULL, "record", "42", "--count", "2", NULL);
	ok(r.rc == 2 && has(r.err, "for record --heat"), "record --count without --heat: usage");
	done(&r);
	r = run("C", NULL, "heat", "--input", "/nonexistent.jsonl", NULL);
	ok(r.rc == 1 && has(r.err, "/nonexistent.jsonl: No such file"), "--input missing file");
	done(&r);
}

static bool same(struct result *a, struct result *b, bool rc_ok)
{
	bool s = (!rc_ok || (a->rc == 0 && b->rc == 0)) && a->out[0] && !strcmp(a->out, b->out);

	if (!s)
		printf("#   live:\n%s#   replay:\n%s#   replay err: %s\n", a->out, b->out, b->err);
	done(a);
	done(b);
	return s;
}

static void test_record(void)
{
	char path[] = "/tmp/ptscope-heat.XXXXXX";
	static const char *const views[][3] = {
		{ NULL }, { "--json", NULL }, { "--svg", "-", NULL }, { "--html", "-", NULL },
	};
	struct result r, a, b;
	char *doc;
	FILE *f;

	close(mkstemp(path));
	reset();
	r = run("C", path, "record", "42", "--heat", "--interval", "0", "--count", "3", NULL);
	ok(r.rc == 0 && !r.err[0], "record --heat: exit 0");
	done(&r);
	f = fopen(path, "r");
	doc = f ? slurp(f) : NULL;
	if (f)
		fclose(f);
	json_lines_check(doc, "len(L) == 5 and L[0][\"format\"] == \"ptscope-heat\" and "
		   "L[0][\"interval_ns\"] == 0 and [x[\"interval\"] for x in L[1:4]] == [1, 2, 3] "
		   "and S == {\"end\": \"count\", \"intervals\": 3} and "
		   "L[1][\"blocks\"][0] == {\"start\": \"0x400000\", \"pages\": 3, \"states\": \"HwA=\"} "
		   "and L[1][\"blocks\"][1] == {\"start\": \"0x600000\", \"pages\": 8, \"states\": \"/1U=\"} "
		   "and L[1][\"blocks\"][2] == {\"start\": \"0x7f0000000000\", \"pages\": 2, \"fill\": 1} "
		   "and L[3][\"vmas\"][3][\"name\"] == \"[anon:cache]\" and \"vmas\" in L[1] "
		   "and \"vmas\" not in L[2]",
		   "record --heat: header, a line per interval (blocks as the kernel sent "
		   "them; VMAs only when they changed), end line");
	free(doc);
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		const char *const *v = views[i];

		reset();
		a = run("C", NULL, "heat", "42", "--interval", "0", "--count", "3", v[0], v[1], NULL);
		b = run("C", NULL, "heat", "--input", path, v[0], v[1], NULL);
		ok(same(&a, &b, true), "heat --input renders as the live series: heat%s%s",
		   v[0] ? " " : "", v[0] ? v[0] : "");
	}
	reset();
	a = run("C", NULL, "heat", "42", "--interval", "0", "--count", "3", "--svg", "-", NULL);
	golden_text("heat.svg", a.out);
	ok(has(a.out, "time since the first sample (s)") && has(a.out, "A 0x400000</text>") &&
	   has(a.out, "Working set per interval (bytes of the pages accessed") &&
	   has(a.out, "% of the column's present pages accessed"),
	   "SVG: both axes labelled, units said, a WSS curve");
	done(&a);

	/* The process exiting is kept in the recording and said again. */
	reset();
	fa.exit_after = 1;
	r = run("C", path, "record", "42", "--heat", "--interval", "0", NULL);
	ok(r.rc == 0 && has(r.err, "after 1 interval;"), "record --heat: process exits, exit 0");
	done(&r);
	r = run("C", NULL, "heat", "--input", path, "--json", NULL);
	json_lines_check(r.out, "S[\"end\"] == \"exited\" and S[\"intervals\"] == 1",
		   "heat --input: the recorded end");
	ok(has(r.err, "after 1 interval;"), "heat --input: says the process exited");
	done(&r);

	f = fopen(path, "w");
	fputs("{\"format\":\"ptscope-heat\",\"version\":1,\"pid\":1,\"page_size\":4096,"
	      "\"interval_ns\":1}\n{\"interval\":1,\"time_ns\":1,\"vmas\":[],\"blocks\":"
	      "[{\"start\":\"0x1000\",\"pages\":4,\"states\":\"!!\"}]}\n", f);
	fclose(f);
	r = run("C", NULL, "heat", "--input", path, NULL);
	ok(r.rc == 1 && has(r.err, ":2: bad block"), "--input: a bad line is named by its number");
	done(&r);
	f = fopen(path, "w");
	fputs("{\"format\":\"ptscope-heat\",\"version\":1,\"pid\":1,\"page_size\":4096,"
	      "\"interval_ns\":1}\n{\"interval\":1,\"time_ns\":1,\"blocks\":[]}\n", f);
	fclose(f);
	r = run("C", NULL, "heat", "--input", path, NULL);
	ok(r.rc == 1 && has(r.err, ":2: an interval needs"),
	   "--input: the first interval must give its VMAs");
	done(&r);

	/* A recording killed mid-line: read up to its last whole line. */
	reset();
	r = run("C", path, "record", "42", "--heat", "--interval", "0", "--count", "2", NULL);
	done(&r);
	f = fopen(path, "r+");
	doc = slurp(f);
	/* drop the end line and half of interval 2's */
	*strrchr(doc, '{') = '\0';
	doc[strlen(doc) - 1] = '\0';
	doc[strlen(doc) - 40] = '\0';
	fclose(f);
	f = fopen(path, "w");
	fputs(doc, f);
	fclose(f);
	free(doc);
	r = run("C", NULL, "heat", "--input", path, "--json", NULL);
	json_lines_check(r.out, "len(L) == 2 and S[\"intervals\"] == 1 and "
			 "S[\"end\"] == \"interrupted\"",
			 "--input of a recording cut mid-line: the whole intervals, interrupted");
	ok(r.rc == 0 && has(r.err, "its last line was cut short"), "... and says so");
	done(&r);
	r = run("C", NULL, "heat", "--input", "tests/golden/heat.svg", NULL);
	ok(r.rc == 1 && has(r.err, "tests/golden/heat.svg:1:1: "),
	   "--input of a non-JSON file: FILE:LINE:COL of the error");
	done(&r);

	f = fopen(path, "w");
	fputs("{\"format\":\"ptscope-heat\",\"version\":1,\"pid\":1,\"page_size\":4096,"
	      "\"interval_ns\":1}\n{\"interval\":1,\"time_ns\":1,\"vmas\":[],\"blocks\":"
	      "[{\"start\":\"0x1000\",\"pages\":5000000000,\"fill\":3}]}\n", f);
	fclose(f);
	r = run("C", NULL, "heat", "--input", path, NULL);
	ok(r.rc == 1 && has(r.err, ":2: bad block"),
	   "--input: a block larger than the kernel's u32 page count is refused");
	done(&r);
	unlink(path);
}

/* heat on a terminal without --count: redrawn live until q. */
static void test_live(void)
{
	char *argv[] = { "ptscope", "heat", "42", "--interval", "0.05", NULL };
	bool cooked;
	char *out;
	int rc;

	reset();
	/* q once a few screens are up */
	out = cli_run_pty(heat_setup, "q", "3 intervals\r\n", &rc, &cooked, argv);
	ok(cooked, "heat live: terminal back in canonical mode with echo after q");
	ok(rc == 0 && has(out, "\033[?1049h") && has(out, "q: quit") &&
	   has(out, "WSS 8K\033[0m (min 8K, mean 16K, max 24K) of 48K present, 3 intervals") &&
	   has(out, "idle  >=1: 40K  >=2: 32K (intervals: bytes)") &&
	   has(out, "most used: B 4K [heap], - 4K [anon:cache]") &&
	   has(out, "\033[?25h\033[?1049l"),
	   "heat live: alternate screen redrawn each interval, restored after q");
	{
		/* After the screen: the result, map and tables, left on the terminal. */
		const char *after = strstr(out, "\033[?1049l");

		ok(after && has(after, "     VMA A") && has(after, "AXIS START-END") &&
		   has(after, "Idle memory after"), "heat live: the result printed after q");
	}
	free(out);
}

void test_heat_cli(void)
{
	test_live();
	test_text();
	test_heat_json();
	test_range();
	test_errors();
	test_record();
}
