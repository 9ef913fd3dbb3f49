// SPDX-License-Identifier: GPL-2.0
/* ptscope vtop PID ADDR */
#include <stdio.h>

#include "cli.h"
#include "fmt.h"
#include "json.h"
#include "ptscope_priv.h"
#include "term.h"

static const char *stop_reason_text(uint32_t reason)
{
	switch (reason) {
	case PTSCOPE_STOP_MAPPED:	return "mapped";
	case PTSCOPE_STOP_NONE:		return "empty entry (never touched, or dropped)";
	case PTSCOPE_STOP_SWAP:		return "swap entry (page swapped out)";
	case PTSCOPE_STOP_MIGRATION:	return "migration entry (page being moved)";
	case PTSCOPE_STOP_MARKER:	return "PTE marker (e.g. uffd-wp or poison), no page";
	case PTSCOPE_STOP_NO_VMA:	return "address is not inside any VMA";
	case PTSCOPE_STOP_OTHER:	return "other non-present entry";
	default:			return "unknown reason";
	}
}

static void json_flags(struct json *j, uint32_t flags)
{
	json_flag_names(j, "flags", flags, ptscope_page_flag_bit_name);
}

static void print_json(struct cli *cli, pid_t pid, const struct ptscope_xlate *x)
{
	struct json j;
	int i;

	json_init(&j, cli->out);
	json_obj_begin(&j, NULL);
	json_u64(&j, "pid", (uint64_t)pid);
	json_hex(&j, "addr", x->addr);
	if (x->has_vma) {
		json_obj_begin(&j, "vma");
		json_hex(&j, "start", x->vma_start);
		json_hex(&j, "end", x->vma_end);
		json_obj_end(&j);
	}
	json_arr_begin(&j, "levels");
	for (i = 0; i < x->nr_levels; i++) {
		const struct ptscope_xlate_level *l = &x->levels[i];

		json_obj_begin(&j, NULL);
		json_str(&j, "level", ptscope_level_name(l->level));
		json_u64(&j, "index", l->index);
		if (l->has_entry)
			json_hex(&j, "entry", l->entry);
		json_flags(&j, l->flags);
		json_bool(&j, "folded", l->folded);
		json_bool(&j, "leaf", l->leaf);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_str(&j, "stop_level", ptscope_level_name(x->stop_level));
	json_str(&j, "stop_reason", ptscope_stop_reason_name(x->stop_reason));
	json_flags(&j, x->flags);
	json_u64(&j, "page_size", x->page_size);
	if (x->has_phys)
		json_hex(&j, "phys_addr", x->phys_addr);
	if (x->has_swap) {
		json_u64(&j, "swap_type", x->swap_type);
		json_u64(&j, "swap_offset", x->swap_offset);
	}
	json_obj_end(&j);
	fputc('\n', cli->out);
}

static void print_human(struct cli *cli, pid_t pid, const struct ptscope_xlate *x)
{
	FILE *f = cli->out;
	const char *b = sgr(cli, SGR_BOLD), *rst = sgr(cli, SGR_RESET);
	char flags[256], size[16];
	int i;

	fprintf(f, "%spid %d  address 0x%llx%s", b, (int)pid,
		(unsigned long long)x->addr, rst);
	if (x->has_vma)
		fprintf(f, "  in VMA 0x%llx-0x%llx", (unsigned long long)x->vma_start,
			(unsigned long long)x->vma_end);
	fputc('\n', f);

	if (x->nr_levels) {
		fprintf(f, "%s%-5s %5s  %-18s  %s%s\n", b, "LEVEL", "INDEX",
			"ENTRY", "FLAGS", rst);
		for (i = 0; i < x->nr_levels; i++) {
			const struct ptscope_xlate_level *l = &x->levels[i];
			char entry[24];

			if (l->has_entry)
				snprintf(entry, sizeof(entry), "0x%016llx",
					 (unsigned long long)l->entry);
			else
				snprintf(entry, sizeof(entry), "%s",
					 l->folded ? "(folded)" : "(hidden)");
			ptscope_page_flags_str(l->flags, flags, sizeof(flags));
			fprintf(f, "%-5s %5u  %-18s  %s%s\n",
				ptscope_level_name(l->level), l->index, entry,
				flags[0] ? flags : "-", l->leaf ? "  [leaf]" : "");
		}
	}

	fmt_size(x->page_size, size, sizeof(size));
	ptscope_page_flags_str(x->flags, flags, sizeof(flags));
	if (x->stop_reason == PTSCOPE_STOP_MAPPED) {
		fprintf(f, "%sresult:%s %smapped%s by a %s page at %s level (%s)\n",
			b, rst, sgr(cli, SGR_GREEN), rst, size,
			ptscope_level_name(x->stop_level), flags[0] ? flags : "-");
		if (x->has_phys)
			fprintf(f, "        physical address 0x%llx\n",
				(unsigned long long)x->phys_addr);
		else
			fprintf(f, "        physical address hidden (needs CAP_SYS_ADMIN)\n");
		return;
	}
	if (x->stop_reason == PTSCOPE_STOP_NO_VMA) {
		fprintf(f, "%sresult:%s %snot mapped%s: %s\n", b, rst,
			sgr(cli, SGR_RED), rst, stop_reason_text(x->stop_reason));
		return;
	}
	fprintf(f, "%sresult:%s %snot present%s: walk stopped at %s: %s\n", b, rst,
		sgr(cli, SGR_YELLOW), rst, ptscope_level_name(x->stop_level),
		stop_reason_text(x->stop_reason));
	if (flags[0])
		fprintf(f, "        entry flags: %s\n", flags);
	if (x->has_swap)
		fprintf(f, "        swap type %u, offset 0x%llx\n", x->swap_type,
			(unsigned long long)x->swap_offset);
}

static int cmd_vtop(struct cli *cli, int argc, char **argv)
{
	struct ptscope_client *c;
	struct ptscope_xlate x;
	uint64_t addr;
	pid_t pid;
	int rc, err;

	if (argc != 2)
		return usage_error("usage: ptscope vtop PID ADDR");
	rc = arg_pid(argv[0], &pid);
	if (rc)
		return rc;
	if (parse_hex(argv[1], &addr))
		return usage_error("invalid address '%s': expected hex, e.g. 0x7ffd1000", argv[1]);

	rc = cli_open(&c);
	if (rc)
		return rc;
	err = ptscope_translate(c, pid, addr, &x);
	if (err) {
		rc = request_failed(c, err);
	} else if (cli->json) {
		print_json(cli, pid, &x);
	} else {
		print_human(cli, pid, &x);
	}
	ptscope_close(c);
	return rc;
}

const struct cli_command vtop_command = {
	.name = "vtop",
	.args = "PID ADDR",
	.help = "walk the page tables for one address, level by level",
	.run = cmd_vtop,
};
