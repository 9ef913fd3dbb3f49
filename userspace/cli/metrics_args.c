// SPDX-License-Identifier: GPL-2.0
/* Selectors and labels of `ptscope metrics` and `ptscope exporter`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "metrics_args.h"

#define MAX_PIDS		4096
#define DEFAULT_VMA_SERIES	20
#define MAX_VMA_SERIES		10000

static int parse_pids(const char *s, struct metrics_opts *o, struct metrics_args_buf *buf)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int rc = EXIT_OK;

	buf->pids = calloc(MAX_PIDS, sizeof(*buf->pids));
	if (!copy || !buf->pids) {
		free(copy);
		fprintf(stderr, "ptscope: out of memory\n");
		return EXIT_FAILED;
	}
	for (tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		pid_t pid;

		if (o->nr_pids == MAX_PIDS)
			rc = usage_error("--pid: at most %d PIDs", MAX_PIDS);
		else if (parse_pid(tok, &pid))
			rc = usage_error("invalid --pid '%s': expected positive decimal PIDs, "
					 "comma-separated", tok);
		else
			buf->pids[o->nr_pids++] = pid;
	}
	if (!rc && !o->nr_pids)
		rc = usage_error("--pid needs at least one PID");
	o->pids = buf->pids;
	free(copy);
	return rc;
}

int metrics_args_parse(const struct metrics_args *a, struct metrics_opts *o,
		       struct metrics_args_buf *buf)
{
	int rc = EXIT_OK;

	memset(buf, 0, sizeof(*buf));
	o->tracked = a->tracked || (!a->pid && !a->comm && !a->cgroup);
	o->track = a->track;
	o->cgroup_label = a->cgroup_label;
	o->per_vma = a->per_vma;
	o->max_vma_series = DEFAULT_VMA_SERIES;
	if (a->pid)
		rc = parse_pids(a->pid, o, buf);
	if (!rc && a->comm) {
		int err = regcomp(&buf->comm, a->comm, REG_EXTENDED | REG_NOSUB);

		if (err) {
			char msg[256];

			regerror(err, &buf->comm, msg, sizeof(msg));
			return usage_error("invalid --comm '%s': %s", a->comm, msg);
		}
		buf->has_comm = true;
		o->comm = &buf->comm;
	}
	if (!rc && a->cgroup) {
		size_t n = strlen(a->cgroup);

		if (a->cgroup[0] != '/')
			return usage_error("invalid --cgroup '%s': a path from the cgroup root, "
					   "as in /proc/PID/cgroup (\"/system.slice/x.service\")",
					   a->cgroup);
		buf->cgroup = strdup(a->cgroup);
		if (!buf->cgroup)
			return EXIT_FAILED;
		while (n > 1 && buf->cgroup[n - 1] == '/')
			buf->cgroup[--n] = '\0';
		o->cgroup = buf->cgroup;
	}
	if (!rc && a->max_vma_series) {
		char *end;
		long n;

		errno = 0;
		n = strtol(a->max_vma_series, &end, 10);
		if (errno || end == a->max_vma_series || *end || n < 0 || n > MAX_VMA_SERIES)
			return usage_error("invalid --max-vma-series '%s': 0 to %d",
					   a->max_vma_series, MAX_VMA_SERIES);
		if (!a->per_vma)
			return usage_error("--max-vma-series only applies with --per-vma");
		o->max_vma_series = (unsigned int)n;
	}
	return rc;
}

void metrics_args_free(struct metrics_args_buf *buf)
{
	free(buf->pids);
	if (buf->has_comm)
		regfree(&buf->comm);
	free(buf->cgroup);
	memset(buf, 0, sizeof(*buf));
}
