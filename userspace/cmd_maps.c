// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope maps PID
 *
 * The VMAs are collected first and printed afterwards: the density bars need
 * a second dump (get-pages), and one socket runs one dump at a time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "density.h"
#include "fmt.h"
#include "json.h"
#include "ptscope_priv.h"
#include "term.h"

#define BAR_CELLS	16

struct counts {
	uint64_t total, present, accessed, dirty, writable, swap, soft_dirty;
	uint64_t huge_pmd, huge_pud, migration, protnone;
};

/* A VMA without the PATH_MAX buffer: thousands of them are normal. */
struct row {
	uint64_t start, end, pgoff, flags, inode;
	uint32_t kind, dev;
	char *name;
	struct counts n;
	struct density bar;
};

struct rows {
	struct row *v;
	size_t nr, cap;
	unsigned int page_shift;
	size_t cursor;		/* get-pages: first row a run may still touch */
};

static int collect(const struct ptscope_vma *vma, void *arg)
{
	struct rows *rows = arg;
	struct row *r;

	if (rows->nr == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 64;
		struct row *v = realloc(rows->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		rows->v = v;
		rows->cap = cap;
	}
	r = &rows->v[rows->nr];
	memset(r, 0, sizeof(*r));
	r->name = strdup(vma->name);
	if (!r->name)
		return -ENOMEM;
	rows->nr++;
	r->start = vma->start;
	r->end = vma->end;
	r->pgoff = vma->pgoff;
	r->flags = vma->flags;
	r->inode = vma->inode;
	r->kind = vma->kind;
	r->dev = vma->dev;
	r->n.total = (vma->end - vma->start) >> rows->page_shift;
	r->n.present = vma->nr_present;
	r->n.accessed = vma->nr_accessed;
	r->n.dirty = vma->nr_dirty;
	r->n.writable = vma->nr_writable;
	r->n.swap = vma->nr_swap;
	r->n.soft_dirty = vma->nr_soft_dirty;
	r->n.huge_pmd = vma->nr_huge_pmd;
	r->n.huge_pud = vma->nr_huge_pud;
	r->n.migration = vma->nr_migration;
	r->n.protnone = vma->nr_protnone;
	density_init(&r->bar, vma->start, vma->end, BAR_CELLS);
	return 0;
}

/*
 * Runs come in address order, so a cursor finds their VMA without a
 * search.  The address space may have changed since the VMA dump: runs
 * outside every row are ignored and density_add() clips the rest.
 */
static int bin_run(const struct ptscope_run *run, void *arg)
{
	struct rows *rows = arg;
	uint64_t bytes, end;
	size_t i;

	if (!(run->flags & PTSCOPE_PF_PRESENT) || !run->nr_pages)
		return 0;
	bytes = run->nr_pages > (UINT64_MAX >> rows->page_shift) ?
		UINT64_MAX : run->nr_pages << rows->page_shift;
	end = bytes > UINT64_MAX - run->start ? UINT64_MAX : run->start + bytes;
	while (rows->cursor < rows->nr && rows->v[rows->cursor].end <= run->start)
		rows->cursor++;
	for (i = rows->cursor; i < rows->nr && rows->v[i].start < end; i++)
		density_add(&rows->v[i].bar, run->start, bytes);
	return 0;
}

static void add_counts(struct counts *t, const struct counts *n)
{
	t->total += n->total;
	t->present += n->present;
	t->accessed += n->accessed;
	t->dirty += n->dirty;
	t->writable += n->writable;
	t->swap += n->swap;
	t->soft_dirty += n->soft_dirty;
	t->huge_pmd += n->huge_pmd;
	t->huge_pud += n->huge_pud;
	t->migration += n->migration;
	t->protnone += n->protnone;
}

static void json_counts(struct json *j, const struct counts *n)
{
	json_obj_begin(j, "pages");
	json_u64(j, "total", n->total);
	json_u64(j, "present", n->present);
	json_u64(j, "accessed", n->accessed);
	json_u64(j, "dirty", n->dirty);
	json_u64(j, "writable", n->writable);
	json_u64(j, "swap", n->swap);
	json_u64(j, "soft_dirty", n->soft_dirty);
	json_u64(j, "huge_pmd", n->huge_pmd);
	json_u64(j, "huge_pud", n->huge_pud);
	json_u64(j, "migration", n->migration);
	json_u64(j, "protnone", n->protnone);
	json_obj_end(j);
}

static void print_json(struct cli *cli, pid_t pid, const struct rows *rows)
{
	struct counts total = { 0 };
	uint64_t size = 0;
	struct json j;
	size_t i;

	json_init(&j, cli->out);
	json_obj_begin(&j, NULL);
	json_u64(&j, "pid", (uint64_t)pid);
	json_u64(&j, "page_size", 1ULL << rows->page_shift);
	json_arr_begin(&j, "vmas");
	for (i = 0; i < rows->nr; i++) {
		const struct row *r = &rows->v[i];
		char perms[5], dev[24];

		fmt_perms(r->flags, perms);
		fmt_dev(r->dev, dev, sizeof(dev));
		json_obj_begin(&j, NULL);
		json_hex(&j, "start", r->start);
		json_hex(&j, "end", r->end);
		json_u64(&j, "size", r->end - r->start);
		json_str(&j, "perms", perms);
		json_flag_names(&j, "flags", r->flags, ptscope_vma_flag_bit_name);
		json_str(&j, "kind", ptscope_vma_kind_name(r->kind));
		json_str(&j, "name", r->name);
		json_u64(&j, "offset", r->pgoff);
		json_u64(&j, "inode", r->inode);
		json_str(&j, "dev", dev);
		json_counts(&j, &r->n);
		json_obj_end(&j);
		add_counts(&total, &r->n);
		size += r->end - r->start;
	}
	json_arr_end(&j);
	json_obj_begin(&j, "totals");
	json_u64(&j, "vmas", rows->nr);
	json_u64(&j, "size", size);
	json_counts(&j, &total);
	json_obj_end(&j);
	json_obj_end(&j);
	fputc('\n', cli->out);
}

static const char *kind_color(const struct cli *cli, uint32_t kind)
{
	switch (kind) {
	case PTSCOPE_VMA_KIND_HEAP:
	case PTSCOPE_VMA_KIND_STACK:
		return sgr(cli, SGR_YELLOW);
	case PTSCOPE_VMA_KIND_SPECIAL:
		return sgr(cli, SGR_MAGENTA);
	case PTSCOPE_VMA_KIND_ANON_NAMED:
		return sgr(cli, SGR_CYAN);
	case PTSCOPE_VMA_KIND_SHMEM:
		return sgr(cli, SGR_GREEN);
	default:
		return "";
	}
}

static void print_amounts(FILE *f, const struct counts *n, unsigned int shift)
{
	const uint64_t v[] = {
		n->present, n->accessed, n->dirty, n->swap,
		n->huge_pmd + n->huge_pud,
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char s[16];

		fmt_size(v[i] << shift, s, sizeof(s));
		fprintf(f, " %6s", s);
	}
}

static void print_human(struct cli *cli, const struct rows *rows)
{
	FILE *f = cli->out;
	const char *b = sgr(cli, SGR_BOLD), *rst = sgr(cli, SGR_RESET);
	struct counts total = { 0 };
	uint64_t size = 0;
	int w = 12;
	size_t i;
	char s[16];

	for (i = 0; i < rows->nr; i++)
		if (hex_digits(rows->v[i].end) > w)
			w = hex_digits(rows->v[i].end);

	fprintf(f, "%s%-*s %6s %-4s %6s %6s %6s %6s %6s  %-*s  %s%s\n", b,
		2 * w + 1, "START-END", "SIZE", "PERM", "RSS", "ACCESS", "DIRTY",
		"SWAP", "HUGE", BAR_CELLS + 2, "DENSITY", "NAME", rst);
	for (i = 0; i < rows->nr; i++) {
		const struct row *r = &rows->v[i];
		char perms[5], bar[BAR_CELLS * 4 + 1];

		fmt_perms(r->flags, perms);
		fmt_size(r->end - r->start, s, sizeof(s));
		density_render(&r->bar, cli->utf8, bar, sizeof(bar));
		fprintf(f, "%0*llx-%0*llx %6s %-4s", w, (unsigned long long)r->start,
			w, (unsigned long long)r->end, s, perms);
		print_amounts(f, &r->n, rows->page_shift);
		fprintf(f, "  [%s]  %s", bar, kind_color(cli, r->kind));
		if (r->kind == PTSCOPE_VMA_KIND_ANON_NAMED) {
			/* As /proc/PID/maps shows it. */
			fputs("[anon:", f);
			fput_sanitized(r->name, f);
			fputc(']', f);
		} else {
			fput_sanitized(r->name, f);
		}
		fprintf(f, "%s\n", kind_color(cli, r->kind)[0] ? rst : "");
		add_counts(&total, &r->n);
		size += r->end - r->start;
	}
	fmt_size(size, s, sizeof(s));
	fprintf(f, "%s%-*s %6s %-4s", b, 2 * w + 1, "total", s, "");
	print_amounts(f, &total, rows->page_shift);
	fprintf(f, "  %zu VMA%s%s\n", rows->nr, rows->nr == 1 ? "" : "s", rst);
}

int cmd_maps(struct cli *cli, int argc, char **argv)
{
	struct rows rows = { 0 };
	struct ptscope_client *c;
	long page_size = sysconf(_SC_PAGESIZE);
	pid_t pid;
	int rc, err;
	size_t i;

	if (argc != 1)
		return usage_error("usage: ptscope maps PID");
	rc = arg_pid(argv[0], &pid);
	if (rc)
		return rc;
	rows.page_shift = page_size > 0 ? (unsigned int)__builtin_ctzl((unsigned long)page_size) : 12;

	rc = cli_open(&c);
	if (rc)
		return rc;
	err = ptscope_get_vmas(c, pid, 0, 0, 0, collect, &rows);
	/* Scripts get the counts; only people get (and pay for) the bars. */
	if (!err && !cli->json && rows.nr)
		err = ptscope_get_pages(c, pid, rows.v[0].start,
					rows.v[rows.nr - 1].end, 0, bin_run, &rows);
	if (err) {
		rc = request_failed(c, err);
	} else if (cli->json) {
		print_json(cli, pid, &rows);
	} else {
		print_human(cli, &rows);
	}
	ptscope_close(c);
	for (i = 0; i < rows.nr; i++)
		free(rows.v[i].name);
	free(rows.v);
	return rc;
}
