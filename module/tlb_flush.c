// SPDX-License-Identifier: GPL-2.0
/*
 * Flushing a process's TLB entries after sample-access cleared accessed
 * bits: a CPU sets an accessed bit only when it loads a translation, so
 * one it still caches would let accesses go unseen.
 *
 * flush_tlb_mm() is not exported, and the TLB generation protocol of x86
 * (inc_mm_tlb_gen(), the global ASID of 6.15+) sits in the part of
 * asm/tlbflush.h hidden from modules.  As in tlb_info.c, this one file is
 * compiled the way the kernel's own code is, so that it uses the kernel's
 * inline definitions rather than copies; it calls no function the hidden
 * part declares, only inlines (and __flush_tlb_all() where it is exported
 * to all modules: compat.h).
 */
#undef MODULE
#include <linux/cpumask.h>
#include <linux/smp.h>
#include <asm/tlbflush.h>

#include "compat.h"
#include "tlb_flush.h"

static void flush_tlb_ipi(void *unused)
{
	ptscope_flush_tlb_local();
}

/*
 * The protocol of x86's flush_tlb_mm_range(): the mm's TLB generation goes
 * up first (a full barrier), then the CPUs in mm_cpumask() are
 * interrupted.  A CPU that switches to @mm later, or keeps it in an
 * inactive PCID slot, compares its generation with the mm's in
 * switch_mm_irqs_off() and flushes then; one that switches in
 * concurrently set its bit in mm_cpumask() before reading the generation,
 * so it either sees the new one or is in the mask.  The interrupted CPUs
 * flush the entries of every address space (ptscope_flush_tlb_local(): no
 * exported flush is narrower): more than @mm's, but only on CPUs running
 * or lazily holding @mm, once per batch of a sample.  A global-ASID mm
 * is not covered by that protocol: every online CPU flushes.
 */
unsigned int ptscope_flush_mm_tlbs(struct mm_struct *mm)
{
	const struct cpumask *cpus = mm_cpumask(mm);

	if (!ptscope_tlb_flush_exact())
		return 0;
	inc_mm_tlb_gen(mm);
	if (ptscope_mm_global_asid(mm))
		cpus = cpu_online_mask;
	on_each_cpu_mask(cpus, flush_tlb_ipi, NULL, true);
	return cpumask_weight(cpus);
}
