// SPDX-License-Identifier: GPL-2.0
/*
 * VMA description: what /proc/PID/maps and smaps say about a VMA, in a
 * stable encoding that does not depend on the kernel's VM_* bit layout.
 */
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/limits.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <net/netlink.h>
#include <linux/ptscope.h>

#include "compat.h"
#include "attr.h"
#include "vma.h"

static const struct {
	unsigned long vm;
	u64 flag;
} vm_flag_map[] = {
	{ VM_READ,		PTSCOPE_VMA_F_READ },
	{ VM_WRITE,		PTSCOPE_VMA_F_WRITE },
	{ VM_EXEC,		PTSCOPE_VMA_F_EXEC },
	{ VM_SHARED,		PTSCOPE_VMA_F_SHARED },
	{ VM_MAYREAD,		PTSCOPE_VMA_F_MAYREAD },
	{ VM_MAYWRITE,		PTSCOPE_VMA_F_MAYWRITE },
	{ VM_MAYEXEC,		PTSCOPE_VMA_F_MAYEXEC },
	{ VM_MAYSHARE,		PTSCOPE_VMA_F_MAYSHARE },
	{ VM_GROWSDOWN,		PTSCOPE_VMA_F_GROWSDOWN },
	{ VM_PFNMAP,		PTSCOPE_VMA_F_PFNMAP },
	{ VM_LOCKED,		PTSCOPE_VMA_F_LOCKED },
	{ VM_IO,		PTSCOPE_VMA_F_IO },
	{ VM_SEQ_READ,		PTSCOPE_VMA_F_SEQ_READ },
	{ VM_RAND_READ,		PTSCOPE_VMA_F_RAND_READ },
	{ VM_DONTCOPY,		PTSCOPE_VMA_F_DONTCOPY },
	{ VM_DONTEXPAND,	PTSCOPE_VMA_F_DONTEXPAND },
	{ VM_ACCOUNT,		PTSCOPE_VMA_F_ACCOUNT },
	{ VM_NORESERVE,		PTSCOPE_VMA_F_NORESERVE },
	{ VM_HUGETLB,		PTSCOPE_VMA_F_HUGETLB },
	{ VM_SYNC,		PTSCOPE_VMA_F_SYNC },
	{ VM_WIPEONFORK,	PTSCOPE_VMA_F_WIPEONFORK },
	{ VM_DONTDUMP,		PTSCOPE_VMA_F_DONTDUMP },
	{ VM_SOFTDIRTY,		PTSCOPE_VMA_F_SOFTDIRTY },
	{ VM_MIXEDMAP,		PTSCOPE_VMA_F_MIXEDMAP },
	{ VM_HUGEPAGE,		PTSCOPE_VMA_F_HUGEPAGE },
	{ VM_NOHUGEPAGE,	PTSCOPE_VMA_F_NOHUGEPAGE },
	{ VM_MERGEABLE,		PTSCOPE_VMA_F_MERGEABLE },
	{ VM_UFFD_MISSING,	PTSCOPE_VMA_F_UFFD_MISSING },
	{ VM_UFFD_WP,		PTSCOPE_VMA_F_UFFD_WP },
	{ VM_LOCKONFAULT,	PTSCOPE_VMA_F_LOCKONFAULT },
};

static u64 vma_flags(vm_flags_t vm_flags)
{
	u64 flags = 0;
	size_t i;

	/* Flags compiled out on this kernel are VM_NONE and never match. */
	for (i = 0; i < ARRAY_SIZE(vm_flag_map); i++)
		if (vm_flag_map[i].vm && (vm_flags & vm_flag_map[i].vm))
			flags |= vm_flag_map[i].flag;
	return flags;
}

/* vma_flags(), translating each of the last two flag words once. */
static u64 vma_flags_cached(struct ptscope_vma_enc *e, vm_flags_t vm_flags)
{
	if (vm_flags == e->vm_flags[0])
		return e->flags[0];
	if (vm_flags != e->vm_flags[1]) {
		e->vm_flags[1] = vm_flags;
		e->flags[1] = vma_flags(vm_flags);
	}
	/* Most recent first. */
	swap(e->vm_flags[0], e->vm_flags[1]);
	swap(e->flags[0], e->flags[1]);
	return e->flags[0];
}

static const struct {
	u32 attr;
	u32 mask;
} vma_counters[PTSCOPE_VMA_NR_COUNTERS] = {
#define PTSCOPE_VMA_COUNTER(attr, mask, ...) { PTSCOPE_VMA_A_NR_##attr, mask },
#include "vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
};

void ptscope_vma_count_span(struct ptscope_vma_counts *c,
			    const struct ptscope_span *s)
{
	int i;

	for (i = 0; i < PTSCOPE_VMA_NR_COUNTERS; i++)
		if ((s->flags & vma_counters[i].mask) == vma_counters[i].mask)
			c->n[i] += s->nr_pages;
}

/* Name and kind, in the order show_map_vma() decides them. */
static u32 vma_kind(struct vm_area_struct *vma, const char **name,
		    char *path_buf)
{
	struct file *file = vma->vm_file;

	if (file) {
		char *path = d_path(&file->f_path, path_buf, PATH_MAX);

		*name = IS_ERR(path) ? "" : path;
		/*
		 * Shared mappings of shmem: MAP_SHARED|MAP_ANONYMOUS, SysV
		 * shm, memfd, tmpfs files.  shmem_mapping() is not exported
		 * on every supported kernel; the superblock magic says the same.
		 * Ask the mapping's owner, not the opened inode: a block
		 * device node on devtmpfs is a tmpfs inode too.
		 */
		if ((vma->vm_flags & VM_MAYSHARE) &&
		    file->f_mapping->host->i_sb->s_magic == TMPFS_MAGIC)
			return PTSCOPE_VMA_KIND_SHMEM;
		return PTSCOPE_VMA_KIND_FILE;
	}
	if (vma->vm_ops && vma->vm_ops->name) {
		*name = vma->vm_ops->name(vma);
		if (*name)
			return PTSCOPE_VMA_KIND_SPECIAL;
	}
	/* arch_vma_name() is not exported; on x86 it names nothing anyway. */
	if (vma_is_initial_heap(vma)) {
		*name = "[heap]";
		return PTSCOPE_VMA_KIND_HEAP;
	}
	if (vma_is_initial_stack(vma)) {
		*name = "[stack]";
		return PTSCOPE_VMA_KIND_STACK;
	}
#ifdef CONFIG_ANON_VMA_NAME
	if (vma->anon_name) {
		*name = vma->anon_name->name;
		return PTSCOPE_VMA_KIND_ANON_NAMED;
	}
#endif
	*name = "";
	return PTSCOPE_VMA_KIND_ANON;
}

int ptscope_vma_put(struct sk_buff *skb, struct vm_area_struct *vma,
		    struct ptscope_vma_enc *enc)
{
	const char *name;
	u32 kind = vma_kind(vma, &name, enc->path_buf);
	size_t name_len = strlen(name) + 1;
	struct inode *inode = NULL;
	unsigned int size;
	u64 pgoff = 0;
	void *p;

	size = 4 * nla_total_size(sizeof(u64)) + nla_total_size(sizeof(u32)) +
	       nla_total_size(name_len);
	if (vma->vm_file) {
		inode = file_inode(vma->vm_file);
		pgoff = (u64)vma->vm_pgoff << PAGE_SHIFT;
		size += nla_total_size(sizeof(u64)) + nla_total_size(sizeof(u32));
	}
	if (skb_tailroom(skb) < size)
		return -EMSGSIZE;

	p = __skb_put(skb, size);
	p = ptscope_attr_put_u64(p, PTSCOPE_VMA_A_START, vma->vm_start);
	p = ptscope_attr_put_u64(p, PTSCOPE_VMA_A_END, vma->vm_end);
	p = ptscope_attr_put_u64(p, PTSCOPE_VMA_A_PGOFF, pgoff);
	p = ptscope_attr_put_u64(p, PTSCOPE_VMA_A_FLAGS,
				 vma_flags_cached(enc, vma->vm_flags));
	p = ptscope_attr_put_u32(p, PTSCOPE_VMA_A_KIND, kind);
	p = ptscope_attr_put(p, PTSCOPE_VMA_A_NAME, name, name_len);
	if (inode) {
		p = ptscope_attr_put_u64(p, PTSCOPE_VMA_A_INODE, inode->i_ino);
		ptscope_attr_put_u32(p, PTSCOPE_VMA_A_DEV,
				     new_encode_dev(inode->i_sb->s_dev));
	}
	return 0;
}

int ptscope_vma_counts_put(struct sk_buff *skb,
			   const struct ptscope_vma_counts *c)
{
	unsigned int i, nr = 0;
	void *p;

	/* NR_PRESENT says the counts were taken; absent means 0. */
	for (i = 0; i < PTSCOPE_VMA_NR_COUNTERS; i++)
		nr += c->n[i] || i == PTSCOPE_VMA_COUNTER_PRESENT;
	if (skb_tailroom(skb) < nr * nla_total_size(sizeof(u64)))
		return -EMSGSIZE;
	p = __skb_put(skb, nr * nla_total_size(sizeof(u64)));
	for (i = 0; i < PTSCOPE_VMA_NR_COUNTERS; i++)
		if (c->n[i] || i == PTSCOPE_VMA_COUNTER_PRESENT)
			p = ptscope_attr_put_u64(p, vma_counters[i].attr, c->n[i]);
	return 0;
}
