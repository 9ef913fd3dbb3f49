// SPDX-License-Identifier: GPL-2.0
/*
 * `ptscope maps --svg`: the whole address space in one picture.
 *
 * A 47-bit address space is mostly holes, and VMAs range from 4 KiB to
 * terabytes, so a linear axis would show nothing.  The axis is compressed:
 * VMAs are laid out in address order, left to right and wrapping into rows
 * like text; a VMA's width grows with log2 of its size (MIN_W px for one
 * page, STEP_W px more per doubling, at most MAX_W), and every unmapped
 * hole, whatever its size, is a fixed HOLE_W px break labelled with that
 * size.  Heat bands under each block show, cell by cell along the VMA,
 * the share of present, accessed and dirty bytes.  Groups of VMAs (when
 * there are too many to draw, see cmd_maps.c) are drawn like one VMA.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "render.h"

#define WIDTH		1600
#define MARGIN		16
#define GUTTER		104	/* row start addresses */
#define ROW_X		(MARGIN + GUTTER)
#define ROW_W		(WIDTH - ROW_X - MARGIN)
#define ROW_H		84
#define TOP		132	/* title, legend, caption */
#define BLOCK_H		30
#define BAND_H		7
#define NR_BANDS	3
#define MIN_W		10.0
#define STEP_W		9.0
#define MAX_W		420.0
#define HOLE_W		34.0
#define GAP		1.0	/* between adjacent VMAs */
#define CHAR_W		6.4	/* average advance of an 11 px sans-serif glyph */

static const struct {
	const char *fill, *text;
} cat_style[NR_CATS] = {
	[CAT_CODE]	= { "#4e79a7", "#ffffff" },
	[CAT_DATA]	= { "#76b7b2", "#10302e" },
	[CAT_FILE]	= { "#a0cbe8", "#1b2f40" },
	[CAT_HEAP]	= { "#f28e2b", "#3a1d00" },
	[CAT_STACK]	= { "#e15759", "#ffffff" },
	[CAT_ANON]	= { "#b07aa1", "#ffffff" },
	[CAT_SHARED]	= { "#59a14f", "#ffffff" },
	[CAT_SPECIAL]	= { "#9c755f", "#ffffff" },
};

static const struct {
	const char *name, *color;
} bands[NR_BANDS] = {
	{ "present", "#2ca02c" }, { "accessed", "#ff7f0e" }, { "dirty", "#d62728" },
};

struct place {
	int row;
	double x, w;
	bool hole_before;
	double hole_x;
	int hole_row;
};

static double block_width(const struct view_item *it, unsigned int shift)
{
	double pages = (double)((it->end - it->start) >> shift);
	double w = MIN_W + STEP_W * log2(pages < 1 ? 1 : pages);

	return w > MAX_W ? MAX_W : w;
}

/* Positions of every item and the hole before it; returns the row count. */
static int layout(const struct view *v, struct place *p)
{
	double x = 0;
	int row = 0;
	size_t i;

	for (i = 0; i < v->nr; i++) {
		const struct view_item *it = &v->v[i];

		p[i].w = block_width(it, v->snap->page_shift);
		p[i].hole_before = i && v->v[i - 1].end < it->start;
		if (p[i].hole_before) {
			if (x + HOLE_W > ROW_W) {
				row++;
				x = 0;
			}
			p[i].hole_x = x;
			p[i].hole_row = row;
			x += HOLE_W;
		} else if (i) {
			x += GAP;
		}
		if (x + p[i].w > ROW_W && x > 0) {
			row++;
			x = 0;
		}
		p[i].row = row;
		p[i].x = x;
		x += p[i].w;
	}
	return v->nr ? row + 1 : 0;
}

static double row_y(int row)
{
	return TOP + row * ROW_H;
}

/* The share of @what in a cell, 0..1. */
static double band_frac(const struct density *d, int band, unsigned int c)
{
	uint64_t len = density_cell_len(d, c), n;

	if (!len)
		return 0;
	n = band == 0 ? d->present[c] : band == 1 ? d->accessed[c] : d->dirty[c];
	return n >= len ? 1.0 : (double)n / (double)len;
}

/*
 * One band: cells merged into at most w/2 buckets and runs of equal shade
 * drawn as one rectangle, so 10,000 VMAs stay a file of modest size.
 */
static void put_band(FILE *f, const struct density *d, int band, double x, double y,
		     double w)
{
	unsigned int nb = (unsigned int)(w / 2), b, start = 0;
	int last = -1;

	if (nb < 1)
		nb = 1;
	if (nb > d->ncells)
		nb = d->ncells;
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"#ececec\"/>",
		x, y, w, BAND_H);
	for (b = 0; b <= nb; b++) {
		int q = -1;

		if (b < nb) {
			unsigned int c0 = b * d->ncells / nb, c1 = (b + 1) * d->ncells / nb, c;
			double sum = 0;

			for (c = c0; c < c1; c++)
				sum += band_frac(d, band, c);
			sum /= (c1 - c0);
			/* Any presence at all shows: at least the lightest shade. */
			q = sum <= 0 ? 0 : 1 + (int)(sum * 9 + 0.5);
			if (q > 10)
				q = 10;
		}
		if (q == last)
			continue;
		if (last > 0) {
			double x0 = x + w * start / nb, x1 = x + w * b / nb;

			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
				"fill=\"%s\" fill-opacity=\"%.1f\"/>", x0, y, x1 - x0, BAND_H,
				bands[band].color, last / 10.0);
		}
		last = q;
		start = b;
	}
}

/* The last path component: what people call a mapped file. */
static const char *base_name(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash && slash[1] ? slash + 1 : s;
}

static void item_label(const struct view_item *it, char *buf, size_t len)
{
	const char *n = base_name(it->name);

	if (it->kind == PTSCOPE_VMA_KIND_ANON_NAMED)
		snprintf(buf, len, "[anon:%s]", n);
	else if (!*n)
		snprintf(buf, len, "%s", cat_name(it->cat));
	else
		snprintf(buf, len, "%s", n);
}

/* Cut @s to @max characters (not bytes), with an ellipsis. */
static void fit(char *s, size_t max)
{
	size_t chars = 0;
	char *p;

	for (p = s; *p; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		if (++chars > max) {
			if (max < 3) {
				s[0] = '\0';
				return;
			}
			/* Back to the start of character max - 1, then "…". */
			chars = 0;
			for (p = s; *p; p++) {
				if (((unsigned char)*p & 0xc0) != 0x80 && ++chars == max)
					break;
			}
			strcpy(p, "\u2026");
			return;
		}
	}
}

static void put_item(FILE *f, const struct view *v, const struct view_item *it,
		     const struct place *p)
{
	double x = ROW_X + p->x, y = row_y(p->row);
	char perms[5], size[16], rss[16], acc[16], dirty[16], swap[16], huge[16];
	char label[96];
	int b;

	fmt_perms(it->flags, perms);
	fmt_size(it->size, size, sizeof(size));
	fmt_size(pages_bytes(v, it->n.present), rss, sizeof(rss));
	fmt_size(pages_bytes(v, it->n.accessed), acc, sizeof(acc));
	fmt_size(pages_bytes(v, it->n.dirty), dirty, sizeof(dirty));
	fmt_size(pages_bytes(v, it->n.swap), swap, sizeof(swap));
	fmt_size(pages_bytes(v, it->n.huge_pmd + it->n.huge_pud), huge, sizeof(huge));

	fprintf(f, "<g class=\"vma\"><title>%#llx-%#llx  %s  %s  %s  ",
		(unsigned long long)it->start, (unsigned long long)it->end, size,
		it->mixed_perms ? "mixed perms" : perms, cat_name(it->cat));
	if (it->kind == PTSCOPE_VMA_KIND_ANON_NAMED)
		fputs("[anon:", f);
	xml_escape(f, it->name);
	if (it->kind == PTSCOPE_VMA_KIND_ANON_NAMED)
		fputc(']', f);
	if (it->count > 1)
		fprintf(f, "  (%zu VMAs)", it->count);
	fprintf(f, "\nresident %s, accessed %s, dirty %s, swapped %s, huge %s</title>",
		rss, acc, dirty, swap, huge);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"2\" fill=\"%s\"/>",
		x, y, p->w, BLOCK_H, cat_style[it->cat].fill);
	for (b = 0; b < NR_BANDS; b++)
		put_band(f, it->d, b, x, y + BLOCK_H + 2 + b * (BAND_H + 1), p->w);

	/* Name inside the block where it fits, size under it where that fits. */
	item_label(it, label, sizeof(label));
	if (it->count > 1) {
		size_t n = strlen(label);

		snprintf(label + n, sizeof(label) - n, " \u00d7%zu", it->count);
	}
	fit(label, (size_t)((p->w - 6) / CHAR_W));
	if (label[0]) {
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"n\" fill=\"%s\">", x + 3,
			y + 19, cat_style[it->cat].text);
		xml_escape(f, label);
		fputs("</text>", f);
	}
	if (strlen(size) * 5.6 + 2 <= p->w)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"s\">%s</text>", x + 1,
			y + BLOCK_H + 2 + NR_BANDS * (BAND_H + 1) + 10, size);
	fputs("</g>\n", f);
}

static void put_hole(FILE *f, const struct view_item *prev, const struct view_item *it,
		     const struct place *p)
{
	double x = ROW_X + p->hole_x, y = row_y(p->hole_row), m = x + HOLE_W / 2;
	char size[16];

	fmt_size(it->start - prev->end, size, sizeof(size));
	fprintf(f, "<g class=\"hole\"><title>unmapped %#llx-%#llx  %s</title>"
		"<path d=\"M%.1f %.1fl-4 6l8 6l-8 6l8 6l-4 6\" class=\"h\"/>"
		"<text x=\"%.1f\" y=\"%.1f\" class=\"hs\" text-anchor=\"middle\">%s</text></g>\n",
		(unsigned long long)prev->end, (unsigned long long)it->start, size,
		m, y, m, y + BLOCK_H + 14, size);
}

static void put_header(FILE *f, const struct view *v, int height)
{
	const struct snapshot *s = v->snap;
	struct counts t = { 0 };
	char size[16], rss[16], dirty[16];
	uint64_t bytes = 0;
	double x;
	size_t i;
	int c;

	for (i = 0; i < v->nr; i++) {
		counts_add(&t, &v->v[i].n);
		bytes += v->v[i].size;
	}
	fmt_size(bytes, size, sizeof(size));
	fmt_size(pages_bytes(v, t.present), rss, sizeof(rss));
	fmt_size(pages_bytes(v, t.dirty), dirty, sizeof(dirty));
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", WIDTH, height);
	fprintf(f, "<text x=\"%d\" y=\"30\" class=\"t\">ptscope maps: PID %d</text>\n",
		MARGIN, (int)s->pid);
	fprintf(f, "<text x=\"%d\" y=\"50\" class=\"sub\">%zu VMA%s%s, %s mapped, %s resident, "
		"%s dirty", MARGIN, v->nr_vmas, v->nr_vmas == 1 ? "" : "s",
		v->filtered ? " (filtered)" : "", size, rss, dirty);
	if (v->nr != v->nr_vmas)
		fprintf(f, "; drawn as %zu groups of consecutive VMAs", v->nr);
	if (s->has_info) {
		fputs("; kernel ", f);
		xml_escape(f, s->info.kernel_release);
		fprintf(f, ", %u-level paging", s->info.pgtable_levels);
	}
	fputs("</text>\n", f);

	/* Legend: kinds, then bands. */
	x = MARGIN;
	for (c = 0; c < NR_CATS; c++) {
		fprintf(f, "<rect x=\"%.0f\" y=\"64\" width=\"14\" height=\"14\" rx=\"2\" fill=\"%s\"/>"
			"<text x=\"%.0f\" y=\"75\" class=\"l\">%s</text>\n", x,
			cat_style[c].fill, x + 18, cat_name((enum vma_cat)c));
		x += 28 + strlen(cat_name((enum vma_cat)c)) * 7;
	}
	x += 16;
	for (c = 0; c < NR_BANDS; c++) {
		fprintf(f, "<rect x=\"%.0f\" y=\"68\" width=\"22\" height=\"%d\" fill=\"%s\"/>"
			"<text x=\"%.0f\" y=\"75\" class=\"l\">%s</text>\n", x, BAND_H,
			bands[c].color, x + 26, bands[c].name);
		x += 36 + strlen(bands[c].name) * 7;
	}
	fprintf(f, "<text x=\"%d\" y=\"98\" class=\"cap\">Address order, left to right, "
		"wrapping like text. Block width grows with log2 of the size "
		"(%.0f px for one page, +%.0f px per doubling, at most %.0f px); every "
		"unmapped hole is a fixed %.0f px break (zigzag) labelled with its size.</text>\n",
		MARGIN, MIN_W, STEP_W, MAX_W, HOLE_W);
	fprintf(f, "<text x=\"%d\" y=\"114\" class=\"cap\">Under each block, three bands "
		"along its length: share of pages present, accessed, dirty (darker = more). "
		"Hover for details.</text>\n", MARGIN);
}

void render_svg_element(FILE *f, const struct view *v)
{
	struct place *p = calloc(v->nr ? v->nr : 1, sizeof(*p));
	int rows, height;
	size_t i;

	if (!p)
		return;
	rows = layout(v, p);
	height = TOP + (rows ? rows : 1) * ROW_H + MARGIN;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
		WIDTH, height, WIDTH, height);
	fputs("<!-- ptscope maps, SVG output.  The axis is compressed: VMAs in address order, "
	      "wrapping into rows; width = min(10 + 9 * log2(pages), 420) px; each hole a "
	      "fixed 34 px break labelled with its size. -->\n", f);
	fputs("<style>.t{font-size:20px;font-weight:bold;fill:#222}.sub{font-size:13px;fill:#333}"
	      ".l{font-size:12px;fill:#333}.cap{font-size:12px;fill:#555}"
	      ".n{font-size:11px}.s{font-size:9px;fill:#666}.hs{font-size:9px;fill:#888}"
	      ".a{font-size:10px;fill:#555;font-family:DejaVu Sans Mono,monospace}"
	      ".h{fill:none;stroke:#aaa;stroke-width:1.5}"
	      "g.vma:hover rect{stroke:#000;stroke-width:0.5}</style>\n", f);
	put_header(f, v, height);
	if (!v->nr)
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\">no VMAs</text>\n", ROW_X, TOP + 20);
	for (i = 0; i < v->nr; i++) {
		bool new_row = !i || p[i].row != p[i - 1].row;

		if (p[i].hole_before) {
			put_hole(f, &v->v[i - 1], &v->v[i], &p[i]);
			new_row |= p[i].hole_row != p[i - 1].row;
		}
		if (new_row)
			fprintf(f, "<text x=\"%d\" y=\"%.0f\" class=\"a\">%#llx</text>\n", MARGIN,
				row_y(p[i].row) + 19, (unsigned long long)v->v[i].start);
		put_item(f, v, &v->v[i], &p[i]);
	}
	fputs("</svg>\n", f);
	free(p);
}

void render_svg(FILE *f, const struct view *v)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	render_svg_element(f, v);
}
