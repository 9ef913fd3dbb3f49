/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The renderers of `ptscope heat`: each reads the model (heat.h) and the
 * series' context, nothing of the command line, so a recording renders
 * exactly like the live series it was taken from.
 */
#ifndef PTSCOPE_HEAT_RENDER_H
#define PTSCOPE_HEAT_RENDER_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "heat.h"

struct heat_ctx {
	pid_t pid;
	uint64_t interval_ns;	/* asked for (--interval) */
	bool color, utf8;
	enum heat_end end;
};

/* Terminal (heat_term.c).  Columns of the map's left gutter (times). */
#define HEAT_GUTTER	9
/* Title, legend and the axis rulers (HEAT_HEAD_LINES lines): once the first
 * interval set the axis. */
#define HEAT_HEAD_LINES	9
void heat_term_head(FILE *f, const struct heat *h, const struct heat_ctx *x);
/* The map's line of interval @i (0-based), if the model still has it. */
void heat_term_row(FILE *f, const struct heat *h, const struct heat_ctx *x, uint64_t i);
/* The per-VMA working-set table, by address, and the idle-age histogram. */
void heat_term_tables(FILE *f, const struct heat *h, const struct heat_ctx *x);

/*
 * The live screen's summary under the map, 3 lines whatever the process:
 * the working set against its range so far, the idle-age buckets, and the
 * VMAs most used in the last interval.
 */
#define HEAT_STATUS_LINES	3
void heat_term_status(FILE *f, const struct heat *h, const struct heat_ctx *x);

/* JSON lines (heat_json.c): one object per interval, then a summary. */
void heat_json_interval(FILE *f, const struct heat *h, const struct heat_ctx *x);
void heat_json_summary(FILE *f, const struct heat *h, const struct heat_ctx *x);

/* The picture (heat_svg.c): the map with axes and a WSS curve. */
void heat_svg(FILE *f, const struct heat *h, const struct heat_ctx *x);
/* The same inside an HTML page with the per-VMA table. */
void heat_html(FILE *f, const struct heat *h, const struct heat_ctx *x);

#endif /* PTSCOPE_HEAT_RENDER_H */
