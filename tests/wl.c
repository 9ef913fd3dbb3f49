// SPDX-License-Identifier: GPL-2.0
/*
 * The workload (workload.c) under the tests' control: started with its
 * layout read back, driven by commands, and what each of its pages must
 * look like (layout.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

/*
 * arm64: every user mapping is PXN (the _PAGE_* of asm/pgtable-prot.h,
 * PAGE_NONE included), and PAGE_NONE also sets UXN.  No contiguous PTEs
 * here: the VMs leave 64K mTHP off (xlate_test's contiguous test turns
 * it on for its own pages).
 */
#ifdef __aarch64__
#define WL_PROTNONE_NX	(PTSCOPE_PF_NX | PTSCOPE_PF_PXN)
#define WL_PXN		PTSCOPE_PF_PXN
#else
#define WL_PROTNONE_NX	0
#define WL_PXN		0
#endif

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
		 PTSCOPE_PF_NX | WL_PXN)

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
		/*
		 * PAGE_NONE: no _PAGE_PRESENT/USER/NX/RW, accessed/dirty kept;
		 * arm64's PAGE_NONE sets UXN and PXN.
		 */
		return i < WL_PROTNONE_WRITTEN ?
		       PTSCOPE_PF_PRESENT | PTSCOPE_PF_PROTNONE | WL_PROTNONE_NX |
		       PTSCOPE_PF_ACCESSED | PTSCOPE_PF_DIRTY | sd : 0;
	case WL_R_THP:
		return written | (e->thp ? PTSCOPE_PF_HUGE_PMD : 0);
	}
	return 0;
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

/* Flags of region r as ptscope reports them, page by page. */
int region_view(struct wl_env *env, pid_t pid, int r, uint32_t flags,
		struct page_view *pv)
{
	struct run_list runs = {};
	const char *why = NULL;
	int err;

	err = collect_runs(env->c, pid, env->w.start[r], env->w.end[r], flags,
			   &runs);
	if (!err && page_view_build(pv, &runs, env->w.start[r], env->w.end[r],
				    &why)) {
		fprintf(stderr, "# runs of %s: %s\n", wl_region_names[r], why);
		err = -EPROTO;
	}
	run_list_free(&runs);
	return err;
}

void expected_region(int r, const struct wl_expect *e, uint32_t *want)
{
	for (unsigned long i = 0; i < wl_region_pages[r]; i++)
		want[i] = wl_expected_flags(r, i, e);
}
