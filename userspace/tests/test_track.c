// SPDX-License-Identifier: GPL-2.0
/*
 * Tracking: `ptscope track|stats|watch` end to end against the fake kernel
 * (tests/fake_track.c), with golden files for stats (text, JSON) and
 * watch's line modes (`make update-golden` rewrites them on purpose).
 * test_track_lib.c tests libptscope's side first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include "cli_run.h"
#include "fake_kernel.h"
#include "fake_track.h"
#include "ptscope_priv.h"
#include "tracking.h"
#include "tap.h"

/* ---- CLI ---- */

static time_t fixed_time(time_t *t)
{
	if (t)
		*t = 1700000000;
	return 1700000000;	/* 2023-11-14T22:13:20Z */
}

static void track_setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	fk.respond_track = fake_track_respond;
	watch_now = fixed_time;
}

/* `ptscope ARGS...` (NULL-terminated) in a child, fake kernel in ft.mode. */
#define run(locale, ...) cli_runl(track_setup, locale, NULL, __VA_ARGS__)

static bool has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

static void golden(const char *name, const struct result *r)
{
	golden_text(name, r->out);
}

static void test_cli_stats(void)
{
	struct result r;

	ft_reset(FT_FULL);
	r = run("C", "stats", "42", NULL);
	ok(r.rc == 0 && !r.err[0], "stats: exit 0, nothing on stderr");
	golden("stats.txt", &r);
	ok(has(r.out, "(gone)") && has(r.out, "[heap]") && has(r.out, "\\012\\033[2Jname"),
	   "stats: ranges named from current VMAs, gone ones said so, names escaped");
	done(&r);

	r = run("C.UTF-8", "stats", "42", "--color=always", "--top", "2", NULL);
	ok(r.rc == 0 && has(r.out, "\033[1m") && has(r.out, "\u2588") && has(r.out, "\u00b5s") &&
	   has(r.out, "top 2 of 4 ranges"), "stats: colour, block bars, µs, --top");
	done(&r);

	r = run("C", "stats", "42", "--json", NULL);
	ok(r.rc == 0 && !r.err[0], "stats --json: exit 0");
	golden("stats.json", &r);
	json_lines_check(r.out, "d[\"faults\"][\"total\"] == 1234 and len(d[\"tlb\"][\"cpus\"]) == 3 "
		   "and d[\"ranges\"][0][\"name\"] == \"[heap]\" and d[\"ranges\"][1][\"gone\"] "
		   "and len(d[\"probes\"]) == 9 and len(d[\"latency\"][\"hist\"]) == 32",
		   "stats --json parses; ranges by faults");
	done(&r);

	ft_reset(FT_PARTIAL);
	r = run("C", "stats", "42", NULL);
	ok(r.rc == 0, "stats partial: exit 0");
	golden("stats-partial.txt", &r);
	ok(has(r.out, "n/a (kernel lacks flush_tlb_multi())") &&
	   has(r.out, "n/a (kernel lacks do_swap_page())"), "stats partial: n/a, not 0");
	done(&r);
	r = run("C", "stats", "42", "--json", NULL);
	json_lines_check(r.out, "\"shootdowns\" not in d[\"tlb\"] and \"swapins\" not in d[\"faults\"] "
		   "and \"tp_remote\" not in d[\"tlb\"][\"cpus\"][0] and d[\"tlb\"][\"received\"] == 150",
		   "stats --json partial: absent counters are absent keys");
	done(&r);

	/* Before 6.14 without fault_latency=1: no return side, said why. */
	ft_reset(FT_ENTRY);
	r = run("C", "stats", "42", NULL);
	ok(r.rc == 0 && has(r.out, "faults                1234 entered\n") &&
	   has(r.out, "minor/major, errors   n/a (counted at entry only") &&
	   has(r.out, "Fault latency (handle_mm_fault): n/a (counted at entry only") &&
	   has(r.out, "   800     n/a  ") && has(r.out, "fault_latency=1") &&
	   !has(r.out, "ptscope vs task") && !has(r.out, "retried"),
	   "stats at entry only: faults entered, the rest n/a with the reason");
	done(&r);
	r = run("C", "stats", "42", "--json", NULL);
	json_lines_check(r.out, "d[\"faults\"][\"total\"] == 1234 and \"minor\" not in d[\"faults\"] "
		   "and \"latency\" not in d and \"major\" not in d[\"ranges\"][0] "
		   "and d[\"ranges\"][0][\"faults\"] == 800 and \"fault_return\" not in d[\"probes\"]",
		   "stats --json at entry only: the return side's keys are absent");
	done(&r);
	r = run("C", "watch", "42", "--interval", "0.01", "--count", "2", NULL);
	ok(r.rc == 0 && has(r.out, " faults/s ") && !has(r.out, "minor"),
	   "watch at entry only: faults/s, no minor/major");
	done(&r);

	ft_reset(FT_BIG);
	r = run("C", "stats", "42", "--json", NULL);
	json_lines_check(r.out, "len(d[\"ranges\"]) == 300 and len(d[\"tlb\"][\"cpus\"]) == 64 and "
		   "d[\"ranges\"][0][\"faults\"] == 300", "stats --json: big reply, every range");
	done(&r);

	ft_reset(FT_NOT_TRACKED);
	r = run("C", "stats", "42", "--json", NULL);
	ok(r.rc == 1 && !r.out[0], "stats not tracked: exit 1, no JSON");
	is_str(r.err, "ptscope: No such file or directory: process is not tracked\n"
	       "ptscope: start tracking first: ptscope track start 42\n",
	       "stats not tracked: kernel message and the hint");
	done(&r);
}

static void test_cli_track(void)
{
	struct result r;

	ft_reset(FT_FULL);
	r = run("C", "track", "start", "42", "43", NULL);
	ok(r.rc == 0 && !strcmp(r.out, "tracking pid 42\n") &&
	   has(r.err, "pid 43 is already tracked"), "track start: one new, one already tracked");
	done(&r);
	r = run("C", "track", "start", "42", "43", "--json", NULL);
	is_str(r.out, "{\"started\":[42],\"already\":[43]}\n", "track start --json");
	done(&r);
	r = run("C", "track", "start", "44", "42", NULL);
	ok(r.rc == 1 && has(r.out, "tracking pid 42") &&
	   has(r.err, "ptscope: No such process: no such process"),
	   "track start: a failure fails the command, the others still start");
	done(&r);
	r = run("C", "track", "stop", "--all", NULL);
	ok(r.rc == 0 && !strcmp(r.out, "stopped tracking 3 processes\n"), "track stop --all");
	done(&r);
	r = run("C", "--json", "track", "stop", "5", "6", NULL);
	is_str(r.out, "{\"stopped\":2}\n", "track stop PIDs --json");
	done(&r);
	r = run("C", "track", "stop", "99", NULL);
	ok(r.rc == 1 && has(r.err, "process is not tracked"), "track stop untracked: exit 1");
	done(&r);
	r = run("C", "track", "list", NULL);
	ok(r.rc == 0 && has(r.out, "      7  sleeper") && has(r.out, "     42  workload") &&
	   has(r.out, "12.5 s") && strstr(r.out, "  7  ") < strstr(r.out, " 42  "),
	   "track list: one line per process, by PID");
	done(&r);
	r = run("C", "track", "list", "--json", NULL);
	is_str(r.out, "{\"tracked\":[{\"pid\":7,\"comm\":\"sleeper\",\"track_ns\":12500000000,"
	       "\"faults\":1234,\"shootdowns\":80},{\"pid\":42,\"comm\":\"workload\","
	       "\"track_ns\":12500000000,\"faults\":1234,\"shootdowns\":80}]}\n",
	       "track list --json");
	done(&r);
}

static void test_cli_watch(void)
{
	struct result r;
	FILE *log;
	char *l;

	ft_reset(FT_FULL);
	r = run("C", "watch", "42", "--interval", "0", "--count", "2", NULL);
	ok(r.rc == 0 && !r.err[0], "watch (not a terminal): exit 0");
	golden("watch-plain.txt", &r);
	ok(has(r.out, "2023-11-14T22:13:20 pid 42 faults/s 100.0 minor 90.0 major 10.0"),
	   "watch: rates over the kernel's tracking clock");
	done(&r);

	r = run("C", "watch", "42", "--interval=0", "--count=2", "--json", NULL);
	ok(r.rc == 0, "watch --json: exit 0");
	golden("watch.jsonl", &r);
	json_lines_check(r.out, "len(L) == 2 and d[\"per_s\"][\"faults\"] == 100.0 and "
		   "d[\"ranges\"][0][\"name\"] == \"[heap]\" and d[\"ranges\"][1][\"gone\"]",
		   "watch --json: one JSON object per line");
	done(&r);

	ft_reset(FT_PARTIAL);
	r = run("C", "watch", "42", "--interval", "0", "--count", "1", NULL);
	ok(r.rc == 0 && has(r.out, "shootdowns/s sent n/a received 9.0"),
	   "watch partial: n/a for a missing probe");
	done(&r);

	ft_reset(FT_FULL);
	ft.exit_after = 2;
	r = run("C", "watch", "42", "--interval", "0", "--count", "5", NULL);
	ok(r.rc == 0 && has(r.out, "faults/s") && !strchr(strchr(r.out, '\n') + 1, '\n') &&
	   has(r.err, "pid 42 is no longer tracked"),
	   "watch: process gone after one interval: message, exit 0");
	done(&r);
	ft.exit_after = 1;
	r = run("C", "watch", "42", "--interval", "0", "--count", "5", NULL);
	ok(r.rc == 1 && !r.out[0] && has(r.err, "no longer tracked"),
	   "watch: gone before any interval: exit 1");
	done(&r);

	ft_reset(FT_FULL);
	ft.need_start = true;
	r = run("C", "watch", "42", "--interval", "0", "--count", "1", NULL);
	ok(r.rc == 1 && has(r.err, "ptscope track start 42"), "watch untracked: hint, exit 1");
	done(&r);
	log = tmpfile();
	ft.log = log;
	r = run("C", "watch", "42", "--start", "--interval", "0", "--count", "1", NULL);
	ft.log = NULL;
	l = slurp(log);
	fclose(log);
	ok(r.rc == 0 && has(r.out, "faults/s"), "watch --start: tracks, then watches");
	is_str(l, "get-stats 42 0\ntrack-start 42 0\nget-stats 42 0\nget-stats 42 0\n"
	       "track-stop 42 0\n", "watch --start: starts tracking and stops it at the end");
	free(l);
	done(&r);
}

/* watch on a terminal: keys once the first screen is up (raw mode, handlers set). */
static char *run_pty(const char *keys, int *rc, bool *cooked_after, char **argv)
{
	return cli_run_pty(track_setup, keys, "(first interval...)", rc, cooked_after, argv);
}

static void test_cli_watch_tty(void)
{
	char *out;
	bool cooked;
	int rc;

	ft_reset(FT_FULL);
	out = run_pty(NULL, &rc, &cooked,
		      (char *[]){ "ptscope", "watch", "42", "--interval", "0", "--count", "2", NULL });
	ok(rc == 0 && has(out, "\033[?1049h\033[?25l") && has(out, "HOTTEST RANGES") &&
	   has(out, "[heap]") && has(out, "100.0"),
	   "watch on a terminal: alternate screen, cursor hidden, rates and ranges");
	ok(has(out, "\033[?25h\033[?1049l"), "watch on a terminal: screen and cursor restored");
	free(out);

	out = run_pty("q", &rc, &cooked,
		      (char *[]){ "ptscope", "watch", "42", "--interval", "30", "--count", "1", NULL });
	ok(rc == 0 && has(out, "\033[?25h\033[?1049l"), "watch: q quits at once, screen restored");
	ok(cooked, "watch: terminal back in canonical mode with echo after q");
	free(out);

	out = run_pty("\003", &rc, &cooked,
		      (char *[]){ "ptscope", "watch", "42", "--interval", "30", "--count", "1", NULL });
	ok(rc == 0 && has(out, "\033[?25h\033[?1049l") && cooked,
	   "watch: Ctrl-C quits cleanly, terminal restored");
	free(out);
}

static void test_cli_usage(void)
{
	static const char *const cases[][5] = {
		{ "track", NULL },
		{ "track", "bogus", NULL },
		{ "track", "start", NULL },
		{ "track", "start", "0", NULL },
		{ "track", "stop", NULL },
		{ "track", "stop", "--all", "42", NULL },
		{ "track", "start", "--all", "42", NULL },
		{ "track", "list", "42", NULL },
		{ "stats", NULL },
		{ "stats", "42", "43", NULL },
		{ "stats", "42", "--top", "0", NULL },
		{ "stats", "42", "--interval", "1", NULL },
		{ "watch", "42", "--interval", "-1", NULL },
		{ "watch", "42", "--count", "0", NULL },
		{ "watch", "42", "--count", NULL },
		{ "maps", "42", "--top", "3", NULL },
		{ "--all", "stats", "42", NULL },
	};
	struct result r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i];

		r = run("C", a[0], a[1], a[2], a[3], a[4]);
		ok(r.rc == 2 && !r.out[0] && has(r.err, "ptscope: "),
		   "usage error exits 2: %s %s %s %s", a[0], a[1] ? a[1] : "",
		   a[1] && a[2] ? a[2] : "", a[1] && a[2] && a[3] ? a[3] : "");
		done(&r);
	}
	r = run("C", "--help", NULL);
	ok(has(r.out, "track start|stop|list") && has(r.out, "--interval S"),
	   "--help lists track, stats, watch and their options");
	done(&r);
}

void test_track(void)
{
	test_cli_stats();
	test_cli_track();
	test_cli_watch();
	test_cli_watch_tty();
	test_cli_usage();
	drop_queue();
	memset(&ft, 0, sizeof(ft));
	fk.respond_track = NULL;
}
