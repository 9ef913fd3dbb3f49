// SPDX-License-Identifier: GPL-2.0
/*
 * The hooks behind tracking: who flushes whose TLB, and which faults an
 * mm takes.  Registered only while something is tracked.
 *
 * Entry-only hooks are ftrace_ops callbacks (the cheapest entry probe a
 * module can place); handle_mm_fault() needs its return value and its
 * duration, so it gets a kretprobe whose entry handler declines every
 * untracked mm: for those no return hook is armed.  Every counter lives
 * in the tracked mm's per-CPU area, so the hot paths take no lock.
 *
 * Attribution always uses the mm the kernel is working on, taken from the
 * probed function's arguments, never current->mm: shootdowns run on
 * other CPUs, and faults may come from get_user_pages() in another task.
 */
#include <linux/ftrace.h>
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/tracepoint.h>
#include <asm/hardirq.h>
#include <asm/tlbflush.h>
#include <asm/trap_pf.h>

#include "compat.h"
#include "tlb_info.h"
#include "probes.h"

u64 ptscope_probes_available;
u64 ptscope_probes_active;

/*
 * Per-CPU state outside any tracked mm: system-wide tlb_flush tracepoint
 * counts, and the last hardware fault seen on this CPU, so the fault
 * probe can learn the error code handle_mm_fault() is not passed.
 */
struct ptscope_cpu_state {
	u64 tp[PTSCOPE_TP_NR];
	struct task_struct *fault_task;
	unsigned long fault_addr;
	unsigned long fault_code;
};

static DEFINE_PER_CPU(struct ptscope_cpu_state, ptscope_cpu_state);

u64 ptscope_probes_tp_count(int cpu, enum ptscope_tp_reason reason)
{
	return READ_ONCE(per_cpu_ptr(&ptscope_cpu_state, cpu)->tp[reason]);
}

u64 ptscope_probes_irq_tlb(int cpu)
{
	return ptscope_irq_tlb_count(cpu);
}

static struct ptscope_track_pcpu *tracked_pcpu(const struct mm_struct *mm)
{
	struct ptscope_tracked *t = ptscope_tracked_find(mm);

	return t ? this_cpu_ptr(t->pcpu) : NULL;
}

/* -- Tracepoints ------------------------------------------------------- */

static void tp_tlb_flush(void *data, int reason, unsigned long pages)
{
	struct ptscope_cpu_state *st = this_cpu_ptr(&ptscope_cpu_state);

	switch (reason) {
	case TLB_FLUSH_ON_TASK_SWITCH:
		st->tp[PTSCOPE_TP_TASK_SWITCH]++;
		break;
	case TLB_REMOTE_SHOOTDOWN:
		st->tp[PTSCOPE_TP_REMOTE]++;
		break;
	case TLB_LOCAL_SHOOTDOWN:
	case TLB_LOCAL_MM_SHOOTDOWN:
		st->tp[PTSCOPE_TP_LOCAL]++;
		break;
	case TLB_REMOTE_SEND_IPI:
		st->tp[PTSCOPE_TP_SEND_IPI]++;
		break;
	}
}

/*
 * exceptions:page_fault_{user,kernel} fire just before the fault handler
 * looks the VMA up and calls handle_mm_fault() on the same CPU, with the
 * hardware error code.  Remember it; the fault probe uses it only if the
 * task and the address match, so a migration in between costs accuracy
 * ("unknown cause"), never a wrong attribution.
 */
static void tp_page_fault(void *data, unsigned long address,
			  struct pt_regs *regs, unsigned long error_code)
{
	struct ptscope_cpu_state *st = this_cpu_ptr(&ptscope_cpu_state);

	st->fault_task = current;
	st->fault_addr = address;
	st->fault_code = error_code;
}

struct ptscope_tp {
	const char *name;
	void *probe;
	u64 bit;
	struct tracepoint *tp;
	bool registered;
};

static struct ptscope_tp ptscope_tps[] = {
	{ "tlb_flush", tp_tlb_flush, PTSCOPE_PROBE_TLB_FLUSH_TP },
	{ "page_fault_user", tp_page_fault, PTSCOPE_PROBE_PAGE_FAULT_TP },
	{ "page_fault_kernel", tp_page_fault, PTSCOPE_PROBE_PAGE_FAULT_TP },
};

static void tp_lookup(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ptscope_tps); i++)
		if (!strcmp(tp->name, ptscope_tps[i].name))
			ptscope_tps[i].tp = tp;
}

/* -- ftrace entry hooks ------------------------------------------------ */

static void ft_flush_tlb_mm_range(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op,
				  struct ftrace_regs *fregs)
{
	struct mm_struct *mm = (void *)ptscope_ftrace_arg(fregs, 0);
	unsigned long start = ptscope_ftrace_arg(fregs, 1);
	unsigned long end = ptscope_ftrace_arg(fregs, 2);
	struct ptscope_track_pcpu *p;

	rcu_read_lock();
	p = tracked_pcpu(mm);
	if (p) {
		if (end == TLB_FLUSH_ALL) {
			p->c.flush_full++;
		} else {
			p->c.flush_ranged++;
			p->c.flush_pages += (end - start) >> PAGE_SHIFT;
		}
	}
	rcu_read_unlock();
}

#ifdef PTSCOPE_HAVE_FLUSH_TLB_INFO
/*
 * The shootdown itself is a paravirt op: native_flush_tlb_multi(), or
 * the KVM, Hyper-V or Xen variant (flush_tlb_multi() is inlined into its
 * callers).  The KVM and Hyper-V variants may call the native one for the
 * same flush; a flush is identified by its per-CPU info, its mm and the
 * TLB generation it brings the mm to, so the nested call is not counted
 * twice.
 */
struct shootdown_seen {
	const struct flush_tlb_info *info;
	const struct mm_struct *mm;
	u64 tlb_gen;
};

static DEFINE_PER_CPU(struct shootdown_seen, shootdown_seen);

static void ft_flush_tlb_multi(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op,
			       struct ftrace_regs *fregs)
{
	const struct cpumask *mask = (void *)ptscope_ftrace_arg(fregs, 0);
	const struct flush_tlb_info *info = (void *)ptscope_ftrace_arg(fregs, 1);
	struct shootdown_seen *seen = this_cpu_ptr(&shootdown_seen);
	struct ptscope_track_pcpu *p;
	struct ptscope_flush f;
	unsigned int others;

	ptscope_flush_read(info, &f);
	if (!f.mm)		/* batched reclaim flush: no single mm */
		return;
	if (seen->info == info && seen->mm == f.mm &&
	    seen->tlb_gen == f.new_tlb_gen)
		return;
	seen->info = info;
	seen->mm = f.mm;
	seen->tlb_gen = f.new_tlb_gen;
	rcu_read_lock();
	p = tracked_pcpu(f.mm);
	if (p) {
		others = cpumask_weight(mask);
		if (cpumask_test_cpu(smp_processor_id(), mask))
			others--;
		p->c.shootdowns++;
		p->c.shootdown_cpus += others;
	}
	rcu_read_unlock();
}

/*
 * flush_tlb_func() runs on each CPU a shootdown reaches; on the others
 * than the initiator it is exactly where the kernel bumps the
 * /proc/interrupts TLB count.
 */
static void ft_flush_tlb_func(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	const struct flush_tlb_info *info = (void *)ptscope_ftrace_arg(fregs, 0);
	struct ptscope_track_pcpu *p;
	struct ptscope_flush f;

	ptscope_flush_read(info, &f);
	if (f.initiating_cpu == smp_processor_id() || !f.mm)
		return;
	rcu_read_lock();
	p = tracked_pcpu(f.mm);
	if (p)
		p->c.received++;
	rcu_read_unlock();
}
#endif /* PTSCOPE_HAVE_FLUSH_TLB_INFO */

/*
 * do_swap_page() handles every non-present, non-empty PTE; only real swap
 * entries are swap-ins.  A retried fault comes back with
 * FAULT_FLAG_TRIED: count the first attempt only.
 */
static void ft_do_swap_page(unsigned long ip, unsigned long parent_ip,
			    struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct vm_fault *vmf = (void *)ptscope_ftrace_arg(fregs, 0);
	struct ptscope_track_pcpu *p;

	if (vmf->flags & FAULT_FLAG_TRIED)
		return;
	if (!ptscope_pte_is_swap(vmf->orig_pte))
		return;
	rcu_read_lock();
	p = tracked_pcpu(vmf->vma->vm_mm);
	if (p)
		p->c.swapins++;
	rcu_read_unlock();
}

struct ptscope_ft {
	const char *names[4];	/* hooked: those this kernel has */
	u64 bit;
	struct ftrace_ops ops;
	bool registered;
};

/* FL_RCU: never called where RCU is not watching; FL_RECURSION: guarded. */
#define PTSCOPE_FT(fn, probe, ...) {					\
	.names = { __VA_ARGS__ },					\
	.bit = (probe),							\
	.ops = {							\
		.func = ft_##fn,					\
		.flags = FTRACE_OPS_FL_RCU | FTRACE_OPS_FL_RECURSION,	\
	},								\
}

static struct ptscope_ft ptscope_fts[] = {
	PTSCOPE_FT(flush_tlb_mm_range, PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE,
		   "flush_tlb_mm_range"),
#ifdef PTSCOPE_HAVE_FLUSH_TLB_INFO
	PTSCOPE_FT(flush_tlb_multi, PTSCOPE_PROBE_FLUSH_TLB_MULTI,
		   "native_flush_tlb_multi", "kvm_flush_tlb_multi",
		   "hyperv_flush_tlb_multi", "xen_flush_tlb_multi"),
	PTSCOPE_FT(flush_tlb_func, PTSCOPE_PROBE_FLUSH_TLB_FUNC,
		   "flush_tlb_func"),
#endif
	PTSCOPE_FT(do_swap_page, PTSCOPE_PROBE_DO_SWAP_PAGE, "do_swap_page"),
};

/* -- handle_mm_fault() ------------------------------------------------- */

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
	struct ptscope_cpu_state *st = this_cpu_ptr(&ptscope_cpu_state);
	unsigned int kind = 0;

	if (flags & FAULT_FLAG_WRITE)
		kind |= FK_WRITE;
	if (flags & FAULT_FLAG_INSTRUCTION)
		kind |= FK_EXEC;
	if (flags & FAULT_FLAG_TRIED)
		kind |= FK_TRIED;
	if (!fault_regs)
		kind |= FK_GUP;
	else if (st->fault_task == current && st->fault_addr == address)
		kind |= (st->fault_code & X86_PF_PROT) ? FK_PROTECTION :
							 FK_NOT_PRESENT;
	if (vma_is_anonymous(vma))
		kind |= FK_ANON;
	else if (vma->vm_file &&
		 vma->vm_file->f_mapping->host->i_sb->s_magic == TMPFS_MAGIC)
		kind |= FK_SHMEM;
	return kind;
}

static int fault_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct vm_area_struct *vma = (void *)regs_get_kernel_argument(regs, 0);
	unsigned long address = regs_get_kernel_argument(regs, 1);
	unsigned int flags = regs_get_kernel_argument(regs, 2);
	struct pt_regs *fault_regs = (void *)regs_get_kernel_argument(regs, 3);
	struct fault_ctx *ctx = (void *)ri->data;
	bool tracked;

	rcu_read_lock();
	tracked = ptscope_tracked_find(vma->vm_mm);
	rcu_read_unlock();
	if (!tracked)
		return 1;	/* no return hook for this call */

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
	return 0;
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

/* Mirrors mm_account_fault(), so the counts match min_flt/maj_flt. */
static void fault_account(struct ptscope_track_pcpu *p,
			  const struct fault_ctx *ctx, vm_fault_t ret, u64 ns)
{
	unsigned int kind = ctx->kind;
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
	major = (ret & VM_FAULT_MAJOR) || (kind & FK_TRIED);
	if (major)
		p->c.major++;
	else
		p->c.minor++;

	if (kind & FK_EXEC)
		p->c.exec++;
	else if (kind & FK_WRITE)
		p->c.write++;
	else
		p->c.read++;

	if (kind & FK_GUP)
		p->c.gup++;
	else if (kind & FK_PROTECTION)
		p->c.protection++;
	else if (kind & FK_NOT_PRESENT)
		p->c.not_present++;
	else
		p->c.cause_unknown++;

	if (kind & FK_ANON)
		p->c.anon++;
	else if (kind & FK_SHMEM)
		p->c.shmem++;
	else
		p->c.file++;

	range_count(p, ctx->vm_start, ctx->vm_end, major);
}

static int fault_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const struct fault_ctx *ctx = (const void *)ri->data;
	/* __force: the return register holds the vm_fault_t bits. */
	vm_fault_t ret = (__force vm_fault_t)regs_return_value(regs);
	s64 delta = local_clock() - ctx->t0;
	u64 ns = delta > 0 ? delta : 0;		/* CPU clocks may differ */
	struct ptscope_track_pcpu *p;

	rcu_read_lock();
	p = tracked_pcpu(ctx->mm);
	if (p)
		fault_account(p, ctx, ret, ns);
	rcu_read_unlock();
	return 0;
}

static struct kretprobe fault_krp;
static bool fault_krp_registered;

static int fault_krp_register(void)
{
	memset(&fault_krp, 0, sizeof(fault_krp));
	fault_krp.kp.symbol_name = "handle_mm_fault";
	fault_krp.entry_handler = fault_entry;
	fault_krp.handler = fault_return;
	fault_krp.data_size = sizeof(struct fault_ctx);
	/* Faults sleep (I/O, locks): allow many in flight per CPU. */
	fault_krp.maxactive = max_t(int, 64, 8 * num_possible_cpus());
	return register_kretprobe(&fault_krp);
}

u64 ptscope_probes_fault_missed(void)
{
	return fault_krp_registered ? READ_ONCE(fault_krp.nmissed) : 0;
}

/* -- Registration ------------------------------------------------------ */

void ptscope_probes_register(void)
{
	int i, err;

	for (i = 0; i < ARRAY_SIZE(ptscope_tps); i++) {
		struct ptscope_tp *p = &ptscope_tps[i];

		if (!p->tp)
			continue;
		err = tracepoint_probe_register(p->tp, p->probe, NULL);
		if (err) {
			pr_warn("cannot attach to tracepoint %s: %d\n",
				p->name, err);
			continue;
		}
		p->registered = true;
		ptscope_probes_active |= p->bit;
	}
	for (i = 0; i < ARRAY_SIZE(ptscope_fts); i++) {
		struct ptscope_ft *f = &ptscope_fts[i];

		if (!(ptscope_probes_available & f->bit))
			continue;
		err = register_ftrace_function(&f->ops);
		if (err) {
			pr_warn("cannot hook %s: %d\n", f->names[0], err);
			continue;
		}
		f->registered = true;
		ptscope_probes_active |= f->bit;
	}
	if (ptscope_probes_available & PTSCOPE_PROBE_HANDLE_MM_FAULT) {
		err = fault_krp_register();
		if (err) {
			pr_warn("cannot probe handle_mm_fault: %d\n", err);
		} else {
			fault_krp_registered = true;
			ptscope_probes_active |= PTSCOPE_PROBE_HANDLE_MM_FAULT;
		}
	}
	if (ptscope_probes_available & PTSCOPE_PROBE_IRQ_TLB_COUNT)
		ptscope_probes_active |= PTSCOPE_PROBE_IRQ_TLB_COUNT;
}

/*
 * Each unregister call waits until no handler of that hook runs any more
 * (ftrace and kprobes synchronise; tracepoints need the explicit wait),
 * so once this returns no probe can touch a tracked object.
 */
void ptscope_probes_unregister(void)
{
	int i;

	if (fault_krp_registered) {
		unregister_kretprobe(&fault_krp);
		fault_krp_registered = false;
	}
	for (i = 0; i < ARRAY_SIZE(ptscope_fts); i++) {
		if (!ptscope_fts[i].registered)
			continue;
		unregister_ftrace_function(&ptscope_fts[i].ops);
		ptscope_fts[i].registered = false;
	}
	for (i = 0; i < ARRAY_SIZE(ptscope_tps); i++) {
		if (!ptscope_tps[i].registered)
			continue;
		tracepoint_probe_unregister(ptscope_tps[i].tp,
					    ptscope_tps[i].probe, NULL);
		ptscope_tps[i].registered = false;
	}
	tracepoint_synchronize_unregister();
	ptscope_probes_active = 0;
}

/*
 * Add @name to @ops's filter if ftrace can hook it here (it exists and is
 * neither notrace nor inlined away).  @reset starts a new filter.
 */
static bool ft_filter(struct ftrace_ops *ops, const char *name, bool reset)
{
	char buf[32];

	strscpy(buf, name, sizeof(buf));
	return !ftrace_set_filter(ops, buf, strlen(buf), reset);
}

int ptscope_probes_init(void)
{
	struct ftrace_ops check_ops = {};
	int i;

	for_each_kernel_tracepoint(tp_lookup, NULL);
	for (i = 0; i < ARRAY_SIZE(ptscope_tps); i++)
		if (ptscope_tps[i].tp)
			ptscope_probes_available |= ptscope_tps[i].bit;

	/* The filters stay set; registration arms them. */
	for (i = 0; i < ARRAY_SIZE(ptscope_fts); i++) {
		struct ptscope_ft *f = &ptscope_fts[i];
		bool any = false;
		int n;

		for (n = 0; n < ARRAY_SIZE(f->names) && f->names[n]; n++)
			if (ft_filter(&f->ops, f->names[n], !any))
				any = true;
		if (any)
			ptscope_probes_available |= f->bit;
	}

	/* A kprobe at an ftrace-able entry is an ftrace-based kprobe. */
	if (ft_filter(&check_ops, "handle_mm_fault", true))
		ptscope_probes_available |= PTSCOPE_PROBE_HANDLE_MM_FAULT;
	ftrace_free_filter(&check_ops);

	if (IS_ENABLED(CONFIG_SMP))
		ptscope_probes_available |= PTSCOPE_PROBE_IRQ_TLB_COUNT;
	return 0;
}

void ptscope_probes_exit(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ptscope_fts); i++)
		ftrace_free_filter(&ptscope_fts[i].ops);
}
