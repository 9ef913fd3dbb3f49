// SPDX-License-Identifier: GPL-2.0
/*
 * What the tests share that is neither the workload (wl.c), the kernel's
 * views (oracles.c) nor other processes (proc.c): the library's results
 * collected and viewed per page, whole files, and the CLI's JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "common.h"

const char *self_dir(void)
{
	static char dir[4096];
	char exe[4096];
	ssize_t n;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return ".";
	exe[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", dirname(exe));
	return dir;
}

/* ---- library results -------------------------------------------------- */

static int vma_cb(const struct ptscope_vma *v, void *arg)
{
	struct vma_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		void *p = realloc(l->v, cap * sizeof(*l->v));

		if (!p)
			return -ENOMEM;
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n++] = *v;
	return 0;
}

int collect_vmas(struct ptscope_client *c, pid_t pid, uint64_t start,
		 uint64_t end, uint32_t flags, struct vma_list *out)
{
	out->n = 0;
	return ptscope_get_vmas(c, pid, start, end, flags, vma_cb, out);
}

int run_list_add(const struct ptscope_run *r, void *list)
{
	struct run_list *l = list;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1024;
		void *p = realloc(l->r, cap * sizeof(*l->r));

		if (!p)
			return -ENOMEM;
		l->r = p;
		l->cap = cap;
	}
	l->r[l->n++] = *r;
	return 0;
}

int collect_runs(struct ptscope_client *c, pid_t pid, uint64_t start,
		 uint64_t end, uint32_t flags, struct run_list *out)
{
	out->n = 0;
	return ptscope_get_pages(c, pid, start, end, flags, run_list_add, out);
}

void vma_list_free(struct vma_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void run_list_free(struct run_list *l)
{
	free(l->r);
	memset(l, 0, sizeof(*l));
}

const struct ptscope_vma *vma_find(const struct vma_list *l, uint64_t start)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].start == start)
			return &l->v[i];
	return NULL;
}

int page_view_build(struct page_view *pv, const struct run_list *runs,
		    uint64_t start, uint64_t end, const char **why)
{
	size_t n = (end - start) / PAGE_SZ;
	uint64_t prev_end = 0;

	memset(pv, 0, sizeof(*pv));
	pv->start = start;
	pv->n = n;
	pv->flags = calloc(n ? n : 1, sizeof(*pv->flags));
	pv->pfn = calloc(n ? n : 1, sizeof(*pv->pfn));
	pv->covered = calloc(n ? n : 1, sizeof(*pv->covered));
	if (!pv->flags || !pv->pfn || !pv->covered) {
		*why = "out of memory";
		return -1;
	}
	for (size_t k = 0; k < runs->n; k++) {
		const struct ptscope_run *r = &runs->r[k];
		uint64_t rend = r->start + r->nr_pages * PAGE_SZ;

		if (r->nr_pages == 0) {
			*why = "empty run";
			return -1;
		}
		if (r->start % PAGE_SZ) {
			*why = "unaligned run";
			return -1;
		}
		if (r->start < prev_end) {
			*why = "runs out of order or overlapping";
			return -1;
		}
		prev_end = rend;
		if (rend <= start || r->start >= end)
			continue;
		/* Clip: a run may extend beyond the range asked for (checking
		 * that runs respect VMA boundaries is a test of its own). */
		for (uint64_t p = 0; p < r->nr_pages; p++) {
			uint64_t a = r->start + p * PAGE_SZ;
			size_t idx = (a - start) / PAGE_SZ;

			if (a < start || a >= end)
				continue;

			if (pv->covered[idx]) {
				*why = "page covered twice";
				return -1;
			}
			pv->covered[idx] = true;
			pv->flags[idx] = r->flags;
			pv->pfn[idx] = r->has_pfn ? r->pfn + p : ~0ULL;
		}
	}
	return 0;
}

void page_view_free(struct page_view *pv)
{
	free(pv->flags);
	free(pv->pfn);
	free(pv->covered);
	memset(pv, 0, sizeof(*pv));
}

void count_flags(const uint32_t *flags, size_t n, struct counts *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < n; i++) {
		uint32_t f = flags[i];

		c->present += !!(f & PTSCOPE_PF_PRESENT);
		c->accessed += !!(f & PTSCOPE_PF_ACCESSED);
		c->dirty += !!(f & PTSCOPE_PF_DIRTY);
		c->writable += !!(f & PTSCOPE_PF_WRITE);
		c->swap += !!(f & PTSCOPE_PF_SWAP);
		c->soft_dirty += !!(f & PTSCOPE_PF_SOFT_DIRTY);
		c->huge_pmd += !!(f & PTSCOPE_PF_HUGE_PMD);
		c->huge_pud += !!(f & PTSCOPE_PF_HUGE_PUD);
		c->migration += !!(f & PTSCOPE_PF_MIGRATION);
		c->protnone += !!(f & PTSCOPE_PF_PROTNONE);
		c->special += !!(f & PTSCOPE_PF_SPECIAL);
	}
}

/* ---- files ------------------------------------------------------------- */

int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n, len = strlen(val);

	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n != len) {
		int err = n < 0 ? -errno : -EIO;

		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

bool kallsyms_has(const char *symbol)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[256], name[200];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %199s", name) == 1 &&
			!strcmp(name, symbol);
	fclose(f);
	return found;
}

char *read_all(int fd, size_t *len)
{
	size_t n = 0, cap = 65536;
	char *buf = malloc(cap);

	while (buf) {
		ssize_t got;

		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return NULL;
		}
		if (!got)
			break;
		n += got;
	}
	if (buf)
		buf[n] = '\0';
	if (buf && len)
		*len = n;
	return buf;
}

char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;

	if (fd < 0)
		return NULL;
	buf = read_all(fd, len);
	close(fd);
	return buf;
}

/* ---- JSON ---------------------------------------------------------------- */

struct json_object *json_doc(const char *text, char *why, size_t whylen)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *doc;
	size_t len = strlen(text);

	if (!tok) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* With the NUL, so a number at the very end is complete. */
	doc = json_tokener_parse_ex(tok, text, (int)len + 1);
	if (!doc)
		snprintf(why, whylen, "offset %zu: %s", json_tokener_get_parse_end(tok),
			 json_tokener_error_desc(json_tokener_get_error(tok)));
	json_tokener_free(tok);
	return doc;
}

bool json_get_u64(const struct json_object *obj, const char *key, uint64_t *out)
{
	struct json_object *v;
	const char *s;
	char *end;

	if (!json_object_object_get_ex(obj, key, &v))
		return false;
	if (json_object_is_type(v, json_type_int)) {
		/* json-c holds 2^63..2^64-1 as uint64; negatives must not wrap. */
		if (json_object_get_int64(v) < 0)
			return false;
		*out = json_object_get_uint64(v);
		return true;
	}
	if (!json_object_is_type(v, json_type_string))
		return false;
	s = json_object_get_string(v);
	if (strncmp(s, "0x", 2))
		return false;
	errno = 0;
	*out = strtoull(s, &end, 16);
	return !errno && end != s + 2 && !*end;
}
