/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every mmap_lock read hold of a walk (dumps and translate) goes through
 * here, timed, so get-info can say how long ptscope kept a target's
 * mmap()/munmap() waiting at most.
 */
#ifndef PTSCOPE_LOCK_STATS_H
#define PTSCOPE_LOCK_STATS_H

#include <linux/mm_types.h>
#include <linux/types.h>

/*
 * Module-wide since load or the last reset.  Each counter is exact; a
 * reset racing with a walk may leave the three briefly out of step.
 */
struct ptscope_lock_stats {
	u64 holds, max_ns, total_ns;
};

void ptscope_lock_stats_get(struct ptscope_lock_stats *st, bool reset);

/* mmap_read_lock_killable() and mmap_read_trylock(), the hold timed. */
int ptscope_mmap_read_lock(struct mm_struct *mm, u64 *t0);
bool ptscope_mmap_read_trylock(struct mm_struct *mm, u64 *t0);
/* mmap_read_unlock(); the hold that began at @t0 is counted. */
void ptscope_mmap_read_unlock(struct mm_struct *mm, u64 t0);

#endif /* PTSCOPE_LOCK_STATS_H */
