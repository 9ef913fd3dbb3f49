/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_test's request generator and its oracle: gen() builds one request
 * from the context's PRNG and says what the module must answer to it.
 */
#ifndef FUZZ_GEN_H
#define FUZZ_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "fuzz_nl.h"

enum cls {
	CL_VALID, CL_VERSION, CL_NLFLAGS, CL_BADCMD, CL_MISMATCH, CL_SHORT,
	CL_MISSING, CL_DUP, CL_BADLEN, CL_LYING, CL_TRUNC, CL_UNKNOWN,
	CL_REPLYONLY, CL_NESTED, CL_FLAGS, CL_RANGE, CL_PID, CL_RANDOM,
	CL_NR
};

/* xorshift64*: the whole run replays from one seed */
uint64_t rnd64(uint64_t *s);
/* 0 .. n - 1 */
uint32_t rnd(uint64_t *s, uint32_t n);
/* The seed every context's PRNG starts from (FUZZ_SEED) */
uint64_t base_seed(void);

#define EXP_ANY_ERR	(-1)	/* some error, errno not determined */
#define EXP_DONT_CARE	(-2)

struct fz_pid {
	uint32_t pid;
	int exp;		/* errno a well-formed request gets (0: works) */
};

struct fz_ctx {
	const char *who;
	uint64_t rng;
	bool unpriv;
	uint64_t va_end;
	struct fz_pid ok[8], bad[16];
	int nok, nbad;
	uint64_t addrs[8];	/* addresses inside the ok targets */
	int naddrs;
	unsigned long failures;
	/* the request has nonzero genl reserved bytes or extra nlmsg flags:
	 * newer kernels' genetlink core refuses those (EINVAL + message) */
	bool alt_einval;
};

void ctx_add(struct fz_ctx *c, uint32_t pid, int exp);
bool is_dump(int cmd);
/*
 * Builds one request into @r.  Returns its class; *exp: expected errno
 * (>= 0), EXP_ANY_ERR or EXP_DONT_CARE; *core: the generic netlink core
 * rejects it before the family (no message required).
 */
int gen(struct fz_ctx *c, uint16_t fam, uint32_t seq, struct fnl_req *r,
	int *exp, bool *core);

#endif
