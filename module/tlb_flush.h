/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PTSCOPE_TLB_FLUSH_H
#define PTSCOPE_TLB_FLUSH_H

#include <linux/mm_types.h>

#include "compat.h"

/*
 * Make the CPUs forget @mm's translations, as flush_tlb_mm() would (not
 * exported).  Returns the number of CPUs interrupted.  arm64's is inline
 * (arch_arm64.h).
 */
#ifndef PTSCOPE_ARCH_FLUSH_INLINE
unsigned int ptscope_flush_mm_tlbs(struct mm_struct *mm);
#endif

#endif /* PTSCOPE_TLB_FLUSH_H */
