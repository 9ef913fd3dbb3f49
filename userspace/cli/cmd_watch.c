// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope watch PID [--interval S] [--count N] [--start] [--top N]
 *
 * Per-second rates of faults and TLB shootdowns from successive get-stats,
 * over the kernel's own tracking clock (track_ns), so a slow round trip
 * does not distort them.  On a terminal: a top-like view on the alternate
 * screen, redrawn every interval, q or Ctrl-C to quit.  Otherwise one
 * line per interval (--json: one JSON object per line), until --count
 * intervals, SIGINT/SIGTERM, or the process's end.
 *
 * The process exiting (or execve, or someone stopping the tracking) ends
 * the watch with a message on stderr; the exit status is 0 if at least one
 * interval was shown, 1 otherwise.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"
#include "json.h"
#include "tracking.h"
#include "term.h"

struct watch_opts {
	const char *interval;	/* --interval SECONDS */
	const char *count;	/* --count N */
	int start;		/* --start: track for the watch's duration */
	const char *top;	/* --top N: ranges shown */
};

static const struct cli_option watch_options[] = {
	CLI_OPT_ARG(struct watch_opts, interval, "--interval", "S",
		    "seconds between samples (default 1; fractions\n"
		    "allowed, 0: back to back)"),
	CLI_OPT_ARG(struct watch_opts, count, "--count", "N",
		    "stop after N intervals"),
	CLI_OPT_FLAG(struct watch_opts, start, "--start", 1,
		     "start tracking if needed, stop at the end"),
	CLI_OPT_ARG(struct watch_opts, top, "--top", "N",
		    "ranges shown (1 to 1000, default 10)"),
	{ NULL }
};

#define DEFAULT_TOP	10

time_t (*watch_now)(time_t *) = time;

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* ---- rates ---- */

struct hot {
	uint64_t start, end, delta, total;
};

struct rates {
	double secs;
	uint64_t interval_ns;
	uint64_t faults, minor, major, sent, received;	/* deltas */
	struct hot *hot;
	int nr_hot;
};

static uint64_t delta(uint64_t now, uint64_t then)
{
	return now >= then ? now - then : 0;
}

static int cmp_hot(const void *a, const void *b)
{
	const struct hot *x = a, *y = b;

	if (x->delta != y->delta)
		return x->delta < y->delta ? 1 : -1;
	return (x->start > y->start) - (x->start < y->start);
}

/* Both range lists are in address order: walk them together. */
static int compute(const struct ptscope_stats *a, const struct ptscope_stats *b,
		   double interval, struct rates *r)
{
	int i = 0;

	memset(r, 0, sizeof(*r));
	r->interval_ns = delta(b->track_ns, a->track_ns);
	r->secs = r->interval_ns ? (double)r->interval_ns / 1e9 : interval;
	r->faults = delta(b->faults, a->faults);
	r->minor = delta(b->minor, a->minor);
	r->major = delta(b->major, a->major);
	r->sent = delta(b->tlb_shootdowns, a->tlb_shootdowns);
	r->received = delta(b->tlb_received, a->tlb_received);
	if (!b->nr_ranges)
		return 0;
	r->hot = calloc((size_t)b->nr_ranges, sizeof(*r->hot));
	if (!r->hot)
		return -ENOMEM;
	for (int k = 0; k < b->nr_ranges; k++) {
		const struct ptscope_range_stats *n = &b->ranges[k];
		uint64_t before = 0;

		while (i < a->nr_ranges && (a->ranges[i].start < n->start ||
		       (a->ranges[i].start == n->start && a->ranges[i].end < n->end)))
			i++;
		if (i < a->nr_ranges && a->ranges[i].start == n->start &&
		    a->ranges[i].end == n->end)
			before = a->ranges[i].faults;
		if (n->faults > before) {
			r->hot[r->nr_hot++] = (struct hot){
				n->start, n->end, n->faults - before, n->faults,
			};
		}
	}
	qsort(r->hot, (size_t)r->nr_hot, sizeof(*r->hot), cmp_hot);
	return 0;
}

static double per_s(uint64_t d, const struct rates *r)
{
	return r->secs > 0 ? (double)d / r->secs : 0.0;
}

/* ---- output ---- */

static void timestamp(char *buf, size_t len)
{
	time_t t = watch_now(NULL);
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(buf, len, "%lld", (long long)t);
}

static void print_plain(struct cli *cli, const struct ptscope_stats *s,
			const struct rates *r)
{
	FILE *f = cli->out;
	char ts[40];

	timestamp(ts, sizeof(ts));
	fprintf(f, "%s pid %d", ts, (int)s->pid);
	if (s->have & PTSCOPE_PROBE_FAULT_RETURN)
		fprintf(f, " faults/s %.1f minor %.1f major %.1f", per_s(r->faults, r),
			per_s(r->minor, r), per_s(r->major, r));
	else if (s->have & PTSCOPE_PROBE_HANDLE_MM_FAULT)
		fprintf(f, " faults/s %.1f", per_s(r->faults, r));
	else
		fprintf(f, " faults/s n/a");
	fprintf(f, " shootdowns/s sent ");
	if (s->have & PTSCOPE_PROBE_FLUSH_TLB_MULTI)
		fprintf(f, "%.1f", per_s(r->sent, r));
	else
		fprintf(f, "n/a");
	fprintf(f, " received ");
	if (s->have & PTSCOPE_PROBE_FLUSH_TLB_FUNC)
		fprintf(f, "%.1f\n", per_s(r->received, r));
	else
		fprintf(f, "n/a\n");
}

static void print_json_line(struct cli *cli, const struct ptscope_stats *s,
			    const struct rates *r, const struct vma_names *vn, int top)
{
	bool mm = s->have & PTSCOPE_PROBE_HANDLE_MM_FAULT;
	bool ret = s->have & PTSCOPE_PROBE_FAULT_RETURN;
	struct json j;
	char ts[40];

	timestamp(ts, sizeof(ts));
	json_init(&j, cli->out);
	json_obj_begin(&j, NULL);
	json_str(&j, "time", ts);
	json_u64(&j, "pid", (uint64_t)s->pid);
	json_u64(&j, "track_ns", s->track_ns);
	json_u64(&j, "interval_ns", r->interval_ns);
	json_obj_begin(&j, "delta");
	if (mm)
		json_u64(&j, "faults", r->faults);
	if (ret) {
		json_u64(&j, "minor", r->minor);
		json_u64(&j, "major", r->major);
	}
	if (s->have & PTSCOPE_PROBE_FLUSH_TLB_MULTI)
		json_u64(&j, "shootdowns_sent", r->sent);
	if (s->have & PTSCOPE_PROBE_FLUSH_TLB_FUNC)
		json_u64(&j, "shootdowns_received", r->received);
	json_obj_end(&j);
	json_obj_begin(&j, "per_s");
	if (mm)
		json_rate(&j, "faults", per_s(r->faults, r));
	if (ret) {
		json_rate(&j, "minor", per_s(r->minor, r));
		json_rate(&j, "major", per_s(r->major, r));
	}
	if (s->have & PTSCOPE_PROBE_FLUSH_TLB_MULTI)
		json_rate(&j, "shootdowns_sent", per_s(r->sent, r));
	if (s->have & PTSCOPE_PROBE_FLUSH_TLB_FUNC)
		json_rate(&j, "shootdowns_received", per_s(r->received, r));
	json_obj_end(&j);
	if (mm) {
		json_arr_begin(&j, "ranges");
		for (int i = 0; i < r->nr_hot && i < top; i++) {
			const char *name = vma_names_find(vn, r->hot[i].start, r->hot[i].end);

			json_obj_begin(&j, NULL);
			json_hex(&j, "start", r->hot[i].start);
			json_hex(&j, "end", r->hot[i].end);
			json_u64(&j, "faults", r->hot[i].delta);
			json_rate(&j, "per_s", per_s(r->hot[i].delta, r));
			json_str(&j, "name", name ? name : "");
			json_bool(&j, "gone", !name);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	}
	json_obj_end(&j);
	fputc('\n', cli->out);
}

static void rate_row(FILE *f, const char *label, bool have, double rate, uint64_t total)
{
	if (have)
		fprintf(f, "%-22s %12.1f %12llu\n", label, rate, (unsigned long long)total);
	else
		fprintf(f, "%-22s %12s %12s\n", label, "n/a", "n/a");
}

static void draw(struct cli *cli, const struct ptscope_stats *s, const struct rates *r,
		 const struct vma_names *vn, double interval, int top)
{
	const char *b = sgr(cli, SGR_BOLD), *rs = sgr(cli, SGR_RESET);
	bool mm = s->have & PTSCOPE_PROBE_HANDLE_MM_FAULT;
	struct winsize ws;
	FILE *f = cli->out;
	char dur[32];
	int rows = 24, n;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row)
		rows = ws.ws_row;
	fmt_duration(s->track_ns, dur, sizeof(dur));
	fputs("\033[H\033[2J", f);
	fprintf(f, "%sptscope watch%s  pid %d (", b, rs, (int)s->pid);
	fput_sanitized(s->comm, f);
	fprintf(f, ")  every %.1f s  tracked for %s    q: quit\n\n", interval, dur);
	fprintf(f, "%s%-22s %12s %12s%s\n", b, "", "PER SECOND", "TOTAL", rs);
	if (!r) {
		fprintf(f, "(first interval...)\n");
		fflush(f);
		return;
	}
	rate_row(f, "faults", mm, per_s(r->faults, r), s->faults);
	rate_row(f, "  minor", s->have & PTSCOPE_PROBE_FAULT_RETURN,
		 per_s(r->minor, r), s->minor);
	rate_row(f, "  major", s->have & PTSCOPE_PROBE_FAULT_RETURN,
		 per_s(r->major, r), s->major);
	rate_row(f, "shootdowns sent", s->have & PTSCOPE_PROBE_FLUSH_TLB_MULTI,
		 per_s(r->sent, r), s->tlb_shootdowns);
	rate_row(f, "shootdowns received", s->have & PTSCOPE_PROBE_FLUSH_TLB_FUNC,
		 per_s(r->received, r), s->tlb_received);
	if (mm) {
		/* 10 lines above, the title and header of the table */
		n = rows - 12;
		if (n > top)
			n = top;
		fprintf(f, "\n%s%-25s %10s %12s  %s%s\n", b, "HOTTEST RANGES", "FAULTS/S",
			"TOTAL", "NAME", rs);
		for (int i = 0; i < r->nr_hot && i < n; i++) {
			const char *name = vma_names_find(vn, r->hot[i].start, r->hot[i].end);

			fprintf(f, "%012llx-%012llx %10.1f %12llu  ",
				(unsigned long long)r->hot[i].start,
				(unsigned long long)r->hot[i].end,
				per_s(r->hot[i].delta, r), (unsigned long long)r->hot[i].total);
			fput_sanitized(name ? name : "(gone)", f);
			fputc('\n', f);
		}
		if (!r->nr_hot)
			fprintf(f, "(no faults in this interval)\n");
	}
	fflush(f);
}

/* ---- the command ---- */

static bool gone(int err)
{
	return err == -ENOENT || err == -ESRCH;
}

static int cmd_watch(struct cli *cli, int argc, char **argv)
{
	const struct watch_opts *o = cli->opts;
	struct ptscope_stats prev = { 0 }, cur = { 0 };
	struct vma_names vn = { 0 };
	struct ptscope_client *c;
	struct sigaction sa;
	bool tty = cli->tty && !cli->json, keys, started = false, ended = false;
	double interval;
	long count, shown = 0;
	int rc, err, top;
	pid_t pid;

	if (argc != 1)
		return usage_error("usage: ptscope watch PID [--interval S] [--count N] [--start]");
	rc = arg_pid(argv[0], &pid);
	if (!rc)
		rc = arg_interval(o->interval, &interval);
	if (!rc)
		rc = arg_count(o->count, &count);
	if (!rc)
		rc = arg_top(o->top, DEFAULT_TOP, &top);
	if (rc)
		return rc;

	rc = cli_open(&c);
	if (rc)
		return rc;
	err = ptscope_get_stats(c, pid, &prev);
	if (err == -ENOENT && o->start) {
		err = ptscope_track_start(c, pid);
		started = !err;
		if (!err || err == -EALREADY)
			err = ptscope_get_stats(c, pid, &prev);
	}
	if (err) {
		rc = tracking_failed(c, err, pid);
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: term_wait_key()'s poll() returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	keys = tty && isatty(STDIN_FILENO);
	if (tty) {
		term_screen_enter(keys);
		draw(cli, &prev, NULL, &vn, interval, top);
	}
	while (!count || shown < count) {
		struct rates r;

		if (term_wait_key(interval, &keys, &stop_signal))
			break;
		err = ptscope_get_stats(c, pid, &cur);
		if (gone(err)) {
			ended = true;
			break;
		}
		if (err) {
			term_screen_leave();
			rc = request_failed(c, err);
			goto out;
		}
		if (compute(&prev, &cur, interval, &r)) {
			term_screen_leave();
			fprintf(stderr, "ptscope: %s\n", strerror(ENOMEM));
			rc = EXIT_FAILED;
			ptscope_stats_free(&cur);
			goto out;
		}
		if (r.nr_hot && (tty || cli->json)) {
			vma_names_free(&vn);
			vma_names_load(c, pid, &vn);
		}
		if (tty)
			draw(cli, &cur, &r, &vn, interval, top);
		else if (cli->json)
			print_json_line(cli, &cur, &r, &vn, top);
		else
			print_plain(cli, &cur, &r);
		fflush(cli->out);
		free(r.hot);
		shown++;
		ptscope_stats_free(&prev);
		prev = cur;
		memset(&cur, 0, sizeof(cur));
	}
	term_screen_leave();
	if (ended) {
		const char *msg = ptscope_errmsg(c);

		fprintf(stderr, "ptscope: pid %d is no longer tracked (exited, exec'd or "
			"tracking stopped)%s%s\n", (int)pid, *msg ? ": " : "", msg);
		started = false;	/* nothing left to stop */
		rc = shown ? EXIT_OK : EXIT_FAILED;
	}
out:
	term_screen_leave();
	if (started) {
		err = ptscope_track_stop(c, pid, NULL);
		if (err && !gone(err) && rc == EXIT_OK)
			rc = request_failed(c, err);
	}
	ptscope_stats_free(&prev);
	vma_names_free(&vn);
	ptscope_close(c);
	return rc;
}

const struct cli_command watch_command = {
	.name = "watch",
	.args = "PID",
	.help = "live rates of faults and shootdowns, hottest ranges;\n"
		"q or Ctrl-C quits",
	.options = watch_options,
	.opts_size = sizeof(struct watch_opts),
	.json_stream = true,
	.run = cmd_watch,
};
