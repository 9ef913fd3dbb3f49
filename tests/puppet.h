/* SPDX-License-Identifier: GPL-2.0 */
/*
 * track_test's puppet: a child that does one memory operation at a time
 * on command, so a test knows exactly which faults it takes while tracked.
 */
#ifndef PTSCOPE_TESTS_PUPPET_H
#define PTSCOPE_TESTS_PUPPET_H

#include <stdint.h>
#include <sys/types.h>

enum puppet_op {
	OP_MAP = 1,	/* n anonymous pages, THP off: addr */
	OP_WRITE,	/* write n pages at addr */
	OP_READ,	/* read n pages at addr */
	OP_FORK,	/* fork a child that sleeps: COW */
	OP_PAGEOUT,	/* MADV_PAGEOUT n pages at addr */
	OP_MAP_FILE,	/* map n pages of path read-only, shared: addr */
	OP_MAP_EXEC,	/* memfd page holding "ret", mapped r-x: addr */
	OP_CALL,	/* call the function at addr */
	OP_MUNMAP,	/* munmap n pages at addr */
	OP_MPROTECT_RO,	/* mprotect n pages at addr read-only */
	OP_EXIT,
};

struct puppet_ctl {
	int op;
	unsigned long n;
	uint64_t addr;
	char path[64];
	int err;
};

struct puppet {
	pid_t pid;
	int cmd, ack;
	struct puppet_ctl *ctl;
	pid_t grandchild;
};

/* Sends one operation, waits until it is done; 0 or its negative errno. */
int puppet_cmd(struct puppet *pp, int op, uint64_t addr, unsigned long n);
/* Forks the puppet and runs every operation once on scratch memory, so
 * its own lazy faults come before tracking starts. */
int puppet_start(struct puppet *pp);
void puppet_stop(struct puppet *pp);

#endif
