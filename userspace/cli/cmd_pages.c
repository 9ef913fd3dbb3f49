// SPDX-License-Identifier: GPL-2.0
/* ptscope pages PID [START-END] */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"
#include "json.h"
#include "ptscope_priv.h"
#include "term.h"

struct pages_opts {
	int pfn_runs;		/* --pfn */
	int no_compact;		/* --no-compact */
};

static const struct cli_option pages_options[] = {
	CLI_OPT_FLAG(struct pages_opts, pfn_runs, "--pfn", 1,
		     "split runs where physical frames stop being\n"
		     "contiguous (needs CAP_SYS_ADMIN)"),
	CLI_OPT_FLAG(struct pages_opts, no_compact, "--no-compact", 1,
		     "ask for runs only, not the compact blocks of\n"
		     "per-page flags: same output, more bytes from the\n"
		     "kernel (to compare the two)"),
	{ NULL }
};

/*
 * `"flags":[...]` of a flags word, rendered once by json_flag_names():
 * a dump has a few hundred thousand runs but only a handful of distinct
 * flags words.  32 bits of names of at most 10 characters fit.
 */
#define FLAGS_JSON_MAX	512
#define FLAGS_CACHE	16

struct flags_json {
	bool valid;
	uint32_t flags;
	size_t len;
	char s[FLAGS_JSON_MAX];
};

struct pages {
	struct cli *cli;
	struct json j;
	unsigned int page_shift;
	uint64_t nr_runs, nr_pages, nr_present;
	struct flags_json *cache;	/* FLAGS_CACHE entries, --json only */
};

static uint64_t run_end(const struct ptscope_run *run, unsigned int shift)
{
	return run->start + (run->nr_pages << shift);
}

static const struct flags_json *flags_json(struct pages *p, uint32_t flags)
{
	struct flags_json *e = &p->cache[(flags * 0x9e3779b1u) >> 28];
	struct json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (e->valid && e->flags == flags)
		return e;
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	json_init(&j, f);
	json_flag_names(&j, "flags", flags, ptscope_page_flag_bit_name);
	if (fclose(f) || len >= sizeof(e->s)) {
		free(buf);
		return NULL;
	}
	memcpy(e->s, buf, len);
	free(buf);
	e->len = len;
	e->flags = flags;
	e->valid = true;
	return e;
}

/* One run object, written with one call: see json_raw(). */
static int json_run_obj(struct pages *p, const struct ptscope_run *run)
{
	const struct flags_json *fl = flags_json(p, run->flags);
	char obj[FLAGS_JSON_MAX + 8 * JSON_FMT_MAX], *o = obj;

	if (!fl)
		return -ENOMEM;
#define LIT(s) (memcpy(o, s, sizeof(s) - 1), o += sizeof(s) - 1)
	LIT("{\"start\":");
	o = json_fmt_hex(o, run->start);
	LIT(",\"end\":");
	o = json_fmt_hex(o, run_end(run, p->page_shift));
	LIT(",\"pages\":");
	o = json_fmt_u64(o, run->nr_pages);
	LIT(",");
	memcpy(o, fl->s, fl->len);
	o += fl->len;
	if (run->has_pfn) {
		LIT(",\"pfn\":");
		o = json_fmt_u64(o, run->pfn);
	}
	if (run->has_swap) {
		LIT(",\"swap_type\":");
		o = json_fmt_u64(o, run->swap_type);
		LIT(",\"swap_offset\":");
		o = json_fmt_u64(o, run->swap_offset);
	}
	LIT("}");
#undef LIT
	json_raw(&p->j, NULL, obj, (size_t)(o - obj));
	return 0;
}

static int print_run(const struct ptscope_run *run, void *arg)
{
	struct pages *p = arg;
	struct cli *cli = p->cli;
	FILE *f = cli->out;

	p->nr_runs++;
	p->nr_pages += run->nr_pages;
	if (run->flags & PTSCOPE_PF_PRESENT)
		p->nr_present += run->nr_pages;

	if (cli->json) {
		return json_run_obj(p, run);
	} else {
		char size[16], flags[256];
		const char *col = "";

		fmt_size(run->nr_pages << p->page_shift, size, sizeof(size));
		ptscope_page_flags_str(run->flags, flags, sizeof(flags));
		if (run->flags & PTSCOPE_PF_PRESENT)
			col = sgr(cli, SGR_GREEN);
		else if (run->flags & (PTSCOPE_PF_SWAP | PTSCOPE_PF_MIGRATION))
			col = sgr(cli, SGR_YELLOW);
		fprintf(f, "%012llx-%012llx %9llu %6s  %s%s%s",
			(unsigned long long)run->start,
			(unsigned long long)run_end(run, p->page_shift),
			(unsigned long long)run->nr_pages, size, col,
			flags[0] ? flags : "-", col[0] ? sgr(cli, SGR_RESET) : "");
		if (run->has_pfn)
			fprintf(f, "  pfn 0x%llx", (unsigned long long)run->pfn);
		if (run->has_swap)
			fprintf(f, "  swap %u:0x%llx", run->swap_type,
				(unsigned long long)run->swap_offset);
		fputc('\n', f);
	}
	return 0;
}

static int cmd_pages(struct cli *cli, int argc, char **argv)
{
	const struct pages_opts *o = cli->opts;
	struct pages p = { .cli = cli };
	struct ptscope_client *c;
	long page_size = sysconf(_SC_PAGESIZE);
	uint64_t start = 0, end = 0;
	pid_t pid;
	int rc, err;

	if (argc < 1 || argc > 2)
		return usage_error("usage: ptscope pages PID [START-END]");
	rc = arg_pid(argv[0], &pid);
	if (rc)
		return rc;
	if (argc == 2) {
		if (parse_range(argv[1], &start, &end))
			return usage_error("invalid range '%s': expected START-END in hex", argv[1]);
		/* 0 means "no end" to the library; the kernel judges the rest. */
		if (!end)
			return usage_error("invalid range '%s': END must be above START", argv[1]);
	}
	p.page_shift = page_size > 0 ? (unsigned int)__builtin_ctzl((unsigned long)page_size) : 12;

	if (cli->json) {
		p.cache = calloc(FLAGS_CACHE, sizeof(*p.cache));
		if (!p.cache) {
			perror("ptscope");
			return EXIT_FAILED;
		}
	}
	rc = cli_open(&c);
	if (rc) {
		free(p.cache);
		return rc;
	}
	ptscope_set_compact(c, !o->no_compact);
	if (cli->json) {
		json_init(&p.j, cli->out);
		json_obj_begin(&p.j, NULL);
		json_u64(&p.j, "pid", (uint64_t)pid);
		json_arr_begin(&p.j, "runs");
	} else {
		fprintf(cli->out, "%s%-25s %9s %6s  %s%s\n", sgr(cli, SGR_BOLD),
			"START-END", "PAGES", "SIZE", "FLAGS", sgr(cli, SGR_RESET));
	}
	err = ptscope_get_pages(c, pid, start, end,
				o->pfn_runs ? PTSCOPE_PAGES_F_PFN_RUNS : 0,
				print_run, &p);
	if (err) {
		rc = request_failed(c, err);
	} else if (cli->json) {
		bool intr = dump_interrupted(c, pid);

		json_arr_end(&p.j);
		if (intr)
			json_bool(&p.j, "dump_interrupted", true);
		json_obj_end(&p.j);
		fputc('\n', cli->out);
	} else {
		char size[16];

		dump_interrupted(c, pid);
		fmt_size(p.nr_present << p.page_shift, size, sizeof(size));
		fprintf(cli->out, "%llu run%s, %llu pages, %llu present (%s)\n",
			(unsigned long long)p.nr_runs, p.nr_runs == 1 ? "" : "s",
			(unsigned long long)p.nr_pages,
			(unsigned long long)p.nr_present, size);
	}
	ptscope_close(c);
	free(p.cache);
	return rc;
}

const struct cli_command pages_command = {
	.name = "pages",
	.args = "PID [START-END]",
	.help = "runs of pages with identical attributes (all VMAs by default);\n"
		"--pfn splits runs at physical discontinuities (root)",
	.options = pages_options,
	.opts_size = sizeof(struct pages_opts),
	.run = cmd_pages,
};
