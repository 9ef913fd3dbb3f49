// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope maps PID | maps --input FILE
 *
 * Gets a snapshot (live or recorded), builds the view the options ask for
 * and hands it to the renderers: terminal table, --json, --svg, --html.
 */
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"
#include "render.h"
#include "snapshot.h"
#include "view.h"

struct maps_opts {
	const char *sort;	/* --sort KEY */
	int anon, file;		/* --anon, --file */
	const char *name;	/* --name PATTERN */
	const char *range;	/* --range START-END */
	int summary;		/* --summary 1, --no-summary 0, else -1 (auto) */
	const char *svg, *html;	/* --svg FILE, --html FILE ("-": stdout) */
	const char *input;	/* --input FILE: a recording instead of a PID */
	int no_compact;		/* --no-compact */
};

static const struct maps_opts maps_defaults = { .summary = -1 };

static const struct cli_option maps_options[] = {
	CLI_OPT_ARG(struct maps_opts, sort, "--sort", "KEY",
		    "addr (default), size, rss, dirty or swap"),
	CLI_OPT_FLAG(struct maps_opts, anon, "--anon", 1,
		     "only anonymous VMAs (heap, stacks too)"),
	CLI_OPT_FLAG(struct maps_opts, file, "--file", 1, "only file VMAs"),
	CLI_OPT_ARG(struct maps_opts, name, "--name", "PATTERN",
		    "only VMAs whose name matches (glob, or substring)"),
	CLI_OPT_ARG(struct maps_opts, range, "--range", "START-END",
		    "only VMAs overlapping this range"),
	CLI_OPT_FLAG(struct maps_opts, summary, "--summary", 1,
		     "one line per run of VMAs of one kind and name\n"
		     "(automatic on a terminal above 1000 VMAs)"),
	CLI_OPT_FLAG(struct maps_opts, summary, "--no-summary", 0,
		     "one line per VMA, however many"),
	CLI_OPT_ARG(struct maps_opts, svg, "--svg", "FILE",
		    "draw the address space as SVG ('-': stdout)"),
	CLI_OPT_ARG(struct maps_opts, html, "--html", "FILE",
		    "the SVG and a sortable table in one HTML page"),
	CLI_OPT_ARG(struct maps_opts, input, "--input", "FILE",
		    "render a recording (ptscope record) instead of\n"
		    "a live PID"),
	CLI_OPT_FLAG(struct maps_opts, no_compact, "--no-compact", 1,
		     "ask for runs only, not the compact blocks of\n"
		     "per-page flags: same output, more bytes from the\n"
		     "kernel (to compare the two)"),
	{ NULL }
};

#define TERM_CELLS		16
#define PICTURE_CELLS		32
/* Above this many VMAs a terminal gets the summary unless told otherwise. */
#define AUTO_SUMMARY_VMAS	1000
/* Above this many items a picture groups, first by name, then by kind. */
#define PICTURE_MAX_ITEMS	400

static int parse_opts(const struct maps_opts *m, unsigned int page_shift,
		      struct view_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (m->sort) {
		int k = sort_key_parse(m->sort);

		if (k < 0)
			return usage_error("invalid --sort key '%s' (addr, size, rss, dirty or swap)",
					   m->sort);
		o->sort = (enum sort_key)k;
	}
	o->anon = m->anon;
	o->file = m->file;
	o->name = m->name;
	if (m->range) {
		uint64_t mask = (1ULL << page_shift) - 1;

		if (parse_range(m->range, &o->range_start, &o->range_end) ||
		    o->range_start >= o->range_end)
			return usage_error("invalid --range '%s': expected START-END in hex, START < END",
					   m->range);
		/* The kernel wants whole pages; a VMA is never smaller. */
		o->range_start &= ~mask;
		o->range_end = o->range_end > UINT64_MAX - mask ? ~mask :
			       (o->range_end + mask) & ~mask;
		o->has_range = true;
	}
	return EXIT_OK;
}

/* Pictures stay legible for 10,000 VMAs by drawing groups instead. */
static int picture(const struct snapshot *s, const struct view_opts *base,
		   const char *path, void (*render)(FILE *, const struct view *))
{
	struct view_opts o = *base;
	struct view v;
	FILE *f;
	int rc;

	o.sort = SORT_ADDR;
	o.ncells = PICTURE_CELLS;
	o.group = GROUP_NONE;
	for (;;) {
		if (view_build(&v, s, &o))
			return fputs("ptscope: out of memory\n", stderr), EXIT_FAILED;
		if (v.nr <= PICTURE_MAX_ITEMS || o.group == GROUP_CHUNK)
			break;
		/* Last resort: equal runs of VMAs, whatever they are. */
		o.chunk = (v.nr_vmas + PICTURE_MAX_ITEMS - 1) / PICTURE_MAX_ITEMS;
		view_free(&v);
		o.group = o.group == GROUP_NONE ? GROUP_NAME :
			  o.group == GROUP_NAME ? GROUP_KIND : GROUP_CHUNK;
	}
	rc = cli_open_out(path, &f);
	if (!rc) {
		render(f, &v);
		rc = cli_close_out(path, f);
	}
	view_free(&v);
	return rc;
}

static int render(struct cli *cli, const struct snapshot *s, const struct view_opts *base)
{
	const struct maps_opts *m = cli->opts;
	struct view_opts o = *base;
	struct term_style st;
	struct view v;
	int rc = EXIT_OK;

	if (m->svg)
		rc = picture(s, base, m->svg, render_svg);
	if (!rc && m->html)
		rc = picture(s, base, m->html, render_html);
	if (rc || ((m->svg || m->html) && !cli->json))
		return rc;

	o.ncells = TERM_CELLS;
	if (!cli->json && (m->summary == 1 ||
	    (m->summary < 0 && cli->tty && s->nr_vmas > AUTO_SUMMARY_VMAS)))
		o.group = GROUP_NAME;
	if (view_build(&v, s, &o)) {
		fputs("ptscope: out of memory\n", stderr);
		return EXIT_FAILED;
	}
	if (cli->json) {
		render_json(cli->out, &v);
	} else {
		st.color = cli->color;
		st.utf8 = cli->utf8;
		st.holes = !v.filtered;
		render_term(cli->out, &v, &st);
	}
	view_free(&v);
	return EXIT_OK;
}

static int cmd_maps(struct cli *cli, int argc, char **argv)
{
	const struct maps_opts *m = cli->opts;
	long page_size = sysconf(_SC_PAGESIZE);
	struct snapshot s;
	struct view_opts o;
	pid_t pid = 0;
	int rc, err;

	if (m->input ? argc != 0 : argc != 1)
		return usage_error("usage: ptscope maps PID | ptscope maps --input FILE");
	if (m->svg && m->html && !strcmp(m->svg, "-") && !strcmp(m->html, "-"))
		return usage_error("--svg and --html cannot both write to stdout");
	if (!m->input) {
		rc = arg_pid(argv[0], &pid);
		if (rc)
			return rc;
	}
	snapshot_init(&s, page_size > 0 ?
		      (unsigned int)__builtin_ctzl((unsigned long)page_size) : 12);
	rc = parse_opts(m, s.page_shift, &o);
	if (rc)
		return rc;

	if (m->input) {
		char msg[512];

		if (snapshot_load(&s, m->input, msg, sizeof(msg))) {
			fprintf(stderr, "ptscope: %s\n", msg);
			snapshot_free(&s);
			return EXIT_FAILED;
		}
	} else {
		struct ptscope_client *c;
		bool picture = m->svg || m->html;

		rc = cli_open(&c);
		if (rc)
			return rc;
		ptscope_set_compact(c, !m->no_compact);
		/* Scripts get the counts; only people get (and pay for) the bars. */
		err = snapshot_live(&s, c, pid, o.has_range ? o.range_start : 0,
				    o.has_range ? o.range_end : 0,
				    !cli->json || picture, picture || cli->json);
		if (err) {
			rc = request_failed(c, err);
			ptscope_close(c);
			snapshot_free(&s);
			return rc;
		}
		s.dump_interrupted = dump_interrupted(c, pid);
		ptscope_close(c);
	}
	rc = render(cli, &s, &o);
	snapshot_free(&s);
	return rc;
}

const struct cli_command maps_command = {
	.name = "maps",
	.args = "PID",
	.help = "one line per VMA: size, permissions, resident/accessed/dirty/\n"
		"swapped/huge amounts, a state bar, backing; the\n"
		"holes between VMAs; --svg/--html draw a picture",
	.options = maps_options,
	.opts_size = sizeof(struct maps_opts),
	.opts_init = &maps_defaults,
	.run = cmd_maps,
};
