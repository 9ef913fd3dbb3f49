// SPDX-License-Identifier: GPL-2.0
/*
 * libptscope: tracking (track-start, track-stop, get-stats).
 *
 * Same contract as ptscope_client.c: 0 or a negative errno, the kernel's
 * extended ACK text through ptscope_errmsg(), dumps read to their end even
 * after an aborting callback.  Counters of a probe the kernel lacks are
 * absent from the reply; struct ptscope_stats.have says which were there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "ptscope_client.h"
#include "ptscope_priv.h"

/* ------------------------------------------------------------------ */
/* Names */

static const char *const probe_names[] = {
	"tlb_flush_tp", "flush_tlb_mm_range", "flush_tlb_multi",
	"flush_tlb_func", "handle_mm_fault", "do_swap_page", "page_fault_tp",
	"irq_tlb_count",
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
	F(TLB_FLUSH_FULL, tlb_flush_full, FLUSH_TLB_MM_RANGE),
	F(TLB_FLUSH_RANGED, tlb_flush_ranged, FLUSH_TLB_MM_RANGE),
	F(TLB_FLUSH_PAGES, tlb_flush_pages, FLUSH_TLB_MM_RANGE),
	F(TLB_SHOOTDOWNS, tlb_shootdowns, FLUSH_TLB_MULTI),
	F(TLB_SHOOTDOWN_CPUS, tlb_shootdown_cpus, FLUSH_TLB_MULTI),
	F(TLB_RECEIVED, tlb_received, FLUSH_TLB_FUNC),
	F(FAULTS, faults, HANDLE_MM_FAULT),
	F(MINOR, minor, HANDLE_MM_FAULT),
	F(MAJOR, major, HANDLE_MM_FAULT),
	F(RETRIES, retries, HANDLE_MM_FAULT),
	F(ERRORS, errors, HANDLE_MM_FAULT),
	F(READ, read, HANDLE_MM_FAULT),
	F(WRITE, write, HANDLE_MM_FAULT),
	F(EXEC, exec, HANDLE_MM_FAULT),
	F(NOT_PRESENT, not_present, PAGE_FAULT_TP),
	F(PROTECTION, protection, PAGE_FAULT_TP),
	F(GUP, gup, PAGE_FAULT_TP),
	F(CAUSE_UNKNOWN, cause_unknown, PAGE_FAULT_TP),
	F(ANON, anon, HANDLE_MM_FAULT),
	F(FILE, file, HANDLE_MM_FAULT),
	F(SHMEM, shmem, HANDLE_MM_FAULT),
	F(SWAPINS, swapins, DO_SWAP_PAGE),
	F(LAT_SUM_NS, lat_sum_ns, HANDLE_MM_FAULT),
	F(LAT_MISSED, lat_missed, HANDLE_MM_FAULT),
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
		out->have |= PTSCOPE_PROBE_HANDLE_MM_FAULT;
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
/* Transport: one request, its replies, its ACK / NLMSG_DONE / error */

struct txn;
typedef int (*txn_reply_fn)(struct txn *t, struct nlmsghdr *nlh,
			    struct nlattr **tb);

struct txn {
	struct ptscope_client *c;
	char *errmsg;
	int family;
	uint8_t cmd;
	uint32_t seq;
	bool done;
	unsigned long seen, replies;
	int err;		/* first error; later messages are drained */
	txn_reply_fn reply;
	void *arg;
};

static void txn_fail(struct txn *t, int err, const char *msg)
{
	if (t->err)
		return;
	t->err = err;
	if (msg)
		snprintf(t->errmsg, PTSCOPE_ERRMSG_MAX, "%s", msg);
}

static int protocol_error(struct txn *t)
{
	txn_fail(t, -EPROTO, "malformed reply from the kernel");
	return -EPROTO;
}

static int on_msg_in(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct txn *)arg)->seen++;
	return NL_OK;
}

static int on_seq_check(struct nl_msg *msg, void *arg)
{
	return nlmsg_hdr(msg)->nlmsg_seq == ((struct txn *)arg)->seq ? NL_OK : NL_SKIP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	static struct nla_policy top[PTSCOPE_A_MAX + 1] = {
		[PTSCOPE_A_PID]		= { .type = NLA_U32 },
		[PTSCOPE_A_STATS]	= { .type = NLA_NESTED },
		[PTSCOPE_A_COUNT]	= { .type = NLA_U32 },
	};
	struct txn *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	int err;

	if (t->err || nlh->nlmsg_type != t->family)
		return NL_OK;
	if (!genlmsg_valid_hdr(nlh, 0)) {
		txn_fail(t, -EPROTO, "truncated reply from the kernel");
		return NL_OK;
	}
	if (((struct genlmsghdr *)nlmsg_data(nlh))->cmd != t->cmd)
		return NL_OK;
	if (genlmsg_parse(nlh, 0, tb, PTSCOPE_A_MAX, top) < 0) {
		protocol_error(t);
		return NL_OK;
	}
	t->replies++;
	err = t->reply ? t->reply(t, nlh, tb) : 0;
	if (err < 0)
		txn_fail(t, err, NULL);
	return NL_OK;
}

static void kernel_error(struct txn *t, const struct nlmsghdr *nlh, int error)
{
	t->done = true;
	if (t->err)
		return;
	t->err = error < 0 ? error : -error;
	ptscope_extack_msg(nlh, t->errmsg, PTSCOPE_ERRMSG_MAX);
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	(void)nla;
	kernel_error(arg, (const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN),
		     e->error);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct txn *)arg)->done = true;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int error = 0;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		memcpy(&error, nlmsg_data(nlh), sizeof(error));
	if (error)
		kernel_error(t, nlh, error);
	t->done = true;
	return NL_STOP;
}

/*
 * Send @cmd with @flags (NLM_F_ACK for a do, NLM_F_DUMP for a dump) and
 * the attributes @put adds, then read until the request is finished.
 */
static int txn_run(struct txn *t, int flags,
		   int (*put)(struct nl_msg *msg, const void *arg), const void *put_arg)
{
	struct nl_sock *sk = ptscope_client_sock(t->c);
	struct nl_cb *sock_cb, *cb = NULL;
	struct nl_msg *msg;
	int err;

	t->errmsg = ptscope_client_errbuf(t->c);
	t->family = ptscope_client_family(t->c);
	if (!sk || !t->errmsg || t->family < 0)
		return -ENOSYS;
	t->errmsg[0] = '\0';

	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, t->family, 0, flags,
			 t->cmd, PTSCOPE_GENL_VERSION) ||
	    (put && put(msg, put_arg) < 0)) {
		err = -ENOMEM;
		goto out;
	}
	sock_cb = nl_socket_get_cb(sk);
	cb = sock_cb ? nl_cb_clone(sock_cb) : NULL;
	nl_cb_put(sock_cb);
	if (!cb) {
		err = -ENOMEM;
		goto out;
	}
	nl_cb_set(cb, NL_CB_MSG_IN, NL_CB_CUSTOM, on_msg_in, t);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, t);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, t);

	err = nl_send_auto(sk, msg);
	if (err < 0) {
		err = ptscope_nlerr_to_errno(err);
		goto out;
	}
	t->seq = nlmsg_hdr(msg)->nlmsg_seq;
	while (!t->done) {
		unsigned long seen = t->seen;

		err = nl_recvmsgs(sk, cb);
		if (t->done)
			break;
		if (err < 0) {
			txn_fail(t, ptscope_nlerr_to_errno(err), NULL);
			break;
		}
		if (t->seen == seen) {
			txn_fail(t, -EIO, "netlink socket closed");
			break;
		}
	}
	err = t->err;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return err;
}

/* ------------------------------------------------------------------ */
/* Requests */

struct pid_flags {
	pid_t pid;
	uint32_t flags;
};

static int put_pid_flags(struct nl_msg *msg, const void *arg)
{
	const struct pid_flags *p = arg;

	if (p->pid > 0 && nla_put_u32(msg, PTSCOPE_A_PID, (uint32_t)p->pid) < 0)
		return -ENOMEM;
	if (p->flags && nla_put_u32(msg, PTSCOPE_A_FLAGS, p->flags) < 0)
		return -ENOMEM;
	return 0;
}

int ptscope_track_start(struct ptscope_client *c, pid_t pid)
{
	struct txn t = { .c = c, .cmd = PTSCOPE_CMD_TRACK_START };
	struct pid_flags p = { .pid = pid };

	if (!c || pid <= 0)
		return -EINVAL;
	/* a reply is not expected, but harmless: only the ACK counts */
	return txn_run(&t, NLM_F_ACK, put_pid_flags, &p);
}

static int stop_reply(struct txn *t, struct nlmsghdr *nlh, struct nlattr **tb)
{
	(void)nlh;
	if (!tb[PTSCOPE_A_COUNT])
		return protocol_error(t);
	*(uint32_t *)t->arg = nla_get_u32(tb[PTSCOPE_A_COUNT]);
	return 0;
}

int ptscope_track_stop(struct ptscope_client *c, pid_t pid, uint32_t *stopped)
{
	uint32_t count = 0;
	struct txn t = {
		.c = c, .cmd = PTSCOPE_CMD_TRACK_STOP, .reply = stop_reply,
		.arg = &count,
	};
	struct pid_flags p = { .pid = pid, .flags = pid ? 0 : PTSCOPE_TRACK_F_ALL };
	int err;

	if (stopped)
		*stopped = 0;
	if (!c || pid < 0)
		return -EINVAL;
	err = txn_run(&t, NLM_F_ACK, put_pid_flags, &p);
	if (!err && t.replies != 1) {
		snprintf(t.errmsg, PTSCOPE_ERRMSG_MAX, "%s",
			 t.replies ? "more than one reply" :
				     "the kernel acknowledged without a reply");
		err = -EPROTO;
	}
	if (!err && stopped)
		*stopped = count;
	return err;
}

/* A get-stats message: PTSCOPE_A_PID, PTSCOPE_A_STATS. */
static int stats_from(struct txn *t, struct nlattr **tb, struct ptscope_stats *s)
{
	int err;

	if (!tb[PTSCOPE_A_STATS])
		return protocol_error(t);
	err = ptscope_parse_stats(tb[PTSCOPE_A_STATS], s);
	if (err == -EPROTO)
		return protocol_error(t);
	if (err)
		return err;
	if (!s->pid && tb[PTSCOPE_A_PID])
		s->pid = (pid_t)nla_get_u32(tb[PTSCOPE_A_PID]);
	return 0;
}

static int stats_reply(struct txn *t, struct nlmsghdr *nlh, struct nlattr **tb)
{
	struct ptscope_stats *s = t->arg;

	(void)nlh;
	if (t->replies > 1)
		return 0;	/* counted; do_request reports it */
	return stats_from(t, tb, s);
}

int ptscope_get_stats(struct ptscope_client *c, pid_t pid,
		      struct ptscope_stats *out)
{
	struct txn t = {
		.c = c, .cmd = PTSCOPE_CMD_GET_STATS, .reply = stats_reply,
		.arg = out,
	};
	struct pid_flags p = { .pid = pid };
	int err;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!c || pid <= 0)
		return -EINVAL;
	err = txn_run(&t, NLM_F_ACK, put_pid_flags, &p);
	if (!err && t.replies != 1) {
		snprintf(t.errmsg, PTSCOPE_ERRMSG_MAX, "%s",
			 t.replies ? "more than one reply" :
				     "the kernel acknowledged without a reply");
		err = -EPROTO;
	}
	if (err)
		ptscope_stats_free(out);
	return err;
}

struct list_ctx {
	ptscope_stats_cb cb;
	void *arg;
};

static int list_reply(struct txn *t, struct nlmsghdr *nlh, struct nlattr **tb)
{
	struct list_ctx *l = t->arg;
	struct ptscope_stats s;
	int err;

	(void)nlh;
	err = stats_from(t, tb, &s);
	if (err)
		return err;
	err = l->cb(&s, l->arg);
	ptscope_stats_free(&s);
	return err < 0 ? err : 0;
}

int ptscope_list_stats(struct ptscope_client *c, ptscope_stats_cb cb, void *arg)
{
	struct list_ctx l = { .cb = cb, .arg = arg };
	struct txn t = {
		.c = c, .cmd = PTSCOPE_CMD_GET_STATS, .reply = list_reply,
		.arg = &l,
	};

	if (!c || !cb)
		return -EINVAL;
	return txn_run(&t, NLM_F_DUMP, NULL, NULL);
}
