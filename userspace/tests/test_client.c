// SPDX-License-Identifier: GPL-2.0
/*
 * libptscope against the fake kernel (fake_kernel.c): replies split and
 * packed as the kernel does, errors in NLMSG_ERROR and NLMSG_DONE, aborts,
 * malformed replies, stale messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include "fake_kernel.h"
#include "ptscope_priv.h"
#include "tap.h"

/* ---- scenarios ---- */

static void respond_info(void)
{
	struct chunk *c = chunk_new();
	struct nl_msg *msg;

	/* Leftovers of an earlier request must be skipped, not parsed. */
	msg = vma_msg(0x1000, 0x2000, "stale", 0, true);
	nlmsg_hdr(msg)->nlmsg_seq = fk.seq - 1;
	chunk_add(c, msg);
	msg = done_msg(-ESRCH, "stale error");
	nlmsg_hdr(msg)->nlmsg_seq = fk.seq - 1;
	chunk_add(c, msg);

	msg = reply(PTSCOPE_CMD_GET_INFO, false);
	nla_put_u32(msg, ATTR_UNKNOWN, 5);
	put_info(msg);
	chunk_add(c, msg);
	push(ack_msg());	/* the ACK comes in its own read */
}

/* A whole read of somebody else's messages must not look like an EOF. */
static void respond_stale_read_first(void)
{
	struct nl_msg *msg = done_msg(0, NULL);

	nlmsg_hdr(msg)->nlmsg_seq = fk.seq + 7;
	push(msg);
	msg = reply(PTSCOPE_CMD_GET_INFO, false);
	put_info(msg);
	push(msg);
	push(ack_msg());
}

static void respond_eperm_capped(void)
{
	push(err_msg(-EPERM, "permission denied: needs CAP_SYS_ADMIN", true, 0));
}

static void respond_eperm_uncapped(void)
{
	push(err_msg(-EPERM, "not allowed\n", false, 0));
}

static void respond_error_no_tlvs(void)
{
	push(err_msg(-ESRCH, NULL, true, 0));
}

static void respond_ack_only(void)
{
	push(ack_msg());
}

static void respond_nothing(void)
{
}

static void respond_vmas(void)
{
	struct chunk *c = chunk_new();

	chunk_add(c, vma_msg(0x400000, 0x401000, "/usr/bin/true", PTSCOPE_VMA_KIND_FILE, true));
	chunk_add(c, vma_msg(0x600000, 0x800000, "[heap]", PTSCOPE_VMA_KIND_HEAP, true));
	c = chunk_new();
	chunk_add(c, vma_msg(0x7ffd0000, 0x7ffe0000, "", PTSCOPE_VMA_KIND_ANON, false));
	chunk_add(c, done_msg(0, NULL));
}

/* The VMAs changed under the dump: the kernel flags the rest of it. */
static void respond_vmas_intr(void)
{
	struct nl_msg *msg;

	push(vma_msg(0x400000, 0x401000, "/usr/bin/true", PTSCOPE_VMA_KIND_FILE, true));
	msg = vma_msg(0x600000, 0x800000, "[heap]", PTSCOPE_VMA_KIND_HEAP, true);
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_DUMP_INTR;
	push(msg);
	msg = done_msg(0, NULL);
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_DUMP_INTR;
	push(msg);
}

static void respond_vmas_esrch(void)
{
	push(vma_msg(0x400000, 0x401000, "/usr/bin/true", PTSCOPE_VMA_KIND_FILE, true));
	push(done_msg(-ESRCH, "process exited during the dump"));
}

static void respond_start_error(void)
{
	push(err_msg(-EOPNOTSUPP, "unknown flag bits for this command", true, 0));
}

static void respond_pages(void)
{
	struct chunk *c = chunk_new();
	struct nl_msg *msg;

	/* Runs as the kernel sends them: maximal, across several reads. */
	msg = pages_msg();
	put_run(msg, 0x1000, 3, PTSCOPE_PF_PRESENT, 100);
	put_run(msg, 0x4000, 5, 0, -1);
	nla_put_u32(msg, ATTR_UNKNOWN, 3);
	chunk_add(c, msg);
	msg = pages_msg();
	put_run(msg, 0x10000, 5, PTSCOPE_PF_PRESENT | PTSCOPE_PF_WRITE, -1);
	chunk_add(c, msg);
	c = chunk_new();
	msg = pages_msg();
	put_run(msg, 0x20000, 2, PTSCOPE_PF_SWAP, -1);
	chunk_add(c, msg);
	chunk_add(c, done_msg(0, NULL));
}

static void respond_pages_many(void)
{
	int i;

	for (i = 0; i < 4; i++) {
		struct nl_msg *msg = pages_msg();

		put_run(msg, 0x100000 * (i + 1), 1, PTSCOPE_PF_PRESENT, -1);
		put_run(msg, 0x100000 * (i + 1) + 0x1000, 1, 0, -1);
		push(msg);
	}
	push(done_msg(-ESRCH, "process exited during the dump"));
}

static void respond_pages_malformed(void)
{
	struct nl_msg *msg = pages_msg();
	struct nlattr *nest;

	put_run(msg, 0x1000, 1, 0, -1);
	nest = nla_nest_start(msg, PTSCOPE_A_RUN);
	nla_put_u64(msg, PTSCOPE_RUN_A_START, 0x2000);	/* no NR_PAGES */
	nla_put_u32(msg, PTSCOPE_RUN_A_FLAGS, 0);
	nla_nest_end(msg, nest);
	push(msg);
	msg = pages_msg();
	put_run(msg, 0x5000, 1, 0, -1);
	push(msg);
	push(done_msg(0, NULL));
}

static void respond_pages_bad_type(void)
{
	struct nl_msg *msg = pages_msg();
	struct nlattr *nest = nla_nest_start(msg, PTSCOPE_A_RUN);

	nla_put_u64(msg, PTSCOPE_RUN_A_START, 0x2000);
	nla_put_u8(msg, PTSCOPE_RUN_A_NR_PAGES, 1);	/* u64 expected */
	nla_put_u32(msg, PTSCOPE_RUN_A_FLAGS, 0);
	nla_nest_end(msg, nest);
	push(msg);
	push(done_msg(0, NULL));
}

static void respond_xlate(void)
{
	struct nl_msg *msg = reply(PTSCOPE_CMD_TRANSLATE, false);
	struct nlattr *nest;

	nla_put_u32(msg, PTSCOPE_A_PID, 42);
	nla_put_u64(msg, PTSCOPE_A_ADDR, 0x7ffd12345678ULL);
	nest = nla_nest_start(msg, PTSCOPE_A_XLATE);
	nla_put_u64(msg, PTSCOPE_XLATE_A_VMA_START, 0x7ffd10000000ULL);
	put_level(msg, PTSCOPE_LEVEL_PGD, 255, 0x123067, 0x1f, false, false);
	put_level(msg, PTSCOPE_LEVEL_P4D, 0, -1, 0x1f, true, false);
	put_level(msg, PTSCOPE_LEVEL_PUD, 500, 0x124067, 0x1f, false, false);
	put_level(msg, PTSCOPE_LEVEL_PMD, 145, 0x125067, 0x1f, false, false);
	put_level(msg, PTSCOPE_LEVEL_PTE, 69, 0x8000000126867LL, 0x3f, false, true);
	nla_put_u64(msg, PTSCOPE_XLATE_A_VMA_END, 0x7ffd20000000ULL);
	nla_put_u32(msg, PTSCOPE_XLATE_A_STOP_LEVEL, PTSCOPE_LEVEL_PTE);
	nla_put_u32(msg, PTSCOPE_XLATE_A_STOP_REASON, PTSCOPE_STOP_MAPPED);
	nla_put_u32(msg, PTSCOPE_XLATE_A_FLAGS, 0x3f);
	nla_put_u64(msg, PTSCOPE_XLATE_A_PAGE_SIZE, 4096);
	nla_put_u64(msg, PTSCOPE_XLATE_A_PHYS_ADDR, 0x126678);
	nla_put_u32(msg, ATTR_UNKNOWN, 1);
	nla_nest_end(msg, nest);
	push(msg);
	push(ack_msg());
}

static void respond_xlate_no_vma(void)
{
	struct nl_msg *msg = reply(PTSCOPE_CMD_TRANSLATE, false);
	struct nlattr *nest;

	nla_put_u32(msg, PTSCOPE_A_PID, 42);
	nla_put_u64(msg, PTSCOPE_A_ADDR, 0x1000);
	nest = nla_nest_start(msg, PTSCOPE_A_XLATE);
	nla_put_u32(msg, PTSCOPE_XLATE_A_STOP_LEVEL, PTSCOPE_LEVEL_PGD);
	nla_put_u32(msg, PTSCOPE_XLATE_A_STOP_REASON, PTSCOPE_STOP_NO_VMA);
	nla_put_u32(msg, PTSCOPE_XLATE_A_FLAGS, 0);
	nla_put_u64(msg, PTSCOPE_XLATE_A_PAGE_SIZE, 4096);
	nla_nest_end(msg, nest);
	chunk_add(chunk_new(), msg);
	chunk_add(&fk.q[fk.tail - 1], ack_msg());	/* reply and ACK in one read */
}

static void respond_xlate_six_levels(void)
{
	struct nl_msg *msg = reply(PTSCOPE_CMD_TRANSLATE, false);
	struct nlattr *nest = nla_nest_start(msg, PTSCOPE_A_XLATE);
	int i;

	for (i = 0; i < 6; i++)
		put_level(msg, (uint32_t)i, 0, -1, 0, false, false);
	nla_put_u32(msg, PTSCOPE_XLATE_A_STOP_REASON, PTSCOPE_STOP_NONE);
	nla_nest_end(msg, nest);
	push(msg);
	push(ack_msg());
}

static void respond_missing_addr(void)
{
	push(err_msg(-EINVAL, NULL, true, PTSCOPE_A_ADDR));
}

/* ---- callbacks ---- */

#define MAX_SEEN 16

static struct {
	int nr;
	struct ptscope_vma vma[MAX_SEEN];
	struct ptscope_run run[MAX_SEEN];
	int abort_at;		/* return -ECANCELED on this call (1-based) */
} seen;

static int on_vma(const struct ptscope_vma *v, void *arg)
{
	(void)arg;
	if (seen.nr < MAX_SEEN)
		seen.vma[seen.nr] = *v;
	seen.nr++;
	return seen.nr == seen.abort_at ? -ECANCELED : 0;
}

static int on_run(const struct ptscope_run *r, void *arg)
{
	(void)arg;
	if (seen.nr < MAX_SEEN)
		seen.run[seen.nr] = *r;
	seen.nr++;
	return seen.nr == seen.abort_at ? -ECANCELED : 0;
}

static int on_run_eproto(const struct ptscope_run *r, void *arg)
{
	(void)r;
	(void)arg;
	seen.nr++;
	return -EPROTO;
}

static void reset(void (*respond)(void))
{
	drop_queue();
	memset(&seen, 0, sizeof(seen));
	fk.respond = respond;
}

/* ---- tests ---- */

static void test_info(struct ptscope_client *c)
{
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	struct ptscope_info info;
	uint16_t flags;
	uint8_t cmd;
	int err;

	reset(respond_info);
	err = ptscope_get_info(c, &info);
	is_num(err, 0, "get_info succeeds (stale messages skipped, unknown attributes ignored)");
	is_str(info.module_version, "0.1.0", "info: module version");
	is_str(info.kernel_release, "6.12.0-test", "info: kernel release");
	ok(info.proto_version == 1 && info.page_size == 4096 &&
	   info.pgtable_levels == 5, "info: protocol, page size, levels");
	is_num(info.user_va_end, 0x00fffffffffff000ULL, "info: user VA end");
	ok(info.features == 0x1f && info.privileged && !info.allow_same_user &&
	   info.live_dumps == 3, "info: features, privilege, live dumps");
	is_str(ptscope_errmsg(c), "", "no error message after success");
	ok(fk.head == fk.tail, "get_info read everything up to the ACK");
	ok(req_parse(tb, &cmd, &flags) == 0 && cmd == PTSCOPE_CMD_GET_INFO &&
	   (flags & NLM_F_ACK) && !(flags & NLM_F_DUMP),
	   "get_info request: do with NLM_F_ACK");

	reset(respond_stale_read_first);
	err = ptscope_get_info(c, &info);
	ok(err == 0 && info.page_size == 4096, "a read holding only foreign messages is skipped");

	reset(respond_eperm_capped);
	err = ptscope_get_info(c, &info);
	is_num(err, -EPERM, "kernel EPERM comes back as -EPERM, not an NLE code");
	is_str(ptscope_errmsg(c), "permission denied: needs CAP_SYS_ADMIN",
	       "extack message of a capped NLMSG_ERROR");

	reset(respond_eperm_uncapped);
	err = ptscope_get_info(c, &info);
	is_num(err, -EPERM, "uncapped NLMSG_ERROR: errno");
	is_str(ptscope_errmsg(c), "not allowed",
	       "uncapped NLMSG_ERROR: extack found after the echoed request, newline dropped");

	reset(respond_error_no_tlvs);
	err = ptscope_get_info(c, &info);
	ok(err == -ESRCH && !ptscope_errmsg(c)[0], "error without extack: errno, empty message");

	reset(respond_ack_only);
	err = ptscope_get_info(c, &info);
	is_num(err, -EPROTO, "ACK without a reply is a protocol error");

	reset(respond_nothing);
	err = ptscope_get_info(c, &info);
	is_num(err, -EIO, "socket EOF ends the request instead of spinning");

	reset(respond_info);
	err = ptscope_get_info(c, &info);
	ok(err == 0 && !ptscope_errmsg(c)[0], "client usable after errors; message cleared");
}

static void test_vmas(struct ptscope_client *c)
{
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	unsigned long before;
	uint16_t flags;
	uint8_t cmd;
	int err;

	reset(respond_vmas);
	err = ptscope_get_vmas(c, 42, 0, 0, PTSCOPE_VMAS_F_NO_COUNTS, on_vma, NULL);
	is_num(err, 0, "get_vmas dump succeeds");
	is_num(seen.nr, 3, "three VMAs across two reads");
	ok(seen.vma[0].start == 0x400000 && seen.vma[0].end == 0x401000 &&
	   seen.vma[0].kind == PTSCOPE_VMA_KIND_FILE && seen.vma[0].pgoff == 0x2000 &&
	   seen.vma[0].inode == 1234 && seen.vma[0].dev == ((8 << 8) | 1) &&
	   seen.vma[0].flags == (PTSCOPE_VMA_F_READ | PTSCOPE_VMA_F_WRITE),
	   "first VMA fields");
	is_str(seen.vma[0].name, "/usr/bin/true", "first VMA name");
	ok(seen.vma[1].has_counts && seen.vma[1].nr_present == 10 &&
	   seen.vma[1].nr_accessed == 9 && seen.vma[1].nr_dirty == 8 &&
	   seen.vma[1].nr_writable == 7 && seen.vma[1].nr_swap == 6 &&
	   seen.vma[1].nr_soft_dirty == 5 && seen.vma[1].nr_huge_pmd == 4 &&
	   seen.vma[1].nr_huge_pud == 3 && seen.vma[1].nr_migration == 2 &&
	   seen.vma[1].nr_protnone == 1, "all ten counts");
	ok(!seen.vma[2].has_counts && seen.vma[2].name[0] == '\0',
	   "VMA without counts and without a name");
	/* The library parses every VMA into one struct: nothing may linger. */
	ok(!seen.vma[2].nr_present && !seen.vma[2].nr_accessed && !seen.vma[2].nr_dirty &&
	   !seen.vma[2].nr_writable && !seen.vma[2].nr_swap && !seen.vma[2].nr_soft_dirty &&
	   !seen.vma[2].nr_huge_pmd && !seen.vma[2].nr_huge_pud &&
	   !seen.vma[2].nr_migration && !seen.vma[2].nr_protnone,
	   "VMA without counts: zero counts, not the previous VMA's");
	ok(req_parse(tb, &cmd, &flags) == 0 && cmd == PTSCOPE_CMD_GET_VMAS &&
	   (flags & NLM_F_DUMP) == NLM_F_DUMP && !(flags & NLM_F_ACK) &&
	   tb[PTSCOPE_A_PID] && nla_get_u32(tb[PTSCOPE_A_PID]) == 42 &&
	   !tb[PTSCOPE_A_START] && !tb[PTSCOPE_A_END] && tb[PTSCOPE_A_FLAGS] &&
	   nla_get_u32(tb[PTSCOPE_A_FLAGS]) == PTSCOPE_VMAS_F_NO_COUNTS,
	   "get_vmas request: dump without ACK, PID and FLAGS, no range");

	before = ptscope_dumps_interrupted(c);
	reset(respond_vmas_intr);
	err = ptscope_get_vmas(c, 42, 0, 0, 0, on_vma, NULL);
	ok(err == 0 && seen.nr == 2, "NLM_F_DUMP_INTR: the dump still succeeds, every VMA passed");
	ok(ptscope_dumps_interrupted(c) == before + 1, "NLM_F_DUMP_INTR: counted once per dump");
	reset(respond_vmas);
	err = ptscope_get_vmas(c, 42, 0, 0, 0, on_vma, NULL);
	ok(err == 0 && ptscope_dumps_interrupted(c) == before + 1,
	   "a consistent dump is not counted");

	reset(respond_vmas_esrch);
	err = ptscope_get_vmas(c, 42, 0, 0, 0, on_vma, NULL);
	ok(err == -ESRCH && seen.nr == 1, "error in NLMSG_DONE ends the dump with its errno");
	is_str(ptscope_errmsg(c), "process exited during the dump",
	       "extack message from NLMSG_DONE");

	reset(respond_start_error);
	err = ptscope_get_vmas(c, 42, 0, 0, 0x80, on_vma, NULL);
	ok(err == -EOPNOTSUPP && seen.nr == 0, "dump refused at start: NLMSG_ERROR");
	is_str(ptscope_errmsg(c), "unknown flag bits for this command",
	       "extack of a refused dump");

	reset(respond_vmas);
	seen.abort_at = 1;
	err = ptscope_get_vmas(c, 42, 0, 0, 0, on_vma, NULL);
	ok(err == -ECANCELED && seen.nr == 1 && fk.head == fk.tail,
	   "aborting VMA callback: its errno, no more calls, dump drained");
	is_str(ptscope_errmsg(c), "", "abort by the caller has no kernel message");
	ok(ptscope_get_vmas(c, 42, 0, 0, 0, NULL, NULL) == -EINVAL, "NULL callback rejected");
}

static void test_pages(struct ptscope_client *c)
{
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	uint16_t flags;
	uint8_t cmd;
	int err;

	reset(respond_pages);
	err = ptscope_get_pages(c, 42, 0x1000, 0x30000, 0, on_run, NULL);
	is_num(err, 0, "get_pages dump succeeds");
	is_num(seen.nr, 4, "every run delivered as sent, across messages and reads");
	ok(seen.run[0].start == 0x1000 && seen.run[0].nr_pages == 3 &&
	   seen.run[0].flags == PTSCOPE_PF_PRESENT && seen.run[0].has_pfn &&
	   seen.run[0].pfn == 100, "run with its pfn");
	ok(seen.run[1].start == 0x4000 && seen.run[1].nr_pages == 5 &&
	   seen.run[1].flags == 0 && !seen.run[1].has_pfn,
	   "not-present run, unknown attribute beside it ignored");
	ok(seen.run[2].start == 0x10000 && seen.run[2].nr_pages == 5 &&
	   !seen.run[2].has_pfn,
	   "present run without a pfn (not contiguous or not privileged)");
	ok(seen.run[3].start == 0x20000 && seen.run[3].has_swap &&
	   seen.run[3].swap_type == 1 && seen.run[3].swap_offset == 0x500,
	   "swap run with its location");
	ok(req_parse(tb, &cmd, &flags) == 0 && cmd == PTSCOPE_CMD_GET_PAGES &&
	   tb[PTSCOPE_A_START] && nla_get_u64(tb[PTSCOPE_A_START]) == 0x1000 &&
	   tb[PTSCOPE_A_END] && nla_get_u64(tb[PTSCOPE_A_END]) == 0x30000 &&
	   tb[PTSCOPE_A_FLAGS] &&
	   nla_get_u32(tb[PTSCOPE_A_FLAGS]) == PTSCOPE_PAGES_F_COMPACT,
	   "get_pages request: START and END, FLAGS asks for compact blocks");

	reset(respond_pages);
	err = ptscope_get_pages(c, 42, 0, 0, PTSCOPE_PAGES_F_PFN_RUNS, on_run, NULL);
	ok(err == 0 && seen.nr == 4 && req_parse(tb, &cmd, &flags) == 0 &&
	   tb[PTSCOPE_A_FLAGS] &&
	   nla_get_u32(tb[PTSCOPE_A_FLAGS]) == PTSCOPE_PAGES_F_PFN_RUNS,
	   "PFN_RUNS mode: flag sent, runs delivered as sent");

	reset(respond_pages_many);
	seen.abort_at = 2;
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == -ECANCELED && seen.nr == 2 && fk.head == fk.tail,
	   "aborting run callback: its errno wins over the later kernel error, dump drained");
	is_str(ptscope_errmsg(c), "", "no kernel message after an abort");

	reset(respond_pages_many);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == -ESRCH && seen.nr == 8,
	   "failed dump: runs before the error delivered, then its errno");

	reset(respond_pages);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run_eproto, NULL);
	ok(err == -EPROTO && seen.nr == 1 && !ptscope_errmsg(c)[0],
	   "callback's own -EPROTO is not blamed on the kernel");

	reset(respond_pages_malformed);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == -EPROTO && seen.nr == 1 && fk.head == fk.tail,
	   "run without NR_PAGES: -EPROTO, nothing after it delivered, drained");
	is_str(ptscope_errmsg(c), "malformed reply from the kernel", "protocol error message");

	reset(respond_pages_bad_type);
	err = ptscope_get_pages(c, 42, 0, 0, 0, on_run, NULL);
	ok(err == -EPROTO, "policy: a u8 where a u64 belongs is rejected");
}

static void test_translate(struct ptscope_client *c)
{
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	struct ptscope_xlate x;
	uint16_t flags;
	uint8_t cmd;
	int err;

	reset(respond_xlate);
	err = ptscope_translate(c, 42, 0x7ffd12345678ULL, &x);
	is_num(err, 0, "translate succeeds");
	ok(x.addr == 0x7ffd12345678ULL && x.nr_levels == 5, "five levels");
	ok(x.levels[0].level == PTSCOPE_LEVEL_PGD && x.levels[0].index == 255 &&
	   x.levels[0].has_entry && x.levels[0].entry == 0x123067 &&
	   !x.levels[0].folded && !x.levels[0].leaf, "pgd level");
	ok(x.levels[1].level == PTSCOPE_LEVEL_P4D && x.levels[1].folded &&
	   !x.levels[1].has_entry, "folded p4d without an entry");
	ok(x.levels[4].level == PTSCOPE_LEVEL_PTE && x.levels[4].leaf &&
	   x.levels[4].flags == 0x3f && x.levels[4].entry == 0x8000000126867ULL,
	   "pte leaf");
	ok(x.stop_level == PTSCOPE_LEVEL_PTE && x.stop_reason == PTSCOPE_STOP_MAPPED &&
	   x.page_size == 4096 && x.has_phys && x.phys_addr == 0x126678 &&
	   x.flags == 0x3f && !x.has_swap, "result fields");
	ok(x.has_vma && x.vma_start == 0x7ffd10000000ULL && x.vma_end == 0x7ffd20000000ULL,
	   "VMA bounds");
	ok(req_parse(tb, &cmd, &flags) == 0 && cmd == PTSCOPE_CMD_TRANSLATE &&
	   (flags & NLM_F_ACK) && tb[PTSCOPE_A_ADDR] &&
	   nla_get_u64(tb[PTSCOPE_A_ADDR]) == 0x7ffd12345678ULL,
	   "translate request: PID and ADDR with ACK");

	reset(respond_xlate_no_vma);
	err = ptscope_translate(c, 42, 0x1000, &x);
	ok(err == 0 && x.nr_levels == 0 && x.stop_reason == PTSCOPE_STOP_NO_VMA &&
	   !x.has_vma && !x.has_phys, "no VMA: no levels, reply and ACK in one read");

	reset(respond_xlate_six_levels);
	err = ptscope_translate(c, 42, 0x1000, &x);
	is_num(err, -EPROTO, "more levels than paging has is a protocol error");

	reset(respond_missing_addr);
	err = ptscope_translate(c, 42, 0x1000, &x);
	is_num(err, -EINVAL, "missing attribute: EINVAL");
	is_str(ptscope_errmsg(c), "missing attribute ADDR",
	       "NLMSGERR_ATTR_MISS_TYPE without a message is named");
}

static void test_errno_map(void)
{
	ok(ptscope_nlerr_to_errno(-NLE_OBJ_NOTFOUND) == -ENOENT,
	   "family not found (NLE_OBJ_NOTFOUND) is -ENOENT");
	ok(ptscope_nlerr_to_errno(NLE_PERM) == -EPERM, "NLE_PERM is -EPERM");
	ok(ptscope_nlerr_to_errno(-NLE_NOMEM) == -ENOMEM, "NLE_NOMEM is -ENOMEM");
	ok(ptscope_nlerr_to_errno(-NLE_SEQ_MISMATCH) == -EPROTO, "sequence mismatch is -EPROTO");
	ok(ptscope_nlerr_to_errno(-9999) == -EIO, "unknown NLE code is -EIO");
	ok(ptscope_nlerr_to_errno(0) == 0, "success stays 0");
	is_str(ptscope_errmsg(NULL), "", "errmsg of no client is empty");
}

void test_client(void)
{
	struct ptscope_client *c = fake_client();

	if (!ok(c != NULL, "fake client opens"))
		return;
	test_info(c);
	test_vmas(c);
	test_pages(c);
	test_translate(c);
	test_errno_map();
	ptscope_close(c);
	reset(NULL);
	ptscope_close(NULL);
	ok(1, "closing NULL is harmless");
}
