// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli.c's kernel (cli_kernel.h).  The CLI reaches it through
 * ptscope_open(), which the unit tests' link wraps (-Wl,--wrap).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include "cli_kernel.h"
#include "fake_kernel.h"

int __wrap_ptscope_open(struct ptscope_client **out);

enum cli_kernel_mode kmode;

#define P	PTSCOPE_PF_PRESENT
#define W	PTSCOPE_PF_WRITE
#define U	PTSCOPE_PF_USER
#define A	PTSCOPE_PF_ACCESSED
#define D	PTSCOPE_PF_DIRTY

static const struct {
	uint64_t start, end;
	const char *name;
	uint32_t kind;
	uint64_t counts[VMA_NR_COUNTS];	/* present accessed dirty writable swap
					 * soft_dirty huge_pmd huge_pud migration
					 * protnone */
} static_vmas[] = {
	{ 0x400000, 0x404000, "/usr/bin/true", PTSCOPE_VMA_KIND_FILE,
	  { 2, 2, 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ 0x600000, 0xa00000, "[heap]", PTSCOPE_VMA_KIND_HEAP,
	  { 512, 512, 512, 512, 0, 1024, 512, 0, 512, 0 } },
	{ 0x7f0000000000, 0x7f0000008000, "", PTSCOPE_VMA_KIND_ANON,
	  { 2, 2, 1, 1, 2, 2, 0, 0, 0, 1 } },
	{ 0x7f0040000000, 0x7f0080000000, "", PTSCOPE_VMA_KIND_ANON,
	  { 262144, 262144, 262144, 262144, 0, 0, 0, 262144, 0, 0 } },
};

static const struct {
	uint64_t start, pages;
	uint32_t flags;
} static_runs[] = {
	{ 0x400000, 2, P | U | A },
	{ 0x402000, 2, 0 },
	/* a THP, then a PMD migration entry: HUGE_PMD but not present */
	{ 0x600000, 512, P | W | U | A | D | PTSCOPE_PF_SOFT_DIRTY | PTSCOPE_PF_HUGE_PMD },
	{ 0x800000, 512, PTSCOPE_PF_HUGE_PMD | PTSCOPE_PF_MIGRATION | PTSCOPE_PF_SOFT_DIRTY },
	{ 0x7f0000000000, 1, P | W | U | A | D },
	{ 0x7f0000001000, 2, PTSCOPE_PF_SWAP | PTSCOPE_PF_SOFT_DIRTY },
	{ 0x7f0000003000, 1, P | U | A | PTSCOPE_PF_PROTNONE },
	{ 0x7f0000004000, 4, 0 },
	{ 0x7f0040000000, 262144, P | W | U | A | D | PTSCOPE_PF_HUGE_PUD },
};

/*
 * static_runs' pages of the first and third VMA as blocks, the rest as
 * runs, in address order: what a compact dump of the same process holds.
 */
static void put_block(struct nl_msg *msg, uint64_t start, const uint16_t *f, size_t n)
{
	struct nlattr *nest = nla_nest_start(msg, PTSCOPE_A_BLOCK);

	nla_put_u64(msg, PTSCOPE_BLOCK_A_START, start);
	nla_put(msg, PTSCOPE_BLOCK_A_FLAGS16, (int)(n * sizeof(*f)), f);
	nla_nest_end(msg, nest);
}

static void compact_pages(struct nl_msg *msg)
{
	static const uint16_t file[] = { P | U | A, P | U | A, 0, 0 };
	static const uint16_t anon[] = {
		P | W | U | A | D, PTSCOPE_PF_SWAP | PTSCOPE_PF_SOFT_DIRTY,
		PTSCOPE_PF_SWAP | PTSCOPE_PF_SOFT_DIRTY, P | U | A | PTSCOPE_PF_PROTNONE,
		0, 0, 0, 0,
	};

	put_block(msg, 0x400000, file, 4);
	put_run(msg, static_runs[2].start, static_runs[2].pages, static_runs[2].flags, -1);
	put_run(msg, static_runs[3].start, static_runs[3].pages, static_runs[3].flags, -1);
	put_block(msg, 0x7f0000000000, anon, 8);
	put_run(msg, static_runs[8].start, static_runs[8].pages, static_runs[8].flags, -1);
}

static void static_respond(uint8_t cmd, bool counts, bool compact)
{
	struct nl_msg *msg;
	struct chunk *c;
	size_t i;

	if (cmd == PTSCOPE_CMD_GET_VMAS) {
		c = chunk_new();
		for (i = 0; i < sizeof(static_vmas) / sizeof(static_vmas[0]); i++)
			chunk_add(c, vma_msg_counts(static_vmas[i].start,
						    static_vmas[i].end,
						    static_vmas[i].name,
						    static_vmas[i].kind,
						    counts ? static_vmas[i].counts : NULL));
		chunk_add(c, done_msg(0, NULL));
		return;
	}
	/* get-pages: the range is ignored; only whole-process requests come */
	msg = pages_msg();
	if (compact) {
		compact_pages(msg);
	} else {
		for (i = 0; i < sizeof(static_runs) / sizeof(static_runs[0]); i++)
			put_run(msg, static_runs[i].start, static_runs[i].pages,
				static_runs[i].flags, -1);
	}
	push(msg);
	push(done_msg(0, NULL));
}

static void cli_respond(void)
{
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	struct nl_msg *msg;
	struct nlattr *nest;
	struct chunk *c;
	uint16_t flags;
	uint8_t cmd;
	bool counts;

	req_parse(tb, &cmd, &flags);
	if (kmode == K_EPERM) {
		push(err_msg(-EPERM, "permission denied: needs CAP_SYS_ADMIN", true, 0));
		return;
	}
	/* As the module: no counts (and no walk) when asked not to. */
	counts = !(cmd == PTSCOPE_CMD_GET_VMAS && tb[PTSCOPE_A_FLAGS] &&
		   (nla_get_u32(tb[PTSCOPE_A_FLAGS]) & PTSCOPE_VMAS_F_NO_COUNTS));
	if ((kmode == K_STATIC || kmode == K_BLOCKS) &&
	    (cmd == PTSCOPE_CMD_GET_VMAS || cmd == PTSCOPE_CMD_GET_PAGES)) {
		static_respond(cmd, counts, kmode == K_BLOCKS && tb[PTSCOPE_A_FLAGS] &&
			       (nla_get_u32(tb[PTSCOPE_A_FLAGS]) & PTSCOPE_PAGES_F_COMPACT));
		return;
	}
	switch (cmd) {
	case PTSCOPE_CMD_GET_INFO:
		msg = reply(PTSCOPE_CMD_GET_INFO, false);
		put_info(msg);
		push(msg);
		push(ack_msg());
		break;
	case PTSCOPE_CMD_GET_VMAS:
		c = chunk_new();
		chunk_add(c, vma_msg(0x400000, 0x401000, "/usr/bin/true",
				     PTSCOPE_VMA_KIND_FILE, counts));
		chunk_add(c, vma_msg(0x600000, 0x610000, "[heap]",
				     PTSCOPE_VMA_KIND_HEAP, counts));
		chunk_add(c, vma_msg(0x7f0000000000, 0x7f0000002000, "evil\n\033[2Jname",
				     PTSCOPE_VMA_KIND_ANON_NAMED, counts));
		msg = done_msg(0, NULL);
		if (kmode == K_DUMP_INTR)
			nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_DUMP_INTR;
		chunk_add(c, msg);
		break;
	case PTSCOPE_CMD_GET_PAGES:
		msg = pages_msg();
		put_run(msg, 0x400000, 1, PTSCOPE_PF_PRESENT | PTSCOPE_PF_USER, -1);
		put_run(msg, 0x600000, 8, PTSCOPE_PF_PRESENT | PTSCOPE_PF_WRITE, 0x1234);
		push(msg);
		msg = pages_msg();
		put_run(msg, 0x608000, 8, 0, -1);
		put_run(msg, 0x7f0000000000, 1, PTSCOPE_PF_SWAP, -1);
		put_run(msg, 0x7f0000001000, 1, PTSCOPE_PF_PRESENT | (1U << 20), -1);
		push(msg);
		if (kmode == K_ESRCH_MID_DUMP) {
			push(done_msg(-ESRCH, "process exited during the dump"));
		} else {
			msg = done_msg(0, NULL);
			if (kmode == K_DUMP_INTR)
				nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_DUMP_INTR;
			push(msg);
		}
		break;
	case PTSCOPE_CMD_TRANSLATE:
		msg = reply(PTSCOPE_CMD_TRANSLATE, false);
		nla_put_u32(msg, PTSCOPE_A_PID, 42);
		nla_put_u64(msg, PTSCOPE_A_ADDR, 0x7ffd12345678ULL);
		nest = nla_nest_start(msg, PTSCOPE_A_XLATE);
		nla_put_u64(msg, PTSCOPE_XLATE_A_VMA_START, 0x7ffd10000000ULL);
		nla_put_u64(msg, PTSCOPE_XLATE_A_VMA_END, 0x7ffd20000000ULL);
		put_level(msg, PTSCOPE_LEVEL_PGD, 255, 0x123067, 0x1f, false, false);
		put_level(msg, PTSCOPE_LEVEL_P4D, 0, -1, 0x1f, true, false);
		put_level(msg, PTSCOPE_LEVEL_PUD, 500, 0x124067, 0x1f, false, false);
		put_level(msg, PTSCOPE_LEVEL_PMD, 145, 0x125067, 0x1f, false, false);
		put_level(msg, PTSCOPE_LEVEL_PTE, 69, 0x8000000126867LL, 0x3f, false, true);
		nla_put_u32(msg, PTSCOPE_XLATE_A_STOP_LEVEL, PTSCOPE_LEVEL_PTE);
		nla_put_u32(msg, PTSCOPE_XLATE_A_STOP_REASON, PTSCOPE_STOP_MAPPED);
		nla_put_u32(msg, PTSCOPE_XLATE_A_FLAGS, 0x3f);
		nla_put_u64(msg, PTSCOPE_XLATE_A_PAGE_SIZE, 4096);
		nla_put_u64(msg, PTSCOPE_XLATE_A_PHYS_ADDR, 0x126678);
		nla_nest_end(msg, nest);
		push(msg);
		push(ack_msg());
		break;
	default:
		push(err_msg(-EOPNOTSUPP, NULL, true, 0));
	}
}

int __wrap_ptscope_open(struct ptscope_client **out)
{
	*out = NULL;
	if (kmode == K_NO_MODULE)
		return -ENOENT;
	drop_queue();
	fk.respond = cli_respond;
	*out = fake_client();
	return *out ? 0 : -ENOMEM;
}
