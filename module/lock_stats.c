// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_lock read holds, timed, and their module-wide statistics.
 */
#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/mmap_lock.h>

#include "lock_stats.h"

static atomic64_t lock_holds = ATOMIC64_INIT(0);
static atomic64_t lock_max_ns = ATOMIC64_INIT(0);
static atomic64_t lock_total_ns = ATOMIC64_INIT(0);

static void lock_stats_add(u64 ns)
{
	s64 max = atomic64_read(&lock_max_ns);

	atomic64_inc(&lock_holds);
	atomic64_add(ns, &lock_total_ns);
	while ((s64)ns > max) {
		s64 old = atomic64_cmpxchg(&lock_max_ns, max, ns);

		if (old == max)
			break;
		max = old;
	}
}

void ptscope_lock_stats_get(struct ptscope_lock_stats *st, bool reset)
{
	if (reset) {
		st->holds = atomic64_xchg(&lock_holds, 0);
		st->max_ns = atomic64_xchg(&lock_max_ns, 0);
		st->total_ns = atomic64_xchg(&lock_total_ns, 0);
	} else {
		st->holds = atomic64_read(&lock_holds);
		st->max_ns = atomic64_read(&lock_max_ns);
		st->total_ns = atomic64_read(&lock_total_ns);
	}
}

int ptscope_mmap_read_lock(struct mm_struct *mm, u64 *t0)
{
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	*t0 = ktime_get_ns();
	return 0;
}

bool ptscope_mmap_read_trylock(struct mm_struct *mm, u64 *t0)
{
	if (!mmap_read_trylock(mm))
		return false;
	*t0 = ktime_get_ns();
	return true;
}

void ptscope_mmap_read_unlock(struct mm_struct *mm, u64 t0)
{
	lock_stats_add(ktime_get_ns() - t0);
	mmap_read_unlock(mm);
}
