/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Heat recordings (`ptscope record --heat`, `heat --input`): JSON lines,
 * written as the series goes and read back one line at a time, so neither
 * side holds more than an interval (docs/recording.md):
 *
 *   {"format":"ptscope-heat","version":1,"pid","page_size","interval_ns",
 *    "range"?:{"start","end"}}
 *   {"interval":N,"time_ns","vmas"?:[{"start","end","name"}],
 *    "blocks":[{"start","pages","states":BASE64}|{"start","pages","fill"}],
 *    "access_stats":{...}}                                   (per interval)
 *
 * "vmas" is left out where they are those of the interval before (most
 * intervals of a long series: 10,000 VMAs are ~1 MB a line).
 *   {"end":"count"|"interrupted"|"exited","intervals":N}     (last)
 *
 * states: the kernel's 2 bits a page (PTSCOPE_ACCESS_PRESENT bit 0,
 * ACCESSED bit 1, page 0 in the low bits), base64 as flags16.h encodes
 * (padded with a zero byte to whole 16-bit words).
 */
#ifndef PTSCOPE_HEAT_REC_H
#define PTSCOPE_HEAT_REC_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "heat.h"

#define HEAT_REC_FORMAT		"ptscope-heat"
#define HEAT_REC_VERSION	1

void heat_rec_write_header(FILE *f, pid_t pid, uint64_t page_size, uint64_t interval_ns,
			   uint64_t start, uint64_t end);
/* @vmas: write the VMAs (false: unchanged since the last line). */
void heat_rec_write_interval(FILE *f, uint64_t n, const struct heat_sample *s, bool vmas);
/* Are @s's VMAs those of @prev (the last ones written)? */
bool heat_rec_same_vmas(const struct heat_sample *s, const struct heat_vma_in *prev,
			size_t nr_prev);
void heat_rec_write_end(FILE *f, enum heat_end why, uint64_t intervals);

struct heat_rec_header {
	FILE *f;
	const char *path;
	unsigned long line;
	pid_t pid;
	unsigned int page_shift;
	uint64_t interval_ns;
	uint64_t start, end;		/* range; 0, 0: everything */
	enum heat_end end_reason;	/* after heat_rec_replay() */
	bool truncated;			/* its last line was cut short */
	bool have_vmas;			/* an interval gave VMAs */
};

/* Open @path ("-": stdin) and read its first line.  0, or -1 with @err. */
int heat_rec_open(const char *path, struct heat_rec_header *h, char *err, size_t errlen);
/*
 * Hand every interval to @cb in order; a recording cut short (no end
 * line, or a last line cut mid-write) ends as "interrupted".  0, @cb's non-zero return, or -1 with the
 * reason (file and line) in @err.
 */
int heat_rec_replay(struct heat_rec_header *h,
		    int (*cb)(void *arg, const struct heat_sample *s), void *arg,
		    char *err, size_t errlen);
void heat_rec_close(struct heat_rec_header *h);

#endif /* PTSCOPE_HEAT_REC_H */
