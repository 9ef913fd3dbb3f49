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

#include "ptscope_client.h"

struct nl_sock;
struct nlattr;
struct nlmsghdr;

#define PTSCOPE_ERRMSG_MAX	512

/* Names of single bits; NULL for a bit this build does not know. */
const char *ptscope_page_flag_bit_name(unsigned int bit);
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
 * The client's transport, for the library's other files (track_client.c).
 * ptscope_client_errbuf() is the buffer ptscope_errmsg() returns,
 * PTSCOPE_ERRMSG_MAX bytes.
 */
struct nl_sock *ptscope_client_sock(struct ptscope_client *c);
int ptscope_client_family(const struct ptscope_client *c);
char *ptscope_client_errbuf(struct ptscope_client *c);

/* PTSCOPE_A_STATS of a get-stats reply; free with ptscope_stats_free(). */
int ptscope_parse_stats(struct nlattr *nest, struct ptscope_stats *out);
/* "flush_tlb_multi", ...: PTSCOPE_PROBE_* bit names (JSON); NULL if unknown. */
const char *ptscope_probe_bit_name(unsigned int bit);

#endif /* PTSCOPE_PRIV_H */
