// SPDX-License-Identifier: GPL-2.0
/*
 * Time the real CLI against the fake kernel on a large synthetic dump:
 *
 *   tests/bench/bench_cli [alt|uniform|runs] [ptscope args...] >/dev/null
 *
 * "alt" (default): 1 GiB whose flags alternate page by page, sent as
 * PTSCOPE_A_BLOCKs (262,144 runs); "runs": the same as one PTSCOPE_A_RUN
 * per page (the non-compact dump); "uniform": the same 1 GiB as one run.
 * The dump is built before the clock starts; the time of ptscope_main()
 * (parsing, callbacks, formatting, writing) goes to stderr.  Built without
 * sanitizers, at the CLI's own optimisation (make bench).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include "fake_kernel.h"

#define NR_PAGES	262144ULL	/* 1 GiB of 4 KiB pages */
#define BASE		0x7f0000000000ULL
#define BLOCK_PAGES	8000		/* 16 KB of flags: the kernel's size */
#define RUNS_PER_MSG	600		/* ~32 KB messages */
#define MSGS_PER_CHUNK	8		/* what one read of the socket holds */

int ptscope_main(int argc, char **argv);
int __wrap_ptscope_open(struct ptscope_client **out);

static enum { M_ALT, M_UNIFORM, M_RUNS } mode;
static struct chunk pre[MAX_CHUNKS];
static int npre;

static uint32_t page_flags(uint64_t i)
{
	uint32_t f = PTSCOPE_PF_PRESENT | PTSCOPE_PF_USER | PTSCOPE_PF_ACCESSED;

	return i & 1 ? f | PTSCOPE_PF_WRITE | PTSCOPE_PF_DIRTY : f;
}

static void pre_add(struct nl_msg *msg, int *in_chunk)
{
	if (!npre || *in_chunk == MSGS_PER_CHUNK) {
		if (npre == MAX_CHUNKS - 1) {
			fprintf(stderr, "bench: too many chunks\n");
			exit(1);
		}
		npre++;
		*in_chunk = 0;
	}
	(*in_chunk)++;
	chunk_add(&pre[npre - 1], msg);
}

/* Build the whole dump once; fk.seq is patched in when it is sent. */
static void build(void)
{
	struct nl_msg *msg;
	int in_chunk = 0;
	uint64_t i, j;

	fk.seq = 0;
	if (mode == M_UNIFORM) {
		msg = pages_msg();
		put_run(msg, BASE, NR_PAGES, page_flags(0), -1);
		pre_add(msg, &in_chunk);
	} else if (mode == M_RUNS) {
		for (i = 0; i < NR_PAGES; i += RUNS_PER_MSG) {
			msg = pages_msg();
			for (j = i; j < i + RUNS_PER_MSG && j < NR_PAGES; j++)
				put_run(msg, BASE + (j << 12), 1, page_flags(j), -1);
			pre_add(msg, &in_chunk);
		}
	} else {
		for (i = 0; i < NR_PAGES; i += BLOCK_PAGES) {
			uint64_t n = NR_PAGES - i < BLOCK_PAGES ? NR_PAGES - i : BLOCK_PAGES;
			uint16_t *f = malloc(n * sizeof(*f));
			struct nlattr *nest;

			for (j = 0; j < n; j++)
				f[j] = (uint16_t)page_flags(i + j);
			msg = pages_msg();
			nest = nla_nest_start(msg, PTSCOPE_A_BLOCK);
			nla_put_u64(msg, PTSCOPE_BLOCK_A_START, BASE + (i << 12));
			nla_put(msg, PTSCOPE_BLOCK_A_FLAGS16, (int)(n * sizeof(*f)), f);
			nla_nest_end(msg, nest);
			free(f);
			pre_add(msg, &in_chunk);
		}
	}
	msg = done_msg(0, NULL);
	pre_add(msg, &in_chunk);
}

static void respond(void)
{
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	uint16_t flags;
	uint8_t cmd;
	int i;

	req_parse(tb, &cmd, &flags);
	if (cmd == PTSCOPE_CMD_GET_VMAS) {
		struct chunk *c = chunk_new();

		chunk_add(c, vma_msg(BASE, BASE + (NR_PAGES << 12), "bench",
				     PTSCOPE_VMA_KIND_ANON, true));
		chunk_add(c, done_msg(0, NULL));
		return;
	}
	if (cmd != PTSCOPE_CMD_GET_PAGES) {
		push(err_msg(-EOPNOTSUPP, NULL, true, 0));
		return;
	}
	/* A copy per request: libnl frees what a read returns. */
	for (i = 0; i < npre; i++) {
		struct chunk *c = chunk_new();
		size_t off;

		c->data = malloc(pre[i].len);
		c->len = pre[i].len;
		memcpy(c->data, pre[i].data, pre[i].len);
		for (off = 0; off < c->len;) {
			struct nlmsghdr *h = (struct nlmsghdr *)(c->data + off);

			h->nlmsg_seq = fk.seq;
			off += NLMSG_ALIGN(h->nlmsg_len);
		}
	}
}

int __wrap_ptscope_open(struct ptscope_client **out)
{
	drop_queue();
	fk.respond = respond;
	*out = fake_client();
	return *out ? 0 : -ENOMEM;
}

int main(int argc, char **argv)
{
	char *args[32] = { "ptscope" };
	int nargs = 1, i = 1, rc;
	struct timespec a, b;

	if (i < argc && !strcmp(argv[i], "uniform"))
		mode = M_UNIFORM, i++;
	else if (i < argc && !strcmp(argv[i], "runs"))
		mode = M_RUNS, i++;
	else if (i < argc && !strcmp(argv[i], "alt"))
		i++;
	if (mode == M_RUNS)
		args[nargs++] = "--no-compact";
	if (i == argc) {
		args[nargs++] = "--json";
		args[nargs++] = "pages";
		args[nargs++] = "42";
	}
	for (; i < argc && nargs < 31; i++)
		args[nargs++] = argv[i];
	args[nargs] = NULL;

	nlmsg_set_default_size(65536);	/* messages of up to ~32 KB */
	build();
	clock_gettime(CLOCK_MONOTONIC, &a);
	rc = ptscope_main(nargs, args);
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "%.1f ms\n",
		(double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
	return rc;
}
