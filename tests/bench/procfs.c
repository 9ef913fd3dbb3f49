// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own interfaces ptscope is measured against: /proc/PID/maps,
 * pagemap, smaps and PAGEMAP_SCAN, and /proc/meminfo.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bench.h"

int read_vmas(pid_t pid, struct vma_range **out)
{
	char path[64], line[4352];
	struct vma_range *v = NULL;
	int n = 0, cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;

		if (strstr(line, "[vsyscall]") ||
		    sscanf(line, "%llx-%llx", &s, &e) != 2)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				die("out of memory");
		}
		v[n].start = s;
		v[n].end = e;
		n++;
	}
	fclose(f);
	*out = v;
	return n;
}

/* /proc/PID/pagemap over every VMA (found in /proc/PID/maps, timed too). */
uint64_t read_pagemap(pid_t pid, uint64_t *buf)
{
	struct vma_range *v;
	uint64_t present = 0;
	char path[64];
	int n, fd;

	n = read_vmas(pid, &v);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	for (int i = 0; i < n; i++) {
		for (uint64_t a = v[i].start; a < v[i].end;) {
			uint64_t want = (v[i].end - a) / PAGE;
			ssize_t r;

			if (want > PM_CHUNK)
				want = PM_CHUNK;
			r = pread(fd, buf, want * 8, (off_t)(a / PAGE * 8));
			if (r <= 0)
				die("pagemap read at %#" PRIx64 ": %s", a,
				    r ? strerror(errno) : "EOF");
			for (ssize_t k = 0; k < r / 8; k++)
				present += buf[k] >> 63;
			a += (uint64_t)r / 8 * PAGE;
		}
	}
	close(fd);
	free(v);
	return present;
}

size_t read_whole(pid_t pid, const char *file, char *buf, size_t len)
{
	char path[64];
	size_t total = 0;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	while ((r = read(fd, buf, len)) > 0)
		total += r;
	if (r < 0)
		die("%s: %s", path, strerror(errno));
	close(fd);
	return total;
}

/* A "Key: N kB" field of a /proc file, in kB; -1 if absent. */
static long file_kb(const char *path, const char *key)
{
	char line[256];
	long v = -1;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			v = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return v;
}

long proc_kb(pid_t pid, const char *file, const char *key)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return file_kb(path, key);
}

long meminfo_kb(const char *key)
{
	return file_kb("/proc/meminfo", key);
}

/* PAGEMAP_SCAN over every VMA: regions of pages with equal categories.
 * Returns the number of regions, -1 if the kernel lacks the ioctl. */
long pagemap_scan(pid_t pid, struct page_region *vec)
{
	struct vma_range *v;
	long regions = 0;
	char path[64];
	int n, fd;

	n = read_vmas(pid, &v);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	for (int i = 0; i < n && regions >= 0; i++) {
		struct pm_scan_arg arg = {
			.size = sizeof(arg),
			.start = v[i].start,
			.end = v[i].end,
			.vec = (uintptr_t)vec,
			.vec_len = SCAN_VEC,
			.return_mask = PM_ALL_CATEGORIES,
		};

		while (arg.start < arg.end) {
			long r = ioctl(fd, PAGEMAP_SCAN, &arg);

			if (r < 0) {
				if (errno != ENOTTY && errno != EINVAL)
					die("PAGEMAP_SCAN: %s", strerror(errno));
				regions = -1;
				break;
			}
			regions += r;
			if (arg.walk_end <= arg.start)
				break;
			arg.start = arg.walk_end;
		}
	}
	close(fd);
	free(v);
	return regions;
}

/* MemTotal - MemFree - Buffers - Cached, kB */
long mem_used_kb(void)
{
	long total = meminfo_kb("MemTotal");
	long free_ = meminfo_kb("MemFree");
	long buf = meminfo_kb("Buffers");
	long cached = meminfo_kb("Cached");

	return total - free_ - buf - cached;
}
