/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The options `ptscope metrics` and `ptscope exporter` share (selectors,
 * labels, --per-vma), parsed into a struct metrics_opts.
 */
#ifndef PTSCOPE_METRICS_ARGS_H
#define PTSCOPE_METRICS_ARGS_H

#include "cli.h"
#include "metrics.h"

/* The first fields of both commands' options structs. */
struct metrics_args {
	const char *pid;		/* --pid PID[,PID...] */
	const char *comm;		/* --comm REGEX */
	const char *cgroup;		/* --cgroup PATH */
	int tracked;			/* --tracked */
	int track;			/* --track */
	int cgroup_label;		/* --cgroup-label */
	int per_vma;			/* --per-vma */
	const char *max_vma_series;	/* --max-vma-series N */
};

#define METRICS_ARGS_OPTIONS(type)						\
	CLI_OPT_ARG(type, a.pid, "--pid", "PID[,PID...]",			\
		    "select these processes"),					\
	CLI_OPT_ARG(type, a.comm, "--comm", "REGEX",				\
		    "select processes whose comm matches (POSIX ERE)"),	\
	CLI_OPT_ARG(type, a.cgroup, "--cgroup", "PATH",				\
		    "select processes in this cgroup (v2) or below"),		\
	CLI_OPT_FLAG(type, a.tracked, "--tracked", 1,				\
		     "select every tracked process (the default\n"		\
		     "without selectors)"),					\
	CLI_OPT_FLAG(type, a.track, "--track", 1,				\
		     "start tracking the selected processes"),			\
	CLI_OPT_FLAG(type, a.cgroup_label, "--cgroup-label", 1,			\
		     "label per-process series with their cgroup"),		\
	CLI_OPT_FLAG(type, a.per_vma, "--per-vma", 1,				\
		     "resident bytes per mapping (capped)"),			\
	CLI_OPT_ARG(type, a.max_vma_series, "--max-vma-series", "N",		\
		    "--per-vma: the N largest mappings (default 20)")

/* What the parsed options own (the PID list, the compiled regex). */
struct metrics_args_buf {
	pid_t *pids;
	regex_t comm;
	bool has_comm;
	char *cgroup;
};

/* EXIT_OK or a usage error (said). */
int metrics_args_parse(const struct metrics_args *a, struct metrics_opts *o,
		       struct metrics_args_buf *buf);
void metrics_args_free(struct metrics_args_buf *buf);

#endif /* PTSCOPE_METRICS_ARGS_H */
