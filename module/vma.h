/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PTSCOPE_VMA_H
#define PTSCOPE_VMA_H

#include <linux/mm_types.h>
#include <linux/skbuff.h>

#include "walk.h"

/* The counters of vma_counters.def, in its order. */
enum ptscope_vma_counter {
#define PTSCOPE_VMA_COUNTER(attr, ...) PTSCOPE_VMA_COUNTER_##attr,
#include "vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
	PTSCOPE_VMA_NR_COUNTERS
};

/* Per-VMA page counts, accumulated from walker spans. */
struct ptscope_vma_counts {
	u64 n[PTSCOPE_VMA_NR_COUNTERS];
};

void ptscope_vma_count_span(struct ptscope_vma_counts *c,
			    const struct ptscope_span *s);

/*
 * What ptscope_vma_put() keeps from one VMA to the next: a PATH_MAX
 * scratch buffer for d_path(), and the last two VM_* flag words it
 * translated with their translation (zeroed: 0 translates to 0), since
 * neighbouring VMAs mostly share their flags.
 */
struct ptscope_vma_enc {
	char *path_buf;
	vm_flags_t vm_flags[2];
	u64 flags[2];
};

/*
 * Put the description of @vma (range, flags, kind, name, backing file)
 * into @skb.
 */
int ptscope_vma_put(struct sk_buff *skb, struct vm_area_struct *vma,
		    struct ptscope_vma_enc *enc);
int ptscope_vma_counts_put(struct sk_buff *skb,
			   const struct ptscope_vma_counts *c);

#endif /* PTSCOPE_VMA_H */
