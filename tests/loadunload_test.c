// SPDX-License-Identifier: GPL-2.0
/*
 * LOADUNLOAD_CYCLES (default 100) cycles of delete_module("ptscope") and
 * finit_module($PTSCOPE_KO) while two clients query without pause:
 * get-info, and get-vmas / get-pages / get-tables dumps of a target that
 * rewrites its address space.
 *
 * A dump in progress holds a reference on the module, so delete_module()
 * (O_NONBLOCK) may fail with EAGAIN / EBUSY: it is retried after a short
 * sleep, each attempt must return within 5 s and the module must be gone
 * within 30 s every cycle.  While it is unloaded the clients see the
 * family disappear (ENOENT, or EPROTONOSUPPORT / EOPNOTSUPP for a request
 * racing the unload) and resolve it again.  Any other error, a missing
 * reply, or a kernel splat (the VM harness checks) fails.  The module is
 * loaded again at the end, so the harness's final rmmod still works.
 *
 * SKIP when PTSCOPE_KO is unset or "none" (no module), or when the module
 * was installed for modprobe (DKMS: updates/dkms/, possibly compressed).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"
#include "fuzz_nl.h"

#define NR_CLIENTS	2
#define ATTEMPT_MAX_MS	5000
#define CYCLE_MAX_MS	30000

struct lu_stats {
	volatile int stop;
	unsigned long requests, ok, dump_msgs;
	unsigned long family_gone;	/* ENOENT resolving or sending */
	unsigned long racing;		/* EPROTONOSUPPORT/EOPNOTSUPP mid-unload */
	unsigned long target_err;	/* EAGAIN: tables kept changing */
	unsigned long unexpected, no_reply, leaks;
	int last_unexpected;
	char last_msg[160];
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#define INC(f)	__atomic_fetch_add(&st->f, 1, __ATOMIC_RELAXED)

/* One request on @s; returns the errno class: 0, or -ENOENT to reopen. */
static int one_request(struct fnl *s, struct lu_stats *st, pid_t target,
		       unsigned int *x)
{
	static const int cmds[] = {
		PTSCOPE_CMD_GET_INFO, PTSCOPE_CMD_GET_VMAS, PTSCOPE_CMD_GET_PAGES,
		PTSCOPE_CMD_GET_TABLES, PTSCOPE_CMD_TRANSLATE,
	};
	int cmd = cmds[(*x >> 16) % 5], e;
	bool dump = cmd != PTSCOPE_CMD_GET_INFO && cmd != PTSCOPE_CMD_TRANSLATE;
	uint32_t seq = s->seq++;
	struct fnl_req r;
	struct fnl_result res;

	*x = *x * 1103515245 + 12345;
	fnl_req_init(&r, s->fam, NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK),
		     seq, cmd, PTSCOPE_GENL_VERSION);
	if (cmd != PTSCOPE_CMD_GET_INFO)
		fnl_put_u32(&r, PTSCOPE_A_PID, target);
	if (cmd == PTSCOPE_CMD_TRANSLATE)
		fnl_put_u64(&r, PTSCOPE_A_ADDR, 0x400000);
	if (cmd == PTSCOPE_CMD_GET_TABLES)
		fnl_put_u32(&r, PTSCOPE_A_DEPTH, PTSCOPE_LEVEL_PTE);
	INC(requests);
	e = fnl_send(s, &r);
	if (e == -ECONNREFUSED || e == -ENOENT) {
		INC(family_gone);
		return -ENOENT;
	}
	if (e) {
		INC(unexpected);
		st->last_unexpected = e;
		return -ENOENT;
	}
	e = fnl_recv(s, seq, false, 0, &res);
	if (e) {
		INC(no_reply);
		st->last_unexpected = e;
		return -ENOENT;
	}
	__atomic_fetch_add(&st->dump_msgs, res.nmsgs, __ATOMIC_RELAXED);
	if (res.leaks)
		INC(leaks);
	switch (-res.error) {
	case 0:
		INC(ok);
		return 0;
	case ENOENT:		/* family unregistered (stale id) */
		INC(family_gone);
		return -ENOENT;
	case EPROTONOSUPPORT:	/* dump start: module going away */
	case EOPNOTSUPP:	/* a new family took the id, or ops gone */
		INC(racing);
		return -ENOENT;
	case EAGAIN:
		INC(target_err);
		return 0;
	default:
		INC(unexpected);
		st->last_unexpected = res.error;
		snprintf(st->last_msg, sizeof(st->last_msg), "cmd %d: %.120s", cmd, res.msg);
		return 0;
	}
}

static void client(struct lu_stats *st, pid_t target, unsigned int seed)
{
	struct fnl s = { .fd = -1 };
	unsigned int x = seed;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (!st->stop) {
		if (s.fd < 0) {
			int e = fnl_open(&s, 10000);

			if (e) {
				if (e == -ENOENT)
					INC(family_gone);
				else
					INC(unexpected);
				usleep(500);
				continue;
			}
		}
		if (one_request(&s, st, target, &x))
			fnl_close(&s);
	}
	fnl_close(&s);
	_exit(0);
}


static int load(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* Removes the module, retrying while it is in use; -errno or ms taken. */
static int unload(double *longest_attempt, unsigned long *retries)
{
	double t0 = now_ms();

	for (;;) {
		double a = now_ms(), took;
		int ret = syscall(SYS_delete_module, "ptscope", O_NONBLOCK) ? -errno : 0;

		took = now_ms() - a;
		if (took > *longest_attempt)
			*longest_attempt = took;
		if (took > ATTEMPT_MAX_MS)
			return -ETIMEDOUT;
		if (!ret)
			return (int)(now_ms() - t0);
		if (ret != -EAGAIN && ret != -EBUSY && ret != -EWOULDBLOCK)
			return ret;
		if (now_ms() - t0 > CYCLE_MAX_MS)
			return -ETIMEDOUT;
		++*retries;
		usleep(1000 + (*retries % 4) * 1000);
	}
}

/* Waits (up to 5 s) until no modprobe started by an autoload runs: one
 * still in flight would load the module behind our back. */
static void wait_no_modprobe(void)
{
	int tries;

	for (tries = 0; tries < 500; tries++) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		bool found = false;

		if (!d)
			return;
		while (!found && (e = readdir(d))) {
			char path[300], comm[32];

			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
			if (!read_file(path, comm, sizeof(comm)) &&
			    !strncmp(comm, "modprobe", 8))
				found = true;
		}
		closedir(d);
		if (!found)
			return;
		usleep(10000);
	}
}

static bool module_loaded(void)
{
	struct stat sb;

	return !stat("/sys/module/ptscope", &sb);
}

FIXTURE(lu) {
	const char *ko;
	char modprobe[256];
	struct lu_stats *st;
	pid_t busy, clients[NR_CLIENTS];
};

FIXTURE_SETUP(lu)
{
	const char *ko = getenv("PTSCOPE_KO");
	struct stat sb;
	int i;

	self->st = NULL;
	self->busy = -1;
	for (i = 0; i < NR_CLIENTS; i++)
		self->clients[i] = -1;
	if (!ko || !*ko || !strcmp(ko, "none"))
		SKIP(return, "PTSCOPE_KO unset or none: no module to reload");
	if (strstr(ko, "/updates/dkms/") || strstr(ko, ".ko.") || stat(ko, &sb))
		SKIP(return, "module installed for modprobe (DKMS) or missing: %s", ko);
	if (!module_loaded())
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, read_file("/proc/sys/kernel/modprobe", self->modprobe,
			       sizeof(self->modprobe)));
	self->ko = ko;
	self->st = mmap(NULL, sizeof(*self->st), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->st);
	memset(self->st, 0, sizeof(*self->st));
}

FIXTURE_TEARDOWN(lu)
{
	int i;

	if (self->st)
		self->st->stop = 1;
	for (i = 0; i < NR_CLIENTS; i++)
		kill_wait(self->clients[i]);
	kill_wait(self->busy);
	/* whatever happened, leave the module loaded for the next tests */
	if (self->ko) {
		write_file("/proc/sys/kernel/modprobe", self->modprobe);
		if (!module_loaded())
			load(self->ko);
	}
}

/* Does @path (tracefs/debugfs listing) mention @sym? -1 if unreadable. */
static int listing_has(const char *path, const char *sym)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		found = !!strstr(line, sym);
	fclose(f);
	return found;
}

#define ENABLED_FUNCS	"/sys/kernel/tracing/enabled_functions"
#define KPROBES_LIST	"/sys/kernel/debug/kprobes/list"
#define FAULT_LATENCY	"/sys/module/ptscope/parameters/fault_latency"

/*
 * rmmod while processes are tracked: the module stops tracking, removes
 * every hook, and the kernel keeps faulting and flushing without it.
 */
TEST_F(lu, rmmod_while_tracking)
{
	static const struct {
		char name[32];
		uint64_t probe;
	} hooks[] = {
		{ "flush_tlb_mm_range", PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE },
		{ "native_flush_tlb_multi", PTSCOPE_PROBE_FLUSH_TLB_MULTI },
		{ "flush_tlb_func", PTSCOPE_PROBE_FLUSH_TLB_FUNC },
		{ "do_swap_page", PTSCOPE_PROBE_DO_SWAP_PAGE },
		/* The return hook: an ftrace-based kprobe, or fprobe */
		{ "handle_mm_fault", PTSCOPE_PROBE_FAULT_RETURN },
	};
	struct ptscope_client *c;
	struct ptscope_info info;
	double longest = 0;
	unsigned long retries = 0;
	unsigned int i;
	int ret;

	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	if (listing_has(ENABLED_FUNCS, "") < 0 || listing_has(KPROBES_LIST, "") < 0)
		SKIP(return, "no tracefs/debugfs to look for leftover hooks");

	/*
	 * With handle_mm_fault()'s return hooked: faults in flight when the
	 * module goes are the hard case (return trampolines pending).
	 */
	ASSERT_EQ(0, write_file(FAULT_LATENCY, "Y"));
	self->busy = spawn_busy_target();
	ASSERT_GT(self->busy, 0);
	ASSERT_EQ(0, ptscope_open(&c));
	ASSERT_EQ(0, ptscope_track_start(c, self->busy));
	ASSERT_EQ(0, ptscope_track_start(c, getpid()));
	ASSERT_EQ(0, ptscope_get_info(c, &info));
	ptscope_close(c);
	ASSERT_EQ(2, info.tracked);

	/* Positive control: the hooks are visible where we look for them. */
	for (i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		int on;

		if (!(info.probes_active & hooks[i].probe))
			continue;
		on = listing_has(ENABLED_FUNCS, hooks[i].name);
		/*
		 * Where kprobes do not sit on ftrace (arm64), the kretprobe
		 * is a breakpoint: listed as a kprobe only.
		 */
		if (on != 1 && hooks[i].probe == PTSCOPE_PROBE_FAULT_RETURN)
			on = listing_has(KPROBES_LIST, hooks[i].name);
		EXPECT_EQ(1, on)
			TH_LOG("%s not hooked while tracking", hooks[i].name);
	}
	EXPECT_TRUE(info.probes_active & PTSCOPE_PROBE_FAULT_RETURN);
	/* Before fprobe ran on fgraph, the return hook is a kretprobe. */
	EXPECT_EQ(!(info.probes_active & PTSCOPE_PROBE_FAULT_FGRAPH),
		  listing_has(KPROBES_LIST, "handle_mm_fault"));

	usleep(200 * 1000);	/* the target faults and flushes, tracked */
	ret = unload(&longest, &retries);
	ASSERT_LE(0, ret) TH_LOG("delete_module: %s", strerror(-ret));
	ASSERT_FALSE(module_loaded());

	for (i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++)
		EXPECT_EQ(0, listing_has(ENABLED_FUNCS, hooks[i].name))
			TH_LOG("%s still hooked after rmmod", hooks[i].name);
	EXPECT_EQ(0, listing_has(KPROBES_LIST, "handle_mm_fault"));
	/* Faults and flushes go on without the module; a stale hook oopses. */
	usleep(300 * 1000);
	EXPECT_EQ(0, kill(self->busy, 0));
	ASSERT_EQ(0, load(self->ko));
	TH_LOG("unloaded in %d ms with 2 processes tracked", ret);
}

TEST_F_TIMEOUT(lu, cycles_under_load, 600)
{
	const char *env = getenv("LOADUNLOAD_CYCLES");
	unsigned long cycles = env ? strtoul(env, NULL, 0) : 100, i, retries = 0;
	double longest = 0, t0 = now_ms(), unload_ms_max = 0;
	int sysfs_lag_max = 0;
	unsigned long autoloaded = 0;
	struct lu_stats *st = self->st;
	unsigned long before;
	int ret;

	self->busy = spawn_busy_target();
	ASSERT_GT(self->busy, 0);
	for (i = 0; i < NR_CLIENTS; i++) {
		self->clients[i] = fork();
		ASSERT_GE(self->clients[i], 0);
		if (self->clients[i] == 0)
			client(st, self->busy, 12345 + i * 777);
	}
	/* let the clients get going */
	for (ret = 0; ret < 500 && st->ok < 10; ret++)
		usleep(10000);
	ASSERT_GE(st->ok, 10) TH_LOG("clients get no answers");

	for (i = 0; i < cycles; i++) {
		/* odd cycles: the family alias autoloads the module (the
		 * clients' CTRL_CMD_GETFAMILY runs request_module()); even
		 * cycles: autoloading off, so the unloaded window is real */
		bool autoload = i & 1;

		ASSERT_EQ(0, write_file("/proc/sys/kernel/modprobe",
					autoload ? self->modprobe : "\n"));
		if (!autoload)
			wait_no_modprobe();
		ret = unload(&longest, &retries);
		ASSERT_GE(ret, 0) TH_LOG("cycle %lu: delete_module: %s (longest attempt %.1f ms)",
					 i, strerror(-ret), longest);
		if (ret > unload_ms_max)
			unload_ms_max = ret;
		if (autoload) {
			/* a client's lookup may bring it back at any time */
			usleep((i % 5) * 1000);
			ret = load(self->ko);
			if (ret == -EEXIST)
				autoloaded++;
			else
				ASSERT_EQ(0, ret) TH_LOG("cycle %lu: finit_module(%s): %s",
							 i, self->ko, strerror(-ret));
			goto answers;
		}
		/* the family is gone at once; /sys/module/ptscope may lag */
		{
			struct fnl s;

			ret = fnl_open(&s, 10000);
			EXPECT_EQ(-ENOENT, ret);
			if (!ret)
				fnl_close(&s);
			for (ret = 0; ret < 2000 && module_loaded(); ret++)
				usleep(1000);
			ASSERT_FALSE(module_loaded())
				TH_LOG("cycle %lu: still in /sys/module after 2 s", i);
			if (ret > sysfs_lag_max)
				sysfs_lag_max = ret;
		}
		usleep((i % 5) * 1000);		/* an unloaded window */
		ret = load(self->ko);
		ASSERT_EQ(0, ret) TH_LOG("cycle %lu: finit_module(%s): %s", i,
					 self->ko, strerror(-ret));
answers:
		/* the clients must get answers from the new instance */
		before = st->ok;
		for (ret = 0; ret < 1000 && st->ok == before; ret++)
			usleep(1000);
		EXPECT_GT(st->ok, before) TH_LOG("cycle %lu: no answer after reload", i);
	}
	st->stop = 1;
	for (i = 0; i < NR_CLIENTS; i++) {
		int status;

		ASSERT_EQ(self->clients[i], waitpid(self->clients[i], &status, 0));
		self->clients[i] = -1;
	}
	{
		struct fnl s;
		struct fnl_result res;

		ASSERT_EQ(0, fnl_open(&s, 10000));
		ASSERT_EQ(0, fnl_get_info(&s, &res));
		fnl_close(&s);
		for (ret = 0; res.live_dumps && ret < 100; ret++) {
			usleep(50000);
			ASSERT_EQ(0, fnl_open(&s, 10000));
			ASSERT_EQ(0, fnl_get_info(&s, &res));
			fnl_close(&s);
		}
		EXPECT_EQ(0, res.live_dumps);
	}
	printf("# %lu load/unload cycles in %.1f s with %d clients: delete_module retried %lu times\n"
	       "#   (longest single attempt %.2f ms, longest unload %.0f ms,\n"
	       "#   /sys/module/ptscope gone up to %d ms after delete_module returned)\n",
	       cycles, (now_ms() - t0) / 1e3, NR_CLIENTS, retries, longest, unload_ms_max,
	       sysfs_lag_max);
	printf("# odd cycles (module autoload on): the module was back before finit_module %lu times\n",
	       autoloaded);
	printf("# client requests %lu: ok %lu (%lu dump/reply messages), family gone %lu,\n"
	       "#   racing the unload (EPROTONOSUPPORT/EOPNOTSUPP) %lu, EAGAIN %lu,\n"
	       "#   unexpected %lu, no reply %lu, kernel-half values %lu\n",
	       st->requests, st->ok, st->dump_msgs, st->family_gone, st->racing,
	       st->target_err, st->unexpected, st->no_reply, st->leaks);
	EXPECT_EQ(0, st->unexpected) TH_LOG("last: %d %s", st->last_unexpected, st->last_msg);
	EXPECT_EQ(0, st->no_reply);
	EXPECT_EQ(0, st->leaks);
	EXPECT_TRUE(module_loaded());
}

TEST_HARNESS_MAIN
