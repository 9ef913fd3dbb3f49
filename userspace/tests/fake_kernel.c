// SPDX-License-Identifier: GPL-2.0
/*
 * A fake kernel behind libnl's send and receive hooks
 * (nl_cb_overwrite_send/recv): each request is captured and answered with
 * hand-built netlink buffers, laid out as the kernel lays them out (several
 * messages per read, NLMSG_DONE carrying the dump's errno and extack,
 * capped and uncapped NLMSG_ERROR).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "ptscope_client.h"
#include "ptscope_priv.h"
#include "fake_kernel.h"

struct fake_kernel fk;

/* ---- the fake kernel's plumbing ---- */

static int fake_send(struct nl_sock *sk, struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	size_t len = h->nlmsg_len < sizeof(fk.req) ? h->nlmsg_len : sizeof(fk.req);

	(void)sk;
	memcpy(fk.req, h, len);
	fk.seq = h->nlmsg_seq;
	fk.sends++;
	if (fk.respond_track && len >= NLMSG_HDRLEN + GENL_HDRLEN) {
		uint8_t cmd = ((struct genlmsghdr *)nlmsg_data(h))->cmd;

		if (cmd == PTSCOPE_CMD_TRACK_START || cmd == PTSCOPE_CMD_TRACK_STOP ||
		    cmd == PTSCOPE_CMD_GET_STATS) {
			fk.respond_track();
			return (int)h->nlmsg_len;
		}
	}
	if (fk.respond_access && len >= NLMSG_HDRLEN + GENL_HDRLEN) {
		uint8_t cmd = ((struct genlmsghdr *)nlmsg_data(h))->cmd;

		if (cmd == PTSCOPE_CMD_SAMPLE_ACCESS || cmd == PTSCOPE_CMD_GET_VMAS) {
			fk.respond_access();
			return (int)h->nlmsg_len;
		}
	}
	if (fk.respond)
		fk.respond();
	return (int)h->nlmsg_len;
}

static int fake_recv(struct nl_sock *sk, struct sockaddr_nl *nla,
		     unsigned char **buf, struct ucred **creds)
{
	struct chunk *c;

	(void)sk;
	(void)creds;
	if (fk.head == fk.tail)
		return 0;	/* what nl_recv() says at end of file */
	c = &fk.q[fk.head++];
	memset(nla, 0, sizeof(*nla));
	nla->nl_family = AF_NETLINK;
	*buf = c->data;		/* libnl frees it */
	c->data = NULL;
	return (int)c->len;
}

void drop_queue(void)
{
	while (fk.head < fk.tail)
		free(fk.q[fk.head++].data);
	fk.head = fk.tail = 0;
}

struct chunk *chunk_new(void)
{
	struct chunk *c = &fk.q[fk.tail++];

	c->data = NULL;
	c->len = 0;
	return c;
}

/* Append a message to a read, as the kernel packs them; frees @msg. */
void chunk_add(struct chunk *c, struct nl_msg *msg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	size_t len = NLMSG_ALIGN(h->nlmsg_len);

	c->data = realloc(c->data, c->len + len);
	memset(c->data + c->len, 0, len);
	memcpy(c->data + c->len, h, h->nlmsg_len);
	c->len += len;
	nlmsg_free(msg);
}

struct nl_msg *reply(uint8_t cmd, bool multi)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, fk.seq, FAMILY, 0, multi ? NLM_F_MULTI : 0, cmd,
		    PTSCOPE_GENL_VERSION);
	return msg;
}

struct nl_msg *err_msg(int error, const char *text, bool capped,
			      int miss_type)
{
	struct nlmsghdr *req = (struct nlmsghdr *)fk.req;
	int flags = (capped ? NLM_F_CAPPED : 0) |
		    (text || miss_type ? NLM_F_ACK_TLVS : 0);
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, flags);
	struct nlmsgerr e = { .error = error, .msg = *req };

	nlmsg_hdr(msg)->nlmsg_seq = fk.seq;
	nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	if (!capped)
		nlmsg_append(msg, fk.req + NLMSG_HDRLEN,
			     req->nlmsg_len - NLMSG_HDRLEN, NLMSG_ALIGNTO);
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	if (miss_type)
		nla_put_u32(msg, NLMSGERR_ATTR_MISS_TYPE, (uint32_t)miss_type);
	return msg;
}

struct nl_msg *ack_msg(void)
{
	return err_msg(0, NULL, true, 0);
}

struct nl_msg *done_msg(int error, const char *text)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI |
						(text ? NLM_F_ACK_TLVS : 0));

	nlmsg_hdr(msg)->nlmsg_seq = fk.seq;
	nlmsg_append(msg, &error, sizeof(error), NLMSG_ALIGNTO);
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	return msg;
}

void push(struct nl_msg *msg)
{
	chunk_add(chunk_new(), msg);
}

struct ptscope_client *fake_client(void)
{
	struct ptscope_client *c = NULL;
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_cb *cb = nl_socket_get_cb(sk);

	nl_cb_overwrite_send(cb, fake_send);
	nl_cb_overwrite_recv(cb, fake_recv);
	nl_cb_put(cb);
	nl_socket_disable_auto_ack(sk);
	if (ptscope_open_sock(&c, sk, FAMILY))
		return NULL;
	return c;
}

/* The captured request, parsed as the kernel would. */
int req_parse(struct nlattr **tb, uint8_t *cmd, uint16_t *flags)
{
	struct nlmsghdr *h = (struct nlmsghdr *)fk.req;
	struct genlmsghdr *gh = nlmsg_data(h);

	*cmd = gh->cmd;
	*flags = h->nlmsg_flags;
	return genlmsg_parse(h, 0, tb, PTSCOPE_A_MAX, NULL);
}

/* ---- reply builders ---- */

void put_info(struct nl_msg *msg)
{
	struct nlattr *nest = nla_nest_start(msg, PTSCOPE_A_INFO);

	nla_put_string(msg, PTSCOPE_INFO_A_MODULE_VERSION, "0.1.0");
	nla_put_u32(msg, PTSCOPE_INFO_A_PROTO_VERSION, 1);
	nla_put_string(msg, PTSCOPE_INFO_A_KERNEL_RELEASE, "6.12.0-test");
	nla_put_u32(msg, ATTR_UNKNOWN, 7);
	nla_put_u32(msg, PTSCOPE_INFO_A_PAGE_SIZE, 4096);
	nla_put_u32(msg, PTSCOPE_INFO_A_PGTABLE_LEVELS, 5);
	nla_put_u64(msg, PTSCOPE_INFO_A_USER_VA_END, 0x00fffffffffff000ULL);
	nla_put_u64(msg, PTSCOPE_INFO_A_FEATURES, 0x1f);
	nla_put_u8(msg, PTSCOPE_INFO_A_PRIVILEGED, 1);
	nla_put_u8(msg, PTSCOPE_INFO_A_ALLOW_SAME_USER, 0);
	nla_put_u32(msg, PTSCOPE_INFO_A_LIVE_DUMPS, 3);
	/* A kernel without the shootdown hooks or fgraph, nothing tracked. */
	nla_put_u64(msg, PTSCOPE_INFO_A_PROBES,
		    (0xff | PTSCOPE_PROBE_FAULT_RETURN) &
		    ~(PTSCOPE_PROBE_FLUSH_TLB_MULTI | PTSCOPE_PROBE_FLUSH_TLB_FUNC));
	nla_put_u64(msg, PTSCOPE_INFO_A_PROBES_ACTIVE, 0);
	nla_nest_end(msg, nest);
}

struct nl_msg *vma_msg(uint64_t start, uint64_t end, const char *name,
			      uint32_t kind, bool counts)
{
	static const uint64_t some[VMA_NR_COUNTS] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };

	return vma_msg_counts(start, end, name, kind, counts ? some : NULL);
}

struct nl_msg *vma_msg_counts(uint64_t start, uint64_t end, const char *name,
			      uint32_t kind, const uint64_t *counts)
{
	static const int attrs[VMA_NR_COUNTS] = {
#define PTSCOPE_VMA_COUNTER(attr, ...) PTSCOPE_VMA_A_NR_##attr,
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
	};
	struct nl_msg *msg = reply(PTSCOPE_CMD_GET_VMAS, true);
	struct nlattr *nest;
	int i;

	nla_put_u32(msg, PTSCOPE_A_PID, 42);
	nest = nla_nest_start(msg, PTSCOPE_A_VMA);
	nla_put_u64(msg, PTSCOPE_VMA_A_START, start);
	nla_put_u64(msg, PTSCOPE_VMA_A_END, end);
	nla_put_u64(msg, PTSCOPE_VMA_A_PGOFF, 0x2000);
	nla_put_u64(msg, PTSCOPE_VMA_A_FLAGS, PTSCOPE_VMA_F_READ | PTSCOPE_VMA_F_WRITE);
	nla_put_u32(msg, PTSCOPE_VMA_A_KIND, kind);
	nla_put_string(msg, PTSCOPE_VMA_A_NAME, name);
	nla_put_u64(msg, PTSCOPE_VMA_A_INODE, 1234);
	nla_put_u32(msg, PTSCOPE_VMA_A_DEV, (8 << 8) | 1);
	nla_put_u64(msg, ATTR_UNKNOWN, 99);
	for (i = 0; counts && i < VMA_NR_COUNTS; i++)
		nla_put_u64(msg, attrs[i], counts[i]);
	nla_nest_end(msg, nest);
	return msg;
}

void put_run(struct nl_msg *msg, uint64_t start, uint64_t n,
		    uint32_t flags, int64_t pfn)
{
	struct nlattr *nest = nla_nest_start(msg, PTSCOPE_A_RUN);

	nla_put_u64(msg, PTSCOPE_RUN_A_START, start);
	nla_put_u64(msg, PTSCOPE_RUN_A_NR_PAGES, n);
	nla_put_u32(msg, PTSCOPE_RUN_A_FLAGS, flags);
	if (pfn >= 0)
		nla_put_u64(msg, PTSCOPE_RUN_A_PFN, (uint64_t)pfn);
	if (flags & PTSCOPE_PF_SWAP) {
		nla_put_u32(msg, PTSCOPE_RUN_A_SWAP_TYPE, 1);
		nla_put_u64(msg, PTSCOPE_RUN_A_SWAP_OFFSET, 0x500);
	}
	nla_nest_end(msg, nest);
}

struct nl_msg *pages_msg(void)
{
	struct nl_msg *msg = reply(PTSCOPE_CMD_GET_PAGES, true);

	nla_put_u32(msg, PTSCOPE_A_PID, 42);
	return msg;
}

void put_level(struct nl_msg *msg, uint32_t level, uint32_t index,
		      int64_t entry, uint32_t flags, bool folded, bool leaf)
{
	struct nlattr *nest = nla_nest_start(msg, PTSCOPE_XLATE_A_LEVEL);

	nla_put_u32(msg, PTSCOPE_LEVEL_A_LEVEL, level);
	nla_put_u32(msg, PTSCOPE_LEVEL_A_INDEX, index);
	nla_put_u32(msg, PTSCOPE_LEVEL_A_FLAGS, flags);
	if (entry >= 0)
		nla_put_u64(msg, PTSCOPE_LEVEL_A_ENTRY, (uint64_t)entry);
	if (folded)
		nla_put_flag(msg, PTSCOPE_LEVEL_A_FOLDED);
	if (leaf)
		nla_put_flag(msg, PTSCOPE_LEVEL_A_LEAF);
	nla_put_u32(msg, ATTR_UNKNOWN, 1);
	nla_nest_end(msg, nest);
}

