// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope track start PID... | stop PID...|--all | list
 *
 * Tracking counts TLB flushes and page faults of a process's mm until it
 * is stopped or the mm goes away (exit, execve); `ptscope stats PID` and
 * `ptscope watch PID` show the counts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "json.h"
#include "tracking.h"
#include "term.h"

struct track_opts {
	int all;		/* track stop --all */
};

static const struct cli_option track_options[] = {
	CLI_OPT_FLAG(struct track_opts, all, "--all", 1,
		     "track stop: every tracked process"),
	{ NULL }
};

static int parse_pids(int argc, char **argv, pid_t **pids)
{
	int rc;

	*pids = calloc((size_t)argc, sizeof(**pids));
	if (!*pids) {
		perror("ptscope");
		return EXIT_FAILED;
	}
	for (int i = 0; i < argc; i++) {
		rc = arg_pid(argv[i], &(*pids)[i]);
		if (rc) {
			free(*pids);
			*pids = NULL;
			return rc;
		}
	}
	return EXIT_OK;
}

static int track_start(struct cli *cli, int argc, char **argv)
{
	struct ptscope_client *c = NULL;
	pid_t *pids;
	bool *started;
	int rc, i;
	struct json j;

	if (argc < 1)
		return usage_error("usage: ptscope track start PID...");
	rc = parse_pids(argc, argv, &pids);
	if (rc)
		return rc;
	started = calloc((size_t)argc, sizeof(*started));
	if (!started) {
		free(pids);
		perror("ptscope");
		return EXIT_FAILED;
	}
	rc = cli_open(&c);
	/* every PID gets its chance; one failure fails the command */
	for (i = 0; c && i < argc; i++) {
		int err = ptscope_track_start(c, pids[i]);

		if (!err) {
			started[i] = true;
			if (!cli->json)
				fprintf(cli->out, "tracking pid %d\n", (int)pids[i]);
		} else if (err == -EALREADY) {
			/* what the caller wanted is true: not a failure */
			fprintf(stderr, "ptscope: pid %d is already tracked\n", (int)pids[i]);
		} else {
			request_failed(c, err);
			rc = EXIT_FAILED;
		}
	}
	if (!rc && cli->json) {
		json_init(&j, cli->out);
		json_obj_begin(&j, NULL);
		json_arr_begin(&j, "started");
		for (i = 0; i < argc; i++)
			if (started[i])
				json_u64(&j, NULL, (uint64_t)pids[i]);
		json_arr_end(&j);
		json_arr_begin(&j, "already");
		for (i = 0; i < argc; i++)
			if (!started[i])
				json_u64(&j, NULL, (uint64_t)pids[i]);
		json_arr_end(&j);
		json_obj_end(&j);
		fputc('\n', cli->out);
	}
	ptscope_close(c);
	free(started);
	free(pids);
	return rc;
}

static int track_stop(struct cli *cli, int argc, char **argv)
{
	const struct track_opts *o = cli->opts;
	struct ptscope_client *c = NULL;
	uint32_t total = 0;
	pid_t *pids = NULL;
	int rc;

	if (o->all ? argc != 0 : argc < 1)
		return usage_error("usage: ptscope track stop PID... | --all");
	if (argc) {
		rc = parse_pids(argc, argv, &pids);
		if (rc)
			return rc;
	}
	rc = cli_open(&c);
	if (!rc && o->all) {
		int err = ptscope_track_stop(c, 0, &total);

		if (err)
			rc = request_failed(c, err);
	}
	for (int i = 0; c && i < argc; i++) {
		uint32_t n;
		int err = ptscope_track_stop(c, pids[i], &n);

		if (err) {
			request_failed(c, err);
			rc = EXIT_FAILED;
			continue;
		}
		total += n;
	}
	if (!rc && cli->json) {
		struct json j;

		json_init(&j, cli->out);
		json_obj_begin(&j, NULL);
		json_u64(&j, "stopped", total);
		json_obj_end(&j);
		fputc('\n', cli->out);
	} else if (!rc) {
		fprintf(cli->out, "stopped tracking %u process%s\n", total,
			total == 1 ? "" : "es");
	}
	ptscope_close(c);
	free(pids);
	return rc;
}

struct list {
	struct ptscope_stats *v;
	size_t n, cap;
};

static int collect(const struct ptscope_stats *s, void *arg)
{
	struct list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct ptscope_stats *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	/* only the scalars: the per-CPU and range arrays are freed after us */
	l->v[l->n] = *s;
	l->v[l->n].cpus = NULL;
	l->v[l->n].ranges = NULL;
	l->v[l->n].nr_cpus = l->v[l->n].nr_ranges = 0;
	l->n++;
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct ptscope_stats *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int track_list(struct cli *cli, int argc)
{
	const char *b = sgr(cli, SGR_BOLD), *r = sgr(cli, SGR_RESET);
	struct list l = { 0 };
	struct ptscope_client *c;
	FILE *f = cli->out;
	int rc, err;

	if (argc)
		return usage_error("usage: ptscope track list");
	rc = cli_open(&c);
	if (rc)
		return rc;
	err = ptscope_list_stats(c, collect, &l);
	if (err) {
		rc = request_failed(c, err);
		goto out;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), cmp_pid);
	if (cli->json) {
		bool intr = dump_interrupted(c, 0);
		struct json j;

		json_init(&j, f);
		json_obj_begin(&j, NULL);
		json_arr_begin(&j, "tracked");
		for (size_t i = 0; i < l.n; i++) {
			const struct ptscope_stats *s = &l.v[i];

			json_obj_begin(&j, NULL);
			json_u64(&j, "pid", (uint64_t)s->pid);
			json_str(&j, "comm", s->comm);
			json_u64(&j, "track_ns", s->track_ns);
			if (s->have & PTSCOPE_PROBE_HANDLE_MM_FAULT)
				json_u64(&j, "faults", s->faults);
			if (s->have & PTSCOPE_PROBE_FLUSH_TLB_MULTI)
				json_u64(&j, "shootdowns", s->tlb_shootdowns);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		if (intr)
			json_bool(&j, "dump_interrupted", true);
		json_obj_end(&j);
		fputc('\n', f);
		goto out;
	}
	dump_interrupted(c, 0);
	if (!l.n) {
		fprintf(f, "no process is tracked (start with: ptscope track start PID)\n");
		goto out;
	}
	fprintf(f, "%s%7s  %-16s %12s %12s %12s%s\n", b, "PID", "COMM", "TRACKED FOR",
		"FAULTS", "SHOOTDOWNS", r);
	for (size_t i = 0; i < l.n; i++) {
		const struct ptscope_stats *s = &l.v[i];
		char dur[32];
		int w;

		fmt_duration(s->track_ns, dur, sizeof(dur));
		fprintf(f, "%7d  ", (int)s->pid);
		fput_sanitized(s->comm, f);
		w = 16 - (int)strlen(s->comm);
		fprintf(f, "%*s %12s ", w > 0 ? w : 0, "", dur);
		if (s->have & PTSCOPE_PROBE_HANDLE_MM_FAULT)
			fprintf(f, "%12llu ", (unsigned long long)s->faults);
		else
			fprintf(f, "%12s ", "n/a");
		if (s->have & PTSCOPE_PROBE_FLUSH_TLB_MULTI)
			fprintf(f, "%12llu\n", (unsigned long long)s->tlb_shootdowns);
		else
			fprintf(f, "%12s\n", "n/a");
	}
out:
	ptscope_close(c);
	free(l.v);
	return rc;
}

static int cmd_track(struct cli *cli, int argc, char **argv)
{
	const struct track_opts *o = cli->opts;

	if (argc < 1)
		return usage_error("usage: ptscope track start PID... | stop PID...|--all | list");
	if (o->all && strcmp(argv[0], "stop"))
		return usage_error("--all only applies to 'track stop'");
	if (!strcmp(argv[0], "start"))
		return track_start(cli, argc - 1, argv + 1);
	if (!strcmp(argv[0], "stop"))
		return track_stop(cli, argc - 1, argv + 1);
	if (!strcmp(argv[0], "list"))
		return track_list(cli, argc - 1);
	return usage_error("unknown track subcommand '%s' (start, stop or list)", argv[0]);
}

const struct cli_command track_command = {
	.name = "track",
	.args = "start|stop|list",
	.help = "count a process's TLB shootdowns and page faults: track start\n"
		"PID..., track stop PID...|--all, track list",
	.options = track_options,
	.opts_size = sizeof(struct track_opts),
	.run = cmd_track,
};
