// SPDX-License-Identifier: GPL-2.0
/*
 * Heat recordings: the writer (heat_rec.h).  The reader is
 * model/heat_rec_read.c, apart because json-c and json.h both name a
 * json_bool.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "docs.h"
#include "flags16.h"
#include "heat_rec.h"
#include "json.h"

void heat_rec_write_header(FILE *f, pid_t pid, uint64_t page_size, uint64_t interval_ns,
			   uint64_t start, uint64_t end)
{
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "format", HEAT_REC_FORMAT);
	json_u64(&j, "version", HEAT_REC_VERSION);
	json_u64(&j, "pid", (uint64_t)pid);
	json_u64(&j, "page_size", page_size);
	json_u64(&j, "interval_ns", interval_ns);
	if (end) {
		json_obj_begin(&j, "range");
		json_hex(&j, "start", start);
		json_hex(&j, "end", end);
		json_obj_end(&j);
	}
	json_obj_end(&j);
	fputc('\n', f);
}

static void write_states(struct json *j, const struct ptscope_access_block *b)
{
	size_t bytes = (b->nr_pages + 3) / 4, words = (bytes + 1) / 2;
	unsigned char *in = calloc(words ? 2 * words : 2, 1);
	char *out = malloc(flags16_b64_len(words) + 2);

	if (!in || !out) {
		/* A line that no reader takes, rather than a wrong one. */
		json_raw(j, "states", "null", 4);
	} else {
		char *end;

		memcpy(in, b->states, bytes);
		out[0] = '"';
		end = flags16_to_b64(out + 1, in, words);
		*end++ = '"';
		json_raw(j, "states", out, (size_t)(end - out));
	}
	free(in);
	free(out);
}

bool heat_rec_same_vmas(const struct heat_sample *s, const struct heat_vma_in *prev,
			size_t nr_prev)
{
	if (s->nr_vmas != nr_prev)
		return false;
	for (size_t i = 0; i < nr_prev; i++)
		if (s->vmas[i].start != prev[i].start || s->vmas[i].end != prev[i].end ||
		    strcmp(s->vmas[i].name, prev[i].name))
			return false;
	return true;
}

void heat_rec_write_interval(FILE *f, uint64_t n, const struct heat_sample *s, bool vmas)
{
	struct json j;
	size_t i;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_u64(&j, "interval", n);
	json_u64(&j, "time_ns", s->time_ns);
	if (vmas) {
		json_arr_begin(&j, "vmas");
		for (i = 0; i < s->nr_vmas; i++) {
			json_obj_begin(&j, NULL);
			json_hex(&j, "start", s->vmas[i].start);
			json_hex(&j, "end", s->vmas[i].end);
			json_str(&j, "name", s->vmas[i].name);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	}
	json_arr_begin(&j, "blocks");
	for (i = 0; i < s->nr_blocks; i++) {
		const struct ptscope_access_block *b = &s->blocks[i];

		json_obj_begin(&j, NULL);
		json_hex(&j, "start", b->start);
		json_u64(&j, "pages", b->nr_pages);
		if (b->states)
			write_states(&j, b);
		else
			json_u64(&j, "fill", b->fill);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_access_stats(&j, "access_stats", &s->stats);
	json_obj_end(&j);
	fputc('\n', f);
}

void heat_rec_write_end(FILE *f, enum heat_end why, uint64_t intervals)
{
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "end", heat_end_name(why));
	json_u64(&j, "intervals", intervals);
	json_obj_end(&j);
	fputc('\n', f);
}
