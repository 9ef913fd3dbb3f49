/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for the fuzzer and the load/unload test: hand-built
 * requests over a NETLINK_GENERIC socket (no library between the test and
 * the bytes on the wire), and a reply reader that checks every message it
 * sees: the terminal NLMSG_ERROR / NLMSG_DONE with its errno and extended
 * ACK TLVs, and every attribute of every ptscope reply (kernel pointers,
 * physical information sent to an unprivileged caller, malformed TLVs).
 *
 * fuzz_nl.o is linked into every test that talks raw netlink (the Makefile
 * lists them), so a fix to the reply checks reaches all of them.
 */
#ifndef PTSCOPE_TESTS_FUZZ_NL_H
#define PTSCOPE_TESTS_FUZZ_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/ptscope.h>

#ifndef NLMSGERR_ATTR_MISS_TYPE
#define NLMSGERR_ATTR_MISS_TYPE	5
#endif
#ifndef NLMSGERR_ATTR_POLICY
#define NLMSGERR_ATTR_POLICY	4
#endif

/* Start of the kernel half with 5-level paging (and so also with 4). */
#define FNL_KERNEL_HALF		0xff00000000000000ULL
#define FNL_RXBUF		(64 * 1024)

struct fnl {
	int fd;
	uint16_t fam;
	uint32_t seq;
};

/* What one request got back. */
struct fnl_result {
	bool terminal;		/* NLMSG_ERROR or NLMSG_DONE seen */
	bool timeout;		/* nothing within SO_RCVTIMEO */
	int error;		/* errno of the terminal message (<= 0) */
	bool is_done;		/* terminal was NLMSG_DONE */
	bool intr;		/* a message had NLM_F_DUMP_INTR */
	bool has_msg, has_miss, has_policy, has_offs;
	char msg[160];
	unsigned int nmsgs;	/* ptscope messages (replies, dump parts) */
	unsigned int leaks;	/* u64 values in the kernel half */
	unsigned int priv_attrs;/* PFN / raw / phys / swap attributes */
	unsigned int malformed;	/* TLVs that do not add up */
	char leak_what[96];
	/* get-info, when the reply carried it */
	bool got_info;
	uint32_t live_dumps;
	uint64_t user_va_end;
	uint8_t privileged, allow_same_user;
};

struct fnl_req {
	size_t len;
	union {
		struct nlmsghdr n;
		unsigned char buf[4096];
	};
};

/* SO_RCVTIMEO of @fd in milliseconds; 0 or -1 with errno. */
int fnl_set_timeout(int fd, int ms);
/* 0, -ENOENT (family not registered) or another negative errno. */
int fnl_open(struct fnl *s, int timeout_ms);
void fnl_close(struct fnl *s);

void fnl_req_init(struct fnl_req *r, uint16_t type, uint16_t flags,
		  uint32_t seq, uint8_t cmd, uint8_t version);
/* Appends an attribute with an honest nla_len; returns its offset. */
size_t fnl_put(struct fnl_req *r, uint16_t type, const void *data, size_t len);
size_t fnl_put_u32(struct fnl_req *r, uint16_t type, uint32_t v);
size_t fnl_put_u64(struct fnl_req *r, uint16_t type, uint64_t v);
/* Sets nlmsg_len and sends; 0 or a negative errno. */
int fnl_send(struct fnl *s, struct fnl_req *r);

/*
 * Reads until the terminal message of request @seq (NLMSG_ERROR, or
 * NLMSG_DONE of a dump).  Messages of other sequence numbers (left over
 * from an earlier request) are skipped.  @max_msgs > 0: stop after that
 * many ptscope messages without reaching the end (abandoning a dump).
 * @unpriv: count physical-information attributes as leaks.  Returns 0 or
 * a negative errno of recv() (-EAGAIN: timeout).
 */
int fnl_recv(struct fnl *s, uint32_t seq, bool unpriv, unsigned int max_msgs,
	     struct fnl_result *res);
/*
 * A get-pages dump request of [start, end) with @flags (none if 0), the
 * family resolved on a socket of its own, for fnl_dump().  0 or a
 * negative errno (-ENOENT: module not loaded).
 */
int fnl_pages_req(struct fnl_req *r, pid_t pid, uint64_t start, uint64_t end,
		  uint32_t flags);
/*
 * Sends @r (its family and sequence number set by the caller) on a fresh
 * socket that never reads more than @bufsize at once (the module sizes
 * dump messages after the largest read a socket has seen) and reads the
 * dump to its end.  @each sees every top-level attribute of every reply
 * and may stop the dump by returning a negative errno.  *bytes: every
 * message's nlmsg_len, NLMSG_DONE included; *msgs: the replies.  Returns
 * the dump's errno (0 on success), @each's error, or -EIO.
 */
int fnl_dump(struct fnl_req *r, size_t bufsize,
	     int (*each)(const struct nlattr *a, void *arg), void *arg,
	     size_t *bytes, unsigned int *msgs);

/* get-info over raw netlink; 0 or a negative errno. */
int fnl_get_info(struct fnl *s, struct fnl_result *res);

#endif /* PTSCOPE_TESTS_FUZZ_NL_H */
