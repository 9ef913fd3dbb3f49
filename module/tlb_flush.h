/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PTSCOPE_TLB_FLUSH_H
#define PTSCOPE_TLB_FLUSH_H

#include <linux/mm_types.h>

/*
 * Make the CPUs forget @mm's translations, as flush_tlb_mm() would (not
 * exported).  Returns the number of CPUs interrupted.
 */
unsigned int ptscope_flush_mm_tlbs(struct mm_struct *mm);

#endif /* PTSCOPE_TLB_FLUSH_H */
