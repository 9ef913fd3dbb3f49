/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the dumps of a target's address space (get-vmas, get-pages,
 * get-tables) share: the cursor each command's state embeds, and taking
 * the target's mmap_lock per batch.
 */
#ifndef PTSCOPE_DUMP_H
#define PTSCOPE_DUMP_H

#include <linux/mm_types.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "walk.h"

/*
 * Page-table entries visited per mmap_lock hold.  The lock is dropped and
 * retaken between batches (not only between messages), so a dump never
 * stalls the target's mmap()/munmap() or page faults for long.  4096
 * entries (8 PTE tables) hold it for about 1-2 ms in a QEMU TCG guest,
 * tens of microseconds on hardware; 16384 held it up to 9 ms under TCG.
 */
#define PTSCOPE_WALK_BUDGET	4096L

/*
 * Where a dump is in the target, kept between messages; the first member
 * of every command's own dump state.  It holds an mmgrab() reference:
 * the mm_struct stays valid, but the address space is re-taken with
 * mmget_not_zero() for each message, which fails once the target exited.
 */
struct ptscope_dump_cursor {
	const struct ptscope_dump_ops *ops;
	struct netlink_callback *cb;	/* the same for the whole dump */
	struct mm_struct *mm;
	pid_t nr;
	bool privileged;
	u32 flags;
	unsigned long start, end;	/* requested range */
	unsigned long next;		/* where the next message resumes */
	struct ptscope_walker walker;
	u64 lock_t0;			/* when mmap_lock was taken */
	/*
	 * Dumps whose ops allow it, on kernels that have them, hold a
	 * per-VMA read lock (vma) instead of mmap_lock; mmap_held says
	 * mmap_lock is held, either way (a VMA it could not lock).
	 */
	bool vma_locks;
	bool mmap_held;
	struct vm_area_struct *vma;
	/* ptscope_vma_seq() at the last hold; cb->seq moves when it does */
	unsigned int vma_seq;
	bool vma_seq_known;
};

/* How a command sets up and tears down its dump state. */
struct ptscope_dump_ops {
	size_t size;		/* of the state; the cursor comes first */
	u32 allowed_flags;
	/*
	 * The dump only reads page tables and VMA bounds, so a per-VMA read
	 * lock is enough (ptscope_dump_find_vma()).
	 */
	bool vma_locks;
	/* The cursor is set; fill in the rest (an extack message on error). */
	int (*init)(struct netlink_callback *cb, struct ptscope_dump_cursor *c,
		    struct netlink_ext_ack *extack);
	void (*fini)(struct ptscope_dump_cursor *c);	/* optional */
};

/* The state of a dump, as the command's own type. */
#define ptscope_dump_state(cb, type) ({					\
	static_assert(offsetof(type, cur) == 0);			\
	(type *)ptscope_dump_cursor(cb); })

struct ptscope_dump_cursor *ptscope_dump_cursor(struct netlink_callback *cb);

/* The .start of a dump; the .done is ptscope_dump_done() (netlink.h). */
int ptscope_dump_begin(struct netlink_callback *cb,
		       const struct ptscope_dump_ops *ops);
/* The error .start deferred, reported with its message; 0 if none. */
int ptscope_dump_deferred_err(struct netlink_callback *cb);

/*
 * A message's hold of the target: ptscope_dump_lock() takes a reference on
 * the address space and mmap_lock for read (for a dump with per-VMA locks:
 * nothing yet); ptscope_dump_relock() lets writers in after a
 * PTSCOPE_WALK_YIELD; ptscope_dump_unlock() ends it.  A failed relock has
 * released everything.
 */
int ptscope_dump_lock(struct ptscope_dump_cursor *c,
		      struct netlink_ext_ack *extack);
int ptscope_dump_relock(struct ptscope_dump_cursor *c);
void ptscope_dump_unlock(struct ptscope_dump_cursor *c);
/*
 * Between two items of a message (nothing from the hold kept): if a writer
 * wants mmap_lock, ptscope_dump_relock().  Returns 1 if it did (the VMA
 * tree may have changed: a maple state must be reset), 0 if it did not, or
 * the failed relock's negative errno.
 */
int ptscope_dump_let_writers_in(struct ptscope_dump_cursor *c);

/*
 * find_vma() for the dump loops: the first VMA ending after @addr, or
 * NULL.  Under mmap_lock it is find_vma().  With per-VMA locks it
 * read-locks that VMA (releasing the one before), which stays valid until
 * the next call, relock or unlock; an ERR_PTR() (-EINTR) when the caller
 * was killed while waiting, everything then released as by a failed
 * relock.
 */
struct vm_area_struct *ptscope_dump_find_vma(struct ptscope_dump_cursor *c,
					     unsigned long addr);

/*
 * Start a message and take the hold for it (ptscope_dump_msg_put() and
 * ptscope_dump_lock()): the header, or NULL with *@err set and nothing
 * left in @skb or held.
 */
void *ptscope_dump_msg_begin(struct sk_buff *skb, struct ptscope_dump_cursor *c,
			     u8 cmd, int *err);

/*
 * The loop get-pages and sample-access share: from *@addr to the end of
 * the range, VMA by VMA, letting writers in whenever a walk yields.
 */
struct ptscope_vma_loop {
	/*
	 * Before the walk goes on at *@addr, in @vma (NULL: no VMA left): end
	 * what must not continue across a lock release or a VMA boundary.
	 * Non-zero stops the loop with that value (*@addr may move back).
	 */
	int (*enter)(struct ptscope_dump_cursor *c, struct vm_area_struct *vma,
		     unsigned long *addr);
	/*
	 * Walk [@start, @end) of @vma: 0 when done, PTSCOPE_WALK_YIELD to let
	 * writers in, another positive value to stop (message full), or a
	 * negative errno; *@next is where the walk goes on.
	 */
	int (*walk)(struct ptscope_dump_cursor *c, struct vm_area_struct *vma,
		    unsigned long start, unsigned long end, unsigned long *next);
	/* Optional: the walk is about to let writers in. */
	void (*yield)(struct ptscope_dump_cursor *c);
};

/*
 * Run @loop from *@addr with the hold ptscope_dump_lock() took, and end
 * the hold (ptscope_dump_unlock()) whatever happens.  Returns 0 (the range
 * is done, *@addr its end), the positive value that stopped it, or a
 * negative errno; *@addr is where the next message resumes.
 */
int ptscope_dump_vma_loop(struct ptscope_dump_cursor *c,
			  const struct ptscope_vma_loop *loop,
			  unsigned long *addr);

/*
 * Start a message of the dump, with the target's PID; NULL if it does
 * not fit.  The message carries NLM_F_DUMP_INTR when the target's VMAs
 * changed between two mmap_lock holds of the dump (ptscope_vma_seq()).
 */
void *ptscope_dump_msg_put(struct sk_buff *skb, struct ptscope_dump_cursor *c,
			   u8 cmd);

int ptscope_parse_range(struct nlattr **attrs, struct mm_struct *mm,
			struct netlink_ext_ack *extack,
			unsigned long *start, unsigned long *end);

#endif /* PTSCOPE_DUMP_H */
