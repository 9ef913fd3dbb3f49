// SPDX-License-Identifier: GPL-2.0
/*
 * Other processes: programs run (the CLI above all) with their output
 * captured, and targets spawned, waited for and killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

int run_cmd(char *const argv[], int out_fd, int (*setup)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (out_fd >= 0 && dup2(out_fd, 1) < 0)
			_exit(126);
		if (setup && setup(arg))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int run_capture_with(char *const argv[], char **out, int (*setup)(void *), void *arg)
{
	/* A memfd, not a pipe: no reader needed while the child writes MBs. */
	int fd = memfd_create("ptscope-test-out", MFD_CLOEXEC);
	int rc;

	*out = NULL;
	if (fd < 0)
		return -1;
	rc = run_cmd(argv, fd, setup, arg);
	if (lseek(fd, 0, SEEK_SET) == 0)
		*out = read_all(fd, NULL);
	close(fd);
	return *out ? rc : -1;
}

int run_capture(char *const argv[], char **out)
{
	return run_capture_with(argv, out, NULL, NULL);
}

static int no_color(void *unused)
{
	(void)unused;
	return setenv("NO_COLOR", "1", 1);
}

int cli_run(const char *out_path, const char *fmt, ...)
{
	char args[512], *argv[32], *save = NULL, *tok;
	const char *cli = cli_path();
	int argc = 0, fd, rc;
	va_list ap;

	if (!cli)
		return -1;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	argv[argc++] = (char *)cli;
	for (tok = strtok_r(args, " ", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	rc = run_cmd(argv, fd, no_color, NULL);
	close(fd);
	return rc;
}

pid_t spawn_target(int (*build)(void *shared), void *shared, size_t size)
{
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	int p[2];
	char c = 0;
	pid_t pid;

	if (map == MAP_FAILED)
		return -1;
	if (pipe2(p, O_CLOEXEC)) {
		munmap(map, size);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[0]);
		c = build(map) ? 'e' : 'r';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid > 0 && (read(p[0], &c, 1) != 1 || c != 'r')) {
		kill_wait(pid);
		pid = -1;
	}
	close(p[0]);
	if (pid > 0)
		memcpy(shared, map, size);
	munmap(map, size);
	return pid;
}

void kill_wait(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

const char *cli_path(void)
{
	static char path[4200];
	const char *env = getenv("PTSCOPE_CLI");

	if (env && access(env, X_OK) == 0)
		return env;
	if (access("/bin/ptscope", X_OK) == 0)
		return "/bin/ptscope";
	snprintf(path, sizeof(path), "%s/../../userspace/ptscope", self_dir());
	if (access(path, X_OK) == 0)
		return path;
	return NULL;
}

int wait_zombie(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	return waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
}

pid_t spawn_busy_target(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		unsigned int x = 1;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;) {
			size_t sz = (1 + (x % 64)) * PAGE_SZ * 16;
			char *p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			x = x * 1103515245 + 12345;
			if (p == MAP_FAILED)
				continue;
			for (size_t o = 0; o < sz; o += 2 * PAGE_SZ)
				p[o] = 1;
			mprotect(p + PAGE_SZ * (x % 16), PAGE_SZ, PROT_READ);
			madvise(p, sz / 2, MADV_DONTNEED);
			munmap(p, sz);
		}
	}
	return pid;
}
