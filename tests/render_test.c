// SPDX-License-Identifier: GPL-2.0
/*
 * End to end: the CLI renders a real process (the idle workload) in every
 * form, from the live module and from a recording of it.
 *  - `maps` (text): a line per VMA region of the workload, hole lines,
 *    the totals line;
 *  - `maps --svg` / `--html`: a complete document naming the workload's
 *    binary, [heap] and [stack], one tooltip per VMA at least;
 *  - `record` then `maps --input --svg`: the same picture as live;
 *  - per-VMA counts the CLI derives from the runs (maps with a picture,
 *    record: one page-table walk) are those the kernel counts (maps
 *    --json alone).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

FIXTURE(render) {
	struct wl_env env;
	struct vma_list vl;
};

FIXTURE_SETUP(render)
{
	int err = wl_env_init(&self->env);

	memset(&self->vl, 0, sizeof(self->vl));
	if (err == -ENOENT) {
		wl_env_fini(&self->env);
		SKIP(return, "ptscope module not loaded");
	}
	ASSERT_EQ(0, err);
	if (access(cli_path(), X_OK))
		SKIP(return, "ptscope CLI not found");
	ASSERT_EQ(0, collect_vmas(self->env.c, self->env.w.pid, 0, 0,
				  PTSCOPE_VMAS_F_NO_COUNTS, &self->vl));
}

FIXTURE_TEARDOWN(render)
{
	vma_list_free(&self->vl);
	wl_env_fini(&self->env);
}

TEST_F(render, terminal_map)
{
	char *txt;

	ASSERT_EQ(0, cli_run("/tmp/render.txt", "maps --no-summary %d",
			     (int)self->env.w.pid));
	txt = slurp("/tmp/render.txt", NULL);
	ASSERT_NE(NULL, txt);
	/* every region of the workload starts a line */
	for (int r = 0; r < WL_NR_REGIONS; r++) {
		char addr[32];

		snprintf(addr, sizeof(addr), "%012llx-",
			 (unsigned long long)self->env.w.start[r]);
		EXPECT_NE(NULL, strstr(txt, addr)) TH_LOG("region %s", wl_region_names[r]);
	}
	EXPECT_NE(NULL, strstr(txt, "[heap]"));
	EXPECT_NE(NULL, strstr(txt, "[stack]"));
	EXPECT_NE(NULL, strstr(txt, "unmapped"));
	EXPECT_NE(NULL, strstr(txt, "total"));
	EXPECT_EQ(NULL, strstr(txt, "\033[")) TH_LOG("colour with NO_COLOR set");
	free(txt);
}

static void check_picture(struct __test_metadata *_metadata, const char *doc,
			  size_t nr_vmas)
{
	EXPECT_NE(NULL, strstr(doc, "<svg"));
	EXPECT_NE(NULL, strstr(doc, "</svg>"));
	EXPECT_NE(NULL, strstr(doc, "workload"));
	EXPECT_NE(NULL, strstr(doc, "[heap]"));
	EXPECT_NE(NULL, strstr(doc, "[stack]"));
	/* a tooltip for every VMA (the workload has far fewer than the
	 * grouping threshold) */
	EXPECT_LE(nr_vmas, count(doc, "<title>"));
}

TEST_F(render, svg_and_html)
{
	char *svg, *html;

	ASSERT_EQ(0, cli_run("/dev/null", "maps %d --svg /tmp/render.svg",
			     (int)self->env.w.pid));
	ASSERT_EQ(0, cli_run("/dev/null", "maps %d --html /tmp/render.html",
			     (int)self->env.w.pid));
	svg = slurp("/tmp/render.svg", NULL);
	html = slurp("/tmp/render.html", NULL);
	ASSERT_NE(NULL, svg);
	ASSERT_NE(NULL, html);
	check_picture(_metadata, svg, self->vl.n);
	check_picture(_metadata, html, self->vl.n);
	EXPECT_NE(NULL, strstr(html, "<table"));
	EXPECT_NE(NULL, strstr(html, "</html>"));
	free(svg);
	free(html);
}

TEST_F(render, recording_renders_like_live)
{
	char *live, *rec;

	ASSERT_EQ(0, cli_run("/tmp/render.rec.json", "record %d", (int)self->env.w.pid));
	ASSERT_EQ(0, cli_run("/dev/null", "maps %d --svg /tmp/render.live.svg",
			     (int)self->env.w.pid));
	ASSERT_EQ(0, cli_run("/dev/null",
			     "maps --input /tmp/render.rec.json --svg /tmp/render.rec.svg"));
	live = slurp("/tmp/render.live.svg", NULL);
	rec = slurp("/tmp/render.rec.svg", NULL);
	ASSERT_NE(NULL, live);
	ASSERT_NE(NULL, rec);
	/* the workload is idle: nothing changes between the two reads */
	EXPECT_STREQ(live, rec);
	free(live);
	free(rec);
	/* blocks of 32-bit words (version 3) where the kernel has pxn/cont */
	rec = slurp("/tmp/render.rec.json", NULL);
	ASSERT_NE(NULL, rec);
	EXPECT_EQ(self->env.info.page_flags > 0xffff, !!strstr(rec, "\"flags32\""));
	EXPECT_EQ(self->env.info.page_flags > 0xffff, !!strstr(rec, "\"version\":3"));
	EXPECT_NE(NULL, strstr(rec, "\"blocks\""));
	free(rec);
}

/*
 * maps --json alone lets the kernel count each VMA's pages; with a picture
 * (and in a recording) the CLI fetches the runs and counts them itself.
 * The workload is idle: both must give the same document.
 */
TEST_F(render, counts_from_runs_are_the_kernels)
{
	char *kernel, *runs, *rec;

	ASSERT_EQ(0, cli_run("/tmp/render.kernel.json", "maps --json %d",
			     (int)self->env.w.pid));
	ASSERT_EQ(0, cli_run("/tmp/render.runs.json",
			     "maps --json %d --svg /dev/null", (int)self->env.w.pid));
	ASSERT_EQ(0, cli_run("/tmp/render.rec.json", "record %d", (int)self->env.w.pid));
	ASSERT_EQ(0, cli_run("/tmp/render.recmaps.json",
			     "maps --json --input /tmp/render.rec.json"));
	kernel = slurp("/tmp/render.kernel.json", NULL);
	runs = slurp("/tmp/render.runs.json", NULL);
	rec = slurp("/tmp/render.recmaps.json", NULL);
	ASSERT_NE(NULL, kernel);
	ASSERT_NE(NULL, runs);
	ASSERT_NE(NULL, rec);
	EXPECT_NE(NULL, strstr(kernel, "\"present\":"));
	EXPECT_STREQ(kernel, runs);
	EXPECT_STREQ(kernel, rec);
	free(kernel);
	free(runs);
	free(rec);
}

TEST_HARNESS_MAIN
