// SPDX-License-Identifier: GPL-2.0
/*
 * One metrics collection (metrics.h): get-info, the tracked processes'
 * counters (one get-stats dump), then a walk of every selected process
 * whose last walk is older than min_interval: get-vmas with counts (one
 * pass over the page tables, no per-page output) and the get-tables
 * totals.  With --heat a walk also samples the accessed bits.
 *
 * Walks are cached by PID and start time, so a reused PID never inherits
 * its predecessor's figures; entries of processes no longer selected are
 * dropped at the end of each collection.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "heat.h"
#include "heat_sample.h"
#include "metrics.h"

struct metrics_cache_entry {
	pid_t pid;
	unsigned long long starttime;
	char comm[17];			/* an exec changes it, not pid or start time */
	struct metrics_walk walk;
	bool used;			/* selected in this collection */
	/* --heat */
	struct heat *heat;
	bool primed;
	double sample_times[HEAT_AGE_MAX + 1];	/* ring, by sample number */
	uint64_t samples;
};

static double mono_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double (*metrics_clock)(void) = mono_seconds;

static bool gone(int err)
{
	return err == -ESRCH || err == -ENOENT;
}

void metrics_collector_init(struct metrics_collector *mc,
			    const struct metrics_opts *opts)
{
	memset(mc, 0, sizeof(*mc));
	mc->opts = *opts;
	snprintf(mc->proc_root, sizeof(mc->proc_root), "/proc");
}

static void entry_free(struct metrics_cache_entry *e)
{
	free(e->walk.top);
	if (e->heat) {
		heat_free(e->heat);
		free(e->heat);
	}
}

void metrics_collector_free(struct metrics_collector *mc)
{
	for (size_t i = 0; i < mc->nr_cache; i++)
		entry_free(&mc->cache[i]);
	free(mc->cache);
	if (mc->client)
		ptscope_close(mc->client);
	memset(mc, 0, sizeof(*mc));
}

void metrics_snapshot_free(struct metrics_snapshot *s)
{
	for (size_t i = 0; i < s->nr_procs; i++)
		free(s->procs[i].walk.top);
	free(s->procs);
	memset(s, 0, sizeof(*s));
}

/*
 * The client, opened again if the module went away (or never was).  A
 * reconnect is counted only when a connected client lost the family
 * (ENOENT: unloaded), not for an exporter started before the module.
 */
static int connect_module(struct metrics_collector *mc, struct ptscope_info *info)
{
	int err;

	if (mc->client) {
		err = ptscope_get_info(mc->client, info);
		if (!err)
			return 0;
		ptscope_close(mc->client);
		mc->client = NULL;
		if (err == -ENOENT)
			mc->lost = true;
	}
	err = ptscope_open_loaded(&mc->client);
	if (!err)
		err = ptscope_get_info(mc->client, info);
	if (err) {
		if (mc->client)
			ptscope_close(mc->client);
		mc->client = NULL;
		return err;
	}
	if (mc->lost)
		mc->reconnects_total++;
	mc->lost = false;
	return 0;
}

struct proc_list {
	struct metrics_proc *v;
	size_t n, cap;
};

static struct metrics_proc *proc_add(struct proc_list *l, pid_t pid)
{
	struct metrics_proc *p;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct metrics_proc *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	p = &l->v[l->n++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	return p;
}

static struct metrics_proc *proc_find(struct proc_list *l, pid_t pid)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].pid == pid)
			return &l->v[i];
	return NULL;
}

static int add_tracked(const struct ptscope_stats *s, void *arg)
{
	struct metrics_proc *p = proc_add(arg, s->pid);

	if (!p)
		return -ENOMEM;
	p->tracked = true;
	p->stats = *s;
	p->stats.cpus = NULL;
	p->stats.nr_cpus = 0;
	p->stats.ranges = NULL;
	p->stats.nr_ranges = 0;
	snprintf(p->comm, sizeof(p->comm), "%s", s->comm);
	return 0;
}

static void report(struct metrics_collector *mc, pid_t pid, const char *what, int err)
{
	const char *msg = mc->client ? ptscope_errmsg(mc->client) : "";

	mc->errors_total++;
	if (pid)
		fprintf(stderr, "ptscope: pid %d: ", (int)pid);
	else
		fputs("ptscope: ", stderr);
	fprintf(stderr, "%s: %s%s%s\n", what, strerror(-err), *msg ? ": " : "", msg);
}

/* Start tracking the selected processes not tracked yet (--track). */
static void track_selected(struct metrics_collector *mc, const pid_t *sel, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int err = ptscope_track_start(mc->client, sel[i]);

		if (err && err != -EALREADY && !gone(err) && err != -EINVAL)
			report(mc, sel[i], "track", err);
	}
}

static void entry_reset(struct metrics_cache_entry *e, pid_t pid,
			unsigned long long starttime, const char *comm)
{
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->starttime = starttime;
	snprintf(e->comm, sizeof(e->comm), "%s", comm);
	e->walk.started_at = -INFINITY;
	e->walk.walked_at = -INFINITY;
}

static struct metrics_cache_entry *cache_get(struct metrics_collector *mc, pid_t pid,
					     unsigned long long starttime, const char *comm)
{
	struct metrics_cache_entry *e;

	for (size_t i = 0; i < mc->nr_cache; i++) {
		e = &mc->cache[i];
		if (e->pid != pid)
			continue;
		if (e->starttime == starttime && !strcmp(e->comm, comm))
			return e;
		/* PID reused, or exec'd: the figures (and idle ages) are not its. */
		entry_free(e);
		entry_reset(e, pid, starttime, comm);
		return e;
	}
	e = realloc(mc->cache, (mc->nr_cache + 1) * sizeof(*e));
	if (!e)
		return NULL;
	mc->cache = e;
	e = &mc->cache[mc->nr_cache++];
	entry_reset(e, pid, starttime, comm);
	return e;
}

static void cache_prune(struct metrics_collector *mc)
{
	size_t w = 0;

	for (size_t i = 0; i < mc->nr_cache; i++) {
		if (!mc->cache[i].used) {
			entry_free(&mc->cache[i]);
			continue;
		}
		mc->cache[i].used = false;
		mc->cache[w++] = mc->cache[i];
	}
	mc->nr_cache = w;
}

struct walk_ctx {
	const struct metrics_opts *o;
	uint32_t page_size;
	struct metrics_walk *w;
	size_t cap_top;
	void *arg;			/* --heat: the sample buffer */
};

static int cmp_vma_group(const void *a, const void *b)
{
	const struct metrics_vma *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_vma_resident(const void *a, const void *b)
{
	const struct metrics_vma *x = a, *y = b;

	if (x->resident != y->resident)
		return x->resident < y->resident ? 1 : -1;
	return cmp_vma_group(a, b);
}

/* --per-vma: every mapping, grouped once the walk is over (group_vmas()). */
static int keep_vma(struct walk_ctx *c, const struct ptscope_vma *v, uint64_t resident)
{
	struct metrics_walk *w = c->w;
	struct metrics_vma *m;

	if (w->nr_top == c->cap_top) {
		size_t cap = c->cap_top ? c->cap_top * 2 : 64;
		struct metrics_vma *t = realloc(w->top, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		w->top = t;
		c->cap_top = cap;
	}
	m = &w->top[w->nr_top++];
	m->resident = resident;
	m->kind = v->kind;
	m->count = 1;
	/* Long paths are cut: a label is for telling mappings apart. */
	snprintf(m->name, sizeof(m->name), "%.255s", v->name);
	return 0;
}

/* Sum the mappings of one kind and name; keep the @max largest groups. */
static void group_vmas(struct metrics_walk *w, unsigned int max)
{
	size_t i, n = 0;

	if (!w->nr_top)
		return;
	qsort(w->top, w->nr_top, sizeof(*w->top), cmp_vma_group);
	for (i = 1; i < w->nr_top; i++) {
		if (!cmp_vma_group(&w->top[n], &w->top[i])) {
			w->top[n].resident += w->top[i].resident;
			w->top[n].count++;
		} else {
			w->top[++n] = w->top[i];
		}
	}
	n++;
	qsort(w->top, n, sizeof(*w->top), cmp_vma_resident);
	w->vmas_dropped = n > max ? n - max : 0;
	w->nr_top = n > max ? max : n;
}

static int add_vma(const struct ptscope_vma *v, void *arg)
{
	struct walk_ctx *c = arg;
	struct metrics_walk *w = c->w;
	uint64_t ps = c->page_size;

	w->vmas++;
	w->resident += v->nr_present * ps;
	w->dirty += v->nr_dirty * ps;
	w->swapped += v->nr_swap * ps;
	w->huge_pmd += v->nr_huge_pmd * ps;
	w->huge_pud += v->nr_huge_pud * ps;
	return c->o->per_vma ? keep_vma(c, v, v->nr_present * ps) : 0;
}

/* The fewest samples back that span cold_after seconds; 0 if none does yet. */
static unsigned int cold_age(const struct metrics_cache_entry *e, double cold_after)
{
	double now = e->sample_times[(e->samples - 1) % (HEAT_AGE_MAX + 1)];

	for (uint64_t k = 1; k <= HEAT_AGE_MAX && k < e->samples; k++) {
		double then = e->sample_times[(e->samples - 1 - k) % (HEAT_AGE_MAX + 1)];

		if (now - then >= cold_after)
			return (unsigned int)k;
	}
	return 0;
}

struct cold_ctx {
	unsigned int min_age;
	uint64_t pages;
};

static int count_cold(uint64_t start, uint64_t pages, unsigned int age, void *arg)
{
	struct cold_ctx *c = arg;

	(void)start;
	if (age >= c->min_age)
		c->pages += pages;
	return 0;
}

static int add_block(const struct ptscope_access_block *b, void *arg)
{
	return heat_sbuf_add_block(arg, b);
}

/* --heat: sample the accessed bits after the walk (its VMAs name the pages). */
static int sample_heat(struct metrics_collector *mc, struct metrics_cache_entry *e,
		       struct heat_sbuf *buf, uint32_t page_size)
{
	struct heat_sample s = { 0 };
	struct cold_ctx cold = { 0 };
	struct metrics_walk *w = &e->walk;
	double now;
	int err;

	if (!e->primed) {
		/* The first sample only clears: what it would report has no interval. */
		err = ptscope_sample_access(mc->client, e->pid, 0, 0, PTSCOPE_ACCESS_F_DISCARD,
					    NULL, NULL, NULL);
		if (err)
			return err;
		e->primed = true;
		e->sample_times[0] = metrics_clock();
		e->samples = 1;
		return 0;
	}
	if (!e->heat) {
		e->heat = calloc(1, sizeof(*e->heat));
		if (!e->heat)
			return -ENOMEM;
		err = heat_init(e->heat, (unsigned int)__builtin_ctz(page_size), 0, 0, 1, 1, false);
		if (err) {
			free(e->heat);
			e->heat = NULL;
			return err;
		}
		e->heat->bounded = true;
	}
	err = ptscope_sample_access(mc->client, e->pid, 0, 0, 0,
				    add_block, buf, &s.stats);
	if (err)
		return err;
	now = metrics_clock();
	heat_sbuf_sample(buf, &s);
	s.time_ns = (uint64_t)((now - e->sample_times[0]) * 1e9);
	err = heat_add_sample(e->heat, &s);
	if (err)
		return err;
	w->heat_interval = now - e->sample_times[(e->samples - 1) % (HEAT_AGE_MAX + 1)];
	e->sample_times[e->samples % (HEAT_AGE_MAX + 1)] = now;
	e->samples++;
	cold.min_age = cold_age(e, mc->opts.cold_after);
	/* Until the samples span cold_after nothing is known to be cold: no series. */
	w->has_cold = cold.min_age > 0;
	if (w->has_cold)
		heat_idle_runs(e->heat, count_cold, &cold);
	w->has_heat = true;
	w->wss = heat_bytes(e->heat, e->heat->tot[0].wss);
	w->cold = heat_bytes(e->heat, cold.pages);
	return 0;
}

static int add_vma_heat(const struct ptscope_vma *v, void *arg)
{
	struct walk_ctx *c = arg;
	int err = add_vma(v, c);

	return err ? err : heat_sbuf_add_ptscope_vma(c->arg, v);
}

/* Walk @e's process: the gauges, and with --heat an access sample. */
static int walk(struct metrics_collector *mc, struct metrics_cache_entry *e,
		uint32_t page_size)
{
	struct metrics_walk *w = &e->walk;
	struct heat_sbuf buf = { 0 };
	struct walk_ctx c = { .o = &mc->opts, .page_size = page_size, .w = w, .arg = &buf };
	double t0 = metrics_clock();
	bool heat = mc->opts.heat;
	int err;

	free(w->top);
	*w = (struct metrics_walk){ .started_at = t0 };
	err = ptscope_get_vmas(mc->client, e->pid, 0, 0, 0, heat ? add_vma_heat : add_vma, &c);
	if (!err)
		err = ptscope_get_tables(mc->client, e->pid, 0, 0, -1, NULL, NULL, &w->tables);
	if (!err && mc->opts.per_vma)
		group_vmas(w, mc->opts.max_vma_series);
	if (!err && heat) {
		int herr = sample_heat(mc, e, &buf, page_size);

		/* The walk stands; only the heat gauges are missing this time. */
		if (herr && (gone(herr) || herr == -ENOMEM))
			err = herr;
		else if (herr)
			report(mc, e->pid, "sample-access", herr);
	}
	heat_sbuf_free(&buf);
	mc->walks_total++;
	w->walked_at = metrics_clock();
	w->duration = w->walked_at - t0;
	if (err) {
		free(w->top);
		*w = (struct metrics_walk){ .started_at = -INFINITY, .walked_at = -INFINITY };
	}
	return err;
}

/*
 * Due after min_interval since the last walk began, less a little: a
 * scraper polling at exactly that interval would otherwise find the walk
 * a few ms too young every other time and see it only half as often.
 */
static bool walk_due(const struct metrics_collector *mc, const struct metrics_walk *w)
{
	double slack = mc->opts.min_interval / 10 < 1 ? mc->opts.min_interval / 10 : 1;

	return metrics_clock() - w->started_at >= mc->opts.min_interval - slack;
}

static int cmp_proc(const void *a, const void *b)
{
	pid_t x = ((const struct metrics_proc *)a)->pid, y = ((const struct metrics_proc *)b)->pid;

	return (x > y) - (x < y);
}

/* The walk of selected process @p (cached unless older than min_interval). */
static int walk_selected(struct metrics_collector *mc, struct metrics_proc *p,
			 uint32_t page_size)
{
	struct metrics_cache_entry *e;
	unsigned long long starttime;
	int err;

	if (!metrics_read_starttime(mc->proc_root, p->pid, &starttime))
		return -ESRCH;
	e = cache_get(mc, p->pid, starttime, p->comm);
	if (!e)
		return -ENOMEM;
	e->used = true;
	if (walk_due(mc, &e->walk)) {
		err = walk(mc, e, page_size);
		if (err)
			return err;
	}
	p->walk = e->walk;
	p->walk.top = NULL;
	if (e->walk.nr_top) {
		p->walk.top = malloc(e->walk.nr_top * sizeof(*p->walk.top));
		if (!p->walk.top)
			return -ENOMEM;
		memcpy(p->walk.top, e->walk.top, e->walk.nr_top * sizeof(*p->walk.top));
	}
	p->walked = true;
	return 0;
}

int metrics_collect(struct metrics_collector *mc, struct metrics_snapshot *out)
{
	const struct metrics_opts *o = &mc->opts;
	struct proc_list l = { 0 };
	double t0 = metrics_clock();
	pid_t *sel = NULL;
	size_t nsel = 0, i;
	int err;

	memset(out, 0, sizeof(*out));
	err = metrics_select(mc->proc_root, o, &sel, &nsel);
	if (err)
		return err;
	if (connect_module(mc, &out->info)) {
		/* No module: only the exporter's own series (up 0). */
		free(sel);
		goto done;
	}
	out->up = true;
	if (o->track)
		track_selected(mc, sel, nsel);
	err = ptscope_list_stats(mc->client, add_tracked, &l);
	if (err == -ENOMEM)
		goto fail;
	if (err)
		report(mc, 0, "get-stats", err);
	/* The tracked ones (selected by --tracked), then the others the selectors name. */
	for (i = 0; i < l.n; i++)
		l.v[i].selected = o->tracked;
	for (i = 0; i < nsel; i++) {
		struct metrics_proc *p = proc_find(&l, sel[i]);

		if (!p) {
			p = proc_add(&l, sel[i]);
			if (!p) {
				err = -ENOMEM;
				goto fail;
			}
			if (!metrics_read_comm(mc->proc_root, sel[i], p->comm, sizeof(p->comm))) {
				l.n--;		/* exited, or never was */
				continue;
			}
		}
		p->selected = true;
	}
	free(sel);
	sel = NULL;
	for (i = 0; i < l.n; i++) {
		struct metrics_proc *p = &l.v[i];

		if (o->cgroup_label)
			metrics_read_cgroup(mc->proc_root, p->pid, p->cgroup, sizeof(p->cgroup));
		if (!p->selected)
			continue;
		out->selected++;
		err = walk_selected(mc, p, out->info.page_size);
		if (err == -ENOMEM)
			goto fail;
		if (err && !gone(err))
			report(mc, p->pid, "walk", err);
	}
	/* A process that exited since: no series at all, not a stale one. */
	for (i = 0; i < l.n; ) {
		if (!l.v[i].tracked && !l.v[i].walked) {
			free(l.v[i].walk.top);
			l.v[i] = l.v[--l.n];
			continue;
		}
		i++;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_proc);
	cache_prune(mc);
	out->procs = l.v;
	out->nr_procs = l.n;
done:
	out->walks_total = mc->walks_total;
	out->errors_total = mc->errors_total;
	out->reconnects_total = mc->reconnects_total;
	out->taken_at = metrics_clock();
	out->duration = out->taken_at - t0;
	return 0;
fail:
	free(sel);
	for (i = 0; i < l.n; i++)
		free(l.v[i].walk.top);
	free(l.v);
	memset(out, 0, sizeof(*out));
	return err;
}
