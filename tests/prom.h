/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exporter_test's tools: a minimal HTTP/1.1 client over a plain socket
 * (so a test can send what no real client would), a reader of the
 * Prometheus text format 0.0.4 and OpenMetrics 1.0.0 that checks the
 * structure both formats require, and expectations on samples ("this
 * series lies between these bounds") evaluated here and printed for the
 * host's Prometheus (tests/prom/prom_host.py).
 */
#ifndef PTSCOPE_TESTS_PROM_H
#define PTSCOPE_TESTS_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- HTTP --------------------------------------------------------------- */

struct http_resp {
	int status;		/* 0: no status line came back */
	char *head;		/* status line and headers, NUL-terminated */
	char *body;		/* NUL-terminated */
	size_t body_len;
};

/*
 * Sends @len bytes of @req to 127.0.0.1:@port and reads the response until
 * the server closes (give "Connection: close").  A server may answer and
 * close before it read everything (a request too large): sending stops
 * there and the answer is still read.  0, or -errno when nothing came.
 */
int http_raw(uint16_t port, const char *req, size_t len, struct http_resp *r);
/* GET @path, with "Accept: @accept" unless NULL. */
int http_get(uint16_t port, const char *path, const char *accept, struct http_resp *r);
/* Value of header @name (case-insensitive) into @buf, or NULL. */
const char *http_header(const struct http_resp *r, const char *name, char *buf, size_t len);
void http_free(struct http_resp *r);

/* ---- the exposition formats ------------------------------------------- */

#define PROM_MAX_LABELS	8

struct prom_sample {
	char name[128];
	int nlabels;
	char key[PROM_MAX_LABELS][32];
	char val[PROM_MAX_LABELS][256];
	double value;
	int family;		/* index into prom_doc.fam */
};

struct prom_family {
	char name[128];
	char type[16];		/* counter, gauge, histogram, ... */
	bool help;
};

struct prom_doc {
	struct prom_sample *s;
	size_t n, cap;
	struct prom_family *fam;
	size_t nfam, capfam;
	char err[512];		/* why parsing failed */
};

/*
 * Parses @text and checks what the format demands: every sample belongs to
 * a family with HELP and TYPE lines before its first sample, families are
 * contiguous and declared once, names and labels are well formed; for
 * OpenMetrics (@om) also: counter families named without "_total" and
 * their samples with it (or "_created"), and "# EOF" as the last line.
 * 0, or -1 with d->err set.
 */
int prom_parse(const char *text, bool om, struct prom_doc *d);
void prom_free(struct prom_doc *d);
/* Value of a sample "@name{@labels...}" with at least those labels (NULL
 * labels: any); "le" is compared as a number.  false when there is no
 * such sample, or more than one. */
bool prom_value(const struct prom_doc *d, const char *series, double *v);
/* Number of samples named @name whose label @key is @val (NULL: any). */
size_t prom_count(const struct prom_doc *d, const char *name, const char *key,
		  const char *val);
/* "name{k="v",...}" of sample @i into @buf. */
const char *prom_series(const struct prom_sample *s, char *buf, size_t len);

/* ---- expectations --------------------------------------------------------- */

enum prom_kind { PROM_RANGE, PROM_EQUAL, PROM_ABSENT };

struct prom_expect {
	enum prom_kind kind;
	char series[256];	/* "name{k="v",...}": the labels it must have */
	char lo[32], hi[32];	/* decimal, exact; EQUAL uses lo */
};

struct prom_expects {
	struct prom_expect *e;
	size_t n, cap;
};

int prom_expect_add(struct prom_expects *x, enum prom_kind kind, const char *series,
		    const char *lo, const char *hi);
void prom_expects_free(struct prom_expects *x);
/* Checks every expectation against @d; the first failure (and how many
 * failed) into @why.  The number of failures. */
int prom_expects_check(const struct prom_expects *x, const struct prom_doc *d,
		       char *why, size_t len);
/* One line per expectation: "range SERIES LO HI", "equal SERIES V",
 * "absent SERIES" (prom_host.py's "expect" block). */
void prom_expects_print(const struct prom_expects *x);

#endif
