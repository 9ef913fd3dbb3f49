// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol fuzzer: FUZZ_REQUESTS (default 100,000) hand-built generic
 * netlink requests, valid and malformed, from a seeded PRNG: a fixed seed by
 * default, so make check is deterministic; FUZZ_SEED=N replays a seed and
 * FUZZ_SEED=random explores a new one (printed either way).
 *
 * Classes of requests (see gen()): valid ones; wrong genl version; extra
 * nlmsg flag bits; unknown commands (0, 6..255); do/dump flag mismatch;
 * messages shorter than the genl header; missing PID / ADDR; duplicated
 * attributes; wrongly sized or typed attributes; nla_len lying (beyond the
 * message, below the header); messages cut inside an attribute; unknown
 * attribute types; reply-only attributes; nested garbage; unknown flag
 * bits; huge, inverted, unaligned, kernel-half, beyond-57-bit ranges and
 * addresses; PIDs of kthreadd, a zombie, a reaped child, 0, -1, huge;
 * random attribute bytes.
 *
 * For every request: a terminal NLMSG_ERROR / NLMSG_DONE must arrive
 * within SO_RCVTIMEO; an error must be a negative errno with an extended
 * ACK message (or a missing-attribute TLV) -- only requests the generic
 * netlink core rejects before the family sees them (unknown command,
 * do/dump mismatch, short header) may come without; where the outcome is
 * determined by the module's documented checks (flags, PID, range, missing
 * attributes, policy), it must be exactly that errno; no u64 attribute of
 * any reply may hold a kernel-half value; an unprivileged caller must get
 * no PFN, physical address, raw entry or swap location.
 *
 * Tests: one client; four concurrent clients against a target rewriting
 * its address space; an unprivileged client (allow_same_user=1, then 0);
 * a client in a child PID namespace (PIDs of the parent namespace must be
 * ESRCH); dumps abandoned mid-way; and live_dumps back to 0 at the end.
 */
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"
#include "fuzz_nl.h"

#define ALLOW_SAME_USER	"/sys/module/ptscope/parameters/allow_same_user"
#define NOBODY		65534
#define REPLY_TIMEOUT_MS 10000
#define MANY_VMAS	4000UL
#define MAX_LOGGED	25

/* ---- shared statistics (MAP_SHARED: the harness forks every test) ------- */

enum cls {
	CL_VALID, CL_VERSION, CL_NLFLAGS, CL_BADCMD, CL_MISMATCH, CL_SHORT,
	CL_MISSING, CL_DUP, CL_BADLEN, CL_LYING, CL_TRUNC, CL_UNKNOWN,
	CL_REPLYONLY, CL_NESTED, CL_FLAGS, CL_RANGE, CL_PID, CL_RANDOM,
	CL_NR
};

static const char *const cls_name[CL_NR] = {
	"valid", "genl-version", "nlmsg-flags", "unknown-cmd", "do/dump-mismatch",
	"short-header", "missing-attr", "duplicate-attr", "bad-length/type",
	"nla_len-lies", "truncated", "unknown-attr", "reply-only-attr",
	"nested-garbage", "unknown-flag-bits", "bad-range/addr", "bad-pid",
	"random-bytes",
};

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

static struct stats *st;

__attribute__((constructor)) static void stats_init(void)
{
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		abort();
}

#define INC(f)		__atomic_fetch_add(&st->f, 1, __ATOMIC_RELAXED)
#define ADD(f, n)	__atomic_fetch_add(&st->f, (n), __ATOMIC_RELAXED)

/* ---- PRNG ----------------------------------------------------------------- */

static uint64_t rnd64(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static uint32_t rnd(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(rnd64(s) >> 32) % n : 0;
}

static uint64_t seed;

/* Chosen once, before the harness forks the tests. */
__attribute__((constructor)) static void seed_init(void)
{
	const char *e = getenv("FUZZ_SEED");
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (e && !strcmp(e, "random"))
		seed = ((uint64_t)ts.tv_sec * 1000000007ULL) ^ (uint64_t)ts.tv_nsec;
	else
		seed = e ? strtoull(e, NULL, 0) : 0x7074736370650001ULL;
	if (!seed)
		seed = 1;
}

static uint64_t base_seed(void)
{
	return seed;
}

static unsigned long total_requests(void)
{
	const char *e = getenv("FUZZ_REQUESTS");
	unsigned long n = e ? strtoul(e, NULL, 0) : 100000;

	return n ? n : 1;
}

/* ---- the fuzzing context --------------------------------------------------- */

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

static void ctx_add(struct fz_ctx *c, uint32_t pid, int exp)
{
	if (exp == 0 && c->nok < 8)
		c->ok[c->nok++] = (struct fz_pid){ pid, 0 };
	else if (exp && c->nbad < 16)
		c->bad[c->nbad++] = (struct fz_pid){ pid, exp };
}

/* What a request asks, for computing the module's answer. */
struct spec {
	int cmd;
	bool pid, flags, start, end, addr, depth;
	int pid_exp;
	uint32_t pid_v, flags_v, depth_v;
	uint64_t start_v, end_v, addr_v;
};

static bool is_dump(int cmd)
{
	return cmd == PTSCOPE_CMD_GET_VMAS || cmd == PTSCOPE_CMD_GET_PAGES ||
	       cmd == PTSCOPE_CMD_GET_TABLES;
}

/* The module's checks in order (netlink.c policy, dump.c, target.c, cmd_*.c). */
static int expect_of(const struct fz_ctx *c, const struct spec *sp)
{
	uint32_t allowed;
	uint64_t s, e;

	/* policy: PID >= 1, DEPTH <= PTE, for every command */
	if ((sp->pid && sp->pid_v == 0) ||
	    (sp->depth && sp->depth_v > PTSCOPE_LEVEL_PTE))
		return EXP_ANY_ERR;
	switch (sp->cmd) {
	case PTSCOPE_CMD_GET_INFO:
		if (sp->flags && (sp->flags_v & ~PTSCOPE_INFO_F_ALL))
			return EOPNOTSUPP;
		if (sp->flags && (sp->flags_v & PTSCOPE_INFO_F_RESET_LOCK_STATS) &&
		    c->unpriv)
			return EPERM;
		return 0;
	case PTSCOPE_CMD_GET_STATS:
		/* No fuzz target is tracked: a good PID is "not tracked". */
		if (sp->flags && sp->flags_v)
			return EOPNOTSUPP;
		if (!sp->pid)
			return EINVAL;
		return sp->pid_exp ? sp->pid_exp : ENOENT;
	case PTSCOPE_CMD_TRANSLATE:
		if (!sp->addr)
			return EINVAL;
		if (sp->flags && sp->flags_v)
			return EOPNOTSUPP;
		if (!sp->pid)
			return EINVAL;
		if (sp->pid_exp)
			return sp->pid_exp;
		return sp->addr_v >= c->va_end ? ERANGE : 0;
	}
	allowed = sp->cmd == PTSCOPE_CMD_GET_VMAS ? PTSCOPE_VMAS_F_ALL :
		  sp->cmd == PTSCOPE_CMD_GET_PAGES ? PTSCOPE_PAGES_F_ALL : 0;
	if (sp->flags && (sp->flags_v & ~allowed))
		return EOPNOTSUPP;
	if (!sp->pid)
		return EINVAL;
	if (sp->pid_exp)
		return sp->pid_exp;
	s = sp->start ? sp->start_v : 0;
	e = sp->end ? sp->end_v : c->va_end;
	if ((s | e) & (PAGE_SZ - 1))
		return EINVAL;
	if (s >= e)
		return EINVAL;
	if (e > c->va_end)
		return ERANGE;
	if (sp->cmd == PTSCOPE_CMD_GET_PAGES && sp->flags &&
	    (sp->flags_v & PTSCOPE_PAGES_F_PFN_RUNS) && c->unpriv)
		return EPERM;
	return 0;
}

static uint64_t interesting_u64(struct fz_ctx *c)
{
	static const uint64_t v[] = {
		0, 1, 0xfff, 0x1000, 0x400000, 0x7ffffffff000ULL, 0x800000000000ULL,
		0xfffffffffff000ULL, 0x100000000000000ULL, 1ULL << 57,
		0xffff800000000000ULL, 0xffff888000000000ULL, 0xffffffff81000000ULL,
		0xff11000000000000ULL, ~0ULL, ~0ULL - 0xfff, 0x8000000000000000ULL,
	};
	uint32_t k = rnd(&c->rng, 8);

	if (k == 0)
		return rnd64(&c->rng);
	if (k == 1)
		return c->va_end + (uint64_t)rnd(&c->rng, 3) * PAGE_SZ - PAGE_SZ;
	if (k == 2 && c->naddrs)
		return c->addrs[rnd(&c->rng, c->naddrs)] + rnd(&c->rng, 2) * rnd(&c->rng, 4096);
	return v[rnd(&c->rng, sizeof(v) / sizeof(v[0]))];
}

/* A well-formed range inside the user space, mostly small. */
static void valid_range(struct fz_ctx *c, struct spec *sp)
{
	uint32_t k = rnd(&c->rng, 4);
	uint64_t s;

	if (k == 0)
		return;				/* whole address space */
	if (c->naddrs && k < 3)
		s = c->addrs[rnd(&c->rng, c->naddrs)] & ~(PAGE_SZ - 1);
	else
		s = (rnd64(&c->rng) % (c->va_end >> 12)) << 12;
	if (rnd(&c->rng, 4))
		s -= (uint64_t)rnd(&c->rng, 64) * PAGE_SZ;
	if (s >= c->va_end)
		s = 0;
	sp->start = true;
	sp->start_v = s;
	sp->end = true;
	sp->end_v = s + (1 + (uint64_t)rnd(&c->rng, 2048)) * PAGE_SZ;
	if (sp->end_v > c->va_end || rnd(&c->rng, 8) == 0)
		sp->end_v = c->va_end;
	if (rnd(&c->rng, 4) == 0)
		sp->start = false;		/* from 0 */
}

static void put_spec(struct fnl_req *r, const struct spec *sp)
{
	if (sp->pid)
		fnl_put_u32(r, PTSCOPE_A_PID, sp->pid_v);
	if (sp->start)
		fnl_put_u64(r, PTSCOPE_A_START, sp->start_v);
	if (sp->end)
		fnl_put_u64(r, PTSCOPE_A_END, sp->end_v);
	if (sp->addr)
		fnl_put_u64(r, PTSCOPE_A_ADDR, sp->addr_v);
	if (sp->flags)
		fnl_put_u32(r, PTSCOPE_A_FLAGS, sp->flags_v);
	if (sp->depth)
		fnl_put_u32(r, PTSCOPE_A_DEPTH, sp->depth_v);
}

static void put_random_bytes(struct fz_ctx *c, struct fnl_req *r, size_t n)
{
	while (n-- && r->len < sizeof(r->buf))
		r->buf[r->len++] = (unsigned char)rnd64(&c->rng);
}

/* Random nested TLVs, up to @depth levels, at most @room bytes. */
static void put_nested_garbage(struct fz_ctx *c, struct fnl_req *r, int depth,
			       size_t room)
{
	size_t end = r->len + room;

	while (r->len + NLA_HDRLEN <= end && rnd(&c->rng, 4)) {
		size_t off = r->len;
		struct nlattr *a = (struct nlattr *)(r->buf + off);

		r->len += NLA_HDRLEN;
		a->nla_type = rnd(&c->rng, 20);
		if (depth > 0 && rnd(&c->rng, 2)) {
			a->nla_type |= NLA_F_NESTED;
			put_nested_garbage(c, r, depth - 1, (end - r->len) / 2);
		} else {
			put_random_bytes(c, r, rnd(&c->rng, 13));
		}
		a->nla_len = r->len - off;
		while (r->len & 3)
			r->buf[r->len++] = 0;
		if (rnd(&c->rng, 8) == 0)	/* a lie, now and then */
			a->nla_len = rnd(&c->rng, 0x10000);
	}
}

/* track-start/stop change state and are covered by track_test. */
static const int valid_cmds[] = {
	PTSCOPE_CMD_GET_INFO, PTSCOPE_CMD_GET_VMAS, PTSCOPE_CMD_GET_PAGES,
	PTSCOPE_CMD_TRANSLATE, PTSCOPE_CMD_GET_TABLES, PTSCOPE_CMD_GET_STATS,
};

/*
 * Builds one request into @r.  Returns its class; *exp: expected errno
 * (>= 0), EXP_ANY_ERR or EXP_DONT_CARE; *core: the generic netlink core
 * rejects it before the family (no message required).
 */
static int gen(struct fz_ctx *c, uint16_t fam, uint32_t seq, struct fnl_req *r,
	       int *exp, bool *core)
{
	static const uint8_t cls_weights[CL_NR] = {
		[CL_VALID] = 20, [CL_VERSION] = 3, [CL_NLFLAGS] = 3,
		[CL_BADCMD] = 4, [CL_MISMATCH] = 3, [CL_SHORT] = 2,
		[CL_MISSING] = 4, [CL_DUP] = 4, [CL_BADLEN] = 6, [CL_LYING] = 5,
		[CL_TRUNC] = 4, [CL_UNKNOWN] = 5, [CL_REPLYONLY] = 4,
		[CL_NESTED] = 4, [CL_FLAGS] = 5, [CL_RANGE] = 9, [CL_PID] = 8,
		[CL_RANDOM] = 5,
	};
	unsigned int total = 0, pick;
	struct spec sp = {};
	uint16_t nlf;
	uint8_t ver = PTSCOPE_GENL_VERSION;
	int cls, i, cmd;

	for (i = 0; i < CL_NR; i++)
		total += cls_weights[i];
	pick = rnd(&c->rng, total);
	for (cls = 0; pick >= cls_weights[cls]; cls++)
		pick -= cls_weights[cls];

	cmd = valid_cmds[rnd(&c->rng, sizeof(valid_cmds) / sizeof(valid_cmds[0]))];
	sp.cmd = cmd;
	nlf = NLM_F_REQUEST | NLM_F_ACK;
	if (is_dump(cmd)) {
		nlf = NLM_F_REQUEST | NLM_F_DUMP;
		if (rnd(&c->rng, 2))
			nlf |= NLM_F_ACK;
	}
	/* the base: a well-formed request on a good target */
	if (cmd != PTSCOPE_CMD_GET_INFO) {
		const struct fz_pid *p = &c->ok[rnd(&c->rng, c->nok)];

		sp.pid = true;
		sp.pid_v = p->pid;
		sp.pid_exp = p->exp;
	}
	if (cmd == PTSCOPE_CMD_TRANSLATE) {
		sp.addr = true;
		sp.addr_v = c->naddrs && rnd(&c->rng, 2) ?
			    c->addrs[rnd(&c->rng, c->naddrs)] + rnd(&c->rng, 1 << 20) :
			    rnd64(&c->rng) % c->va_end;
	} else if (is_dump(cmd)) {
		valid_range(c, &sp);
	}
	if (cmd == PTSCOPE_CMD_GET_VMAS && rnd(&c->rng, 3) == 0) {
		sp.flags = true;
		sp.flags_v = rnd(&c->rng, 2) * PTSCOPE_VMAS_F_NO_COUNTS;
	}
	if (cmd == PTSCOPE_CMD_GET_PAGES && rnd(&c->rng, 3) == 0) {
		sp.flags = true;
		sp.flags_v = c->unpriv && rnd(&c->rng, 4) ? 0 : PTSCOPE_PAGES_F_PFN_RUNS;
	}
	if (cmd == PTSCOPE_CMD_GET_TABLES && rnd(&c->rng, 2)) {
		sp.depth = true;
		sp.depth_v = rnd(&c->rng, PTSCOPE_LEVEL_PTE + 1);
	}

	*exp = EXP_DONT_CARE;
	switch (cls) {
	case CL_MISSING:
		if (sp.addr && rnd(&c->rng, 2))
			sp.addr = false;
		else
			sp.pid = false;
		break;
	case CL_FLAGS:
		sp.flags = true;
		sp.flags_v = (uint32_t)rnd64(&c->rng) | (1U << (1 + rnd(&c->rng, 31)));
		if (rnd(&c->rng, 2))
			sp.flags_v &= ~1U;
		break;
	case CL_RANGE:
		if (cmd == PTSCOPE_CMD_TRANSLATE) {
			sp.addr_v = interesting_u64(c);
			break;
		}
		if (rnd(&c->rng, 3)) {
			sp.start = true;
			sp.start_v = interesting_u64(c);
		}
		if (!sp.start || rnd(&c->rng, 3)) {
			sp.end = true;
			sp.end_v = rnd(&c->rng, 3) ? interesting_u64(c) :
				   sp.start_v - PAGE_SZ * rnd(&c->rng, 3);
		}
		break;
	case CL_PID:
		if (cmd == PTSCOPE_CMD_GET_INFO || !c->nbad)
			break;
		{
			const struct fz_pid *p = &c->bad[rnd(&c->rng, c->nbad)];

			sp.pid_v = p->pid;
			sp.pid_exp = p->exp;
		}
		break;
	}

	if (cls == CL_BADCMD) {
		cmd = rnd(&c->rng, 2) ? 0 :
		      PTSCOPE_CMD_MAX + 1 + rnd(&c->rng, 255 - PTSCOPE_CMD_MAX);
		if (rnd(&c->rng, 2))
			nlf ^= NLM_F_DUMP & ~NLM_F_ROOT;
	}
	if (cls == CL_MISMATCH)
		nlf = (nlf & NLM_F_DUMP) ? (NLM_F_REQUEST | NLM_F_ACK) :
			(nlf | NLM_F_DUMP);
	if (cls == CL_VERSION)
		ver = (uint8_t)(PTSCOPE_GENL_VERSION + 1 + rnd(&c->rng, 255));
	if (cls == CL_NLFLAGS) {
		static const uint16_t extra[] = {
			NLM_F_ECHO, NLM_F_ATOMIC, NLM_F_APPEND, NLM_F_EXCL,
			NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED, 0x1000, 0x2000,
			0x4000, 0x8000, NLM_F_MULTI,
		};
		int k = 1 + rnd(&c->rng, 3);

		while (k--)
			nlf |= extra[rnd(&c->rng, sizeof(extra) / sizeof(extra[0]))];
	}

	fnl_req_init(r, fam, nlf, seq, (uint8_t)cmd, ver);
	c->alt_einval = cls == CL_NLFLAGS;
	if (rnd(&c->rng, 16) == 0) {	/* genl reserved field */
		((struct genlmsghdr *)(r->buf + NLMSG_HDRLEN))->reserved =
			(uint16_t)rnd64(&c->rng);
		c->alt_einval = true;
	}
	if (rnd(&c->rng, 16) == 0)
		r->n.nlmsg_pid = (uint32_t)rnd64(&c->rng);

	if (cls == CL_RANDOM) {
		put_random_bytes(c, r, rnd(&c->rng, 300));
	} else if (cls == CL_DUP) {
		size_t at;

		put_spec(r, &sp);
		at = r->len;
		/* the same attributes again, the values from another request */
		sp.pid_v = rnd(&c->rng, 2) && c->nbad ? c->bad[rnd(&c->rng, c->nbad)].pid :
			   c->ok[rnd(&c->rng, c->nok)].pid;
		sp.start_v = interesting_u64(c);
		sp.addr_v = interesting_u64(c);
		sp.pid = sp.pid || rnd(&c->rng, 2);
		put_spec(r, &sp);
		if (rnd(&c->rng, 2)) {		/* or only the first of them */
			struct nlattr *a = (struct nlattr *)(r->buf + at);

			if (r->len > at)
				r->len = at + NLA_ALIGN(a->nla_len);
		}
	} else {
		put_spec(r, &sp);
	}

	switch (cls) {
	case CL_BADLEN: {
		static const uint16_t types[] = {
			PTSCOPE_A_PID, PTSCOPE_A_START, PTSCOPE_A_END, PTSCOPE_A_ADDR,
			PTSCOPE_A_FLAGS, PTSCOPE_A_DEPTH,
		};
		uint16_t t = types[rnd(&c->rng, 6)];
		size_t want = (t == PTSCOPE_A_START || t == PTSCOPE_A_END ||
			       t == PTSCOPE_A_ADDR) ? 8 : 4;
		size_t len;
		unsigned char v[32];

		do
			len = rnd(&c->rng, 3) ? rnd(&c->rng, 17) : rnd(&c->rng, 33);
		while (len == want);
		for (i = 0; i < 32; i++)
			v[i] = rnd(&c->rng, 2) ? (unsigned char)('0' + rnd(&c->rng, 10)) :
						 (unsigned char)rnd64(&c->rng);
		if (len)
			v[len - 1] = 0;		/* looks like a string */
		fnl_put(r, t, v, len);
		*exp = EXP_ANY_ERR;
		break;
	}
	case CL_LYING: {
		struct nlattr *a;

		if (r->len == NLMSG_HDRLEN + GENL_HDRLEN)
			fnl_put_u32(r, PTSCOPE_A_FLAGS, 0);
		/* lie in one attribute: the first or the last */
		a = (struct nlattr *)(r->buf + NLMSG_HDRLEN + GENL_HDRLEN);
		if (rnd(&c->rng, 2)) {
			size_t off = NLMSG_HDRLEN + GENL_HDRLEN, last = off;

			while (off < r->len) {
				last = off;
				off += NLA_ALIGN(((struct nlattr *)(r->buf + off))->nla_len);
			}
			a = (struct nlattr *)(r->buf + last);
		}
		{
			size_t rem = r->len - ((unsigned char *)a - r->buf);

			a->nla_len = rnd(&c->rng, 3) ?
				     rem + 1 + rnd(&c->rng, 0x10000 - rem - 1) :
				     rnd(&c->rng, NLA_HDRLEN);
		}
		*exp = EXP_ANY_ERR;
		break;
	}
	case CL_TRUNC: {
		size_t off = NLMSG_HDRLEN + GENL_HDRLEN, last = off;
		struct nlattr *a;

		if (r->len == off)
			fnl_put_u64(r, PTSCOPE_A_START, rnd64(&c->rng));
		while (off < r->len) {
			last = off;
			off += NLA_ALIGN(((struct nlattr *)(r->buf + off))->nla_len);
		}
		a = (struct nlattr *)(r->buf + last);
		r->len = last + 1 + rnd(&c->rng, a->nla_len - 1);
		*exp = EXP_ANY_ERR;
		break;
	}
	case CL_UNKNOWN: {
		/*
		 * NLA_TYPE_MASK is ~(flag bits), a negative int: the largest
		 * type is its low 14 bits.  A type that wrapped into the flag
		 * bits would be a valid attribute with NET_BYTEORDER set.
		 */
		const unsigned int type_max = NLA_TYPE_MASK & 0xffff;
		uint16_t t = rnd(&c->rng, 3) ? (uint16_t)(PTSCOPE_A_MAX + 1 +
			      rnd(&c->rng, type_max - PTSCOPE_A_MAX)) :
			      (uint16_t)rnd(&c->rng, 2);	/* UNSPEC, PAD */
		if (rnd(&c->rng, 4) == 0)
			t |= NLA_F_NET_BYTEORDER;
		{
			unsigned char v[16];

			for (i = 0; i < 16; i++)
				v[i] = (unsigned char)rnd64(&c->rng);
			fnl_put(r, t, v, rnd(&c->rng, 17));
		}
		*exp = EXP_ANY_ERR;
		break;
	}
	case CL_REPLYONLY: {
		static const uint16_t types[] = {
			PTSCOPE_A_INFO, PTSCOPE_A_VMA, PTSCOPE_A_RUN,
			PTSCOPE_A_XLATE, PTSCOPE_A_TABLE, PTSCOPE_A_LEVEL_STATS,
		};
		size_t off = r->len;
		struct nlattr *a = (struct nlattr *)(r->buf + off);

		r->len += NLA_HDRLEN;
		a->nla_type = types[rnd(&c->rng, 6)] |
			      (rnd(&c->rng, 2) ? NLA_F_NESTED : 0);
		if (rnd(&c->rng, 2)) {	/* a plausible reply nest */
			fnl_put_u64(r, 2 + rnd(&c->rng, 6), rnd64(&c->rng));
			fnl_put_u32(r, 2 + rnd(&c->rng, 6), (uint32_t)rnd64(&c->rng));
		}
		a->nla_len = r->len - off;
		*exp = EXP_ANY_ERR;
		break;
	}
	case CL_NESTED: {
		size_t off = r->len;
		struct nlattr *a = (struct nlattr *)(r->buf + off);

		r->len += NLA_HDRLEN;
		/* a nest where a scalar, a reply nest or nothing is expected */
		a->nla_type = (uint16_t)(rnd(&c->rng, PTSCOPE_A_MAX + 3)) | NLA_F_NESTED;
		put_nested_garbage(c, r, 3, 512);
		a->nla_len = r->len - off;
		*exp = EXP_ANY_ERR;
		break;
	}
	case CL_SHORT:
		r->len = NLMSG_HDRLEN + rnd(&c->rng, GENL_HDRLEN);
		break;
	case CL_BADCMD:
		*exp = EXP_ANY_ERR;
		break;
	case CL_MISMATCH:
		/* get-stats is a do and a dump: no mismatch possible */
		*exp = cmd == PTSCOPE_CMD_GET_STATS ? EXP_DONT_CARE : EXP_ANY_ERR;
		break;
	case CL_VALID:
	case CL_VERSION:	/* generic netlink leaves the version to the family */
	case CL_MISSING:
	case CL_FLAGS:
	case CL_RANGE:
	case CL_PID:
		*exp = expect_of(c, &sp);
		break;
	case CL_NLFLAGS:
		/* DUMP bits may have been added to a do command */
		if (!(!is_dump(cmd) && (nlf & NLM_F_DUMP) == NLM_F_DUMP))
			*exp = expect_of(c, &sp);
		break;
	}

	*core = cmd < PTSCOPE_CMD_GET_INFO || cmd > PTSCOPE_CMD_MAX ||
		r->len < NLMSG_HDRLEN + GENL_HDRLEN ||
		(cmd != PTSCOPE_CMD_GET_STATS &&
		 is_dump(cmd) != ((nlf & NLM_F_DUMP) == NLM_F_DUMP));
	if (*core && *exp == EXP_DONT_CARE)
		*exp = EXP_ANY_ERR;
	return cls;
}

static bool ptscope_message(const char *m)
{
	static const char *const prefixes[] = {
		"no such process", "process is", "permission denied", "range ",
		"address is beyond", "unknown flag bits", "missing attribute",
		"page tables kept changing", "process exited during",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(m, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static void dump_req(const struct fnl_req *r, char *out, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < r->len && i < 96 && o + 3 < n; i++)
		o += snprintf(out + o, n - o, "%02x", r->buf[i]);
	if (i < r->len && o + 4 < n)
		snprintf(out + o, n - o, "...");
}

static void fail(struct fz_ctx *c, const struct fnl_req *r, int cls,
		 const struct fnl_result *res, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void fail(struct fz_ctx *c, const struct fnl_req *r, int cls,
		 const struct fnl_result *res, const char *fmt, ...)
{
	char hex[256] = "";
	va_list ap;

	c->failures++;
	if (INC(logged) >= MAX_LOGGED)
		return;
	dump_req(r, hex, sizeof(hex));
	printf("# FUZZ FAIL [%s] class %s: ", c->who, cls_name[cls]);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (reply errno %d, msg \"%s\", %u msgs) request %s\n",
	       res->error, res->msg, res->nmsgs, hex);
	fflush(stdout);
}

/* Checks one reply against what the request should get. */
static void judge(struct fz_ctx *c, const struct fnl_req *r, int cls, int exp,
		  bool core, const struct fnl_result *res)
{
	int e = -res->error;

	ADD(msgs, res->nmsgs);
	if (!res->terminal) {
		INC(no_reply);
		fail(c, r, cls, res, "no reply");
		return;
	}
	if (res->error > 0) {
		INC(positive_errno);
		fail(c, r, cls, res, "positive errno");
		return;
	}
	INC(by_errno[e < 256 ? e : 256]);
	if (res->leaks) {
		ADD(leaks, res->leaks);
		fail(c, r, cls, res, "kernel-half value in reply: %s", res->leak_what);
	}
	if (res->priv_attrs) {
		ADD(priv_attrs, res->priv_attrs);
		fail(c, r, cls, res, "%s", res->leak_what);
	}
	if (res->malformed) {
		ADD(malformed, res->malformed);
		fail(c, r, cls, res, "malformed reply TLVs");
	}
	if (res->got_info && c->unpriv && res->privileged)
		fail(c, r, cls, res, "get-info says privileged to an unprivileged caller");
	if (!e) {
		INC(ok);
	} else {
		INC(errors);
		if (res->has_msg && ptscope_message(res->msg)) {
			INC(ptscope_msg);
		} else if (res->has_msg) {
			INC(core_msg);
		} else if (res->has_miss) {
			INC(miss_only);
		} else if (core) {
			INC(core_nomsg);
		} else {
			INC(bad_nomsg);
			fail(c, r, cls, res, "error without an extended ACK message");
		}
	}
	if (exp >= 0 && e != exp && !(exp == 0 && e == EAGAIN) &&
	    !(c->alt_einval && e == EINVAL && res->has_msg)) {
		INC(unexpected);
		fail(c, r, cls, res, "expected errno %d, got %d", exp, e);
	} else if (exp == EXP_ANY_ERR && !e) {
		INC(unexpected);
		fail(c, r, cls, res, "expected an error, got success");
	}
}

/* Sends @n requests; returns the number of failures. */
static unsigned long fuzz(struct fz_ctx *c, unsigned long n)
{
	struct fnl s;
	struct fnl_req r;
	struct fnl_result res;
	unsigned long i;
	int err = fnl_open(&s, REPLY_TIMEOUT_MS);

	if (err) {
		printf("# [%s] cannot open the family: %d\n", c->who, err);
		return 1;
	}
	for (i = 0; i < n; i++) {
		uint32_t seq = s.seq++;
		int exp, cls;
		bool core;

		cls = gen(c, s.fam, seq, &r, &exp, &core);
		INC(sent[cls]);
		r.n.nlmsg_len = r.len;
		if (send(s.fd, r.buf, r.len, 0) < 0) {
			memset(&res, 0, sizeof(res));
			fail(c, &r, cls, &res, "send: %s", strerror(errno));
			continue;
		}
		fnl_recv(&s, seq, c->unpriv, 0, &res);
		judge(c, &r, cls, exp, core, &res);
		if (res.timeout) {	/* start over on a clean socket */
			fnl_close(&s);
			if (fnl_open(&s, REPLY_TIMEOUT_MS))
				return c->failures + 1;
		}
	}
	fnl_close(&s);
	return c->failures;
}

/* ---- processes to look at ------------------------------------------------ */

static pid_t spawn_idle(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		size_t sz = 8UL << 20;
		char *p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (p != MAP_FAILED)
			for (size_t o = 0; o < sz; o += 3 * PAGE_SZ)
				p[o] = 1;
		for (;;)
			pause();
	}
	return pid;
}


static pid_t spawn_zombie(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		wait_zombie(pid);
	return pid;
}

static pid_t reaped_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid;
}

static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static int dummy_data = 1;

static void ctx_init(struct fz_ctx *c, const char *who, uint64_t salt,
		     uint64_t va_end)
{
	int local = 0;

	memset(c, 0, sizeof(*c));
	c->who = who;
	c->rng = base_seed() ^ (salt * 0x9E3779B97F4A7C15ULL);
	if (!c->rng)
		c->rng = 1;
	c->va_end = va_end;
	/* addresses of this process; the idle/busy targets are fork()s of it */
	c->addrs[c->naddrs++] = (uintptr_t)&local;
	c->addrs[c->naddrs++] = (uintptr_t)&dummy_data;
	c->addrs[c->naddrs++] = (uintptr_t)&fuzz;
	c->addrs[c->naddrs++] = (uintptr_t)st;
	c->addrs[c->naddrs++] = (uintptr_t)malloc(1) & ~0xfffUL;
}

/* The usual bad PIDs, as a privileged caller in the initial namespace. */
static void ctx_add_bad_pids(struct fz_ctx *c, pid_t zombie, pid_t reaped)
{
	ctx_add(c, zombie, ESRCH);
	ctx_add(c, reaped, ESRCH);
	ctx_add(c, 2, EINVAL);			/* kthreadd */
	ctx_add(c, 0xffffffffU, ESRCH);		/* -1 */
	ctx_add(c, 0x7fffffffU, ESRCH);
	ctx_add(c, 0x40000000U + 12345, ESRCH);	/* beyond PID_MAX_LIMIT */
	c->bad[c->nbad++] = (struct fz_pid){ 0, EXP_ANY_ERR };	/* policy */
}

static void print_summary(void)
{
	unsigned long sent = 0;
	int i;

	for (i = 0; i < CL_NR; i++)
		sent += st->sent[i];
	printf("# fuzz summary: seed 0x%llx, %lu requests sent (FUZZ_REQUESTS=%lu)\n",
	       (unsigned long long)base_seed(), sent, st->requested);
	for (i = 0; i < CL_NR; i++)
		printf("#   class %-18s %8lu\n", cls_name[i], st->sent[i]);
	printf("# replies: %lu ok, %lu errors; %lu ptscope messages received\n",
	       st->ok, st->errors, st->msgs);
	for (i = 0; i < 257; i++)
		if (st->by_errno[i] && i)
			printf("#   %-14s %8lu\n", i == 256 ? "other" : strerror(i),
			       st->by_errno[i]);
	printf("# errors with a ptscope message %lu, with a netlink core (policy) message %lu,\n"
	       "#   with only a missing-attribute TLV %lu, core rejections without message\n"
	       "#   (unknown command, do/dump mismatch, short header: accepted) %lu,\n"
	       "#   errors without message (failures) %lu\n",
	       st->ptscope_msg, st->core_msg, st->miss_only, st->core_nomsg,
	       st->bad_nomsg);
	printf("# no reply %lu, kernel-half values %lu, privileged attrs to unprivileged %lu,\n"
	       "#   malformed replies %lu, positive errno %lu, unexpected errno %lu\n",
	       st->no_reply, st->leaks, st->priv_attrs, st->malformed,
	       st->positive_errno, st->unexpected);
	printf("# abandoned dumps %lu (second dump on a busy socket: EBUSY %lu)\n",
	       st->abandoned, st->ebusy);
	fflush(stdout);
}

/* ---- tests ------------------------------------------------------------------- */

FIXTURE(fz) {
	uint64_t va_end;
	pid_t idle, zombie, reaped;
	struct timespec t0;
};

FIXTURE_SETUP(fz)
{
	struct fnl s;
	struct fnl_result res;
	int e = fnl_open(&s, REPLY_TIMEOUT_MS);

	self->idle = self->zombie = -1;
	if (e == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, e);
	ASSERT_EQ(0, fnl_get_info(&s, &res));
	fnl_close(&s);
	ASSERT_TRUE(res.privileged) TH_LOG("run the tests as root");
	self->va_end = res.user_va_end;
	ASSERT_NE(0, self->va_end);
	self->idle = spawn_idle();
	self->zombie = spawn_zombie();
	self->reaped = reaped_pid();
	ASSERT_GT(self->idle, 0);
	ASSERT_GT(self->zombie, 0);
	ASSERT_GT(self->reaped, 0);
	__atomic_store_n(&st->requested, total_requests(), __ATOMIC_RELAXED);
	TH_LOG("seed 0x%llx (FUZZ_SEED to replay), FUZZ_REQUESTS=%lu",
	       (unsigned long long)base_seed(), total_requests());
	clock_gettime(CLOCK_MONOTONIC, &self->t0);
}

FIXTURE_TEARDOWN(fz)
{
	struct timespec t1;

	stop(self->idle);
	stop(self->zombie);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	TH_LOG("%.1f s", (t1.tv_sec - self->t0.tv_sec) +
			 (t1.tv_nsec - self->t0.tv_nsec) / 1e9);
}

TEST_F_TIMEOUT(fz, single_client, 600)
{
	struct fz_ctx c;
	unsigned long n = total_requests() * 40 / 100;

	ctx_init(&c, "single", 1, self->va_end);
	ctx_add(&c, getpid(), 0);
	ctx_add(&c, self->idle, 0);
	ctx_add(&c, 1, 0);
	ctx_add_bad_pids(&c, self->zombie, self->reaped);
	EXPECT_EQ(0, fuzz(&c, n));
}

TEST_F_TIMEOUT(fz, concurrent_clients, 600)
{
	unsigned long n = total_requests() * 10 / 100;
	pid_t busy = spawn_busy_target(), w[4];
	int i, status;

	ASSERT_GT(busy, 0);
	for (i = 0; i < 4; i++) {
		w[i] = fork();
		ASSERT_GE(w[i], 0);
		if (w[i] == 0) {
			struct fz_ctx c;
			char who[16];

			snprintf(who, sizeof(who), "client%d", i);
			ctx_init(&c, who, 100 + i, self->va_end);
			ctx_add(&c, getpid(), 0);
			ctx_add(&c, self->idle, 0);
			ctx_add(&c, busy, 0);
			ctx_add(&c, getppid(), 0);
			ctx_add_bad_pids(&c, self->zombie, self->reaped);
			_exit(fuzz(&c, n) ? 1 : 0);
		}
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(w[i], waitpid(w[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("client %d: status 0x%x", i, status);
	}
	stop(busy);
}

static int drop_to_nobody(void)
{
	return setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	       setresuid(NOBODY, NOBODY, NOBODY) ? -1 : 0;
}

/* Fuzz as uid 65534: its own processes work (without physical
 * information), root's are EPERM. */
static int unpriv_worker(uint64_t va_end, pid_t root_idle, pid_t root_zombie,
			 pid_t reaped, unsigned long n, bool allowed)
{
	struct fz_ctx c;
	pid_t sib, zombie;
	unsigned long f;
	int perm = allowed ? 0 : EPERM;

	if (drop_to_nobody())
		return 2;
	prctl(PR_SET_DUMPABLE, 1);	/* setresuid() cleared it */
	sib = spawn_idle();
	zombie = spawn_zombie();
	ctx_init(&c, allowed ? "nobody" : "nobody-denied", allowed ? 200 : 201, va_end);
	c.unpriv = true;
	if (allowed) {
		ctx_add(&c, getpid(), 0);
		ctx_add(&c, sib, 0);
		ctx_add(&c, 1, EPERM);
		ctx_add(&c, root_idle, EPERM);
		ctx_add(&c, root_zombie, EPERM);
		ctx_add(&c, zombie, ESRCH);
		ctx_add(&c, 2, EINVAL);
		ctx_add(&c, reaped, ESRCH);
		ctx_add(&c, 0xffffffffU, ESRCH);
	} else {
		/* every PID: EPERM before it is even looked up */
		c.ok[c.nok++] = (struct fz_pid){ getpid(), perm };
		c.ok[c.nok++] = (struct fz_pid){ 1, perm };
		c.ok[c.nok++] = (struct fz_pid){ 2, perm };
		c.ok[c.nok++] = (struct fz_pid){ reaped, perm };
	}
	c.bad[c.nbad++] = (struct fz_pid){ 0, EXP_ANY_ERR };
	f = fuzz(&c, n);
	stop(sib);
	stop(zombie);
	return f ? 1 : 0;
}

TEST_F_TIMEOUT(fz, unprivileged, 600)
{
	unsigned long n = total_requests() * 10 / 100;
	int status, phase;

	for (phase = 0; phase < 2; phase++) {
		bool allowed = phase == 0;
		pid_t w;

		ASSERT_EQ(0, write_file(ALLOW_SAME_USER, allowed ? "1" : "0"));
		w = fork();
		ASSERT_GE(w, 0);
		if (w == 0)
			_exit(unpriv_worker(self->va_end, self->idle, self->zombie,
					    self->reaped, allowed ? n : n / 5, allowed));
		ASSERT_EQ(w, waitpid(w, &status, 0));
		write_file(ALLOW_SAME_USER, "0");
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("phase %d: status 0x%x", phase, status);
	}
}

/*
 * A client in a child PID namespace: its own PID 1 works; the PIDs of the
 * initial namespace (this test, its targets, kthreadd's 2) do not exist
 * there and must be ESRCH, never EPERM/EINVAL or an answer.
 */
TEST_F_TIMEOUT(fz, pid_namespace, 600)
{
	unsigned long n = total_requests() * 8 / 100;
	pid_t outer = getpid(), w;
	int status;

	w = fork();
	ASSERT_GE(w, 0);
	if (w == 0) {
		pid_t inner;

		if (unshare(CLONE_NEWPID))
			_exit(3);
		inner = fork();
		if (inner == 0) {
			struct fz_ctx c;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getpid() != 1)
				_exit(4);
			ctx_init(&c, "pidns", 300, self->va_end);
			ctx_add(&c, 1, 0);		/* itself */
			ctx_add(&c, outer, ESRCH);
			ctx_add(&c, self->idle, ESRCH);
			ctx_add(&c, self->zombie, ESRCH);
			ctx_add(&c, getppid() ? (pid_t)getppid() : 1000, ESRCH);
			ctx_add(&c, 2, ESRCH);		/* kthreadd, outside */
			ctx_add(&c, 0xffffffffU, ESRCH);
			c.bad[c.nbad++] = (struct fz_pid){ 0, EXP_ANY_ERR };
			/* every bad PID on every command first, then fuzz */
			for (int k = 0; k < c.nbad - 1; k++) {
				static const int cmds[] = {
					PTSCOPE_CMD_GET_VMAS, PTSCOPE_CMD_GET_PAGES,
					PTSCOPE_CMD_TRANSLATE, PTSCOPE_CMD_GET_TABLES,
				};
				for (int j = 0; j < 4; j++) {
					struct fnl s;
					struct fnl_req r;
					struct fnl_result res;
					uint32_t seq;

					if (fnl_open(&s, REPLY_TIMEOUT_MS))
						_exit(5);
					seq = s.seq++;
					fnl_req_init(&r, s.fam, NLM_F_REQUEST |
						     (is_dump(cmds[j]) ? NLM_F_DUMP : NLM_F_ACK),
						     seq, cmds[j], PTSCOPE_GENL_VERSION);
					fnl_put_u32(&r, PTSCOPE_A_PID, c.bad[k].pid);
					fnl_put_u64(&r, PTSCOPE_A_ADDR, 0x400000);
					INC(sent[CL_PID]);
					if (fnl_send(&s, &r) ||
					    fnl_recv(&s, seq, false, 0, &res))
						_exit(6);
					judge(&c, &r, CL_PID, ESRCH, false, &res);
					fnl_close(&s);
				}
			}
			_exit(fuzz(&c, n) || c.failures ? 1 : 0);
		}
		if (inner < 0)
			_exit(7);
		waitpid(inner, &status, 0);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 8);
	}
	ASSERT_EQ(w, waitpid(w, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("namespace client: status 0x%x", status);
}

/* A target with MANY_VMAS VMAs (alternating protections), waiting. */
static pid_t spawn_many(void)
{
	int p[2];
	pid_t pid;
	char ok = 0;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		char *g = mmap(NULL, (MANY_VMAS + 2) * PAGE_SZ, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		char *a = g + PAGE_SZ;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (g != MAP_FAILED &&
		    mmap(a, MANY_VMAS * PAGE_SZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == a) {
			ok = 1;
			for (unsigned long i = 0; i < MANY_VMAS; i++) {
				a[i * PAGE_SZ] = 1;
				if ((i & 1) && mprotect(a + i * PAGE_SZ, PAGE_SZ, PROT_READ))
					ok = 0;
			}
		}
		if (write(p[1], &ok, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid > 0 && (read(p[0], &ok, 1) != 1 || !ok)) {
		stop(pid);
		pid = -1;
	}
	close(p[0]);
	return pid;
}

static int live_dumps_settle(int timeout_ms, uint32_t *live)
{
	struct fnl s;
	struct fnl_result res;
	int waited;

	if (fnl_open(&s, REPLY_TIMEOUT_MS))
		return -1;
	for (waited = 0;; waited += 50) {
		if (fnl_get_info(&s, &res)) {
			fnl_close(&s);
			return -1;
		}
		*live = res.live_dumps;
		if (!res.live_dumps || waited >= timeout_ms)
			break;
		usleep(50000);
	}
	fnl_close(&s);
	return waited;
}

TEST_F_TIMEOUT(fz, abandoned_dumps, 600)
{
	static const int cmds[] = {
		PTSCOPE_CMD_GET_VMAS, PTSCOPE_CMD_GET_PAGES, PTSCOPE_CMD_GET_TABLES,
	};
	unsigned long rounds = total_requests() / 1000, i;
	pid_t many = spawn_many();
	struct fz_ctx c;
	uint32_t live = ~0U;
	int waited;

	if (rounds < 20)
		rounds = 20;
	ASSERT_GT(many, 0);
	ctx_init(&c, "abandon", 400, self->va_end);
	for (i = 0; i < rounds; i++) {
		struct fnl s;
		struct fnl_req r;
		struct fnl_result res;
		uint32_t seq;
		int cmd = cmds[rnd(&c.rng, 3)], how = rnd(&c.rng, 4);

		ASSERT_EQ(0, fnl_open(&s, REPLY_TIMEOUT_MS));
		seq = s.seq++;
		fnl_req_init(&r, s.fam, NLM_F_REQUEST | NLM_F_DUMP, seq, cmd,
			     PTSCOPE_GENL_VERSION);
		fnl_put_u32(&r, PTSCOPE_A_PID, many);
		if (cmd == PTSCOPE_CMD_GET_TABLES)
			fnl_put_u32(&r, PTSCOPE_A_DEPTH, PTSCOPE_LEVEL_PTE);
		if (cmd == PTSCOPE_CMD_GET_PAGES && rnd(&c.rng, 2))
			fnl_put_u32(&r, PTSCOPE_A_FLAGS, PTSCOPE_PAGES_F_PFN_RUNS);
		INC(sent[CL_VALID]);
		ASSERT_EQ(0, fnl_send(&s, &r));
		if (how == 0) {
			/* never read: close with the first part queued */
		} else {
			/* read the first message (how 1) or a few (how 2, 3) */
			ASSERT_EQ(0, fnl_recv(&s, seq, false, how == 1 ? 1 : 1 + rnd(&c.rng, 30),
					      &res));
			EXPECT_FALSE(res.terminal && res.error)
				TH_LOG("%d: errno %d %s", cmd, res.error, res.msg);
			EXPECT_EQ(0, res.leaks);
			ADD(msgs, res.nmsgs);
		}
		if (how == 3) {
			/* a second dump on the same socket while one runs:
			 * the netlink core refuses it (EBUSY) */
			uint32_t seq2 = s.seq++;

			fnl_req_init(&r, s.fam, NLM_F_REQUEST | NLM_F_DUMP, seq2,
				     PTSCOPE_CMD_GET_VMAS, PTSCOPE_GENL_VERSION);
			fnl_put_u32(&r, PTSCOPE_A_PID, many);
			INC(sent[CL_VALID]);
			ASSERT_EQ(0, fnl_send(&s, &r));
			ASSERT_EQ(0, fnl_recv(&s, seq2, false, 0, &res));
			ASSERT_TRUE(res.terminal);
			INC(by_errno[-res.error < 256 ? -res.error : 256]);
			if (res.error == -EBUSY) {
				INC(ebusy);
				/* and a do request still works meanwhile (the
				 * dump may end while we read: no count check) */
				ASSERT_EQ(0, fnl_get_info(&s, &res));
			} else {
				/* the first dump had already ended */
				EXPECT_EQ(0, res.error) TH_LOG("%s", res.msg);
			}
		}
		fnl_close(&s);
		INC(abandoned);
	}
	waited = live_dumps_settle(10000, &live);
	EXPECT_EQ(0, live) TH_LOG("live_dumps still %u after %d ms", live, waited);
	TH_LOG("%lu dumps abandoned; live_dumps 0 after %d ms", rounds, waited);
	stop(many);
}

/* Last (fixture tests run in order): every dump of every test is gone,
 * and the totals. */
TEST_F_TIMEOUT(fz, zz_summary, 60)
{
	uint32_t live = ~0U;
	int waited;

	waited = live_dumps_settle(10000, &live);
	ASSERT_GE(waited, 0);
	EXPECT_EQ(0, live) TH_LOG("live_dumps %u after %d ms", live, waited);
	printf("# live_dumps at the end: %u (after %d ms)\n", live, waited);
	print_summary();
	EXPECT_EQ(0, st->no_reply);
	EXPECT_EQ(0, st->bad_nomsg);
	EXPECT_EQ(0, st->leaks);
	EXPECT_EQ(0, st->priv_attrs);
	EXPECT_EQ(0, st->malformed);
	EXPECT_EQ(0, st->unexpected);
	EXPECT_EQ(0, st->positive_errno);
}

TEST_HARNESS_MAIN
