// SPDX-License-Identifier: GPL-2.0
/*
 * `ptscope maps` for people: one line per VMA (or group), the unmapped
 * holes between them, a state bar per line, totals and a legend.
 */
#include <string.h>

#include "fmt.h"
#include "render.h"
#include "term.h"

#define BAR_CELLS	16

static const char *const glyph_utf8[NR_CELL_STATES] = {
	[CELL_NONE] = " ", [CELL_SWAP] = "\u259a", [CELL_SPARSE] = "\u2591",
	[CELL_HUGE] = "\u2588", [CELL_DIRTY] = "\u2593", [CELL_CLEAN] = "\u2592",
};
static const char glyph_ascii[NR_CELL_STATES] = {
	[CELL_NONE] = ' ', [CELL_SWAP] = '~', [CELL_SPARSE] = '.',
	[CELL_HUGE] = 'H', [CELL_DIRTY] = '#', [CELL_CLEAN] = '=',
};
static const char *const cell_sgr[NR_CELL_STATES] = {
	[CELL_NONE] = "", [CELL_SWAP] = SGR_BLUE, [CELL_SPARSE] = SGR_GREEN,
	[CELL_HUGE] = SGR_MAGENTA, [CELL_DIRTY] = SGR_RED, [CELL_CLEAN] = SGR_GREEN,
};
static const char *const cell_name[NR_CELL_STATES] = {
	[CELL_NONE] = "none", [CELL_SWAP] = "swapped", [CELL_SPARSE] = "sparse (<1/4)",
	[CELL_HUGE] = "huge", [CELL_DIRTY] = "dirty", [CELL_CLEAN] = "present",
};

static void put_cell(FILE *f, enum cell_state c, const struct term_style *st)
{
	if (st->utf8)
		fputs(glyph_utf8[c], f);
	else
		fputc(glyph_ascii[c], f);
}

static void put_bar(FILE *f, const struct density *d, const struct term_style *st)
{
	enum cell_state last = CELL_NONE;
	unsigned int i;

	fputc('[', f);
	for (i = 0; i < d->ncells; i++) {
		enum cell_state c = density_state(d, i);

		/* One escape per change of colour, not per cell. */
		if (st->color && c != last)
			fputs(c == CELL_NONE ? SGR_RESET : cell_sgr[c], f);
		last = c;
		put_cell(f, c, st);
	}
	if (st->color && last != CELL_NONE)
		fputs(SGR_RESET, f);
	fputc(']', f);
}

static const char *kind_sgr(const struct term_style *st, uint32_t kind)
{
	if (!st->color)
		return "";
	switch (kind) {
	case PTSCOPE_VMA_KIND_HEAP:
	case PTSCOPE_VMA_KIND_STACK:
		return SGR_YELLOW;
	case PTSCOPE_VMA_KIND_SPECIAL:
		return SGR_MAGENTA;
	case PTSCOPE_VMA_KIND_ANON_NAMED:
		return SGR_CYAN;
	case PTSCOPE_VMA_KIND_SHMEM:
		return SGR_GREEN;
	default:
		return "";
	}
}

static void put_amounts(FILE *f, const struct view *v, const struct counts *n)
{
	const uint64_t a[] = {
		n->present, n->accessed, n->dirty, n->swap, n->huge_pmd + n->huge_pud,
	};
	size_t i;

	for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		char s[16];

		fmt_size(pages_bytes(v, a[i]), s, sizeof(s));
		fprintf(f, " %6s", s);
	}
}

static void put_name(FILE *f, const struct view_item *it, const struct term_style *st)
{
	const char *k = kind_sgr(st, it->kind);

	fputs(k, f);
	if (it->kind == PTSCOPE_VMA_KIND_ANON_NAMED) {
		/* As /proc/PID/maps shows it. */
		fputs("[anon:", f);
		fput_sanitized(it->name, f);
		fputc(']', f);
	} else {
		fput_sanitized(it->name, f);
	}
	if (it->count > 1)
		fprintf(f, "%s(%zu VMAs)", it->name[0] ? " " : "", it->count);
	if (*k)
		fputs(SGR_RESET, f);
	fputc('\n', f);
}

static void put_hole(FILE *f, int w, uint64_t a, uint64_t b, const struct term_style *st)
{
	char s[16];

	fmt_size(b - a, s, sizeof(s));
	fprintf(f, "%s%0*llx-%0*llx %6s      unmapped%s\n", st->color ? SGR_DIM : "",
		w, (unsigned long long)a, w, (unsigned long long)b, s,
		st->color ? SGR_RESET : "");
}

static void put_legend(FILE *f, const struct term_style *st, bool grouped)
{
	static const enum cell_state order[] = {
		CELL_HUGE, CELL_DIRTY, CELL_CLEAN, CELL_SPARSE, CELL_SWAP,
	};
	size_t i;

	fputs("bar: 16 cells along each VMA, each showing what it mostly holds:", f);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		fputs("  ", f);
		if (st->color)
			fputs(cell_sgr[order[i]], f);
		put_cell(f, order[i], st);
		if (st->color)
			fputs(SGR_RESET, f);
		fprintf(f, " %s", cell_name[order[i]]);
	}
	fputs("  (blank: nothing)\n", f);
	if (grouped)
		fputs("summary: consecutive VMAs of one kind and name share a line "
		      "(--no-summary shows each)\n", f);
}

void render_term(FILE *f, const struct view *v, const struct term_style *st)
{
	const char *b = st->color ? SGR_BOLD : "", *rst = st->color ? SGR_RESET : "";
	bool holes = st->holes && v->sort == SORT_ADDR;
	struct counts total = { 0 };
	uint64_t size = 0, hole_bytes = 0, nr_holes = 0;
	bool grouped = false;
	int w = 12;
	size_t i;
	char s[16];

	for (i = 0; i < v->nr; i++) {
		if (hex_digits(v->v[i].end) > w)
			w = hex_digits(v->v[i].end);
		grouped |= v->v[i].count > 1;
	}

	fprintf(f, "%s%-*s %6s %-4s %6s %6s %6s %6s %6s  %-*s  %s%s\n", b,
		2 * w + 1, "START-END", "SIZE", "PERM", "RSS", "ACCESS", "DIRTY",
		"SWAP", "HUGE", BAR_CELLS + 2, "STATE", "NAME", rst);
	for (i = 0; i < v->nr; i++) {
		const struct view_item *it = &v->v[i];
		char perms[5];

		if (i && v->v[i - 1].end < it->start) {
			hole_bytes += it->start - v->v[i - 1].end;
			nr_holes++;
			if (holes)
				put_hole(f, w, v->v[i - 1].end, it->start, st);
		}
		fmt_perms(it->flags, perms);
		fmt_size(it->size, s, sizeof(s));
		fprintf(f, "%0*llx-%0*llx %6s %-4s", w, (unsigned long long)it->start,
			w, (unsigned long long)it->end, s, it->mixed_perms ? "mix" : perms);
		put_amounts(f, v, &it->n);
		fputs("  ", f);
		put_bar(f, it->d, st);
		fputs("  ", f);
		put_name(f, it, st);
		counts_add(&total, &it->n);
		size += it->size;
	}
	fmt_size(size, s, sizeof(s));
	fprintf(f, "%s%-*s %6s %-4s", b, 2 * w + 1, "total", s, "");
	put_amounts(f, v, &total);
	fprintf(f, "  %zu VMA%s", v->nr_vmas, v->nr_vmas == 1 ? "" : "s");
	if (v->nr != v->nr_vmas)
		fprintf(f, " in %zu line%s", v->nr, v->nr == 1 ? "" : "s");
	fprintf(f, "%s\n", rst);
	if (v->sort == SORT_ADDR && v->nr && !v->filtered) {
		fmt_size(v->v[v->nr - 1].end - v->v[0].start, s, sizeof(s));
		fprintf(f, "span %s from 0x%llx", s, (unsigned long long)v->v[0].start);
		fmt_size(hole_bytes, s, sizeof(s));
		fprintf(f, ", %llu unmapped hole%s totalling %s\n",
			(unsigned long long)nr_holes, nr_holes == 1 ? "" : "s", s);
	}
	if (v->snap->has_runs)
		put_legend(f, st, grouped);
}
