// SPDX-License-Identifier: GPL-2.0
/*
 * exporter_test's HTTP client, exposition reader and expectations
 * (prom.h).  Written for tests: strict, small, no reuse of the exporter's
 * own code, so a bug there cannot hide behind the same bug here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "prom.h"

/* ---- HTTP ------------------------------------------------------------- */

/* Undoes "Transfer-Encoding: chunked" in place; false if malformed. */
static bool unchunk(char *body, size_t *len)
{
	size_t in = 0, out = 0;

	for (;;) {
		char *end;
		unsigned long n = strtoul(body + in, &end, 16);

		if (end == body + in)
			return false;
		end = strstr(end, "\r\n");
		if (!end)
			return false;
		in = end + 2 - body;
		if (!n)
			break;
		if (in + n + 2 > *len)
			return false;
		memmove(body + out, body + in, n);
		out += n;
		in += n + 2;
	}
	body[out] = '\0';
	*len = out;
	return true;
}

int http_raw(uint16_t port, const char *req, size_t len, struct http_resp *r)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = 30 };
	size_t cap = 65536, n = 0, off = 0;
	char *buf, *sep, te[64];
	int fd, err = 0;

	memset(r, 0, sizeof(*r));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}
	while (off < len) {
		ssize_t k = send(fd, req + off, len - off, MSG_NOSIGNAL);

		if (k <= 0)
			break;	/* it answered and closed: read the answer */
		off += k;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t k;

		if (n == cap) {
			char *nb = realloc(buf, 2 * cap + 1);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		k = recv(fd, buf + n, cap - n, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k < 0 && !n)
				err = -errno;
			break;
		}
		n += k;
	}
	close(fd);
	buf[n] = '\0';
	if (!n) {
		free(buf);
		return err ? err : -ECONNRESET;
	}
	sep = strstr(buf, "\r\n\r\n");
	if (sscanf(buf, "HTTP/1.%*d %d", &r->status) != 1)
		r->status = 0;
	r->head = buf;
	if (sep) {
		*sep = '\0';
		r->body = sep + 4;
		r->body_len = n - (r->body - buf);
	} else {
		r->body = buf + n;
	}
	if (http_header(r, "Transfer-Encoding", te, sizeof(te)) &&
	    !strcasecmp(te, "chunked") && !unchunk(r->body, &r->body_len))
		r->status = 0;	/* not HTTP as we know it */
	return 0;
}

int http_get(uint16_t port, const char *path, const char *accept, struct http_resp *r)
{
	char req[1024];
	int n;

	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
		     "%s%s%sConnection: close\r\n\r\n", path, port,
		     accept ? "Accept: " : "", accept ? accept : "", accept ? "\r\n" : "");
	return http_raw(port, req, (size_t)n, r);
}

const char *http_header(const struct http_resp *r, const char *name, char *buf, size_t len)
{
	size_t nl = strlen(name);

	for (const char *p = r->head; p && (p = strstr(p, "\r\n")); ) {
		p += 2;
		if (!strncasecmp(p, name, nl) && p[nl] == ':') {
			const char *v = p + nl + 1, *e = strstr(v, "\r\n");
			size_t vl;

			while (*v == ' ')
				v++;
			vl = e ? (size_t)(e - v) : strlen(v);
			if (vl >= len)
				vl = len - 1;
			memcpy(buf, v, vl);
			buf[vl] = '\0';
			return buf;
		}
	}
	return NULL;
}

void http_free(struct http_resp *r)
{
	free(r->head);
	memset(r, 0, sizeof(*r));
}

/* ---- the exposition formats --------------------------------------------- */

static bool name_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      c == ':' || (i && c >= '0' && c <= '9')))
			return false;
	}
	return n > 0;
}

/*
 * "{k="v",...}" at *p into @s (escapes undone); advances *p past it.
 * A trailing comma is allowed (both formats' grammars allow it).
 */
static bool parse_labels(const char **p, struct prom_sample *s)
{
	const char *c = *p + 1;

	s->nlabels = 0;
	while (*c != '}') {
		const char *k = c;
		size_t kl, vl = 0;

		while (*c && *c != '=')
			c++;
		kl = c - k;
		if (*c != '=' || c[1] != '"' || !name_ok(k, kl) || kl >= 32 ||
		    s->nlabels == PROM_MAX_LABELS)
			return false;
		memcpy(s->key[s->nlabels], k, kl);
		s->key[s->nlabels][kl] = '\0';
		for (c += 2; *c && *c != '"'; c++) {
			char ch = *c;

			if (ch == '\\') {
				c++;
				ch = *c == 'n' ? '\n' : *c;
				if (ch != '\n' && ch != '\\' && ch != '"')
					return false;
			}
			if (ch == '\n' && c[-1] != '\\')
				return false;
			if (vl == 255)
				return false;
			s->val[s->nlabels][vl++] = ch;
		}
		if (*c != '"')
			return false;
		s->val[s->nlabels++][vl] = '\0';
		c++;
		if (*c == ',')
			c++;
		else if (*c != '}')
			return false;
	}
	*p = c + 1;
	return true;
}

/* "name{labels}" (labels optional) of a sample line or a series string. */
static bool parse_series(const char **p, struct prom_sample *s)
{
	const char *c = *p;
	size_t n = strcspn(c, "{ \t\n");

	if (!name_ok(c, n) || n >= sizeof(s->name))
		return false;
	memcpy(s->name, c, n);
	s->name[n] = '\0';
	c += n;
	s->nlabels = 0;
	if (*c == '{' && !parse_labels(&c, s))
		return false;
	*p = c;
	return true;
}

static int fam_find(const struct prom_doc *d, const char *name, size_t n)
{
	for (size_t i = 0; i < d->nfam; i++)
		if (strlen(d->fam[i].name) == n && !strncmp(d->fam[i].name, name, n))
			return (int)i;
	return -1;
}

static bool has_suffix(const char *s, const char *suf, size_t *stem)
{
	size_t n = strlen(s), m = strlen(suf);

	*stem = n - m;
	return n > m && !strcmp(s + n - m, suf);
}

/* The family a sample of @name belongs to, by the suffixes each type has. */
static int sample_family(const struct prom_doc *d, const char *name, bool om)
{
	static const struct { const char *suffix, *types; } sfx[] = {
		{ "_total", "counter" }, { "_created", "counter histogram summary" },
		{ "_bucket", "histogram" }, { "_sum", "histogram summary" },
		{ "_count", "histogram summary" }, { "_info", "info" },
	};
	int f = fam_find(d, name, strlen(name));
	size_t stem;

	if (f >= 0 && (!strcmp(d->fam[f].type, "gauge") || !strcmp(d->fam[f].type, "untyped") ||
		       !strcmp(d->fam[f].type, "unknown") || (!om && !strcmp(d->fam[f].type, "counter"))))
		return f;
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		if (!has_suffix(name, sfx[i].suffix, &stem))
			continue;
		f = fam_find(d, name, stem);
		if (f >= 0 && strstr(sfx[i].types, d->fam[f].type))
			return f;
	}
	return -1;
}

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? 2 * *cap : 64;
	return realloc(p, *cap * size);
}

#define FAIL(...) do { snprintf(d->err, sizeof(d->err), __VA_ARGS__); return -1; } while (0)

static int meta_line(struct prom_doc *d, const char *l, bool om, int *cur, bool *seen)
{
	char word[8], name[128];
	int f, k = 0;

	if (sscanf(l, "# %7s %127s %n", word, name, &k) < 2 || !k ||
	    (strcmp(word, "HELP") && strcmp(word, "TYPE") && strcmp(word, "UNIT"))) {
		if (om)
			FAIL("OpenMetrics has no comments: %.80s", l);
		return 0;
	}
	f = fam_find(d, name, strlen(name));
	if (f >= 0 && seen[f] && f != *cur)
		FAIL("%s: metadata after its samples", name);
	if (f >= 0 && *cur == f && seen[f])
		FAIL("%s: metadata after its first sample", name);
	if (f < 0) {
		d->fam = grow(d->fam, &d->capfam, d->nfam, sizeof(*d->fam));
		if (!d->fam || d->nfam >= 4096)
			FAIL("too many families");
		f = (int)d->nfam++;
		memset(&d->fam[f], 0, sizeof(d->fam[f]));
		snprintf(d->fam[f].name, sizeof(d->fam[f].name), "%s", name);
		if (!name_ok(name, strlen(name)))
			FAIL("bad metric name %s", name);
	}
	if (!strcmp(word, "HELP")) {
		if (d->fam[f].help)
			FAIL("%s: HELP twice", name);
		d->fam[f].help = true;
	} else if (!strcmp(word, "TYPE")) {
		static const char *const types[] = { "counter", "gauge", "histogram", "summary",
			"untyped", "unknown", "info", "stateset", "gaugehistogram" };
		bool known = false;

		if (d->fam[f].type[0])
			FAIL("%s: TYPE twice", name);
		snprintf(d->fam[f].type, sizeof(d->fam[f].type), "%s", l + k);
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			known |= !strcmp(types[i], d->fam[f].type);
		if (!known)
			FAIL("%s: unknown TYPE '%s'", name, d->fam[f].type);
		if (om && !strcmp(d->fam[f].type, "counter") && has_suffix(name, "_total", &(size_t){0}))
			FAIL("%s: an OpenMetrics counter family is named without _total", name);
	}
	*cur = f;
	return 0;
}

int prom_parse(const char *text, bool om, struct prom_doc *d)
{
	bool *seen = calloc(4096, sizeof(bool));
	const char *line = text;
	int cur = -1, rc = 0;
	bool eof = false;

	memset(d, 0, sizeof(*d));
	if (!seen)
		FAIL("out of memory");
	while (!rc && *line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char l[2048];

		if (!nl && !om) {
			rc = -1;
			snprintf(d->err, sizeof(d->err), "last line without a newline");
			break;
		}
		if (eof) {
			rc = -1;
			snprintf(d->err, sizeof(d->err), "text after # EOF");
			break;
		}
		snprintf(l, sizeof(l), "%.*s", (int)n, line);
		line += n + (nl ? 1 : 0);
		if (!strcmp(l, "# EOF") && om) {
			eof = true;
		} else if (l[0] == '#') {
			rc = meta_line(d, l, om, &cur, seen);
		} else if (!l[0]) {
			if (om) {
				rc = -1;
				snprintf(d->err, sizeof(d->err), "empty line");
			}
		} else {
			struct prom_sample s = { .family = -1 };
			const char *p = l;
			char *end;
			int f;

			if (!parse_series(&p, &s) || *p != ' ') {
				rc = -1;
				snprintf(d->err, sizeof(d->err), "bad sample: %.100s", l);
				break;
			}
			s.value = strtod(p + 1, &end);
			if (end == p + 1 || (*end && *end != ' ')) {
				rc = -1;
				snprintf(d->err, sizeof(d->err), "bad value: %.100s", l);
				break;
			}
			f = sample_family(d, s.name, om);
			if (f < 0 || !d->fam[f].type[0] || !d->fam[f].help) {
				rc = -1;
				snprintf(d->err, sizeof(d->err), "%s: no HELP and TYPE before it", s.name);
				break;
			}
			if (f != cur && seen[f]) {
				rc = -1;
				snprintf(d->err, sizeof(d->err), "%s: family not contiguous", s.name);
				break;
			}
			cur = f;
			seen[f] = true;
			s.family = f;
			d->s = grow(d->s, &d->cap, d->n, sizeof(*d->s));
			if (!d->s) {
				rc = -1;
				break;
			}
			d->s[d->n++] = s;
		}
	}
	free(seen);
	if (!rc && om && !eof)
		FAIL("no # EOF at the end");
	for (size_t i = 0; !rc && i < d->nfam; i++)
		if (!d->fam[i].help || !d->fam[i].type[0])
			FAIL("%s: HELP or TYPE missing", d->fam[i].name);
	return rc;
}

void prom_free(struct prom_doc *d)
{
	free(d->s);
	free(d->fam);
	memset(d, 0, sizeof(*d));
}

static bool labels_match(const struct prom_sample *want, const struct prom_sample *s)
{
	for (int i = 0; i < want->nlabels; i++) {
		bool found = false;

		for (int j = 0; !found && j < s->nlabels; j++) {
			if (strcmp(want->key[i], s->key[j]))
				continue;
			if (!strcmp(want->key[i], "le"))
				found = strtod(want->val[i], NULL) == strtod(s->val[j], NULL);
			else
				found = !strcmp(want->val[i], s->val[j]);
		}
		if (!found)
			return false;
	}
	return true;
}

static size_t matches(const struct prom_doc *d, const char *series, double *v)
{
	struct prom_sample want;
	const char *p = series;
	size_t n = 0;

	if (!parse_series(&p, &want) || *p)
		return 0;
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->s[i].name, want.name) && labels_match(&want, &d->s[i])) {
			*v = d->s[i].value;
			n++;
		}
	return n;
}

bool prom_value(const struct prom_doc *d, const char *series, double *v)
{
	return matches(d, series, v) == 1;
}

size_t prom_count(const struct prom_doc *d, const char *name, const char *key,
		  const char *val)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++) {
		bool hit = !key;

		if (strcmp(d->s[i].name, name))
			continue;
		for (int j = 0; !hit && j < d->s[i].nlabels; j++)
			hit = !strcmp(d->s[i].key[j], key) && (!val || !strcmp(d->s[i].val[j], val));
		n += hit;
	}
	return n;
}

const char *prom_series(const struct prom_sample *s, char *buf, size_t len)
{
	size_t o = snprintf(buf, len, "%s{", s->name);

	for (int i = 0; i < s->nlabels && o < len; i++)
		o += snprintf(buf + o, len - o, "%s%s=\"%s\"", i ? "," : "", s->key[i], s->val[i]);
	if (o < len)
		snprintf(buf + o, len - o, "}");
	return buf;
}

/* ---- expectations ------------------------------------------------------------ */

int prom_expect_add(struct prom_expects *x, enum prom_kind kind, const char *series,
		    const char *lo, const char *hi)
{
	struct prom_expect *e;

	x->e = grow(x->e, &x->cap, x->n, sizeof(*x->e));
	if (!x->e)
		return -1;
	e = &x->e[x->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	snprintf(e->series, sizeof(e->series), "%s", series);
	snprintf(e->lo, sizeof(e->lo), "%s", lo ? lo : "");
	snprintf(e->hi, sizeof(e->hi), "%s", hi ? hi : "");
	return 0;
}

void prom_expects_free(struct prom_expects *x)
{
	free(x->e);
	memset(x, 0, sizeof(*x));
}

static double absd(double a)
{
	return a < 0 ? -a : a;
}

/* Bounds are exact decimals; values went through float formatting. */
static bool le_approx(double a, double b)
{
	double m = absd(a) > absd(b) ? absd(a) : absd(b);

	return a <= b || absd(a - b) <= 1e-9 * m + 1e-12;
}

int prom_expects_check(const struct prom_expects *x, const struct prom_doc *d,
		       char *why, size_t len)
{
	int bad = 0;

	why[0] = '\0';
	for (size_t i = 0; i < x->n; i++) {
		const struct prom_expect *e = &x->e[i];
		double v = 0, lo = strtod(e->lo, NULL), hi = strtod(e->hi, NULL);
		size_t n = matches(d, e->series, &v);
		char msg[512];

		if (e->kind == PROM_ABSENT && n)
			snprintf(msg, sizeof(msg), "%s: exported, but its probe is off", e->series);
		else if (e->kind == PROM_ABSENT)
			continue;
		else if (n != 1)
			snprintf(msg, sizeof(msg), "%s: %zu samples, want 1", e->series, n);
		else if (e->kind == PROM_EQUAL && !(le_approx(v, lo) && le_approx(lo, v)))
			snprintf(msg, sizeof(msg), "%s = %.17g, want %s", e->series, v, e->lo);
		else if (e->kind == PROM_RANGE && !(le_approx(lo, v) && le_approx(v, hi)))
			snprintf(msg, sizeof(msg), "%s = %.17g, not in [%s, %s]", e->series, v,
				 e->lo, e->hi);
		else
			continue;
		if (!bad++)
			snprintf(why, len, "%s", msg);
	}
	if (bad > 1) {
		size_t o = strlen(why);

		snprintf(why + o, len - o, " (and %d more)", bad - 1);
	}
	return bad;
}

void prom_expects_print(const struct prom_expects *x)
{
	static const char *const kinds[] = { "range", "equal", "absent" };

	for (size_t i = 0; i < x->n; i++) {
		const struct prom_expect *e = &x->e[i];

		printf("%s %s", kinds[e->kind], e->series);
		if (e->kind != PROM_ABSENT)
			printf(" %s", e->lo);
		if (e->kind == PROM_RANGE)
			printf(" %s", e->hi);
		printf("\n");
	}
	fflush(stdout);
}
