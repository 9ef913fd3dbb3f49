// SPDX-License-Identifier: GPL-2.0
/*
 * track-start, track-stop and get-stats: the netlink side of tracking.
 */
#include <linux/ktime.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "compat.h"
#include "netlink.h"
#include "fault_probe.h"
#include "probes.h"
#include "target.h"
#include "track.h"

int ptscope_track_start_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ptscope_target target;
	struct pid *tgid;
	int err;

	err = ptscope_target_get_tgid(skb, info->attrs, info->extack, &target,
				      &tgid);
	if (err)
		return err;
	err = ptscope_track_start(target.mm, tgid, info->extack);
	put_pid(tgid);
	ptscope_target_put(&target);
	return err;
}

static bool may_stop(struct ptscope_tracked *t, void *skb)
{
	return ptscope_may_inspect(skb, t->tgid, t->mm);
}

int ptscope_track_stop_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct ptscope_target target;
	struct sk_buff *msg;
	u32 flags, count;
	void *hdr;
	int err;

	err = ptscope_get_flags(attrs, PTSCOPE_TRACK_F_MASK, info->extack,
				&flags);
	if (err)
		return err;

	if (flags & PTSCOPE_TRACK_F_ALL) {
		if (attrs[PTSCOPE_A_PID]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[PTSCOPE_A_PID],
					    "give a PID or the all flag, not both");
			return -EINVAL;
		}
		count = ptscope_track_stop_all(may_stop, skb);
	} else {
		err = ptscope_target_get(skb, attrs, info->extack, &target);
		if (err)
			return err;
		err = ptscope_track_stop(target.mm, info->extack);
		ptscope_target_put(&target);
		if (err)
			return err;
		count = 1;
	}

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ptscope_family, 0,
				PTSCOPE_CMD_TRACK_STOP);
	if (!hdr || nla_put_u32(msg, PTSCOPE_A_COUNT, count)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* -- Statistics ------------------------------------------------------- */

#define PUT_U64(skb, attr, val) \
	nla_put_u64_64bit(skb, attr, val, PTSCOPE_STATS_A_PAD)

static int put_cpu_line(struct sk_buff *skb, int cpu,
			const struct ptscope_cpu_line *l, u64 probes)
{
	struct nlattr *nest = nla_nest_start(skb, PTSCOPE_STATS_A_CPU);

	if (!nest || nla_put_u32(skb, PTSCOPE_CPU_A_CPU, cpu))
		return -EMSGSIZE;
	if ((probes & PTSCOPE_PROBE_FLUSH_TLB_FUNC) &&
	    nla_put_u64_64bit(skb, PTSCOPE_CPU_A_TLB_RECEIVED, l->received,
			      PTSCOPE_CPU_A_PAD))
		return -EMSGSIZE;
	if ((probes & PTSCOPE_PROBE_IRQ_TLB_COUNT) &&
	    (nla_put_u64_64bit(skb, PTSCOPE_CPU_A_IRQ_TLB, l->irq_tlb,
			       PTSCOPE_CPU_A_PAD) ||
	     nla_put_u64_64bit(skb, PTSCOPE_CPU_A_IRQ_TLB_TOTAL,
			       l->irq_tlb_total, PTSCOPE_CPU_A_PAD)))
		return -EMSGSIZE;
	if ((probes & PTSCOPE_PROBE_TLB_FLUSH_TP) &&
	    (nla_put_u64_64bit(skb, PTSCOPE_CPU_A_TP_REMOTE,
			       l->tp[PTSCOPE_TP_REMOTE], PTSCOPE_CPU_A_PAD) ||
	     nla_put_u64_64bit(skb, PTSCOPE_CPU_A_TP_LOCAL,
			       l->tp[PTSCOPE_TP_LOCAL], PTSCOPE_CPU_A_PAD) ||
	     nla_put_u64_64bit(skb, PTSCOPE_CPU_A_TP_TASK_SWITCH,
			       l->tp[PTSCOPE_TP_TASK_SWITCH],
			       PTSCOPE_CPU_A_PAD) ||
	     nla_put_u64_64bit(skb, PTSCOPE_CPU_A_TP_SEND_IPI,
			       l->tp[PTSCOPE_TP_SEND_IPI], PTSCOPE_CPU_A_PAD)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_range(struct sk_buff *skb, const struct ptscope_stats_range *r,
		     u64 probes)
{
	struct nlattr *nest = nla_nest_start(skb, PTSCOPE_STATS_A_RANGE);

	if (!nest ||
	    nla_put_u64_64bit(skb, PTSCOPE_RANGE_A_START, r->start,
			      PTSCOPE_RANGE_A_PAD) ||
	    nla_put_u64_64bit(skb, PTSCOPE_RANGE_A_END, r->end,
			      PTSCOPE_RANGE_A_PAD) ||
	    nla_put_u64_64bit(skb, PTSCOPE_RANGE_A_FAULTS, r->faults,
			      PTSCOPE_RANGE_A_PAD))
		return -EMSGSIZE;
	if ((probes & PTSCOPE_PROBE_FAULT_RETURN) &&
	    nla_put_u64_64bit(skb, PTSCOPE_RANGE_A_MAJOR, r->major,
			      PTSCOPE_RANGE_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The flush requests come from flush_tlb_mm_range() (x86) or the mmu
 * notifier (arm64), named in tlb-flush-source.  arm64 has no shootdown
 * interrupts: shootdowns and received are never sent there.
 */
static int put_tlb(struct sk_buff *skb, const struct ptscope_track_counters *c,
		   u64 probes)
{
	u64 source = probes & (PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE |
			       PTSCOPE_PROBE_MMU_NOTIFIER_TLB);

	if (source &&
	    (PUT_U64(skb, PTSCOPE_STATS_A_TLB_FLUSH_SOURCE, source) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_TLB_FLUSH_FULL, c->flush_full) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_TLB_FLUSH_RANGED, c->flush_ranged) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_TLB_FLUSH_PAGES, c->flush_pages)))
		return -EMSGSIZE;
	if ((probes & PTSCOPE_PROBE_FLUSH_TLB_MULTI) &&
	    (PUT_U64(skb, PTSCOPE_STATS_A_TLB_SHOOTDOWNS, c->shootdowns) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_TLB_SHOOTDOWN_CPUS,
		     c->shootdown_cpus)))
		return -EMSGSIZE;
	if ((probes & PTSCOPE_PROBE_FLUSH_TLB_FUNC) &&
	    PUT_U64(skb, PTSCOPE_STATS_A_TLB_RECEIVED, c->received))
		return -EMSGSIZE;
	return 0;
}

static int put_faults(struct sk_buff *skb,
		      const struct ptscope_track_counters *c, u64 probes)
{
	bool at_return = probes & PTSCOPE_PROBE_FAULT_RETURN;

	if (!(probes & PTSCOPE_PROBE_HANDLE_MM_FAULT))
		return 0;
	if (PUT_U64(skb, PTSCOPE_STATS_A_FAULTS,
		    at_return ? c->minor + c->major : c->entered) ||
	    PUT_U64(skb, PTSCOPE_STATS_A_READ, c->read) ||
	    PUT_U64(skb, PTSCOPE_STATS_A_WRITE, c->write) ||
	    PUT_U64(skb, PTSCOPE_STATS_A_EXEC, c->exec) ||
	    PUT_U64(skb, PTSCOPE_STATS_A_ANON, c->anon) ||
	    PUT_U64(skb, PTSCOPE_STATS_A_FILE, c->file) ||
	    PUT_U64(skb, PTSCOPE_STATS_A_SHMEM, c->shmem))
		return -EMSGSIZE;
	if (at_return &&
	    (PUT_U64(skb, PTSCOPE_STATS_A_MINOR, c->minor) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_MAJOR, c->major) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_RETRIES, c->retries) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_ERRORS, c->errors) ||
	     nla_put(skb, PTSCOPE_STATS_A_LAT_HIST, sizeof(c->lat_hist),
		     c->lat_hist) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_LAT_SUM_NS, c->lat_sum_ns) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_LAT_MISSED,
		     ptscope_fault_probe_missed())))
		return -EMSGSIZE;
	/*
	 * The hardware cause needs the tracepoints too, or where there are
	 * none (arm64) the fault handler's syndrome.
	 */
	if ((probes & (PTSCOPE_PROBE_PAGE_FAULT_TP |
		       PTSCOPE_PROBE_FAULT_SYNDROME)) &&
	    (PUT_U64(skb, PTSCOPE_STATS_A_NOT_PRESENT, c->not_present) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_PROTECTION, c->protection) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_GUP, c->gup) ||
	     PUT_U64(skb, PTSCOPE_STATS_A_CAUSE_UNKNOWN, c->cause_unknown)))
		return -EMSGSIZE;
	if ((probes & PTSCOPE_PROBE_DO_SWAP_PAGE) &&
	    PUT_U64(skb, PTSCOPE_STATS_A_SWAPINS, c->swapins))
		return -EMSGSIZE;
	return 0;
}

/*
 * One process's statistics.  @rs is NULL for the summary the dump sends
 * (no CPU and range nests, so any number of CPUs fits a dump message).
 * Called with the registry held: @t cannot be freed under us.
 */
static int put_stats(struct sk_buff *skb, struct ptscope_tracked *t,
		     pid_t nr, const struct ptscope_stats_ranges *rs)
{
	u64 probes = READ_ONCE(ptscope_probes_active);
	struct ptscope_track_counters c;
	struct task_struct *task;
	char comm[TASK_COMM_LEN];
	struct ptscope_cpu_line line;
	struct nlattr *nest;
	u64 min_flt, maj_flt;
	unsigned int i;
	int cpu;

	ptscope_track_sum(t, &c);
	ptscope_track_task_faults(t, &min_flt, &maj_flt);
	comm[0] = '\0';
	rcu_read_lock();
	task = pid_task(t->tgid, PIDTYPE_TGID);
	if (task)
		get_task_comm(comm, task);
	rcu_read_unlock();

	if (nla_put_u32(skb, PTSCOPE_A_PID, nr))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, PTSCOPE_A_STATS);
	if (!nest ||
	    nla_put_u32(skb, PTSCOPE_STATS_A_PID, nr) ||
	    nla_put_string(skb, PTSCOPE_STATS_A_COMM, comm) ||
	    PUT_U64(skb, PTSCOPE_STATS_A_TRACK_NS,
		    ktime_get_ns() - t->start_ns) ||
	    put_tlb(skb, &c, probes) ||
	    put_faults(skb, &c, probes) ||
	    PUT_U64(skb, PTSCOPE_STATS_A_TASK_MIN_FLT, min_flt) ||
	    PUT_U64(skb, PTSCOPE_STATS_A_TASK_MAJ_FLT, maj_flt) ||
	    PUT_U64(skb, PTSCOPE_STATS_A_TASK_MIN_FLT_START, t->min_flt_start) ||
	    PUT_U64(skb, PTSCOPE_STATS_A_TASK_MAJ_FLT_START, t->maj_flt_start))
		return -EMSGSIZE;

	if (rs) {
		for_each_possible_cpu(cpu) {
			ptscope_track_cpu_line(t, cpu, &line);
			if (!ptscope_cpu_line_empty(&line) &&
			    put_cpu_line(skb, cpu, &line, probes))
				return -EMSGSIZE;
		}
		if (probes & PTSCOPE_PROBE_HANDLE_MM_FAULT) {
			for (i = 0; i < rs->nr; i++)
				if (put_range(skb, &rs->r[i], probes))
					return -EMSGSIZE;
			if (PUT_U64(skb, PTSCOPE_STATS_A_RANGES_DROPPED,
				    c.ranges_dropped + rs->dropped))
				return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Worst case: every possible CPU has a line, every range is reported. */
static size_t stats_msg_size(void)
{
	return NLMSG_GOODSIZE +
	       num_possible_cpus() * nla_total_size(8 * 8 + 8 * 4) +
	       PTSCOPE_MAX_REPORT_RANGES * nla_total_size(4 * 16);
}

int ptscope_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ptscope_stats_ranges rs = {};
	struct ptscope_target target;
	struct ptscope_tracked *t;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = ptscope_target_get(skb, info->attrs, info->extack, &target);
	if (err)
		return err;

	rs.r = kcalloc(PTSCOPE_MAX_REPORT_RANGES, sizeof(*rs.r), GFP_KERNEL);
	msg = genlmsg_new(stats_msg_size(), GFP_KERNEL);
	if (!rs.r || !msg) {
		err = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &ptscope_family, 0,
				PTSCOPE_CMD_GET_STATS);
	if (!hdr) {
		err = -EMSGSIZE;
		goto out;
	}

	ptscope_track_lock();
	t = ptscope_tracked_find(target.mm);
	if (!t) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PTSCOPE_A_PID],
				    "process is not tracked: start with track-start");
		err = -ENOENT;
	} else {
		ptscope_track_ranges(t, &rs);
		err = put_stats(msg, t, target.nr, &rs);
	}
	ptscope_track_unlock();
	if (err)
		goto out;

	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
	msg = NULL;
out:
	nlmsg_free(msg);
	kfree(rs.r);
	ptscope_target_put(&target);
	return err;
}

/*
 * cb->args[0]: the key of the last tracked object done (sent, or skipped
 * as not visible), 0 before the first.  Resuming after that key rather
 * than at an index sends every process tracked throughout the dump
 * exactly once, however many start or stop meanwhile; and those who do
 * bump the set's generation, which the client learns as NLM_F_DUMP_INTR.
 */
int ptscope_stats_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long key = cb->args[0];
	struct ptscope_tracked *t;
	pid_t nr;
	void *hdr;
	int err = 0;

	ptscope_track_lock();
	cb->seq = ptscope_tracked_generation();
	for (t = ptscope_tracked_after(key); t; t = ptscope_tracked_next(t)) {
		/* Not visible in the caller's PID namespace, or not allowed. */
		nr = pid_vnr(t->tgid);
		if (nr && ptscope_may_inspect(cb->skb, t->tgid, t->mm)) {
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, &ptscope_family,
					  NLM_F_MULTI, PTSCOPE_CMD_GET_STATS);
			if (!hdr) {
				err = -EMSGSIZE;
				break;
			}
			genl_dump_check_consistent(cb, hdr);
			err = put_stats(skb, t, nr, NULL);
			if (err) {
				genlmsg_cancel(skb, hdr);
				break;
			}
			genlmsg_end(skb, hdr);
		}
		key = ptscope_tracked_key(t);
	}
	ptscope_track_unlock();
	cb->args[0] = key;
	/* A full message ends this round; an empty one ends the dump. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}
