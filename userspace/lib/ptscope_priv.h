/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libptscope internals shared with the CLI and the unit tests.  Not part of
 * the public API in ptscope_client.h: no compatibility promise.
 */
#ifndef PTSCOPE_PRIV_H
#define PTSCOPE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptscope_client.h"

struct nl_sock;
struct nlattr;
struct nlmsghdr;

#define PTSCOPE_ERRMSG_MAX	512

/* Names of single bits; NULL for a bit this build does not know. */
const char *ptscope_page_flag_bit_name(unsigned int bit);
uint32_t ptscope_known_page_flags(void);
const char *ptscope_vma_flag_bit_name(unsigned int bit);
const char *ptscope_feature_bit_name(unsigned int bit);

/* Reply parsers: 0 or -EPROTO for a reply that breaks the protocol. */
int ptscope_parse_info(struct nlattr *nest, struct ptscope_info *out);
int ptscope_parse_vma(struct nlattr *nest, struct ptscope_vma *out);
int ptscope_parse_run(struct nlattr *nest, struct ptscope_run *out);
int ptscope_parse_xlate(struct nlattr *nest, struct ptscope_xlate *out);

/*
 * Extended ACK text of an NLMSG_ERROR or NLMSG_DONE message, "" if none.
 * @nlh must be valid for nlh->nlmsg_len bytes.
 */
void ptscope_extack_msg(const struct nlmsghdr *nlh, char *buf, size_t len);

/* libnl's NLE_* codes (positive or negative) to a negative errno. */
int ptscope_nlerr_to_errno(int nlerr);

/*
 * Build a client around an already set-up socket and a resolved family id.
 * The unit tests use it with a socket whose send/receive are overridden
 * (nl_cb_overwrite_send/recv) to play the kernel.  Takes ownership of @sk,
 * also on failure.
 */
int ptscope_open_sock(struct ptscope_client **out, struct nl_sock *sk,
		      int family);

/*
 * The request machinery of every command (transport.c), shared with
 * the library's other files (api.c, track.c):
 *
 *	struct ptscope_request r = { .c = c, .cmd = CMD, .reply = fn, .arg = x };
 *	msg = ptscope_request_new(c, CMD, NLM_F_ACK);	(a do; NLM_F_DUMP: a dump)
 *	nla_put_*(msg, ...);
 *	err = ptscope_request_do(&r, msg);		(or ptscope_request_run())
 *	nlmsg_free(msg);
 *
 * @reply sees every reply message of r->cmd, its top-level attributes
 * parsed into @tb; it returns 0 or a negative errno, which ends the request
 * with that error (the rest is read and dropped, so the socket stays
 * usable).  Replies that break the protocol end it with -EPROTO through
 * ptscope_protocol_error().  Kernel errors come back as their errno with
 * the extended ACK text in ptscope_errmsg().
 */
struct ptscope_request;
typedef int (*ptscope_reply_fn)(struct ptscope_request *r, struct nlmsghdr *nlh,
				struct nlattr **tb);

struct ptscope_request {
	struct ptscope_client *c;
	uint8_t cmd;
	ptscope_reply_fn reply;	/* NULL: replies are only counted */
	void *arg;
	/* Set by ptscope_request_run() */
	uint32_t seq;
	bool done;
	unsigned long seen;	/* messages received for this request */
	unsigned long replies;	/* of them, replies to our command */
	int err;		/* first error; later messages are drained */
	bool interrupted;	/* a reply had NLM_F_DUMP_INTR */
};

/* A request message for @cmd; NULL if out of memory.  nlmsg_free() it. */
struct nl_msg *ptscope_request_new(struct ptscope_client *c, uint8_t cmd,
				    int flags);
/* Send @msg, read until the request is finished: the ACK of a do (its
 * replies optional), NLMSG_DONE of a dump, or an error. */
int ptscope_request_run(struct ptscope_request *r, struct nl_msg *msg);
/* A do that must bring exactly one reply before its ACK (else -EPROTO). */
int ptscope_request_do(struct ptscope_request *r, struct nl_msg *msg);
/*
 * A dump of a range: @pid, and @start, @end and @flags where non-zero, put
 * into @msg, then ptscope_request_run().
 */
int ptscope_dump_request(struct ptscope_request *r, struct nl_msg *msg,
			 pid_t pid, uint64_t start, uint64_t end, uint32_t flags);
/* For reply fns: "malformed reply from the kernel"; returns -EPROTO. */
int ptscope_protocol_error(struct ptscope_request *r);

/* PTSCOPE_A_STATS of a get-stats reply; free with ptscope_stats_free(). */
int ptscope_parse_stats(struct nlattr *nest, struct ptscope_stats *out);
/* "flush_tlb_multi", ...: PTSCOPE_PROBE_* bit names (JSON); NULL if unknown. */
const char *ptscope_probe_bit_name(unsigned int bit);

#endif /* PTSCOPE_PRIV_H */
