// SPDX-License-Identifier: GPL-2.0
/*
 * Recordings end to end below the CLI: the writer (docs.c over json.c)
 * into a file, snapshot_load() (json-c underneath) back.  64-bit values
 * must come back bit for bit; a malformed file must be refused with its
 * name and what was wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docs.h"
#include "snapshot.h"
#include "tap.h"

#define REC	"/tmp/ptscope-unit-rec.json"

static int write_rec(const char *text)
{
	FILE *f = fopen(REC, "w");

	return f && fputs(text, f) >= 0 && !fclose(f) ? 0 : -1;
}

/* Loading @text fails, and the message names the file and says @what. */
static void refuses(const char *text, const char *what, const char *name)
{
	char err[256] = "";
	struct snapshot s;
	int rc;

	snapshot_init(&s, 12);
	rc = write_rec(text) ? 0 : snapshot_load(&s, REC, err, sizeof(err));
	ok(rc == -1 && !strncmp(err, REC ":", strlen(REC ":")) && strstr(err, what),
	   "recording: %s: \"%s\"", name, err);
	snapshot_free(&s);
}

static void round_trip(void)
{
	static const struct snap_vma vmas[] = {
		/* top of a 57-bit space, offsets above INT64_MAX and at 2^64-1 */
		{ .start = 0x7ffffffff000ULL, .end = 0x800000000000ULL, .kind = 1,
		  .pgoff = (1ULL << 63) + 1, .inode = UINT64_MAX, .dev = 0x801 },
		{ .start = 0xfffffffffff00000ULL, .end = 0xfffffffffffff000ULL, .kind = 2,
		  .pgoff = INT64_MAX, .inode = (uint64_t)INT64_MAX + 1 },
	};
	static const struct snap_run runs[] = {
		{ .start = 0x7ffffffff000ULL, .nr_pages = 1, .flags = 1 },
		{ .start = 0xfffffffffff00000ULL, .nr_pages = 255, .flags = 0 },
	};
	struct snapshot in, out;
	char err[256] = "";
	struct json j;
	size_t i;
	FILE *f = fopen(REC, "w");
	bool same;

	snapshot_init(&in, 12);
	for (i = 0; i < 2; i++) {
		snapshot_add_vma(&in, &vmas[i], i ? "[x]" : "/a b\xc3\xa9");
		in.vmas[i].n.total = (vmas[i].end - vmas[i].start) >> 12;
		in.vmas[i].n.present = UINT64_MAX - i;
		snapshot_add_run(&in, &runs[i]);
	}
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "format", RECORD_FORMAT);
	json_u64(&j, "version", RECORD_VERSION);
	json_u64(&j, "page_size", 4096);
	json_arr_begin(&j, "vmas");
	for (i = 0; i < in.nr_vmas; i++)
		json_vma(&j, &in.vmas[i]);
	json_arr_end(&j);
	json_arr_begin(&j, "runs");
	for (i = 0; i < in.nr_runs; i++)
		json_run(&j, &in, &in.runs[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	fclose(f);

	snapshot_init(&out, 0);
	ok(!snapshot_load(&out, REC, err, sizeof(err)) && out.nr_vmas == 2 && out.nr_runs == 2,
	   "recording: written and read back (%s)", err);
	for (i = 0; i < out.nr_vmas && i < 2; i++) {
		const struct snap_vma *a = &in.vmas[i], *b = &out.vmas[i];

		same = a->start == b->start && a->end == b->end && a->pgoff == b->pgoff &&
		       a->inode == b->inode && a->kind == b->kind && a->dev == b->dev &&
		       a->n.present == b->n.present && !strcmp(a->name, b->name);
		ok(same, "recording: vma %zu: u64 fields exact (offset %llu, inode %llu)", i,
		   (unsigned long long)b->pgoff, (unsigned long long)b->inode);
	}
	for (i = 0; i < out.nr_runs && i < 2; i++)
		ok(in.runs[i].start == out.runs[i].start &&
		   in.runs[i].nr_pages == out.runs[i].nr_pages &&
		   in.runs[i].flags == out.runs[i].flags, "recording: run %zu exact", i);
	snapshot_free(&in);
	snapshot_free(&out);
}

void test_recording(void)
{
	round_trip();
	refuses("{\"vmas\": [}", "1:11: unexpected character", "syntax error with position");
	refuses("{\"vmas\": [\n{\"start\": \"0x1000\",\n \"end\": 0x2000}]}",
		"3:10: number expected", "unquoted hex: line and column");
	refuses("{\"vmas\": [", "unexpected end of data", "truncated file");
	refuses("[]", "not a ptscope recording", "an array");
	refuses("{\"runs\": []}", "no \"vmas\" array", "no vmas");
	refuses("{\"format\": \"other\", \"vmas\": []}", "unknown format \"other\"",
		"another format");
	refuses("{\"version\": 99, \"vmas\": []}", "version 99 is newer", "newer version");
	refuses("{\"vmas\": [{\"start\": \"0x2000\", \"end\": \"0x1000\", \"kind\": \"anon\"}]}",
		"vmas[0]: needs \"start\" and \"end\"", "end before start");
	refuses("{\"vmas\": [{\"start\": -4096, \"end\": \"0x1000\", \"kind\": \"anon\"}]}",
		"vmas[0]: needs \"start\" and \"end\"", "negative address");
	refuses("{\"vmas\": [{\"start\": \"0x1000\", \"end\": \"0x2000\", \"kind\": \"anon\","
		" \"inode\": 1.5}]}", "vmas[0]: bad number", "fractional inode");
	refuses("{\"vmas\": [{\"start\": \"0x1000\", \"end\": \"0x2000\", \"kind\": \"anon\","
		" \"pages\": {\"present\": -1}}]}", "vmas[0]: bad \"pages\" counts",
		"negative count");
	refuses("{\"vmas\": [{\"start\": \"0x1000\", \"end\": \"0x2000\", \"kind\": \"anon\","
		" \"flags\": [\"nonsense\"]}]}", "vmas[0]: bad \"flags\"", "unknown flag name");
	refuses("{\"vmas\": [], \"runs\": [{\"start\": \"0x10000000000000000\", \"pages\": 1}]}",
		"runs[0]: needs \"start\" and \"pages\"", "address above 2^64");
	refuses("{\"vmas\": [], \"runs\": {}}", "\"runs\" is not an array", "runs an object");
	unlink(REC);
}
