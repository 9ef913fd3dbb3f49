// SPDX-License-Identifier: GPL-2.0
/* track_test's puppet (puppet.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common.h"
#include "puppet.h"

/* A function that returns at once, for OP_CALL: RET (x86), RET (arm64). */
#ifdef __aarch64__
#define RET_INSN	"\xc0\x03\x5f\xd6"
#else
#define RET_INSN	"\xc3"
#endif

static void puppet_do(struct puppet_ctl *ctl)
{
	volatile char *p = (volatile char *)(uintptr_t)ctl->addr;
	unsigned long i;
	void *m;
	int fd;

	ctl->err = 0;
	switch (ctl->op) {
	case OP_MAP:
		m = mmap(NULL, ctl->n * PAGE_SZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED || madvise(m, ctl->n * PAGE_SZ, MADV_NOHUGEPAGE))
			ctl->err = errno;
		ctl->addr = (uintptr_t)m;
		break;
	case OP_WRITE:
		for (i = 0; i < ctl->n; i++)
			p[i * PAGE_SZ] = 1;
		break;
	case OP_READ:
		for (i = 0; i < ctl->n; i++)
			(void)p[i * PAGE_SZ];
		break;
	case OP_FORK: {
		/* ctl is shared with the child too: only the parent writes. */
		pid_t pid = fork();

		if (!pid) {
			for (;;)
				pause();
		}
		ctl->addr = pid;
		break;
	}
	case OP_PAGEOUT:
		if (madvise((void *)p, ctl->n * PAGE_SZ, MADV_PAGEOUT))
			ctl->err = errno;
		break;
	case OP_MAP_FILE:
		fd = open(ctl->path, O_RDONLY);
		m = fd < 0 ? MAP_FAILED :
		    mmap(NULL, ctl->n * PAGE_SZ, PROT_READ, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			ctl->err = errno;
		if (fd >= 0)
			close(fd);
		ctl->addr = (uintptr_t)m;
		break;
	case OP_MAP_EXEC:
		fd = memfd_create("ptscope-exec", 0);
		m = MAP_FAILED;
		if (fd >= 0 && write(fd, RET_INSN, sizeof(RET_INSN) - 1) ==
			       sizeof(RET_INSN) - 1 && !ftruncate(fd, PAGE_SZ))
			m = mmap(NULL, PAGE_SZ, PROT_READ | PROT_EXEC,
				 MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			ctl->err = errno;
		if (fd >= 0)
			close(fd);
		ctl->addr = (uintptr_t)m;
		break;
	case OP_CALL:
		((void (*)(void))(uintptr_t)ctl->addr)();
		break;
	case OP_MUNMAP:
		if (munmap((void *)p, ctl->n * PAGE_SZ))
			ctl->err = errno;
		break;
	case OP_MPROTECT_RO:
		if (mprotect((void *)p, ctl->n * PAGE_SZ, PROT_READ))
			ctl->err = errno;
		break;
	}
}

static void puppet_main(struct puppet *pp)
{
	/* Fault in a deep stack now, not while tracked. */
	volatile char stack[64 * 1024];
	char c = 0;

	memset((char *)stack, 1, sizeof(stack));
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (read(pp->cmd, &c, 1) == 1) {
		if (pp->ctl->op == OP_EXIT)
			_exit(0);
		puppet_do(pp->ctl);
		if (write(pp->ack, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

int puppet_cmd(struct puppet *pp, int op, uint64_t addr, unsigned long n)
{
	char c = 'x';

	pp->ctl->op = op;
	pp->ctl->addr = addr;
	pp->ctl->n = n;
	if (write(pp->cmd, &c, 1) != 1 || read(pp->ack, &c, 1) != 1)
		return -EIO;
	return -pp->ctl->err;
}

int puppet_start(struct puppet *pp)
{
	int cmd[2], ack[2];
	uint64_t scratch;

	memset(pp, 0, sizeof(*pp));
	pp->ctl = mmap(NULL, sizeof(*pp->ctl), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pp->ctl == MAP_FAILED || pipe(cmd) || pipe(ack))
		return -errno;
	pp->pid = fork();
	if (pp->pid < 0)
		return -errno;
	if (!pp->pid) {
		close(cmd[1]);
		close(ack[0]);
		pp->cmd = cmd[0];
		pp->ack = ack[1];
		puppet_main(pp);
	}
	close(cmd[0]);
	close(ack[1]);
	pp->cmd = cmd[1];
	pp->ack = ack[0];

	/* Warm-up: every code path once, on scratch memory. */
	if (puppet_cmd(pp, OP_MAP, 0, 2))
		return -EIO;
	scratch = pp->ctl->addr;
	if (puppet_cmd(pp, OP_WRITE, scratch, 1) ||
	    puppet_cmd(pp, OP_READ, scratch + PAGE_SZ, 1) ||
	    puppet_cmd(pp, OP_PAGEOUT, scratch, 0) ||
	    puppet_cmd(pp, OP_MPROTECT_RO, scratch, 1) ||
	    puppet_cmd(pp, OP_MUNMAP, scratch, 2))
		return -EIO;
	return 0;
}

void puppet_stop(struct puppet *pp)
{
	if (pp->grandchild > 0) {
		kill(pp->grandchild, SIGKILL);
		pp->grandchild = 0;
	}
	if (pp->pid > 0) {
		kill_wait(pp->pid);
		pp->pid = 0;
	}
	if (pp->cmd > 0)
		close(pp->cmd);
	if (pp->ack > 0)
		close(pp->ack);
	if (pp->ctl && pp->ctl != MAP_FAILED)
		munmap(pp->ctl, sizeof(*pp->ctl));
	pp->ctl = NULL;
}
