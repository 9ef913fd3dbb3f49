/* SPDX-License-Identifier: GPL-2.0 */
/* What the ptscope commands share. */
#ifndef PTSCOPE_CLI_H
#define PTSCOPE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ptscope_client.h"

enum {
	EXIT_OK		= 0,
	EXIT_FAILED	= 1,	/* the request failed: kernel error, no module */
	EXIT_USAGE	= 2,	/* bad command line */
};

struct cli {
	FILE *out;		/* stdout, or a buffer for JSON */
	bool json;
	bool json_stream;	/* watch: JSON lines straight to stdout */
	bool color;
	bool utf8;
	bool tty;		/* stdout is a terminal */
	/* The command's options: its own struct, filled from its table. */
	const void *opts;
};

/*
 * One option of a command, in the command's table; main.c parses it into
 * the command's options struct at @offset.  "--name VALUE" and
 * "--name=VALUE" both work for an option with an argument.  Help text
 * continues on further lines after "\n", indented by the printer.
 */
struct cli_option {
	const char *name;	/* "--sort" */
	const char *arg;	/* "KEY"; NULL for a flag */
	const char *help;
	size_t offset;		/* of a const char * (arg) or an int (flag) */
	int flag_value;		/* what a flag stores */
};

/*
 * The _Generic makes a table entry whose field has the wrong type a
 * compile error rather than a write of a pointer into an int.
 */
#define CLI_OPT_ARG(type, field, opt, argname, text) \
	{ .name = (opt), .arg = (argname), .help = (text), \
	  .offset = _Generic(((type *)0)->field, const char *: offsetof(type, field)) }
#define CLI_OPT_FLAG(type, field, opt, value, text) \
	{ .name = (opt), .help = (text), .flag_value = (value), \
	  .offset = _Generic(((type *)0)->field, int: offsetof(type, field)) }

struct cli_command {
	const char *name;
	const char *args;	/* "PID [START-END]" */
	const char *help;	/* lines after "\n" are indented when printed */
	const struct cli_option *options;	/* ends with { NULL }; may be NULL */
	size_t opts_size;	/* the options struct cli->opts points to */
	const void *opts_init;	/* its defaults; NULL: all zero */
	bool json_stream;	/* --json: a document per line as it goes */
	/*
	 * --json: the document is written only once every request succeeded,
	 * from memory, and nothing but the output itself can fail then: it
	 * goes straight to stdout, not through the all-or-nothing buffer
	 * (record: up to tens of MB copied once more, and under TCG every
	 * fresh page of that buffer costs ~20-50 us to fault in).
	 */
	bool json_direct;
	int (*run)(struct cli *cli, int argc, char **argv);
};

/* Every command, in the order of the help (main.c). */
extern const struct cli_command info_command, maps_command, pages_command,
	record_command, vtop_command, tables_command, track_command,
	stats_command, watch_command, heat_command, metrics_command,
	exporter_command;
extern const struct cli_command *const cli_commands[];
extern const size_t cli_nr_commands;

const struct cli_command *cli_find_command(const char *name);
/* The option called @name in @cmd's table; NULL if it has none. */
const struct cli_option *cli_find_option(const struct cli_command *cmd,
					 const char *name);
/* ptscope --help (help.c). */
void cli_usage(FILE *f);
/* ptscope CMD --help, ptscope help CMD. */
void cli_command_help(FILE *f, const struct cli_command *cmd);

/* Print "ptscope: MESSAGE" and a pointer to --help; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Open the client or explain why not; returns EXIT_OK or EXIT_FAILED. */
int cli_open(struct ptscope_client **c);
/* "ptscope: <strerror>: <extack>"; returns EXIT_FAILED. */
int request_failed(const struct ptscope_client *c, int err);
/*
 * After a command's dumps: true, with a warning on stderr, if the kernel
 * marked one NLM_F_DUMP_INTR (@pid changed while it was dumped; pid 0:
 * the tracked set did).  --json documents then carry
 * "dump_interrupted": true.
 */
bool dump_interrupted(const struct ptscope_client *c, pid_t pid);
/* @sgr when colouring, else "". */
const char *sgr(const struct cli *cli, const char *code);
/* Shared argument parsing of "PID" with a usage error on failure. */
int arg_pid(const char *s, pid_t *pid);
/* Option @name's seconds, 0 to 86400, fractions allowed; @def for NULL. */
int arg_seconds(const char *name, const char *s, double def, double *out);
/* --interval S: arg_seconds() with a default of 1. */
int arg_interval(const char *s, double *out);
/* --count N: a positive number of intervals (NULL: 0, no limit). */
int arg_count(const char *s, long *out);
/* Where --svg/--html FILE goes ("-": stdout); errors said, EXIT_*. */
int cli_open_out(const char *path, FILE **f);
int cli_close_out(const char *path, FILE *f);

#endif /* PTSCOPE_CLI_H */
