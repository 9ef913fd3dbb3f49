// SPDX-License-Identifier: GPL-2.0
/*
 * The heat model (model/heat.c) on scripted intervals: every idle age,
 * working set, histogram bucket and map cell is worked out by hand in the
 * comments and asserted exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heat.h"
#include "tap.h"

#define PG	4096ULL
#define P	PTSCOPE_ACCESS_PRESENT
#define A	(PTSCOPE_ACCESS_PRESENT | PTSCOPE_ACCESS_ACCESSED)

/* A block from per-page states ('.' absent, 'p' present, 'A' accessed). */
static void block(struct heat *h, uint64_t start, const char *pages)
{
	size_t n = strlen(pages), i;
	uint8_t *st = calloc((n + 3) / 4, 1);
	struct ptscope_access_block b = { .start = start, .nr_pages = n, .states = st };

	for (i = 0; i < n; i++) {
		unsigned int v = pages[i] == 'A' ? A : pages[i] == 'p' ? P : 0;

		st[i / 4] |= (uint8_t)(v << (2 * (i % 4)));
	}
	heat_block(h, &b);
	free(st);
}

static void fill(struct heat *h, uint64_t start, uint64_t n, uint32_t state)
{
	struct ptscope_access_block b = { .start = start, .nr_pages = n, .fill = state };

	heat_block(h, &b);
}

static int age_at(const struct heat *h, uint64_t addr, int *present)
{
	bool p = false;
	int age = heat_page_age(h, addr, &p);

	*present = p;
	return age;
}

/* "age/present" of every page of [start, end), e.g. "0p 1p 1- ". */
static void ages(const struct heat *h, uint64_t start, uint64_t end, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (uint64_t a = start; a < end && used < len; a += PG) {
		int present, age = age_at(h, a, &present);

		used += (size_t)snprintf(buf + used, len - used, "%d%c ", age, present ? 'p' : '-');
	}
}

static void row_str(const struct heat *h, uint64_t i, char *buf, size_t len)
{
	const uint8_t *r = heat_row(h, i);
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int c = 0; r && c < h->layout.ncols && used < len; c++)
		used += (size_t)snprintf(buf + used, len - used, "%s%d", c ? "," : "",
					 r[c] == HEAT_CELL_EMPTY ? -1 : r[c]);
}

struct runs_buf {
	char s[256];
	size_t used;
};

static int put_run(uint64_t start, uint64_t pages, unsigned int age, void *arg)
{
	struct runs_buf *b = arg;

	b->used += (size_t)snprintf(b->s + b->used, sizeof(b->s) - b->used, "%llx+%llu@%u ",
				    (unsigned long long)start, (unsigned long long)pages, age);
	return 0;
}

static void test_series(void)
{
	/* A: 4 pages, a hole, B: 2 pages.  8 columns. */
	const struct heat_vma_in v1[] = {
		{ 0x1000, 0x5000, "/bin/a" }, { 0x10000, 0x12000, "[heap]" },
	};
	/* B grows to 4 pages, C appears after another hole. */
	const struct heat_vma_in v2[] = {
		{ 0x1000, 0x5000, "/bin/a" }, { 0x10000, 0x14000, "[heap]" },
		{ 0x20000, 0x21000, "[anon]" },
	};
	/* A is unmapped. */
	const struct heat_vma_in v3[] = {
		{ 0x10000, 0x14000, "[heap]" }, { 0x20000, 0x21000, "[anon]" },
	};
	struct runs_buf runs = { .used = 0 };
	struct heat h;
	char buf[256];

	ok(!heat_init(&h, 12, 0, 0, 8, 2, false), "heat_init");

	/*
	 * Layout: 2 extents and 1 hole in 8 columns: 5 spare columns by
	 * weight 1 + log2(pages): A 3, B 2 (of 5): A 1 + 3 = 4 columns
	 * [0,4), the hole column 4, B 1 + 2 = 3 columns [5,8).
	 */
	heat_begin(&h, v1, 2);
	is_num(h.layout.n, 2, "layout: one extent per VMA");
	ok(h.layout.ext[0].x0 == 0 && h.layout.ext[0].x1 == 4 << 16 &&
	   h.layout.ext[1].x0 == 5 << 16 && h.layout.ext[1].x1 == 8 << 16 &&
	   h.layout.hole[4] && !h.layout.hole[3] && !h.layout.hole[5],
	   "layout: A columns 0-3, hole column 4, B columns 5-7");
	/* A: acc acc present absent; B: acc present. */
	block(&h, 0x1000, "AAp");
	block(&h, 0x10000, "Ap");
	heat_end(&h, 1000000000, NULL);
	ages(&h, 0x1000, 0x5000, buf, sizeof(buf));
	is_str(buf, "0p 0p 1p 1- ", "interval 1: A's ages (accessed 0, idle 1)");
	ages(&h, 0x10000, 0x12000, buf, sizeof(buf));
	is_str(buf, "0p 1p ", "interval 1: B's ages");
	ok(h.tot[0].wss == 3 && h.tot[0].present == 5 && h.tot[0].off_map == 0 &&
	   h.tot[0].time_ns == 1000000000, "interval 1: WSS 3 pages of 5 present");
	ok(h.hist[0] == 2 * PG && h.hist[1] == 0, "interval 1: 8K idle >= 1 interval, none >= 2");
	row_str(&h, 0, buf, sizeof(buf));
	/* A pages 0-3 one per column; B pages 0, 1 in columns 5, 6 (5 + 3*1/2). */
	is_str(buf, "100,100,0,-1,-1,100,0,-1", "interval 1: map row");

	/*
	 * Interval 2: B keeps pages 0-1 (ages 0, 1), pages 2-3 are new (idle
	 * since the series began: 1 interval so far); C is new (age 1).
	 */
	heat_begin(&h, v2, 3);
	block(&h, 0x1000, "p.A");
	block(&h, 0x10000, "p");
	block(&h, 0x13000, "A");
	fill(&h, 0x20000, 1, P);
	heat_end(&h, 2000000000, NULL);
	ages(&h, 0x1000, 0x5000, buf, sizeof(buf));
	is_str(buf, "1p 1- 0p 2- ", "interval 2: A's ages");
	ages(&h, 0x10000, 0x14000, buf, sizeof(buf));
	is_str(buf, "1p 2- 2- 0p ", "interval 2: B's ages, its new pages idle since the start");
	ages(&h, 0x20000, 0x21000, buf, sizeof(buf));
	is_str(buf, "2p ", "interval 2: C (a fill block) never accessed: idle 2 intervals");
	/* B page 3 is beyond B's extent on the axis (fixed at interval 1). */
	ok(h.tot[1].wss == 2 && h.tot[1].present == 5 && h.tot[1].off_map == 1,
	   "interval 2: WSS 2, 5 present, 1 accessed page off the map");
	ok(h.hist[0] == 3 * PG && h.hist[1] == PG && h.hist[2] == 0,
	   "interval 2: idle >= 1: 12K, >= 2: 4K, >= 4: 0");
	row_str(&h, 1, buf, sizeof(buf));
	is_str(buf, "0,-1,100,-1,-1,0,-1,-1", "interval 2: map row");
	heat_idle_runs(&h, put_run, &runs);
	is_str(runs.s, "1000+1@1 3000+1@0 10000+1@1 13000+1@0 20000+1@2 ",
	       "interval 2: idle-age runs of present pages");
	ok(h.nvs == 3 && h.vs[0].last == 1 && h.vs[0].min == 1 && h.vs[0].max == 2 &&
	   h.vs[0].sum == 3 && h.vs[0].intervals == 2 && h.vs[0].axis == 0,
	   "A: WSS last 1, min 1, max 2, sum 3 over 2 intervals, axis A");
	ok(h.vs[1].last == 1 && h.vs[1].min == 1 && h.vs[1].max == 1 && h.vs[1].sum == 2 &&
	   h.vs[1].end == 0x14000 && h.vs[1].axis == 1, "B: WSS 1 each interval, grown");
	ok(h.vs[2].last == 0 && h.vs[2].max == 0 && h.vs[2].intervals == 1 &&
	   h.vs[2].axis == -1 && !strcmp(h.vs[2].name, "[anon]"), "C: WSS 0, not on the axis");

	/* Interval 3: A unmapped, nothing present. */
	heat_begin(&h, v3, 2);
	heat_end(&h, 3000000000, NULL);
	ages(&h, 0x10000, 0x14000, buf, sizeof(buf));
	is_str(buf, "2- 3- 3- 1- ", "interval 3: B's ages, nothing present");
	ok(h.tot[2].wss == 0 && h.tot[2].present == 0 && h.hist[0] == 0,
	   "interval 3: WSS 0, nothing idle is present");
	ok(!h.vs[0].live && h.vs[0].intervals == 2 && h.vs[1].live && h.vs[1].min == 0,
	   "A gone keeps its figures; B's minimum now 0");
	ok(!heat_row(&h, 0) && heat_row(&h, 1) && heat_row(&h, 2),
	   "a ring of 2 rows keeps the last 2");
	row_str(&h, 2, buf, sizeof(buf));
	is_str(buf, "-1,-1,-1,-1,-1,-1,-1,-1", "interval 3: an empty row");
	heat_free(&h);
}

static void test_saturation(void)
{
	const struct heat_vma_in v[] = { { 0x1000, 0x3000, "x" } };
	struct heat h;
	int present;

	heat_init(&h, 12, 0, 0, 4, 1, false);
	for (int i = 0; i < 300; i++) {
		heat_begin(&h, v, 1);
		block(&h, 0x1000, i == 299 ? "pA" : "pp");
		heat_end(&h, (uint64_t)i, NULL);
	}
	ok(age_at(&h, 0x1000, &present) == HEAT_AGE_MAX && present,
	   "300 idle intervals saturate at 255");
	ok(h.hist[7] == PG && h.hist[0] == PG, "idle >= 128 intervals: 4K");
	is_num(h.intervals, 300, "300 intervals, one ring row");
	heat_free(&h);
}

static void test_crowded_layout(void)
{
	/* 3 one-page VMAs with holes in 2 columns: no hole columns, shared. */
	const struct heat_vma_in v[] = {
		{ 0x1000, 0x2000, "a" }, { 0x5000, 0x6000, "b" }, { 0x9000, 0xa000, "c" },
	};
	struct heat h;
	char buf[64];

	heat_init(&h, 12, 0, 0, 2, 4, true);
	heat_begin(&h, v, 3);
	fill(&h, 0x1000, 1, A);
	fill(&h, 0x5000, 1, P);
	fill(&h, 0x9000, 1, A);
	heat_end(&h, 0, NULL);
	ok(!h.layout.hole[0] && !h.layout.hole[1] && h.layout.ext[1].x0 == 43690 &&
	   h.layout.ext[2].x0 == 87381, "crowded: thirds of the axis, no hole columns");
	row_str(&h, 0, buf, sizeof(buf));
	/* a and b in column 0 (1 of 2 accessed), c in column 1. */
	is_str(buf, "50,100", "crowded: columns shared by VMAs");
	heat_free(&h);

	/* --range: only its part of a VMA exists for the model. */
	heat_init(&h, 12, 0x2000, 0x4000, 4, 4, false);
	{
		const struct heat_vma_in big[] = { { 0x1000, 0x8000, "big" } };

		heat_begin(&h, big, 1);
		block(&h, 0x2000, "Ap");
		heat_end(&h, 0, NULL);
	}
	ok(h.nvs == 1 && h.vs[0].start == 0x2000 && h.vs[0].end == 0x4000 &&
	   h.tot[0].wss == 1 && h.tot[0].present == 2, "--range clips the VMAs");
	heat_free(&h);

	/* Nothing mapped at first: the axis comes from the first VMAs. */
	heat_init(&h, 12, 0, 0, 4, 4, false);
	heat_begin(&h, NULL, 0);
	heat_end(&h, 0, NULL);
	{
		const struct heat_vma_in later[] = { { 0x1000, 0x3000, "later" } };
		char buf[64];

		heat_begin(&h, later, 1);
		block(&h, 0x1000, "Ap");
		heat_end(&h, 1, NULL);
		row_str(&h, 1, buf, sizeof(buf));
		ok(h.layout.n == 1 && h.vs[0].axis == 0 && !strcmp(buf, "100,-1,0,-1"),
		   "an empty first interval: the axis comes from the first VMAs");
	}
	heat_free(&h);
}

/* A 1 TiB reservation with a few pages touched costs a few chunks. */
static void test_sparse(void)
{
	const uint64_t base = 0x7f0000000000ULL, chunk = HEAT_CHUNK_PAGES * PG;
	const struct heat_vma_in huge[] = { { base, base + (1ULL << 40), "[anon:arena]" } };
	struct runs_buf runs = { .used = 0 };
	struct heat h;
	int present;

	heat_init(&h, 12, 0, 0, 16, 4, false);
	for (int i = 0; i < 3; i++) {
		heat_begin(&h, huge, 1);
		/* the last page of a chunk and the first of the next, far away another */
		block(&h, base + chunk - PG, i == 2 ? "pp" : "AA");
		fill(&h, base + (1ULL << 39), 1, i == 1 ? A : P);
		heat_end(&h, (uint64_t)i, NULL);
	}
	is_num(h.nchunks, 3, "1 TiB VMA, 3 pages touched: 3 chunks of ages, not 2^28 bytes");
	ok(age_at(&h, base + 0x100000000ULL, &present) == 3 && !present,
	   "a page never present: idle for every interval observed (3)");
	ok(age_at(&h, base + chunk - PG, &present) == 1 && present &&
	   age_at(&h, base + (1ULL << 39), &present) == 1 && present,
	   "touched pages: idle 1 interval");
	heat_idle_runs(&h, put_run, &runs);
	is_str(runs.s, "7f00001ff000+2@1 7f8000000000+1@1 ",
	       "idle runs continue across a chunk edge");
	ok(h.tot[2].wss == 0 && h.tot[1].wss == 3 && h.tot[2].present == 3,
	   "WSS per interval: 3 accessed in interval 2, none in 3");

	/* The VMA goes: its chunks go with it. */
	heat_begin(&h, NULL, 0);
	heat_end(&h, 4, NULL);
	ok(h.nchunks == 0 && age_at(&h, base, &present) == -1, "VMA unmapped: chunks freed");

	/*
	 * A VMA mapped between get-vmas and the sample: its pages count in the
	 * interval's totals, in no VMA's; its chunk goes if no VMA claims it.
	 */
	heat_free(&h);
	heat_init(&h, 12, 0, 0, 4, 1, false);
	{
		const struct heat_vma_in one[] = { { 0x1000, 0x2000, "a" } };

		heat_begin(&h, one, 1);
		block(&h, 0x1000, "A");
		block(&h, 0x40000000, "Ap");
		heat_end(&h, 0, NULL);
		ok(h.tot[0].wss == 2 && h.tot[0].present == 3 && h.vs[0].last == 1 &&
		   h.nchunks == 2 && h.tot[0].off_map == 1,
		   "a block outside the VMAs (mapped after get-vmas): in the totals only");
		heat_begin(&h, one, 1);
		heat_end(&h, 1, NULL);
		is_num(h.nchunks, 1, "its chunk dropped when no VMA claims it");
	}

	/* Blocks outside --range are not this series' pages. */
	heat_free(&h);
	heat_init(&h, 12, base, base + 2 * PG, 4, 1, false);
	heat_begin(&h, huge, 1);
	block(&h, base, "AAAA");
	heat_end(&h, 0, NULL);
	ok(h.tot[0].wss == 2 && h.tot[0].present == 2 && h.vs[0].last == 2,
	   "--range: pages the kernel sent outside it are ignored");
	heat_free(&h);
}

void test_heat(void)
{
	test_sparse();
	test_series();
	test_saturation();
	test_crowded_layout();
}
