// SPDX-License-Identifier: GPL-2.0
/*
 * libptscope's transport: the "ptscope" generic netlink family over
 * libnl-genl-3.
 *
 * Every request (api.c, track.c) runs through ptscope_request_run()
 * (ptscope_priv.h): send, then receive until the request is finished (ACK for a do, NLMSG_DONE for a dump, NLMSG_ERROR for
 * either).  Errors carry the kernel's real errno (never a libnl NLE_* code
 * when the kernel said something) and the extended ACK text.  A dump is
 * always read to its end, even after an error or an aborting callback, so
 * the socket stays usable and the kernel's dump state is released.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>

#include "client.h"
#include "ptscope_client.h"
#include "ptscope_priv.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Receive buffer: the kernel sizes dump messages after it (up to 32K). */
#define PTSCOPE_RCVBUF	32768
/* Socket receive queue: room for the dump messages the kernel queues. */
#define PTSCOPE_SOCKBUF	(1 << 20)

/* ------------------------------------------------------------------ */
/* Errors */

int ptscope_nlerr_to_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_SUCCESS:		return 0;
	case NLE_INTR:			return -EINTR;
	case NLE_BAD_SOCK:		return -EBADF;
	case NLE_AGAIN:			return -EAGAIN;
	case NLE_NOMEM:			return -ENOMEM;
	case NLE_EXIST:			return -EEXIST;
	case NLE_INVAL:			return -EINVAL;
	case NLE_RANGE:			return -ERANGE;
	case NLE_MSGSIZE:		return -EMSGSIZE;
	case NLE_OPNOTSUPP:		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:		return -ENOENT;
	case NLE_NOATTR:		return -ENODATA;
	case NLE_MISSING_ATTR:		return -EINVAL;
	case NLE_AF_MISMATCH:		return -EAFNOSUPPORT;
	case NLE_SEQ_MISMATCH:		return -EPROTO;
	case NLE_MSG_OVERFLOW:		return -ENOBUFS;
	case NLE_MSG_TRUNC:		return -EMSGSIZE;
	case NLE_NOADDR:		return -EADDRNOTAVAIL;
	case NLE_SRCRT_NOSUPPORT:	return -EOPNOTSUPP;
	case NLE_MSG_TOOSHORT:		return -EBADMSG;
	case NLE_MSGTYPE_NOSUPPORT:	return -EOPNOTSUPP;
	case NLE_OBJ_MISMATCH:		return -EINVAL;
	case NLE_NOCACHE:		return -ENOENT;
	case NLE_BUSY:			return -EBUSY;
	case NLE_PROTO_MISMATCH:	return -EPROTONOSUPPORT;
	case NLE_NOACCESS:		return -EACCES;
	case NLE_PERM:			return -EPERM;
	case NLE_PKTLOC_FILE:		return -ENOENT;
	case NLE_PARSE_ERR:		return -EBADMSG;
	case NLE_NODEV:			return -ENODEV;
	case NLE_IMMUTABLE:		return -EPERM;
	case NLE_DUMP_INTR:		return -EINTR;
	case NLE_ATTRSIZE:		return -ERANGE;
	default:			return -EIO;
	}
}

static void set_msg(struct ptscope_client *c, const char *fmt, const char *arg)
{
	snprintf(c->errmsg, sizeof(c->errmsg), fmt, arg);
}

/* Names of the request attributes a kernel may report as missing. */
static const char *request_attr_name(uint32_t type)
{
	switch (type) {
	case PTSCOPE_A_PID:	return "PID";
	case PTSCOPE_A_START:	return "START";
	case PTSCOPE_A_END:	return "END";
	case PTSCOPE_A_ADDR:	return "ADDR";
	case PTSCOPE_A_FLAGS:	return "FLAGS";
	default:		return NULL;
	}
}

void ptscope_extack_msg(const struct nlmsghdr *nlh, char *buf, size_t len)
{
	static struct nla_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG]		= { .type = NLA_UNSPEC },
		[NLMSGERR_ATTR_OFFS]		= { .type = NLA_U32 },
		[NLMSGERR_ATTR_MISS_TYPE]	= { .type = NLA_U32 },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off;

	if (!len)
		return;
	buf[0] = '\0';
	if (nlh->nlmsg_len < NLMSG_HDRLEN || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e));
		if (nlh->nlmsg_len < off)
			return;
		/* Uncapped, the kernel echoes our whole request first. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN)
				return;
			off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));
	} else {
		return;
	}
	if (off >= nlh->nlmsg_len)
		return;

	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + off),
		      (int)(nlh->nlmsg_len - off), policy) < 0)
		return;

	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		const char *s = nla_data(tb[NLMSGERR_ATTR_MSG]);
		size_t n = strnlen(s, (size_t)nla_len(tb[NLMSGERR_ATTR_MSG]));

		/* The kernel adds a newline to some messages; drop it. */
		while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
			n--;
		if (n >= len)
			n = len - 1;
		memcpy(buf, s, n);
		buf[n] = '\0';
	} else if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		uint32_t type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		const char *name = request_attr_name(type);

		if (name)
			snprintf(buf, len, "missing attribute %s", name);
		else
			snprintf(buf, len, "missing attribute %u", type);
	}
}

/* The top-level attributes of every reply; nests are parsed by their users. */
static struct nla_policy top_policy[PTSCOPE_A_MAX + 1] = {
	[PTSCOPE_A_PID]		= { .type = NLA_U32 },
	[PTSCOPE_A_START]	= { .type = NLA_U64 },
	[PTSCOPE_A_END]		= { .type = NLA_U64 },
	[PTSCOPE_A_ADDR]	= { .type = NLA_U64 },
	[PTSCOPE_A_FLAGS]	= { .type = NLA_U32 },
	[PTSCOPE_A_INFO]	= { .type = NLA_NESTED },
	[PTSCOPE_A_VMA]		= { .type = NLA_NESTED },
	[PTSCOPE_A_RUN]		= { .type = NLA_NESTED },
	[PTSCOPE_A_XLATE]	= { .type = NLA_NESTED },
	[PTSCOPE_A_DEPTH]	= { .type = NLA_U32 },
	[PTSCOPE_A_TABLE]	= { .type = NLA_NESTED },
	[PTSCOPE_A_LEVEL_STATS]	= { .type = NLA_NESTED },
	[PTSCOPE_A_BLOCK]	= { .type = NLA_NESTED },
	[PTSCOPE_A_STATS]	= { .type = NLA_NESTED },
	[PTSCOPE_A_COUNT]	= { .type = NLA_U32 },
};

/* ------------------------------------------------------------------ */
/* Transport: one request, its replies, its ACK / NLMSG_DONE / error */

static void request_fail(struct ptscope_request *r, int err, const char *msg)
{
	if (r->err)
		return;
	r->err = err;
	if (msg)
		set_msg(r->c, "%s", msg);
}

/* Every message read, ours or not: tells a quiet socket from an EOF. */
static int on_msg_in(struct nl_msg *msg, void *arg)
{
	struct ptscope_request *r = arg;

	(void)msg;
	r->seen++;
	return NL_OK;
}

static int on_seq_check(struct nl_msg *msg, void *arg)
{
	struct ptscope_request *r = arg;

	/* Anything else on the socket (a stale dump, a notification) is not ours. */
	return nlmsg_hdr(msg)->nlmsg_seq == r->seq ? NL_OK : NL_SKIP;
}

/* A reply that breaks the protocol; returns -EPROTO for the reply fn. */
int ptscope_protocol_error(struct ptscope_request *r)
{
	request_fail(r, -EPROTO, "malformed reply from the kernel");
	return -EPROTO;
}

/*
 * NLM_F_DUMP_INTR: the kernel saw the target change while it was dumping
 * (genl_dump_check_consistent()).  Without this callback libnl would read
 * on and turn it into -NLE_DUMP_INTR at the end, a failure that would
 * throw away a complete (if blurred) answer; the caller decides instead.
 */
static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct ptscope_request *r = arg;

	(void)msg;
	r->interrupted = true;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct ptscope_request *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	struct genlmsghdr *gh;
	int err;

	if (r->err || nlh->nlmsg_type != r->c->family)
		return NL_OK;
	if (!genlmsg_valid_hdr(nlh, 0)) {
		request_fail(r, -EPROTO, "truncated reply from the kernel");
		return NL_OK;
	}
	gh = nlmsg_data(nlh);
	if (gh->cmd != r->cmd)
		return NL_OK;
	if (genlmsg_parse(nlh, 0, tb, PTSCOPE_A_MAX, top_policy) < 0) {
		ptscope_protocol_error(r);
		return NL_OK;
	}
	r->replies++;
	/* Parse failures are recorded by the reply fn; the rest are the caller's. */
	err = r->reply ? r->reply(r, nlh, tb) : 0;
	if (err < 0)
		request_fail(r, err, NULL);
	return NL_OK;
}

static void kernel_error(struct ptscope_request *r, const struct nlmsghdr *nlh,
			 int error)
{
	r->done = true;
	if (r->err)
		return;
	r->err = error < 0 ? error : -error;
	ptscope_extack_msg(nlh, r->c->errmsg, sizeof(r->c->errmsg));
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct ptscope_request *r = arg;
	/* libnl hands us the payload; the header sits right before it. */
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);

	(void)nla;
	kernel_error(r, nlh, e->error);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct ptscope_request *r = arg;

	(void)msg;
	r->done = true;
	return NL_STOP;
}

/* NLMSG_DONE: the payload is the dump's errno, then extack TLVs. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct ptscope_request *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int error = 0;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		memcpy(&error, nlmsg_data(nlh), sizeof(error));
	if (error)
		kernel_error(r, nlh, error);
	r->done = true;
	return NL_STOP;
}

int ptscope_request_run(struct ptscope_request *r, struct nl_msg *msg)
{
	struct ptscope_client *c = r->c;
	struct nl_cb *sock_cb, *cb;
	int err;

	c->errmsg[0] = '\0';
	sock_cb = nl_socket_get_cb(c->sk);
	cb = sock_cb ? nl_cb_clone(sock_cb) : NULL;
	nl_cb_put(sock_cb);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_MSG_IN, NL_CB_CUSTOM, on_msg_in, r);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, r);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, r);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, r);

	err = nl_send_auto(c->sk, msg);
	if (err < 0) {
		err = ptscope_nlerr_to_errno(err);
		goto out;
	}
	r->seq = nlmsg_hdr(msg)->nlmsg_seq;

	while (!r->done) {
		unsigned long seen = r->seen;

		err = nl_recvmsgs(c->sk, cb);
		if (r->done)
			break;
		if (err < 0) {
			request_fail(r, ptscope_nlerr_to_errno(err), NULL);
			break;
		}
		if (r->seen == seen) {
			/* nl_recv() returns 0 at end of file; do not spin. */
			request_fail(r, -EIO, "netlink socket closed");
			break;
		}
	}
	err = r->err;
	if (r->interrupted)
		c->dumps_interrupted++;
out:
	nl_cb_put(cb);
	return err;
}

struct nl_msg *ptscope_request_new(struct ptscope_client *c, uint8_t cmd,
				    int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0, flags,
			 cmd, PTSCOPE_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* A do request: the reply, then an ACK (NLM_F_ACK) that ends it. */
int ptscope_request_do(struct ptscope_request *r, struct nl_msg *msg)
{
	int err = ptscope_request_run(r, msg);

	if (!err && r->replies != 1) {
		set_msg(r->c, "%s", r->replies ? "more than one reply" :
			"the kernel acknowledged without a reply");
		err = -EPROTO;
	}
	return err;
}

/* ------------------------------------------------------------------ */
/* Public API */

int ptscope_open_sock(struct ptscope_client **out, struct nl_sock *sk,
		      int family)
{
	struct ptscope_client *c = calloc(1, sizeof(*c));
	*out = NULL;
	if (!c) {
		nl_socket_free(sk);
		return -ENOMEM;
	}
	c->sk = sk;
	c->family = family;
	*out = c;
	return 0;
}

/*
 * The family's id from a dump of the registered families: unlike the
 * CTRL_CMD_GETFAMILY request genl_ctrl_resolve() sends, a dump never makes
 * the kernel load the module behind a missing family.
 */
static int resolve_loaded(struct nl_sock *sk, const char *name)
{
	struct nl_cache *cache;
	struct genl_family *fam;
	int err, id;

	err = genl_ctrl_alloc_cache(sk, &cache);
	if (err < 0)
		return err;
	fam = genl_ctrl_search_by_name(cache, name);
	id = fam ? (int)genl_family_get_id(fam) : -NLE_OBJ_NOTFOUND;
	if (fam)
		genl_family_put(fam);
	nl_cache_free(cache);
	return id;
}

static int open_client(struct ptscope_client **out, bool autoload)
{
	struct nl_sock *sk;
	int one = 1;
	int err, family;

	*out = NULL;
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	err = genl_connect(sk);
	if (err < 0) {
		nl_socket_free(sk);
		return ptscope_nlerr_to_errno(err);
	}
	/*
	 * Without EXT_ACK the kernel's reasons are lost; CAP_ACK keeps error
	 * replies from echoing our request.  Kernels older than 4.12 lack
	 * them, which only costs the messages, hence no error check.
	 */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/* Peeking lets libnl grow its buffer instead of truncating a message. */
	nl_socket_enable_msg_peek(sk);
	nl_socket_set_msg_buf_size(sk, PTSCOPE_RCVBUF);
	/*
	 * A deep receive queue keeps the kernel refilling it while we parse;
	 * capped by net.core.rmem_max, which is fine: it is only speed.
	 */
	nl_socket_set_buffer_size(sk, PTSCOPE_SOCKBUF, 0);

	if (autoload)
		family = genl_ctrl_resolve(sk, PTSCOPE_GENL_NAME);
	else
		family = resolve_loaded(sk, PTSCOPE_GENL_NAME);
	if (family < 0) {
		nl_socket_free(sk);
		return ptscope_nlerr_to_errno(family);
	}
	/* ptscope_request_run() asks for ACKs itself: dumps must not carry NLM_F_ACK. */
	nl_socket_disable_auto_ack(sk);
	return ptscope_open_sock(out, sk, family);
}

int ptscope_open(struct ptscope_client **out)
{
	return open_client(out, true);
}

int ptscope_open_loaded(struct ptscope_client **out)
{
	return open_client(out, false);
}

void ptscope_close(struct ptscope_client *c)
{
	if (!c)
		return;
	nl_socket_free(c->sk);
	free(c);
}

unsigned long ptscope_dumps_interrupted(const struct ptscope_client *c)
{
	return c ? c->dumps_interrupted : 0;
}

const char *ptscope_errmsg(const struct ptscope_client *c)
{
	return c ? c->errmsg : "";
}
