/* SPDX-License-Identifier: GPL-2.0 */
/* The fake kernel's tracking commands: see fake_track.c. */
#ifndef PTSCOPE_FAKE_TRACK_H
#define PTSCOPE_FAKE_TRACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum fake_track_mode {
	FT_FULL,	/* every probe */
	FT_PARTIAL,	/* no flush_tlb_multi, do_swap_page, page_fault_tp,
			 * tlb_flush tracepoint */
	FT_NOT_TRACKED,	/* get-stats: ENOENT with a message */
	FT_BIG,		/* 64 CPUs and 300 ranges in one message (~25 KB) */
	FT_MALFORMED,	/* a range nest without its end */
	FT_ENTRY,	/* faults counted at entry: no minor/major, latency */
};

struct fake_track {
	enum fake_track_mode mode;
	int calls;		/* get-stats answered so far */
	int exit_after;		/* > 0: get-stats fails with ENOENT after that many */
	int dumps;		/* get-stats dumps answered */
	uint32_t last_pid, last_flags;	/* of the last request */
	uint8_t last_cmd;
	bool need_start;	/* get-stats says ENOENT until a track-start */
	bool started;
	FILE *log;		/* if set: one line per request, "cmd pid flags" */
};

extern struct fake_track ft;

/* Install as fk.respond_track. */
void fake_track_respond(void);
/* A fresh ft in @mode, the queue empty, get-info and tracking answered. */
void ft_reset(enum fake_track_mode mode);

#endif /* PTSCOPE_FAKE_TRACK_H */
