// SPDX-License-Identifier: GPL-2.0
/* ptbench's measurements of one workload (see ptbench.c's comment). */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/ptscope.h>

#include "bench.h"
#include "fuzz_nl.h"
#include "ptscope_priv.h"

bool compact_ok = true;
char module_version[64] = "?";
bool lock_reset_ok = true;

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

void measure(struct ptscope_client *c, struct result *res)
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
		if (run_cli_metrics(cli, t.pid))
			die("%s: ptscope metrics failed", w->name);
		add(&res->cli_metrics, now_ms() - a);

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

	measure_access(c, &t, res, pages_flags());

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
