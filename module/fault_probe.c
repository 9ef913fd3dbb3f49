// SPDX-License-Identifier: GPL-2.0
/*
 * The handle_mm_fault() hook: which faults a tracked mm takes, and, where
 * a return hook is affordable, how they end and how long they take.
 *
 * Every fault in the system passes here, tracked or not, so what an
 * untracked fault pays is the design constraint.  By default an ftrace
 * entry hook counts tracked faults at entry: an untracked fault pays one
 * callback that declines.  The return side (minor/major, retries, errors,
 * latency) needs a return hook, which costs untracked faults more; the
 * fault_latency=1 module parameter buys it:
 *
 *  - with fprobe on fgraph (6.14+) the entry handler declines untracked
 *    mms and fgraph sets up no return hook for them, but each still pays
 *    a push and pop on its task's shadow stack and fprobe's hash lookup
 *    (~3 % of a fault storm under TCG, against ~0-1 % for the entry hook);
 *  - before that, a kretprobe (or an fprobe on rethook, the same thing),
 *    whose return instance is taken from a pool before the entry handler
 *    can decline (~4-8 % under TCG).
 *
 * `ptscope info` shows which one is armed (probe bits).
 *
 * Attribution always uses the mm handle_mm_fault() works on, never
 * current->mm: get_user_pages() faults in other tasks' mms.
 */
#include <linux/fprobe.h>
#include <linux/ftrace.h>
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>

#include "compat.h"
#include "fault_probe.h"

static bool fault_latency;
module_param(fault_latency, bool, 0644);
MODULE_PARM_DESC(fault_latency,
		 "Also hook handle_mm_fault()'s return, for minor/major, retries, errors and latency, at a cost to every process's faults (fprobe on fgraph from 6.14, else a kretprobe); read when tracking starts from nothing tracked (default N)");

/*
 * The last hardware fault seen on this CPU, so the fault hook can learn
 * the error code handle_mm_fault() is not passed.
 */
struct fault_hw {
	struct task_struct *task;
	unsigned long addr;
	unsigned long code;
};

static DEFINE_PER_CPU(struct fault_hw, fault_hw);

/*
 * exceptions:page_fault_{user,kernel} fire just before the fault handler
 * looks the VMA up and calls handle_mm_fault() on the same CPU, with the
 * hardware error code.  Remember it; the fault hook uses it only if the
 * task and the address match, so a migration in between costs accuracy
 * ("unknown cause"), never a wrong attribution.
 */
void ptscope_fault_hw_seen(unsigned long address, unsigned long code)
{
	struct fault_hw *hw = this_cpu_ptr(&fault_hw);

	hw->task = current;
	hw->addr = address;
	hw->code = code;
}

void ptscope_tp_page_fault(void *data, unsigned long address,
			   struct pt_regs *regs, unsigned long error_code)
{
	ptscope_fault_hw_seen(address, error_code);
}

enum fault_kind {
	FK_WRITE	= 1 << 0,
	FK_EXEC		= 1 << 1,
	FK_NOT_PRESENT	= 1 << 2,
	FK_PROTECTION	= 1 << 3,
	FK_GUP		= 1 << 4,
	FK_ANON		= 1 << 5,
	FK_SHMEM	= 1 << 6,
	FK_TRIED	= 1 << 7,
};

/* What the return side needs from the entry; fprobe keeps <= 15 longs. */
struct fault_ctx {
	struct mm_struct *mm;
	unsigned long vm_start, vm_end;
	u64 t0;
	unsigned int kind;
};

static unsigned int fault_kind(struct vm_area_struct *vma,
			       unsigned long address, unsigned int flags,
			       struct pt_regs *fault_regs)
{
	struct fault_hw *hw = this_cpu_ptr(&fault_hw);
	unsigned int kind = 0;

	if (flags & FAULT_FLAG_WRITE)
		kind |= FK_WRITE;
	if (flags & FAULT_FLAG_INSTRUCTION)
		kind |= FK_EXEC;
	if (flags & FAULT_FLAG_TRIED)
		kind |= FK_TRIED;
	if (!fault_regs)
		kind |= FK_GUP;
	else if (hw->task == current && hw->addr == address)
		kind |= ptscope_fault_code_protection(hw->code) ?
			FK_PROTECTION : FK_NOT_PRESENT;
	if (vma_is_anonymous(vma))
		kind |= FK_ANON;
	else if (vma->vm_file &&
		 vma->vm_file->f_mapping->host->i_sb->s_magic == TMPFS_MAGIC)
		kind |= FK_SHMEM;
	return kind;
}

/*
 * Fault counts by VMA range, in a small open-addressed table per CPU.
 * Only this CPU writes it; get-stats reads @end first (release/acquire),
 * so it never sees a slot whose range is half written.
 */
static void range_count(struct ptscope_track_pcpu *p, unsigned long start,
			unsigned long end, bool major)
{
	unsigned int h = hash_long(start, ilog2(PTSCOPE_RANGE_SLOTS));
	struct ptscope_range_slot *s;
	unsigned long e;
	int i;

	for (i = 0; i < PTSCOPE_RANGE_PROBES; i++) {
		s = &p->ranges[(h + i) % PTSCOPE_RANGE_SLOTS];
		e = READ_ONCE(s->end);
		if (e == end && READ_ONCE(s->start) == start) {
			WRITE_ONCE(s->faults, s->faults + 1);
			if (major)
				WRITE_ONCE(s->major, s->major + 1);
			return;
		}
		if (!e) {
			WRITE_ONCE(s->start, start);
			WRITE_ONCE(s->faults, 1);
			WRITE_ONCE(s->major, major);
			/* Pairs with ptscope_track_ranges(): publish the slot. */
			smp_store_release(&s->end, end);
			return;
		}
	}
	p->c.ranges_dropped++;
}

static void count_kind(struct ptscope_track_counters *c, unsigned int kind)
{
	if (kind & FK_EXEC)
		c->exec++;
	else if (kind & FK_WRITE)
		c->write++;
	else
		c->read++;

	if (kind & FK_GUP)
		c->gup++;
	else if (kind & FK_PROTECTION)
		c->protection++;
	else if (kind & FK_NOT_PRESENT)
		c->not_present++;
	else
		c->cause_unknown++;

	if (kind & FK_ANON)
		c->anon++;
	else if (kind & FK_SHMEM)
		c->shmem++;
	else
		c->file++;
}

/* At the return: mirrors mm_account_fault(), so counts match min/maj_flt. */
static void fault_account(struct ptscope_track_pcpu *p,
			  const struct fault_ctx *ctx, vm_fault_t ret, u64 ns)
{
	bool major;

	p->c.lat_hist[min_t(int, fls64(ns), PTSCOPE_LAT_BUCKETS - 1)]++;
	p->c.lat_sum_ns += ns;
	if (ret & VM_FAULT_RETRY) {
		p->c.retries++;
		return;
	}
	if (ret & VM_FAULT_ERROR) {
		p->c.errors++;
		return;
	}
	major = (ret & VM_FAULT_MAJOR) || (ctx->kind & FK_TRIED);
	if (major)
		p->c.major++;
	else
		p->c.minor++;
	count_kind(&p->c, ctx->kind);
	range_count(p, ctx->vm_start, ctx->vm_end, major);
}

/*
 * A fault the per-VMA lock could not finish (VM_FAULT_RETRY without
 * VM_FAULT_MAJOR) is tried again under mmap_lock without
 * FAULT_FLAG_TRIED (do_user_addr_fault()), so counting at entry sees
 * two first attempts.  Each tracked per-VMA-lock attempt is remembered in
 * a slot of its task, with the task's fault count: a call without the
 * flag for the same task and address while that count has not moved (a
 * retried attempt is not accounted) is the fallback, not a new fault.
 * Two tasks sharing a slot at the same moment can only cost a double
 * count, never hide a fault of another task.
 */
#define VMA_LOCK_SLOTS_BITS	6

struct vma_lock_attempt {
	struct task_struct *task;
	unsigned long addr;
	unsigned long nr_flt;
};

static struct vma_lock_attempt vma_lock_attempts[1 << VMA_LOCK_SLOTS_BITS];

static unsigned long task_nr_flt(const struct task_struct *task)
{
	return READ_ONCE(task->min_flt) + READ_ONCE(task->maj_flt);
}

/* Whether this call is the mmap_lock fallback of a per-VMA-lock attempt. */
static bool vma_lock_fallback(unsigned long address, unsigned int flags)
{
	struct vma_lock_attempt *a =
		&vma_lock_attempts[hash_ptr(current, VMA_LOCK_SLOTS_BITS)];

	if (!PTSCOPE_FAULT_FLAG_VMA_LOCK)
		return false;
	if (flags & PTSCOPE_FAULT_FLAG_VMA_LOCK) {
		WRITE_ONCE(a->task, current);
		WRITE_ONCE(a->addr, address);
		WRITE_ONCE(a->nr_flt, task_nr_flt(current));
		return false;
	}
	if (READ_ONCE(a->task) != current || READ_ONCE(a->addr) != address ||
	    READ_ONCE(a->nr_flt) != task_nr_flt(current))
		return false;
	WRITE_ONCE(a->task, NULL);
	return true;
}

/*
 * Entry only: count each fault once, at its first attempt (retried
 * attempts come back with FAULT_FLAG_TRIED, or as a per-VMA-lock
 * fallback).  Preemption is off in ftrace callbacks.
 */
static void fault_enter_count(struct vm_area_struct *vma,
			      unsigned long address, unsigned int flags,
			      struct pt_regs *fault_regs)
{
	struct ptscope_tracked *t;
	struct ptscope_track_pcpu *p;

	if (flags & FAULT_FLAG_TRIED)
		return;
	rcu_read_lock();
	t = ptscope_tracked_find(vma->vm_mm);
	if (t && !(fault_regs && vma_lock_fallback(address, flags))) {
		p = this_cpu_ptr(t->pcpu);
		p->c.entered++;
		count_kind(&p->c, fault_kind(vma, address, flags, fault_regs));
		range_count(p, vma->vm_start, vma->vm_end, false);
	}
	rcu_read_unlock();
}

/*
 * With a return side: fill @ctx for it and count nothing yet.  Returns
 * whether @vma's mm is tracked, i.e. whether the return is wanted.
 */
static bool fault_enter_timed(struct vm_area_struct *vma,
			      unsigned long address, unsigned int flags,
			      struct pt_regs *fault_regs, struct fault_ctx *ctx)
{
	bool tracked;

	rcu_read_lock();
	tracked = ptscope_tracked_find(vma->vm_mm);
	rcu_read_unlock();
	if (!tracked)
		return false;

	ctx->mm = vma->vm_mm;
	ctx->vm_start = vma->vm_start;
	ctx->vm_end = vma->vm_end;
	ctx->kind = fault_kind(vma, address, flags, fault_regs);
	/*
	 * local_clock(): the scheduler's TSC clock, far cheaper than
	 * ktime_get_ns() (which may read an emulated HPET); a fault that
	 * migrates sees at most the small drift between CPUs.
	 */
	ctx->t0 = local_clock();
	return true;
}

static void fault_exit(const struct fault_ctx *ctx, vm_fault_t ret)
{
	s64 delta = local_clock() - ctx->t0;
	u64 ns = delta > 0 ? delta : 0;		/* CPU clocks may differ */
	struct ptscope_tracked *t;

	rcu_read_lock();
	t = ptscope_tracked_find(ctx->mm);
	if (t) {
		/* A kretprobe's handler runs with preemption off, fgraph's may not. */
		fault_account(get_cpu_ptr(t->pcpu), ctx, ret, ns);
		put_cpu_ptr(t->pcpu);
	}
	rcu_read_unlock();
}

/* -- fprobe on fgraph: the return side for tracked faults only --------- */

#ifdef PTSCOPE_HAVE_FPROBE_FGRAPH
static int fp_entry(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
		    struct ftrace_regs *fregs, void *data)
{
	/* Non-zero: fgraph sets up no return hook for this call. */
	return !fault_enter_timed((void *)ptscope_ftrace_arg(fregs, 0),
				  ptscope_ftrace_arg(fregs, 1),
				  ptscope_ftrace_arg(fregs, 2),
				  (void *)ptscope_ftrace_arg(fregs, 3), data);
}

static void fp_exit(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
		    struct ftrace_regs *fregs, void *data)
{
	/* __force: the return register holds the vm_fault_t bits. */
	fault_exit(data,
		   (__force vm_fault_t)ftrace_regs_get_return_value(fregs));
}

static struct fprobe fault_fp;

static int return_hook_register(void)
{
	memset(&fault_fp, 0, sizeof(fault_fp));
	fault_fp.entry_handler = fp_entry;
	fault_fp.exit_handler = fp_exit;
	fault_fp.entry_data_size = sizeof(struct fault_ctx);
	return register_fprobe(&fault_fp, "handle_mm_fault", NULL);
}

static void return_hook_unregister(void)
{
	unregister_fprobe(&fault_fp);
}

static u64 return_hook_missed(void)
{
	return READ_ONCE(fault_fp.nmissed);
}

static bool return_hook_is_fgraph(void)
{
	return true;
}
#else
/* -- kretprobe: the return side, paid for by every fault -------------- */

static int krp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	/* Non-zero: no return hook for this call. */
	return !fault_enter_timed((void *)regs_get_kernel_argument(regs, 0),
				  regs_get_kernel_argument(regs, 1),
				  regs_get_kernel_argument(regs, 2),
				  (void *)regs_get_kernel_argument(regs, 3),
				  (void *)ri->data);
}

static int krp_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	/* __force: the return register holds the vm_fault_t bits. */
	fault_exit((const void *)ri->data,
		   (__force vm_fault_t)regs_return_value(regs));
	return 0;
}

static struct kretprobe fault_krp;

static int return_hook_register(void)
{
	memset(&fault_krp, 0, sizeof(fault_krp));
	fault_krp.kp.symbol_name = "handle_mm_fault";
	fault_krp.entry_handler = krp_entry;
	fault_krp.handler = krp_return;
	fault_krp.data_size = sizeof(struct fault_ctx);
	/* Faults sleep (I/O, locks): allow many in flight per CPU. */
	fault_krp.maxactive = max_t(int, 64, 8 * num_possible_cpus());
	return register_kretprobe(&fault_krp);
}

static void return_hook_unregister(void)
{
	unregister_kretprobe(&fault_krp);
}

static u64 return_hook_missed(void)
{
	return READ_ONCE(fault_krp.nmissed);
}

static bool return_hook_is_fgraph(void)
{
	return false;
}
#endif /* PTSCOPE_HAVE_FPROBE_FGRAPH */

/* -- Entry only: counts, no return ------------------------------------ */

static void ft_handle_mm_fault(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	fault_enter_count((void *)ptscope_ftrace_arg(fregs, 0),
			  ptscope_ftrace_arg(fregs, 1), ptscope_ftrace_arg(fregs, 2),
			  (void *)ptscope_ftrace_arg(fregs, 3));
}

/* FL_RCU: never called where RCU is not watching; FL_RECURSION: guarded. */
static struct ftrace_ops entry_ops = {
	.func = ft_handle_mm_fault,
	.flags = FTRACE_OPS_FL_RCU | FTRACE_OPS_FL_RECURSION,
};

/* -- Lifecycle ---------------------------------------------------------- */

static bool hookable;		/* handle_mm_fault() is ftrace-able here */
static u64 armed;		/* PTSCOPE_PROBE_* of the hooks registered */

u64 ptscope_fault_probe_available(void)
{
	if (!hookable)
		return 0;
	return PTSCOPE_PROBE_HANDLE_MM_FAULT | PTSCOPE_PROBE_FAULT_RETURN |
	       (return_hook_is_fgraph() ? PTSCOPE_PROBE_FAULT_FGRAPH : 0);
}

u64 ptscope_fault_probe_register(void)
{
	int err;

	if (!hookable)
		return 0;
	if (READ_ONCE(fault_latency)) {
		err = return_hook_register();
		if (!err) {
			armed = ptscope_fault_probe_available();
			return armed;
		}
		pr_warn("cannot hook handle_mm_fault()'s return: %d; counting at entry only\n",
			err);
	}
	err = register_ftrace_function(&entry_ops);
	if (err) {
		pr_warn("cannot hook handle_mm_fault: %d\n", err);
		return 0;
	}
	armed = PTSCOPE_PROBE_HANDLE_MM_FAULT;
	return armed;
}

void ptscope_fault_probe_unregister(void)
{
	if (armed & PTSCOPE_PROBE_FAULT_RETURN)
		return_hook_unregister();
	else if (armed)
		unregister_ftrace_function(&entry_ops);
	armed = 0;
}

u64 ptscope_fault_probe_missed(void)
{
	return (armed & PTSCOPE_PROBE_FAULT_RETURN) ? return_hook_missed() : 0;
}

int ptscope_fault_probe_init(void)
{
	char name[] = "handle_mm_fault";

	/* The filter stays set; registration arms it. */
	hookable = !ftrace_set_filter(&entry_ops, name, strlen(name), 1);
	return 0;
}

void ptscope_fault_probe_exit(void)
{
	ftrace_free_filter(&entry_ops);
}
