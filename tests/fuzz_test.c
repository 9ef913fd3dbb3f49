// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol fuzzer: FUZZ_REQUESTS (default 100,000) hand-built generic
 * netlink requests, valid and malformed, from a seeded PRNG: a fixed seed by
 * default, so make check is deterministic; FUZZ_SEED=N replays a seed and
 * FUZZ_SEED=random explores a new one (printed either way).
 *
 * Classes of requests (see gen(), fuzz_gen.c): valid ones; wrong genl
 * version; extra nlmsg flag bits; unknown commands (0, beyond the last); do/dump
 * flag mismatch; messages shorter than the genl header; missing PID / ADDR;
 * duplicated attributes; wrongly sized or typed attributes; nla_len lying
 * (beyond the message, below the header); messages cut inside an attribute;
 * unknown attribute types; reply-only attributes; nested garbage; unknown
 * flag bits; huge, inverted, unaligned, kernel-half, beyond-57-bit ranges
 * and addresses; PIDs of kthreadd, a zombie, a reaped child, 0, -1, huge;
 * random attribute bytes.
 *
 * For every request: a terminal NLMSG_ERROR / NLMSG_DONE must arrive
 * within SO_RCVTIMEO; an error must be a negative errno with an extended
 * ACK message (or a missing-attribute TLV) -- only requests the generic
 * netlink core rejects before the family sees them (unknown command,
 * do/dump mismatch, short header) may come without; where the outcome is
 * determined by the module's documented checks (flags, PID, range, missing
 * attributes, policy), it must be exactly that errno; no u64 attribute of
 * any reply may hold a kernel-half value; an unprivileged caller must get
 * no PFN, physical address, raw entry or swap location, and EPERM for
 * every well-formed sample-access (it writes the target's page tables).
 *
 * Tests: one client; four concurrent clients against a target rewriting
 * its address space; an unprivileged client (allow_same_user=1, then 0);
 * a client in a child PID namespace (PIDs of the parent namespace must be
 * ESRCH); dumps abandoned mid-way; and live_dumps back to 0 at the end.
 */
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"
#include "fuzz_nl.h"
#include "fuzz_run.h"

#define ALLOW_SAME_USER	"/sys/module/ptscope/parameters/allow_same_user"
#define NOBODY		65534
#define MANY_VMAS	4000UL
static unsigned long total_requests(void)
{
	const char *e = getenv("FUZZ_REQUESTS");
	unsigned long n = e ? strtoul(e, NULL, 0) : 100000;

	return n ? n : 1;
}

/* ---- processes to look at ------------------------------------------------ */

static pid_t spawn_idle(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		size_t sz = 8UL << 20;
		char *p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (p != MAP_FAILED)
			for (size_t o = 0; o < sz; o += 3 * PAGE_SZ)
				p[o] = 1;
		for (;;)
			pause();
	}
	return pid;
}

static pid_t spawn_zombie(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		wait_zombie(pid);
	return pid;
}

static pid_t reaped_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid;
}

static int dummy_data = 1;

static void ctx_init(struct fz_ctx *c, const char *who, uint64_t salt,
		     uint64_t va_end)
{
	int local = 0;

	memset(c, 0, sizeof(*c));
	c->who = who;
	c->rng = base_seed() ^ (salt * 0x9E3779B97F4A7C15ULL);
	if (!c->rng)
		c->rng = 1;
	c->va_end = va_end;
	/* addresses of this process; the idle/busy targets are fork()s of it */
	c->addrs[c->naddrs++] = (uintptr_t)&local;
	c->addrs[c->naddrs++] = (uintptr_t)&dummy_data;
	c->addrs[c->naddrs++] = (uintptr_t)&fuzz;
	c->addrs[c->naddrs++] = (uintptr_t)st;
	c->addrs[c->naddrs++] = (uintptr_t)malloc(1) & ~0xfffUL;
}

/* The usual bad PIDs, as a privileged caller in the initial namespace. */
static void ctx_add_bad_pids(struct fz_ctx *c, pid_t zombie, pid_t reaped)
{
	ctx_add(c, zombie, ESRCH);
	ctx_add(c, reaped, ESRCH);
	ctx_add(c, 2, EINVAL);			/* kthreadd */
	ctx_add(c, 0xffffffffU, ESRCH);		/* -1 */
	ctx_add(c, 0x7fffffffU, ESRCH);
	ctx_add(c, 0x40000000U + 12345, ESRCH);	/* beyond PID_MAX_LIMIT */
	c->bad[c->nbad++] = (struct fz_pid){ 0, EXP_ANY_ERR };	/* policy */
}

/* ---- tests ------------------------------------------------------------------- */

FIXTURE(fz) {
	uint64_t va_end;
	pid_t idle, zombie, reaped;
	struct timespec t0;
};

FIXTURE_SETUP(fz)
{
	struct fnl s;
	struct fnl_result res;
	int e = fnl_open(&s, REPLY_TIMEOUT_MS);

	self->idle = self->zombie = -1;
	if (e == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, e);
	ASSERT_EQ(0, fnl_get_info(&s, &res));
	fnl_close(&s);
	ASSERT_TRUE(res.privileged) TH_LOG("run the tests as root");
	self->va_end = res.user_va_end;
	ASSERT_NE(0, self->va_end);
	self->idle = spawn_idle();
	self->zombie = spawn_zombie();
	self->reaped = reaped_pid();
	ASSERT_GT(self->idle, 0);
	ASSERT_GT(self->zombie, 0);
	ASSERT_GT(self->reaped, 0);
	__atomic_store_n(&st->requested, total_requests(), __ATOMIC_RELAXED);
	TH_LOG("seed 0x%llx (FUZZ_SEED to replay), FUZZ_REQUESTS=%lu",
	       (unsigned long long)base_seed(), total_requests());
	clock_gettime(CLOCK_MONOTONIC, &self->t0);
}

FIXTURE_TEARDOWN(fz)
{
	struct timespec t1;

	kill_wait(self->idle);
	kill_wait(self->zombie);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	TH_LOG("%.1f s", (t1.tv_sec - self->t0.tv_sec) +
			 (t1.tv_nsec - self->t0.tv_nsec) / 1e9);
}

TEST_F_TIMEOUT(fz, single_client, 600)
{
	struct fz_ctx c;
	unsigned long n = total_requests() * 40 / 100;

	ctx_init(&c, "single", 1, self->va_end);
	ctx_add(&c, getpid(), 0);
	ctx_add(&c, self->idle, 0);
	ctx_add(&c, 1, 0);
	ctx_add_bad_pids(&c, self->zombie, self->reaped);
	EXPECT_EQ(0, fuzz(&c, n));
}

TEST_F_TIMEOUT(fz, concurrent_clients, 600)
{
	unsigned long n = total_requests() * 10 / 100;
	pid_t busy = spawn_busy_target(), w[4];
	int i, status;

	ASSERT_GT(busy, 0);
	for (i = 0; i < 4; i++) {
		w[i] = fork();
		ASSERT_GE(w[i], 0);
		if (w[i] == 0) {
			struct fz_ctx c;
			char who[16];

			snprintf(who, sizeof(who), "client%d", i);
			ctx_init(&c, who, 100 + i, self->va_end);
			ctx_add(&c, getpid(), 0);
			ctx_add(&c, self->idle, 0);
			ctx_add(&c, busy, 0);
			ctx_add(&c, getppid(), 0);
			ctx_add_bad_pids(&c, self->zombie, self->reaped);
			_exit(fuzz(&c, n) ? 1 : 0);
		}
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(w[i], waitpid(w[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("client %d: status 0x%x", i, status);
	}
	kill_wait(busy);
}

static int drop_to_nobody(void)
{
	return setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	       setresuid(NOBODY, NOBODY, NOBODY) ? -1 : 0;
}

/* Fuzz as uid 65534: its own processes work (without physical
 * information), root's are EPERM. */
static int unpriv_worker(uint64_t va_end, pid_t root_idle, pid_t root_zombie,
			 pid_t reaped, unsigned long n, bool allowed)
{
	struct fz_ctx c;
	pid_t sib, zombie;
	unsigned long f;
	int perm = allowed ? 0 : EPERM;

	if (drop_to_nobody())
		return 2;
	prctl(PR_SET_DUMPABLE, 1);	/* setresuid() cleared it */
	sib = spawn_idle();
	zombie = spawn_zombie();
	ctx_init(&c, allowed ? "nobody" : "nobody-denied", allowed ? 200 : 201, va_end);
	c.unpriv = true;
	if (allowed) {
		ctx_add(&c, getpid(), 0);
		ctx_add(&c, sib, 0);
		ctx_add(&c, 1, EPERM);
		ctx_add(&c, root_idle, EPERM);
		ctx_add(&c, root_zombie, EPERM);
		ctx_add(&c, zombie, ESRCH);
		ctx_add(&c, 2, EINVAL);
		ctx_add(&c, reaped, ESRCH);
		ctx_add(&c, 0xffffffffU, ESRCH);
	} else {
		/* every PID: EPERM before it is even looked up */
		c.ok[c.nok++] = (struct fz_pid){ getpid(), perm };
		c.ok[c.nok++] = (struct fz_pid){ 1, perm };
		c.ok[c.nok++] = (struct fz_pid){ 2, perm };
		c.ok[c.nok++] = (struct fz_pid){ reaped, perm };
	}
	c.bad[c.nbad++] = (struct fz_pid){ 0, EXP_ANY_ERR };
	f = fuzz(&c, n);
	kill_wait(sib);
	kill_wait(zombie);
	return f ? 1 : 0;
}

TEST_F_TIMEOUT(fz, unprivileged, 600)
{
	unsigned long n = total_requests() * 10 / 100;
	int status, phase;

	for (phase = 0; phase < 2; phase++) {
		bool allowed = phase == 0;
		pid_t w;

		ASSERT_EQ(0, write_file(ALLOW_SAME_USER, allowed ? "1" : "0"));
		w = fork();
		ASSERT_GE(w, 0);
		if (w == 0)
			_exit(unpriv_worker(self->va_end, self->idle, self->zombie,
					    self->reaped, allowed ? n : n / 5, allowed));
		ASSERT_EQ(w, waitpid(w, &status, 0));
		write_file(ALLOW_SAME_USER, "0");
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("phase %d: status 0x%x", phase, status);
	}
}

/*
 * A client in a child PID namespace: its own PID 1 works; the PIDs of the
 * initial namespace (this test, its targets, kthreadd's 2) do not exist
 * there and must be ESRCH, never EPERM/EINVAL or an answer.
 */
TEST_F_TIMEOUT(fz, pid_namespace, 600)
{
	unsigned long n = total_requests() * 8 / 100;
	pid_t outer = getpid(), w;
	int status;

	w = fork();
	ASSERT_GE(w, 0);
	if (w == 0) {
		pid_t inner;

		if (unshare(CLONE_NEWPID))
			_exit(3);
		inner = fork();
		if (inner == 0) {
			struct fz_ctx c;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getpid() != 1)
				_exit(4);
			ctx_init(&c, "pidns", 300, self->va_end);
			ctx_add(&c, 1, 0);		/* itself */
			ctx_add(&c, outer, ESRCH);
			ctx_add(&c, self->idle, ESRCH);
			ctx_add(&c, self->zombie, ESRCH);
			ctx_add(&c, getppid() ? (pid_t)getppid() : 1000, ESRCH);
			ctx_add(&c, 2, ESRCH);		/* kthreadd, outside */
			ctx_add(&c, 0xffffffffU, ESRCH);
			c.bad[c.nbad++] = (struct fz_pid){ 0, EXP_ANY_ERR };
			/* every bad PID on every command first, then fuzz */
			for (int k = 0; k < c.nbad - 1; k++) {
				static const int cmds[] = {
					PTSCOPE_CMD_GET_VMAS, PTSCOPE_CMD_GET_PAGES,
					PTSCOPE_CMD_TRANSLATE, PTSCOPE_CMD_GET_TABLES,
				};
				for (int j = 0; j < 4; j++) {
					struct fnl s;
					struct fnl_req r;
					struct fnl_result res;
					uint32_t seq;

					if (fnl_open(&s, REPLY_TIMEOUT_MS))
						_exit(5);
					seq = s.seq++;
					fnl_req_init(&r, s.fam, NLM_F_REQUEST |
						     (is_dump(cmds[j]) ? NLM_F_DUMP : NLM_F_ACK),
						     seq, cmds[j], PTSCOPE_GENL_VERSION);
					fnl_put_u32(&r, PTSCOPE_A_PID, c.bad[k].pid);
					/* Only translate takes an address. */
					if (cmds[j] == PTSCOPE_CMD_TRANSLATE)
						fnl_put_u64(&r, PTSCOPE_A_ADDR, 0x400000);
					INC(sent[CL_PID]);
					if (fnl_send(&s, &r) ||
					    fnl_recv(&s, seq, false, 0, &res))
						_exit(6);
					judge(&c, &r, CL_PID, ESRCH, false, &res);
					fnl_close(&s);
				}
			}
			_exit(fuzz(&c, n) || c.failures ? 1 : 0);
		}
		if (inner < 0)
			_exit(7);
		waitpid(inner, &status, 0);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 8);
	}
	ASSERT_EQ(w, waitpid(w, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("namespace client: status 0x%x", status);
}

/* A target with MANY_VMAS VMAs (alternating protections), waiting. */
static pid_t spawn_many(void)
{
	int p[2];
	pid_t pid;
	char ok = 0;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		char *g = mmap(NULL, (MANY_VMAS + 2) * PAGE_SZ, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		char *a = g + PAGE_SZ;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (g != MAP_FAILED &&
		    mmap(a, MANY_VMAS * PAGE_SZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == a) {
			ok = 1;
			for (unsigned long i = 0; i < MANY_VMAS; i++) {
				a[i * PAGE_SZ] = 1;
				if ((i & 1) && mprotect(a + i * PAGE_SZ, PAGE_SZ, PROT_READ))
					ok = 0;
			}
		}
		if (write(p[1], &ok, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid > 0 && (read(p[0], &ok, 1) != 1 || !ok)) {
		kill_wait(pid);
		pid = -1;
	}
	close(p[0]);
	return pid;
}

static int live_dumps_settle(int timeout_ms, uint32_t *live)
{
	struct fnl s;
	struct fnl_result res;
	int waited;

	if (fnl_open(&s, REPLY_TIMEOUT_MS))
		return -1;
	for (waited = 0;; waited += 50) {
		if (fnl_get_info(&s, &res)) {
			fnl_close(&s);
			return -1;
		}
		*live = res.live_dumps;
		if (!res.live_dumps || waited >= timeout_ms)
			break;
		usleep(50000);
	}
	fnl_close(&s);
	return waited;
}

TEST_F_TIMEOUT(fz, abandoned_dumps, 600)
{
	static const int cmds[] = {
		PTSCOPE_CMD_GET_VMAS, PTSCOPE_CMD_GET_PAGES, PTSCOPE_CMD_GET_TABLES,
	};
	unsigned long rounds = total_requests() / 1000, i;
	pid_t many = spawn_many();
	struct fz_ctx c;
	uint32_t live = ~0U;
	int waited;

	if (rounds < 20)
		rounds = 20;
	ASSERT_GT(many, 0);
	ctx_init(&c, "abandon", 400, self->va_end);
	for (i = 0; i < rounds; i++) {
		struct fnl s;
		struct fnl_req r;
		struct fnl_result res;
		uint32_t seq;
		int cmd = cmds[rnd(&c.rng, 3)], how = rnd(&c.rng, 4);

		ASSERT_EQ(0, fnl_open(&s, REPLY_TIMEOUT_MS));
		seq = s.seq++;
		fnl_req_init(&r, s.fam, NLM_F_REQUEST | NLM_F_DUMP, seq, cmd,
			     PTSCOPE_GENL_VERSION);
		fnl_put_u32(&r, PTSCOPE_A_PID, many);
		if (cmd == PTSCOPE_CMD_GET_TABLES)
			fnl_put_u32(&r, PTSCOPE_A_DEPTH, PTSCOPE_LEVEL_PTE);
		if (cmd == PTSCOPE_CMD_GET_PAGES && rnd(&c.rng, 2))
			fnl_put_u32(&r, PTSCOPE_A_FLAGS, PTSCOPE_PAGES_F_PFN_RUNS);
		INC(sent[CL_VALID]);
		ASSERT_EQ(0, fnl_send(&s, &r));
		if (how == 0) {
			/* never read: close with the first part queued */
		} else {
			/* read the first message (how 1) or a few (how 2, 3) */
			ASSERT_EQ(0, fnl_recv(&s, seq, false, how == 1 ? 1 : 1 + rnd(&c.rng, 30),
					      &res));
			EXPECT_FALSE(res.terminal && res.error)
				TH_LOG("%d: errno %d %s", cmd, res.error, res.msg);
			EXPECT_EQ(0, res.leaks);
			ADD(msgs, res.nmsgs);
		}
		if (how == 3) {
			/* a second dump on the same socket while one runs:
			 * the netlink core refuses it (EBUSY) */
			uint32_t seq2 = s.seq++;

			fnl_req_init(&r, s.fam, NLM_F_REQUEST | NLM_F_DUMP, seq2,
				     PTSCOPE_CMD_GET_VMAS, PTSCOPE_GENL_VERSION);
			fnl_put_u32(&r, PTSCOPE_A_PID, many);
			INC(sent[CL_VALID]);
			ASSERT_EQ(0, fnl_send(&s, &r));
			ASSERT_EQ(0, fnl_recv(&s, seq2, false, 0, &res));
			ASSERT_TRUE(res.terminal);
			INC(by_errno[-res.error < 256 ? -res.error : 256]);
			if (res.error == -EBUSY) {
				INC(ebusy);
				/* and a do request still works meanwhile (the
				 * dump may end while we read: no count check) */
				ASSERT_EQ(0, fnl_get_info(&s, &res));
			} else {
				/* the first dump had already ended */
				EXPECT_EQ(0, res.error) TH_LOG("%s", res.msg);
			}
		}
		fnl_close(&s);
		INC(abandoned);
	}
	waited = live_dumps_settle(10000, &live);
	EXPECT_EQ(0, live) TH_LOG("live_dumps still %u after %d ms", live, waited);
	TH_LOG("%lu dumps abandoned; live_dumps 0 after %d ms", rounds, waited);
	kill_wait(many);
}

/* Last (fixture tests run in order): every dump of every test is gone,
 * and the totals. */
TEST_F_TIMEOUT(fz, zz_summary, 60)
{
	uint32_t live = ~0U;
	int waited;

	waited = live_dumps_settle(10000, &live);
	ASSERT_GE(waited, 0);
	EXPECT_EQ(0, live) TH_LOG("live_dumps %u after %d ms", live, waited);
	printf("# live_dumps at the end: %u (after %d ms)\n", live, waited);
	print_summary();
	EXPECT_EQ(0, st->no_reply);
	EXPECT_EQ(0, st->bad_nomsg);
	EXPECT_EQ(0, st->leaks);
	EXPECT_EQ(0, st->priv_attrs);
	EXPECT_EQ(0, st->malformed);
	EXPECT_EQ(0, st->unexpected);
	EXPECT_EQ(0, st->positive_errno);
}

TEST_HARNESS_MAIN
