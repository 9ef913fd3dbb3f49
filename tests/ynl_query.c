// SPDX-License-Identifier: GPL-2.0
/*
 * The ptscope family queried through the kernel's own ynl C library
 * (tools/net/ynl/lib), with the client code ynl-gen-c generated from
 * module/uapi/ptscope.yaml at build time: a second, independent client.
 * ynl_test runs it and compares every line with what libptscope returns.
 * A program of its own because the generated names (struct ptscope_vma,
 * ptscope_get_info(), ...) are libptscope's too.
 *
 *   ynl_query info          the stable get-info fields
 *   ynl_query vmas PID      one line per VMA, with counts
 *   ynl_query pages PID [compact]
 *                           one line per run (compact: blocks expanded)
 *
 * The line formats are ynl_test.c's; keep them in step.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ynl.h>
#include "ptscope-user.h"
#include "ynl_lines.h"

static int query_info(struct ynl_sock *ys)
{
	struct ptscope_get_info_req *req = ptscope_get_info_req_alloc();
	struct ptscope_get_info_rsp *rsp;
	struct ptscope_info *i;

	rsp = ptscope_get_info(ys, req);
	ptscope_get_info_req_free(req);
	if (!rsp)
		return -1;
	i = &rsp->info;
	printf(INFO_LINE,
	       i->module_version, i->proto_version, i->kernel_release,
	       i->page_size, i->pgtable_levels, (uint64_t)i->user_va_end,
	       (uint64_t)i->features, i->privileged, i->max_tracked,
	       (uint64_t)i->probes);
	ptscope_get_info_rsp_free(rsp);
	return 0;
}

static int query_vmas(struct ynl_sock *ys, uint32_t pid)
{
	struct ptscope_get_vmas_req_dump *req = ptscope_get_vmas_req_dump_alloc();
	struct ptscope_get_vmas_rsp_list *list;

	ptscope_get_vmas_req_dump_set_pid(req, pid);
	list = ptscope_get_vmas_dump(ys, req);
	ptscope_get_vmas_req_dump_free(req);
	if (!list)
		return -1;
	ynl_dump_foreach(list, obj) {
		const struct ptscope_vma *v = &obj->vma;

		/* Absent nr-* counts mean 0 (the spec says so). */
		printf(VMA_LINE,
		       (uint64_t)v->start, (uint64_t)v->end, (uint64_t)v->pgoff,
		       (uint64_t)v->flags, v->kind,
		       v->_present.name_len ? v->name : "",
		       (uint64_t)v->inode, v->dev);
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) \
		printf(VMA_COUNTER, #name, (uint64_t)v->nr_##name);
#include "../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
		printf("\n");
	}
	ptscope_get_vmas_rsp_list_free(list);
	return 0;
}

static uint64_t page_size;

struct item {
	uint64_t start, nr_pages;
	uint32_t flags;
	const struct ptscope_run *run;	/* NULL: from a block */
};

static int by_start(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void print_item(const struct item *it)
{
	const struct ptscope_run *r = it->run;

	printf(RUN_LINE,
	       it->start, it->nr_pages, it->flags);
	if (r && r->_present.pfn)
		printf(RUN_PFN, (uint64_t)r->pfn);
	if (r && r->_present.swap_type)
		printf(RUN_SWAP, r->swap_type,
		       (uint64_t)r->swap_offset);
	printf("\n");
}

/*
 * One message's runs, and its blocks expanded into the runs they hold (a
 * block holds whole runs: equal neighbours inside it are one run), in
 * address order: ynl parses runs and blocks into two arrays.
 */
static int print_message(const struct ptscope_get_pages_rsp_dump *m)
{
	size_t cap = m->n_run, n = 0;
	struct item *items;
	unsigned int k;

	for (k = 0; k < m->n_block; k++)
		cap += m->block[k]._present.flags16_len / 2;
	items = calloc(cap ? cap : 1, sizeof(*items));
	if (!items)
		return -1;
	for (k = 0; k < m->n_run; k++)
		items[n++] = (struct item){ m->run[k].start, m->run[k].nr_pages,
					    m->run[k].flags, &m->run[k] };
	for (k = 0; k < m->n_block; k++) {
		const struct ptscope_block *b = &m->block[k];
		const uint16_t *f = b->flags16;
		size_t i, pages = b->_present.flags16_len / 2;

		for (i = 0; i < pages; i++) {
			if (i && f[i] == f[i - 1]) {
				items[n - 1].nr_pages++;
				continue;
			}
			items[n++] = (struct item){ b->start + i * page_size, 1, f[i],
						    NULL };
		}
	}
	qsort(items, n, sizeof(*items), by_start);
	for (size_t i = 0; i < n; i++)
		print_item(&items[i]);
	free(items);
	return 0;
}

static int query_pages(struct ynl_sock *ys, uint32_t pid, uint32_t flags)
{
	struct ptscope_get_pages_req_dump *req = ptscope_get_pages_req_dump_alloc();
	struct ptscope_get_pages_rsp_list *list;
	int err = 0;

	ptscope_get_pages_req_dump_set_pid(req, pid);
	if (flags)
		ptscope_get_pages_req_dump_set_flags(req, flags);
	list = ptscope_get_pages_dump(ys, req);
	ptscope_get_pages_req_dump_free(req);
	if (!list)
		return -1;
	ynl_dump_foreach(list, obj)
		if (!err)
			err = print_message(obj);
	ptscope_get_pages_rsp_list_free(list);
	return err;
}

int main(int argc, char **argv)
{
	struct ynl_error yerr;
	struct ynl_sock *ys;
	int err = -1;

	if (argc < 2 || (strcmp(argv[1], "info") && argc < 3)) {
		fprintf(stderr,
			"usage: ynl_query info | vmas PID | pages PID [compact]\n");
		return 2;
	}
	page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	ys = ynl_sock_create(&ynl_ptscope_family, &yerr);
	if (!ys) {
		fprintf(stderr, "ynl_query: %s\n", yerr.msg);
		return 1;
	}
	if (!strcmp(argv[1], "info"))
		err = query_info(ys);
	else if (!strcmp(argv[1], "vmas"))
		err = query_vmas(ys, strtoul(argv[2], NULL, 0));
	else if (!strcmp(argv[1], "pages"))
		err = query_pages(ys, strtoul(argv[2], NULL, 0),
				  argc > 3 && !strcmp(argv[3], "compact") ?
				  PTSCOPE_PAGES_F_COMPACT : 0);
	if (err && ys->err.code)
		fprintf(stderr, "ynl_query: %s: %s\n", argv[1], ys->err.msg);
	ynl_sock_destroy(ys);
	return err ? 1 : 0;
}
