// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope: look at a process's page tables through the ptscope module.
 *
 * Options may come before or after the command (`ptscope maps 1 --json`
 * works like `ptscope --json maps 1`); "--" ends them.
 */
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"
#include "term.h"

#ifndef PTSCOPE_VERSION
#define PTSCOPE_VERSION "unknown"
#endif

static const struct command commands[] = {
	{ "info", cmd_info, "",
	  "module, kernel and paging facts, and what this caller may see" },
	{ "maps", cmd_maps, "PID",
	  "one line per VMA: size, permissions, resident/accessed/dirty/\n"
	  "                        swapped/huge amounts, a state bar, backing; the\n"
	  "                        holes between VMAs; --svg/--html draw a picture" },
	{ "pages", cmd_pages, "PID [START-END]",
	  "runs of pages with identical attributes (all VMAs by default);\n"
	  "                        --pfn splits runs at physical discontinuities (root)" },
	{ "record", cmd_record, "PID [START-END]",
	  "VMAs and page runs as one JSON file, for maps --input\n"
	  "                        on any machine (e.g. attached to a bug report)" },
	{ "vtop", cmd_vtop, "PID ADDR",
	  "walk the page tables for one address, level by level" },
	{ "tables", cmd_tables, "PID [pgd|p4d|pud|pmd|pte]",
	  "page tables per level: tables, entries, fill, bytes, leaves;\n"
	  "                        with a level, the tree of tables down to it" },
	{ "track", cmd_track, "start|stop|list",
	  "count a process's TLB shootdowns and page faults: track start\n"
	  "                        PID..., track stop PID...|--all, track list" },
	{ "stats", cmd_stats, "PID",
	  "what tracking counted: TLB flushes and shootdowns per CPU,\n"
	  "                        faults by kind, per VMA, latency histogram" },
	{ "watch", cmd_watch, "PID",
	  "live rates of faults and shootdowns, hottest ranges;\n"
	  "                        q or Ctrl-C quits" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: ptscope [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Inspect the page tables of a process (needs the ptscope kernel module).\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++) {
		char head[32];

		snprintf(head, sizeof(head), "%s %s", commands[i].name,
			 commands[i].args);
		fprintf(f, "  %-21s %s\n", head, commands[i].help);
	}
	fprintf(f,
		"\n"
		"Options (before or after the command):\n"
		"  --json                one JSON document on stdout\n"
		"  --color[=WHEN]        auto (default: only on a terminal, not with\n"
		"                        NO_COLOR set), always or never\n"
		"  --pfn                 pages: split runs where physical frames stop\n"
		"                        being contiguous (needs CAP_SYS_ADMIN)\n"
		"\n"
		"Options of maps:\n"
		"  --sort KEY            addr (default), size, rss, dirty or swap\n"
		"  --anon, --file        only anonymous (heap, stacks too) / file VMAs\n"
		"  --name PATTERN        only VMAs whose name matches (glob, or substring)\n"
		"  --range START-END     only VMAs overlapping this range\n"
		"  --summary             one line per run of VMAs of one kind and name\n"
		"                        (automatic on a terminal above 1000 VMAs;\n"
		"                        --no-summary turns it off)\n"
		"  --svg FILE            draw the address space as SVG ('-': stdout)\n"
		"  --html FILE           the SVG and a sortable table in one HTML page\n"
		"  --input FILE          render a recording (ptscope record) instead of\n"
		"                        a live PID\n"
		"\n"
		"Options of track, stats and watch:\n"
		"  --all                 track stop: every tracked process\n"
		"  --top N               stats, watch: ranges shown (default 10)\n"
		"  --interval S          watch: seconds between samples (default 1)\n"
		"  --count N             watch: stop after N intervals\n"
		"  --start               watch: start tracking if needed, stop at the end\n"
		"  -h, --help            this help\n"
		"  --version             version of this program\n"
		"\n"
		"Addresses (ADDR, START, END) are hexadecimal, with or without 0x.\n"
		"END is exclusive; the kernel wants START and END page aligned.\n"
		"\n"
		"Exit status:\n"
		"  0  success\n"
		"  1  the request failed (kernel error, module not loaded, output error)\n"
		"  2  usage error (bad PID or address, unknown command or option)\n");
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ptscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'ptscope --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

int cli_open(struct ptscope_client **c)
{
	int err = ptscope_open(c);

	if (err == -ENOENT) {
		fprintf(stderr, "ptscope: kernel module not loaded (try: sudo modprobe ptscope)\n");
		return EXIT_FAILED;
	}
	if (err) {
		fprintf(stderr, "ptscope: cannot open generic netlink socket: %s\n",
			strerror(-err));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

int request_failed(const struct ptscope_client *c, int err)
{
	const char *msg = ptscope_errmsg(c);

	if (msg && *msg)
		fprintf(stderr, "ptscope: %s: %s\n", strerror(-err), msg);
	else
		fprintf(stderr, "ptscope: %s\n", strerror(-err));
	return EXIT_FAILED;
}

const char *sgr(const struct cli *cli, const char *code)
{
	return cli->color ? code : "";
}

int arg_pid(const char *s, pid_t *pid)
{
	if (parse_pid(s, pid))
		return usage_error("invalid PID '%s': expected a positive decimal number", s);
	return EXIT_OK;
}

/*
 * "--opt VALUE" or "--opt=VALUE" at argv[*i]: 1 with *val set (and *i past
 * a separate value), 0 if argv[*i] is another option, -1 if VALUE is missing.
 */
static int opt_value(int argc, char **argv, int *i, const char *opt, const char **val)
{
	size_t n = strlen(opt);

	if (strncmp(argv[*i], opt, n))
		return 0;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n])
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

/* The options of maps; 1 if @a was one, -1 if its value is missing. */
static int maps_option(int argc, char **argv, int *i, struct maps_opts *m)
{
	static const char *const with_value[] = {
		"--sort", "--name", "--range", "--svg", "--html", "--input",
	};
	const char **dest[] = { &m->sort, &m->name, &m->range, &m->svg, &m->html, &m->input };
	const char *a = argv[*i];
	size_t k;

	if (!strcmp(a, "--anon"))
		return m->anon = true, 1;
	if (!strcmp(a, "--file"))
		return m->file = true, 1;
	if (!strcmp(a, "--summary"))
		return m->summary = 1, 1;
	if (!strcmp(a, "--no-summary"))
		return m->summary = 0, 1;
	for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++) {
		int r = opt_value(argc, argv, i, with_value[k], dest[k]);

		if (r)
			return r;
	}
	return 0;
}

/*
 * The options of track, stats and watch; 1 if argv[*i] was one, -1 if its
 * value is missing.  *cmds gets the commands it applies to.
 */
static int track_option(int argc, char **argv, int *i, struct track_opts *t,
			const char **cmds)
{
	const char *a = argv[*i];
	int r;

	if (!strcmp(a, "--all"))
		return t->all = true, *cmds = "track", 1;
	if (!strcmp(a, "--start"))
		return t->start = true, *cmds = "watch", 1;
	*cmds = "watch";
	r = opt_value(argc, argv, i, "--interval", &t->interval);
	if (!r)
		r = opt_value(argc, argv, i, "--count", &t->count);
	if (!r) {
		*cmds = "stats watch";
		r = opt_value(argc, argv, i, "--top", &t->top);
	}
	return r;
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/*
 * Flush and close stdout, reporting what a full disk or closed pipe did to
 * our output: a truncated result must not look like success.
 */
static int close_stdout(void)
{
	int err = 0;

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		err = errno ? errno : EIO;
	if (fclose(stdout) != 0 && !err)
		err = errno ? errno : EIO;
	if (err) {
		fprintf(stderr, "ptscope: write error: %s\n", strerror(err));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/*
 * Where a JSON document is kept until it is complete (all or nothing).
 * open_memstream() grows its buffer by copying it into a new one twice
 * the size, so a document of several megabytes (10,000 VMAs, 262,144
 * runs) cost about three times its size in copies and freshly faulted
 * pages.  realloc() grows a block in place where it can, and glibc
 * remaps rather than copies the large blocks it got from mmap().
 */
struct doc_buf {
	char *p;
	size_t len, cap;
};

static ssize_t doc_write(void *cookie, const char *data, size_t n)
{
	struct doc_buf *b = cookie;

	if (n > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 1 << 16;
		char *p;

		/* 0 is a short write: stdio marks the stream, fclose() fails. */
		while (cap - b->len < n) {
			if (cap > SIZE_MAX / 2)
				return 0;
			cap *= 2;
		}
		p = realloc(b->p, cap);
		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return (ssize_t)n;
}

int main(int argc, char **argv)
{
	enum color_mode color = COLOR_AUTO;
	bool help = false, version = false, opts_done = false;
	struct cli cli = { .out = stdout, .maps.summary = -1 };
	const char *maps_opt = NULL;	/* first maps-only option seen */
	/* track/stats/watch options seen, and the commands each applies to */
	const char *track_opt[8], *track_cmds[8];
	int ntrack = 0;
	const struct command *cmd;
	char **pos;
	struct doc_buf doc = { 0 };
	int npos = 0, i, rc;

	pos = calloc((size_t)argc + 1, sizeof(*pos));
	if (!pos) {
		perror("ptscope");
		return EXIT_FAILED;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (opts_done || a[0] != '-' || !a[1]) {
			pos[npos++] = argv[i];
		} else if (!strcmp(a, "--")) {
			opts_done = true;
		} else if (!strcmp(a, "--json")) {
			cli.json = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			help = true;
		} else if (!strcmp(a, "--version")) {
			version = true;
		} else if (!strcmp(a, "--pfn")) {
			cli.pfn_runs = true;
		} else if (!strcmp(a, "--color") || !strcmp(a, "--colour")) {
			color = COLOR_ALWAYS;
		} else if (!strncmp(a, "--color=", 8) || !strncmp(a, "--colour=", 9)) {
			int m = color_mode_parse(strchr(a, '=') + 1);

			if (m < 0) {
				free(pos);
				return usage_error("invalid --color value '%s' (auto, always or never)",
						   strchr(a, '=') + 1);
			}
			color = (enum color_mode)m;
		} else {
			const char *cmds = NULL;
			int r = track_option(argc, argv, &i, &cli.track, &cmds);

			if (r > 0) {
				if (ntrack < 8) {
					track_opt[ntrack] = a;
					track_cmds[ntrack++] = cmds;
				}
				continue;
			}
			if (r < 0) {
				free(pos);
				return usage_error("option '%s' needs a value", a);
			}
			r = maps_option(argc, argv, &i, &cli.maps);

			if (r < 0) {
				free(pos);
				return usage_error("option '%s' needs a value", a);
			}
			if (!r) {
				free(pos);
				return usage_error("unknown option '%s'", a);
			}
			if (!maps_opt)
				maps_opt = a;
		}
	}

	if (help) {
		free(pos);
		usage(stdout);
		return close_stdout();
	}
	if (version) {
		free(pos);
		printf("ptscope %s (protocol %d)\n", PTSCOPE_VERSION, PTSCOPE_GENL_VERSION);
		return close_stdout();
	}
	if (!npos) {
		free(pos);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(pos[0], "help")) {
		free(pos);
		usage(stdout);
		return close_stdout();
	}
	cmd = find_command(pos[0]);
	if (!cmd) {
		rc = usage_error("unknown command '%s'", pos[0]);
		free(pos);
		return rc;
	}
	if (cli.pfn_runs && cmd->run != cmd_pages) {
		free(pos);
		return usage_error("--pfn only applies to 'pages'");
	}
	if (maps_opt && cmd->run != cmd_maps) {
		rc = usage_error("'%s' only applies to 'maps'", maps_opt);
		free(pos);
		return rc;
	}

	for (i = 0; i < ntrack; i++) {
		/* "watch" in "stats watch": whole words only */
		size_t n = strlen(cmd->name);
		const char *m = strstr(track_cmds[i], cmd->name);

		if (!m || (m != track_cmds[i] && m[-1] != ' ') || (m[n] && m[n] != ' ')) {
			rc = usage_error("'%s' only applies to '%s'", track_opt[i], track_cmds[i]);
			free(pos);
			return rc;
		}
	}

	cli.tty = isatty(STDOUT_FILENO);
	cli.color = !cli.json && color_wanted(color, cli.tty, getenv("NO_COLOR"),
					      getenv("TERM"));
	/*
	 * Only text output cares whether block characters can be printed;
	 * loading the locale (alias file, LC_CTYPE, gconv cache) was a good
	 * part of every --json run's start.
	 */
	if (!cli.json) {
		setlocale(LC_CTYPE, "");
		cli.utf8 = locale_is_utf8();
	}
	/* A line per run or VMA to a file or pipe: write in large pieces. */
	if (!cli.tty)
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);

	/*
	 * JSON is all or nothing: a failure must not leave half a document.
	 * watch streams one document per interval instead.
	 */
	if (cli.json && cmd->run == cmd_watch)
		cli.json_stream = true;
	if (cli.json && !cli.json_stream) {
		cli.out = fopencookie(&doc, "w", (cookie_io_functions_t){ .write = doc_write });
		if (!cli.out) {
			perror("ptscope");
			free(pos);
			return EXIT_FAILED;
		}
		/* Large appends (the default buffer is 8 KiB); failing is harmless. */
		setvbuf(cli.out, NULL, _IOFBF, 1 << 16);
	}

	rc = cmd->run(&cli, npos - 1, pos + 1);
	free(pos);

	if (cli.json && !cli.json_stream) {
		if (fclose(cli.out) != 0 && rc == EXIT_OK) {
			perror("ptscope");
			rc = EXIT_FAILED;
		}
		if (rc == EXIT_OK && doc.len)
			fwrite(doc.p, 1, doc.len, stdout);
		free(doc.p);
	}
	if (close_stdout() != EXIT_OK && rc == EXIT_OK)
		rc = EXIT_FAILED;
	return rc;
}
