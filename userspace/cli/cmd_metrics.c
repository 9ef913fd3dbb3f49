// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope metrics [SELECTORS] [--output FILE] [--openmetrics]
 *
 * One collection in the Prometheus text format, for node_exporter's
 * textfile collector (a systemd timer runs it: dist/systemd/).  With
 * --output the file is written beside FILE and renamed over it, so the
 * collector never reads half of one; on any failure FILE stays as it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metrics_args.h"
#include "prom.h"

struct metrics_cmd_opts {
	struct metrics_args a;
	const char *output;
	int openmetrics;
};

static const struct cli_option metrics_options[] = {
	METRICS_ARGS_OPTIONS(struct metrics_cmd_opts),
	CLI_OPT_ARG(struct metrics_cmd_opts, output, "--output", "FILE",
		    "write FILE atomically (a temporary file beside it,\n"
		    "then renamed; node_exporter's textfile directory)"),
	CLI_OPT_FLAG(struct metrics_cmd_opts, openmetrics, "--openmetrics", 1,
		     "OpenMetrics 1.0.0 instead of the Prometheus text format"),
	{ NULL }
};

/*
 * @path's contents replaced by the snapshot, or left alone: written to a
 * mkstemp() file beside it (node_exporter reads only *.prom, so not the
 * temporary name), synced, renamed over it.
 */
static int write_atomically(const char *path, const struct metrics_snapshot *s,
			    const struct prom_opts *po)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	FILE *f = NULL;
	int fd, err = 0;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, n, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	/* mkstemp() makes it 0600; the collector may run as another user. */
	if (fchmod(fd, 0644) < 0) {
		err = -errno;
		close(fd);
		goto unlink;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		goto unlink;
	}
	err = prom_write(f, s, po);
	if (fflush(f) || fsync(fileno(f)))
		err = err ? err : -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
unlink:
	if (err)
		unlink(tmp);
out:
	if (err)
		fprintf(stderr, "ptscope: cannot write %s: %s\n", path, strerror(-err));
	free(tmp);
	return err;
}

static int cmd_metrics(struct cli *cli, int argc, char **argv)
{
	const struct metrics_cmd_opts *o = cli->opts;
	struct metrics_collector mc;
	struct metrics_snapshot s;
	struct metrics_args_buf buf;
	struct metrics_opts mo = { 0 };
	struct prom_opts po = { 0 };
	int rc, err;

	(void)argv;
	if (argc)
		return usage_error("usage: ptscope metrics [--pid PID,...] [--comm REGEX] "
				   "[--cgroup PATH] [--tracked] [--output FILE]");
	if (cli->json)
		return usage_error("metrics has no --json: its output is the Prometheus format");
	if (o->openmetrics && o->output)
		return usage_error("--output writes node_exporter's textfile, which must be the "
				   "Prometheus text format: no --openmetrics with it");
	rc = metrics_args_parse(&o->a, &mo, &buf);
	if (rc) {
		metrics_args_free(&buf);
		return rc;
	}
	metrics_collector_init(&mc, &mo);
	err = metrics_collect(&mc, &s);
	if (err) {
		fprintf(stderr, "ptscope: %s\n", strerror(-err));
		rc = EXIT_FAILED;
		goto out;
	}
	if (!s.up)
		fprintf(stderr, "ptscope: kernel module not loaded: only ptscope_up 0 is written\n");
	po.openmetrics = o->openmetrics;
	po.cgroup_label = mo.cgroup_label;
	po.now = metrics_clock();
	if (o->output)
		err = write_atomically(o->output, &s, &po);
	else
		err = prom_write(cli->out, &s, &po);
	rc = err ? EXIT_FAILED : EXIT_OK;
	metrics_snapshot_free(&s);
out:
	metrics_collector_free(&mc);
	metrics_args_free(&buf);
	return rc;
}

const struct cli_command metrics_command = {
	.name = "metrics",
	.args = "",
	.help = "the tracked (or selected) processes' figures in the\n"
		"Prometheus text format, for node_exporter's textfile\n"
		"collector (docs/metrics.md)",
	.options = metrics_options,
	.opts_size = sizeof(struct metrics_cmd_opts),
	.run = cmd_metrics,
};
