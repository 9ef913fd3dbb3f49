/* SPDX-License-Identifier: GPL-2.0 */
/* The renderers of `ptscope maps`: each draws a view, nothing else. */
#ifndef PTSCOPE_RENDER_H
#define PTSCOPE_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "view.h"

struct term_style {
	bool color, utf8;
	bool holes;		/* a line per unmapped gap (address order only) */
};

/* The table with state bars, holes, totals and legend. */
void render_term(FILE *f, const struct view *v, const struct term_style *st);
/* The `maps --json` document (stable; see README.md). */
void render_json(FILE *f, const struct view *v);
/* One self-contained SVG image of the address space. */
void render_svg(FILE *f, const struct view *v);
/* The <svg> element alone, for embedding. */
void render_svg_element(FILE *f, const struct view *v);
/* One self-contained HTML page: the SVG and a sortable, filterable table. */
void render_html(FILE *f, const struct view *v);
/*
 * Escape @s for XML text and attributes; control bytes become U+FFFD and
 * invalid UTF-8 too (json_write_string() semantics), so the file parses.
 */
void xml_escape(FILE *f, const char *s);

#endif /* PTSCOPE_RENDER_H */
