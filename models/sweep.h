/* models/sweep.h — running the plans of a sweep on every core.
 *
 * The work is plans x replications: each (plan, replication) pair is one
 * task, handed to OpenMP threads as they free up, so a few plans of many
 * replications and many plans of a few both keep every core busy. Plans are
 * taken in windows of a few per thread (their scenarios built, their result
 * vectors allocated), so memory holds a window, never the grid. When a
 * plan's last replication ends, the thread that ran it hands the plan to
 * the caller's `done`, under a lock: one plan at a time, in whatever order
 * plans complete. Every replication depends only on (plan, seed,
 * replication), so the numbers are the same whatever the threads, the
 * order or the machine.
 *
 * Past the replications a caller can keep (shape.summarise), plans run one
 * after another instead, each on every thread in blocks of replications
 * whose values go into one ratio tally per metric and are forgotten
 * (mdl_run_tallies): the memory of a plan no longer grows with reps.
 *
 * It does not store anything: the caller decides where results go (the
 * sweep database, or another process).
 */
#ifndef MDL_SWEEP_H
#define MDL_SWEEP_H

#include "models/plans.h"
#include "models/run.h"
#include "models/scenario.h"
#include "sim/err.h"

#include <stdint.h>

struct mdl_sweep_result {
    uint64_t plan;                    /* its number in the grid */
    const struct mdl_scenario *s;     /* its scenario */
    unsigned reps;
    const double *values;             /* reps x mdl_run_stride(s), replication r at r * stride;
                                         NULL when summarised */
    const struct sim_ratio_tally *tallies; /* summarised: one per value (mdl_run_count(s));
                                              else NULL */
    struct mdl_run_totals totals;
    const struct mdl_run_pools *pools; /* its waits, pooled */
};

/* Receives each completed plan; its data lives until the call returns.
 * Returns SIM_OK, or an error (set in err) that stops the sweep. */
typedef int (*mdl_sweep_done_fn)(void *ctx, const struct mdl_sweep_result *r, struct sim_err *err);

/* Builds the scenario of every plan of pending[0..npending) of p's grid
 * on `jobs` threads (0: all cores) to check it, and drops it. On failure
 * returns 65 with the error of the first failing plan in pending's order,
 * whatever the threads. */
int mdl_sweep_check(const struct mdl_plans *p, const uint64_t *pending, size_t npending, int jobs,
                    struct sim_err *err);

/* How a sweep uses the machine: `threads` replications at once (0: all
 * cores), up to `window` plans in flight (their vectors kept; 0: four a
 * thread), or, with summarise, one plan at a time in tallies. The program
 * sizes it from its memory budget (sim/cli/budget.h). */
struct mdl_sweep_shape {
    int threads;
    size_t window;
    bool summarise;
};

/* Runs replications 0..reps-1 of every plan of pending[0..npending) of p's grid
 * with master seed `seed` as `shape` says, calling done once per plan as it
 * completes. Stops at the first error (a plan that does not build, or one
 * done returns): plans still running are abandoned without a call. Returns
 * SIM_OK or that error's code. */
int mdl_sweep_run(const struct mdl_plans *p, const uint64_t *pending, size_t npending, uint64_t seed,
                  unsigned reps, const struct mdl_sweep_shape *shape, mdl_sweep_done_fn done, void *ctx,
                  struct sim_err *err);

#endif
