/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that picks an architecture (compat.h includes it).  Each
 * arch_*.h defines the same names, and nothing outside them looks at an
 * architecture's page-table bits or TLB:
 *
 *   PTSCOPE_ARCH_PAGE_FLAGS      the PTSCOPE_PF_* flags that exist here
 *                                (get-info's page-flags)
 *   PTSCOPE_ARCH_TLB_IPI         shootdowns are IPIs (receivers, irq count)
 *   PTSCOPE_PTE_FLAGS_MASK       a PTE's bits other than its frame
 *   ptscope_pgtable_levels()     paging levels in use
 *   ptscope_user_va_end()        end of a 64-bit process's address space
 *   ptscope_p4d_folded()         the P4D level has no table of its own
 *   ptscope_table_entry_flags()  flags of a table (non-leaf) entry
 *   ptscope_arch_{pte,pmd,pud}_flags()  a present leaf's arch-only flags
 *   ptscope_arch_{pte,pmd}_swp_flags()  a non-present entry's
 *   ptscope_pud_dirty()
 *   ptscope_{pte,pmd,pud}_clear_young()  clear one accessed bit
 *   ptscope_tlb_flush_exact()    sample-access can flush every CPU's TLB
 *   ptscope_irq_tlb_count(cpu)   shootdowns received (0 without IPIs)
 *   ptscope_fault_code_protection(code)  from the page_fault tracepoints,
 *                                or PTSCOPE_ARCH_FAULT_HOOK's arguments
 *
 * arm64 also flushes an mm inline (ptscope_flush_mm_tlbs(); tlb_flush.c
 * on x86), PTSCOPE_ARCH_FLUSH_INLINE says so; and it counts a tracked
 * mm's flush requests through an mmu notifier, not a function hook:
 * PTSCOPE_ARCH_TLB_NOTIFIER (compat.h's PTSCOPE_TLB_NOTIFIER).
 */
#ifndef PTSCOPE_ARCH_H
#define PTSCOPE_ARCH_H

#include <linux/ptscope.h>

/* Every page flag of the protocol: enum ptscope_page_flags ends there. */
#define PTSCOPE_PF_ALL		((u32)PTSCOPE_PF_CONT * 2 - 1)

#if defined(CONFIG_X86_64)
#include "arch_x86.h"
#elif defined(CONFIG_ARM64)
#include "arch_arm64.h"
#define PTSCOPE_ARCH_FLUSH_INLINE
#else
#error "ptscope: unsupported architecture (x86-64 and arm64 only)"
#endif

#endif /* PTSCOPE_ARCH_H */
