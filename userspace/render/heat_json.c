// SPDX-License-Identifier: GPL-2.0
/*
 * `ptscope heat --json`: JSON lines, one object per interval as it is
 * taken (a series may run for hours: nothing waits for its end), then one
 * summary object.  Shapes in README.md; every figure of the text is here.
 */
#include "docs.h"
#include "heat_render.h"
#include "json.h"

static void pages(struct json *j, const struct heat *h, const char *key, uint64_t n)
{
	char k[48];

	snprintf(k, sizeof(k), "%s_pages", key);
	json_u64(j, k, n);
	snprintf(k, sizeof(k), "%s_bytes", key);
	json_u64(j, k, heat_bytes(h, n));
}

void heat_json_interval(FILE *f, const struct heat *h, const struct heat_ctx *x)
{
	const struct heat_totals *t = &h->tot[h->intervals - 1];
	const uint8_t *row = heat_row(h, h->intervals - 1);
	struct json j;
	size_t i;

	(void)x;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "type", "interval");
	json_u64(&j, "interval", h->intervals);
	json_u64(&j, "time_ns", t->time_ns);
	pages(&j, h, "wss", t->wss);
	pages(&j, h, "present", t->present);
	json_u64(&j, "off_map_pages", t->off_map);
	json_arr_begin(&j, "vmas");
	for (i = 0; i < h->nvs; i++) {
		const struct heat_vstat *s = &h->vs[i];

		if (!s->live)
			continue;
		json_obj_begin(&j, NULL);
		json_hex(&j, "start", s->start);
		json_hex(&j, "end", s->end);
		json_str(&j, "name", s->name);
		pages(&j, h, "wss", s->last);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_access_stats(&j, "access_stats", &t->stats);
	/* Percent of the column's present pages accessed; null: none present. */
	json_arr_begin(&j, "cells");
	for (i = 0; row && i < h->layout.ncols; i++) {
		if (row[i] == HEAT_CELL_EMPTY)
			json_raw(&j, NULL, "null", 4);
		else
			json_u64(&j, NULL, row[i]);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	fputc('\n', f);
}

static int idle_run(uint64_t start, uint64_t n, unsigned int age, void *arg)
{
	struct json *j = arg;

	json_obj_begin(j, NULL);
	json_hex(j, "start", start);
	json_u64(j, "pages", n);
	json_u64(j, "age", age);
	json_obj_end(j);
	return 0;
}

static void axis(struct json *j, const struct heat *h)
{
	const struct heat_layout *l = &h->layout;
	size_t i;

	json_obj_begin(j, "axis");
	json_u64(j, "columns", l->ncols);
	json_arr_begin(j, "extents");
	for (i = 0; i < l->n; i++) {
		char label[2] = { heat_axis_label(i), '\0' };

		json_obj_begin(j, NULL);
		json_str(j, "label", label);
		json_hex(j, "start", l->ext[i].start);
		json_hex(j, "end", l->ext[i].end);
		/* Columns it covers, [col_start, col_end); shared where crowded. */
		json_u64(j, "col_start", l->ext[i].x0 >> 16);
		json_u64(j, "col_end", (l->ext[i].x1 + 0xffff) >> 16);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "holes");
	for (i = 0; i < l->ncols; i++)
		if (l->hole[i])
			json_u64(j, NULL, i);
	json_arr_end(j);
	json_obj_end(j);
}

void heat_json_summary(FILE *f, const struct heat *h, const struct heat_ctx *x)
{
	uint64_t min = UINT64_MAX, max = 0, sum = 0, n = h->intervals;
	struct json j;
	size_t i;

	for (i = 0; i < n; i++) {
		min = h->tot[i].wss < min ? h->tot[i].wss : min;
		max = h->tot[i].wss > max ? h->tot[i].wss : max;
		sum += h->tot[i].wss;
	}
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "type", "summary");
	json_u64(&j, "pid", (uint64_t)x->pid);
	json_u64(&j, "page_size", 1ULL << h->page_shift);
	json_u64(&j, "interval_ns", x->interval_ns);
	json_u64(&j, "intervals", n);
	json_str(&j, "end", heat_end_name(x->end));
	json_obj_begin(&j, "wss");
	json_u64(&j, "last_bytes", n ? heat_bytes(h, h->tot[n - 1].wss) : 0);
	json_u64(&j, "min_bytes", n ? heat_bytes(h, min) : 0);
	json_u64(&j, "mean_bytes", n ? heat_bytes(h, sum) / n : 0);
	json_u64(&j, "max_bytes", heat_bytes(h, max));
	json_obj_end(&j);
	json_arr_begin(&j, "vmas");
	for (i = 0; i < h->nvs; i++) {
		const struct heat_vstat *s = &h->vs[i];
		char label[2] = { s->axis >= 0 ? heat_axis_label((size_t)s->axis) : 0, 0 };

		json_obj_begin(&j, NULL);
		if (s->axis >= 0)
			json_str(&j, "axis", label);
		json_hex(&j, "start", s->start);
		json_hex(&j, "end", s->end);
		json_str(&j, "name", s->name);
		json_bool(&j, "live", s->live);
		json_u64(&j, "intervals", s->intervals);
		json_u64(&j, "wss_last_bytes", heat_bytes(h, s->live ? s->last : 0));
		json_u64(&j, "wss_min_bytes", heat_bytes(h, s->min));
		json_u64(&j, "wss_mean_bytes", s->intervals ? heat_bytes(h, s->sum) / s->intervals : 0);
		json_u64(&j, "wss_max_bytes", heat_bytes(h, s->max));
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_arr_begin(&j, "idle_hist");
	for (i = 0; i < HEAT_HIST; i++) {
		json_obj_begin(&j, NULL);
		json_u64(&j, "min_intervals", 1ULL << i);
		json_u64(&j, "bytes", h->hist[i]);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_arr_begin(&j, "idle_runs");
	heat_idle_runs(h, idle_run, &j);
	json_arr_end(&j);
	axis(&j, h);
	json_obj_end(&j);
	fputc('\n', f);
}
