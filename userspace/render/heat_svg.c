// SPDX-License-Identifier: GPL-2.0
/*
 * `ptscope heat --svg/--html`: the heat map as a picture, time down and
 * address across, with both axes labelled and their units said, and under
 * it the working set (and the present pages) of every interval as curves.
 *
 * The address axis is the model's (heat.h): VMAs of the first interval in
 * address order, each hole one column whatever its size, as the maps
 * picture compresses holes; each extent is labelled with its letter and
 * start address, and the key under the curves names them.  Equal cells
 * next to each other in a row are drawn as one rectangle, so hours of
 * intervals stay a file a browser opens.
 */
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "heat_render.h"
#include "render.h"

#define MARGIN		16
#define GUTTER		84		/* time labels */
#define CELL_W		4
#define MAP_X		(MARGIN + GUTTER)
#define MAP_Y		236		/* title, legend, caption, address labels */
#define CURVE_H		160
#define KEY_LINE	15
#define STEPS		10		/* colour steps of the accessed share */

/* Light yellow to dark red by tenths of the accessed share. */
static const char *const step_color[STEPS + 1] = {
	"#d9e3ee",	/* present, nothing accessed */
	"#ffffb2", "#fee98b", "#fed976", "#feb24c", "#fd9d43",
	"#fd8d3c", "#fc4e2a", "#e31a1c", "#c20d22", "#800026",
};
#define COLOR_EMPTY	"#ffffff"
#define COLOR_HOLE	"#bdbdbd"

static int step(const struct heat *h, unsigned int c, uint8_t v)
{
	if (h->layout.hole[c])
		return -2;
	if (v == HEAT_CELL_EMPTY)
		return -1;
	return v ? 1 + (v - 1) / 10 : 0;
}

static const char *step_fill(int s)
{
	return s == -2 ? COLOR_HOLE : s == -1 ? COLOR_EMPTY : step_color[s];
}

static int row_height(uint64_t n)
{
	int hpx = n ? (int)(480 / n) : 14;

	return hpx < 1 ? 1 : hpx > 14 ? 14 : hpx;
}

static void put_rows(FILE *f, const struct heat *h, int rh)
{
	unsigned int W = h->layout.ncols;

	for (uint64_t i = 0; i < h->intervals; i++) {
		const uint8_t *row = heat_row(h, i);
		unsigned int c = 0;

		if (!row)
			continue;
		while (c < W) {
			int s = step(h, c, row[c]);
			unsigned int e = c + 1;

			while (e < W && step(h, e, row[e]) == s)
				e++;
			if (s != -1)
				fprintf(f, "<rect x=\"%u\" y=\"%llu\" width=\"%u\" height=\"%d\" fill=\"%s\"/>",
					MAP_X + c * CELL_W, (unsigned long long)(MAP_Y + i * (uint64_t)rh),
					(e - c) * CELL_W, rh, step_fill(s));
			c = e;
		}
		fputc('\n', f);
	}
}

static void put_axes(FILE *f, const struct heat *h, int rh)
{
	const struct heat_layout *l = &h->layout;
	unsigned int W = l->ncols, map_h = (unsigned int)(h->intervals * (uint64_t)rh);
	uint64_t every = 1;
	unsigned int last_x = 0;

	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%u\" height=\"%u\" fill=\"none\" "
		"stroke=\"#888\"/>\n", MAP_X, MAP_Y, W * CELL_W, map_h);
	/* Address labels, slanted, at each extent's first column. */
	for (size_t i = 0; i < l->n; i++) {
		unsigned int x = MAP_X + (unsigned int)(l->ext[i].x0 >> 16) * CELL_W;

		if (i && x < last_x + 12)
			continue;	/* crowded: the key still names it */
		last_x = x;
		fprintf(f, "<line x1=\"%u\" y1=\"%d\" x2=\"%u\" y2=\"%d\" stroke=\"#555\"/>"
			"<text x=\"%u\" y=\"%d\" class=\"a\" transform=\"rotate(-50 %u %d)\">"
			"%c %#llx</text>\n", x, MAP_Y - 6, x, MAP_Y, x + 2, MAP_Y - 8, x + 2,
			MAP_Y - 8, heat_axis_label(i), (unsigned long long)l->ext[i].start);
	}
	/* Time labels: about one every 16 px. */
	while (every * (uint64_t)rh < 16)
		every *= 2;
	for (uint64_t i = 0; i < h->intervals; i += every)
		fprintf(f, "<text x=\"%d\" y=\"%llu\" class=\"a\" text-anchor=\"end\">%.1f s</text>\n",
			MAP_X - 6, (unsigned long long)(MAP_Y + i * (uint64_t)rh + (uint64_t)rh / 2 + 4),
			(double)h->tot[i].time_ns / 1e9);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\" transform=\"rotate(-90 %d %d)\" "
		"text-anchor=\"end\">\u2190 time since the first sample (s)</text>\n",
		MARGIN + 10, MAP_Y, MARGIN + 10, MAP_Y);
}

static void put_curve(FILE *f, const struct heat *h, int top)
{
	unsigned int w = h->layout.ncols * CELL_W;
	uint64_t max = 1, n = h->intervals;
	char lab[16];

	for (uint64_t i = 0; i < n; i++)
		max = h->tot[i].present > max ? h->tot[i].present : max;
	max = heat_bytes(h, max);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\">Working set per interval (bytes of the "
		"pages accessed; dashed: bytes present), against time (s)</text>\n",
		MAP_X, top - 8);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%u\" height=\"%d\" fill=\"#fafafa\" "
		"stroke=\"#888\"/>\n", MAP_X, top, w, CURVE_H);
	for (int t = 0; t <= 2; t++) {
		fmt_size(max * (uint64_t)t / 2, lab, sizeof(lab));
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"a\" text-anchor=\"end\">%s</text>\n",
			MAP_X - 6, top + CURVE_H - t * CURVE_H / 2 + 4, lab);
	}
	for (int k = 0; k < 2; k++) {
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"",
			k ? "#c20d22" : "#777", k ? "" : " stroke-dasharray=\"4 3\"");
		for (uint64_t i = 0; i < n; i++) {
			uint64_t v = heat_bytes(h, k ? h->tot[i].wss : h->tot[i].present);
			double x = MAP_X + (n > 1 ? (double)w * (double)i / (double)(n - 1) : w / 2.0);
			double y = top + CURVE_H - (double)CURVE_H * (double)v / (double)max;

			fprintf(f, "%s%.1f,%.1f", i ? " " : "", x, y);
		}
		fputs("\"/>\n", f);
	}
	if (n) {
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"a\">%.1f s</text>"
			"<text x=\"%u\" y=\"%d\" class=\"a\" text-anchor=\"end\">%.1f s</text>\n",
			MAP_X, top + CURVE_H + 14, (double)h->tot[0].time_ns / 1e9, MAP_X + w,
			top + CURVE_H + 14, (double)h->tot[n - 1].time_ns / 1e9);
	}
}

static void put_key(FILE *f, const struct heat *h, int top)
{
	for (size_t i = 0; i < h->nvs; i++) {
		const struct heat_vstat *s = &h->vs[i];
		char size[16];

		if (s->axis < 0)
			continue;
		fmt_size(s->end - s->start, size, sizeof(size));
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"a\">%c  %#llx-%#llx  %s  ", MAP_X,
			top, heat_axis_label((size_t)s->axis), (unsigned long long)s->start,
			(unsigned long long)s->end, size);
		xml_escape(f, s->name);
		fputs("</text>\n", f);
		top += KEY_LINE;
	}
}

static int key_lines(const struct heat *h)
{
	int n = 0;

	for (size_t i = 0; i < h->nvs; i++)
		n += h->vs[i].axis >= 0;
	return n;
}

static void put_header(FILE *f, const struct heat *h, const struct heat_ctx *x, int width)
{
	char page[16];
	int lx = MARGIN;

	fmt_size(1ULL << h->page_shift, page, sizeof(page));
	fprintf(f, "<text x=\"%d\" y=\"30\" class=\"t\">ptscope heat: PID %d</text>\n",
		MARGIN, (int)x->pid);
	fprintf(f, "<text x=\"%d\" y=\"50\" class=\"sub\">%llu intervals of %.1f s (%s), "
		"pages of %s; %zu VMAs on the address axis</text>\n", MARGIN,
		(unsigned long long)h->intervals, (double)x->interval_ns / 1e9,
		heat_end_name(x->end), page, h->layout.n);
	fprintf(f, "<text x=\"%d\" y=\"74\" class=\"l\">cell colour: %% of the column's present "
		"pages accessed in the interval</text>\n", MARGIN);
	for (int s = -2; s <= STEPS; s++) {
		char lab[16];

		if (s == -2)
			snprintf(lab, sizeof(lab), "hole");
		else if (s == -1)
			snprintf(lab, sizeof(lab), "none present");
		else if (s == 0)
			snprintf(lab, sizeof(lab), "0%%");
		else
			snprintf(lab, sizeof(lab), "%d-%d%%", s == 1 ? 1 : (s - 1) * 10 + 1, s * 10);
		fprintf(f, "<rect x=\"%d\" y=\"84\" width=\"14\" height=\"14\" fill=\"%s\" "
			"stroke=\"#999\"/><text x=\"%d\" y=\"95\" class=\"l\">%s</text>\n", lx,
			step_fill(s), lx + 18, lab);
		lx += 26 + (int)strlen(lab) * 7;
	}
	fprintf(f, "<text x=\"%d\" y=\"122\" class=\"cap\">Address axis: the VMAs of the first "
		"interval in address order, %u columns; each VMA gets columns by log2 of its size, "
		"each unmapped hole one grey column whatever its size.</text>\n", MARGIN,
		h->layout.ncols);
	fprintf(f, "<text x=\"%d\" y=\"138\" class=\"cap\">Time runs down, one row per "
		"interval; the letters and addresses above the map are named in the key below."
		"</text>\n", MARGIN);
	(void)width;
}

static void svg_element(FILE *f, const struct heat *h, const struct heat_ctx *x)
{
	int rh = row_height(h->intervals);
	int map_h = (int)(h->intervals * (uint64_t)rh);
	int curve_top = MAP_Y + map_h + 64;
	int key_top = curve_top + CURVE_H + 52;
	int width = MAP_X + (int)h->layout.ncols * CELL_W + 2 * MARGIN;
	int height = key_top + key_lines(h) * KEY_LINE + MARGIN;

	if (width < 1000)
		width = 1000;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
		width, height, width, height);
	fputs("<!-- ptscope heat, SVG output: time down, address across (VMAs of the first "
	      "interval, holes one column each); cell colour = share of the column's present "
	      "pages accessed in the interval. -->\n", f);
	fputs("<style>.t{font-size:20px;font-weight:bold;fill:#222}.sub{font-size:13px;fill:#333}"
	      ".l{font-size:12px;fill:#333}.cap{font-size:12px;fill:#555}"
	      ".a{font-size:10px;fill:#555;font-family:DejaVu Sans Mono,monospace}</style>\n", f);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width, height);
	put_header(f, h, x, width);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\">address \u2192 (VMAs by letter and start "
		"address, see the key)</text>\n", MAP_X, MAP_Y + map_h + 16);
	put_rows(f, h, rh);
	put_axes(f, h, rh);
	put_curve(f, h, curve_top);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\">Key: address axis</text>\n", MAP_X,
		key_top - 14);
	put_key(f, h, key_top);
	fputs("</svg>\n", f);
}

void heat_svg(FILE *f, const struct heat *h, const struct heat_ctx *x)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	svg_element(f, h, x);
}

static void size_cell(FILE *f, uint64_t bytes)
{
	char s[16];

	fmt_size(bytes, s, sizeof(s));
	fprintf(f, "<td data-v=\"%llu\">%s</td>", (unsigned long long)bytes, s);
}

void heat_html(FILE *f, const struct heat *h, const struct heat_ctx *x)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>ptscope heat: PID %d</title><style>body{font-family:DejaVu Sans,"
		"Helvetica,Arial,sans-serif;margin:12px;color:#222}table{border-collapse:collapse;"
		"font-size:12px;margin-top:8px}th,td{padding:2px 8px;border-bottom:1px solid #ddd;"
		"text-align:right}td:nth-child(2),td:nth-child(3){font-family:DejaVu Sans Mono,"
		"monospace}td:last-child{text-align:left}th{background:#f2f2f2}</style></head>"
		"<body>\n", (int)x->pid);
	svg_element(f, h, x);
	fputs("<h3>Working set per VMA (bytes of pages accessed per interval)</h3>\n"
	      "<table id=\"vmas\"><thead><tr><th>axis</th><th>start</th><th>end</th><th>size</th>"
	      "<th>last</th><th>min</th><th>mean</th><th>max</th><th>intervals</th><th>name</th>"
	      "</tr></thead><tbody>\n", f);
	for (size_t i = 0; i < h->nvs; i++) {
		const struct heat_vstat *s = &h->vs[i];

		fprintf(f, "<tr><td>%c</td><td>%#llx</td><td>%#llx</td>",
			s->axis >= 0 ? heat_axis_label((size_t)s->axis) : '-',
			(unsigned long long)s->start, (unsigned long long)s->end);
		size_cell(f, s->end - s->start);
		size_cell(f, heat_bytes(h, s->live ? s->last : 0));
		size_cell(f, heat_bytes(h, s->min));
		size_cell(f, s->intervals ? heat_bytes(h, s->sum) / s->intervals : 0);
		size_cell(f, heat_bytes(h, s->max));
		fprintf(f, "<td>%llu</td><td>", (unsigned long long)s->intervals);
		xml_escape(f, s->name);
		fputs(s->live ? "</td></tr>\n" : " (gone)</td></tr>\n", f);
	}
	fputs("</tbody></table>\n<h3>Idle memory at the end (present pages not accessed for "
	      "at least N intervals)</h3>\n<table id=\"idle\"><thead><tr><th>intervals</th>"
	      "<th>seconds (mean interval)</th><th>bytes</th></tr></thead><tbody>\n", f);
	for (int k = 0; k < HEAT_HIST; k++) {
		if (k && (1ULL << k) > h->intervals)
			break;
		fprintf(f, "<tr><td>&gt;= %d</td><td>%.1f</td>", 1 << k,
			(double)((h->tot[h->intervals - 1].time_ns / h->intervals) << k) / 1e9);
		size_cell(f, h->hist[k]);
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n</body></html>\n", f);
}
