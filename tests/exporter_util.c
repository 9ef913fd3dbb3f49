// SPDX-License-Identifier: GPL-2.0
/*
 * exporter_test's helpers (exporter.h): the exporter and the churn
 * workload as child processes, the kernel's views of a process, the module
 * unloaded and loaded again.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exporter.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

int cli_quiet(const char *fmt, ...)
{
	char args[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return cli_run("/dev/null", "%s", args);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint16_t free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	uint16_t port = 0;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && !bind(fd, (struct sockaddr *)&sa, sizeof(sa)) &&
	    !getsockname(fd, (struct sockaddr *)&sa, &sl))
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static bool accepts(uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (fd >= 0)
		close(fd);
	return ok;
}

static void print_log(const struct exporter *x)
{
	char *t = slurp(x->log, NULL);

	fprintf(stderr, "# exporter's stderr:\n");
	for (char *l = t ? strtok(t, "\n") : NULL; l; l = strtok(NULL, "\n"))
		fprintf(stderr, "#   %s\n", l);
	free(t);
}

int exp_start(struct exporter *x, const char *addr, uint16_t port, const char *fmt, ...)
{
	static int seq;
	char args[512], listen[64], *argv[40], *save = NULL;
	const char *cli = cli_path();
	int argc = 0, fd;
	va_list ap;

	x->pid = -1;
	x->port = port ? port : free_port();
	if (!cli || !x->port)
		return -1;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(listen, sizeof(listen), "%s:%u", addr, x->port);
	snprintf(x->log, sizeof(x->log), "/tmp/exporter-%d-%d.log", (int)getpid(), seq++);
	argv[argc++] = (char *)cli;
	argv[argc++] = "exporter";
	argv[argc++] = "--listen";
	argv[argc++] = listen;
	argv[argc++] = "--log-requests";
	for (char *t = strtok_r(args, " ", &save); t && argc < 39; t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	fd = open(x->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	fflush(NULL);
	x->pid = fork();
	if (x->pid == 0) {
		int null = open("/dev/null", O_RDWR);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, 0);
		dup2(null, 1);
		dup2(fd, 2);
		setenv("NO_COLOR", "1", 1);
		execv(cli, argv);
		_exit(127);
	}
	close(fd);
	if (x->pid < 0)
		return -1;
	/* TCG is slow: a CLI that starts up in milliseconds may take seconds. */
	for (double end = now_s() + 30; now_s() < end; usleep(20 * 1000)) {
		if (waitpid(x->pid, NULL, WNOHANG) == x->pid) {
			x->pid = -1;
			print_log(x);
			return -1;
		}
		if (accepts(x->port))
			return 0;
	}
	print_log(x);
	exp_stop(x);
	return -1;
}

int exp_stop(struct exporter *x)
{
	int status;

	if (x->pid <= 0)
		return -1;
	kill(x->pid, SIGTERM);
	for (int i = 0; i < 1000; i++) {
		if (waitpid(x->pid, &status, WNOHANG) == x->pid) {
			x->pid = -1;
			unlink(x->log);
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		usleep(10 * 1000);
	}
	kill(x->pid, SIGKILL);
	waitpid(x->pid, NULL, 0);
	x->pid = -1;
	return -1;
}

int exp_log_count(const struct exporter *x, const char *needle)
{
	char *t = slurp(x->log, NULL);
	int n = 0;

	for (char *p = t; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	free(t);
	return n;
}

/* "Key:   N kB" lines of a /proc file, summed per key. */
static int proc_kb(const char *path, const char *const keys[], uint64_t *vals, int n)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	memset(vals, 0, n * sizeof(*vals));
	while (fgets(line, sizeof(line), f))
		for (int i = 0; i < n; i++) {
			size_t kl = strlen(keys[i]);
			unsigned long long v;

			if (!strncmp(line, keys[i], kl) && line[kl] == ':' &&
			    sscanf(line + kl + 1, "%llu kB", &v) == 1)
				vals[i] += v;
		}
	fclose(f);
	return 0;
}

int oracle_read(pid_t pid, struct oracle *o)
{
	static const char *const rollup[] = {
		"Rss", "Swap", "AnonHugePages", "ShmemPmdMapped", "FilePmdMapped",
	};
	static const char *const status[] = { "VmPTE" };
	uint64_t v[5];
	char path[64], line[4200];
	FILE *f;
	int err;

	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	err = proc_kb(path, rollup, v, 5);
	if (err)
		return err;
	o->rss_kb = v[0];
	o->swap_kb = v[1];
	o->anon_huge_kb = v[2];
	o->pmd_mapped_kb = v[3] + v[4];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	err = proc_kb(path, status, &o->vmpte_kb, 1);
	if (err)
		return err;
	/* [vsyscall] is the gate area, not a VMA of the mm. */
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		o->vmas += !strstr(line, "[vsyscall]");
	fclose(f);
	return 0;
}

int pageout(pid_t pid, uint64_t addr, size_t len)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), err = 0;

	if (pidfd < 0)
		return -errno;
	if (syscall(SYS_process_madvise, pidfd, &iov, 1, MADV_PAGEOUT, 0) < 0)
		err = -errno;
	close(pidfd);
	return err;
}

int library_counts(struct ptscope_client *c, pid_t pid, struct lib_counts *n)
{
	struct vma_list vl = { 0 };
	struct run_list rl = { 0 };
	int err = collect_vmas(c, pid, 0, 0, 0, &vl);

	memset(n, 0, sizeof(*n));
	for (size_t i = 0; !err && i < vl.n; i++)
		n->dirty += vl.v[i].nr_dirty;
	if (!err)
		err = collect_runs(c, pid, 0, 0, 0, &rl);
	for (size_t i = 0; !err && i < rl.n; i++)
		if ((rl.r[i].flags & PTSCOPE_PF_SPECIAL) && (rl.r[i].flags & PTSCOPE_PF_PRESENT))
			n->special += rl.r[i].nr_pages;
	vma_list_free(&vl);
	run_list_free(&rl);
	return err;
}

int dir_entries(const char *dir, char *name, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	name[0] = '\0';
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(name, len, "%s", e->d_name);
			n++;
		}
	closedir(d);
	return n;
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

void rm_rf(const char *dir)
{
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- the module ---------------------------------------------------------- */

static const char *ko(void)
{
	return getenv("PTSCOPE_KO");
}

bool module_reloadable(void)
{
	const char *k = ko();

	return k && k[0] && strcmp(k, "none") && !strstr(k, "/updates/dkms/") &&
	       access(k, R_OK) == 0;
}

int module_unload(void)
{
	/* A dump in progress holds the module: retry for a while. */
	for (double end = now_s() + 30; ; usleep(100 * 1000)) {
		if (!syscall(SYS_delete_module, "ptscope", O_NONBLOCK))
			return 0;
		if ((errno != EAGAIN && errno != EBUSY) || now_s() > end)
			return -errno;
	}
}

int module_load(void)
{
	int fd = open(ko(), O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, "", 0))
		err = -errno;
	close(fd);
	return err;
}

void module_ensure_loaded(void)
{
	if (access("/sys/module/ptscope", F_OK) && module_reloadable())
		module_load();
}

/* ---- processes ------------------------------------------------------------- */

int churn_start(struct churn *ch)
{
	char path[4200], line[128];
	int out[2], pid = 0;
	FILE *f;

	ch->pid = -1;
	snprintf(path, sizeof(path), "%s/workload", self_dir());
	if (pipe2(out, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	ch->pid = fork();
	if (ch->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(out[1], 1);
		execl(path, path, "--churn", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	f = fdopen(out[0], "r");
	if (!f || !fgets(line, sizeof(line), f) || sscanf(line, "pid=%d", &pid) != 1 ||
	    pid != ch->pid) {
		if (f)
			fclose(f);
		churn_stop(ch);
		return -EPROTO;
	}
	fclose(f);
	return 0;
}

void churn_stop(struct churn *ch)
{
	kill_wait(ch->pid);
	ch->pid = -1;
}

int stats_json(pid_t pid, char **out)
{
	char p[16];
	char *argv[] = { (char *)cli_path(), "stats", p, "--json", NULL };

	snprintf(p, sizeof(p), "%d", (int)pid);
	if (!argv[0])
		return -1;
	return run_capture(argv, out) ? -1 : 0;
}
