/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels ptscope supports (6.1 LTS to 7.3)
 * lives here, so the .c files read like code for one kernel.  The
 * PTSCOPE_HAVE_* macros come from feature tests in Kbuild.
 */
#ifndef PTSCOPE_COMPAT_H
#define PTSCOPE_COMPAT_H

#include <linux/ftrace.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <net/genetlink.h>
#include <linux/swap.h>		/* before swapops.h, which needs it */
#ifdef PTSCOPE_HAVE_LEAFOPS
#include <linux/leafops.h>
#else
#include <linux/swapops.h>
#endif
#ifdef PTSCOPE_HAVE_TASK_EXEC_STATE
#include <linux/sched/exec_state.h>
#else
#include <linux/sched/coredump.h>
#endif

#include "arch.h"

/* genl_info_dump() arrived in 6.7; genl_dumpit_info() has the attrs before. */
static inline struct nlattr **ptscope_dump_attrs(struct netlink_callback *cb)
{
#ifdef PTSCOPE_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * Before 6.3 a dump's .start callback has no extack (cb->extack is NULL),
 * so an error found there would reach the caller without its message.
 * There, .start collects the message in a local extack and defers the
 * error to the first .dumpit, which always has one.
 */
#ifdef PTSCOPE_HAVE_DUMP_START_EXTACK
#define PTSCOPE_DEFER_START_ERRORS false
#else
#define PTSCOPE_DEFER_START_ERRORS true
#endif

/*
 * Unknown flag bits in a request, named in the message.  Formatted
 * extack messages arrived in 6.2; a message formatted into a dump
 * start's deferred extack (kernels without a start extack, see above)
 * would not outlive .start, so those keep the fixed message too.
 */
static inline void ptscope_set_err_bad_flags(struct netlink_ext_ack *extack,
					     const struct nlattr *attr,
					     u32 bad)
{
#if defined(PTSCOPE_HAVE_EXTACK_FMT) && defined(PTSCOPE_HAVE_DUMP_START_EXTACK)
	NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
				"unknown flag bits for this command: 0x%x", bad);
#else
	NL_SET_ERR_MSG_ATTR(extack, attr, "unknown flag bits for this command");
#endif
}

/*
 * A number that changes whenever @mm's VMA tree may have changed since it
 * was last read; read with mmap_lock held for read (dump.c compares the
 * values of two holds), or, by walks under per-VMA locks, at both ends of
 * each VMA's hold, when a writer may be at work (seqcount odd).
 *
 * Per-VMA-lock kernels (6.4 on) count the write holds of mmap_lock in
 * mm->mm_lock_seq: vma_end_write_all() bumps it in every
 * mmap_write_unlock() and mmap_write_downgrade().  Every change of the
 * VMA tree, of a VMA's bounds or of its flags is made under the write
 * lock (stack expansion too, since the 6.5 StackRot fix), so equal values
 * under two read holds mean no writer held the lock in between: exact,
 * never a missed change.  The converse is not true: a writer that changes
 * no VMA (khugepaged collapsing a huge page, say) also moves it, so a
 * dump may at worst be called interrupted needlessly.  6.4 to 6.12 have
 * an int; 6.13 (and Debian's 6.12, by backport) made it a seqcount_t,
 * odd while write-locked and so even under our read lock.
 *
 * 6.1 has no per-mm count of write holds (vmacache_seqnum went with the
 * maple tree in 6.1), and the values read under the lock there (map_count,
 * total_vm, the tree's root) come back to the same after an mmap() and a
 * munmap(), so no combination of them is a sequence.  The only exact
 * source would be the mmap_lock_acquire_returned tracepoint, which on 6.1
 * formats a memcg path for every mmap_lock operation of every process
 * while it is enabled.  So on 6.1 this is a constant, honestly: dumps
 * there never set NLM_F_DUMP_INTR for VMA changes.  Each message is still
 * right for the VMAs it covers when it is built (a VMA that changed while
 * it was being counted is counted again, runs end at VMA ends), but two
 * messages may describe different versions of the tree.
 */
#if defined(CONFIG_PER_VMA_LOCK) && defined(PTSCOPE_HAVE_MM_LOCK_SEQCOUNT)
static inline unsigned int ptscope_vma_seq(struct mm_struct *mm)
{
	return raw_read_seqcount(&mm->mm_lock_seq);
}
#elif defined(CONFIG_PER_VMA_LOCK) && defined(PTSCOPE_HAVE_MM_LOCK_SEQ_INT)
static inline unsigned int ptscope_vma_seq(struct mm_struct *mm)
{
	return READ_ONCE(mm->mm_lock_seq);
}
#else
static inline unsigned int ptscope_vma_seq(struct mm_struct *mm)
{
	return 0;
}
#endif

/*
 * Walking a VMA under its per-VMA read lock instead of mmap_lock, so that
 * the target's mmap()/munmap() of other VMAs never waits for a walk.
 * lock_vma_under_rcu() is what the page-fault path uses; it is exported
 * (GPL) from 7.2 on (Debian's 7.2 and 7.3; not in 6.12), which Kbuild
 * reads in Module.symvers.  vma_end_read() is inline there and wakes a
 * writer waiting for the VMA through rcuwait_wake_up(), exported too.
 * A writer that wants the VMA (vma_start_write(): mmap()/munmap()/mprotect()
 * of this VMA, or a merge with it) first sets
 * VM_REFCNT_EXCLUDE_READERS_FLAG in vm_refcnt, then waits for readers to
 * drop theirs: the walk looks at that bit as it looks at mmap_lock's
 * waiters.  Where any of it is missing, walks hold mmap_lock as before.
 */
#if defined(CONFIG_PER_VMA_LOCK) && defined(PTSCOPE_HAVE_LOCK_VMA_UNDER_RCU) && \
	defined(VM_REFCNT_EXCLUDE_READERS_FLAG)
#define PTSCOPE_VMA_LOCKS true

static inline struct vm_area_struct *ptscope_vma_read_lock(struct mm_struct *mm,
							   unsigned long addr)
{
	return lock_vma_under_rcu(mm, addr);
}

static inline void ptscope_vma_read_unlock(struct vm_area_struct *vma)
{
	vma_end_read(vma);
}

static inline bool ptscope_vma_lock_wanted(struct vm_area_struct *vma)
{
	return refcount_read(&vma->vm_refcnt) & VM_REFCNT_EXCLUDE_READERS_FLAG;
}
#else
#define PTSCOPE_VMA_LOCKS false

static inline struct vm_area_struct *ptscope_vma_read_lock(struct mm_struct *mm,
							   unsigned long addr)
{
	return NULL;
}

static inline void ptscope_vma_read_unlock(struct vm_area_struct *vma)
{
}

static inline bool ptscope_vma_lock_wanted(struct vm_area_struct *vma)
{
	return false;
}
#endif

/* vma_is_initial_heap/stack() arrived in 6.5 with the same logic. */
#ifndef PTSCOPE_HAVE_VMA_IS_INITIAL_HEAP
static inline bool vma_is_initial_heap(const struct vm_area_struct *vma)
{
	return vma->vm_start < vma->vm_mm->brk &&
	       vma->vm_end > vma->vm_mm->start_brk;
}

static inline bool vma_is_initial_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack &&
	       vma->vm_end >= vma->vm_mm->start_stack;
}
#endif

/*
 * Since 6.5 khugepaged may free a PTE table with only mmap_lock held for
 * read, deferring the free through RCU (pte_free_defer()).  Readers must
 * hold rcu_read_lock() and recheck the PMD; on older kernels the same
 * protocol is merely redundant.
 */
#ifdef PTSCOPE_HAVE_PTE_FREE_DEFER
#define PTSCOPE_PTE_RCU_FREE true
#else
#define PTSCOPE_PTE_RCU_FREE false
#endif

/* pmdp_get_lockless() arrived in 6.5; a 64-bit PMD reads atomically. */
static inline pmd_t ptscope_pmdp_get_lockless(pmd_t *pmdp)
{
#ifdef PTSCOPE_HAVE_PMDP_GET_LOCKLESS
	return pmdp_get_lockless(pmdp);
#else
	return READ_ONCE(*pmdp);
#endif
}

/* pgdp_get()/p4dp_get()/pudp_get() arrived in 6.10/6.11. */
static inline pgd_t ptscope_pgdp_get(pgd_t *pgdp)
{
	return READ_ONCE(*pgdp);
}

static inline p4d_t ptscope_p4dp_get(p4d_t *p4dp)
{
	return READ_ONCE(*p4dp);
}

static inline pud_t ptscope_pudp_get(pud_t *pudp)
{
	return READ_ONCE(*pudp);
}

/* pte/pmd_protnone() exist only with NUMA balancing. */
static inline bool ptscope_pte_protnone(pte_t pte)
{
#ifdef CONFIG_NUMA_BALANCING
	return pte_protnone(pte);
#else
	return false;
#endif
}

static inline bool ptscope_pmd_protnone(pmd_t pmd)
{
#ifdef CONFIG_NUMA_BALANCING
	return pmd_protnone(pmd);
#else
	return false;
#endif
}

/*
 * The arguments of a function an ftrace_ops callback hooks: 6.1 has no
 * accessor, but its x86 ftrace_regs (DYNAMIC_FTRACE_WITH_ARGS) holds the
 * argument registers in a struct pt_regs.
 */
#ifdef PTSCOPE_HAVE_FTRACE_REGS_GET_ARGUMENT
#define ptscope_ftrace_arg(fregs, n)	ftrace_regs_get_argument(fregs, n)
#else
#define ptscope_ftrace_arg(fregs, n)	\
	regs_get_kernel_argument(&(fregs)->regs, n)
#endif

/*
 * 6.4: a user fault is first tried under the per-VMA lock.  Without it
 * no fault carries the flag: 0 keeps the test, which then never matches.
 */
#ifdef PTSCOPE_HAVE_FAULT_FLAG_VMA_LOCK
#define PTSCOPE_FAULT_FLAG_VMA_LOCK	FAULT_FLAG_VMA_LOCK
#else
#define PTSCOPE_FAULT_FLAG_VMA_LOCK	0
#endif

/*
 * Non-present entries (swap, migration, markers).  6.19 replaced the
 * swapops helpers (pte_to_swp_entry(), non_swap_entry(), ...) with the
 * softleaf API of linux/leafops.h.  Either way the kernel's own helpers
 * decode the entry, L1TF inversion included; ptscope applies no masks.
 */
enum ptscope_leaf_kind {
	PTSCOPE_LEAF_OTHER,		/* device, hwpoison, ... */
	PTSCOPE_LEAF_SWAP,
	PTSCOPE_LEAF_MIGRATION,
	PTSCOPE_LEAF_MARKER,
	PTSCOPE_LEAF_UFFD_WP_MARKER,
};

struct ptscope_leaf {
	enum ptscope_leaf_kind kind;
	unsigned int type;		/* swap and migration entries */
	unsigned long offset;
};

#ifdef PTSCOPE_HAVE_LEAFOPS
static inline void ptscope_leaf_decode(softleaf_t entry,
				       struct ptscope_leaf *l)
{
	if (softleaf_is_swap(entry))
		l->kind = PTSCOPE_LEAF_SWAP;
	else if (softleaf_is_migration(entry))
		l->kind = PTSCOPE_LEAF_MIGRATION;
	else if (softleaf_is_uffd_wp_marker(entry))
		l->kind = PTSCOPE_LEAF_UFFD_WP_MARKER;
	else if (softleaf_is_marker(entry))
		l->kind = PTSCOPE_LEAF_MARKER;
	else
		l->kind = PTSCOPE_LEAF_OTHER;
	l->type = swp_type(entry);
	l->offset = swp_offset(entry);
}

static inline void ptscope_leaf_from_pte(pte_t pte, struct ptscope_leaf *l)
{
	ptscope_leaf_decode(softleaf_from_pte(pte), l);
}

static inline void ptscope_leaf_from_pmd(pmd_t pmd, struct ptscope_leaf *l)
{
	ptscope_leaf_decode(softleaf_from_pmd(pmd), l);
}
#else
static inline void ptscope_leaf_decode(swp_entry_t entry,
				       struct ptscope_leaf *l)
{
	if (!non_swap_entry(entry))
		l->kind = PTSCOPE_LEAF_SWAP;
	else if (is_migration_entry(entry))
		l->kind = PTSCOPE_LEAF_MIGRATION;
	else if (is_pte_marker_entry(entry))
		l->kind = (pte_marker_get(entry) & PTE_MARKER_UFFD_WP) ?
			  PTSCOPE_LEAF_UFFD_WP_MARKER : PTSCOPE_LEAF_MARKER;
	else
		l->kind = PTSCOPE_LEAF_OTHER;
	l->type = swp_type(entry);
	l->offset = swp_offset(entry);
}

static inline void ptscope_leaf_from_pte(pte_t pte, struct ptscope_leaf *l)
{
	ptscope_leaf_decode(pte_to_swp_entry(pte), l);
}

static inline void ptscope_leaf_from_pmd(pmd_t pmd, struct ptscope_leaf *l)
{
	ptscope_leaf_decode(pmd_to_swp_entry(pmd), l);
}
#endif

static inline bool ptscope_pte_is_swap(pte_t pte)
{
	struct ptscope_leaf l;

	ptscope_leaf_from_pte(pte, &l);
	return l.kind == PTSCOPE_LEAF_SWAP;
}

/*
 * 7.3 renamed the userfaultfd PTE bit helpers from *_uffd_wp() to
 * *_uffd(): the same bit now also marks read-write-protected ranges
 * (UFFDIO_RWPROTECT).  ptscope reports the bit as it finds it.
 */
#ifdef PTSCOPE_HAVE_PTE_UFFD
#define ptscope_pte_uffd(pte)		pte_uffd(pte)
#define ptscope_pmd_uffd(pmd)		pmd_uffd(pmd)
#define ptscope_pte_swp_uffd(pte)	pte_swp_uffd(pte)
#define ptscope_pmd_swp_uffd(pmd)	pmd_swp_uffd(pmd)
#else
#define ptscope_pte_uffd(pte)		pte_uffd_wp(pte)
#define ptscope_pmd_uffd(pmd)		pmd_uffd_wp(pmd)
#define ptscope_pte_swp_uffd(pte)	pte_swp_uffd_wp(pte)
#define ptscope_pmd_swp_uffd(pmd)	pmd_swp_uffd_wp(pmd)
#endif

/*
 * Counting an architecture's inline TLB flushes (PTSCOPE_ARCH_TLB_NOTIFIER:
 * arm64) through an mmu notifier on the tracked mm: the
 * arch_invalidate_secondary_tlbs op arrived in 6.6 (it replaced
 * invalidate_range, which arm64's flushes did not call).  x86 calls the
 * op too, but its flush_tlb_mm_range() is hooked instead.  Without it,
 * the flush counters are absent.
 */
#if defined(PTSCOPE_ARCH_TLB_NOTIFIER) && defined(PTSCOPE_HAVE_SECONDARY_TLBS) && \
	defined(CONFIG_MMU_NOTIFIER)
#define PTSCOPE_TLB_NOTIFIER
#endif

/*
 * Whether @task (whose mm is @mm) may be inspected by its owner, as
 * ptrace's "dumpable" rule: 7.x (seen in 7.2) moved dumpability from mm->flags
 * (get_dumpable()) to the task's RCU-managed exec_state, whose accessors
 * are not exported; the struct itself is public.
 */
static inline bool ptscope_dumpable_by_owner(struct task_struct *task,
					     struct mm_struct *mm)
{
#ifdef PTSCOPE_HAVE_TASK_EXEC_STATE
	const struct task_exec_state *es;
	bool ok;

	rcu_read_lock();
	es = rcu_dereference(task->exec_state);
	ok = es && es->dumpable == TASK_DUMPABLE_OWNER;
	rcu_read_unlock();
	return ok;
#else
	return get_dumpable(mm) == SUID_DUMP_USER;
#endif
}

#endif /* PTSCOPE_COMPAT_H */
