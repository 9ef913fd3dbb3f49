// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "fuzz_nl.h"

static uint16_t fnl_resolve(int fd, uint32_t seq)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char attrs[64];
	} req;
	static char buf[8192];
	struct nlattr *a;
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.n.nlmsg_seq = seq;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	a = (struct nlattr *)req.attrs;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(PTSCOPE_GENL_NAME);
	memcpy((char *)a + NLA_HDRLEN, PTSCOPE_GENL_NAME, sizeof(PTSCOPE_GENL_NAME));
	req.n.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0)
		return 0;
	for (;;) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return 0;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			int rem;

			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR)
				return 0;	/* error, or the ACK after the reply */
			if (h->nlmsg_type != GENL_ID_CTRL)
				continue;
			a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
			rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			       a->nla_len <= rem) {
				if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID) {
					uint16_t id;

					memcpy(&id, (char *)a + NLA_HDRLEN, 2);
					/* drain the ACK that follows */
					for (h = NLMSG_NEXT(h, n); NLMSG_OK(h, n);
					     h = NLMSG_NEXT(h, n))
						;
					return id;
				}
				rem -= NLA_ALIGN(a->nla_len);
				a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
			}
		}
	}
}

int fnl_set_timeout(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

int fnl_open(struct fnl *s, int timeout_ms)
{
	int one = 1, rcvbuf = 1 << 20;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	s->seq = 1;
	s->fam = 0;
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    fnl_set_timeout(s->fd, timeout_ms)) {
		int e = -errno;

		close(s->fd);
		s->fd = -1;
		return e;
	}
	setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	s->fam = fnl_resolve(s->fd, s->seq++);
	if (!s->fam) {
		close(s->fd);
		s->fd = -1;
		return -ENOENT;
	}
	return 0;
}

void fnl_close(struct fnl *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* ---- building requests ---------------------------------------------------- */

void fnl_req_init(struct fnl_req *r, uint16_t type, uint16_t flags,
		  uint32_t seq, uint8_t cmd, uint8_t version)
{
	struct genlmsghdr *g;

	memset(r->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	r->n.nlmsg_type = type;
	r->n.nlmsg_flags = flags;
	r->n.nlmsg_seq = seq;
	r->n.nlmsg_pid = 0;
	g = (struct genlmsghdr *)(r->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = version;
	r->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

size_t fnl_put(struct fnl_req *r, uint16_t type, const void *data, size_t len)
{
	size_t off = r->len;
	struct nlattr *a;

	if (off + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(r->buf))
		return 0;
	a = (struct nlattr *)(r->buf + off);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(r->buf + off + NLA_HDRLEN, data, len);
	memset(r->buf + off + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	r->len = off + NLA_HDRLEN + NLA_ALIGN(len);
	return off;
}

size_t fnl_put_u32(struct fnl_req *r, uint16_t type, uint32_t v)
{
	return fnl_put(r, type, &v, 4);
}

size_t fnl_put_u64(struct fnl_req *r, uint16_t type, uint64_t v)
{
	return fnl_put(r, type, &v, 8);
}

int fnl_send(struct fnl *s, struct fnl_req *r)
{
	r->n.nlmsg_len = r->len;
	return send(s->fd, r->buf, r->len, 0) < 0 ? -errno : 0;
}

/* ---- checking replies ----------------------------------------------------- */

/* Is attribute @type inside @ctx (0 top, else "outer/inner" types) one of
 * the physical-information attributes only CAP_SYS_ADMIN may receive? */
static bool fnl_priv_attr(int top, int mid, int type)
{
	if (top == PTSCOPE_A_RUN && mid < 0)
		return type == PTSCOPE_RUN_A_PFN || type == PTSCOPE_RUN_A_SWAP_TYPE ||
		       type == PTSCOPE_RUN_A_SWAP_OFFSET;
	if (top == PTSCOPE_A_XLATE && mid < 0)
		return type == PTSCOPE_XLATE_A_PHYS_ADDR ||
		       type == PTSCOPE_XLATE_A_SWAP_TYPE ||
		       type == PTSCOPE_XLATE_A_SWAP_OFFSET;
	if (top == PTSCOPE_A_XLATE && mid == PTSCOPE_XLATE_A_LEVEL)
		return type == PTSCOPE_LEVEL_A_ENTRY;
	return false;
}

static void fnl_scan_attrs(const unsigned char *p, int rem, int depth,
			   int top, int mid, bool unpriv, struct fnl_result *res)
{
	while (rem >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		int type = a->nla_type & NLA_TYPE_MASK;
		int plen = a->nla_len - NLA_HDRLEN;
		const unsigned char *pl = p + NLA_HDRLEN;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > rem) {
			res->malformed++;
			return;
		}
		if (a->nla_type & NLA_F_NESTED) {
			if (depth >= 3) {
				res->malformed++;
			} else {
				fnl_scan_attrs(pl, plen, depth + 1,
					       depth == 0 ? type : top,
					       depth == 1 ? type : mid, unpriv, res);
			}
		} else {
			int t0 = depth == 0 ? -1 : top;
			int t1 = depth == 2 ? mid : -1;

			/* Raw entries are page-table entries, not pointers
			 * (swap/migration entries are stored inverted);
			 * access states are bytes of two-bit page states, all
			 * ones for 4 x 8 pages present and accessed. */
			bool raw = t0 == PTSCOPE_A_XLATE && t1 == PTSCOPE_XLATE_A_LEVEL &&
				   type == PTSCOPE_LEVEL_A_ENTRY;
			bool states = t0 == PTSCOPE_A_ACCESS && depth == 1 &&
				      type == PTSCOPE_ACCESS_A_STATES;
			if (plen == 8 && !raw && !states) {
				uint64_t v;

				memcpy(&v, pl, 8);
				if (v >= FNL_KERNEL_HALF) {
					res->leaks++;
					snprintf(res->leak_what, sizeof(res->leak_what),
						 "attr %d/%d/%d = 0x%llx", t0, t1, type,
						 (unsigned long long)v);
				}
			}
			if (unpriv && depth > 0 && fnl_priv_attr(t0, t1, type)) {
				res->priv_attrs++;
				snprintf(res->leak_what, sizeof(res->leak_what),
					 "privileged attr %d/%d/%d sent to an unprivileged caller",
					 t0, t1, type);
			}
			if (depth == 1 && top == PTSCOPE_A_INFO) {
				res->got_info = true;
				if (type == PTSCOPE_INFO_A_LIVE_DUMPS && plen == 4)
					memcpy(&res->live_dumps, pl, 4);
				if (type == PTSCOPE_INFO_A_USER_VA_END && plen == 8)
					memcpy(&res->user_va_end, pl, 8);
				if (type == PTSCOPE_INFO_A_PRIVILEGED && plen >= 1)
					res->privileged = pl[0];
				if (type == PTSCOPE_INFO_A_ALLOW_SAME_USER && plen >= 1)
					res->allow_same_user = pl[0];
			}
		}
		rem -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	if (rem > 0 && rem < NLA_HDRLEN && depth == 0)
		res->malformed++;
}

/* The TLVs of an NLMSG_ERROR / NLMSG_DONE carrying NLM_F_ACK_TLVS. */
static void fnl_scan_ack_tlvs(const struct nlmsghdr *h, struct fnl_result *res)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off;
	const unsigned char *p;
	long rem;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (h->nlmsg_type == NLMSG_DONE) {
		off = sizeof(int);
	} else {
		off = sizeof(*e);
		if (!(h->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(e->msg);
	}
	p = (const unsigned char *)e + NLMSG_ALIGN(off);
	rem = (long)h->nlmsg_len - NLMSG_HDRLEN - (long)NLMSG_ALIGN(off);
	while (rem >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		int type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > rem) {
			res->malformed++;
			return;
		}
		if (type == NLMSGERR_ATTR_MSG && a->nla_len > NLA_HDRLEN + 1) {
			res->has_msg = true;
			snprintf(res->msg, sizeof(res->msg), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN), p + NLA_HDRLEN);
		}
		if (type == NLMSGERR_ATTR_MISS_TYPE)
			res->has_miss = true;
		if (type == NLMSGERR_ATTR_POLICY)
			res->has_policy = true;
		if (type == NLMSGERR_ATTR_OFFS)
			res->has_offs = true;
		rem -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
}

int fnl_recv(struct fnl *s, uint32_t seq, bool unpriv, unsigned int max_msgs,
	     struct fnl_result *res)
{
	static __thread unsigned char *buf;

	memset(res, 0, sizeof(*res));
	if (!buf) {
		buf = aligned_alloc(8, FNL_RXBUF);
		if (!buf)
			return -ENOMEM;
	}
	for (;;) {
		ssize_t n = recv(s->fd, buf, FNL_RXBUF, 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				res->timeout = true;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				res->intr = true;
			if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
				if (h->nlmsg_len < NLMSG_HDRLEN + sizeof(int)) {
					res->malformed++;
					res->terminal = true;
					return 0;
				}
				memcpy(&res->error, NLMSG_DATA(h), sizeof(int));
				res->is_done = h->nlmsg_type == NLMSG_DONE;
				res->terminal = true;
				fnl_scan_ack_tlvs(h, res);
				/* an ACK (error 0) may follow a do reply: done */
				return 0;
			}
			if (h->nlmsg_type == s->fam) {
				res->nmsgs++;
				if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
					res->malformed++;
					continue;
				}
				fnl_scan_attrs((unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN,
					       h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
					       0, -1, -1, unpriv, res);
				/* a do reply: its ACK (NLM_F_ACK) follows */
				if (max_msgs && res->nmsgs >= max_msgs)
					return 0;
			}
		}
	}
}

int fnl_get_info(struct fnl *s, struct fnl_result *res)
{
	struct fnl_req r;
	uint32_t seq = s->seq++;
	int e;

	fnl_req_init(&r, s->fam, NLM_F_REQUEST | NLM_F_ACK, seq,
		     PTSCOPE_CMD_GET_INFO, PTSCOPE_GENL_VERSION);
	e = fnl_send(s, &r);
	if (e)
		return e;
	e = fnl_recv(s, seq, false, 0, res);
	if (e)
		return e;
	if (res->error)
		return res->error;
	return res->got_info ? 0 : -EPROTO;
}


int fnl_pages_req(struct fnl_req *r, pid_t pid, uint64_t start, uint64_t end,
		  uint32_t flags)
{
	struct fnl s;
	int err = fnl_open(&s, 10000);

	if (err)
		return err;
	fnl_req_init(r, s.fam, NLM_F_REQUEST | NLM_F_DUMP, 1, PTSCOPE_CMD_GET_PAGES,
		     PTSCOPE_GENL_VERSION);
	fnl_close(&s);
	fnl_put_u32(r, PTSCOPE_A_PID, (uint32_t)pid);
	fnl_put_u64(r, PTSCOPE_A_START, start);
	fnl_put_u64(r, PTSCOPE_A_END, end);
	if (flags)
		fnl_put_u32(r, PTSCOPE_A_FLAGS, flags);
	return 0;
}

int fnl_dump(struct fnl_req *r, size_t bufsize,
	     int (*each)(const struct nlattr *a, void *arg), void *arg,
	     size_t *bytes, unsigned int *msgs)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	unsigned char *buf = aligned_alloc(8, bufsize);
	int ret = -EIO;

	*bytes = 0;
	*msgs = 0;
	r->n.nlmsg_len = r->len;
	if (fd < 0 || !buf || send(fd, r->buf, r->len, 0) < 0)
		goto out;
	for (;;) {
		ssize_t n = recv(fd, buf, bufsize, 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n <= 0)
			goto out;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			const struct nlattr *a;
			int rem;

			*bytes += h->nlmsg_len;
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				memcpy(&ret, NLMSG_DATA(h), sizeof(ret));
				goto out;
			}
			++*msgs;
			a = (const struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
			rem = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			       a->nla_len <= rem) {
				int err = each(a, arg);

				if (err) {
					ret = err;
					goto out;
				}
				rem -= NLA_ALIGN(a->nla_len);
				a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
			}
		}
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}
