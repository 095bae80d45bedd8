/* models/run.c — replications in parallel (see run.h): OpenMP threads in
 * one process, and with a spreader set, shares of each call's
 * replications on the processes of a job. */
#include "models/run.h"
#include "models/flow.h"
#include "models/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

size_t mdl_run_stride(const struct mdl_scenario *s)
{
    return mdl_metric_stride(s->ndepts, s->nclasses, mdl_flow_hours(s), s->npools);
}

size_t mdl_run_count(const struct mdl_scenario *s)
{
    return mdl_metric_count(s->ndepts, s->nclasses, mdl_flow_hours(s), s->npools);
}

/* Sections for reps replications: 10, or a divisor of reps near it so that
 * every section holds as many replications; all of them when fewer. */
static size_t sections_for(unsigned reps)
{
    if (reps <= 10)
        return reps ? reps : 1;
    for (unsigned m = 10; m >= 5; m--)
        if (reps % m == 0)
            return m;
    for (unsigned m = 11; m <= 20; m++)
        if (reps % m == 0)
            return m;
    return 10;
}

struct mdl_run_pools *mdl_run_pools_create(const struct mdl_scenario *s, unsigned reps)
{
    struct mdl_run_pools *p = sim_xmalloc(sizeof *p);
    p->reps = reps;
    p->m = sections_for(reps);
    p->ndepts = s->ndepts;
    p->h = sim_xmalloc(p->m * p->ndepts * sizeof *p->h);
    for (size_t i = 0; i < p->m * p->ndepts; i++)
        p->h[i] = sim_qhist_create(SIM_TALLY_Q_LO, SIM_TALLY_Q_HI, SIM_TALLY_Q_REL);
    return p;
}

void mdl_run_pools_destroy(struct mdl_run_pools *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->m * p->ndepts; i++)
        sim_qhist_destroy(p->h[i]);
    free(p->h);
    free(p);
}

struct mdl_flow_pool mdl_run_pool_of(const struct mdl_run_pools *p, unsigned r)
{
    size_t k = sim_qhist_section_of(r, p->reps, p->m);
    return (struct mdl_flow_pool){&p->h[k * p->ndepts]};
}

void mdl_run_totals_add(struct mdl_run_totals *totals, const struct mdl_flow_stats *stats)
{
    totals->events += stats->events;
    totals->customers += stats->customers;
    totals->overloaded += stats->overloaded;
    totals->over_events += stats->over_events;
    for (size_t d = 0; stats->overloaded && d < MDL_MAX_DEPTS; d++)
        totals->dept_overloaded[d] += (unsigned)((stats->overloaded_depts >> d) & 1u);
}

void mdl_run_totals_merge(struct mdl_run_totals *into, const struct mdl_run_totals *t)
{
    into->events += t->events;
    into->customers += t->customers;
    into->overloaded += t->overloaded;
    into->over_events += t->over_events;
    for (size_t d = 0; d < MDL_MAX_DEPTS; d++)
        into->dept_overloaded[d] += t->dept_overloaded[d];
}

int mdl_run_threads(int jobs)
{
#ifdef _OPENMP
    return jobs > 0 ? jobs : omp_get_num_procs();
#else
    (void)jobs;
    return 1;
#endif
}

/* Replications first .. first + n - 1 into values (n x stride), here. */
static void run_here(const struct mdl_scenario *s, uint64_t seed, unsigned first, unsigned n, int jobs,
                      double *values, struct mdl_run_totals *totals, struct mdl_run_pools *pools)
{
    size_t stride = mdl_run_stride(s);
    struct mdl_flow_stats *stats = sim_xcalloc(n ? n : 1, sizeof *stats);
    int threads = mdl_run_threads(jobs);
    (void)threads;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (long r = 0; r < (long)n; r++) {
        struct mdl_flow_pool pool = pools ? mdl_run_pool_of(pools, first + (unsigned)r) : (struct mdl_flow_pool){0};
        mdl_flow_run(s, seed, first + (uint32_t)r, &values[(size_t)r * stride], &stats[r], pools ? &pool : NULL);
    }
    memset(totals, 0, sizeof *totals);
    for (unsigned r = 0; r < n; r++)
        mdl_run_totals_add(totals, &stats[r]);
    free(stats);
}

static const struct mdl_run_spread *spreader;   /* see mdl_run_spread_set */

void mdl_run_spread_set(const struct mdl_run_spread *spread)
{
    spreader = spread && spread->size > 1 ? spread : NULL;
}

/* run_here's replications shared among sp's processes, then gathered: this
 * process's share into a pool of its own, whose export every process adds
 * to pools in the processes' order. */
static void run_spread(const struct mdl_run_spread *sp, const struct mdl_scenario *s, uint64_t seed, unsigned first,
                       unsigned n, int jobs, double *values, struct mdl_run_totals *totals,
                       struct mdl_run_pools *pools)
{
    size_t stride = mdl_run_stride(s), size = sp->size;
    size_t *count = sim_xmalloc(2 * size * sizeof *count), *offset = count + size;
    for (size_t k = 0; k < size; k++) {
        size_t from = (size_t)n * k / size, to = (size_t)n * (k + 1) / size;
        offset[k] = from * stride;
        count[k] = (to - from) * stride;
    }
    unsigned mine_from = (unsigned)(offset[sp->rank] / stride), mine_n = (unsigned)(count[sp->rank] / stride);
    struct mdl_run_pools *mine = pools ? mdl_run_pools_create(s, pools->reps) : NULL;
    run_here(s, seed, first + mine_from, mine_n, jobs, values + offset[sp->rank], totals, mine);
    sp->gather(sp->ctx, values, count, offset);
    uint64_t sums[4 + MDL_MAX_DEPTS] = {totals->events, totals->customers, totals->overloaded, totals->over_events};
    for (size_t d = 0; d < MDL_MAX_DEPTS; d++)
        sums[4 + d] = totals->dept_overloaded[d];
    sp->sum(sp->ctx, sums, sizeof sums / sizeof sums[0]);
    *totals = (struct mdl_run_totals){.events = sums[0], .customers = sums[1], .overloaded = (unsigned)sums[2],
                                      .over_events = (unsigned)sums[3]};
    for (size_t d = 0; d < MDL_MAX_DEPTS; d++)
        totals->dept_overloaded[d] = (unsigned)sums[4 + d];
    if (pools) {
        size_t nh = mine->m * mine->ndepts, each = sim_qhist_export_len(mine->h[0]);
        double *exported = sim_xmalloc(nh * each * sizeof *exported);
        double *all = sim_xmalloc(size * nh * each * sizeof *all);
        for (size_t i = 0; i < nh; i++)
            sim_qhist_export(mine->h[i], exported + i * each);
        sp->collect(sp->ctx, exported, nh * each, all);
        for (size_t k = 0; k < size; k++)
            for (size_t i = 0; i < nh; i++)
                sim_qhist_pool_exported(pools->h[i], all + (k * nh + i) * each);
        free(exported);
        free(all);
        mdl_run_pools_destroy(mine);
    }
    free(count);
}

/* Every run of replications: spread when a spreader is set and this is
 * not one thread of a parallel region, else here. */
static void run_range(const struct mdl_scenario *s, uint64_t seed, unsigned first, unsigned n, int jobs,
                      double *values, struct mdl_run_totals *totals, struct mdl_run_pools *pools)
{
    bool nested = false;
#ifdef _OPENMP
    nested = omp_in_parallel();
#endif
    if (spreader && !nested)
        run_spread(spreader, s, seed, first, n, jobs, values, totals, pools);
    else
        run_here(s, seed, first, n, jobs, values, totals, pools);
}

void mdl_run_block(const struct mdl_scenario *s, uint64_t seed, unsigned first, unsigned n, int jobs,
                   double *values, struct mdl_run_totals *totals, struct mdl_run_pools *pools)
{
    run_range(s, seed, first, n, jobs, values, totals, pools);
}

/* The bin of b's hour h in a's hours: the one starting at the same minute
 * (the last, after closing, for the last); SIZE_MAX when none does. */
static size_t same_bin(const struct mdl_scenario *a, size_t nha, const struct mdl_scenario *b, size_t nhb, size_t h)
{
    if (h + 1 == nhb)
        return nha ? nha - 1 : SIZE_MAX;
    double from = mdl_flow_bin_from(b, h), to = mdl_flow_bin_to(b, h);
    for (size_t k = 0; k + 1 < nha; k++)
        if (mdl_flow_bin_from(a, k) == from && mdl_flow_bin_to(a, k) == to)
            return k;
    return SIZE_MAX;
}

void mdl_run_metric_map(const struct mdl_scenario *a, const struct mdl_scenario *b, size_t *map)
{
    size_t nda = a->ndepts, nca = a->nclasses, nha = mdl_flow_hours(a);
    size_t ndb = b->ndepts, ncb = b->nclasses, nhb = mdl_flow_hours(b);
    for (size_t i = 0; i < mdl_run_count(b); i++)
        map[i] = SIZE_MAX;
    int dept[MDL_MAX_DEPTS], cls[MDL_MAX_CLASSES + 2];
    for (size_t d = 0; d < ndb; d++)
        dept[d] = mdl_scenario_dept(a, b->depts[d].name);
    for (size_t c = 0; c < ncb; c++)
        cls[c] = mdl_scenario_class(a, b->classes[c].name);
    cls[ncb] = (int)nca;           /* all external journeys */
    cls[ncb + 1] = (int)nca + 1;   /* all internal journeys */
    for (size_t d = 0; d < ndb; d++) {
        if (dept[d] < 0)
            continue;
        size_t da = (size_t)dept[d];
        for (int m = 0; m < MDL_DM; m++)
            map[mdl_metric_dept(ncb, d, m)] = mdl_metric_dept(nca, da, m);
        for (size_t h = 0; h < nhb; h++) {
            size_t ha = same_bin(a, nha, b, nhb, h);
            for (int m = 0; ha != SIZE_MAX && m < MDL_HM; m++)
                map[mdl_metric_hour(ndb, ncb, nhb, d, h, m)] = mdl_metric_hour(nda, nca, nha, da, ha, m);
        }
    }
    for (size_t c = 0; c < ncb + 2; c++) {
        if (cls[c] < 0)
            continue;
        size_t ca = (size_t)cls[c];
        for (int m = 0; m < MDL_JM; m++)
            map[mdl_metric_class(ndb, c, m)] = mdl_metric_class(nda, ca, m);
        for (size_t d = 0; d < ndb; d++)
            for (int k = 0; dept[d] >= 0 && k < MDL_DROP; k++)
                map[mdl_metric_drop(ndb, ncb, c, d, k)] = mdl_metric_drop(nda, nca, ca, (size_t)dept[d], k);
    }
    for (int m = 0; m < MDL_CM; m++)
        map[mdl_metric_cost(ndb, ncb, m)] = mdl_metric_cost(nda, nca, m);
    for (size_t p = 0; p < b->npools; p++) {
        size_t pa = a->npools;
        for (size_t k = 0; k < a->npools; k++)
            if (!strcmp(a->pools[k].name, b->pools[p].name))
                pa = k;
        if (pa == a->npools)
            continue;
        for (size_t m = 0; m < MDL_PM; m++)
            map[mdl_metric_pool(ndb, ncb, nhb, p, m)] = mdl_metric_pool(nda, nca, nha, pa, m);
        for (size_t d = 0; d < ndb; d++)
            if (dept[d] >= 0)
                map[mdl_metric_pool(ndb, ncb, nhb, p, MDL_PM + d)] =
                    mdl_metric_pool(nda, nca, nha, pa, MDL_PM + (size_t)dept[d]);
    }
}

void mdl_run_reps(const struct mdl_scenario *s, uint64_t seed, unsigned reps, int jobs, double *values,
                  struct mdl_run_totals *totals, struct mdl_run_pools *pools)
{
    run_range(s, seed, 0, reps, jobs, values, totals, pools);
}

void mdl_run_tallies(const struct mdl_scenario *s, uint64_t seed, unsigned reps, int jobs,
                     struct sim_ratio_tally *tallies, struct mdl_run_totals *totals, struct mdl_run_pools *pools)
{
    size_t stride = mdl_run_stride(s), count = mdl_run_count(s);
    enum { BLOCK = 1024 };
    double *v = sim_xmalloc(BLOCK * stride * sizeof *v);
    memset(totals, 0, sizeof *totals);
    for (unsigned first = 0; first < reps; first += BLOCK) {
        unsigned n = reps - first < BLOCK ? reps - first : BLOCK;
        struct mdl_run_totals block;
        run_range(s, seed, first, n, jobs, v, &block, pools);
        mdl_run_totals_merge(totals, &block);
        for (unsigned r = 0; r < n; r++) {
            const double *x = &v[(size_t)r * stride];
            for (size_t m = 0; m < count; m++)   /* num = value x weight; a share's counts are whole */
                sim_ratio_tally_add(&tallies[m], x[count + m] > 0 ? x[m] * x[count + m] : 0, x[count + m]);
        }
    }
    free(v);
}
