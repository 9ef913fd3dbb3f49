/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * ptscope: page-table inspection over generic netlink.
 *
 * This header is the protocol contract shared by ptscope.ko and every
 * client.  module/uapi/ptscope.yaml describes the same family in the
 * kernel's Documentation/netlink genetlink format; keep them in sync
 * (tests/check-spec.sh verifies that the values agree).
 *
 * Enums are append-only.  Clients must ignore attributes they do not know.
 *
 * Attribute tree of each command ("req" = request, "rsp" = reply):
 *
 * PTSCOPE_CMD_GET_INFO (do)
 *   req: PTSCOPE_A_FLAGS (u32, optional, PTSCOPE_INFO_F_*)
 *   rsp: PTSCOPE_A_INFO (nest, enum ptscope_info_attrs)
 *
 * PTSCOPE_CMD_GET_VMAS (dump)
 *   req: PTSCOPE_A_PID (u32, required)
 *        PTSCOPE_A_START, PTSCOPE_A_END (u64, optional, page aligned;
 *          only VMAs overlapping [START, END) are reported, counts cover
 *          the whole VMA)
 *        PTSCOPE_A_FLAGS (u32, optional, PTSCOPE_VMAS_F_*)
 *   rsp: one message per VMA:
 *        PTSCOPE_A_PID
 *        PTSCOPE_A_VMA (nest, enum ptscope_vma_attrs)
 *
 * PTSCOPE_CMD_GET_PAGES (dump)
 *   req: PTSCOPE_A_PID (u32, required)
 *        PTSCOPE_A_START, PTSCOPE_A_END (u64, optional, page aligned)
 *        PTSCOPE_A_FLAGS (u32, optional, PTSCOPE_PAGES_F_*)
 *   rsp: messages carrying PTSCOPE_A_PID and one or more
 *        PTSCOPE_A_RUN (nest, enum ptscope_run_attrs), in address order.
 *        Runs never cross a VMA boundary and cover every page of every VMA
 *        in the range (not-present pages included, holes between VMAs
 *        excluded).  Runs are maximal: two adjacent runs of one VMA differ
 *        in flags (or, with PFN runs, in physical contiguity).
 *        With PTSCOPE_PAGES_F_COMPACT, PTSCOPE_A_BLOCK nests (enum
 *        ptscope_block_attrs) may stand in for runs of a few pages each;
 *        runs and blocks together cover the pages as runs alone would.
 *        A block holds whole runs: within a VMA, items (runs or blocks)
 *        always meet where flags differ, so a client expands each block
 *        on its own and never merges across items.  With COMPACT no run
 *        carries PFN or swap locations (ask for PTSCOPE_PAGES_F_PFN_RUNS).
 *
 * PTSCOPE_CMD_TRANSLATE (do)
 *   req: PTSCOPE_A_PID (u32, required), PTSCOPE_A_ADDR (u64, required)
 *   rsp: PTSCOPE_A_PID, PTSCOPE_A_ADDR,
 *        PTSCOPE_A_XLATE (nest, enum ptscope_xlate_attrs) containing one
 *        PTSCOPE_XLATE_A_LEVEL nest (enum ptscope_level_attrs) per level
 *        visited, top level first.
 *
 * PTSCOPE_CMD_GET_TABLES (dump)
 *   req: PTSCOPE_A_PID (u32, required)
 *        PTSCOPE_A_START, PTSCOPE_A_END (u64, optional, page aligned)
 *        PTSCOPE_A_DEPTH (u32, optional, enum ptscope_pt_level): list every
 *          table of this level and above, one PTSCOPE_A_TABLE each
 *   rsp: messages carrying PTSCOPE_A_PID and zero or more PTSCOPE_A_TABLE
 *        (nest, enum ptscope_table_attrs) in walk order (a table before
 *        the tables below it); the last message carries one
 *        PTSCOPE_A_LEVEL_STATS (nest, enum ptscope_lstats_attrs) per level.
 *        Tables are those reachable from the VMAs in the range, each
 *        counted once.
 *
 * PTSCOPE_CMD_TRACK_START (do)
 *   req: PTSCOPE_A_PID (u32, required)
 *   Starts counting TLB flushes and page faults of the process's mm.
 *   Tracking ends by itself when that mm goes away (exit or execve).
 *   ENOSPC when max_tracked processes are tracked, EALREADY if tracked.
 *
 * PTSCOPE_CMD_TRACK_STOP (do)
 *   req: PTSCOPE_A_PID, or PTSCOPE_A_FLAGS = PTSCOPE_TRACK_F_ALL (every
 *        tracked process the caller may track).  ENOENT if not tracked.
 *   rsp: PTSCOPE_A_COUNT (u32): processes no longer tracked
 *
 * PTSCOPE_CMD_GET_STATS (do, dump)
 *   req: PTSCOPE_A_PID (do: required; dump: none)
 *   rsp: PTSCOPE_A_PID, PTSCOPE_A_STATS (nest, enum ptscope_stats_attrs);
 *        the dump sends one message per tracked process the caller may
 *        see, without the per-CPU and per-range nests.  A counter whose
 *        probe this kernel lacks is absent, never 0.
 *
 * Errors: every failure returns a negative errno with an extended ACK
 * message.  ESRCH (no such process, process exiting or exited mid-dump),
 * EINVAL (kernel thread, missing attribute, range unaligned or start >=
 * end), ERANGE (range or address beyond the user address space, or an
 * attribute value out of its range), EPERM
 * (caller not allowed, or PFN runs without CAP_SYS_ADMIN), EOPNOTSUPP
 * (unknown flag bits), EAGAIN (page tables kept changing under the walk),
 * ENOSPC, EALREADY, ENOENT (tracking: see above), EOPNOTSUPP (tracking
 * on a kernel without the probes it needs).
 */
#ifndef _UAPI_LINUX_PTSCOPE_H
#define _UAPI_LINUX_PTSCOPE_H

#include <linux/types.h>

#define PTSCOPE_GENL_NAME	"ptscope"
#define PTSCOPE_GENL_VERSION	1

enum ptscope_cmd {
	PTSCOPE_CMD_UNSPEC,
	PTSCOPE_CMD_GET_INFO,
	PTSCOPE_CMD_GET_VMAS,
	PTSCOPE_CMD_GET_PAGES,
	PTSCOPE_CMD_TRANSLATE,
	PTSCOPE_CMD_GET_TABLES,
	PTSCOPE_CMD_TRACK_START,
	PTSCOPE_CMD_TRACK_STOP,
	PTSCOPE_CMD_GET_STATS,

	__PTSCOPE_CMD_MAX,
	PTSCOPE_CMD_MAX = __PTSCOPE_CMD_MAX - 1
};

/* Top-level attributes (requests and replies). */
enum ptscope_attrs {
	PTSCOPE_A_UNSPEC,
	PTSCOPE_A_PAD,
	PTSCOPE_A_PID,		/* u32: in the caller's PID namespace */
	PTSCOPE_A_START,	/* u64: first address, page aligned */
	PTSCOPE_A_END,		/* u64: end address (exclusive), page aligned */
	PTSCOPE_A_ADDR,		/* u64: address to translate */
	PTSCOPE_A_FLAGS,	/* u32: request flags, per command */
	PTSCOPE_A_INFO,		/* nest: enum ptscope_info_attrs */
	PTSCOPE_A_VMA,		/* nest: enum ptscope_vma_attrs */
	PTSCOPE_A_RUN,		/* nest: enum ptscope_run_attrs (repeated) */
	PTSCOPE_A_XLATE,	/* nest: enum ptscope_xlate_attrs */
	PTSCOPE_A_DEPTH,	/* u32: enum ptscope_pt_level */
	PTSCOPE_A_TABLE,	/* nest: enum ptscope_table_attrs (repeated) */
	PTSCOPE_A_LEVEL_STATS,	/* nest: enum ptscope_lstats_attrs (repeated) */
	PTSCOPE_A_STATS,	/* nest: enum ptscope_stats_attrs */
	PTSCOPE_A_COUNT,	/* u32: per command */
	PTSCOPE_A_BLOCK,	/* nest: enum ptscope_block_attrs (repeated) */

	__PTSCOPE_A_MAX,
	PTSCOPE_A_MAX = __PTSCOPE_A_MAX - 1
};

/* PTSCOPE_A_FLAGS for PTSCOPE_CMD_GET_VMAS */
enum ptscope_vmas_flags {
	/* Skip the page-table walk: no PTSCOPE_VMA_A_NR_* counts. */
	PTSCOPE_VMAS_F_NO_COUNTS	= 1U << 0,
};

#define PTSCOPE_VMAS_F_ALL	(PTSCOPE_VMAS_F_NO_COUNTS)

/* PTSCOPE_A_FLAGS for PTSCOPE_CMD_GET_PAGES */
enum ptscope_pages_flags {
	/*
	 * Split runs where the physical frames stop being contiguous, so
	 * every present run carries PTSCOPE_RUN_A_PFN.  CAP_SYS_ADMIN only.
	 */
	PTSCOPE_PAGES_F_PFN_RUNS	= 1U << 0,
	/*
	 * Where attributes change every few pages, send PTSCOPE_A_BLOCK
	 * (one flags word per page) instead of runs when that is smaller.
	 * Ignored together with PTSCOPE_PAGES_F_PFN_RUNS.
	 */
	PTSCOPE_PAGES_F_COMPACT		= 1U << 1,
};

#define PTSCOPE_PAGES_F_ALL	(PTSCOPE_PAGES_F_PFN_RUNS | \
				 PTSCOPE_PAGES_F_COMPACT)

/* PTSCOPE_A_FLAGS for PTSCOPE_CMD_GET_INFO */
enum ptscope_info_flags {
	/* Zero the mmap_lock hold statistics after reporting them (root). */
	PTSCOPE_INFO_F_RESET_LOCK_STATS	= 1U << 0,
};

#define PTSCOPE_INFO_F_ALL	(PTSCOPE_INFO_F_RESET_LOCK_STATS)

/* PTSCOPE_A_FLAGS for PTSCOPE_CMD_TRACK_STOP */
enum ptscope_track_flags {
	PTSCOPE_TRACK_F_ALL		= 1U << 0,
};

#define PTSCOPE_TRACK_F_ALL_FLAGS	(PTSCOPE_TRACK_F_ALL)

/* PTSCOPE_A_INFO nest */
enum ptscope_info_attrs {
	PTSCOPE_INFO_A_UNSPEC,
	PTSCOPE_INFO_A_PAD,
	PTSCOPE_INFO_A_MODULE_VERSION,	/* string */
	PTSCOPE_INFO_A_PROTO_VERSION,	/* u32: PTSCOPE_GENL_VERSION */
	PTSCOPE_INFO_A_KERNEL_RELEASE,	/* string: utsname()->release */
	PTSCOPE_INFO_A_PAGE_SIZE,	/* u32: bytes */
	PTSCOPE_INFO_A_PGTABLE_LEVELS,	/* u32: 4 or 5, paging levels in use */
	PTSCOPE_INFO_A_USER_VA_END,	/* u64: end of the user address space */
	PTSCOPE_INFO_A_FEATURES,	/* u64: PTSCOPE_FEAT_* */
	PTSCOPE_INFO_A_PRIVILEGED,	/* u8: caller has CAP_SYS_ADMIN */
	PTSCOPE_INFO_A_ALLOW_SAME_USER,	/* u8: module parameter value */
	PTSCOPE_INFO_A_LIVE_DUMPS,	/* u32: dumps in progress (leak check) */
	/* mmap_lock read holds by walks, since load or the last reset */
	PTSCOPE_INFO_A_LOCK_HOLDS,	/* u64: number of holds */
	PTSCOPE_INFO_A_LOCK_HOLD_MAX_NS,	/* u64: longest hold */
	PTSCOPE_INFO_A_LOCK_HOLD_TOTAL_NS,	/* u64: sum of all holds */
	PTSCOPE_INFO_A_TRACKED,		/* u32: processes tracked now */
	PTSCOPE_INFO_A_MAX_TRACKED,	/* u32: max_tracked module parameter */
	PTSCOPE_INFO_A_TRACK_OBJECTS,	/* u32: live tracking objects (leak check) */
	PTSCOPE_INFO_A_PROBES,		/* u64: PTSCOPE_PROBE_* this kernel has */
	PTSCOPE_INFO_A_PROBES_ACTIVE,	/* u64: PTSCOPE_PROBE_* registered now */

	__PTSCOPE_INFO_A_MAX,
	PTSCOPE_INFO_A_MAX = __PTSCOPE_INFO_A_MAX - 1
};

/* PTSCOPE_INFO_A_FEATURES: what this kernel exposes */
enum ptscope_features {
	PTSCOPE_FEAT_SOFT_DIRTY		= 1ULL << 0,
	PTSCOPE_FEAT_UFFD_WP		= 1ULL << 1,
	PTSCOPE_FEAT_ANON_VMA_NAME	= 1ULL << 2,
	PTSCOPE_FEAT_NUMA_HINTING	= 1ULL << 3,
	PTSCOPE_FEAT_THP		= 1ULL << 4,
	PTSCOPE_FEAT_PTE_RCU_FREE	= 1ULL << 5,	/* PTE tables freed via RCU */
};

/*
 * PTSCOPE_INFO_A_PROBES: the kernel hooks tracking uses.  A hook this
 * kernel lacks leaves its counters out of PTSCOPE_A_STATS.
 */
enum ptscope_probes {
	PTSCOPE_PROBE_TLB_FLUSH_TP	= 1ULL << 0,	/* tracepoint tlb:tlb_flush */
	PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE = 1ULL << 1,	/* flush requests */
	PTSCOPE_PROBE_FLUSH_TLB_MULTI	= 1ULL << 2,	/* shootdowns sent */
	PTSCOPE_PROBE_FLUSH_TLB_FUNC	= 1ULL << 3,	/* flushes received */
	PTSCOPE_PROBE_HANDLE_MM_FAULT	= 1ULL << 4,	/* faults, latency */
	PTSCOPE_PROBE_DO_SWAP_PAGE	= 1ULL << 5,	/* swap-ins */
	PTSCOPE_PROBE_PAGE_FAULT_TP	= 1ULL << 6,	/* exceptions:page_fault_* */
	PTSCOPE_PROBE_IRQ_TLB_COUNT	= 1ULL << 7,	/* /proc/interrupts TLB */
};

/* PTSCOPE_A_VMA nest */
enum ptscope_vma_attrs {
	PTSCOPE_VMA_A_UNSPEC,
	PTSCOPE_VMA_A_PAD,
	PTSCOPE_VMA_A_START,		/* u64 */
	PTSCOPE_VMA_A_END,		/* u64, exclusive */
	PTSCOPE_VMA_A_PGOFF,		/* u64: file offset in bytes */
	PTSCOPE_VMA_A_FLAGS,		/* u64: PTSCOPE_VMA_F_* */
	PTSCOPE_VMA_A_KIND,		/* u32: enum ptscope_vma_kind */
	PTSCOPE_VMA_A_NAME,		/* string: path, [heap], anon name... */
	PTSCOPE_VMA_A_INODE,		/* u64: inode number of backing file */
	PTSCOPE_VMA_A_DEV,		/* u32: device of backing file (new_encode_dev) */
	/*
	 * Counts, in base pages; none with PTSCOPE_VMAS_F_NO_COUNTS.
	 * NR_PRESENT is always sent otherwise; the others only when not
	 * zero (absent means 0): most VMAs have no swap, huge, migration
	 * or PROT_NONE pages, and each attribute costs.
	 */
	PTSCOPE_VMA_A_NR_PRESENT,	/* u64 */
	PTSCOPE_VMA_A_NR_ACCESSED,	/* u64 */
	PTSCOPE_VMA_A_NR_DIRTY,		/* u64 */
	PTSCOPE_VMA_A_NR_WRITABLE,	/* u64 */
	PTSCOPE_VMA_A_NR_SWAP,		/* u64: swap entries */
	PTSCOPE_VMA_A_NR_SOFT_DIRTY,	/* u64 */
	PTSCOPE_VMA_A_NR_HUGE_PMD,	/* u64: pages mapped by a PMD leaf */
	PTSCOPE_VMA_A_NR_HUGE_PUD,	/* u64: pages mapped by a PUD leaf */
	PTSCOPE_VMA_A_NR_MIGRATION,	/* u64: migration entries */
	PTSCOPE_VMA_A_NR_PROTNONE,	/* u64: PROT_NONE / NUMA-hinting entries */

	__PTSCOPE_VMA_A_MAX,
	PTSCOPE_VMA_A_MAX = __PTSCOPE_VMA_A_MAX - 1
};

/* PTSCOPE_VMA_A_KIND */
enum ptscope_vma_kind {
	PTSCOPE_VMA_KIND_ANON,		/* private or shared anonymous */
	PTSCOPE_VMA_KIND_ANON_NAMED,	/* PR_SET_VMA_ANON_NAME; name set */
	PTSCOPE_VMA_KIND_FILE,		/* file mapping; name is the path */
	PTSCOPE_VMA_KIND_HEAP,		/* [heap] */
	PTSCOPE_VMA_KIND_STACK,		/* [stack] */
	PTSCOPE_VMA_KIND_SPECIAL,	/* [vdso], [vvar], ...: name set */
	PTSCOPE_VMA_KIND_SHMEM,		/* shared shmem/tmpfs mapping:
					 * MAP_SHARED|MAP_ANONYMOUS, SysV shm,
					 * memfd, /dev/shm; name is the path
					 */
};

/*
 * PTSCOPE_VMA_A_FLAGS: a stable encoding of the kernel's VM_* flags (those
 * /proc/PID/smaps prints as VmFlags), independent of the kernel version.
 */
enum ptscope_vma_flags {
	PTSCOPE_VMA_F_READ		= 1ULL << 0,	/* rd */
	PTSCOPE_VMA_F_WRITE		= 1ULL << 1,	/* wr */
	PTSCOPE_VMA_F_EXEC		= 1ULL << 2,	/* ex */
	PTSCOPE_VMA_F_SHARED		= 1ULL << 3,	/* sh */
	PTSCOPE_VMA_F_MAYREAD		= 1ULL << 4,	/* mr */
	PTSCOPE_VMA_F_MAYWRITE		= 1ULL << 5,	/* mw */
	PTSCOPE_VMA_F_MAYEXEC		= 1ULL << 6,	/* me */
	PTSCOPE_VMA_F_MAYSHARE		= 1ULL << 7,	/* ms */
	PTSCOPE_VMA_F_GROWSDOWN		= 1ULL << 8,	/* gd */
	PTSCOPE_VMA_F_PFNMAP		= 1ULL << 9,	/* pf */
	PTSCOPE_VMA_F_LOCKED		= 1ULL << 10,	/* lo */
	PTSCOPE_VMA_F_IO		= 1ULL << 11,	/* io */
	PTSCOPE_VMA_F_SEQ_READ		= 1ULL << 12,	/* sr */
	PTSCOPE_VMA_F_RAND_READ		= 1ULL << 13,	/* rr */
	PTSCOPE_VMA_F_DONTCOPY		= 1ULL << 14,	/* dc */
	PTSCOPE_VMA_F_DONTEXPAND	= 1ULL << 15,	/* de */
	PTSCOPE_VMA_F_ACCOUNT		= 1ULL << 16,	/* ac */
	PTSCOPE_VMA_F_NORESERVE		= 1ULL << 17,	/* nr */
	PTSCOPE_VMA_F_HUGETLB		= 1ULL << 18,	/* ht */
	PTSCOPE_VMA_F_SYNC		= 1ULL << 19,	/* sf */
	PTSCOPE_VMA_F_WIPEONFORK	= 1ULL << 20,	/* wf */
	PTSCOPE_VMA_F_DONTDUMP		= 1ULL << 21,	/* dd */
	PTSCOPE_VMA_F_SOFTDIRTY		= 1ULL << 22,	/* sd */
	PTSCOPE_VMA_F_MIXEDMAP		= 1ULL << 23,	/* mm */
	PTSCOPE_VMA_F_HUGEPAGE		= 1ULL << 24,	/* hg */
	PTSCOPE_VMA_F_NOHUGEPAGE	= 1ULL << 25,	/* nh */
	PTSCOPE_VMA_F_MERGEABLE		= 1ULL << 26,	/* mg */
	PTSCOPE_VMA_F_UFFD_MISSING	= 1ULL << 27,	/* um */
	PTSCOPE_VMA_F_UFFD_WP		= 1ULL << 28,	/* uw */
	PTSCOPE_VMA_F_LOCKONFAULT	= 1ULL << 29,	/* lf */
};

/* PTSCOPE_A_RUN nest */
enum ptscope_run_attrs {
	PTSCOPE_RUN_A_UNSPEC,
	PTSCOPE_RUN_A_PAD,
	PTSCOPE_RUN_A_START,		/* u64: first address */
	PTSCOPE_RUN_A_NR_PAGES,		/* u64: base pages in the run */
	PTSCOPE_RUN_A_FLAGS,		/* u32: PTSCOPE_PF_* */
	PTSCOPE_RUN_A_PFN,		/* u64: PFN of the first page; only
					 * for CAP_SYS_ADMIN callers and only
					 * if the run is physically contiguous
					 */
	PTSCOPE_RUN_A_SWAP_TYPE,	/* u32: swap entries, CAP_SYS_ADMIN */
	PTSCOPE_RUN_A_SWAP_OFFSET,	/* u64: of the first page, CAP_SYS_ADMIN */

	__PTSCOPE_RUN_A_MAX,
	PTSCOPE_RUN_A_MAX = __PTSCOPE_RUN_A_MAX - 1
};

/*
 * Page attribute bits (PTSCOPE_RUN_A_FLAGS, PTSCOPE_XLATE_A_FLAGS).
 * PRESENT follows the kernel's pte_present(): a PROT_NONE or NUMA-hinting
 * entry is present and carries PTSCOPE_PF_PROTNONE as well.
 */
enum ptscope_page_flags {
	PTSCOPE_PF_PRESENT	= 1U << 0,
	PTSCOPE_PF_WRITE	= 1U << 1,
	PTSCOPE_PF_USER		= 1U << 2,
	PTSCOPE_PF_ACCESSED	= 1U << 3,
	PTSCOPE_PF_DIRTY	= 1U << 4,
	PTSCOPE_PF_NX		= 1U << 5,
	PTSCOPE_PF_GLOBAL	= 1U << 6,
	PTSCOPE_PF_SOFT_DIRTY	= 1U << 7,
	PTSCOPE_PF_HUGE_PMD	= 1U << 8,	/* mapped by a PMD leaf */
	PTSCOPE_PF_HUGE_PUD	= 1U << 9,	/* mapped by a PUD leaf */
	PTSCOPE_PF_SWAP		= 1U << 10,	/* swap entry */
	PTSCOPE_PF_MIGRATION	= 1U << 11,	/* migration entry */
	PTSCOPE_PF_UFFD_WP	= 1U << 12,
	PTSCOPE_PF_PROTNONE	= 1U << 13,	/* PROT_NONE or NUMA hint */
	PTSCOPE_PF_MARKER	= 1U << 14,	/* PTE marker (no page) */
	PTSCOPE_PF_SPECIAL	= 1U << 15,	/* pte_special: no struct page */
};

/* PTSCOPE_A_XLATE nest */
enum ptscope_xlate_attrs {
	PTSCOPE_XLATE_A_UNSPEC,
	PTSCOPE_XLATE_A_PAD,
	PTSCOPE_XLATE_A_LEVEL,		/* nest, repeated: ptscope_level_attrs */
	PTSCOPE_XLATE_A_STOP_LEVEL,	/* u32: enum ptscope_pt_level */
	PTSCOPE_XLATE_A_STOP_REASON,	/* u32: enum ptscope_stop_reason */
	PTSCOPE_XLATE_A_FLAGS,		/* u32: PTSCOPE_PF_* of the mapping */
	PTSCOPE_XLATE_A_PAGE_SIZE,	/* u64: size of the mapping, bytes */
	PTSCOPE_XLATE_A_PHYS_ADDR,	/* u64: CAP_SYS_ADMIN only */
	PTSCOPE_XLATE_A_VMA_START,	/* u64: VMA containing ADDR */
	PTSCOPE_XLATE_A_VMA_END,	/* u64 */
	PTSCOPE_XLATE_A_SWAP_TYPE,	/* u32: CAP_SYS_ADMIN only */
	PTSCOPE_XLATE_A_SWAP_OFFSET,	/* u64: CAP_SYS_ADMIN only */

	__PTSCOPE_XLATE_A_MAX,
	PTSCOPE_XLATE_A_MAX = __PTSCOPE_XLATE_A_MAX - 1
};

/* PTSCOPE_XLATE_A_LEVEL nest */
enum ptscope_level_attrs {
	PTSCOPE_LEVEL_A_UNSPEC,
	PTSCOPE_LEVEL_A_PAD,
	PTSCOPE_LEVEL_A_LEVEL,		/* u32: enum ptscope_pt_level */
	PTSCOPE_LEVEL_A_INDEX,		/* u32: index into the table */
	PTSCOPE_LEVEL_A_ENTRY,		/* u64: raw entry, CAP_SYS_ADMIN only */
	PTSCOPE_LEVEL_A_FLAGS,		/* u32: PTSCOPE_PF_* decoded from entry */
	PTSCOPE_LEVEL_A_FOLDED,		/* flag: level folded into the one above */
	PTSCOPE_LEVEL_A_LEAF,		/* flag: entry maps memory (no table below) */

	__PTSCOPE_LEVEL_A_MAX,
	PTSCOPE_LEVEL_A_MAX = __PTSCOPE_LEVEL_A_MAX - 1
};

/* PTSCOPE_A_TABLE nest: one page table */
enum ptscope_table_attrs {
	PTSCOPE_TABLE_A_UNSPEC,
	PTSCOPE_TABLE_A_PAD,
	PTSCOPE_TABLE_A_LEVEL,		/* u32: enum ptscope_pt_level */
	PTSCOPE_TABLE_A_ADDR,		/* u64: first address the table maps */
	PTSCOPE_TABLE_A_ENTRIES,	/* u32: entries in use (not none) */
	PTSCOPE_TABLE_A_LEAVES,		/* u32: present entries mapping memory */

	__PTSCOPE_TABLE_A_MAX,
	PTSCOPE_TABLE_A_MAX = __PTSCOPE_TABLE_A_MAX - 1
};

/* PTSCOPE_A_LEVEL_STATS nest: totals of one paging level */
enum ptscope_lstats_attrs {
	PTSCOPE_LSTATS_A_UNSPEC,
	PTSCOPE_LSTATS_A_PAD,
	PTSCOPE_LSTATS_A_LEVEL,		/* u32: enum ptscope_pt_level */
	PTSCOPE_LSTATS_A_TABLES,	/* u64: tables at this level */
	PTSCOPE_LSTATS_A_ENTRIES,	/* u64: entries in use in them */
	PTSCOPE_LSTATS_A_LEAVES,	/* u64: present leaf mappings */
	PTSCOPE_LSTATS_A_BYTES,		/* u64: memory the tables occupy */
	PTSCOPE_LSTATS_A_FOLDED,	/* flag: level folded (no own tables) */

	__PTSCOPE_LSTATS_A_MAX,
	PTSCOPE_LSTATS_A_MAX = __PTSCOPE_LSTATS_A_MAX - 1
};

/*
 * PTSCOPE_A_BLOCK nest: consecutive pages of one VMA, one flags word per
 * page.  Blocks and runs of one dump never overlap and come in address
 * order; a block never crosses a VMA boundary.
 */
enum ptscope_block_attrs {
	PTSCOPE_BLOCK_A_UNSPEC,
	PTSCOPE_BLOCK_A_PAD,
	PTSCOPE_BLOCK_A_START,		/* u64: first address */
	PTSCOPE_BLOCK_A_FLAGS16,	/* binary: __u16 PTSCOPE_PF_* per page,
					 * host byte order; the length gives the
					 * number of pages
					 */

	__PTSCOPE_BLOCK_A_MAX,
	PTSCOPE_BLOCK_A_MAX = __PTSCOPE_BLOCK_A_MAX - 1
};

/*
 * PTSCOPE_A_STATS nest: what happened to one tracked mm since tracking
 * started.  TLB counters are attributed to the mm being flushed (the
 * flush's own argument), fault counters to the mm faulted on, whoever
 * does it.  Fault counts follow the kernel's min_flt/maj_flt rules: a
 * fault that will be retried counts once, when it completes; a failed
 * fault counts in ERRORS only.
 */
enum ptscope_stats_attrs {
	PTSCOPE_STATS_A_UNSPEC,
	PTSCOPE_STATS_A_PAD,
	PTSCOPE_STATS_A_PID,		/* u32: thread group, caller's namespace */
	PTSCOPE_STATS_A_COMM,		/* string */
	PTSCOPE_STATS_A_TRACK_NS,	/* u64: time since tracking started */
	/* TLB: flush requests for this mm (flush_tlb_mm_range) */
	PTSCOPE_STATS_A_TLB_FLUSH_FULL,		/* u64: whole-mm flushes */
	PTSCOPE_STATS_A_TLB_FLUSH_RANGED,	/* u64: ranged flushes */
	PTSCOPE_STATS_A_TLB_FLUSH_PAGES,	/* u64: pages they covered */
	/* TLB: flush_tlb_multi() calls that targeted other CPUs */
	PTSCOPE_STATS_A_TLB_SHOOTDOWNS,		/* u64: calls */
	PTSCOPE_STATS_A_TLB_SHOOTDOWN_CPUS,	/* u64: other CPUs targeted */
	PTSCOPE_STATS_A_TLB_RECEIVED,		/* u64: sum of CPU TLB_RECEIVED */
	PTSCOPE_STATS_A_CPU,		/* nest, repeated: ptscope_cpu_attrs */
	/* Faults */
	PTSCOPE_STATS_A_FAULTS,		/* u64: MINOR + MAJOR */
	PTSCOPE_STATS_A_MINOR,		/* u64 */
	PTSCOPE_STATS_A_MAJOR,		/* u64: I/O, or retried */
	PTSCOPE_STATS_A_RETRIES,	/* u64: attempts that will be retried */
	PTSCOPE_STATS_A_ERRORS,		/* u64: failed (SIGSEGV, SIGBUS, OOM) */
	PTSCOPE_STATS_A_READ,		/* u64: by access */
	PTSCOPE_STATS_A_WRITE,		/* u64 */
	PTSCOPE_STATS_A_EXEC,		/* u64: instruction fetch */
	PTSCOPE_STATS_A_NOT_PRESENT,	/* u64: by hardware cause */
	PTSCOPE_STATS_A_PROTECTION,	/* u64: the entry was present: CoW,
					 * write protection (uffd-wp, soft-
					 * dirty); NUMA hints are not-present
					 */
	PTSCOPE_STATS_A_GUP,		/* u64: no hardware fault: from
					 * get_user_pages() and friends
					 */
	PTSCOPE_STATS_A_CAUSE_UNKNOWN,	/* u64: hardware fault not matched */
	PTSCOPE_STATS_A_ANON,		/* u64: by backing */
	PTSCOPE_STATS_A_FILE,		/* u64 */
	PTSCOPE_STATS_A_SHMEM,		/* u64 */
	PTSCOPE_STATS_A_SWAPINS,	/* u64: swap entries faulted in */
	PTSCOPE_STATS_A_LAT_HIST,	/* binary: __u64 per bucket; bucket i
					 * counts handle_mm_fault() calls that
					 * took [2^(i-1), 2^i) ns (bucket 0:
					 * 0 ns; the last: that and longer)
					 */
	PTSCOPE_STATS_A_LAT_SUM_NS,	/* u64 */
	PTSCOPE_STATS_A_LAT_MISSED,	/* u64: calls not timed (probe busy) */
	PTSCOPE_STATS_A_RANGE,		/* nest, repeated: ptscope_range_attrs */
	PTSCOPE_STATS_A_RANGES_DROPPED,	/* u64: faults in ranges not kept */
	/* The task counters /proc/PID/stat shows, all threads summed */
	PTSCOPE_STATS_A_TASK_MIN_FLT,		/* u64: since process start */
	PTSCOPE_STATS_A_TASK_MAJ_FLT,		/* u64 */
	PTSCOPE_STATS_A_TASK_MIN_FLT_START,	/* u64: when tracking started */
	PTSCOPE_STATS_A_TASK_MAJ_FLT_START,	/* u64 */

	__PTSCOPE_STATS_A_MAX,
	PTSCOPE_STATS_A_MAX = __PTSCOPE_STATS_A_MAX - 1
};

#define PTSCOPE_LAT_BUCKETS	32

/* PTSCOPE_STATS_A_CPU nest: one CPU, reported if any counter is non-zero */
enum ptscope_cpu_attrs {
	PTSCOPE_CPU_A_UNSPEC,
	PTSCOPE_CPU_A_PAD,
	PTSCOPE_CPU_A_CPU,		/* u32 */
	PTSCOPE_CPU_A_TLB_RECEIVED,	/* u64: shootdowns for this mm received */
	/* System-wide, all processes, for context: */
	PTSCOPE_CPU_A_IRQ_TLB,		/* u64: /proc/interrupts TLB, delta since
					 * tracking started
					 */
	PTSCOPE_CPU_A_IRQ_TLB_TOTAL,	/* u64: same, since boot */
	PTSCOPE_CPU_A_TP_REMOTE,	/* u64: tlb_flush tracepoint, by reason */
	PTSCOPE_CPU_A_TP_LOCAL,		/* u64: local shootdowns (both kinds) */
	PTSCOPE_CPU_A_TP_TASK_SWITCH,	/* u64 */
	PTSCOPE_CPU_A_TP_SEND_IPI,	/* u64 */

	__PTSCOPE_CPU_A_MAX,
	PTSCOPE_CPU_A_MAX = __PTSCOPE_CPU_A_MAX - 1
};

/*
 * PTSCOPE_STATS_A_RANGE nest: faults in one VMA, keyed by the VMA's range
 * when it faulted, so counts survive later merges and splits.
 */
enum ptscope_range_attrs {
	PTSCOPE_RANGE_A_UNSPEC,
	PTSCOPE_RANGE_A_PAD,
	PTSCOPE_RANGE_A_START,		/* u64 */
	PTSCOPE_RANGE_A_END,		/* u64 */
	PTSCOPE_RANGE_A_FAULTS,		/* u64 */
	PTSCOPE_RANGE_A_MAJOR,		/* u64 */

	__PTSCOPE_RANGE_A_MAX,
	PTSCOPE_RANGE_A_MAX = __PTSCOPE_RANGE_A_MAX - 1
};

enum ptscope_pt_level {
	PTSCOPE_LEVEL_PGD,
	PTSCOPE_LEVEL_P4D,
	PTSCOPE_LEVEL_PUD,
	PTSCOPE_LEVEL_PMD,
	PTSCOPE_LEVEL_PTE,
};

/* PTSCOPE_XLATE_A_STOP_REASON: why the walk ended where it did */
enum ptscope_stop_reason {
	PTSCOPE_STOP_MAPPED,		/* reached a present leaf */
	PTSCOPE_STOP_NONE,		/* empty entry: never touched or dropped */
	PTSCOPE_STOP_SWAP,		/* swap entry */
	PTSCOPE_STOP_MIGRATION,		/* migration entry */
	PTSCOPE_STOP_MARKER,		/* PTE marker (e.g. uffd-wp, poison) */
	PTSCOPE_STOP_NO_VMA,		/* address is not inside any VMA */
	PTSCOPE_STOP_OTHER,		/* other non-present entry */
};

#endif /* _UAPI_LINUX_PTSCOPE_H */
