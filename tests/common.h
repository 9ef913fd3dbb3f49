/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ptscope tests: starting the workload (wl.c),
 * collecting library results (common.c), the kernel's own views of a
 * process (/proc/PID/pagemap, /proc/PID/smaps) used as oracles
 * (oracles.c), and running programs and targets (proc.c).
 */
#ifndef PTSCOPE_TESTS_COMMON_H
#define PTSCOPE_TESTS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptscope_client.h"
#include "layout.h"

#define PAGE_SZ		4096UL

/* ---- the workload process -------------------------------------------- */

struct wl {
	pid_t pid, child;
	int cmd_fd;		/* its stdin */
	FILE *out;		/* its stdout */
	bool named;
	char thp_mode[16];
	char file[64];
	uint64_t start[WL_NR_REGIONS], end[WL_NR_REGIONS];
};

int wl_start(struct wl *w);
/* Sends one command line ("r 0x.. N", "w 0x.. N", "cw"), waits for "ok". */
int wl_cmd(struct wl *w, const char *fmt, ...);
void wl_stop(struct wl *w);
/* Page i of region r. */
static inline uint64_t wl_addr(const struct wl *w, int r, unsigned long i)
{
	return w->start[r] + i * PAGE_SZ;
}

/* Expected PTSCOPE_PF_* of every page of region r in the parent (or, with
 * child = true, the child: cow and shared regions only).  thp: the thp
 * region is PMD-mapped.  cow_written: the child did "cw". */
struct wl_expect {
	bool thp;
	bool child;
	bool cow_written;
	bool soft_dirty;	/* kernel has CONFIG_MEM_SOFT_DIRTY */
};
uint32_t wl_expected_flags(int r, unsigned long i, const struct wl_expect *e);

/* ---- library results ------------------------------------------------- */

struct vma_list {
	struct ptscope_vma *v;
	size_t n, cap;
};

struct run_list {
	struct ptscope_run *r;
	size_t n, cap;
};

int collect_vmas(struct ptscope_client *c, pid_t pid, uint64_t start,
		 uint64_t end, uint32_t flags, struct vma_list *out);
int collect_runs(struct ptscope_client *c, pid_t pid, uint64_t start,
		 uint64_t end, uint32_t flags, struct run_list *out);
/* Appends a copy of @r to @list (a struct run_list); 0 or -ENOMEM.  Also a
 * ptscope_run_cb. */
int run_list_add(const struct ptscope_run *r, void *list);
void vma_list_free(struct vma_list *l);
void run_list_free(struct run_list *l);
const struct ptscope_vma *vma_find(const struct vma_list *l, uint64_t start);

/* Per-page view of [start, end) built from runs (clipped to the range):
 * flags, pfn (~0 when the run had none), covered (a run covered the page).
 * Returns 0, or -1 with *why set when runs are empty, unaligned, out of
 * order or overlapping. */
struct page_view {
	uint64_t start;
	size_t n;
	uint32_t *flags;
	uint64_t *pfn;
	bool *covered;
};
int page_view_build(struct page_view *pv, const struct run_list *runs,
		    uint64_t start, uint64_t end, const char **why);
void page_view_free(struct page_view *pv);

/* Page counts of [start, end) of a view, as ptscope_vma's nr_* would be. */
struct counts {
	uint64_t present, accessed, dirty, writable, swap, soft_dirty;
	uint64_t huge_pmd, huge_pud, migration, protnone, special;
};
void count_flags(const uint32_t *flags, size_t n, struct counts *c);

/* ---- kernel oracles ---------------------------------------------------- */

#define PM_PFN_MASK	((1ULL << 55) - 1)
#define PM_SOFT_DIRTY	(1ULL << 55)
#define PM_EXCLUSIVE	(1ULL << 56)
#define PM_FILE		(1ULL << 61)
#define PM_SWAP		(1ULL << 62)
#define PM_PRESENT	(1ULL << 63)

/* Reads n entries of /proc/PID/pagemap from addr into out. */
int pagemap_read(pid_t pid, uint64_t addr, size_t n, uint64_t *out);

struct smaps_vma {
	uint64_t start, end;
	char perms[5];
	uint64_t pgoff;
	unsigned int dev_major, dev_minor;
	uint64_t inode;
	char name[256];
	uint64_t rss_kb, anon_huge_kb;
	uint64_t vmflags;	/* PTSCOPE_VMA_F_* of the known mnemonics */
	bool has_vmflags;
};

struct smaps {
	struct smaps_vma *v;
	size_t n, cap;
};

/* Parses /proc/PID/smaps; buf (optional) is a preallocated read buffer. */
int smaps_read(pid_t pid, struct smaps *s);
void smaps_free(struct smaps *s);
const struct smaps_vma *smaps_find(const struct smaps *s, uint64_t start);

/* Writes a string to a /proc or /sys file. */
int write_file(const char *path, const char *val);
int read_file(const char *path, char *buf, size_t len);
/* Whether /proc/kallsyms lists @symbol (a module's symbols included). */
bool kallsyms_has(const char *symbol);
int clear_refs(pid_t pid, int type);

/* Directory of the running test binary (for ./workload). */
const char *self_dir(void);
/* ---- running programs ------------------------------------------------- */

/*
 * Runs @argv (argv[0] a path) with stdout on @out_fd (-1: inherited);
 * @setup (optional) runs in the child before exec, non-zero fails it
 * (exit 126).  Returns the exit status, or -1 (also on a signal).
 */
int run_cmd(char *const argv[], int out_fd, int (*setup)(void *), void *arg);
/* run_cmd() with stdout into *out (malloc'ed, NUL-terminated). */
int run_capture_with(char *const argv[], char **out, int (*setup)(void *), void *arg);
int run_capture(char *const argv[], char **out);
/*
 * `ptscope ARGS > OUT_PATH` with NO_COLOR=1: ARGS printf-style, split at
 * spaces (no quoting).  Exit status, or -1 (also without a CLI).
 */
int cli_run(const char *out_path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The whole file, NUL-terminated (malloc'ed); NULL on failure. */
char *slurp(const char *path, size_t *len);
/* All of @fd from its current offset, the same way. */
char *read_all(int fd, size_t *len);

/*
 * A target process: forks, runs @build on a shared copy of @shared (@size
 * bytes), then sleeps until killed (or its parent dies).  After @build
 * returned 0, @shared holds what it wrote there.  The pid, or -1.
 */
pid_t spawn_target(int (*build)(void *shared), void *shared, size_t size);
/* SIGKILL and reap @pid; nothing for pid <= 0. */
void kill_wait(pid_t pid);
/*
 * A child that rewrites its address space as fast as it can (mmap, touch,
 * split with mprotect, zap, munmap), so walks of it race with changes.
 * It dies with its parent; the caller kills and reaps it.
 */
pid_t spawn_busy_target(void);

/* The ptscope CLI: /bin/ptscope, $PTSCOPE_CLI, or ../userspace/ptscope. */
const char *cli_path(void);

/* ---- JSON the CLI prints, read with json-c ----------------------------- */

struct json_object;

/*
 * @text as one strict JSON document, or NULL with "offset N: json-c's
 * reason" in @why.  Free with json_object_put().
 */
struct json_object *json_doc(const char *text, char *why, size_t whylen);
/* @obj.@key as a u64: a non-negative integer or a "0x..." string. */
bool json_get_u64(const struct json_object *obj, const char *key, uint64_t *out);

/* Waits until pid is a zombie (without reaping it). */
int wait_zombie(pid_t pid);

/* ---- a started workload with a client: fixture body -------------------- */

struct wl_env {
	struct ptscope_client *c;
	struct ptscope_info info;
	struct wl w;
	struct wl_expect e;
	struct smaps sm;
};

/* 0, -ENOENT (module not loaded: SKIP) or another negative errno. */
int wl_env_init(struct wl_env *env);
void wl_env_fini(struct wl_env *env);
/* Flags of region r as ptscope reports them (PTSCOPE_PAGES_F_* @flags). */
int region_view(struct wl_env *env, pid_t pid, int r, uint32_t flags,
		struct page_view *pv);
/* wl_expected_flags() of every page of region r into @want. */
void expected_region(int r, const struct wl_expect *e, uint32_t *want);

#endif
