// SPDX-License-Identifier: GPL-2.0
/*
 * The hooks behind tracking: who flushes whose TLB, and which faults an
 * mm takes.  Registered only while something is tracked.
 *
 * Entry-only hooks are ftrace_ops callbacks (the cheapest entry probe a
 * module can place); the handle_mm_fault() hook, which may also need the
 * return, is fault_probe.c's.  Every counter lives in the tracked mm's
 * per-CPU area, so the hot paths take no lock.
 *
 * Attribution always uses the mm the kernel is working on, taken from the
 * probed function's arguments, never current->mm: shootdowns run on
 * other CPUs, and faults may come from get_user_pages() in another task.
 */
#include <linux/ftrace.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "compat.h"
#include "tlb_info.h"
#include "fault_probe.h"
#include "probes.h"
#include "tlb_notifier.h"

u64 ptscope_probes_available;
u64 ptscope_probes_active;

/* Per-CPU state outside any tracked mm: system-wide tlb_flush counts. */
struct ptscope_cpu_state {
	u64 tp[PTSCOPE_TP_NR];
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

struct ptscope_tp {
	const char *name;
	void *probe;
	u64 bit;
	struct tracepoint *tp;
	bool registered;
};

static struct ptscope_tp ptscope_tps[] = {
	{ "tlb_flush", tp_tlb_flush, PTSCOPE_PROBE_TLB_FLUSH_TP },
	{ "page_fault_user", ptscope_tp_page_fault, PTSCOPE_PROBE_PAGE_FAULT_TP },
	{ "page_fault_kernel", ptscope_tp_page_fault, PTSCOPE_PROBE_PAGE_FAULT_TP },
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
		if (end == PTSCOPE_TLB_FLUSH_ALL) {
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

#ifdef PTSCOPE_ARCH_FAULT_HOOK
/*
 * Where no tracepoint gives the hardware fault (arm64), the architecture's
 * fault handler does: its address and syndrome, as page_fault_user would.
 */
static void ft_fault_syndrome(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	ptscope_fault_hw_seen(PTSCOPE_ARCH_FAULT_ADDR(ptscope_ftrace_arg(fregs, 0)),
			      ptscope_ftrace_arg(fregs, 1));
}
#endif

struct ptscope_ft {
	const char *names[4];	/* hooked: those this kernel has */
	bool first_only;	/* names are alternatives: the first it has */
	u64 bit;
	struct ftrace_ops ops;
	bool registered;
};

/* FL_RCU: never called where RCU is not watching; FL_RECURSION: guarded. */
#define PTSCOPE_FT_OF(fn, probe, first, ...) {				\
	.names = { __VA_ARGS__ },					\
	.first_only = (first),						\
	.bit = (probe),							\
	.ops = {							\
		.func = ft_##fn,					\
		.flags = FTRACE_OPS_FL_RCU | FTRACE_OPS_FL_RECURSION,	\
	},								\
}

#define PTSCOPE_FT(fn, probe, ...) PTSCOPE_FT_OF(fn, probe, false, __VA_ARGS__)
#define PTSCOPE_FT_FIRST(fn, probe, ...) PTSCOPE_FT_OF(fn, probe, true, __VA_ARGS__)

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
#ifdef PTSCOPE_ARCH_FAULT_HOOK
	/*
	 * One of them: where both can be hooked (arm64 6.1), do_mem_abort()
	 * calls do_page_fault(), and each user fault would run the hook twice.
	 */
	PTSCOPE_FT_FIRST(fault_syndrome, PTSCOPE_PROBE_FAULT_SYNDROME,
			 PTSCOPE_ARCH_FAULT_HOOK),
#endif
};

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
	ptscope_probes_active |= ptscope_fault_probe_register();
	if (ptscope_probes_available & PTSCOPE_PROBE_IRQ_TLB_COUNT)
		ptscope_probes_active |= PTSCOPE_PROBE_IRQ_TLB_COUNT;
	/* Every tracked mm has the notifier: track-start fails without. */
	if (ptscope_probes_available & PTSCOPE_PROBE_MMU_NOTIFIER_TLB)
		ptscope_probes_active |= PTSCOPE_PROBE_MMU_NOTIFIER_TLB;
}

/*
 * Once this returns no probe can touch a tracked object: unregistering
 * ftrace ops and kprobes waits for their running handlers, and the RCU
 * grace period tracepoint_synchronize_unregister() ends with covers the
 * tracepoints and an fgraph fprobe's return handler, which may still run
 * after unregister_fprobe() but looks the object up under rcu_read_lock().
 */
void ptscope_probes_unregister(void)
{
	int i;

	ptscope_fault_probe_unregister();
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
	int i;

	for_each_kernel_tracepoint(tp_lookup, NULL);
	for (i = 0; i < ARRAY_SIZE(ptscope_tps); i++) {
		struct ptscope_tp *p = &ptscope_tps[i];

		/*
		 * Some arm64 kernels define tlb_flush too, but only x86's
		 * IPI shootdowns fire it: not there, rather than always 0.
		 */
		if (p->bit == PTSCOPE_PROBE_TLB_FLUSH_TP && !PTSCOPE_ARCH_TLB_IPI)
			p->tp = NULL;
		if (p->tp)
			ptscope_probes_available |= p->bit;
	}

	/* The filters stay set; registration arms them. */
	for (i = 0; i < ARRAY_SIZE(ptscope_fts); i++) {
		struct ptscope_ft *f = &ptscope_fts[i];
		bool any = false;
		int n;

		for (n = 0; n < ARRAY_SIZE(f->names) && f->names[n]; n++) {
			if (ft_filter(&f->ops, f->names[n], !any))
				any = true;
			if (any && f->first_only)
				break;
		}
		if (any)
			ptscope_probes_available |= f->bit;
	}

	ptscope_fault_probe_init();
	ptscope_probes_available |= ptscope_fault_probe_available();

	if (PTSCOPE_ARCH_TLB_IPI && IS_ENABLED(CONFIG_SMP))
		ptscope_probes_available |= PTSCOPE_PROBE_IRQ_TLB_COUNT;
	/* Registered per tracked mm by track.c: nothing to arm here. */
	if (PTSCOPE_TLB_NOTIFIER_AVAILABLE)
		ptscope_probes_available |= PTSCOPE_PROBE_MMU_NOTIFIER_TLB;
	return 0;
}

void ptscope_probes_exit(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ptscope_fts); i++)
		ftrace_free_filter(&ptscope_fts[i].ops);
	ptscope_fault_probe_exit();
}
