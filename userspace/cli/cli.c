// SPDX-License-Identifier: GPL-2.0
/* What every command reports the same way: usage errors, failed requests. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

int arg_seconds(const char *name, const char *s, double def, double *out)
{
	char *end;

	*out = def;
	if (!s)
		return EXIT_OK;
	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !(*out >= 0) || *out > 86400)
		return usage_error("invalid %s '%s': seconds, 0 to 86400", name, s);
	return EXIT_OK;
}

int arg_interval(const char *s, double *out)
{
	return arg_seconds("--interval", s, 1.0, out);
}

int arg_count(const char *s, long *out)
{
	char *end;

	*out = 0;
	if (!s)
		return EXIT_OK;
	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end || *out < 1)
		return usage_error("invalid --count '%s': a positive number of intervals", s);
	return EXIT_OK;
}

int cli_open_out(const char *path, FILE **f)
{
	if (!strcmp(path, "-")) {
		*f = stdout;
		return EXIT_OK;
	}
	*f = fopen(path, "w");
	if (!*f) {
		fprintf(stderr, "ptscope: %s: %s\n", path, strerror(errno));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

int cli_close_out(const char *path, FILE *f)
{
	int err = 0;

	if (f == stdout)
		return fflush(f) ? EXIT_FAILED : EXIT_OK;
	if (ferror(f))
		err = EIO;
	if (fclose(f) && !err)
		err = errno ? errno : EIO;
	if (err) {
		fprintf(stderr, "ptscope: %s: %s\n", path, strerror(err));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}
