// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "common.h"

/* ---- workload ---------------------------------------------------------- */

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

int wl_start(struct wl *w)
{
	int in[2], out[2];
	char path[4200], line[256];
	int got = 0;

	memset(w, 0, sizeof(*w));
	w->pid = w->child = -1;
	snprintf(path, sizeof(path), "%s/workload", self_dir());
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	w->pid = fork();
	if (w->pid < 0)
		return -errno;
	if (w->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(path, path, (char *)NULL);
		fprintf(stderr, "exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	w->cmd_fd = in[1];
	w->out = fdopen(out[0], "r");
	if (!w->out)
		return -errno;
	while (fgets(line, sizeof(line), w->out)) {
		char name[32];
		unsigned long long s, e;
		int v;

		if (!strcmp(line, "ready\n"))
			return got == WL_NR_REGIONS ? 0 : -EPROTO;
		if (sscanf(line, "child=%d", &v) == 1)
			w->child = v;
		else if (sscanf(line, "named=%d", &v) == 1)
			w->named = v;
		else if (sscanf(line, "thp_mode=%15s", w->thp_mode) == 1)
			;
		else if (sscanf(line, "file=%63s", w->file) == 1)
			;
		else if (sscanf(line, "region %31s %llx %llx", name, &s, &e) == 3) {
			for (int r = 0; r < WL_NR_REGIONS; r++)
				if (!strcmp(name, wl_region_names[r])) {
					w->start[r] = s;
					w->end[r] = e;
					got++;
				}
		}
	}
	return -EPIPE;
}

int wl_cmd(struct wl *w, const char *fmt, ...)
{
	char buf[128], line[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	buf[n++] = '\n';
	if (write(w->cmd_fd, buf, n) != n)
		return -EPIPE;
	if (!fgets(line, sizeof(line), w->out))
		return -EPIPE;
	return strcmp(line, "ok\n") ? -EIO : 0;
}

void wl_stop(struct wl *w)
{
	if (w->pid <= 0)
		return;
	close(w->cmd_fd);	/* EOF: the workload cleans up and exits */
	if (w->out)
		fclose(w->out);
	for (int i = 0; i < 500; i++) {
		if (waitpid(w->pid, NULL, WNOHANG) == w->pid) {
			w->pid = -1;
			return;
		}
		usleep(10000);
	}
	kill(w->pid, SIGKILL);
	waitpid(w->pid, NULL, 0);
	if (w->child > 0)
		kill(w->child, SIGKILL);
	if (w->file[0])
		unlink(w->file);
	w->pid = -1;
}

#define PF_P	(PTSCOPE_PF_PRESENT | PTSCOPE_PF_USER | PTSCOPE_PF_ACCESSED | \
		 PTSCOPE_PF_NX)

uint32_t wl_expected_flags(int r, unsigned long i, const struct wl_expect *e)
{
	uint32_t sd = e->soft_dirty ? PTSCOPE_PF_SOFT_DIRTY : 0;
	/* a private anon page written through a writable mapping */
	uint32_t written = PF_P | PTSCOPE_PF_WRITE | PTSCOPE_PF_DIRTY | sd;

	if (e->child) {
		switch (r) {
		case WL_R_SHARED:
			return i >= WL_SHARED_CHILD_FIRST &&
			       i < WL_SHARED_CHILD_END ? written : 0;
		case WL_R_COW:
			if (e->cow_written && i < WL_COW_CHILD_WRITES)
				return written;
			/* fork() copied the PTE write-protected and old */
			return (PF_P & ~PTSCOPE_PF_ACCESSED) | PTSCOPE_PF_DIRTY | sd;
		default:
			return 0;
		}
	}

	switch (r) {
	case WL_R_ANON:
		switch (wl_anon_state(i)) {
		case WL_READ:
			return PF_P | PTSCOPE_PF_SPECIAL;	/* zero page */
		case WL_WRITE:
			return written;
		default:
			return 0;
		}
	case WL_R_MPROT_RW:
	case WL_R_POPULATE:
		return written;
	case WL_R_MPROT_RO:
		return PF_P | PTSCOPE_PF_DIRTY | sd;
	case WL_R_DONTNEED:
		return i >= WL_DONTNEED_FIRST && i < WL_DONTNEED_END ? 0 : written;
	case WL_R_FILE:
		return (i & 1) ? 0 : PF_P;
	case WL_R_SHARED:
		return i < WL_SHARED_PARENT_END ? written : 0;
	case WL_R_COW:
		/* fork() write-protected the parent's PTEs */
		return PF_P | PTSCOPE_PF_DIRTY | sd;
	case WL_R_PROTNONE:
		/* PAGE_NONE: no _PAGE_PRESENT/USER/NX/RW, accessed/dirty kept */
		return i < WL_PROTNONE_WRITTEN ?
		       PTSCOPE_PF_PRESENT | PTSCOPE_PF_PROTNONE |
		       PTSCOPE_PF_ACCESSED | PTSCOPE_PF_DIRTY | sd : 0;
	case WL_R_THP:
		return written | (e->thp ? PTSCOPE_PF_HUGE_PMD : 0);
	}
	return 0;
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

/* ---- oracles ----------------------------------------------------------- */

int pagemap_read(pid_t pid, uint64_t addr, size_t n, uint64_t *out)
{
	char path[64];
	size_t done = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while (done < n) {
		ssize_t r = pread(fd, out + done, (n - done) * 8,
				  (addr / PAGE_SZ + done) * 8);

		if (r <= 0) {
			int err = r < 0 ? -errno : -EIO;

			close(fd);
			return err;
		}
		done += r / 8;
	}
	close(fd);
	return 0;
}

static const struct {
	const char *mn;
	uint64_t bit;
} vmflag_names[] = {
	{ "rd", PTSCOPE_VMA_F_READ },		{ "wr", PTSCOPE_VMA_F_WRITE },
	{ "ex", PTSCOPE_VMA_F_EXEC },		{ "sh", PTSCOPE_VMA_F_SHARED },
	{ "mr", PTSCOPE_VMA_F_MAYREAD },	{ "mw", PTSCOPE_VMA_F_MAYWRITE },
	{ "me", PTSCOPE_VMA_F_MAYEXEC },	{ "ms", PTSCOPE_VMA_F_MAYSHARE },
	{ "gd", PTSCOPE_VMA_F_GROWSDOWN },	{ "pf", PTSCOPE_VMA_F_PFNMAP },
	{ "lo", PTSCOPE_VMA_F_LOCKED },		{ "io", PTSCOPE_VMA_F_IO },
	{ "sr", PTSCOPE_VMA_F_SEQ_READ },	{ "rr", PTSCOPE_VMA_F_RAND_READ },
	{ "dc", PTSCOPE_VMA_F_DONTCOPY },	{ "de", PTSCOPE_VMA_F_DONTEXPAND },
	{ "ac", PTSCOPE_VMA_F_ACCOUNT },	{ "nr", PTSCOPE_VMA_F_NORESERVE },
	{ "ht", PTSCOPE_VMA_F_HUGETLB },	{ "sf", PTSCOPE_VMA_F_SYNC },
	{ "wf", PTSCOPE_VMA_F_WIPEONFORK },	{ "dd", PTSCOPE_VMA_F_DONTDUMP },
	{ "sd", PTSCOPE_VMA_F_SOFTDIRTY },	{ "mm", PTSCOPE_VMA_F_MIXEDMAP },
	{ "hg", PTSCOPE_VMA_F_HUGEPAGE },	{ "nh", PTSCOPE_VMA_F_NOHUGEPAGE },
	{ "mg", PTSCOPE_VMA_F_MERGEABLE },	{ "um", PTSCOPE_VMA_F_UFFD_MISSING },
	{ "uw", PTSCOPE_VMA_F_UFFD_WP },	{ "lf", PTSCOPE_VMA_F_LOCKONFAULT },
};

static uint64_t parse_vmflags(const char *s)
{
	uint64_t f = 0;
	char mn[3];

	while (*s) {
		while (*s == ' ')
			s++;
		if (!s[0] || !s[1] || s[0] == '\n')
			break;
		mn[0] = s[0];
		mn[1] = s[1];
		mn[2] = '\0';
		for (size_t i = 0; i < sizeof(vmflag_names) / sizeof(vmflag_names[0]); i++)
			if (!strcmp(mn, vmflag_names[i].mn))
				f |= vmflag_names[i].bit;
		s += 2;
	}
	return f;
}

int smaps_read(pid_t pid, struct smaps *s)
{
	char path[64], line[4400];
	struct smaps_vma *cur = NULL;
	FILE *f;

	s->n = 0;
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, b, off, ino, kb;
		unsigned int maj, min;
		char perms[8];
		int pos = 0;

		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &a, &b, perms,
			   &off, &maj, &min, &ino, &pos) == 7 && pos > 0) {
			if (s->n == s->cap) {
				size_t cap = s->cap ? 2 * s->cap : 64;
				void *p = realloc(s->v, cap * sizeof(*s->v));

				if (!p) {
					fclose(f);
					return -ENOMEM;
				}
				s->v = p;
				s->cap = cap;
			}
			cur = &s->v[s->n++];
			memset(cur, 0, sizeof(*cur));
			cur->start = a;
			cur->end = b;
			memcpy(cur->perms, perms, 4);
			cur->perms[4] = '\0';
			cur->pgoff = off;
			cur->dev_major = maj;
			cur->dev_minor = min;
			cur->inode = ino;
			snprintf(cur->name, sizeof(cur->name), "%s", line + pos);
			cur->name[strcspn(cur->name, "\n")] = '\0';
		} else if (cur && sscanf(line, "Rss: %llu kB", &kb) == 1) {
			cur->rss_kb = kb;
		} else if (cur && sscanf(line, "AnonHugePages: %llu kB", &kb) == 1) {
			cur->anon_huge_kb = kb;
		} else if (cur && !strncmp(line, "VmFlags:", 8)) {
			cur->vmflags = parse_vmflags(line + 8);
			cur->has_vmflags = true;
		}
	}
	fclose(f);
	return 0;
}

void smaps_free(struct smaps *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

const struct smaps_vma *smaps_find(const struct smaps *s, uint64_t start)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].start == start)
			return &s->v[i];
	return NULL;
}

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

int clear_refs(pid_t pid, int type)
{
	char path[64], val[8];

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	snprintf(val, sizeof(val), "%d", type);
	return write_file(path, val);
}

/* All of @fd from its current offset, NUL-terminated; NULL on failure. */
static char *read_all(int fd, size_t *len)
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

int run_cmd(char *const argv[], int out_fd, int (*setup)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (out_fd >= 0 && dup2(out_fd, 1) < 0)
			_exit(126);
		if (setup && setup(arg))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int run_capture_with(char *const argv[], char **out, int (*setup)(void *), void *arg)
{
	/* A memfd, not a pipe: no reader needed while the child writes MBs. */
	int fd = memfd_create("ptscope-test-out", MFD_CLOEXEC);
	int rc;

	*out = NULL;
	if (fd < 0)
		return -1;
	rc = run_cmd(argv, fd, setup, arg);
	if (lseek(fd, 0, SEEK_SET) == 0)
		*out = read_all(fd, NULL);
	close(fd);
	return *out ? rc : -1;
}

int run_capture(char *const argv[], char **out)
{
	return run_capture_with(argv, out, NULL, NULL);
}

static int no_color(void *unused)
{
	(void)unused;
	return setenv("NO_COLOR", "1", 1);
}

int cli_run(const char *out_path, const char *fmt, ...)
{
	char args[512], *argv[32], *save = NULL, *tok;
	const char *cli = cli_path();
	int argc = 0, fd, rc;
	va_list ap;

	if (!cli)
		return -1;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	argv[argc++] = (char *)cli;
	for (tok = strtok_r(args, " ", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	rc = run_cmd(argv, fd, no_color, NULL);
	close(fd);
	return rc;
}

pid_t spawn_target(int (*build)(void *shared), void *shared, size_t size)
{
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	int p[2];
	char c = 0;
	pid_t pid;

	if (map == MAP_FAILED)
		return -1;
	if (pipe2(p, O_CLOEXEC)) {
		munmap(map, size);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[0]);
		c = build(map) ? 'e' : 'r';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid > 0 && (read(p[0], &c, 1) != 1 || c != 'r')) {
		kill_wait(pid);
		pid = -1;
	}
	close(p[0]);
	if (pid > 0)
		memcpy(shared, map, size);
	munmap(map, size);
	return pid;
}

void kill_wait(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

const char *cli_path(void)
{
	static char path[4200];
	const char *env = getenv("PTSCOPE_CLI");

	if (env && access(env, X_OK) == 0)
		return env;
	if (access("/bin/ptscope", X_OK) == 0)
		return "/bin/ptscope";
	snprintf(path, sizeof(path), "%s/../../userspace/ptscope", self_dir());
	if (access(path, X_OK) == 0)
		return path;
	return NULL;
}

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

int wait_zombie(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	return waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
}

int wl_env_init(struct wl_env *env)
{
	const struct smaps_vma *t;
	int err;

	memset(env, 0, sizeof(*env));
	env->w.pid = -1;
	err = ptscope_open(&env->c);
	if (err)
		return err;
	err = ptscope_get_info(env->c, &env->info);
	if (err)
		return err;
	err = wl_start(&env->w);
	if (err)
		return err;
	err = smaps_read(env->w.pid, &env->sm);
	if (err)
		return err;
	t = smaps_find(&env->sm, env->w.start[WL_R_THP]);
	env->e.thp = t && t->anon_huge_kb == WL_PMD / 1024;
	env->e.soft_dirty = env->info.features & PTSCOPE_FEAT_SOFT_DIRTY;
	return 0;
}

void wl_env_fini(struct wl_env *env)
{
	wl_stop(&env->w);
	smaps_free(&env->sm);
	if (env->c)
		ptscope_close(env->c);
	env->c = NULL;
}

pid_t spawn_busy_target(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		unsigned int x = 1;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;) {
			size_t sz = (1 + (x % 64)) * PAGE_SZ * 16;
			char *p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			x = x * 1103515245 + 12345;
			if (p == MAP_FAILED)
				continue;
			for (size_t o = 0; o < sz; o += 2 * PAGE_SZ)
				p[o] = 1;
			mprotect(p + PAGE_SZ * (x % 16), PAGE_SZ, PROT_READ);
			madvise(p, sz / 2, MADV_DONTNEED);
			munmap(p, sz);
		}
	}
	return pid;
}
