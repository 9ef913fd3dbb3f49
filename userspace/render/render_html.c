// SPDX-License-Identifier: GPL-2.0
/*
 * `ptscope maps --html`: the SVG and a table of every VMA, sortable by
 * clicking a column and filterable by typing, in one file with no external
 * resources (a bug tracker attachment must open offline).
 */
#include "fmt.h"
#include "render.h"

static const char style[] =
	"body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:12px;color:#222}"
	"table{border-collapse:collapse;font-size:12px;margin-top:8px}"
	"th,td{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}"
	"td:nth-child(1),td:nth-child(2){font-family:DejaVu Sans Mono,monospace}"
	"td:nth-child(4),td:nth-child(5),td:nth-child(10){text-align:left}"
	"th{cursor:pointer;background:#f2f2f2;position:sticky;top:0}"
	"input{font-size:14px;padding:3px;width:24em}";

/* Numbers sort by data-v (bytes), text by its content. */
static const char script[] =
	"(function(){var t=document.getElementById('vmas'),b=t.tBodies[0],"
	"q=document.getElementById('q'),dir={};"
	"t.tHead.onclick=function(e){var i=e.target.cellIndex;if(i===undefined)return;"
	"dir[i]=!dir[i];var r=Array.prototype.slice.call(b.rows);"
	"r.sort(function(x,y){var a=x.cells[i],c=y.cells[i],"
	"u=a.dataset.v!==undefined?+a.dataset.v:a.textContent,"
	"w=c.dataset.v!==undefined?+c.dataset.v:c.textContent;"
	"return (u<w?-1:u>w?1:0)*(dir[i]?1:-1);});"
	"r.forEach(function(x){b.appendChild(x);});};"
	"q.oninput=function(){var s=q.value.toLowerCase();"
	"Array.prototype.forEach.call(b.rows,function(x){"
	"x.style.display=x.textContent.toLowerCase().indexOf(s)<0?'none':'';});};})();";

static void size_cell(FILE *f, uint64_t bytes)
{
	char s[16];

	fmt_size(bytes, s, sizeof(s));
	fprintf(f, "<td data-v=\"%llu\">%s</td>", (unsigned long long)bytes, s);
}

static void put_row(FILE *f, const struct view *v, const struct snap_vma *m)
{
	char perms[5];

	fmt_perms(m->flags, perms);
	fprintf(f, "<tr><td>%#llx</td><td>%#llx</td>", (unsigned long long)m->start,
		(unsigned long long)m->end);
	size_cell(f, m->end - m->start);
	fprintf(f, "<td>%s</td><td>%s</td>", perms, cat_name(vma_category(m)));
	size_cell(f, pages_bytes(v, m->n.present));
	size_cell(f, pages_bytes(v, m->n.accessed));
	size_cell(f, pages_bytes(v, m->n.dirty));
	size_cell(f, pages_bytes(v, m->n.swap));
	fputs("<td>", f);
	if (m->kind == PTSCOPE_VMA_KIND_ANON_NAMED)
		fputs("[anon:", f);
	xml_escape(f, m->name);
	if (m->kind == PTSCOPE_VMA_KIND_ANON_NAMED)
		fputc(']', f);
	fputs("</td></tr>\n", f);
}

void render_html(FILE *f, const struct view *v)
{
	size_t i, k;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>ptscope maps: PID %d</title><style>%s</style></head><body>\n",
		(int)v->snap->pid, style);
	render_svg_element(f, v);
	fputs("<p><input id=\"q\" placeholder=\"filter: name, kind, perms, address\" "
	      "aria-label=\"filter\"> click a column to sort</p>\n"
	      "<table id=\"vmas\"><thead><tr><th>start</th><th>end</th><th>size</th>"
	      "<th>perms</th><th>kind</th><th>resident</th><th>accessed</th><th>dirty</th>"
	      "<th>swapped</th><th>name</th></tr></thead><tbody>\n", f);
	for (i = 0; i < v->nr; i++)
		for (k = 0; k < v->v[i].count; k++)
			put_row(f, v, &v->snap->vmas[v->v[i].first + k]);
	fprintf(f, "</tbody></table>\n<script>%s</script>\n</body></html>\n", script);
}
