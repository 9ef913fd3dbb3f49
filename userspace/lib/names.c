// SPDX-License-Identifier: GPL-2.0
/*
 * Stable names for the protocol's enums and flag bits.  They are part of the
 * CLI's JSON output, so they never change once released; values this build
 * does not know print as numbers, because the kernel may be newer.
 */
#include <stdio.h>
#include <string.h>

#include "ptscope_client.h"
#include "ptscope_priv.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const vma_kind_names[] = {
	[PTSCOPE_VMA_KIND_ANON]		= "anon",
	[PTSCOPE_VMA_KIND_ANON_NAMED]	= "anon_named",
	[PTSCOPE_VMA_KIND_FILE]		= "file",
	[PTSCOPE_VMA_KIND_HEAP]		= "heap",
	[PTSCOPE_VMA_KIND_STACK]	= "stack",
	[PTSCOPE_VMA_KIND_SPECIAL]	= "special",
	[PTSCOPE_VMA_KIND_SHMEM]	= "shmem",
};

static const char *const level_names[] = {
	[PTSCOPE_LEVEL_PGD]	= "pgd",
	[PTSCOPE_LEVEL_P4D]	= "p4d",
	[PTSCOPE_LEVEL_PUD]	= "pud",
	[PTSCOPE_LEVEL_PMD]	= "pmd",
	[PTSCOPE_LEVEL_PTE]	= "pte",
};

static const char *const stop_reason_names[] = {
	[PTSCOPE_STOP_MAPPED]		= "mapped",
	[PTSCOPE_STOP_NONE]		= "none",
	[PTSCOPE_STOP_SWAP]		= "swap",
	[PTSCOPE_STOP_MIGRATION]	= "migration",
	[PTSCOPE_STOP_MARKER]		= "marker",
	[PTSCOPE_STOP_NO_VMA]		= "no_vma",
	[PTSCOPE_STOP_OTHER]		= "other",
};

/* Bit order of enum ptscope_page_flags. */
static const char *const page_flag_names[] = {
	"present", "write", "user", "accessed", "dirty", "nx", "global",
	"soft_dirty", "huge_pmd", "huge_pud", "swap", "migration", "uffd_wp",
	"protnone", "marker", "special", "pxn", "cont",
};

/* Bit order of enum ptscope_vma_flags; the mnemonics of smaps' VmFlags. */
static const char *const vma_flag_names[] = {
	"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "pf",
	"lo", "io", "sr", "rr", "dc", "de", "ac", "nr", "ht", "sf",
	"wf", "dd", "sd", "mm", "hg", "nh", "mg", "um", "uw", "lf",
};

/* Bit order of enum ptscope_features. */
static const char *const feature_names[] = {
	"soft_dirty", "uffd_wp", "anon_vma_name", "numa_hinting", "thp",
	"pte_rcu_free", "young_flag", "access_exact",
};

/*
 * A few per-thread buffers, so that two unknown values can appear in one
 * printf() without the second overwriting the first.
 */
static const char *number_name(uint32_t v)
{
	static _Thread_local char bufs[4][12];
	static _Thread_local unsigned int next;
	char *buf = bufs[next++ % ARRAY_SIZE(bufs)];

	snprintf(buf, sizeof(bufs[0]), "%u", v);
	return buf;
}

static const char *lookup(const char *const *names, size_t n, uint32_t v)
{
	if (v < n && names[v])
		return names[v];
	return number_name(v);
}

const char *ptscope_vma_kind_name(uint32_t kind)
{
	return lookup(vma_kind_names, ARRAY_SIZE(vma_kind_names), kind);
}

const char *ptscope_level_name(uint32_t level)
{
	return lookup(level_names, ARRAY_SIZE(level_names), level);
}

const char *ptscope_stop_reason_name(uint32_t reason)
{
	return lookup(stop_reason_names, ARRAY_SIZE(stop_reason_names), reason);
}

const char *ptscope_page_flag_bit_name(unsigned int bit)
{
	return bit < ARRAY_SIZE(page_flag_names) ? page_flag_names[bit] : NULL;
}

/* The page flags this build knows by name. */
uint32_t ptscope_known_page_flags(void)
{
	return (uint32_t)((1ULL << ARRAY_SIZE(page_flag_names)) - 1);
}

const char *ptscope_vma_flag_bit_name(unsigned int bit)
{
	return bit < ARRAY_SIZE(vma_flag_names) ? vma_flag_names[bit] : NULL;
}

const char *ptscope_feature_bit_name(unsigned int bit)
{
	return bit < ARRAY_SIZE(feature_names) ? feature_names[bit] : NULL;
}

/*
 * Space-separated names of the set bits.  Unknown bits print as their hex
 * value.  Output that does not fit is cut at a word boundary, so a reader
 * never sees half a name.
 */
static void flags_str(uint64_t flags, const char *(*name)(unsigned int),
		      char *buf, size_t len)
{
	size_t used = 0;
	unsigned int bit;

	if (!buf || !len)
		return;
	buf[0] = '\0';
	for (bit = 0; bit < 64; bit++) {
		char num[24];
		const char *n;
		size_t nlen;

		if (!(flags & (1ULL << bit)))
			continue;
		n = name(bit);
		if (!n) {
			snprintf(num, sizeof(num), "0x%llx", 1ULL << bit);
			n = num;
		}
		nlen = strlen(n);
		if (used + (used ? 1 : 0) + nlen + 1 > len)
			break;
		if (used)
			buf[used++] = ' ';
		memcpy(buf + used, n, nlen + 1);
		used += nlen;
	}
}

void ptscope_page_flags_str(uint32_t flags, char *buf, size_t len)
{
	flags_str(flags, ptscope_page_flag_bit_name, buf, len);
}

void ptscope_vma_flags_str(uint64_t flags, char *buf, size_t len)
{
	flags_str(flags, ptscope_vma_flag_bit_name, buf, len);
}
