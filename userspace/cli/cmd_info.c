// SPDX-License-Identifier: GPL-2.0
/* ptscope info */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "docs.h"
#include "fmt.h"
#include "json.h"
#include "ptscope_priv.h"
#include "term.h"

/* The hooks tracking uses that this CLI knows by name. */
static uint64_t known_probes(void)
{
	uint64_t known = 0;
	unsigned int bit;

	for (bit = 0; bit < 64; bit++)
		if (ptscope_probe_bit_name(bit))
			known |= 1ULL << bit;
	return known;
}

/*
 * The known hooks this kernel lacks.  A fault's cause comes from the
 * page_fault tracepoints (x86) or from the fault handler's syndrome
 * (arm64), flush requests from flush_tlb_mm_range() (x86) or the mmu
 * notifier (arm64): having either, the other is not missing.
 */
static uint64_t missing_probes(const struct ptscope_info *in)
{
	const uint64_t alternatives[] = {
		PTSCOPE_PROBE_PAGE_FAULT_TP | PTSCOPE_PROBE_FAULT_SYNDROME,
		PTSCOPE_TLB_FLUSH_SOURCES,
	};
	uint64_t missing = known_probes() & ~in->probes;
	size_t i;

	for (i = 0; i < sizeof(alternatives) / sizeof(alternatives[0]); i++)
		if (in->probes & alternatives[i])
			missing &= ~alternatives[i];
	return missing;
}

static void print_json(struct cli *cli, const struct ptscope_info *in)
{
	struct json j;

	json_init(&j, cli->out);
	json_obj_begin(&j, NULL);
	json_info_fields(&j, in);
	json_flag_names(&j, "probes", in->probes, ptscope_probe_bit_name);
	json_flag_names(&j, "probes_missing", missing_probes(in),
			ptscope_probe_bit_name);
	json_flag_names(&j, "probes_active", in->probes_active,
			ptscope_probe_bit_name);
	json_obj_end(&j);
	fputc('\n', cli->out);
}

/* One line of page-flag names, or nothing if @flags is empty. */
static void print_page_flags(struct cli *cli, const char *label, uint32_t flags,
			     const char *after)
{
	FILE *f = cli->out;
	unsigned int bit;

	if (!flags)
		return;
	fprintf(f, "%s%-17s%s", sgr(cli, SGR_BOLD), label, sgr(cli, SGR_RESET));
	for (bit = 0; bit < 32; bit++)
		if (flags & (1U << bit))
			fprintf(f, " %s", ptscope_page_flag_bit_name(bit) ?: "?");
	fprintf(f, "%s\n", after);
}

/* One line of hook names; @none says what an empty set means. */
static void print_probes(struct cli *cli, const char *label, uint64_t probes,
			 const char *none)
{
	FILE *f = cli->out;
	unsigned int bit;

	fprintf(f, "%s%-17s%s", sgr(cli, SGR_BOLD), label, sgr(cli, SGR_RESET));
	for (bit = 0; bit < 64; bit++) {
		const char *name = ptscope_probe_bit_name(bit);

		if (!(probes & (1ULL << bit)))
			continue;
		if (name)
			fprintf(f, " %s", name);
		else
			fprintf(f, " 0x%llx", 1ULL << bit);
	}
	fprintf(f, "%s%s\n", probes ? "" : " ", probes ? "" : none);
}

/* What the handle_mm_fault() hook gives, and what it costs everyone. */
static void print_fault_hook(struct cli *cli, const struct ptscope_info *in)
{
	const char *what;

	if (!(in->probes & PTSCOPE_PROBE_HANDLE_MM_FAULT))
		return;
	bool fgraph = in->probes & PTSCOPE_PROBE_FAULT_FGRAPH;

	if (in->probes_active & PTSCOPE_PROBE_FAULT_RETURN)
		what = fgraph ? "fprobe on fgraph (fault_latency=1): minor/major, latency; untracked faults pay a shadow-stack frame" :
				"kretprobe (fault_latency=1): minor/major, latency; every fault pays a return instance";
	else if (in->probes_active & PTSCOPE_PROBE_HANDLE_MM_FAULT)
		what = "ftrace entry hook: faults counted at entry; fault_latency=1 adds minor/major, latency";
	else
		what = fgraph ? "ftrace entry hook when tracking starts; fprobe on fgraph with fault_latency=1" :
				"ftrace entry hook when tracking starts; kretprobe with fault_latency=1";
	fprintf(cli->out, "%sfault hook%s        %s\n", sgr(cli, SGR_BOLD),
		sgr(cli, SGR_RESET), what);
}

static void print_human(struct cli *cli, const struct ptscope_info *in)
{
	FILE *f = cli->out;
	const char *b = sgr(cli, SGR_BOLD), *r = sgr(cli, SGR_RESET);
	char size[16];
	unsigned int bit;
	bool any = false;

	fmt_size(in->page_size, size, sizeof(size));
	fprintf(f, "%smodule version%s    %s (protocol %u)\n", b, r,
		in->module_version, in->proto_version);
	fprintf(f, "%skernel release%s    %s\n", b, r, in->kernel_release);
	if (in->arch[0])
		fprintf(f, "%sarchitecture%s      %s\n", b, r, in->arch);
	fprintf(f, "%spage size%s         %u (%s)\n", b, r, in->page_size, size);
	fprintf(f, "%spaging levels%s     %u\n", b, r, in->pgtable_levels);
	fmt_size(in->user_va_end, size, sizeof(size));
	fprintf(f, "%suser VA end%s       0x%llx (%s)\n", b, r,
		(unsigned long long)in->user_va_end, size);
	fprintf(f, "%sfeatures%s         ", b, r);
	for (bit = 0; bit < 64; bit++) {
		const char *name = ptscope_feature_bit_name(bit);

		if (!(in->features & (1ULL << bit)))
			continue;
		any = true;
		if (name)
			fprintf(f, " %s", name);
		else
			fprintf(f, " 0x%llx", 1ULL << bit);
	}
	fprintf(f, "%s\n", any ? "" : " none");
	if (in->has_page_flags) {
		uint32_t known = ptscope_known_page_flags();

		print_page_flags(cli, "page flags", in->page_flags & known, "");
		print_page_flags(cli, "page flags n/a", known & ~in->page_flags,
				 " (never set here: absent, not clear)");
	}
	fprintf(f, "%sprivileged%s        %s\n", b, r,
		in->privileged ? "yes (CAP_SYS_ADMIN: physical addresses shown)" :
				 "no (physical addresses hidden)");
	fprintf(f, "%sallow_same_user%s   %s\n", b, r,
		in->allow_same_user ? "yes (own processes without CAP_SYS_ADMIN)" : "no");
	fprintf(f, "%slive dumps%s        %u\n", b, r, in->live_dumps);
	print_probes(cli, "tracking hooks", in->probes, "none");
	print_probes(cli, "hooks n/a", missing_probes(in),
		     "none: every tracking counter is available");
	print_probes(cli, "hooks active", in->probes_active,
		     "none (nothing is tracked)");
	print_fault_hook(cli, in);
	/* arm64 (uname's aarch64): say why the shootdown hooks are n/a. */
	if (!strcmp(in->arch, "aarch64"))
		fprintf(f, "%sTLB flushes%s       broadcast (TLBI): no per-CPU shootdown interrupts; %s\n",
			b, r, in->probes & PTSCOPE_PROBE_MMU_NOTIFIER_TLB ?
			"flush requests counted by an mmu notifier on each tracked mm" :
			"flush requests not counted (this kernel's flushes call no mmu notifier: 6.6+)");
}

static int cmd_info(struct cli *cli, int argc, char **argv)
{
	struct ptscope_client *c;
	struct ptscope_info info;
	int rc, err;

	(void)argv;
	if (argc > 0)
		return usage_error("'info' takes no arguments");
	rc = cli_open(&c);
	if (rc)
		return rc;
	err = ptscope_get_info(c, &info);
	if (err) {
		rc = request_failed(c, err);
		ptscope_close(c);
		return rc;
	}
	ptscope_close(c);
	if (cli->json)
		print_json(cli, &info);
	else
		print_human(cli, &info);
	return EXIT_OK;
}

const struct cli_command info_command = {
	.name = "info",
	.args = "",
	.help = "module, kernel and paging facts, and what this caller may see",
	.run = cmd_info,
};
