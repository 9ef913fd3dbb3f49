// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope: look at a process's page tables through the ptscope module.
 *
 * main() only dispatches: each command (cmd_*.c) owns its options and
 * help in a table (struct cli_command).  Options may come before or after
 * the command (`ptscope maps 1 --json` works like `ptscope --json maps 1`);
 * "--" ends them.  An option is therefore checked against the command's
 * table once the command is known.
 */
#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "term.h"

#ifndef PTSCOPE_VERSION
#define PTSCOPE_VERSION "unknown"
#endif

const struct cli_command *const cli_commands[] = {
	&info_command, &maps_command, &pages_command, &record_command,
	&vtop_command, &tables_command, &track_command, &stats_command,
	&watch_command, &heat_command, &metrics_command, &exporter_command,
};
const size_t cli_nr_commands = sizeof(cli_commands) / sizeof(cli_commands[0]);

const struct cli_command *cli_find_command(const char *name)
{
	for (size_t i = 0; i < cli_nr_commands; i++)
		if (!strcmp(cli_commands[i]->name, name))
			return cli_commands[i];
	return NULL;
}

/* Does argv word @a name option @opt ("--opt", or "--opt=VALUE" if it takes one)? */
static bool option_matches(const struct cli_option *opt, const char *a)
{
	size_t n = strlen(opt->name);

	return !strncmp(a, opt->name, n) && (!a[n] || (a[n] == '=' && opt->arg));
}

const struct cli_option *cli_find_option(const struct cli_command *cmd,
					 const char *name)
{
	const struct cli_option *opt;

	for (opt = cmd->options; opt && opt->name; opt++)
		if (option_matches(opt, name))
			return opt;
	return NULL;
}

/* The option @a in any command's table: to know whether it takes a value. */
static const struct cli_option *any_command_option(const char *a)
{
	for (size_t i = 0; i < cli_nr_commands; i++) {
		const struct cli_option *opt = cli_find_option(cli_commands[i], a);

		if (opt)
			return opt;
	}
	return NULL;
}

/* "stats watch": the commands whose table has @opt, for an error message. */
static void commands_with(const struct cli_option *opt, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < cli_nr_commands && used < len; i++) {
		if (!cli_find_option(cli_commands[i], opt->name))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " " : "",
					 cli_commands[i]->name);
	}
}

/* A command option as found on the line, before the command is known. */
struct seen_option {
	const char *word;		/* as typed, for messages */
	const struct cli_option *opt;	/* in the first table that has it */
	const char *value;
};

struct cmdline {
	enum color_mode color;
	bool json, help, version;
	char **pos;			/* the command and its arguments */
	int npos;
	struct seen_option *opts;
	int nopts;
};

/* Sort argv into common options, command options and the rest. */
static int parse_cmdline(int argc, char **argv, struct cmdline *cl)
{
	bool opts_done = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct cli_option *opt;

		if (opts_done || a[0] != '-' || !a[1]) {
			cl->pos[cl->npos++] = argv[i];
		} else if (!strcmp(a, "--")) {
			opts_done = true;
		} else if (!strcmp(a, "--json")) {
			cl->json = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cl->help = true;
		} else if (!strcmp(a, "--version")) {
			cl->version = true;
		} else if (!strcmp(a, "--color") || !strcmp(a, "--colour")) {
			cl->color = COLOR_ALWAYS;
		} else if (!strncmp(a, "--color=", 8) || !strncmp(a, "--colour=", 9)) {
			int m = color_mode_parse(strchr(a, '=') + 1);

			if (m < 0)
				return usage_error("invalid --color value '%s' (auto, always or never)",
						   strchr(a, '=') + 1);
			cl->color = (enum color_mode)m;
		} else if ((opt = any_command_option(a))) {
			struct seen_option *s = &cl->opts[cl->nopts++];

			s->word = a;
			s->opt = opt;
			if (opt->arg) {
				const char *eq = strchr(a, '=');

				if (eq)
					s->value = eq + 1;
				else if (i + 1 < argc)
					s->value = argv[++i];
				else
					return usage_error("option '%s' needs a value", a);
			}
		} else {
			return usage_error("unknown option '%s'", a);
		}
	}
	return EXIT_OK;
}

/* The options seen, into @cmd's options struct @opts. */
static int apply_options(const struct cli_command *cmd, const struct cmdline *cl,
			 void *opts)
{
	for (int i = 0; i < cl->nopts; i++) {
		const struct seen_option *s = &cl->opts[i];
		const struct cli_option *opt = cli_find_option(cmd, s->opt->name);
		char *dest = (char *)opts;

		if (!opt) {
			char cmds[128];

			commands_with(s->opt, cmds, sizeof(cmds));
			return usage_error("'%s' only applies to '%s'", s->word, cmds);
		}
		if (opt->arg)
			memcpy(dest + opt->offset, &s->value, sizeof(s->value));
		else
			memcpy(dest + opt->offset, &opt->flag_value, sizeof(opt->flag_value));
	}
	return EXIT_OK;
}

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

/* Help and version go to stdout and win over everything but a bad option. */
static int print_help(const struct cmdline *cl)
{
	bool help_cmd = cl->npos && !strcmp(cl->pos[0], "help");
	const struct cli_command *cmd = NULL;

	if (!cl->help && !help_cmd) {
		printf("ptscope %s (protocol %d)\n", PTSCOPE_VERSION, PTSCOPE_GENL_VERSION);
		return close_stdout();
	}
	/* ptscope CMD --help, ptscope help CMD */
	if (cl->npos > (help_cmd ? 1 : 0)) {
		const char *name = cl->pos[help_cmd ? 1 : 0];

		cmd = cli_find_command(name);
		if (!cmd)
			return usage_error("unknown command '%s'", name);
	}
	if (cmd)
		cli_command_help(stdout, cmd);
	else
		cli_usage(stdout);
	return close_stdout();
}

static int run(const struct cli_command *cmd, struct cmdline *cl, struct cli *cli)
{
	struct doc_buf doc = { 0 };
	void *opts;
	int rc;

	/* calloc(0) may return NULL: every struct gets at least a byte. */
	opts = calloc(1, cmd->opts_size ? cmd->opts_size : 1);
	if (!opts) {
		perror("ptscope");
		return EXIT_FAILED;
	}
	if (cmd->opts_init)
		memcpy(opts, cmd->opts_init, cmd->opts_size);
	rc = apply_options(cmd, cl, opts);
	if (rc) {
		free(opts);
		return rc;
	}
	cli->opts = opts;

	cli->tty = isatty(STDOUT_FILENO);
	cli->color = !cli->json && color_wanted(cl->color, cli->tty, getenv("NO_COLOR"),
						getenv("TERM"));
	/*
	 * Only text output cares whether block characters can be printed;
	 * loading the locale (alias file, LC_CTYPE, gconv cache) was a good
	 * part of every --json run's start.
	 */
	if (!cli->json) {
		setlocale(LC_CTYPE, "");
		cli->utf8 = locale_is_utf8();
	}
	/* A line per run or VMA to a file or pipe: write in large pieces. */
	if (!cli->tty)
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);

	/*
	 * JSON is all or nothing: a failure must not leave half a document.
	 * watch streams one document per interval instead; record writes its
	 * document only after its last request, from memory (json_direct).
	 */
	cli->json_stream = cli->json && cmd->json_stream;
	if (cli->json && !cli->json_stream && !cmd->json_direct) {
		cli->out = fopencookie(&doc, "w", (cookie_io_functions_t){ .write = doc_write });
		if (!cli->out) {
			perror("ptscope");
			free(opts);
			return EXIT_FAILED;
		}
		/* Large appends (the default buffer is 8 KiB); failing is harmless. */
		setvbuf(cli->out, NULL, _IOFBF, 1 << 16);
	}

	rc = cmd->run(cli, cl->npos - 1, cl->pos + 1);
	free(opts);

	if (cli->json && !cli->json_stream && !cmd->json_direct) {
		if (fclose(cli->out) != 0 && rc == EXIT_OK) {
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

int main(int argc, char **argv)
{
	struct cmdline cl = { .color = COLOR_AUTO };
	struct cli cli = { .out = stdout };
	const struct cli_command *cmd;
	int rc;

	cl.pos = calloc((size_t)argc + 1, sizeof(*cl.pos));
	cl.opts = calloc((size_t)argc + 1, sizeof(*cl.opts));
	if (!cl.pos || !cl.opts) {
		perror("ptscope");
		rc = EXIT_FAILED;
		goto out;
	}
	rc = parse_cmdline(argc, argv, &cl);
	if (rc)
		goto out;
	if (cl.help || cl.version || (cl.npos && !strcmp(cl.pos[0], "help"))) {
		rc = print_help(&cl);
		goto out;
	}
	if (!cl.npos) {
		cli_usage(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	cmd = cli_find_command(cl.pos[0]);
	if (!cmd) {
		rc = usage_error("unknown command '%s'", cl.pos[0]);
		goto out;
	}
	cli.json = cl.json;
	rc = run(cmd, &cl, &cli);
out:
	free(cl.pos);
	free(cl.opts);
	return rc;
}
