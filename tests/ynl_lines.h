/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lines ynl_query prints and ynl_test builds from libptscope's answers:
 * one format for both clients, so a difference is in the answers.
 */
#ifndef PTSCOPE_TESTS_YNL_LINES_H
#define PTSCOPE_TESTS_YNL_LINES_H

#include <inttypes.h>

/* version, proto, release, page size, levels, va end, features,
 * privileged, max_tracked, probes */
#define INFO_LINE "info version=%s proto=%u release=%s page_size=%u "	\
	"levels=%u va_end=0x%" PRIx64 " features=0x%" PRIx64		\
	" privileged=%u max_tracked=%u probes=0x%" PRIx64 "\n"

/* start, end, pgoff, flags, kind, name, inode, dev; then " NAME=%" PRIu64
 * per counter of vma_counters.def, in its order (absent ones are 0) */
#define VMA_LINE "vma 0x%" PRIx64 "-0x%" PRIx64 " pgoff=0x%" PRIx64	\
	" flags=0x%" PRIx64 " kind=%u name=%s inode=%" PRIu64 " dev=%u"
#define VMA_COUNTER " %s=%" PRIu64

/* start, pages, flags; then " pfn=0x%" PRIx64 and " swap=%u:0x%" PRIx64
 * where the run has them */
#define RUN_LINE "run 0x%" PRIx64 " pages=%" PRIu64 " flags=0x%x"
#define RUN_PFN " pfn=0x%" PRIx64
#define RUN_SWAP " swap=%u:0x%" PRIx64

#endif
