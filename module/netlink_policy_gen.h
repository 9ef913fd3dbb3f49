/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/ptscope.yaml */
/* by scripts/ynl-gen.sh: the policy block of ynl-gen-c --mode kernel. */

#ifndef _PTSCOPE_NETLINK_POLICY_GEN_H
#define _PTSCOPE_NETLINK_POLICY_GEN_H

/* PTSCOPE_CMD_GET_INFO - do */
static const struct nla_policy ptscope_get_info_nl_policy[PTSCOPE_A_FLAGS + 1] = {
	[PTSCOPE_A_FLAGS] = { .type = NLA_U32, },
};

/* PTSCOPE_CMD_GET_VMAS - dump */
static const struct nla_policy ptscope_get_vmas_nl_policy[PTSCOPE_A_FLAGS + 1] = {
	[PTSCOPE_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PTSCOPE_A_START] = { .type = NLA_U64, },
	[PTSCOPE_A_END] = { .type = NLA_U64, },
	[PTSCOPE_A_FLAGS] = { .type = NLA_U32, },
};

/* PTSCOPE_CMD_GET_PAGES - dump */
static const struct nla_policy ptscope_get_pages_nl_policy[PTSCOPE_A_FLAGS + 1] = {
	[PTSCOPE_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PTSCOPE_A_START] = { .type = NLA_U64, },
	[PTSCOPE_A_END] = { .type = NLA_U64, },
	[PTSCOPE_A_FLAGS] = { .type = NLA_U32, },
};

/* PTSCOPE_CMD_TRANSLATE - do */
static const struct nla_policy ptscope_translate_nl_policy[PTSCOPE_A_ADDR + 1] = {
	[PTSCOPE_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PTSCOPE_A_ADDR] = { .type = NLA_U64, },
};

/* PTSCOPE_CMD_GET_TABLES - dump */
static const struct nla_policy ptscope_get_tables_nl_policy[PTSCOPE_A_DEPTH + 1] = {
	[PTSCOPE_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PTSCOPE_A_START] = { .type = NLA_U64, },
	[PTSCOPE_A_END] = { .type = NLA_U64, },
	[PTSCOPE_A_DEPTH] = NLA_POLICY_MAX(NLA_U32, 4),
};

/* PTSCOPE_CMD_TRACK_START - do */
static const struct nla_policy ptscope_track_start_nl_policy[PTSCOPE_A_PID + 1] = {
	[PTSCOPE_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* PTSCOPE_CMD_TRACK_STOP - do */
static const struct nla_policy ptscope_track_stop_nl_policy[PTSCOPE_A_FLAGS + 1] = {
	[PTSCOPE_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PTSCOPE_A_FLAGS] = { .type = NLA_U32, },
};

/* PTSCOPE_CMD_GET_STATS - do */
static const struct nla_policy ptscope_get_stats_nl_policy[PTSCOPE_A_PID + 1] = {
	[PTSCOPE_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* PTSCOPE_CMD_SAMPLE_ACCESS - dump */
static const struct nla_policy ptscope_sample_access_nl_policy[PTSCOPE_A_FLAGS + 1] = {
	[PTSCOPE_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PTSCOPE_A_START] = { .type = NLA_U64, },
	[PTSCOPE_A_END] = { .type = NLA_U64, },
	[PTSCOPE_A_FLAGS] = { .type = NLA_U32, },
};

#endif /* _PTSCOPE_NETLINK_POLICY_GEN_H */
