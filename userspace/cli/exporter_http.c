// SPDX-License-Identifier: GPL-2.0
/*
 * `ptscope exporter`'s HTTP side: GET /metrics for Prometheus, the text
 * format or OpenMetrics when the scraper's Accept header prefers it.
 * HTTP is libmicrohttpd's (a thread per connection, a cap on connections,
 * on request size and on idle time); this file only answers requests.
 *
 * Scrapes that arrive while a collection runs wait for it and share its
 * result; walks are further limited by --min-interval (metrics.c).  The
 * collection is the only thing that touches the collector, so the lock
 * is held just to hand over results, never across netlink requests.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "exporter.h"
#include "prom.h"

#define MAX_CONNECTIONS		32
#define PER_IP_CONNECTIONS	8
#define IDLE_TIMEOUT_S		30
/* A scrape request is a few hundred bytes; MHD answers 431/414 above this. */
#define REQUEST_MEMORY		(16 * 1024)

/* A collection, shared by the scrapes that asked for it. */
struct shared_snapshot {
	struct metrics_snapshot s;
	unsigned int refs;
};

struct exporter {
	pthread_mutex_t lock;
	pthread_cond_t collected;
	bool collecting;
	uint64_t generation;
	struct shared_snapshot *latest;
	struct metrics_collector mc;	/* only the collecting thread uses it */
	bool cgroup_label;
	bool log_requests;
};

static void snapshot_put(struct exporter *ex, struct shared_snapshot *ss)
{
	bool last;

	pthread_mutex_lock(&ex->lock);
	last = ss && !--ss->refs;
	pthread_mutex_unlock(&ex->lock);
	if (last) {
		metrics_snapshot_free(&ss->s);
		free(ss);
	}
}

/*
 * A collection for this scrape: the one under way, or a new one.  A
 * collection stuck behind a target (its mmap_lock held for long, say) does
 * not hold every later scrape: after WAIT_S they get the last one, or none.
 */
#define WAIT_S	10

static struct shared_snapshot *snapshot_get(struct exporter *ex)
{
	struct shared_snapshot *ss, *old = NULL;
	struct timespec deadline;
	uint64_t gen;

	pthread_mutex_lock(&ex->lock);
	if (ex->collecting) {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += WAIT_S;
		gen = ex->generation;
		while (ex->collecting && ex->generation == gen)
			if (pthread_cond_timedwait(&ex->collected, &ex->lock, &deadline))
				break;
		ss = ex->latest;
		if (ss)
			ss->refs++;
		pthread_mutex_unlock(&ex->lock);
		return ss;
	}
	ex->collecting = true;
	pthread_mutex_unlock(&ex->lock);

	ss = calloc(1, sizeof(*ss));
	if (ss && metrics_collect(&ex->mc, &ss->s)) {
		free(ss);
		ss = NULL;
	}

	pthread_mutex_lock(&ex->lock);
	if (ss) {
		old = ex->latest;
		ss->refs = 2;		/* latest, and this scrape */
		ex->latest = ss;
	}
	ex->collecting = false;
	ex->generation++;
	pthread_cond_broadcast(&ex->collected);
	pthread_mutex_unlock(&ex->lock);
	snapshot_put(ex, old);
	return ss;
}

static const char landing_page[] =
	"<!DOCTYPE html>\n<html><head><title>ptscope exporter</title></head><body>\n"
	"<h1>ptscope exporter</h1>\n<p><a href=\"/metrics\">Metrics</a></p>\n"
	"</body></html>\n";

static enum MHD_Result respond(struct MHD_Connection *conn, unsigned int status,
			       const char *type, char *body, size_t len, bool must_free,
			       size_t *sent)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, must_free ? MHD_RESPMEM_MUST_FREE :
					    MHD_RESPMEM_PERSISTENT);
	if (!r) {
		if (must_free)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	*sent = len;
	return ret;
}

static char *render(struct exporter *ex, const struct metrics_snapshot *s, bool om,
		    size_t *len)
{
	struct prom_opts po = { .openmetrics = om, .cgroup_label = ex->cgroup_label,
				.now = metrics_clock() };
	char *body = NULL;
	FILE *f = open_memstream(&body, len);

	if (!f)
		return NULL;
	if (prom_write(f, s, &po)) {
		fclose(f);
		free(body);
		return NULL;
	}
	if (fclose(f)) {
		free(body);
		return NULL;
	}
	return body;
}

static enum MHD_Result serve_metrics(struct exporter *ex, struct MHD_Connection *conn,
				     unsigned int *status, size_t *sent)
{
	const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_ACCEPT);
	bool om = prom_accepts_openmetrics(accept);
	struct shared_snapshot *ss = snapshot_get(ex);
	static char oom[] = "out of memory\n";
	static char busy[] = "a collection is still running; try again\n";
	size_t len = 0;
	char *body;

	if (!ss) {
		*status = MHD_HTTP_SERVICE_UNAVAILABLE;
		return respond(conn, *status, "text/plain", busy, strlen(busy), false, sent);
	}
	body = render(ex, &ss->s, om, &len);
	snapshot_put(ex, ss);
	if (!body) {
		*status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		return respond(conn, *status, "text/plain", oom, strlen(oom), false, sent);
	}
	*status = MHD_HTTP_OK;
	return respond(conn, *status, om ? PROM_OM_TYPE : PROM_TEXT_TYPE, body, len, true, sent);
}

/* The client's bytes, cut to @len and without control characters, for the log. */
static void printable(char *buf, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i < len - 1; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	buf[i] = '\0';
}

static void log_request(struct MHD_Connection *conn, const char *method, const char *url,
			unsigned int status, size_t bytes, double t0)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char addr[INET6_ADDRSTRLEN + 8] = "?", path[201], verb[33];

	printable(path, sizeof(path), url);
	printable(verb, sizeof(verb), method);

	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  addr, sizeof(addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
				  addr, sizeof(addr));
	}
	fprintf(stderr, "%s %s from %s: %u, %zu bytes, %.1f ms\n", verb, path, addr,
		status, bytes, (metrics_clock() - t0) * 1e3);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	static char not_found[] = "not found: the metrics are at /metrics\n";
	static char not_allowed[] = "only GET and HEAD\n";
	struct exporter *ex = cls;
	double t0 = metrics_clock();
	unsigned int status;
	size_t sent = 0;
	enum MHD_Result ret;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)req_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		/* Answered before any body is read; MHD then closes the connection. */
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
		ret = respond(conn, status, "text/plain", not_allowed, strlen(not_allowed),
			      false, &sent);
	} else if (!strcmp(url, "/metrics")) {
		ret = serve_metrics(ex, conn, &status, &sent);
	} else if (!strcmp(url, "/")) {
		status = MHD_HTTP_OK;
		ret = respond(conn, status, "text/html; charset=utf-8", (char *)landing_page,
			      strlen(landing_page), false, &sent);
	} else {
		status = MHD_HTTP_NOT_FOUND;
		ret = respond(conn, status, "text/plain", not_found, strlen(not_found), false,
			      &sent);
	}
	if (ex->log_requests)
		log_request(conn, method, url, status, sent, t0);
	return ret;
}

int exporter_serve(const struct exporter_cfg *cfg)
{
	struct exporter ex = { .lock = PTHREAD_MUTEX_INITIALIZER,
			       .collected = PTHREAD_COND_INITIALIZER,
			       .cgroup_label = cfg->mo.cgroup_label,
			       .log_requests = cfg->log_requests };
	struct MHD_Daemon *d;
	sigset_t sigs;
	int rc, sig;

	if (geteuid())
		fprintf(stderr, "ptscope: not root: other users' processes will not be walked\n");
	metrics_collector_init(&ex.mc, &cfg->mo);
	/* Every thread MHD starts inherits the mask: the signals come here only. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			     MHD_USE_ERROR_LOG | (cfg->v6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL,
			     on_request, &ex,
			     MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&cfg->addr,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)PER_IP_CONNECTIONS,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_TIMEOUT_S,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_MEMORY,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "ptscope: cannot listen on %s: %s\n", cfg->listen, strerror(errno));
		rc = EXIT_FAILED;
	} else {
		fprintf(stderr, "ptscope: serving /metrics on http://%s/metrics\n", cfg->listen);
		sigwait(&sigs, &sig);
		MHD_stop_daemon(d);
		rc = EXIT_OK;
	}
	snapshot_put(&ex, ex.latest);
	metrics_collector_free(&ex.mc);
	return rc;
}
