/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A metrics snapshot (metrics.h) in the Prometheus text exposition format
 * 0.0.4 or OpenMetrics 1.0.0 (docs/metrics.md lists the series).
 */
#ifndef PTSCOPE_PROM_H
#define PTSCOPE_PROM_H

#include <stdbool.h>
#include <stdio.h>

#include "metrics.h"

#define PROM_TEXT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
#define PROM_OM_TYPE	"application/openmetrics-text; version=1.0.0; charset=utf-8"

struct prom_opts {
	bool openmetrics;
	bool cgroup_label;
	double now;			/* metrics_clock(): ages are relative to it */
};

/* Everything in @s; returns ferror(@f) ? -EIO : 0. */
int prom_write(FILE *f, const struct metrics_snapshot *s, const struct prom_opts *o);

/*
 * Does an HTTP Accept header prefer OpenMetrics to the text format?  By
 * the q values of its media ranges; NULL or neither named: no.
 */
bool prom_accepts_openmetrics(const char *accept);

#endif /* PTSCOPE_PROM_H */
