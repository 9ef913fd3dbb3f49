/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libptscope: a small client library over libnl-genl-3 for the ptscope
 * generic netlink family.  Used by the ptscope CLI and by the tests.
 *
 * Every function returns 0 or a negative errno.  When the kernel attached
 * an extended ACK message to a failure, ptscope_errmsg() returns it until
 * the next call on the same client.
 */
#ifndef PTSCOPE_CLIENT_H
#define PTSCOPE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/ptscope.h>

struct ptscope_client;

/* Opens a generic netlink socket and resolves the "ptscope" family.
 * -ENOENT: the family is not registered (module not loaded). */
int ptscope_open(struct ptscope_client **out);
/*
 * The same, but never makes the kernel load the module: a daemon (the
 * exporter) must not undo an administrator's rmmod.  -ENOENT if the
 * family is not registered.
 */
int ptscope_open_loaded(struct ptscope_client **out);
void ptscope_close(struct ptscope_client *c);

/* Extended ACK message of the last failed request, or "" if none. */
const char *ptscope_errmsg(const struct ptscope_client *c);

/*
 * How many dumps on this client the kernel marked NLM_F_DUMP_INTR: the
 * target's VMAs (or the tracked set) changed while it was being dumped,
 * so that dump's result mixes before and after.  The dump still returns
 * 0 and every callback ran: compare the count before and after a call to
 * know, and call again if one consistent picture matters.
 */
unsigned long ptscope_dumps_interrupted(const struct ptscope_client *c);

struct ptscope_info {
	char module_version[64];
	uint32_t proto_version;
	char kernel_release[65];
	uint32_t page_size;
	uint32_t pgtable_levels;
	uint64_t user_va_end;
	uint64_t features;		/* PTSCOPE_FEAT_* */
	bool privileged;
	bool allow_same_user;
	uint32_t live_dumps;
	/* mmap_lock read holds by walks since load or the last reset */
	uint64_t lock_holds, lock_hold_max_ns, lock_hold_total_ns;
	/* Tracking */
	uint32_t tracked, max_tracked, track_objects;
	uint64_t probes;		/* PTSCOPE_PROBE_* the kernel has */
	uint64_t probes_active;		/* PTSCOPE_PROBE_* registered now */
	char arch[65];			/* uname -m; "" from older modules */
	/*
	 * PTSCOPE_PF_* this architecture's page tables have; the others are
	 * never set (absent, not clear).  Older modules do not say.
	 */
	uint32_t page_flags;
	bool has_page_flags;
};

int ptscope_get_info(struct ptscope_client *c, struct ptscope_info *info);
/* Same, with PTSCOPE_INFO_F_* request flags. */
int ptscope_get_info_flags(struct ptscope_client *c, uint32_t flags,
			   struct ptscope_info *info);

struct ptscope_vma {
	uint64_t start, end;
	uint64_t pgoff;			/* bytes */
	uint64_t flags;			/* PTSCOPE_VMA_F_* */
	uint32_t kind;			/* enum ptscope_vma_kind */
	char name[4096];		/* "" if anonymous without a name */
	uint64_t inode;
	uint32_t dev;
	bool has_counts;
	/* nr_present, nr_accessed, ...: the module's vma_counters.def */
#define PTSCOPE_VMA_COUNTER(attr, mask, name, ...) uint64_t nr_##name;
#include "../../module/vma_counters.def"
#undef PTSCOPE_VMA_COUNTER
};

/* Callbacks return 0 to continue or a negative errno to abort the dump,
 * which the dump function then returns. */
typedef int (*ptscope_vma_cb)(const struct ptscope_vma *vma, void *arg);

/* end == 0 means "to the end of the address space". */
int ptscope_get_vmas(struct ptscope_client *c, pid_t pid,
		     uint64_t start, uint64_t end, uint32_t flags,
		     ptscope_vma_cb cb, void *arg);

struct ptscope_run {
	uint64_t start;
	uint64_t nr_pages;
	uint32_t flags;			/* PTSCOPE_PF_* */
	bool has_pfn;
	uint64_t pfn;
	bool has_swap;
	uint32_t swap_type;
	uint64_t swap_offset;
};

typedef int (*ptscope_run_cb)(const struct ptscope_run *run, void *arg);

/*
 * Runs are delivered in address order, as the kernel sends them: maximal
 * within a VMA, never crossing a VMA boundary (see linux/ptscope.h).
 * Unless @flags has PTSCOPE_PAGES_F_PFN_RUNS, the request asks for the
 * compact encoding (PTSCOPE_PAGES_F_COMPACT) and expands its blocks into
 * the same runs; runs then carry no PFN or swap location.  PFNs and swap
 * slots come only with PTSCOPE_PAGES_F_PFN_RUNS.  ptscope_set_compact()
 * turns the compact encoding off.
 */
int ptscope_get_pages(struct ptscope_client *c, pid_t pid,
		      uint64_t start, uint64_t end, uint32_t flags,
		      ptscope_run_cb cb, void *arg);

/*
 * A compact block as the kernel sent it: one flags word (PTSCOPE_PF_*) per
 * page from @start, in host byte order: 16-bit words at @flags16, which is
 * NOT 2-byte aligned (netlink aligns attribute payloads to 4 bytes only):
 * read it with memcpy(); or, where the module has flags above bit 15
 * (arm64's pxn and cont), 32-bit ones at @flags32 (@flags16 then NULL).
 * ptscope_block_word() reads either.  A block holds whole runs of one
 * VMA: nothing merges across its edges.
 */
struct ptscope_block {
	uint64_t start;
	size_t nr_pages;
	const void *flags16;
	const void *flags32;
};

static inline uint32_t ptscope_block_word(const struct ptscope_block *b, size_t i)
{
	uint16_t w16;
	uint32_t w32;

	if (b->flags16) {
		__builtin_memcpy(&w16, (const unsigned char *)b->flags16 + 2 * i, 2);
		return w16;
	}
	__builtin_memcpy(&w32, (const unsigned char *)b->flags32 + 4 * i, 4);
	return w32;
}

typedef int (*ptscope_block_cb)(const struct ptscope_block *block, void *arg);

/*
 * As ptscope_get_pages(), but blocks go to @block_cb as they came instead
 * of being expanded into runs (runs still go to @run_cb), for a caller
 * that keeps them compact (`ptscope record`); @flags16 is valid only
 * during the call.  Without the compact encoding there are only runs.
 */
int ptscope_get_pages_blocks(struct ptscope_client *c, pid_t pid,
			     uint64_t start, uint64_t end, uint32_t flags,
			     ptscope_run_cb run_cb, ptscope_block_cb block_cb,
			     void *arg);

/*
 * Whether ptscope_get_pages() asks for the compact encoding (the default:
 * true).  false gets runs only, as from kernels before blocks: the same
 * runs, more bytes; for comparing the two and for measuring them.
 */
void ptscope_set_compact(struct ptscope_client *c, bool compact);

/*
 * Whether the compact encoding asks for blocks of 32-bit flags words
 * (PTSCOPE_PAGES_F_FLAGS32).  By default the first get-pages decides:
 * yes where the module's page flags (get-info) go beyond 16 bits, as on
 * arm64; without them pages with those flags come as runs.
 */
void ptscope_set_flags32(struct ptscope_client *c, bool flags32);

struct ptscope_xlate_level {
	uint32_t level;			/* enum ptscope_pt_level */
	uint32_t index;
	uint32_t flags;			/* PTSCOPE_PF_* */
	bool has_entry;
	uint64_t entry;
	bool folded;
	bool leaf;
};

struct ptscope_xlate {
	uint64_t addr;
	int nr_levels;
	struct ptscope_xlate_level levels[5];
	uint32_t stop_level;		/* enum ptscope_pt_level */
	uint32_t stop_reason;		/* enum ptscope_stop_reason */
	uint32_t flags;			/* PTSCOPE_PF_* of the mapping */
	uint64_t page_size;
	bool has_phys;
	uint64_t phys_addr;
	bool has_vma;
	uint64_t vma_start, vma_end;
	bool has_swap;
	uint32_t swap_type;
	uint64_t swap_offset;
};

int ptscope_translate(struct ptscope_client *c, pid_t pid, uint64_t addr,
		      struct ptscope_xlate *out);

/* A page table, from get-tables with a depth. */
struct ptscope_table {
	uint32_t level;			/* enum ptscope_pt_level */
	uint64_t addr;			/* first address it maps */
	uint32_t entries;		/* in use */
	uint32_t leaves;		/* present entries mapping memory */
};

/* Totals of one paging level. */
struct ptscope_level_stats {
	uint32_t level;			/* enum ptscope_pt_level */
	uint64_t tables, entries, leaves, bytes;
	bool folded;			/* P4D with 4-level paging */
};

struct ptscope_tables {
	int nr_levels;
	struct ptscope_level_stats levels[5];	/* PGD first */
};

typedef int (*ptscope_table_cb)(const struct ptscope_table *t, void *arg);

/*
 * The page tables under the VMAs in [start, end) (end == 0: to the end).
 * With depth >= 0 (an enum ptscope_pt_level), @cb sees every table of that
 * level and above, parents before children; with depth < 0 only the
 * totals are fetched (@cb may be NULL).  Totals land in @out.
 */
int ptscope_get_tables(struct ptscope_client *c, pid_t pid,
		       uint64_t start, uint64_t end, int depth,
		       ptscope_table_cb cb, void *arg,
		       struct ptscope_tables *out);

/* Tracking: TLB shootdowns and page faults of one process's mm. */
int ptscope_track_start(struct ptscope_client *c, pid_t pid);
/* pid > 0: that process; pid == 0: every tracked process the caller may
 * track.  *stopped (may be NULL) gets the number no longer tracked. */
int ptscope_track_stop(struct ptscope_client *c, pid_t pid,
		       uint32_t *stopped);

struct ptscope_cpu_stats {
	uint32_t cpu;
	uint64_t tlb_received;		/* shootdowns for this mm received */
	/* System-wide, for context (see enum ptscope_cpu_attrs) */
	bool has_irq_tlb;
	uint64_t irq_tlb;		/* /proc/interrupts TLB delta */
	uint64_t irq_tlb_total;		/* since boot */
	bool has_tp;
	uint64_t tp_remote, tp_local, tp_task_switch, tp_send_ipi;
};

struct ptscope_range_stats {
	uint64_t start, end;
	uint64_t faults, major;
};

/*
 * The probes that count flush requests: flush_tlb_mm_range() (x86), the
 * mmu notifier (arm64, 6.6+).  arm64 has no shootdown interrupts: there
 * FLUSH_TLB_MULTI and FLUSH_TLB_FUNC are never in have.
 */
#define PTSCOPE_TLB_FLUSH_SOURCES	(PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE | \
					 PTSCOPE_PROBE_MMU_NOTIFIER_TLB)

struct ptscope_stats {
	pid_t pid;
	char comm[17];
	uint64_t track_ns;
	/* PTSCOPE_PROBE_* whose counters the reply carried; the counters of
	 * the others are 0 here but mean "unavailable", not zero. */
	uint64_t have;
	/* PTSCOPE_TLB_FLUSH_SOURCES: the one that counted them is in have */
	uint64_t tlb_flush_full, tlb_flush_ranged, tlb_flush_pages;
	/* PTSCOPE_PROBE_FLUSH_TLB_MULTI */
	uint64_t tlb_shootdowns, tlb_shootdown_cpus;
	/* PTSCOPE_PROBE_FLUSH_TLB_FUNC */
	uint64_t tlb_received;
	int nr_cpus;
	struct ptscope_cpu_stats *cpus;	/* by CPU number */
	/* PTSCOPE_PROBE_HANDLE_MM_FAULT; faults: see the spec's faults */
	uint64_t faults;
	uint64_t read, write, exec;
	uint64_t anon, file, shmem;
	int nr_ranges;
	struct ptscope_range_stats *ranges;	/* by address; major: FAULT_RETURN */
	uint64_t ranges_dropped;
	/* PTSCOPE_PROBE_FAULT_RETURN */
	uint64_t minor, major, retries, errors;
	uint64_t lat_hist[PTSCOPE_LAT_BUCKETS];
	uint64_t lat_sum_ns, lat_missed;
	/* PTSCOPE_PROBE_PAGE_FAULT_TP (with HANDLE_MM_FAULT) */
	uint64_t not_present, protection, gup, cause_unknown;
	/* PTSCOPE_PROBE_DO_SWAP_PAGE */
	uint64_t swapins;
	/* Task counters, all threads: always present */
	uint64_t task_min_flt, task_maj_flt;
	uint64_t task_min_flt_start, task_maj_flt_start;
};

/* Fills *out; release it with ptscope_stats_free(). */
int ptscope_get_stats(struct ptscope_client *c, pid_t pid,
		      struct ptscope_stats *out);
void ptscope_stats_free(struct ptscope_stats *s);

/* Every tracked process the caller may see; @s is freed after @cb. */
typedef int (*ptscope_stats_cb)(const struct ptscope_stats *s, void *arg);
int ptscope_list_stats(struct ptscope_client *c, ptscope_stats_cb cb,
		       void *arg);

/*
 * sample-access: which pages were accessed since the last sample.  A block
 * is @nr_pages pages from @start, all in one VMA, in address order; pages
 * of the range in no block are not present.  With @states, two bits per
 * page (PTSCOPE_ACCESS_PRESENT | PTSCOPE_ACCESS_ACCESSED; read them with
 * ptscope_access_state()), valid only during the callback; without it,
 * every page has the state @fill.
 */
struct ptscope_access_block {
	uint64_t start;
	uint64_t nr_pages;
	const uint8_t *states;
	uint32_t fill;
};

static inline unsigned int
ptscope_access_state(const struct ptscope_access_block *b, uint64_t i)
{
	if (!b->states)
		return b->fill;
	return (b->states[i / 4] >> (2 * (i % 4))) & 3;
}

/* What the kernel did for one sample (PTSCOPE_ACCESS_STATS_A_*). */
struct ptscope_access_stats {
	uint64_t entries;	/* page-table entries visited */
	uint64_t present;	/* pages present */
	uint64_t accessed;	/* pages accessed since the last sample */
	uint64_t cleared;	/* entries whose accessed bit was cleared */
	uint64_t young_marked;	/* folios marked young for reclaim */
	uint64_t flushes;	/* TLB flush rounds */
	uint64_t flush_cpus;	/* CPUs interrupted, summed over rounds */
};

typedef int (*ptscope_access_cb)(const struct ptscope_access_block *b,
				 void *arg);

/*
 * Read and clear the accessed bits of @pid's pages in [@start, @end) (0, 0:
 * everything).  CAP_SYS_ADMIN only.  @flags: PTSCOPE_ACCESS_F_DISCARD
 * clears without sending blocks (@cb may then be NULL).  @stats, if not
 * NULL, gets the kernel's access-stats (zeroed if it sent none).
 */
int ptscope_sample_access(struct ptscope_client *c, pid_t pid,
			  uint64_t start, uint64_t end, uint32_t flags,
			  ptscope_access_cb cb, void *arg,
			  struct ptscope_access_stats *stats);

/* Names for printing: stable strings, also used as JSON values. */
const char *ptscope_vma_kind_name(uint32_t kind);	/* "anon", "file", ... */
const char *ptscope_level_name(uint32_t level);		/* "pgd", ... "pte" */
const char *ptscope_stop_reason_name(uint32_t reason);	/* "mapped", ... */
/* Writes space-separated flag names ("present write user ...") into buf. */
void ptscope_page_flags_str(uint32_t flags, char *buf, size_t len);
/* Writes smaps-style VmFlags mnemonics ("rd wr mr mw me ac") into buf. */
void ptscope_vma_flags_str(uint64_t flags, char *buf, size_t len);

#endif /* PTSCOPE_CLIENT_H */
