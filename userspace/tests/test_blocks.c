// SPDX-License-Identifier: GPL-2.0
/*
 * Compact get-pages (PTSCOPE_A_BLOCK) against the fake kernel: the library
 * asks for it unless PFN runs are wanted, and expands blocks into exactly
 * the runs a runs-only dump would have delivered.  The same pages are sent
 * once as runs and once as blocks mixed with runs, split across messages
 * and reads; the callers must see identical run lists.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include "fake_kernel.h"
#include "ptscope_priv.h"
#include "tap.h"

#define PG	4096ULL
#define MAX_RUNS	64

struct runs {
	int nr, abort_at;
	struct ptscope_run r[MAX_RUNS];
};

static struct runs got;

static int on_run(const struct ptscope_run *r, void *arg)
{
	(void)arg;
	if (got.nr < MAX_RUNS)
		got.r[got.nr] = *r;
	got.nr++;
	return got.nr == got.abort_at ? -ECANCELED : 0;
}

static void put_block(struct nl_msg *msg, uint64_t start, const uint16_t *f,
		      size_t n)
{
	struct nlattr *nest = nla_nest_start(msg, PTSCOPE_A_BLOCK);

	nla_put_u64(msg, PTSCOPE_BLOCK_A_START, start);
	nla_put(msg, PTSCOPE_BLOCK_A_FLAGS16, (int)(n * sizeof(*f)), f);
	nla_put_u32(msg, ATTR_UNKNOWN, 1);	/* newer kernel: ignored */
	nla_nest_end(msg, nest);
}

#define P	PTSCOPE_PF_PRESENT
#define W	PTSCOPE_PF_WRITE
#define U	PTSCOPE_PF_USER

/*
 * The pages of two VMAs, [0x10000, 0x20000) and [0x20000, 0x24000), as a
 * runs-only dump sends them.  The runs on either side of 0x20000 have the
 * same flags: only the VMA boundary separates them.
 */
static const struct { uint64_t start, n; uint32_t flags; } ref[] = {
	{ 0x10000, 1, P | U },
	{ 0x11000, 2, P | W | U },
	{ 0x13000, 1, P | U },
	{ 0x14000, 1, 0 },
	{ 0x15000, 8, P | W | U },	/* a long run, sent as a run */
	{ 0x1d000, 1, P | U },
	{ 0x1e000, 2, 0 },		/* ends the first VMA */
	{ 0x20000, 1, 0 },		/* same flags: a new VMA */
	{ 0x21000, 1, P | U },
	{ 0x22000, 1, P | W | U },
	{ 0x23000, 1, P | W | U | PTSCOPE_PF_DIRTY },
};
#define NR_REF	(int)(sizeof(ref) / sizeof(ref[0]))

static void respond_runs(void)
{
	struct chunk *c = chunk_new();
	struct nl_msg *msg = pages_msg();
	int i;

	for (i = 0; i < NR_REF; i++) {
		if (i == 5) {		/* a message boundary */
			chunk_add(c, msg);
			msg = pages_msg();
		}
		put_run(msg, ref[i].start, ref[i].n, ref[i].flags, -1);
	}
	chunk_add(c, msg);
	chunk_add(c, done_msg(0, NULL));
}

/* The same pages as blocks and runs, as a compact dump sends them. */
static void respond_blocks(void)
{
	static const uint16_t b1[] = { P | U, P | W | U, P | W | U, P | U, 0 };
	static const uint16_t b2[] = { P | U, 0, 0 };
	static const uint16_t b3[] = { 0, P | U };
	static const uint16_t b4[] = { P | W | U, P | W | U | PTSCOPE_PF_DIRTY };
	struct chunk *c = chunk_new();
	struct nl_msg *msg = pages_msg();

	put_block(msg, 0x10000, b1, 5);
	chunk_add(c, msg);
	msg = pages_msg();
	put_run(msg, 0x15000, 8, P | W | U, -1);
	put_block(msg, 0x1d000, b2, 3);		/* ends at the VMA's end */
	put_block(msg, 0x20000, b3, 2);		/* the next VMA, same flags */
	chunk_add(c, msg);
	c = chunk_new();
	msg = pages_msg();
	put_block(msg, 0x22000, b4, 2);		/* cut at a run boundary */
	chunk_add(c, msg);
	chunk_add(c, done_msg(0, NULL));
}

/* The same once more, every block in 32-bit words (flags32). */
static void put_block32(struct nl_msg *msg, uint64_t start, const uint32_t *f,
			size_t n)
{
	struct nlattr *nest = nla_nest_start(msg, PTSCOPE_A_BLOCK);

	nla_put_u64(msg, PTSCOPE_BLOCK_A_START, start);
	nla_put(msg, PTSCOPE_BLOCK_A_FLAGS32, (int)(n * sizeof(*f)), f);
	nla_nest_end(msg, nest);
}

static void respond_blocks32(void)
{
	static const uint32_t b1[] = { P | U, P | W | U, P | W | U, P | U, 0 };
	static const uint32_t b2[] = { P | U, 0, 0 };
	static const uint32_t b3[] = { 0, P | U };
	static const uint32_t b4[] = { P | W | U, P | W | U | PTSCOPE_PF_DIRTY };
	struct chunk *c = chunk_new();
	struct nl_msg *msg = pages_msg();

	put_block32(msg, 0x10000, b1, 5);
	put_run(msg, 0x15000, 8, P | W | U, -1);
	put_block32(msg, 0x1d000, b2, 3);
	put_block32(msg, 0x20000, b3, 2);
	chunk_add(c, msg);
	msg = pages_msg();
	put_block32(msg, 0x22000, b4, 2);
	chunk_add(c, msg);
	chunk_add(c, done_msg(0, NULL));
}

/* arm64: a 64K contiguous folio, half of it dirty, between PXN pages. */
#define PX	PTSCOPE_PF_PXN
#define CT	PTSCOPE_PF_CONT
static void respond_arm64(void)
{
	uint32_t b[18];
	struct nl_msg *msg = pages_msg();
	int i;

	b[0] = b[17] = P | U | PX | PTSCOPE_PF_NX;
	for (i = 1; i < 17; i++)
		b[i] = P | W | U | PX | PTSCOPE_PF_NX | CT | (i > 8 ? PTSCOPE_PF_DIRTY : 0);
	put_block32(msg, 0x40000, b, 18);
	push(msg);
	push(done_msg(0, NULL));
}

static void respond_both_words(void)
{
	static const uint16_t f16[1] = { P };
	static const uint32_t f32[1] = { P };
	struct nl_msg *msg = pages_msg();
	struct nlattr *nest;

	nest = nla_nest_start(msg, PTSCOPE_A_BLOCK);
	nla_put_u64(msg, PTSCOPE_BLOCK_A_START, 0x2000);
	nla_put(msg, PTSCOPE_BLOCK_A_FLAGS16, sizeof(f16), f16);
	nla_put(msg, PTSCOPE_BLOCK_A_FLAGS32, sizeof(f32), f32);
	nla_nest_end(msg, nest);
	push(msg);
	push(done_msg(0, NULL));
}

static void respond_short_word32(void)
{
	static const uint16_t f[3] = { P, 0, P };
	struct nl_msg *msg = pages_msg();
	struct nlattr *nest;

	nest = nla_nest_start(msg, PTSCOPE_A_BLOCK);
	nla_put_u64(msg, PTSCOPE_BLOCK_A_START, 0x2000);
	nla_put(msg, PTSCOPE_BLOCK_A_FLAGS32, sizeof(f), f);
	nla_nest_end(msg, nest);
	push(msg);
	push(done_msg(0, NULL));
}

/* get-info of an arm64 module, then whatever get-pages asks for. */
static void respond_arm64_info(void)
{
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	uint16_t nlflags;
	uint8_t cmd;
	struct nl_msg *msg;
	struct nlattr *nest;

	if (req_parse(tb, &cmd, &nlflags))
		return;
	if (cmd == PTSCOPE_CMD_GET_INFO) {
		msg = reply(PTSCOPE_CMD_GET_INFO, false);
		nest = nla_nest_start(msg, PTSCOPE_A_INFO);
		nla_put_string(msg, PTSCOPE_INFO_A_ARCH, "aarch64");
		nla_put_u32(msg, PTSCOPE_INFO_A_PAGE_FLAGS,
			    ((PTSCOPE_PF_CONT << 1) - 1) &
			    ~(PTSCOPE_PF_GLOBAL | PTSCOPE_PF_SOFT_DIRTY));
		nla_nest_end(msg, nest);
		push(msg);
		push(ack_msg());
		return;
	}
	respond_arm64();
}

static void respond_odd_block(void)
{
	static const uint8_t odd[3] = { 1, 0, 0 };
	struct nl_msg *msg = pages_msg();
	struct nlattr *nest;

	put_run(msg, 0x1000, 1, 0, -1);
	nest = nla_nest_start(msg, PTSCOPE_A_BLOCK);
	nla_put_u64(msg, PTSCOPE_BLOCK_A_START, 0x2000);
	nla_put(msg, PTSCOPE_BLOCK_A_FLAGS16, sizeof(odd), odd);
	nla_nest_end(msg, nest);
	push(msg);
	push(done_msg(0, NULL));
}

static void respond_no_start(void)
{
	static const uint16_t f[2] = { 1, 0 };
	struct nl_msg *msg = pages_msg();
	struct nlattr *nest;

	nest = nla_nest_start(msg, PTSCOPE_A_BLOCK);
	nla_put(msg, PTSCOPE_BLOCK_A_FLAGS16, sizeof(f), f);
	nla_nest_end(msg, nest);
	push(msg);
	push(done_msg(0, NULL));
}

static void reset(void (*respond)(void))
{
	drop_queue();
	memset(&got, 0, sizeof(got));
	fk.respond = respond;
}

static uint32_t req_flags(void)
{
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	uint16_t nlflags;
	uint8_t cmd;

	if (req_parse(tb, &cmd, &nlflags) || cmd != PTSCOPE_CMD_GET_PAGES)
		return ~0U;
	return tb[PTSCOPE_A_FLAGS] ? nla_get_u32(tb[PTSCOPE_A_FLAGS]) : 0;
}

static bool same_as_ref(const struct runs *r)
{
	int i;

	if (r->nr != NR_REF)
		return false;
	for (i = 0; i < NR_REF; i++)
		if (r->r[i].start != ref[i].start ||
		    r->r[i].nr_pages != ref[i].n ||
		    r->r[i].flags != ref[i].flags ||
		    r->r[i].has_pfn || r->r[i].has_swap)
			return false;
	return true;
}

void test_blocks(void)
{
	struct ptscope_client *c = fake_client();
	struct runs runs_only;
	int err;

	if (!ok(c != NULL, "blocks: fake client"))
		return;

	reset(respond_runs);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == 0 && same_as_ref(&got), "runs-only dump delivered as sent");
	is_num(req_flags(), PTSCOPE_PAGES_F_COMPACT,
	       "get_pages asks for COMPACT by itself");
	runs_only = got;

	reset(respond_blocks);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	is_num(err, 0, "compact dump succeeds");
	is_num(got.nr, NR_REF, "blocks expand to as many runs as runs-only");
	ok(same_as_ref(&got) &&
	   !memcmp(&got, &runs_only, sizeof(got)),
	   "blocks expand to exactly the runs-only runs (VMA boundary kept)");

	reset(respond_blocks);
	err = ptscope_get_pages(c, 42, 0, 0, PTSCOPE_PAGES_F_PFN_RUNS,
				on_run, NULL);
	ok(err == 0 && req_flags() == PTSCOPE_PAGES_F_PFN_RUNS,
	   "PFN runs: COMPACT not asked for");

	ptscope_set_compact(c, false);
	reset(respond_runs);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == 0 && req_flags() == 0 && same_as_ref(&got),
	   "ptscope_set_compact(false): runs only, no flags");
	ptscope_set_compact(c, true);

	reset(respond_blocks);
	got.abort_at = 3;
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == -ECANCELED && got.nr == 3 && fk.head == fk.tail,
	   "callback aborting inside a block: its errno, dump drained");

	reset(respond_blocks32);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == 0 && same_as_ref(&got),
	   "flags32 blocks expand to exactly the runs-only runs");
	is_num(req_flags(), PTSCOPE_PAGES_F_COMPACT,
	       "x86-64, no get-info: FLAGS32 not asked for");

	ptscope_set_flags32(c, true);
	reset(respond_arm64);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	is_num(req_flags(), PTSCOPE_PAGES_F_COMPACT | PTSCOPE_PAGES_F_FLAGS32,
	       "ptscope_set_flags32(true): COMPACT | FLAGS32");
	ok(err == 0 && got.nr == 4 &&
	   got.r[0].start == 0x40000 && got.r[0].nr_pages == 1 &&
	   got.r[0].flags == (P | U | PX | PTSCOPE_PF_NX) &&
	   got.r[1].start == 0x41000 && got.r[1].nr_pages == 8 &&
	   got.r[1].flags == (P | W | U | PX | PTSCOPE_PF_NX | CT) &&
	   got.r[2].start == 0x49000 && got.r[2].nr_pages == 8 &&
	   got.r[2].flags == (P | W | U | PX | PTSCOPE_PF_NX | CT | PTSCOPE_PF_DIRTY) &&
	   got.r[3].start == 0x51000 && got.r[3].flags == got.r[0].flags,
	   "flags32 block: pxn and cont kept, runs split where they change");
	reset(respond_blocks);
	err = ptscope_get_pages(c, 42, 0, 0, PTSCOPE_PAGES_F_PFN_RUNS, on_run, NULL);
	ok(err == 0 && req_flags() == PTSCOPE_PAGES_F_PFN_RUNS,
	   "PFN runs: neither COMPACT nor FLAGS32");
	ptscope_set_flags32(c, false);

	reset(respond_both_words);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == -EPROTO && got.nr == 0, "block with flags16 and flags32: -EPROTO");
	reset(respond_short_word32);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == -EPROTO && got.nr == 0, "flags32 not a multiple of 4 bytes: -EPROTO");

	reset(respond_odd_block);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == -EPROTO && got.nr == 1 && fk.head == fk.tail,
	   "block with an odd number of bytes: -EPROTO");

	reset(respond_no_start);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == -EPROTO && got.nr == 0, "block without START: -EPROTO");

	reset(NULL);
	ptscope_close(c);

	/* A module whose page flags go beyond 16 bits: asked for by itself. */
	c = fake_client();
	if (!ok(c != NULL, "blocks: second fake client"))
		return;
	reset(respond_arm64_info);
	{
		struct ptscope_info info;

		err = ptscope_get_info(c, &info);
		ok(err == 0 && info.has_page_flags && (info.page_flags & PX) &&
		   !strcmp(info.arch, "aarch64"), "arm64 get-info: pxn among page flags");
	}
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == 0 && got.nr >= 4 &&
	   req_flags() == (PTSCOPE_PAGES_F_COMPACT | PTSCOPE_PAGES_F_FLAGS32),
	   "module with page flags above bit 15: FLAGS32 asked for by itself");
	reset(NULL);
	ptscope_close(c);
}
