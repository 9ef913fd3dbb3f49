/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PTSCOPE_NETLINK_H
#define PTSCOPE_NETLINK_H

#include <linux/atomic.h>
#include <net/genetlink.h>

extern struct genl_family ptscope_family;
/* Dumps between .start and .done: returns to 0 when nothing leaks. */
extern atomic_t ptscope_live_dumps;

int ptscope_genl_register(void);
/*
 * PTSCOPE_A_FLAGS of a request into *@flags (0 if absent; @flags may be
 * NULL when @allowed is 0).  Bits outside @allowed: -EOPNOTSUPP, with an
 * extack message naming them.
 */
int ptscope_get_flags(struct nlattr **attrs, u32 allowed,
		      struct netlink_ext_ack *extack, u32 *flags);
void ptscope_genl_unregister(void);

/* Command handlers, one file each. */
int ptscope_vmas_start(struct netlink_callback *cb);
int ptscope_vmas_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ptscope_pages_start(struct netlink_callback *cb);
int ptscope_pages_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ptscope_tables_start(struct netlink_callback *cb);
int ptscope_tables_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ptscope_access_start(struct netlink_callback *cb);
int ptscope_access_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ptscope_dump_done(struct netlink_callback *cb);
int ptscope_translate_doit(struct sk_buff *skb, struct genl_info *info);
int ptscope_track_start_doit(struct sk_buff *skb, struct genl_info *info);
int ptscope_track_stop_doit(struct sk_buff *skb, struct genl_info *info);
int ptscope_stats_doit(struct sk_buff *skb, struct genl_info *info);
int ptscope_stats_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* PTSCOPE_NETLINK_H */
