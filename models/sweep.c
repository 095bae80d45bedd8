/* models/sweep.c — plans x replications on every core (see sweep.h). */
#include "models/sweep.h"
#include "models/flow.h"
#include "models/run.h"
#include "models/warmup.h"

#include <stdlib.h>
#include <string.h>

/* Plans in flight per thread: enough that a thread rarely waits at the end
 * of a window for the others, few enough to keep memory small. */
#define PLANS_PER_THREAD 4

int mdl_sweep_check(const struct mdl_plans *p, const uint64_t *pending, size_t npending, int jobs,
                    struct sim_err *err)
{
    size_t first = npending;   /* position in pending of the first failing plan */
    struct sim_err first_err;
    sim_err_init(&first_err);
    int threads = mdl_run_threads(jobs);
    (void)threads;
#pragma omp parallel for schedule(dynamic, 16) num_threads(threads)
    for (long k = 0; k < (long)npending; k++) {
        size_t seen;
#pragma omp atomic read
        seen = first;
        if ((size_t)k > seen)
            continue;
        struct sim_err e;
        sim_err_init(&e);
        struct mdl_scenario *ps = NULL;
        if (mdl_plans_grid_build(p, pending[k], &ps, &e)) {
#pragma omp critical(mdl_sweep_check)
            if ((size_t)k < first) {
                first = (size_t)k;
                first_err = e;
            }
        }
        mdl_scenario_destroy(ps);
    }
    if (first < npending) {
        *err = first_err;
        return err->code;
    }
    return SIM_OK;
}

struct slot {
    struct mdl_scenario *s;
    struct mdl_run_pools *pools;
    double *values;
    struct mdl_flow_stats *stats;
    unsigned left;            /* replications not yet run */
};

/* Plans one after another, each summarised in tallies (see sweep.h). */
static int run_summarised(const struct mdl_plans *p, const uint64_t *pending, size_t npending, uint64_t seed,
                          unsigned reps, int threads, mdl_sweep_done_fn done, void *ctx, struct sim_err *err)
{
    for (size_t k = 0; k < npending && !err->code; k++) {
        struct mdl_scenario *s = NULL;
        if (mdl_plans_grid_build(p, pending[k], &s, err))
            break;
        mdl_warmup_choose(s, seed);
        size_t count = mdl_run_count(s);
        struct sim_ratio_tally *tallies = sim_xmalloc(count * sizeof *tallies);
        for (size_t i = 0; i < count; i++)
            sim_ratio_tally_init(&tallies[i]);
        struct mdl_run_pools *pools = mdl_run_pools_create(s, reps);
        struct mdl_sweep_result res = {pending[k], s, reps, NULL, tallies, {.events = 0}, pools};
        mdl_run_tallies(s, seed, reps, threads, tallies, &res.totals, pools);
        done(ctx, &res, err);
        mdl_run_pools_destroy(pools);
        free(tallies);
        mdl_scenario_destroy(s);
    }
    return err->code;
}

int mdl_sweep_run(const struct mdl_plans *p, const uint64_t *pending, size_t npending, uint64_t seed,
                  unsigned reps, const struct mdl_sweep_shape *shape, mdl_sweep_done_fn done, void *ctx,
                  struct sim_err *err)
{
    int threads = mdl_run_threads(shape->threads);
    if (shape->summarise)
        return run_summarised(p, pending, npending, seed, reps, threads, done, ctx, err);
    size_t window = shape->window ? shape->window : (size_t)threads * PLANS_PER_THREAD;
    struct slot *slots = sim_xcalloc(window, sizeof *slots);
    int stop = 0;
    for (size_t w0 = 0; w0 < npending && !stop; w0 += window) {
        size_t n = npending - w0 < window ? npending - w0 : window;
        for (size_t i = 0; i < n && !stop; i++) {
            if (mdl_plans_grid_build(p, pending[w0 + i], &slots[i].s, err)) {
                stop = 1;
                n = i;
                break;
            }
            mdl_warmup_choose(slots[i].s, seed);
            slots[i].values = sim_xmalloc((size_t)reps * mdl_run_stride(slots[i].s) * sizeof *slots[i].values);
            slots[i].pools = mdl_run_pools_create(slots[i].s, reps);
            slots[i].stats = sim_xcalloc(reps, sizeof *slots[i].stats);
            slots[i].left = reps;
        }
        long tasks = stop ? 0 : (long)(n * reps);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (long k = 0; k < tasks; k++) {
            int halt;
#pragma omp atomic read
            halt = stop;
            if (halt)
                continue;
            struct slot *sl = &slots[(size_t)k / reps];
            uint32_t r = (uint32_t)((size_t)k % reps);
            struct mdl_flow_pool pool = mdl_run_pool_of(sl->pools, r);
            mdl_flow_run(sl->s, seed, r, &sl->values[r * mdl_run_stride(sl->s)], &sl->stats[r], &pool);
            unsigned left;
#pragma omp atomic capture
            left = --sl->left;
            if (left > 0)
                continue;
            struct mdl_sweep_result res = {pending[w0 + (size_t)k / reps], sl->s, reps, sl->values, NULL,
                                           {.events = 0}, sl->pools};
            for (unsigned q = 0; q < reps; q++)
                mdl_run_totals_add(&res.totals, &sl->stats[q]);
#pragma omp critical(mdl_sweep_done)
            {
                if (!stop && done(ctx, &res, err)) {
#pragma omp atomic write
                    stop = 1;
                }
            }
        }
        for (size_t i = 0; i < n; i++) {
            mdl_run_pools_destroy(slots[i].pools);
            mdl_scenario_destroy(slots[i].s);
            free(slots[i].values);
            free(slots[i].stats);
            memset(&slots[i], 0, sizeof slots[i]);
        }
    }
    free(slots);
    return err->code;
}
