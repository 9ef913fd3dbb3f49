// SPDX-License-Identifier: GPL-2.0
/*
 * The get-stats dump over several messages, and tracking's lifecycle at
 * its edges:
 *
 *  - STATS_PROCS tracked processes: each exactly once; a process tracked
 *    and another stopped between two messages: NLM_F_DUMP_INTR, and still
 *    each process tracked throughout exactly once (the dump resumes after
 *    the last key it sent, not at the n-th entry);
 *  - tracking again right after the only tracked process exited, before
 *    the reaper ran: the probes are registered once (a second
 *    registration was a tracepoint -EEXIST WARNING on 7.3's debug kernel).
 *
 * Raw netlink (fuzz_nl), so NLM_F_DUMP_INTR is seen on the message that
 * carries it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include "kselftest_harness.h"
#include "common.h"
#include "fuzz_nl.h"

#define STATS_PROCS	200
#define MAX_TRACKED_PARAM "/sys/module/ptscope/parameters/max_tracked"

/* A do request on @pid (0: none) with @flags; its errno. */
static int stats_do(struct fnl *s, uint8_t cmd, pid_t pid, uint32_t flags)
{
	struct fnl_result res;
	struct fnl_req r;
	uint32_t seq = s->seq++;
	int e;

	fnl_req_init(&r, s->fam, NLM_F_REQUEST | NLM_F_ACK, seq, cmd,
		     PTSCOPE_GENL_VERSION);
	if (pid)
		fnl_put_u32(&r, PTSCOPE_A_PID, pid);
	if (flags)
		fnl_put_u32(&r, PTSCOPE_A_FLAGS, flags);
	e = fnl_send(s, &r);
	if (!e)
		e = fnl_recv(s, seq, false, 0, &res);
	return e ?: res.error;
}

struct stats_seen {
	pid_t pids[STATS_PROCS + 64];
	unsigned int n, datagrams;
	bool intr, done;
	int error;
};

/* Reads up to @max datagrams (0: to the end) of get-stats dump @seq. */
static int stats_read(struct fnl *s, uint32_t seq, unsigned int max,
		      struct stats_seen *o)
{
	static unsigned char buf[FNL_RXBUF] __attribute__((aligned(8)));
	bool limited = max;

	while (!o->done && (!limited || max-- > 0)) {
		ssize_t n = recv(s->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n <= 0)
			return n ? -errno : -EIO;
		o->datagrams++;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct nlattr *a;
			int rem;

			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				o->intr = true;
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				memcpy(&o->error, NLMSG_DATA(h), sizeof(int));
				o->done = true;
				break;
			}
			a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
			rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			for (; rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			       a->nla_len <= rem;
			     rem -= NLA_ALIGN(a->nla_len),
			     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
				if (a->nla_type == PTSCOPE_A_PID &&
				    o->n < sizeof(o->pids) / sizeof(o->pids[0]))
					memcpy(&o->pids[o->n++],
					       (char *)a + NLA_HDRLEN, 4);
		}
	}
	return 0;
}

static unsigned int times_seen(const struct stats_seen *o, pid_t pid)
{
	unsigned int i, k = 0;

	for (i = 0; i < o->n; i++)
		k += o->pids[i] == pid;
	return k;
}

static int stats_dump_send(struct fnl *s, uint32_t *seq)
{
	struct fnl_req r;

	*seq = s->seq++;
	fnl_req_init(&r, s->fam, NLM_F_REQUEST | NLM_F_DUMP, *seq,
		     PTSCOPE_CMD_GET_STATS, PTSCOPE_GENL_VERSION);
	return fnl_send(s, &r);
}

static pid_t idle_child(void)
{
	pid_t pid = fork();

	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	return pid;
}

/*
 * get-stats resumes after the last process it sent, not at an index: with
 * the set changing between two messages, every process tracked the whole
 * time is sent exactly once, and the dump says it was interrupted.
 */
FIXTURE(stats) {
	int unused;
};

FIXTURE_SETUP(stats)
{
}

FIXTURE_TEARDOWN(stats)
{
}

TEST_F_TIMEOUT(stats, dump_resumes_by_key, 600)
{
	static struct stats_seen all, mid;
	pid_t kids[STATS_PROCS], late;
	char old_max[32] = "";
	unsigned int i, datagrams;
	struct fnl s, ctl;	/* dumps; requests while one is open */
	uint32_t seq;
	int err = fnl_open(&s, 60000);

	if (err == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, fnl_open(&ctl, 60000));
	ASSERT_EQ(0, read_file(MAX_TRACKED_PARAM, old_max, sizeof(old_max)));
	ASSERT_EQ(0, write_file(MAX_TRACKED_PARAM, "1024"));
	for (i = 0; i < STATS_PROCS; i++) {
		kids[i] = idle_child();
		ASSERT_LT(0, kids[i]);
		err = stats_do(&s, PTSCOPE_CMD_TRACK_START, kids[i], 0);
		if (!i && err == -EOPNOTSUPP) {
			kill(kids[0], SIGKILL);
			waitpid(kids[0], NULL, 0);
			write_file(MAX_TRACKED_PARAM, old_max);
			SKIP(return, "no tracking hooks on this kernel");
		}
		ASSERT_EQ(0, err) TH_LOG("track-start %u", i);
	}

	ASSERT_EQ(0, stats_dump_send(&s, &seq));
	ASSERT_EQ(0, stats_read(&s, seq, 0, &all));
	ASSERT_EQ(0, all.error);
	EXPECT_FALSE(all.intr);
	datagrams = all.datagrams;
	TH_LOG("%u processes in %u datagrams", all.n, datagrams);
	ASSERT_LE(3, datagrams) TH_LOG("want a dump of several messages");
	for (i = 0; i < STATS_PROCS; i++) {
		pid_t p = kids[i];

		EXPECT_EQ(1, times_seen(&all, p)) TH_LOG("pid %d", p);
	}

	/* One message in: track one more, stop the first, read the rest. */
	ASSERT_EQ(0, stats_dump_send(&s, &seq));
	ASSERT_EQ(0, stats_read(&s, seq, 1, &mid));
	late = idle_child();
	ASSERT_LT(0, late);
	EXPECT_EQ(0, stats_do(&ctl, PTSCOPE_CMD_TRACK_START, late, 0));
	EXPECT_EQ(0, stats_do(&ctl, PTSCOPE_CMD_TRACK_STOP, kids[0], 0));
	ASSERT_EQ(0, stats_read(&s, seq, 0, &mid));
	ASSERT_EQ(0, mid.error);
	EXPECT_TRUE(mid.intr) TH_LOG("the tracked set changed mid-dump");
	for (i = 1; i < STATS_PROCS; i++) {
		pid_t p = kids[i];

		EXPECT_EQ(1, times_seen(&mid, p)) TH_LOG("pid %d", p);
	}
	EXPECT_GE(1, times_seen(&mid, kids[0]));
	EXPECT_GE(1, times_seen(&mid, late));

	stats_do(&s, PTSCOPE_CMD_TRACK_STOP, 0, PTSCOPE_TRACK_F_ALL);
	for (i = 0; i < STATS_PROCS; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	kill(late, SIGKILL);
	waitpid(late, NULL, 0);
	write_file(MAX_TRACKED_PARAM, old_max);
	fnl_close(&ctl);
	fnl_close(&s);
}

/*
 * The only tracked process exits and, before the reaper's next round (a
 * second), another is tracked: track-start reaps the dead one, and must
 * not register the probes a second time (a WARNING in
 * tracepoint_add_func(), which panic_on_warn turns into a failed run).
 */
TEST_F_TIMEOUT(stats, track_again_right_after_the_last_exits, 120)
{
	struct fnl s;
	pid_t a, b;
	int err = fnl_open(&s, 60000);

	if (err == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, err);
	stats_do(&s, PTSCOPE_CMD_TRACK_STOP, 0, PTSCOPE_TRACK_F_ALL);
	for (int round = 0; round < 5; round++) {
		a = idle_child();
		b = idle_child();
		ASSERT_LT(0, a);
		ASSERT_LT(0, b);
		err = stats_do(&s, PTSCOPE_CMD_TRACK_START, a, 0);
		if (err == -EOPNOTSUPP) {
			kill(a, SIGKILL);
			kill(b, SIGKILL);
			waitpid(a, NULL, 0);
			waitpid(b, NULL, 0);
			SKIP(return, "no tracking hooks on this kernel");
		}
		ASSERT_EQ(0, err);
		kill(a, SIGKILL);
		ASSERT_EQ(a, waitpid(a, NULL, 0));
		EXPECT_EQ(0, stats_do(&s, PTSCOPE_CMD_TRACK_START, b, 0));
		EXPECT_EQ(0, stats_do(&s, PTSCOPE_CMD_TRACK_STOP, b, 0));
		kill(b, SIGKILL);
		waitpid(b, NULL, 0);
	}
	fnl_close(&s);
}

TEST_HARNESS_MAIN
