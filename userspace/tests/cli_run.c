// SPDX-License-Identifier: GPL-2.0
/* Running the CLI inside the unit tests (cli_run.h). */
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "cli_run.h"
#include "tap.h"

char *slurp(FILE *f)
{
	char *buf;
	long len;

	fflush(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, len > 0 ? (size_t)len + 1 : 1);
	if (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)
		buf[0] = '\0';
	return buf;
}

struct result cli_run(void (*setup)(void), const char *locale, const char *stdout_path,
		      char **argv)
{
	struct result r = { .rc = -1 };
	FILE *out = tmpfile(), *err = tmpfile();
	int argc = 0, status;
	pid_t pid;

	while (argv[argc])
		argc++;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		int fd = stdout_path ? open(stdout_path, O_WRONLY | O_TRUNC) : fileno(out);

		dup2(fd, STDOUT_FILENO);
		dup2(fileno(err), STDERR_FILENO);
		setenv("LC_ALL", locale, 1);
		unsetenv("NO_COLOR");
		if (setup)
			setup();
		exit(ptscope_main(argc, argv));
	}
	waitpid(pid, &status, 0);
	r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	r.out = slurp(out);
	r.err = slurp(err);
	fclose(out);
	fclose(err);
	return r;
}

struct result cli_runl(void (*setup)(void), const char *locale, const char *stdout_path, ...)
{
	char *argv[16] = { "ptscope" };
	int argc = 1;
	va_list ap;

	va_start(ap, stdout_path);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	return cli_run(setup, locale, stdout_path, argv);
}

char *cli_run_pty(void (*setup)(void), const char *keys, const char *when, int *rc,
		  bool *cooked_after, char **argv)
{
	size_t len = 0, cap = 1 << 20;
	char *buf;
	struct termios tio;
	int master, status, argc = 0;
	pid_t pid;

	while (argv[argc])
		argc++;
	fflush(stdout);
	pid = forkpty(&master, NULL, NULL, NULL);
	if (pid == 0) {
		setenv("LC_ALL", "C", 1);
		setenv("TERM", "xterm", 1);
		if (setup)
			setup();
		exit(ptscope_main(argc, argv));
	}
	buf = calloc(1, cap);	/* after the fork: not the child's leak */
	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 10000) <= 0)
			break;
		n = read(master, buf + len, cap - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (keys && strstr(buf, when)) {
			if (write(master, keys, strlen(keys)) < 0)
				break;
			keys = NULL;
		}
	}
	if (getenv("PTSCOPE_DEBUG_PTY"))
		fprintf(stderr, "pty output (%zu bytes): %s\n", len, buf);
	*cooked_after = tcgetattr(master, &tio) == 0 && (tio.c_lflag & ICANON) &&
			(tio.c_lflag & ECHO);
	waitpid(pid, &status, 0);
	*rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	close(master);
	return buf;
}

void done(struct result *r)
{
	free(r->out);
	free(r->err);
}

void golden_text(const char *name, const char *got)
{
	char path[256], *want = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "tests/golden/%s", name);
	if (getenv("PTSCOPE_UPDATE_GOLDEN")) {
		f = fopen(path, "w");
		ok(f && fputs(got, f) >= 0 && !fclose(f), "golden %s: rewritten", name);
		return;
	}
	f = fopen(path, "r");
	if (f) {
		want = slurp(f);
		fclose(f);
	}
	if (!ok(want && !strcmp(got, want), "golden %s", name)) {
		if (!want)
			printf("#   %s missing: make update-golden\n", path);
		else
			printf("#   got:\n%s", got);
	}
	free(want);
}

void json_lines_check(const char *doc, const char *expr, const char *name)
{
	char cmd[2048];
	FILE *p;

	if (system("command -v python3 >/dev/null 2>&1") != 0) {
		printf("ok %d - %s # SKIP python3 not available\n",
		       tap_passed + tap_failed + 1, name);
		tap_passed++;
		return;
	}
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; s=sys.stdin.read(); assert s.endswith(\"\\n\"); "
		 "L=[json.loads(x) for x in s.splitlines()]; d=L[0]; S=L[-1]; assert %s'", expr);
	fflush(stdout);
	p = popen(cmd, "w");
	if (!p) {
		ok(0, "%s: popen", name);
		return;
	}
	fputs(doc ? doc : "", p);
	ok(pclose(p) == 0, "%s", name);
}
