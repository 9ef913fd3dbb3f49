/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running the CLI inside the unit tests (cli_run.c): what test_cli.c,
 * test_track.c and test_heat_cli.c share to run `ptscope ...` against the
 * fake kernel and to compare what it printed.
 */
#ifndef PTSCOPE_CLI_RUN_H
#define PTSCOPE_CLI_RUN_H

#include <stdbool.h>
#include <stdio.h>

int ptscope_main(int argc, char **argv);

struct result {
	int rc;
	char *out, *err;
};

/*
 * `ptscope ARGV...` (argv[0] included, NULL-terminated) as ptscope_main()
 * in a forked child (main() closes stdout), LC_ALL=@locale, NO_COLOR unset;
 * stdout into @stdout_path if not NULL, else captured like stderr.
 * @setup (may be NULL) runs in the child first: environment, fake-kernel
 * hooks, fixed clocks.
 */
struct result cli_run(void (*setup)(void), const char *locale, const char *stdout_path,
		      char **argv);
/* The same with the arguments after @stdout_path, NULL-terminated. */
struct result cli_runl(void (*setup)(void), const char *locale, const char *stdout_path, ...);
/*
 * The same on a pseudo-terminal (LC_ALL=C, TERM=xterm), everything it
 * printed returned; @keys written once @when has been printed.  *@rc: the
 * exit status; *@cooked_after: the terminal was left canonical with echo.
 */
char *cli_run_pty(void (*setup)(void), const char *keys, const char *when, int *rc,
		  bool *cooked_after, char **argv);
void done(struct result *r);
/* The whole of @f, NUL-terminated (never NULL). */
char *slurp(FILE *f);
/*
 * @got against tests/golden/@name; with PTSCOPE_UPDATE_GOLDEN set,
 * rewrites the file instead (`make update-golden`).
 */
void golden_text(const char *name, const char *got);
/*
 * Every line of @doc parses as JSON and the Python expression @expr holds
 * over L (the lines parsed), d = L[0] and S = L[-1].
 */
void json_lines_check(const char *doc, const char *expr, const char *name);

#endif /* PTSCOPE_CLI_RUN_H */
