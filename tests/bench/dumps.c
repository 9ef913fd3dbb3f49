// SPDX-License-Identifier: GPL-2.0
/*
 * ptbench's raw dumps through libptscope's transport (struct dump in
 * bench.h says why raw).
 */
#include <errno.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "bench.h"
#include "fuzz_nl.h"
#include "ptscope_priv.h"

static void parse_run(struct dump *d, struct nlattr *nest)
{
	struct nlattr *a;
	uint64_t n = 0;
	uint32_t flags = 0;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == PTSCOPE_RUN_A_NR_PAGES)
			n = nla_get_u64(a);
		else if (nla_type(a) == PTSCOPE_RUN_A_FLAGS)
			flags = nla_get_u32(a);
	}
	d->runs++;
	d->pages += n;
	if (flags & PTSCOPE_PF_PRESENT)
		d->present += n;
}

static void parse_block(struct dump *d, struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == PTSCOPE_BLOCK_A_FLAGS16) {
			const uint16_t *f = nla_data(a);
			int n = nla_len(a) / 2;

			for (int i = 0; i < n; i++)
				if (f[i] & PTSCOPE_PF_PRESENT)
					d->present++;
			d->pages += n;
		}
	}
	d->blocks++;
}

static void parse_vma(struct dump *d, struct nlattr *nest)
{
	struct nlattr *a;
	uint64_t start = 0, end = 0;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case PTSCOPE_VMA_A_START:
			start = nla_get_u64(a);
			break;
		case PTSCOPE_VMA_A_END:
			end = nla_get_u64(a);
			break;
		case PTSCOPE_VMA_A_NR_PRESENT:
			d->vma_present += nla_get_u64(a);
			break;
		case PTSCOPE_VMA_A_NR_HUGE_PMD:
			d->vma_thp += nla_get_u64(a);
			break;
		}
	}
	d->vmas++;
	d->vma_pages += (end - start) / PAGE;
}

/* Every attribute of the message: a dump message repeats PTSCOPE_A_RUN etc. */
static int on_reply(struct ptscope_request *r, struct nlmsghdr *nlh, struct nlattr **tb)
{
	struct dump *d = r->arg;
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *a;
	int rem;

	(void)tb;
	d->bytes += nlh->nlmsg_len;
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		switch (nla_type(a)) {
		case PTSCOPE_A_RUN:
			parse_run(d, a);
			break;
		case PTSCOPE_A_BLOCK:
			parse_block(d, a);
			break;
		case PTSCOPE_A_VMA:
			parse_vma(d, a);
			break;
		}
	}
	return 0;
}

/* One dump to its end; 0 or a negative errno. */
static int dump(struct ptscope_client *c, uint8_t cmd, pid_t pid, uint32_t flags,
		struct dump *d)
{
	struct ptscope_request r = { .c = c, .cmd = cmd, .reply = on_reply, .arg = d };
	struct nl_msg *msg = ptscope_request_new(c, cmd, NLM_F_DUMP);
	int err;

	memset(d, 0, sizeof(*d));
	if (!msg || nla_put_u32(msg, PTSCOPE_A_PID, (uint32_t)pid) ||
	    (flags && nla_put_u32(msg, PTSCOPE_A_FLAGS, flags)))
		die("nlmsg_alloc");
	err = ptscope_request_run(&r, msg);
	nlmsg_free(msg);
	/*
	 * The reply fn sees ptscope's messages; the rest of what was read
	 * for this request is its NLMSG_DONE: the errno, no TLVs on success.
	 */
	d->msgs = r.seen;
	d->bytes += (uint64_t)(r.seen - r.replies) * (NLMSG_HDRLEN + sizeof(int));
	return err;
}

int get_pages(struct ptscope_client *c, pid_t pid, uint32_t flags, struct dump *d)
{
	return dump(c, PTSCOPE_CMD_GET_PAGES, pid, flags, d);
}

/* @flags: PTSCOPE_VMAS_F_NO_COUNTS or 0 (counts: a page-table walk) */
int get_vmas(struct ptscope_client *c, pid_t pid, uint32_t flags, struct dump *d)
{
	return dump(c, PTSCOPE_CMD_GET_VMAS, pid, flags, d);
}

/* A get-pages dump started on raw socket @s and never read (fuzz_nl.c). */
void start_held_dump(struct fnl *s, pid_t pid, uint32_t flags)
{
	struct fnl_req r;

	fnl_req_init(&r, s->fam, NLM_F_REQUEST | NLM_F_DUMP, s->seq++,
		     PTSCOPE_CMD_GET_PAGES, PTSCOPE_GENL_VERSION);
	fnl_put_u32(&r, PTSCOPE_A_PID, (uint32_t)pid);
	if (flags)
		fnl_put_u32(&r, PTSCOPE_A_FLAGS, flags);
	if (fnl_send(s, &r))
		die("send");
}
