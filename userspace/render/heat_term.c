// SPDX-License-Identifier: GPL-2.0
/*
 * `ptscope heat` on a terminal: the heat map (time down, address across,
 * one line per interval), then the per-VMA working sets and the idle-age
 * histogram.  The head and the rows are separate calls so that a series
 * off a terminal prints each interval's line as it is taken, keeping no
 * rows in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "heat_render.h"
#include "term.h"

/* Cell levels: 0 nothing accessed, 1-4 quarters of the present pages. */
#define LEVELS	5

static const char *const ascii_cells[LEVELS] = { ".", ":", "+", "#", "@" };
static const char *const utf8_cells[LEVELS] = {
	"\u00b7", "\u2591", "\u2592", "\u2593", "\u2588",
};
static const char *const level_sgr[LEVELS] = {
	SGR_DIM, SGR_BLUE, SGR_CYAN, SGR_YELLOW, SGR_RED,
};

static unsigned int level(uint8_t pct)
{
	return pct ? 1 + (pct - 1) / 25 : 0;
}

/* "2.5 s", or "50 ms" below a second, where tenths of seconds say too little. */
static void secs(char *buf, size_t len, uint64_t ns)
{
	if (ns && ns < 1000000000ULL)
		snprintf(buf, len, "%.0f ms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.1f s", (double)ns / 1e9);
}

/* A line over the map: @label in the gutter, @text in the columns, holes. */
static void put_ruler(FILE *f, const struct heat_layout *l, const char *label,
		      const char *text, bool utf8)
{
	fprintf(f, "%*s ", HEAT_GUTTER - 1, label);
	for (unsigned int c = 0; c < l->ncols; c++) {
		if (l->hole[c])
			fputs(utf8 ? "\u2502" : "|", f);
		else
			fputc(text[c], f);
	}
	fputc('\n', f);
}

void heat_term_head(FILE *f, const struct heat *h, const struct heat_ctx *x)
{
	const char *const *cells = x->utf8 ? utf8_cells : ascii_cells;
	const struct heat_layout *l = &h->layout;
	char iv[32], page[16], *ruler;
	size_t i;

	secs(iv, sizeof(iv), x->interval_ns);
	fmt_size(1ULL << h->page_shift, page, sizeof(page));
	if (x->interval_ns)
		fprintf(f, "ptscope heat: pid %d, an interval every %s, pages of %s\n",
			(int)x->pid, iv, page);
	else
		fprintf(f, "ptscope heat: pid %d, intervals back to back, pages of %s\n",
			(int)x->pid, page);
	fprintf(f, "cell: share of the column's present pages accessed in the interval\n ");
	fprintf(f, " ' ' none present  %s 0%%  %s 1-25%%  %s 26-50%%  %s 51-75%%  %s 76-100%%  %s hole\n",
		cells[0], cells[1], cells[2], cells[3], cells[4], x->utf8 ? "\u2502" : "|");
	fprintf(f, "time: seconds since the priming sample, one line per interval, down\n"
		"address: the %zu VMA%s of the first interval in address order over %u columns,\n"
		"  each unmapped hole one column (any size); VMA letters as AXIS in the table\n"
		"  below, start addresses in hex where they fit\n", l->n, l->n == 1 ? "" : "s",
		l->ncols);
	ruler = malloc(l->ncols + 1);
	if (!ruler)
		return;
	memset(ruler, ' ', l->ncols);
	ruler[l->ncols] = '\0';
	for (i = l->n; i-- > 0;)
		ruler[l->ext[i].x0 >> 16 < l->ncols ? l->ext[i].x0 >> 16 : l->ncols - 1] =
			heat_axis_label(i);
	put_ruler(f, l, "VMA", ruler, x->utf8);
	/* Each VMA's start address in hex where its columns hold it. */
	memset(ruler, ' ', l->ncols);
	for (i = 0; i < l->n; i++) {
		unsigned int c0 = (unsigned int)(l->ext[i].x0 >> 16);
		unsigned int c1 = (unsigned int)((l->ext[i].x1 + 0xffff) >> 16);
		char hex[20];
		int len = snprintf(hex, sizeof(hex), "%llx", (unsigned long long)l->ext[i].start);

		/* Whole columns of its own only: shared ones have no room. */
		if (c1 > l->ncols || (i + 1 < l->n && c1 > l->ext[i + 1].x0 >> 16) ||
		    (size_t)len > c1 - c0 || ruler[c0] != ' ')
			continue;
		memcpy(ruler + c0, hex, (size_t)len);
	}
	put_ruler(f, l, "ADDRESS", ruler, x->utf8);
	free(ruler);
}

void heat_term_row(FILE *f, const struct heat *h, const struct heat_ctx *x, uint64_t i)
{
	const char *const *cells = x->utf8 ? utf8_cells : ascii_cells;
	const uint8_t *row = heat_row(h, i);
	int last = -1;

	if (!row)
		return;
	fprintf(f, "%7.1fs ", (double)h->tot[i].time_ns / 1e9);
	for (unsigned int c = 0; c < h->layout.ncols; c++) {
		int lv = h->layout.hole[c] || row[c] == HEAT_CELL_EMPTY ? -1 : (int)level(row[c]);

		if (x->color && lv != last) {
			fputs(SGR_RESET, f);
			if (lv >= 0)
				fputs(level_sgr[lv], f);
			last = lv;
		}
		if (h->layout.hole[c])
			fputs(x->utf8 ? "\u2502" : "|", f);
		else if (row[c] == HEAT_CELL_EMPTY)
			fputc(' ', f);
		else
			fputs(cells[lv], f);
	}
	if (x->color && last >= 0)
		fputs(SGR_RESET, f);
	fputc('\n', f);
}

static void size_col(FILE *f, uint64_t bytes, int width)
{
	char s[16];

	fmt_size(bytes, s, sizeof(s));
	fprintf(f, " %*s", width, s);
}

static int by_last_wss(const void *a, const void *b)
{
	const struct heat_vstat *x = *(const struct heat_vstat *const *)a;
	const struct heat_vstat *y = *(const struct heat_vstat *const *)b;

	if (x->last != y->last)
		return x->last < y->last ? 1 : -1;
	return (x->start > y->start) - (x->start < y->start);
}

static void vma_table(FILE *f, const struct heat *h, const struct heat_ctx *x)
{
	const char *b = x->color ? SGR_BOLD : "", *rs = x->color ? SGR_RESET : "";
	uint64_t min = UINT64_MAX, max = 0, sum = 0, n = h->intervals, off = 0, live_size = 0;
	size_t i;

	fprintf(f, "\n%sAXIS %-25s %6s %8s %6s %6s %6s  NAME%s\n", b, "START-END", "SIZE",
		"WSS LAST", "MIN", "MEAN", "MAX", rs);
	for (i = 0; i < h->nvs; i++) {
		const struct heat_vstat *s = &h->vs[i];

		fprintf(f, "%-4c %012llx-%012llx", s->axis >= 0 ? heat_axis_label((size_t)s->axis) : '-',
			(unsigned long long)s->start, (unsigned long long)s->end);
		size_col(f, s->end - s->start, 6);
		size_col(f, heat_bytes(h, s->live ? s->last : 0), 8);
		size_col(f, heat_bytes(h, s->min), 6);
		size_col(f, s->intervals ? heat_bytes(h, s->sum) / s->intervals : 0, 6);
		size_col(f, heat_bytes(h, s->max), 6);
		fputs("  ", f);
		fput_sanitized(s->name, f);
		fputs(s->live ? "\n" : " (gone)\n", f);
	}
	for (i = 0; i < n; i++) {
		const struct heat_totals *t = &h->tot[i];

		min = t->wss < min ? t->wss : min;
		max = t->wss > max ? t->wss : max;
		sum += t->wss;
		off += t->off_map;
	}
	for (i = 0; i < h->nvs; i++)
		live_size += h->vs[i].live ? h->vs[i].end - h->vs[i].start : 0;
	fprintf(f, "%s%-30s", b, "total");
	size_col(f, live_size, 6);
	size_col(f, n ? heat_bytes(h, h->tot[n - 1].wss) : 0, 8);
	size_col(f, n ? heat_bytes(h, min) : 0, 6);
	size_col(f, n ? heat_bytes(h, sum) / n : 0, 6);
	size_col(f, heat_bytes(h, max), 6);
	fprintf(f, "  %llu interval%s%s\n", (unsigned long long)n, n == 1 ? "" : "s", rs);
	fputs("WSS: bytes of the pages accessed in an interval; MEAN over the intervals\n"
	      "the VMA existed in; AXIS: its letter on the map (-: mapped later, not drawn)\n", f);
	if (off)
		fprintf(f, "%llu page access%s (over all intervals) fell outside the map's VMAs "
			"(mapped or grown after the first interval): in the table, not drawn\n",
			(unsigned long long)off, off == 1 ? "" : "es");
}

static void histogram(FILE *f, const struct heat *h, const struct heat_ctx *x)
{
	const char *b = x->color ? SGR_BOLD : "", *rs = x->color ? SGR_RESET : "";
	uint64_t n = h->intervals, present = n ? heat_bytes(h, h->tot[n - 1].present) : 0;
	/* Intervals as they were, not as asked: sampling takes time too. */
	uint64_t mean_ns = n ? h->tot[n - 1].time_ns / n : x->interval_ns;
	char pres[16];

	fmt_size(present, pres, sizeof(pres));
	fprintf(f, "\n%sIdle memory after %llu interval%s: present pages not accessed for at least%s\n",
		b, (unsigned long long)h->intervals, h->intervals == 1 ? "" : "s", rs);
	fprintf(f, "%-14s %14s %8s %11s\n", "IDLE INTERVALS", "TIME", "BYTES", "OF PRESENT");
	for (int k = 0; k < HEAT_HIST; k++) {
		char t[32], label[16];

		/* Buckets beyond what was observed would only repeat zeros. */
		if (k && (1ULL << k) > h->intervals)
			break;
		secs(t, sizeof(t), mean_ns << k);
		snprintf(label, sizeof(label), ">= %d", 1 << k);
		fprintf(f, "%-14s %14s", label, t);
		size_col(f, h->hist[k], 8);
		fprintf(f, " %10.1f%%\n", present ? 100.0 * (double)h->hist[k] / (double)present : 0.0);
	}
	fprintf(f, "present %s; TIME: intervals of %.2f s on average; a page never accessed\n"
		"since the series began counts as idle for every interval observed (ages\n"
		"saturate at %d)\n", pres, (double)mean_ns / 1e9, HEAT_AGE_MAX);
}

void heat_term_status(FILE *f, const struct heat *h, const struct heat_ctx *x)
{
	const char *b = x->color ? SGR_BOLD : "", *rs = x->color ? SGR_RESET : "";
	const struct heat_vstat **order = calloc(h->nvs ? h->nvs : 1, sizeof(*order));
	uint64_t min = UINT64_MAX, max = 0, sum = 0, n = h->intervals;
	char a[16], c[16], d[16], e[16], p[16];
	size_t i, shown = 0;

	if (!order || !n) {
		free(order);
		return;
	}
	for (i = 0; i < n; i++) {
		min = h->tot[i].wss < min ? h->tot[i].wss : min;
		max = h->tot[i].wss > max ? h->tot[i].wss : max;
		sum += h->tot[i].wss;
	}
	fmt_size(heat_bytes(h, h->tot[n - 1].wss), a, sizeof(a));
	fmt_size(heat_bytes(h, min), c, sizeof(c));
	fmt_size(heat_bytes(h, sum) / n, d, sizeof(d));
	fmt_size(heat_bytes(h, max), e, sizeof(e));
	fmt_size(heat_bytes(h, h->tot[n - 1].present), p, sizeof(p));
	fprintf(f, "%sWSS %s%s (min %s, mean %s, max %s) of %s present, %llu intervals\n", b, a,
		rs, c, d, e, p, (unsigned long long)n);
	fputs("idle", f);
	for (int k = 0; k < HEAT_HIST && (!k || (1ULL << k) <= n); k++) {
		fmt_size(h->hist[k], a, sizeof(a));
		fprintf(f, "  >=%d: %s", 1 << k, a);
	}
	fputs(" (intervals: bytes)\nmost used:", f);
	for (i = 0; i < h->nvs; i++)
		if (h->vs[i].live && h->vs[i].last)
			order[shown++] = &h->vs[i];
	qsort(order, shown, sizeof(*order), by_last_wss);
	for (i = 0; i < shown && i < 3; i++) {
		fmt_size(heat_bytes(h, order[i]->last), a, sizeof(a));
		fprintf(f, "%s %c %s ", i ? "," : "",
			order[i]->axis >= 0 ? heat_axis_label((size_t)order[i]->axis) : '-', a);
		fput_sanitized(order[i]->name, f);
	}
	fputs(shown ? "\n" : " nothing accessed\n", f);
	free(order);
}

void heat_term_tables(FILE *f, const struct heat *h, const struct heat_ctx *x)
{
	vma_table(f, h, x);
	histogram(f, h, x);
}
