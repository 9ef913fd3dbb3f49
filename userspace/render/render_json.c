// SPDX-License-Identifier: GPL-2.0
/* `ptscope maps --json`: the selected VMAs, in the view's order. */
#include "docs.h"
#include "render.h"

void render_json(FILE *f, const struct view *v)
{
	uint32_t page_flags = snapshot_page_flags(v->snap);
	struct counts total = { 0 };
	uint64_t size = 0;
	struct json j;
	size_t i, k;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_u64(&j, "pid", (uint64_t)v->snap->pid);
	json_u64(&j, "page_size", 1ULL << v->snap->page_shift);
	json_arr_begin(&j, "vmas");
	for (i = 0; i < v->nr; i++) {
		/* Groups are for eyes: scripts always get every VMA. */
		for (k = 0; k < v->v[i].count; k++) {
			const struct snap_vma *m = &v->snap->vmas[v->v[i].first + k];

			json_vma(&j, m, page_flags);
			counts_add(&total, &m->n);
			size += m->end - m->start;
		}
	}
	json_arr_end(&j);
	json_obj_begin(&j, "totals");
	json_u64(&j, "vmas", v->nr_vmas);
	json_u64(&j, "size", size);
	json_counts(&j, &total, page_flags);
	json_obj_end(&j);
	if (v->snap->dump_interrupted)
		json_bool(&j, "dump_interrupted", true);
	json_obj_end(&j);
	fputc('\n', f);
}
