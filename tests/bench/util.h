/* SPDX-License-Identifier: GPL-2.0 */
/* What ptbench, heat_reclaim and heat_damon share (util.c). */
#ifndef PTBENCH_UTIL_H
#define PTBENCH_UTIL_H

#include <stddef.h>

#define MiB	(1024UL * 1024)
#define PAGE	4096UL

/* Prints "PROGRAM: message" on stderr and exits 1. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
double now_ms(void);			/* CLOCK_MONOTONIC */
void sleep_until(double ms);		/* until now_ms() >= @ms */
void pin(int cpu);			/* the calling thread */
/* Whole small files (sysfs, procfs): 0 or a negative errno. */
int write_file(const char *path, const char *val);
int read_file(const char *path, char *buf, size_t len);

#endif
