// SPDX-License-Identifier: GPL-2.0
/*
 * ptscope: page-table inspection of a process over generic netlink.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "netlink.h"
#include "target.h"
#include "track.h"

bool ptscope_allow_same_user;
module_param_named(allow_same_user, ptscope_allow_same_user, bool, 0644);
MODULE_PARM_DESC(allow_same_user,
		 "Let callers without CAP_SYS_ADMIN inspect their own dumpable processes (default: no; LSM ptrace policy is not consulted)");

static int __init ptscope_init(void)
{
	int err = ptscope_track_init();

	if (err)
		return err;
	err = ptscope_genl_register();
	if (err) {
		pr_err("cannot register generic netlink family: %d\n", err);
		ptscope_track_exit();
	}
	return err;
}

static void __exit ptscope_exit(void)
{
	/* No new requests first, then tracking and its probes go. */
	ptscope_genl_unregister();
	ptscope_track_exit();
}

module_init(ptscope_init);
module_exit(ptscope_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("ptscope developers");
MODULE_DESCRIPTION("Page-table inspection of a process over generic netlink");
MODULE_ALIAS_GENL_FAMILY(PTSCOPE_GENL_NAME);
