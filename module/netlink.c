// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink glue: the family, its policy and operations, get-info.
 */
#include <linux/module.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "compat.h"
#include "dump.h"
#include "lock_stats.h"
#include "netlink_policy_gen.h"
#include "netlink.h"
#include "probes.h"
#include "target.h"
#include "track.h"

#define PTSCOPE_MODULE_VERSION "0.1.0"
MODULE_VERSION(PTSCOPE_MODULE_VERSION);

atomic_t ptscope_live_dumps = ATOMIC_INIT(0);

/*
 * Only for operations whose policy has FLAGS (netlink_policy_gen.h): the
 * core sizes @attrs to the operation's policy, and rejects FLAGS where the
 * spec does not list it before the handler runs.
 */
int ptscope_get_flags(struct nlattr **attrs, u32 allowed,
		      struct netlink_ext_ack *extack, u32 *flags)
{
	struct nlattr *attr = attrs[PTSCOPE_A_FLAGS];
	u32 f = attr ? nla_get_u32(attr) : 0;

	if (f & ~allowed) {
		ptscope_set_err_bad_flags(extack, attr, f & ~allowed);
		return -EOPNOTSUPP;
	}
	if (flags)
		*flags = f;
	return 0;
}

static u64 ptscope_features(void)
{
	u64 f = 0;

	if (IS_ENABLED(CONFIG_MEM_SOFT_DIRTY))
		f |= PTSCOPE_FEAT_SOFT_DIRTY;
	if (IS_ENABLED(CONFIG_PTE_MARKER_UFFD_WP))
		f |= PTSCOPE_FEAT_UFFD_WP;
	if (IS_ENABLED(CONFIG_ANON_VMA_NAME))
		f |= PTSCOPE_FEAT_ANON_VMA_NAME;
	if (IS_ENABLED(CONFIG_NUMA_BALANCING))
		f |= PTSCOPE_FEAT_NUMA_HINTING;
	if (IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE))
		f |= PTSCOPE_FEAT_THP;
	if (PTSCOPE_PTE_RCU_FREE)
		f |= PTSCOPE_FEAT_PTE_RCU_FREE;
	if (IS_ENABLED(CONFIG_PAGE_IDLE_FLAG))
		f |= PTSCOPE_FEAT_YOUNG_FLAG;
	if (ptscope_tlb_flush_exact())
		f |= PTSCOPE_FEAT_ACCESS_EXACT;
	return f;
}

static int ptscope_info_put(struct sk_buff *msg, struct sk_buff *skb,
			    const struct ptscope_lock_stats *ls)
{
	u32 tracked, objects;

	ptscope_track_counts(&tracked, &objects);
	if (nla_put_string(msg, PTSCOPE_INFO_A_MODULE_VERSION,
			   PTSCOPE_MODULE_VERSION) ||
	    nla_put_u32(msg, PTSCOPE_INFO_A_PROTO_VERSION,
			PTSCOPE_GENL_VERSION) ||
	    nla_put_string(msg, PTSCOPE_INFO_A_KERNEL_RELEASE,
			   utsname()->release) ||
	    nla_put_u32(msg, PTSCOPE_INFO_A_PAGE_SIZE, PAGE_SIZE) ||
	    nla_put_u32(msg, PTSCOPE_INFO_A_PGTABLE_LEVELS,
			ptscope_pgtable_levels()) ||
	    nla_put_u64_64bit(msg, PTSCOPE_INFO_A_USER_VA_END,
			      ptscope_user_va_end(),
			      PTSCOPE_INFO_A_PAD) ||
	    nla_put_u64_64bit(msg, PTSCOPE_INFO_A_FEATURES, ptscope_features(),
			      PTSCOPE_INFO_A_PAD) ||
	    nla_put_u8(msg, PTSCOPE_INFO_A_PRIVILEGED,
		       ptscope_caller_privileged(skb)) ||
	    nla_put_u8(msg, PTSCOPE_INFO_A_ALLOW_SAME_USER,
		       READ_ONCE(ptscope_allow_same_user)) ||
	    nla_put_u32(msg, PTSCOPE_INFO_A_LIVE_DUMPS,
			atomic_read(&ptscope_live_dumps)) ||
	    nla_put_u64_64bit(msg, PTSCOPE_INFO_A_LOCK_HOLDS, ls->holds,
			      PTSCOPE_INFO_A_PAD) ||
	    nla_put_u64_64bit(msg, PTSCOPE_INFO_A_LOCK_HOLD_MAX_NS,
			      ls->max_ns, PTSCOPE_INFO_A_PAD) ||
	    nla_put_u64_64bit(msg, PTSCOPE_INFO_A_LOCK_HOLD_TOTAL_NS,
			      ls->total_ns, PTSCOPE_INFO_A_PAD) ||
	    nla_put_u32(msg, PTSCOPE_INFO_A_TRACKED, tracked) ||
	    nla_put_u32(msg, PTSCOPE_INFO_A_MAX_TRACKED,
			READ_ONCE(ptscope_max_tracked)) ||
	    nla_put_u32(msg, PTSCOPE_INFO_A_TRACK_OBJECTS, objects) ||
	    nla_put_u64_64bit(msg, PTSCOPE_INFO_A_PROBES,
			      ptscope_probes_available, PTSCOPE_INFO_A_PAD) ||
	    nla_put_u64_64bit(msg, PTSCOPE_INFO_A_PROBES_ACTIVE,
			      READ_ONCE(ptscope_probes_active),
			      PTSCOPE_INFO_A_PAD) ||
	    nla_put_string(msg, PTSCOPE_INFO_A_ARCH, utsname()->machine) ||
	    nla_put_u32(msg, PTSCOPE_INFO_A_PAGE_FLAGS,
			PTSCOPE_ARCH_PAGE_FLAGS))
		return -EMSGSIZE;
	return 0;
}

static int ptscope_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ptscope_lock_stats ls;
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	u32 flags;
	int err;

	err = ptscope_get_flags(info->attrs, PTSCOPE_INFO_F_MASK, info->extack,
				&flags);
	if (err)
		return err;
	if ((flags & PTSCOPE_INFO_F_RESET_LOCK_STATS) &&
	    !ptscope_caller_privileged(skb)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PTSCOPE_A_FLAGS],
				    "permission denied: resetting statistics needs CAP_SYS_ADMIN");
		return -EPERM;
	}

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ptscope_family, 0,
				PTSCOPE_CMD_GET_INFO);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, PTSCOPE_A_INFO);
	ptscope_lock_stats_get(&ls, flags & PTSCOPE_INFO_F_RESET_LOCK_STATS);
	if (!nest || ptscope_info_put(msg, skb, &ls))
		goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/*
 * Hand-written rather than ynl-gen-c's table: that one is struct
 * genl_split_ops, which 6.1 lacks.  The policies are generated
 * (netlink_policy_gen.h); a get-stats dump takes no attributes, so its
 * policy does not matter and the do's is reused.
 */
static const struct genl_ops ptscope_ops[] = {
	{
		.cmd		= PTSCOPE_CMD_GET_INFO,
		.policy		= ptscope_get_info_nl_policy,
		.maxattr	= ARRAY_SIZE(ptscope_get_info_nl_policy) - 1,
		.doit		= ptscope_info_doit,
	},
	{
		.cmd		= PTSCOPE_CMD_GET_VMAS,
		.policy		= ptscope_get_vmas_nl_policy,
		.maxattr	= ARRAY_SIZE(ptscope_get_vmas_nl_policy) - 1,
		.start		= ptscope_vmas_start,
		.dumpit		= ptscope_vmas_dumpit,
		.done		= ptscope_dump_done,
	},
	{
		.cmd		= PTSCOPE_CMD_GET_PAGES,
		.policy		= ptscope_get_pages_nl_policy,
		.maxattr	= ARRAY_SIZE(ptscope_get_pages_nl_policy) - 1,
		.start		= ptscope_pages_start,
		.dumpit		= ptscope_pages_dumpit,
		.done		= ptscope_dump_done,
	},
	{
		.cmd		= PTSCOPE_CMD_TRANSLATE,
		.policy		= ptscope_translate_nl_policy,
		.maxattr	= ARRAY_SIZE(ptscope_translate_nl_policy) - 1,
		.doit		= ptscope_translate_doit,
	},
	{
		.cmd		= PTSCOPE_CMD_GET_TABLES,
		.policy		= ptscope_get_tables_nl_policy,
		.maxattr	= ARRAY_SIZE(ptscope_get_tables_nl_policy) - 1,
		.start		= ptscope_tables_start,
		.dumpit		= ptscope_tables_dumpit,
		.done		= ptscope_dump_done,
	},
	{
		.cmd		= PTSCOPE_CMD_TRACK_START,
		.policy		= ptscope_track_start_nl_policy,
		.maxattr	= ARRAY_SIZE(ptscope_track_start_nl_policy) - 1,
		.doit		= ptscope_track_start_doit,
	},
	{
		.cmd		= PTSCOPE_CMD_TRACK_STOP,
		.policy		= ptscope_track_stop_nl_policy,
		.maxattr	= ARRAY_SIZE(ptscope_track_stop_nl_policy) - 1,
		.doit		= ptscope_track_stop_doit,
	},
	{
		.cmd		= PTSCOPE_CMD_GET_STATS,
		.policy		= ptscope_get_stats_nl_policy,
		.maxattr	= ARRAY_SIZE(ptscope_get_stats_nl_policy) - 1,
		.doit		= ptscope_stats_doit,
		.dumpit		= ptscope_stats_dumpit,
	},
	{
		.cmd		= PTSCOPE_CMD_SAMPLE_ACCESS,
		.policy		= ptscope_sample_access_nl_policy,
		.maxattr	= ARRAY_SIZE(ptscope_sample_access_nl_policy) - 1,
		.start		= ptscope_access_start,
		.dumpit		= ptscope_access_dumpit,
		.done		= ptscope_dump_done,
	},
};

struct genl_family ptscope_family __ro_after_init = {
	.name		= PTSCOPE_GENL_NAME,
	.version	= PTSCOPE_GENL_VERSION,
	/* Access is by capability and PID namespace, not network namespace. */
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= ptscope_ops,
	.n_ops		= ARRAY_SIZE(ptscope_ops),
};

int ptscope_genl_register(void)
{
	return genl_register_family(&ptscope_family);
}

void ptscope_genl_unregister(void)
{
	genl_unregister_family(&ptscope_family);
}
