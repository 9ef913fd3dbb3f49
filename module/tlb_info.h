/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PTSCOPE_TLB_INFO_H
#define PTSCOPE_TLB_INFO_H

#include <linux/types.h>

struct flush_tlb_info;
struct mm_struct;

/* The fields of a struct flush_tlb_info the shootdown probes read. */
struct ptscope_flush {
	struct mm_struct *mm;	/* NULL: a flush of every mm (reclaim) */
	u64 new_tlb_gen;
	unsigned int initiating_cpu;
};

void ptscope_flush_read(const struct flush_tlb_info *info,
			struct ptscope_flush *out);

#endif /* PTSCOPE_TLB_INFO_H */
