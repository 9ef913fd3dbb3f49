// SPDX-License-Identifier: GPL-2.0
/*
 * The protocol as the spec (module/uapi/ptscope.yaml) declares it, checked
 * against the running module:
 *
 *  - A second client, the kernel's ynl C library with code generated from
 *    the spec (ynl_query), gets the same answers as libptscope for
 *    get-info, get-vmas and get-pages of the stopped workload, line for
 *    line.
 *  - Every reply of every operation (and of each flag that changes a
 *    reply's shape: no-counts, compact, pfn-runs, depth, discard)
 *    conforms to the spec's attribute tree: each attribute declared in its
 *    set, of its type and size, repeated only where multi-attr, and at the
 *    top level one of the operation's reply attributes; sample-access's
 *    access nests have start, nr-pages and either states of exactly two
 *    bits per page or a fill.  Generated tables (spec_tree.h), so a reply
 *    the spec does not describe fails here.
 *  - The family's operations as the kernel's genetlink controller lists
 *    them (ids, do / dump, has a policy) are the spec's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "kselftest_harness.h"
#include "common.h"
#include "spec_tree.h"
#include "ynl_lines.h"

#define MAX_LINES	4096

struct lines {
	char *l[MAX_LINES];
	size_t n;
};

static void lines_add(struct lines *ls, const char *s)
{
	if (ls->n < MAX_LINES)
		ls->l[ls->n++] = strdup(s);
}

static void lines_free(struct lines *ls)
{
	while (ls->n)
		free(ls->l[--ls->n]);
}

/* ynl_query's output, from the directory this test runs in. */
static int ynl_lines(const char *args, struct lines *ls)
{
	char cmd[256], buf[8192];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "./ynl_query %s", args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(buf, sizeof(buf), p))
		lines_add(ls, buf);
	return pclose(p) == 0 ? 0 : -1;
}

/* The first line where the two clients differ, or -1. */
static long first_difference(const struct lines *a, const struct lines *b)
{
	size_t i;

	for (i = 0; i < a->n && i < b->n; i++)
		if (strcmp(a->l[i], b->l[i]))
			return i;
	return a->n == b->n ? -1 : (long)i;
}

static void show_difference(const struct lines *ynl, const struct lines *lib)
{
	long i = first_difference(ynl, lib);

	if (i < 0)
		return;
	fprintf(stderr, "# line %ld: ynl:    %s# line %ld: libptscope: %s",
		i, (size_t)i < ynl->n ? ynl->l[i] : "(none)\n",
		i, (size_t)i < lib->n ? lib->l[i] : "(none)\n");
}

static int vma_line(const struct ptscope_vma *v, void *arg)
{
	char buf[8192];
	size_t n;

	n = snprintf(buf, sizeof(buf), VMA_LINE, v->start, v->end, v->pgoff,
		     v->flags, v->kind, v->name, v->inode, v->dev);
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...)			\
	if (n < sizeof(buf))						\
		n += snprintf(buf + n, sizeof(buf) - n, VMA_COUNTER, #name, \
			      v->nr_##name);
#include "../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
	if (n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, "\n");
	lines_add(arg, buf);
	return 0;
}

static int run_line(const struct ptscope_run *r, void *arg)
{
	char buf[256];
	int n;

	n = snprintf(buf, sizeof(buf), RUN_LINE, r->start, r->nr_pages,
		     r->flags);
	if (r->has_pfn)
		n += snprintf(buf + n, sizeof(buf) - n, RUN_PFN, r->pfn);
	if (r->has_swap)
		n += snprintf(buf + n, sizeof(buf) - n, RUN_SWAP,
			      r->swap_type, r->swap_offset);
	snprintf(buf + n, sizeof(buf) - n, "\n");
	lines_add(arg, buf);
	return 0;
}

FIXTURE(clients) {
	struct ptscope_client *c;
	struct wl w;
	struct lines ynl, lib;
};

FIXTURE_SETUP(clients)
{
	memset(&self->ynl, 0, sizeof(self->ynl));
	memset(&self->lib, 0, sizeof(self->lib));
	ASSERT_EQ(0, ptscope_open(&self->c));
	/* The workload waits on its stdin: its page tables hold still. */
	ASSERT_EQ(0, wl_start(&self->w));
}

FIXTURE_TEARDOWN(clients)
{
	wl_stop(&self->w);
	ptscope_close(self->c);
	lines_free(&self->ynl);
	lines_free(&self->lib);
}

TEST_F(clients, get_info)
{
	struct ptscope_info i;
	char buf[1024];

	ASSERT_EQ(0, ynl_lines("info", &self->ynl));
	ASSERT_EQ(0, ptscope_get_info(self->c, &i));
	snprintf(buf, sizeof(buf),
		 INFO_LINE,
		 i.module_version, i.proto_version, i.kernel_release,
		 i.page_size, i.pgtable_levels, i.user_va_end, i.features,
		 i.privileged, i.max_tracked, i.probes);
	lines_add(&self->lib, buf);
	show_difference(&self->ynl, &self->lib);
	ASSERT_EQ(-1, first_difference(&self->ynl, &self->lib));
}

TEST_F(clients, get_vmas)
{
	char args[64];

	snprintf(args, sizeof(args), "vmas %d", (int)self->w.pid);
	ASSERT_EQ(0, ynl_lines(args, &self->ynl));
	ASSERT_EQ(0, ptscope_get_vmas(self->c, self->w.pid, 0, 0, 0, vma_line,
				      &self->lib));
	ASSERT_GE(self->lib.n, WL_NR_REGIONS);
	show_difference(&self->ynl, &self->lib);
	ASSERT_EQ(-1, first_difference(&self->ynl, &self->lib));
}

static void compare_pages(struct __test_metadata *_metadata,
			  FIXTURE_DATA(clients) *self, bool compact)
{
	char args[64];

	snprintf(args, sizeof(args), "pages %d%s", (int)self->w.pid,
		 compact ? " compact" : "");
	ASSERT_EQ(0, ynl_lines(args, &self->ynl));
	ptscope_set_compact(self->c, compact);
	ASSERT_EQ(0, ptscope_get_pages(self->c, self->w.pid, 0, 0, 0, run_line,
				       &self->lib));
	ASSERT_GE(self->lib.n, WL_NR_REGIONS);
	show_difference(&self->ynl, &self->lib);
	ASSERT_EQ(-1, first_difference(&self->ynl, &self->lib));
}

/* Plain runs: PFN and swap locations included (the VM runs as root). */
TEST_F(clients, get_pages)
{
	compare_pages(_metadata, self, false);
}

/* Compact: blocks expanded by each client on its own. */
TEST_F(clients, get_pages_compact)
{
	compare_pages(_metadata, self, true);
}

/* ---- replies against the spec's attribute trees ------------------------ */

struct conformance {
	const struct st_op *op;
	bool dump, acked;
	unsigned int msgs, attrs, blocks;
	unsigned int access, access_stats, states, fills;
	char why[256];
};

static const struct st_op *op_of(unsigned int cmd)
{
	for (size_t i = 0; i < sizeof(st_ops) / sizeof(st_ops[0]); i++)
		if (st_ops[i].cmd == cmd)
			return &st_ops[i];
	return NULL;
}

static bool size_ok(enum st_type t, const struct nlattr *a)
{
	int len = nla_len(a);

	switch (t) {
	case ST_FLAG:	return len == 0;
	case ST_U8:	return len == 1;
	case ST_U16:	return len == 2;
	case ST_U32:	return len == 4;
	case ST_U64:	return len == 8;
	case ST_STRING:	return len > 0 && ((char *)nla_data(a))[len - 1] == '\0';
	default:	return true;
	}
}

/*
 * One access nest beyond its attribute types: start and nr-pages, and
 * either the states, two bits per page (so exactly ceil(nr_pages / 4)
 * bytes), or one fill state.
 */
static bool access_nest_ok(struct conformance *cf, struct nlattr *nest)
{
	struct nlattr *tb[PTSCOPE_ACCESS_A_MAX + 1] = {}, *a;
	uint32_t nr;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) <= PTSCOPE_ACCESS_A_MAX)
			tb[nla_type(a)] = a;
	if (!tb[PTSCOPE_ACCESS_A_START] || !tb[PTSCOPE_ACCESS_A_NR_PAGES] ||
	    !tb[PTSCOPE_ACCESS_A_STATES] == !tb[PTSCOPE_ACCESS_A_FILL]) {
		snprintf(cf->why, sizeof(cf->why),
			 "%s: an access nest without start, nr-pages and one of states / fill",
			 cf->op->name);
		return false;
	}
	nr = nla_get_u32(tb[PTSCOPE_ACCESS_A_NR_PAGES]);
	if (tb[PTSCOPE_ACCESS_A_STATES]) {
		cf->states++;
		if ((uint32_t)nla_len(tb[PTSCOPE_ACCESS_A_STATES]) != (nr + 3) / 4) {
			snprintf(cf->why, sizeof(cf->why),
				 "%s: access states of %d bytes for %u pages",
				 cf->op->name, nla_len(tb[PTSCOPE_ACCESS_A_STATES]), nr);
			return false;
		}
	} else {
		cf->fills++;
		if (nla_get_u32(tb[PTSCOPE_ACCESS_A_FILL]) &
		    ~(uint32_t)(PTSCOPE_ACCESS_PRESENT | PTSCOPE_ACCESS_ACCESSED)) {
			snprintf(cf->why, sizeof(cf->why), "%s: access fill %#x",
				 cf->op->name, nla_get_u32(tb[PTSCOPE_ACCESS_A_FILL]));
			return false;
		}
	}
	return true;
}

/* Checks the attributes in [head, head + len) against set; top: the
 * message level, where only the operation's reply attributes may appear. */
static bool conforms(struct conformance *cf, int set, struct nlattr *head,
		     int len, uint64_t top)
{
	const struct st_set *s = &st_sets[set];
	uint64_t seen[4] = {};
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, head, len, rem) {
		unsigned int type = nla_type(a);
		const struct st_attr *d = type <= s->max ? &s->attrs[type] : NULL;

		cf->attrs++;
		if (!d || d->type == ST_NONE) {
			snprintf(cf->why, sizeof(cf->why),
				 "%s: attribute %u of set %s is not in the spec",
				 cf->op->name, type, s->name);
			return false;
		}
		if (top && d->type != ST_PAD && !(top & (1ULL << type))) {
			snprintf(cf->why, sizeof(cf->why),
				 "%s %s reply: %s is not one of its attributes",
				 cf->op->name, cf->dump ? "dump" : "do", d->name);
			return false;
		}
		if (!size_ok(d->type, a)) {
			snprintf(cf->why, sizeof(cf->why),
				 "%s: %s.%s has length %d", cf->op->name,
				 s->name, d->name, nla_len(a));
			return false;
		}
		if (type < 256 && !d->multi && d->type != ST_PAD &&
		    (seen[type / 64] & (1ULL << (type % 64)))) {
			snprintf(cf->why, sizeof(cf->why),
				 "%s: %s.%s repeated but not multi-attr",
				 cf->op->name, s->name, d->name);
			return false;
		}
		if (type < 256)
			seen[type / 64] |= 1ULL << (type % 64);
		if (set == 0 && type == PTSCOPE_A_BLOCK)
			cf->blocks++;
		if (set == 0 && type == PTSCOPE_A_ACCESS_STATS)
			cf->access_stats++;
		if (set == 0 && type == PTSCOPE_A_ACCESS) {
			cf->access++;
			if (!access_nest_ok(cf, a))
				return false;
		}
		if (d->type == ST_NEST &&
		    !conforms(cf, d->nest, nla_data(a), nla_len(a), 0))
			return false;
	}
	return true;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct conformance *cf = arg;

	(void)msg;
	cf->acked = true;
	return NL_STOP;
}

static int conformance_cb(struct nl_msg *msg, void *arg)
{
	struct conformance *cf = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);
	uint64_t top = cf->dump ? cf->op->dump_rsp : cf->op->do_rsp;

	cf->msgs++;
	if (g->cmd != cf->op->cmd) {
		snprintf(cf->why, sizeof(cf->why), "%s: reply has command %u",
			 cf->op->name, g->cmd);
		return NL_STOP;
	}
	if (!top) {
		snprintf(cf->why, sizeof(cf->why),
			 "%s: a reply the spec does not declare", cf->op->name);
		return NL_STOP;
	}
	if (!conforms(cf, 0, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), top))
		return NL_STOP;
	return NL_OK;
}

struct request {
	unsigned int cmd;
	bool dump;
	uint32_t pid, flags, depth;
	uint64_t addr, start, end;
	bool has_pid, has_flags, has_depth, has_addr, has_range;
};

/* Sends one request and checks every reply; returns the netlink error. */
static int conformance_run(const struct request *rq, struct conformance *cf)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *m = nlmsg_alloc();
	int fam, err = -ENOMEM;

	memset(cf, 0, sizeof(*cf));
	cf->op = op_of(rq->cmd);
	cf->dump = rq->dump;
	if (!sk || !m || !cf->op)
		goto out;
	err = genl_connect(sk);
	if (err)
		goto out;
	fam = genl_ctrl_resolve(sk, PTSCOPE_GENL_NAME);
	if (fam < 0) {
		err = fam;
		goto out;
	}
	err = -EMSGSIZE;
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, fam, 0,
			 rq->dump ? NLM_F_DUMP : 0, rq->cmd, PTSCOPE_GENL_VERSION) ||
	    (rq->has_pid && nla_put_u32(m, PTSCOPE_A_PID, rq->pid)) ||
	    (rq->has_flags && nla_put_u32(m, PTSCOPE_A_FLAGS, rq->flags)) ||
	    (rq->has_depth && nla_put_u32(m, PTSCOPE_A_DEPTH, rq->depth)) ||
	    (rq->has_addr && nla_put_u64(m, PTSCOPE_A_ADDR, rq->addr)) ||
	    (rq->has_range && (nla_put_u64(m, PTSCOPE_A_START, rq->start) ||
			       nla_put_u64(m, PTSCOPE_A_END, rq->end))))
		goto out;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, conformance_cb, cf);
	nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, cf);
	err = nl_send_auto(sk, m);
	if (err < 0)
		goto out;
	/* A dump ends with NLMSG_DONE; a do with its ACK, after any reply. */
	do
		err = nl_recvmsgs_default(sk);
	while (!err && !rq->dump && !cf->acked && !cf->why[0]);
out:
	nlmsg_free(m);
	nl_socket_free(sk);
	return err;
}

FIXTURE(tree) {
	struct wl w;
	char *alt;		/* alternating pages of this test: blocks */
	struct conformance cf;
};

#define ALT_PAGES	64

FIXTURE_SETUP(tree)
{
	ASSERT_EQ(0, wl_start(&self->w));
	self->alt = mmap(NULL, ALT_PAGES * PAGE_SZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, self->alt);
	/* Every other page dirty: attributes change on every page. */
	for (int i = 0; i < ALT_PAGES; i += 2)
		self->alt[i * PAGE_SZ] = 1;
	madvise(self->alt, ALT_PAGES * PAGE_SZ, MADV_NOHUGEPAGE);
}

FIXTURE_TEARDOWN(tree)
{
	munmap(self->alt, ALT_PAGES * PAGE_SZ);
	wl_stop(&self->w);
}

#define CONFORMS(rq, min_msgs) do {					\
	int __err = conformance_run(&(rq), &self->cf);			\
	EXPECT_EQ(0, __err);						\
	EXPECT_STREQ("", self->cf.why);					\
	EXPECT_GE(self->cf.msgs, (unsigned int)(min_msgs));		\
	TH_LOG("%s %s: %u messages, %u attributes conform",		\
	       self->cf.op ? self->cf.op->name : "?",			\
	       (rq).dump ? "dump" : "do", self->cf.msgs, self->cf.attrs); \
} while (0)

TEST_F(tree, every_reply_conforms)
{
	pid_t pid = self->w.pid, me = getpid();
	struct request rq;

	rq = (struct request){ .cmd = PTSCOPE_CMD_GET_INFO };
	CONFORMS(rq, 1);
	rq = (struct request){ .cmd = PTSCOPE_CMD_GET_VMAS, .dump = true,
			       .pid = pid, .has_pid = true };
	CONFORMS(rq, WL_NR_REGIONS);
	rq.flags = PTSCOPE_VMAS_F_NO_COUNTS, rq.has_flags = true;
	CONFORMS(rq, WL_NR_REGIONS);
	rq = (struct request){ .cmd = PTSCOPE_CMD_GET_PAGES, .dump = true,
			       .pid = pid, .has_pid = true };
	CONFORMS(rq, 1);
	rq.flags = PTSCOPE_PAGES_F_PFN_RUNS, rq.has_flags = true;
	CONFORMS(rq, 1);
	rq = (struct request){ .cmd = PTSCOPE_CMD_GET_PAGES, .dump = true,
			       .pid = me, .has_pid = true,
			       .flags = PTSCOPE_PAGES_F_COMPACT,
			       .has_flags = true };
	CONFORMS(rq, 1);
	/* The alternating pages must have come as blocks, or this checked
	 * nothing about them. */
	EXPECT_GE(self->cf.blocks, 1);
	rq = (struct request){ .cmd = PTSCOPE_CMD_TRANSLATE, .pid = pid,
			       .has_pid = true, .addr = wl_addr(&self->w, 0, 0),
			       .has_addr = true };
	CONFORMS(rq, 1);
	rq = (struct request){ .cmd = PTSCOPE_CMD_GET_TABLES, .dump = true,
			       .pid = pid, .has_pid = true,
			       .depth = PTSCOPE_LEVEL_PTE, .has_depth = true };
	CONFORMS(rq, 1);
	rq = (struct request){ .cmd = PTSCOPE_CMD_TRACK_START, .pid = pid,
			       .has_pid = true };
	CONFORMS(rq, 0);
	ASSERT_EQ(0, wl_cmd(&self->w, "w 0x%" PRIx64 " 1",
			    wl_addr(&self->w, 0, 0)));
	rq = (struct request){ .cmd = PTSCOPE_CMD_GET_STATS, .pid = pid,
			       .has_pid = true };
	CONFORMS(rq, 1);
	rq = (struct request){ .cmd = PTSCOPE_CMD_GET_STATS, .dump = true };
	CONFORMS(rq, 1);
	rq = (struct request){ .cmd = PTSCOPE_CMD_TRACK_STOP, .pid = pid,
			       .has_pid = true };
	CONFORMS(rq, 1);
	/*
	 * sample-access: discarding (the stats only), then the workload's
	 * blocks (states or fills, as the module chooses), then this test's
	 * alternating pages after every other one was read: states; the
	 * stats once, in the last message.
	 */
	rq = (struct request){ .cmd = PTSCOPE_CMD_SAMPLE_ACCESS, .dump = true,
			       .pid = pid, .has_pid = true,
			       .flags = PTSCOPE_ACCESS_F_DISCARD,
			       .has_flags = true };
	CONFORMS(rq, 1);
	EXPECT_EQ(0, self->cf.access);
	EXPECT_EQ(1, self->cf.access_stats);
	ASSERT_EQ(0, wl_cmd(&self->w, "w 0x%" PRIx64 " 1",
			    wl_addr(&self->w, 0, 0)));
	rq.flags = 0, rq.has_flags = false;
	CONFORMS(rq, 1);
	EXPECT_GE(self->cf.access, WL_NR_REGIONS);
	EXPECT_EQ(1, self->cf.access_stats);
	TH_LOG("sample-access of the workload: %u states, %u fills",
	       self->cf.states, self->cf.fills);
	rq = (struct request){ .cmd = PTSCOPE_CMD_SAMPLE_ACCESS, .dump = true,
			       .pid = me, .has_pid = true,
			       .flags = PTSCOPE_ACCESS_F_DISCARD,
			       .has_flags = true, .has_range = true,
			       .start = (uintptr_t)self->alt,
			       .end = (uintptr_t)self->alt + ALT_PAGES * PAGE_SZ };
	CONFORMS(rq, 1);
	for (int i = 0; i < ALT_PAGES; i += 2)
		(void)*(volatile char *)&self->alt[i * PAGE_SZ];
	rq.flags = 0, rq.has_flags = false;
	CONFORMS(rq, 1);
	EXPECT_EQ(1, self->cf.access_stats);
	EXPECT_GE(self->cf.states, 1);
}

/* ---- the operations the kernel registered ------------------------------ */

struct ops_seen {
	unsigned int n;
	unsigned int id[32];
	uint32_t flags[32];
};

static int family_cb(struct nl_msg *msg, void *arg)
{
	struct ops_seen *seen = arg;
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *op;
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) ||
	    !tb[CTRL_ATTR_OPS])
		return NL_SKIP;
	nla_for_each_nested(op, tb[CTRL_ATTR_OPS], rem) {
		struct nlattr *ob[CTRL_ATTR_OP_MAX + 1];

		if (nla_parse_nested(ob, CTRL_ATTR_OP_MAX, op, NULL) ||
		    !ob[CTRL_ATTR_OP_ID] || seen->n >= 32)
			continue;
		seen->id[seen->n] = nla_get_u32(ob[CTRL_ATTR_OP_ID]);
		seen->flags[seen->n] = ob[CTRL_ATTR_OP_FLAGS] ?
				       nla_get_u32(ob[CTRL_ATTR_OP_FLAGS]) : 0;
		seen->n++;
	}
	return NL_OK;
}

TEST(operations_are_the_specs)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct ops_seen seen = {};
	struct nl_msg *m = nlmsg_alloc();
	size_t nops = sizeof(st_ops) / sizeof(st_ops[0]);

	ASSERT_NE(NULL, sk);
	ASSERT_EQ(0, genl_connect(sk));
	ASSERT_NE(NULL, genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL,
				    0, 0, CTRL_CMD_GETFAMILY, 1));
	ASSERT_EQ(0, nla_put_string(m, CTRL_ATTR_FAMILY_NAME,
				    PTSCOPE_GENL_NAME));
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, family_cb, &seen);
	ASSERT_LE(0, nl_send_auto(sk, m));
	ASSERT_EQ(0, nl_recvmsgs_default(sk));
	nlmsg_free(m);
	nl_socket_free(sk);

	ASSERT_EQ(nops, seen.n);
	for (size_t i = 0; i < nops; i++) {
		const struct st_op *op = &st_ops[i];
		size_t k;

		for (k = 0; k < seen.n && seen.id[k] != op->cmd; k++)
			;
		ASSERT_LT(k, seen.n) TH_LOG("%s not registered", op->name);
		EXPECT_EQ(op->has_do, !!(seen.flags[k] & GENL_CMD_CAP_DO))
			TH_LOG("%s: do", op->name);
		EXPECT_EQ(op->has_dump, !!(seen.flags[k] & GENL_CMD_CAP_DUMP))
			TH_LOG("%s: dump", op->name);
		EXPECT_EQ(!!(op->do_req | op->dump_req),
			  !!(seen.flags[k] & GENL_CMD_CAP_HASPOL))
			TH_LOG("%s: request policy", op->name);
	}
}

TEST_HARNESS_MAIN
