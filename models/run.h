/* models/run.h — replications of a scenario, in parallel, summarised.
 *
 * mdl_run_plan runs replications 0..reps-1 of a scenario (OpenMP threads,
 * `jobs` of them; 0 means all cores) and fills one plan of a report with
 * each metric's mean and 95% Student-t interval over replications. Each
 * replication depends only on (scenario, seed, replication number), so the
 * numbers are identical whatever `jobs` is. Memory: one metric vector per
 * replication, plus what each running replication holds
 * (mdl_run_plan_bounded: a bounded amount, whatever the replications).
 */
#ifndef MDL_RUN_H
#define MDL_RUN_H

#include "models/flow.h"
#include "models/scenario.h"
#include "output/report.h"
#include "sim/mem.h"

struct mdl_run_totals {
    uint64_t events, customers;
    unsigned overloaded;                    /* replications stopped as overloaded */
    unsigned dept_overloaded[MDL_MAX_DEPTS]; /* of those, the ones where department d was */
};

/* Metrics in one replication's vector of s (models/metrics.h). */
size_t mdl_run_stride(const struct mdl_scenario *s);

/* Simulates replications 0..reps-1 of s on `jobs` threads into values
 * (reps x mdl_run_stride(s) doubles, replication r at r * stride) and
 * totals. */
void mdl_run_reps(const struct mdl_scenario *s, uint64_t seed, unsigned reps, int jobs, double *values,
                  struct mdl_run_totals *totals);

/* Adds one replication's flow statistics to totals. */
void mdl_run_totals_add(struct mdl_run_totals *totals, const struct mdl_flow_stats *stats);

/* Fills plan (named plan_name) from the replications' vectors of s: every
 * metric's interval, with its replications' values copied beside it. The
 * plan's strings and arrays live in `arena`. */
void mdl_run_summarise(const struct mdl_scenario *s, const char *plan_name, const double *values, unsigned reps,
                       const struct mdl_run_totals *totals, struct sim_arena *arena, struct out_plan *plan);

/* Runs and summarises: mdl_run_reps, then mdl_run_summarise. values, when
 * not NULL, receives the vectors. Memory: reps vectors (some 4 KB each for
 * the dealership), which pairing plans (compare) needs. */
void mdl_run_plan(const struct mdl_scenario *s, const char *plan_name, uint64_t seed, unsigned reps,
                  int jobs, struct sim_arena *arena, struct out_plan *plan, double *values,
                  struct mdl_run_totals *totals);

/* Replications above which mdl_run_plan_bounded keeps no vectors. */
#define MDL_RUN_KEEP_MAX 10000

/* Like mdl_run_plan without values, for a plan that is not paired with
 * another: up to MDL_RUN_KEEP_MAX replications it is mdl_run_plan; beyond,
 * replications run in blocks whose values are added to one tally per metric
 * and forgotten, so memory does not grow with reps. The metrics' intervals
 * then come from the tallies (equal to rounding) and their values are NULL. */
void mdl_run_plan_bounded(const struct mdl_scenario *s, const char *plan_name, uint64_t seed, unsigned reps,
                          int jobs, struct sim_arena *arena, struct out_plan *plan, struct mdl_run_totals *totals);

#endif
