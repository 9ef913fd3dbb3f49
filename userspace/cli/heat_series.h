/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A live `heat` series (heat_series.c), shared by `ptscope heat` and
 * `ptscope record --heat`: the priming sample, then one complete interval
 * at a time handed to a callback, until --count, q/SIGINT/SIGTERM or the
 * process's end.
 */
#ifndef PTSCOPE_HEAT_SERIES_H
#define PTSCOPE_HEAT_SERIES_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cli.h"
#include "heat.h"
#include "heat_render.h"

struct heat_series {
	pid_t pid;
	uint64_t start, end;		/* --range; 0, 0: everything */
	double interval;		/* seconds */
	long count;			/* 0: until stopped */
	bool keys;			/* q on stdin quits */
	/* Each complete interval; a non-zero return stops with that code. */
	int (*interval_cb)(void *arg, const struct heat_sample *s);
	void *arg;
	/* Out */
	enum heat_end end_reason;
	long taken;
};

/* CLOCK_MONOTONIC in ns; the tests replace it with a fixed step. */
extern uint64_t (*heat_clock_ns)(void);

/* The columns of a terminal map: the width less the time gutter. */
unsigned int heat_term_columns(bool tty);

/*
 * Runs the series on @c (the caller opened it).  EXIT_OK if at least one
 * interval was taken or the series was stopped (the reason in
 * @hs->end_reason; a process that exited is said on stderr), EXIT_FAILED
 * with the kernel's message otherwise.
 */
int heat_series_run(struct heat_series *hs, struct ptscope_client *c);

#endif /* PTSCOPE_HEAT_SERIES_H */
