/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A buffer for one interval of `ptscope heat` (struct heat_sample): the
 * VMAs and the access blocks copied as they come (2 bits a page), handed
 * on only once the interval is complete.  Reused from interval to
 * interval: its memory is that of the largest interval, O(pages / 4).
 */
#ifndef PTSCOPE_HEAT_SAMPLE_H
#define PTSCOPE_HEAT_SAMPLE_H

#include "heat.h"

struct heat_sbuf {
	struct heat_vma_in *vmas;
	char **names;
	size_t nr_vmas, cap_vmas;
	struct ptscope_access_block *blocks;
	size_t *offs;			/* of each block's states in @states, or -1 */
	size_t nr_blocks, cap_blocks;
	uint8_t *states;
	size_t nr_states, cap_states;
};

/*
 * Room for @need items of @size in the array whose pointer is at @pp (a
 * T ** of any T; capacity *@cap), doubling from 64.  0, or -ENOMEM with
 * the array unchanged.  The model's arrays grow through it too.
 */
int heat_reserve(void *pp, size_t *cap, size_t need, size_t size);

void heat_sbuf_reset(struct heat_sbuf *b);
/* The blocks only: the VMAs stay (a recorded interval whose VMAs did not change). */
void heat_sbuf_reset_blocks(struct heat_sbuf *b);
void heat_sbuf_free(struct heat_sbuf *b);
/* Copies @name.  0 or -ENOMEM. */
int heat_sbuf_add_vma(struct heat_sbuf *b, uint64_t start, uint64_t end, const char *name);
/* A VMA from get-vmas, named as maps shows it ([anon:X], [heap], a path, ""). */
int heat_sbuf_add_ptscope_vma(struct heat_sbuf *b, const struct ptscope_vma *v);
/* Copies the block's states (if any).  0 or -ENOMEM. */
int heat_sbuf_add_block(struct heat_sbuf *b, const struct ptscope_access_block *blk);
/* The sample over the buffer (valid until the next change of @b). */
void heat_sbuf_sample(struct heat_sbuf *b, struct heat_sample *s);

#endif /* PTSCOPE_HEAT_SAMPLE_H */
