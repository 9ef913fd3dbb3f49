// SPDX-License-Identifier: GPL-2.0
/*
 * libptscope: the "ptscope" generic netlink family over libnl-genl-3.
 *
 * Every request, track_client.c's too, runs through ptscope_request_run()
 * (ptscope_priv.h): send, then receive until the
 * request is finished (ACK for a do, NLMSG_DONE for a dump, NLMSG_ERROR for
 * either).  Errors carry the kernel's real errno (never a libnl NLE_* code
 * when the kernel said something) and the extended ACK text.  A dump is
 * always read to its end, even after an error or an aborting callback, so
 * the socket stays usable and the kernel's dump state is released.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "ptscope_client.h"
#include "ptscope_priv.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Receive buffer: the kernel sizes dump messages after it (up to 32K). */
#define PTSCOPE_RCVBUF	32768
/* Socket receive queue: room for the dump messages the kernel queues. */
#define PTSCOPE_SOCKBUF	(1 << 20)

struct ptscope_client {
	struct nl_sock *sk;
	int family;
	char errmsg[PTSCOPE_ERRMSG_MAX];
};

/* ------------------------------------------------------------------ */
/* Errors */

int ptscope_nlerr_to_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_SUCCESS:		return 0;
	case NLE_INTR:			return -EINTR;
	case NLE_BAD_SOCK:		return -EBADF;
	case NLE_AGAIN:			return -EAGAIN;
	case NLE_NOMEM:			return -ENOMEM;
	case NLE_EXIST:			return -EEXIST;
	case NLE_INVAL:			return -EINVAL;
	case NLE_RANGE:			return -ERANGE;
	case NLE_MSGSIZE:		return -EMSGSIZE;
	case NLE_OPNOTSUPP:		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:		return -ENOENT;
	case NLE_NOATTR:		return -ENODATA;
	case NLE_MISSING_ATTR:		return -EINVAL;
	case NLE_AF_MISMATCH:		return -EAFNOSUPPORT;
	case NLE_SEQ_MISMATCH:		return -EPROTO;
	case NLE_MSG_OVERFLOW:		return -ENOBUFS;
	case NLE_MSG_TRUNC:		return -EMSGSIZE;
	case NLE_NOADDR:		return -EADDRNOTAVAIL;
	case NLE_SRCRT_NOSUPPORT:	return -EOPNOTSUPP;
	case NLE_MSG_TOOSHORT:		return -EBADMSG;
	case NLE_MSGTYPE_NOSUPPORT:	return -EOPNOTSUPP;
	case NLE_OBJ_MISMATCH:		return -EINVAL;
	case NLE_NOCACHE:		return -ENOENT;
	case NLE_BUSY:			return -EBUSY;
	case NLE_PROTO_MISMATCH:	return -EPROTONOSUPPORT;
	case NLE_NOACCESS:		return -EACCES;
	case NLE_PERM:			return -EPERM;
	case NLE_PKTLOC_FILE:		return -ENOENT;
	case NLE_PARSE_ERR:		return -EBADMSG;
	case NLE_NODEV:			return -ENODEV;
	case NLE_IMMUTABLE:		return -EPERM;
	case NLE_DUMP_INTR:		return -EINTR;
	case NLE_ATTRSIZE:		return -ERANGE;
	default:			return -EIO;
	}
}

static void set_msg(struct ptscope_client *c, const char *fmt, const char *arg)
{
	snprintf(c->errmsg, sizeof(c->errmsg), fmt, arg);
}

/* Names of the request attributes a kernel may report as missing. */
static const char *request_attr_name(uint32_t type)
{
	switch (type) {
	case PTSCOPE_A_PID:	return "PID";
	case PTSCOPE_A_START:	return "START";
	case PTSCOPE_A_END:	return "END";
	case PTSCOPE_A_ADDR:	return "ADDR";
	case PTSCOPE_A_FLAGS:	return "FLAGS";
	default:		return NULL;
	}
}

void ptscope_extack_msg(const struct nlmsghdr *nlh, char *buf, size_t len)
{
	static struct nla_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG]		= { .type = NLA_UNSPEC },
		[NLMSGERR_ATTR_OFFS]		= { .type = NLA_U32 },
		[NLMSGERR_ATTR_MISS_TYPE]	= { .type = NLA_U32 },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off;

	if (!len)
		return;
	buf[0] = '\0';
	if (nlh->nlmsg_len < NLMSG_HDRLEN || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e));
		if (nlh->nlmsg_len < off)
			return;
		/* Uncapped, the kernel echoes our whole request first. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN)
				return;
			off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));
	} else {
		return;
	}
	if (off >= nlh->nlmsg_len)
		return;

	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + off),
		      (int)(nlh->nlmsg_len - off), policy) < 0)
		return;

	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		const char *s = nla_data(tb[NLMSGERR_ATTR_MSG]);
		size_t n = strnlen(s, (size_t)nla_len(tb[NLMSGERR_ATTR_MSG]));

		/* The kernel adds a newline to some messages; drop it. */
		while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
			n--;
		if (n >= len)
			n = len - 1;
		memcpy(buf, s, n);
		buf[n] = '\0';
	} else if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		uint32_t type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		const char *name = request_attr_name(type);

		if (name)
			snprintf(buf, len, "missing attribute %s", name);
		else
			snprintf(buf, len, "missing attribute %u", type);
	}
}

/* ------------------------------------------------------------------ */
/* Reply parsing */

static void copy_str(char *dst, size_t len, const struct nlattr *nla)
{
	const char *s = nla_data(nla);
	size_t n = strnlen(s, (size_t)nla_len(nla));

	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static struct nla_policy top_policy[PTSCOPE_A_MAX + 1] = {
	[PTSCOPE_A_PID]		= { .type = NLA_U32 },
	[PTSCOPE_A_START]	= { .type = NLA_U64 },
	[PTSCOPE_A_END]		= { .type = NLA_U64 },
	[PTSCOPE_A_ADDR]	= { .type = NLA_U64 },
	[PTSCOPE_A_FLAGS]	= { .type = NLA_U32 },
	[PTSCOPE_A_INFO]	= { .type = NLA_NESTED },
	[PTSCOPE_A_VMA]		= { .type = NLA_NESTED },
	[PTSCOPE_A_RUN]		= { .type = NLA_NESTED },
	[PTSCOPE_A_XLATE]	= { .type = NLA_NESTED },
	[PTSCOPE_A_DEPTH]	= { .type = NLA_U32 },
	[PTSCOPE_A_TABLE]	= { .type = NLA_NESTED },
	[PTSCOPE_A_LEVEL_STATS]	= { .type = NLA_NESTED },
	[PTSCOPE_A_BLOCK]	= { .type = NLA_NESTED },
	[PTSCOPE_A_STATS]	= { .type = NLA_NESTED },
	[PTSCOPE_A_COUNT]	= { .type = NLA_U32 },
};

int ptscope_parse_info(struct nlattr *nest, struct ptscope_info *out)
{
	static struct nla_policy policy[PTSCOPE_INFO_A_MAX + 1] = {
		[PTSCOPE_INFO_A_MODULE_VERSION]	= { .type = NLA_STRING },
		[PTSCOPE_INFO_A_PROTO_VERSION]	= { .type = NLA_U32 },
		[PTSCOPE_INFO_A_KERNEL_RELEASE]	= { .type = NLA_STRING },
		[PTSCOPE_INFO_A_PAGE_SIZE]	= { .type = NLA_U32 },
		[PTSCOPE_INFO_A_PGTABLE_LEVELS]	= { .type = NLA_U32 },
		[PTSCOPE_INFO_A_USER_VA_END]	= { .type = NLA_U64 },
		[PTSCOPE_INFO_A_FEATURES]	= { .type = NLA_U64 },
		[PTSCOPE_INFO_A_PRIVILEGED]	= { .type = NLA_U8 },
		[PTSCOPE_INFO_A_ALLOW_SAME_USER] = { .type = NLA_U8 },
		[PTSCOPE_INFO_A_LIVE_DUMPS]	= { .type = NLA_U32 },
		[PTSCOPE_INFO_A_LOCK_HOLDS]	= { .type = NLA_U64 },
		[PTSCOPE_INFO_A_LOCK_HOLD_MAX_NS] = { .type = NLA_U64 },
		[PTSCOPE_INFO_A_LOCK_HOLD_TOTAL_NS] = { .type = NLA_U64 },
		[PTSCOPE_INFO_A_TRACKED]	= { .type = NLA_U32 },
		[PTSCOPE_INFO_A_MAX_TRACKED]	= { .type = NLA_U32 },
		[PTSCOPE_INFO_A_TRACK_OBJECTS]	= { .type = NLA_U32 },
		[PTSCOPE_INFO_A_PROBES]		= { .type = NLA_U64 },
		[PTSCOPE_INFO_A_PROBES_ACTIVE]	= { .type = NLA_U64 },
	};
	struct nlattr *tb[PTSCOPE_INFO_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (nla_parse_nested(tb, PTSCOPE_INFO_A_MAX, nest, policy) < 0)
		return -EPROTO;
	if (tb[PTSCOPE_INFO_A_MODULE_VERSION])
		copy_str(out->module_version, sizeof(out->module_version),
			 tb[PTSCOPE_INFO_A_MODULE_VERSION]);
	if (tb[PTSCOPE_INFO_A_PROTO_VERSION])
		out->proto_version = nla_get_u32(tb[PTSCOPE_INFO_A_PROTO_VERSION]);
	if (tb[PTSCOPE_INFO_A_KERNEL_RELEASE])
		copy_str(out->kernel_release, sizeof(out->kernel_release),
			 tb[PTSCOPE_INFO_A_KERNEL_RELEASE]);
	if (tb[PTSCOPE_INFO_A_PAGE_SIZE])
		out->page_size = nla_get_u32(tb[PTSCOPE_INFO_A_PAGE_SIZE]);
	if (tb[PTSCOPE_INFO_A_PGTABLE_LEVELS])
		out->pgtable_levels = nla_get_u32(tb[PTSCOPE_INFO_A_PGTABLE_LEVELS]);
	if (tb[PTSCOPE_INFO_A_USER_VA_END])
		out->user_va_end = nla_get_u64(tb[PTSCOPE_INFO_A_USER_VA_END]);
	if (tb[PTSCOPE_INFO_A_FEATURES])
		out->features = nla_get_u64(tb[PTSCOPE_INFO_A_FEATURES]);
	if (tb[PTSCOPE_INFO_A_PRIVILEGED])
		out->privileged = nla_get_u8(tb[PTSCOPE_INFO_A_PRIVILEGED]);
	if (tb[PTSCOPE_INFO_A_ALLOW_SAME_USER])
		out->allow_same_user = nla_get_u8(tb[PTSCOPE_INFO_A_ALLOW_SAME_USER]);
	if (tb[PTSCOPE_INFO_A_LIVE_DUMPS])
		out->live_dumps = nla_get_u32(tb[PTSCOPE_INFO_A_LIVE_DUMPS]);
	if (tb[PTSCOPE_INFO_A_LOCK_HOLDS])
		out->lock_holds = nla_get_u64(tb[PTSCOPE_INFO_A_LOCK_HOLDS]);
	if (tb[PTSCOPE_INFO_A_LOCK_HOLD_MAX_NS])
		out->lock_hold_max_ns =
			nla_get_u64(tb[PTSCOPE_INFO_A_LOCK_HOLD_MAX_NS]);
	if (tb[PTSCOPE_INFO_A_LOCK_HOLD_TOTAL_NS])
		out->lock_hold_total_ns =
			nla_get_u64(tb[PTSCOPE_INFO_A_LOCK_HOLD_TOTAL_NS]);
	if (tb[PTSCOPE_INFO_A_TRACKED])
		out->tracked = nla_get_u32(tb[PTSCOPE_INFO_A_TRACKED]);
	if (tb[PTSCOPE_INFO_A_MAX_TRACKED])
		out->max_tracked = nla_get_u32(tb[PTSCOPE_INFO_A_MAX_TRACKED]);
	if (tb[PTSCOPE_INFO_A_TRACK_OBJECTS])
		out->track_objects = nla_get_u32(tb[PTSCOPE_INFO_A_TRACK_OBJECTS]);
	if (tb[PTSCOPE_INFO_A_PROBES])
		out->probes = nla_get_u64(tb[PTSCOPE_INFO_A_PROBES]);
	if (tb[PTSCOPE_INFO_A_PROBES_ACTIVE])
		out->probes_active = nla_get_u64(tb[PTSCOPE_INFO_A_PROBES_ACTIVE]);
	return 0;
}

int ptscope_parse_vma(struct nlattr *nest, struct ptscope_vma *out)
{
	static struct nla_policy policy[PTSCOPE_VMA_A_MAX + 1] = {
		[PTSCOPE_VMA_A_START]		= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_END]		= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_PGOFF]		= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_FLAGS]		= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_KIND]		= { .type = NLA_U32 },
		[PTSCOPE_VMA_A_NAME]		= { .type = NLA_STRING },
		[PTSCOPE_VMA_A_INODE]		= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_DEV]		= { .type = NLA_U32 },
		[PTSCOPE_VMA_A_NR_PRESENT]	= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_NR_ACCESSED]	= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_NR_DIRTY]	= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_NR_WRITABLE]	= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_NR_SWAP]		= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_NR_SOFT_DIRTY]	= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_NR_HUGE_PMD]	= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_NR_HUGE_PUD]	= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_NR_MIGRATION]	= { .type = NLA_U64 },
		[PTSCOPE_VMA_A_NR_PROTNONE]	= { .type = NLA_U64 },
	};
	static const struct {
		int attr;
		size_t off;
	} counts[] = {
		{ PTSCOPE_VMA_A_NR_PRESENT, offsetof(struct ptscope_vma, nr_present) },
		{ PTSCOPE_VMA_A_NR_ACCESSED, offsetof(struct ptscope_vma, nr_accessed) },
		{ PTSCOPE_VMA_A_NR_DIRTY, offsetof(struct ptscope_vma, nr_dirty) },
		{ PTSCOPE_VMA_A_NR_WRITABLE, offsetof(struct ptscope_vma, nr_writable) },
		{ PTSCOPE_VMA_A_NR_SWAP, offsetof(struct ptscope_vma, nr_swap) },
		{ PTSCOPE_VMA_A_NR_SOFT_DIRTY, offsetof(struct ptscope_vma, nr_soft_dirty) },
		{ PTSCOPE_VMA_A_NR_HUGE_PMD, offsetof(struct ptscope_vma, nr_huge_pmd) },
		{ PTSCOPE_VMA_A_NR_HUGE_PUD, offsetof(struct ptscope_vma, nr_huge_pud) },
		{ PTSCOPE_VMA_A_NR_MIGRATION, offsetof(struct ptscope_vma, nr_migration) },
		{ PTSCOPE_VMA_A_NR_PROTNONE, offsetof(struct ptscope_vma, nr_protnone) },
	};
	const size_t name_end = offsetof(struct ptscope_vma, name) + sizeof(out->name);
	struct nlattr *tb[PTSCOPE_VMA_A_MAX + 1];
	size_t i;

	/*
	 * Everything but the PATH_MAX name, which only needs its terminator:
	 * clearing 4 KiB for each of 10,000 VMAs shows, under emulation.
	 */
	memset(out, 0, offsetof(struct ptscope_vma, name));
	out->name[0] = '\0';
	memset((char *)out + name_end, 0, sizeof(*out) - name_end);
	if (nla_parse_nested(tb, PTSCOPE_VMA_A_MAX, nest, policy) < 0)
		return -EPROTO;
	if (!tb[PTSCOPE_VMA_A_START] || !tb[PTSCOPE_VMA_A_END])
		return -EPROTO;
	out->start = nla_get_u64(tb[PTSCOPE_VMA_A_START]);
	out->end = nla_get_u64(tb[PTSCOPE_VMA_A_END]);
	if (tb[PTSCOPE_VMA_A_PGOFF])
		out->pgoff = nla_get_u64(tb[PTSCOPE_VMA_A_PGOFF]);
	if (tb[PTSCOPE_VMA_A_FLAGS])
		out->flags = nla_get_u64(tb[PTSCOPE_VMA_A_FLAGS]);
	if (tb[PTSCOPE_VMA_A_KIND])
		out->kind = nla_get_u32(tb[PTSCOPE_VMA_A_KIND]);
	if (tb[PTSCOPE_VMA_A_NAME])
		copy_str(out->name, sizeof(out->name), tb[PTSCOPE_VMA_A_NAME]);
	if (tb[PTSCOPE_VMA_A_INODE])
		out->inode = nla_get_u64(tb[PTSCOPE_VMA_A_INODE]);
	if (tb[PTSCOPE_VMA_A_DEV])
		out->dev = nla_get_u32(tb[PTSCOPE_VMA_A_DEV]);
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		struct nlattr *a = tb[counts[i].attr];

		if (!a)
			continue;
		out->has_counts = true;
		*(uint64_t *)((char *)out + counts[i].off) = nla_get_u64(a);
	}
	return 0;
}

int ptscope_parse_run(struct nlattr *nest, struct ptscope_run *out)
{
	static struct nla_policy policy[PTSCOPE_RUN_A_MAX + 1] = {
		[PTSCOPE_RUN_A_START]		= { .type = NLA_U64 },
		[PTSCOPE_RUN_A_NR_PAGES]	= { .type = NLA_U64 },
		[PTSCOPE_RUN_A_FLAGS]		= { .type = NLA_U32 },
		[PTSCOPE_RUN_A_PFN]		= { .type = NLA_U64 },
		[PTSCOPE_RUN_A_SWAP_TYPE]	= { .type = NLA_U32 },
		[PTSCOPE_RUN_A_SWAP_OFFSET]	= { .type = NLA_U64 },
	};
	struct nlattr *tb[PTSCOPE_RUN_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (nla_parse_nested(tb, PTSCOPE_RUN_A_MAX, nest, policy) < 0)
		return -EPROTO;
	if (!tb[PTSCOPE_RUN_A_START] || !tb[PTSCOPE_RUN_A_NR_PAGES] ||
	    !tb[PTSCOPE_RUN_A_FLAGS])
		return -EPROTO;
	out->start = nla_get_u64(tb[PTSCOPE_RUN_A_START]);
	out->nr_pages = nla_get_u64(tb[PTSCOPE_RUN_A_NR_PAGES]);
	out->flags = nla_get_u32(tb[PTSCOPE_RUN_A_FLAGS]);
	if (tb[PTSCOPE_RUN_A_PFN]) {
		out->has_pfn = true;
		out->pfn = nla_get_u64(tb[PTSCOPE_RUN_A_PFN]);
	}
	if (tb[PTSCOPE_RUN_A_SWAP_TYPE] && tb[PTSCOPE_RUN_A_SWAP_OFFSET]) {
		out->has_swap = true;
		out->swap_type = nla_get_u32(tb[PTSCOPE_RUN_A_SWAP_TYPE]);
		out->swap_offset = nla_get_u64(tb[PTSCOPE_RUN_A_SWAP_OFFSET]);
	}
	return 0;
}

static int parse_level(struct nlattr *nest, struct ptscope_xlate_level *out)
{
	static struct nla_policy policy[PTSCOPE_LEVEL_A_MAX + 1] = {
		[PTSCOPE_LEVEL_A_LEVEL]		= { .type = NLA_U32 },
		[PTSCOPE_LEVEL_A_INDEX]		= { .type = NLA_U32 },
		[PTSCOPE_LEVEL_A_ENTRY]		= { .type = NLA_U64 },
		[PTSCOPE_LEVEL_A_FLAGS]		= { .type = NLA_U32 },
		[PTSCOPE_LEVEL_A_FOLDED]	= { .type = NLA_FLAG },
		[PTSCOPE_LEVEL_A_LEAF]		= { .type = NLA_FLAG },
	};
	struct nlattr *tb[PTSCOPE_LEVEL_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (nla_parse_nested(tb, PTSCOPE_LEVEL_A_MAX, nest, policy) < 0 ||
	    !tb[PTSCOPE_LEVEL_A_LEVEL])
		return -EPROTO;
	out->level = nla_get_u32(tb[PTSCOPE_LEVEL_A_LEVEL]);
	if (tb[PTSCOPE_LEVEL_A_INDEX])
		out->index = nla_get_u32(tb[PTSCOPE_LEVEL_A_INDEX]);
	if (tb[PTSCOPE_LEVEL_A_FLAGS])
		out->flags = nla_get_u32(tb[PTSCOPE_LEVEL_A_FLAGS]);
	if (tb[PTSCOPE_LEVEL_A_ENTRY]) {
		out->has_entry = true;
		out->entry = nla_get_u64(tb[PTSCOPE_LEVEL_A_ENTRY]);
	}
	out->folded = tb[PTSCOPE_LEVEL_A_FOLDED] != NULL;
	out->leaf = tb[PTSCOPE_LEVEL_A_LEAF] != NULL;
	return 0;
}

int ptscope_parse_xlate(struct nlattr *nest, struct ptscope_xlate *out)
{
	static struct nla_policy policy[PTSCOPE_XLATE_A_MAX + 1] = {
		[PTSCOPE_XLATE_A_LEVEL]		= { .type = NLA_NESTED },
		[PTSCOPE_XLATE_A_STOP_LEVEL]	= { .type = NLA_U32 },
		[PTSCOPE_XLATE_A_STOP_REASON]	= { .type = NLA_U32 },
		[PTSCOPE_XLATE_A_FLAGS]		= { .type = NLA_U32 },
		[PTSCOPE_XLATE_A_PAGE_SIZE]	= { .type = NLA_U64 },
		[PTSCOPE_XLATE_A_PHYS_ADDR]	= { .type = NLA_U64 },
		[PTSCOPE_XLATE_A_VMA_START]	= { .type = NLA_U64 },
		[PTSCOPE_XLATE_A_VMA_END]	= { .type = NLA_U64 },
		[PTSCOPE_XLATE_A_SWAP_TYPE]	= { .type = NLA_U32 },
		[PTSCOPE_XLATE_A_SWAP_OFFSET]	= { .type = NLA_U64 },
	};
	struct nlattr *tb[PTSCOPE_XLATE_A_MAX + 1];
	struct nlattr *pos;
	int rem;
	uint64_t addr = out->addr;	/* set by the caller from the reply */

	memset(out, 0, sizeof(*out));
	out->addr = addr;
	if (nla_parse_nested(tb, PTSCOPE_XLATE_A_MAX, nest, policy) < 0 ||
	    !tb[PTSCOPE_XLATE_A_STOP_REASON])
		return -EPROTO;

	/* LEVEL repeats: the parsed table only holds the last one. */
	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) != PTSCOPE_XLATE_A_LEVEL)
			continue;
		if (out->nr_levels >= (int)(sizeof(out->levels) / sizeof(out->levels[0])))
			return -EPROTO;
		if (parse_level(pos, &out->levels[out->nr_levels]) < 0)
			return -EPROTO;
		out->nr_levels++;
	}

	out->stop_reason = nla_get_u32(tb[PTSCOPE_XLATE_A_STOP_REASON]);
	if (tb[PTSCOPE_XLATE_A_STOP_LEVEL])
		out->stop_level = nla_get_u32(tb[PTSCOPE_XLATE_A_STOP_LEVEL]);
	if (tb[PTSCOPE_XLATE_A_FLAGS])
		out->flags = nla_get_u32(tb[PTSCOPE_XLATE_A_FLAGS]);
	if (tb[PTSCOPE_XLATE_A_PAGE_SIZE])
		out->page_size = nla_get_u64(tb[PTSCOPE_XLATE_A_PAGE_SIZE]);
	if (tb[PTSCOPE_XLATE_A_PHYS_ADDR]) {
		out->has_phys = true;
		out->phys_addr = nla_get_u64(tb[PTSCOPE_XLATE_A_PHYS_ADDR]);
	}
	if (tb[PTSCOPE_XLATE_A_VMA_START] && tb[PTSCOPE_XLATE_A_VMA_END]) {
		out->has_vma = true;
		out->vma_start = nla_get_u64(tb[PTSCOPE_XLATE_A_VMA_START]);
		out->vma_end = nla_get_u64(tb[PTSCOPE_XLATE_A_VMA_END]);
	}
	if (tb[PTSCOPE_XLATE_A_SWAP_TYPE] && tb[PTSCOPE_XLATE_A_SWAP_OFFSET]) {
		out->has_swap = true;
		out->swap_type = nla_get_u32(tb[PTSCOPE_XLATE_A_SWAP_TYPE]);
		out->swap_offset = nla_get_u64(tb[PTSCOPE_XLATE_A_SWAP_OFFSET]);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Transport: one request, its replies, its ACK / NLMSG_DONE / error */

static void request_fail(struct ptscope_request *r, int err, const char *msg)
{
	if (r->err)
		return;
	r->err = err;
	if (msg)
		set_msg(r->c, "%s", msg);
}

/* Every message read, ours or not: tells a quiet socket from an EOF. */
static int on_msg_in(struct nl_msg *msg, void *arg)
{
	struct ptscope_request *r = arg;

	(void)msg;
	r->seen++;
	return NL_OK;
}

static int on_seq_check(struct nl_msg *msg, void *arg)
{
	struct ptscope_request *r = arg;

	/* Anything else on the socket (a stale dump, a notification) is not ours. */
	return nlmsg_hdr(msg)->nlmsg_seq == r->seq ? NL_OK : NL_SKIP;
}

/* A reply that breaks the protocol; returns -EPROTO for the reply fn. */
int ptscope_protocol_error(struct ptscope_request *r)
{
	request_fail(r, -EPROTO, "malformed reply from the kernel");
	return -EPROTO;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct ptscope_request *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[PTSCOPE_A_MAX + 1];
	struct genlmsghdr *gh;
	int err;

	if (r->err || nlh->nlmsg_type != r->c->family)
		return NL_OK;
	if (!genlmsg_valid_hdr(nlh, 0)) {
		request_fail(r, -EPROTO, "truncated reply from the kernel");
		return NL_OK;
	}
	gh = nlmsg_data(nlh);
	if (gh->cmd != r->cmd)
		return NL_OK;
	if (genlmsg_parse(nlh, 0, tb, PTSCOPE_A_MAX, top_policy) < 0) {
		ptscope_protocol_error(r);
		return NL_OK;
	}
	r->replies++;
	/* Parse failures are recorded by the reply fn; the rest are the caller's. */
	err = r->reply ? r->reply(r, nlh, tb) : 0;
	if (err < 0)
		request_fail(r, err, NULL);
	return NL_OK;
}

static void kernel_error(struct ptscope_request *r, const struct nlmsghdr *nlh,
			 int error)
{
	r->done = true;
	if (r->err)
		return;
	r->err = error < 0 ? error : -error;
	ptscope_extack_msg(nlh, r->c->errmsg, sizeof(r->c->errmsg));
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct ptscope_request *r = arg;
	/* libnl hands us the payload; the header sits right before it. */
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);

	(void)nla;
	kernel_error(r, nlh, e->error);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct ptscope_request *r = arg;

	(void)msg;
	r->done = true;
	return NL_STOP;
}

/* NLMSG_DONE: the payload is the dump's errno, then extack TLVs. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct ptscope_request *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int error = 0;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		memcpy(&error, nlmsg_data(nlh), sizeof(error));
	if (error)
		kernel_error(r, nlh, error);
	r->done = true;
	return NL_STOP;
}

int ptscope_request_run(struct ptscope_request *r, struct nl_msg *msg)
{
	struct ptscope_client *c = r->c;
	struct nl_cb *sock_cb, *cb;
	int err;

	c->errmsg[0] = '\0';
	sock_cb = nl_socket_get_cb(c->sk);
	cb = sock_cb ? nl_cb_clone(sock_cb) : NULL;
	nl_cb_put(sock_cb);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_MSG_IN, NL_CB_CUSTOM, on_msg_in, r);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, r);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, r);

	err = nl_send_auto(c->sk, msg);
	if (err < 0) {
		err = ptscope_nlerr_to_errno(err);
		goto out;
	}
	r->seq = nlmsg_hdr(msg)->nlmsg_seq;

	while (!r->done) {
		unsigned long seen = r->seen;

		err = nl_recvmsgs(c->sk, cb);
		if (r->done)
			break;
		if (err < 0) {
			request_fail(r, ptscope_nlerr_to_errno(err), NULL);
			break;
		}
		if (r->seen == seen) {
			/* nl_recv() returns 0 at end of file; do not spin. */
			request_fail(r, -EIO, "netlink socket closed");
			break;
		}
	}
	err = r->err;
out:
	nl_cb_put(cb);
	return err;
}

struct nl_msg *ptscope_request_new(struct ptscope_client *c, uint8_t cmd,
				    int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0, flags,
			 cmd, PTSCOPE_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* A do request: the reply, then an ACK (NLM_F_ACK) that ends it. */
int ptscope_request_do(struct ptscope_request *r, struct nl_msg *msg)
{
	int err = ptscope_request_run(r, msg);

	if (!err && r->replies != 1) {
		set_msg(r->c, "%s", r->replies ? "more than one reply" :
			"the kernel acknowledged without a reply");
		err = -EPROTO;
	}
	return err;
}

/* ------------------------------------------------------------------ */
/* Public API */

int ptscope_open_sock(struct ptscope_client **out, struct nl_sock *sk,
		      int family)
{
	struct ptscope_client *c = calloc(1, sizeof(*c));
	*out = NULL;
	if (!c) {
		nl_socket_free(sk);
		return -ENOMEM;
	}
	c->sk = sk;
	c->family = family;
	*out = c;
	return 0;
}

int ptscope_open(struct ptscope_client **out)
{
	struct nl_sock *sk;
	int one = 1;
	int err, family;

	*out = NULL;
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	err = genl_connect(sk);
	if (err < 0) {
		nl_socket_free(sk);
		return ptscope_nlerr_to_errno(err);
	}
	/*
	 * Without EXT_ACK the kernel's reasons are lost; CAP_ACK keeps error
	 * replies from echoing our request.  Kernels older than 4.12 lack
	 * them, which only costs the messages, hence no error check.
	 */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/* Peeking lets libnl grow its buffer instead of truncating a message. */
	nl_socket_enable_msg_peek(sk);
	nl_socket_set_msg_buf_size(sk, PTSCOPE_RCVBUF);
	/*
	 * A deep receive queue keeps the kernel refilling it while we parse;
	 * capped by net.core.rmem_max, which is fine: it is only speed.
	 */
	nl_socket_set_buffer_size(sk, PTSCOPE_SOCKBUF, 0);

	family = genl_ctrl_resolve(sk, PTSCOPE_GENL_NAME);
	if (family < 0) {
		nl_socket_free(sk);
		return ptscope_nlerr_to_errno(family);
	}
	/* ptscope_request_run() asks for ACKs itself: dumps must not carry NLM_F_ACK. */
	nl_socket_disable_auto_ack(sk);
	return ptscope_open_sock(out, sk, family);
}

void ptscope_close(struct ptscope_client *c)
{
	if (!c)
		return;
	nl_socket_free(c->sk);
	free(c);
}

const char *ptscope_errmsg(const struct ptscope_client *c)
{
	return c ? c->errmsg : "";
}

/* get-info */

static int info_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
		      struct nlattr **tb)
{
	(void)nlh;
	if (!tb[PTSCOPE_A_INFO] || ptscope_parse_info(tb[PTSCOPE_A_INFO], r->arg))
		return ptscope_protocol_error(r);
	return 0;
}

int ptscope_get_info_flags(struct ptscope_client *c, uint32_t flags,
			   struct ptscope_info *info)
{
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_GET_INFO, .reply = info_reply,
		.arg = info,
	};
	struct nl_msg *msg;
	int err;

	if (!c || !info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	msg = ptscope_request_new(c, PTSCOPE_CMD_GET_INFO, NLM_F_ACK);
	if (!msg)
		return -ENOMEM;
	if (flags && nla_put_u32(msg, PTSCOPE_A_FLAGS, flags) < 0)
		err = -ENOMEM;
	else
		err = ptscope_request_do(&r, msg);
	nlmsg_free(msg);
	return err;
}

int ptscope_get_info(struct ptscope_client *c, struct ptscope_info *info)
{
	return ptscope_get_info_flags(c, 0, info);
}

/* get-vmas */

struct vmas_ctx {
	ptscope_vma_cb cb;
	void *arg;
	struct ptscope_vma vma;
};

static int vmas_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
		      struct nlattr **tb)
{
	struct vmas_ctx *v = r->arg;
	int err;

	(void)nlh;
	if (!tb[PTSCOPE_A_VMA] || ptscope_parse_vma(tb[PTSCOPE_A_VMA], &v->vma))
		return ptscope_protocol_error(r);
	err = v->cb(&v->vma, v->arg);
	return err < 0 ? err : 0;
}

static int put_range(struct nl_msg *msg, pid_t pid, uint64_t start,
		     uint64_t end, uint32_t flags)
{
	if (nla_put_u32(msg, PTSCOPE_A_PID, (uint32_t)pid) < 0 ||
	    (start && nla_put_u64(msg, PTSCOPE_A_START, start) < 0) ||
	    (end && nla_put_u64(msg, PTSCOPE_A_END, end) < 0) ||
	    (flags && nla_put_u32(msg, PTSCOPE_A_FLAGS, flags) < 0))
		return -ENOMEM;
	return 0;
}

/*
 * A dump.  After a callback aborts, the rest is still read (not passed
 * on): the kernel frees its dump state at NLMSG_DONE, and leftovers would
 * otherwise be waiting on the socket for the next request.
 */
static int dump_request(struct ptscope_request *r, struct nl_msg *msg, pid_t pid,
			uint64_t start, uint64_t end, uint32_t flags)
{
	int err = put_range(msg, pid, start, end, flags);

	if (err)
		return err;
	return ptscope_request_run(r, msg);
}

int ptscope_get_vmas(struct ptscope_client *c, pid_t pid,
		     uint64_t start, uint64_t end, uint32_t flags,
		     ptscope_vma_cb cb, void *arg)
{
	struct vmas_ctx *v;
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_GET_VMAS, .reply = vmas_reply,
	};
	struct nl_msg *msg;
	int err;

	if (!c || !cb)
		return -EINVAL;
	/* struct ptscope_vma holds a PATH_MAX name: keep it off the stack. */
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->cb = cb;
	v->arg = arg;
	r.arg = v;
	msg = ptscope_request_new(c, PTSCOPE_CMD_GET_VMAS, NLM_F_DUMP);
	err = msg ? dump_request(&r, msg, pid, start, end, flags) : -ENOMEM;
	nlmsg_free(msg);
	free(v);
	return err;
}

/* get-pages */

struct pages_ctx {
	ptscope_run_cb cb;
	void *arg;
	unsigned int page_shift;
};

/*
 * A block: one flags word per page.  It holds whole runs of one VMA (the
 * kernel never cuts a run into a block and something else), so its
 * maximal runs are found inside it alone, and nothing merges across the
 * boundary between two items: there, flags differ or a VMA ends.
 */
static int expand_block(struct ptscope_request *r, struct pages_ctx *p,
			struct nlattr *nest)
{
	static struct nla_policy policy[PTSCOPE_BLOCK_A_MAX + 1] = {
		[PTSCOPE_BLOCK_A_START]		= { .type = NLA_U64 },
		[PTSCOPE_BLOCK_A_FLAGS16]	= { .type = NLA_UNSPEC },
	};
	struct nlattr *tb[PTSCOPE_BLOCK_A_MAX + 1];
	struct ptscope_run run;
	const unsigned char *data;
	size_t i, j, n;
	int err;

	if (nla_parse_nested(tb, PTSCOPE_BLOCK_A_MAX, nest, policy) < 0 ||
	    !tb[PTSCOPE_BLOCK_A_START] || !tb[PTSCOPE_BLOCK_A_FLAGS16] ||
	    nla_len(tb[PTSCOPE_BLOCK_A_FLAGS16]) <= 0 ||
	    nla_len(tb[PTSCOPE_BLOCK_A_FLAGS16]) % sizeof(uint16_t))
		return ptscope_protocol_error(r);
	data = nla_data(tb[PTSCOPE_BLOCK_A_FLAGS16]);
	n = (size_t)nla_len(tb[PTSCOPE_BLOCK_A_FLAGS16]) / sizeof(uint16_t);
	memset(&run, 0, sizeof(run));
	run.start = nla_get_u64(tb[PTSCOPE_BLOCK_A_START]);
	for (i = 0; i < n; i = j) {
		uint16_t f, g;

		/* an attribute's payload is only 4-byte aligned: no casts */
		memcpy(&f, data + i * sizeof(f), sizeof(f));
		for (j = i + 1; j < n; j++) {
			memcpy(&g, data + j * sizeof(g), sizeof(g));
			if (g != f)
				break;
		}
		run.nr_pages = j - i;
		run.flags = f;
		err = p->cb(&run, p->arg);
		if (err < 0)
			return err;
		run.start += (uint64_t)run.nr_pages << p->page_shift;
	}
	return 0;
}

static int pages_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
		       struct nlattr **tb)
{
	struct pages_ctx *p = r->arg;
	struct nlattr *pos;
	int rem, err;

	(void)tb;	/* RUN repeats: walk the message, not the parsed table */
	nla_for_each_attr(pos, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		struct ptscope_run run;

		if (nla_type(pos) == PTSCOPE_A_BLOCK) {
			err = expand_block(r, p, pos);
			if (err < 0)
				return err;
			continue;
		}
		if (nla_type(pos) != PTSCOPE_A_RUN)
			continue;
		if (ptscope_parse_run(pos, &run))
			return ptscope_protocol_error(r);
		/* Runs are maximal as sent: the kernel never splits one. */
		err = p->cb(&run, p->arg);
		if (err < 0)
			return err;
	}
	return 0;
}

/* PTSCOPE_NO_COMPACT=1 in the environment: runs only, as before blocks. */
static bool compact_wanted(uint32_t flags)
{
	const char *env = getenv("PTSCOPE_NO_COMPACT");

	if (flags & PTSCOPE_PAGES_F_PFN_RUNS)
		return false;
	return !env || !env[0] || !strcmp(env, "0");
}

int ptscope_get_pages(struct ptscope_client *c, pid_t pid,
		      uint64_t start, uint64_t end, uint32_t flags,
		      ptscope_run_cb cb, void *arg)
{
	long page_size = sysconf(_SC_PAGESIZE);
	struct pages_ctx p = { .cb = cb, .arg = arg, .page_shift = 12 };
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_GET_PAGES, .reply = pages_reply,
		.arg = &p,
	};
	struct nl_msg *msg;
	int err;

	if (!c || !cb)
		return -EINVAL;
	if (page_size > 0)
		p.page_shift = (unsigned int)__builtin_ctzl((unsigned long)page_size);
	if (compact_wanted(flags))
		flags |= PTSCOPE_PAGES_F_COMPACT;
	msg = ptscope_request_new(c, PTSCOPE_CMD_GET_PAGES, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	err = dump_request(&r, msg, pid, start, end, flags);
	nlmsg_free(msg);
	return err;
}

/* get-tables */

struct tables_ctx {
	ptscope_table_cb cb;
	void *arg;
	struct ptscope_tables *out;
};

static int parse_table(struct nlattr *nest, struct ptscope_table *out)
{
	static struct nla_policy policy[PTSCOPE_TABLE_A_MAX + 1] = {
		[PTSCOPE_TABLE_A_LEVEL]		= { .type = NLA_U32 },
		[PTSCOPE_TABLE_A_ADDR]		= { .type = NLA_U64 },
		[PTSCOPE_TABLE_A_ENTRIES]	= { .type = NLA_U32 },
		[PTSCOPE_TABLE_A_LEAVES]	= { .type = NLA_U32 },
	};
	struct nlattr *tb[PTSCOPE_TABLE_A_MAX + 1];

	if (nla_parse_nested(tb, PTSCOPE_TABLE_A_MAX, nest, policy) < 0 ||
	    !tb[PTSCOPE_TABLE_A_LEVEL] || !tb[PTSCOPE_TABLE_A_ADDR] ||
	    !tb[PTSCOPE_TABLE_A_ENTRIES] || !tb[PTSCOPE_TABLE_A_LEAVES])
		return -EPROTO;
	out->level = nla_get_u32(tb[PTSCOPE_TABLE_A_LEVEL]);
	out->addr = nla_get_u64(tb[PTSCOPE_TABLE_A_ADDR]);
	out->entries = nla_get_u32(tb[PTSCOPE_TABLE_A_ENTRIES]);
	out->leaves = nla_get_u32(tb[PTSCOPE_TABLE_A_LEAVES]);
	return 0;
}

static int parse_level_stats(struct nlattr *nest, struct ptscope_level_stats *out)
{
	static struct nla_policy policy[PTSCOPE_LSTATS_A_MAX + 1] = {
		[PTSCOPE_LSTATS_A_LEVEL]	= { .type = NLA_U32 },
		[PTSCOPE_LSTATS_A_TABLES]	= { .type = NLA_U64 },
		[PTSCOPE_LSTATS_A_ENTRIES]	= { .type = NLA_U64 },
		[PTSCOPE_LSTATS_A_LEAVES]	= { .type = NLA_U64 },
		[PTSCOPE_LSTATS_A_BYTES]	= { .type = NLA_U64 },
		[PTSCOPE_LSTATS_A_FOLDED]	= { .type = NLA_FLAG },
	};
	struct nlattr *tb[PTSCOPE_LSTATS_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (nla_parse_nested(tb, PTSCOPE_LSTATS_A_MAX, nest, policy) < 0 ||
	    !tb[PTSCOPE_LSTATS_A_LEVEL] || !tb[PTSCOPE_LSTATS_A_TABLES] ||
	    !tb[PTSCOPE_LSTATS_A_ENTRIES] || !tb[PTSCOPE_LSTATS_A_LEAVES] ||
	    !tb[PTSCOPE_LSTATS_A_BYTES])
		return -EPROTO;
	out->level = nla_get_u32(tb[PTSCOPE_LSTATS_A_LEVEL]);
	out->tables = nla_get_u64(tb[PTSCOPE_LSTATS_A_TABLES]);
	out->entries = nla_get_u64(tb[PTSCOPE_LSTATS_A_ENTRIES]);
	out->leaves = nla_get_u64(tb[PTSCOPE_LSTATS_A_LEAVES]);
	out->bytes = nla_get_u64(tb[PTSCOPE_LSTATS_A_BYTES]);
	out->folded = !!tb[PTSCOPE_LSTATS_A_FOLDED];
	return 0;
}

static int tables_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
			struct nlattr **tb)
{
	struct tables_ctx *t = r->arg;
	struct nlattr *pos;
	int rem, err;

	(void)tb;	/* TABLE and LEVEL_STATS repeat: walk the message */
	nla_for_each_attr(pos, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		struct ptscope_level_stats st;
		struct ptscope_table table;

		switch (nla_type(pos)) {
		case PTSCOPE_A_TABLE:
			if (parse_table(pos, &table))
				return ptscope_protocol_error(r);
			if (t->cb) {
				err = t->cb(&table, t->arg);
				if (err < 0)
					return err;
			}
			break;
		case PTSCOPE_A_LEVEL_STATS:
			if (parse_level_stats(pos, &st))
				return ptscope_protocol_error(r);
			/* a level this client does not know is skipped */
			if (t->out->nr_levels < 5)
				t->out->levels[t->out->nr_levels++] = st;
			break;
		default:
			break;
		}
	}
	return 0;
}

int ptscope_get_tables(struct ptscope_client *c, pid_t pid,
		       uint64_t start, uint64_t end, int depth,
		       ptscope_table_cb cb, void *arg,
		       struct ptscope_tables *out)
{
	struct tables_ctx t = { .cb = cb, .arg = arg, .out = out };
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_GET_TABLES, .reply = tables_reply,
		.arg = &t,
	};
	struct nl_msg *msg;
	int err;

	if (!c || !out || (depth >= 0 && !cb))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	msg = ptscope_request_new(c, PTSCOPE_CMD_GET_TABLES, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	err = put_range(msg, pid, start, end, 0);
	if (!err && depth >= 0 &&
	    nla_put_u32(msg, PTSCOPE_A_DEPTH, (uint32_t)depth) < 0)
		err = -ENOMEM;
	if (!err)
		err = ptscope_request_run(&r, msg);
	nlmsg_free(msg);
	if (!err && !out->nr_levels)
		err = -EPROTO;	/* the totals always end the dump */
	return err;
}

/* translate */

static int xlate_reply(struct ptscope_request *r, struct nlmsghdr *nlh,
		       struct nlattr **tb)
{
	struct ptscope_xlate *x = r->arg;

	(void)nlh;
	if (!tb[PTSCOPE_A_XLATE])
		return ptscope_protocol_error(r);
	if (tb[PTSCOPE_A_ADDR])
		x->addr = nla_get_u64(tb[PTSCOPE_A_ADDR]);
	if (ptscope_parse_xlate(tb[PTSCOPE_A_XLATE], x))
		return ptscope_protocol_error(r);
	return 0;
}

int ptscope_translate(struct ptscope_client *c, pid_t pid, uint64_t addr,
		      struct ptscope_xlate *out)
{
	struct ptscope_request r = {
		.c = c, .cmd = PTSCOPE_CMD_TRANSLATE, .reply = xlate_reply,
		.arg = out,
	};
	struct nl_msg *msg;
	int err;

	if (!c || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->addr = addr;
	msg = ptscope_request_new(c, PTSCOPE_CMD_TRANSLATE, NLM_F_ACK);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, PTSCOPE_A_PID, (uint32_t)pid) < 0 ||
	    nla_put_u64(msg, PTSCOPE_A_ADDR, addr) < 0)
		err = -ENOMEM;
	else
		err = ptscope_request_do(&r, msg);
	nlmsg_free(msg);
	return err;
}
