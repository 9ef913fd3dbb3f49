/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/ptscope.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_PTSCOPE_H
#define _UAPI_LINUX_PTSCOPE_H

#define PTSCOPE_GENL_NAME	"ptscope"
#define PTSCOPE_GENL_VERSION	1

/**
 * enum ptscope_vmas_flags
 * @PTSCOPE_VMAS_F_NO_COUNTS: Skip the page-table walk; no nr-* counts in the
 *   reply.
 */
enum ptscope_vmas_flags {
	PTSCOPE_VMAS_F_NO_COUNTS = 1,

	/* private: */
	PTSCOPE_VMAS_F_MASK = 1,
};

/**
 * enum ptscope_pages_flags
 * @PTSCOPE_PAGES_F_PFN_RUNS: Split runs where physical frames stop being
 *   contiguous, so every present run carries a pfn. CAP_SYS_ADMIN only.
 * @PTSCOPE_PAGES_F_COMPACT: Where attributes change every few pages, send
 *   blocks (one flags word per page) instead of runs when that is smaller. A
 *   block holds whole runs, so clients expand each on its own. No run or block
 *   then carries PFN or swap locations. Ignored together with pfn-runs.
 * @PTSCOPE_PAGES_F_FLAGS32: With compact: blocks carry flags32 (one u32 per
 *   page) instead of flags16, so that pages with page-flags above bit 15 (pxn,
 *   cont: arm64) go into blocks too; without it those pages always come as
 *   runs. Ask for it where get-info's page-flags has such bits. Without
 *   compact it is refused (EINVAL).
 */
enum ptscope_pages_flags {
	PTSCOPE_PAGES_F_PFN_RUNS = 1,
	PTSCOPE_PAGES_F_COMPACT = 2,
	PTSCOPE_PAGES_F_FLAGS32 = 4,

	/* private: */
	PTSCOPE_PAGES_F_MASK = 7,
};

/**
 * enum ptscope_info_flags
 * @PTSCOPE_INFO_F_RESET_LOCK_STATS: Zero the mmap_lock hold statistics after
 *   reporting them.
 */
enum ptscope_info_flags {
	PTSCOPE_INFO_F_RESET_LOCK_STATS = 1,

	/* private: */
	PTSCOPE_INFO_F_MASK = 1,
};

/**
 * enum ptscope_track_flags
 * @PTSCOPE_TRACK_F_ALL: track-stop every tracked process the caller may track.
 */
enum ptscope_track_flags {
	PTSCOPE_TRACK_F_ALL = 1,

	/* private: */
	PTSCOPE_TRACK_F_MASK = 1,
};

/**
 * enum ptscope_probes - Kernel hooks tracking uses; counters of missing ones
 *   are absent.
 * @PTSCOPE_PROBE_HANDLE_MM_FAULT: handle_mm_fault() entry: faults by access,
 *   cause and backing, and by VMA range.
 * @PTSCOPE_PROBE_FAULT_RETURN: handle_mm_fault() return: minor and major
 *   faults, retries, errors, latency. Armed only with the module parameter
 *   fault_latency=1: it costs every fault of every process, tracked or not.
 * @PTSCOPE_PROBE_FAULT_FGRAPH: The return hook is an fprobe on fgraph (6.14+):
 *   faults of untracked processes get no return hook (a kretprobe before).
 * @PTSCOPE_PROBE_FAULT_SYNDROME: arm64: do_page_fault() entry, whose syndrome
 *   (ESR) tells a permission fault from a translation or access-flag one: what
 *   page-fault-tp tells on x86 (arm64 has no such tracepoint).
 * @PTSCOPE_PROBE_MMU_NOTIFIER_TLB: arm64 (6.6+): an mmu notifier registered on
 *   each tracked mm (and only there) whose arch_invalidate_secondary_tlbs op
 *   arm64's flush_tlb_mm(), range and page flushes call: the tlb-flush-*
 *   counters, one per broadcast invalidation (TLBI ... IS) issued for the
 *   process. arm64 has no shootdown interrupts: the shootdown and received
 *   counters stay absent there.
 */
enum ptscope_probes {
	PTSCOPE_PROBE_TLB_FLUSH_TP = 1,
	PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE = 2,
	PTSCOPE_PROBE_FLUSH_TLB_MULTI = 4,
	PTSCOPE_PROBE_FLUSH_TLB_FUNC = 8,
	PTSCOPE_PROBE_HANDLE_MM_FAULT = 16,
	PTSCOPE_PROBE_DO_SWAP_PAGE = 32,
	PTSCOPE_PROBE_PAGE_FAULT_TP = 64,
	PTSCOPE_PROBE_IRQ_TLB_COUNT = 128,
	PTSCOPE_PROBE_FAULT_RETURN = 256,
	PTSCOPE_PROBE_FAULT_FGRAPH = 512,
	PTSCOPE_PROBE_FAULT_SYNDROME = 1024,
	PTSCOPE_PROBE_MMU_NOTIFIER_TLB = 2048,
};

/**
 * enum ptscope_access_flags
 * @PTSCOPE_ACCESS_F_DISCARD: Clear the accessed bits and report only
 *   access-stats: the first sample of a series, whose bits tell of every
 *   access since the pages were mapped.
 */
enum ptscope_access_flags {
	PTSCOPE_ACCESS_F_DISCARD = 1,

	/* private: */
	PTSCOPE_ACCESS_F_MASK = 1,
};

/**
 * enum ptscope_access_state - A page's state in an access block, two bits per
 *   page.
 * @PTSCOPE_ACCESS_PRESENT: Mapped by a present PTE or huge PMD/PUD leaf.
 * @PTSCOPE_ACCESS_ACCESSED: Its accessed bit was set, i.e. accessed since the
 *   last sample.
 */
enum ptscope_access_state {
	PTSCOPE_ACCESS_PRESENT = 1,
	PTSCOPE_ACCESS_ACCESSED = 2,
};

#define PTSCOPE_LAT_BUCKETS	32

/**
 * enum ptscope_features
 * @PTSCOPE_FEAT_YOUNG_FLAG: sample-access marks the folios whose accessed bit
 *   it clears young (CONFIG_PAGE_IDLE_FLAG), so reclaim still counts them
 *   referenced.
 * @PTSCOPE_FEAT_ACCESS_EXACT: sample-access can make every CPU drop the
 *   target's cached translations after clearing, so the next access sets the
 *   bit again. Without it (PCID without INVPCID on 7.x, Xen PV) samples may
 *   miss accesses made through translations still cached.
 */
enum ptscope_features {
	PTSCOPE_FEAT_SOFT_DIRTY = 1,
	PTSCOPE_FEAT_UFFD_WP = 2,
	PTSCOPE_FEAT_ANON_VMA_NAME = 4,
	PTSCOPE_FEAT_NUMA_HINTING = 8,
	PTSCOPE_FEAT_THP = 16,
	PTSCOPE_FEAT_PTE_RCU_FREE = 32,
	PTSCOPE_FEAT_YOUNG_FLAG = 64,
	PTSCOPE_FEAT_ACCESS_EXACT = 128,
};

enum ptscope_vma_kind {
	PTSCOPE_VMA_KIND_ANON,
	PTSCOPE_VMA_KIND_ANON_NAMED,
	PTSCOPE_VMA_KIND_FILE,
	PTSCOPE_VMA_KIND_HEAP,
	PTSCOPE_VMA_KIND_STACK,
	PTSCOPE_VMA_KIND_SPECIAL,
	PTSCOPE_VMA_KIND_SHMEM,
};

/**
 * enum ptscope_vma_flags - Stable encoding of the VM_* flags smaps prints as
 *   VmFlags.
 */
enum ptscope_vma_flags {
	PTSCOPE_VMA_F_READ = 1,
	PTSCOPE_VMA_F_WRITE = 2,
	PTSCOPE_VMA_F_EXEC = 4,
	PTSCOPE_VMA_F_SHARED = 8,
	PTSCOPE_VMA_F_MAYREAD = 16,
	PTSCOPE_VMA_F_MAYWRITE = 32,
	PTSCOPE_VMA_F_MAYEXEC = 64,
	PTSCOPE_VMA_F_MAYSHARE = 128,
	PTSCOPE_VMA_F_GROWSDOWN = 256,
	PTSCOPE_VMA_F_PFNMAP = 512,
	PTSCOPE_VMA_F_LOCKED = 1024,
	PTSCOPE_VMA_F_IO = 2048,
	PTSCOPE_VMA_F_SEQ_READ = 4096,
	PTSCOPE_VMA_F_RAND_READ = 8192,
	PTSCOPE_VMA_F_DONTCOPY = 16384,
	PTSCOPE_VMA_F_DONTEXPAND = 32768,
	PTSCOPE_VMA_F_ACCOUNT = 65536,
	PTSCOPE_VMA_F_NORESERVE = 131072,
	PTSCOPE_VMA_F_HUGETLB = 262144,
	PTSCOPE_VMA_F_SYNC = 524288,
	PTSCOPE_VMA_F_WIPEONFORK = 1048576,
	PTSCOPE_VMA_F_DONTDUMP = 2097152,
	PTSCOPE_VMA_F_SOFTDIRTY = 4194304,
	PTSCOPE_VMA_F_MIXEDMAP = 8388608,
	PTSCOPE_VMA_F_HUGEPAGE = 16777216,
	PTSCOPE_VMA_F_NOHUGEPAGE = 33554432,
	PTSCOPE_VMA_F_MERGEABLE = 67108864,
	PTSCOPE_VMA_F_UFFD_MISSING = 134217728,
	PTSCOPE_VMA_F_UFFD_WP = 268435456,
	PTSCOPE_VMA_F_LOCKONFAULT = 536870912,
};

/**
 * enum ptscope_page_flags - Page attribute bits. present follows
 *   pte_present(): a PROT_NONE or NUMA-hinting entry is present and also
 *   carries protnone. A flag an architecture does not have (get-info's
 *   page-flags) is never set.
 * @PTSCOPE_PF_NX: The process cannot execute it (x86 NX; arm64 UXN, UXNTable).
 * @PTSCOPE_PF_PXN: arm64: the kernel cannot execute it (PXN; PXNTable in a
 *   table entry). Every user mapping has it.
 * @PTSCOPE_PF_CONT: arm64: one of the naturally aligned entries the contiguous
 *   bit (PTE_CONT) lets the TLB cache as one: 16 PTEs (64K) or 16 PMD leaves
 *   (32M), with 4K pages.
 */
enum ptscope_page_flags {
	PTSCOPE_PF_PRESENT = 1,
	PTSCOPE_PF_WRITE = 2,
	PTSCOPE_PF_USER = 4,
	PTSCOPE_PF_ACCESSED = 8,
	PTSCOPE_PF_DIRTY = 16,
	PTSCOPE_PF_NX = 32,
	PTSCOPE_PF_GLOBAL = 64,
	PTSCOPE_PF_SOFT_DIRTY = 128,
	PTSCOPE_PF_HUGE_PMD = 256,
	PTSCOPE_PF_HUGE_PUD = 512,
	PTSCOPE_PF_SWAP = 1024,
	PTSCOPE_PF_MIGRATION = 2048,
	PTSCOPE_PF_UFFD_WP = 4096,
	PTSCOPE_PF_PROTNONE = 8192,
	PTSCOPE_PF_MARKER = 16384,
	PTSCOPE_PF_SPECIAL = 32768,
	PTSCOPE_PF_PXN = 65536,
	PTSCOPE_PF_CONT = 131072,
};

enum ptscope_pt_level {
	PTSCOPE_LEVEL_PGD,
	PTSCOPE_LEVEL_P4D,
	PTSCOPE_LEVEL_PUD,
	PTSCOPE_LEVEL_PMD,
	PTSCOPE_LEVEL_PTE,
};

enum ptscope_stop_reason {
	PTSCOPE_STOP_MAPPED,
	PTSCOPE_STOP_NONE,
	PTSCOPE_STOP_SWAP,
	PTSCOPE_STOP_MIGRATION,
	PTSCOPE_STOP_MARKER,
	PTSCOPE_STOP_NO_VMA,
	PTSCOPE_STOP_OTHER,
};

enum ptscope_attrs {
	PTSCOPE_A_PAD = 1,
	PTSCOPE_A_PID,
	PTSCOPE_A_START,
	PTSCOPE_A_END,
	PTSCOPE_A_ADDR,
	PTSCOPE_A_FLAGS,
	PTSCOPE_A_INFO,
	PTSCOPE_A_VMA,
	PTSCOPE_A_RUN,
	PTSCOPE_A_XLATE,
	PTSCOPE_A_DEPTH,
	PTSCOPE_A_TABLE,
	PTSCOPE_A_LEVEL_STATS,
	PTSCOPE_A_STATS,
	PTSCOPE_A_COUNT,
	PTSCOPE_A_BLOCK,
	PTSCOPE_A_ACCESS,
	PTSCOPE_A_ACCESS_STATS,

	__PTSCOPE_A_MAX,
	PTSCOPE_A_MAX = (__PTSCOPE_A_MAX - 1)
};

enum ptscope_info_attrs {
	PTSCOPE_INFO_A_PAD = 1,
	PTSCOPE_INFO_A_MODULE_VERSION,
	PTSCOPE_INFO_A_PROTO_VERSION,
	PTSCOPE_INFO_A_KERNEL_RELEASE,
	PTSCOPE_INFO_A_PAGE_SIZE,
	PTSCOPE_INFO_A_PGTABLE_LEVELS,
	PTSCOPE_INFO_A_USER_VA_END,
	PTSCOPE_INFO_A_FEATURES,
	PTSCOPE_INFO_A_PRIVILEGED,
	PTSCOPE_INFO_A_ALLOW_SAME_USER,
	PTSCOPE_INFO_A_LIVE_DUMPS,
	PTSCOPE_INFO_A_LOCK_HOLDS,
	PTSCOPE_INFO_A_LOCK_HOLD_MAX_NS,
	PTSCOPE_INFO_A_LOCK_HOLD_TOTAL_NS,
	PTSCOPE_INFO_A_TRACKED,
	PTSCOPE_INFO_A_MAX_TRACKED,
	PTSCOPE_INFO_A_TRACK_OBJECTS,
	PTSCOPE_INFO_A_PROBES,
	PTSCOPE_INFO_A_PROBES_ACTIVE,
	PTSCOPE_INFO_A_ARCH,
	PTSCOPE_INFO_A_PAGE_FLAGS,

	__PTSCOPE_INFO_A_MAX,
	PTSCOPE_INFO_A_MAX = (__PTSCOPE_INFO_A_MAX - 1)
};

enum ptscope_vma_attrs {
	PTSCOPE_VMA_A_PAD = 1,
	PTSCOPE_VMA_A_START,
	PTSCOPE_VMA_A_END,
	PTSCOPE_VMA_A_PGOFF,
	PTSCOPE_VMA_A_FLAGS,
	PTSCOPE_VMA_A_KIND,
	PTSCOPE_VMA_A_NAME,
	PTSCOPE_VMA_A_INODE,
	PTSCOPE_VMA_A_DEV,
	PTSCOPE_VMA_A_NR_PRESENT,
	PTSCOPE_VMA_A_NR_ACCESSED,
	PTSCOPE_VMA_A_NR_DIRTY,
	PTSCOPE_VMA_A_NR_WRITABLE,
	PTSCOPE_VMA_A_NR_SWAP,
	PTSCOPE_VMA_A_NR_SOFT_DIRTY,
	PTSCOPE_VMA_A_NR_HUGE_PMD,
	PTSCOPE_VMA_A_NR_HUGE_PUD,
	PTSCOPE_VMA_A_NR_MIGRATION,
	PTSCOPE_VMA_A_NR_PROTNONE,

	__PTSCOPE_VMA_A_MAX,
	PTSCOPE_VMA_A_MAX = (__PTSCOPE_VMA_A_MAX - 1)
};

enum ptscope_run_attrs {
	PTSCOPE_RUN_A_PAD = 1,
	PTSCOPE_RUN_A_START,
	PTSCOPE_RUN_A_NR_PAGES,
	PTSCOPE_RUN_A_FLAGS,
	PTSCOPE_RUN_A_PFN,
	PTSCOPE_RUN_A_SWAP_TYPE,
	PTSCOPE_RUN_A_SWAP_OFFSET,

	__PTSCOPE_RUN_A_MAX,
	PTSCOPE_RUN_A_MAX = (__PTSCOPE_RUN_A_MAX - 1)
};

enum ptscope_xlate_attrs {
	PTSCOPE_XLATE_A_PAD = 1,
	PTSCOPE_XLATE_A_LEVEL,
	PTSCOPE_XLATE_A_STOP_LEVEL,
	PTSCOPE_XLATE_A_STOP_REASON,
	PTSCOPE_XLATE_A_FLAGS,
	PTSCOPE_XLATE_A_PAGE_SIZE,
	PTSCOPE_XLATE_A_PHYS_ADDR,
	PTSCOPE_XLATE_A_VMA_START,
	PTSCOPE_XLATE_A_VMA_END,
	PTSCOPE_XLATE_A_SWAP_TYPE,
	PTSCOPE_XLATE_A_SWAP_OFFSET,

	__PTSCOPE_XLATE_A_MAX,
	PTSCOPE_XLATE_A_MAX = (__PTSCOPE_XLATE_A_MAX - 1)
};

enum ptscope_level_attrs {
	PTSCOPE_LEVEL_A_PAD = 1,
	PTSCOPE_LEVEL_A_LEVEL,
	PTSCOPE_LEVEL_A_INDEX,
	PTSCOPE_LEVEL_A_ENTRY,
	PTSCOPE_LEVEL_A_FLAGS,
	PTSCOPE_LEVEL_A_FOLDED,
	PTSCOPE_LEVEL_A_LEAF,

	__PTSCOPE_LEVEL_A_MAX,
	PTSCOPE_LEVEL_A_MAX = (__PTSCOPE_LEVEL_A_MAX - 1)
};

enum ptscope_table_attrs {
	PTSCOPE_TABLE_A_PAD = 1,
	PTSCOPE_TABLE_A_LEVEL,
	PTSCOPE_TABLE_A_ADDR,
	PTSCOPE_TABLE_A_ENTRIES,
	PTSCOPE_TABLE_A_LEAVES,

	__PTSCOPE_TABLE_A_MAX,
	PTSCOPE_TABLE_A_MAX = (__PTSCOPE_TABLE_A_MAX - 1)
};

enum ptscope_lstats_attrs {
	PTSCOPE_LSTATS_A_PAD = 1,
	PTSCOPE_LSTATS_A_LEVEL,
	PTSCOPE_LSTATS_A_TABLES,
	PTSCOPE_LSTATS_A_ENTRIES,
	PTSCOPE_LSTATS_A_LEAVES,
	PTSCOPE_LSTATS_A_BYTES,
	PTSCOPE_LSTATS_A_FOLDED,

	__PTSCOPE_LSTATS_A_MAX,
	PTSCOPE_LSTATS_A_MAX = (__PTSCOPE_LSTATS_A_MAX - 1)
};

enum ptscope_block_attrs {
	PTSCOPE_BLOCK_A_PAD = 1,
	PTSCOPE_BLOCK_A_START,
	PTSCOPE_BLOCK_A_FLAGS16,
	PTSCOPE_BLOCK_A_FLAGS32,

	__PTSCOPE_BLOCK_A_MAX,
	PTSCOPE_BLOCK_A_MAX = (__PTSCOPE_BLOCK_A_MAX - 1)
};

enum ptscope_access_attrs {
	PTSCOPE_ACCESS_A_PAD = 1,
	PTSCOPE_ACCESS_A_START,
	PTSCOPE_ACCESS_A_NR_PAGES,
	PTSCOPE_ACCESS_A_STATES,
	PTSCOPE_ACCESS_A_FILL,

	__PTSCOPE_ACCESS_A_MAX,
	PTSCOPE_ACCESS_A_MAX = (__PTSCOPE_ACCESS_A_MAX - 1)
};

enum ptscope_access_stats_attrs {
	PTSCOPE_ACCESS_STATS_A_PAD = 1,
	PTSCOPE_ACCESS_STATS_A_ENTRIES,
	PTSCOPE_ACCESS_STATS_A_PRESENT,
	PTSCOPE_ACCESS_STATS_A_ACCESSED,
	PTSCOPE_ACCESS_STATS_A_CLEARED,
	PTSCOPE_ACCESS_STATS_A_YOUNG_MARKED,
	PTSCOPE_ACCESS_STATS_A_FLUSHES,
	PTSCOPE_ACCESS_STATS_A_FLUSH_CPUS,

	__PTSCOPE_ACCESS_STATS_A_MAX,
	PTSCOPE_ACCESS_STATS_A_MAX = (__PTSCOPE_ACCESS_STATS_A_MAX - 1)
};

enum ptscope_stats_attrs {
	PTSCOPE_STATS_A_PAD = 1,
	PTSCOPE_STATS_A_PID,
	PTSCOPE_STATS_A_COMM,
	PTSCOPE_STATS_A_TRACK_NS,
	PTSCOPE_STATS_A_TLB_FLUSH_FULL,
	PTSCOPE_STATS_A_TLB_FLUSH_RANGED,
	PTSCOPE_STATS_A_TLB_FLUSH_PAGES,
	PTSCOPE_STATS_A_TLB_SHOOTDOWNS,
	PTSCOPE_STATS_A_TLB_SHOOTDOWN_CPUS,
	PTSCOPE_STATS_A_TLB_RECEIVED,
	PTSCOPE_STATS_A_CPU,
	PTSCOPE_STATS_A_FAULTS,
	PTSCOPE_STATS_A_MINOR,
	PTSCOPE_STATS_A_MAJOR,
	PTSCOPE_STATS_A_RETRIES,
	PTSCOPE_STATS_A_ERRORS,
	PTSCOPE_STATS_A_READ,
	PTSCOPE_STATS_A_WRITE,
	PTSCOPE_STATS_A_EXEC,
	PTSCOPE_STATS_A_NOT_PRESENT,
	PTSCOPE_STATS_A_PROTECTION,
	PTSCOPE_STATS_A_GUP,
	PTSCOPE_STATS_A_CAUSE_UNKNOWN,
	PTSCOPE_STATS_A_ANON,
	PTSCOPE_STATS_A_FILE,
	PTSCOPE_STATS_A_SHMEM,
	PTSCOPE_STATS_A_SWAPINS,
	PTSCOPE_STATS_A_LAT_HIST,
	PTSCOPE_STATS_A_LAT_SUM_NS,
	PTSCOPE_STATS_A_LAT_MISSED,
	PTSCOPE_STATS_A_RANGE,
	PTSCOPE_STATS_A_RANGES_DROPPED,
	PTSCOPE_STATS_A_TASK_MIN_FLT,
	PTSCOPE_STATS_A_TASK_MAJ_FLT,
	PTSCOPE_STATS_A_TASK_MIN_FLT_START,
	PTSCOPE_STATS_A_TASK_MAJ_FLT_START,
	PTSCOPE_STATS_A_TLB_FLUSH_SOURCE,

	__PTSCOPE_STATS_A_MAX,
	PTSCOPE_STATS_A_MAX = (__PTSCOPE_STATS_A_MAX - 1)
};

enum ptscope_cpu_attrs {
	PTSCOPE_CPU_A_PAD = 1,
	PTSCOPE_CPU_A_CPU,
	PTSCOPE_CPU_A_TLB_RECEIVED,
	PTSCOPE_CPU_A_IRQ_TLB,
	PTSCOPE_CPU_A_IRQ_TLB_TOTAL,
	PTSCOPE_CPU_A_TP_REMOTE,
	PTSCOPE_CPU_A_TP_LOCAL,
	PTSCOPE_CPU_A_TP_TASK_SWITCH,
	PTSCOPE_CPU_A_TP_SEND_IPI,

	__PTSCOPE_CPU_A_MAX,
	PTSCOPE_CPU_A_MAX = (__PTSCOPE_CPU_A_MAX - 1)
};

enum ptscope_range_attrs {
	PTSCOPE_RANGE_A_PAD = 1,
	PTSCOPE_RANGE_A_START,
	PTSCOPE_RANGE_A_END,
	PTSCOPE_RANGE_A_FAULTS,
	PTSCOPE_RANGE_A_MAJOR,

	__PTSCOPE_RANGE_A_MAX,
	PTSCOPE_RANGE_A_MAX = (__PTSCOPE_RANGE_A_MAX - 1)
};

enum ptscope_cmd {
	PTSCOPE_CMD_GET_INFO = 1,
	PTSCOPE_CMD_GET_VMAS,
	PTSCOPE_CMD_GET_PAGES,
	PTSCOPE_CMD_TRANSLATE,
	PTSCOPE_CMD_GET_TABLES,
	PTSCOPE_CMD_TRACK_START,
	PTSCOPE_CMD_TRACK_STOP,
	PTSCOPE_CMD_GET_STATS,
	PTSCOPE_CMD_SAMPLE_ACCESS,

	__PTSCOPE_CMD_MAX,
	PTSCOPE_CMD_MAX = (__PTSCOPE_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_PTSCOPE_H */
