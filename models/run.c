/* models/run.c — replications in parallel, then intervals (see run.h). */
#include "models/run.h"
#include "models/flow.h"
#include "models/metrics.h"
#include "sim/ci.h"

#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static struct out_stat summarise(const double *values, size_t stride, size_t offset, unsigned reps)
{
    double *x = sim_xmalloc(reps * sizeof *x);
    for (unsigned r = 0; r < reps; r++)
        x[r] = values[(size_t)r * stride + offset];
    struct sim_ci ci = sim_ci_student(x, reps, 0.95);
    free(x);
    return (struct out_stat){ci.mean, ci.lo, ci.hi, ci.sd, ci.n};
}

static void fill_scope(struct out_scope *sc, const double *values, size_t stride, size_t first, unsigned reps,
                       size_t n, const char *const *names, const char *const *units, struct sim_arena *arena)
{
    sc->nmetrics = n;
    sc->metrics = sim_arena_alloc(arena, n * sizeof *sc->metrics);
    for (size_t m = 0; m < n; m++) {
        sc->metrics[m].name = names[m];
        sc->metrics[m].unit = units ? units[m] : "money";
        sc->metrics[m].stat = summarise(values, stride, first + m, reps);
    }
}

void mdl_run_plan(const struct mdl_scenario *s, const char *plan_name, uint64_t seed, unsigned reps,
                  int jobs, struct sim_arena *arena, struct out_plan *plan, double *values,
                  struct mdl_run_totals *totals)
{
    size_t nd = s->ndepts, nc = s->nclasses, stride = mdl_metric_count(nd, nc);
    double *v = values ? values : sim_xmalloc((size_t)reps * stride * sizeof *v);
    struct mdl_flow_stats *stats = sim_xcalloc(reps, sizeof *stats);
#ifdef _OPENMP
    int threads = jobs > 0 ? jobs : omp_get_num_procs();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
#else
    (void)jobs;
#endif
    for (long r = 0; r < (long)reps; r++)
        mdl_flow_run(s, seed, (uint32_t)r, &v[(size_t)r * stride], &stats[r]);

    memset(totals, 0, sizeof *totals);
    for (unsigned r = 0; r < reps; r++) {
        totals->events += stats[r].events;
        totals->customers += stats[r].customers;
        totals->overloaded += stats[r].overloaded;
    }
    free(stats);

    plan->name = plan_name;
    plan->overloaded = totals->overloaded;
    plan->nscopes = nd + nc + 2 + 1;
    plan->scopes = sim_arena_alloc(arena, plan->nscopes * sizeof *plan->scopes);
    size_t k = 0;
    for (size_t d = 0; d < nd; d++, k++) {
        plan->scopes[k].kind = OUT_DEPARTMENT;
        plan->scopes[k].name = s->depts[d].name;
        fill_scope(&plan->scopes[k], v, stride, mdl_metric_dept(nc, d, 0), reps, MDL_DM, mdl_dept_metric_names,
                   mdl_dept_metric_units, arena);
    }
    for (size_t c = 0; c < nc + 2; c++, k++) {
        plan->scopes[k].kind = c < nc ? OUT_CLASS : OUT_JOURNEY;
        plan->scopes[k].name = c < nc ? s->classes[c].name : c == nc ? "external" : "internal";
        plan->scopes[k].internal = c < nc ? s->classes[c].internal : c == nc + 1;
        fill_scope(&plan->scopes[k], v, stride, mdl_metric_class(nd, c, 0), reps, MDL_JM, mdl_journey_metric_names,
                   mdl_journey_metric_units, arena);
    }
    plan->scopes[k].kind = OUT_COST;
    plan->scopes[k].name = "plan";
    fill_scope(&plan->scopes[k], v, stride, mdl_metric_cost(nd, nc, 0), reps, MDL_CM, mdl_cost_metric_names, NULL,
               arena);
    if (!values)
        free(v);
}
