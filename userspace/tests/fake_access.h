/* SPDX-License-Identifier: GPL-2.0 */
/* The fake kernel's sample-access: see fake_access.c. */
#ifndef PTSCOPE_FAKE_ACCESS_H
#define PTSCOPE_FAKE_ACCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define FA_MAX_VMAS	6

struct fa_vma {
	uint64_t start, end;
	const char *name;
	uint32_t kind;
	/* One character a page: '.' not present, 'p' present, 'A' accessed. */
	const char *pages;
};

/* What the process looks like in one interval (end == 0 ends the list). */
struct fa_interval {
	struct fa_vma vmas[FA_MAX_VMAS];
};

struct fake_access {
	const struct fa_interval *script;
	int nr;			/* intervals scripted; the last repeats */
	int samples;		/* sample-access requests answered, priming included */
	int exit_after;		/* > 0: get-vmas of interval exit_after + 1 fails ESRCH */
	int exit_mid;		/* > 0: the sample of that interval fails mid-dump */
	bool eperm;		/* sample-access: EPERM with an extack message */
	/* if set: a line per request, "CMD START END FLAGS" (hex) */
	FILE *log;
};

extern struct fake_access fa;

/* Install as fk.respond_access. */
void fake_access_respond(void);

#endif /* PTSCOPE_FAKE_ACCESS_H */
