// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope tables PID [DEPTH]: what the page tables themselves look like.
 * Per level: tables, entries in use, fill, memory, leaf mappings; with a
 * DEPTH (pgd, p4d, pud, pmd or pte), every table down to that level as an
 * indented tree, each with the address range it maps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "json.h"

#define ENTRIES_PER_TABLE	512

/* Address bits below each level's entries: what one table of it maps. */
static const unsigned int table_span_shift[] = { 0, 48, 39, 30, 21 };

struct table_list {
	struct ptscope_table *v;
	size_t n, cap;
};

static int collect_table(const struct ptscope_table *t, void *arg)
{
	struct table_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct ptscope_table *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *t;
	return 0;
}

static int parse_depth(const char *s, int *depth)
{
	for (int level = PTSCOPE_LEVEL_PGD; level <= PTSCOPE_LEVEL_PTE; level++) {
		if (!strcmp(s, ptscope_level_name(level))) {
			*depth = level;
			return 0;
		}
	}
	return -1;
}

/* Leaf size of a level, for the LEAVES column: 1G, 2M, 4K. */
static const char *leaf_size(uint32_t level)
{
	switch (level) {
	case PTSCOPE_LEVEL_PUD:
		return "1G";
	case PTSCOPE_LEVEL_PMD:
		return "2M";
	case PTSCOPE_LEVEL_PTE:
		return "4K";
	default:
		return NULL;
	}
}

static void print_human(struct cli *cli, pid_t pid, const struct ptscope_tables *t,
			const struct table_list *tl, bool tree)
{
	const char *bold = sgr(cli, "1"), *reset = sgr(cli, "0");
	uint64_t total_bytes = 0, total_tables = 0;
	char size[16];

	fprintf(cli->out, "%spid %d page tables%s\n", bold, (int)pid, reset);
	fprintf(cli->out, "%-6s %8s %9s %7s %8s  %s\n",
		"LEVEL", "TABLES", "ENTRIES", "FILL", "BYTES", "LEAVES");
	for (int i = 0; i < t->nr_levels; i++) {
		const struct ptscope_level_stats *l = &t->levels[i];
		const char *leaf = leaf_size(l->level);

		if (l->folded) {
			fprintf(cli->out, "%-6s %8s\n", ptscope_level_name(l->level),
				"folded");
			continue;
		}
		fmt_size(l->bytes, size, sizeof(size));
		fprintf(cli->out, "%-6s %8llu %9llu %6.1f%% %8s  ",
			ptscope_level_name(l->level),
			(unsigned long long)l->tables, (unsigned long long)l->entries,
			l->tables ? 100.0 * l->entries / (l->tables * ENTRIES_PER_TABLE) : 0.0,
			size);
		if (leaf)
			fprintf(cli->out, "%llu x %s\n", (unsigned long long)l->leaves, leaf);
		else
			fprintf(cli->out, "-\n");
		total_bytes += l->bytes;
		total_tables += l->tables;
	}
	fmt_size(total_bytes, size, sizeof(size));
	fprintf(cli->out, "%-6s %8llu %9s %7s %8s\n", "total",
		(unsigned long long)total_tables, "", "", size);

	if (!tree)
		return;
	fprintf(cli->out, "\n");
	for (size_t i = 0; i < tl->n; i++) {
		const struct ptscope_table *e = &tl->v[i];
		unsigned int shift = e->level <= PTSCOPE_LEVEL_PTE ?
				     table_span_shift[e->level] : 12;
		uint64_t end = e->addr + (1ULL << shift);
		/* the folded P4D has no tables: do not indent for it */
		int indent = e->level > PTSCOPE_LEVEL_P4D && t->nr_levels > 1 &&
			     t->levels[1].folded ? e->level - 1 : e->level;

		if (e->level == PTSCOPE_LEVEL_PGD)
			fprintf(cli->out, "%s%s%s %-27s", bold, "pgd", reset,
				"(the whole address space)");
		else
			fprintf(cli->out, "%*s%s%-3s%s %012llx-%012llx", 2 * indent, "",
				bold, ptscope_level_name(e->level), reset,
				(unsigned long long)e->addr, (unsigned long long)end);
		fprintf(cli->out, "  entries %u", e->entries);
		if (e->leaves)
			fprintf(cli->out, ", %u x %s mapped", e->leaves,
				leaf_size(e->level) ? leaf_size(e->level) : "?");
		fprintf(cli->out, "\n");
	}
}

static void print_json(struct cli *cli, pid_t pid, const struct ptscope_tables *t,
		       const struct table_list *tl, bool tree, bool intr)
{
	uint64_t total = 0;
	struct json j;

	json_init(&j, cli->out);
	json_obj_begin(&j, NULL);
	json_u64(&j, "pid", (uint64_t)pid);
	json_arr_begin(&j, "levels");
	for (int i = 0; i < t->nr_levels; i++) {
		const struct ptscope_level_stats *l = &t->levels[i];

		json_obj_begin(&j, NULL);
		json_str(&j, "level", ptscope_level_name(l->level));
		json_bool(&j, "folded", l->folded);
		json_u64(&j, "tables", l->tables);
		json_u64(&j, "entries", l->entries);
		json_u64(&j, "leaves", l->leaves);
		json_u64(&j, "bytes", l->bytes);
		json_obj_end(&j);
		total += l->bytes;
	}
	json_arr_end(&j);
	json_u64(&j, "bytes", total);
	if (tree) {
		json_arr_begin(&j, "tables");
		for (size_t i = 0; i < tl->n; i++) {
			json_obj_begin(&j, NULL);
			json_str(&j, "level", ptscope_level_name(tl->v[i].level));
			json_hex(&j, "addr", tl->v[i].addr);
			json_u64(&j, "entries", tl->v[i].entries);
			json_u64(&j, "leaves", tl->v[i].leaves);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	}
	if (intr)
		json_bool(&j, "dump_interrupted", true);
	json_obj_end(&j);
	fputc('\n', cli->out);
}

static int cmd_tables(struct cli *cli, int argc, char **argv)
{
	struct table_list tl = { 0 };
	struct ptscope_client *c;
	struct ptscope_tables t;
	int rc, err, depth = -1;
	pid_t pid;

	if (argc < 1 || argc > 2)
		return usage_error("usage: ptscope tables PID [pgd|p4d|pud|pmd|pte]");
	rc = arg_pid(argv[0], &pid);
	if (rc)
		return rc;
	if (argc == 2 && parse_depth(argv[1], &depth))
		return usage_error("invalid depth '%s': expected pgd, p4d, pud, pmd or pte",
				   argv[1]);

	rc = cli_open(&c);
	if (rc)
		return rc;
	err = ptscope_get_tables(c, pid, 0, 0, depth,
				 depth >= 0 ? collect_table : NULL, &tl, &t);
	if (err) {
		rc = request_failed(c, err);
	} else {
		bool intr = dump_interrupted(c, pid);

		if (cli->json)
			print_json(cli, pid, &t, &tl, depth >= 0, intr);
		else
			print_human(cli, pid, &t, &tl, depth >= 0);
	}
	ptscope_close(c);
	free(tl.v);
	return rc;
}

const struct cli_command tables_command = {
	.name = "tables",
	.args = "PID [pgd|p4d|pud|pmd|pte]",
	.help = "page tables per level: tables, entries, fill, bytes, leaves;\n"
		"with a level, the tree of tables down to it",
	.run = cmd_tables,
};
