/* SPDX-License-Identifier: GPL-2.0 */
/* The fake kernel of the unit tests: see fake_kernel.c. */
#ifndef PTSCOPE_FAKE_KERNEL_H
#define PTSCOPE_FAKE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "ptscope_client.h"

#define FAMILY		0x1d
#define MAX_CHUNKS	64
#define ATTR_UNKNOWN	200	/* from a newer kernel: must be ignored */

struct chunk {
	unsigned char *data;
	size_t len;
};

struct fake_kernel {
	struct chunk q[MAX_CHUNKS];	/* what the next reads return */
	int head, tail;
	unsigned char req[4096];	/* the last request */
	uint32_t seq;
	int sends;
	void (*respond)(void);		/* called with each request */
	/* if set, called instead of respond for track-start, track-stop
	 * and get-stats (tests/fake_track.c) */
	void (*respond_track)(void);
	/* if set, called instead of respond for sample-access and get-vmas
	 * (tests/fake_access.c) */
	void (*respond_access)(void);
};

extern struct fake_kernel fk;

struct ptscope_client *fake_client(void);
void drop_queue(void);
struct chunk *chunk_new(void);
/* Append a message to a read, as the kernel packs them; frees @msg. */
void chunk_add(struct chunk *c, struct nl_msg *msg);
/* A read holding just @msg. */
void push(struct nl_msg *msg);
int req_parse(struct nlattr **tb, uint8_t *cmd, uint16_t *flags);

struct nl_msg *reply(uint8_t cmd, bool multi);
struct nl_msg *err_msg(int error, const char *text, bool capped, int miss_type);
struct nl_msg *ack_msg(void);
struct nl_msg *done_msg(int error, const char *text);
void put_info(struct nl_msg *msg);
/* @counts: present 10, accessed 9, ... protnone 1; or none. */
struct nl_msg *vma_msg(uint64_t start, uint64_t end, const char *name,
		       uint32_t kind, bool counts);
/*
 * @counts (NULL: none, as with PTSCOPE_VMAS_F_NO_COUNTS): in the order of
 * module/vma_counters.def.
 */
enum {
#define PTSCOPE_VMA_COUNTER(attr, ...) FAKE_COUNT_##attr,
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
	VMA_NR_COUNTS
};
struct nl_msg *vma_msg_counts(uint64_t start, uint64_t end, const char *name,
			      uint32_t kind, const uint64_t *counts);
/* @pfn < 0: none.  SWAP runs get swap type 1, offset 0x500. */
void put_run(struct nl_msg *msg, uint64_t start, uint64_t n, uint32_t flags,
	     int64_t pfn);
struct nl_msg *pages_msg(void);
void put_level(struct nl_msg *msg, uint32_t level, uint32_t index,
	       int64_t entry, uint32_t flags, bool folded, bool leaf);

#endif /* PTSCOPE_FAKE_KERNEL_H */
