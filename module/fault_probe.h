/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The handle_mm_fault() hook (fault_probe.c): entry counts always, the
 * return side (minor/major, retries, errors, latency) where affordable.
 * Registered and unregistered by probes.c, with the probes.
 */
#ifndef PTSCOPE_FAULT_PROBE_H
#define PTSCOPE_FAULT_PROBE_H

#include <linux/types.h>

#include "tracked.h"

int ptscope_fault_probe_init(void);
void ptscope_fault_probe_exit(void);
/* PTSCOPE_PROBE_HANDLE_MM_FAULT, _FAULT_RETURN, _FAULT_FGRAPH it can arm */
u64 ptscope_fault_probe_available(void);
/* Arms what fault_latency and the kernel allow; returns those bits. */
u64 ptscope_fault_probe_register(void);
void ptscope_fault_probe_unregister(void);
/* Return hooks that could not be set up: faults not timed. */
u64 ptscope_fault_probe_missed(void);

/* The exceptions:page_fault_{user,kernel} tracepoint probe. */
struct pt_regs;
void ptscope_tp_page_fault(void *data, unsigned long address,
			   struct pt_regs *regs, unsigned long error_code);
/*
 * A hardware fault at @address with the architecture's error code @code
 * (x86's error code, arm64's ESR) is about to reach handle_mm_fault().
 */
void ptscope_fault_hw_seen(unsigned long address, unsigned long code);

#endif /* PTSCOPE_FAULT_PROBE_H */
