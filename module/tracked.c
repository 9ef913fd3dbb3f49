// SPDX-License-Identifier: GPL-2.0
/*
 * The set of tracked processes: RCU lookup for the probes, ordered
 * iteration and changes under one mutex.
 */
#include <linux/hashtable.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>

#include "tracked.h"

static DEFINE_MUTEX(tracked_mutex);
static DEFINE_HASHTABLE(tracked_hash, 6);
static struct rb_root tracked_tree = RB_ROOT;
static unsigned int nr_tracked;
/* Read without the mutex by get-info; starts at 1 so it is never 0. */
static u32 tracked_gen = 1;

struct ptscope_tracked *ptscope_tracked_find(const struct mm_struct *mm)
{
	struct ptscope_tracked *t;

	hash_for_each_possible_rcu(tracked_hash, t, node, (unsigned long)mm,
				   lockdep_is_held(&tracked_mutex))
		if (t->mm == mm)
			return t;
	return NULL;
}

void ptscope_tracked_lock(void)
{
	mutex_lock(&tracked_mutex);
}

void ptscope_tracked_unlock(void)
{
	mutex_unlock(&tracked_mutex);
}

static bool tracked_less(struct rb_node *a, const struct rb_node *b)
{
	return ptscope_tracked_key(rb_entry(a, struct ptscope_tracked, rb)) <
	       ptscope_tracked_key(rb_entry(b, struct ptscope_tracked, rb));
}

/* Skips 0, which would make the first message of a dump look unchecked. */
static void generation_bump(void)
{
	WRITE_ONCE(tracked_gen, tracked_gen + 1 ?: 1);
}

void ptscope_tracked_add(struct ptscope_tracked *t)
{
	lockdep_assert_held(&tracked_mutex);
	hash_add_rcu(tracked_hash, &t->node, ptscope_tracked_key(t));
	rb_add(&t->rb, &tracked_tree, tracked_less);
	WRITE_ONCE(nr_tracked, nr_tracked + 1);
	generation_bump();
}

void ptscope_tracked_del(struct ptscope_tracked *t)
{
	lockdep_assert_held(&tracked_mutex);
	hash_del_rcu(&t->node);
	rb_erase(&t->rb, &tracked_tree);
	WRITE_ONCE(nr_tracked, nr_tracked - 1);
	generation_bump();
}

unsigned int ptscope_tracked_count(void)
{
	return READ_ONCE(nr_tracked);
}

struct ptscope_tracked *ptscope_tracked_after(unsigned long key)
{
	struct rb_node *n = tracked_tree.rb_node;
	struct ptscope_tracked *best = NULL;

	lockdep_assert_held(&tracked_mutex);
	while (n) {
		struct ptscope_tracked *t = rb_entry(n, struct ptscope_tracked, rb);

		if (ptscope_tracked_key(t) > key) {
			best = t;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

struct ptscope_tracked *ptscope_tracked_next(struct ptscope_tracked *t)
{
	struct rb_node *n;

	lockdep_assert_held(&tracked_mutex);
	n = rb_next(&t->rb);
	return n ? rb_entry(n, struct ptscope_tracked, rb) : NULL;
}

u32 ptscope_tracked_generation(void)
{
	return READ_ONCE(tracked_gen);
}
