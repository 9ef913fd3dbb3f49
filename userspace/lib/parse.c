// SPDX-License-Identifier: GPL-2.0
/*
 * libptscope: the nests of the replies into the public structs.
 * Unknown attributes are ignored (a newer kernel may send more); a nest
 * missing what the protocol promises is -EPROTO.
 */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>

#include "ptscope_client.h"
#include "ptscope_priv.h"

static void copy_str(char *dst, size_t len, const struct nlattr *nla)
{
	const char *s = nla_data(nla);
	size_t n = strnlen(s, (size_t)nla_len(nla));

	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}


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
		[PTSCOPE_INFO_A_ARCH]		= { .type = NLA_STRING },
		[PTSCOPE_INFO_A_PAGE_FLAGS]	= { .type = NLA_U32 },
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
	if (tb[PTSCOPE_INFO_A_ARCH])
		copy_str(out->arch, sizeof(out->arch), tb[PTSCOPE_INFO_A_ARCH]);
	if (tb[PTSCOPE_INFO_A_PAGE_FLAGS]) {
		out->page_flags = nla_get_u32(tb[PTSCOPE_INFO_A_PAGE_FLAGS]);
		out->has_page_flags = true;
	}
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
#define PTSCOPE_VMA_COUNTER(attr, ...) \
		[PTSCOPE_VMA_A_NR_##attr]	= { .type = NLA_U64 },
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
	};
	static const struct {
		int attr;
		size_t off;
	} counts[] = {
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) \
		{ PTSCOPE_VMA_A_NR_##attr, offsetof(struct ptscope_vma, nr_##name) },
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
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
