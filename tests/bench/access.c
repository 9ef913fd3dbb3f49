// SPDX-License-Identifier: GPL-2.0
/*
 * ptbench's sample-access row (issue 13): one interval of `ptscope heat`,
 * a sample-access of the target's whole address space, against the raw
 * get-pages walk of the same range.
 *
 * A priming sample (PTSCOPE_ACCESS_F_DISCARD) clears every accessed bit
 * first.  Then, per repetition:
 *   - the target reads every page its build touched (target_retouch(), a
 *     command to the target, not timed), so that every present page has
 *     its accessed bit set again: the sample clears every bit, marks every
 *     folio young and flushes, the costly case of a busy process;
 *   - "touched": one sample-access, its blocks decoded by a callback that
 *     counts the accessed pages (what the CLI does with them);
 *   - "idle": a second sample-access at once: nothing accessed since, so
 *     nothing to clear or flush, a walk and the blocks only;
 *   - the raw get-pages walk, as in the main table (compact blocks);
 *   - "discard": a retouch again, and a sample-access with
 *     PTSCOPE_ACCESS_F_DISCARD: the clearing, marking and flushing with
 *     no blocks sent, to tell them from the encoding's cost.
 * The access-stats of the last touched and idle samples are kept.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "ptscope_client.h"

static int count_accessed(const struct ptscope_access_block *b, void *arg)
{
	uint64_t *accessed = arg;

	if (!b->states) {
		if (b->fill & PTSCOPE_ACCESS_ACCESSED)
			*accessed += b->nr_pages;
		return 0;
	}
	for (uint64_t i = 0; i < b->nr_pages; i++)
		if (ptscope_access_state(b, i) & PTSCOPE_ACCESS_ACCESSED)
			(*accessed)++;
	return 0;
}

static int sample(struct ptscope_client *c, pid_t pid, struct series *s,
		  struct ptscope_access_stats *st, uint64_t *accessed)
{
	double a = now_ms();
	int err;

	*accessed = 0;
	err = ptscope_sample_access(c, pid, 0, 0, 0, count_accessed, accessed,
				    st);
	if (!err)
		add(s, now_ms() - a);
	return err;
}

void measure_access(struct ptscope_client *c, struct target *t,
		    struct result *res, uint32_t pages_flags)
{
	const char *wl = res->w->name;
	struct dump pd;
	uint64_t accessed;
	int err;

	err = ptscope_sample_access(c, t->pid, 0, 0, PTSCOPE_ACCESS_F_DISCARD,
				    NULL, NULL, NULL);
	if (err) {
		/* A module without sample-access, or not root: n/a. */
		fprintf(stderr, "ptbench: %s: sample-access: %s; its row is n/a\n",
			wl, strerror(-err));
		return;
	}
	for (int r = 0; r < res->reps; r++) {
		double a;

		res->acc_retouched = target_retouch(t);
		err = sample(c, t->pid, &res->acc_touched, &res->acc_st_touched,
			     &accessed);
		if (err)
			die("%s: sample-access: %s", wl, strerror(-err));
		res->acc_seen_touched = accessed;
		err = sample(c, t->pid, &res->acc_idle, &res->acc_st_idle,
			     &accessed);
		if (err)
			die("%s: sample-access: %s", wl, strerror(-err));
		res->acc_seen_idle = accessed;
		a = now_ms();
		err = get_pages(c, t->pid, pages_flags, &pd);
		if (err)
			die("%s: get-pages: %s", wl, strerror(-err));
		add(&res->acc_pages, now_ms() - a);

		target_retouch(t);
		a = now_ms();
		err = ptscope_sample_access(c, t->pid, 0, 0,
					    PTSCOPE_ACCESS_F_DISCARD, NULL, NULL,
					    &res->acc_st_discard);
		if (err)
			die("%s: sample-access: %s", wl, strerror(-err));
		add(&res->acc_discard, now_ms() - a);
	}
	if (res->acc_st_touched.accessed != res->acc_seen_touched)
		fprintf(stderr, "ptbench: %s: WARNING: access-stats say %" PRIu64
			" accessed, the blocks %" PRIu64 "\n", wl,
			res->acc_st_touched.accessed, res->acc_seen_touched);
}
