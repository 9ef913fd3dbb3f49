// SPDX-License-Identifier: GPL-2.0
/*
 * TLB shootdowns of a tracked process: attributed to the mm whose page
 * tables changed, counted where the kernel counts the TLB line of
 * /proc/interrupts, and nothing for an idle bystander.  The fault-hook
 * variants of track_test.c do not matter here, so this runs once.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"
#include "puppet.h"

/* Sum of the TLB line of /proc/interrupts over all CPUs. */
static long long irq_tlb_total(void)
{
	char line[1024];
	long long sum = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		while (*p == ' ')
			p++;
		if (strncmp(p, "TLB:", 4))
			continue;
		p += 4;
		sum = 0;
		for (;;) {
			long long v = strtoll(p, &end, 10);

			if (end == p)
				break;
			sum += v;
			p = end;
		}
	}
	fclose(f);
	return sum;
}

FIXTURE(shootdown) {
	struct ptscope_client *c;
	struct ptscope_info info;
	struct puppet pp;
	struct ptscope_stats st;
};

FIXTURE_SETUP(shootdown)
{
	int ret = ptscope_open(&self->c);

	memset(&self->st, 0, sizeof(self->st));
	memset(&self->pp, 0, sizeof(self->pp));
	if (ret == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, ptscope_get_info(self->c, &self->info));
	if (!(self->info.probes & PTSCOPE_PROBE_FLUSH_TLB_FUNC))
		SKIP(return, "kernel lacks the shootdown probes");
	ASSERT_EQ(0, puppet_start(&self->pp));
}

FIXTURE_TEARDOWN(shootdown)
{
	ptscope_stats_free(&self->st);
	if (self->c)
		ptscope_track_stop(self->c, 0, NULL);
	puppet_stop(&self->pp);
	if (self->c)
		ptscope_close(self->c);
}

/* ---- shootdowns -------------------------------------------------------- */

#define SHOOT_ITERS	2000
#define SHOOT_PAGES	16

struct shooter {
	char *mem;
	volatile int stop;
};

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Keeps the mm loaded (not lazy) on CPU 1, so flushes must reach it. */
static void *spinner(void *arg)
{
	struct shooter *s = arg;

	pin(1);
	while (!s->stop)
		(void)*(volatile char *)s->mem;
	return NULL;
}

/* Changes PTEs on CPU 0: every call needs CPU 1's TLB flushed. */
static void shooter_main(int go_fd, int done_fd)
{
	struct shooter s = { 0 };
	const size_t len = SHOOT_PAGES * PAGE_SZ;
	pthread_t th;
	char c;
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pin(0);
	s.mem = mmap(NULL, len + PAGE_SZ, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s.mem == MAP_FAILED)
		_exit(1);
	s.mem[0] = 1;
	if (pthread_create(&th, NULL, spinner, &s) ||
	    write(done_fd, "r", 1) != 1 || read(go_fd, &c, 1) != 1)
		_exit(1);
	for (i = 0; i < SHOOT_ITERS; i++) {
		char *work = s.mem + PAGE_SZ;

		memset(work, i, len);
		switch (i % 3) {
		case 0:
			mprotect(work, len, PROT_READ);
			mprotect(work, len, PROT_READ | PROT_WRITE);
			break;
		case 1:
			madvise(work, len, MADV_DONTNEED);
			break;
		case 2:
			munmap(work, len);
			mmap(work, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		}
	}
	s.stop = 1;
	pthread_join(th, NULL);
	if (write(done_fd, "d", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

TEST_F(shootdown, attributed_and_match_interrupts)
{
	struct ptscope_stats by = { 0 };
	int go[2], done[2], i;
	long long irq0, irq1;
	uint64_t sum_cpu = 0, received;
	pid_t shooter;
	char c;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	shooter = fork();
	ASSERT_LE(0, shooter);
	if (!shooter)
		shooter_main(go[0], done[1]);
	ASSERT_EQ(1, read(done[0], &c, 1));

	/* The puppet idles as the bystander. */
	ASSERT_EQ(0, ptscope_track_start(self->c, shooter));
	ASSERT_EQ(0, ptscope_track_start(self->c, self->pp.pid));
	irq0 = irq_tlb_total();
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(1, read(done[0], &c, 1));
	irq1 = irq_tlb_total();
	ASSERT_EQ(0, ptscope_get_stats(self->c, shooter, &self->st));
	ASSERT_EQ(0, ptscope_get_stats(self->c, self->pp.pid, &by));
	kill_wait(shooter);

	/* Each iteration changes present PTEs once or twice. */
	EXPECT_LE(SHOOT_ITERS, self->st.tlb_flush_ranged + self->st.tlb_flush_full);
	EXPECT_LE(SHOOT_ITERS / 2, self->st.tlb_shootdowns);
	/* Two CPUs: every shootdown targets exactly the other one. */
	EXPECT_EQ(self->st.tlb_shootdowns, self->st.tlb_shootdown_cpus);
	received = self->st.tlb_received;
	for (i = 0; i < self->st.nr_cpus; i++)
		sum_cpu += self->st.cpus[i].tlb_received;
	EXPECT_EQ(received, sum_cpu);
	EXPECT_LE(SHOOT_ITERS / 2, received);

	/* The idle bystander: nothing. */
	EXPECT_EQ(0, by.tlb_flush_full + by.tlb_flush_ranged);
	EXPECT_EQ(0, by.tlb_shootdowns);
	EXPECT_EQ(0, by.tlb_received);

	/*
	 * /proc/interrupts counts every shootdown IPI received, for any
	 * process.  Others in this VM are idle: allow 2% or 20 for the
	 * harness, kworkers and the shell.
	 */
	ASSERT_LE(0, irq0);
	TH_LOG("received by tracked: %llu; /proc/interrupts TLB delta: %lld",
	       (unsigned long long)(received + by.tlb_received), irq1 - irq0);
	EXPECT_LE(received + by.tlb_received, (uint64_t)(irq1 - irq0));
	EXPECT_GE(received + by.tlb_received + 20 + (irq1 - irq0) / 50,
		  (uint64_t)(irq1 - irq0));
	ptscope_stats_free(&by);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
}

TEST_HARNESS_MAIN
