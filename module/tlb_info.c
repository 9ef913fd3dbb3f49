// SPDX-License-Identifier: GPL-2.0
/*
 * struct flush_tlb_info is defined in the part of asm/tlbflush.h that is
 * hidden from modules (#ifndef MODULE): the kernel keeps its layout to
 * itself.  The shootdown probes need three of its fields.  A copy of the
 * struct would go stale without a word when the header changes, so this
 * one file is compiled the way the kernel's own code is, and the compiler
 * reads the layout from the headers of the kernel being built for.  If a
 * field goes away, the build stops here and names it.
 *
 * Nothing below depends on MODULE otherwise: the file only reads fields,
 * and calls or defines nothing that the header declares.
 */
#undef MODULE
#include <asm/tlbflush.h>

#include "tlb_info.h"

void ptscope_flush_read(const struct flush_tlb_info *info,
			struct ptscope_flush *out)
{
	out->mm = READ_ONCE(info->mm);
	out->new_tlb_gen = READ_ONCE(info->new_tlb_gen);
	out->initiating_cpu = READ_ONCE(info->initiating_cpu);
}
