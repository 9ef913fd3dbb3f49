// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_test's requests: the classes fuzz_test.c's comment lists, drawn
 * from a seeded PRNG, and expect_of(), the module's checks in order, for
 * the errno each must get.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "fuzz_gen.h"
#include "spec_tree.h"

/* ---- PRNG ----------------------------------------------------------------- */

uint64_t rnd64(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

uint32_t rnd(uint64_t *s, uint32_t n)
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

uint64_t base_seed(void)
{
	return seed;
}

void ctx_add(struct fz_ctx *c, uint32_t pid, int exp)
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

bool is_dump(int cmd)
{
	return cmd == PTSCOPE_CMD_GET_VMAS || cmd == PTSCOPE_CMD_GET_PAGES ||
	       cmd == PTSCOPE_CMD_GET_TABLES || cmd == PTSCOPE_CMD_SAMPLE_ACCESS;
}

/* The request attributes of sp that the spec lets its operation take. */
static bool request_fits_spec(const struct spec *sp)
{
	uint64_t allowed = 0, sent = 0;

	for (size_t i = 0; i < sizeof(st_ops) / sizeof(st_ops[0]); i++)
		if (st_ops[i].cmd == (unsigned int)sp->cmd)
			allowed = st_ops[i].do_req | st_ops[i].dump_req;
	sent |= sp->pid ? 1ULL << PTSCOPE_A_PID : 0;
	sent |= sp->flags ? 1ULL << PTSCOPE_A_FLAGS : 0;
	sent |= sp->start ? 1ULL << PTSCOPE_A_START : 0;
	sent |= sp->end ? 1ULL << PTSCOPE_A_END : 0;
	sent |= sp->addr ? 1ULL << PTSCOPE_A_ADDR : 0;
	sent |= sp->depth ? 1ULL << PTSCOPE_A_DEPTH : 0;
	return !(sent & ~allowed);
}

/* The module's checks in order (netlink.c policy, dump.c, target.c, cmd_*.c). */
static int expect_of(const struct fz_ctx *c, const struct spec *sp)
{
	uint32_t allowed;
	uint64_t s, e;

	bool out_of_range = (sp->pid && sp->pid_v == 0) ||
			    (sp->depth && sp->depth_v > PTSCOPE_LEVEL_PTE);

	/*
	 * The policy, generated from the spec: an attribute the operation
	 * does not take is EINVAL, PID 0 and DEPTH beyond PTE are out of
	 * range; which of two errors comes first is the policy's order.
	 */
	if (!request_fits_spec(sp))
		return out_of_range ? EXP_ANY_ERR : EINVAL;
	if (out_of_range)
		return EXP_ANY_ERR;
	switch (sp->cmd) {
	case PTSCOPE_CMD_GET_INFO:
		if (sp->flags && (sp->flags_v & ~PTSCOPE_INFO_F_MASK))
			return EOPNOTSUPP;
		if (sp->flags && (sp->flags_v & PTSCOPE_INFO_F_RESET_LOCK_STATS) &&
		    c->unpriv)
			return EPERM;
		return 0;
	case PTSCOPE_CMD_GET_STATS:
		/* No fuzz target is tracked: a good PID is "not tracked". */
		if (!sp->pid)
			return EINVAL;
		return sp->pid_exp ? sp->pid_exp : ENOENT;
	case PTSCOPE_CMD_TRANSLATE:
		if (!sp->addr || !sp->pid)
			return EINVAL;
		if (sp->pid_exp)
			return sp->pid_exp;
		return sp->addr_v >= c->va_end ? ERANGE : 0;
	}
	allowed = sp->cmd == PTSCOPE_CMD_GET_VMAS ? PTSCOPE_VMAS_F_MASK :
		  sp->cmd == PTSCOPE_CMD_GET_PAGES ? PTSCOPE_PAGES_F_MASK :
		  sp->cmd == PTSCOPE_CMD_SAMPLE_ACCESS ? PTSCOPE_ACCESS_F_MASK : 0;
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
	/* sample-access writes the target's page tables: CAP_SYS_ADMIN only,
	 * even where allow_same_user let the caller this far (cmd_access.c) */
	if (sp->cmd == PTSCOPE_CMD_SAMPLE_ACCESS && c->unpriv)
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

/*
 * track-start/stop change state and are covered by track_test.
 * sample-access changes only the accessed bits of the fuzz targets (this
 * process, its idle and busy children, PID 1), which nothing here reads.
 */
static const int valid_cmds[] = {
	PTSCOPE_CMD_GET_INFO, PTSCOPE_CMD_GET_VMAS, PTSCOPE_CMD_GET_PAGES,
	PTSCOPE_CMD_TRANSLATE, PTSCOPE_CMD_GET_TABLES, PTSCOPE_CMD_GET_STATS,
	PTSCOPE_CMD_SAMPLE_ACCESS,
};

int gen(struct fz_ctx *c, uint16_t fam, uint32_t seq, struct fnl_req *r,
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
	if (cmd == PTSCOPE_CMD_SAMPLE_ACCESS && rnd(&c->rng, 3) == 0) {
		sp.flags = true;
		sp.flags_v = rnd(&c->rng, 2) * PTSCOPE_ACCESS_F_DISCARD;
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
			PTSCOPE_A_ACCESS, PTSCOPE_A_ACCESS_STATS,
		};
		size_t off = r->len;
		struct nlattr *a = (struct nlattr *)(r->buf + off);

		r->len += NLA_HDRLEN;
		a->nla_type = types[rnd(&c->rng, sizeof(types) / sizeof(types[0]))] |
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
