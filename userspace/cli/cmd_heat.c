// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope heat PID [--interval T] [--count N] [--range START-END] [--json]
 *              [--svg FILE | --html FILE] | heat --input FILE
 *
 * Which memory the process uses now, and which has gone cold: a priming
 * sample clears the accessed bits (PTSCOPE_ACCESS_F_DISCARD), then every
 * interval reads and clears them again (heat_series.c); the model
 * (heat.c) keeps per-page idle ages, working sets and the map's rows.
 *
 * Off a terminal (or with --count) each interval's map line is printed as
 * it is taken, then the tables; on a terminal without --count the screen
 * is redrawn every interval like `watch`, and the final result is printed
 * when it stops.  --json streams an object per interval and a summary.
 * A recording (`record --heat`) renders through the same path, so its
 * output is the live output exactly.
 */
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"
#include "heat_rec.h"
#include "heat_render.h"
#include "heat_series.h"
#include "term.h"

struct heat_opts {
	const char *interval;	/* --interval SECONDS */
	const char *count;	/* --count N */
	const char *range;	/* --range START-END */
	const char *svg, *html;	/* --svg FILE, --html FILE ("-": stdout) */
	const char *input;	/* --input FILE: a recording (record --heat) */
};

static const struct cli_option heat_options[] = {
	CLI_OPT_ARG(struct heat_opts, interval, "--interval", "S",
		    "seconds between samples (default 1; fractions\n"
		    "allowed, 0: back to back)"),
	CLI_OPT_ARG(struct heat_opts, count, "--count", "N",
		    "stop after N intervals"),
	CLI_OPT_ARG(struct heat_opts, range, "--range", "START-END",
		    "only this part of the address space"),
	CLI_OPT_ARG(struct heat_opts, svg, "--svg", "FILE",
		    "draw the map and the WSS curve as SVG ('-': stdout)"),
	CLI_OPT_ARG(struct heat_opts, html, "--html", "FILE",
		    "the SVG and the working-set tables in one HTML\npage"),
	CLI_OPT_ARG(struct heat_opts, input, "--input", "FILE",
		    "render a recording (ptscope record --heat) instead of\n"
		    "a live PID"),
	{ NULL }
};

/* Columns of a picture's map: fixed, so pictures of two runs compare. */
#define PICTURE_COLUMNS	240
/* Rows a live screen can show at most. */
#define LIVE_RING	512
struct run {
	struct cli *cli;
	struct heat h;
	struct heat_ctx x;
	bool live, picture;
};

static void draw_live(struct run *r)
{
	FILE *f = r->cli->out;
	struct winsize ws;
	int rows = 24, fit;
	uint64_t first;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row)
		rows = ws.ws_row;
	/* The head, the map, the summary, "q: quit". */
	fit = rows - HEAT_HEAD_LINES - HEAT_STATUS_LINES - 1;
	if (fit < 4)
		fit = 4;
	first = r->h.intervals > (uint64_t)fit ? r->h.intervals - (uint64_t)fit : 0;
	fputs("\033[H\033[2J", f);
	heat_term_head(f, &r->h, &r->x);
	for (uint64_t i = first; i < r->h.intervals; i++)
		heat_term_row(f, &r->h, &r->x, i);
	heat_term_status(f, &r->h, &r->x);
	fputs("q: quit (the tables follow)", f);
	fflush(f);
}

static int on_interval(void *arg, const struct heat_sample *s)
{
	struct run *r = arg;

	if (heat_add_sample(&r->h, s)) {
		fputs("ptscope: out of memory\n", stderr);
		return EXIT_FAILED;
	}
	if (r->cli->json) {
		heat_json_interval(r->cli->out, &r->h, &r->x);
	} else if (r->live) {
		draw_live(r);
	} else if (!r->picture) {
		if (r->h.intervals == 1)
			heat_term_head(r->cli->out, &r->h, &r->x);
		heat_term_row(r->cli->out, &r->h, &r->x, r->h.intervals - 1);
	}
	fflush(r->cli->out);
	return EXIT_OK;
}

static int write_picture(const struct run *r, const char *path,
			 void (*render)(FILE *, const struct heat *, const struct heat_ctx *))
{
	FILE *f;
	int rc = cli_open_out(path, &f);

	if (rc)
		return rc;
	render(f, &r->h, &r->x);
	return cli_close_out(path, f);
}

/* What follows the last interval: the tables, the summary, the pictures. */
static int finish(struct run *r)
{
	const struct heat_opts *o = r->cli->opts;
	FILE *f = r->cli->out;
	int rc = EXIT_OK;

	if (!r->h.intervals)
		return EXIT_OK;
	if (r->cli->json) {
		heat_json_summary(f, &r->h, &r->x);
	} else if (!r->picture) {
		if (r->live) {
			/* The screen is gone: leave the result on the terminal. */
			uint64_t i = r->h.intervals > LIVE_RING ? r->h.intervals - LIVE_RING : 0;

			heat_term_head(f, &r->h, &r->x);
			for (; i < r->h.intervals; i++)
				heat_term_row(f, &r->h, &r->x, i);
		}
		heat_term_tables(f, &r->h, &r->x);
	}
	if (o->svg)
		rc = write_picture(r, o->svg, heat_svg);
	if (!rc && o->html)
		rc = write_picture(r, o->html, heat_html);
	return rc;
}

static int replay(struct run *r, const char *path, unsigned int ncols)
{
	struct heat_rec_header hdr;
	char msg[512];
	int rc;

	if (heat_rec_open(path, &hdr, msg, sizeof(msg))) {
		fprintf(stderr, "ptscope: %s\n", msg);
		return EXIT_FAILED;
	}
	r->x.pid = hdr.pid;
	r->x.interval_ns = hdr.interval_ns;
	if (heat_init(&r->h, hdr.page_shift, hdr.start, hdr.end, ncols,
		      r->live ? LIVE_RING : 1, r->picture)) {
		heat_rec_close(&hdr);
		fputs("ptscope: out of memory\n", stderr);
		return EXIT_FAILED;
	}
	rc = heat_rec_replay(&hdr, on_interval, r, msg, sizeof(msg));
	if (rc < 0) {
		fprintf(stderr, "ptscope: %s\n", msg);
		rc = EXIT_FAILED;
	}
	r->x.end = hdr.end_reason;
	if (hdr.truncated)
		fprintf(stderr, "ptscope: %s: its last line was cut short (the recording was "
			"killed?): the series ends before it\n", path);
	heat_rec_close(&hdr);
	if (!rc && r->x.end == HEAT_END_EXITED)
		fprintf(stderr, "ptscope: pid %d is gone (exited or exec'd) after %llu interval%s; "
			"the series ends there\n", (int)r->x.pid,
			(unsigned long long)r->h.intervals, r->h.intervals == 1 ? "" : "s");
	if (!rc)
		rc = finish(r);
	heat_free(&r->h);
	return rc;
}

static int cmd_heat(struct cli *cli, int argc, char **argv)
{
	const struct heat_opts *o = cli->opts;
	struct heat_series hs = { 0 };
	struct run r = { .cli = cli };
	struct ptscope_client *c;
	long page_size = sysconf(_SC_PAGESIZE);
	unsigned int ncols;
	int rc;

	if (o->input ? argc != 0 : argc != 1)
		return usage_error("usage: ptscope heat PID [--interval S] [--count N] | "
				   "ptscope heat --input FILE");
	if (o->svg && o->html && !strcmp(o->svg, "-") && !strcmp(o->html, "-"))
		return usage_error("--svg and --html cannot both write to stdout");
	/* JSON lines and a picture on one stream would be neither. */
	if (cli->json && ((o->svg && !strcmp(o->svg, "-")) || (o->html && !strcmp(o->html, "-"))))
		return usage_error("--json writes to stdout: give --svg/--html a file");
	r.picture = o->svg || o->html;
	r.x.color = cli->color;
	r.x.utf8 = cli->utf8;
	ncols = r.picture ? PICTURE_COLUMNS : heat_term_columns(cli->tty);
	if (o->input) {
		if (o->interval || o->count || o->range)
			return usage_error("--interval, --count and --range were fixed when "
					   "the recording was made");
		return replay(&r, o->input, ncols);
	}
	rc = arg_pid(argv[0], &hs.pid);
	if (!rc)
		rc = arg_interval(o->interval, &hs.interval);
	if (!rc)
		rc = arg_count(o->count, &hs.count);
	if (!rc && o->range && (parse_range(o->range, &hs.start, &hs.end) || hs.start >= hs.end))
		rc = usage_error("invalid --range '%s': expected START-END in hex, START < END",
				 o->range);
	if (rc)
		return rc;
	if (page_size <= 0)
		page_size = 4096;
	hs.start &= ~(uint64_t)(page_size - 1);
	hs.end = (hs.end + (uint64_t)page_size - 1) & ~(uint64_t)(page_size - 1);
	r.live = cli->tty && !cli->json && !hs.count && !r.picture;
	r.x.pid = hs.pid;
	r.x.interval_ns = (uint64_t)(hs.interval * 1e9 + 0.5);
	if (heat_init(&r.h, (unsigned int)__builtin_ctzl((unsigned long)page_size), hs.start,
		      hs.end, ncols, r.live ? LIVE_RING : 1, r.picture)) {
		fputs("ptscope: out of memory\n", stderr);
		return EXIT_FAILED;
	}
	rc = cli_open(&c);
	if (rc) {
		heat_free(&r.h);
		return rc;
	}
	hs.interval_cb = on_interval;
	hs.arg = &r;
	hs.keys = r.live && isatty(STDIN_FILENO);
	if (r.live)
		term_screen_enter(hs.keys);
	rc = heat_series_run(&hs, c);
	term_screen_leave();
	r.x.end = hs.end_reason;
	if (!rc)
		rc = finish(&r);
	ptscope_close(c);
	heat_free(&r.h);
	return rc;
}

const struct cli_command heat_command = {
	.name = "heat",
	.args = "PID",
	.help = "which memory is used now and which has gone cold:\n"
		"a heat map of accesses per interval, working sets,\n"
		"idle ages (CAP_SYS_ADMIN: it clears accessed bits)",
	.options = heat_options,
	.opts_size = sizeof(struct heat_opts),
	.json_stream = true,
	.run = cmd_heat,
};
