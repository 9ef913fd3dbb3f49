// SPDX-License-Identifier: GPL-2.0
/*
 * libptscope: the family's commands (get-info, get-vmas, get-pages,
 * get-tables, translate) as calls of the public API; track.c has the
 * tracking commands, access.c sample-access.  Each builds its request and hands it to
 * ptscope_request_run() (transport.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "client.h"
#include "ptscope_client.h"
#include "ptscope_priv.h"

/* get-info */

static int info_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
		      struct nlattr **tb)
{
	(void)nlh;
	if (!tb[PTSCOPE_A_INFO] || ptscope_parse_info(tb[PTSCOPE_A_INFO], r->arg))
		return ptscope_protocol_error(r);
	return 0;
}

int ptscope_get_info_flags(struct ptscope_client *c, uint32_t flags,
			   struct ptscope_info *info)
{
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_GET_INFO, .reply = info_reply,
		.arg = info,
	};
	struct nl_msg *msg;
	int err;

	if (!c || !info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	msg = ptscope_request_new(c, PTSCOPE_CMD_GET_INFO, NLM_F_ACK);
	if (!msg)
		return -ENOMEM;
	if (flags && nla_put_u32(msg, PTSCOPE_A_FLAGS, flags) < 0)
		err = -ENOMEM;
	else
		err = ptscope_request_do(&r, msg);
	nlmsg_free(msg);
	if (!err && info->has_page_flags) {
		c->has_page_flags = true;
		c->page_flags = info->page_flags;
	}
	return err;
}

int ptscope_get_info(struct ptscope_client *c, struct ptscope_info *info)
{
	return ptscope_get_info_flags(c, 0, info);
}

/* get-vmas */

struct vmas_ctx {
	ptscope_vma_cb cb;
	void *arg;
	struct ptscope_vma vma;
};

static int vmas_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
		      struct nlattr **tb)
{
	struct vmas_ctx *v = r->arg;
	int err;

	(void)nlh;
	if (!tb[PTSCOPE_A_VMA] || ptscope_parse_vma(tb[PTSCOPE_A_VMA], &v->vma))
		return ptscope_protocol_error(r);
	err = v->cb(&v->vma, v->arg);
	return err < 0 ? err : 0;
}

static int put_range(struct nl_msg *msg, pid_t pid, uint64_t start,
		     uint64_t end, uint32_t flags)
{
	if (nla_put_u32(msg, PTSCOPE_A_PID, (uint32_t)pid) < 0 ||
	    (start && nla_put_u64(msg, PTSCOPE_A_START, start) < 0) ||
	    (end && nla_put_u64(msg, PTSCOPE_A_END, end) < 0) ||
	    (flags && nla_put_u32(msg, PTSCOPE_A_FLAGS, flags) < 0))
		return -ENOMEM;
	return 0;
}

/*
 * A dump.  After a callback aborts, the rest is still read (not passed
 * on): the kernel frees its dump state at NLMSG_DONE, and leftovers would
 * otherwise be waiting on the socket for the next request.
 */
int ptscope_dump_request(struct ptscope_request *r, struct nl_msg *msg,
			 pid_t pid, uint64_t start, uint64_t end, uint32_t flags)
{
	int err = put_range(msg, pid, start, end, flags);

	if (err)
		return err;
	return ptscope_request_run(r, msg);
}

int ptscope_get_vmas(struct ptscope_client *c, pid_t pid,
		     uint64_t start, uint64_t end, uint32_t flags,
		     ptscope_vma_cb cb, void *arg)
{
	struct vmas_ctx *v;
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_GET_VMAS, .reply = vmas_reply,
	};
	struct nl_msg *msg;
	int err;

	if (!c || !cb)
		return -EINVAL;
	/* struct ptscope_vma holds a PATH_MAX name: keep it off the stack. */
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->cb = cb;
	v->arg = arg;
	r.arg = v;
	msg = ptscope_request_new(c, PTSCOPE_CMD_GET_VMAS, NLM_F_DUMP);
	err = msg ? ptscope_dump_request(&r, msg, pid, start, end, flags) : -ENOMEM;
	nlmsg_free(msg);
	free(v);
	return err;
}

/* get-pages */

struct pages_ctx {
	ptscope_run_cb cb;
	ptscope_block_cb block_cb;	/* NULL: expand blocks into runs */
	void *arg;
	unsigned int page_shift;
};

/*
 * A block: one flags word per page, 16 or 32 bits.  It holds whole runs of
 * one VMA (the kernel never cuts a run into a block and something else),
 * so its maximal runs are found inside it alone, and nothing merges across
 * the boundary between two items: there, flags differ or a VMA ends.
 */
static int expand_block(struct ptscope_request *r, struct pages_ctx *p,
			struct nlattr *nest)
{
	static struct nla_policy policy[PTSCOPE_BLOCK_A_MAX + 1] = {
		[PTSCOPE_BLOCK_A_START]		= { .type = NLA_U64 },
		[PTSCOPE_BLOCK_A_FLAGS16]	= { .type = NLA_UNSPEC },
		[PTSCOPE_BLOCK_A_FLAGS32]	= { .type = NLA_UNSPEC },
	};
	struct nlattr *tb[PTSCOPE_BLOCK_A_MAX + 1], *words;
	struct ptscope_run run;
	struct ptscope_block b;
	size_t i, j, n, size;
	int err;

	if (nla_parse_nested(tb, PTSCOPE_BLOCK_A_MAX, nest, policy) < 0 ||
	    !tb[PTSCOPE_BLOCK_A_START] ||
	    !tb[PTSCOPE_BLOCK_A_FLAGS16] == !tb[PTSCOPE_BLOCK_A_FLAGS32])
		return ptscope_protocol_error(r);
	words = tb[PTSCOPE_BLOCK_A_FLAGS16] ? tb[PTSCOPE_BLOCK_A_FLAGS16] :
					      tb[PTSCOPE_BLOCK_A_FLAGS32];
	size = tb[PTSCOPE_BLOCK_A_FLAGS16] ? sizeof(uint16_t) : sizeof(uint32_t);
	if (nla_len(words) <= 0 || (size_t)nla_len(words) % size)
		return ptscope_protocol_error(r);
	n = (size_t)nla_len(words) / size;
	b = (struct ptscope_block){
		.start = nla_get_u64(tb[PTSCOPE_BLOCK_A_START]), .nr_pages = n,
	};
	if (size == sizeof(uint16_t))
		b.flags16 = nla_data(words);
	else
		b.flags32 = nla_data(words);
	if (p->block_cb)
		return p->block_cb(&b, p->arg);
	memset(&run, 0, sizeof(run));
	run.start = b.start;
	for (i = 0; i < n; i = j) {
		uint32_t f = ptscope_block_word(&b, i);

		for (j = i + 1; j < n && ptscope_block_word(&b, j) == f; j++)
			;
		run.nr_pages = j - i;
		run.flags = f;
		err = p->cb(&run, p->arg);
		if (err < 0)
			return err;
		run.start += (uint64_t)run.nr_pages << p->page_shift;
	}
	return 0;
}

static int pages_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
		       struct nlattr **tb)
{
	struct pages_ctx *p = r->arg;
	struct nlattr *pos;
	int rem, err;

	(void)tb;	/* RUN repeats: walk the message, not the parsed table */
	nla_for_each_attr(pos, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		struct ptscope_run run;

		if (nla_type(pos) == PTSCOPE_A_BLOCK) {
			err = expand_block(r, p, pos);
			if (err < 0)
				return err;
			continue;
		}
		if (nla_type(pos) != PTSCOPE_A_RUN)
			continue;
		if (ptscope_parse_run(pos, &run))
			return ptscope_protocol_error(r);
		/* Runs are maximal as sent: the kernel never splits one. */
		err = p->cb(&run, p->arg);
		if (err < 0)
			return err;
	}
	return 0;
}

void ptscope_set_compact(struct ptscope_client *c, bool compact)
{
	if (c)
		c->no_compact = !compact;
}

/* Blocks carry flags only: PFN runs must come as runs. */
static bool compact_wanted(const struct ptscope_client *c, uint32_t flags)
{
	return !c->no_compact && !(flags & PTSCOPE_PAGES_F_PFN_RUNS);
}

void ptscope_set_flags32(struct ptscope_client *c, bool flags32)
{
	if (c)
		c->flags32 = flags32 ? 1 : -1;
}

/*
 * Blocks of 32-bit words where the module has page flags above bit 15
 * (arm64's pxn and cont); a module that lists one knows the request flag.
 * x86-64 has none: no get-info there, and the requests of before.
 */
static bool flags32_wanted(struct ptscope_client *c)
{
	struct ptscope_info info;
	struct utsname u;

	if (!c->flags32) {
		c->flags32 = -1;
		if (!c->has_page_flags && (uname(&u) || strcmp(u.machine, "x86_64")))
			ptscope_get_info(c, &info);
		if (c->has_page_flags && c->page_flags > UINT16_MAX)
			c->flags32 = 1;
	}
	return c->flags32 > 0;
}

int ptscope_get_pages_blocks(struct ptscope_client *c, pid_t pid,
			     uint64_t start, uint64_t end, uint32_t flags,
			     ptscope_run_cb cb, ptscope_block_cb block_cb,
			     void *arg)
{
	long page_size = sysconf(_SC_PAGESIZE);
	struct pages_ctx p = {
		.cb = cb, .block_cb = block_cb, .arg = arg, .page_shift = 12,
	};
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_GET_PAGES, .reply = pages_reply,
		.arg = &p,
	};
	struct nl_msg *msg;
	int err;

	if (!c || !cb)
		return -EINVAL;
	if (page_size > 0)
		p.page_shift = (unsigned int)__builtin_ctzl((unsigned long)page_size);
	if (compact_wanted(c, flags)) {
		flags |= PTSCOPE_PAGES_F_COMPACT;
		if (flags32_wanted(c))
			flags |= PTSCOPE_PAGES_F_FLAGS32;
	}
	msg = ptscope_request_new(c, PTSCOPE_CMD_GET_PAGES, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	err = ptscope_dump_request(&r, msg, pid, start, end, flags);
	nlmsg_free(msg);
	return err;
}

int ptscope_get_pages(struct ptscope_client *c, pid_t pid,
		      uint64_t start, uint64_t end, uint32_t flags,
		      ptscope_run_cb cb, void *arg)
{
	return ptscope_get_pages_blocks(c, pid, start, end, flags, cb, NULL, arg);
}

/* get-tables */

struct tables_ctx {
	ptscope_table_cb cb;
	void *arg;
	struct ptscope_tables *out;
};

static int parse_table(struct nlattr *nest, struct ptscope_table *out)
{
	static struct nla_policy policy[PTSCOPE_TABLE_A_MAX + 1] = {
		[PTSCOPE_TABLE_A_LEVEL]		= { .type = NLA_U32 },
		[PTSCOPE_TABLE_A_ADDR]		= { .type = NLA_U64 },
		[PTSCOPE_TABLE_A_ENTRIES]	= { .type = NLA_U32 },
		[PTSCOPE_TABLE_A_LEAVES]	= { .type = NLA_U32 },
	};
	struct nlattr *tb[PTSCOPE_TABLE_A_MAX + 1];

	if (nla_parse_nested(tb, PTSCOPE_TABLE_A_MAX, nest, policy) < 0 ||
	    !tb[PTSCOPE_TABLE_A_LEVEL] || !tb[PTSCOPE_TABLE_A_ADDR] ||
	    !tb[PTSCOPE_TABLE_A_ENTRIES] || !tb[PTSCOPE_TABLE_A_LEAVES])
		return -EPROTO;
	out->level = nla_get_u32(tb[PTSCOPE_TABLE_A_LEVEL]);
	out->addr = nla_get_u64(tb[PTSCOPE_TABLE_A_ADDR]);
	out->entries = nla_get_u32(tb[PTSCOPE_TABLE_A_ENTRIES]);
	out->leaves = nla_get_u32(tb[PTSCOPE_TABLE_A_LEAVES]);
	return 0;
}

static int parse_level_stats(struct nlattr *nest, struct ptscope_level_stats *out)
{
	static struct nla_policy policy[PTSCOPE_LSTATS_A_MAX + 1] = {
		[PTSCOPE_LSTATS_A_LEVEL]	= { .type = NLA_U32 },
		[PTSCOPE_LSTATS_A_TABLES]	= { .type = NLA_U64 },
		[PTSCOPE_LSTATS_A_ENTRIES]	= { .type = NLA_U64 },
		[PTSCOPE_LSTATS_A_LEAVES]	= { .type = NLA_U64 },
		[PTSCOPE_LSTATS_A_BYTES]	= { .type = NLA_U64 },
		[PTSCOPE_LSTATS_A_FOLDED]	= { .type = NLA_FLAG },
	};
	struct nlattr *tb[PTSCOPE_LSTATS_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (nla_parse_nested(tb, PTSCOPE_LSTATS_A_MAX, nest, policy) < 0 ||
	    !tb[PTSCOPE_LSTATS_A_LEVEL] || !tb[PTSCOPE_LSTATS_A_TABLES] ||
	    !tb[PTSCOPE_LSTATS_A_ENTRIES] || !tb[PTSCOPE_LSTATS_A_LEAVES] ||
	    !tb[PTSCOPE_LSTATS_A_BYTES])
		return -EPROTO;
	out->level = nla_get_u32(tb[PTSCOPE_LSTATS_A_LEVEL]);
	out->tables = nla_get_u64(tb[PTSCOPE_LSTATS_A_TABLES]);
	out->entries = nla_get_u64(tb[PTSCOPE_LSTATS_A_ENTRIES]);
	out->leaves = nla_get_u64(tb[PTSCOPE_LSTATS_A_LEAVES]);
	out->bytes = nla_get_u64(tb[PTSCOPE_LSTATS_A_BYTES]);
	out->folded = !!tb[PTSCOPE_LSTATS_A_FOLDED];
	return 0;
}

static int tables_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
			struct nlattr **tb)
{
	struct tables_ctx *t = r->arg;
	struct nlattr *pos;
	int rem, err;

	(void)tb;	/* TABLE and LEVEL_STATS repeat: walk the message */
	nla_for_each_attr(pos, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		struct ptscope_level_stats st;
		struct ptscope_table table;

		switch (nla_type(pos)) {
		case PTSCOPE_A_TABLE:
			if (parse_table(pos, &table))
				return ptscope_protocol_error(r);
			if (t->cb) {
				err = t->cb(&table, t->arg);
				if (err < 0)
					return err;
			}
			break;
		case PTSCOPE_A_LEVEL_STATS:
			if (parse_level_stats(pos, &st))
				return ptscope_protocol_error(r);
			/* a level this client does not know is skipped */
			if (t->out->nr_levels < 5)
				t->out->levels[t->out->nr_levels++] = st;
			break;
		default:
			break;
		}
	}
	return 0;
}

int ptscope_get_tables(struct ptscope_client *c, pid_t pid,
		       uint64_t start, uint64_t end, int depth,
		       ptscope_table_cb cb, void *arg,
		       struct ptscope_tables *out)
{
	struct tables_ctx t = { .cb = cb, .arg = arg, .out = out };
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_GET_TABLES, .reply = tables_reply,
		.arg = &t,
	};
	struct nl_msg *msg;
	int err;

	if (!c || !out || (depth >= 0 && !cb))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	msg = ptscope_request_new(c, PTSCOPE_CMD_GET_TABLES, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	err = put_range(msg, pid, start, end, 0);
	if (!err && depth >= 0 &&
	    nla_put_u32(msg, PTSCOPE_A_DEPTH, (uint32_t)depth) < 0)
		err = -ENOMEM;
	if (!err)
		err = ptscope_request_run(&r, msg);
	nlmsg_free(msg);
	if (!err && !out->nr_levels)
		err = -EPROTO;	/* the totals always end the dump */
	return err;
}

/* translate */

static int xlate_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
		       struct nlattr **tb)
{
	struct ptscope_xlate *x = r->arg;

	(void)nlh;
	if (!tb[PTSCOPE_A_XLATE])
		return ptscope_protocol_error(r);
	if (tb[PTSCOPE_A_ADDR])
		x->addr = nla_get_u64(tb[PTSCOPE_A_ADDR]);
	if (ptscope_parse_xlate(tb[PTSCOPE_A_XLATE], x))
		return ptscope_protocol_error(r);
	return 0;
}

int ptscope_translate(struct ptscope_client *c, pid_t pid, uint64_t addr,
		      struct ptscope_xlate *out)
{
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_TRANSLATE, .reply = xlate_reply,
		.arg = out,
	};
	struct nl_msg *msg;
	int err;

	if (!c || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->addr = addr;
	msg = ptscope_request_new(c, PTSCOPE_CMD_TRANSLATE, NLM_F_ACK);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, PTSCOPE_A_PID, (uint32_t)pid) < 0 ||
	    nla_put_u64(msg, PTSCOPE_A_ADDR, addr) < 0)
		err = -ENOMEM;
	else
		err = ptscope_request_do(&r, msg);
	nlmsg_free(msg);
	return err;
}
