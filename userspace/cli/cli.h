/* SPDX-License-Identifier: GPL-2.0 */
/* What the ptscope commands share. */
#ifndef PTSCOPE_CLI_H
#define PTSCOPE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "ptscope_client.h"

enum {
	EXIT_OK		= 0,
	EXIT_FAILED	= 1,	/* the request failed: kernel error, no module */
	EXIT_USAGE	= 2,	/* bad command line */
};

/* Options of `maps` (main.c rejects them for other commands). */
struct maps_opts {
	const char *sort;	/* --sort KEY */
	bool anon, file;	/* --anon, --file */
	const char *name;	/* --name PATTERN */
	const char *range;	/* --range START-END */
	int summary;		/* --summary 1, --no-summary 0, else -1 (auto) */
	const char *svg, *html;	/* --svg FILE, --html FILE ("-": stdout) */
	const char *input;	/* --input FILE: a recording instead of a PID */
};

/* Options of track, stats and watch (main.c rejects them elsewhere). */
struct track_opts {
	bool all;		/* track stop --all */
	bool start;		/* watch --start: track for the watch's duration */
	const char *interval;	/* watch --interval SECONDS */
	const char *count;	/* watch --count N */
	const char *top;	/* stats, watch --top N: ranges shown */
};

struct cli {
	FILE *out;		/* stdout, or a buffer for JSON */
	bool json;
	bool json_stream;	/* watch: JSON lines straight to stdout */
	bool color;
	bool utf8;
	bool tty;		/* stdout is a terminal */
	bool pfn_runs;		/* pages --pfn */
	struct maps_opts maps;
	struct track_opts track;
};

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *args;
	const char *help;
};

int cmd_info(struct cli *cli, int argc, char **argv);
int cmd_maps(struct cli *cli, int argc, char **argv);
int cmd_pages(struct cli *cli, int argc, char **argv);
int cmd_vtop(struct cli *cli, int argc, char **argv);
int cmd_tables(struct cli *cli, int argc, char **argv);
int cmd_record(struct cli *cli, int argc, char **argv);
int cmd_track(struct cli *cli, int argc, char **argv);
int cmd_stats(struct cli *cli, int argc, char **argv);
int cmd_watch(struct cli *cli, int argc, char **argv);

/* Print "ptscope: MESSAGE" and a pointer to --help; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Open the client or explain why not; returns EXIT_OK or EXIT_FAILED. */
int cli_open(struct ptscope_client **c);
/* "ptscope: <strerror>: <extack>"; returns EXIT_FAILED. */
int request_failed(const struct ptscope_client *c, int err);
/* @sgr when colouring, else "". */
const char *sgr(const struct cli *cli, const char *code);
/* Shared argument parsing of "PID" with a usage error on failure. */
int arg_pid(const char *s, pid_t *pid);

#endif /* PTSCOPE_CLI_H */
