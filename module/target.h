/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PTSCOPE_TARGET_H
#define PTSCOPE_TARGET_H

#include <linux/mm_types.h>
#include <linux/netlink.h>
#include <linux/pid.h>
#include <linux/skbuff.h>

extern bool ptscope_allow_same_user;

/* The process a request names, resolved and access-checked. */
struct ptscope_target {
	pid_t nr;		/* as the caller named it */
	struct mm_struct *mm;	/* mmget() reference */
	bool privileged;	/* caller may see PFNs and raw entries */
};

bool ptscope_caller_privileged(const struct sk_buff *skb);

/*
 * Resolve PTSCOPE_A_PID in the caller's PID namespace, check the caller
 * may inspect it, and take a reference on its mm.  On failure returns a
 * negative errno with a message in @extack.
 */
int ptscope_target_get(const struct sk_buff *skb, struct nlattr **attrs,
		       struct netlink_ext_ack *extack,
		       struct ptscope_target *t);
/* Same, and a reference on the thread group's struct pid in @tgid. */
int ptscope_target_get_tgid(const struct sk_buff *skb, struct nlattr **attrs,
			    struct netlink_ext_ack *extack,
			    struct ptscope_target *t, struct pid **tgid);
void ptscope_target_put(struct ptscope_target *t);

/* The access check of ptscope_target_get() for a process already known. */
bool ptscope_may_inspect(const struct sk_buff *skb, struct pid *tgid,
			 struct mm_struct *mm);

#endif /* PTSCOPE_TARGET_H */
