// SPDX-License-Identifier: GPL-2.0
/*
 * Heat recordings: the reader (heat_rec.h), one line at a time, so a
 * recording of hours is replayed in the memory of one interval.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flags16.h"
#include "heat_rec.h"
#include "heat_sample.h"
#include "jsonr.h"

static int bad(struct heat_rec_header *h, char *err, size_t len, const char *what)
{
	snprintf(err, len, "%s:%lu: %s", h->path, h->line, what);
	return -1;
}

/* The next line parsed; NULL at the end of the file (or with @err set). */
static struct json_object *next_line(struct heat_rec_header *h, char *err, size_t len)
{
	struct json_object *o = NULL;
	char *line = NULL, perr[256];
	size_t cap = 0;
	ssize_t n;

	err[0] = '\0';
	n = getline(&line, &cap, h->f);
	if (n > 0) {
		h->line++;
		/* Without its newline, an error stays on the line: "1:COL". */
		o = jsonr_parse(line, (size_t)n - (line[n - 1] == '\n'), perr, sizeof(perr));
		/*
		 * A last line without its newline is one the writer did not
		 * finish (killed mid-write): the recording ends before it.
		 */
		if (!o && line[n - 1] != '\n' && h->line > 1)
			h->truncated = true;
		else if (!o)	/* jsonr says "1:COL: ...": the line is ours */
			snprintf(err, len, "%s:%lu:%s", h->path, h->line,
				 strncmp(perr, "1:", 2) ? perr : perr + 2);
	}
	free(line);
	return o;
}

int heat_rec_open(const char *path, struct heat_rec_header *h, char *err, size_t errlen)
{
	struct json_object *o;
	uint64_t version, pid, ps, iv;
	const char *fmt;
	int rc = 0;

	memset(h, 0, sizeof(*h));
	h->path = path;
	h->f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!h->f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	o = next_line(h, err, errlen);
	if (!o) {
		if (!err[0])
			bad(h, err, errlen, "empty file, not a heat recording");
		heat_rec_close(h);
		return -1;
	}
	fmt = jsonr_str(jsonr_get(o, "format"));
	if (!fmt || strcmp(fmt, HEAT_REC_FORMAT))
		rc = bad(h, err, errlen, "not a heat recording (ptscope record --heat)");
	else if (jsonr_u64(jsonr_get(o, "version"), &version) || version > HEAT_REC_VERSION)
		rc = bad(h, err, errlen, "a newer heat recording version than this ptscope reads");
	else if (jsonr_u64(jsonr_get(o, "pid"), &pid) ||
		 jsonr_u64(jsonr_get(o, "page_size"), &ps) || ps < 512 || (ps & (ps - 1)) ||
		 jsonr_u64(jsonr_get(o, "interval_ns"), &iv))
		rc = bad(h, err, errlen, "needs \"pid\", \"page_size\" and \"interval_ns\"");
	if (!rc && jsonr_get(o, "range") &&
	    (jsonr_u64(jsonr_get(jsonr_get(o, "range"), "start"), &h->start) ||
	     jsonr_u64(jsonr_get(jsonr_get(o, "range"), "end"), &h->end) || h->start >= h->end))
		rc = bad(h, err, errlen, "bad \"range\"");
	json_object_put(o);
	if (rc) {
		heat_rec_close(h);
		return rc;
	}
	h->pid = (pid_t)pid;
	h->page_shift = (unsigned int)__builtin_ctzll(ps);
	h->interval_ns = iv;
	return 0;
}

static int load_stats(const struct json_object *o, struct ptscope_access_stats *s)
{
	static const char *const keys[] = {
		"entries", "present", "accessed", "cleared", "young_marked", "flushes",
		"flush_cpus",
	};
	uint64_t *v[] = {
		&s->entries, &s->present, &s->accessed, &s->cleared, &s->young_marked,
		&s->flushes, &s->flush_cpus,
	};

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (jsonr_get(o, keys[i]) && jsonr_u64(jsonr_get(o, keys[i]), v[i]))
			return -1;
	return 0;
}

static int load_block(struct heat_sbuf *buf, const struct json_object *o)
{
	struct ptscope_access_block b = { 0 };
	const char *text = jsonr_str(jsonr_get(o, "states"));
	unsigned char *states = NULL;
	uint64_t fill = 0;
	int rc;

	/* The kernel's nr-pages is a u32: a larger block is not from it. */
	if (jsonr_u64(jsonr_get(o, "start"), &b.start) ||
	    jsonr_u64(jsonr_get(o, "pages"), &b.nr_pages) || !b.nr_pages ||
	    b.nr_pages > UINT32_MAX)
		return -1;
	if (text) {
		size_t len = strlen(text), words;

		states = malloc(len / 4 * 3 + 2);
		if (!states || flags16_from_b64(text, len, states, &words) ||
		    2 * words < (b.nr_pages + 3) / 4) {
			free(states);
			return -1;
		}
		b.states = states;
	} else if (jsonr_u64(jsonr_get(o, "fill"), &fill) || fill > 3) {
		return -1;
	}
	b.fill = (uint32_t)fill;
	rc = heat_sbuf_add_block(buf, &b);
	free(states);
	return rc;
}

static int load_interval(struct heat_rec_header *h, const struct json_object *o,
			 struct heat_sbuf *buf, struct heat_sample *s, char *err, size_t len)
{
	const struct json_object *vmas = jsonr_get(o, "vmas"), *blocks = jsonr_get(o, "blocks");
	size_t i;

	memset(s, 0, sizeof(*s));
	/* No "vmas": those of the interval before (the writer left them out). */
	if (vmas)
		heat_sbuf_reset(buf);
	else
		heat_sbuf_reset_blocks(buf);
	if (jsonr_u64(jsonr_get(o, "time_ns"), &s->time_ns) ||
	    (vmas && !json_object_is_type(vmas, json_type_array)) ||
	    (!vmas && !h->have_vmas) || !json_object_is_type(blocks, json_type_array))
		return bad(h, err, len, "an interval needs \"time_ns\", \"blocks\" and (the "
			   "first) \"vmas\"");
	h->have_vmas = true;
	for (i = 0; vmas && i < json_object_array_length(vmas); i++) {
		const struct json_object *v = json_object_array_get_idx(vmas, i);
		const char *name = jsonr_str(jsonr_get(v, "name"));
		uint64_t a, b;

		if (jsonr_u64(jsonr_get(v, "start"), &a) || jsonr_u64(jsonr_get(v, "end"), &b) ||
		    a >= b || !name || (buf->nr_vmas && a < buf->vmas[buf->nr_vmas - 1].end))
			return bad(h, err, len, "bad VMA (start < end, address order, a name)");
		if (heat_sbuf_add_vma(buf, a, b, name))
			return bad(h, err, len, "out of memory");
	}
	for (i = 0; i < json_object_array_length(blocks); i++) {
		const struct json_object *b = json_object_array_get_idx(blocks, i);
		uint64_t prev_end = buf->nr_blocks ? buf->blocks[buf->nr_blocks - 1].start +
				    (buf->blocks[buf->nr_blocks - 1].nr_pages << h->page_shift) : 0;

		if (load_block(buf, b) || buf->blocks[buf->nr_blocks - 1].start < prev_end)
			return bad(h, err, len, "bad block (start, pages, states or fill; "
				   "address order)");
	}
	if (jsonr_get(o, "access_stats") && load_stats(jsonr_get(o, "access_stats"), &s->stats))
		return bad(h, err, len, "bad \"access_stats\"");
	heat_sbuf_sample(buf, s);
	return 0;
}

int heat_rec_replay(struct heat_rec_header *h,
		    int (*cb)(void *arg, const struct heat_sample *s), void *arg,
		    char *err, size_t errlen)
{
	struct heat_sbuf buf = { 0 };
	struct json_object *o;
	int rc = 0;

	h->end_reason = HEAT_END_INTERRUPTED;	/* unless the end line says */
	while (!rc && (o = next_line(h, err, errlen))) {
		const char *end = jsonr_str(jsonr_get(o, "end"));
		struct heat_sample s;

		if (end) {
			h->end_reason = !strcmp(end, "count") ? HEAT_END_COUNT :
					!strcmp(end, "exited") ? HEAT_END_EXITED :
					HEAT_END_INTERRUPTED;
		} else if (!jsonr_get(o, "interval")) {
			/* Lines of a newer writer: skipped, as unknown keys are. */
		} else {
			rc = load_interval(h, o, &buf, &s, err, errlen);
			if (!rc)
				rc = cb(arg, &s);
		}
		json_object_put(o);
	}
	if (!rc && err[0])
		rc = -1;
	heat_sbuf_free(&buf);
	return rc;
}

void heat_rec_close(struct heat_rec_header *h)
{
	if (h->f && h->f != stdin)
		fclose(h->f);
	h->f = NULL;
}
