// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope exporter [--listen ADDR:PORT] [SELECTORS] [--min-interval S]
 *                  [--heat [--cold-after S]] [--log-requests]
 *
 * The command line; exporter_http.c serves (see exporter.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "exporter.h"
#include "heat.h"
#include "metrics_args.h"

struct exporter_opts {
	struct metrics_args a;
	const char *listen;
	const char *min_interval;
	int heat;
	const char *cold_after;
	int log_requests;
};

static const struct cli_option exporter_options[] = {
	METRICS_ARGS_OPTIONS(struct exporter_opts),
	CLI_OPT_ARG(struct exporter_opts, listen, "--listen", "ADDR:PORT",
		    "where to serve /metrics (default " EXPORTER_DEFAULT_LISTEN ";\n"
		    "[::1]:PORT for IPv6)"),
	CLI_OPT_ARG(struct exporter_opts, min_interval, "--min-interval", "S",
		    "walk a process at most once per S seconds\n"
		    "(default 15); scrapes between get the cached walk"),
	CLI_OPT_FLAG(struct exporter_opts, heat, "--heat", 1,
		     "sample accessed bits at each walk: working set\n"
		     "and cold bytes (clears them: one sampler per process)"),
	CLI_OPT_ARG(struct exporter_opts, cold_after, "--cold-after", "S",
		    "--heat: memory idle this long is cold (default 300)"),
	CLI_OPT_FLAG(struct exporter_opts, log_requests, "--log-requests", 1,
		     "a line per request on stderr"),
	{ NULL }
};

/* "127.0.0.1:9477", "[::1]:9477", "localhost:9477". */
static int parse_listen(const char *arg, struct sockaddr_storage *ss, bool *v6)
{
	const char *s = arg;
	const char *colon = strrchr(s, ':');
	char host[INET6_ADDRSTRLEN + 2];
	size_t hlen;
	char *end;
	long port;

	memset(ss, 0, sizeof(*ss));
	if (!colon || colon == s)
		goto bad;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port < 1 || port > 65535)
		goto bad;
	hlen = (size_t)(colon - s);
	if (s[0] == '[' && s[hlen - 1] == ']') {
		s++;
		hlen -= 2;
	}
	if (hlen >= sizeof(host))
		goto bad;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	*v6 = strchr(host, ':') != NULL;
	if (*v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			goto bad;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
	}
	return EXIT_OK;
bad:
	return usage_error("invalid --listen '%s': ADDR:PORT with a numeric address "
			   "(127.0.0.1:9477, [::1]:9477, 0.0.0.0:9477) or localhost:PORT", arg);
}

static int parse_exporter_opts(const struct exporter_opts *o, struct metrics_opts *mo,
			       struct metrics_args_buf *buf)
{
	int rc = metrics_args_parse(&o->a, mo, buf);

	if (!rc)
		rc = arg_seconds("--min-interval", o->min_interval, 15, &mo->min_interval);
	if (!rc)
		rc = arg_seconds("--cold-after", o->cold_after, 300, &mo->cold_after);
	if (!rc && o->cold_after && !o->heat)
		rc = usage_error("--cold-after only applies with --heat");
	/* Idle ages count samples, up to HEAT_AGE_MAX of them. */
	if (!rc && o->heat && mo->min_interval > 0 &&
	    mo->cold_after > mo->min_interval * (HEAT_AGE_MAX - 5))
		rc = usage_error("--cold-after %g is more than %d samples of --min-interval %g: "
				 "nothing could ever be cold", mo->cold_after, HEAT_AGE_MAX - 5,
				 mo->min_interval);
	mo->heat = o->heat;
	return rc;
}

static int cmd_exporter(struct cli *cli, int argc, char **argv)
{
	const struct exporter_opts *o = cli->opts;
	struct exporter_cfg cfg = { .listen = o->listen ? o->listen : EXPORTER_DEFAULT_LISTEN,
				    .log_requests = o->log_requests };
	struct metrics_args_buf buf;
	int rc;

	(void)argv;
	if (argc)
		return usage_error("usage: ptscope exporter [--listen ADDR:PORT] [--pid PID,...] "
				   "[--comm REGEX] [--cgroup PATH] [--tracked]");
	if (cli->json)
		return usage_error("exporter has no --json: it serves the Prometheus format");
	rc = parse_exporter_opts(o, &cfg.mo, &buf);
	if (!rc)
		rc = parse_listen(cfg.listen, &cfg.addr, &cfg.v6);
	if (!rc)
		rc = exporter_serve(&cfg);
	metrics_args_free(&buf);
	return rc;
}

const struct cli_command exporter_command = {
	.name = "exporter",
	.args = "",
	.help = "serve the same figures as `metrics` over HTTP at\n"
		"/metrics for Prometheus (text or OpenMetrics)",
	.options = exporter_options,
	.opts_size = sizeof(struct exporter_opts),
	.run = cmd_exporter,
};
