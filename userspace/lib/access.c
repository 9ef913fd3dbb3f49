// SPDX-License-Identifier: GPL-2.0
/*
 * libptscope: sample-access, the reading (and clearing) of a target's
 * accessed bits that `ptscope heat` takes once per interval.
 */
#include <errno.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "client.h"
#include "ptscope_client.h"
#include "ptscope_priv.h"

struct access_ctx {
	ptscope_access_cb cb;
	void *arg;
	struct ptscope_access_stats *stats;
};

static int parse_access(struct nlattr *nest, struct ptscope_access_block *b)
{
	static struct nla_policy policy[PTSCOPE_ACCESS_A_MAX + 1] = {
		[PTSCOPE_ACCESS_A_START]	= { .type = NLA_U64 },
		[PTSCOPE_ACCESS_A_NR_PAGES]	= { .type = NLA_U32 },
		[PTSCOPE_ACCESS_A_FILL]		= { .type = NLA_U32 },
	};
	struct nlattr *tb[PTSCOPE_ACCESS_A_MAX + 1];

	memset(b, 0, sizeof(*b));
	if (nla_parse_nested(tb, PTSCOPE_ACCESS_A_MAX, nest, policy) < 0 ||
	    !tb[PTSCOPE_ACCESS_A_START] || !tb[PTSCOPE_ACCESS_A_NR_PAGES])
		return -EPROTO;
	b->start = nla_get_u64(tb[PTSCOPE_ACCESS_A_START]);
	b->nr_pages = nla_get_u32(tb[PTSCOPE_ACCESS_A_NR_PAGES]);
	if (!b->nr_pages)
		return -EPROTO;
	if (tb[PTSCOPE_ACCESS_A_STATES]) {
		/* The kernel pads the last byte's unused pairs with zeros. */
		if ((uint64_t)nla_len(tb[PTSCOPE_ACCESS_A_STATES]) <
		    (b->nr_pages + 3) / 4)
			return -EPROTO;
		b->states = nla_data(tb[PTSCOPE_ACCESS_A_STATES]);
	} else if (tb[PTSCOPE_ACCESS_A_FILL]) {
		b->fill = nla_get_u32(tb[PTSCOPE_ACCESS_A_FILL]);
		if (b->fill & ~3u)
			return -EPROTO;
	} else {
		return -EPROTO;
	}
	return 0;
}

static int parse_access_stats(struct nlattr *nest,
			      struct ptscope_access_stats *s)
{
	struct nlattr *tb[PTSCOPE_ACCESS_STATS_A_MAX + 1];
	static const struct {
		int attr;
		size_t off;
	} fields[] = {
#define F(a, m) { PTSCOPE_ACCESS_STATS_A_##a, \
		  offsetof(struct ptscope_access_stats, m) }
		F(ENTRIES, entries), F(PRESENT, present), F(ACCESSED, accessed),
		F(CLEARED, cleared), F(YOUNG_MARKED, young_marked),
		F(FLUSHES, flushes), F(FLUSH_CPUS, flush_cpus),
#undef F
	};
	size_t i;

	if (nla_parse_nested(tb, PTSCOPE_ACCESS_STATS_A_MAX, nest, NULL) < 0)
		return -EPROTO;
	memset(s, 0, sizeof(*s));
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct nlattr *a = tb[fields[i].attr];

		if (!a)
			continue;
		if (nla_len(a) != sizeof(uint64_t))
			return -EPROTO;
		*(uint64_t *)((char *)s + fields[i].off) = nla_get_u64(a);
	}
	return 0;
}

static int access_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
			struct nlattr **tb)
{
	struct access_ctx *a = r->arg;
	struct nlattr *pos;
	int rem, err;

	(void)tb;	/* ACCESS repeats: walk the message */
	nla_for_each_attr(pos, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		struct ptscope_access_block b;

		if (nla_type(pos) == PTSCOPE_A_ACCESS_STATS) {
			struct ptscope_access_stats s;

			if (parse_access_stats(pos, &s))
				return ptscope_protocol_error(r);
			if (a->stats)
				*a->stats = s;
			continue;
		}
		if (nla_type(pos) != PTSCOPE_A_ACCESS)
			continue;
		if (parse_access(pos, &b))
			return ptscope_protocol_error(r);
		if (!a->cb)
			continue;
		err = a->cb(&b, a->arg);
		if (err < 0)
			return err;
	}
	return 0;
}

int ptscope_sample_access(struct ptscope_client *c, pid_t pid,
			  uint64_t start, uint64_t end, uint32_t flags,
			  ptscope_access_cb cb, void *arg,
			  struct ptscope_access_stats *stats)
{
	struct access_ctx a = { .cb = cb, .arg = arg, .stats = stats };
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_SAMPLE_ACCESS, .reply = access_reply,
		.arg = &a,
	};
	struct nl_msg *msg;
	int err;

	if (!c || (!cb && !(flags & PTSCOPE_ACCESS_F_DISCARD)))
		return -EINVAL;
	if (stats)
		memset(stats, 0, sizeof(*stats));
	msg = ptscope_request_new(c, PTSCOPE_CMD_SAMPLE_ACCESS, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	err = ptscope_dump_request(&r, msg, pid, start, end, flags);
	nlmsg_free(msg);
	return err;
}
