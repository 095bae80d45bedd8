/* models/run.c — replications in parallel (see run.h). */
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

void mdl_run_tallies(const struct mdl_scenario *s, uint64_t seed, unsigned reps, int jobs,
                     struct sim_tally *tallies, struct mdl_run_totals *totals)
{
    size_t stride = mdl_run_stride(s);
    enum { BLOCK = 1024 };
    double *v = sim_xmalloc(BLOCK * stride * sizeof *v);
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
    free(v);
}
