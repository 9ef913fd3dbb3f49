// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope record PID [START-END]
 *
 * One JSON document with everything `maps` renders: the module info, the
 * VMAs (as `maps --json` writes them) and the runs of pages (as `pages
 * --json` does, without PFNs and swap slots: a recording is made to be
 * shared, and physical addresses are nobody else's business).  `maps
 * --input FILE` renders it on any machine, no module needed.
 *
 * Where the kernel sent compact blocks (one flags word per page, where
 * attributes change every few pages), they are written as blocks, base64
 * (version 2, docs/recording.md): a run object per page was ~100 bytes of
 * JSON and most of the time of a recording of such memory.
 */
#include <unistd.h>

#include "cli.h"
#include "docs.h"
#include "fmt.h"
#include "heat_rec.h"
#include "heat_sample.h"
#include "heat_series.h"
#include "snapshot.h"

struct record_opts {
	int no_compact;		/* --no-compact */
	int heat;		/* --heat: a series of sample-access intervals */
	const char *interval;	/* --interval S (with --heat) */
	const char *count;	/* --count N (with --heat) */
};

static const struct cli_option record_options[] = {
	CLI_OPT_FLAG(struct record_opts, no_compact, "--no-compact", 1,
		     "ask for runs only, not the compact blocks of\n"
		     "per-page flags: a version 1 recording (runs only,\n"
		     "readable by older ptscope), larger where\n"
		     "attributes change every few pages"),
	CLI_OPT_FLAG(struct record_opts, heat, "--heat", 1,
		     "record a heat series instead (heat --input FILE\n"
		     "renders it): a JSON line per interval, written\n"
		     "as it is taken; CAP_SYS_ADMIN"),
	CLI_OPT_ARG(struct record_opts, interval, "--interval", "S",
		    "with --heat: seconds between samples (default 1)"),
	CLI_OPT_ARG(struct record_opts, count, "--count", "N",
		    "with --heat: stop after N intervals (default:\n"
		    "until Ctrl-C or the process's end)"),
	{ NULL }
};

/* ---- record --heat ---- */

struct heat_writer {
	FILE *f;
	const struct heat_series *hs;
	bool header;
	uint64_t n;
	struct heat_sbuf last;		/* the VMAs last written */
	bool have_last;
};

static void heat_header(struct heat_writer *w)
{
	long ps = sysconf(_SC_PAGESIZE);

	if (w->header)
		return;
	heat_rec_write_header(w->f, w->hs->pid, ps > 0 ? (uint64_t)ps : 4096,
			      (uint64_t)(w->hs->interval * 1e9 + 0.5), w->hs->start, w->hs->end);
	w->header = true;
}

/* Each interval goes to the file as it is taken: nothing kept in memory. */
static int heat_line(void *arg, const struct heat_sample *s)
{
	struct heat_writer *w = arg;

	bool same = w->have_last && heat_rec_same_vmas(s, w->last.vmas, w->last.nr_vmas);

	heat_header(w);
	heat_rec_write_interval(w->f, ++w->n, s, !same);
	if (!same) {
		heat_sbuf_reset(&w->last);
		w->have_last = true;
		for (size_t i = 0; i < s->nr_vmas; i++) {
			if (heat_sbuf_add_vma(&w->last, s->vmas[i].start, s->vmas[i].end,
					      s->vmas[i].name)) {
				/* Without the copy, the next line writes its VMAs again. */
				w->have_last = false;
				break;
			}
		}
	}
	if (fflush(w->f) || ferror(w->f)) {
		perror("ptscope: writing the recording");
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

static int record_heat(struct cli *cli, pid_t pid, uint64_t start, uint64_t end)
{
	const struct record_opts *o = cli->opts;
	struct heat_series hs = { .pid = pid, .start = start, .end = end };
	struct heat_writer w = { .f = cli->out, .hs = &hs };
	struct ptscope_client *c;
	long ps = sysconf(_SC_PAGESIZE);
	int rc;

	/* As heat does with --range: whole pages, so the replay clips alike. */
	ps = ps > 0 ? ps : 4096;
	hs.start &= ~(uint64_t)(ps - 1);
	hs.end = (hs.end + (uint64_t)ps - 1) & ~(uint64_t)(ps - 1);
	rc = arg_interval(o->interval, &hs.interval);
	if (!rc)
		rc = arg_count(o->count, &hs.count);
	if (!rc)
		rc = cli_open(&c);
	if (rc)
		return rc;
	hs.interval_cb = heat_line;
	hs.arg = &w;
	rc = heat_series_run(&hs, c);
	if (!rc || w.header) {
		/* Even a series stopped before its first interval is a recording. */
		if (!rc)
			heat_header(&w);
		heat_rec_write_end(w.f, hs.end_reason == HEAT_END_RUNNING ?
				   HEAT_END_INTERRUPTED : hs.end_reason, w.n);
	}
	heat_sbuf_free(&w.last);
	ptscope_close(c);
	return rc;
}

/*
 * Everything is in memory by now and nothing here allocates: only the
 * output itself can fail (json_direct, cli.h).
 */
static void write_record(FILE *f, const struct snapshot *s)
{
	struct json j;
	size_t i;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "format", RECORD_FORMAT);
	/* Without blocks the document is exactly version 1: old readers take it. */
	json_u64(&j, "version", !s->nr_blocks ? RECORD_VERSION_RUNS :
		 s->block_word == 4 ? RECORD_VERSION : RECORD_VERSION_BLOCKS16);
	json_u64(&j, "pid", (uint64_t)s->pid);
	json_u64(&j, "page_size", 1ULL << s->page_shift);
	if (s->has_info)
		json_info(&j, "info", &s->info);
	json_arr_begin(&j, "vmas");
	for (i = 0; i < s->nr_vmas; i++)
		json_vma(&j, &s->vmas[i], snapshot_page_flags(s));
	json_arr_end(&j);
	json_arr_begin(&j, "runs");
	for (i = 0; i < s->nr_runs; i++)
		json_run(&j, s, &s->runs[i]);
	json_arr_end(&j);
	if (s->nr_blocks) {
		json_page_flag_bits(&j, "page_flag_bits", 8 * s->block_word);
		json_arr_begin(&j, "blocks");
		for (i = 0; i < s->nr_blocks; i++)
			json_block(&j, s, &s->blocks[i]);
		json_arr_end(&j);
	}
	if (s->dump_interrupted)
		json_bool(&j, "dump_interrupted", true);
	json_obj_end(&j);
	fputc('\n', f);
}

static int cmd_record(struct cli *cli, int argc, char **argv)
{
	const struct record_opts *o = cli->opts;
	long page_size = sysconf(_SC_PAGESIZE);
	uint64_t start = 0, end = 0;
	struct ptscope_client *c;
	struct snapshot s;
	pid_t pid;
	int rc, err;

	if (argc < 1 || argc > 2)
		return usage_error("usage: ptscope record PID [START-END]");
	rc = arg_pid(argv[0], &pid);
	if (rc)
		return rc;
	if (argc == 2 && (parse_range(argv[1], &start, &end) || start >= end))
		return usage_error("invalid range '%s': expected START-END in hex, START < END",
				   argv[1]);
	if ((o->interval || o->count) && !o->heat)
		return usage_error("--interval and --count are for record --heat");
	if (o->heat)
		return record_heat(cli, pid, start, end);
	snapshot_init(&s, page_size > 0 ?
		      (unsigned int)__builtin_ctzl((unsigned long)page_size) : 12);
	rc = cli_open(&c);
	if (rc)
		return rc;
	ptscope_set_compact(c, !o->no_compact);
	/* Blocks stay blocks: written as they came, 2 bytes a page. */
	err = snapshot_live_blocks(&s, c, pid, start, end, true);
	if (err) {
		rc = request_failed(c, err);
	} else {
		s.dump_interrupted = dump_interrupted(c, pid);
		write_record(cli->out, &s);
	}
	ptscope_close(c);
	snapshot_free(&s);
	return rc;
}

const struct cli_command record_command = {
	.name = "record",
	.args = "PID [START-END]",
	.help = "VMAs and page runs as one JSON file, for maps --input\n"
		"on any machine (e.g. attached to a bug report);\n"
		"--heat: a heat series, for heat --input",
	.options = record_options,
	.opts_size = sizeof(struct record_opts),
	.run = cmd_record,
	.json_direct = true,
};
