// SPDX-License-Identifier: GPL-2.0
/*
 * The ptscope CLI end to end against the fake kernel (cli_kernel.c).
 * main.c is compiled as ptscope_main() and the link wraps ptscope_open()
 * (-Wl,--wrap), so the real commands run unchanged; each run is a forked
 * child with stdout and stderr in files, because main() closes stdout.
 * JSON output is compared byte for byte: its shape is a contract with
 * scripts.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include "cli_kernel.h"
#include "cli_run.h"
#include "fake_kernel.h"
#include "tap.h"

/* Run `ptscope ARGS...` (NULL-terminated) in a child. */
#define run(locale, stdout_path, ...) cli_runl(NULL, locale, stdout_path, __VA_ARGS__)

static bool has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

/*
 * Independent check of the pinned documents: a real JSON parser must accept
 * them (one document, one line) and find what @expr (Python, over the
 * parsed document d) expects.
 */
static void json_check(const char *doc, const char *expr, const char *name)
{
	char e[1024];

	snprintf(e, sizeof(e), "len(L) == 1 and (%s)", expr);
	json_lines_check(doc, e, name);
}

#define INFO_JSON "{\"module_version\":\"0.1.0\",\"proto_version\":1," \
	"\"kernel_release\":\"6.12.0-test\",\"page_size\":4096,\"pgtable_levels\":5," \
	"\"user_va_end\":\"0xfffffffffff000\",\"features\":[\"soft_dirty\",\"uffd_wp\"," \
	"\"anon_vma_name\",\"numa_hinting\",\"thp\"],\"privileged\":true," \
	"\"allow_same_user\":false,\"live_dumps\":3," \
	"\"probes\":[\"tlb_flush_tp\",\"flush_tlb_mm_range\",\"handle_mm_fault\"," \
	"\"do_swap_page\",\"page_fault_tp\",\"irq_tlb_count\",\"fault_return\"]," \
	"\"probes_missing\":[\"flush_tlb_multi\",\"flush_tlb_func\",\"fault_fgraph\"]," \
	"\"probes_active\":[]}\n"

#define COUNTS "{\"total\":%d,\"present\":10,\"accessed\":9,\"dirty\":8,\"writable\":7," \
	"\"swap\":6,\"soft_dirty\":5,\"huge_pmd\":4,\"huge_pud\":3,\"migration\":2," \
	"\"protnone\":1}"
#define VMA(start, end, size, kind, name, total) \
	"{\"start\":\"" start "\",\"end\":\"" end "\",\"size\":" size "," \
	"\"perms\":\"rw-p\",\"flags\":[\"rd\",\"wr\"],\"kind\":\"" kind "\"," \
	"\"name\":\"" name "\",\"offset\":8192,\"inode\":1234,\"dev\":\"8:1\"," \
	"\"pages\":" COUNTS "}"

static void test_json_shapes(void)
{
	struct result r;
	char want[4096];

	r = run("C", NULL, "info", "--json", NULL);
	ok(r.rc == 0 && !r.err[0], "info --json: exit 0, nothing on stderr");
	is_str(r.out, INFO_JSON, "info --json document");
	json_check(r.out, "d[\"pgtable_levels\"] == 5 and d[\"features\"][4] == \"thp\" "
		   "and int(d[\"user_va_end\"], 16) == 0xfffffffffff000",
		   "info --json parses as JSON");
	done(&r);

	snprintf(want, sizeof(want),
		 "{\"pid\":42,\"page_size\":4096,\"vmas\":["
		 VMA("0x400000", "0x401000", "4096", "file", "/usr/bin/true", "1") ","
		 VMA("0x600000", "0x610000", "65536", "heap", "[heap]", "16") ","
		 VMA("0x7f0000000000", "0x7f0000002000", "8192", "anon_named",
		     "evil\\n\\u001b[2Jname", "2")
		 "],\"totals\":{\"vmas\":3,\"size\":77824,\"pages\":"
		 "{\"total\":19,\"present\":30,\"accessed\":27,\"dirty\":24,\"writable\":21,"
		 "\"swap\":18,\"soft_dirty\":15,\"huge_pmd\":12,\"huge_pud\":9,"
		 "\"migration\":6,\"protnone\":3}}}\n", 1, 16, 2);
	r = run("C", NULL, "--json", "maps", "42", NULL);
	ok(r.rc == 0 && !r.err[0], "maps --json: exit 0");
	is_str(r.out, want, "maps --json document (control bytes escaped)");
	json_check(r.out, "d[\"vmas\"][2][\"name\"] == \"evil\\n\\x1b[2Jname\" and "
		   "d[\"totals\"][\"pages\"][\"total\"] == 19 and "
		   "set(d[\"vmas\"][0][\"pages\"]) == set(d[\"totals\"][\"pages\"])",
		   "maps --json parses as JSON");
	done(&r);

	r = run("C", NULL, "pages", "42", "--json", NULL);
	ok(r.rc == 0 && !r.err[0], "pages --json (option after the command): exit 0");
	is_str(r.out, "{\"pid\":42,\"runs\":["
	       "{\"start\":\"0x400000\",\"end\":\"0x401000\",\"pages\":1,\"flags\":[\"present\",\"user\"]},"
	       "{\"start\":\"0x600000\",\"end\":\"0x608000\",\"pages\":8,\"flags\":[\"present\",\"write\"],\"pfn\":4660},"
	       "{\"start\":\"0x608000\",\"end\":\"0x610000\",\"pages\":8,\"flags\":[]},"
	       "{\"start\":\"0x7f0000000000\",\"end\":\"0x7f0000001000\",\"pages\":1,\"flags\":[\"swap\"],"
	       "\"swap_type\":1,\"swap_offset\":1280},"
	       "{\"start\":\"0x7f0000001000\",\"end\":\"0x7f0000002000\",\"pages\":1,"
	       "\"flags\":[\"present\",\"0x100000\"]}]}\n", "pages --json document");
	json_check(r.out, "len(d[\"runs\"]) == 5 and \"pfn\" not in d[\"runs\"][0] and "
		   "d[\"runs\"][1][\"pfn\"] == 0x1234", "pages --json parses as JSON");
	done(&r);

	r = run("C", NULL, "vtop", "42", "7ffd12345678", "--json", NULL);
	ok(r.rc == 0 && !r.err[0], "vtop --json: exit 0");
	is_str(r.out, "{\"pid\":42,\"addr\":\"0x7ffd12345678\","
	       "\"vma\":{\"start\":\"0x7ffd10000000\",\"end\":\"0x7ffd20000000\"},\"levels\":["
	       "{\"level\":\"pgd\",\"index\":255,\"entry\":\"0x123067\",\"flags\":[\"present\",\"write\",\"user\",\"accessed\",\"dirty\"],\"folded\":false,\"leaf\":false},"
	       "{\"level\":\"p4d\",\"index\":0,\"flags\":[\"present\",\"write\",\"user\",\"accessed\",\"dirty\"],\"folded\":true,\"leaf\":false},"
	       "{\"level\":\"pud\",\"index\":500,\"entry\":\"0x124067\",\"flags\":[\"present\",\"write\",\"user\",\"accessed\",\"dirty\"],\"folded\":false,\"leaf\":false},"
	       "{\"level\":\"pmd\",\"index\":145,\"entry\":\"0x125067\",\"flags\":[\"present\",\"write\",\"user\",\"accessed\",\"dirty\"],\"folded\":false,\"leaf\":false},"
	       "{\"level\":\"pte\",\"index\":69,\"entry\":\"0x8000000126867\",\"flags\":[\"present\",\"write\",\"user\",\"accessed\",\"dirty\",\"nx\"],\"folded\":false,\"leaf\":true}],"
	       "\"stop_level\":\"pte\",\"stop_reason\":\"mapped\","
	       "\"flags\":[\"present\",\"write\",\"user\",\"accessed\",\"dirty\",\"nx\"],"
	       "\"page_size\":4096,\"phys_addr\":\"0x126678\"}\n", "vtop --json document");
	json_check(r.out, "len(d[\"levels\"]) == 5 and \"entry\" not in d[\"levels\"][1] "
		   "and d[\"levels\"][4][\"leaf\"] is True", "vtop --json parses as JSON");
	done(&r);
}

static void test_human(void)
{
	struct result r;

	r = run("C", NULL, "info", NULL);
	ok(r.rc == 0 && has(r.out, "6.12.0-test") && has(r.out, "paging levels     5") &&
	   !has(r.out, "\033["), "info: release and levels, no colour off a terminal");
	ok(has(r.out, "hooks n/a         flush_tlb_multi flush_tlb_func fault_fgraph\n") &&
	   has(r.out, "tracking hooks    tlb_flush_tp flush_tlb_mm_range handle_mm_fault") &&
	   has(r.out, "hooks active      none (nothing is tracked)\n") &&
	   has(r.out, "fault hook        ftrace entry hook when tracking starts; kretprobe with fault_latency=1\n"),
	   "info: the tracking hooks the kernel has, lacks (n/a) and runs");
	done(&r);

	r = run("C", NULL, "--color=always", "info", NULL);
	ok(r.rc == 0 && has(r.out, "\033[1m"), "--color=always colours a pipe");
	done(&r);

	r = run("C", NULL, "maps", "42", NULL);
	ok(r.rc == 0 && has(r.out, "[========        ]  [heap]"),
	   "maps: heap half present and clean, ASCII state bar in the C locale");
	ok(has(r.out, "000000400000-000000401000     4K rw-p"), "maps: range, size, perms");
	ok(has(r.out, "[anon:evil\\012\\033[2Jname]"), "maps: name escaped for the terminal");
	ok(has(r.out, "3 VMAs"), "maps: totals line");
	done(&r);

	{
		/* A recording renders exactly like the live process. */
		char path[] = "/tmp/ptscope-record.XXXXXX";
		int fd = mkstemp(path);
		struct result live, rec, again;

		close(fd);
		r = run("C", path, "record", "42", NULL);
		live = run("C", NULL, "maps", "42", NULL);
		rec = run("C", NULL, "maps", "--input", path, NULL);
		ok(r.rc == 0 && rec.rc == 0 && live.out[0] && !strcmp(live.out, rec.out),
		   "record + maps --input: same table as maps PID");
		done(&rec);
		rec = run("C", NULL, "maps", "--input", path, "--svg", "-", NULL);
		again = run("C", NULL, "maps", "42", "--svg", "-", NULL);
		ok(rec.rc == 0 && again.rc == 0 && strstr(rec.out, "</svg>") &&
		   !strcmp(rec.out, again.out), "record + maps --input --svg: same picture as live");
		done(&rec);
		done(&again);
		done(&live);
		done(&r);
		unlink(path);
	}

	r = run("C.UTF-8", NULL, "maps", "42", NULL);
	ok(r.rc == 0 && has(r.out, "[\u2592\u2592\u2592\u2592\u2592\u2592\u2592\u2592        ]"),
	   "maps: Unicode state bar in a UTF-8 locale");
	done(&r);

	r = run("C", NULL, "pages", "42", "0x600000-610000", NULL);
	ok(r.rc == 0 && has(r.out, "000000600000-000000608000         8    32K  present write  pfn 0x1234") &&
	   has(r.out, "5 runs, 19 pages"), "pages: runs and summary");
	done(&r);

	r = run("C", NULL, "vtop", "42", "0x7ffd12345678", NULL);
	ok(r.rc == 0 && has(r.out, "physical address 0x126678") &&
	   has(r.out, "p4d       0  (folded)"), "vtop: levels and result");
	done(&r);
}

static void test_errors(void)
{
	static const char *const usage_cases[][4] = {
		{ "bogus", NULL },
		{ "--bogus", "info", NULL },
		{ "maps", NULL },
		{ "maps", "0", NULL },
		{ "maps", "12a", NULL },
		{ "maps", "1", "2", NULL },
		{ "vtop", "1", "0xnope", NULL },
		{ "vtop", "1", NULL },
		{ "pages", "1", "1000", NULL },
		{ "pages", "1", "1000-0", NULL },
		{ "info", "extra", NULL },
		{ "--pfn", "maps", "1", NULL },
		{ "--color=sometimes", "info", NULL },
	};
	struct result r;
	size_t i;

	r = run("C", NULL, NULL);
	ok(r.rc == 2 && !r.out[0] && has(r.err, "Usage: ptscope"),
	   "no arguments: usage on stderr, exit 2");
	done(&r);
	r = run("C", NULL, "--help", NULL);
	ok(r.rc == 0 && has(r.out, "Exit status") && !r.err[0], "--help: stdout, exit 0");
	done(&r);
	r = run("C", NULL, "maps", "-h", NULL);
	ok(r.rc == 0 && has(r.out, "Usage"), "-h after a command");
	done(&r);
	r = run("C", NULL, "--version", NULL);
	ok(r.rc == 0 && has(r.out, "ptscope "), "--version");
	done(&r);
	r = run("C", NULL, "maps", "--help", NULL);
	ok(r.rc == 0 && has(r.out, "Usage: ptscope maps PID [OPTIONS]") &&
	   has(r.out, "  --sort KEY ") && !has(r.out, "--interval"),
	   "maps --help: the options of maps only");
	done(&r);
	r = run("C", NULL, "help", "watch", NULL);
	ok(r.rc == 0 && has(r.out, "Usage: ptscope watch PID") && has(r.out, "  --top N "),
	   "help watch: the options of watch");
	done(&r);
	r = run("C", NULL, "help", "nope", NULL);
	ok(r.rc == 2 && has(r.err, "unknown command 'nope'"), "help of an unknown command");
	done(&r);
	r = run("C", NULL, "info", "--top", "3", NULL);
	ok(r.rc == 2 && has(r.err, "'--top' only applies to 'stats watch'"),
	   "an option of other commands names them");
	done(&r);

	for (i = 0; i < sizeof(usage_cases) / sizeof(usage_cases[0]); i++) {
		const char *const *a = usage_cases[i];

		r = run("C", NULL, a[0], a[1], a[2], a[3]);
		ok(r.rc == 2 && !r.out[0] && has(r.err, "ptscope: "),
		   "usage error exits 2: %s %s %s", a[0], a[1] ? a[1] : "", a[1] && a[2] ? a[2] : "");
		done(&r);
	}

	kmode = K_NO_MODULE;
	r = run("C", NULL, "info", NULL);
	ok(r.rc == 1, "module missing: exit 1");
	is_str(r.err, "ptscope: kernel module not loaded (try: sudo modprobe ptscope)\n",
	       "module missing: message");
	done(&r);

	kmode = K_EPERM;
	r = run("C", NULL, "maps", "42", "--json", NULL);
	ok(r.rc == 1 && !r.out[0], "kernel EPERM: exit 1, no JSON at all");
	is_str(r.err, "ptscope: Operation not permitted: permission denied: needs CAP_SYS_ADMIN\n",
	       "kernel error: strerror and extack message");
	done(&r);

	kmode = K_ESRCH_MID_DUMP;
	r = run("C", NULL, "pages", "42", "--json", NULL);
	ok(r.rc == 1 && !r.out[0], "dump failing midway: exit 1, no half JSON document");
	is_str(r.err, "ptscope: No such process: process exited during the dump\n",
	       "dump failing midway: message from NLMSG_DONE");
	done(&r);
	/* record writes straight to stdout (json_direct), but only after its dumps */
	r = run("C", NULL, "record", "42", "--json", NULL);
	ok(r.rc == 1 && !r.out[0], "record, dump failing midway: exit 1, nothing written");
	done(&r);

	kmode = K_DUMP_INTR;
	r = run("C", NULL, "pages", "42", "--json", NULL);
	ok(r.rc == 0 && has(r.out, "\"dump_interrupted\":true}") &&
	   !strcmp(r.err, "ptscope: PID 42 changed during the dump; "
		   "the result mixes before and after\n"),
	   "pages, NLM_F_DUMP_INTR: exit 0, a warning, and the JSON says so");
	done(&r);
	r = run("C", NULL, "maps", "42", NULL);
	ok(r.rc == 0 && has(r.out, "[heap]") && has(r.err, "PID 42 changed during the dump"),
	   "maps, NLM_F_DUMP_INTR: the table, and the warning");
	done(&r);
	r = run("C", NULL, "maps", "42", "--json", NULL);
	ok(r.rc == 0 && has(r.out, "\"dump_interrupted\":true}"),
	   "maps --json, NLM_F_DUMP_INTR: the document says so");
	done(&r);
	kmode = K_OK;
	r = run("C", NULL, "pages", "42", "--json", NULL);
	ok(r.rc == 0 && !has(r.out, "dump_interrupted") && !r.err[0],
	   "a consistent dump: no warning, no field");
	done(&r);

	kmode = K_OK;
	r = run("C", "/dev/full", "info", NULL);
	ok(r.rc == 1 && has(r.err, "write error"), "writing to /dev/full: exit 1 with a message");
	done(&r);
	r = run("C", "/dev/full", "pages", "42", "--json", NULL);
	ok(r.rc == 1 && has(r.err, "write error"), "JSON to /dev/full: exit 1");
	done(&r);
}

/* Are two runs' stdout the same, and did both succeed? */
static bool same_output(struct result *a, struct result *b)
{
	bool same = a->rc == 0 && b->rc == 0 && a->out[0] && !strcmp(a->out, b->out);

	done(a);
	done(b);
	return same;
}

/*
 * One page-table walk: when maps or record fetch the runs of every VMA,
 * they ask for the VMAs without counts and count the runs themselves.
 */
static void test_counts_from_runs(void)
{
	char path[] = "/tmp/ptscope-counts.XXXXXX";
	const char *range = "0-800000000000";
	struct result r, a, b;
	int fd = mkstemp(path);

	close(fd);
	/* K_OK: the kernel's counts disagree with its runs, so they show. */
	kmode = K_OK;
	r = run("C", NULL, "maps", "42", NULL);
	ok(r.rc == 0 && has(r.out, "000000600000-000000610000    64K rw-p    32K      0      0") &&
	   has(r.out, "total                        76K         40K      0      0     4K"),
	   "maps: VMAs counted from the runs (heap: 8 of 16 present, none accessed)");
	done(&r);
	r = run("C", NULL, "maps", "42", "--range", "600000-610000", NULL);
	ok(r.rc == 0 && has(r.out, "000000600000-000000610000    64K rw-p    40K    36K    32K"),
	   "maps --range: runs cover part of a VMA at most, counts from the kernel");
	done(&r);
	r = run("C", path, "record", "42", NULL);
	done(&r);
	r = run("C", NULL, "--json", "maps", "--input", path, NULL);
	json_check(r.out, "[v[\"pages\"][\"present\"] for v in d[\"vmas\"]] == [1, 8, 1] and "
		   "[v[\"pages\"][\"writable\"] for v in d[\"vmas\"]] == [0, 8, 0] and "
		   "[v[\"pages\"][\"swap\"] for v in d[\"vmas\"]] == [0, 0, 1] and "
		   "d[\"totals\"][\"pages\"][\"dirty\"] == 0",
		   "record: VMA counts from the runs");
	done(&r);

	/* K_STATIC: counts from runs and from the kernel agree: same output. */
	kmode = K_STATIC;
	a = run("C", NULL, "--json", "maps", "42", NULL);
	json_check(a.out, "d[\"totals\"][\"pages\"] == {\"total\": 263180, "
		   "\"present\": 262660, \"accessed\": 262660, \"dirty\": 262657, "
		   "\"writable\": 262657, \"swap\": 2, \"soft_dirty\": 1026, "
		   "\"huge_pmd\": 512, \"huge_pud\": 262144, \"migration\": 512, "
		   "\"protnone\": 1}", "static process: maps --json totals (kernel counts)");
	b = run("C", NULL, "--json", "maps", "42", "--svg", "/dev/null", NULL);
	ok(same_output(&a, &b), "static process: maps --json with runs (counted "
	   "from them) = maps --json (counted by the kernel)");
	a = run("C", NULL, "--json", "maps", "42", NULL);
	r = run("C", path, "record", "42", NULL);
	ok(r.rc == 0, "static process: record");
	done(&r);
	b = run("C", NULL, "--json", "maps", "--input", path, NULL);
	ok(same_output(&a, &b), "static process: the recording's counts = the kernel's");
	a = run("C", NULL, "maps", "42", "--range", range, NULL);
	b = run("C", NULL, "maps", "--input", path, "--range", range, NULL);
	ok(same_output(&a, &b), "static process: same table from kernel counts and the recording");
	a = run("C", NULL, "maps", "42", "--range", range, "--svg", "-", NULL);
	b = run("C", NULL, "maps", "--input", path, "--range", range, "--svg", "-", NULL);
	ok(same_output(&a, &b), "static process: same SVG from kernel counts and the recording");
	a = run("C", NULL, "maps", "42", "--range", range, "--html", "-", NULL);
	b = run("C", NULL, "maps", "--input", path, "--range", range, "--html", "-", NULL);
	ok(same_output(&a, &b), "static process: same HTML from kernel counts and the recording");
	a = run("C", NULL, "--json", "pages", "42", NULL);
	b = run("C", NULL, "--json", "pages", "42", "--no-compact", NULL);
	ok(same_output(&a, &b), "pages --no-compact: same document");
	kmode = K_OK;
	unlink(path);
}

/*
 * Compact blocks in a recording (version 2): record keeps the kernel's
 * blocks as base64 words; maps --input renders them exactly as the same
 * pages recorded as runs (version 1, --no-compact) and as the live process.
 */
static void test_record_blocks(void)
{
	char v2[] = "/tmp/ptscope-v2.XXXXXX", v1[] = "/tmp/ptscope-v1.XXXXXX";
	/* what follows `maps --input FILE` */
	static const char *const views[][2] = {
		{ NULL }, { "--json", NULL }, { "--svg", "-" }, { "--html", "-" },
	};
	struct result r, a, b;
	size_t i;

	close(mkstemp(v2));
	close(mkstemp(v1));
	kmode = K_BLOCKS;
	r = run("C", v2, "record", "42", NULL);
	ok(r.rc == 0, "blocks: record");
	done(&r);
	r = run("C", v1, "record", "42", "--no-compact", NULL);
	ok(r.rc == 0, "blocks: record --no-compact");
	done(&r);
	{
		FILE *f = fopen(v2, "r");
		char *doc = f ? slurp(f) : NULL;

		if (f)
			fclose(f);
		json_check(doc, "d[\"version\"] == 2 and len(d[\"runs\"]) == 3 and "
			   "[b[\"pages\"] for b in d[\"blocks\"]] == [4, 8] and "
			   "d[\"page_flag_bits\"][0] == \"present\" and "
			   "__import__(\"base64\").b64decode(d[\"blocks\"][0][\"flags16\"]) == "
			   "bytes([13, 0, 13, 0, 0, 0, 0, 0]) and d[\"blocks\"][1][\"end\"] == "
			   "\"0x7f0000008000\"", "blocks: record writes version 2, blocks in base64");
		free(doc);
		f = fopen(v1, "r");
		doc = f ? slurp(f) : NULL;
		if (f)
			fclose(f);
		json_check(doc, "d[\"version\"] == 1 and len(d[\"runs\"]) == 9 and "
			   "\"blocks\" not in d", "blocks: --no-compact writes version 1, runs only");
		free(doc);
	}
	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		const char *const *v = views[i];

		a = run("C", NULL, "maps", "--input", v1, v[0], v[1], NULL);
		b = run("C", NULL, "maps", "--input", v2, v[0], v[1], NULL);
		ok(same_output(&a, &b), "blocks: version 2 renders as version 1: maps%s%s",
		   v[0] ? " " : "", v[0] ? v[0] : "");
	}
	a = run("C", NULL, "--json", "maps", "42", NULL);
	b = run("C", NULL, "--json", "maps", "--input", v2, NULL);
	ok(same_output(&a, &b), "blocks: counts from blocks = the kernel's");
	a = run("C", NULL, "maps", "42", "--svg", "-", NULL);
	b = run("C", NULL, "maps", "--input", v2, "--svg", "-", NULL);
	ok(same_output(&a, &b), "blocks: recording's picture = the live one");
	a = run("C", NULL, "--json", "pages", "42", NULL);
	b = run("C", NULL, "--json", "pages", "42", "--no-compact", NULL);
	{
		/* blocks carry flags only: the swap slot comes with runs */
		const char *slot = ",\"swap_type\":1,\"swap_offset\":1280";
		char *at = strstr(b.out, slot);

		if (at)
			memmove(at, at + strlen(slot), strlen(at + strlen(slot)) + 1);
		ok(at && same_output(&a, &b), "blocks: pages expands blocks into the same runs");
	}
	kmode = K_OK;
	unlink(v1);
	unlink(v2);
}

void test_cli(void)
{
	test_json_shapes();
	test_human();
	test_errors();
	test_counts_from_runs();
	test_record_blocks();
}
