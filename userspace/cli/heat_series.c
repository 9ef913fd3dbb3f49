// SPDX-License-Identifier: GPL-2.0
/*
 * The live side of `ptscope heat` and `record --heat` (heat_series.h).
 *
 * Each interval reads the VMAs (no counts: no walk) and then samples the
 * accessed bits; the blocks are buffered (heat_sample.h) and handed on
 * only when the dump completed, so the target exiting mid-dump ends the
 * series with the intervals already taken intact.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "heat_sample.h"
#include "heat_series.h"
#include "term.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t (*heat_clock_ns)(void) = mono_ns;

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

unsigned int heat_term_columns(bool tty)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	long w = 80;

	if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
		w = ws.ws_col;
	else if (env && atol(env) > 0)
		w = atol(env);
	w -= HEAT_GUTTER;
	return w < 8 ? 8 : w > 1024 ? 1024 : (unsigned int)w;
}

static int add_vma(const struct ptscope_vma *v, void *arg)
{
	return heat_sbuf_add_ptscope_vma(arg, v);
}

static int add_block(const struct ptscope_access_block *b, void *arg)
{
	return heat_sbuf_add_block(arg, b);
}

static bool gone(int err)
{
	return err == -ESRCH || err == -ENOENT;
}

static int failed(struct ptscope_client *c, int err)
{
	request_failed(c, err);
	if (err == -EPERM)
		fprintf(stderr, "ptscope: heat clears accessed bits in the target's page tables: "
			"it needs CAP_SYS_ADMIN (allow_same_user does not apply)\n");
	return EXIT_FAILED;
}

int heat_series_run(struct heat_series *hs, struct ptscope_client *c)
{
	struct heat_sbuf buf = { 0 };
	struct sigaction sa;
	uint64_t t0;
	int err, rc = EXIT_OK;

	hs->taken = 0;
	hs->end_reason = HEAT_END_RUNNING;
	/* The priming sample: clears every accessed bit, reports nothing. */
	err = ptscope_sample_access(c, hs->pid, hs->start, hs->end, PTSCOPE_ACCESS_F_DISCARD,
				    NULL, NULL, NULL);
	if (err)
		return failed(c, err);
	t0 = heat_clock_ns();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: term_wait_key()'s poll() returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while (!hs->count || hs->taken < hs->count) {
		struct heat_sample s = { 0 };

		if (term_wait_key(hs->interval, &hs->keys, &stop_signal)) {
			hs->end_reason = HEAT_END_INTERRUPTED;
			break;
		}
		heat_sbuf_reset(&buf);
		err = ptscope_get_vmas(c, hs->pid, hs->start, hs->end, PTSCOPE_VMAS_F_NO_COUNTS,
				       add_vma, &buf);
		if (!err)
			err = ptscope_sample_access(c, hs->pid, hs->start, hs->end, 0,
						    add_block, &buf, &s.stats);
		if (gone(err)) {
			hs->end_reason = HEAT_END_EXITED;
			break;
		}
		if (err) {
			term_screen_leave();
			rc = failed(c, err);
			goto out;
		}
		heat_sbuf_sample(&buf, &s);
		s.time_ns = heat_clock_ns() - t0;
		hs->taken++;
		rc = hs->interval_cb(hs->arg, &s);
		if (rc)
			goto out;
	}
	if (hs->end_reason == HEAT_END_RUNNING)
		hs->end_reason = HEAT_END_COUNT;
	if (hs->end_reason == HEAT_END_EXITED) {
		const char *msg = ptscope_errmsg(c);

		term_screen_leave();
		fprintf(stderr, "ptscope: pid %d is gone (exited or exec'd) after %ld interval%s; "
			"the series ends there%s%s\n", (int)hs->pid, hs->taken,
			hs->taken == 1 ? "" : "s", *msg ? ": " : "", msg);
		rc = hs->taken ? EXIT_OK : EXIT_FAILED;
	}
out:
	heat_sbuf_free(&buf);
	return rc;
}
