// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own views of a process, the oracles the tests hold ptscope
 * to: /proc/PID/pagemap and /proc/PID/smaps; and clear_refs, which resets
 * what both report.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

int pagemap_read(pid_t pid, uint64_t addr, size_t n, uint64_t *out)
{
	char path[64];
	size_t done = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while (done < n) {
		ssize_t r = pread(fd, out + done, (n - done) * 8,
				  (addr / PAGE_SZ + done) * 8);

		if (r <= 0) {
			int err = r < 0 ? -errno : -EIO;

			close(fd);
			return err;
		}
		done += r / 8;
	}
	close(fd);
	return 0;
}

static const struct {
	const char *mn;
	uint64_t bit;
} vmflag_names[] = {
	{ "rd", PTSCOPE_VMA_F_READ },		{ "wr", PTSCOPE_VMA_F_WRITE },
	{ "ex", PTSCOPE_VMA_F_EXEC },		{ "sh", PTSCOPE_VMA_F_SHARED },
	{ "mr", PTSCOPE_VMA_F_MAYREAD },	{ "mw", PTSCOPE_VMA_F_MAYWRITE },
	{ "me", PTSCOPE_VMA_F_MAYEXEC },	{ "ms", PTSCOPE_VMA_F_MAYSHARE },
	{ "gd", PTSCOPE_VMA_F_GROWSDOWN },	{ "pf", PTSCOPE_VMA_F_PFNMAP },
	{ "lo", PTSCOPE_VMA_F_LOCKED },		{ "io", PTSCOPE_VMA_F_IO },
	{ "sr", PTSCOPE_VMA_F_SEQ_READ },	{ "rr", PTSCOPE_VMA_F_RAND_READ },
	{ "dc", PTSCOPE_VMA_F_DONTCOPY },	{ "de", PTSCOPE_VMA_F_DONTEXPAND },
	{ "ac", PTSCOPE_VMA_F_ACCOUNT },	{ "nr", PTSCOPE_VMA_F_NORESERVE },
	{ "ht", PTSCOPE_VMA_F_HUGETLB },	{ "sf", PTSCOPE_VMA_F_SYNC },
	{ "wf", PTSCOPE_VMA_F_WIPEONFORK },	{ "dd", PTSCOPE_VMA_F_DONTDUMP },
	{ "sd", PTSCOPE_VMA_F_SOFTDIRTY },	{ "mm", PTSCOPE_VMA_F_MIXEDMAP },
	{ "hg", PTSCOPE_VMA_F_HUGEPAGE },	{ "nh", PTSCOPE_VMA_F_NOHUGEPAGE },
	{ "mg", PTSCOPE_VMA_F_MERGEABLE },	{ "um", PTSCOPE_VMA_F_UFFD_MISSING },
	{ "uw", PTSCOPE_VMA_F_UFFD_WP },	{ "lf", PTSCOPE_VMA_F_LOCKONFAULT },
};

static uint64_t parse_vmflags(const char *s)
{
	uint64_t f = 0;
	char mn[3];

	while (*s) {
		while (*s == ' ')
			s++;
		if (!s[0] || !s[1] || s[0] == '\n')
			break;
		mn[0] = s[0];
		mn[1] = s[1];
		mn[2] = '\0';
		for (size_t i = 0; i < sizeof(vmflag_names) / sizeof(vmflag_names[0]); i++)
			if (!strcmp(mn, vmflag_names[i].mn))
				f |= vmflag_names[i].bit;
		s += 2;
	}
	return f;
}

int smaps_read(pid_t pid, struct smaps *s)
{
	char path[64], line[4400];
	struct smaps_vma *cur = NULL;
	FILE *f;

	s->n = 0;
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, b, off, ino, kb;
		unsigned int maj, min;
		char perms[8];
		int pos = 0;

		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &a, &b, perms,
			   &off, &maj, &min, &ino, &pos) == 7 && pos > 0) {
			if (s->n == s->cap) {
				size_t cap = s->cap ? 2 * s->cap : 64;
				void *p = realloc(s->v, cap * sizeof(*s->v));

				if (!p) {
					fclose(f);
					return -ENOMEM;
				}
				s->v = p;
				s->cap = cap;
			}
			cur = &s->v[s->n++];
			memset(cur, 0, sizeof(*cur));
			cur->start = a;
			cur->end = b;
			memcpy(cur->perms, perms, 4);
			cur->perms[4] = '\0';
			cur->pgoff = off;
			cur->dev_major = maj;
			cur->dev_minor = min;
			cur->inode = ino;
			snprintf(cur->name, sizeof(cur->name), "%s", line + pos);
			cur->name[strcspn(cur->name, "\n")] = '\0';
		} else if (cur && sscanf(line, "Rss: %llu kB", &kb) == 1) {
			cur->rss_kb = kb;
		} else if (cur && sscanf(line, "AnonHugePages: %llu kB", &kb) == 1) {
			cur->anon_huge_kb = kb;
		} else if (cur && !strncmp(line, "VmFlags:", 8)) {
			cur->vmflags = parse_vmflags(line + 8);
			cur->has_vmflags = true;
		}
	}
	fclose(f);
	return 0;
}

void smaps_free(struct smaps *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

const struct smaps_vma *smaps_find(const struct smaps *s, uint64_t start)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].start == start)
			return &s->v[i];
	return NULL;
}

int clear_refs(pid_t pid, int type)
{
	char path[64], val[8];

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	snprintf(val, sizeof(val), "%d", type);
	return write_file(path, val);
}
