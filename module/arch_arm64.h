/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 (4K granule): what the page tables and the TLB look like here,
 * for compat.h.  The names every arch header defines are listed in arch.h.
 *
 * Leaf entries: the access flag (AF, bit 10) is set by the hardware where
 * it manages it (FEAT_HAFDBS), else by the fault handler; "dirty" is the
 * software PTE_DIRTY (bit 55), or the hardware's DBM (bit 51, which Linux
 * uses as PTE_WRITE) with PTE_RDONLY (bit 7) clear: pte_dirty() knows
 * both.  No-execute is split into UXN (bit 54, user) and PXN (bit 53,
 * privileged): ptscope's NX is UXN, what the process itself cannot
 * execute, and PXN its own flag (every user mapping has it: the kernel
 * never executes user memory).  There is no soft-dirty bit and no global
 * bit for user mappings (they are all nG): those flags are absent, not 0.
 *
 * Levels: 4 with 48-bit VAs (Debian's 6.1); 5 with 52-bit VAs and LPA2
 * (6.12 and later) where the CPU has LPA2, else the top level is folded at
 * boot, as x86 folds the P4D without LA57.  Huge leaves: PMD (2M) and PUD
 * (1G) block entries.  Contiguous PTEs (bit 52, 16 entries in one TLB
 * entry, CONTPTE from 6.9): ptep_get() then ORs the accessed and dirty
 * bits of the 16, which is what the kernel itself reads; the bit itself
 * is reported as cont, at PTE and PMD level (hugetlb's 64K and 32M pages
 * use it on every kernel).
 *
 * TLB maintenance is broadcast in hardware (TLBI ... IS): no IPIs, so no
 * CPU receives a shootdown, and /proc/interrupts has no TLB line.
 */
#ifndef PTSCOPE_ARCH_ARM64_H
#define PTSCOPE_ARCH_ARM64_H

#include <linux/bits.h>
#include <linux/pgtable.h>
#include <linux/ptscope.h>
#include <linux/uaccess.h>
#include <asm/esr.h>
#include <asm/mmu.h>
#include <asm/tlbflush.h>

/* The page flags of the protocol that mean something on arm64. */
#define PTSCOPE_ARCH_PAGE_FLAGS						\
	(PTSCOPE_PF_ALL & ~(u32)(PTSCOPE_PF_GLOBAL | PTSCOPE_PF_SOFT_DIRTY))

/* Broadcast TLB invalidation: no shootdown IPIs to count. */
#define PTSCOPE_ARCH_TLB_IPI		false

/*
 * Flush requests are inline here (flush_tlb_mm(), __flush_tlb_range()),
 * so no function can be hooked; from 6.6 they end by telling the mm's
 * mmu notifiers (secondary TLBs: SMMU SVA), and tracking registers one
 * on each tracked mm to count them (tlb_notifier.c).  A whole-mm flush
 * tells them 0 to -1UL.
 */
#define PTSCOPE_ARCH_TLB_NOTIFIER
#define PTSCOPE_TLB_FLUSH_ALL		ULONG_MAX

/*
 * The bits of a PTE other than its output address: the lower attributes
 * (bits 2-11) and the upper ones (50-63).  With LPA2, bits 8-9 hold
 * address bits 50-51; having them in the mask only splits a run at a
 * 1 PiB boundary of physical memory, and the flags never depend on them.
 */
#define PTSCOPE_PTE_FLAGS_MASK		(GENMASK_ULL(63, 50) | GENMASK_ULL(11, 0))

/*
 * Table descriptors: APTable (61: no EL0, 62: no write), UXNTable (60),
 * PXNTable (59), the same bits at every level (the kernel's
 * PMD_TABLE_UXN/PXN name the XN ones on every version).
 */
#define PTSCOPE_ARM64_TABLE_NO_EL0	BIT_ULL(61)
#define PTSCOPE_ARM64_TABLE_RDONLY	BIT_ULL(62)
#define PTSCOPE_ARM64_TABLE_UXN		PMD_TABLE_UXN
#define PTSCOPE_ARM64_TABLE_PXN		PMD_TABLE_PXN

static inline unsigned int ptscope_pgtable_levels(void)
{
#ifdef PTSCOPE_HAVE_PGTABLE_L5_ENABLED
	if (pgtable_l5_enabled())
		return 5;
	return pgtable_l4_enabled() ? 4 : 3;
#else
	return CONFIG_PGTABLE_LEVELS;
#endif
}

/*
 * The end of a 64-bit process's address space (get-info's user-va-end):
 * 1 << vabits_actual, 48 on a 52-bit-VA kernel whose CPU lacks LPA2
 * (TASK_SIZE_MAX is the compile-time 52).  A process maps above 48 bits
 * only when it asks with a hint address.
 */
static inline unsigned long ptscope_user_va_end(void)
{
	return TASK_SIZE_64;
}

/* Only meaningful where the P4D is not folded. */
static inline unsigned long ptscope_p4d_index(unsigned long addr)
{
#if CONFIG_PGTABLE_LEVELS > 4
	return p4d_index(addr);
#else
	return 0;
#endif
}

/* The P4D is a table of its own only with 5 levels. */
static inline bool ptscope_p4d_folded(void)
{
	return ptscope_pgtable_levels() < 5;
}

/*
 * A table descriptor only restricts what its leaves allow: report
 * "write" and "user" where it does not take them away, as x86's tables
 * set R/W and U/S where they allow them.
 */
static inline u32 ptscope_table_entry_flags(unsigned long raw)
{
	u32 f = 0;

	if (!(raw & PTE_VALID))
		return 0;
	f |= PTSCOPE_PF_PRESENT;
	if (!(raw & PTSCOPE_ARM64_TABLE_RDONLY))
		f |= PTSCOPE_PF_WRITE;
	if (!(raw & PTSCOPE_ARM64_TABLE_NO_EL0))
		f |= PTSCOPE_PF_USER;
	if (raw & PTSCOPE_ARM64_TABLE_UXN)
		f |= PTSCOPE_PF_NX;
	if (raw & PTSCOPE_ARM64_TABLE_PXN)
		f |= PTSCOPE_PF_PXN;
	return f;
}

/*
 * The flags of a present leaf that are arm64's own: user, UXN, PXN and
 * the contiguous bit.  A PROT_NONE entry (PAGE_NONE: valid bit clear,
 * PTE_PROT_NONE set) keeps the UXN and PXN of PAGE_NONE.
 */
static inline u32 ptscope_arch_pte_flags(pte_t pte)
{
	u32 f = 0;

	if (pte_user(pte))
		f |= PTSCOPE_PF_USER;
	if (!pte_user_exec(pte))
		f |= PTSCOPE_PF_NX;
	if (pte_val(pte) & PTE_PXN)
		f |= PTSCOPE_PF_PXN;
	if (pte_cont(pte))
		f |= PTSCOPE_PF_CONT;
	return f;
}

static inline u32 ptscope_arch_pmd_flags(pmd_t pmd)
{
	return ptscope_arch_pte_flags(pmd_pte(pmd));
}

static inline u32 ptscope_arch_pud_flags(pud_t pud)
{
	return ptscope_arch_pte_flags(pud_pte(pud));
}

static inline bool ptscope_pud_dirty(pud_t pud)
{
	return pte_dirty(pud_pte(pud));
}

/* No soft-dirty: nothing arm64-specific in a non-present entry. */
static inline u32 ptscope_arch_pte_swp_flags(pte_t pte)
{
	return 0;
}

static inline u32 ptscope_arch_pmd_swp_flags(pmd_t pmd)
{
	return 0;
}

/*
 * Clearing accessed bits (sample-access), under the entry's page-table
 * lock: the kernel's own inline clearer of one entry, a cmpxchg loop
 * against the hardware setting AF and clearing PTE_RDONLY.  Contiguous
 * PTEs are cleared one by one, as the walk reaches them (6.9 named the
 * one-entry form __ptep_test_and_clear_young(); ptep_test_and_clear_young()
 * then clears the whole contiguous block).  It takes no notice of the VMA.
 */
static inline void ptscope_pte_clear_young(pte_t *ptep)
{
#ifdef PTSCOPE_HAVE_ARM64_RAW_PTEP
	__ptep_test_and_clear_young(NULL, 0, ptep);
#else
	__ptep_test_and_clear_young(ptep);
#endif
}

static inline void ptscope_pmd_clear_young(pmd_t *pmdp)
{
	ptscope_pte_clear_young((pte_t *)pmdp);
}

static inline void ptscope_pud_clear_young(pud_t *pudp)
{
	ptscope_pte_clear_young((pte_t *)pudp);
}

/*
 * The TLBI operand that names an ASID, and its KPTI user twin: the
 * kernel's __TLBI_VADDR() and __tlbi_user(), which 7.3 #undefs at the
 * end of asm/tlbflush.h (its inline functions keep using them).
 */
#ifdef __TLBI_VADDR
#define PTSCOPE_TLBI_ASID(asid)		__TLBI_VADDR(0, asid)
#define ptscope_tlbi_user(op, arg)	__tlbi_user(op, arg)
#else
#define PTSCOPE_TLBI_ASID(asid)		((unsigned long)(asid) << 48)
#define ptscope_tlbi_user(op, arg) do {					\
	if (arm64_kernel_unmapped_at_el0())				\
		__tlbi(op, (arg) | USER_ASID_FLAG);			\
} while (0)
#endif

/*
 * A broadcast invalidation reaches every CPU, except, from 7.3, on CPUs
 * with erratum 4193714 (SME), where the kernel also interrupts the CPUs
 * in streaming mode (sme_dvmsync(), not exported): there a sample may
 * miss accesses through their cached translations, and says so.
 */
static inline bool ptscope_tlb_flush_exact(void)
{
#if defined(CONFIG_ARM64_ERRATUM_4193714) && !defined(PTSCOPE_HAVE_TLBI_SYNC_S1ISH)
	return !alternative_has_cap_unlikely(ARM64_WORKAROUND_4193714);
#else
	return true;
#endif
}

/*
 * Make every CPU forget @mm's translations: the TLBI sequence of arm64's
 * flush_tlb_mm().  That is inline, but ends by telling the mmu notifiers'
 * secondary TLBs (SMMU SVA; 6.6 on) and, from 7.3, the SME erratum's
 * interrupts, both through functions not exported; only the CPUs' TLBs
 * hold the accessed bits a sample reads.  Broadcast: no CPU is
 * interrupted, so it returns 0.
 */
static inline unsigned int ptscope_flush_mm_tlbs(struct mm_struct *mm)
{
	unsigned long asid;

	dsb(ishst);
	asid = PTSCOPE_TLBI_ASID(ASID(mm));
	__tlbi(aside1is, asid);
	ptscope_tlbi_user(aside1is, asid);
#if defined(PTSCOPE_HAVE_TLBI_SYNC_S1ISH)
	__tlbi_sync_s1ish();
#else
	dsb(ish);
#ifdef __repeat_tlbi_sync
	__repeat_tlbi_sync(vale1is, 0);
#endif
#endif
	return 0;
}

/* No shootdown interrupts to count. */
static inline unsigned int ptscope_irq_tlb_count(int cpu)
{
	return 0;
}

/*
 * arm64 has no page-fault tracepoint: a fault reaches handle_mm_fault()
 * through do_mem_abort(far, esr, regs), the entry of every data and
 * instruction abort, and do_page_fault(far, esr, regs), which passes
 * handle_mm_fault() the untagged far.  probes.c hooks whichever ftrace
 * can (do_page_fault() on 6.1; on 6.12 it is not traceable, seen in
 * available_filter_functions, but do_mem_abort() is); both record the
 * same far and syndrome.
 */
#define PTSCOPE_ARCH_FAULT_HOOK		"do_mem_abort", "do_page_fault"
#define PTSCOPE_ARCH_FAULT_ADDR(far)	untagged_addr(far)

/* The syndrome's fault status: a permission fault, or not (translation, AF). */
static inline bool ptscope_fault_code_protection(unsigned long esr)
{
	return (esr & ESR_ELx_FSC_TYPE) == ESR_ELx_FSC_PERM;
}

#endif /* PTSCOPE_ARCH_ARM64_H */
