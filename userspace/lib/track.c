// SPDX-License-Identifier: GPL-2.0
/*
 * libptscope: tracking (track-start, track-stop, get-stats).
 *
 * Same contract and the same transport (transport.c) as api.c
 * (ptscope_request_*() in ptscope_priv.h): 0 or a negative errno, the
 * kernel's extended ACK text through ptscope_errmsg(), dumps read to their
 * end even after an aborting callback.  Counters of a probe the kernel lacks are
 * absent from the reply; struct ptscope_stats.have says which were there.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "ptscope_client.h"
#include "ptscope_priv.h"

/* ------------------------------------------------------------------ */
/* Names */

static const char *const probe_names[] = {
	"tlb_flush_tp", "flush_tlb_mm_range", "flush_tlb_multi",
	"flush_tlb_func", "handle_mm_fault", "do_swap_page", "page_fault_tp",
	"irq_tlb_count", "fault_return", "fault_fgraph", "fault_syndrome",
	"mmu_notifier_tlb",
};

const char *ptscope_probe_bit_name(unsigned int bit)
{
	return bit < sizeof(probe_names) / sizeof(probe_names[0]) ?
	       probe_names[bit] : NULL;
}

/* ------------------------------------------------------------------ */
/* Parsing */

static int cmp_cpu(const void *a, const void *b)
{
	const struct ptscope_cpu_stats *x = a, *y = b;

	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

static int cmp_range(const void *a, const void *b)
{
	const struct ptscope_range_stats *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static int parse_cpu(struct nlattr *nest, struct ptscope_cpu_stats *out,
		     uint64_t *have)
{
	static struct nla_policy policy[PTSCOPE_CPU_A_MAX + 1] = {
		[PTSCOPE_CPU_A_CPU]		= { .type = NLA_U32 },
		[PTSCOPE_CPU_A_TLB_RECEIVED]	= { .type = NLA_U64 },
		[PTSCOPE_CPU_A_IRQ_TLB]		= { .type = NLA_U64 },
		[PTSCOPE_CPU_A_IRQ_TLB_TOTAL]	= { .type = NLA_U64 },
		[PTSCOPE_CPU_A_TP_REMOTE]	= { .type = NLA_U64 },
		[PTSCOPE_CPU_A_TP_LOCAL]	= { .type = NLA_U64 },
		[PTSCOPE_CPU_A_TP_TASK_SWITCH]	= { .type = NLA_U64 },
		[PTSCOPE_CPU_A_TP_SEND_IPI]	= { .type = NLA_U64 },
	};
	struct nlattr *tb[PTSCOPE_CPU_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (nla_parse_nested(tb, PTSCOPE_CPU_A_MAX, nest, policy) < 0 ||
	    !tb[PTSCOPE_CPU_A_CPU])
		return -EPROTO;
	out->cpu = nla_get_u32(tb[PTSCOPE_CPU_A_CPU]);
	if (tb[PTSCOPE_CPU_A_TLB_RECEIVED]) {
		out->tlb_received = nla_get_u64(tb[PTSCOPE_CPU_A_TLB_RECEIVED]);
		*have |= PTSCOPE_PROBE_FLUSH_TLB_FUNC;
	}
	if (tb[PTSCOPE_CPU_A_IRQ_TLB] || tb[PTSCOPE_CPU_A_IRQ_TLB_TOTAL]) {
		out->has_irq_tlb = true;
		*have |= PTSCOPE_PROBE_IRQ_TLB_COUNT;
		if (tb[PTSCOPE_CPU_A_IRQ_TLB])
			out->irq_tlb = nla_get_u64(tb[PTSCOPE_CPU_A_IRQ_TLB]);
		if (tb[PTSCOPE_CPU_A_IRQ_TLB_TOTAL])
			out->irq_tlb_total = nla_get_u64(tb[PTSCOPE_CPU_A_IRQ_TLB_TOTAL]);
	}
	if (tb[PTSCOPE_CPU_A_TP_REMOTE] || tb[PTSCOPE_CPU_A_TP_LOCAL] ||
	    tb[PTSCOPE_CPU_A_TP_TASK_SWITCH] || tb[PTSCOPE_CPU_A_TP_SEND_IPI]) {
		out->has_tp = true;
		*have |= PTSCOPE_PROBE_TLB_FLUSH_TP;
		if (tb[PTSCOPE_CPU_A_TP_REMOTE])
			out->tp_remote = nla_get_u64(tb[PTSCOPE_CPU_A_TP_REMOTE]);
		if (tb[PTSCOPE_CPU_A_TP_LOCAL])
			out->tp_local = nla_get_u64(tb[PTSCOPE_CPU_A_TP_LOCAL]);
		if (tb[PTSCOPE_CPU_A_TP_TASK_SWITCH])
			out->tp_task_switch = nla_get_u64(tb[PTSCOPE_CPU_A_TP_TASK_SWITCH]);
		if (tb[PTSCOPE_CPU_A_TP_SEND_IPI])
			out->tp_send_ipi = nla_get_u64(tb[PTSCOPE_CPU_A_TP_SEND_IPI]);
	}
	return 0;
}

static int parse_range(struct nlattr *nest, struct ptscope_range_stats *out)
{
	static struct nla_policy policy[PTSCOPE_RANGE_A_MAX + 1] = {
		[PTSCOPE_RANGE_A_START]		= { .type = NLA_U64 },
		[PTSCOPE_RANGE_A_END]		= { .type = NLA_U64 },
		[PTSCOPE_RANGE_A_FAULTS]	= { .type = NLA_U64 },
		[PTSCOPE_RANGE_A_MAJOR]		= { .type = NLA_U64 },
	};
	struct nlattr *tb[PTSCOPE_RANGE_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (nla_parse_nested(tb, PTSCOPE_RANGE_A_MAX, nest, policy) < 0 ||
	    !tb[PTSCOPE_RANGE_A_START] || !tb[PTSCOPE_RANGE_A_END] ||
	    !tb[PTSCOPE_RANGE_A_FAULTS])
		return -EPROTO;
	out->start = nla_get_u64(tb[PTSCOPE_RANGE_A_START]);
	out->end = nla_get_u64(tb[PTSCOPE_RANGE_A_END]);
	out->faults = nla_get_u64(tb[PTSCOPE_RANGE_A_FAULTS]);
	if (tb[PTSCOPE_RANGE_A_MAJOR])
		out->major = nla_get_u64(tb[PTSCOPE_RANGE_A_MAJOR]);
	if (out->start >= out->end)
		return -EPROTO;
	return 0;
}

/* Scalar u64 counters: attribute, field, the probe they belong to. */
static const struct {
	int attr;
	size_t off;
	uint64_t probe;
} stats_u64[] = {
#define F(a, f, p) { PTSCOPE_STATS_A_##a, offsetof(struct ptscope_stats, f), PTSCOPE_PROBE_##p }
#define PTSCOPE_PROBE_ALWAYS 0	/* no probe: tracking itself, the task */
	F(TRACK_NS, track_ns, ALWAYS),
	/* Their probe: TLB_FLUSH_SOURCE (see ptscope_parse_stats()) */
	F(TLB_FLUSH_FULL, tlb_flush_full, ALWAYS),
	F(TLB_FLUSH_RANGED, tlb_flush_ranged, ALWAYS),
	F(TLB_FLUSH_PAGES, tlb_flush_pages, ALWAYS),
	F(TLB_SHOOTDOWNS, tlb_shootdowns, FLUSH_TLB_MULTI),
	F(TLB_SHOOTDOWN_CPUS, tlb_shootdown_cpus, FLUSH_TLB_MULTI),
	F(TLB_RECEIVED, tlb_received, FLUSH_TLB_FUNC),
	F(FAULTS, faults, HANDLE_MM_FAULT),
	F(MINOR, minor, FAULT_RETURN),
	F(MAJOR, major, FAULT_RETURN),
	F(RETRIES, retries, FAULT_RETURN),
	F(ERRORS, errors, FAULT_RETURN),
	F(READ, read, HANDLE_MM_FAULT),
	F(WRITE, write, HANDLE_MM_FAULT),
	F(EXEC, exec, HANDLE_MM_FAULT),
	/* PAGE_FAULT_TP in ->have: the cause is known (arm64: fault_syndrome) */
	F(NOT_PRESENT, not_present, PAGE_FAULT_TP),
	F(PROTECTION, protection, PAGE_FAULT_TP),
	F(GUP, gup, PAGE_FAULT_TP),
	F(CAUSE_UNKNOWN, cause_unknown, PAGE_FAULT_TP),
	F(ANON, anon, HANDLE_MM_FAULT),
	F(FILE, file, HANDLE_MM_FAULT),
	F(SHMEM, shmem, HANDLE_MM_FAULT),
	F(SWAPINS, swapins, DO_SWAP_PAGE),
	F(LAT_SUM_NS, lat_sum_ns, FAULT_RETURN),
	F(LAT_MISSED, lat_missed, FAULT_RETURN),
	F(RANGES_DROPPED, ranges_dropped, HANDLE_MM_FAULT),
	F(TASK_MIN_FLT, task_min_flt, ALWAYS),
	F(TASK_MAJ_FLT, task_maj_flt, ALWAYS),
	F(TASK_MIN_FLT_START, task_min_flt_start, ALWAYS),
	F(TASK_MAJ_FLT_START, task_maj_flt_start, ALWAYS),
#undef F
#undef PTSCOPE_PROBE_ALWAYS
};

void ptscope_stats_free(struct ptscope_stats *s)
{
	if (!s)
		return;
	free(s->cpus);
	free(s->ranges);
	s->cpus = NULL;
	s->ranges = NULL;
	s->nr_cpus = s->nr_ranges = 0;
}

int ptscope_parse_stats(struct nlattr *nest, struct ptscope_stats *out)
{
	static struct nla_policy policy[PTSCOPE_STATS_A_MAX + 1];
	struct nlattr *tb[PTSCOPE_STATS_A_MAX + 1];
	struct nlattr *pos;
	int rem, nc = 0, nr = 0, err = -EPROTO;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!policy[PTSCOPE_STATS_A_PID].type) {
		for (i = 0; i < sizeof(stats_u64) / sizeof(stats_u64[0]); i++)
			policy[stats_u64[i].attr].type = NLA_U64;
		policy[PTSCOPE_STATS_A_PID].type = NLA_U32;
		policy[PTSCOPE_STATS_A_TLB_FLUSH_SOURCE].type = NLA_U64;
		policy[PTSCOPE_STATS_A_COMM].type = NLA_STRING;
		policy[PTSCOPE_STATS_A_CPU].type = NLA_NESTED;
		policy[PTSCOPE_STATS_A_RANGE].type = NLA_NESTED;
		policy[PTSCOPE_STATS_A_LAT_HIST].type = NLA_UNSPEC;
	}
	if (nla_parse_nested(tb, PTSCOPE_STATS_A_MAX, nest, policy) < 0)
		return -EPROTO;

	if (tb[PTSCOPE_STATS_A_PID])
		out->pid = (pid_t)nla_get_u32(tb[PTSCOPE_STATS_A_PID]);
	if (tb[PTSCOPE_STATS_A_COMM]) {
		const char *s = nla_data(tb[PTSCOPE_STATS_A_COMM]);
		size_t n = strnlen(s, (size_t)nla_len(tb[PTSCOPE_STATS_A_COMM]));

		if (n >= sizeof(out->comm))
			n = sizeof(out->comm) - 1;
		memcpy(out->comm, s, n);
	}
	for (i = 0; i < sizeof(stats_u64) / sizeof(stats_u64[0]); i++) {
		struct nlattr *a = tb[stats_u64[i].attr];

		if (!a)
			continue;
		*(uint64_t *)((char *)out + stats_u64[i].off) = nla_get_u64(a);
		out->have |= stats_u64[i].probe;
	}
	/* A module older than tlb-flush-source had flush_tlb_mm_range() only. */
	if (tb[PTSCOPE_STATS_A_TLB_FLUSH_SOURCE])
		out->have |= nla_get_u64(tb[PTSCOPE_STATS_A_TLB_FLUSH_SOURCE]) &
			     PTSCOPE_TLB_FLUSH_SOURCES;
	else if (tb[PTSCOPE_STATS_A_TLB_FLUSH_FULL])
		out->have |= PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE;
	if (tb[PTSCOPE_STATS_A_LAT_HIST]) {
		struct nlattr *a = tb[PTSCOPE_STATS_A_LAT_HIST];
		size_t n = (size_t)nla_len(a) / sizeof(uint64_t);

		if (nla_len(a) % sizeof(uint64_t))
			return -EPROTO;
		/* a newer kernel's extra buckets fold into the last one */
		for (i = 0; i < n; i++) {
			uint64_t v;

			memcpy(&v, (const char *)nla_data(a) + i * sizeof(v), sizeof(v));
			out->lat_hist[i < PTSCOPE_LAT_BUCKETS ? i : PTSCOPE_LAT_BUCKETS - 1] += v;
		}
		out->have |= PTSCOPE_PROBE_FAULT_RETURN;
	}

	/* CPU and RANGE repeat: the parsed table only holds the last one. */
	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) == PTSCOPE_STATS_A_CPU)
			nc++;
		else if (nla_type(pos) == PTSCOPE_STATS_A_RANGE)
			nr++;
	}
	if (nc) {
		out->cpus = calloc((size_t)nc, sizeof(*out->cpus));
		if (!out->cpus)
			return -ENOMEM;
	}
	if (nr) {
		out->ranges = calloc((size_t)nr, sizeof(*out->ranges));
		if (!out->ranges) {
			err = -ENOMEM;
			goto fail;
		}
		out->have |= PTSCOPE_PROBE_HANDLE_MM_FAULT;
	}
	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) == PTSCOPE_STATS_A_CPU) {
			if (parse_cpu(pos, &out->cpus[out->nr_cpus], &out->have))
				goto fail;
			out->nr_cpus++;
		} else if (nla_type(pos) == PTSCOPE_STATS_A_RANGE) {
			if (parse_range(pos, &out->ranges[out->nr_ranges]))
				goto fail;
			out->nr_ranges++;
		}
	}
	if (out->nr_cpus > 1)
		qsort(out->cpus, (size_t)out->nr_cpus, sizeof(*out->cpus), cmp_cpu);
	if (out->nr_ranges > 1)
		qsort(out->ranges, (size_t)out->nr_ranges, sizeof(*out->ranges), cmp_range);
	return 0;
fail:
	ptscope_stats_free(out);
	return err;
}

/* ------------------------------------------------------------------ */
/* Requests */

/*
 * Send @cmd (NLM_F_ACK: a do, NLM_F_DUMP: a dump) with PTSCOPE_A_PID
 * when @pid > 0 and PTSCOPE_A_FLAGS when @flags; @one: exactly one reply.
 */
static int run(struct ptscope_request *r, int nlm_flags, bool one, pid_t pid,
	       uint32_t flags)
{
	struct nl_msg *msg = ptscope_request_new(r->c, r->cmd, nlm_flags);
	int err;

	if (!msg)
		return -ENOMEM;
	if ((pid > 0 && nla_put_u32(msg, PTSCOPE_A_PID, (uint32_t)pid) < 0) ||
	    (flags && nla_put_u32(msg, PTSCOPE_A_FLAGS, flags) < 0))
		err = -ENOMEM;
	else if (one)
		err = ptscope_request_do(r, msg);
	else
		err = ptscope_request_run(r, msg);
	nlmsg_free(msg);
	return err;
}

int ptscope_track_start(struct ptscope_client *c, pid_t pid)
{
	struct ptscope_request r = { .c = c, .cmd = PTSCOPE_CMD_TRACK_START };

	if (!c || pid <= 0)
		return -EINVAL;
	/* a reply is not expected, but harmless: only the ACK counts */
	return run(&r, NLM_F_ACK, false, pid, 0);
}

static int stop_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
		      struct nlattr **tb)
{
	(void)nlh;
	if (!tb[PTSCOPE_A_COUNT])
		return ptscope_protocol_error(r);
	*(uint32_t *)r->arg = nla_get_u32(tb[PTSCOPE_A_COUNT]);
	return 0;
}

int ptscope_track_stop(struct ptscope_client *c, pid_t pid, uint32_t *stopped)
{
	uint32_t count = 0;
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_TRACK_STOP, .reply = stop_reply,
		.arg = &count,
	};
	int err;

	if (stopped)
		*stopped = 0;
	if (!c || pid < 0)
		return -EINVAL;
	err = run(&r, NLM_F_ACK, true, pid, pid ? 0 : PTSCOPE_TRACK_F_ALL);
	if (!err && stopped)
		*stopped = count;
	return err;
}

/* A get-stats message: PTSCOPE_A_PID, PTSCOPE_A_STATS. */
static int stats_from(struct ptscope_request *r, struct nlattr **tb,
		      struct ptscope_stats *s)
{
	int err;

	if (!tb[PTSCOPE_A_STATS])
		return ptscope_protocol_error(r);
	err = ptscope_parse_stats(tb[PTSCOPE_A_STATS], s);
	if (err == -EPROTO)
		return ptscope_protocol_error(r);
	if (err)
		return err;
	if (!s->pid && tb[PTSCOPE_A_PID])
		s->pid = (pid_t)nla_get_u32(tb[PTSCOPE_A_PID]);
	return 0;
}

static int stats_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
		       struct nlattr **tb)
{
	struct ptscope_stats *s = r->arg;

	(void)nlh;
	if (r->replies > 1)
		return 0;	/* counted; ptscope_request_do() reports it */
	return stats_from(r, tb, s);
}

int ptscope_get_stats(struct ptscope_client *c, pid_t pid,
		      struct ptscope_stats *out)
{
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_GET_STATS, .reply = stats_reply,
		.arg = out,
	};
	int err;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!c || pid <= 0)
		return -EINVAL;
	err = run(&r, NLM_F_ACK, true, pid, 0);
	if (err)
		ptscope_stats_free(out);
	return err;
}

struct list_ctx {
	ptscope_stats_cb cb;
	void *arg;
};

static int list_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
		      struct nlattr **tb)
{
	struct list_ctx *l = r->arg;
	struct ptscope_stats s;
	int err;

	(void)nlh;
	err = stats_from(r, tb, &s);
	if (err)
		return err;
	err = l->cb(&s, l->arg);
	ptscope_stats_free(&s);
	return err < 0 ? err : 0;
}

int ptscope_list_stats(struct ptscope_client *c, ptscope_stats_cb cb, void *arg)
{
	struct list_ctx l = { .cb = cb, .arg = arg };
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_GET_STATS, .reply = list_reply,
		.arg = &l,
	};

	if (!c || !cb)
		return -EINVAL;
	return run(&r, NLM_F_DUMP, false, 0, 0);
}
