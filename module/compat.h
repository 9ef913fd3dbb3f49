/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels ptscope supports (6.1 LTS to 6.12)
 * lives here, so the .c files read like code for one kernel.  The
 * PTSCOPE_HAVE_* macros come from feature tests in Kbuild.
 */
#ifndef PTSCOPE_COMPAT_H
#define PTSCOPE_COMPAT_H

#include <linux/ftrace.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/pgtable.h>
#include <net/genetlink.h>

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

#endif /* PTSCOPE_COMPAT_H */
