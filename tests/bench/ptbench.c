// SPDX-License-Identifier: GPL-2.0
/*
 * ptbench: ptscope against /proc/PID/pagemap, smaps and PAGEMAP_SCAN on the
 * workloads of issue 5.  Runs as root inside the bench VM (bench-vm.sh),
 * with the module loaded, the CLI at /bin/ptscope (bench.sh builds it
 * static) and the default dynamic build at /bin/ptscope-dyn.
 *
 *   ptbench [-r REPS] [-R REPS_4G] [-t LOOP_MS] [-c CLI] [-d DYNAMIC_CLI]
 *           [WORKLOAD]...
 *
 * Workloads (default: all, in this order):
 *   a1  1 GiB anonymous, every 4 KiB page written, MADV_NOHUGEPAGE
 *   a4  the same, 4 GiB
 *   b   64 GiB reserved (MAP_NORESERVE), one page written every 2 MiB
 *   bx  4 TiB reserved, the same pages as b written (same page tables)
 *   c   10,000 one-page VMAs (alternately rw written and r read)
 *   d   1 GiB with MADV_HUGEPAGE, written (2 MiB THPs)
 *   e   1 GiB, even pages written, odd pages read (zero page): attributes
 *       alternate page by page
 *
 * Each workload is a forked child (the target), pinned to the last CPU;
 * this process pins itself to CPU 0 and measures, REPS times each:
 *   the CLI end to end, stdout to /dev/null: the full walk "ptscope
 *   --json record PID" (get-info, get-vmas, get-pages in one process and
 *   one document), and "pages PID", "maps PID" and "info" (start-up) on
 *   their own, "info" also with the dynamic build; the raw dumps through
 *   libptscope's transport, counting every netlink byte received: the full
 *   walk as the CLI does it (get-vmas with PTSCOPE_VMAS_F_NO_COUNTS, and
 *   get-pages, PTSCOPE_PAGES_F_COMPACT if the module takes it), and
 *   get-vmas with counts; /proc/PID/pagemap read over every VMA (64 Ki
 *   entries per read); smaps and smaps_rollup read whole; PAGEMAP_SCAN
 *   over the VMAs (if the kernel has it).
 * Then the module's mmap_lock statistics (get-info, reset first), the
 * kernel memory held per dump (16 dumps started and left unread), and the
 * target's mmap/munmap loop rate with and without walks running.
 *
 * Output: one table (min/median of each time, medians for ratios) and
 * the issue's targets, each "met" or "NOT MET"; "n/a" where this kernel
 * or module does not provide the figure.  Exit status 0 unless a
 * measurement failed outright (targets do not affect it).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <poll.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/ptscope.h>

#include "fuzz_nl.h"
#include "ptscope_priv.h"

/* PAGEMAP_SCAN (Linux 6.7+): the host's headers may predate it. */
#include <linux/fs.h>
#ifndef PAGEMAP_SCAN
struct page_region {
	__u64 start;
	__u64 end;
	__u64 categories;
};

struct pm_scan_arg {
	__u64 size;
	__u64 flags;
	__u64 start;
	__u64 end;
	__u64 walk_end;
	__u64 vec;
	__u64 vec_len;
	__u64 max_pages;
	__u64 category_inverted;
	__u64 category_mask;
	__u64 category_anyof_mask;
	__u64 return_mask;
};

#define PROCFS_IOCTL_MAGIC	'f'
#define PAGEMAP_SCAN		_IOWR(PROCFS_IOCTL_MAGIC, 16, struct pm_scan_arg)
#endif
#define PM_ALL_CATEGORIES	0xffULL	/* PAGE_IS_WPALLOWED .. SOFT_DIRTY */

#define KiB		1024ULL
#define MiB		(1024 * KiB)
#define GiB		(1024 * MiB)
#define TiB		(1024 * GiB)
#define PAGE		4096ULL
#define MAX_REPS	32
#define NR_HELD_DUMPS	16
#define PM_CHUNK	65536	/* pagemap entries per read() */
#define SCAN_VEC	4096	/* page_regions per PAGEMAP_SCAN call */

static int reps = 5, reps_big = 3, loop_ms = 2000;
static const char *cli = "/bin/ptscope";
static const char *cli_dyn = "/bin/ptscope-dyn";
static bool have_cli_dyn;
static int ncpus = 1;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "ptbench: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* ------------------------------------------------------------------ */
/* Series of measurements */

struct series {
	int n;
	double v[MAX_REPS];
};

static void add(struct series *s, double v)
{
	if (s->n < MAX_REPS)
		s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double s_min(const struct series *s)
{
	double m = NAN;

	for (int i = 0; i < s->n; i++)
		if (isnan(m) || s->v[i] < m)
			m = s->v[i];
	return m;
}

static double s_med(const struct series *s)
{
	double v[MAX_REPS];

	if (!s->n)
		return NAN;
	memcpy(v, s->v, s->n * sizeof(v[0]));
	qsort(v, s->n, sizeof(v[0]), cmp_double);
	return s->n % 2 ? v[s->n / 2] : (v[s->n / 2 - 1] + v[s->n / 2]) / 2;
}

/* ------------------------------------------------------------------ */
/* Workloads (run in the target child) */

struct workload {
	const char *name;
	const char *desc;
	void (*build)(const struct workload *w);
	uint64_t size, span;
	bool big;		/* fewer repetitions */
	bool no_pagemap;	/* pagemap read would be 8 B x reserved pages */
};

static void *map_anon(uint64_t len, int prot, int extra, int advice)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra,
		       -1, 0);

	if (p == MAP_FAILED)
		die("mmap %" PRIu64 " bytes: %s", len, strerror(errno));
	if (advice >= 0 && madvise(p, len, advice))
		die("madvise: %s", strerror(errno));
	return p;
}

static void build_anon(const struct workload *w)
{
	volatile char *p = map_anon(w->size, PROT_READ | PROT_WRITE, 0,
				    MADV_NOHUGEPAGE);

	for (uint64_t off = 0; off < w->size; off += PAGE)
		p[off] = 1;
}

static void build_sparse(const struct workload *w)
{
	volatile char *p = map_anon(w->size, PROT_READ | PROT_WRITE,
				    MAP_NORESERVE, MADV_NOHUGEPAGE);

	for (uint64_t off = 0; off < w->span; off += 2 * MiB)
		p[off] = 1;
}

static void build_vmas(const struct workload *w)
{
	for (uint64_t i = 0; i < w->size; i++) {
		bool rw = i % 2 == 0;
		volatile char *p = map_anon(PAGE, rw ? PROT_READ | PROT_WRITE :
					    PROT_READ, 0, -1);

		if (rw)
			p[0] = 1;
		else
			(void)p[0];
	}
}

static void build_thp(const struct workload *w)
{
	char *raw = map_anon(w->size + 2 * MiB, PROT_READ | PROT_WRITE, 0, -1);
	uintptr_t a = ((uintptr_t)raw + 2 * MiB - 1) & ~(uintptr_t)(2 * MiB - 1);
	volatile char *p = (char *)a;

	if (madvise((void *)a, w->size, MADV_HUGEPAGE))
		die("MADV_HUGEPAGE: %s", strerror(errno));
	for (uint64_t off = 0; off < w->size; off += PAGE)
		p[off] = 1;
}

static void build_alt(const struct workload *w)
{
	volatile char *p = map_anon(w->size, PROT_READ | PROT_WRITE, 0,
				    MADV_NOHUGEPAGE);
	char sink = 0;

	for (uint64_t off = 0; off < w->size; off += PAGE) {
		if ((off / PAGE) % 2 == 0)
			p[off] = 1;
		else
			sink += p[off];	/* maps the zero page read-only */
	}
	(void)sink;
}

static const struct workload workloads[] = {
	{ "a1", "1 GiB anon 4K", build_anon, 1 * GiB, 0, false, false },
	{ "a4", "4 GiB anon 4K", build_anon, 4 * GiB, 0, true, false },
	{ "b", "64G sparse", build_sparse, 64 * GiB, 64 * GiB, false, false },
	{ "bx", "4T sparse", build_sparse, 4 * TiB, 64 * GiB, false, true },
	{ "c", "10k VMAs", build_vmas, 10000, 0, false, false },
	{ "d", "1 GiB THP", build_thp, 1 * GiB, 0, false, false },
	{ "e", "1 GiB altern.", build_alt, 1 * GiB, 0, false, false },
};
#define NR_WL	(int)(sizeof(workloads) / sizeof(workloads[0]))

/* The mmap/munmap loop: one op = map a page, write it, unmap it. */
static uint64_t churn(int ms)
{
	double end = now_ms() + ms;
	uint64_t ops = 0;

	while (now_ms() < end) {
		for (int i = 0; i < 16; i++) {
			char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				die("churn mmap: %s", strerror(errno));
			p[0] = 1;
			munmap(p, PAGE);
			ops++;
		}
	}
	return ops;
}

struct target {
	pid_t pid;
	int cmd, rsp;		/* pipes: to and from the target */
};

static void target_main(const struct workload *w, int cmd, int rsp)
{
	char c = 'R';
	int ms;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pin(ncpus - 1);
	w->build(w);
	if (write(rsp, &c, 1) != 1)
		_exit(1);
	while (read(cmd, &ms, sizeof(ms)) == sizeof(ms)) {
		uint64_t ops = churn(ms);

		if (write(rsp, &ops, sizeof(ops)) != sizeof(ops))
			_exit(1);
	}
	_exit(0);
}

static void target_start(struct target *t, const struct workload *w)
{
	int cmd[2], rsp[2];
	char c;

	if (pipe(cmd) || pipe(rsp))
		die("pipe: %s", strerror(errno));
	t->pid = fork();
	if (t->pid < 0)
		die("fork: %s", strerror(errno));
	if (t->pid == 0) {
		close(cmd[1]);
		close(rsp[0]);
		target_main(w, cmd[0], rsp[1]);
	}
	close(cmd[0]);
	close(rsp[1]);
	t->cmd = cmd[1];
	t->rsp = rsp[0];
	if (read(t->rsp, &c, 1) != 1 || c != 'R')
		die("workload %s failed to build", w->name);
}

static void target_stop(struct target *t)
{
	close(t->cmd);
	close(t->rsp);
	kill(t->pid, SIGKILL);
	waitpid(t->pid, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* Raw dumps through libptscope's transport */

/*
 * What one request brought back, counted without expanding compact blocks
 * or merging runs, so that the wire figures are the module's.  The
 * transport (socket options, sequence checks, draining, errors) is
 * libptscope's (ptscope_priv.h): what the CLI itself runs on.
 */
struct dump {
	uint64_t bytes, msgs;
	uint64_t runs, blocks, pages, present;
	uint64_t vmas, vma_pages, vma_present, vma_thp;
};

static void parse_run(struct dump *d, struct nlattr *nest)
{
	struct nlattr *a;
	uint64_t n = 0;
	uint32_t flags = 0;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == PTSCOPE_RUN_A_NR_PAGES)
			n = nla_get_u64(a);
		else if (nla_type(a) == PTSCOPE_RUN_A_FLAGS)
			flags = nla_get_u32(a);
	}
	d->runs++;
	d->pages += n;
	if (flags & PTSCOPE_PF_PRESENT)
		d->present += n;
}

static void parse_block(struct dump *d, struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == PTSCOPE_BLOCK_A_FLAGS16) {
			const uint16_t *f = nla_data(a);
			int n = nla_len(a) / 2;

			for (int i = 0; i < n; i++)
				if (f[i] & PTSCOPE_PF_PRESENT)
					d->present++;
			d->pages += n;
		}
	}
	d->blocks++;
}

static void parse_vma(struct dump *d, struct nlattr *nest)
{
	struct nlattr *a;
	uint64_t start = 0, end = 0;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case PTSCOPE_VMA_A_START:
			start = nla_get_u64(a);
			break;
		case PTSCOPE_VMA_A_END:
			end = nla_get_u64(a);
			break;
		case PTSCOPE_VMA_A_NR_PRESENT:
			d->vma_present += nla_get_u64(a);
			break;
		case PTSCOPE_VMA_A_NR_HUGE_PMD:
			d->vma_thp += nla_get_u64(a);
			break;
		}
	}
	d->vmas++;
	d->vma_pages += (end - start) / PAGE;
}

/* Every attribute of the message: a dump message repeats PTSCOPE_A_RUN etc. */
static int on_reply(struct ptscope_request *r, struct nlmsghdr *nlh, struct nlattr **tb)
{
	struct dump *d = r->arg;
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *a;
	int rem;

	(void)tb;
	d->bytes += nlh->nlmsg_len;
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		switch (nla_type(a)) {
		case PTSCOPE_A_RUN:
			parse_run(d, a);
			break;
		case PTSCOPE_A_BLOCK:
			parse_block(d, a);
			break;
		case PTSCOPE_A_VMA:
			parse_vma(d, a);
			break;
		}
	}
	return 0;
}

/* One dump to its end; 0 or a negative errno. */
static int dump(struct ptscope_client *c, uint8_t cmd, pid_t pid, uint32_t flags,
		struct dump *d)
{
	struct ptscope_request r = { .c = c, .cmd = cmd, .reply = on_reply, .arg = d };
	struct nl_msg *msg = ptscope_request_new(c, cmd, NLM_F_DUMP);
	int err;

	memset(d, 0, sizeof(*d));
	if (!msg || nla_put_u32(msg, PTSCOPE_A_PID, (uint32_t)pid) ||
	    (flags && nla_put_u32(msg, PTSCOPE_A_FLAGS, flags)))
		die("nlmsg_alloc");
	err = ptscope_request_run(&r, msg);
	nlmsg_free(msg);
	/*
	 * The reply fn sees ptscope's messages; the rest of what was read
	 * for this request is its NLMSG_DONE: the errno, no TLVs on success.
	 */
	d->msgs = r.seen;
	d->bytes += (uint64_t)(r.seen - r.replies) * (NLMSG_HDRLEN + sizeof(int));
	return err;
}

static int get_pages(struct ptscope_client *c, pid_t pid, uint32_t flags, struct dump *d)
{
	return dump(c, PTSCOPE_CMD_GET_PAGES, pid, flags, d);
}

/* @flags: PTSCOPE_VMAS_F_NO_COUNTS or 0 (counts: a page-table walk) */
static int get_vmas(struct ptscope_client *c, pid_t pid, uint32_t flags, struct dump *d)
{
	return dump(c, PTSCOPE_CMD_GET_VMAS, pid, flags, d);
}

/* A get-pages dump started on raw socket @s and never read (fuzz_nl.c). */
static void start_held_dump(struct fnl *s, pid_t pid, uint32_t flags)
{
	struct fnl_req r;

	fnl_req_init(&r, s->fam, NLM_F_REQUEST | NLM_F_DUMP, s->seq++,
		     PTSCOPE_CMD_GET_PAGES, PTSCOPE_GENL_VERSION);
	fnl_put_u32(&r, PTSCOPE_A_PID, (uint32_t)pid);
	if (flags)
		fnl_put_u32(&r, PTSCOPE_A_FLAGS, flags);
	if (fnl_send(s, &r))
		die("send");
}

/* ------------------------------------------------------------------ */
/* The kernel's own interfaces */

struct vma_range {
	uint64_t start, end;
};

static int read_vmas(pid_t pid, struct vma_range **out)
{
	char path[64], line[4352];
	struct vma_range *v = NULL;
	int n = 0, cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;

		if (strstr(line, "[vsyscall]") ||
		    sscanf(line, "%llx-%llx", &s, &e) != 2)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				die("out of memory");
		}
		v[n].start = s;
		v[n].end = e;
		n++;
	}
	fclose(f);
	*out = v;
	return n;
}

/* /proc/PID/pagemap over every VMA (found in /proc/PID/maps, timed too). */
static uint64_t read_pagemap(pid_t pid, uint64_t *buf)
{
	struct vma_range *v;
	uint64_t present = 0;
	char path[64];
	int n, fd;

	n = read_vmas(pid, &v);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	for (int i = 0; i < n; i++) {
		for (uint64_t a = v[i].start; a < v[i].end;) {
			uint64_t want = (v[i].end - a) / PAGE;
			ssize_t r;

			if (want > PM_CHUNK)
				want = PM_CHUNK;
			r = pread(fd, buf, want * 8, (off_t)(a / PAGE * 8));
			if (r <= 0)
				die("pagemap read at %#" PRIx64 ": %s", a,
				    r ? strerror(errno) : "EOF");
			for (ssize_t k = 0; k < r / 8; k++)
				present += buf[k] >> 63;
			a += (uint64_t)r / 8 * PAGE;
		}
	}
	close(fd);
	free(v);
	return present;
}

static size_t read_whole(pid_t pid, const char *file, char *buf, size_t len)
{
	char path[64];
	size_t total = 0;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	while ((r = read(fd, buf, len)) > 0)
		total += r;
	if (r < 0)
		die("%s: %s", path, strerror(errno));
	close(fd);
	return total;
}

/* A "Key: N kB" field of a /proc file, in kB; -1 if absent. */
static long file_kb(const char *path, const char *key)
{
	char line[256];
	long v = -1;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			v = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return v;
}

static long proc_kb(pid_t pid, const char *file, const char *key)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return file_kb(path, key);
}

static long meminfo_kb(const char *key)
{
	return file_kb("/proc/meminfo", key);
}

/* PAGEMAP_SCAN over every VMA: regions of pages with equal categories.
 * Returns the number of regions, -1 if the kernel lacks the ioctl. */
static long pagemap_scan(pid_t pid, struct page_region *vec)
{
	struct vma_range *v;
	long regions = 0;
	char path[64];
	int n, fd;

	n = read_vmas(pid, &v);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	for (int i = 0; i < n && regions >= 0; i++) {
		struct pm_scan_arg arg = {
			.size = sizeof(arg),
			.start = v[i].start,
			.end = v[i].end,
			.vec = (uintptr_t)vec,
			.vec_len = SCAN_VEC,
			.return_mask = PM_ALL_CATEGORIES,
		};

		while (arg.start < arg.end) {
			long r = ioctl(fd, PAGEMAP_SCAN, &arg);

			if (r < 0) {
				if (errno != ENOTTY && errno != EINVAL)
					die("PAGEMAP_SCAN: %s", strerror(errno));
				regions = -1;
				break;
			}
			regions += r;
			if (arg.walk_end <= arg.start)
				break;
			arg.start = arg.walk_end;
		}
	}
	close(fd);
	free(v);
	return regions;
}

/* `PROG --json CMD [PID] >/dev/null`; its exit status */
static int run_cli(const char *prog, const char *cmd, pid_t pid)
{
	char pidstr[16];
	char *argv[] = { (char *)"ptscope", (char *)"--json", (char *)cmd,
			 pid ? pidstr : NULL, NULL };
	posix_spawn_file_actions_t fa;
	pid_t child;
	int status;

	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&child, prog, &fa, NULL, argv, environ))
		die("spawn %s: %s", prog, strerror(errno));
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(child, &status, 0) < 0)
		die("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/*
 * "static" or "dynamic" (has an ELF interpreter, i.e. ld.so), for the
 * header: start-up costs depend on it more than on anything else.
 */
static const char *linkage(const char *path)
{
	const char *kind = "?";
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return "missing";
	if (pread(fd, &eh, sizeof(eh), 0) == sizeof(eh) &&
	    !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64) {
		kind = "static";
		for (int i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;

			if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff +
				  (uint64_t)i * eh.e_phentsize)) != sizeof(ph)) {
				kind = "?";
				break;
			}
			if (ph.p_type == PT_INTERP) {
				kind = "dynamic";
				break;
			}
		}
	}
	close(fd);
	return kind;
}

/* MemTotal - MemFree - Buffers - Cached, kB */
static long mem_used_kb(void)
{
	long total = meminfo_kb("MemTotal");
	long free_ = meminfo_kb("MemFree");
	long buf = meminfo_kb("Buffers");
	long cached = meminfo_kb("Cached");

	return total - free_ - buf - cached;
}

/* ------------------------------------------------------------------ */
/* Per workload */

struct result {
	const struct workload *w;
	bool ran;
	int reps;
	struct series cli_full;		/* `ptscope --json record`: the full walk */
	struct series cli_pages, cli_maps;
	struct series cli_start;	/* `ptscope --json info`: start-up cost */
	struct series cli_start_dyn;	/* the same, dynamic build */
	/* full walk: get-vmas without counts + get-pages, as the CLI does */
	struct series raw_vmas_nc, raw_pages, raw_full;
	struct series raw_vmas;		/* get-vmas with counts */
	struct series pagemap, smaps, rollup, scan;
	uint64_t pages_bytes, vmas_bytes, runs, blocks, pages, present;
	uint64_t vmas_counts_bytes;	/* get-vmas with counts */
	uint64_t vmas, vma_pages, thp_pages;
	uint64_t pm_present;
	long scan_regions;
	long vm_pte_kb, rss_kb;
	bool has_lock;
	double lock_max_us, lock_avg_us;
	uint64_t lock_holds;
	double dump_mem_kb;
	uint32_t held_live;
	double churn_idle, churn_walked, churn_ratio, churn_busy;
	int walk_errors;
};

static bool compact_ok = true;
static char module_version[64] = "?";
static bool lock_reset_ok = true;

static uint32_t pages_flags(void)
{
	return compact_ok ? PTSCOPE_PAGES_F_COMPACT : 0;
}

/* The full walk as the CLI's record does it: one page-table walk. */
static int raw_walk(struct ptscope_client *c, pid_t pid, struct dump *pd, struct dump *vd)
{
	int err = get_vmas(c, pid, PTSCOPE_VMAS_F_NO_COUNTS, vd);

	return err ? err : get_pages(c, pid, pages_flags(), pd);
}

static void measure(struct ptscope_client *c, struct result *res)
{
	const struct workload *w = res->w;
	uint64_t *pmbuf = malloc(PM_CHUNK * 8);
	size_t sbuf_len = 1 << 20;
	char *sbuf = malloc(sbuf_len);
	struct page_region *vec = calloc(SCAN_VEC, sizeof(*vec));
	struct target t;
	struct dump pd, vd, vcd;
	struct ptscope_info info;
	bool scan_ok = true;
	int err;

	if (!pmbuf || !sbuf || !vec)
		die("out of memory");
	fprintf(stderr, "ptbench: %s (%s): building\n", w->name, w->desc);
	double t0 = now_ms();

	target_start(&t, w);
	res->ran = true;
	res->reps = w->big ? reps_big : reps;
	res->rss_kb = proc_kb(t.pid, "status", "VmRSS");
	res->vm_pte_kb = proc_kb(t.pid, "status", "VmPTE");
	fprintf(stderr, "ptbench: %s: built in %.1f s, pid %d, VmRSS %ld kB, "
		"VmPTE %ld kB; measuring\n", w->name, (now_ms() - t0) / 1e3,
		t.pid, res->rss_kb, res->vm_pte_kb);

	/* mmap_lock statistics: from zero for this workload's walks. */
	if (lock_reset_ok &&
	    ptscope_get_info_flags(c, PTSCOPE_INFO_F_RESET_LOCK_STATS, &info))
		lock_reset_ok = false;

	for (int r = 0; r < res->reps; r++) {
		double a, b, vmas_ms;

		a = now_ms();
		err = get_vmas(c, t.pid, PTSCOPE_VMAS_F_NO_COUNTS, &vd);
		vmas_ms = now_ms() - a;
		if (err)
			die("%s: get-vmas (no counts): %s", w->name, strerror(-err));
		a = now_ms();
		err = get_pages(c, t.pid, pages_flags(), &pd);
		if (err == -EOPNOTSUPP && compact_ok) {
			compact_ok = false;	/* module predates the flag */
			a = now_ms();
			err = get_pages(c, t.pid, 0, &pd);
		}
		b = now_ms();
		if (err)
			die("%s: get-pages: %s", w->name, strerror(-err));
		add(&res->raw_vmas_nc, vmas_ms);
		add(&res->raw_pages, b - a);
		add(&res->raw_full, vmas_ms + (b - a));

		a = now_ms();
		err = get_vmas(c, t.pid, 0, &vcd);
		if (err)
			die("%s: get-vmas: %s", w->name, strerror(-err));
		add(&res->raw_vmas, now_ms() - a);

		a = now_ms();
		if (run_cli(cli, "record", t.pid))
			die("%s: ptscope record failed", w->name);
		add(&res->cli_full, now_ms() - a);
		a = now_ms();
		if (run_cli(cli, "pages", t.pid))
			die("%s: ptscope pages failed", w->name);
		add(&res->cli_pages, now_ms() - a);
		a = now_ms();
		if (run_cli(cli, "maps", t.pid))
			die("%s: ptscope maps failed", w->name);
		add(&res->cli_maps, now_ms() - a);

		a = now_ms();
		if (run_cli(cli, "info", 0))
			die("%s: ptscope info failed", w->name);
		add(&res->cli_start, now_ms() - a);
		if (have_cli_dyn) {
			a = now_ms();
			if (run_cli(cli_dyn, "info", 0))
				die("%s: %s info failed", w->name, cli_dyn);
			add(&res->cli_start_dyn, now_ms() - a);
		}

		if (!w->no_pagemap) {
			a = now_ms();
			res->pm_present = read_pagemap(t.pid, pmbuf);
			add(&res->pagemap, now_ms() - a);
		}
		a = now_ms();
		read_whole(t.pid, "smaps", sbuf, sbuf_len);
		add(&res->smaps, now_ms() - a);
		a = now_ms();
		read_whole(t.pid, "smaps_rollup", sbuf, sbuf_len);
		add(&res->rollup, now_ms() - a);
		if (scan_ok) {
			a = now_ms();
			res->scan_regions = pagemap_scan(t.pid, vec);
			if (res->scan_regions < 0)
				scan_ok = false;
			else
				add(&res->scan, now_ms() - a);
		}
		fprintf(stderr, "ptbench: %s: rep %d/%d done\n", w->name,
			r + 1, res->reps);
	}
	res->pages_bytes = pd.bytes;
	res->vmas_bytes = vd.bytes;
	res->vmas_counts_bytes = vcd.bytes;
	res->runs = pd.runs;
	res->blocks = pd.blocks;
	res->pages = pd.pages;
	res->present = pd.present;
	res->vmas = vcd.vmas;
	res->vma_pages = vcd.vma_pages;
	res->thp_pages = vcd.vma_thp;
	if (pd.pages != vcd.vma_pages || pd.present != vcd.vma_present)
		fprintf(stderr, "ptbench: %s: WARNING: get-pages covers %" PRIu64
			" pages (%" PRIu64 " present), get-vmas %" PRIu64
			" (%" PRIu64 " present)\n", w->name, pd.pages,
			pd.present, vcd.vma_pages, vcd.vma_present);

	if (!ptscope_get_info(c, &info)) {
		snprintf(module_version, sizeof(module_version), "%s",
			 info.module_version);
		/* A module that takes the reset flag keeps the statistics. */
		res->has_lock = lock_reset_ok;
		res->lock_holds = info.lock_holds;
		res->lock_max_us = info.lock_hold_max_ns / 1e3;
		res->lock_avg_us = info.lock_holds ?
			info.lock_hold_total_ns / 1e3 / info.lock_holds : 0;
	}

	/* Kernel memory per dump: NR_HELD_DUMPS started, none read. */
	{
		struct fnl held[NR_HELD_DUMPS];
		long before, after, rss0, rss1;

		for (int i = 0; i < NR_HELD_DUMPS; i++)
			if (fnl_open(&held[i], 1000))
				die("netlink socket");
		usleep(200000);
		rss0 = proc_kb(getpid(), "status", "VmRSS");
		before = mem_used_kb();
		for (int i = 0; i < NR_HELD_DUMPS; i++)
			start_held_dump(&held[i], t.pid, pages_flags());
		usleep(200000);
		after = mem_used_kb();
		rss1 = proc_kb(getpid(), "status", "VmRSS");
		if (!ptscope_get_info(c, &info))
			res->held_live = info.live_dumps;
		res->dump_mem_kb = (double)((after - before) - (rss1 - rss0)) /
				   NR_HELD_DUMPS;
		for (int i = 0; i < NR_HELD_DUMPS; i++)
			fnl_close(&held[i]);
	}

	/*
	 * The target's mmap/munmap loop: alone, while this process walks it
	 * back to back (the raw full walk), and as a control while
	 * this process only spins in user space (what sharing the machine
	 * costs without any walk).
	 */
	{
		struct series idle = { 0 }, walked = { 0 }, busy = { 0 };
		struct series ratio = { 0 };
		int pairs = w->big ? 2 : 3;

		for (int r = 0; r < pairs; r++) {
			for (int phase = 0; phase < 3; phase++) {
				volatile uint64_t spin = 0;
				uint64_t ops;

				if (write(t.cmd, &loop_ms, sizeof(loop_ms)) !=
				    sizeof(loop_ms))
					die("target loop");
				for (;;) {
					struct pollfd pfd = { .fd = t.rsp,
							      .events = POLLIN };

					if (poll(&pfd, 1, 0) > 0)
						break;
					if (phase == 1 && raw_walk(c, t.pid, &pd, &vd))
						res->walk_errors++;
					for (int k = 0; phase == 2 && k < 100000; k++)
						spin++;
					if (phase == 0)
						poll(&pfd, 1, -1);
				}
				if (read(t.rsp, &ops, sizeof(ops)) != sizeof(ops))
					die("target loop");
				add(phase == 0 ? &idle : phase == 1 ? &walked : &busy,
				    ops * 1e3 / loop_ms);
			}
			add(&ratio, walked.v[walked.n - 1] / idle.v[idle.n - 1]);
		}
		res->churn_idle = s_med(&idle);
		res->churn_walked = s_med(&walked);
		res->churn_busy = s_med(&busy);
		res->churn_ratio = s_med(&ratio);
	}
	target_stop(&t);
	free(pmbuf);
	free(sbuf);
	free(vec);
	fprintf(stderr, "ptbench: %s: done in %.1f s\n", w->name,
		(now_ms() - t0) / 1e3);
}

/* ------------------------------------------------------------------ */
/* Report */

static struct result results[NR_WL];

#define LABEL_W	34
#define CELL_W	16

static void fmt_ms(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (v >= 100)
		snprintf(buf, len, "%.0f", v);
	else if (v >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

static void row_times(const char *label, size_t off)
{
	printf("%-*s", LABEL_W, label);
	for (int i = 0; i < NR_WL; i++) {
		const struct series *s;
		char a[32], b[32], cell[80];

		if (!results[i].ran)
			continue;
		s = (const struct series *)((const char *)&results[i] + off);
		if (!s->n) {
			printf("%*s", CELL_W, "n/a");
			continue;
		}
		fmt_ms(a, sizeof(a), s_min(s));
		fmt_ms(b, sizeof(b), s_med(s));
		snprintf(cell, sizeof(cell), "%s/%s", a, b);
		printf("%*s", CELL_W, cell);
	}
	putchar('\n');
}

typedef void (*cell_fn)(const struct result *r, char *buf, size_t len);

static void row(const char *label, cell_fn fn)
{
	printf("%-*s", LABEL_W, label);
	for (int i = 0; i < NR_WL; i++) {
		char cell[64];

		if (!results[i].ran)
			continue;
		fn(&results[i], cell, sizeof(cell));
		printf("%*s", CELL_W, cell);
	}
	putchar('\n');
}

static double ratio(const struct series *a, const struct series *b)
{
	if (!a->n || !b->n)
		return NAN;
	return s_med(a) / s_med(b);
}

static void fmt_ratio(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%.2fx", v);
}

static void c_vmas(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64, r->vmas);
}

static void c_present(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64, r->present);
}

static void c_thp(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64, r->thp_pages);
}

static void c_vmpte(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%ld", r->vm_pte_kb);
}

static void c_runs(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64 "/%" PRIu64, r->runs, r->blocks);
}

static void c_pmcheck(const struct result *r, char *b, size_t l)
{
	if (r->w->no_pagemap)
		snprintf(b, l, "n/a");
	else if (r->pm_present == r->present)
		snprintf(b, l, "same");
	else
		snprintf(b, l, "%+" PRId64, (int64_t)(r->pm_present - r->present));
}

static void c_scanreg(const struct result *r, char *b, size_t l)
{
	if (r->scan.n)
		snprintf(b, l, "%ld", r->scan_regions);
	else
		snprintf(b, l, "n/a");
}

static void c_wire(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64, r->pages_bytes + r->vmas_bytes);
}

static void c_wire_counts(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%" PRIu64, r->vmas_counts_bytes);
}

static double bpp(const struct result *r)
{
	return r->present ? (double)(r->pages_bytes + r->vmas_bytes) /
			    r->present : NAN;
}

static void c_bpp(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%.3f", bpp(r));
}

static void c_pmbpp(const struct result *r, char *b, size_t l)
{
	if (r->w->no_pagemap || !r->present)
		snprintf(b, l, "n/a");
	else
		snprintf(b, l, "%.1f", 8.0 * r->vma_pages / r->present);
}

static void c_rate(const struct result *r, char *b, size_t l)
{
	double ms = s_med(&r->raw_pages);

	snprintf(b, l, "%.3g", r->present / (ms / 1e3));
}

static void c_vrate(const struct result *r, char *b, size_t l)
{
	double ms = s_med(&r->raw_pages);

	snprintf(b, l, "%.3g", r->vma_pages / (ms / 1e3));
}

static void c_lock(const struct result *r, char *b, size_t l)
{
	if (!r->has_lock)
		snprintf(b, l, "n/a");
	else
		snprintf(b, l, "%.0f", r->lock_max_us);
}

static void c_lockavg(const struct result *r, char *b, size_t l)
{
	if (!r->has_lock)
		snprintf(b, l, "n/a");
	else
		snprintf(b, l, "%.0f/%" PRIu64, r->lock_avg_us, r->lock_holds);
}

static void c_dumpmem(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%.0f (%u)", r->dump_mem_kb, r->held_live);
}

static void c_churn(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%.0f/%.0f", r->churn_idle, r->churn_walked);
}

static void c_churn_busy(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%.0f%%", 100 * r->churn_busy / r->churn_idle);
}

static void c_walkerr(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%d", r->walk_errors);
}

static void c_churn_ratio(const struct result *r, char *b, size_t l)
{
	snprintf(b, l, "%.0f%%", 100 * r->churn_ratio);
}

#define RATIO_CELL(fn, a, b)						\
static void fn(const struct result *r, char *buf, size_t l)		\
{									\
	fmt_ratio(buf, l, ratio(&r->a, &r->b));				\
}
RATIO_CELL(c_cli_pm, cli_full, pagemap)
RATIO_CELL(c_raw_pm, raw_full, pagemap)
RATIO_CELL(c_scan_pm, scan, pagemap)
RATIO_CELL(c_rawp_scan, raw_pages, scan)
RATIO_CELL(c_rawv_smaps, raw_vmas, smaps)
RATIO_CELL(c_cliv_smaps, cli_maps, smaps)
RATIO_CELL(c_rawv_rollup, raw_vmas, rollup)

static const struct result *find(const char *name)
{
	for (int i = 0; i < NR_WL; i++)
		if (results[i].ran && !strcmp(results[i].w->name, name))
			return &results[i];
	return NULL;
}

static void target(const char *what, const char *wl, const char *measured,
		   int met)	/* 1 met, 0 not met, -1 n/a */
{
	printf("  %-52s %-3s %-22s %s\n", what, wl, measured,
	       met < 0 ? "n/a" : met ? "met" : "NOT MET");
}

static void targets(void)
{
	static const char *const full_wl[] = { "a1", "a4", "b", "d" };
	static const char *const vmas_wl[] = { "a1", "a4", "c" };
	static const char *const bpp_wl[] = { "a1", "a4", "d" };
	const struct result *r, *r2;
	char m[64];

	printf("\ntargets (ratios of medians; \"full walk\" = ptscope --json "
	       "record end to end)\n");
	for (size_t i = 0; i < sizeof(full_wl) / sizeof(full_wl[0]); i++) {
		r = find(full_wl[i]);
		if (!r)
			continue;
		double v = ratio(&r->cli_full, &r->pagemap);

		fmt_ratio(m, sizeof(m), v);
		target("full walk <= 0.5x pagemap read", r->w->name, m,
		       isnan(v) ? -1 : v <= 0.5);
	}
	r = find("e");
	if (r) {
		double v = ratio(&r->cli_full, &r->pagemap);

		fmt_ratio(m, sizeof(m), v);
		target("full walk <= 1x pagemap read (alternating)", "e", m,
		       isnan(v) ? -1 : v <= 1.0);
	}
	for (size_t i = 0; i < sizeof(vmas_wl) / sizeof(vmas_wl[0]); i++) {
		r = find(vmas_wl[i]);
		if (!r)
			continue;
		double v = ratio(&r->raw_vmas, &r->smaps);

		fmt_ratio(m, sizeof(m), v);
		target("get-vmas with counts <= 0.5x smaps read", r->w->name,
		       m, isnan(v) ? -1 : v <= 0.5);
	}
	for (size_t i = 0; i < sizeof(vmas_wl) / sizeof(vmas_wl[0]); i++) {
		r = find(vmas_wl[i]);
		if (!r)
			continue;
		double v = ratio(&r->cli_maps, &r->smaps);

		fmt_ratio(m, sizeof(m), v);
		target("  (same, CLI maps --json end to end)", r->w->name, m,
		       isnan(v) ? -1 : v <= 0.5);
	}
	for (size_t i = 0; i < sizeof(bpp_wl) / sizeof(bpp_wl[0]); i++) {
		r = find(bpp_wl[i]);
		if (!r)
			continue;
		snprintf(m, sizeof(m), "%.3f B/page", bpp(r));
		target("<= 2 B/page on the wire", r->w->name, m, bpp(r) <= 2);
	}
	r = find("e");
	if (r) {
		snprintf(m, sizeof(m), "%.3f B/page", bpp(r));
		target("<= 8 B/page on the wire (alternating)", "e", m,
		       bpp(r) <= 8);
	}
	r = find("b");
	r2 = find("bx");
	if (r && r2) {
		double v = ratio(&r2->raw_full, &r->raw_full);

		snprintf(m, sizeof(m), "bx/b %.2fx (64x resv)", v);
		target("(b) cost follows page tables, not reservation", "bx",
		       m, v <= 1.5);
	}
	r = find("a1");
	if (r) {
		double base = r->dump_mem_kb, worst = base;
		const char *worst_wl = "a1";

		for (int i = 0; i < NR_WL; i++)
			if (results[i].ran && results[i].dump_mem_kb > worst) {
				worst = results[i].dump_mem_kb;
				worst_wl = results[i].w->name;
			}
		snprintf(m, sizeof(m), "%.0f KiB (%s) vs %.0f (a1)", worst,
			 worst_wl, base);
		target("per-dump module memory O(1) (max <= a1 + 16 KiB)",
		       "all", m, worst <= base + 16);
	}
	for (int i = 0; i < NR_WL; i++) {
		r = &results[i];
		if (!r->ran)
			continue;
		snprintf(m, sizeof(m), "%.0f%%", 100 * r->churn_ratio);
		target("mmap/munmap loop keeps >= 90% of unwalked rate",
		       r->w->name, m, r->churn_ratio >= 0.9);
	}
}

static void report(void)
{
	char host[256] = "?";
	FILE *f = fopen("/proc/sys/kernel/osrelease", "r");

	if (f) {
		if (fgets(host, sizeof(host), f))
			host[strcspn(host, "\n")] = '\0';
		fclose(f);
	}
	printf("\n=== ptbench: kernel %s, module %s, %d CPUs, MemTotal %ld kB ===\n",
	       host, module_version, ncpus, meminfo_kb("MemTotal"));
	printf("get-pages requested compact blocks: %s; lock-stat reset: %s; "
	       "repetitions %d (4 GiB: %d); loop %d ms\n",
	       compact_ok ? "yes (accepted)" : "no (module rejected the flag)",
	       lock_reset_ok ? "yes" : "no", reps, reps_big, loop_ms);
	printf("CLI %s (%s), dynamic build %s (%s)\n", cli, linkage(cli),
	       cli_dyn, have_cli_dyn ? linkage(cli_dyn) : "not run");
	printf("times in ms, min/median\n\n");
	printf("%-*s", LABEL_W, "workload");
	for (int i = 0; i < NR_WL; i++)
		if (results[i].ran)
			printf("%*s", CELL_W, results[i].w->name);
	putchar('\n');
	printf("%-*s", LABEL_W, "");
	for (int i = 0; i < NR_WL; i++)
		if (results[i].ran)
			printf("%*s", CELL_W, results[i].w->desc);
	putchar('\n');
	row("VMAs", c_vmas);
	row("present pages", c_present);
	row("  of them in PMD leaves (THP)", c_thp);
	row("VmPTE kB", c_vmpte);
	row("runs/blocks in get-pages", c_runs);
	row("pagemap present pages - ptscope", c_pmcheck);
#define T(label, field) row_times(label, offsetof(struct result, field))
	T("CLI full walk (record --json)", cli_full);
	T("  CLI pages --json", cli_pages);
	T("  CLI maps --json", cli_maps);
	T("  CLI start-up (--json info)", cli_start);
	T("  CLI start-up, dynamic build", cli_start_dyn);
	T("raw dump, full walk", raw_full);
	T("  raw get-vmas, no counts", raw_vmas_nc);
	T("  raw get-pages", raw_pages);
	T("raw get-vmas with counts", raw_vmas);
	T("read /proc/PID/pagemap (all VMAs)", pagemap);
	T("read /proc/PID/smaps", smaps);
	T("read /proc/PID/smaps_rollup", rollup);
	T("PAGEMAP_SCAN (all VMAs)", scan);
#undef T
	row("  PAGEMAP_SCAN regions", c_scanreg);
	row("wire bytes, full walk", c_wire);
	row("  get-vmas with counts alone", c_wire_counts);
	row("wire B/present page", c_bpp);
	row("  pagemap B/present page", c_pmbpp);
	row("present pages/s (raw get-pages)", c_rate);
	row("VMA pages/s (raw get-pages)", c_vrate);
	row("max mmap_lock hold, us", c_lock);
	row("  mean hold us / holds", c_lockavg);
	row("kernel kB per open dump (live)", c_dumpmem);
	row("mmap+munmap/s unwalked/walked", c_churn);
	row("  walked/unwalked", c_churn_ratio);
	row("  control: CPU 0 spinning/unwalked", c_churn_busy);
	row("  walks failed meanwhile (EAGAIN...)", c_walkerr);
	row("ratio CLI full / pagemap", c_cli_pm);
	row("ratio raw full / pagemap", c_raw_pm);
	row("ratio PAGEMAP_SCAN / pagemap", c_scan_pm);
	row("ratio raw get-pages / PM_SCAN", c_rawp_scan);
	row("ratio raw get-vmas / smaps", c_rawv_smaps);
	row("ratio CLI maps / smaps", c_cliv_smaps);
	row("ratio raw get-vmas / rollup", c_rawv_rollup);
	targets();
	printf("=== ptbench: end ===\n");
}

int main(int argc, char **argv)
{
	struct ptscope_client *c;
	int opt;

	while ((opt = getopt(argc, argv, "r:R:t:c:d:")) != -1) {
		switch (opt) {
		case 'r':
			reps = atoi(optarg);
			break;
		case 'R':
			reps_big = atoi(optarg);
			break;
		case 't':
			loop_ms = atoi(optarg);
			break;
		case 'c':
			cli = optarg;
			break;
		case 'd':
			cli_dyn = optarg;
			break;
		default:
			fprintf(stderr, "usage: ptbench [-r REPS] [-R REPS_4G] "
				"[-t LOOP_MS] [-c CLI] [-d DYNAMIC_CLI] "
				"[WORKLOAD]...\n");
			return 2;
		}
	}
	/* Without a dynamic build beside it, its start-up row says n/a. */
	have_cli_dyn = !access(cli_dyn, X_OK);
	if (reps < 1 || reps > MAX_REPS || reps_big < 1 || reps_big > MAX_REPS ||
	    loop_ms < 10)
		die("bad -r/-R/-t");
	ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpus < 1)
		ncpus = 1;
	pin(0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ptscope_open(&c))
		die("cannot reach the ptscope family (module loaded?)");

	for (int i = 0; i < NR_WL; i++) {
		bool want = optind >= argc;

		results[i].w = &workloads[i];
		for (int k = optind; k < argc; k++)
			if (!strcmp(argv[k], workloads[i].name))
				want = true;
		if (want)
			measure(c, &results[i]);
	}
	report();
	ptscope_close(c);
	return 0;
}
