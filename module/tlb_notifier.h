/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counting a tracked mm's TLB flush requests where they are inline
 * (arm64): an mmu notifier on that mm alone.  See tlb_notifier.c.
 */
#ifndef PTSCOPE_TLB_NOTIFIER_H
#define PTSCOPE_TLB_NOTIFIER_H

#include <linux/netlink.h>
#include <linux/types.h>

#include "tracked.h"

#ifdef PTSCOPE_TLB_NOTIFIER
#define PTSCOPE_TLB_NOTIFIER_AVAILABLE	true
/* @t->mm must have users (a get_task_mm() reference); may sleep. */
int ptscope_tlb_notifier_register(struct ptscope_tracked *t,
				  struct netlink_ext_ack *extack);
/* Once it returns, no notifier call runs for @t any more; may sleep. */
void ptscope_tlb_notifier_unregister(struct ptscope_tracked *t);
#else
#define PTSCOPE_TLB_NOTIFIER_AVAILABLE	false
static inline int ptscope_tlb_notifier_register(struct ptscope_tracked *t,
						struct netlink_ext_ack *extack)
{
	return 0;
}

static inline void ptscope_tlb_notifier_unregister(struct ptscope_tracked *t)
{
}
#endif

#endif /* PTSCOPE_TLB_NOTIFIER_H */
