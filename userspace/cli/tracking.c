// SPDX-License-Identifier: GPL-2.0
/*
 * What stats, watch and track share (tracking.h): the names of fault
 * ranges, times and latencies for people, --top, and the hint when a
 * process is not tracked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "json.h"
#include "ptscope_priv.h"
#include "tracking.h"

static int collect_vma(const struct ptscope_vma *vma, void *arg)
{
	struct vma_names *vn = arg;
	struct vma_name *e;
	size_t len;

	if (vn->n == vn->cap) {
		size_t cap = vn->cap ? 2 * vn->cap : 64;
		struct vma_name *v = realloc(vn->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		vn->v = v;
		vn->cap = cap;
	}
	e = &vn->v[vn->n];
	e->start = vma->start;
	e->end = vma->end;
	len = strlen(vma->name) + sizeof("[anon:]");
	e->name = malloc(len);
	if (!e->name)
		return -ENOMEM;
	if (vma->kind == PTSCOPE_VMA_KIND_ANON_NAMED)
		snprintf(e->name, len, "[anon:%s]", vma->name);
	else if (!vma->name[0])
		snprintf(e->name, len, "[anon]");
	else
		snprintf(e->name, len, "%s", vma->name);
	vn->n++;
	return 0;
}

int vma_names_load(struct ptscope_client *c, pid_t pid, struct vma_names *vn)
{
	int err;

	memset(vn, 0, sizeof(*vn));
	err = ptscope_get_vmas(c, pid, 0, 0, PTSCOPE_VMAS_F_NO_COUNTS,
			       collect_vma, vn);
	if (err)
		vma_names_free(vn);
	else
		vn->ok = true;
	return err;
}

void vma_names_free(struct vma_names *vn)
{
	for (size_t i = 0; i < vn->n; i++)
		free(vn->v[i].name);
	free(vn->v);
	memset(vn, 0, sizeof(*vn));
}

const char *vma_names_find(const struct vma_names *vn, uint64_t start,
			   uint64_t end)
{
	size_t lo = 0, hi = vn->n;

	if (!vn->ok)
		return "";

	/* VMAs come in address order: the first one ending after start */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (vn->v[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < vn->n && vn->v[lo].start < end)
		return vn->v[lo].name;
	return NULL;
}

void fmt_ns(uint64_t ns, bool utf8, char *buf, size_t len)
{
	static const struct { uint64_t div; const char *unit; } units[] = {
		{ 1000000000ULL, "s" }, { 1000000ULL, "ms" }, { 1000ULL, NULL },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		const char *unit = units[i].unit ? units[i].unit : utf8 ? "\u00b5s" : "us";
		double v = (double)ns / (double)units[i].div;

		if (ns < units[i].div)
			continue;
		if (v < 10 && ns % units[i].div)
			snprintf(buf, len, "%.1f %s", v, unit);
		else
			snprintf(buf, len, "%.0f %s", v, unit);
		return;
	}
	snprintf(buf, len, "%llu ns", (unsigned long long)ns);
}

void fmt_duration(uint64_t ns, char *buf, size_t len)
{
	unsigned long long s = ns / 1000000000ULL;

	if (s < 1)
		snprintf(buf, len, "%llu ms", (unsigned long long)(ns / 1000000ULL));
	else if (s < 60)
		snprintf(buf, len, "%.1f s", (double)(ns / 100000000ULL) / 10.0);
	else if (s < 3600)
		snprintf(buf, len, "%llum %02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lluh %02llum", s / 3600, s / 60 % 60);
	else
		snprintf(buf, len, "%llud %02lluh", s / 86400, s / 3600 % 24);
}

const char *probe_human(uint64_t probe)
{
	switch (probe) {
	case PTSCOPE_PROBE_TLB_FLUSH_TP:	return "the tlb:tlb_flush tracepoint";
	case PTSCOPE_PROBE_FLUSH_TLB_MM_RANGE:	return "flush_tlb_mm_range()";
	case PTSCOPE_PROBE_FLUSH_TLB_MULTI:	return "flush_tlb_multi()";
	case PTSCOPE_PROBE_FLUSH_TLB_FUNC:	return "flush_tlb_func()";
	case PTSCOPE_PROBE_HANDLE_MM_FAULT:	return "handle_mm_fault()";
	case PTSCOPE_PROBE_DO_SWAP_PAGE:	return "do_swap_page()";
	case PTSCOPE_PROBE_PAGE_FAULT_TP:	return "the exceptions:page_fault_* tracepoints";
	case PTSCOPE_PROBE_IRQ_TLB_COUNT:	return "the irq TLB counts";
	case PTSCOPE_PROBE_FAULT_RETURN:	return "handle_mm_fault()'s return hook";
	case PTSCOPE_PROBE_FAULT_FGRAPH:	return "fprobe on fgraph";
	case PTSCOPE_PROBE_FAULT_SYNDROME:	return "do_mem_abort()'s syndrome";
	case PTSCOPE_PROBE_MMU_NOTIFIER_TLB:	return "the TLB mmu notifier (arm64 6.6+)";
	default:				return "a probe";
	}
}

/*
 * Why handle_mm_fault()'s return hook is not armed by default: it costs
 * every process's faults, tracked or not.
 */
const char *fault_return_hint(void)
{
	return "counted at entry only; the module parameter fault_latency=1 adds them, at a cost to every process's faults";
}

int tracking_failed(const struct ptscope_client *c, int err, pid_t pid)
{
	request_failed(c, err);
	if (err == -ENOENT)
		fprintf(stderr, "ptscope: start tracking first: ptscope track start %d\n",
			(int)pid);
	return EXIT_FAILED;
}

uint64_t lat_count(const uint64_t *hist)
{
	uint64_t n = 0;

	for (int i = 0; i < PTSCOPE_LAT_BUCKETS; i++)
		n += hist[i];
	return n;
}

/* Bucket i holds [2^(i-1), 2^i) ns; bucket 0 is 0 ns; the last is open. */
static uint64_t bucket_lo(int i)
{
	return i ? 1ULL << (i - 1) : 0;
}

uint64_t lat_percentile(const uint64_t *hist, double q)
{
	uint64_t n = lat_count(hist), seen = 0;
	double want = q * (double)n;

	if (!n)
		return 0;
	for (int i = 0; i < PTSCOPE_LAT_BUCKETS; i++) {
		double lo = (double)bucket_lo(i), hi = (double)(1ULL << i);

		if (!hist[i])
			continue;
		if ((double)(seen + hist[i]) >= want || i == PTSCOPE_LAT_BUCKETS - 1) {
			double frac = (want - (double)seen) / (double)hist[i];

			if (frac < 0)
				frac = 0;
			if (i == 0 || i == PTSCOPE_LAT_BUCKETS - 1)
				return (uint64_t)lo;	/* no upper bound to interpolate to */
			return (uint64_t)(lo + frac * (hi - lo));
		}
		seen += hist[i];
	}
	return 0;
}

int arg_top(const char *s, int def, int *top)
{
	char *end;
	long v;

	*top = def;
	if (!s)
		return EXIT_OK;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 1000)
		return usage_error("invalid --top '%s': expected 1 to 1000", s);
	*top = (int)v;
	return EXIT_OK;
}

void json_rate(struct json *j, const char *key, double v)
{
	/* json.h has no floats: place the comma as json_u64() would */
	if (!j->first[j->depth])
		putc(',', j->f);
	j->first[j->depth] = false;
	json_write_string(j->f, key);
	fprintf(j->f, ":%.1f", v);
}
