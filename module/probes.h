/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hooks behind tracking.  They only count: into the per-CPU area of
 * the tracked object they look up (tracked.h), and into system-wide
 * per-CPU counters.  When they are registered is track.c's business.
 */
#ifndef PTSCOPE_PROBES_H
#define PTSCOPE_PROBES_H

#include <linux/types.h>

#include "tracked.h"

extern u64 ptscope_probes_available;	/* PTSCOPE_PROBE_*, set at init */
extern u64 ptscope_probes_active;	/* registered now */

int ptscope_probes_init(void);
void ptscope_probes_exit(void);
/*
 * Called once each, in turn, by whoever owns the probes' lifecycle (with
 * its lock held).  Once unregister returns no probe handler runs any more.
 */
void ptscope_probes_register(void);
void ptscope_probes_unregister(void);
/* The tlb_flush tracepoint's system-wide count of @reason on @cpu. */
u64 ptscope_probes_tp_count(int cpu, enum ptscope_tp_reason reason);
u64 ptscope_probes_irq_tlb(int cpu);

#endif /* PTSCOPE_PROBES_H */
