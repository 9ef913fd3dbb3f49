// SPDX-License-Identifier: GPL-2.0
/* The CLI as a program: ptbench runs it and says how it was linked. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

/* @prog with @argv, stdout to /dev/null; its exit status */
static int run_quiet(const char *prog, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t child;
	int status;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&child, prog, &fa, NULL, argv, environ))
		die("spawn %s: %s", prog, strerror(errno));
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(child, &status, 0) < 0)
		die("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* `PROG --json CMD [PID] >/dev/null`; its exit status */
int run_cli(const char *prog, const char *cmd, pid_t pid)
{
	char pidstr[16];
	char *argv[] = { (char *)"ptscope", (char *)"--json", (char *)cmd,
			 pid ? pidstr : NULL, NULL };

	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	return run_quiet(prog, argv);
}

/* `PROG metrics --pid PID >/dev/null`: one textfile collection; its status */
int run_cli_metrics(const char *prog, pid_t pid)
{
	char pidstr[16];
	char *argv[] = { (char *)"ptscope", (char *)"metrics", (char *)"--pid", pidstr, NULL };

	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	return run_quiet(prog, argv);
}

/*
 * "static, non-PIE", "static-pie" or "dynamic" (has an ELF interpreter,
 * i.e. ld.so), for the header: start-up costs depend on it more than on
 * anything else (under TCG, ASLR makes every exec translate code anew).
 */
const char *linkage(const char *path)
{
	const char *kind = "?";
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return "missing";
	if (pread(fd, &eh, sizeof(eh), 0) == sizeof(eh) &&
	    !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64) {
		/* ET_EXEC: loaded at a fixed address; ET_DYN: PIE, moved by ASLR */
		kind = eh.e_type == ET_EXEC ? "static, non-PIE" : "static-pie";
		for (int i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;

			if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff +
				  (uint64_t)i * eh.e_phentsize)) != sizeof(ph)) {
				kind = "?";
				break;
			}
			if (ph.p_type == PT_INTERP) {
				kind = "dynamic";
				break;
			}
		}
	}
	close(fd);
	return kind;
}
