// SPDX-License-Identifier: GPL-2.0
/*
 * The fake kernel's answers to track-start, track-stop and get-stats, laid
 * out as ptscope.ko lays them out: counters of missing probes absent, one
 * CPU nest per CPU with something to report, ranges in no particular
 * order, unknown attributes that a client must skip.
 *
 * PIDs: 43 is already tracked (EALREADY), 44 does not exist (ESRCH), 99 is
 * not tracked (ENOENT on stop); get-stats of any other PID answers per
 * ft.mode.  Each get-stats advances the counters by one "second".
 */
#include <errno.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "fake_kernel.h"
#include "fake_track.h"

struct fake_track ft;

static struct nl_msg *big_reply(uint8_t cmd, bool multi)
{
	struct nl_msg *msg = nlmsg_alloc_size(65536);

	genlmsg_put(msg, 0, fk.seq, FAMILY, 0, multi ? NLM_F_MULTI : 0, cmd,
		    PTSCOPE_GENL_VERSION);
	return msg;
}

static void put_cpu(struct nl_msg *msg, uint32_t cpu, uint64_t received,
		    uint64_t irq, bool tp)
{
	struct nlattr *n = nla_nest_start(msg, PTSCOPE_STATS_A_CPU);

	nla_put_u32(msg, PTSCOPE_CPU_A_CPU, cpu);
	if (ft.mode != FT_PARTIAL || received)
		nla_put_u64(msg, PTSCOPE_CPU_A_TLB_RECEIVED, received);
	nla_put_u64(msg, PTSCOPE_CPU_A_IRQ_TLB, irq);
	nla_put_u64(msg, PTSCOPE_CPU_A_IRQ_TLB_TOTAL, irq * 30);
	if (tp) {
		nla_put_u64(msg, PTSCOPE_CPU_A_TP_REMOTE, 10 + cpu);
		nla_put_u64(msg, PTSCOPE_CPU_A_TP_LOCAL, 20);
		nla_put_u64(msg, PTSCOPE_CPU_A_TP_TASK_SWITCH, 30);
		nla_put_u64(msg, PTSCOPE_CPU_A_TP_SEND_IPI, 40);
	}
	nla_put_u32(msg, ATTR_UNKNOWN, 1);
	nla_nest_end(msg, n);
}

static void put_range(struct nl_msg *msg, uint64_t start, uint64_t end,
		      uint64_t faults, uint64_t major)
{
	struct nlattr *n = nla_nest_start(msg, PTSCOPE_STATS_A_RANGE);

	nla_put_u64(msg, PTSCOPE_RANGE_A_START, start);
	if (ft.mode != FT_MALFORMED)
		nla_put_u64(msg, PTSCOPE_RANGE_A_END, end);
	nla_put_u64(msg, PTSCOPE_RANGE_A_FAULTS, faults);
	if (ft.mode != FT_ENTRY)
		nla_put_u64(msg, PTSCOPE_RANGE_A_MAJOR, major);
	nla_nest_end(msg, n);
}

/* The stats of @pid after @k get-stats calls. */
static struct nl_msg *stats_msg(uint32_t pid, bool multi, uint64_t k)
{
	struct nl_msg *msg = big_reply(PTSCOPE_CMD_GET_STATS, multi);
	bool full = ft.mode != FT_PARTIAL;
	bool ret = ft.mode != FT_ENTRY;		/* handle_mm_fault()'s return */
	uint64_t hist[PTSCOPE_LAT_BUCKETS] = { 0 };
	struct nlattr *n;

	hist[9] = 100;
	hist[10] = 300;
	hist[11] = 600 + 100 * k;
	hist[12] = 200;
	hist[15] = 30;
	hist[20] = 4;
	nla_put_u32(msg, PTSCOPE_A_PID, pid);
	n = nla_nest_start(msg, PTSCOPE_A_STATS);
	nla_put_u32(msg, PTSCOPE_STATS_A_PID, pid);
	nla_put_string(msg, PTSCOPE_STATS_A_COMM, pid == 42 ? "workload" : "sleeper");
	nla_put_u64(msg, PTSCOPE_STATS_A_TRACK_NS, 12500000000ULL + k * 1000000000ULL);
	nla_put_u64(msg, PTSCOPE_STATS_A_TLB_FLUSH_FULL, 3);
	nla_put_u64(msg, PTSCOPE_STATS_A_TLB_FLUSH_RANGED, 120 + 10 * k);
	nla_put_u64(msg, PTSCOPE_STATS_A_TLB_FLUSH_PAGES, 4567 + 100 * k);
	if (full) {
		nla_put_u64(msg, PTSCOPE_STATS_A_TLB_SHOOTDOWNS, 80 + 5 * k);
		nla_put_u64(msg, PTSCOPE_STATS_A_TLB_SHOOTDOWN_CPUS, 150 + 9 * k);
	}
	nla_put_u64(msg, PTSCOPE_STATS_A_TLB_RECEIVED, 150 + 9 * k);
	nla_put_u64(msg, ATTR_UNKNOWN, 77);
	if (ft.mode == FT_BIG) {
		for (uint32_t cpu = 0; cpu < 64; cpu++)
			put_cpu(msg, 63 - cpu, cpu, 1000 + cpu, true);
	} else {
		put_cpu(msg, 1, 75 + 9 * k, 100, full);
		put_cpu(msg, 0, 75, 300, full);
		if (full)
			put_cpu(msg, 3, 0, 50, full);
	}
	nla_put_u64(msg, PTSCOPE_STATS_A_FAULTS, 1234 + 100 * k);
	if (ret) {
		nla_put_u64(msg, PTSCOPE_STATS_A_MINOR, 1200 + 90 * k);
		nla_put_u64(msg, PTSCOPE_STATS_A_MAJOR, 34 + 10 * k);
		nla_put_u64(msg, PTSCOPE_STATS_A_RETRIES, 5);
		nla_put_u64(msg, PTSCOPE_STATS_A_ERRORS, 1);
	}
	nla_put_u64(msg, PTSCOPE_STATS_A_READ, 800);
	nla_put_u64(msg, PTSCOPE_STATS_A_WRITE, 400 + 100 * k);
	nla_put_u64(msg, PTSCOPE_STATS_A_EXEC, 34);
	if (full) {
		nla_put_u64(msg, PTSCOPE_STATS_A_NOT_PRESENT, 1000);
		nla_put_u64(msg, PTSCOPE_STATS_A_PROTECTION, 200);
		nla_put_u64(msg, PTSCOPE_STATS_A_GUP, 30);
		nla_put_u64(msg, PTSCOPE_STATS_A_CAUSE_UNKNOWN, 4);
	}
	nla_put_u64(msg, PTSCOPE_STATS_A_ANON, 1000 + 100 * k);
	nla_put_u64(msg, PTSCOPE_STATS_A_FILE, 200);
	nla_put_u64(msg, PTSCOPE_STATS_A_SHMEM, 34);
	if (full)
		nla_put_u64(msg, PTSCOPE_STATS_A_SWAPINS, 7);
	if (ret) {
		nla_put(msg, PTSCOPE_STATS_A_LAT_HIST, sizeof(hist), hist);
		nla_put_u64(msg, PTSCOPE_STATS_A_LAT_SUM_NS, 1851000 + 150000 * k);
		nla_put_u64(msg, PTSCOPE_STATS_A_LAT_MISSED, 2);
	}
	if (ft.mode == FT_BIG) {
		for (uint64_t i = 0; i < 300; i++)
			put_range(msg, 0x10000000 + 0x100000 * (299 - i),
				  0x10000000 + 0x100000 * (299 - i) + 0x10000, i + 1, 0);
	} else {
		put_range(msg, 0x600000, 0x610000, 800 + 90 * k, 0);
		put_range(msg, 0x400000, 0x401000, 34, 24);
		put_range(msg, 0x7f0000000000, 0x7f0000002000, 50, 0);
		put_range(msg, 0x500000, 0x510000, 350 + 10 * k, 10 + 10 * k);
	}
	nla_put_u64(msg, PTSCOPE_STATS_A_RANGES_DROPPED, 12);
	nla_put_u64(msg, PTSCOPE_STATS_A_TASK_MIN_FLT, 5000 + 90 * k);
	nla_put_u64(msg, PTSCOPE_STATS_A_TASK_MAJ_FLT, 100 + 10 * k);
	nla_put_u64(msg, PTSCOPE_STATS_A_TASK_MIN_FLT_START, 3790);
	nla_put_u64(msg, PTSCOPE_STATS_A_TASK_MAJ_FLT_START, 65);
	nla_nest_end(msg, n);
	return msg;
}

void fake_track_respond(void)
{
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	struct nl_msg *msg;
	uint16_t flags;
	uint8_t cmd;
	uint32_t pid;

	req_parse(tb, &cmd, &flags);
	pid = tb[PTSCOPE_A_PID] ? nla_get_u32(tb[PTSCOPE_A_PID]) : 0;
	ft.last_cmd = cmd;
	ft.last_pid = pid;
	ft.last_flags = tb[PTSCOPE_A_FLAGS] ? nla_get_u32(tb[PTSCOPE_A_FLAGS]) : 0;
	if (ft.log) {
		static const char *const names[] = {
			[PTSCOPE_CMD_TRACK_START] = "track-start",
			[PTSCOPE_CMD_TRACK_STOP] = "track-stop",
			[PTSCOPE_CMD_GET_STATS] = "get-stats",
		};

		fprintf(ft.log, "%s%s %u %u\n", names[cmd],
			flags & NLM_F_DUMP ? "-dump" : "", pid, ft.last_flags);
		fflush(ft.log);
	}

	switch (cmd) {
	case PTSCOPE_CMD_TRACK_START:
		if (pid == 43)
			push(err_msg(-EALREADY, "process is already tracked", true, 0));
		else if (pid == 44)
			push(err_msg(-ESRCH, "no such process", true, 0));
		else if (!pid)
			push(err_msg(-EINVAL, NULL, true, PTSCOPE_A_PID));
		else {
			ft.started = true;
			push(ack_msg());
		}
		break;
	case PTSCOPE_CMD_TRACK_STOP:
		if (pid == 99) {
			push(err_msg(-ENOENT, "process is not tracked", true, 0));
			break;
		}
		if (!pid && ft.last_flags != PTSCOPE_TRACK_F_ALL) {
			push(err_msg(-EINVAL, NULL, true, PTSCOPE_A_PID));
			break;
		}
		msg = reply(PTSCOPE_CMD_TRACK_STOP, false);
		nla_put_u32(msg, PTSCOPE_A_COUNT, pid ? 1 : 3);
		push(msg);
		push(ack_msg());
		break;
	case PTSCOPE_CMD_GET_STATS:
		if (flags & NLM_F_DUMP) {
			struct chunk *c = chunk_new();

			ft.dumps++;
			chunk_add(c, stats_msg(42, true, 0));
			c = chunk_new();
			chunk_add(c, stats_msg(7, true, 0));
			chunk_add(c, done_msg(0, NULL));
			break;
		}
		if (ft.mode == FT_NOT_TRACKED || pid == 99 || (ft.need_start && !ft.started) ||
		    (ft.exit_after && ft.calls >= ft.exit_after)) {
			push(err_msg(-ENOENT, "process is not tracked", true, 0));
			break;
		}
		push(stats_msg(pid, false, (uint64_t)ft.calls++));
		push(ack_msg());
		break;
	default:
		push(err_msg(-EOPNOTSUPP, NULL, true, 0));
	}
}

static void respond_info(void)
{
	struct nl_msg *msg = reply(PTSCOPE_CMD_GET_INFO, false);

	put_info(msg);
	push(msg);
	push(ack_msg());
}

void ft_reset(enum fake_track_mode mode)
{
	memset(&ft, 0, sizeof(ft));
	ft.mode = mode;
	drop_queue();
	fk.respond = respond_info;
	fk.respond_track = fake_track_respond;
}
