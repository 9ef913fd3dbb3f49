// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope --help and ptscope CMD --help, printed from the command tables,
 * so an option's help lives beside the code that reads it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Help text starts in this column, after "  NAME ARGS". */
#define HELP_COLUMN	24

/* @text with every line after the first indented to HELP_COLUMN. */
static void put_help(FILE *f, const char *text)
{
	const char *nl;

	while ((nl = strchr(text, '\n'))) {
		fprintf(f, "%.*s\n%*s", (int)(nl - text), text, HELP_COLUMN, "");
		text = nl + 1;
	}
	fprintf(f, "%s\n", text);
}

/* "  HEAD" padded to the help column (or a line of its own if too long). */
static void put_entry(FILE *f, const char *head, const char *help)
{
	int n = fprintf(f, "  %s", head);

	if (n < 0)
		return;
	if (n >= HELP_COLUMN)
		fprintf(f, "\n%*s", HELP_COLUMN, "");
	else
		fprintf(f, "%*s", HELP_COLUMN - n, "");
	put_help(f, help);
}

static void put_options(FILE *f, const struct cli_option *opt)
{
	for (; opt && opt->name; opt++) {
		char head[64];

		if (opt->arg)
			snprintf(head, sizeof(head), "%s %s", opt->name, opt->arg);
		else
			snprintf(head, sizeof(head), "%s", opt->name);
		put_entry(f, head, opt->help);
	}
}

static const char common_options[] =
	"  --json                one JSON document on stdout\n"
	"  --color[=WHEN]        auto (default: only on a terminal, not with\n"
	"                        NO_COLOR set), always or never\n"
	"  -h, --help            this help; after a command, that command's help\n"
	"  --version             version of this program\n";

static const char addresses[] =
	"Addresses (ADDR, START, END) are hexadecimal, with or without 0x.\n"
	"END is exclusive; the kernel wants START and END page aligned.\n";

void cli_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: ptscope [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Inspect the page tables of a process (needs the ptscope kernel module).\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < cli_nr_commands; i++) {
		const struct cli_command *cmd = cli_commands[i];
		char head[64];

		snprintf(head, sizeof(head), "%s %s", cmd->name, cmd->args);
		put_entry(f, head, cmd->help);
	}
	put_entry(f, "help [COMMAND]", "this help, or one command's");
	fprintf(f, "\nOptions (before or after the command):\n%s", common_options);
	for (i = 0; i < cli_nr_commands; i++) {
		const struct cli_command *cmd = cli_commands[i];

		if (!cmd->options || !cmd->options->name)
			continue;
		fprintf(f, "\nOptions of %s:\n", cmd->name);
		put_options(f, cmd->options);
	}
	fprintf(f,
		"\n%s"
		"\n"
		"Exit status:\n"
		"  0  success\n"
		"  1  the request failed (kernel error, module not loaded, output error)\n"
		"  2  usage error (bad PID or address, unknown command or option)\n",
		addresses);
}

void cli_command_help(FILE *f, const struct cli_command *cmd)
{
	bool has_options = cmd->options && cmd->options->name;

	fprintf(f, "Usage: ptscope %s%s%s%s\n\n  ", cmd->name, *cmd->args ? " " : "",
		cmd->args, has_options ? " [OPTIONS]" : "");
	for (const char *p = cmd->help; *p; p++) {
		fputc(*p, f);
		if (*p == '\n')
			fputs("  ", f);
	}
	fputc('\n', f);
	if (has_options) {
		fprintf(f, "\nOptions:\n");
		put_options(f, cmd->options);
	}
	fprintf(f, "\nOptions of every command:\n%s\n%s", common_options, addresses);
}
