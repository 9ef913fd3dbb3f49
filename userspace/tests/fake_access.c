// SPDX-License-Identifier: GPL-2.0
/*
 * The fake kernel's get-vmas and sample-access for `ptscope heat` and
 * `record --heat`: a process whose VMAs and per-page access sets follow a
 * script, interval by interval.  Interval N's get-vmas and sample come
 * after N samples (the priming one included).  A page run of one state is
 * sent as a fill block, a mixed run with states (2 bits a page), one VMA
 * a message, access-stats in the last: as the module sends them.  The CLI
 * breaking the protocol (no DISCARD on the priming sample, DISCARD later)
 * gets EINVAL, so the tests see it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include "fake_access.h"
#include "fake_kernel.h"

struct fake_access fa;

static const struct fa_interval *current(void)
{
	int i = fa.samples - 1;

	if (i >= fa.nr)
		i = fa.nr - 1;
	return &fa.script[i < 0 ? 0 : i];
}

static void vmas_reply(void)
{
	const struct fa_interval *iv = current();
	struct chunk *c = chunk_new();

	for (int i = 0; i < FA_MAX_VMAS && iv->vmas[i].end; i++)
		chunk_add(c, vma_msg_counts(iv->vmas[i].start, iv->vmas[i].end,
					    iv->vmas[i].name, iv->vmas[i].kind, NULL));
	chunk_add(c, done_msg(0, NULL));
}

static uint32_t state(char ch)
{
	return ch == 'A' ? PTSCOPE_ACCESS_PRESENT | PTSCOPE_ACCESS_ACCESSED :
	       ch == 'p' ? PTSCOPE_ACCESS_PRESENT : 0;
}

/* The blocks of one VMA: maximal runs of present pages. */
static void put_blocks(struct nl_msg *msg, const struct fa_vma *v, uint64_t *st)
{
	size_t n = strlen(v->pages), i = 0;

	while (i < n) {
		size_t j = i;
		bool same = true;
		struct nlattr *nest;

		if (v->pages[i] == '.') {
			i++;
			continue;
		}
		while (j < n && v->pages[j] != '.') {
			same &= v->pages[j] == v->pages[i];
			st[1] += 1;
			st[2] += v->pages[j] == 'A';
			j++;
		}
		nest = nla_nest_start(msg, PTSCOPE_A_ACCESS);
		nla_put_u64(msg, PTSCOPE_ACCESS_A_START, v->start + i * 4096);
		nla_put_u32(msg, PTSCOPE_ACCESS_A_NR_PAGES, (uint32_t)(j - i));
		if (same) {
			nla_put_u32(msg, PTSCOPE_ACCESS_A_FILL, state(v->pages[i]));
		} else {
			uint8_t bits[64] = { 0 };

			for (size_t k = i; k < j; k++)
				bits[(k - i) / 4] |= (uint8_t)(state(v->pages[k]) << (2 * ((k - i) % 4)));
			nla_put(msg, PTSCOPE_ACCESS_A_STATES, (int)((j - i + 3) / 4), bits);
		}
		nla_nest_end(msg, nest);
		i = j;
	}
	st[0] += n;
}

static void put_stats(struct nl_msg *msg, const uint64_t *st)
{
	struct nlattr *nest = nla_nest_start(msg, PTSCOPE_A_ACCESS_STATS);

	nla_put_u64(msg, PTSCOPE_ACCESS_STATS_A_ENTRIES, st[0]);
	nla_put_u64(msg, PTSCOPE_ACCESS_STATS_A_PRESENT, st[1]);
	nla_put_u64(msg, PTSCOPE_ACCESS_STATS_A_ACCESSED, st[2]);
	nla_put_u64(msg, PTSCOPE_ACCESS_STATS_A_CLEARED, st[2]);
	nla_put_u64(msg, PTSCOPE_ACCESS_STATS_A_YOUNG_MARKED, 0);
	nla_put_u64(msg, PTSCOPE_ACCESS_STATS_A_FLUSHES, st[2] ? 1 : 0);
	nla_put_u64(msg, PTSCOPE_ACCESS_STATS_A_FLUSH_CPUS, st[2] ? 2 : 0);
	nla_nest_end(msg, nest);
}

static struct nl_msg *access_msg(void)
{
	struct nl_msg *msg = reply(PTSCOPE_CMD_SAMPLE_ACCESS, true);

	nla_put_u32(msg, PTSCOPE_A_PID, 42);
	return msg;
}

static void sample_reply(uint32_t flags)
{
	const struct fa_interval *iv;
	uint64_t st[3] = { 0 };
	struct nl_msg *msg;
	bool priming = fa.samples == 0;

	if (fa.eperm) {
		push(err_msg(-EPERM, "sample-access writes the target's page tables: "
			     "CAP_SYS_ADMIN only", true, 0));
		return;
	}
	if (priming != !!(flags & PTSCOPE_ACCESS_F_DISCARD)) {
		push(err_msg(-EINVAL, "fake: DISCARD on the priming sample only", true, 0));
		return;
	}
	iv = current();
	fa.samples++;
	if (priming) {
		msg = access_msg();
		put_stats(msg, st);
		push(msg);
		push(done_msg(0, NULL));
		return;
	}
	for (int i = 0; i < FA_MAX_VMAS && iv->vmas[i].end; i++) {
		msg = access_msg();
		put_blocks(msg, &iv->vmas[i], st);
		if (fa.exit_mid && fa.samples - 1 == fa.exit_mid) {
			push(msg);
			push(done_msg(-ESRCH, "process exited during the dump"));
			return;
		}
		if (i + 1 == FA_MAX_VMAS || !iv->vmas[i + 1].end)
			put_stats(msg, st);
		push(msg);
	}
	push(done_msg(0, NULL));
}

void fake_access_respond(void)
{
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	uint16_t flags;
	uint8_t cmd;

	req_parse(tb, &cmd, &flags);
	if (fa.log) {
		fprintf(fa.log, "%s %llx %llx %x\n",
			cmd == PTSCOPE_CMD_GET_VMAS ? "get-vmas" : "sample-access",
			tb[PTSCOPE_A_START] ? (unsigned long long)nla_get_u64(tb[PTSCOPE_A_START]) : 0ULL,
			tb[PTSCOPE_A_END] ? (unsigned long long)nla_get_u64(tb[PTSCOPE_A_END]) : 0ULL,
			tb[PTSCOPE_A_FLAGS] ? nla_get_u32(tb[PTSCOPE_A_FLAGS]) : 0);
		fflush(fa.log);
	}
	if (cmd == PTSCOPE_CMD_GET_VMAS) {
		if (fa.exit_after && fa.samples > fa.exit_after)
			push(err_msg(-ESRCH, "no such process", true, 0));
		else
			vmas_reply();
		return;
	}
	sample_reply(tb[PTSCOPE_A_FLAGS] ? nla_get_u32(tb[PTSCOPE_A_FLAGS]) : 0);
}
