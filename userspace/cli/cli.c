// SPDX-License-Identifier: GPL-2.0
/* What every command reports the same way: usage errors, failed requests. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

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

bool dump_interrupted(const struct ptscope_client *c, pid_t pid)
{
	/* Each command opens its own client: any count is this command's. */
	if (!ptscope_dumps_interrupted(c))
		return false;
	if (pid)
		fprintf(stderr, "ptscope: PID %d changed during the dump; "
			"the result mixes before and after\n", (int)pid);
	else
		fprintf(stderr, "ptscope: the tracked processes changed during the dump; "
			"the list mixes before and after\n");
	return true;
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
