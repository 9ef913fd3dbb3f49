// SPDX-License-Identifier: GPL-2.0
/*
 * Cross-checks of ptscope against the kernel's own views, for every VMA of
 * a process: the workload, PID 1 (the VM's init shell, idle) and the test
 * process itself.  Nothing here knows what the process did:
 *
 *  - every page: present / swap / PFN / soft-dirty from ptscope's PFN runs
 *    equal /proc/PID/pagemap (bit 63 present, 62 swap, 55 soft-dirty OR the
 *    VMA's VM_SOFTDIRTY, 0-54 PFN); VM_PFNMAP VMAs are not walked by
 *    pagemap, which reports them as not present;
 *  - every VMA: smaps Rss / 4 == present pages - pte_special pages (the
 *    zero page and PFN maps have no struct page; vm_normal_page() is NULL);
 *  - every VMA: the per-VMA counts equal the counts of the runs;
 *  - the VMA list equals smaps' (minus [vsyscall], outside the user range),
 *    with the same flags (VmFlags), offset, inode, device and name.
 *
 * A live process (the test itself) can change between the reads: the
 * snapshot is retried until two ptscope walks around the pagemap and smaps
 * reads agree.
 *
 * Also: the CLI's `maps --json` output agrees with the library and smaps.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "kselftest_harness.h"
#include "common.h"

struct snap {
	struct vma_list vmas, vmas2;
	struct run_list runs, runs2;
	struct smaps sm;
	uint64_t *pm;
	size_t pm_cap;
	size_t pm_n;
};

static bool runs_equal(const struct run_list *a, const struct run_list *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct ptscope_run *x = &a->r[i], *y = &b->r[i];

		if (x->start != y->start || x->nr_pages != y->nr_pages ||
		    x->flags != y->flags || x->has_pfn != y->has_pfn ||
		    (x->has_pfn && x->pfn != y->pfn))
			return false;
	}
	return true;
}

static bool vmas_equal(const struct vma_list *a, const struct vma_list *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct ptscope_vma *x = &a->v[i], *y = &b->v[i];

		if (x->start != y->start || x->end != y->end ||
		    x->flags != y->flags || x->nr_present != y->nr_present ||
		    x->nr_accessed != y->nr_accessed || x->nr_dirty != y->nr_dirty ||
		    x->nr_writable != y->nr_writable ||
		    x->nr_soft_dirty != y->nr_soft_dirty)
			return false;
	}
	return true;
}

/* Pages of the VMAs whose pagemap we read (all of them below 1 GiB each). */
#define PM_VMA_MAX_PAGES	(1UL << 18)

static size_t pm_pages(const struct ptscope_vma *v)
{
	size_t n = (v->end - v->start) / PAGE_SZ;

	return n > PM_VMA_MAX_PAGES ? 0 : n;
}

static int take_snapshot(struct ptscope_client *c, pid_t pid, struct snap *s)
{
	for (int attempt = 0; attempt < 10; attempt++) {
		size_t total = 0, off = 0;
		int err;

		err = collect_vmas(c, pid, 0, 0, 0, &s->vmas);
		if (err)
			return err;
		err = collect_runs(c, pid, 0, 0, PTSCOPE_PAGES_F_PFN_RUNS, &s->runs);
		if (err)
			return err;
		for (size_t i = 0; i < s->vmas.n; i++)
			total += pm_pages(&s->vmas.v[i]);
		if (total > s->pm_cap) {
			free(s->pm);
			s->pm_cap = total + 4096;
			s->pm = calloc(s->pm_cap, sizeof(*s->pm));
			if (!s->pm)
				return -ENOMEM;
			continue;	/* the allocation may have changed us */
		}
		for (size_t i = 0; i < s->vmas.n; i++) {
			size_t n = pm_pages(&s->vmas.v[i]);

			if (n) {
				err = pagemap_read(pid, s->vmas.v[i].start, n,
						   s->pm + off);
				if (err)
					return err;
			}
			off += n;
		}
		s->pm_n = off;
		err = smaps_read(pid, &s->sm);
		if (err)
			return err;
		err = collect_vmas(c, pid, 0, 0, 0, &s->vmas2);
		if (err)
			return err;
		err = collect_runs(c, pid, 0, 0, PTSCOPE_PAGES_F_PFN_RUNS, &s->runs2);
		if (err)
			return err;
		if (runs_equal(&s->runs, &s->runs2) && vmas_equal(&s->vmas, &s->vmas2))
			return 0;
	}
	return -EAGAIN;
}

static void snap_free(struct snap *s)
{
	vma_list_free(&s->vmas);
	vma_list_free(&s->vmas2);
	run_list_free(&s->runs);
	run_list_free(&s->runs2);
	smaps_free(&s->sm);
	free(s->pm);
}

static uint32_t smaps_kind(const struct smaps_vma *s)
{
	if (!strcmp(s->name, "[heap]"))
		return PTSCOPE_VMA_KIND_HEAP;
	if (!strcmp(s->name, "[stack]"))
		return PTSCOPE_VMA_KIND_STACK;
	if (!strncmp(s->name, "[anon:", 6))
		return PTSCOPE_VMA_KIND_ANON_NAMED;
	if (s->name[0] == '[')
		return PTSCOPE_VMA_KIND_SPECIAL;
	if (!strcmp(s->name, "/dev/zero (deleted)") || !strncmp(s->name, "/SYSV", 5))
		return PTSCOPE_VMA_KIND_SHMEM;
	if (s->name[0])
		return PTSCOPE_VMA_KIND_FILE;
	return PTSCOPE_VMA_KIND_ANON;
}

static void check_snapshot(struct __test_metadata *_metadata,
			   const struct ptscope_info *info, const struct snap *s)
{
	size_t off = 0, nsm = 0;
	int bad_pages = 0;

	for (size_t i = 0; i < s->sm.n; i++)
		nsm += s->sm.v[i].start < info->user_va_end;
	EXPECT_EQ(nsm, s->vmas.n);

	for (size_t i = 0; i < s->vmas.n; i++) {
		const struct ptscope_vma *v = &s->vmas.v[i];
		const struct smaps_vma *sv = smaps_find(&s->sm, v->start);
		size_t n = pm_pages(v);
		struct page_view pv;
		struct counts cnt;
		const char *why = "";
		bool pfnmap = v->flags & PTSCOPE_VMA_F_PFNMAP;
		bool vma_sd = v->flags & PTSCOPE_VMA_F_SOFTDIRTY;
		char vname[300];

		snprintf(vname, sizeof(vname), "VMA 0x%llx-0x%llx %s",
			 (unsigned long long)v->start, (unsigned long long)v->end,
			 sv ? sv->name : "?");
		EXPECT_NE(NULL, sv) TH_LOG("%s not in smaps", vname);
		if (!sv)
			continue;

		/* identity against smaps */
		EXPECT_EQ(sv->end, v->end) TH_LOG("%s", vname);
		EXPECT_EQ(sv->vmflags, v->flags) {
			char a[256], b[256];

			ptscope_vma_flags_str(v->flags, a, sizeof(a));
			ptscope_vma_flags_str(sv->vmflags, b, sizeof(b));
			TH_LOG("%s: ptscope [%s] smaps [%s]", vname, a, b);
		}
		EXPECT_EQ(smaps_kind(sv), v->kind) TH_LOG("%s: kind %s", vname,
							  ptscope_vma_kind_name(v->kind));
		EXPECT_EQ(sv->inode, v->inode) TH_LOG("%s", vname);
		if (v->kind == PTSCOPE_VMA_KIND_FILE) {
			unsigned int maj = (v->dev & 0xfff00) >> 8;
			unsigned int min = (v->dev & 0xff) | ((v->dev >> 12) & 0xfff00);

			EXPECT_EQ(sv->pgoff, v->pgoff) TH_LOG("%s", vname);
			EXPECT_EQ(sv->dev_major, maj) TH_LOG("%s", vname);
			EXPECT_EQ(sv->dev_minor, min) TH_LOG("%s", vname);
		}
		if (v->kind == PTSCOPE_VMA_KIND_ANON_NAMED) {
			/* ptscope sends the bare name; smaps decorates it */
			char named[sizeof(v->name) + 8];

			snprintf(named, sizeof(named), "[anon:%s]", v->name);
			EXPECT_STREQ(sv->name, named);
		} else if (v->kind != PTSCOPE_VMA_KIND_SHMEM &&
			   v->kind != PTSCOPE_VMA_KIND_ANON) {
			EXPECT_STREQ(sv->name, v->name);
		}

		/* pages against pagemap */
		ASSERT_EQ(0, page_view_build(&pv, &s->runs, v->start, v->end, &why))
			TH_LOG("%s: %s", vname, why);
		for (size_t k = 0; k < pv.n; k++) {
			EXPECT_TRUE(pv.covered[k]) TH_LOG("%s page %zu not covered", vname, k);
		}
		for (size_t k = 0; k < n; k++) {
			uint64_t pm = s->pm[off + k];
			uint32_t f = pv.flags[k];
			bool present = (f & PTSCOPE_PF_PRESENT) && !pfnmap;
			bool swap = f & (PTSCOPE_PF_SWAP | PTSCOPE_PF_MIGRATION |
					 PTSCOPE_PF_MARKER);
			bool sd = ((f & PTSCOPE_PF_SOFT_DIRTY) && !pfnmap) || vma_sd;
			bool ok = present == !!(pm & PM_PRESENT) &&
				  swap == !!(pm & PM_SWAP) &&
				  sd == !!(pm & PM_SOFT_DIRTY) &&
				  (!present || pv.pfn[k] == (pm & PM_PFN_MASK));

			if (!ok && bad_pages++ < 10)
				TH_LOG("%s page %zu: flags 0x%x pfn 0x%llx, pagemap 0x%016llx",
				       vname, k, f, (unsigned long long)pv.pfn[k],
				       (unsigned long long)pm);
		}
		off += n;

		/* counts against runs, resident pages against smaps */
		count_flags(pv.flags, pv.n, &cnt);
		EXPECT_TRUE(v->has_counts);
		EXPECT_EQ(cnt.present, v->nr_present) TH_LOG("%s", vname);
		EXPECT_EQ(cnt.accessed, v->nr_accessed) TH_LOG("%s", vname);
		EXPECT_EQ(cnt.dirty, v->nr_dirty) TH_LOG("%s", vname);
		EXPECT_EQ(cnt.writable, v->nr_writable) TH_LOG("%s", vname);
		EXPECT_EQ(cnt.swap, v->nr_swap) TH_LOG("%s", vname);
		EXPECT_EQ(cnt.soft_dirty, v->nr_soft_dirty) TH_LOG("%s", vname);
		EXPECT_EQ(cnt.huge_pmd, v->nr_huge_pmd) TH_LOG("%s", vname);
		EXPECT_EQ(cnt.huge_pud, v->nr_huge_pud) TH_LOG("%s", vname);
		EXPECT_EQ(cnt.migration, v->nr_migration) TH_LOG("%s", vname);
		EXPECT_EQ(cnt.protnone, v->nr_protnone) TH_LOG("%s", vname);
		EXPECT_EQ(sv->rss_kb / 4, cnt.present - cnt.special)
			TH_LOG("%s: Rss %llu kB, present %llu, special %llu", vname,
			       (unsigned long long)sv->rss_kb,
			       (unsigned long long)cnt.present,
			       (unsigned long long)cnt.special);
		EXPECT_EQ(sv->anon_huge_kb / 4, cnt.huge_pmd) TH_LOG("%s", vname);
		page_view_free(&pv);
	}
	EXPECT_EQ(0, bad_pages);
}

FIXTURE(proc) {
	struct ptscope_client *c;
	struct ptscope_info info;
	struct snap s;
};

FIXTURE_SETUP(proc)
{
	int err = ptscope_open(&self->c);

	if (err == -ENOENT)
		SKIP(return, "ptscope module not loaded");
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, ptscope_get_info(self->c, &self->info));
	memset(&self->s, 0, sizeof(self->s));
}

FIXTURE_TEARDOWN(proc)
{
	snap_free(&self->s);
	ptscope_close(self->c);
}

TEST_F_TIMEOUT(proc, workload_all_vmas, 120)
{
	struct wl w;

	ASSERT_EQ(0, wl_start(&w));
	ASSERT_EQ(0, take_snapshot(self->c, w.pid, &self->s));
	check_snapshot(_metadata, &self->info, &self->s);
	wl_stop(&w);
}

TEST_F_TIMEOUT(proc, workload_child_all_vmas, 120)
{
	struct wl w;

	ASSERT_EQ(0, wl_start(&w));
	ASSERT_EQ(0, take_snapshot(self->c, w.child, &self->s));
	check_snapshot(_metadata, &self->info, &self->s);
	wl_stop(&w);
}

TEST_F_TIMEOUT(proc, pid1_all_vmas, 120)
{
	ASSERT_EQ(0, take_snapshot(self->c, 1, &self->s));
	check_snapshot(_metadata, &self->info, &self->s);
}

TEST_F_TIMEOUT(proc, self_all_vmas, 120)
{
	ASSERT_EQ(0, take_snapshot(self->c, getpid(), &self->s));
	check_snapshot(_metadata, &self->info, &self->s);
}

/* ---- the CLI's JSON ------------------------------------------------------ */

static const char *const count_keys[] = {
	"present", "accessed", "dirty", "writable", "swap", "soft_dirty",
	"huge_pmd", "huge_pud", "migration", "protnone",
};

/*
 * A count of pages with a flag the kernel lacks (get-info's page-flags:
 * soft_dirty on arm64) is absent from the JSON, not 0.
 */
static bool count_absent(const struct ptscope_info *in, int k)
{
	return k == 5 && in->has_page_flags &&
	       !(in->page_flags & PTSCOPE_PF_SOFT_DIRTY);
}

static uint64_t vma_count(const struct ptscope_vma *v, int k)
{
	const uint64_t c[] = {
		v->nr_present, v->nr_accessed, v->nr_dirty, v->nr_writable,
		v->nr_swap, v->nr_soft_dirty, v->nr_huge_pmd, v->nr_huge_pud,
		v->nr_migration, v->nr_protnone,
	};

	return c[k];
}

/* `ptscope maps --json PID` of the (idle) workload: every VMA's bounds,
 * perms and page counts equal the library's and smaps', totals add up. */
TEST_F_TIMEOUT(proc, cli_maps_json, 120)
{
	const char *cli = cli_path();
	struct json_object *vmas, *totals, *tpages;
	uint64_t sum[10] = {}, sum_size = 0, sum_total = 0, x;
	struct wl w;
	char pidbuf[16], *out = NULL;
	struct json_object *doc;
	char why[128];
	size_t i;
	int rc;

	if (!cli)
		SKIP(return, "ptscope CLI not found (/bin/ptscope, $PTSCOPE_CLI)");
	ASSERT_EQ(0, wl_start(&w));
	ASSERT_EQ(0, take_snapshot(self->c, w.pid, &self->s));
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)w.pid);
	{
		char *argv[] = { (char *)cli, "maps", "--json", pidbuf, NULL };

		rc = run_capture(argv, &out);
	}
	ASSERT_EQ(0, rc) TH_LOG("%s maps --json %s failed", cli, pidbuf);
	doc = json_doc(out, why, sizeof(why));
	ASSERT_NE(NULL, doc) TH_LOG("not JSON: %s", why);
	ASSERT_TRUE(json_get_u64(doc, "pid", &x));
	EXPECT_EQ((uint64_t)w.pid, x);
	ASSERT_TRUE(json_get_u64(doc, "page_size", &x));
	EXPECT_EQ(PAGE_SZ, x);
	ASSERT_TRUE(json_object_object_get_ex(doc, "vmas", &vmas));
	ASSERT_TRUE(json_object_is_type(vmas, json_type_array));
	ASSERT_EQ(self->s.vmas.n, json_object_array_length(vmas));
	for (i = 0; i < self->s.vmas.n; i++) {
		struct json_object *jv = json_object_array_get_idx(vmas, i);
		const struct ptscope_vma *v = &self->s.vmas.v[i];
		const struct smaps_vma *sv = smaps_find(&self->s.sm, v->start);
		struct json_object *pages = NULL, *perms = NULL, *jstart = NULL;
		uint64_t start, end, size, total;
		struct page_view pv;
		struct counts cnt;
		const char *why = "";

		ASSERT_TRUE(json_get_u64(jv, "start", &start));
		ASSERT_TRUE(json_get_u64(jv, "end", &end));
		ASSERT_TRUE(json_get_u64(jv, "size", &size));
		json_object_object_get_ex(jv, "start", &jstart);
		EXPECT_TRUE(json_object_is_type(jstart, json_type_string));
		EXPECT_EQ(v->start, start);
		EXPECT_EQ(v->end, end);
		EXPECT_EQ(end - start, size);
		ASSERT_TRUE(json_object_object_get_ex(jv, "perms", &perms));
		ASSERT_NE(NULL, sv);
		EXPECT_STREQ(sv->perms, json_object_get_string(perms));
		ASSERT_TRUE(json_object_object_get_ex(jv, "pages", &pages));
		ASSERT_TRUE(json_get_u64(pages, "total", &total));
		EXPECT_EQ(size / PAGE_SZ, total);
		sum_size += size;
		sum_total += total;
		for (int k = 0; k < 10; k++) {
			if (count_absent(&self->info, k)) {
				EXPECT_FALSE(json_get_u64(pages, count_keys[k], &x))
					TH_LOG("pages.%s present", count_keys[k]);
				continue;
			}
			ASSERT_TRUE(json_get_u64(pages, count_keys[k], &x))
				TH_LOG("pages.%s missing", count_keys[k]);
			EXPECT_EQ(vma_count(v, k), x)
				TH_LOG("VMA 0x%llx pages.%s", (unsigned long long)start,
				       count_keys[k]);
			sum[k] += x;
		}
		ASSERT_EQ(0, page_view_build(&pv, &self->s.runs, v->start, v->end, &why));
		count_flags(pv.flags, pv.n, &cnt);
		ASSERT_TRUE(json_get_u64(pages, "present", &x));
		EXPECT_EQ(sv->rss_kb / 4, x - cnt.special)
			TH_LOG("VMA 0x%llx: Rss %llu kB", (unsigned long long)start,
			       (unsigned long long)sv->rss_kb);
		page_view_free(&pv);
	}
	ASSERT_TRUE(json_object_object_get_ex(doc, "totals", &totals));
	ASSERT_TRUE(json_get_u64(totals, "vmas", &x));
	EXPECT_EQ(self->s.vmas.n, x);
	ASSERT_TRUE(json_get_u64(totals, "size", &x));
	EXPECT_EQ(sum_size, x);
	ASSERT_TRUE(json_object_object_get_ex(totals, "pages", &tpages));
	ASSERT_TRUE(json_get_u64(tpages, "total", &x));
	EXPECT_EQ(sum_total, x);
	for (int k = 0; k < 10; k++) {
		if (count_absent(&self->info, k)) {
			EXPECT_FALSE(json_get_u64(tpages, count_keys[k], &x));
			continue;
		}
		ASSERT_TRUE(json_get_u64(tpages, count_keys[k], &x));
		EXPECT_EQ(sum[k], x) TH_LOG("totals.pages.%s", count_keys[k]);
	}
	json_object_put(doc);
	free(out);
	wl_stop(&w);
}

/*
 * json_get_u64(), which every JSON check here relies on: exact above
 * INT64_MAX, "0x" strings, and no wrapping of what is not a u64.
 */
TEST(json_u64_helper)
{
	const char *doc = "{\"max\":18446744073709551615,\"hi\":9223372036854775808,"
			  "\"hex\":\"0xffffffffffffffff\",\"neg\":-1,\"frac\":1.5,"
			  "\"dec\":\"12\",\"t\":true,\"last\":7}";
	const char *bad[] = { "neg", "frac", "dec", "t", "absent" };
	struct json_object *j;
	char why[128];
	uint64_t x;

	j = json_doc(doc, why, sizeof(why));
	ASSERT_NE(NULL, j) TH_LOG("%s", why);
	ASSERT_TRUE(json_get_u64(j, "max", &x));
	EXPECT_EQ(~0ULL, x);
	ASSERT_TRUE(json_get_u64(j, "hi", &x));
	EXPECT_EQ(1ULL << 63, x);
	ASSERT_TRUE(json_get_u64(j, "hex", &x));
	EXPECT_EQ(~0ULL, x);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_FALSE(json_get_u64(j, bad[i], &x)) TH_LOG("%s", bad[i]);
	}
	json_object_put(j);
	EXPECT_EQ(NULL, json_doc("{\"a\":1,}", why, sizeof(why)));
	EXPECT_EQ(NULL, json_doc("{} x", why, sizeof(why)));
}

TEST_HARNESS_MAIN
