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
	  "                        swapped/huge amounts, a presence density bar, backing" },
	{ "pages", cmd_pages, "PID [START-END]",
	  "runs of pages with identical attributes (all VMAs by default);\n"
	  "                        --pfn splits runs at physical discontinuities (root)" },
	{ "vtop", cmd_vtop, "PID ADDR",
	  "walk the page tables for one address, level by level" },
	{ "tables", cmd_tables, "PID [pgd|p4d|pud|pmd|pte]",
	  "page tables per level: tables, entries, fill, bytes, leaves;\n"
	  "                        with a level, the tree of tables down to it" },
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

int main(int argc, char **argv)
{
	enum color_mode color = COLOR_AUTO;
	bool help = false, version = false, opts_done = false;
	struct cli cli = { .out = stdout };
	const struct command *cmd;
	char **pos;
	char *json_buf = NULL;
	size_t json_len = 0;
	int npos = 0, i, rc;

	setlocale(LC_CTYPE, "");

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
			free(pos);
			return usage_error("unknown option '%s'", a);
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

	cli.color = !cli.json && color_wanted(color, isatty(STDOUT_FILENO),
					      getenv("NO_COLOR"), getenv("TERM"));
	cli.utf8 = locale_is_utf8();

	/* JSON is all or nothing: a failure must not leave half a document. */
	if (cli.json) {
		cli.out = open_memstream(&json_buf, &json_len);
		if (!cli.out) {
			perror("ptscope");
			free(pos);
			return EXIT_FAILED;
		}
	}

	rc = cmd->run(&cli, npos - 1, pos + 1);
	free(pos);

	if (cli.json) {
		if (fclose(cli.out) != 0 && rc == EXIT_OK) {
			perror("ptscope");
			rc = EXIT_FAILED;
		}
		if (rc == EXIT_OK)
			fwrite(json_buf, 1, json_len, stdout);
		free(json_buf);
	}
	if (close_stdout() != EXIT_OK && rc == EXIT_OK)
		rc = EXIT_FAILED;
	return rc;
}
