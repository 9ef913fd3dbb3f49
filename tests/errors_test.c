// SPDX-License-Identifier: GPL-2.0
/*
 * Failures: each request below must fail with the documented errno and an
 * extended ACK message (ptscope_errmsg() non-empty), and permissions:
 * root only by default; with allow_same_user=1 an unprivileged caller may
 * look at its own (dumpable) processes but gets no physical addresses.
 */
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "common.h"
#include "fuzz_nl.h"

#define ALLOW_SAME_USER	"/sys/module/ptscope/parameters/allow_same_user"
#define NOBODY		65534

static int nop_vma(const struct ptscope_vma *v, void *arg)
{
	(void)v;
	++*(int *)arg;
	return 0;
}

static int nop_run(const struct ptscope_run *r, void *arg)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

FIXTURE(err) {
	struct ptscope_client *c;
	struct ptscope_info info;
	int calls;
};

FIXTURE_SETUP(err)
{
	int e = ptscope_open(&self->c);

	if (e == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, e);
	ASSERT_EQ(0, ptscope_get_info(self->c, &self->info));
	ASSERT_TRUE(self->info.privileged) TH_LOG("run the tests as root");
	self->calls = 0;
}

FIXTURE_TEARDOWN(err)
{
	ptscope_close(self->c);
}

/* Expect all three commands on pid to fail with -err and a message. */
#define EXPECT_ALL_FAIL(pid, s, e, err) do {					\
	struct ptscope_xlate _x;						\
	EXPECT_EQ(-(err), ptscope_get_vmas((self)->c, (pid), (s), (e), 0,	\
					   nop_vma, &(self)->calls));		\
	EXPECT_STRNE("", ptscope_errmsg((self)->c));				\
	EXPECT_EQ(-(err), ptscope_get_pages((self)->c, (pid), (s), (e), 0,	\
					    nop_run, &(self)->calls));		\
	EXPECT_STRNE("", ptscope_errmsg((self)->c));				\
	EXPECT_EQ(-(err), ptscope_translate((self)->c, (pid),			\
					    (s) ? (s) : 0x400000, &_x));	\
	EXPECT_STRNE("", ptscope_errmsg((self)->c));				\
	EXPECT_EQ(0, (self)->calls);						\
} while (0)

/* A PID that existed but was reaped. */
TEST_F(err, no_such_process)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_ALL_FAIL(pid, 0, 0, ESRCH);
}

/* kthreadd (PID 2) has no mm. */
TEST_F(err, kernel_thread)
{
	char comm[64] = "";

	ASSERT_EQ(0, read_file("/proc/2/comm", comm, sizeof(comm)));
	ASSERT_STREQ("kthreadd\n", comm);
	EXPECT_ALL_FAIL(2, 0, 0, EINVAL);
}

/* A zombie: exited (mm gone), not yet reaped. */
TEST_F(err, zombie)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(0);
	ASSERT_EQ(0, wait_zombie(pid));
	EXPECT_ALL_FAIL(pid, 0, 0, ESRCH);
	waitpid(pid, NULL, 0);
}

TEST_F(err, range_start_not_below_end)
{
	EXPECT_EQ(-EINVAL, ptscope_get_vmas(self->c, getpid(), 0x20000, 0x10000,
					    0, nop_vma, &self->calls));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(-EINVAL, ptscope_get_pages(self->c, getpid(), 0x20000, 0x20000,
					     0, nop_run, &self->calls));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(0, self->calls);
}

TEST_F(err, range_unaligned)
{
	EXPECT_EQ(-EINVAL, ptscope_get_vmas(self->c, getpid(), 0x10001, 0x20000,
					    0, nop_vma, &self->calls));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(-EINVAL, ptscope_get_pages(self->c, getpid(), 0x10000, 0x20800,
					     0, nop_run, &self->calls));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(0, self->calls);
}

/* End beyond the user address space: -ERANGE; exactly at its end: fine. */
TEST_F(err, range_beyond_user_va)
{
	uint64_t va_end = self->info.user_va_end;

	EXPECT_EQ(-ERANGE, ptscope_get_vmas(self->c, getpid(), 0, 1ULL << 57,
					    0, nop_vma, &self->calls));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(-ERANGE, ptscope_get_pages(self->c, getpid(), 0, 1ULL << 57,
					     0, nop_run, &self->calls));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(-ERANGE, ptscope_get_pages(self->c, getpid(), 0,
					     va_end + PAGE_SZ, 0, nop_run,
					     &self->calls));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(0, self->calls);
	EXPECT_EQ(0, ptscope_get_pages(self->c, getpid(), va_end - 16 * PAGE_SZ,
				       va_end, 0, nop_run, &self->calls));
	EXPECT_EQ(0, self->calls);	/* nothing is mapped up there */
}

TEST_F(err, unknown_flags)
{
	EXPECT_EQ(-EOPNOTSUPP, ptscope_get_vmas(self->c, getpid(), 0, 0, 1u << 31,
						nop_vma, &self->calls));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(-EOPNOTSUPP, ptscope_get_pages(self->c, getpid(), 0, 0, 1u << 31,
						 nop_run, &self->calls));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	/* a pages flag is not a vmas flag */
	EXPECT_EQ(-EOPNOTSUPP, ptscope_get_vmas(self->c, getpid(), 0, 0,
						PTSCOPE_VMAS_F_MASK << 1,
						nop_vma, &self->calls));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(0, self->calls);
}

/* flags32 only sizes compact blocks: alone it is refused, with a reason. */
TEST_F(err, flags32_without_compact)
{
	ptscope_set_compact(self->c, false);
	EXPECT_EQ(-EINVAL, ptscope_get_pages(self->c, getpid(), 0, 0,
					     PTSCOPE_PAGES_F_FLAGS32, nop_run,
					     &self->calls));
	EXPECT_NE(NULL, strstr(ptscope_errmsg(self->c), "needs compact"))
		TH_LOG("extack: '%s'", ptscope_errmsg(self->c));
	EXPECT_EQ(0, self->calls);
	ptscope_set_compact(self->c, true);
}

/* A successful request clears the previous error message. */
TEST_F(err, errmsg_cleared_by_success)
{
	EXPECT_EQ(-EOPNOTSUPP, ptscope_get_vmas(self->c, getpid(), 0, 0, 1u << 31,
						nop_vma, &self->calls));
	EXPECT_STRNE("", ptscope_errmsg(self->c));
	EXPECT_EQ(0, ptscope_get_vmas(self->c, getpid(), 0, 0,
				      PTSCOPE_VMAS_F_NO_COUNTS, nop_vma,
				      &self->calls));
	EXPECT_STREQ("", ptscope_errmsg(self->c));
	EXPECT_GT(self->calls, 0);
}

/* ---- raw generic netlink: requests the library cannot produce ---------- */

/* Sends @cmd with no attributes and reads to its terminal message. */
static int raw_request(uint8_t cmd, int nlflags, struct fnl_result *res)
{
	struct fnl_req r;
	struct fnl s;
	uint32_t seq;
	int e = fnl_open(&s, 10000);

	if (e)
		return e;
	seq = s.seq++;
	fnl_req_init(&r, s.fam, NLM_F_REQUEST | nlflags, seq, cmd, PTSCOPE_GENL_VERSION);
	e = fnl_send(&s, &r);
	if (!e)
		e = fnl_recv(&s, seq, false, 0, res);
	fnl_close(&s);
	return e;
}

TEST_F(err, missing_pid_dump)
{
	struct fnl_result r;

	ASSERT_EQ(0, raw_request(PTSCOPE_CMD_GET_VMAS, NLM_F_DUMP, &r));
	ASSERT_TRUE(r.terminal);
	EXPECT_EQ(-EINVAL, r.error);
	EXPECT_STRNE("", r.msg);
	ASSERT_EQ(0, raw_request(PTSCOPE_CMD_GET_PAGES, NLM_F_DUMP, &r));
	EXPECT_EQ(-EINVAL, r.error);
	EXPECT_STRNE("", r.msg);
}

TEST_F(err, missing_pid_translate)
{
	struct fnl_result r;

	ASSERT_EQ(0, raw_request(PTSCOPE_CMD_TRANSLATE, NLM_F_ACK, &r));
	ASSERT_TRUE(r.terminal);
	EXPECT_EQ(-EINVAL, r.error);
	EXPECT_STRNE("", r.msg);
}

/* ---- permissions ---------------------------------------------------------- */

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	/* changing the euid made us non-dumpable (suid_dumpable) */
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

static int set_allow_same_user(int v)
{
	return write_file(ALLOW_SAME_USER, v ? "1" : "0");
}

/* Runs fn in a forked child that dropped root; EXPECTs in fn count. */
#define AS_NOBODY(body) do {							\
	pid_t _pid;								\
	int _st = 0;								\
	fflush(NULL);								\
	_pid = fork();								\
	ASSERT_GE(_pid, 0);							\
	if (_pid == 0) {							\
		struct ptscope_client *uc = NULL;				\
		if (drop_privileges()) {					\
			TH_LOG("cannot drop privileges");			\
			_metadata->exit_code = KSFT_FAIL;			\
			_exit(1);						\
		}								\
		if (ptscope_open(&uc)) {					\
			TH_LOG("ptscope_open as nobody failed");		\
			_metadata->exit_code = KSFT_FAIL;			\
			_exit(1);						\
		}								\
		body								\
		ptscope_close(uc);						\
		_exit(0);							\
	}									\
	ASSERT_EQ(_pid, waitpid(_pid, &_st, 0));				\
	EXPECT_TRUE(WIFEXITED(_st) && WEXITSTATUS(_st) == 0);			\
} while (0)

FIXTURE(perm) {
	char saved[8];
	bool have_param;
};

FIXTURE_SETUP(perm)
{
	struct ptscope_client *c;
	int e = ptscope_open(&c);

	if (e == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, e);
	ptscope_close(c);
	ASSERT_EQ(0, getuid()) TH_LOG("run the tests as root");
	self->have_param = !read_file(ALLOW_SAME_USER, self->saved,
				      sizeof(self->saved));
}

FIXTURE_TEARDOWN(perm)
{
	/* the default is 0; leave it so even if a test failed halfway */
	if (self->have_param)
		set_allow_same_user(0);
}

/* Default: an unprivileged caller gets -EPERM, even for itself. */
TEST_F(perm, unprivileged_denied_by_default)
{
	ASSERT_TRUE(self->have_param);
	ASSERT_EQ(0, set_allow_same_user(0));
	AS_NOBODY({
		struct ptscope_xlate x;
		int n = 0;

		EXPECT_EQ(-EPERM, ptscope_get_vmas(uc, 1, 0, 0, 0, nop_vma, &n));
		EXPECT_STRNE("", ptscope_errmsg(uc));
		EXPECT_EQ(-EPERM, ptscope_get_vmas(uc, getpid(), 0, 0, 0, nop_vma, &n));
		EXPECT_STRNE("", ptscope_errmsg(uc));
		EXPECT_EQ(-EPERM, ptscope_get_pages(uc, getpid(), 0, 0, 0, nop_run, &n));
		EXPECT_STRNE("", ptscope_errmsg(uc));
		EXPECT_EQ(-EPERM, ptscope_translate(uc, getpid(), 0x400000, &x));
		EXPECT_STRNE("", ptscope_errmsg(uc));
		EXPECT_EQ(0, n);
	});
}

/* allow_same_user=1: own process yes (without PFNs), root's process no. */
TEST_F(perm, same_user_allowed)
{
	ASSERT_TRUE(self->have_param);
	ASSERT_EQ(0, set_allow_same_user(1));
	AS_NOBODY({
		struct ptscope_info info;
		struct vma_list vl = {};
		struct run_list rl = {};
		struct ptscope_xlate x;
		int n = 0;
		uint64_t stack_addr = (uint64_t)(uintptr_t)&n & ~(PAGE_SZ - 1);

		EXPECT_EQ(0, ptscope_get_info(uc, &info));
		EXPECT_FALSE(info.privileged);
		EXPECT_TRUE(info.allow_same_user);

		EXPECT_EQ(0, collect_vmas(uc, getpid(), 0, 0, 0, &vl));
		EXPECT_GT(vl.n, 0);
		EXPECT_EQ(0, collect_runs(uc, getpid(), 0, 0, 0, &rl));
		EXPECT_GT(rl.n, 0);
		for (size_t i = 0; i < rl.n; i++) {
			EXPECT_FALSE(rl.r[i].has_pfn);
			EXPECT_FALSE(rl.r[i].has_swap);
		}
		EXPECT_EQ(-EPERM, collect_runs(uc, getpid(), 0, 0,
					       PTSCOPE_PAGES_F_PFN_RUNS, &rl));
		EXPECT_STRNE("", ptscope_errmsg(uc));

		EXPECT_EQ(0, ptscope_translate(uc, getpid(), stack_addr, &x));
		EXPECT_EQ(PTSCOPE_STOP_MAPPED, x.stop_reason);
		EXPECT_TRUE(x.flags & PTSCOPE_PF_PRESENT);
		EXPECT_FALSE(x.has_phys);
		EXPECT_FALSE(x.has_swap);
		EXPECT_GT(x.nr_levels, 0);
		for (int i = 0; i < x.nr_levels; i++) {
			EXPECT_FALSE(x.levels[i].has_entry);
		}

		/* root's processes stay out of reach */
		EXPECT_EQ(-EPERM, ptscope_get_vmas(uc, 1, 0, 0, 0, nop_vma, &n));
		EXPECT_STRNE("", ptscope_errmsg(uc));
		EXPECT_EQ(-EPERM, ptscope_get_pages(uc, getppid(), 0, 0, 0, nop_run, &n));
		EXPECT_STRNE("", ptscope_errmsg(uc));
		EXPECT_EQ(-EPERM, ptscope_translate(uc, 1, 0x400000, &x));
		EXPECT_STRNE("", ptscope_errmsg(uc));

		/* a non-dumpable process of the same user neither */
		EXPECT_EQ(0, prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
		EXPECT_EQ(-EPERM, ptscope_get_vmas(uc, getpid(), 0, 0, 0, nop_vma, &n));
		EXPECT_STRNE("", ptscope_errmsg(uc));
		vma_list_free(&vl);
		run_list_free(&rl);
	});
	EXPECT_EQ(0, set_allow_same_user(0));
}

/* allow_same_user=1 does not let a user see another user's process. */
TEST_F(perm, same_user_other_uid_denied)
{
	pid_t other;
	int p[2], ready[2];
	char c;

	ASSERT_TRUE(self->have_param);
	ASSERT_EQ(0, set_allow_same_user(1));
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(ready));
	/* a process of uid 1000 */
	fflush(NULL);
	other = fork();
	ASSERT_GE(other, 0);
	if (other == 0) {
		close(p[1]);
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(1);
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		if (write(ready[1], "r", 1) != 1 || read(p[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	AS_NOBODY({
		int n = 0;

		EXPECT_EQ(-EPERM, ptscope_get_vmas(uc, other, 0, 0, 0, nop_vma, &n));
		EXPECT_STRNE("", ptscope_errmsg(uc));
	});
	close(p[1]);
	waitpid(other, NULL, 0);
	EXPECT_EQ(0, set_allow_same_user(0));
}

TEST_HARNESS_MAIN
