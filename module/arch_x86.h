/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64: what the page tables and the TLB look like here, for compat.h.
 * Every entry has the same low flag bits (present, R/W, U/S, accessed,
 * dirty, global) and NX in bit 63; 4 or 5 levels (LA57) chosen at boot;
 * leaves at the PMD (2M) and PUD (1G).  TLB shootdowns are IPIs, so a
 * flush has initiators and receivers.  The names every arch header
 * defines are listed in arch.h.
 */
#ifndef PTSCOPE_ARCH_X86_H
#define PTSCOPE_ARCH_X86_H

#include <linux/bitops.h>
#include <linux/pgtable.h>
#include <linux/ptscope.h>
#include <asm/hardirq.h>
#include <asm/invpcid.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/trap_pf.h>

/* Every page flag of the protocol but arm64's PXN and contiguous bit. */
#define PTSCOPE_ARCH_PAGE_FLAGS						\
	(PTSCOPE_PF_ALL & ~(u32)(PTSCOPE_PF_PXN | PTSCOPE_PF_CONT))

/* Shootdowns are IPIs: initiators, receivers, /proc/interrupts "TLB". */
#define PTSCOPE_ARCH_TLB_IPI		true

/* flush_tlb_mm_range()'s end for a flush of the whole mm. */
#define PTSCOPE_TLB_FLUSH_ALL		TLB_FLUSH_ALL

/* The bits of a PTE other than its frame: equal bits decode equally. */
#define PTSCOPE_PTE_FLAGS_MASK		PTE_FLAGS_MASK

static inline unsigned int ptscope_pgtable_levels(void)
{
	return pgtable_l5_enabled() ? 5 : 4;
}

/* The end of a 64-bit process's address space (get-info's user-va-end). */
static inline unsigned long ptscope_user_va_end(void)
{
	return TASK_SIZE_MAX;
}

/* Only meaningful where the P4D is not folded. */
static inline unsigned long ptscope_p4d_index(unsigned long addr)
{
	return p4d_index(addr);
}

/* With 4-level paging the P4D is folded into the PGD. */
static inline bool ptscope_p4d_folded(void)
{
	return !pgtable_l5_enabled();
}

/* Bits every x86 entry shares, for table (non-leaf) entries. */
static inline u32 ptscope_table_entry_flags(unsigned long raw)
{
	u32 f = 0;

	if (raw & _PAGE_PRESENT)
		f |= PTSCOPE_PF_PRESENT;
	if (raw & _PAGE_RW)
		f |= PTSCOPE_PF_WRITE;
	if (raw & _PAGE_USER)
		f |= PTSCOPE_PF_USER;
	if (raw & _PAGE_ACCESSED)
		f |= PTSCOPE_PF_ACCESSED;
	if (raw & _PAGE_NX)
		f |= PTSCOPE_PF_NX;
	return f;
}

/*
 * The flags of a present leaf that are x86's own: user, NX, global and
 * soft-dirty (present, write, accessed, dirty and the rest are decoded
 * by walk.c with the kernel's generic helpers).
 */
static inline u32 ptscope_arch_pte_flags(pte_t pte)
{
	u32 f = 0;

	if (pte_flags(pte) & _PAGE_USER)
		f |= PTSCOPE_PF_USER;
	if (!pte_exec(pte))
		f |= PTSCOPE_PF_NX;
	/* _PAGE_PROTNONE reuses the GLOBAL bit while PRESENT is clear. */
	if (pte_global(pte) && (pte_flags(pte) & _PAGE_PRESENT))
		f |= PTSCOPE_PF_GLOBAL;
	if (pte_soft_dirty(pte))
		f |= PTSCOPE_PF_SOFT_DIRTY;
	return f;
}

/* A huge leaf's flags from its flag bits (pmd_flags(), pud_flags()). */
static inline u32 ptscope_x86_huge_leaf_flags(pteval_t fl, bool soft_dirty)
{
	u32 f = 0;

	if (fl & _PAGE_USER)
		f |= PTSCOPE_PF_USER;
	if (fl & _PAGE_NX)
		f |= PTSCOPE_PF_NX;
	if ((fl & (_PAGE_GLOBAL | _PAGE_PRESENT)) == (_PAGE_GLOBAL | _PAGE_PRESENT))
		f |= PTSCOPE_PF_GLOBAL;
	if (soft_dirty)
		f |= PTSCOPE_PF_SOFT_DIRTY;
	return f;
}

static inline u32 ptscope_arch_pmd_flags(pmd_t pmd)
{
	return ptscope_x86_huge_leaf_flags(pmd_flags(pmd), pmd_soft_dirty(pmd));
}

static inline u32 ptscope_arch_pud_flags(pud_t pud)
{
	return ptscope_x86_huge_leaf_flags(pud_flags(pud), pud_soft_dirty(pud));
}

static inline bool ptscope_pud_dirty(pud_t pud)
{
	return pud_dirty(pud);
}

/* Non-present entries keep soft-dirty in a bit of their own. */
static inline u32 ptscope_arch_pte_swp_flags(pte_t pte)
{
	return pte_swp_soft_dirty(pte) ? PTSCOPE_PF_SOFT_DIRTY : 0;
}

static inline u32 ptscope_arch_pmd_swp_flags(pmd_t pmd)
{
	return pmd_swp_soft_dirty(pmd) ? PTSCOPE_PF_SOFT_DIRTY : 0;
}

/*
 * Clearing accessed bits (sample-access).  x86's ptep_test_and_clear_young()
 * and its PMD and PUD forms are out of line and not exported; each is this
 * atomic clear of _PAGE_BIT_ACCESSED (atomic against the CPU setting the A
 * and D bits), called under the entry's page-table lock as there.
 */
static inline void ptscope_pte_clear_young(pte_t *ptep)
{
	clear_bit(_PAGE_BIT_ACCESSED, (unsigned long *)&ptep->pte);
}

static inline void ptscope_pmd_clear_young(pmd_t *pmdp)
{
	clear_bit(_PAGE_BIT_ACCESSED, (unsigned long *)pmdp);
}

static inline void ptscope_pud_clear_young(pud_t *pudp)
{
	clear_bit(_PAGE_BIT_ACCESSED, (unsigned long *)pudp);
}

/*
 * Flush this CPU's TLB entries of user mappings, of every address space
 * (every PCID), or return false if that cannot be done here.
 *
 * 6.x exports __flush_tlb_all().  7.x exports it to KVM's modules only;
 * there, INVPCID's all-non-global flush reaches every PCID (user
 * mappings are never global), and without PCIDs a CR3 reload flushes
 * everything not global.  What is left is PCID without INVPCID (some
 * pre-Haswell Intel CPUs), where the kernel flushes the other PCIDs
 * through per-CPU state a module cannot reach, and Xen PV, which traps
 * CR3 writes: ptscope_tlb_flush_exact() is false, and the CLI says that
 * samples may miss accesses through cached translations.
 */
static inline bool ptscope_tlb_flush_exact(void)
{
#ifdef PTSCOPE_HAVE_FLUSH_TLB_ALL
	return true;
#else
	return cpu_feature_enabled(X86_FEATURE_INVPCID) ||
	       (!cpu_feature_enabled(X86_FEATURE_PCID) &&
		!cpu_feature_enabled(X86_FEATURE_XENPV));
#endif
}

/* Only where ptscope_tlb_flush_exact() (tlb_flush.c checks first). */
static inline void ptscope_flush_tlb_local(void)
{
#ifdef PTSCOPE_HAVE_FLUSH_TLB_ALL
	__flush_tlb_all();
#else
	if (cpu_feature_enabled(X86_FEATURE_INVPCID))
		invpcid_flush_all_nonglobals();
	else
		native_write_cr3(__native_read_cr3());
#endif
}

#ifndef MODULE
/*
 * For tlb_flush.c only, which is compiled as kernel code to see the part
 * of asm/tlbflush.h hidden from modules.  6.15+ (7.x here): on AMD CPUs
 * with INVLPGB a process may get a global ASID; its TLB entries are then
 * flushed by broadcast, and a CPU switching back to it does not look at
 * the mm's TLB generation.
 */
static inline bool ptscope_mm_global_asid(struct mm_struct *mm)
{
#ifdef PTSCOPE_HAVE_MM_GLOBAL_ASID
	return mm_global_asid(mm) != 0;
#else
	return false;
#endif
}
#endif

/*
 * The per-CPU TLB shootdown count /proc/interrupts shows ("TLB"): 7.x
 * (seen in 7.2) folded x86's named irq_stat fields into one counts[] array.
 */
static inline unsigned int ptscope_irq_tlb_count(int cpu)
{
#ifdef PTSCOPE_HAVE_IRQ_COUNT_TLB
	return READ_ONCE(per_cpu(irq_stat, cpu).counts[IRQ_COUNT_TLB]);
#else
	return READ_ONCE(per_cpu(irq_stat, cpu).irq_tlb_count);
#endif
}

/* Was the hardware fault with error code @code a protection fault? */
static inline bool ptscope_fault_code_protection(unsigned long code)
{
	return code & X86_PF_PROT;
}

#endif /* PTSCOPE_ARCH_X86_H */
