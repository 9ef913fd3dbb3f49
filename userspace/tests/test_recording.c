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
#include "flags16.h"
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
		json_vma(&j, &in.vmas[i], snapshot_page_flags(&in));
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

/*
 * arm64: the counts of pages with flags the kernel lacks are absent (no
 * "soft_dirty": 0), runs keep pxn and cont by name, and the info's
 * page_flags come back, so a rendering of the recording omits them too.
 */
static void arm64_flags(void)
{
	static const struct snap_vma vma = {
		.start = 0x400000, .end = 0x420000, .kind = 0,
	};
	static const struct snap_run run = {
		.start = 0x400000, .nr_pages = 16,
		.flags = PTSCOPE_PF_PRESENT | PTSCOPE_PF_PXN | PTSCOPE_PF_CONT,
	};
	struct snapshot in, out;
	char err[256] = "", *text = NULL;
	size_t len = 0;
	struct json j;
	FILE *f;

	snapshot_init(&in, 12);
	in.has_info = true;
	in.info.has_page_flags = true;
	in.info.page_flags = ((PTSCOPE_PF_CONT << 1) - 1) &
			     ~(PTSCOPE_PF_GLOBAL | PTSCOPE_PF_SOFT_DIRTY);
	snprintf(in.info.arch, sizeof(in.info.arch), "aarch64");
	snapshot_add_vma(&in, &vma, "x");
	in.vmas[0].n.total = 32;
	in.vmas[0].n.present = 16;
	snapshot_add_run(&in, &run);
	{
		static const uint32_t w[] = {
			PTSCOPE_PF_PRESENT | PTSCOPE_PF_PXN, PTSCOPE_PF_PRESENT | PTSCOPE_PF_PXN, 0,
			PTSCOPE_PF_PRESENT | PTSCOPE_PF_PXN | PTSCOPE_PF_CONT,
		};

		snapshot_add_block(&in, 0x410000, w, 4, 4);
	}

	f = open_memstream(&text, &len);
	json_init(&j, f);
	json_vma(&j, &in.vmas[0], snapshot_page_flags(&in));
	fclose(f);
	ok(text && !strstr(text, "soft_dirty") && strstr(text, "\"swap\":0"),
	   "arm64 counts: no soft_dirty, swap 0 kept");
	free(text);
	in.info.has_page_flags = false;
	f = open_memstream(&text, &len);
	json_init(&j, f);
	json_vma(&j, &in.vmas[0], snapshot_page_flags(&in));
	fclose(f);
	ok(text && strstr(text, "\"soft_dirty\":0"),
	   "counts without the module's page flags: soft_dirty as before");
	free(text);
	in.info.has_page_flags = true;

	f = fopen(REC, "w");
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "format", RECORD_FORMAT);
	json_u64(&j, "version", RECORD_VERSION);
	json_u64(&j, "page_size", 4096);
	json_info(&j, "info", &in.info);
	json_arr_begin(&j, "vmas");
	json_vma(&j, &in.vmas[0], snapshot_page_flags(&in));
	json_arr_end(&j);
	json_arr_begin(&j, "runs");
	json_run(&j, &in, &in.runs[0]);
	json_arr_end(&j);
	json_page_flag_bits(&j, "page_flag_bits", 32);
	json_arr_begin(&j, "blocks");
	json_block(&j, &in, &in.blocks[0]);
	json_arr_end(&j);
	json_obj_end(&j);
	fclose(f);

	snapshot_init(&out, 0);
	ok(!snapshot_load(&out, REC, err, sizeof(err)) && out.nr_runs == 4 &&
	   out.runs[0].flags == run.flags &&
	   out.runs[1].start == 0x410000 && out.runs[1].nr_pages == 2 &&
	   out.runs[1].flags == (PTSCOPE_PF_PRESENT | PTSCOPE_PF_PXN) &&
	   out.runs[2].nr_pages == 1 && out.runs[2].flags == 0 &&
	   out.runs[3].start == 0x413000 &&
	   out.runs[3].flags == (PTSCOPE_PF_PRESENT | PTSCOPE_PF_PXN | PTSCOPE_PF_CONT) &&
	   out.has_info &&
	   out.info.has_page_flags && out.info.page_flags == in.info.page_flags &&
	   !strcmp(out.info.arch, "aarch64") &&
	   snapshot_page_flags(&out) == in.info.page_flags,
	   "arm64 recording: pxn, cont (a run and a flags32 block) and the page flags read back (%s)",
	   err);
	snapshot_free(&in);
	snapshot_free(&out);
}

/* Base64 of flags words: every length's padding, every byte value. */
static void flags16_codec(void)
{
	unsigned char words[2 * 300], back[2 * 300 + 3];
	char text[2 * 300 / 3 * 4 + 8];
	size_t n, i, got;
	bool all = true;

	for (i = 0; i < sizeof(words); i++)
		words[i] = (unsigned char)(i * 97 + 13);
	for (n = 0; n <= 300; n++) {
		char *end = flags16_to_b64(text, words, n);

		all &= (size_t)(end - text) == flags16_b64_len(n) &&
		       !flags16_from_b64(text, (size_t)(end - text), back, &got) &&
		       got == n && !memcmp(words, back, 2 * n);
	}
	ok(all, "flags16: base64 round trip, 0-300 words");
	flags16_to_b64(text, (const unsigned char *)"\x0d\x00\x1f\x00", 2);
	ok(!memcmp(text, "DQAfAA==", 8), "flags16: RFC 4648 alphabet and padding");
	ok(flags16_from_b64("DQAfAA=", 7, back, &got) &&
	   flags16_from_b64("DQAf", 4, back, &got) &&	/* 3 bytes: not whole words */
	   flags16_from_b64("DQ*fAA==", 8, back, &got), "flags16: bad base64 refused");
}

/* Version 2: blocks merge with runs in address order; bits go by name. */
static void blocks_read(void)
{
	char err[256] = "";
	struct snapshot s;
	int rc;

	/* bit 0 named "write", bit 1 "present": a writer with another numbering */
	rc = write_rec("{\"version\": 2, \"vmas\": [], "
		       "\"runs\": [{\"start\": \"0x1000\", \"pages\": 1, \"flags\": []},"
		       " {\"start\": \"0x5000\", \"pages\": 2, \"flags\": [\"dirty\"]}],"
		       " \"page_flag_bits\": [\"write\", \"present\", \"user\", \"accessed\","
		       " \"dirty\", \"nx\", \"global\", \"soft_dirty\", \"huge_pmd\", \"huge_pud\","
		       " \"swap\", \"migration\", \"uffd_wp\", \"protnone\", \"marker\", \"0x8000\"],"
		       " \"blocks\": [{\"start\": \"0x2000\", \"pages\": 3, \"flags16\": \"AQABAAIA\"},"
		       " {\"start\": \"0x7000\", \"pages\": 1, \"flags16\": \"AIA=\"}]}");
	snapshot_init(&s, 12);
	rc = rc ? -1 : snapshot_load(&s, REC, err, sizeof(err));
	ok(!rc && s.nr_runs == 5 && s.has_runs &&
	   s.runs[0].start == 0x1000 &&
	   s.runs[1].start == 0x2000 && s.runs[1].nr_pages == 2 &&
	   s.runs[1].flags == PTSCOPE_PF_WRITE &&
	   s.runs[2].start == 0x4000 && s.runs[2].flags == PTSCOPE_PF_PRESENT &&
	   s.runs[3].start == 0x5000 && s.runs[3].flags == PTSCOPE_PF_DIRTY &&
	   s.runs[4].start == 0x7000 && s.runs[4].flags == PTSCOPE_PF_SPECIAL,
	   "recording v2: blocks expanded, merged with runs, bits mapped by name (%s)", err);
	snapshot_free(&s);
}

void test_recording(void)
{
	round_trip();
	arm64_flags();
	flags16_codec();
	blocks_read();
	refuses("{\"vmas\": [], \"blocks\": [{\"start\": \"0x1000\", \"pages\": 2,"
		" \"flags16\": \"AQA=\"}]}", "blocks[0]: \"flags16\" is not base64 of \"pages\"",
		"block shorter than its pages");
	refuses("{\"vmas\": [], \"blocks\": [{\"start\": \"0x1000\", \"pages\": 1,"
		" \"flags16\": \"AQ!=\"}]}", "blocks[0]: \"flags16\" is not base64",
		"block not base64");
	refuses("{\"vmas\": [], \"blocks\": [{\"start\": \"0x1000\", \"pages\": 1}]}",
		"blocks[0]: needs \"flags16\"", "block without words");
	refuses("{\"vmas\": [], \"blocks\": [{\"start\": \"0x3000\", \"pages\": 1,"
		" \"flags16\": \"AQA=\"}, {\"start\": \"0x1000\", \"pages\": 1,"
		" \"flags16\": \"AQA=\"}]}", "blocks[1]: not in address order", "blocks out of order");
	refuses("{\"vmas\": [], \"page_flag_bits\": [\"present\"], \"blocks\": []}",
		"\"page_flag_bits\" must be an array of 16 or 32 names", "short page_flag_bits");
	refuses("{\"vmas\": [], \"page_flag_bits\": [\"present\", \"write\", \"user\","
		" \"accessed\", \"dirty\", \"nx\", \"global\", \"soft_dirty\", \"huge_pmd\","
		" \"huge_pud\", \"swap\", \"migration\", \"uffd_wp\", \"protnone\", \"marker\","
		" \"special\"], \"blocks\": [{\"start\": \"0x1000\", \"pages\": 1,"
		" \"flags32\": \"AQAAAA==\"}]}", "\"flags32\" needs 32 \"page_flag_bits\"",
		"flags32 block with 16 bit names");
	refuses("{\"vmas\": [], \"blocks\": [{\"start\": \"0x1000\", \"pages\": 1,"
		" \"flags32\": \"AQA=\"}]}", "\"flags32\" is not base64 of \"pages\" 32-bit words",
		"flags32 block of a 16-bit word");
	refuses("{\"vmas\": [], \"blocks\": [{\"start\": \"0x1000\", \"pages\": 1,"
		" \"flags16\": \"AQA=\", \"flags32\": \"AQAAAA==\"}]}",
		"needs \"flags16\" or \"flags32\"", "block with both word sizes");
	refuses("{\"vmas\": [], \"blocks\": {}}", "\"blocks\" is not an array",
		"blocks an object");
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
