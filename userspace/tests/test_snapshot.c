// SPDX-License-Identifier: GPL-2.0
/*
 * Per-VMA counts derived from runs (snapshot_count_runs()) must be what
 * the kernel's get-vmas would have sent: module/vma.c
 * ptscope_vma_count_span() applied to every page.  Expected values are
 * worked out by hand from the runs below.
 */
#include <errno.h>
#include <stdio.h>

#include "snapshot.h"
#include "tap.h"

#define K	4096ULL
#define P	PTSCOPE_PF_PRESENT
#define W	PTSCOPE_PF_WRITE
#define U	PTSCOPE_PF_USER
#define A	PTSCOPE_PF_ACCESSED
#define D	PTSCOPE_PF_DIRTY
#define SD	PTSCOPE_PF_SOFT_DIRTY
#define PMD	PTSCOPE_PF_HUGE_PMD
#define PUD	PTSCOPE_PF_HUGE_PUD
#define SWP	PTSCOPE_PF_SWAP
#define MIG	PTSCOPE_PF_MIGRATION
#define PN	PTSCOPE_PF_PROTNONE

static void vma(struct snapshot *s, uint64_t start, uint64_t end)
{
	/* Counts the kernel would never send: all of them must be replaced. */
	struct snap_vma v = {
		.start = start, .end = end,
		.n = { 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99 },
	};

	snapshot_add_vma(s, &v, "");
}

static void run(struct snapshot *s, uint64_t start, uint64_t pages, uint32_t flags)
{
	struct snap_run r = { start, pages, flags };

	snapshot_add_run(s, &r);
}

static void is_counts(const struct counts *got, const struct counts *want,
		      const char *what)
{
	static const char *const names[] = {
		"total", "present", "accessed", "dirty", "writable", "swap",
		"soft_dirty", "huge_pmd", "huge_pud", "migration", "protnone",
	};
	const uint64_t *g = &got->total, *w = &want->total;
	size_t i;

	/* struct counts is eleven uint64_t in the order of names[]. */
	_Static_assert(sizeof(struct counts) == sizeof(names) / sizeof(names[0]) *
		       sizeof(uint64_t), "struct counts layout");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (g[i] == w[i])
			continue;
		ok(0, "%s: %s", what, names[i]);
		printf("#   got:  %llu\n#   want: %llu\n",
		       (unsigned long long)g[i], (unsigned long long)w[i]);
		return;
	}
	ok(1, "%s", what);
}

/* A static process: every VMA covered by runs that stay inside it. */
static void test_static_process(void)
{
	struct snapshot s;

	snapshot_init(&s, 12);
	/* 0: a file mapping, half of it read */
	vma(&s, 0x400000, 0x400000 + 4 * K);
	run(&s, 0x400000, 2, P | U | A);
	run(&s, 0x400000 + 2 * K, 2, 0);
	/* 1: a THP, then a PMD migration entry (HUGE_PMD, not present) */
	vma(&s, 0x600000, 0xa00000);
	run(&s, 0x600000, 512, P | W | U | A | D | SD | PMD);
	run(&s, 0x800000, 512, PMD | MIG | SD);
	/* 2: 4K pages: dirty, swapped, NUMA hint (present + protnone), none */
	vma(&s, 0x7f0000000000, 0x7f0000000000 + 8 * K);
	run(&s, 0x7f0000000000, 1, P | W | U | A | D);
	run(&s, 0x7f0000000000 + 1 * K, 2, SWP | SD);
	run(&s, 0x7f0000000000 + 3 * K, 1, P | U | A | PN);
	run(&s, 0x7f0000000000 + 4 * K, 4, 0);
	/* 3: 1 GiB mapped by a PUD leaf */
	vma(&s, 0x7f0040000000, 0x7f0080000000);
	run(&s, 0x7f0040000000, 262144, P | W | U | A | D | PUD);
	/* 4: a PUD-level entry that is not present (hugetlb migration) */
	vma(&s, 0x7f00c0000000, 0x7f0100000000);
	run(&s, 0x7f00c0000000, 262144, PUD | MIG);

	snapshot_count_runs(&s);
	is_counts(&s.vmas[0].n, &(struct counts){ .total = 4, .present = 2,
		  .accessed = 2 }, "file VMA: present and accessed pages");
	is_counts(&s.vmas[1].n, &(struct counts){ .total = 1024,
		  .present = 512, .accessed = 512, .dirty = 512, .writable = 512,
		  .soft_dirty = 1024, .huge_pmd = 512, .migration = 512 },
		  "THP VMA: huge_pmd only where present, migration entry counted");
	is_counts(&s.vmas[2].n, &(struct counts){ .total = 8, .present = 2,
		  .accessed = 2, .dirty = 1, .writable = 1, .swap = 2,
		  .soft_dirty = 2, .protnone = 1 },
		  "4K VMA: swap, soft-dirty, protnone counted as present");
	is_counts(&s.vmas[3].n, &(struct counts){ .total = 262144,
		  .present = 262144, .accessed = 262144, .dirty = 262144,
		  .writable = 262144, .huge_pud = 262144 },
		  "PUD leaf: huge_pud");
	is_counts(&s.vmas[4].n, &(struct counts){ .total = 262144,
		  .migration = 262144 },
		  "non-present PUD entry: migration, not huge_pud");
	snapshot_free(&s);
}

/*
 * Runs that do not line up with the VMAs: what a snapshot sees when the
 * process changed between get-vmas and get-pages.
 */
static void test_mismatched_runs(void)
{
	struct snapshot s;

	snapshot_init(&s, 12);
	vma(&s, 0x10000, 0x10000 + 4 * K);	/* no runs at all */
	vma(&s, 0x20000, 0x20000 + 4 * K);	/* a run reaching past both ends */
	vma(&s, 0x30000, 0x30000 + 4 * K);	/* a run shared with the next VMA */
	vma(&s, 0x34000, 0x34000 + 4 * K);
	vma(&s, 0x40000, 0x40000 + 2 * K);	/* runs after it only */

	run(&s, 0x1f000, 6, P | A);		/* 0x1f000-0x25000 */
	run(&s, 0x2a000, 2, P | W | D);		/* in a hole: nobody's */
	run(&s, 0x32000, 4, P | D);		/* 0x32000-0x36000 */
	run(&s, 0x50000, 1, P);

	snapshot_count_runs(&s);
	is_counts(&s.vmas[0].n, &(struct counts){ .total = 4 },
		  "VMA without runs: zero counts, total kept");
	is_counts(&s.vmas[1].n, &(struct counts){ .total = 4, .present = 4,
		  .accessed = 4 }, "run over both ends: only the pages inside");
	is_counts(&s.vmas[2].n, &(struct counts){ .total = 4, .present = 2,
		  .dirty = 2 }, "run across two VMAs: first VMA's part");
	is_counts(&s.vmas[3].n, &(struct counts){ .total = 4, .present = 2,
		  .dirty = 2 }, "run across two VMAs: second VMA's part");
	is_counts(&s.vmas[4].n, &(struct counts){ .total = 2 },
		  "runs only beyond the VMA: nothing counted");
	snapshot_free(&s);

	/* No runs anywhere, and a run at the very top of the address space. */
	snapshot_init(&s, 12);
	vma(&s, 0x1000, 0x3000);
	vma(&s, 0xfffffffffffff000ULL - 2 * K, 0xfffffffffffff000ULL);
	snapshot_count_runs(&s);
	is_counts(&s.vmas[0].n, &(struct counts){ .total = 2 },
		  "no runs at all: zero counts");
	run(&s, 0xfffffffffffff000ULL - 2 * K, 2, P);
	snapshot_count_runs(&s);
	is_counts(&s.vmas[1].n, &(struct counts){ .total = 2, .present = 2 },
		  "run ending at the top of the address space");
	is_counts(&s.vmas[0].n, &(struct counts){ .total = 2 },
		  "counting again replaces the counts, never adds to them");
	snapshot_free(&s);
}

/*
 * Blocks (kept compact for record) count as the runs they hold, also where
 * the VMAs changed between get-vmas and get-pages.
 */
static void test_snapshot_blocks(void)
{
	static const uint16_t words[] = { P | A, P | W | D, P | A, 0, P | A, P | W | D };
	struct snapshot s;

	snapshot_init(&s, 12);
	vma(&s, 0x10000, 0x10000 + 4 * K);	/* a block over its end */
	vma(&s, 0x15000, 0x15000 + 1 * K);	/* a page in the block's middle */
	vma(&s, 0x20000, 0x20000 + 8 * K);	/* a run, a block, a run */
	run(&s, 0x20000, 2, P);
	ok(!snapshot_add_block(&s, 0x11000, words, 6, 2) &&	/* 0x11000-0x17000 */
	   !snapshot_add_block(&s, 0x22000, words, 3, 2), "blocks kept");
	ok(snapshot_add_block(&s, 0x30000, words, 1, 4) == -EINVAL,
	   "a block of another word size refused");
	run(&s, 0x25000, 3, P | W);
	ok(snap_block_word(&s, &s.blocks[1], 1) == (P | W | D), "block word read back");
	ok(!snapshot_count_runs(&s), "counted");
	is_counts(&s.vmas[0].n, &(struct counts){ .total = 4, .present = 3,
		  .accessed = 2, .dirty = 1, .writable = 1 },
		  "block over the VMA's end: only the pages inside");
	is_counts(&s.vmas[1].n, &(struct counts){ .total = 1, .present = 1,
		  .accessed = 1 }, "block's middle page in a one-page VMA");
	is_counts(&s.vmas[2].n, &(struct counts){ .total = 8, .present = 8,
		  .accessed = 2, .dirty = 1, .writable = 4 }, "runs and a block in one VMA");
	snapshot_free(&s);

	/* The same in 32-bit words (flags32), arm64's pxn and cont on top. */
	{
		uint32_t w32[6];
		size_t i;

		for (i = 0; i < 6; i++)
			w32[i] = words[i] | (words[i] ? PTSCOPE_PF_PXN | PTSCOPE_PF_CONT : 0);
		snapshot_init(&s, 12);
		vma(&s, 0x10000, 0x10000 + 4 * K);
		vma(&s, 0x15000, 0x15000 + 1 * K);
		vma(&s, 0x20000, 0x20000 + 8 * K);
		run(&s, 0x20000, 2, P);
		ok(!snapshot_add_block(&s, 0x11000, w32, 6, 4) &&
		   !snapshot_add_block(&s, 0x22000, w32, 3, 4), "32-bit blocks kept");
		run(&s, 0x25000, 3, P | W);
		ok(snap_block_word(&s, &s.blocks[1], 1) ==
		   (P | W | D | PTSCOPE_PF_PXN | PTSCOPE_PF_CONT), "32-bit block word read back");
		ok(!snapshot_count_runs(&s), "counted");
		is_counts(&s.vmas[0].n, &(struct counts){ .total = 4, .present = 3,
			  .accessed = 2, .dirty = 1, .writable = 1 },
			  "32-bit block over the VMA's end: the same counts");
		is_counts(&s.vmas[2].n, &(struct counts){ .total = 8, .present = 8,
			  .accessed = 2, .dirty = 1, .writable = 4 },
			  "runs and a 32-bit block in one VMA: the same counts");
	}
	snapshot_free(&s);
}

void test_snapshot(void)
{
	test_static_process();
	test_mismatched_runs();
	test_snapshot_blocks();
}
