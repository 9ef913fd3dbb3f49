// SPDX-License-Identifier: GPL-2.0
/*
 * Which processes the metrics selectors name: --pid as given (a missing
 * one simply has no series), --comm and --cgroup by a pass over /proc.
 * A process that exits during the pass is skipped, never an error.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

static bool read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

bool metrics_read_comm(const char *proc_root, pid_t pid, char *buf, size_t len)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/%d/comm", proc_root, (int)pid);
	return read_line(path, buf, len);
}

bool metrics_read_cgroup(const char *proc_root, pid_t pid, char *buf, size_t len)
{
	char path[96], line[4096];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/cgroup", proc_root, (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		/* cgroup v2: "0::/path"; v1 hierarchies have a controller list. */
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, len, "%s", line + 3);
		found = true;
	}
	fclose(f);
	return found;
}

bool metrics_cgroup_within(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!strcmp(prefix, "/"))
		return path[0] == '/';
	return !strncmp(path, prefix, n) && (path[n] == '\0' || path[n] == '/');
}

/* Fields 9 (flags) and 22 (starttime) of /proc/PID/stat. */
static bool read_stat(const char *proc_root, pid_t pid, unsigned long *flags,
		      unsigned long long *starttime)
{
	char path[96], buf[1024], *p;
	int field;

	snprintf(path, sizeof(path), "%s/%d/stat", proc_root, (int)pid);
	if (!read_line(path, buf, sizeof(buf)))
		return false;
	/* comm (field 2) may hold spaces and parentheses: skip to its last ')'. */
	p = strrchr(buf, ')');
	for (field = 2; p && field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (p && field == 8 && sscanf(p + 1, "%lu", flags) != 1)
			return false;
	}
	return p && sscanf(p + 1, "%llu", starttime) == 1;
}

bool metrics_read_starttime(const char *proc_root, pid_t pid,
			    unsigned long long *out)
{
	unsigned long flags;

	return read_stat(proc_root, pid, &flags, out);
}

/* PF_KTHREAD (include/linux/sched.h): kernel threads have no mm to walk. */
#define PF_KTHREAD_FLAG	0x00200000UL

static bool is_kthread(const char *proc_root, pid_t pid)
{
	unsigned long long start;
	unsigned long flags = 0;

	return !read_stat(proc_root, pid, &flags, &start) || (flags & PF_KTHREAD_FLAG);
}

static int add_pid(pid_t **v, size_t *n, size_t *cap, pid_t pid)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		pid_t *nv = realloc(*v, c * sizeof(**v));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = pid;
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

static bool scan_matches(const char *proc_root, const struct metrics_opts *o,
			 pid_t pid)
{
	char buf[4096];

	if (o->comm && metrics_read_comm(proc_root, pid, buf, sizeof(buf)) &&
	    !regexec(o->comm, buf, 0, NULL, 0))
		return true;
	return o->cgroup && metrics_read_cgroup(proc_root, pid, buf, sizeof(buf)) &&
	       metrics_cgroup_within(buf, o->cgroup);
}

int metrics_select(const char *proc_root, const struct metrics_opts *o,
		   pid_t **out, size_t *n)
{
	pid_t *v = NULL;
	size_t nv = 0, cap = 0, i, w;
	int err = 0;

	for (i = 0; i < o->nr_pids && !err; i++)
		err = add_pid(&v, &nv, &cap, o->pids[i]);
	if (!err && (o->comm || o->cgroup)) {
		DIR *d = opendir(proc_root);
		struct dirent *de;

		while (d && !err && (de = readdir(d))) {
			char *end;
			long pid;

			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			pid = strtol(de->d_name, &end, 10);
			if (*end || pid <= 0)
				continue;
			if (scan_matches(proc_root, o, (pid_t)pid) &&
			    !is_kthread(proc_root, (pid_t)pid))
				err = add_pid(&v, &nv, &cap, (pid_t)pid);
		}
		if (d)
			closedir(d);
	}
	if (err) {
		free(v);
		return err;
	}
	if (nv)
		qsort(v, nv, sizeof(*v), cmp_pid);
	for (i = 0, w = 0; i < nv; i++)
		if (!w || v[w - 1] != v[i])
			v[w++] = v[i];
	*out = v;
	*n = w;
	return 0;
}
