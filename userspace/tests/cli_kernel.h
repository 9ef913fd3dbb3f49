/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel test_cli.c runs the CLI against: the fake kernel's answers to
 * every command, in the mode the test sets.
 */
#ifndef PTSCOPE_CLI_KERNEL_H
#define PTSCOPE_CLI_KERNEL_H

/*
 * K_OK: a process whose VMA counts (10, 9, ... 1 for every VMA) do not
 * match its runs, so the output tells where counts came from.
 * K_STATIC: a process that holds still: the counts the kernel sends are
 * exactly those of the runs it sends (static_vmas, static_runs).
 * K_BLOCKS: the same process, but where get-pages asks for compact blocks
 * the pages of two VMAs come as PTSCOPE_A_BLOCKs (as the module sends
 * pages whose attributes change every few pages).
 */
enum cli_kernel_mode {
	K_OK, K_NO_MODULE, K_EPERM, K_ESRCH_MID_DUMP, K_STATIC,
	K_DUMP_INTR,	/* as K_OK, the dumps marked NLM_F_DUMP_INTR */
	K_BLOCKS,
};

extern enum cli_kernel_mode kmode;

#endif /* PTSCOPE_CLI_KERNEL_H */
