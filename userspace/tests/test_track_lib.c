// SPDX-License-Identifier: GPL-2.0
/*
 * Tracking in libptscope: track-start/track-stop/get-stats and the list
 * dump against the fake kernel (fake_track.c), and the CLI's latency and
 * duration formatting (tracking.h).  test_track.c runs the commands.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include "fake_kernel.h"
#include "fake_track.h"
#include "ptscope_priv.h"
#include "tracking.h"
#include "tap.h"

#define ALL_PROBES	(0xffULL | PTSCOPE_PROBE_FAULT_RETURN)

static void test_lib_stats(struct ptscope_client *c)
{
	struct ptscope_stats s;
	int err;

	ft_reset(FT_FULL);
	err = ptscope_get_stats(c, 42, &s);
	is_num(err, 0, "get_stats: ok");
	is_num(ft.last_cmd, PTSCOPE_CMD_GET_STATS, "get_stats: command");
	is_num(ft.last_pid, 42, "get_stats: PID attribute");
	is_num(s.pid, 42, "get_stats: pid");
	is_str(s.comm, "workload", "get_stats: comm");
	is_num(s.have, ALL_PROBES, "get_stats: every probe present");
	is_num(s.track_ns, 12500000000ULL, "get_stats: track_ns");
	ok(s.tlb_flush_full == 3 && s.tlb_flush_ranged == 120 && s.tlb_flush_pages == 4567 &&
	   s.tlb_shootdowns == 80 && s.tlb_shootdown_cpus == 150 && s.tlb_received == 150,
	   "get_stats: TLB counters");
	ok(s.nr_cpus == 3 && s.cpus[0].cpu == 0 && s.cpus[1].cpu == 1 && s.cpus[2].cpu == 3,
	   "get_stats: CPUs sorted by number");
	ok(s.cpus[0].tlb_received == 75 && s.cpus[0].has_irq_tlb && s.cpus[0].irq_tlb == 300 &&
	   s.cpus[0].irq_tlb_total == 9000 && s.cpus[0].has_tp && s.cpus[0].tp_remote == 10 &&
	   s.cpus[0].tp_send_ipi == 40, "get_stats: CPU nest");
	ok(s.faults == 1234 && s.minor == 1200 && s.major == 34 && s.retries == 5 &&
	   s.errors == 1 && s.read == 800 && s.write == 400 && s.exec == 34 &&
	   s.not_present == 1000 && s.protection == 200 && s.gup == 30 &&
	   s.cause_unknown == 4 && s.anon == 1000 && s.file == 200 && s.shmem == 34 &&
	   s.swapins == 7, "get_stats: fault counters");
	ok(s.lat_hist[9] == 100 && s.lat_hist[11] == 600 && s.lat_hist[20] == 4 &&
	   s.lat_sum_ns == 1851000 && s.lat_missed == 2, "get_stats: latency histogram");
	ok(s.nr_ranges == 4 && s.ranges[0].start == 0x400000 && s.ranges[0].major == 24 &&
	   s.ranges[3].start == 0x7f0000000000 && s.ranges_dropped == 12,
	   "get_stats: ranges sorted by address");
	ok(s.task_min_flt == 5000 && s.task_maj_flt == 100 && s.task_min_flt_start == 3790 &&
	   s.task_maj_flt_start == 65, "get_stats: task counters");
	ptscope_stats_free(&s);
	ok(!s.cpus && !s.ranges && !s.nr_cpus, "stats_free: arrays released and cleared");

	ft_reset(FT_PARTIAL);
	err = ptscope_get_stats(c, 42, &s);
	is_num(err, 0, "get_stats partial: ok");
	is_num(s.have, ALL_PROBES & ~(PTSCOPE_PROBE_FLUSH_TLB_MULTI | PTSCOPE_PROBE_DO_SWAP_PAGE |
				     PTSCOPE_PROBE_PAGE_FAULT_TP | PTSCOPE_PROBE_TLB_FLUSH_TP),
	       "get_stats partial: only the probes whose attributes came");
	ok(!s.cpus[0].has_tp && s.cpus[0].has_irq_tlb && s.tlb_shootdowns == 0,
	   "get_stats partial: CPU without tracepoint counts");
	ptscope_stats_free(&s);

	ft_reset(FT_BIG);
	err = ptscope_get_stats(c, 42, &s);
	is_num(err, 0, "get_stats: a 25 KB reply with 64 CPUs and 300 ranges");
	ok(s.nr_cpus == 64 && s.cpus[0].cpu == 0 && s.cpus[63].cpu == 63 &&
	   s.cpus[63].tlb_received == 0 && s.cpus[0].tlb_received == 63,
	   "get_stats big: 64 CPUs in order");
	ok(s.nr_ranges == 300 && s.ranges[0].start == 0x10000000 &&
	   s.ranges[299].start == 0x10000000 + 0x100000ULL * 299 && s.ranges[299].faults == 1,
	   "get_stats big: 300 ranges in order");
	ptscope_stats_free(&s);

	ft_reset(FT_NOT_TRACKED);
	err = ptscope_get_stats(c, 42, &s);
	is_num(err, -ENOENT, "get_stats not tracked: -ENOENT");
	is_str(ptscope_errmsg(c), "process is not tracked", "get_stats not tracked: extack");
	ok(!s.cpus && !s.ranges && !s.have, "get_stats failed: nothing to free");

	ft_reset(FT_MALFORMED);
	err = ptscope_get_stats(c, 42, &s);
	is_num(err, -EPROTO, "get_stats: range without END is a protocol error");
	is_str(ptscope_errmsg(c), "malformed reply from the kernel", "get_stats malformed: message");
	ok(!s.cpus && !s.ranges, "get_stats malformed: no leak, nothing to free");

	ft_reset(FT_FULL);
	err = ptscope_get_stats(c, 42, &s);
	ok(!err && !ptscope_errmsg(c)[0], "socket usable after errors, message cleared");
	ptscope_stats_free(&s);
	is_num(ptscope_get_stats(c, 0, &s), -EINVAL, "get_stats pid 0: -EINVAL");
}

static void test_lib_track(struct ptscope_client *c)
{
	struct ptscope_info info;
	uint32_t n = 77;
	int err;

	ft_reset(FT_FULL);
	err = ptscope_track_start(c, 42);
	ok(!err && ft.last_cmd == PTSCOPE_CMD_TRACK_START && ft.last_pid == 42,
	   "track_start: ok, PID sent");
	err = ptscope_track_start(c, 43);
	is_num(err, -EALREADY, "track_start: -EALREADY");
	is_str(ptscope_errmsg(c), "process is already tracked", "track_start: extack");
	is_num(ptscope_track_start(c, 44), -ESRCH, "track_start: -ESRCH");

	err = ptscope_track_stop(c, 0, &n);
	ok(!err && n == 3 && ft.last_flags == PTSCOPE_TRACK_F_ALL && ft.last_pid == 0,
	   "track_stop(0): FLAGS=ALL, no PID, count 3");
	err = ptscope_track_stop(c, 5, &n);
	ok(!err && n == 1 && ft.last_flags == 0 && ft.last_pid == 5, "track_stop(5): count 1");
	err = ptscope_track_stop(c, 99, &n);
	ok(err == -ENOENT && n == 0 && !strcmp(ptscope_errmsg(c), "process is not tracked"),
	   "track_stop not tracked: -ENOENT with message");
	is_num(ptscope_track_stop(c, 5, NULL), 0, "track_stop: NULL count allowed");

	/* both transports on one socket */
	err = ptscope_get_info(c, &info);
	ok(!err && info.page_size == 4096, "get_info after tracking requests");
}

struct seen {
	int n;
	pid_t pids[4];
	int abort_at;
};

static int on_stats(const struct ptscope_stats *s, void *arg)
{
	struct seen *v = arg;

	if (v->n < 4)
		v->pids[v->n] = s->pid;
	v->n++;
	return v->abort_at && v->n == v->abort_at ? -ECANCELED : 0;
}

static void test_lib_list(struct ptscope_client *c)
{
	struct seen v = { 0 };
	struct ptscope_stats s;
	int err;

	ft_reset(FT_FULL);
	err = ptscope_list_stats(c, on_stats, &v);
	ok(!err && v.n == 2 && v.pids[0] == 42 && v.pids[1] == 7 && ft.dumps == 1,
	   "list_stats: one dump, two processes");
	memset(&v, 0, sizeof(v));
	v.abort_at = 1;
	err = ptscope_list_stats(c, on_stats, &v);
	ok(err == -ECANCELED && v.n == 1, "list_stats: callback abort returned, rest not passed");
	err = ptscope_get_stats(c, 42, &s);
	ok(!err && s.pid == 42, "after an aborted dump the socket is clean");
	ptscope_stats_free(&s);
	is_str(ptscope_probe_bit_name(1), "flush_tlb_mm_range", "probe name bit 1");
	is_str(ptscope_probe_bit_name(11), "mmu_notifier_tlb", "probe name bit 11");
	ok(!ptscope_probe_bit_name(12), "probe name: unknown bit is NULL");
}

static void test_helpers(void)
{
	uint64_t h[PTSCOPE_LAT_BUCKETS] = { 0 };
	char buf[32];

	h[11] = 100;	/* [1024, 2048) ns */
	is_num(lat_percentile(h, 0.5), 1536, "p50 interpolated inside the bucket");
	h[1] = 100;	/* [1, 2) */
	is_num(lat_percentile(h, 0.25), 1, "p25 in the first bucket");
	is_num(lat_percentile(h, 0.99), 2027, "p99 near the top");
	memset(h, 0, sizeof(h));
	is_num(lat_percentile(h, 0.5), 0, "no samples: 0");
	fmt_ns(1536, false, buf, sizeof(buf));
	is_str(buf, "1.5 us", "fmt_ns µs ASCII");
	fmt_ns(250, true, buf, sizeof(buf));
	is_str(buf, "250 ns", "fmt_ns ns");
	fmt_duration(3723000000000ULL, buf, sizeof(buf));
	is_str(buf, "1h 02m", "fmt_duration hours");
	fmt_duration(65000000000ULL, buf, sizeof(buf));
	is_str(buf, "1m 05s", "fmt_duration minutes");
}

void test_track_lib(void)
{
	struct ptscope_client *c = fake_client();

	test_lib_stats(c);
	test_lib_track(c);
	test_lib_list(c);
	ptscope_close(c);
	fk.respond_track = NULL;
	test_helpers();
}
