/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_test's loop: sends generated requests, judges each reply and keeps
 * the statistics every test adds to.
 */
#ifndef FUZZ_RUN_H
#define FUZZ_RUN_H

#include "fuzz_gen.h"

#define REPLY_TIMEOUT_MS 10000

/* ---- shared statistics (MAP_SHARED: the harness forks every test) ------- */

struct stats {
	unsigned long sent[CL_NR];
	unsigned long by_errno[257];	/* [e] = -e; [256] = other */
	unsigned long ok, errors;
	unsigned long ptscope_msg, core_msg, miss_only, core_nomsg, bad_nomsg;
	unsigned long no_reply, leaks, priv_attrs, malformed, unexpected;
	unsigned long positive_errno, msgs;
	unsigned long abandoned, ebusy;
	unsigned long logged;
	unsigned long requested;
};

extern struct stats *st;
#define INC(f)		__atomic_fetch_add(&st->f, 1, __ATOMIC_RELAXED)
#define ADD(f, n)	__atomic_fetch_add(&st->f, (n), __ATOMIC_RELAXED)

/* Checks one reply against what the request should get. */
void judge(struct fz_ctx *c, const struct fnl_req *r, int cls, int exp,
	   bool core, const struct fnl_result *res);
unsigned long fuzz(struct fz_ctx *c, unsigned long n);
void print_summary(void);

#endif
