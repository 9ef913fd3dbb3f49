/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `ptscope exporter`: the command line (cmd_exporter.c) hands a parsed
 * configuration to the HTTP side, exporter_http.c (libmicrohttpd), or in
 * a static build to exporter_nohttp.c, which only says why not: Debian
 * ships no static GnuTLS and p11-kit for libmicrohttpd.a to link against.
 */
#ifndef PTSCOPE_EXPORTER_H
#define PTSCOPE_EXPORTER_H

#include <stdbool.h>
#include <sys/socket.h>

#include "metrics.h"

#define EXPORTER_DEFAULT_LISTEN	"127.0.0.1:9477"

struct exporter_cfg {
	struct metrics_opts mo;
	const char *listen;		/* as given, for messages */
	struct sockaddr_storage addr;
	bool v6;
	bool log_requests;
};

/* Serves until SIGINT or SIGTERM: EXIT_OK, or EXIT_FAILED (said on stderr). */
int exporter_serve(const struct exporter_cfg *cfg);

#endif /* PTSCOPE_EXPORTER_H */
