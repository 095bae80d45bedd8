/* models/run.c — replications in parallel, then intervals (see run.h). */
#include "models/run.h"
#include "models/flow.h"
#include "models/metrics.h"
#include "sim/ci.h"
#include "sim/tally.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Where a plan's metrics come from: every replication's vector (values,
 * reps x stride, replication r at r * stride), or, for replications too
 * many to keep, one tally per metric (tallies[offset]). */
struct source {
    const double *values;
    const struct sim_tally *tallies;
    size_t stride;
    unsigned reps;
};

/* Appends metric `name` (at `offset` of a replication's vector) to sc:
 * its interval, and its replications' values copied into the arena when
 * they were kept. */
static void add_metric(struct out_scope *sc, const char *name, const char *unit, const struct source *src,
                       size_t offset, struct sim_arena *arena)
{
    struct out_metric *m = &sc->metrics[sc->nmetrics++];
    struct sim_ci ci;
    double *x = NULL;
    if (src->tallies) {
        ci = sim_ci_from_tally(&src->tallies[offset], 0.95);
    } else {
        x = sim_arena_alloc(arena, src->reps * sizeof *x);
        for (unsigned r = 0; r < src->reps; r++)
            x[r] = src->values[(size_t)r * src->stride + offset];
        ci = sim_ci_student(x, src->reps, 0.95);
    }
    m->name = name;
    m->unit = unit;
    m->stat = (struct out_stat){ci.mean, ci.lo, ci.hi, ci.sd, ci.n};
    m->values = x;
}

static const char *arena_printf(struct sim_arena *arena, const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
    char *p = sim_arena_alloc(arena, n);
    snprintf(p, n, fmt, a, b);
    return p;
}

size_t mdl_run_stride(const struct mdl_scenario *s)
{
    return mdl_metric_count(s->ndepts, s->nclasses, mdl_flow_hours(s));
}

void mdl_run_totals_add(struct mdl_run_totals *totals, const struct mdl_flow_stats *stats)
{
    totals->events += stats->events;
    totals->customers += stats->customers;
    totals->overloaded += stats->overloaded;
    for (size_t d = 0; stats->overloaded && d < MDL_MAX_DEPTS; d++)
        totals->dept_overloaded[d] += (unsigned)((stats->overloaded_depts >> d) & 1u);
}

static void totals_merge(struct mdl_run_totals *into, const struct mdl_run_totals *t)
{
    into->events += t->events;
    into->customers += t->customers;
    into->overloaded += t->overloaded;
    for (size_t d = 0; d < MDL_MAX_DEPTS; d++)
        into->dept_overloaded[d] += t->dept_overloaded[d];
}

/* Replications first .. first + n - 1 into values (n x stride). */
static void run_range(const struct mdl_scenario *s, uint64_t seed, unsigned first, unsigned n, int jobs,
                      double *values, struct mdl_run_totals *totals)
{
    size_t stride = mdl_run_stride(s);
    struct mdl_flow_stats *stats = sim_xcalloc(n ? n : 1, sizeof *stats);
#ifdef _OPENMP
    int threads = jobs > 0 ? jobs : omp_get_num_procs();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
#else
    (void)jobs;
#endif
    for (long r = 0; r < (long)n; r++)
        mdl_flow_run(s, seed, first + (uint32_t)r, &values[(size_t)r * stride], &stats[r]);
    memset(totals, 0, sizeof *totals);
    for (unsigned r = 0; r < n; r++)
        mdl_run_totals_add(totals, &stats[r]);
    free(stats);
}

void mdl_run_reps(const struct mdl_scenario *s, uint64_t seed, unsigned reps, int jobs, double *values,
                  struct mdl_run_totals *totals)
{
    run_range(s, seed, 0, reps, jobs, values, totals);
}

static void summarise(const struct mdl_scenario *s, const char *plan_name, const struct source *src,
                      const struct mdl_run_totals *totals, struct sim_arena *arena, struct out_plan *plan);

void mdl_run_plan(const struct mdl_scenario *s, const char *plan_name, uint64_t seed, unsigned reps,
                  int jobs, struct sim_arena *arena, struct out_plan *plan, double *values,
                  struct mdl_run_totals *totals)
{
    double *v = values ? values : sim_xmalloc((size_t)reps * mdl_run_stride(s) * sizeof *v);
    mdl_run_reps(s, seed, reps, jobs, v, totals);
    mdl_run_summarise(s, plan_name, v, reps, totals, arena, plan);
    if (!values)
        free(v);
}

void mdl_run_plan_bounded(const struct mdl_scenario *s, const char *plan_name, uint64_t seed, unsigned reps,
                          int jobs, struct sim_arena *arena, struct out_plan *plan, struct mdl_run_totals *totals)
{
    if (reps <= MDL_RUN_KEEP_MAX) {
        mdl_run_plan(s, plan_name, seed, reps, jobs, arena, plan, NULL, totals);
        return;
    }
    /* blocks of replications, each added to the tallies in replication
     * order (so the numbers do not depend on jobs), then forgotten */
    size_t stride = mdl_run_stride(s);
    enum { BLOCK = 1024 };
    double *v = sim_xmalloc(BLOCK * stride * sizeof *v);
    struct sim_tally *tallies = sim_xmalloc(stride * sizeof *tallies);
    for (size_t m = 0; m < stride; m++)
        sim_tally_init(&tallies[m], false);
    memset(totals, 0, sizeof *totals);
    for (unsigned first = 0; first < reps; first += BLOCK) {
        unsigned n = reps - first < BLOCK ? reps - first : BLOCK;
        struct mdl_run_totals block;
        run_range(s, seed, first, n, jobs, v, &block);
        totals_merge(totals, &block);
        for (unsigned r = 0; r < n; r++)
            for (size_t m = 0; m < stride; m++)
                if (!isnan(v[(size_t)r * stride + m]))
                    sim_tally_add(&tallies[m], v[(size_t)r * stride + m]);
    }
    struct source src = {NULL, tallies, stride, reps};
    summarise(s, plan_name, &src, totals, arena, plan);
    for (size_t m = 0; m < stride; m++)
        sim_tally_fini(&tallies[m]);
    free(tallies);
    free(v);
}

void mdl_run_summarise(const struct mdl_scenario *s, const char *plan_name, const double *v, unsigned reps,
                       const struct mdl_run_totals *totals, struct sim_arena *arena, struct out_plan *plan)
{
    struct source src = {v, NULL, mdl_run_stride(s), reps};
    summarise(s, plan_name, &src, totals, arena, plan);
}

static void summarise(const struct mdl_scenario *s, const char *plan_name, const struct source *src,
                      const struct mdl_run_totals *totals, struct sim_arena *arena, struct out_plan *plan)
{
    size_t nd = s->ndepts, nc = s->nclasses, nh = mdl_flow_hours(s);

    /* hour labels: "09:00" ... and "after_close" */
    const char **hours = sim_arena_alloc(arena, (nh ? nh : 1) * sizeof *hours);
    for (size_t h = 0; h < nh; h++) {
        char *label = sim_arena_alloc(arena, 16);
        if (h + 1 < nh)
            out_clock(label, 16, s->open_at + 60.0 * (double)h);
        else
            snprintf(label, 16, "after_close");
        hours[h] = label;
    }

    *plan = (struct out_plan){.name = plan_name, .overloaded = totals->overloaded};   /* no params: not a sweep's */
    plan->nscopes = nd + nc + 2 + 1;
    plan->scopes = sim_arena_alloc(arena, plan->nscopes * sizeof *plan->scopes);
    size_t k = 0;
    for (size_t d = 0; d < nd; d++, k++) {
        struct out_scope *sc = &plan->scopes[k];
        sc->kind = OUT_DEPARTMENT;
        sc->name = s->depts[d].name;
        sc->target_wait = s->depts[d].target_wait;
        sc->service_target = s->depts[d].service_target;
        sc->overloaded = totals->dept_overloaded[d];
        sc->metrics = sim_arena_alloc(arena, (MDL_DM + nh * MDL_HM) * sizeof *sc->metrics);
        for (int m = 0; m < MDL_DM; m++)
            add_metric(sc, mdl_dept_metric_names[m], mdl_dept_metric_units[m], src, mdl_metric_dept(nc, d, m),
                       arena);
        for (size_t h = 0; h < nh; h++)
            for (int m = 0; m < MDL_HM; m++)
                add_metric(sc, arena_printf(arena, "hour.%s.%s", hours[h], mdl_hour_metric_names[m]),
                           mdl_hour_metric_units[m], src, mdl_metric_hour(nd, nc, nh, d, h, m), arena);
    }
    for (size_t c = 0; c < nc + 2; c++, k++) {
        struct out_scope *sc = &plan->scopes[k];
        sc->kind = c < nc ? OUT_CLASS : OUT_JOURNEY;
        sc->name = c < nc ? s->classes[c].name : c == nc ? "external" : "internal";
        sc->internal = c < nc ? s->classes[c].internal : c == nc + 1;
        sc->target_wait = sc->service_target = NAN;
        sc->metrics = sim_arena_alloc(arena, (MDL_JM + nd * MDL_DROP) * sizeof *sc->metrics);
        for (int m = 0; m < MDL_JM; m++)
            add_metric(sc, mdl_journey_metric_names[m], mdl_journey_metric_units[m], src, mdl_metric_class(nd, c, m),
                       arena);
        for (size_t d = 0; d < nd; d++)
            for (int cause = 0; cause < MDL_DROP; cause++)
                add_metric(sc, arena_printf(arena, "dropped_at.%s.%s", s->depts[d].name, mdl_drop_cause_names[cause]),
                           "customers", src, mdl_metric_drop(nd, nc, c, d, cause), arena);
    }
    struct out_scope *sc = &plan->scopes[k];
    sc->kind = OUT_COST;
    sc->name = "plan";
    sc->target_wait = sc->service_target = NAN;
    sc->metrics = sim_arena_alloc(arena, MDL_CM * sizeof *sc->metrics);
    for (int m = 0; m < MDL_CM; m++)
        add_metric(sc, mdl_cost_metric_names[m], "money", src, mdl_metric_cost(nd, nc, m), arena);
}
