// SPDX-License-Identifier: GPL-2.0
/*
 * Which process a request names, and whether the caller may look at it.
 *
 * ptrace_may_access() is not exported, so a module cannot consult the
 * LSMs (Yama, SELinux) the way /proc/PID/pagemap does.  The default is
 * therefore CAP_SYS_ADMIN only; allow_same_user=1 opts into the subset of
 * the ptrace rules a module can check itself: same real and effective
 * user and group, and a dumpable target.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <net/genetlink.h>
#include <linux/ptscope.h>

#include "compat.h"
#include "target.h"

bool ptscope_caller_privileged(const struct sk_buff *skb)
{
	/* Both the socket's opener and the sender must hold the capability. */
	return netlink_capable(skb, CAP_SYS_ADMIN);
}

static bool same_user(const struct cred *caller, struct task_struct *task)
{
	const struct cred *tcred;
	bool ok;

	rcu_read_lock();
	tcred = __task_cred(task);
	ok = uid_eq(caller->uid, tcred->euid) &&
	     uid_eq(caller->uid, tcred->suid) &&
	     uid_eq(caller->uid, tcred->uid) &&
	     gid_eq(caller->gid, tcred->egid) &&
	     gid_eq(caller->gid, tcred->sgid) &&
	     gid_eq(caller->gid, tcred->gid);
	rcu_read_unlock();
	return ok;
}

static int target_get(const struct sk_buff *skb, struct nlattr **attrs,
		      struct netlink_ext_ack *extack, struct ptscope_target *t,
		      struct pid **tgid)
{
	struct task_struct *task;
	struct mm_struct *mm;
	int err;

	if (!attrs[PTSCOPE_A_PID]) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, PTSCOPE_A_PID);
		NL_SET_ERR_MSG(extack, "missing attribute: PID");
		return -EINVAL;
	}
	t->nr = nla_get_u32(attrs[PTSCOPE_A_PID]);
	t->privileged = ptscope_caller_privileged(skb);
	t->mm = NULL;

	if (!t->privileged && !READ_ONCE(ptscope_allow_same_user)) {
		NL_SET_ERR_MSG(extack,
			       "permission denied: needs CAP_SYS_ADMIN (or load ptscope with allow_same_user=1)");
		return -EPERM;
	}

	/* find_vpid() resolves in the caller's PID namespace. */
	rcu_read_lock();
	task = pid_task(find_vpid(t->nr), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[PTSCOPE_A_PID],
				    "no such process");
		return -ESRCH;
	}

	if (task->flags & PF_KTHREAD) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[PTSCOPE_A_PID],
				    "process is a kernel thread: it has no user address space");
		err = -EINVAL;
		goto out_task;
	}

	if (!t->privileged && !same_user(current_cred(), task)) {
		NL_SET_ERR_MSG(extack,
			       "permission denied: process belongs to another user");
		err = -EPERM;
		goto out_task;
	}

	mm = (task->flags & PF_EXITING) ? NULL : get_task_mm(task);
	if (!mm) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[PTSCOPE_A_PID],
				    "process is exiting");
		err = -ESRCH;
		goto out_task;
	}

	if (!t->privileged && !ptscope_dumpable_by_owner(task, mm)) {
		NL_SET_ERR_MSG(extack,
			       "permission denied: process is not dumpable (setuid or PR_SET_DUMPABLE=0)");
		mmput(mm);
		err = -EPERM;
		goto out_task;
	}
	t->mm = mm;
	if (tgid)
		*tgid = get_task_pid(task, PIDTYPE_TGID);
	err = 0;
out_task:
	put_task_struct(task);
	return err;
}

int ptscope_target_get(const struct sk_buff *skb, struct nlattr **attrs,
		       struct netlink_ext_ack *extack,
		       struct ptscope_target *t)
{
	return target_get(skb, attrs, extack, t, NULL);
}

int ptscope_target_get_tgid(const struct sk_buff *skb, struct nlattr **attrs,
			    struct netlink_ext_ack *extack,
			    struct ptscope_target *t, struct pid **tgid)
{
	return target_get(skb, attrs, extack, t, tgid);
}

bool ptscope_may_inspect(const struct sk_buff *skb, struct pid *tgid,
			 struct mm_struct *mm)
{
	struct task_struct *task;
	bool ok = false;

	if (ptscope_caller_privileged(skb))
		return true;
	if (!READ_ONCE(ptscope_allow_same_user))
		return false;
	rcu_read_lock();
	task = pid_task(tgid, PIDTYPE_TGID);
	if (task)
		ok = ptscope_dumpable_by_owner(task, mm) &&
		     same_user(current_cred(), task);
	rcu_read_unlock();
	return ok;
}

void ptscope_target_put(struct ptscope_target *t)
{
	if (t->mm)
		mmput(t->mm);
	t->mm = NULL;
}
